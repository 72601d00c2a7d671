"""Notes on threads and passages: anchoring, Markdown made safe, who sees what, editing and
deleting, the thread page, a user's notes, searching notes, the CSV export."""

import csv
import io
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from documents.curation import annotations
from documents.curation.annotations import (
    NoteError,
    add_note,
    delete_note,
    edit_note,
    locate,
    render_note,
)
from documents.models import Annotation, AuditEntry
from tests.factories import make_appearance, make_document, make_file, make_thread, make_user

pytestmark = pytest.mark.django_db

OCR_BODY = (
    "Dave,\n\nSanta Clara County wants to opt out of Secure Communities. The\n"
    "Board voted 3-2 on Tuesday; (b)(6) says the\ncounty counsel will write. I told them opt out "
    "is not an option\nonce the state has signed the MOA.\n\n-- (b)(7)(C)\n"
)


# --- finding a passage again -------------------------------------------------------------


def test_a_quote_is_found_where_it_is():
    start, end = locate(OCR_BODY, "wants to opt out")
    assert OCR_BODY[start:end] == "wants to opt out"


def test_a_quote_printed_twice_is_told_apart_by_its_context():
    second = OCR_BODY.index("opt out is not")
    assert locate(OCR_BODY, "opt out", "I told them ", " is not an") == (second, second + 7)
    first = OCR_BODY.index("opt out of")
    assert locate(OCR_BODY, "opt out", "County wants to ", " of Secure") == (first, first + 7)


def test_a_quote_across_a_line_break_is_found_with_other_spacing():
    # Selected in a browser that joined the lines with a space.
    start, end = locate(OCR_BODY, "says the county counsel")
    assert OCR_BODY[start:end] == "says the\ncounty counsel"


def test_a_quote_no_longer_in_the_text_is_not_found():
    assert locate(OCR_BODY, "opt in willingly") is None
    assert locate(OCR_BODY, "   ") is None


# --- Markdown made safe ------------------------------------------------------------------


