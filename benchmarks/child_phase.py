"""Benchmarks run each step in a child process of its own (``SCRIPT --phase NAME ARGS...``), so
that peak memory is that step's alone and one step's imports and caches do not weigh on the
next; a step prints its figures as JSON on its last line of output."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_phase(script: str, phase: str, *arguments, env: dict | None = None) -> dict:
    output = subprocess.run(
        [sys.executable, script, "--phase", phase, *map(str, arguments)],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    ).stdout
    return json.loads(output.splitlines()[-1])


def figures_since(started: float) -> dict:
    """Seconds since ``started``, and the peak memory of this process and of its children."""
    return {
        "seconds": time.perf_counter() - started,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "children_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }
