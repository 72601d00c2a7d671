"""Browsing in Debian's Chromium: the threads list narrows, a timeline bar opens its month, a
thread's quoted text expands and its citations lead to the page, and the people, jurisdiction
and batch pages show what they count. Every page is looked at on a phone's width too."""

import re

import pytest
from playwright.sync_api import Page, expect

from documents.imports.sample_batch import write_sample_batch
from documents.models import Person, Thread
from tests.conftest import run_import

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sample(tmp_path, media_root, gazetteer_db):
    write_sample_batch(tmp_path / "release")
    run_import(
        [tmp_path / "release"],
        name="sample",
        title="Sample release",
        agency="ICE",
        request_number="10-FOIA-2674",
    )


def no_sideways_scroll(page: Page, width: int = 375) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_threads_list_narrows_by_place_and_month(live_server, page: Page, sample, tmp_path):
    page.goto(f"{live_server.url}/threads/")
    count = page.locator(".result-count")
    total = Thread.objects.count()
    expect(count).to_have_text(f"{total} threads")

    # A state first; then its counties and cities are offered.
    place = page.get_by_label("Jurisdiction", exact=True)
    expect(place.locator("option", has_text="Santa Clara County")).to_have_count(0)
    place.select_option("ca")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".chip", has_text="Jurisdiction: California")).to_be_visible()
    place.select_option("ca-county-santa-clara-county")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"place=ca-county-santa-clara-county"))
    expect(page.locator(".chip", has_text="Jurisdiction: Santa Clara County, CA")).to_be_visible()
    about = Thread.objects.filter(jurisdictions__slug="ca-county-santa-clara-county")
    expected = list(about.order_by("-last_sent_at").values_list("subject", flat=True))
    assert 0 < len(expected) < total
    expect(count).to_have_text(f"{len(expected)} thread{'s' if len(expected) > 1 else ''} match")
    expect(page.locator(".thread-row__subject")).to_have_text(expected)

    # A bar of the timeline opens the threads of its month, the place kept.
    bar = page.locator(".timeline__chart a").first
    label = bar.get_attribute("aria-label")
    bar.click()
    expect(page).to_have_url(re.compile(r"month=\d{4}-\d{2}&place=ca-county-santa-clara-county"))
    month = label.split(":")[0]
    expect(page.locator(".chip", has_text=f"Month: {month}")).to_be_visible()
    page.screenshot(path=tmp_path / "threads-narrowed.png", full_page=True)

    page.locator(".chip", has_text="Jurisdiction").click()
    expect(page.locator(".chip", has_text="Jurisdiction")).to_have_count(0)
    page.get_by_role("link", name="Clear all").click()
    expect(count).to_have_text(f"{total} threads")

    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    no_sideways_scroll(page)
    page.screenshot(path=tmp_path / "threads-phone.png", full_page=True)


def test_a_thread_expands_quoted_text_and_cites_its_pages(
    live_server, page: Page, sample, tmp_path, context
):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    thread = Thread.objects.get(subject__startswith="Santa Clara County request")
    page.goto(f"{live_server.url}/threads/{thread.pk}/")

    quoted = page.locator("details.quoted").first
    body = quoted.locator(".email-body--quoted")
    expect(body).to_be_hidden()
    quoted.locator("summary").click()
    expect(body).to_be_visible()
    expect(page.locator(".redaction-code").first).to_have_text(re.compile(r"\(b\)\(\d\)"))

    citation = page.locator(".citations li").first
    place = citation.locator("cite").inner_text()
    citation.get_by_role("button", name="Copy citation").click()
    expect(citation.get_by_role("button", name="Copied")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert (
        copied.startswith("Email from ")
        and "ICE, FOIA request 10-FOIA-2674, “Sample release”" in copied
    )
    assert place.split(", ", 1)[1] in copied  # the file, pages and Bates number
    assert re.search(rf"{live_server.url}/emails/\d+/$", copied)
    assert re.search(
        r"/files/\d+/original#page=1$",
        citation.get_by_role("link", name="Original PDF").get_attribute("href"),
    )

    citation.get_by_role("link", name="Page text").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Page 1 of \d+"))
    expect(page.locator(".meta").first).to_contain_text("Bates ICE2010FOIA2674")
    expect(page.locator(".page-text")).to_contain_text("Santa Clara")
    page.go_back()

    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    no_sideways_scroll(page)
    page.screenshot(path=tmp_path / "thread-phone.png", full_page=True)


def test_copy_citation_works_without_the_clipboard_api_as_over_plain_http(
    live_server, page: Page, sample, context
):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.add_init_script(
        "Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined})"
    )
    thread = Thread.objects.get(subject__startswith="Santa Clara County request")
    page.goto(f"{live_server.url}/threads/{thread.pk}/")
    assert page.evaluate("navigator.clipboard") is None
    button = page.get_by_role("button", name="Copy citation").first
    expected = button.get_attribute("data-copy")
    button.click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    reader = context.new_page()  # a page where the clipboard API is there, to read it back
    reader.goto(f"{live_server.url}/search/help/")
    assert reader.evaluate("navigator.clipboard.readText()") == expected


def test_keyboard_reaches_the_filters_and_shows_where_it_is(live_server, page: Page, sample):
    page.goto(f"{live_server.url}/threads/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_start":
            break
    focused = page.locator("#id_start")
    expect(focused).to_be_focused()
    assert focused.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"


def test_people_jurisdiction_and_batch_pages(live_server, page: Page, sample, tmp_path):
    page.goto(f"{live_server.url}/people/")
    page.get_by_label("Name, address or spelling as printed").fill("Venturella")
    page.get_by_role("button", name="Find").click()
    expect(page.locator(".result-count")).to_have_text("1 person matching “Venturella”")
    page.get_by_role("link", name="David Venturella").click()
    venturella = Person.objects.get(name="David Venturella")
    expect(page).to_have_url(re.compile(rf"/people/{venturella.pk}/$"))
    expect(page.locator(".timeline__chart rect.timeline__bar").first).to_be_visible()
    expect(page.get_by_role("heading", name="Heard from most")).to_be_visible()
    page.screenshot(path=tmp_path / "person.png", full_page=True)

    page.get_by_role("link", name="Places").click()
    page.get_by_role("link", name="Santa Clara County").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Santa Clara County, CA")
    expect(page.get_by_role("heading", name="Wrote about it most")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^\d+ threads?$")).click()
    expect(page.locator(".chip", has_text="Jurisdiction: Santa Clara County, CA")).to_be_visible()

    page.get_by_role("link", name="Batches").click()
    page.get_by_role("link", name="sample").first.click()
    expect(page.get_by_role("heading", name="Import report")).to_be_visible()
    expect(page.locator(".directory tbody tr")).to_have_count(5)
    page.screenshot(path=tmp_path / "batch.png", full_page=True)

    for path in (
        "/",
        "/people/",
        f"/people/{venturella.pk}/",
        "/jurisdictions/",
        "/jurisdictions/ca/",
        "/batches/",
        "/batches/sample/",
    ):
        page.set_viewport_size({"width": 375, "height": 800})
        page.goto(f"{live_server.url}{path}")
        no_sideways_scroll(page)