class _Elements(HTMLParser):
    """The elements and attributes a browser would build from some HTML."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "![pic](javascript:alert(1))",
        '<a href="https://e.org" onclick="alert(1)">x</a>',
        "<iframe src=https://evil.example></iframe>",
        '[x](https://e.org "t\\" onmouseover=\\"alert(1))',
        "<svg/onload=alert(1)>",
    ],
)
def test_markdown_bodies_never_carry_script(body):
    for tag, attrs in _Elements(render_note(body)).found:
        assert tag in annotations.ALLOWED_TAGS, tag
        assert not any(name.startswith("on") for name in attrs), attrs
        assert not attrs.get("href", "").lower().startswith("javascript"), attrs


def test_markdown_formatting_is_kept():
    html = render_note(
        "# Finding\n\n**Key**: the county *did* ask. See [the MOA](https://www.ice.gov/moa).\n\n- one\n- two"
    )
    assert "<h3>Finding</h3>" in html and "<strong>Key</strong>" in html and "<em>did</em>" in html
    assert (
        '<a href="https://www.ice.gov/moa" rel="nofollow noopener noreferrer">the MOA</a>' in html
    )
    assert "<li>one</li>" in html


# --- who writes and who sees -------------------------------------------------------------


@pytest.fixture
def people(db):
    return {
        "reader": make_user("reader", "Reader"),
        "editor": make_user("editor", "Editor"),
        "other": make_user("other", "Editor"),
        "admin": make_user("admin", "Admin"),
    }


@pytest.fixture
def email(db):
    return make_document(thread=make_thread(subject="Opt out"), body=OCR_BODY)


def test_a_note_on_a_passage_keeps_its_quote_and_context(people, email):
    text = email.body
    start = text.index("opt out is not")
    note = add_note(
        email.thread,
        people["editor"],
        "Policy stated.",
        "shared",
        document=email,
        quote="opt out",
        prefix=text[start - 40 : start],
        suffix=text[start + 7 : start + 50],
    )
    assert (
        note.quote_prefix == text[start - 32 : start]
        and note.quote_suffix == text[start + 7 : start + 39]
    )
    assert AuditEntry.objects.get().action == AuditEntry.Action.NOTE_ADDED


def test_a_passage_must_be_in_the_email_and_the_email_in_the_thread(people, email):
    with pytest.raises(NoteError, match="not in the email"):
        add_note(email.thread, people["editor"], "x", "private", document=email, quote="opt in")
    elsewhere = make_document(thread=make_thread(), body="other")
    with pytest.raises(NoteError, match="not in this thread"):
        add_note(email.thread, people["editor"], "x", "private", document=elsewhere)
    with pytest.raises(NoteError, match="Write something"):
        add_note(email.thread, people["editor"], "  \n", "private")
    assert not Annotation.objects.exists()


def test_readers_keep_private_notes_and_only_editors_share(people, email):
    add_note(email.thread, people["reader"], "For my story.", "private")
    with pytest.raises(NoteError, match="private notes only"):
        add_note(email.thread, people["reader"], "Everyone look.", "shared")


def test_private_notes_are_seen_by_their_author_alone(people, email, client):
    add_note(email.thread, people["reader"], "Reader's own lead.", "private")
    add_note(email.thread, people["editor"], "Shared finding.", "shared")
    url = reverse("thread", args=[email.thread_id])
    for who, sees_private in (("reader", True), ("editor", False), ("admin", False)):
        client.force_login(people[who])
        page = client.get(url).content.decode()
        assert "Shared finding." in page
        assert (
            "Reader&#x27;s own lead." in page or "Reader's own lead." in page
        ) == sees_private, who
    client.logout()
    page = client.get(url).content.decode()  # a public archive's anonymous visitor
    assert "Shared finding." in page and "own lead" not in page


def test_authors_edit_and_delete_their_notes_and_admins_delete_any(people, email):
    note = add_note(email.thread, people["editor"], "First take.", "shared")
    with pytest.raises(NoteError):
        edit_note(note, people["other"], "Hijacked.", "shared")
    with pytest.raises(NoteError):
        edit_note(note, people["admin"], "Moderated.", "shared")
    edit_note(note, people["editor"], "Second take.", "private")
    note.refresh_from_db()
    assert (note.body, note.visibility) == ("Second take.", "private")
    with pytest.raises(NoteError):
        delete_note(note, people["other"])
    delete_note(note, people["admin"])
    assert not Annotation.objects.exists()
    assert [e.action for e in AuditEntry.objects.order_by("at", "pk")] == [
        "note_added",
        "note_edited",
        "note_deleted",
    ]


def test_the_edit_page_changes_a_note(people, email, client):
    note = add_note(email.thread, people["editor"], "Draft.", "private")
    client.force_login(people["editor"])
    form = client.get(reverse("note-edit", args=[note.pk]))
    assert form.status_code == 200 and "Draft." in form.content.decode()
    bad = client.post(reverse("note-edit", args=[note.pk]), {"body": "", "visibility": "private"})
    assert bad.status_code == 400 and "Write something" in bad.content.decode()
    done = client.post(
        reverse("note-edit", args=[note.pk]), {"body": "Final.", "visibility": "shared"}
    )
    assert done.status_code == 302 and done["Location"].endswith(f"#note-{note.pk}")
    note.refresh_from_db()
    assert note.body == "Final."


# --- the thread page ---------------------------------------------------------------------


def test_the_thread_page_shows_notes_beside_their_emails_with_the_passage(people, email, client):
    start = email.body.index("wants to opt out")
    anchored = add_note(
        email.thread,
        people["editor"],
        "**Key** line",
        "shared",
        document=email,
        quote="wants to opt out",
        prefix=email.body[:start],
    )
    add_note(email.thread, people["editor"], "About the whole thread.", "shared")
    page = client.get(reverse("thread", args=[email.thread_id])).content.decode()
    assert (
        f'id="note-{anchored.pk}" data-email="{email.pk}" data-start="{start}" data-end="{start + 16}"'
        in page
    )
    assert "<strong>Key</strong> line" in page
    assert page.index("About the whole thread.") < page.index(f'id="message-{email.pk}"')
    assert page.index(f'id="message-{email.pk}"') < page.index(f'id="note-{anchored.pk}"')


def test_the_email_page_shows_the_notes_on_that_email_alone(people, email, client):
    other = make_document(thread=email.thread, body="Another email.")
    add_note(
        email.thread,
        people["editor"],
        "On the first.",
        "shared",
        document=email,
        quote="wants to opt out",
    )
    add_note(email.thread, people["editor"], "On the other.", "shared", document=other)
    page = client.get(reverse("document", args=[email.pk])).content.decode()
    assert "On the first." in page and "On the other." not in page
    assert 'data-start="' in page  # its passage is marked there too


def test_a_note_whose_passage_is_gone_is_shown_detached(people, email, client):
    note = add_note(
        email.thread,
        people["editor"],
        "Still here.",
        "shared",
        document=email,
        quote="3-2 on Tuesday",
    )
    email.body = email.body.replace("3-2 on Tuesday", "4-1 on Monday")  # a corrected re-import
    email.save()
    page = client.get(reverse("thread", args=[email.thread_id])).content.decode()
    assert f'<article class="annotation annotation--detached" id="note-{note.pk}">' in page
    assert "Detached" in page and "Still here." in page and "3-2 on Tuesday" in page


def test_note_text_is_escaped_on_every_page(people, email, client):
    add_note(
        email.thread,
        people["editor"],
        "<script>alert(1)</script> & <b>bold</b>",
        "shared",
        document=email,
        quote="wants to opt out",
    )
    client.force_login(people["editor"])
    for url in (
        reverse("thread", args=[email.thread_id]),
        reverse("my-notes"),
        reverse("user-notes", args=["editor"]),
    ):
        page = client.get(url).content.decode()
        assert "<script>alert(1)" not in page and "<b>bold</b>" not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url


# --- lists, search and export ------------------------------------------------------------


def test_a_users_notes_page_lists_what_the_viewer_may_read(people, email, client):
    add_note(email.thread, people["editor"], "Shared one.", "shared")
    add_note(email.thread, people["editor"], "Private one.", "private")
    client.force_login(people["reader"])
    theirs = client.get(reverse("user-notes", args=["editor"])).content.decode()
    assert "Shared one." in theirs and "Private one." not in theirs
    client.force_login(people["editor"])
    mine = client.get(reverse("my-notes")).content.decode()
    assert "Shared one." in mine and "Private one." in mine and "2 notes" in mine


def test_search_finds_shared_notes_and_the_readers_own(people, email, client, archive):
    add_note(email.thread, people["editor"], "The sheriffs objected loudly.", "shared")
    add_note(email.thread, people["other"], "Sheriff angle, mine only.", "private")
    client.force_login(people["reader"])
    page = client.get(reverse("search:results"), {"q": "sheriff"}).content.decode()
    assert "Notes that match" in page
    assert "The sheriffs objected loudly." in page and "mine only" not in page
    # Search operators mean nothing to notes; their words still count.
    found = annotations.search_notes("from:venturella sheriff", people["other"])
    assert {note.body for note in found} == {
        "The sheriffs objected loudly.",
        "Sheriff angle, mine only.",
    }


def test_a_word_only_in_notes_lists_the_notes_even_when_no_email_matches(
    people, email, client, archive
):
    add_note(email.thread, people["editor"], "Call the quartermaster about this.", "shared")
    add_note(email.thread, people["other"], "Quartermaster, private.", "private")
    client.force_login(people["reader"])
    response = client.get(reverse("search:results"), {"q": "quartermaster"})
    page = response.content.decode()
    assert response.context["result"].total == 0
    assert "No emails match <strong>quartermaster</strong>, but notes do." in page
    assert "Notes that match" in page and "Call the quartermaster about this." in page
    assert "Quartermaster, private." not in page


def test_notes_export_as_csv_with_citations(people, email, client):
    source = make_file(original_name="ICE FOIA 10-2674 part 3.pdf")
    make_appearance(email, source)
    add_note(
        email.thread,
        people["editor"],
        '=HYPERLINK("http://evil")',
        "shared",
        document=email,
        quote="wants to opt out",
    )
    add_note(email.thread, people["editor"], "On the thread.", "shared")
    response = client.get(reverse("thread-notes-csv", args=[email.thread_id]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["note"] for row in rows] == ["On the thread.", '\'=HYPERLINK("http://evil")']
    cited = rows[1]
    assert cited["quote"] == "wants to opt out" and cited["email_id"] == str(email.pk)
    assert cited["batch"] == source.batch.name and cited["file"] == "ICE FOIA 10-2674 part 3.pdf"
    assert (
        cited["pages"] == "pp. 3-4"
        and cited["bates"] == "ICE2010FOIA2674.0003437-ICE2010FOIA2674.0003438"
    )
    assert cited["url"].endswith(f"/threads/{email.thread_id}/#note-{rows[1]['note_id']}")
    assert rows[0]["email_id"] == "" and rows[0]["bates"] == ""
