"""Searching in Debian's Chromium: type a query, narrow by a facet, open a hit, see it marked."""

import re

import pytest
from playwright.sync_api import Page, expect

from documents.imports.sample_batch import write_sample_batch
from documents.models import Document
from tests.conftest import run_import

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_narrow_open_and_see_the_words_marked(
    live_server, page: Page, tmp_path, media_root, gazetteer_db
):
    write_sample_batch(tmp_path / "release")
    run_import([tmp_path / "release"], name="sample")
    page.goto(live_server.url)

    search = page.get_by_role("searchbox", name="Search the released emails")
    search.fill("county")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=county"))
    count = page.locator(".result-count")
    expect(count).to_contain_text("match")
    total = int(count.inner_text().split()[0])
    expect(page.locator(".result mark").first).to_be_visible()

    # Narrow by the first sender listed: a chip appears and the count drops to the facet's.
    senders = page.locator(".facet", has=page.get_by_role("heading", name="Sender"))
    first = senders.locator("li").first
    name = first.locator("a").inner_text()
    expected = int(first.locator(".facet__count").inner_text())
    first.locator("a").click()
    chip = page.locator(".chip", has_text=name)
    expect(chip).to_be_visible()
    expect(count).to_contain_text(f"{expected} email")
    assert expected < total
    page.screenshot(path=tmp_path / "narrowed.png")

    # Open the first hit: its thread, scrolled to that email, the search's words marked.
    hit = page.locator(".result__subject a").first
    href = hit.get_attribute("href")
    document_id = int(re.search(r"#message-(\d+)", href).group(1))
    hit.click()
    expect(page).to_have_url(re.compile(rf"/threads/\d+/\?q=county#message-{document_id}"))
    message = page.locator(f"#message-{document_id}")
    expect(message).to_be_in_viewport()
    expect(message.locator("mark").first).to_have_text(re.compile("county", re.I))
    assert message.evaluate("e => getComputedStyle(e).borderTopColor") == "rgb(29, 79, 145)"
    expect(page.get_by_role("searchbox")).to_have_value("county")
    page.screenshot(path=tmp_path / "thread.png")

    # Removing the chip brings every hit back.
    page.go_back()
    page.locator(".chip", has_text=name).click()
    expect(count).to_contain_text(f"{total} email")
    assert Document.objects.filter(pk=document_id).exists()
