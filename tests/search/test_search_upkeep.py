"""Keeping the index true: tag changes and batch deletions reach it through the task worker;
`check_index` finds and repairs differences; haystack's own commands still work."""

import pytest
from django.core.management import call_command

from documents.imports.deletion import delete_batch
from documents.imports.sample_batch import write_sample_batch
from documents.models import Batch, Document, Person, Thread
from search import _service as service
from search._indexing import check_index, indexed_ids, remove_documents
from search._searcher import forget_searcher
from tests.conftest import run_import


def run_worker():
    """What `make run`'s task worker does, until the queue is empty. The worker closes database
    connections, so the tests that run it commit for real (transaction=True)."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.fixture
def release(tmp_path, media_root, gazetteer_db):
    write_sample_batch(tmp_path / "release")
    return tmp_path / "release"


@pytest.mark.django_db(transaction=True)
def test_tag_changes_reach_the_index_through_the_worker(release):
    run_import([release], name="sample")
    thread = Thread.objects.filter(message_count__gte=2).first()
    thread.tags.add("Opt-Out Fight")
    # Queued, not written by the request that tagged.
    assert service.search("tag:opt-out fight").total == 0
    run_worker()
    found = service.search('tag:"opt-out fight"')
    assert found.total == thread.documents.count()
    assert {hit.document.thread_id for hit in found.hits} == {thread.pk}
    assert [f.value for f in service.search("county").facets["tag"]] == ["Opt-Out Fight"]

    thread.tags.remove("Opt-Out Fight")
    run_worker()
    assert service.search('tag:"opt-out fight"').total == 0


@pytest.mark.django_db(transaction=True)
def test_deleting_a_batch_removes_what_only_it_brought(release):
    run_import([release], name="first")
    emails = Document.objects.count()
    # A later release prints the mbox's emails again (a new file, the same emails).
    again = release.parent / "again"
    again.mkdir()
    (again / "la-county-reprint.mbox").write_bytes(
        (release / "la-county.mbox").read_bytes() + b"\n"
    )
    run_import([again], name="again")
    shared = set(
        Document.objects.filter(appearances__source_file__batch__name="again").values_list(
            "pk", flat=True
        )
    )
    assert shared and Document.objects.count() == emails

    gone = delete_batch(Batch.objects.get(name="first"))
    assert (gone.emails, gone.emails_kept) == (emails - len(shared), len(shared))
    assert set(Document.objects.values_list("pk", flat=True)) == shared
    assert indexed_ids() > shared  # the deleted emails' entries go when the worker runs
    run_worker()
    assert indexed_ids() == shared
    found = service.search("los angeles activation")
    assert found.total == len(shared)
    assert [(f.value, f.count) for f in found.facets["batch"]] == [("again", len(shared))]

    gone = delete_batch(Batch.objects.get(name="again"))
    assert gone.emails == len(shared) and gone.threads > 0 and gone.people > 0
    assert not Document.objects.exists() and not Thread.objects.exists()
    assert not Person.objects.exists()
    run_worker()
    assert indexed_ids() == set()


def test_check_index_command_reports_and_repairs(release, capsys):
    run_import([release], name="sample")
    first, last = Document.objects.order_by("pk")[:: Document.objects.count() - 1]
    remove_documents([first.pk])  # missing from the index
    Document.objects.filter(pk=last.pk).delete()  # its entry is now stray
    with pytest.raises(SystemExit) as failed:
        call_command("check_index")
    assert failed.value.code == 1
    out = capsys.readouterr()
    assert f"Missing from the index: 1 ({first.pk})" in out.out
    assert f"Stray: 1 ({last.pk})" in out.out and "--fix" in out.err

    call_command("check_index", "--fix")
    assert "Fixed: indexed 1, removed 1." in capsys.readouterr().out
    call_command("check_index")
    assert "The index matches the database." in capsys.readouterr().out
    assert check_index().ok


def test_haystack_rebuild_and_update_commands(release):
    run_import([release], name="sample")
    call_command("clear_index", interactive=False, verbosity=0)
    forget_searcher()
    assert indexed_ids() == set()
    call_command("update_index", verbosity=0)
    assert check_index().ok and service.search("county").total > 0
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert check_index().ok and service.search("county").total > 0
