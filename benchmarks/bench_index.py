"""make bench-index: build the search index of the generated 20,000- and 100,000-email archives,
ours against a plain Whoosh writer given the same emails.

"ours" is what a rebuild does (``search._indexing.rebuild_index``): read the emails from
PostgreSQL, prepare their fields, write them into a new folder and switch to it. "plain" is
Whoosh's default writer (``ix.writer()``, one process) adding the very same field values, read
from a file the same fields were dumped to beforehand (not timed), into the same schema, in one
commit. Each build runs in its own process, the two taking turns, so a change of this shared
machine's speed weighs on both alike. Prints each build's time, emails/s, the ratio of the
rates, and peak memory (of the process and of its writer processes).

The archives are bench-search's (databases ``foia_bench_<size>``, built once, see
bench_search.py).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_search import (  # noqa: E402
    BENCH_DIR,
    SIZES,
    prepare_database,
    server_url,
)
from benchmarks.child_phase import figures_since, run_phase  # noqa: E402 (after sys.path)

# Turns of each build per size: a 100,000-email plain build takes about ten minutes.
TURNS = {20_000: 2, 100_000: 1}


def child(phase: str, size: int, env: dict, folder: Path) -> dict:
    return run_phase(__file__, phase, size, folder, env=env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--turns", type=int, help="builds of each kind per size")
    arguments = parser.parse_args()
    url, keep_alive = server_url()
    for size in [int(size) for size in arguments.sizes.split(",")]:
        env, _ = prepare_database(size, url)
        turns = arguments.turns or TURNS.get(size, 2)
        with tempfile.TemporaryDirectory(dir=BENCH_DIR) as scratch:
            fields = Path(scratch) / "fields.pickle"
            print(f"{size:,} emails: dumping their fields for the plain writer (not timed)…")
            child("dump", size, env, fields)
            runs: dict[str, list[dict]] = {"plain": [], "ours": []}
            for turn in range(turns):
                for name in runs:
                    folder = Path(scratch) / f"{name}-{turn}"
                    folder.mkdir()
                    phase_env = env | {"WHOOSH_PATH": str(folder)}
                    source = fields if name == "plain" else folder
                    runs[name].append(child(name, size, phase_env, source))
                    print(f"  {name:5} {runs[name][-1]['seconds']:7.1f} s", flush=True)
                    shutil.rmtree(folder)
        report(size, runs)
    del keep_alive


def report(size: int, runs: dict[str, list[dict]]) -> None:
    seconds = {
        name: statistics.median(run["seconds"] for run in done) for name, done in runs.items()
    }
    print(f"\n{size:,} emails, median of {len(runs['ours'])} build(s) each, taking turns:")
    for name, label in (("plain", "plain Whoosh writer"), ("ours", "our rebuild")):
        peak = max(run["peak_mb"] for run in runs[name])
        writers = max(run["children_peak_mb"] for run in runs[name])
        print(
            f"  {label:20} {seconds[name]:7.1f} s  {size / seconds[name]:6.0f} emails/s  "
            f"peak {peak:4.0f} MB (writer processes {writers:.0f} MB)"
        )
    print(f"  ours ÷ plain, by rate: {seconds['plain'] / seconds['ours']:.2f}x (target ≥ 1.0x)")


# --- the children ---------------------------------------------------------------------------------


def phase_dump(size: int, path: Path) -> dict:
    """Every email's fields as our index prepares them, one pickle each."""
    from documents.models import Document
    from search._indexing import DOCUMENTS_PER_QUERY, _backend_and_index

    backend, search_index = _backend_and_index()
    ids = sorted(Document.objects.values_list("pk", flat=True))
    with path.open("wb") as out:
        for start in range(0, len(ids), DOCUMENTS_PER_QUERY):
            chunk = ids[start : start + DOCUMENTS_PER_QUERY]
            for document in search_index.index_queryset().filter(pk__in=chunk):
                pickle.dump(backend.fields(search_index, document), out)
    return {"emails": len(ids)}


def phase_plain(size: int, path: Path) -> dict:
    """Whoosh's default writer adding the dumped fields into our schema, one commit."""
    from haystack import connections
    from whoosh.index import create_in

    backend = connections["default"].get_backend()
    fields = connections["default"].get_unified_index().all_searchfields()
    schema = backend.build_schema(fields)[1]  # what the backend's setup() creates
    folder = Path(os.environ["WHOOSH_PATH"])
    started = time.perf_counter()
    index = create_in(str(folder), schema)
    writer = index.writer()
    with path.open("rb") as source:
        while True:
            try:
                document = pickle.load(source)
            except EOFError:
                break
            writer.add_document(**document)
    writer.commit()
    return figures_since(started)


def phase_ours(size: int, _folder: Path) -> dict:
    from search._indexing import rebuild_index

    started = time.perf_counter()
    rebuild_index()
    return figures_since(started)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--phase":
        import django

        django.setup()
        phases = {"dump": phase_dump, "plain": phase_plain, "ours": phase_ours}
        print(json.dumps(phases[sys.argv[2]](int(sys.argv[3]), Path(sys.argv[4]))))
    else:
        main()
