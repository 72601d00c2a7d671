"""A broken index never takes the site down: search pages say search is being repaired (503, in
the site's layout) while every other page works, `check_index` reports the damage, and
`check_index --fix` rebuilds the index from the database beside the old one and switches to it."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from whoosh.writing import SegmentWriter

from documents.imports.sample_batch import write_sample_batch
from documents.models import Document
from search import _indexing
from search import _service as service
from search._backend import IndexWriteError
from search._index import POINTER, index_path
from search._indexing import check_index, index_documents
from search._searcher import forget_searcher
from tests.conftest import run_import

REPAIRING = "Search is being repaired"


@pytest.fixture
def sample(tmp_path, media_root, gazetteer_db):
    write_sample_batch(tmp_path / "release")
    run_import([tmp_path / "release"], name="sample")


def truncate_toc(folder):
    toc = next(folder.glob("_MAIN_*.toc"))
    toc.write_bytes(toc.read_bytes()[:20])


def empty_toc(folder):
    next(folder.glob("_MAIN_*.toc")).write_bytes(b"")


def truncate_segment(folder):
    segment = max(folder.glob("*.seg"), key=lambda path: path.stat().st_size)
    segment.write_bytes(segment.read_bytes()[: segment.stat().st_size // 2])


def zero_segment(folder):
    for segment in folder.glob("*.seg"):
        segment.write_bytes(b"")


DAMAGE = {
    "truncated table of contents": truncate_toc,
    "empty table of contents": empty_toc,
    "truncated segment": truncate_segment,
    "emptied segments": zero_segment,
}


@pytest.fixture(params=DAMAGE.values(), ids=DAMAGE.keys())
def damaged(request, sample, search_index_dir):
    """The sample's index with one of its files damaged, after a search saw it whole."""
    before = service.search("county").total
    assert before > 0
    request.param(index_path())
    forget_searcher()  # as a freshly started web worker
    return before


def test_search_pages_say_search_is_being_repaired(damaged, client):
    for url in (
        reverse("search:results") + "?q=county",
        reverse("search:similar", args=[Document.objects.first().pk]),
    ):
        response = client.get(url)
        assert response.status_code == 503, url
        html = response.content.decode()
        assert REPAIRING in html and 'class="site-header"' in html, url
    response = client.get("/api/search", {"q": "county"})
    assert response.status_code == 503 and REPAIRING in response.json()["error"]


def test_every_other_page_works_meanwhile(damaged, client):
    document = Document.objects.first()
    for url in (
        "/",
        reverse("threads"),
        f"/emails/{document.pk}/?q=county",
        f"/threads/{document.thread_id}/?q=county",
        reverse("search:help"),
    ):
        assert client.get(url).status_code == 200, url


def test_the_server_still_starts(damaged, capsys):
    call_command("init_search_index")  # what `make run` does before serving
    assert "damaged" in capsys.readouterr().err


def test_check_index_reports_the_damage_and_fix_restores_results(damaged, client, capsys):
    with pytest.raises(SystemExit) as stopped:
        call_command("check_index")
    assert stopped.value.code == 1
    assert "The search index is damaged" in capsys.readouterr().err
    assert not check_index().ok

    call_command("check_index", "--fix")
    assert "rebuilt from the database" in capsys.readouterr().out
    assert (index_path().parent / POINTER).exists()  # switched to the new folder
    assert check_index().ok
    response = client.get("/api/search", {"q": "county"})
    assert response.status_code == 200 and response.json()["total"] == damaged
    page = client.get(reverse("search:results"), {"q": "county"})
    assert page.status_code == 200 and REPAIRING not in page.content.decode()


def test_writes_after_a_rebuild_reach_the_new_index(damaged, capsys):
    call_command("check_index", "--fix")
    old = Document.objects.first()
    Document.objects.filter(pk=old.pk).update(body="Quetzalcoatl attended the hearing.")
    index_documents([old.pk])
    assert [hit.document.pk for hit in service.search("quetzalcoatl").hits] == [old.pk]
    # A second rebuild (from an index kept in its own folder) replaces that folder too.
    first = index_path()
    truncate_toc(first)
    forget_searcher()
    call_command("check_index", "--fix")
    assert index_path() != first and not first.exists()
    assert service.search("quetzalcoatl").total == 1


