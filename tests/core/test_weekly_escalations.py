"""The weekly report's escalation list (core.weekly.escalations) and its printed copy."""

import pandas as pd

from sales_tools.core.weekly import ESCALATION_COLUMNS, escalations
from sales_tools.reports import weekly_workbook
from sales_tools.schema import TABLES

D = pd.Timestamp
WEEK = "2024-W12"  # Monday 18 to Sunday 24 March 2024

INPUTS = {
    "customers": pd.DataFrame({"customer_id": ["C1", "C2", "C3"], "name": ["Acme Ltd", "Bolt Inc", "Cog Co"]}),
    "market_reports": pd.DataFrame(
        {
            "report_date": [D(2024, 3, 17), D(2024, 3, 19), D(2024, 3, 24)],  # Sunday before; Tuesday; Sunday
            "rep_id": ["R1", "R2", "R1"],
            "area": ["North", "South", "North"],
            "competitor": ["Old News", "Rival", "Prime"],
            "move": ["Price", "Promotion", "New product"],
            "details": [None, "2 for 1", None],
            "impact": ["Low", "High", "Medium"],
            "response": [None, "Bundle", None],
        }
    ),
    "complaints": pd.DataFrame(
        {
            "complaint_id": ["a", "b", "c", "d", "e"],
            "complaint_date": [D(2024, 3, 20), D(2024, 3, 21), D(2024, 3, 1), D(2024, 3, 10), D(2024, 3, 25)],
            "rep_id": ["R1", "R1", "R2", "R2", "R1"],
            "customer_id": ["C1", "C2", "C3", "C1", "C2"],
            "complaint": ["Late", "Broken", "Wrong invoice", "Rude driver", "Later"],
            "severity": ["High", "Low", "Medium", "High", "High"],
            "status": ["Open", "In progress", "Open", "Closed", "Open"],
        }
    ),
}


def test_moves_of_the_week_then_complaints_open_longer_than_the_threshold():
    found = escalations(INPUTS, WEEK, escalation_days=3)
    assert found.columns.tolist() == ESCALATION_COLUMNS
    # moves dated Monday 18 to Sunday 24 March: Rival (19th) and Prime (24th), not Old News (17th)
    # complaints at Sunday 24 March: a (20th) open 4 days > 3: listed; b (21st) 3 days: not more than 3;
    # c (1st) 23 days: listed, first (oldest); d is closed; e is raised after the week
    assert found[["kind", "rep_id", "customer", "severity", "days_open"]].astype(object).values.tolist() == [
        ["Competitor move", "R2", "South", "High", pd.NA],
        ["Competitor move", "R1", "North", "Medium", pd.NA],
        ["Open complaint", "R2", "C3 Cog Co", "Medium", 23],
        ["Open complaint", "R1", "C1 Acme Ltd", "High", 4],
    ]
    assert found["what"].tolist()[:3] == ["Rival: Promotion (2 for 1); suggested: Bundle", "Prime: New product",
                                          "Wrong invoice (Open)"]  # fmt: skip


def test_the_threshold_comes_from_the_caller():
    # with 2 days, b (in progress, 3 days) is escalated too; with 30, no complaint is
    assert escalations(INPUTS, WEEK, escalation_days=2)["customer"].tolist()[2:] == [
        "C3 Cog Co", "C1 Acme Ltd", "C2 Bolt Inc"
    ]  # fmt: skip
    assert (escalations(INPUTS, WEEK, escalation_days=30)["kind"] == "Open complaint").sum() == 0


def test_no_forms_no_escalations():
    assert escalations({}, WEEK).empty


def test_the_printed_report_lists_the_escalations_with_customer_names():
    report = pd.DataFrame({"week": [WEEK], "rep_id": ["R1"], "name": ["Ann"], "target": [100.0], "sales": [50.0],
                           "attainment": [0.5], "new_customers": [0], "collections": [0.0],
                           "effective_visit_rate": [None], "closing_rate": [None], "abnormal_customers": [""],
                           "next_week_target": [100.0]})  # fmt: skip
    setting = {"company": "Co", "currency": "USD", "complaint_escalation_days": 3}
    report = report.reindex(columns=TABLES["weekly_report"].names)
    wb = weekly_workbook(report, setting, None, escalations(INPUTS, WEEK, 3))
    (ws,) = [ws for ws in wb if ws.title.startswith("Escalations")]  # a sheet of its own
    cells = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "Escalations: competitor moves of the week, complaints open more than 3 days" in cells
    assert "C1 Acme Ltd" in cells and "C3 Cog Co" in cells and "C2 Bolt Inc" not in cells
    assert cells.count("Open complaint") == 2 and cells.count("Competitor move") == 2
