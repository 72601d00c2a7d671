"""Page text from PDFs: glyph residue never reaches a field."""

import pytest

from documents.ingest.pdf_text import extract_pages, readable
from documents.ingest.subjects import normalize_subject
from tests.conftest import CORPUS
from tests.printed import read_pages


@pytest.mark.parametrize(
    ("printed", "read"),
    [
        ("(cid:9) Fw: County update", " Fw: County update"),
        ("Venturella,(cid:32)David", "Venturella, David"),
        ("(cid:149)(cid:3)Secure Communities", "• Secure Communities"),
        ("Opt(cid:160)out", "Opt out"),
        ("acti(cid:415)on", "action"),  # a ligature glyph of a subset font: dropped, not garbage
        ("ﬁnal ﬂow", "final flow"),
    ],
)
def test_glyph_residue_is_mapped_or_dropped(printed, read):
    assert readable(printed) == read


def test_residue_never_reaches_sender_subject_or_body():
    (email,) = read_pages(
        "From: (cid:9)Venturella, David\n"
        "Sent: Monday, May 17, 2010 2:14 PM\n"
        "To: Rapp,(cid:32)Marc\n"
        "Subject: (cid:9) Fw: County update\n"
        "(cid:149) Santa Clara asked to opt out(cid:2)."
    )
    assert email.sender.name == "David Venturella"
    assert email.to[0].name == "Marc Rapp"
    assert email.subject == "Fw: County update"
    assert normalize_subject(email.subject) == "county update"
    assert "(cid:" not in email.body and email.body.startswith("• Santa Clara")


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the checkout")
def test_a_pdf_whose_fonts_lack_a_unicode_map_gives_clean_text():
    path = CORPUS / "bad-pdfs/pdfminer-samples/issue-1061-colour-space-stack.pdf"
    text = "\n".join(line for page in extract_pages(path) for line in page.lines)
    assert text and "(cid:" not in text
