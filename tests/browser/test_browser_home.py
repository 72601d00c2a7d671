"""The home page in Debian's Chromium, as a visitor sees it."""

import re

import pytest
from playwright.sync_api import Page, expect

from search._index import ensure_index
from tests.factories import make_batch, make_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_shows_counts_navigation_and_a_working_search_box(
    live_server, page: Page, tmp_path, search_index_dir
):
    ensure_index()
    make_batch(title="ICE Secure Communities release, part 1", agency="ICE")
    make_document()
    page.goto(live_server.url)

    expect(page).to_have_title("FOIA Email Archive")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Released government emails")
    navigation = page.get_by_role("navigation", name="Main")
    expect(navigation.get_by_role("link", name="Home")).to_have_attribute("aria-current", "page")
    expect(page.locator(".count", has_text="Emails").locator("dd")).to_have_text("1")
    expect(page.locator(".count", has_text="Batches").locator("dd")).to_have_text("1")
    expect(page.get_by_text("ICE Secure Communities release, part 1")).to_be_visible()
    expect(page.get_by_role("contentinfo")).to_contain_text("Freedom of Information Act")
    # The stylesheet is served and applied: the header is dark, the counts sit in a grid.
    assert (
        page.locator(".site-header").evaluate("e => getComputedStyle(e).backgroundColor")
        == "rgb(29, 36, 51)"
    )
    assert page.locator(".counts").evaluate("e => getComputedStyle(e).display") == "grid"
    page.screenshot(path=tmp_path / "home.png", full_page=True)

    page.set_viewport_size({"width": 375, "height": 800})
    search = page.get_by_role("searchbox", name="Search the released emails")
    expect(search).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, (
        "no sideways scrolling on a phone"
    )

    search.fill('"opt out"')
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=%22opt\+out%22"))
    expect(page.get_by_role("searchbox")).to_have_value('"opt out"')
    expect(page.get_by_text("No emails match")).to_be_visible()
    page.screenshot(path=tmp_path / "search-phone.png", full_page=True)
