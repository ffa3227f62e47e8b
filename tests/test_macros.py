"""The macros through xlwings' own machinery, without Excel.

One subprocess (tests/xlwings_macros_check.py, XLWINGS_ON_SERVER=true, noncommercial
licence key) runs every case on ``xw.Book(json=...)`` books built the way the Office.js
add-in sends them:

* xlwings Lite: ``main.py``'s scripts via ``custom_scripts_call`` on the REAL committed
  master (workbook/sales_master.xlsx); their write actions must carry what the core
  computes for that data, to the cent (the error case runs on the small master);
* classic Excel: the `sales_tools.macros` wrappers after ``Book.set_mock_caller()``, so
  their ``xw.Book.caller()`` is the json book (the remote engine stands in for COM).
  The file-based ones run on a small master (two months of sample data) to keep the
  subprocess short.

What this does not cover: the COM engine itself (pywin32 value conversion, VBA
``RunPython``/``Import Functions`` calling the wrappers) and the Pyodide runtime.
"""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl.utils import get_column_letter

from sales_tools.cli import cli
from sales_tools.core.refresh import COMPUTED, refresh
from sales_tools.excel.builder import build_master
from sales_tools.excel.reader import WorkbookSource
from sales_tools.excel.templates import build_rep_templates
from sales_tools.sample import SAMPLE_AS_OF, generate
from sales_tools.schema import (
    TABLES,
    TEMPLATE_DISPLAY,
    TEMPLATE_FIRST_ROW,
    TEMPLATE_INFO_CELLS,
    TEMPLATE_INFO_SHEET,
    TEMPLATE_TABLES,
)
from sales_tools.tables import read_inputs

