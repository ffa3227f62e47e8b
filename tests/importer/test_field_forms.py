"""The field-form sheets of a rep template (Market situation, Complaints, Attendance, the
Daily report's satisfaction, expenses and insights) imported into the master, losslessly."""

import openpyxl
import pandas as pd
from import_helpers import fill, master_tables

from sales_tools.excel.templates import build_rep_templates
from sales_tools.importer import import_files

D = pd.Timestamp


def _blank(value):
    return None if pd.isna(value) else value


def _rows(frame: pd.DataFrame, columns: list[str]) -> list[list]:
    return [[_blank(v) for v in row] for row in frame[columns].itertuples(index=False)]


def test_market_complaints_attendance_and_visit_scores_round_trip(master, templates, rep_customers, tmp_path):
    c1, c2 = rep_customers[:2]
    market = [
        [D(2024, 3, 4), "North", "Rival Supply", "Price", "List price -8%", "High", "Match for key accounts"],
        [D(2024, 3, 6), "North", "Prime Trade", "New product", None, "Low", None],
    ]
    complaints = [
        [D(2024, 3, 5), c1, "SO-7", "Late delivery", "High", "Reshipped", "Open", None],
        [D(2024, 3, 7), c2, None, "Damaged box", "Low", "Credit note", "Closed", D(2024, 3, 8)],
    ]
    attendance = [[D(2024, 3, 4), "Present", None], [D(2024, 3, 5), "Sick", "Flu"]]
    # Daily report: date, customer, outcome, (order and collected amounts are formulas), hours, complaint,
    # competitor info, feedback, notes, satisfaction, expenses, insights
    visits = [
        [D(2024, 3, 4), c1, "Follow-up needed", None, None, 1.5, None, None, None, None, 4, 35.5, "Wants samples"]
    ]
    path = fill(
        templates[0],
        tmp_path / "R01.xlsx",
        {"rep_market": market, "rep_complaints": complaints, "rep_attendance": attendance, "rep_daily_report": visits},
    )
    report = import_files(master, [path])
    assert report.exceptions.empty
    assert report.log[["rows_read", "rows_imported", "status"]].values.tolist() == [[7, 7, "imported"]]
    tables = master_tables(master, "market_reports", "complaints", "attendance", "activities")
    market_cols = ["report_date", "area", "competitor", "move", "details", "impact", "response"]
    assert _rows(tables["market_reports"], market_cols) == market
    assert set(tables["market_reports"]["rep_id"]) == {"R01"}
    complaint_cols = ["complaint_date", "customer_id", "product", "complaint", "severity", "action", "status",
                      "closed_on"]  # fmt: skip
    assert _rows(tables["complaints"], complaint_cols) == complaints
    # the ID: rep, date, customer
    assert tables["complaints"]["complaint_id"].tolist() == [f"R01-20240305-{c1}", f"R01-20240307-{c2}"]
    assert _rows(tables["attendance"], ["work_date", "rep_id", "status", "note"]) == [
        [D(2024, 3, 4), "R01", "Present", None],
        [D(2024, 3, 5), "R01", "Sick", "Flu"],
    ]
    visit = tables["activities"].iloc[0]
    assert (visit["satisfaction"], visit["expenses"], visit["insights"]) == (4, 35.5, "Wants samples")


def test_a_complaint_sent_again_in_a_later_month_updates_it(master, templates, rep_customers, tmp_path):
    c1 = rep_customers[0]
    march = [[D(2024, 3, 5), c1, None, "Late delivery", "High", "Reshipped", "Open", None]]
    import_files(master, [fill(templates[0], tmp_path / "march.xlsx", {"rep_complaints": march})])
    (april_template,) = [
        p for p in build_rep_templates(master, tmp_path / "april", "2024-04") if p.name.startswith("R01")
    ]
    april = [
        [D(2024, 3, 5), c1, None, "Late delivery", "High", "Reshipped, then refunded", "Closed", D(2024, 4, 2)],
        [D(2024, 3, 20), c1, None, "Wrong invoice", "Low", None, "Open", None],  # new, but dated in March
    ]
    report = import_files(master, [fill(april_template, tmp_path / "april.xlsx", {"rep_complaints": april})])
    assert report.removed == {"complaints": 1}  # March's row, replaced by April's
    assert report.exceptions["reason"].tolist() == ["2024-03-20 is outside the period 2024-04-01 to 2024-04-30"]
    complaints = master_tables(master, "complaints")["complaints"]
    assert complaints[["complaint_id", "status", "action", "closed_on", "source"]].values.tolist() == [
        [f"R01-20240305-{c1}", "Closed", "Reshipped, then refunded", D(2024, 4, 2), "april.xlsx"]
    ]


def test_a_template_issued_before_the_field_forms_still_imports(master, templates, rep_customers, tmp_path):
    path = fill(templates[0], tmp_path / "old.xlsx", {"rep_orders": [[D(2024, 3, 4), "SO-1", rep_customers[0],
                                                                      "Hardware", 2, 10.0]]})  # fmt: skip
    wb = openpyxl.load_workbook(path)
    for sheet in ("Attendance", "Market situation", "Complaints"):
        del wb[sheet]
    wb.save(path)
    report = import_files(master, [path])
    assert report.exceptions.empty and report.log["status"].tolist() == ["imported"]
    assert master_tables(master, "orders")["orders"]["amount"].tolist() == [20.0]


def test_typed_daily_amounts_that_disagree_with_the_files_orders_are_reported(master, templates, rep_customers,
                                                                              tmp_path):  # fmt: skip
    c1, c2 = rep_customers[:2]
    # an older template: the rep typed the amounts.  c1 on 4 March: typed 500 and 30; the Orders sheet has
    # 2 x 10.00 + 1 x 5.50 = 25.50 for c1 that day, the Collections sheet 30.00.  c2: typed 0, no orders.
    visits = [[D(2024, 3, 4), c1, "Order taken", 500, 30, 1.0], [D(2024, 3, 4), c2, "Not met", 0, None, 0.5]]
    orders = [[D(2024, 3, 4), "SO-1", c1, "Hardware", 2, 10.0], [D(2024, 3, 4), "SO-1", c1, "Hardware", 1, 5.5]]
    collections = [[D(2024, 3, 4), c1, "SO-1", 30.0, "Cash"]]
    path = fill(templates[0], tmp_path / "typed.xlsx",
                {"rep_daily_report": visits, "rep_orders": orders, "rep_collections": collections})  # fmt: skip
    report = import_files(master, [path])
    assert report.log[["rows_imported", "rows_rejected"]].values.tolist() == [[5, 0]]  # nothing rejected
    assert report.exceptions[["sheet", "row", "column", "value"]].values.tolist() == [
        ["Daily report", 5, "Order amount", "500.00"]
    ]
    assert f"this file's orders for {c1} on 2024-03-04 (25.50)" in report.exceptions["reason"].iloc[0]
    assert master_tables(master, "activities")["activities"]["order_amount"].tolist() == [500.0, 0.0]
