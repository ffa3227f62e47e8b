"""The rep templates: protected workbooks with native formulas only (Excel 2016, LibreOffice).

Sheets: Instructions (rep ID, name and period in TEMPLATE_INFO_CELLS), the input sheets
of `schema.TEMPLATE_TABLES` (header in row TEMPLATE_HEADER_ROW, TEMPLATE_ROWS input rows),
My targets (read-only, live attainment over the file's own Orders), My customers (the
dropdown source) and a hidden Lists sheet (categories).  Sheets are protected without
a password: headers and formulas are locked, input cells are unlocked (pale yellow).
The supervisor's block (`TEMPLATE_SUPERVISOR`: approved by, on, comment) on the Visit plan
and Daily report sheets is locked and grey: the rep cannot type there.  Each Customer ID is
followed by a locked Customer name, looked up on My customers (`TEMPLATE_DISPLAY`: never imported).
"""

from __future__ import annotations

import os
import re
from copy import copy
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from sales_tools.core.settings import read_settings
from sales_tools.core.submissions import template_id
from sales_tools.core.targets import REVENUE, measure_of
from sales_tools.errors import InputError
from sales_tools.excel import row_heights, styles
from sales_tools.excel.builder import BUILD_TIME
from sales_tools.excel.reader import read_tables
from sales_tools.excel.save import atomic_save
from sales_tools.excel.validation import column_rule, invalid_title
from sales_tools.excel.values import put, set_formula, set_value
from sales_tools.safe_text import file_names
from sales_tools.schema import (
    TEMPLATE_FIRST_ROW,
    TEMPLATE_HEADER_ROW,
    TEMPLATE_INFO_CELLS,
    TEMPLATE_INFO_SHEET,
    TEMPLATE_ROWS,
    TEMPLATE_SUPERVISOR,
    TEMPLATE_TABLES,
    Table,
)  # fmt: skip
from sales_tools.schema.language import tr

BLANK_NAME = "rep_template.xlsx"
LAST_ROW = TEMPLATE_FIRST_ROW + TEMPLATE_ROWS - 1
MAX_ROW = 1_048_576  # a worksheet's last row
BLANK_LIST_ROWS = 200  # customer rows a manager can fill in the blank template
CUSTOMERS_SHEET, LISTS_SHEET = "My customers", "Lists"
NOT_LISTED = "not on My customers"  # the Customer name of an ID not on the My customers sheet
SUPERVISOR_FILL = PatternFill("solid", fgColor="E7E6E6")  # locked cells only the supervisor fills
PRINT_BLANK_ROWS = 10  # blank input rows a sheet prints when no row is filled (a form to fill by hand)
INSTRUCTION_COLUMNS = 8  # the Instructions text wraps within columns A:H (one page wide)
# Text columns a rep types as a time of day: a real time (hh:mm) between 00:00 and 23:59; the
# importer reads it back as the text "09:30" the master keeps (older templates' typed text too).
TIME_COLUMNS = {"planned_time"}
LAST_MINUTE = "0.999305555555556"  # 23:59 as a fraction of a day (1439 / 1440)
# What a rep may do on a protected input sheet besides typing in the yellow cells.
SHEET_ALLOWS = ("insertRows", "deleteRows", "formatColumns", "formatRows")
# Defined names the validations and formulas use.
NAMES = {"RepID": "rep_id", "RepName": "rep_name", "PeriodStart": "period_start", "PeriodEnd": "period_end"}
PERIOD_DATES = (
    "IF(ISNUMBER(PeriodStart),PeriodStart,DATE(2000,1,1))",
    "IF(ISNUMBER(PeriodEnd),PeriodEnd,DATE(2099,12,31))",
)


