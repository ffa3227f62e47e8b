import re
import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils import coordinate_to_tuple, get_column_letter

from sales_tools.core.submissions import template_id
from sales_tools.excel.builder import build_master
from sales_tools.excel.templates import build_blank_template, build_rep_templates, template_workbook
from sales_tools.schema import TEMPLATE_FIRST_ROW, TEMPLATE_HEADER_ROW, TEMPLATE_TABLES


@pytest.fixture
def blank(tmp_path):
    return load_workbook(build_blank_template(tmp_path / "rep_template.xlsx"))


def _look(ws, coord):
    """The style Excel applies to a cell: its own if the file has the cell, else its column's."""
    row, col = coordinate_to_tuple(coord)
    return ws._cells.get((row, col)) or ws.column_dimensions[get_column_letter(col)]


def _at(table: str, column: str, row: int = TEMPLATE_FIRST_ROW) -> str:
    """The cell of `column` of template table `table` in `row` (letters from the schema)."""
    return f"{get_column_letter(TEMPLATE_TABLES[table].names.index(column) + 1)}{row}"


def _validation(ws, cell):
    return next(dv for dv in ws.data_validations.dataValidation if cell in dv.sqref)


def test_sheets_headers_and_protection(blank):
    assert blank.sheetnames == [
        "Instructions",
        "Visit plan",
        "Daily report",
        "Orders",
        "Collections",
        "Attendance",
        "Market situation",
        "Complaints",
        "My targets",
        "My customers",
        "Lists",
    ]
    for table in TEMPLATE_TABLES.values():
        ws = blank[table.sheet]
        assert [c.value for c in ws[TEMPLATE_HEADER_ROW]][: len(table.columns)] == table.headers
        assert ws.protection.sheet and ws.protection.password is None
        assert ws.cell(TEMPLATE_HEADER_ROW, 1).protection.locked
    orders = blank["Orders"]
    # input columns are the rep's to the sheet's last row; the formula fills rows 5..2004 (5 + 2000 - 1)
    for coord in (_at("rep_orders", "quantity"), "A2004", "A1048576"):
        assert not _look(orders, coord).protection.locked and _look(orders, coord).fill.fgColor.rgb.endswith("FFF2CC")
    for column in ("customer_name", "amount"):  # the formulas
        assert _look(orders, _at("rep_orders", column)).protection.locked
        assert _look(orders, _at("rep_orders", column, 2004)).protection.locked
    assert _look(orders, "B1").protection.locked and _look(orders, "B3").fill.fill_type is None  # the title rows
    assert _validation(orders, _at("rep_orders", "quantity", 1048576)).type == "decimal"


def test_amount_is_a_rounded_guarded_formula(blank):
    orders = blank["Orders"]
    # Orders: date, order ID, customer ID, customer name, category, quantity (F), unit price (G), amount (H)
    assert orders["H5"].value == '=IF(AND(ISNUMBER(F5),ISNUMBER(G5)),ROUND(F5*G5,2),"")'
    assert orders["H2004"].value == '=IF(AND(ISNUMBER(F2004),ISNUMBER(G2004)),ROUND(F2004*G2004,2),"")'


