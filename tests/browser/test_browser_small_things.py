"""A phone's width and small things a reader trips over, in Debian's Chromium: the navigation
is one line or a menu, search facets are folded near the top, the link that turns a passage note
into a thread note can be seen, and the threads sort box shows its choice in full."""

import pytest
from playwright.sync_api import Page, expect

from documents.imports.sample_batch import write_sample_batch
from tests.browser.helpers import log_in
from tests.browser.test_browser_notes import select_text
from tests.conftest import run_import
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def sample(tmp_path, media_root, gazetteer_db):
    write_sample_batch(tmp_path / "release")
    run_import([tmp_path / "release"], name="sample", title="Sample release")


def header_height(page: Page) -> float:
    return page.locator(".site-header").bounding_box()["height"]


def test_on_a_phone_the_navigation_is_a_menu(live_server, page: Page, sample, tmp_path):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/")
    threads = page.locator(".site-nav").get_by_role("link", name="Threads")
    menu = page.get_by_role("button", name="Menu")
    expect(threads).to_be_hidden()
    expect(menu).to_have_attribute("aria-expanded", "false")
    # The title and the menu share one line; the search box takes the next.
    title, button = page.locator(".site-title").bounding_box(), menu.bounding_box()
    assert abs(title["y"] - button["y"]) < title["height"]
    assert header_height(page) < 140
    page.screenshot(path=tmp_path / "home-phone.png")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    threads.click()
    expect(page).to_have_url(f"{live_server.url}/threads/")

    page.set_viewport_size({"width": 1280, "height": 800})
    page.reload()
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.locator(".site-nav").get_by_role("link", name="Threads")).to_be_visible()


def test_on_a_phone_the_search_facets_are_folded_above_the_hits(live_server, page: Page, sample):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/search/?q=county")
    facets = page.locator("details.facets")
    summary = facets.locator("summary")
    first_hit = page.locator(".result").first
    expect(summary).to_be_visible()
    expect(facets.get_by_role("heading", name="Sender")).to_be_hidden()
    assert summary.bounding_box()["y"] < first_hit.bounding_box()["y"]
    assert summary.bounding_box()["y"] < PHONE["height"], "reachable without scrolling"
    summary.click()
    expect(facets.get_by_role("heading", name="Sender")).to_be_visible()

    page.set_viewport_size({"width": 1280, "height": 800})
    page.reload()
    expect(summary).to_be_hidden()
    expect(facets.get_by_role("heading", name="Sender")).to_be_visible()


def test_the_link_back_to_a_whole_thread_note_can_be_seen(live_server, page: Page, settings):
    from tests.factories import make_document, make_thread

    settings.ARCHIVE_PUBLIC = False
    make_user("editor", "Editor")
    thread = make_document(
        thread=make_thread(subject="Santa Clara opt out"),
        body="Santa Clara County wants to opt out of Secure Communities.",
    ).thread
    log_in(page, live_server.url, "editor", f"/threads/{thread.pk}/")
    select_text(page, "wants to opt out")
    page.get_by_role("button", name="Annotate").click()
    back = page.get_by_role("button", name="(note the whole thread instead)")
    expect(back).to_be_visible()
    colour = back.evaluate("b => getComputedStyle(b).color")
    ground = page.locator("#note-composer").evaluate(
        "e => { while (e && getComputedStyle(e).backgroundColor === 'rgba(0, 0, 0, 0)')"
        " e = e.parentElement; return e ? getComputedStyle(e).backgroundColor : 'rgb(255, 255, 255)'; }"
    )
    assert colour != ground, f"{colour} on {ground}"
    back.click()
    expect(page.locator(".note-form__passage")).to_be_hidden()


def test_the_sort_box_shows_its_choice_in_full(live_server, page: Page, sample):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/threads/")
    sort = page.get_by_label("Sort by")
    fits = sort.evaluate(
        """select => {
            const probe = document.createElement('span');
            probe.style.font = getComputedStyle(select).font;
            probe.style.whiteSpace = 'nowrap';
            document.body.appendChild(probe);
            const widest = Math.max(...[...select.options].map(o => {
                probe.textContent = o.text; return probe.getBoundingClientRect().width; }));
            probe.remove();
            return widest + 40 <= select.getBoundingClientRect().width;
        }"""
    )
    assert fits, "every sort choice is shown whole, with room for the arrow"
