"""Editors merge threads and move emails; every repair can be undone, keeps notes and tags,
keeps old thread addresses working, and the search index follows through the worker."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from documents.curation import annotations
from documents.curation.thread_repair import (
    RepairError,
    merge_candidates,
    merge_threads,
    move_email,
    undo,
)
from documents.models import AuditEntry, Document, Thread, ThreadChange
from search import _service as service
from tests.conftest import run_import
from tests.factories import add_recipient, at, make_document, make_person, make_thread, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    return make_user("editor", "Editor")


@pytest.fixture
def threads(editor):
    """A thread split by the importer: "Opt out" and "Fwd: Opt out" were one conversation."""
    first = make_thread(subject="Opt out")
    a1 = make_document(thread=first, subject="Opt out", sent_at=at(2010, 5, 17), body="First.")
    a2 = make_document(thread=first, subject="RE: Opt out", sent_at=at(2010, 5, 18), body="Second.")
    second = make_thread(subject="Fwd: Opt out")
    b1 = make_document(
        thread=second, subject="Fwd: Opt out", sent_at=at(2010, 5, 20), body="Third."
    )
    from documents.threads import refresh_threads

    refresh_threads({first.pk, second.pk})
    first.tags.add("opt-out")
    second.tags.add("forwarded", "Opt-Out")
    notes = {
        "on_second": annotations.add_note(second, editor, "Why forwarded?", "shared"),
        "on_b1": annotations.add_note(
            second, editor, "Third!", "shared", document=b1, quote="Third"
        ),
    }
    AuditEntry.objects.all().delete()
    return first, second, (a1, a2, b1), notes


def test_merging_moves_emails_notes_and_tags_and_deletes_the_empty_thread(threads, editor):
    first, second, (a1, a2, b1), notes = threads
    change = merge_threads(second, first, editor, reason="same conversation")
    assert set(first.documents.all()) == {a1, a2, b1}
    assert not Thread.objects.filter(pk=second.pk).exists()
    first.refresh_from_db()
    assert first.message_count == 3 and first.last_sent_at == at(2010, 5, 20)
    assert sorted(first.tags.names()) == ["forwarded", "opt-out"]  # "Opt-Out" was there already
    assert set(first.annotations.all()) == set(notes.values())
    assert change.added_tags == ["forwarded"]
    entry = AuditEntry.objects.get()
    assert (
        entry.action == "threads_merged" and entry.actor == editor and entry.details["emails"] == 1
    )


def test_undoing_a_merge_brings_the_thread_back_under_its_number(threads, editor):
    first, second, (a1, a2, b1), notes = threads
    number = second.pk
    change = merge_threads(second, first, editor)
    undo(change, editor)
    back = Thread.objects.get(pk=number)
    assert back.subject == "Fwd: Opt out" and back.message_count == 1
    assert list(back.documents.all()) == [b1] and set(first.documents.all()) == {a1, a2}
    assert sorted(back.tags.names()) == ["forwarded", "opt-out"]  # tags ignore case
    assert sorted(first.tags.names()) == ["opt-out"]
    assert set(back.annotations.all()) == set(notes.values())
    change.refresh_from_db()
    assert change.undone_by == editor and change.undone_at
    with pytest.raises(RepairError, match="undone already"):
        undo(change, editor)


def test_moving_an_email_to_a_new_thread_and_back(threads, editor):
    first, second, (a1, a2, b1), notes = threads
    change = move_email(a2, None, editor)
    new = Thread.objects.get(pk=change.target_number)
    assert change.created_target and list(new.documents.all()) == [a2]
    assert new.subject == "RE: Opt out" and first.documents.count() == 1
    undo(change, editor)
    assert not Thread.objects.filter(pk=new.pk).exists()
    assert set(first.documents.all()) == {a1, a2}


def test_moving_an_email_takes_its_notes_and_leaves_the_threads_own(threads, editor):
    first, second, (a1, a2, b1), notes = threads
    extra = make_document(thread=second, subject="Fwd: Opt out", body="Fourth.")
    move_email(b1, first, editor)
    notes["on_b1"].refresh_from_db()
    notes["on_second"].refresh_from_db()
    assert notes["on_b1"].thread == first and notes["on_second"].thread == second
    assert list(second.documents.all()) == [extra]


def test_an_undo_that_would_undo_a_later_move_is_refused(threads, editor):
    first, second, (a1, a2, b1), notes = threads
    number = second.pk
    merge = merge_threads(second, first, editor)
    move_email(b1, None, editor)
    with pytest.raises(RepairError, match="moved again"):
        undo(merge, editor)
    assert Document.objects.get(pk=b1.pk).thread_id != number
    assert not Thread.objects.filter(pk=number).exists()


def test_nonsense_repairs_are_refused(threads, editor):
    first, second, (a1, a2, b1), notes = threads
    with pytest.raises(RepairError):
        merge_threads(first, first, editor)
    with pytest.raises(RepairError):
        move_email(a1, first, editor)
    assert not ThreadChange.objects.exists()


def test_a_merged_threads_address_leads_to_where_its_emails_went(threads, editor, client):
    first, second, emails, notes = threads
    number = second.pk
    merge_threads(second, first, editor)
    response = client.get(reverse("thread", args=[number]) + "?q=opt")
    assert (
        response.status_code == 302
        and response["Location"] == reverse("thread", args=[first.pk]) + "?q=opt"
    )
    third = make_document(thread=make_thread(subject="Later")).thread
    merge_threads(first, third, editor)  # a chain: second -> first -> third
    assert client.get(reverse("thread", args=[number]))["Location"] == reverse(
        "thread", args=[third.pk]
    )
    assert client.get(reverse("thread", args=[999999])).status_code == 404


def test_the_thread_page_offers_editors_similar_threads_to_merge(threads, editor, client):
    first, second, emails, notes = threads
    person = make_person("David Venturella", "david.venturella@ice.dhs.gov")
    for document in emails:
        add_recipient(document, person)
    from documents.threads import refresh_threads

    refresh_threads({first.pk, second.pk})
    assert merge_candidates(first) == [second]
    client.force_login(editor)
    page = client.get(reverse("thread", args=[first.pk])).content.decode()
    assert f'value="{second.pk}"' in page and "Repair the threading" in page
    client.force_login(make_user("reader", "Reader"))
    assert (
        "Repair the threading"
        not in client.get(reverse("thread", args=[first.pk])).content.decode()
    )


def test_the_repairs_page_lists_changes_and_undoes_them(threads, editor, client):
    first, second, emails, notes = threads
    number = second.pk
    change = merge_threads(second, first, editor, reason="one conversation")
    client.force_login(editor)
    page = client.get(reverse("thread-changes")).content.decode()
    assert (
        "Threads merged" in page and "one conversation" in page and f"from thread {number}" in page
    )
    response = client.post(reverse("thread-change-undo", args=[change.pk]), follow=True)
    assert "Undone" in response.content.decode()
    assert Thread.objects.filter(pk=number).exists()


def test_merge_and_move_through_the_pages(threads, editor, client):
    first, second, (a1, a2, b1), notes = threads
    client.force_login(editor)
    response = client.post(
        reverse("thread-merge", args=[second.pk]),
        {"target": "", "other": f"http://x/threads/{first.pk}/"},
    )
    assert response["Location"] == reverse("thread", args=[first.pk])
    response = client.post(reverse("email-move", args=[a2.pk]), {"target": "new"})
    moved = Document.objects.get(pk=a2.pk)
    assert (
        response["Location"] == reverse("thread", args=[moved.thread_id])
        and moved.thread_id != first.pk
    )
    bad = client.post(reverse("email-move", args=[a1.pk]), {"target": "nothing"}, follow=True)
    assert "Choose the thread" in bad.content.decode()


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_index_follows_a_merge_and_its_undo(tmp_path, media_root, gazetteer_db, editor):
    from documents.imports.sample_batch import write_sample_batch

    write_sample_batch(tmp_path / "release")
    run_import([tmp_path / "release"], name="sample")
    big, small = Thread.objects.filter(message_count__gte=1).order_by("-message_count", "pk")[:2]
    small.tags.add("split thread")
    run_worker()
    assert service.search('tag:"split thread"').total == small.documents.count()
    change = merge_threads(small, big, editor)
    run_worker()
    found = service.search('tag:"split thread"')
    assert found.total == big.documents.count() > change.moves.__len__()
    undo(change, editor)
    run_worker()
    assert service.search('tag:"split thread"').total == len(change.moves)