def _instruction_lines() -> tuple[str, ...]:
    """The Instructions sheet's text, in the current language."""
    return (
        tr("How to use this workbook"),
        tr("1. Fill in the yellow cells only; everything else is calculated or read-only."),
        tr(
            "2. Visit plan: one row per planned visit. Daily report: one row per visit made (its order and collected "
            "amounts come from the Orders and Collections sheets). Attendance: one row per working day."
        ),
        tr("3. Orders: one row per order line; repeat the order ID for each line. The amount is calculated."),
        tr("4. Collections: one row per payment collected."),
        tr(
            "5. Pick customers from the dropdown (your customers are on the My customers sheet); their name shows beside."
        ),
        tr("6. Dates must fall within the period above; amounts and quantities must be numbers of 0 or more."),
        tr("7. My targets shows your monthly targets and your attainment from the Orders sheet."),
        tr("   The grey supervisor columns (approved by, on, comment) are your supervisor's: they stay blank here."),
        tr(
            "8. Market situation: a competitor's move the day you see it. Complaints: a complaint the day it comes; "
            "to update it, repeat its date and customer in a later row or file with the new status."
        ),
        tr("9. Save the file (keep the .xlsx format) and send it to your manager."),
        tr(
            "Sheets and the workbook's structure are protected without a password (Review > Unprotect Sheet, "
            "Review > Protect Workbook), so do not change the layout, rename or delete sheets."
        ),
    )


def _subtitle_formula() -> str:
    """A sheet's third line: the rep and the period, from the Instructions sheet's cells."""
    rep, to, unset = tr("Rep"), tr("to"), tr("period not set")
    who = f'TRIM("{rep} "&RepID&" "&RepName)'
    return (
        f'=IF(AND(ISNUMBER(PeriodStart),ISNUMBER(PeriodEnd)),{who}&", "'
        f'&TEXT(PeriodStart,"yyyy-mm-dd")&" {to} "&TEXT(PeriodEnd,"yyyy-mm-dd"),{who}&", {unset}")'
    )


def _subtitle(rep: dict | None) -> str:
    """What `_subtitle_formula` gives for `rep` (None: the blank template)."""
    if rep is None:
        return f"{tr('Rep')}, {tr('period not set')}"
    who = re.sub(" +", " ", f"{tr('Rep')} {rep['rep_id']} {rep['rep_name']}").strip(" ")
    return f"{who}, {rep['period_start']:%Y-%m-%d} {tr('to')} {rep['period_end']:%Y-%m-%d}"


def _target_formulas(r: int) -> dict[str, str]:
    """My targets row `r`: actual = this file's orders in the month (blank month: blank); attainment;
    variance = actual - target."""
    orders = TEMPLATE_TABLES["rep_orders"]
    date, amount = (_column_range(orders, c) for c in ("order_date", "amount"))
    return {
        "actual": f'=IF(ISNUMBER(A{r}),SUMIFS({amount},{date},">="&A{r},{date},"<"&EDATE(A{r},1)),"")',
        "attainment": f'=IF(N(B{r})>0,N(C{r})/B{r},"")',
        "variance": f'=IF(N(B{r})>0,N(C{r})-B{r},"")',
    }


def _column_range(table: Table, column: str) -> str:
    letter = get_column_letter(table.names.index(column) + 1)
    return f"{quote_sheetname(table.sheet)}!${letter}${TEMPLATE_FIRST_ROW}:${letter}${LAST_ROW}"


def _letter(table: str, column: str) -> str:
    return get_column_letter(TEMPLATE_TABLES[table].names.index(column) + 1)


def _day_sum(source: str, date: str) -> str:
    """Daily report row {r}: the sum of `source`'s amounts for the row's customer and day (blank row: blank)."""
    table = TEMPLATE_TABLES[source]
    amount, day, customer = (_column_range(table, c) for c in ("amount", date, "customer_id"))
    a, b = (_letter("rep_daily_report", c) for c in ("activity_date", "customer_id"))
    return f'=IF(AND(ISNUMBER({a}{{r}}),{b}{{r}}<>""),SUMIFS({amount},{customer},{b}{{r}},{day},{a}{{r}}),"")'


def _complaint_id() -> str:
    """Complaints row {r}: <rep>-<yyyymmdd>-<customer>, as `importer.fill` computes it (the date as a
    number: TEXT's format codes depend on Excel's language)."""
    a, b = (_letter("rep_complaints", c) for c in ("complaint_date", "customer_id"))
    day = f"(YEAR({a}{{r}})*10000+MONTH({a}{{r}})*100+DAY({a}{{r}}))"
    return f'=IF(AND(ISNUMBER({a}{{r}}),{b}{{r}}<>""),RepID&"-"&{day}&"-"&{b}{{r}},"")'


