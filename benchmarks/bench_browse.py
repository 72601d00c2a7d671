"""make bench-browse: time every browsing and reading page on a generated archive of 100,000
emails in about 30,000 threads, through Django's test client (the whole view, template
included, without a network) as a signed-in Reader: p50/p95 and the SQL queries of each page.
Beside it, the plain library's figure from the same run: the page's own SQL statements replayed
through a bare psycopg connection (PostgreSQL's part of the page, without Django), the two
taking turns.

The archive is the search benchmark's (``benchmarks/bench_search.py``), generated once into its
own database and reused; the search index is not needed here.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_search import prepare_database, server_url  # noqa: E402
from benchmarks.child_phase import run_phase  # noqa: E402

SIZE = 100_000
RUNS = 30
TARGET_MS = 150


def pages() -> list[tuple[str, str]]:
    """(what, address) of each page type, on the archive's busiest person, place and thread."""
    from django.db.models import Count

    from documents.models import Batch, Jurisdiction, Page, Person, Thread

    person = Person.objects.annotate(n=Count("sent_documents")).order_by("-n").first()
    county = (
        Jurisdiction.objects.filter(kind="county")
        .annotate(n=Count("threads"))
        .order_by("-n")
        .first()
    )
    thread = Thread.objects.order_by("-message_count", "id").first()
    typical = Thread.objects.filter(message_count=3).order_by("id").first()
    email = thread.documents.order_by("id").first()
    batch = Batch.objects.order_by("name").first()
    page = Page.objects.order_by("source_file", "number").first()
    return [
        ("home (with timeline)", "/"),
        ("threads", "/threads/"),
        ("threads, page 200", "/threads/?page=200"),
        ("threads by size", "/threads/?sort=-size"),
        ("threads in a state, a year", f"/threads/?place={county.parent.slug}&year=2010"),
        ("threads of a month", "/threads/?month=2010-05"),
        ("threads of a person", f"/threads/?person={person.pk}"),
        ("threads with a tag", "/threads/?tag=opt-out"),
        ("thread, largest", f"/threads/{thread.pk}/"),
        ("thread, three emails", f"/threads/{typical.pk}/"),
        ("email", f"/emails/{email.pk}/"),
        ("page text", f"/files/{page.source_file_id}/pages/{page.number}/"),
        ("people", "/people/"),
        ("people by emails sent", "/people/?sort=sent"),
        ("people named", "/people/?name=garcia"),
        ("person, busiest", f"/people/{person.pk}/"),
        ("jurisdictions", "/jurisdictions/"),
        ("state", f"/jurisdictions/{county.parent.slug}/"),
        ("county, busiest", f"/jurisdictions/{county.slug}/"),
        ("batches", "/batches/"),
        ("batch", f"/batches/{batch.name}/"),
    ]


def ensure_pages() -> None:
    """Page rows for one generated file, so the page-text view has pages to show."""
    from documents.models import Page, SourceFile

    source = SourceFile.objects.order_by("pk").first()
    if not source.pages.exists():
        Page.objects.bulk_create(
            Page(
                source_file=source,
                number=n,
                text=f"Page {n} of the production. (b)(6)",
                bates=f"ICE2010FOIA2674.{n:07}",
            )
            for n in range(1, (source.page_count or 1) + 1)
        )


def reader():
    """A user of the Reader role: what a journalist signed in to a private archive sees."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from documents.roles import READER

    user, _ = get_user_model().objects.get_or_create(username="bench-reader")
    user.groups.add(Group.objects.get(name=READER))
    return user


def phase_measure() -> dict:
    import psycopg
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("collectstatic", interactive=False, verbosity=0)  # as `make run` serves them
    from documents.archive_cache import archive_changed

    ensure_pages()
    raw = psycopg.connect(os.environ["DATABASE_URL"])  # the plain library, no Django
    client = Client(HTTP_HOST="localhost")
    client.force_login(reader())  # a private archive (the default) shows nothing to strangers
    figures = []
    for name, url in pages():
        client.get(url)  # plans cached, templates compiled
        archive_changed()  # as an import would: every kept figure is computed again
        started = time.perf_counter()
        response = client.get(url)
        cold = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code)
        statements = []

        def capture(execute, sql, params, many, context, statements=statements):
            statements.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(capture):
            client.get(url)
        times, plain_times = [], []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            _replay(raw, statements)
            plain_times.append((time.perf_counter() - started) * 1000)
        figures.append(
            {
                "name": name,
                "url": url,
                "queries": len(queries.captured_queries),
                **_percentiles(times),
                "plain": _percentiles(plain_times),
                "kb": len(response.content) / 1024,
                "cold": cold,
            }
        )
    raw.close()
    return {"pages": figures}


def _replay(raw, statements) -> None:
    with raw.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            if cursor.description is not None:
                cursor.fetchall()
    raw.rollback()


def _percentiles(times: list[float]) -> dict:
    times = sorted(times)
    return {"p50": statistics.median(times), "p95": times[max(0, round(0.95 * len(times)) - 1)]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=SIZE)
    size = parser.parse_args().size
    url, keep_alive = server_url()
    env, _ = prepare_database(size, url)
    env = env | {"DEBUG": "0"}
    figures = run_phase(__file__, "measure", env=env)
    print(f"\n{size:,} generated emails; each page {RUNS} times through Django's test client; ms")
    print("  first: the first view after the archive changed (kept figures computed again)")
    print("  plain: the page's SQL replayed through a bare psycopg connection, by turns with ours")
    print(
        f"{'page':30}{'first':>9}{'p50':>9}{'p95':>9}{'plain p95':>11}{'ratio':>8}{'queries':>9}"
        f"{'KB':>8}  target p95 < {TARGET_MS} ms"
    )
    for page in figures["pages"]:
        verdict = "ok" if page["p95"] < TARGET_MS else "SLOW"
        plain = page["plain"]["p95"]
        print(
            f"{page['name']:30}{page['cold']:9.1f}{page['p50']:9.1f}{page['p95']:9.1f}"
            f"{plain:11.1f}{page['p95'] / plain:7.1f}x{page['queries']:9}{page['kb']:8.0f}  {verdict}"
        )
    worst = max(figures["pages"], key=lambda page: page["p95"])
    print(f"slowest p95: {worst['p95']:.1f} ms ({worst['name']})")
    del keep_alive


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--phase":
        import django

        django.setup()
        print(json.dumps(phase_measure()))
    else:
        main()
