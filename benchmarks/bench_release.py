"""make bench-release: a whole generated release imported with ``--workers 2`` into an empty
archive, index included.

The release is many PDF files of about 500 pages (the three print styles by turns, emails of a
few lines to two pages, some quoting the one before), 5,000 pages and then 15,000 pages, so
that peak memory at the two sizes shows whether it grows with the release. Prints the total
time, pages/s, emails/s, each phase's share (reading the files, writing the database, writing
the index) and peak memory; beside it, plain pdfminer.six ``extract_text`` of one of the files
in the same run, and the release's time at that rate on one core. Releases are generated once
into var/bench/.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_mbox import empty_archive  # noqa: E402 (after sys.path)
from benchmarks.bench_search import BENCH_DIR, server_url  # noqa: E402
from benchmarks.child_phase import run_phase  # noqa: E402

SIZES = (5_000, 15_000)  # pages
PAGES_PER_FILE = 500
EMAILS_PER_FILE = 430  # about 500 pages in the mixed print styles
WORKERS = 2


def child(phase: str, argument: str, env: dict) -> dict:
    return run_phase(__file__, phase, argument, env=env)


def release(pages: int) -> Path:
    folder = BENCH_DIR / f"release-{pages}"
    files = -(-pages // PAGES_PER_FILE)
    if len(list(folder.glob("*.pdf"))) != files:
        print(f"Generating a release of about {pages:,} pages in {folder} (once)…", flush=True)
        folder.mkdir(parents=True, exist_ok=True)
        child("generate", f"{folder}:{files}", os.environ)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="pages, comma-separated")
    arguments = parser.parse_args()
    url, keep_alive = server_url()
    runs = {}
    for pages in [int(size) for size in arguments.sizes.split(",")]:
        folder = release(pages)
        plain = child("plain", str(sorted(folder.glob("*.pdf"))[0]), os.environ)
        env = empty_archive(url, BENCH_DIR / "release-archive")
        ours = runs[pages] = child("import", str(folder), env)
        report(ours, plain)
    if len(runs) > 1:
        peaks = ", ".join(
            f"{run['peak_mb']:.0f} MB at {run['pages']:,} pages" for run in runs.values()
        )
        print(f"\npeak memory (import process or any of its children): {peaks}")
    del keep_alive


def report(run: dict, plain: dict) -> None:
    seconds, pages, emails = run["seconds"], run["pages"], run["emails"]
    print(
        f"\n{pages:,} pages in {run['files']} files, {emails:,} emails, --workers {WORKERS}: "
        f"{seconds:.0f} s ({seconds / 60:.1f} min, target ≤ 10 min), {pages / seconds:.1f} "
        f"pages/s, {emails / seconds:.1f} emails/s, peak {run['peak_mb']:.0f} MB"
    )
    shares = ", ".join(
        f"{phase} {spent:.0f} s ({spent / seconds:.0%})" for phase, spent in run["phases"].items()
    )
    print(f"  phases: {shares}")
    rate = plain["pages"] / plain["seconds"]
    print(
        f"  plain pdfminer.six extract_text, one file of {plain['pages']} pages: {rate:.1f} "
        f"pages/s, so {pages / rate / 60:.1f} min for the release on one core; ours "
        f"{(pages / seconds) / rate:.2f}x its rate"
    )


# --- the children ---------------------------------------------------------------------------------


def phase_generate(argument: str) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foia_archive.settings")
    django.setup()
    from documents.imports.sample_batch import write_generated_production

    folder, files = argument.rsplit(":", 1)
    for number in range(int(files)):
        write_generated_production(
            Path(folder) / f"ICE 2010FOIA2674 part {number + 1:03}.pdf",
            EMAILS_PER_FILE,
            first=number * EMAILS_PER_FILE,
            mixed=True,
        )
    return {}


def phase_plain(path: str) -> dict:
    from pdfminer.high_level import extract_text

    started = time.perf_counter()
    pages = extract_text(path).count("\f")
    return {"seconds": time.perf_counter() - started, "pages": pages}


def phase_import(folder: str) -> dict:
    """What ``import_batch --workers 2`` runs (its progress bar aside)."""
    import django

    django.setup()
    from documents.imports.isolation import Limits
    from documents.imports.service import BatchImporter, BatchOptions
    from documents.ingest import iter_entries

    started = time.perf_counter()
    importer = BatchImporter(BatchOptions(name="bench-release"), workers=WORKERS, index=True)
    report = importer.run(iter_entries([Path(folder)]), Limits.from_settings())
    peak_kb = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    return {
        "seconds": time.perf_counter() - started,
        "files": len(report.files),
        "pages": report.batch.page_count,
        "emails": report.batch.email_count,
        "phases": report.seconds,
        "peak_mb": peak_kb / 1024,
    }


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--phase":
        phases = {"generate": phase_generate, "plain": phase_plain, "import": phase_import}
        print(json.dumps(phases[sys.argv[2]](sys.argv[3])))
    else:
        main()
