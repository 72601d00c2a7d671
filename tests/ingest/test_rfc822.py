"""Messages are read with the standard library, each distinct header parsed once and handed out
again: on the corpus's real and malformed messages, read one after another as a mailbox's are,
every email read equals what a plain ``email.policy.default`` parser gives."""

import mailbox
from email import policy
from email.parser import BytesParser

import pytest

from documents.ingest import rfc822
from tests.conftest import CORPUS

pytestmark = pytest.mark.skipif(
    not CORPUS.is_dir(), reason="../shared/corpus is not beside the checkout"
)


def corpus_messages() -> list[bytes]:
    """Every message of the corpus: .eml files, RFC-822 test files and each of an mbox's."""
    found = []
    for path in sorted([*(CORPUS / "rfc822").rglob("*"), *(CORPUS / "dc-bega-emails").rglob("*")]):
        if not path.is_file() or path.suffix.lower() in (".md", ".pdf", ".py", ".json"):
            continue
        if path.suffix == ".mbox":
            box = mailbox.mbox(path, create=False)
            found += [box.get_bytes(key) for key in box.iterkeys()]
        else:
            found.append(path.read_bytes())
    return found


def read_with(parser: BytesParser, data: bytes):
    try:
        message = parser.parsebytes(rfc822.repair_header_folding(data))
        return rfc822.email_from_message(message, "America/New_York")
    except Exception as error:  # the same error either way
        return f"{type(error).__name__}: {error}"


def test_headers_parsed_once_read_what_the_standard_library_reads():
    messages = corpus_messages()
    assert len(messages) > 400
    ours = [read_with(rfc822._PARSER, data) for data in messages]
    plain = BytesParser(policy=policy.default)
    for number, (data, read) in enumerate(zip(messages, ours, strict=True)):
        assert read == read_with(plain, data), f"message {number}: {data[:300]!r}"
