"""One schema table as one worksheet holding one Excel table (ListObject)."""

from __future__ import annotations

import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table as ExcelTable
from openpyxl.worksheet.table import TableColumn, TableFormula, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from sales_tools.excel import styles
from sales_tools.excel.row_heights import text_width
from sales_tools.excel.validation import column_rule, define_lookup
from sales_tools.excel.values import append_row, set_formula
from sales_tools.schema import Table
from sales_tools.schema.language import labelled

EXCEL_MAX_ROW = 1_048_576


def conform(table: Table, df: pd.DataFrame | None) -> pd.DataFrame:
    """`df` with exactly the schema's columns, in order (missing ones blank), codes shown as labels."""
    if df is None:
        return pd.DataFrame(columns=table.names)
    return labelled(df.reindex(columns=table.names), table.columns)


def write_table(ws: Worksheet, table: Table, df: pd.DataFrame | None, formulas: dict[str, str] | None = None) -> None:
    """Write `df` as the Excel table `table.excel_name` starting at A1.

    Args:
        ws: an empty worksheet.
        table: the schema table (headers, formats, validation).
        df: the rows (schema column names); None or empty gives one blank row, because
            an Excel table needs at least one data row.
        formulas: column name -> formula (structured references) written in every row
            instead of the frame's values, and kept as the table's calculated column;
            the frame's values are stored as their results (`formula_cache`).
    """
    formulas = formulas or {}
    data = conform(table, df)
    append_row(ws, table.headers)
    for row in data.itertuples(index=False, name=None):
        append_row(ws, row)
    last = max(len(data), 1) + 1
    for j, col in enumerate(table.columns, start=1):
        if col.name in formulas:  # the frame's values are what the formula gives (blank: "")
            results = data[col.name].astype(object).where(data[col.name].notna(), "").tolist() or [""]
            for r, result in enumerate(results, start=2):
                set_formula(ws.cell(r, j), "=" + formulas[col.name], result)
        for r in range(2, last + 1):
            ws.cell(r, j).number_format = col.number_format
    _add_excel_table(ws, table, last, formulas)
    _add_validations(ws, table)
    styles.style_header(ws, 1, 1, len(table.columns))
    styles.set_widths(ws, widths(table, data))
    ws.row_dimensions[1].height = 30
    ws.freeze_panes = "B2"
    styles.print_setup(ws, "1:1")  # no print area: Excel prints the used range, and rows can come and go


def widths(table: Table, data: pd.DataFrame) -> list[int]:
    """Column widths: fitted to the header (on two lines) and the rows' values as shown;
    the schema's widths for a table with no rows yet (room for what will be typed)."""
    if data.empty:
        return [c.width for c in table.columns]
    return [styles.fitted_width([_header_line(c.header), *_shown(c.type, data[c.name])]) for c in table.columns]


def _header_line(header: str) -> str:
    """The longer line of `header` wrapped on two lines at the best space (no word broken)."""
    words = header.split()
    splits = [(" ".join(words[:k]), " ".join(words[k:])) for k in range(1, len(words))] or [(header, "")]
    return max(min(splits, key=lambda pair: max(map(len, pair))), key=len)


def _shown(kind: str, values: pd.Series) -> list[str]:
    """The longest value of a column as its number format shows it (one text per candidate)."""
    values = values.dropna()
    if values.empty:
        return []
    if kind in ("money", "number", "int"):
        numbers = pd.to_numeric(values, errors="coerce").dropna()
        return [f"{numbers.min():,.2f}", f"{numbers.max():,.2f}"] if len(numbers) else []
    if kind == "percent":
        return ["100.0%"]
    if kind in ("date", "month"):
        return ["2024-01-31"]
    return ["x" * int(values.astype(str).map(text_width).max())]  # a Chinese character as wide as two


def _add_excel_table(ws: Worksheet, table: Table, last: int, formulas: dict[str, str]) -> None:
    ref = f"A1:{get_column_letter(len(table.columns))}{last}"
    xl = ExcelTable(displayName=table.excel_name, ref=ref)
    xl.tableColumns = [
        TableColumn(
            id=i,
            name=c.header,
            calculatedColumnFormula=TableFormula(attr_text=formulas[c.name]) if c.name in formulas else None,
        )
        for i, c in enumerate(table.columns, start=1)
    ]
    xl.autoFilter = AutoFilter(ref=ref)
    xl.tableStyleInfo = TableStyleInfo(name=styles.TABLE_STYLE, showRowStripes=True)
    ws.add_table(xl)


def _add_validations(ws: Worksheet, table: Table) -> None:
    for j, col in enumerate(table.columns, start=1):
        lookup = define_lookup(ws.parent, col.ref) if col.ref and not col.allowed else None
        dv = column_rule(col, lookup)
        if dv.type is None and not dv.prompt:
            continue
        ws.add_data_validation(dv)
        letter = get_column_letter(j)
        dv.add(f"{letter}2:{letter}{EXCEL_MAX_ROW}")