def test_a_locked_customer_name_follows_each_customer_id(blank):
    sheets = [t.sheet for t in TEMPLATE_TABLES.values() if "customer_id" in t.names]
    assert sheets == ["Visit plan", "Daily report", "Orders", "Collections", "Complaints"]
    assert blank.defined_names["MyCustomerNames"].attr_text == "'My customers'!$B$5:$B$204"  # 200 blank rows
    for table in (t for t in TEMPLATE_TABLES.values() if t.sheet in sheets):
        ws, j = blank[table.sheet], table.names.index("customer_id") + 1
        assert ws.cell(TEMPLATE_HEADER_ROW, j + 1).value == "Customer name", table.sheet
        b = get_column_letter(j)  # the Customer ID column, right before
        for r in (TEMPLATE_FIRST_ROW, 2004):
            cell = ws.cell(r, j + 1)
            assert cell.protection.locked, (table.sheet, r)
            assert cell.value == (
                f'=IF({b}{r}="","",IFERROR(INDEX(MyCustomerNames,MATCH({b}{r},MyCustomers,0))&"","not on My customers"))'
            )
        assert ws.cell(2005, j + 1).value is None  # formulas for the 2,000 rows only
    # the other formulas moved with their columns: Orders' amount is quantity (F) x unit price (G) in H
    # (date, order ID, customer ID, customer name, category, quantity, unit price, amount)
    assert blank["Orders"]["H5"].value.startswith("=IF(AND(ISNUMBER(F5),ISNUMBER(G5))")
    # Daily report (A date, B customer ID, C name) sums Orders' amount H for the customer C and day A;
    # Complaints (A date, B customer ID, C name) builds the ID from A and B
    assert blank["Daily report"]["E5"].value == (
        "=IF(AND(ISNUMBER(A5),B5<>\"\"),SUMIFS('Orders'!$H$5:$H$2004,'Orders'!$C$5:$C$2004,B5,"
        "'Orders'!$A$5:$A$2004,A5),\"\")"
    )
    assert blank["Complaints"]["J5"].value == (
        '=IF(AND(ISNUMBER(A5),B5<>""),RepID&"-"&(YEAR(A5)*10000+MONTH(A5)*100+DAY(A5))&"-"&B5,"")'
    )


def test_the_customer_name_column_is_as_wide_as_the_longest_name(tmp_path):
    rep = {"rep_id": "R1", "rep_name": "Ann", "period_start": pd.Timestamp("2024-02-01"),
           "period_end": pd.Timestamp("2024-02-29")}  # fmt: skip
    long = "Northwind Wholesale Trading Company"  # 35 characters
    customers = pd.DataFrame({"customer_id": ["C1", "C2"], "name": ["Acme", long], "region": "N", "industry": "R"})
    wb = template_workbook(rep, customers)
    assert wb["Orders"].column_dimensions["D"].width == 37  # 35 + 2
    assert wb["Visit plan"].column_dimensions["C"].width == 37
    # short names: as wide as "not on My customers" (19 characters) + 2
    wb = template_workbook(rep, customers.assign(name=["Acme", "Bolt"]))
    assert wb["Collections"].column_dimensions["C"].width == 21


def test_validation_rejects_text_negatives_and_dates_outside_the_period(blank):
    orders = blank["Orders"]
    qty = _validation(orders, _at("rep_orders", "quantity"))
    assert (qty.type, qty.operator, qty.formula1) == ("decimal", "between", "0") and qty.showErrorMessage
    assert qty.prompt == "Quantity (0 or more)"
    date = _validation(orders, "A5")
    assert date.type == "date" and date.formula1 == "IF(ISNUMBER(PeriodStart),PeriodStart,DATE(2000,1,1))"
    assert blank.defined_names["PeriodStart"].attr_text == "'Instructions'!$B$5"
    assert _validation(orders, _at("rep_orders", "customer_id")).formula1 == "MyCustomers"
    assert _validation(blank["Visit plan"], _at("rep_visit_plan", "purpose")).formula1.startswith(
        '"Develop new customer,Market research'
    )
    # the blank template leaves rep and period for a manager to type
    assert not blank["Instructions"]["B3"].protection.locked


