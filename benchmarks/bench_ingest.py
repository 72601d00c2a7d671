"""make bench-ingest: import a generated production of 1,000+ pages and compare with plain pdfminer.

Prints pages/s, emails/s and peak memory of each run, and the import time as a ratio of plain
pdfminer.six ``extract_text`` on the same file. Each run is its own process, so peak memory
(ru_maxrss) is that run's alone; runs at two file lengths show whether memory grows with length.
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
EMAILS_PER_1000_PAGES = 1200

from benchmarks.child_phase import run_phase  # noqa: E402
from benchmarks.rolled_back_import import import_and_roll_back  # noqa: E402 (after sys.path)
from documents.imports.sample_batch import write_generated_production  # noqa: E402


def timed_phase(phase: str, pdf: Path, workers: int = 1) -> dict:
    started = time.perf_counter()
    if phase == "extract":
        from pdfminer.high_level import extract_text

        pages = extract_text(str(pdf)).count("\f")
        emails = 0
    else:
        pages, emails = import_and_roll_back(pdf, workers)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "seconds": seconds,
        "pages": pages,
        "emails": emails,
        "peak_mb": peak_kb / 1024,
        "workers_peak_mb": children_kb / 1024,
    }


def measure(phase: str, pdf: Path, workers: int = 1) -> dict:
    return run_phase(__file__, phase, pdf, workers)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        short, long = Path(folder) / "short.pdf", Path(folder) / "long.pdf"
        write_generated_production(short, EMAILS_PER_1000_PAGES // 2)
        write_generated_production(long, EMAILS_PER_1000_PAGES)
        plain = measure("extract", long)
        print(f"Production: {plain['pages']:,} pages ({long.stat().st_size / 1e6:.1f} MB)")
        print(
            f"plain pdfminer extract_text: {plain['seconds']:.1f} s, "
            f"{plain['pages'] / plain['seconds']:.1f} pages/s, peak {plain['peak_mb']:.0f} MB"
        )
        runs = {}
        for workers in (1, 2):
            run = runs[workers] = measure("import", long, workers)
            print(
                f"import_batch --workers {workers}: {run['seconds']:.1f} s, "
                f"{run['pages'] / run['seconds']:.1f} pages/s, {run['emails'] / run['seconds']:.1f} "
                f"emails/s, peak {run['peak_mb']:.0f} MB (workers {run['workers_peak_mb']:.0f} MB), "
                f"{run['seconds'] / plain['seconds']:.2f}x plain extraction "
                f"(target {'1.3x' if workers == 1 else '< 1.0x'})"
            )
        half = measure("import", short, 1)
        print(
            f"peak memory of import_batch: {half['peak_mb']:.0f} MB for {half['pages']:,} pages, "
            f"{runs[1]['peak_mb']:.0f} MB for {runs[1]['pages']:,} pages"
        )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--phase":
        print(json.dumps(timed_phase(sys.argv[2], Path(sys.argv[3]), int(sys.argv[4]))))
    else:
        main()
