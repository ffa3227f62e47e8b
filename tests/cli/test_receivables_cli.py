"""`sales-tools refresh` on a real master: the Receivables and Collection rate sheets as Excel shows them."""

import openpyxl
import pandas as pd
from receivables_book import T, book
from test_cli import run

from sales_tools.excel.builder import build_master


def sheet_rows(path, sheet) -> pd.DataFrame:
    """A sheet's table as Excel shows it: its header, then its rows."""
    header, *rows = openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True)
    return pd.DataFrame(rows, columns=header)


def test_refresh_writes_the_receivables_and_collection_rate_sheets(tmp_path):
    targets = [(2024, "R1", None, None, None, 12_000.0, "collections")]  # 1,000 a month
    stray = [("P2", T("2024-06-10"), "C1", "Z9", None, 50.0)]  # names an order C1 does not have
    master = build_master(tmp_path / "m.xlsx", book(targets=targets, payments=stray, plan="Flat"))
    result = run("refresh", master)
    assert result.exit_code == 0, result.output  # the stray payment is a note: exit 0
    assert "Receivables: 1 payment(s) or return(s) counted otherwise than entered." in result.output
    owed = sheet_rows(master, "Receivables")
    assert owed.columns[:4].tolist() == ["Customer ID", "Name", "Owner rep", "Invoiced"]
    c1, c2 = (owed.set_index("Customer ID").loc[c] for c in ("C1", "C2"))
    # C1: 1,500 invoiced - 100 returned - (700 + 50) paid = 650: A (1,000, due 31 Mar) keeps 250,
    # 91 days past due; B (500 - 100, due 31 May) 400, 30 days past due
    assert [c1["Open"], c1["0–30 days"], c1["Over 90 days"], c1["Overdue"], c1["Oldest (days)"]] == [
        650, 400, 250, 650, 91]  # fmt: skip
    # C2: one order per boundary (see receivables_book): 1 not due, 10, 20 + 40, 80 + 160, 320
    assert [c2["Not due"], c2["0–30 days"], c2["31–60 days"], c2["61–90 days"], c2["Over 90 days"]] == [
        1, 10, 60, 240, 320]  # fmt: skip
    rates = sheet_rows(master, "Collection rate")
    may = rates[(rates["Rep ID"] == "R1") & (pd.to_datetime(rates["Period"]).dt.month == 5)].iloc[0]
    # May: 1,000 owed on 1 May + 500 - 100 = 1,400 due; 700 collected; target 1,000
    assert [may["Due"], may["Collected"], may["Target"]] == [1400, 700, 1000]
    assert (may["Rate (collected ÷ due)"], may["Attainment (collected ÷ target)"]) == (0.5, 0.7)
    noted = sheet_rows(master, "Exceptions").set_index("Value")
    assert noted.loc["Z9", ["Sheet", "Column"]].tolist() == ["Payments", "receivables"]