def _amount() -> str:
    """Orders row {r}: quantity x unit price, to the cent (blank until both are numbers)."""
    q, p = (_letter("rep_orders", c) for c in ("quantity", "unit_price"))
    return f'=IF(AND(ISNUMBER({q}{{r}}),ISNUMBER({p}{{r}})),ROUND({q}{{r}}*{p}{{r}},2),"")'


def _customer_name(table: str) -> str:
    """Row {r} of `table`: its customer's name on My customers; blank without a customer ID, NOT_LISTED
    for an ID not there (never #N/A).  `&""` shows a blank name blank, not 0."""
    b = _letter(table, "customer_id")
    found = f'INDEX(MyCustomerNames,MATCH({b}{{r}},MyCustomers,0))&""'
    return f'=IF({b}{{r}}="","",IFERROR({found},"{tr(NOT_LISTED)}"))'


def _row_formulas(sheet: str) -> dict[str, str]:
    """Column -> formula for row {r} of template sheet `sheet` (besides My targets), in the current language."""
    return {
        "rep_visit_plan": lambda: {"customer_name": _customer_name("rep_visit_plan")},
        "rep_orders": lambda: {"customer_name": _customer_name("rep_orders"), "amount": _amount()},
        "rep_daily_report": lambda: {
            "customer_name": _customer_name("rep_daily_report"),
            "order_amount": _day_sum("rep_orders", "order_date"),
            "collected_amount": _day_sum("rep_collections", "payment_date"),
        },
        "rep_collections": lambda: {"customer_name": _customer_name("rep_collections")},
        "rep_complaints": lambda: {"customer_name": _customer_name("rep_complaints"), "complaint_id": _complaint_id()},
    }.get(sheet, dict)()


def build_blank_template(path: str | os.PathLike) -> Path:
    """Write the blank rep template (rep, period, customers and targets left for a manager to type)."""
    return atomic_save(template_workbook(), path)


def build_rep_templates(master_path: str | os.PathLike, out_dir: str | os.PathLike, period) -> list[Path]:
    """One filled-in template per rep of the master: rep ID and name, their customers, their targets.

    Args:
        master_path: the master workbook (Reps, Customers, Categories, and the computed
            Attainment table for the targets).
        out_dir: folder for the files, named `<rep ID>_<period>.xlsx` (made safe and distinct by
            `safe_text.file_names`).
        period: a month ("2024-06") or a year ("2024"); anything `pandas.Period` reads.

    Returns:
        The files written, in rep ID order.
    """
    period = _period(period)
    tables = read_tables(master_path, ["reps", "customers", "categories", "attainment", "settings"])
    company = read_settings(tables["settings"])["company"]
    months = pd.period_range(period.start_time, period.end_time, freq="M").to_timestamp()
    att = tables["attainment"]
    att = att[measure_of(att).eq(REVENUE)]  # My targets: sales targets
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    reps = tables["reps"].sort_values("rep_id")
    written = []
    for rep, name in zip(reps.itertuples(), file_names((f"{r}_{period}" for r in reps["rep_id"]), ".xlsx")):
        targets = att.loc[att["rep_id"] == rep.rep_id].groupby("period")["target"].sum()
        wb = template_workbook(
            rep={
                "rep_id": rep.rep_id,
                "rep_name": rep.name,
                "period_start": period.start_time,
                "period_end": period.end_time.normalize(),
            },  # fmt: skip
            customers=tables["customers"].loc[tables["customers"]["owner_rep"] == rep.rep_id],
            categories=tables["categories"]["category"].tolist(),
            targets=pd.DataFrame({"period": months, "target": targets.reindex(months).to_numpy()}),
            company=company,
        )
        written.append(atomic_save(wb, out_dir / name))
    return written


def _period(period) -> pd.Period:
    """A month or year period; anything else is an InputError naming it."""
    if isinstance(period, pd.Period):
        return period
    text = str(period).strip()
    if re.fullmatch(r"\d{4}(-\d{1,2})?", text):
        try:
            return pd.Period(text)
        except ValueError:
            pass
    raise InputError(
        tr("period {period!r} is not a month such as 2024-03 or a year such as 2024").format(period=period)
    )


