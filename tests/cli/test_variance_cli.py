"""`sales-tools report variance` on a real master: ERPNext's layout, checked by hand."""

import subprocess
import sys

import pandas as pd
import pytest
from schema_rows import frame

from sales_tools.excel.builder import build_master

T = pd.Timestamp


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    inputs = {
        "reps": frame("reps", [("R1", "Ann", "North"), ("R2", "Bo", "South"), ("R3", "Cy", "South")]),
        "customers": frame("customers", [("C1", "One"), ("C2", "Two")]),
        "categories": frame("categories", [("X",)]),
        "orders": frame("orders", [
            ("A", 1, T("2024-02-10"), "R1", "C1", "X", 1, 300, 300.0),
            ("B", 1, T("2024-05-10"), "R2", "C2", "X", 1, 700, 700.0),
            ("C", 1, T("2024-05-11"), "R3", "C2", "X", 1, 50, 50.0),
        ]),
        "returns": frame("returns", [("B", 1, T("2024-08-01"), 100.0)]),
        "targets": frame("targets", [(2024, "R1", None, None, None, 1200.0), (2024, "R2", None, None, None, 2400.0)]),
    }  # fmt: skip
    return build_master(tmp_path_factory.mktemp("variance") / "master.xlsx", inputs)


def _run(*args):
    return subprocess.run(
        [sys.executable, "-m", "sales_tools.cli", "report", "variance", *map(str, args)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_reps_by_quarter_with_a_total_of_the_reps_with_a_target(master):
    done = _run(master, "--by", "rep", "--period", "quarter", "--year", "2024")
    assert done.returncode == 0, done.stderr
    lines = {line.split()[0]: line.split()[1:] for line in done.stdout.splitlines()[3:] if line.strip()}
    # R1: 300 a quarter, sold 300 in Q1; R2: 600 a quarter, 700 in Q2, 100 back in Q3; R3 has no target
    assert lines["R1"][:3] == ["300.00", "300.00", "0.00"]
    assert lines["R2"][3:9] == ["600.00", "700.00", "100.00", "600.00", "-100.00", "-700.00"]
    assert " ".join(lines["R3"]) == (  # no target: said, then the actual, the variance blank
        "no target 0.00 no target 50.00 no target 0.00 no target 0.00 no target 50.00"
    )
    assert lines["Total"][-3:] == ["3,600.00", "900.00", "-2,700.00"]  # 300 + 600, R3's 50 left out


def test_a_level_without_targets_is_an_error_naming_what_there_is(master):
    done = _run(master, "--by", "region", "--year", "2024")
    assert done.returncode == 2
    assert done.stderr.strip() == "Error: the Targets sheet has no region target for 2024; it has targets by rep (2024)"


def test_out_writes_the_same_figures_as_a_printable_workbook(master, tmp_path):
    from openpyxl import load_workbook

    done = _run(master, "--by", "rep", "--period", "half", "--year", "2024", "--out", tmp_path)
    assert done.returncode == 0, done.stderr
    path = tmp_path / "target_variance_rep_half_2024.xlsx"
    assert done.stdout.splitlines()[-1] == str(path)
    ws = load_workbook(path).active
    assert [ws.cell(4, c).value for c in (2, 5, 8)] == ["2024-H1", "2024-H2", "Year"]
    assert [ws.cell(5, c).value for c in range(1, 5)] == ["Rep", "Target", "Actual", "Variance"]
    rows = {ws.cell(r, 1).value: [ws.cell(r, c).value for c in range(2, 11)] for r in range(6, 10)}
    assert rows["R2"] == [1200.0, 700.0, -500.0, 1200.0, -100.0, -1300.0, 2400.0, 600.0, -1800.0]
    assert rows["Total"][-3:] == [3600.0, 900.0, -2700.0]
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$4:$5"


@pytest.fixture(scope="module")
def margin_master(tmp_path_factory):
    inputs = {
        "reps": frame("reps", [("R1", "Ann", "North")]),
        "customers": frame("customers", [("C1", "One")]),
        "categories": frame("categories", [("X",)]),
        "orders": frame("orders", [
            ("A", 1, T("2024-02-10"), "R1", "C1", "X", 3, 100, 300.0, 60.0),
            ("B", 1, T("2024-05-10"), "R1", "C1", "X", 2, 250, 500.0, 100.0),
        ]),
        "targets": frame("targets", [(2024, "R1", None, None, None, 6000.0),
                                     (2024, "R1", None, None, None, 1200.0, "margin")]),
    }  # fmt: skip
    return build_master(tmp_path_factory.mktemp("margin") / "master.xlsx", inputs)


def test_measure_margin_compares_the_margin_targets(margin_master):
    done = _run(margin_master, "--by", "rep", "--period", "quarter", "--year", "2024", "--measure", "margin")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].strip() == "Target variance by rep, 2024 (margin)"
    lines = {line.split()[0]: line.split()[1:] for line in done.stdout.splitlines()[3:] if line.strip()}
    # 1,200 a year = 300 a quarter; Q1: 300 - 3 x 60 = 120; Q2: 500 - 2 x 100 = 300; the year 420
    assert lines["R1"] == ["300.00", "120.00", "-180.00", "300.00", "300.00", "0.00", "300.00", "0.00", "-300.00",
                           "300.00", "0.00", "-300.00", "1,200.00", "420.00", "-780.00"]  # fmt: skip
    revenue = _run(margin_master, "--by", "rep", "--period", "year", "--year", "2024")
    assert revenue.stdout.split()[-3:] == ["6,000.00", "800.00", "-5,200.00"]  # the default: revenue


def test_a_measure_without_targets_is_an_error(margin_master):
    done = _run(margin_master, "--by", "rep", "--year", "2024", "--measure", "quantity")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "Error: the Targets sheet has no rep quantity target for 2024; it has quantity targets by none"
    )
