"""What editors type never breaks a page: a NUL character (PostgreSQL refuses it in text) in a
note, a tag, a spelling or a repair's reason gets a readable form error, not an error page; a
tag removed twice is removed once."""

import pytest
from django.urls import reverse

from documents.curation.annotations import add_note
from documents.curation.tagging import add_tags, remove_tag
from documents.models import Annotation, AuditEntry, Jurisdiction, PersonAlias, ThreadChange
from tests.factories import make_document, make_person, make_thread, make_user

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
NUL_ERROR = "cannot hold the NUL character"


@pytest.fixture
def editor(db):
    return make_user("editor", "Editor")


@pytest.fixture
def thread(db):
    return make_document(thread=make_thread(subject="Santa Clara opt out")).thread


def test_removing_a_tag_already_gone_changes_nothing(client, editor, thread):
    add_tags(thread, "opt-out, sheriff", editor)
    slug = thread.tags.get(name="sheriff").slug
    client.force_login(editor)
    url = reverse("thread-tag-remove", args=[thread.pk, slug])
    first = client.post(url, **HTMX)
    again = client.post(url, **HTMX)  # a second tab, or a double click
    assert first.status_code == again.status_code == 200
    assert "opt-out" in again.content.decode() and "sheriff" not in again.content.decode()
    assert list(thread.tags.names()) == ["opt-out"]
    assert AuditEntry.objects.filter(action="tag_removed").count() == 1
    never = client.post(reverse("thread-tag-remove", args=[thread.pk, "no-such-tag"]))
    assert never.status_code == 302 and never["Location"] == reverse("thread", args=[thread.pk])
    assert remove_tag(thread, slug, editor) is False


def test_a_nul_in_a_tag_is_a_form_error(client, editor, thread):
    client.force_login(editor)
    url = reverse("thread-tags", args=[thread.pk])
    fragment = client.post(url, {"tags": "opt\x00out"}, **HTMX)
    assert fragment.status_code == 200 and NUL_ERROR in fragment.content.decode()
    page = client.post(url, {"tags": "opt\x00out"}, follow=True)
    assert page.status_code == 200 and NUL_ERROR in page.content.decode()
    assert not thread.tags.exists()
    suggestions = client.get(reverse("tag-suggestions"), {"tags": "opt\x00"})
    assert suggestions.status_code == 200


def test_a_nul_in_a_note_is_a_form_error(client, thread):
    author = make_user("reporter", "Editor")
    client.force_login(author)
    email = thread.documents.get()
    added = client.post(
        reverse("thread-note-add", args=[thread.pk]),
        {"body": "Pasted\x00from a PDF", "visibility": "private"},
        follow=True,
    )
    assert added.status_code == 200 and NUL_ERROR in added.content.decode()
    quoted = client.post(
        reverse("thread-note-add", args=[thread.pk]),
        {"body": "A passage.", "visibility": "private", "document": email.pk, "quote": "x\x00"},
        follow=True,
    )
    assert quoted.status_code == 200 and NUL_ERROR in quoted.content.decode()
    assert not Annotation.objects.exists()
    note = add_note(thread, author, "Draft.", "private")
    edited = client.post(
        reverse("note-edit", args=[note.pk]), {"body": "Final\x00", "visibility": "private"}
    )
    assert edited.status_code == 400 and NUL_ERROR in edited.content.decode()
    note.refresh_from_db()
    assert note.body == "Draft."


def test_a_nul_in_a_spelling_is_a_form_error(client, editor, gazetteer_db):
    client.force_login(editor)
    david = make_person("David Venturella", "david.venturella@ice.dhs.gov")
    person = client.post(
        reverse("person-alias-add", args=[david.pk]), {"alias": "D.\x00Venturella"}, follow=True
    )
    assert person.status_code == 200 and NUL_ERROR in person.content.decode()
    assert not PersonAlias.objects.filter(alias__contains="Venturella").exists()
    county = Jurisdiction.objects.get(slug="ca-county-santa-clara-county")
    place = client.post(
        reverse("place-alias-add", args=[county.slug]), {"alias": "Cnty\x00"}, follow=True
    )
    assert place.status_code == 200 and NUL_ERROR in place.content.decode()


def test_a_nul_in_a_repairs_reason_is_a_form_error(client, editor, thread):
    other = make_document(thread=make_thread(subject="Opt out, again")).thread
    client.force_login(editor)
    merged = client.post(
        reverse("thread-merge", args=[other.pk]),
        {"other": str(thread.pk), "reason": "same\x00thread"},
        follow=True,
    )
    assert merged.status_code == 200 and NUL_ERROR in merged.content.decode()
    email = thread.documents.get()
    moved = client.post(
        reverse("email-move", args=[email.pk]), {"target": "new", "reason": "\x00"}, follow=True
    )
    assert moved.status_code == 200 and NUL_ERROR in moved.content.decode()
    assert not ThreadChange.objects.exists()
    odd = client.post(reverse("thread-merge", args=[other.pk]), {"other": "²"}, follow=True)
    assert odd.status_code == 200