def template_workbook(
    rep: dict | None = None,
    customers: pd.DataFrame | None = None,
    categories: list[str] | None = None,
    targets: pd.DataFrame | None = None,
    company: str = "",
) -> Workbook:
    """The template workbook; None for a part leaves it blank and unlocked for a manager.

    Every formula is stored with its result (a new file has no orders: blanks and zeros),
    every printed page carries `company`, the sheet name and page N of M, and the
    workbook's structure is locked (no password) so sheets cannot be renamed or deleted."""
    wb = Workbook()
    wb.remove(wb.active)
    styles.default_font(wb)
    _instructions(wb.create_sheet(tr(TEMPLATE_INFO_SHEET)), rep)
    _lists(wb, customers, categories)
    widths = {"customer_name": _name_width(customers)}
    for name, table in TEMPLATE_TABLES.items():
        ws = wb.create_sheet(table.sheet, len(wb.sheetnames) - 2)
        _sheet_header(ws, table, rep, widths)
        if name == "rep_targets":
            _targets_sheet(ws, table, targets)
        else:
            _input_sheet(ws, table, _row_formulas(name))
    for ws in wb.worksheets:
        styles.header_footer(ws, company)
    wb.active = 0
    wb.security = WorkbookProtection(lockStructure=True)
    wb.properties.creator = "sales_tools"
    wb.properties.created = wb.properties.modified = BUILD_TIME
    wb.calculation.fullCalcOnLoad = True
    return wb


def _instructions(ws: Worksheet, rep: dict | None) -> None:
    styles.title(ws, tr("Sales rep workbook"), tr("Plan visits, report them, record orders and collections"))
    labels = {
        "rep_id": tr("Rep ID"),
        "rep_name": tr("Rep name"),
        "period_start": tr("Period from"),
        "period_end": tr("Period to"),
        "template_id": tr("Template ID"),
    }
    if rep:
        rep = {**rep, "template_id": template_id(rep["rep_id"], rep["period_start"], rep["period_end"])}
    for key, cell in TEMPLATE_INFO_CELLS.items():
        value = set_value(ws[cell], rep[key] if rep else None)
        put(ws, value.row, value.column - 1, labels[key]).font = styles.LABEL_FONT
        value.border, value.font = styles.BOX, styles.LABEL_FONT
        value.number_format = "yyyy-mm-dd" if key.startswith("period") else "@"
        if rep is None and key != "template_id":
            value.protection, value.fill = styles.UNLOCKED, styles.INPUT_FILL
    for name, key in NAMES.items():
        ref = f"{quote_sheetname(ws.title)}!${TEMPLATE_INFO_CELLS[key][0]}${TEMPLATE_INFO_CELLS[key][1:]}"
        ws.parent.defined_names[name] = DefinedName(name, attr_text=ref)
    lines = _instruction_lines()
    last = 8 + len(lines)
    for i, line in enumerate(lines, start=9):
        put(ws, i, 1, line).alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=i, end_row=i, start_column=1, end_column=INSTRUCTION_COLUMNS)
    ws["A9"].font = styles.LABEL_FONT
    styles.set_widths(ws, [16, 30, *[12] * (INSTRUCTION_COLUMNS - 2)])
    row_heights.fit_rows(ws, 9, last)
    styles.print_setup(ws)
    ws.page_setup.orientation = "portrait"
    ws.print_area = f"A1:{get_column_letter(INSTRUCTION_COLUMNS)}{last}"
    ws.protection.sheet = True


