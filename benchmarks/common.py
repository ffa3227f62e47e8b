"""What every benchmark shares: median timings, peak memory of a child process, the machine."""

from __future__ import annotations

import functools
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"  # ../shared/data next to the repo; never copied into it
RUN = ROOT / "benchmarks" / "run.py"


@dataclass
class Timing:
    """Seconds of each run of one thing; quote the median."""

    runs: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    def __str__(self) -> str:
        return f"{fmt_s(self.median)} (runs {', '.join(fmt_s(r) for r in self.runs)})"


def timed(fn, repeat: int):
    """Run `fn` `repeat` times; (Timing, the last result)."""
    timing, result = Timing(), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        timing.runs.append(time.perf_counter() - start)
    return timing, result


@contextmanager
def timers(module, names):
    """Time every call of `module.<name>` for each name while inside; yields name -> seconds.

    The attributes are put back on the way out.  Only calls that look the name up on
    `module` (the module's own calls, or ``module.name(...)``) are timed.
    """
    spent = {name: 0.0 for name in names}
    saved = {name: getattr(module, name) for name in names}

    def timer(name, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - start

        return wrapper

    try:
        for name, fn in saved.items():
            setattr(module, name, timer(name, fn))
        yield spent
    finally:
        for name, fn in saved.items():
            setattr(module, name, fn)


@contextmanager
def replaced(module, **functions):
    """`module.<name>` replaced by the given functions while inside."""
    saved = {name: getattr(module, name) for name in functions}
    try:
        for name, fn in functions.items():
            setattr(module, name, fn)
        yield
    finally:
        for name, fn in saved.items():
            setattr(module, name, fn)


def fmt_s(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def reset_peak() -> None:
    """Start `peak_mb` afresh from the memory in use now (Linux: clear_refs 5 resets VmHWM).

    Without it, the peak would be that of generating the inputs, not of what is measured.
    """
    Path("/proc/self/clear_refs").write_text("5")


def peak_mb() -> float:
    """Peak resident memory of this process since the last `reset_peak` (or its start), in MB."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)[1]) / 1024


def rss_mb() -> float:
    """Resident memory of this process now, in MB."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def child(name: str, path: str | None = None, **args) -> dict:
    """Run one measurement in a fresh Python process (`run.py --child name`); its JSON answer.

    A fresh process per size keeps one size's memory out of the next one's peak.
    `path` is put first on the child's PYTHONPATH (e.g. a folder holding lxml).
    """
    cmd = [sys.executable, str(RUN), "--child", name, "--args", json.dumps(args)]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [path, os.environ.get("PYTHONPATH")])))
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark child {name} {args} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def answer(result: dict) -> None:
    """A child's answer: one JSON line on stdout."""
    print(json.dumps(result, default=float))


def cents(values) -> np.ndarray:
    """Money as whole cents, for exact comparisons."""
    return np.rint(np.asarray(values, dtype="float64") * 100).astype("int64")


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    return {
        "cpus (nproc)": str(len(os.sched_getaffinity(0))),
        "cpu model": model,
        "ram": f"{mem / 2**20:.1f} GB",
        "load average (1/5/15 min)": " / ".join(f"{x:.2f}" for x in os.getloadavg()),
        "python": platform.python_version(),
        "pandas": pd.__version__,
        "numpy": np.__version__,
        "openpyxl": version("openpyxl"),
        "python-calamine": version("python-calamine"),
    }


def table(rows: list[dict]) -> str:
    """Rows of dicts as a Markdown table (columns from the first row)."""
    if not rows:
        return ""
    heads = list(rows[0])
    lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    lines += ["| " + " | ".join(str(r.get(h, "")) for h in heads) + " |" for r in rows]
    return "\n".join(lines)
