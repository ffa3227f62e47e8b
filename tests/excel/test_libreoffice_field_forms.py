"""The field-form sheets of a rep template in a real spreadsheet engine: filled in, recalculated
and saved by LibreOffice (one soffice call), no cell is an error, the Daily report's order and
collected amounts and the complaint IDs are what a person works out, and the saved file imports."""

import shutil

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from sales_tools.excel.builder import build_master
from sales_tools.excel.reader import read_tables
from sales_tools.excel.templates import template_workbook
from sales_tools.importer import import_files
from sales_tools.libreoffice import convert
from sales_tools.schema import TEMPLATE_DISPLAY, TEMPLATE_FIRST_ROW, TEMPLATE_TABLES

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"),
]
ERRORS = ("#NAME?", "#REF!", "#VALUE!", "#DIV/0!", "#N/A", "#NUM!", "#NULL!", "Err:")
D = pd.Timestamp
CUSTOMERS = pd.DataFrame({"customer_id": ["C1", "C2"], "name": ["Acme", "Bolt"], "region": "North",
                          "industry": "Retail", "owner_rep": "R01"})  # fmt: skip
TYPED = {
    "rep_orders": [
        [D(2024, 3, 4), "SO-1", "C1", "Hardware", 2, 10.0],  # 20.00
        [D(2024, 3, 4), "SO-1", "C1", "Hardware", 3, 1.5],  # 4.50
        [D(2024, 3, 4), "SO-2", "C2", "Hardware", 1, 99.0],  # another customer
        [D(2024, 3, 5), "SO-3", "C1", "Hardware", 1, 7.0],  # another day
    ],
    "rep_collections": [[D(2024, 3, 4), "C1", "SO-1", 12.0, "Cash"], [D(2024, 3, 4), "C1", None, 3.0, "Cash"]],
    # date, customer, outcome, (order amount, collected amount: formulas), hours, complaint, competitor info,
    # feedback, notes, satisfaction, expenses, insights
    "rep_daily_report": [
        [D(2024, 3, 4), "C1", "Order taken", None, None, 1.5, None, None, None, None, 5, 20.0, "Wants samples"],
        [D(2024, 3, 6), "C2", "Not met", None, None, 0.5, None, None, None, None, None, 8.0, None],
    ],
    "rep_attendance": [[D(2024, 3, 4), "Present", None], [D(2024, 3, 6), "Leave", "Half day"]],
    "rep_market": [[D(2024, 3, 4), "North", "Rival Supply", "Promotion", "2 for 1", "High", "Bundle offer"]],
    "rep_complaints": [[D(2024, 3, 5), "C2", "SO-2", "Late delivery", "Medium", "Reshipped", "Open", None]],
}


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """The filled template as LibreOffice recalculated and saved it, and a master to import it into."""
    tmp = tmp_path_factory.mktemp("forms")
    rep = {"rep_id": "R01", "rep_name": "Ann", "period_start": D(2024, 3, 1), "period_end": D(2024, 3, 31)}
    wb = template_workbook(rep, CUSTOMERS, ["Hardware"], pd.DataFrame({"period": [D(2024, 3, 1)], "target": [1000]}))
    formulas = {name: set(cols) for name, cols in (("rep_daily_report", ("order_amount", "collected_amount")),
                                                   ("rep_complaints", ("complaint_id",)))}  # fmt: skip
    for name, rows in TYPED.items():
        table = TEMPLATE_TABLES[name]
        columns = [c for c in table.columns if c.name not in TEMPLATE_DISPLAY]  # not the customer's name
        for i, row in enumerate(rows):
            for col, value in zip(columns, row):
                if col.name not in formulas.get(name, ()):
                    wb[table.sheet].cell(TEMPLATE_FIRST_ROW + i, table.names.index(col.name) + 1, value)
    wb.save(tmp / "R01.xlsx")
    (out,) = convert([tmp / "R01.xlsx"], "xlsx", tmp / "out")
    reps = pd.DataFrame({"rep_id": ["R01"], "name": ["Ann"], "region": ["North"]})
    master = build_master(tmp / "master.xlsx", {"reps": reps, "customers": CUSTOMERS.drop(columns="industry"),
                                                "categories": pd.DataFrame({"category": ["Hardware"]})})  # fmt: skip
    return out, master


def _sheet(path, title) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(title).to_python(skip_empty_area=False)


def test_no_cell_of_the_filled_template_is_an_error(saved):
    book = CalamineWorkbook.from_path(str(saved[0]))
    bad = [
        (sheet, v)
        for sheet in book.sheet_names
        for row in book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        for v in row
        if isinstance(v, str) and v.startswith(ERRORS)
    ]
    assert bad == []


def test_daily_amounts_and_complaint_ids_are_formulas_over_the_files_own_sheets(saved):
    # Daily report: date, customer ID, customer name, outcome, order amount (E), collected amount (F), ...
    daily = _sheet(saved[0], "Daily report")[TEMPLATE_FIRST_ROW - 1 :]
    # C1 on 4 March: orders 2 x 10.00 + 3 x 1.50 = 24.50 (SO-2 is C2's, SO-3 the 5th); collected 12 + 3 = 15
    assert daily[0][4:6] == [24.5, 15.0]
    assert daily[1][4:6] == [0.0, 0.0]  # C2 on 6 March: no order, no payment that day
    assert daily[2][4:6] == ["", ""]  # a blank row stays blank
    # Complaints: ..., complaint ID (J, the 10th column)
    complaints = _sheet(saved[0], "Complaints")[TEMPLATE_FIRST_ROW - 1 :]
    assert complaints[0][9] == "R01-20240305-C2" and complaints[1][9] == ""


def test_each_customer_id_shows_its_name_from_my_customers(saved):
    # C1 is Acme, C2 Bolt on My customers; a blank row's name is blank
    names = {
        "Daily report": ["Acme", "Bolt", ""],
        "Orders": ["Acme", "Acme", "Bolt", "Acme", ""],
        "Collections": ["Acme", "Acme", ""],
        "Complaints": ["Bolt", ""],
    }
    for sheet, expected in names.items():
        rows = _sheet(saved[0], sheet)
        j = rows[TEMPLATE_FIRST_ROW - 2].index("Customer name")
        assert rows[TEMPLATE_FIRST_ROW - 2][j - 1] == "Customer ID", sheet
        assert [r[j] for r in rows[TEMPLATE_FIRST_ROW - 1 :]][: len(expected)] == expected, sheet


def test_the_saved_template_imports_losslessly(saved):
    out, master = saved
    report = import_files(master, [out])
    assert report.exceptions.empty  # the computed amounts agree with the orders: nothing reported
    # 4 order lines + 2 collections + 2 visits + 2 days + 1 market report + 1 complaint = 12
    assert report.log[["rows_read", "rows_imported"]].values.tolist() == [[12, 12]]
    t = read_tables(master, ["activities", "attendance", "market_reports", "complaints"])
    visits = t["activities"]
    assert visits[["order_amount", "collected_amount", "satisfaction", "expenses"]].values.tolist()[0] == [
        24.5, 15.0, 5, 20.0
    ]  # fmt: skip
    assert t["attendance"][["status", "note"]].fillna("").values.tolist() == [["Present", ""], ["Leave", "Half day"]]
    assert t["market_reports"][["competitor", "move", "details", "impact", "response"]].values.tolist() == [
        ["Rival Supply", "Promotion", "2 for 1", "High", "Bundle offer"]
    ]
    assert t["complaints"][["complaint_id", "product", "status"]].values.tolist() == [
        ["R01-20240305-C2", "SO-2", "Open"]
    ]
