"""`sales-tools grow-targets`: next year's Targets rows written into a real master."""

import subprocess
import sys

import pandas as pd
from schema_rows import frame

from sales_tools.excel.builder import build_master
from sales_tools.excel.reader import read_tables
from sales_tools.schema import TABLES

T = pd.Timestamp


def _run(*args):
    return subprocess.run([sys.executable, "-m", "sales_tools.cli", "grow-targets", *map(str, args)],
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def test_team_regions_categories_and_reps_grow_from_last_years_net_sales(tmp_path):
    master = build_master(tmp_path / "master.xlsx", {
        "reps": frame("reps", [("R1", "Ann", "North"), ("R2", "Bo", "South")]),
        "customers": frame("customers", [("C1", "One")]),
        "categories": frame("categories", [("X",), ("Y",)]),
        "orders": frame("orders", [("A", 1, T("2024-03-01"), "R1", "C1", "X", 1, 1000, 1000.0),
                                    ("B", 1, T("2024-06-01"), "R2", "C1", "Y", 1, 600, 600.0)]),
        "returns": frame("returns", [("B", 1, T("2024-07-01"), 100.0)]),
        "targets": frame("targets", [(2025, "R1", None, None, None, 999.0)]),
    })  # fmt: skip
    done = _run(master, "--year", "2025", "--team", "10%", "--rep", "0.2")
    assert done.returncode == 0, done.stderr
    targets = read_tables(master, ["targets"])["targets"]
    got = {
        tuple(v for v in r[1:5] if pd.notna(v)): r[5] for r in targets[TABLES["targets"].names].itertuples(index=False)
    }
    assert got == {
        ("R1",): 999.0,  # already on the sheet: kept, not doubled
        (): 1650.0,  # team: (1000 + 600 - 100) x 1.1
        ("North",): 1100.0, ("South",): 550.0,  # 1000 x 1.1, 500 x 1.1
        ("X",): 1100.0, ("Y",): 550.0,
        ("R2",): 600.0,  # 500 x 1.2
    }  # fmt: skip
    assert "6 row(s) added" in done.stdout and "already on the sheet: kept" in done.stdout
    again = _run(master, "--year", "2025")
    assert again.returncode == 0 and "0 row(s) added" in again.stdout
    assert len(read_tables(master, ["targets"])["targets"]) == 7


def test_a_year_without_sales_before_it_is_refused(tmp_path):
    master = build_master(tmp_path / "master.xlsx", {})
    done = _run(master, "--year", "2030")
    assert done.returncode == 2
    assert done.stderr.strip() == "Error: there are no sales in 2029 to grow 2030's targets from"


def test_margin_targets_stand_beside_the_grown_revenue_targets(tmp_path):
    master = build_master(tmp_path / "master.xlsx", {
        "reps": frame("reps", [("R1", "Ann", "North")]),
        "customers": frame("customers", [("C1", "One")]),
        "categories": frame("categories", [("X",)]),
        "orders": frame("orders", [("A", 1, T("2024-03-01"), "R1", "C1", "X", 1, 1000, 1000.0, 600.0)]),
        "targets": frame("targets", [(2025, "R1", None, None, None, 999.0, "Revenue"),
                                     (2025, "R1", None, None, None, 450.0, "margin")]),
    })  # fmt: skip
    done = _run(master, "--year", "2025", "--team", "10%", "--rep", "20%")
    assert done.returncode == 0, done.stderr
    targets = read_tables(master, ["targets"])["targets"]
    rows = targets[targets["rep_id"] == "R1"][["annual_target", "measure"]].values.tolist()
    # R1's revenue row (measure typed, not blank) is the one grow-targets would add: kept, not doubled
    assert rows == [[999.0, "revenue"], [450.0, "margin"]]
    added = targets[targets["rep_id"].isna()]
    assert added["annual_target"].tolist() == [1100.0] * 3  # team, North, X: 1,000 x 1.1
    assert added["measure"].isna().all()  # revenue, blank