CHECK = Path(__file__).with_name("xlwings_macros_check.py")
MASTER = Path(__file__).resolve().parents[1] / "workbook" / "sales_master.xlsx"
SMALL_AS_OF = "2024-12-20"
WEEK = "2024-W51"  # 2024-12-16 .. 2024-12-22, the week of SAMPLE_AS_OF
# Two order lines typed into R01's December template: quantity x unit price.
TYPED = [(3, 12.50), (2, 99.99)]


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A small master (two months of sample data, refreshed), the same dated 2024-11-30 on its
    Settings sheet, and a folder with one filled rep file."""
    tmp = tmp_path_factory.mktemp("macros")
    inputs = generate(seed=3, start="2024-11-01", months=2)
    master = build_master(tmp / "small.xlsx", inputs, refresh(inputs, as_of=SMALL_AS_OF))
    dated = generate(seed=3, start="2024-11-01", months=2, as_of="2024-11-30")
    build_master(tmp / "dated.xlsx", dated, refresh(dated))
    (blank,) = [p for p in build_rep_templates(master, tmp / "blank", "2024-12") if p.name.startswith("R01_")]
    customer = inputs["customers"].loc[inputs["customers"]["owner_rep"] == "R01", "customer_id"].iloc[0]
    category = inputs["categories"]["category"].iloc[0]
    rows = [[pd.Timestamp("2024-12-10"), "NEW-1", customer, category, qty, price] for qty, price in TYPED]
    rep_files = tmp / "rep_files"
    rep_files.mkdir()
    _fill(blank, rep_files / blank.name, "rep_orders", rows)
    return {"tmp": tmp, "inputs": inputs, "master": master, "rep_files": rep_files, "customer": customer}


@pytest.fixture(scope="module")
def runs(small):
    """Every case in one subprocess: {"scripts", "classic_scripts", "runs": {name: result}}."""
    real, tmp = str(MASTER), small["tmp"]
    settings = {"as_of": SMALL_AS_OF}
    orders = TABLES["orders"]
    cases = [
        {"name": "lite refresh", "master": real, "kind": "script", "call": "refresh", "args": [SAMPLE_AS_OF]},
        {"name": "lite weekly", "master": real, "kind": "script", "call": "weekly_report", "settings": {"as_of": SAMPLE_AS_OF}},
        {"name": "lite bad as_of", "kind": "script", "call": "weekly_report", "settings": {"as_of": "soon"}},
        {"name": "lite approve", "kind": "script", "call": "approve_week", "args": ["R01", "2024-12-18", "Mia", "OK"]},
        {"name": "classic refresh", "kind": "classic", "call": "refresh", "settings": settings,
         "edits": [["Customers", 2, TABLES["customers"].names.index("name") + 1, "=1+1 Trading"]]},
        {"name": "classic weekly", "kind": "classic", "call": "weekly_report", "settings": settings},
        # R01's 2024 target row moved to 2030: November and December 2024 cannot be paid
        {"name": "classic refresh unpaid", "kind": "classic", "call": "refresh", "settings": settings,
         "edits": [["Targets", 2, 1, 2030]]},
        {"name": "lite refresh unpaid", "kind": "script", "call": "refresh", "edits": [["Targets", 2, 1, 2030]]},
        {"name": "classic bad cell", "kind": "classic", "call": "refresh", "settings": settings,
         "edits": [["Orders", 3, orders.names.index("amount") + 1, "abc"]]},
        {"name": "classic import", "kind": "classic", "call": "import_rep_files",
         "settings": {**settings, "rep_files_folder": str(small["rep_files"])}},
        {"name": "classic import unsaved", "kind": "classic", "call": "import_rep_files", "book_name": "Book1"},
        {"name": "classic merge customers", "kind": "classic", "call": "merge_customers",
         "edits": [["Customer merges", 2, TABLES["customer_merges"].names.index("confirm") + 1, "yes"]]},
        {"name": "classic templates", "kind": "classic", "call": "generate_rep_templates", "settings": settings,
         "book_name": str(tmp / "book" / "sales_master.xlsm")},
        {"name": "classic statements", "kind": "classic", "call": "export_statements",
         "settings": {"as_of": "2024-11-30", "statements_folder": str(tmp / "statements")}},
        # closes the month before the Settings as_of date's: 2024-11
        {"name": "classic close", "kind": "classic", "call": "close_period",
         "settings": {**settings, "statements_folder": str(tmp / "closed")}},
        # the templates' default month, from the book's own Settings (each in a folder named as its file)
        {"name": "classic templates dated", "kind": "classic", "call": "generate_rep_templates",
         "master": str(tmp / "dated.xlsx"), "book_name": str(tmp / "dated" / "sales_master.xlsx")},
        {"name": "classic templates undated", "kind": "classic", "call": "generate_rep_templates",
         "book_name": str(tmp / "small" / "sales_master.xlsx")},
    ]  # fmt: skip
    for case in cases:
        case.setdefault("master", str(small["master"]))
    env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial", "XLWINGS_ON_SERVER": "true"}
    out = subprocess.run([sys.executable, str(CHECK)], input=json.dumps({"runs": cases}), env=env, cwd=CHECK.parent,
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def real_inputs():
    return read_inputs(WorkbookSource(MASTER))


# ---------------------------------------------------------------- helpers


def _fill(template: Path, out: Path, name: str, rows: list[list]) -> None:
    wb = openpyxl.load_workbook(template)
    table = TEMPLATE_TABLES[name]
    ws = wb[table.sheet]
    typed = [j for j, c in enumerate(table.columns, start=1) if c.name not in TEMPLATE_DISPLAY]  # not the name
    for i, row in enumerate(rows):
        for j, value in zip(typed, row):
            ws.cell(TEMPLATE_FIRST_ROW + i, j).value = value
    wb.save(out)


def _sheets(master: Path) -> list[str]:
    return openpyxl.load_workbook(master, read_only=True).sheetnames


def written(result: dict, master: Path, name: str) -> pd.DataFrame:
    """The rows a run wrote to a table (schema column names), from its setValues actions."""
    table = TABLES[name]
    position = _sheets(master).index(table.sheet)
    writes = [a for a in result["actions"] if a["func"] == "setValues" and a["sheet_position"] == position]
    header = next(a for a in writes if a["start_row"] == 0)
    assert header["values"] == [table.headers]
    body = [a for a in writes if a["start_row"] == 1]
    rows = body[-1]["values"] if body else []
    return pd.DataFrame(rows, columns=table.names)


def cells(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """A computed frame as the cells Excel receives: dates as ISO dates, blanks as ""."""
    out = frame[TABLES[name].names].astype(object)
    for col in TABLES[name].columns:
        if col.type in ("date", "month"):
            out[col.name] = frame[col.name].dt.strftime("%Y-%m-%d")
    return out.where(frame[TABLES[name].names].notna(), "").reset_index(drop=True)


def alert(result: dict) -> tuple[str, str]:
    """(message, mode) of the run's message box."""
    (box,) = [a for a in result["actions"] if a["func"] == "alert"]
    assert box["args"][1] == "sales_tools"
    return box["args"][0], box["args"][3]


# ---------------------------------------------------------------- registration