# --- rebuilding on purpose ------------------------------------------------------------------------

LATE = "Quetzalcoatl wrote while the index was rebuilt."
QUERIES = ("county", '"secure communities"', "from:venturella", "sheriff OR deployment")


def results(query: str) -> list[int]:
    return [hit.document.pk for hit in service.search(query).hits]


def test_rebuild_keeps_searches_on_the_old_index_until_the_new_one_is_whole(
    sample, monkeypatch, capsys
):
    before = {query: results(query) for query in QUERIES}
    old = index_path()
    seen = []
    write = _indexing.index_documents

    late = []

    def watched(ids, backend=None, *, fresh=False, progress=None):
        def watching(written):
            forget_searcher()  # as a web worker starting a search meanwhile
            seen.append((index_path(), results("county")))
            if not late:  # an import writes an email while the new index is being built
                thread = Document.objects.first().thread
                late.append(Document.objects.create(thread=thread, body=LATE, subject="Hearing"))
            progress(written)

        return write(ids, backend, fresh=fresh, progress=watching if fresh else progress)

    monkeypatch.setattr(_indexing, "index_documents", watched)
    emails = Document.objects.count()
    call_command("rebuild_index", "--noinput")
    assert seen and all(folder == old and found == before["county"] for folder, found in seen)
    assert index_path() != old  # switched once whole
    forget_searcher()
    assert {query: results(query) for query in QUERIES} == before
    assert results("quetzalcoatl") == [late[0].pk]  # caught up after the switch
    captured = capsys.readouterr()
    assert f"{emails}/{emails} emails" in captured.err  # the progress bar, finished
    assert f"Indexed {emails} emails" in captured.out


def test_large_writes_in_several_processes_find_what_one_process_finds(
    sample, monkeypatch, settings
):
    """A rebuild or a large import writes with Whoosh's multi-process writer; re-indexing
    replaces entries rather than adding a second copy."""
    before = {query: results(query) for query in QUERIES}
    settings.INDEX_WORKERS = 2
    monkeypatch.setattr(_indexing, "MULTIPROCESS_FROM", 1)
    call_command("rebuild_index", verbosity=0)
    forget_searcher()
    assert {query: results(query) for query in QUERIES} == before
    everything = list(Document.objects.values_list("pk", flat=True))
    assert index_documents(everything) == len(everything)
    forget_searcher()
    assert check_index().ok and _indexing.indexed_ids() == set(everything)
    assert {query: results(query) for query in QUERIES} == before


def test_a_process_of_a_rebuild_that_fails_is_an_error_not_a_switch_to_a_partial_index(
    sample, monkeypatch, settings
):
    """Whoosh's multi-process writer commits without the part a failed process wrote: the
    rebuild stops with the reason instead of switching to an index that lacks those emails."""
    current = index_path()
    settings.INDEX_WORKERS = 2
    monkeypatch.setattr(_indexing, "MULTIPROCESS_FROM", 1)

    def broken(self, **fields):  # in the writing processes (forked: they inherit it)
        raise OSError("disk full")

    monkeypatch.setattr(SegmentWriter, "add_document", broken)
    with pytest.raises(IndexWriteError, match="processes writing the index failed"):
        call_command("rebuild_index", verbosity=0)
    assert index_path() == current


def test_a_rebuild_that_fails_leaves_the_index_as_it_was_and_no_folder_behind(sample, monkeypatch):
    before = {query: results(query) for query in QUERIES}
    current, root = index_path(), _indexing.settings.WHOOSH_PATH
    folders = set(root.iterdir())

    def broken(self, index, obj):
        raise OSError("disk full")

    monkeypatch.setattr(_indexing.ArchiveWhooshBackend, "fields", broken)
    with pytest.raises(OSError, match="disk full"):
        call_command("rebuild_index", verbosity=0)
    assert index_path() == current and set(root.iterdir()) == folders
    forget_searcher()
    assert {query: results(query) for query in QUERIES} == before
