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