def test_main_registers_the_lite_scripts_and_the_classic_wrappers_are_not_scripts(runs):
    assert {s["function_name"] for s in runs["scripts"]} == {"approve_week", "refresh", "weekly_report", "close_period"}
    assert runs["classic_scripts"] == []


# ---------------------------------------------------------------- xlwings Lite, on the real master


def test_lite_refresh_writes_every_computed_table_of_the_core(runs, real_inputs):
    result = runs["runs"]["lite refresh"]
    expected = refresh(real_inputs, as_of=SAMPLE_AS_OF)
    positions = {_sheets(MASTER).index(TABLES[name].sheet) for name in expected}
    resized = [a for a in result["actions"] if a["func"] == "resizeTable"]
    assert {a["sheet_position"] for a in resized} == positions
    for name, frame in expected.items():
        got = written(result, MASTER, name)
        pd.testing.assert_frame_equal(got, cells(frame, name), check_dtype=False, obj=name)


def test_lite_refresh_commission_summary_to_the_cent(runs):
    summary = written(runs["runs"]["lite refresh"], MASTER, "commission_summary")
    assert len(summary) > 12  # a row per rep and month
    # The table grows from A1 over the header and exactly these rows.
    (resize,) = [a for a in runs["runs"]["lite refresh"]["actions"]
                 if a["func"] == "resizeTable" and a["sheet_position"] == _sheets(MASTER).index("Commission summary")]  # fmt: skip
    last = get_column_letter(len(TABLES["commission_summary"].names))
    assert resize["args"][1] == f"$A$1:${last}${len(summary) + 1}"
    money = ["commission", "clawbacks", "bonus", "cap_adjustment", "override", "draw", "draw_recovered", "adjustment",
             "total"]  # fmt: skip
    assert (summary[money].map(lambda v: round(v, 2) == v)).all().all()
    # clawbacks and recoveries are negative: total = the sum of the parts, to the cent
    parts = summary[money[:-1]].sum(axis=1)
    assert ((parts - summary["total"]).abs() < 0.005).all()
    # and every total is the sum of that rep-month's rounded lines on the Commission lines sheet
    lines = written(runs["runs"]["lite refresh"], MASTER, "commission_lines")
    by_month = lines.groupby(["rep_id", "period"])["amount"].sum().round(2)
    totals = summary.set_index(["rep_id", "period"])["total"]
    assert by_month.reindex(totals.index, fill_value=0).to_dict() == pytest.approx(totals.to_dict(), abs=0.005)


def test_lite_weekly_report_is_the_week_of_the_settings_date(runs, real_inputs):
    report = written(runs["runs"]["lite weekly"], MASTER, "weekly_report")
    reps = real_inputs["reps"].sort_values("rep_id")
    assert list(report["week"]) == [WEEK] * (len(reps) + 1)
    assert list(report["rep_id"]) == [*reps["rep_id"], "TEAM"]
    # Sales: orders dated 16-22 Dec 2024 minus returns dated in the week, by the order's rep.
    orders, returns = real_inputs["orders"], real_inputs["returns"]
    in_week = orders[orders["order_date"].between("2024-12-16", "2024-12-22")]
    back = returns[returns["return_date"].between("2024-12-16", "2024-12-22")].merge(
        orders[["order_id", "line", "rep_id"]]
    )
    sales = in_week.groupby("rep_id")["amount"].sum().sub(back.groupby("rep_id")["amount"].sum(), fill_value=0)
    got = report.set_index("rep_id")["sales"].drop("TEAM")
    assert got.to_dict() == pytest.approx(sales.reindex(got.index, fill_value=0).round(2).to_dict(), abs=0.005)


def test_lite_refresh_says_it_is_done(runs):
    assert alert(runs["runs"]["lite refresh"]) == (f"Refreshed {len(COMPUTED)} sheets.", "info")


@pytest.mark.parametrize("run", ["classic refresh unpaid", "lite refresh unpaid"])
def test_a_refresh_that_leaves_months_unpaid_says_which_and_why(runs, small, run):
    targets = small["inputs"]["targets"]
    assert targets.iloc[0][["year", "rep_id"]].tolist() == [2024, "R01"]  # the row moved to 2030
    message, mode = alert(runs["runs"][run])
    assert mode == "critical"
    # the classic macro works as of SMALL_AS_OF (in 2024-W51); Lite as of the last order, 2024-12-31 (2025-W01)
    week = {"classic refresh unpaid": "2024-W51", "lite refresh unpaid": "2025-W01"}[run]
    assert message.splitlines() == [
        f"Refreshed {len(COMPUTED)} sheets.", "", "Not paid: 2 rep-month(s) without a usable target.",
        "No target in the weekly report's week: 1 rep(s).",
        "- rep R01 has no target for 2024-11; plan Standard needs one, so the month is left out",
        "- rep R01 has no target for 2024-12; plan Standard needs one, so the month is left out",
        f"- rep R01 has no target for week {week}: a month of the week has no target for the rep on the Targets sheet",
    ]  # fmt: skip


