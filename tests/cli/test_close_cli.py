"""`sales-tools close` and `reopen` on a real master: Payouts, Close log, adjustments, frozen statements.

The book: reps A and B on plan Flat (5%).  January: A sells O1 for 1,000 (50.00), B sells
O2 for 2,000 (100.00); February: A sells O3 for 400 (20.00).
"""

import getpass
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest
from schema_rows import frame

from sales_tools.excel.builder import build_master
from sales_tools.excel.reader import read_tables
from sales_tools.schema import TABLES

T = pd.Timestamp
JAN, FEB = T("2024-01-01"), T("2024-02-01")


def _run(*args):
    return subprocess.run([sys.executable, "-m", "sales_tools.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=300)  # fmt: skip


@pytest.fixture
def master(tmp_path):
    return build_master(tmp_path / "master.xlsx", {
        "settings": frame("settings", [("as_of", "2024-02-29")]),
        "reps": frame("reps", [("A", "Ann", "North", None, None, "Flat"), ("B", "Bo", "South", None, None, "Flat")]),
        "customers": frame("customers", [("C1", "One")]),
        "categories": frame("categories", [("X",)]),
        "plan": frame("plan", [("Flat", "tier", None, 0.0, 0.05)]),
        "orders": frame("orders", [("O1", 1, T("2024-01-10"), "A", "C1", "X", None, None, 1000.0),
                                   ("O2", 1, T("2024-01-20"), "B", "C1", "X", None, None, 2000.0),
                                   ("O3", 1, T("2024-02-05"), "A", "C1", "X", None, None, 400.0)]),
    })  # fmt: skip


def _set(master, table, match, column, value):
    """Type `value` into `column` of the first row of `table` whose first cell is `match`, as a manager would."""
    wb = openpyxl.load_workbook(master)
    ws = wb[TABLES[table].sheet]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == match)
    ws.cell(row, TABLES[table].names.index(column) + 1).value = value
    wb.save(master)


def _summary(master):
    summary = read_tables(master, ["commission_summary"])["commission_summary"]
    return summary.set_index(["rep_id", "period"])


def test_close_edit_refresh_reopen_and_close_again(master):
    folder = master.parent / "statements" / "2024-01"
    done = _run("close", master, "--period", "2024-01")
    assert done.returncode == 0, done.stderr
    assert "2024-01" in done.stdout and "150.00" in done.stdout  # 50 + 100
    assert sorted(p.name for p in folder.iterdir()) == ["statement_2024-01_A.xlsx", "statement_2024-01_B.xlsx"]
    tables = read_tables(master, ["payouts", "paid_lines", "close_log"])
    payouts = tables["payouts"].set_index("rep_id")
    assert payouts.loc["A", ["period", "commission", "total"]].tolist() == [JAN, 50.0, 50.0]
    assert payouts.loc["B", "total"] == 100.0 and len(tables["paid_lines"]) == 2
    log = tables["close_log"].iloc[0]
    assert (log["action"], log["period"], log["by"], log["reps"], log["total"]) == (
        "close", JAN, getpass.getuser(), 2, 150.0
    )  # fmt: skip

    # O1 edited from 1,000 to 1,200 after the close: January stays as paid, February gets +10.00
    _set(master, "orders", "O1", "amount", 1200.0)
    assert _run("refresh", master).returncode == 0
    summary = _summary(master)
    assert summary.loc[("A", JAN), "total"] == 50.0
    assert summary.loc[("A", FEB), ["commission", "adjustment", "total"]].tolist() == [20.0, 10.0, 30.0]  # 400 x 5%
    lines = read_tables(master, ["commission_lines"])["commission_lines"]
    adjust = lines[lines["rule"].str.startswith("adjustment")]
    assert adjust[["rep_id", "period", "order_id", "rule", "amount"]].values.tolist() == [
        ["A", FEB, "O1", "adjustment 2024-01: edited order", 10.0]  # 1,200 x 5% - 50.00
    ]

    again = _run("close", master, "--period", "2024-01")
    assert again.returncode == 2 and "2024-01 is closed already" in again.stderr
    assert _run("reopen", master, "--period", "2024-01").returncode == 2  # --reason is required
    statement = (folder / "statement_2024-01_A.xlsx").read_bytes()
    reopened = _run("reopen", master, "--period", "2024-01", "--reason", "O1 was invoiced at 1,200")
    assert reopened.returncode == 0, reopened.stderr
    assert "Reopened 2024-01" in reopened.stdout and "150.00 had been paid" in reopened.stdout
    assert read_tables(master, ["payouts"])["payouts"].empty
    assert _summary(master).loc[("A", JAN), "total"] == 60.0  # open again: 1,200 x 5%

    closed = _run("close", master, "--period", "2024-01")
    assert closed.returncode == 0, closed.stderr
    assert "Statements already in" in closed.stdout and "kept as they are" in closed.stdout
    assert (folder / "statement_2024-01_A.xlsx").read_bytes() == statement  # written once
    assert read_tables(master, ["payouts"])["payouts"].set_index("rep_id").loc["A", "total"] == 60.0
    log = read_tables(master, ["close_log"])["close_log"]
    assert log[["action", "period", "total", "reason"]].fillna("").values.tolist() == [
        ["close", JAN, 150.0, ""],
        ["reopen", JAN, 150.0, "O1 was invoiced at 1,200"],
        ["close", JAN, 160.0, ""],  # 60 + 100
    ]


def test_closing_out_of_order_is_refused_and_through_closes_in_order(master, tmp_path):
    refused = _run("close", master, "--period", "2024-02")
    assert refused.returncode == 2
    assert "close 2024-01 first" in refused.stderr and "--through" in refused.stderr
    done = _run("close", master, "--period", "2024-02", "--through", "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["2024-01", "2024-02"]
    payouts = read_tables(master, ["payouts"])["payouts"]
    assert payouts[["rep_id", "period", "total"]].values.tolist() == [["A", JAN, 50.0], ["B", JAN, 100.0],
                                                                      ["A", FEB, 20.0]]  # fmt: skip
    refused = _run("reopen", master, "--period", "2024-01", "--reason", "x")
    assert refused.returncode == 2 and "reopen 2024-02 first" in refused.stderr


def test_an_edited_paid_line_stops_the_refresh(master):
    assert _run("close", master, "--period", "2024-01").returncode == 0
    _set(master, "paid_lines", "A", "amount", 55.0)
    done = _run("refresh", master)
    assert done.returncode == 2
    assert "Payouts, row 2: the paid figures or Paid lines of rep A for 2024-01 no longer match" in done.stderr


def test_a_refresh_adds_the_close_sheets_to_an_older_master(master):
    assert _run("refresh", master).returncode == 0  # Commission lines filled: not to be taken for Paid lines
    wb = openpyxl.load_workbook(master)
    for name in ("payouts", "paid_lines"):
        wb.remove(wb[TABLES[name].sheet])
    wb.save(master)
    refused = _run("close", master, "--period", "2024-01")
    assert refused.returncode == 2 and "has no Payouts, Paid lines sheet" in refused.stderr
    assert _run("refresh", master).returncode == 0
    sheets = openpyxl.load_workbook(master, read_only=True).sheetnames
    assert sheets.index("Paid lines") == sheets.index("Payouts") + 1 == sheets.index("Column map") + 2
    assert _run("close", master, "--period", "2024-01").returncode == 0