def test_one_filled_template_per_rep(tmp_path, small_inputs, small_computed):
    master = build_master(tmp_path / "m.xlsx", small_inputs, small_computed)
    files = build_rep_templates(master, tmp_path / "out", "2024-02")
    assert [f.name for f in files] == ["R1_2024-02.xlsx", "R2_2024-02.xlsx"]
    wb = load_workbook(files[0])
    info = wb["Instructions"]
    assert (info["B3"].value, info["B4"].value) == ("R1", "Ann Lee")
    assert (info["B5"].value, info["B6"].value) == (pd.Timestamp("2024-02-01"), pd.Timestamp("2024-02-29"))
    assert info["B3"].protection.locked
    assert info["B7"].value == template_id("R1", "2024-02-01", "2024-02-29") and info["B7"].protection.locked
    assert wb.defined_names["MyCustomers"].attr_text == "'My customers'!$A$5:$A$6"  # R1 owns C1 and C2
    assert [wb["My customers"]["A5"].value, wb["My customers"]["B6"].value] == ["C1", "Beta"]
    targets = wb["My targets"]
    assert targets["A5"].value == pd.Timestamp("2024-02-01") and targets["B5"].value == 100
    assert targets["A6"].value is None  # a month period has one target row
    assert (
        targets["C5"].value
        == "=IF(ISNUMBER(A5),SUMIFS('Orders'!$H$5:$H$2004,'Orders'!$A$5:$A$2004,\">=\"&A5,'Orders'!$A$5:$A$2004,"
        '"<"&EDATE(A5,1)),"")'
    )
    assert wb["Lists"].sheet_state == "hidden" and wb["Lists"]["A3"].value == "Software"


def test_a_year_period_lists_twelve_months(tmp_path, small_inputs, small_computed):
    master = build_master(tmp_path / "m.xlsx", small_inputs, small_computed)
    (first, _) = build_rep_templates(master, tmp_path, 2024)
    ws = load_workbook(first)["My targets"]
    months = [ws.cell(r, 1).value for r in range(TEMPLATE_FIRST_ROW, TEMPLATE_FIRST_ROW + 12)]
    assert months == list(pd.date_range("2024-01-01", periods=12, freq="MS"))
    assert [ws["B5"].value, ws["B6"].value, ws["B7"].value] == [200, 100, None]


def test_names_with_control_characters_or_formula_text_are_written_as_clean_text(tmp_path):
    rep = {"rep_id": "R\x071", "rep_name": "=1+2", "period_start": pd.Timestamp("2024-02-01"),
           "period_end": pd.Timestamp("2024-02-29")}  # fmt: skip
    customers = pd.DataFrame({"customer_id": ["C1", "C2"], "name": ["Acme\x07 Ltd", "@SUM(1)"],
                              "region": ["\x1b[31mNorth", "-1+1"], "industry": ["Retail\tB2B", None]})  # fmt: skip
    wb = template_workbook(rep, customers, categories=['=HYPERLINK("http://evil","x")', "Soft\x00ware"])
    wb.save(tmp_path / "t.xlsx")
    wb = load_workbook(tmp_path / "t.xlsx")
    info, mine, lists = wb["Instructions"], wb["My customers"], wb["Lists"]
    assert [(info[c].value, info[c].data_type) for c in ("B3", "B4")] == [("R\ufffd1", "s"), ("=1+2", "s")]
    rows = [[(c.value, c.data_type) for c in row] for row in mine.iter_rows(min_row=5, max_col=4)]
    assert rows == [
        [("C1", "s"), ("Acme\ufffd Ltd", "s"), ("\ufffd[31mNorth", "s"), ("Retail\tB2B", "s")],
        [("C2", "s"), ("@SUM(1)", "s"), ("-1+1", "s"), (None, "n")],
    ]
    assert [(c.value, c.data_type) for c in lists["A"][1:]] == [
        ("=HYPERLINK(\"http://evil\",\"x\")", "s"), ("Soft\ufffdware", "s")]  # fmt: skip


def test_every_rep_gets_a_template_whatever_their_rep_id_holds(tmp_path, small_inputs):
    ids = ["A/B", "A:B", "A\\B", "CON", ".."]
    reps = pd.DataFrame({"rep_id": ids, "name": [f"Rep {i}" for i in range(5)], "region": "North"})
    master = build_master(tmp_path / "m.xlsx", {**small_inputs, "reps": reps, "orders": None, "customers": None})
    files = build_rep_templates(master, tmp_path / "out", "2024-02")
    assert len({f.name.casefold() for f in files}) == 5 and sorted(tmp_path.joinpath("out").iterdir()) == sorted(files)
    assert [load_workbook(f)["Instructions"]["B3"].value for f in files] == sorted(ids)
    assert all(re.fullmatch(r"[\w-][\w.-]*2024-02(_[0-9a-f]{6})?\.xlsx", f.name) for f in files), files


