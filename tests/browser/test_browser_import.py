"""Importing in Debian's Chromium: an admin describes a batch, uploads its ZIP, and watches the
progress page (polled by htmx, with a real task worker in its own process) reach the report."""

import os
import signal
import zipfile

import pytest
from playwright.sync_api import Page, expect

from documents.imports.sample_batch import write_generated_production, write_sample_batch
from documents.models import Batch
from tests.browser.helpers import log_in
from tests.conftest import start_worker, worker_environment
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(media_root, gazetteer_db):
    process = start_worker(worker_environment())
    yield process
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def test_an_admin_uploads_a_batch_and_watches_it_reach_the_report(
    live_server, page: Page, tmp_path, settings, worker
):
    settings.ARCHIVE_PUBLIC = False
    make_user("importer", "Admin", is_staff=True)
    release = tmp_path / "release"
    write_sample_batch(release)
    write_generated_production(release / "production-long.pdf", 250)  # some seconds of reading
    archive = tmp_path / "ice-2010-part1.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        for path in sorted(release.iterdir()):
            handle.write(path, f"part1/{path.name}")

    log_in(page, live_server.url, "importer", "/batches/")
    page.get_by_role("link", name="Import a new batch").click()
    page.get_by_label("Name").fill("ice-2010-part1")
    page.get_by_label("Title").fill("ICE Secure Communities, part 1")
    page.get_by_label("Agency").fill("U.S. Immigration and Customs Enforcement")
    page.get_by_label("Release date").fill("2011-04-25")
    page.get_by_label("Files").set_input_files(str(archive))
    page.screenshot(path=tmp_path / "new-batch.png", full_page=True)
    page.get_by_role("button", name="Store the files and import").click()

    expect(page).to_have_url(f"{live_server.url}/batches/ice-2010-part1/import/")
    status = page.locator("#import-status")
    expect(status.get_by_text("Importing")).to_be_visible(timeout=30_000)  # the worker took it
    expect(status).to_contain_text("Reading ice-2010-part1.zip/part1/production-long.pdf")
    page.screenshot(path=tmp_path / "import-running.png", full_page=True)
    expect(status.get_by_text("Finished")).to_be_visible(timeout=90_000)
    expect(status.get_by_role("heading", name="Import report")).to_be_visible()
    expect(status).to_contain_text("6 of 6")
    expect(
        status.get_by_role("row", name="ice-2010-part1.zip/part1/production-long.pdf")
    ).to_be_visible()
    page.screenshot(path=tmp_path / "import-finished.png", full_page=True)
    batch = Batch.objects.get(name="ice-2010-part1")
    assert batch.email_count > 250 and batch.agency == "U.S. Immigration and Customs Enforcement"
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_an_admin_runs_ocr_on_the_scans_a_batch_could_not_read(
    live_server, page: Page, tmp_path, settings, media_root, gazetteer_db
):
    """A scan uploaded while the worker had no Tesseract waits as "needs OCR"; once the worker
    has it, the batch page's Run OCR button reads it, the progress counts the OCR'd page, and
    its email is in the archive."""
    from tests.ingest.test_ocr import printed_email, scanned

    settings.ARCHIVE_PUBLIC = False
    make_user("importer", "Admin", is_staff=True)
    printed_email(tmp_path / "printed.pdf")
    scan = scanned(tmp_path / "printed.pdf", tmp_path / "scan.pdf")
    blind = start_worker(worker_environment() | {"PATH": str(tmp_path)})  # no tesseract
    try:
        log_in(page, live_server.url, "importer", "/batches/new/")
        page.get_by_label("Name").fill("scans")
        page.get_by_label("Files").set_input_files(str(scan))
        page.get_by_role("button", name="Store the files and import").click()
        status = page.locator("#import-status")
        expect(status.get_by_text("Finished")).to_be_visible(timeout=60_000)
    finally:
        os.killpg(blind.pid, signal.SIGTERM)
        blind.wait(timeout=30)
    expect(status).to_contain_text("needs OCR")
    seeing = start_worker(worker_environment())
    try:
        page.get_by_role("button", name="Run OCR on the 1 file that needs it").click()
        status = page.locator("#import-status")
        expect(status.get_by_text("Finished")).to_be_visible(timeout=60_000)
        expect(status.locator(".count", has_text="Pages OCR'd")).to_contain_text("1")
        page.screenshot(path=tmp_path / "ocr-finished.png", full_page=True)
    finally:
        os.killpg(seeing.pid, signal.SIGTERM)
        seeing.wait(timeout=30)
    assert Batch.objects.get(name="scans").email_count == 1
