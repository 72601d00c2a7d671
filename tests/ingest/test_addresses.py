"""Senders and recipients as Outlook, Lotus Notes and OCR print them: the name and the address come
out clean and apart, and a list gives one entry per person, never a fragment."""

import pytest

from documents.ingest.addresses import parse_address, parse_address_list


@pytest.mark.parametrize(
    ("printed", "name", "email", "organization"),
    [
        ("Colby Cooper [mailto", "Colby Cooper", "", ""),  # "[mailto" cut at the line's end
        ("Doe, John [mailto:Doe11@agency.gov)", "John Doe", "doe11@agency.gov", ""),
        ("H <hx17@example.com >", "H", "hx17@example.com", ""),  # a one-letter name is a name
        ("GM Miners [mailto : gmminers@gci . net:  ]", "GM Miners", "gmminers@gci.net", ""),
        (
            "Erika Fagerstrom [erika_fagerstrom@ gov.state . ak.usj",
            "Erika Fagerstrom",
            "erika_fagerstrom@gov.state.ak.us",
            "",
        ),
        ("Roe, Jane <jroe©state.gov>", "Jane Roe", "jroe@state.gov", ""),
        ("Jane Roe <jane.roe@hhs.goy>", "Jane Roe", "jane.roe@hhs.gov", ""),
        ("Jane Roe <jane.roe@dc.govi>", "Jane Roe", "jane.roe@dc.gov", ""),
        ("Jane Roe @ @ >", "Jane Roe", "", ""),
        ("John Doe yy @@>", "John Doe", "", ""),
        ("Doe, John (OS/ASPA) on behalf of HHS Press Office", "John Doe", "", "OS/ASPA"),
        ("‹Jane Roe›", "Jane Roe", "", ""),
        ("«Jane Roe» <jroe@state.gov>", "Jane Roe", "jroe@state.gov", ""),
        ("Macmanus, Joseph E", "Joseph E Macmanus", "", ""),
        ("'Sarah Palin'", "Sarah Palin", "", ""),
        ('"Palin, Todd" <tpalin@example.com>', "Todd Palin", "tpalin@example.com", ""),
        (
            "Venturella, David </O=DHS/OU=ICE/CN=RECIPIENTS/CN=DVENTURELLA>",
            "David Venturella",
            "",
            "",
        ),
        ("Frye, Ivy J (GOV)", "Ivy J Frye", "", "GOV"),
        ("jroe@state.gov", "", "jroe@state.gov", ""),
        ("JROE@STATE.GOV", "", "jroe@state.gov", ""),
    ],
)
def test_one_address(printed, name, email, organization):
    address = parse_address(printed)
    assert (address.name, address.email, address.organization) == (name, email, organization)
    assert not address.redacted


@pytest.mark.parametrize(
    ("printed", "people"),
    [
        # Outlook's "Last, First M (ORG)" with the comma OCR'd as a semicolon.
        (
            "Fagerstrom; Erika (GOV); Palin; Todd (GOV); Kris Perry",
            ["Erika Fagerstrom", "Todd Palin", "Kris Perry"],
        ),
        (
            "Mills, Cheryl D; Abedin, Huma; Burns, William J; Kennedy, Patrick F; Boswell, Eric J,. "
            "Feltman, Jeffrey D",
            [
                "Cheryl D Mills",
                "Huma Abedin",
                "William J Burns",
                "Patrick F Kennedy",
                "Eric J Boswell",
                "Jeffrey D Feltman",
            ],
        ),
        (
            "'Sarah Palin'; Todd Palin; john_bitney@gov.state.ak.us; Christopher Clark",
            ["Sarah Palin", "Todd Palin", "", "Christopher Clark"],
        ),
        (
            "Mills, Cheryl D <MillsCD@state.gov>, Abedin, Huma <AbedinH@state.gov>",
            ["Cheryl D Mills", "Huma Abedin"],
        ),
        ("Anne Lyons; Colby Cooper", ["Anne Lyons", "Colby Cooper"]),
    ],
)
def test_an_address_list_gives_one_entry_per_person(printed, people):
    assert [a.name for a in parse_address_list(printed)] == people


def test_a_redacted_sender_in_an_email_file_stays_redacted():
    for printed in ('"(b)(6)" <redacted@dc.gov>', "(b)(6) <(b)(6)>", "(b) (6)"):
        assert parse_address(printed).redacted, printed


