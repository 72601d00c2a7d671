"""Nothing given to an import is silently dropped: a damaged header loses the header, not the
file; each empty file, each copy of a broken file, each link and each over-long name is reported
under its own name; a failure's reason is short and readable."""

import pytest
from django.urls import reverse

from documents.ingest.reasons import REASON_CHARS, readable_reason
from documents.ingest.rfc822 import parse_eml
from documents.models import Document, SourceFile
from tests.conftest import run_import

pytestmark = pytest.mark.django_db

EML = """From: David Venturella <david.venturella@ice.dhs.gov>
To: Miguel Marquez <miguel.marquez@cco.sccgov.org>
Subject: Status of the opt out request
Date: Tue, 4 May 2010 16:30:00 -0700
Message-ID: {message_id}

Counties cannot opt out of information sharing.
"""


def batch_page(client, name="test-batch") -> str:
    return client.get(reverse("batch", args=[name])).content.decode()


def test_a_damaged_message_id_loses_the_header_not_the_email():
    parsed = parse_eml(EML.format(message_id="<<bad id>>").encode(), "America/Los_Angeles")
    (email,) = parsed.items
    assert parsed.status == "imported"
    assert email.message_id == ""
    assert email.subject == "Status of the opt out request"
    assert email.sender.email == "david.venturella@ice.dhs.gov"
    assert "Counties cannot opt out" in email.body
    assert any("Message-ID header damaged" in warning for warning in email.warnings)


def test_an_eml_with_a_damaged_message_id_is_imported_with_a_warning(
    tmp_path, media_root, gazetteer_db, client
):
    path = tmp_path / "bad-id.eml"
    path.write_text(EML.format(message_id="<<bad id>>"))
    (outcome,) = run_import([path]).files
    assert outcome.status == "imported" and outcome.new_emails == 1
    assert Document.objects.get().message_id == ""
    source = SourceFile.objects.get()
    assert [w["text"] for w in source.warnings if "Message-ID" in w["text"]]
    assert "Message-ID header damaged and left out; as printed: &lt;&lt;bad id&gt;&gt;" in (
        batch_page(client)
    )


def test_each_of_three_empty_files_is_reported(tmp_path, media_root, gazetteer_db, client):
    names = ["a.pdf", "b.eml", "c.mbox"]
    for name in names:
        (tmp_path / name).write_bytes(b"")
    report = run_import([tmp_path])
    assert [(o.name, o.status) for o in report.files] == [(n, "failed") for n in names]
    assert all("empty (0 bytes)" in o.reason for o in report.files)
    assert sorted(SourceFile.objects.values_list("original_name", "status")) == [
        (n, "failed") for n in names
    ]
    page = batch_page(client)
    assert all(name in page for name in names)


def test_two_copies_of_a_broken_file_are_both_reported(tmp_path, media_root, gazetteer_db):
    for name in ("first.txt", "second.txt"):
        (tmp_path / name).write_text("Not an email, whatever its name says.")
    report = run_import([tmp_path])
    assert [(o.name, o.status) for o in report.files] == [
        ("first.txt", "failed"),
        ("second.txt", "duplicate"),
    ]
    assert "which failed: not a PDF, .eml or mbox file" in report.files[1].reason
    files = dict(SourceFile.objects.values_list("original_name", "status"))
    assert files == {"first.txt": "failed", "second.txt": "duplicate"}


def test_a_link_in_a_release_folder_is_reported_not_followed(
    tmp_path, media_root, gazetteer_db, client
):
    outside = tmp_path / "outside.eml"
    outside.write_text(EML.format(message_id="<a1@ice.dhs.gov>"))
    release = tmp_path / "release"
    release.mkdir()
    (release / "linked.eml").symlink_to(outside)
    (release / "dangling.eml").symlink_to(tmp_path / "nowhere.eml")
    report = run_import([release])
    assert {o.name: o.status for o in report.files} == {
        "dangling.eml": "failed",
        "linked.eml": "failed",
    }
    assert all("symbolic link, not followed" in o.reason for o in report.files)
    assert not Document.objects.exists()
    assert "symbolic link, not followed" in batch_page(client)


def test_a_name_too_long_for_its_column_is_cut_with_a_warning(tmp_path, media_root, gazetteer_db):
    folder = tmp_path / "release"
    paths = []
    for middle in ("a", "b"):  # two names alike but in the middle
        deep = folder / ("x" * 200) / (middle * 200) / ("y" * 200)
        deep.mkdir(parents=True)
        path = deep / "opt-out.eml"
        path.write_text(EML.format(message_id=f"<{middle}@ice.dhs.gov>"))
        paths.append(path)
    report = run_import([folder])
    assert [o.status for o in report.files] == ["imported", "imported"]
    files = list(SourceFile.objects.order_by("pk"))
    limit = SourceFile._meta.get_field("original_name").max_length
    assert len(files) == 2 and files[0].original_name != files[1].original_name
    for source, outcome in zip(files, report.files, strict=True):
        assert len(source.original_name) <= limit
        assert source.original_name.startswith("x" * 100)
        assert source.original_name.endswith("/opt-out.eml")
        (warning,) = [w["text"] for w in source.warnings if "its name is" in w["text"]]
        assert outcome.name in warning  # the whole name is kept in the warning


def test_a_failure_reason_is_short_and_readable(
    tmp_path, media_root, gazetteer_db, client, monkeypatch
):
    catalog = {f"/Obj{n}": [n, 0, "R", b"\x00\xff" * 20] for n in range(500)}

    def broken_pdf(*args, **kwargs):
        raise ValueError(f"Invalid dictionary construct: {catalog} at b'%PDF\\x00\\x01'\x00\x1b")

    monkeypatch.setattr("documents.ingest.parse_pdf", broken_pdf)
    path = tmp_path / "production.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\n%%EOF\n")
    (outcome,) = run_import([path]).files
    reason = SourceFile.objects.get().error
    assert outcome.status == "failed" and outcome.reason == reason
    assert reason == "cannot be read: ValueError: Invalid dictionary construct: {…} at (bytes)"
    assert reason in batch_page(client)


def test_readable_reasons_keep_short_values_and_cut_long_text():
    assert readable_reason("bad xref [1, 2]\n\tat offset {7: 1}") == (
        "bad xref [1, 2] at offset {7: 1}"
    )
    assert readable_reason("<</Type /Catalog /Pages 2 0 R /Outlines 3 0 R /Names 9 0 R>> bad") == (
        "<<…>> bad"
    )
    long = readable_reason("word " * 500)
    assert len(long) == REASON_CHARS and long.endswith("…")
