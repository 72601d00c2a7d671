"""make bench-ocr: import a generated 100-page scanned production and compare with plain Tesseract.

The production is printed (born-digital), then photocopied to an image-only PDF (grey, turned,
speckled, 200 dpi), so every page needs OCR. Prints pages/s and peak memory of the import with
``--workers 1`` and ``2``, each beside plain ``tesseract`` reading the same page images one after
another in the same run (rendering them is not counted for Tesseract, and is for the import).
Targets (issue 19): at most 1.15x plain Tesseract's time at 1 worker, under 0.6x at 2 workers.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PAGES = 100

from benchmarks.rolled_back_import import import_and_roll_back  # noqa: E402 (after sys.path)
from documents.imports.sample_batch import write_generated_production  # noqa: E402
from tests.scans import SCAN_DPI, photocopy  # noqa: E402


def plain_tesseract(scan: Path, folder: Path) -> dict:
    """Tesseract alone on the scan's page images (rendered beforehand, at the import's DPI)."""
    from documents.ingest.ocr import DEFAULT_DPI

    images = folder / "images"
    images.mkdir()
    subprocess.run(
        ["pdftoppm", "-r", str(DEFAULT_DPI), "-gray", str(scan), str(images / "page")], check=True
    )
    pages = sorted(images.glob("*.pgm"))
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    started = time.perf_counter()
    for page in pages:
        subprocess.run(
            ["tesseract", str(page), "-", "tsv"],
            check=True,
            capture_output=True,
            env=environment,
        )
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    shutil.rmtree(images)
    return {"seconds": seconds, "pages": len(pages), "peak_mb": peak_kb / 1024}


def run_import(scan: Path, workers: int) -> dict:
    started = time.perf_counter()
    pages, emails = import_and_roll_back(scan, workers)
    return {
        "seconds": time.perf_counter() - started,
        "pages": pages,
        "emails": emails,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "tesseract_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def measure(*arguments: str) -> dict:
    """One run in a process of its own, so that its peak memory is its own."""
    output = subprocess.run(
        [sys.executable, __file__, *arguments],
        check=True,
        stdout=subprocess.PIPE,  # its errors reach the terminal
        text=True,
        cwd=ROOT,
    ).stdout
    return json.loads(output.splitlines()[-1])


def main() -> None:
    if shutil.which("tesseract") is None or shutil.which("pdftoppm") is None:
        sys.exit("bench-ocr needs tesseract-ocr and poppler-utils")
    with tempfile.TemporaryDirectory() as folder:
        printed, scan = Path(folder) / "printed.pdf", Path(folder) / "scan.pdf"
        write_generated_production(printed, PAGES * 6 // 5)  # about 0.85 pages per email
        photocopy(printed, scan)
        plain = measure("--plain", str(scan))
        print(
            f"Scanned production: {plain['pages']} pages, {scan.stat().st_size / 1e6:.1f} MB, "
            f"{SCAN_DPI} dpi"
        )
        print(
            f"plain tesseract, one page after another: {plain['seconds']:.1f} s, "
            f"{plain['pages'] / plain['seconds']:.2f} pages/s, peak {plain['peak_mb']:.0f} MB"
        )
        for workers, target in ((1, "<= 1.15x"), (2, "< 0.6x")):
            run = measure("--import", str(scan), str(workers))
            print(
                f"import_batch --workers {workers}: {run['seconds']:.1f} s, "
                f"{run['pages'] / run['seconds']:.2f} pages/s, {run['emails']} emails, peak "
                f"{run['peak_mb']:.0f} MB (tesseract {run['tesseract_peak_mb']:.0f} MB), "
                f"{run['seconds'] / plain['seconds']:.2f}x plain tesseract (target {target})"
            )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--plain":
        with tempfile.TemporaryDirectory() as images:
            print(json.dumps(plain_tesseract(Path(sys.argv[2]), Path(images))))
    elif len(sys.argv) > 3 and sys.argv[1] == "--import":
        print(json.dumps(run_import(Path(sys.argv[2]), int(sys.argv[3]))))
    else:
        main()