@pytest.mark.parametrize("period", ["garbage", "2024-02-30", "2024-13", ""])
def test_a_period_that_is_no_month_or_year_is_refused_before_anything_is_written(tmp_path, small_inputs, period):
    from sales_tools.errors import InputError

    master = build_master(tmp_path / "m.xlsx", small_inputs)
    with pytest.raises(InputError, match=f"period {period!r} is not a month such as 2024-03 or a year such as 2024"):
        build_rep_templates(master, tmp_path / "out", period)
    assert not (tmp_path / "out").exists()


def test_the_supervisor_block_is_locked_grey_and_unvalidated(blank):
    from sales_tools.schema import TEMPLATE_SUPERVISOR

    for name in ("rep_visit_plan", "rep_daily_report"):
        table = TEMPLATE_TABLES[name]
        ws = blank[table.sheet]
        first = table.names.index(TEMPLATE_SUPERVISOR[0]) + 1  # the block ends the sheet's columns
        assert table.names[first - 1 :] == list(TEMPLATE_SUPERVISOR)
        assert [ws.cell(TEMPLATE_HEADER_ROW, first + k).value for k in range(3)] == [
            "Approved by (supervisor)", "Approved on (supervisor)", "Supervisor comment"
        ]  # fmt: skip
        for col in range(first, first + 3):
            for row in (TEMPLATE_FIRST_ROW, TEMPLATE_FIRST_ROW + 1999):
                cell = _look(ws, f"{get_column_letter(col)}{row}")
                assert cell.protection.locked and cell.fill.fgColor.rgb.endswith("E7E6E6"), cell.coordinate
                assert not [
                    dv for dv in ws.data_validations.dataValidation if f"{get_column_letter(col)}{row}" in dv.sqref
                ]
        assert not _look(
            ws, f"{get_column_letter(first - 1)}{TEMPLATE_FIRST_ROW}"
        ).protection.locked  # the rep's last column is theirs
        assert ws.protection.sheet


def _cached(path):
    """Each sheet's cells as a reader that does not recalculate sees them (the stored results)."""
    wb = load_workbook(path, data_only=True)
    return {ws.title: ws for ws in wb.worksheets}


