"""Tags on threads: added inline (htmx fragment or plain form), reused whatever their case,
suggested while typing, removed, listed, a page each, and written to the audit log."""

import pytest
from django.urls import reverse
from taggit.models import Tag

from documents.curation.tagging import MAX_TAG_LENGTH, TagError, add_tags, parse_tag_names, suggest
from documents.models import AuditEntry
from tests.factories import make_document, make_thread, make_user

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def editor(db):
    return make_user("editor", "Editor")


@pytest.fixture
def thread(db):
    return make_document(thread=make_thread(subject="Santa Clara opt out")).thread


def test_tag_names_are_split_tidied_and_deduplicated():
    assert parse_tag_names("  opt-out ,Santa   Clara, OPT-OUT,, ") == ["opt-out", "Santa Clara"]
    with pytest.raises(TagError, match="Give a tag"):
        parse_tag_names(" , ")
    with pytest.raises(TagError, match="at most"):
        parse_tag_names("x" * (MAX_TAG_LENGTH + 1))


def test_an_editor_tags_a_thread_inline_and_gets_the_tags_back(client, editor, thread):
    client.force_login(editor)
    response = client.post(
        reverse("thread-tags", args=[thread.pk]), {"tags": "opt-out, Sheriff"}, **HTMX
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<div id="thread-tags"')  # the block htmx swaps in
    assert "opt-out" in fragment and "Sheriff" in fragment and "<html" not in fragment
    assert sorted(thread.tags.names()) == ["Sheriff", "opt-out"]
    assert AuditEntry.objects.filter(action="tag_added").count() == 2


def test_without_script_the_form_posts_and_returns_to_the_thread(client, editor, thread):
    client.force_login(editor)
    response = client.post(reverse("thread-tags", args=[thread.pk]), {"tags": "opt-out"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "thread", args=[thread.pk]
    )
    bad = client.post(reverse("thread-tags", args=[thread.pk]), {"tags": " "}, follow=True)
    assert "Give a tag name." in bad.content.decode()


def test_an_error_comes_back_in_the_fragment(client, editor, thread):
    client.force_login(editor)
    response = client.post(reverse("thread-tags", args=[thread.pk]), {"tags": "x" * 101}, **HTMX)
    assert (
        'role="alert"' in response.content.decode() and "at most 100" in response.content.decode()
    )


def test_an_existing_tag_is_reused_whatever_its_case(editor, thread):
    other = make_document(thread=make_thread()).thread
    add_tags(other, "Opt-Out", editor)
    assert add_tags(thread, "opt-out", editor) == ["opt-out"]
    assert Tag.objects.count() == 1 and list(thread.tags.names()) == ["Opt-Out"]
    assert add_tags(thread, "OPT-OUT", editor) == []  # already there: nothing logged
    assert AuditEntry.objects.count() == 2


def test_removing_a_tag(client, editor, thread):
    add_tags(thread, "opt-out, sheriff", editor)
    client.force_login(editor)
    slug = thread.tags.get(name="sheriff").slug
    response = client.post(reverse("thread-tag-remove", args=[thread.pk, slug]), **HTMX)
    assert "sheriff" not in response.content.decode() and list(thread.tags.names()) == ["opt-out"]
    assert AuditEntry.objects.filter(action="tag_removed", details__tag="sheriff").exists()


def test_suggestions_start_with_what_is_typed_then_hold_it_most_used_first(client, editor):
    for count, name in (
        (3, "county counsel"),
        (1, "counties"),
        (5, "Santa Clara County"),
        (2, "sheriff"),
    ):
        for _ in range(count):
            add_tags(make_document(thread=make_thread()).thread, name, editor)
    assert [t.name for t in suggest("coun")] == ["county counsel", "counties", "Santa Clara County"]
    client.force_login(editor)
    options = client.get(reverse("tag-suggestions"), {"tags": "opt-out, sher"}).content.decode()
    assert options.strip() == '<option value="sheriff">sheriff (2)</option>'


def test_tag_text_is_escaped(client, editor, thread):
    add_tags(thread, '<img src=x onerror="alert(1)">', editor)
    for url in (reverse("thread", args=[thread.pk]), reverse("tags"), reverse("threads")):
        page = client.get(url).content.decode()
        assert (
            "<img src=x" not in page and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
        ), url


def test_the_tags_page_and_a_page_per_tag(client, editor, thread):
    add_tags(thread, "opt-out", editor)
    add_tags(make_document(thread=make_thread(subject="Second")).thread, "opt-out", editor)
    index = client.get(reverse("tags")).content.decode()
    assert "opt-out" in index and "2 threads" in index
    page = client.get(reverse("tag", args=["opt-out"])).content.decode()
    assert "Santa Clara opt out" in page and "Second" in page and "2 threads" in page
    assert "?tag=opt-out" in page and "f=tag:opt-out" in page


def test_readers_see_tags_but_no_tag_form(client, editor, thread):
    add_tags(thread, "opt-out", editor)
    client.force_login(make_user("reader", "Reader"))
    page = client.get(reverse("thread", args=[thread.pk])).content.decode()
    assert "opt-out" in page and 'name="tags"' not in page and "Remove tag" not in page
    client.force_login(editor)
    page = client.get(reverse("thread", args=[thread.pk])).content.decode()
    assert 'name="tags"' in page and "Remove tag opt-out" in page


def test_a_threads_tags_are_listed_as_the_tags_page_lists_them(client, editor, thread):
    add_tags(thread, "Sheriff, opt-out, ICE, activation", editor)
    expected = ["activation", "ICE", "opt-out", "Sheriff"]  # case ignored
    index = client.get(reverse("tags")).content.decode()
    page = client.get(reverse("thread", args=[thread.pk])).content.decode()
    listing = client.get(reverse("threads")).content.decode()

    def order(html: str) -> list[str]:
        found = [name for name in expected if f">{name}<" in html]
        return sorted(found, key=lambda name: html.index(f">{name}<"))

    assert order(index) == expected
    assert order(page[page.index('id="thread-tags"') :]) == expected
    assert order(listing[listing.index('class="thread-list"') :]) == expected
