"""The versions pyproject.toml allows are the ones CI tests: its lower bounds are the
oldest set's pins (scripts/oldest.txt), and that set is xlwings Lite's pandas and numpy."""

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def lower_bounds() -> dict[str, str]:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    found = (re.match(r"([\w-]+)>=([\w.]+)", d) for d in deps)
    return {m[1]: m[2] for m in found if m and m[1] != "pywin32"}  # pywin32: Windows only, not run here


def oldest_pins() -> dict[str, str]:
    lines = (ROOT / "scripts" / "oldest.txt").read_text().splitlines()
    return dict(line.split("==") for line in lines if line and not line.startswith("#"))


def test_the_lower_bounds_are_the_oldest_tested_set():
    assert lower_bounds() == oldest_pins()


def test_the_oldest_environment_holds_the_whole_oldest_set():
    pins = oldest_pins()
    if version("pandas") != pins["pandas"]:
        pytest.skip("not the oldest environment")
    assert {name: version(name) for name in pins} == pins


def test_the_test_script_runs_the_oldest_set():
    script = (ROOT / "scripts" / "test.sh").read_text()
    assert "-c scripts/oldest.txt" in script and ".venv-oldest/bin/python -m pytest" in script