def test_lite_script_error_is_the_message_for_the_task_pane(runs):
    assert runs["runs"]["lite bad as_of"] == {
        "error": "InputError", "message": "Settings: as_of must be a date such as 2024-12-20, not 'soon'"}  # fmt: skip


# ---------------------------------------------------------------- classic wrappers via set_mock_caller


def test_classic_refresh_writes_the_core_tables_and_says_so(runs, small):
    result = runs["runs"]["classic refresh"]
    expected = refresh(small["inputs"], as_of=SMALL_AS_OF)
    assert alert(result) == (f"Refreshed {len(expected)} sheets.", "info")
    for name in ("commission_summary", "attainment", "leaderboard"):
        got = written(result, small["master"], name)
        pd.testing.assert_frame_equal(got, cells(expected[name], name), check_dtype=False, obj=name)
    # the first customer was renamed "=1+1 Trading": written as text, not as a formula
    tiers = written(result, small["master"], "customer_tiers").set_index("customer_id")
    assert tiers.loc[small["inputs"]["customers"]["customer_id"].iloc[0], "name"] == "'=1+1 Trading"


def test_classic_weekly_report(runs, small):
    result = runs["runs"]["classic weekly"]
    assert alert(result) == (f"Weekly report {WEEK} written.", "info")
    assert set(written(result, small["master"], "weekly_report")["week"]) == {WEEK}


def test_lite_approve_week_stamps_the_reps_rows_of_the_week(runs, small):
    result = runs["runs"]["lite approve"]
    monday, sunday = pd.Timestamp("2024-12-16"), pd.Timestamp("2024-12-22")
    counts = {}
    for name, date in (("visit_plans", "visit_date"), ("activities", "activity_date")):
        given = small["inputs"][name]
        mine = given["rep_id"].eq("R01") & given[date].between(monday, sunday)
        rows = written(result, small["master"], name)
        assert len(rows) == len(given)  # the whole table written back, in place
        stamped = rows["approved_by"].eq("Mia").to_numpy()
        assert (stamped == mine.to_numpy()).all()
        assert set(rows.loc[stamped, "supervisor_comment"]) == {"OK"}
        counts[name] = int(mine.sum())
    assert counts["activities"] > 0
    assert alert(result) == (
        f"R01 2024-W51 approved: {counts['visit_plans']} visit plan row(s) and {counts['activities']} daily report "
        "row(s).", "info"
    )  # fmt: skip


def test_classic_bad_cell_shows_sheet_row_column_and_writes_nothing(runs):
    result = runs["runs"]["classic bad cell"]
    message, mode = alert(result)
    assert mode == "critical"
    assert "sheet Orders, row 3, column Amount: 'abc' is not a number" in message
    assert [a["func"] for a in result["actions"]] == ["alert"]


def test_classic_import_writes_the_new_rows_into_the_open_book(runs, small):
    result = runs["runs"]["classic import"]
    message, mode = alert(result)
    assert mode == "info"
    assert message.startswith("1 file(s): 2 row(s) imported, 0 rejected")
    orders = written(result, small["master"], "orders")
    assert len(orders) == len(small["inputs"]["orders"]) + 2
    new = orders[orders["order_id"] == "NEW-1"]
    assert list(new["line"]) == [1, 2]
    assert list(new["amount"]) == [37.5, 199.98]  # 3 x 12.50, 2 x 99.99
    assert set(new["rep_id"]) == {"R01"} and set(new["customer_id"]) == {small["customer"]}
    assert set(new["source"]) == {"R01_2024-12.xlsx"}
    log = written(result, small["master"], "import_log")
    assert log[["file", "rep_id", "rows_read", "rows_imported", "rows_rejected"]].values.tolist()[-1] == [
        "R01_2024-12.xlsx", "R01", 2, 2, 0]  # fmt: skip


