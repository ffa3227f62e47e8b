"""Sign-off and timeliness through real files: received days, the file's modified time, approvals
kept for unchanged re-submitted rows, and a rep file that approves itself (docs/field.md)."""

import datetime as dt
import os

import openpyxl
import pandas as pd
from import_helpers import fill, master_tables

from sales_tools.excel.master_file import MasterFile
from sales_tools.importer import import_files
from sales_tools.master import approve
from sales_tools.schema import TABLES, TEMPLATE_FIRST_ROW, TEMPLATE_HEADER_ROW

T = pd.Timestamp


def rows(customers, second_outcome="Not met"):
    return {
        "rep_visit_plan": [[dt.datetime(2024, 3, 4), customers[0], "North", "09:30", "Service"],
                           [dt.datetime(2024, 3, 5), customers[1], "North", "10:00", "Take order"]],
        # amounts left to the template's own formulas (blank: no orders typed)
        "rep_daily_report": [[dt.datetime(2024, 3, 4), customers[0], "Order taken", None, None, 1.5],
                             [dt.datetime(2024, 3, 5), customers[1], second_outcome]],
    }  # fmt: skip


def test_received_modified_and_sign_off_kept_when_unchanged(master, templates, rep_customers, tmp_path):
    (tmp_path / "a").mkdir()
    first = fill(templates[0], tmp_path / "a" / "R01.xlsx", rows(rep_customers))
    os.utime(first, (T("2024-03-05 18:30").timestamp(),) * 2)
    import_files(master, [first], now=T("2024-03-06 09:15"))
    log = openpyxl.load_workbook(master)[TABLES["import_log"].sheet]
    headers = [c.value for c in log[1]]
    entry = dict(zip(headers, [c.value for c in log[2]]))
    assert entry["Imported at"] == dt.datetime(2024, 3, 6, 9, 15)  # when the file was received
    assert entry["File modified"] == dt.datetime(2024, 3, 5, 18, 30)  # the file's own time, shown beside it
    tables = master_tables(master, "visit_plans", "activities")
    assert tables["activities"]["received_at"].tolist() == [T("2024-03-06")] * 2
    assert tables["visit_plans"]["received_at"].tolist() == [T("2024-03-06")] * 2

    counts = approve(MasterFile(master), "R01", "2024-W10", by="Mia", on="2024-03-07", comment="OK")
    assert counts == {"visit_plans": (2, 0), "activities": (2, 0)}
    # the rep re-submits with the visit of 5 March changed: that row is received again and loses its approval
    second = fill(templates[0], tmp_path / "R01.xlsx", rows(rep_customers, second_outcome="Order taken"))
    report = import_files(master, [second], now=T("2024-03-08 08:00"))
    assert report.removed == {"visit_plans": 2, "activities": 2}
    tables = master_tables(master, "visit_plans", "activities")
    act = tables["activities"]
    assert act["outcome"].tolist() == ["Order taken", "Order taken"]
    assert act["received_at"].tolist() == [T("2024-03-06"), T("2024-03-08")]
    assert act["approved_by"].tolist()[0] == "Mia" and pd.isna(act["approved_by"].iloc[1])
    assert act["approved_on"].tolist()[0] == T("2024-03-07") and pd.isna(act["approved_on"].iloc[1])
    assert act["supervisor_comment"].tolist()[0] == "OK"
    plans = tables["visit_plans"]  # both unchanged: both keep their received day and approval
    assert plans["received_at"].tolist() == [T("2024-03-06")] * 2
    assert plans["approved_by"].tolist() == ["Mia", "Mia"]


def test_a_rep_file_that_approves_itself_is_reported_not_applied(master, templates, rep_customers, tmp_path):
    filled = fill(templates[0], tmp_path / "R01.xlsx", rows(rep_customers))
    wb = openpyxl.load_workbook(filled)
    ws = wb["Daily report"]
    column = {c.value: c.column for c in ws[TEMPLATE_HEADER_ROW]}
    ws.cell(
        TEMPLATE_FIRST_ROW + 1, column["Approved by (supervisor)"], "Me myself"
    )  # the supervisor's, 2nd row (Excel row 6)
    ws.cell(TEMPLATE_FIRST_ROW + 1, column["Supervisor comment"], "great work")
    wb.save(filled)
    report = import_files(master, [filled])
    assert report.log["rows_imported"].tolist() == [4]  # the rows go in, without the approval
    act = master_tables(master, "activities")["activities"]
    assert act["approved_by"].isna().all() and act["supervisor_comment"].isna().all()
    (notice,) = report.exceptions.itertuples()
    assert (notice.sheet, notice.column) == ("Daily report", "approved_by, approved_on, supervisor_comment")
    assert notice.reason.startswith("not applied: rows 6 carry the supervisor's sign-off")
