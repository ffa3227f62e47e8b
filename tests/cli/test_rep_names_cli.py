"""`sales-tools refresh` writes each rep's name next to the Rep ID on the summary sheets, from the Reps sheet."""

import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from schema_rows import frame

from sales_tools.excel.builder import build_master
from sales_tools.schema import TABLES

SAMPLE = Path(__file__).resolve().parents[2] / "workbook" / "sales_master.xlsx"
NAMED = {"Commission summary": "Rep name", "KPIs": "Rep name", "Collection rate": "Rep name", "Attainment": "Name"}


def _run(*args):
    return subprocess.run([sys.executable, "-m", "sales_tools.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=600)  # fmt: skip


def _rows(ws) -> list[dict]:
    """The sheet's rows as {header: value}, blank rows left out."""
    values = ws.iter_rows(values_only=True)
    headers = next(values)
    return [dict(zip(headers, row)) for row in values if any(v is not None for v in row)]


def _rename(master: Path, rep_id: str, name: str) -> None:
    """Type `name` over the rep's name on the Reps sheet, as a manager would."""
    wb = openpyxl.load_workbook(master)
    ws = wb["Reps"]
    headers = [c.value for c in ws[1]]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, headers.index("Rep ID") + 1).value == rep_id)
    cell = ws.cell(row, headers.index("Name") + 1)
    cell.value, cell.data_type = name, "s"  # text, even one starting with "=" (typed as '=... in Excel)
    wb.save(master)


def test_the_refreshed_sample_master_names_every_rep_next_to_the_rep_id(tmp_path):
    master = tmp_path / "master.xlsx"
    shutil.copy(SAMPLE, master)  # as committed (before this release, a sheet without the name is rewritten)
    _rename(master, "R01", "=Alicia Chen-Wong")  # renamed, and text that must not become a formula
    done = _run("refresh", master)
    assert done.returncode in (0, 1), done.stderr
    wb = openpyxl.load_workbook(master)
    reps = {r["Rep ID"]: r["Name"] for r in _rows(wb["Reps"])} | {"TEAM": "Team"}  # the whole team's collections
    assert reps["R01"] == "=Alicia Chen-Wong" and len(reps) == 13
    for sheet, header in NAMED.items():
        ws = wb[sheet]
        assert [c.value for c in ws[1]][:2] == ["Rep ID", header], sheet
        rows = _rows(ws)
        assert len({r["Rep ID"] for r in rows}) >= 12, sheet
        assert [r[header] for r in rows] == [reps[r["Rep ID"]] for r in rows], sheet
        first = next(c for c in ws["B"][1:] if c.value == "=Alicia Chen-Wong")
        assert first.data_type == "s", sheet  # text, not a formula
    table = wb["Commission summary"].tables[TABLES["commission_summary"].excel_name]
    assert table.tableColumns[1].name == "Rep name"


@pytest.fixture
def master(tmp_path):
    """Reps A (Ann) and B (Bo) on plan Flat (5%); January: A sells 1,000 (50.00), B 2,000 (100.00);
    February: A sells 400 (20.00)."""
    T = pd.Timestamp
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


def test_a_rep_renamed_after_a_close_shows_the_new_name_and_is_paid_no_adjustment(master, tmp_path):
    assert _run("close", master, "--period", "2024-01", "--out", tmp_path / "statements").returncode == 0
    _rename(master, "A", "Ann Lee")
    done = _run("refresh", master)
    assert done.returncode == 0, done.stderr  # the Payouts checksums hold: a name is not paid
    wb = openpyxl.load_workbook(master)
    assert "Rep name" not in [c.value for c in wb["Payouts"][1]]
    summary = [(r["Rep ID"], r["Rep name"], r["Period"].month, r["Adjustment"], r["Total"])
               for r in _rows(wb["Commission summary"])]  # fmt: skip
    # January as paid (50.00, 100.00), February 400 x 5% = 20.00: nothing adjusted
    assert summary == [("A", "Ann Lee", 1, 0, 50), ("A", "Ann Lee", 2, 0, 20), ("B", "Bo", 1, 0, 100)]
    assert not [r for r in _rows(wb["Commission lines"]) if str(r["Rule"]).startswith("adjustment")]
