"""make bench-search: time a fixed query mix on generated archives of 20,000 and 100,000 emails.

Each query runs through our search path (``search._service.search``: hits, total, facets,
highlighted snippets and the hits' rows from PostgreSQL) and through plain Whoosh on a reused
searcher with the same query object, two ways: "plain" is ``search_page`` and its total, with
facets, sorting or highlights where the case asks for them; "plain page" adds what our results
page shows for every query (facets, the rows from PostgreSQL, highlighted snippets), so both sides
do the same work. Prints p50/p95 of each and the ratios, and the resident memory of the process
that ran our path.

Each archive lives in its own database (``foia_bench_<size>``) and index (``var/bench/``), built
once and reused: a later run rebuilds the index only when the index code changed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.child_phase import run_phase  # noqa: E402 (after sys.path)

BENCH_DIR = ROOT / "var" / "bench"
SIZES = (20_000, 100_000)
RUNS = 40
# plain Whoosh doing our whole page takes seconds a query at 100,000 emails: fewer runs.
PAGE_RUNS = 10
# Index fields with one value per email: plain Whoosh counts them without overlap.
SINGLE_VALUED = {"month", "sender_key"}
# Code whose change makes a built index stale.
INDEX_CODE = [
    ROOT / "search" / "search_indexes.py",
    ROOT / "search" / "_backend.py",
    ROOT / "templates" / "search" / "indexes" / "documents" / "document_text.txt",
]


@dataclass
class Case:
    name: str
    text: str
    filters: list[tuple[str, str]] = field(default_factory=list)
    sort: str = "relevance"
    facets: bool = False  # plain Whoosh counts facets too
    highlight: bool = False  # plain Whoosh highlights too


def query_mix(top_jurisdiction: str) -> list[Case]:
    from benchmarks.generated_words import RARE_WORD

    return [
        Case("common term", "county"),
        Case("rare term", RARE_WORD),
        Case("phrase", '"secure communities"'),
        Case("field", "from:venturella"),
        Case(
            "facets + date range",
            "deployment date:2010-03..2010-08",
            [("jurisdiction", top_jurisdiction)],
            facets=True,
        ),
        Case("sorted by date", "activation", sort="newest"),
        Case("highlighting", '"opt out" sheriff', highlight=True),
    ]


def index_code_hash() -> str:
    digest = hashlib.sha256()
    for path in INDEX_CODE:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# --- the parent process: databases, folders, children -------------------------------------------


def server_url() -> tuple[str, object]:
    """The PostgreSQL server to use (DATABASE_URL's, else the embedded one) and a keep-alive."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"], None
    from foia_archive import embedded_postgres

    server = embedded_postgres.start(ROOT / "var" / "pgdata")
    return server.url, server


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def reset_database(url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def child(phase: str, size: int, env: dict) -> dict:
    return run_phase(__file__, phase, size, env=env)


def prepare_database(size: int, url: str) -> tuple[dict, dict]:
    """The environment of a size's children and what was built for it, after generating the
    archive's database if it is missing."""
    name = f"foia_bench_{size}"
    folder = BENCH_DIR / f"search-{size}"
    marker = folder / "built.json"
    env = os.environ | {
        "DATABASE_URL": with_database(url, name),
        "WHOOSH_PATH": str(folder / "whoosh"),
        "DJANGO_SETTINGS_MODULE": "foia_archive.settings",
        "PYTHONUNBUFFERED": "1",
    }
    built = json.loads(marker.read_text()) if marker.exists() else {}
    if built.get("emails") != size:
        print(f"Generating {size:,} emails in database {name} (once; later runs reuse it)…")
        shutil.rmtree(folder, ignore_errors=True)
        reset_database(url, name)
        built = child("generate", size, env)
        folder.mkdir(parents=True, exist_ok=True)
        marker.write_text(json.dumps(built))
        print(f"  generated in {built['seconds']:.0f} s")
    return env, built


def prepare(size: int, url: str) -> dict:
    """The environment of a size's children, after building what is missing."""
    env, built = prepare_database(size, url)
    marker = BENCH_DIR / f"search-{size}" / "built.json"
    if built.get("index") != index_code_hash():
        print(f"Indexing {size:,} emails (once per change of the index code)…")
        shutil.rmtree(Path(env["WHOOSH_PATH"]), ignore_errors=True)
        code = index_code_hash()  # of the code that builds it, should it change meanwhile
        indexed = child("index", size, env)
        built["index"] = code
        marker.write_text(json.dumps(built))
        print(f"  indexed in {indexed['seconds']:.0f} s ({size / indexed['seconds']:.0f} emails/s)")
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument(
        "--build-only", action="store_true", help="build the archives, time nothing"
    )
    arguments = parser.parse_args()
    url, keep_alive = server_url()
    for size in [int(size) for size in arguments.sizes.split(",")]:
        env = prepare(size, url)
        if arguments.build_only:
            continue
        figures = child("measure", size, env)
        report(size, figures)
    del keep_alive


def report(size: int, figures: dict) -> None:
    print(
        f"\n{size:,} emails, times in ms; ours, index and plain take turns, {RUNS} runs each "
        f"(plain page {PAGE_RUNS}).\n"
        "  ours: search._service.search, the whole results page (hits, total, facets, rows from\n"
        "        PostgreSQL, highlighted snippets); index: its index part alone (search._service.locate)\n"
        "  plain: Whoosh on a reused searcher, the page of hits and the total (facets or highlights\n"
        "        where the query asks); plain page: plus what our page shows for every query"
    )
    columns = ("ours", "index", "plain", "plain_page")
    ratios = (("index", "plain"), ("ours", "plain"), ("ours", "plain_page"))
    print(
        f"{'query':20}"
        + "".join(f"{name + ' p50':>15}{name + ' p95':>15}" for name in columns)
        + "".join(f"{f'{a}÷{b}':>17}" for a, b in ratios)
    )
    for case in figures["cases"]:
        cells = "".join(f"{case[name]['p50']:15.1f}{case[name]['p95']:15.1f}" for name in columns)
        quotients = "".join(f"{case[a]['p95'] / case[b]['p95']:16.2f}x" for a, b in ratios)
        print(f"{case['name']:20}{cells}{quotients}  ({case['total']:,} hits)")
    worst = max(case["ours"]["p95"] for case in figures["cases"])
    print(
        f"slowest p95 of our whole page: {worst:.1f} ms; first search after a change: "
        f"{figures['first_after_change_ms']:.0f} ms (target ≤ 300 ms); first search of a new "
        f"process (every table built): {figures['first_ms']:.0f} ms"
    )
    print(
        f"resident memory after our path: {figures['rss_mb']:.0f} MB (peak {figures['peak_mb']:.0f} MB)"
    )
    haystack = figures["haystack"]
    print(
        f"haystack's own path (a new searcher per query, count + slice), 'county': "
        f"p50 {haystack['p50']:.0f} ms over {haystack['runs']} runs, resident memory after it "
        f"{figures['rss_after_haystack_mb']:.0f} MB"
    )


# --- the children: generate, index, measure -------------------------------------------------------


def setup_django() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def phase_generate(size: int) -> dict:
    from django.db import connection

    from benchmarks.generated_archive import generate
    from documents.imports.gazetteer import load_gazetteer

    started = time.perf_counter()
    load_gazetteer()
    generate(size)
    with connection.cursor() as cursor:
        # What autovacuum does in time (it is off on some servers, this machine's among them):
        # planner statistics, and the visibility map that lets index-only scans skip the heap.
        cursor.execute("VACUUM ANALYZE")
    return {"emails": size, "seconds": time.perf_counter() - started}


def phase_index(size: int) -> dict:
    from search._indexing import rebuild_index

    started = time.perf_counter()
    rebuild_index()
    return {"seconds": time.perf_counter() - started}


def timed(function, runs: int = RUNS) -> dict:
    return interleaved({"only": function}, runs)["only"]


def interleaved(functions: dict, runs: int = RUNS) -> dict:
    """p50 and p95 of each function in ms, the functions taking turns run after run: a change
    in the machine's speed during the measurement (this shared machine's speed moves by up to
    2x) then weighs on every side alike, and the ratios stay true."""
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(runs):
        for name, function in functions.items():
            started = time.perf_counter()
            function()
            times[name].append((time.perf_counter() - started) * 1000)
    figures = {}
    for name, measured in times.items():
        measured.sort()
        figures[name] = {
            "p50": statistics.median(measured),
            "p95": measured[max(0, round(0.95 * len(measured)) - 1)],
        }
    return figures


def phase_measure(size: int) -> dict:
    import resource

    from django.db.models import Count
    from haystack.query import SearchQuerySet
    from whoosh import query as q
    from whoosh import sorting

    from documents.models import Jurisdiction
    from search import _service as service
    from search._searcher import shared_searcher

    top = (
        Jurisdiction.objects.annotate(n=Count("documents"))
        .order_by("-n")
        .values_list("slug", flat=True)[0]
    )
    cases = query_mix(top)
    started = time.perf_counter()
    service.search("county")
    first_ms = (time.perf_counter() - started) * 1000
    first_after_change_ms = _first_search_after_a_change(service)
    with shared_searcher() as searcher:
        translator = service._translator(searcher)  # the same query objects as our path
        queries = {case.name: translator.translate(case.text).query for case in cases}
    facets = {
        name: sorting.FieldFacet(
            field, allow_overlap=field not in SINGLE_VALUED, maptype=sorting.Count
        )
        for name, field in service.FACETS.items()
    }

    def plain(case: Case, whole_page: bool) -> None:
        """Whoosh's own calls for the case on the reused searcher: the page of hits and the
        total, with facets and highlights where the case asks; ``whole_page`` does what our
        results page does for every query (facets, the rows from PostgreSQL, snippets)."""
        narrow = (
            q.And([q.Term(service.FACETS[n], v) for n, v in case.filters]) if case.filters else None
        )
        sortedby, reverse = service.SORTS[case.sort] or (None, False)
        with shared_searcher() as searcher:
            page = searcher.search_page(
                queries[case.name],
                1,
                pagelen=service.PER_PAGE,
                filter=narrow,
                sortedby=sortedby,
                reverse=reverse,
                groupedby=facets if case.facets or whole_page else None,
            )
            len(page)
            ids = [int(hit["django_id"]) for hit in page]
            if case.facets or whole_page:
                [page.results.groups(name) for name in service.FACETS]
            if case.highlight or whole_page:
                rows = service._documents(ids)
                for hit in page:
                    hit.highlights("text", text=rows[int(hit["django_id"])].body)

    results = []
    for case in cases:
        found = service.search(case.text, case.filters, case.sort)
        plain(case, whole_page=True)
        figures = interleaved(
            {
                "ours": lambda case=case: service.search(case.text, case.filters, case.sort),
                "index": lambda case=case: service.locate(case.text, case.filters, case.sort),
                "plain": lambda case=case: plain(case, whole_page=False),
            }
        )
        figures["plain_page"] = timed(lambda case=case: plain(case, whole_page=True), PAGE_RUNS)
        results.append({"name": case.name, "total": found.total, **figures})
    rss_mb = _resident_mb()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    runs = 5 if size <= 20_000 else 2
    haystack = timed(
        lambda: (
            list(SearchQuerySet().filter(content="county")[:20]),
            SearchQuerySet().filter(content="county").count(),
        ),
        runs,
    )
    return {
        "cases": results,
        "rss_mb": rss_mb,
        "peak_mb": peak_mb,
        "first_ms": first_ms,
        "first_after_change_ms": first_after_change_ms,
        "rss_after_haystack_mb": _resident_mb(),
        "haystack": {**haystack, "runs": runs},
    }


def _first_search_after_a_change(service) -> float:
    """ms of the first search after a commit (one email indexed again, its content the same),
    in a process that has searched before: what a web worker meets after an import or a tag."""
    from documents.models import Document
    from search._indexing import index_documents

    service.search("county")
    index_documents([Document.objects.order_by("pk").values_list("pk", flat=True).first()])
    started = time.perf_counter()
    service.search("county")
    return (time.perf_counter() - started) * 1000


def _resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--phase":
        setup_django()
        phases = {"generate": phase_generate, "index": phase_index, "measure": phase_measure}
        print(json.dumps(phases[sys.argv[2]](int(sys.argv[3]))))
    else:
        main()
