"""Scans built at test time: a printed PDF photocopied to an image-only PDF, as agencies release
email (grey paper and ink, each page turned a little, speckled, 200 dpi)."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

from PIL import Image

SCAN_DPI = 200


def photocopy(printed: Path, scan: Path, seed: int = 81, angle: float | None = None) -> Path:
    """Every page of ``printed`` rendered, turned by ``angle`` degrees (by default up to a degree
    either way), speckled and greyed, saved to ``scan`` with no text layer."""
    prefix = scan.with_name(scan.stem + "-page")
    subprocess.run(
        ["pdftoppm", "-r", str(SCAN_DPI), "-gray", str(printed), str(prefix)], check=True
    )
    noise = random.Random(seed)
    pages = []
    for raster in sorted(scan.parent.glob(f"{prefix.name}-*.pgm")):
        turn = noise.uniform(-1.0, 1.0) if angle is None else angle
        image = Image.open(raster).convert("L")
        image = image.rotate(
            turn, resample=Image.Resampling.BICUBIC, expand=turn % 90 == 0, fillcolor=255
        )
        pixels = image.load()
        width, height = image.size
        for _ in range(width * height // 3000):
            pixels[noise.randrange(width), noise.randrange(height)] = noise.choice((0, 80))
        pages.append(image.point(lambda value: 40 + value * 3 // 4))
        raster.unlink()
    pages[0].save(scan, "PDF", resolution=SCAN_DPI, save_all=True, append_images=pages[1:])
    return scan
