"""Working together in Debian's Chromium: an editor tags a thread inline and annotates a
passage; a reader sees the shared note on its passage and cannot tag; script posted as a note
or a tag never runs."""

import pytest
from playwright.sync_api import Page, expect

from documents.curation.tagging import add_tags
from tests.browser.helpers import log_in
from tests.factories import make_document, make_thread, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BODY = (
    "Dave,\n\nSanta Clara County wants to opt out of Secure Communities. The Board voted\n"
    "3-2 on Tuesday; county counsel (b)(6) will write to you.\n"
)


@pytest.fixture
def thread(settings):
    settings.ARCHIVE_PUBLIC = False
    editor = make_user("editor", "Editor")
    make_user("reader", "Reader")
    add_tags(make_document(thread=make_thread(subject="Other")).thread, "opt-out fight", editor)
    return make_document(
        thread=make_thread(subject="Santa Clara opt out"), subject="Santa Clara opt out", body=BODY
    ).thread


def select_text(page: Page, words: str) -> None:
    """Select ``words`` in the first email's text as a mouse would, and let go of the button."""
    page.evaluate(
        """words => {
            const body = document.querySelector('.email > .email-body');
            const node = body.firstChild, at = node.data.indexOf(words);
            const range = document.createRange();
            range.setStart(node, at); range.setEnd(node, at + words.length);
            const selection = window.getSelection();
            selection.removeAllRanges(); selection.addRange(range);
            body.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
        }""",
        words,
    )


def test_an_editor_tags_and_annotates_and_a_reader_sees_the_note_but_cannot_tag(
    live_server, page: Page, thread, tmp_path
):
    url = f"/threads/{thread.pk}/"
    log_in(page, live_server.url, "editor", url)
    page.evaluate("window.stillHere = true")  # gone if the page reloads

    tag_input = page.get_by_label("Add tags, separated by commas")
    tag_input.fill("opt")
    expect(page.locator('#tag-suggestions option[value="opt-out fight"]')).to_have_count(1)
    tag_input.fill("opt-out fight, sheriff")
    page.get_by_role("button", name="Add", exact=True).click()
    tags = page.locator("#thread-tags a.tag")
    expect(tags).to_have_text(["opt-out fight", "sheriff"])
    assert page.evaluate("window.stillHere") is True  # swapped in by htmx, no reload
    page.get_by_role("button", name="Remove tag sheriff").click()
    expect(tags).to_have_text(["opt-out fight"])

    select_text(page, "wants to opt out")
    page.get_by_role("button", name="Annotate").click()
    composer = page.locator("#note-composer")
    expect(composer.locator(".note-form__passage q")).to_have_text("wants to opt out")
    composer.get_by_label("Note").fill("The county **asks** to leave the program.")
    composer.get_by_label("Everyone who can read the archive").check()
    composer.get_by_role("button", name="Save note").click()

    note = page.locator("article.annotation")
    expect(note.locator(".annotation__body strong")).to_have_text("asks")
    expect(note.locator(".badge--shared")).to_have_text("Shared")
    expect(page.locator(".email-body mark.note-mark")).to_have_text("wants to opt out")
    page.screenshot(path=tmp_path / "thread-with-note.png", full_page=True)

    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server.url, "reader", url)
    expect(page.locator(".annotation__body")).to_contain_text(
        "The county asks to leave the program."
    )
    expect(page.locator(".email-body mark.note-mark")).to_have_text("wants to opt out")
    expect(page.locator("#thread-tags a.tag")).to_have_text(["opt-out fight"])
    expect(page.locator('input[name="tags"]')).to_have_count(0)
    expect(page.get_by_role("button", name="Remove tag opt-out fight")).to_have_count(0)
    # Posting the form by hand is refused by the server too.
    status = page.evaluate(
        """async url => {
            const token = JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken'];
            const response = await fetch(url, {method: 'POST', headers: {'X-CSRFToken': token},
                body: new URLSearchParams({tags: 'mine'})});
            return response.status;
        }""",
        f"{url}tags/",
    )
    assert status == 403
    # A reader may still keep a private note, and cannot share one.
    page.get_by_text("Add a note").click()
    expect(page.get_by_label("Everyone who can read the archive")).to_have_count(0)
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=tmp_path / "thread-reader-phone.png", full_page=True)


def test_script_in_notes_and_tags_never_runs(live_server, page: Page, thread):
    ran = []
    page.on("dialog", lambda dialog: (ran.append(dialog.message), dialog.dismiss()))
    url = f"/threads/{thread.pk}/"
    log_in(page, live_server.url, "editor", url)
    attack = '<img src=x onerror="window.pwned=1;alert(1)"><script>window.pwned=1;alert(2)</script>'
    page.get_by_label("Add tags, separated by commas").fill(attack)
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("#thread-tags a.tag").last).to_have_text(attack)
    page.get_by_text("Add a note").click()
    page.locator("#note-body").fill(
        attack
        + '\n\n[click me](javascript:window.pwned=1) <a href="#" onclick="window.pwned=1">x</a>'
    )
    page.get_by_role("button", name="Save note").click()
    expect(page.locator(".annotation__body")).to_contain_text(
        "<script>window.pwned=1;alert(2)</script>"
    )
    page.reload()
    page.get_by_text("click me").click()
    page.goto(f"{live_server.url}/notes/")
    page.goto(f"{live_server.url}/tags/")
    page.goto(f"{live_server.url}{url}")
    assert page.evaluate("window.pwned") is None
    assert (
        page.locator(
            ".annotation__body img, .annotation__body script, #thread-tags img, #thread-tags script"
        ).count()
        == 0
    )
    assert ran == []
