"""The Customer name beside each Customer ID of a rep template is shown, never imported: a template
with it, one issued before it (no such column) and one whose names were typed over import alike."""

import shutil

import openpyxl
import pandas as pd
from import_helpers import fill, master_tables

from sales_tools.importer import import_files
from sales_tools.schema import TABLES, TEMPLATE_HEADER_ROW, TEMPLATE_TABLES

D = pd.Timestamp
FEEDS = {"rep_visit_plan": "visit_plans", "rep_daily_report": "activities", "rep_orders": "orders",
         "rep_collections": "payments", "rep_complaints": "complaints"}  # fmt: skip


def _rows(customers: list[str]) -> dict[str, list[list]]:
    """One or two rows on each sheet with a Customer ID (typed columns: `fill` skips the name)."""
    a, b = customers[:2]
    return {
        "rep_visit_plan": [[D(2024, 3, 4), a, "North", "09:30", "Market research"]],
        "rep_daily_report": [[D(2024, 3, 4), a, "Order taken", None, None, 1.5]],
        "rep_orders": [[D(2024, 3, 4), "SO-1", a, "Hardware", 2, 10.0], [D(2024, 3, 5), "SO-2", b, "Hardware", 1, 7.5]],
        "rep_collections": [[D(2024, 3, 6), b, "SO-2", 7.5, "Cash"]],
        "rep_complaints": [[D(2024, 3, 7), b, "SO-2", "Late delivery", "Medium", None, "Open"]],
    }


def _name_columns(path) -> dict[str, int]:
    """Sheet -> the column (1-based) headed "Customer name"."""
    wb = openpyxl.load_workbook(path)
    return {
        TEMPLATE_TABLES[n].sheet: [c.value for c in wb[TEMPLATE_TABLES[n].sheet][TEMPLATE_HEADER_ROW]].index(
            "Customer name"
        )
        + 1
        for n in FEEDS
    }


def _edit(path, out, change) -> None:
    wb = openpyxl.load_workbook(path)
    for sheet, column in _name_columns(path).items():
        change(wb[sheet], column)
    wb.save(out)


def _imported(master, tmp_path, name, path):
    """The master rows and the report of importing `path` into a fresh copy of `master`."""
    copy = shutil.copy(master, tmp_path / f"{name}_master.xlsx")
    report = import_files(copy, [path])
    tables = master_tables(copy, *FEEDS.values())
    return {k: v.drop(columns="source") for k, v in tables.items()}, report


def test_with_without_or_typed_over_the_name_column_a_template_imports_the_same(
    master, templates, rep_customers, tmp_path
):
    filled = fill(templates[0], tmp_path / "R01.xlsx", _rows(rep_customers))
    assert set(_name_columns(filled)) == {"Visit plan", "Daily report", "Orders", "Collections", "Complaints"}
    before = tmp_path / "R01_issued_before.xlsx"  # a template issued before the column
    _edit(filled, before, lambda ws, column: ws.delete_cols(column))
    typed = tmp_path / "R01_typed_over.xlsx"  # a rep unprotected the sheet and typed a name over the formula

    _edit(filled, typed, lambda ws, column: setattr(ws.cell(5, column), "value", "Someone Else Ltd"))
    results = {name: _imported(master, tmp_path, name, path) for name, path in
               (("with", filled), ("before", before), ("typed", typed))}  # fmt: skip
    tables, report = results["with"]
    # 1 visit + 1 daily report + 2 order lines + 1 payment + 1 complaint = 6 rows, all imported, nothing reported
    assert report.log[["rows_read", "rows_imported"]].values.tolist() == [[6, 6]]
    assert report.exceptions.empty  # the Customer name is never an ignored or missing column
    assert tables["orders"][["order_id", "customer_id", "amount"]].values.tolist() == [
        ["SO-1", rep_customers[0], 20.0],  # 2 x 10.00
        ["SO-2", rep_customers[1], 7.5],  # 1 x 7.50
    ]
    for other in ("before", "typed"):
        other_tables, other_report = results[other]
        assert other_report.log[["rows_read", "rows_imported"]].values.tolist() == [[6, 6]], other
        assert other_report.exceptions.empty, other
        for name, frame in tables.items():
            pd.testing.assert_frame_equal(other_tables[name], frame, obj=f"{other}: {name}")


def test_the_master_tables_gain_no_customer_name_column(master, templates, rep_customers, tmp_path):
    filled = fill(templates[0], tmp_path / "R01.xlsx", _rows(rep_customers))
    assert import_files(master, [filled]).exceptions.empty
    wb = openpyxl.load_workbook(master, read_only=True)
    for feed in FEEDS.values():
        ws = wb[TABLES[feed].sheet]
        top = [c.value for row in ws.iter_rows(max_row=5) for c in row]
        assert "Customer name" not in top and "Customer ID" in top, feed
        assert len(master_tables(master, feed)[feed]) >= 1, feed


def test_a_name_typed_on_an_empty_row_is_a_row_rejected_not_imported(master, templates, rep_customers, tmp_path):
    filled = fill(templates[0], tmp_path / "R01.xlsx", {"rep_orders": _rows(rep_customers)["rep_orders"][:1]})
    wb = openpyxl.load_workbook(filled)
    wb["Orders"].cell(6, _name_columns(filled)["Orders"]).value = "Someone Else Ltd"  # below the one order line
    wb.save(filled)
    report = import_files(master, [filled])
    assert report.log[["rows_read", "rows_imported", "rows_rejected"]].values.tolist() == [[2, 1, 1]]
    assert set(report.exceptions["row"]) == {6}
    assert set(report.exceptions["reason"]) == {"required value is missing"}
    assert master_tables(master, "orders")["orders"]["order_id"].tolist() == ["SO-1"]
