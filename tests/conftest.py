"""Shared fixtures: a throwaway search index, Debian's Chromium, the gazetteer, the corpus."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from haystack import connections

from foia_archive.env import database_url
from search._searcher import forget_searcher

CHROMIUM = Path("/usr/bin/chromium")
# The public test material lives beside the checkout (CI has it; a user's machine may not).
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
# Playwright's sync API runs an event loop in the test thread; the ORM calls made by test setup
# there are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Flags that keep headless Chromium off the network this machine does not have.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session", autouse=True)
def static_files_from_app_folders(tmp_path_factory):
    """Serve CSS from the source folders, as the live server's finders do, never from a manifest
    that an earlier `make run` left in var/static with other hashes."""
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    static_root = tmp_path_factory.mktemp("static")
    with override_settings(
        STORAGES={**settings.STORAGES, "staticfiles": plain}, STATIC_ROOT=static_root
    ):
        yield


@pytest.fixture(autouse=True)
def search_index_dir(tmp_path, settings, monkeypatch):
    """Point the app's Whoosh index at an empty folder, for every test: imports index what they
    import, and no test may touch the developer's index."""
    path = tmp_path / "whoosh"
    settings.WHOOSH_PATH = path
    monkeypatch.setitem(connections.connections_info["default"], "PATH", str(path))
    connections.reload("default")
    forget_searcher()
    yield path
    forget_searcher()
    monkeypatch.undo()
    connections.reload("default")


@pytest.fixture(autouse=True)
def public_archive(settings):
    """Most tests read the archive as an anonymous visitor; tests of accounts and roles turn
    ARCHIVE_PUBLIC off again (its default)."""
    settings.ARCHIVE_PUBLIC = True


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Test accounts need no slow hashing (PBKDF2 takes a fifth of a second per password)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Figures kept per revision of the archive must not pass from one test's archive to the
    next (a flushed database starts its revisions again)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        message = f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the gazetteer once into each test database: many features match places against it."""
    from documents.imports.gazetteer import load_gazetteer

    with django_db_blocker.unblock():
        load_gazetteer()


@pytest.fixture
def gazetteer_db(db):
    """The gazetteer in the database, reloaded if a transactional test emptied the tables."""
    from documents.imports.gazetteer import load_gazetteer
    from documents.models import Jurisdiction

    if not Jurisdiction.objects.exists():
        load_gazetteer()


@pytest.fixture
def media_root(tmp_path, settings):
    """Stored copies of imported files go to a folder of the test's own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def archive(gazetteer_db):
    """A generated archive indexed in several commits (so several segments), a few of its
    emails undated, some deleted from the index since."""
    from benchmarks.generated_archive import generate
    from documents.models import Document
    from search._indexing import index_documents, remove_documents
    from search._searcher import shared_searcher

    generate(240)
    ids = sorted(Document.objects.values_list("pk", flat=True))
    Document.objects.filter(pk__in=ids[3::25]).update(sent_at=None)
    for start in range(0, len(ids), 80):
        index_documents(ids[start : start + 80])
    remove_documents(ids[5::20])
    with shared_searcher() as searcher:
        assert len(searcher.leaf_searchers()) > 1, "the test needs several segments"
        assert searcher.reader().has_deletions()
    return ids


def run_import(paths, name="test-batch", timezone="America/Los_Angeles", **options):
    from documents.imports.service import BatchImporter, BatchOptions
    from documents.ingest import iter_entries

    batch_options = BatchOptions(name=name, timezone=timezone, **options)
    return BatchImporter(batch_options).run(iter_entries([Path(p) for p in paths]))


def worker_environment() -> dict:
    """The environment of a `manage.py db_worker` process that works on this test's database,
    media folder and index."""
    return os.environ | {
        "DATABASE_URL": database_url(settings.DATABASES["default"]),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "WHOOSH_PATH": str(settings.WHOOSH_PATH),
    }


def start_worker(environment: dict):
    """A real task worker in its own process group (so a test can kill it and its children)."""
    import subprocess
    import sys

    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-startup-delay",
            "--no-reload",
            "--interval",
            "0.2",
        ],
        cwd=Path(__file__).resolve().parent.parent,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
