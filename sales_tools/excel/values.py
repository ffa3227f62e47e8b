"""What the package writes into a worksheet cell, through two doors.

`put` (`set_value`, `append_row`) writes data: anything from a table, a setting or a
name.  pandas and numpy values become what Excel holds (blanks empty, Timestamps dates);
text is always a string cell with its exact text however it starts ("=1+2", "@SUM(1)",
"#N/A"), its characters a workbook cannot hold replaced (`safe_text.clean_text`).  Text
a spreadsheet would run as a formula also gets Excel's quote prefix, so editing the
cell keeps it text.  `set_formula` writes a formula the package built itself, with its result when known.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from sales_tools.core.coerce import FORMULA_PREFIXES
from sales_tools.excel import formula_cache
from sales_tools.safe_text import clean_text


def cell_value(value):
    """A pandas/numpy value as something openpyxl writes: None for blanks, real dates, clean text."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().replace(tzinfo=None)
    if isinstance(value, np.generic):
        return cell_value(value.item())
    if isinstance(value, dt.date) or not pd.isna(value):
        return value
    return None


def set_value(cell: Cell, value) -> Cell:
    """Write data `value` into `cell`: text as a string cell, never a formula or an error."""
    value = cell_value(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True
    return cell


def put(ws: Worksheet, row: int, column: int, value) -> Cell:
    """Write data `value` into the cell at (`row`, `column`) of `ws` (see `set_value`)."""
    return set_value(ws.cell(row, column), value)


def append_row(ws: Worksheet, values) -> None:
    """Write data `values` as a new row after the last one (openpyxl's fast append)."""
    ws.append([set_value(Cell(ws), v) for v in values])


def set_formula(cell: Cell, formula: str, result=None) -> Cell:
    """Write a formula the package built ("=..."): the only way a cell gets one.

    `result` is what the formula gives, when the package computed it too: it is stored
    with the formula (`formula_cache`), so a reader that does not recalculate sees it.
    """
    if not formula.startswith("="):
        raise ValueError(f"not a formula: {formula!r}")
    cell.value = formula
    formula_cache.remember(cell.parent, cell.coordinate, result)
    return cell
