"""make bench-mbox: import generated mboxes with ``import_batch --workers 2`` (index included)
and compare.

1. Speed: mboxes of 5,000 and 20,000 messages, each imported into an empty archive, against the
   standard library's own parse-and-read of the same messages (``email.policy.default``: the
   addresses, the date and the plain body) in the same run, the two taking turns. Prints
   messages/s, the ratio of the rates and the peak memory of the import (its process and the
   child that reads the file), at both sizes, to show whether memory grows with the mbox.
2. Cost as the archive grows: one 2,000-message mbox imported into an empty archive and into a
   copy of bench-search's generated archive of 100,000 emails (its database and index, built
   once). Prints both times and their ratio.

Every import runs in its own process, on a database of its own made beforehand (not timed).
"""

from __future__ import annotations

import argparse
import json
import mailbox
import os
import shutil
import sys
import tempfile
import time
from email import policy
from email.parser import BytesParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_search import (  # noqa: E402
    BENCH_DIR,
    prepare,
    reset_database,
    server_url,
    with_database,
)
from benchmarks.child_phase import figures_since, run_phase  # noqa: E402 (after sys.path)

SIZES = (5_000, 20_000)
BATCH = 2_000
LARGE_ARCHIVE = 100_000
WORKERS = 2  # import_batch --workers 2, on 2 cores: the mbox is read while it is written
EMPTY = "foia_bench_mbox_empty"
FULL = "foia_bench_mbox_full"


def child(phase: str, argument: str, env: dict) -> dict:
    return run_phase(__file__, phase, argument, env=env)


def archive_env(url: str, database: str, scratch: Path) -> dict:
    return os.environ | {
        "DATABASE_URL": with_database(url, database),
        "WHOOSH_PATH": str(scratch / "whoosh"),
        "MEDIA_ROOT": str(scratch / "media"),
        "DJANGO_SETTINGS_MODULE": "foia_archive.settings",
        # A 20,000-message mbox is one file, read under the per-file time limit.
        "IMPORT_FILE_TIME_LIMIT": "7200",
        "PYTHONUNBUFFERED": "1",
    }


def empty_archive(url: str, scratch: Path) -> dict:
    """A new archive (tables, gazetteer, empty index) and the environment that imports into it."""
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    reset_database(url, EMPTY)
    env = archive_env(url, EMPTY, scratch)
    child("setup", "", env)
    return env


def full_archive(url: str, scratch: Path) -> dict:
    """A copy of the generated 100,000-email archive: its database and its index."""
    import psycopg
    from psycopg import sql

    source = prepare(LARGE_ARCHIVE, url)  # builds it on first use
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(FULL))
        )
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(FULL), sql.Identifier(f"foia_bench_{LARGE_ARCHIVE}")
            )
        )
    shutil.copytree(source["WHOOSH_PATH"], scratch / "whoosh")
    env = archive_env(url, FULL, scratch)
    child("setup", "", env)  # migrations the copy may lack
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help='"" for part 2 only')
    parser.add_argument("--skip-growth", action="store_true", help="part 1 only")
    arguments = parser.parse_args()
    url, keep_alive = server_url()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=BENCH_DIR) as folder:
        folder = Path(folder)
        speed = {}
        for size in [int(size) for size in arguments.sizes.split(",") if size]:
            mbox = folder / f"{size}.mbox"
            child("generate", f"{mbox}:{size}:1", os.environ)
            plain = child("plain", str(mbox), os.environ)
            ours = child("import", str(mbox), empty_archive(url, folder / "archive"))
            speed[size] = (plain, ours)
            print(
                f"{size:,} messages: plain {plain['seconds']:.1f} s "
                f"({size / plain['seconds']:.0f}/s), import {ours['seconds']:.1f} s "
                f"({size / ours['seconds']:.0f}/s)",
                flush=True,
            )
        if speed:
            report_speed(speed)
        if not arguments.skip_growth:
            mbox = folder / "batch.mbox"
            child("generate", f"{mbox}:{BATCH}:2", os.environ)
            into_empty = child("import", str(mbox), empty_archive(url, folder / "archive"))
            into_full = child("import", str(mbox), full_archive(url, folder / "archive"))
            report_growth(into_empty, into_full)
    del keep_alive


def report_speed(speed: dict) -> None:
    print("\nimport_batch of an mbox into an empty archive, index included:")
    print(f"{'messages':>9} {'plain/s':>9} {'ours/s':>8} {'ratio':>7} {'peak MB':>8}  target")
    for size, (plain, ours) in speed.items():
        peak = max(ours["peak_mb"], ours["children_peak_mb"])
        print(
            f"{size:>9,} {size / plain['seconds']:>9.0f} {size / ours['seconds']:>8.0f} "
            f"{plain['seconds'] / ours['seconds']:>6.2f}x {peak:>8.0f}  ≥ 150/s, ≥ 0.12x"
        )
    print("  plain: mailbox + email.policy.default, each message's addresses, date, plain body")


def report_growth(into_empty: dict, into_full: dict) -> None:
    ratio = into_full["seconds"] / into_empty["seconds"]
    print(
        f"\n{BATCH:,} messages into an empty archive: {into_empty['seconds']:.1f} s; into "
        f"{LARGE_ARCHIVE:,} emails: {into_full['seconds']:.1f} s; {ratio:.2f}x (target ≤ 1.2x)"
    )
    for name, run in (("empty", into_empty), (f"{LARGE_ARCHIVE:,}", into_full)):
        print(f"  into {name}: {phases(run)}")


def phases(run: dict) -> str:
    return ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in run["phases"].items())


# --- the children ---------------------------------------------------------------------------------


def phase_generate(argument: str) -> dict:
    from benchmarks.generated_mbox import write_mbox

    path, size, seed = argument.rsplit(":", 2)
    write_mbox(Path(path), int(size), int(seed))
    return {}


def phase_plain(path: str) -> dict:
    """The standard library's parse-and-read of every message."""
    started = time.perf_counter()
    parser = BytesParser(policy=policy.default)
    for message in mailbox.mbox(path, factory=parser.parse, create=False):
        for header in ("from", "to", "cc"):
            if message[header] is not None:
                [address.addr_spec for address in message[header].addresses]
        if message["date"] is not None:
            message["date"].datetime  # noqa: B018 (read, as an import reads it)
        body = message.get_body(("plain",))
        if body is not None:
            body.get_content()
    return figures_since(started)


def phase_setup(_argument: str) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    from documents.imports.gazetteer import load_gazetteer
    from documents.models import Jurisdiction
    from search import ensure_index

    call_command("migrate", verbosity=0)
    if not Jurisdiction.objects.exists():
        load_gazetteer()
    ensure_index()
    return {}


def phase_import(path: str) -> dict:
    """What ``import_batch`` runs (its progress bar aside): each file in a child process under
    the settings' limits, the index written as it goes."""
    import django

    django.setup()
    from documents.imports.isolation import Limits
    from documents.imports.service import BatchImporter, BatchOptions
    from documents.ingest import iter_entries

    started = time.perf_counter()
    importer = BatchImporter(BatchOptions(name="bench-mbox"), workers=WORKERS, index=True)
    report = importer.run(iter_entries([Path(path)]), Limits.from_settings())
    return figures_since(started) | {"phases": report.seconds}


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--phase":
        phases = {
            "generate": phase_generate,
            "plain": phase_plain,
            "setup": phase_setup,
            "import": phase_import,
        }
        print(json.dumps(phases[sys.argv[2]](sys.argv[3])))
    else:
        main()
