"""One set of figures: the command-line summary, the batch report, /batches/, the home page and
the list of files needing attention count the same files and emails the same way."""

import re
import shutil

import pytest
from django.core.management import call_command
from django.urls import reverse
from reportlab.pdfgen import canvas

from documents.imports.sample_batch import write_sample_batch
from documents.models import Batch, Document, SourceFile, Thread
from tests.html import tiles

# The command reads each file in a child process, whose writes are committed.
pytestmark = pytest.mark.django_db(transaction=True)


def write_scan(path) -> None:
    """An image-only PDF: two pages with no text layer, as a scanner makes them."""
    drawing = canvas.Canvas(str(path))
    for _ in range(2):
        drawing.rect(72, 400, 300, 200, fill=1)
        drawing.showPage()
    drawing.save()


@pytest.fixture
def imported(tmp_path, media_root, gazetteer_db, capsys):
    """The sample release plus a file that is not an email, a scan, and a copy of a file under
    another name, imported on the command line; its summary."""
    release = tmp_path / "release"
    write_sample_batch(release)
    (release / "notes.txt").write_text("Not an email, whatever its name says.")
    write_scan(release / "scanned.pdf")
    shutil.copy(release / "web-original.eml", release / "web-copy.eml")
    with pytest.raises(SystemExit):
        call_command("import_batch", str(release), "--name", "ice-part1", "--title", "ICE part 1")
    return capsys.readouterr().out


def summary_figure(summary: str, label: str) -> int:
    return int(re.search(rf"^  {re.escape(label)}: ([\d,]+)", summary, re.M)[1].replace(",", ""))


def test_every_page_and_the_command_line_agree(imported, client):
    batch = Batch.objects.get(name="ice-part1")
    emails = Document.objects.filter(appearances__source_file__batch=batch).distinct().count()
    threads = Thread.objects.filter(documents__appearances__source_file__batch=batch).distinct()
    assert summary_figure(imported, "files") == 8
    assert (
        summary_figure(imported, "files needing attention (failed, encrypted or needing OCR)") == 2
    )
    assert summary_figure(imported, "emails") == emails
    assert f"emails: {emails} in {threads.count()} threads" in imported
    warnings = summary_figure(imported, "warnings")
    assert warnings > 0

    report = client.get(reverse("batch", args=[batch.name])).content.decode()
    assert tiles(report) | {"Pages withheld in full": "-"} == {
        "Files": "8",
        "Pages": str(batch.page_count),
        "Emails": str(emails),
        "Files needing attention": "2",
        "Pages needing OCR": "2",
        "Pages withheld in full": "-",
        "Warnings": str(warnings),
    }

    listing = client.get(reverse("batches")).content.decode()
    row = re.search(r"<tr>.*?ice-part1.*?</tr>", listing, re.S)[0]
    assert [
        re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r'<td class="num">(.*?)</td>', row)
    ] == [
        "8",
        str(batch.page_count),
        str(emails),
    ]
    assert "2 files need attention" in row

    home = client.get(reverse("home")).content.decode()
    assert tiles(home)["Emails"] == str(emails)
    link = re.search(r'<a href="([^"]+)">2 files could not be imported</a>', home)
    assert link and link[1] == reverse("files-attention")
    attention = client.get(link[1]).content.decode()
    assert "notes.txt" in attention and "scanned.pdf" in attention
    assert attention.count("<tr>") == 1 + 2  # the heading row and the two files


def test_warnings_are_said_and_listed_by_file_on_the_command_line_and_the_report(imported, client):
    assert "warnings: " in imported and "(what could not be read in full" in imported
    listed = imported.split("Warnings by file:\n", 1)[1]
    assert re.search(r"^  SF-production-webmail\.pdf:\n    \S.*\(1 email, p\. 1\)$", listed, re.M)
    batch = Batch.objects.get(name="ice-part1")
    report = client.get(reverse("batch", args=[batch.name])).content.decode()
    warnings = report.split('id="warnings-heading"', 1)[1]
    source = SourceFile.objects.get(batch=batch, original_name="SF-production-webmail.pdf")
    document = source.warnings[0]["document"]
    assert (
        f'href="{reverse("source-original", args=[source.pk])}">SF-production-webmail.pdf</a>'
        in warnings
    )
    assert f'<a href="{reverse("document", args=[document])}">p. 1</a>' in warnings


def test_a_duplicate_names_the_file_it_repeats_and_its_batch_with_links(imported, client, tmp_path):
    call_command(
        "import_batch", str(tmp_path / "release" / "la-county.mbox"), "--name", "ice-part2"
    )
    original = SourceFile.objects.get(batch__name="ice-part1", original_name="la-county.mbox")
    elsewhere = client.get(reverse("batch", args=["ice-part2"])).content.decode()
    assert (
        f'Duplicate of <a href="/batches/ice-part1/#file-{original.pk}">la-county.mbox</a> in batch '
        '<a href="/batches/ice-part1/">ICE part 1</a>'
    ) in elsewhere
    here = client.get(reverse("batch", args=["ice-part1"])).content.decode()
    copy = SourceFile.objects.get(batch__name="ice-part1", status=SourceFile.Status.DUPLICATE)
    first = copy.duplicate_of
    assert {copy.original_name, first.original_name} == {"web-original.eml", "web-copy.eml"}
    assert (
        f'Duplicate of <a href="/batches/ice-part1/#file-{first.pk}">{first.original_name}</a> '
        "in this batch"
    ) in here
    assert f'id="file-{first.pk}"' in here