def test_every_formula_of_a_new_template_has_its_result_stored(tmp_path, small_inputs, small_computed):
    blank = build_blank_template(tmp_path / "blank.xlsx")
    master = build_master(tmp_path / "m.xlsx", small_inputs, small_computed)
    filled = build_rep_templates(master, tmp_path / "out", "2024-02")[0]
    for path in (blank, filled):
        with zipfile.ZipFile(path) as z:
            sheets = {n: z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")}
        formulas = sum(x.count("<f>") for x in sheets.values())
        # a formula with no stored result is written <f>...</f><v /> (or <v></v> with no type)
        unknown = sum(len(re.findall(r'<c r="\w+" s="\d+"><f>[^<]*</f><v ?/>', x)) for x in sheets.values())
        assert formulas > 18000 and unknown == 0, path.name  # 9 formula columns x 2,000 rows, and more
    stored = _cached(filled)  # openpyxl reads a stored "" as None
    assert stored["Orders"][_at("rep_orders", "amount")].value is None
    assert stored["Complaints"][_at("rep_complaints", "complaint_id")].value is None
    assert stored["Orders"]["A3"].value == "Rep R1 Ann Lee, 2024-02-01 to 2024-02-29"
    # My targets, R1's February target 100 and no orders yet: actual 0, attainment 0/100 = 0, variance 0 - 100
    assert [c.value for c in stored["My targets"][5]][1:5] == [100, 0, 0, -100]
    assert _cached(blank)["Visit plan"]["A3"].value == "Rep, period not set"


def test_the_subtitle_is_guarded_when_no_period_is_set(blank):
    formula = blank["Orders"]["A3"].value
    assert formula.startswith("=IF(AND(ISNUMBER(PeriodStart),ISNUMBER(PeriodEnd)),")
    assert formula.endswith('&", period not set")')


def test_each_sheet_prints_its_header_and_a_few_rows_one_page_wide(blank):
    for table in TEMPLATE_TABLES.values():
        ws = blank[table.sheet]
        last_col = chr(ord("A") + len(table.columns) - 1)
        # an input sheet: title rows 1-3, header row 4 and 10 blank rows: down to row 14 (4 + 10)
        rows = 14 if table.name != "rep_targets" else 16  # My targets: 12 months from row 5 (5 + 12 - 1)
        assert ws.print_area == f"'{table.sheet}'!$A$1:${last_col}${rows}"
        assert ws.print_title_rows == "$4:$4"
        assert (
            ws.page_setup.fitToWidth == 1
            and ws.page_setup.fitToHeight == 0
            and ws.sheet_properties.pageSetUpPr.fitToPage
        )
    for ws in blank.worksheets:
        assert ws.oddHeader.right.text == "&A" and ws.oddFooter.right.text == "Page &P of &N", ws.title
    info = blank["Instructions"]
    assert info.print_area == "'Instructions'!$A$1:$H$20"  # 8 rows of info, 12 instruction lines from row 9
    assert "A12:H12" in {str(r) for r in info.merged_cells.ranges} and info["A12"].alignment.wrap_text
    assert info.row_dimensions[11].height > 15  # item 2 (194 characters) wraps to more than one line
    assert info.row_dimensions[10].height is None  # item 1 (77 characters) fits on one: the default height


def test_a_reps_template_carries_the_company_on_every_page(tmp_path, small_inputs, small_computed):
    settings = pd.DataFrame({"setting": ["company"], "value": ["Acme & Sons"]})
    master = build_master(tmp_path / "m.xlsx", {**small_inputs, "settings": settings}, small_computed)
    wb = load_workbook(build_rep_templates(master, tmp_path / "out", "2024-02")[0])
    assert {ws.oddHeader.left.text for ws in wb.worksheets} == {"Acme && Sons"}  # "&" escaped in a page header


def test_the_workbook_structure_is_locked_and_the_lists_sheet_hidden(blank):
    assert blank.security.lockStructure and blank.security.workbookPassword is None
    assert blank["Lists"].sheet_state == "hidden"


def test_reps_may_insert_rows_and_size_columns_but_not_edit_formulas(blank):
    for table in TEMPLATE_TABLES.values():
        if table.computed:
            continue
        p = blank[table.sheet].protection
        assert p.sheet and not p.insertRows and not p.deleteRows and not p.formatColumns, table.sheet
        assert p.formatCells and p.insertColumns and p.deleteColumns  # still protected


def test_validation_messages_name_no_internal_table_or_column(blank):
    texts = [
        (ws.title, t)
        for ws in blank.worksheets
        for dv in ws.data_validations.dataValidation
        for t in (dv.prompt, dv.promptTitle, dv.error, dv.errorTitle)
        if t
    ]
    assert len(texts) > 100
    assert [(s, t) for s, t in texts if "_" in t or re.search(r"[A-Za-z]{2,}\.[A-Za-z]{2,}", t)] == []
    assert (
        _validation(blank["Orders"], _at("rep_orders", "customer_id")).error
        == "Pick one of your customers (list on the My customers sheet)"
    )


def test_planned_time_is_a_time_of_day(blank):
    ws = blank["Visit plan"]
    time, late = _at("rep_visit_plan", "planned_time"), _at("rep_visit_plan", "planned_time", 9999)
    assert _look(ws, time).number_format == "hh:mm" and _look(ws, late).number_format == "hh:mm"
    dv = _validation(ws, time)
    # 23:59 is 1439 of the 1440 minutes of a day
    assert (dv.type, dv.operator, dv.formula1, float(dv.formula2)) == (
        "time",
        "between",
        "0",
        pytest.approx(1439 / 1440),
    )