def _lists(wb: Workbook, customers: pd.DataFrame | None, categories: list[str] | None) -> None:
    """My customers (visible, the dropdown source) and the hidden Lists sheet (categories)."""
    ws = wb.create_sheet(tr(CUSTOMERS_SHEET))
    styles.title(ws, tr("My customers"), tr("The customers you can pick in the other sheets"))
    headers = [tr("Customer ID"), tr("Name"), tr("Region"), tr("Industry")]
    for j, text in enumerate(headers, start=1):
        put(ws, TEMPLATE_HEADER_ROW, j, text)
    styles.style_header(ws, TEMPLATE_HEADER_ROW, 1, len(headers))
    rows = (
        [] if customers is None else customers[["customer_id", "name", "region", "industry"]].sort_values("customer_id")
    )
    rows = [] if customers is None else list(rows.itertuples(index=False, name=None))
    for i, row in enumerate(rows, start=TEMPLATE_FIRST_ROW):
        for j, v in enumerate(row, start=1):
            put(ws, i, j, v)
    end = TEMPLATE_FIRST_ROW + (len(rows) if customers is not None else BLANK_LIST_ROWS) - 1
    if customers is None:
        _unlock(ws, TEMPLATE_FIRST_ROW, end, 1, len(headers))
        for r in range(TEMPLATE_FIRST_ROW, end + 1):  # IDs typed as text, as the sheets' Customer ID: MATCH finds them
            ws.cell(r, 1).number_format = "@"
    end = max(end, TEMPLATE_FIRST_ROW)
    for name, letter in (("MyCustomers", "A"), ("MyCustomerNames", "B")):
        ref = f"{quote_sheetname(ws.title)}!${letter}${TEMPLATE_FIRST_ROW}:${letter}${end}"
        wb.defined_names[name] = DefinedName(name, attr_text=ref)
    styles.set_widths(ws, [14, 32, 14, 18])
    ws.freeze_panes = f"A{TEMPLATE_FIRST_ROW}"
    styles.print_setup(ws, f"{TEMPLATE_HEADER_ROW}:{TEMPLATE_HEADER_ROW}")
    ws.page_setup.orientation = "portrait"
    ws.print_area = f"A1:D{TEMPLATE_HEADER_ROW + len(rows) if rows else TEMPLATE_HEADER_ROW + PRINT_BLANK_ROWS}"
    ws.protection.sheet = True

    lists = wb.create_sheet(tr(LISTS_SHEET))
    put(lists, 1, 1, tr("Category"))
    names = categories if categories is not None else []
    for i, name in enumerate(names, start=2):
        put(lists, i, 1, name)
    last = 1 + (len(names) if categories is not None else BLANK_LIST_ROWS)
    if categories is None:
        _unlock(lists, 2, last, 1, 1)
    wb.defined_names["Categories"] = DefinedName(
        "Categories", attr_text=f"{quote_sheetname(lists.title)}!$A$2:$A${max(last, 2)}"
    )
    lists.sheet_state = "hidden"  # a manager filling the blank template unprotects the workbook to show it
    lists.protection.sheet = True


def _unlock(ws: Worksheet, first_row: int, last_row: int, first_col: int, last_col: int) -> None:
    for row in ws.iter_rows(min_row=first_row, max_row=last_row, min_col=first_col, max_col=last_col):
        for cell in row:
            cell.protection, cell.fill = styles.UNLOCKED, styles.INPUT_FILL


def _name_width(customers: pd.DataFrame | None) -> int:
    """The Customer name column's width: fitted to the rep's customers' names (and NOT_LISTED)."""
    if customers is None:
        return TEMPLATE_TABLES["rep_orders"].column("customer_name").width
    return styles.fitted_width([tr(NOT_LISTED), *customers["name"].dropna().astype(str)], most=40)


def _sheet_header(ws: Worksheet, table: Table, rep: dict | None, widths: dict[str, int]) -> None:
    styles.title(ws, table.sheet, table.description)
    set_formula(ws["A3"], _subtitle_formula(), _subtitle(rep)).font = styles.LABEL_FONT
    for j, col in enumerate(table.columns, start=1):
        put(ws, TEMPLATE_HEADER_ROW, j, col.header)
    styles.style_header(ws, TEMPLATE_HEADER_ROW, 1, len(table.columns))
    ws.row_dimensions[TEMPLATE_HEADER_ROW].height = 30
    styles.set_widths(ws, [widths.get(c.name, c.width) for c in table.columns])
    ws.freeze_panes = f"A{TEMPLATE_FIRST_ROW}"
    styles.print_setup(ws, f"{TEMPLATE_HEADER_ROW}:{TEMPLATE_HEADER_ROW}")
    ws.protection.sheet = True