def test_classic_merge_customers_rewrites_the_open_book(runs, small):
    result = runs["runs"]["classic merge customers"]
    proposed = WorkbookSource(small["master"]).read("customer_merges")  # the refresh's proposals
    kept, dupe = proposed[["customer_id", "duplicate_id"]].iloc[0]  # row 2: the manager's yes
    assert alert(result) == (
        f"1 customer(s) merged ({dupe} into {kept}), logged on the Import log. Run Refresh to update the figures.",
        "info",
    )
    inputs = small["inputs"]
    customers = written(result, small["master"], "customers")
    assert sorted(customers["customer_id"]) == sorted(set(inputs["customers"]["customer_id"]) - {dupe})
    orders = written(result, small["master"], "orders")
    assert len(orders) == len(inputs["orders"]) and dupe not in set(orders["customer_id"])  # nothing lost
    moved = (inputs["orders"]["customer_id"] == dupe).sum()
    assert (orders["customer_id"] == kept).sum() == (inputs["orders"]["customer_id"] == kept).sum() + moved
    log = written(result, small["master"], "import_log")
    assert log[["file", "status"]].values.tolist()[-1] == [f"merge customers: {dupe} into {kept}", "merged"]


def test_classic_import_without_a_folder_asks_to_save_first(runs):
    message, mode = alert(runs["runs"]["classic import unsaved"])
    assert mode == "critical"
    assert message.startswith("save Book1 first")


def test_classic_templates_go_next_to_the_workbook(runs, small):
    message, mode = alert(runs["runs"]["classic templates"])
    folder = small["tmp"] / "book" / "rep_templates" / "2024-12"
    assert (message, mode) == (f"12 rep template(s) written to {folder}.", "info")
    files = sorted(p.name for p in folder.iterdir())
    assert files == [f"R{i:02d}_2024-12.xlsx" for i in range(1, 13)]
    info = openpyxl.load_workbook(folder / "R05_2024-12.xlsx")[TEMPLATE_INFO_SHEET]
    assert info[TEMPLATE_INFO_CELLS["rep_id"]].value == "R05"


def test_classic_statements_for_the_settings_month(runs, small):
    message, mode = alert(runs["runs"]["classic statements"])
    folder = small["tmp"] / "statements" / "2024-11"
    assert (message, mode) == (f"12 statement(s) written to {folder}.", "info")
    summary = refresh(small["inputs"], as_of="2024-11-30")["commission_summary"]
    total = summary.loc[(summary["rep_id"] == "R02") & (summary["period"] == "2024-11-01"), "total"].iloc[0]
    ws = openpyxl.load_workbook(folder / "statement_2024-11_R02.xlsx").active
    assert total in [c for row in ws.iter_rows(values_only=True) for c in row]


def test_classic_close_period_freezes_the_month_before_the_settings_month(runs, small):
    result = runs["runs"]["classic close"]
    summary = refresh(small["inputs"], as_of=SMALL_AS_OF)["commission_summary"]
    november = summary[summary["period"] == "2024-11-01"]
    folder = small["tmp"] / "closed"
    assert alert(result) == (
        f"Closed 2024-11: 12 rep(s), {november['total'].sum():,.2f} paid.\n12 statement(s) written to {folder}.",
        "info",
    )
    payouts = written(result, small["master"], "payouts")
    assert payouts["total"].tolist() == november.sort_values("rep_id")["total"].tolist()
    assert payouts["period"].eq("2024-11-01").all() and payouts["checksum"].str.len().eq(16).all()
    log = written(result, small["master"], "close_log")
    assert log[["action", "period", "reps"]].values.tolist() == [["close", "2024-11-01", 12]]
    assert sorted(p.name for p in (folder / "2024-11").iterdir())[0] == "statement_2024-11_R01.xlsx"


@pytest.mark.parametrize(
    ("run", "master", "month"),
    [("classic templates dated", "dated.xlsx", "2024-11"),  # the Settings as_of date, 2024-11-30
     ("classic templates undated", "small.xlsx", f"{dt.date.today():%Y-%m}")],  # no as_of: this month
)  # fmt: skip
def test_the_command_line_and_the_macro_default_to_the_same_month(runs, small, tmp_path, run, master, month):
    folder = small["tmp"] / Path(master).stem / "rep_templates" / month
    assert alert(runs["runs"][run]) == (f"12 rep template(s) written to {folder}.", "info")
    by_macro = sorted(p.name for p in folder.iterdir())
    result = CliRunner().invoke(cli, ["templates", str(small["tmp"] / master), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert by_macro == sorted(p.name for p in tmp_path.iterdir()) == [f"R{i:02d}_{month}.xlsx" for i in range(1, 13)]
