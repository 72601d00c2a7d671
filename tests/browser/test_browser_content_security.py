"""The Content-Security-Policy in Debian's Chromium: every page carries it, nothing on them
breaks it (no inline script or style element; htmx swaps still work), and an injected inline
script would not run."""

import pytest
from playwright.sync_api import Page, expect

from documents.imports.sample_batch import write_sample_batch
from documents.models import Thread
from tests.browser.helpers import log_in
from tests.conftest import run_import
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sample(tmp_path, media_root, gazetteer_db, settings):
    settings.ARCHIVE_PUBLIC = False
    make_user("chief", "Admin", is_staff=True)
    write_sample_batch(tmp_path / "release")
    run_import([tmp_path / "release"], name="sample", title="Sample release")


def watch_violations(page: Page) -> list[str]:
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return refused


def test_pages_and_htmx_work_under_the_policy(live_server, page: Page, sample):
    refused = watch_violations(page)
    base = live_server.url
    log_in(page, base, "chief", "/threads/")
    thread = Thread.objects.order_by("pk").first()
    person = thread.documents.exclude(sender=None).first().sender
    for path in [
        "/",
        "/threads/",
        f"/threads/{thread.pk}/",
        "/search/?q=county",
        f"/people/{person.pk}/",
        "/batches/",
        "/batches/new/",
        "/batches/sample/import/",
        "/admin/",
        "/admin/auth/user/",
        "/no-such-page/",
    ]:
        response = page.goto(f"{base}{path}")
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy, path
    # The home page's timeline keeps its computed positions (style="" attributes).
    page.goto(f"{base}/")
    year = page.locator(".timeline__years span").first
    assert year.evaluate("element => element.style.left || element.style.right")
    # htmx still swaps: tags are added in place, without a reload.
    page.goto(f"{base}/threads/{thread.pk}/")
    page.evaluate("window.stillHere = true")
    page.get_by_label("Add tags, separated by commas").fill("sheriff")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("#thread-tags a.tag")).to_have_text(["sheriff"])
    assert page.evaluate("window.stillHere") is True
    assert refused == []


def test_an_injected_inline_script_does_not_run(live_server, page: Page, sample):
    refused = watch_violations(page)
    log_in(page, live_server.url, "chief", "/threads/")
    page.evaluate(
        """() => {
            const script = document.createElement('script');
            script.textContent = 'window.injected = true';
            document.body.appendChild(script);
        }"""
    )
    assert page.evaluate("window.injected === undefined")
    assert any("script-src" in text for text in refused)