def _print_rows(ws: Worksheet, table: Table) -> None:
    """Print the header and PRINT_BLANK_ROWS rows (a form to fill by hand, one page).  A static
    area: LibreOffice ignores a print area that is a formula.  A rep who filled more rows sets
    it again (Page Layout > Print Area): the sheet allows it, and inserting rows."""
    ws.print_area = f"A1:{get_column_letter(len(table.columns))}{TEMPLATE_HEADER_ROW + PRINT_BLANK_ROWS}"
    for option in SHEET_ALLOWS:
        setattr(ws.protection, option, False)


def _input_sheet(ws: Worksheet, table: Table, formulas: dict[str, str]) -> None:
    """Input columns styled whole (unlocked, yellow, validated to the sheet's last row: a rep is never
    out of rows), formula columns filled for TEMPLATE_ROWS rows (locked, stored blank)."""
    _print_rows(ws, table)
    lookups = {"customers.customer_id": "MyCustomers", "categories.category": "Categories"}
    for j, col in enumerate(table.columns, start=1):
        letter = get_column_letter(j)
        column = ws.column_dimensions[letter]
        column.number_format = "hh:mm" if col.name in TIME_COLUMNS else col.number_format
        for r in range(1, TEMPLATE_HEADER_ROW):  # a styled cell keeps the title rows out of the column's style
            ws.cell(r, j).font = copy(ws.cell(r, 1).font)
        if col.name in formulas:
            for r in range(TEMPLATE_FIRST_ROW, LAST_ROW + 1):
                set_formula(ws.cell(r, j), formulas[col.name].format(r=r), "").number_format = col.number_format
            continue
        if col.name in TEMPLATE_SUPERVISOR:
            column.fill = SUPERVISOR_FILL
            continue
        column.protection, column.fill = styles.UNLOCKED, styles.INPUT_FILL
        dv = _time_rule(col) if col.name in TIME_COLUMNS else column_rule(col, lookups.get(col.ref or ""), PERIOD_DATES)
        ws.add_data_validation(dv)
        dv.add(f"{letter}{TEMPLATE_FIRST_ROW}:{letter}{MAX_ROW}")


def _time_rule(col) -> DataValidation:
    """A time of day, 00:00 to 23:59."""
    dv = DataValidation("time", operator="between", formula1="0", formula2=LAST_MINUTE, allow_blank=not col.required)
    dv.error, dv.errorTitle, dv.showErrorMessage = tr("Type a time of day such as 09:30"), invalid_title(col), True
    dv.prompt, dv.promptTitle, dv.showInputMessage = col.note, col.header, True
    return dv


def _targets_sheet(ws: Worksheet, table: Table, targets: pd.DataFrame | None) -> None:
    """One row per month: target (from the master) and live actual, attainment and variance
    (stored as a new file has them: no orders yet)."""
    blank = targets is None
    if blank:
        targets = pd.DataFrame({"period": [None] * 12, "target": [None] * 12})
    for r, (month, target) in enumerate(
        targets[["period", "target"]].itertuples(index=False, name=None), start=TEMPLATE_FIRST_ROW
    ):
        put(ws, r, 1, month), put(ws, r, 2, target)
        for j, col in enumerate(table.columns, start=1):
            ws.cell(r, j).number_format = col.number_format
        has_target = pd.notna(target) and target > 0
        results = {"actual": 0 if pd.notna(month) else "", "attainment": 0 if has_target else "",
                   "variance": -target if has_target else ""}  # fmt: skip
        for name, formula in _target_formulas(r).items():
            set_formula(ws.cell(r, table.names.index(name) + 1), formula, results[name])
        if blank:
            _unlock(ws, r, r, 1, 2)
    last = TEMPLATE_FIRST_ROW + len(targets) - 1
    letter = get_column_letter(table.names.index("attainment") + 1)
    styles.traffic_lights(ws, f"{letter}{TEMPLATE_FIRST_ROW}:{letter}{last}")
    ws.print_area = f"A1:{get_column_letter(len(table.columns))}{last}"