@pytest.mark.parametrize(
    ("printed", "people"),
    [
        # Palin release, 501.pdf: a list printed "Surname; Given (ORG)", one pair without an org.
        (
            "Clark C Bishop; Jackson; Karleen K (HSS); Hartig; Larry; Kreitzer; Annette (Dept. of "
            "Admin); Andy J Mills",
            [
                ("Clark C Bishop", ""),
                ("Karleen K Jackson", ""),
                ("Larry Hartig", ""),
                ("Annette Kreitzer", ""),
                ("Andy J Mills", ""),
            ],
        ),
        # 456.pdf: a quoted pair.
        (
            "fek9wnr@yahoo.com; Wheeler; Gary R (GOV); 'Cooper; George F (DPS) '",
            [("", "fek9wnr@yahoo.com"), ("Gary R Wheeler", ""), ("George F Cooper", "")],
        ),
        # 510.pdf: bare and bracketed addresses mixed, with OCR's spaces.
        (
            "gov.sarah@yahoo.com, 'Kris Perry' <kris_perry@gov.state. ak.us>,john_bitney@gov.state. "
            "ak.us, karen_rehfeld@gov.state.ak.us",
            [
                ("", "gov.sarah@yahoo.com"),
                ("Kris Perry", "kris_perry@gov.state.ak.us"),
                ("", "john_bitney@gov.state.ak.us"),
                ("", "karen_rehfeld@gov.state.ak.us"),
            ],
        ),
        # 501.pdf: quoted "Last, First (ORG)" names with their addresses.
        (
            '"Rehfeld, Karen J (GOV)" <karen.rehfeld@alaska.gov>,"John W Bitney" <joh '
            "n_bitney@gov. state. ak. us>",
            [
                ("Karen J Rehfeld", "karen.rehfeld@alaska.gov"),
                ("John W Bitney", "john_bitney@gov.state.ak.us"),
            ],
        ),
        # 405.pdf: an address whose local part OCR cut before its underscore.
        (
            "Gary R Wheeler; 'Robert _Cockrell@gov. state. ak.us '",
            [("Gary R Wheeler", ""), ("", "robert_cockrell@gov.state.ak.us")],
        ),
        ("undisclosed-recipients:", []),
        ("Governor Sarah Palin; Todd Palin", [("Sarah Palin", ""), ("Todd Palin", "")]),
        # 482.pdf: "Last, First Middle (ORG)" with two given names, its comma read as ";".
        ("Etheridge; Mary Stewart (GOV)", [("Mary Stewart Etheridge", "")]),
        # 405.pdf, 418.pdf, 480.pdf, 454.pdf: bare addresses OCR spread with spaces.
        (
            "m i ke_n izich@gov.state.ak.us; tom_lo pez@gov.state.ak.us; gov. sarah@yahoo.com",
            [
                ("", "mike_nizich@gov.state.ak.us"),
                ("", "tom_lopez@gov.state.ak.us"),
                ("", "gov.sarah@yahoo.com"),
            ],
        ),
        (
            "George F Cooper; tom_lopez@gov. state. a k. us",
            [("George F Cooper", ""), ("", "tom_lopez@gov.state.ak.us")],
        ),
        # 446.pdf: "@" read as "(a", "(s", "(d", "Ca"; one address past reading is kept as
        # printed but names no one.
        (
            "fek9wnr(syahoo.corh; knaprp(aaol.com; darlabCagci.net; "
            "linda perez(agov.state. ak.us; candyic7rmosguitonet.com",
            [
                ("", "fek9wnr@yahoo.com"),
                ("", "knaprp@aol.com"),
                ("", "darlab@gci.net"),
                ("", "linda_perez@gov.state.ak.us"),
                ("", ""),
            ],
        ),
        # 501.pdf: a wrapped line joined two names without their ";".
        (
            "Emil R Notti; Todd Palin Kristina Y Perry; Roger L Sampson",
            [
                ("Emil R Notti", ""),
                ("Todd Palin", ""),
                ("Kristina Y Perry", ""),
                ("Roger L Sampson", ""),
            ],
        ),
        ("Willow Bianca Faye Palin", [("Willow Bianca Faye Palin", "")]),
    ],
)
def test_lists_from_a_real_release(printed, people):
    assert [(a.name, a.email) for a in parse_address_list(printed)] == people


@pytest.mark.parametrize(
    ("printed", "name", "email", "organization"),
    [
        # 433.pdf: "[mailto" with its bracket read as "L", the address past reading.
        (
            "Melissa M. Stepovich Lmailto: melissa steoovich @,2ov . state . ak.us]",
            "Melissa M. Stepovich",
            "",
            "",
        ),
        (
            "Melissa M . Stepovich <melissa_stepovich@gov.state.ak.us>",
            "Melissa M. Stepovich",
            "melissa_stepovich@gov.state.ak.us",
            "",
        ),
        # A military display name: rank and unit after "Last, First M".
        (
            "Davis, Lynda S CIV USARAK GI Casualty Assistance Center <lynda.davis2@us.army.mil>",
            "Lynda S Davis",
            "lynda.davis2@us.army.mil",
            "CIV USARAK GI Casualty Assistance Center",
        ),
    ],
)
def test_names_as_ocr_and_agencies_print_them(printed, name, email, organization):
    address = parse_address(printed)
    assert (address.name, address.email, address.organization) == (name, email, organization)


@pytest.mark.parametrize(
    "printed",
    [
        "David Venturella/ICE/DHS@DHS, Marc Rapp/ICE/DHS@DHS",
        "David Venturella/ICE/DHS@DHS, Marc Rapp/ICE/I",  # the line's end lost to the scan
    ],
)
def test_a_notes_list_is_one_person_per_name_whatever_its_domains(printed):
    people = parse_address_list(printed)
    assert [(a.name, a.email) for a in people] == [("David Venturella", ""), ("Marc Rapp", "")]
