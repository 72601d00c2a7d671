"""The FOIA exemptions of 5 U.S.C. 552(b), by the canonical code a release prints in its margins."""

from types import MappingProxyType

EXEMPTIONS = MappingProxyType(
    {
        "(b)(1)": "Classified national defense or foreign policy information",
        "(b)(2)": "Internal personnel rules and practices",
        "(b)(3)": "Information exempted by another statute",
        "(b)(4)": "Trade secrets and confidential commercial information",
        "(b)(5)": "Privileged inter- or intra-agency communications (deliberative process)",
        "(b)(6)": "Personal privacy",
        "(b)(7)": "Law enforcement records (no subpart printed)",
        "(b)(7)(A)": "Law enforcement: could interfere with enforcement proceedings",
        "(b)(7)(B)": "Law enforcement: would deprive a person of a fair trial",
        "(b)(7)(C)": "Law enforcement: personal privacy",
        "(b)(7)(D)": "Law enforcement: confidential sources",
        "(b)(7)(E)": "Law enforcement: techniques, procedures and guidelines",
        "(b)(7)(F)": "Law enforcement: could endanger life or physical safety",
        "(b)(8)": "Financial institution supervision",
        "(b)(9)": "Geological and geophysical information on wells",
    }
)
