"""Cell values as Excel hands them to a UDF, and back: the one converter the UDFs share.

Classic xlwings (COM) and xlwings Lite (Office.js) pass the same shapes: a one-cell
range as a scalar, a one-row or one-column range as a flat list, a bigger block as a
list of rows.  Empty cells arrive as ``None`` (Office.js may send ``""``), whole numbers
as floats, dates as ``datetime`` (classic, date-formatted cells) or as serial numbers
(Lite).  `read` turns any of these into what the core expects and raises `InputError`
naming the argument and the cell when a value cannot be what it should be; `write`
shapes a result the way Excel spills it.
"""

from __future__ import annotations

import datetime as dt
import numbers

import numpy as np
import pandas as pd

from sales_tools.core.coerce import EXCEL_EPOCH
from sales_tools.errors import InputError
from sales_tools.schema.language import tr


def read(value, name: str, kind: str):
    """Convert one UDF argument.

    Args:
        value: the argument as Excel passed it (scalar, flat list or list of rows).
        name: the argument's name, used in error messages.
        kind: ``"number"``/``"text"``/``"date"`` for one value; ``"numbers"``,
            ``"texts"``, ``"dates"`` for a range (a 1-D array, blanks as NaN/NaT/None);
            ``"tiers"`` for a list of numbers where only trailing blanks are allowed.

    Returns:
        A float, str or Timestamp for a single value; a numpy array, list or
        DatetimeIndex for a range.

    >>> read([[5000.0], [None]], "floors", "tiers")
    array([5000.])
    """
    if kind in _ONE:
        cells = [_blank(c) for c in _cells(value, name)]
        if len(cells) != 1 or cells[0] is None:
            raise InputError(tr("{name} must be one value, not {found}").format(name=name, found=_describe(cells)))
        return _ONE[kind](cells[0], name)
    cells = _cells(value, name)
    if kind == "tiers":
        cells = _strip_trailing_blanks([_blank(c) for c in cells])
        if not cells:
            raise InputError(tr("{name} is empty").format(name=name))
        if None in cells:
            raise InputError(tr("{name}: cell {cell} is empty").format(name=name, cell=cells.index(None) + 1))
        kind = "numbers"
    if kind == "numbers" and set(map(type, cells)) <= _PLAIN_NUMBERS:
        return np.array(cells, dtype=float)  # the common case, vectorized: None -> NaN
    cells = [_blank(c) for c in cells]
    convert, blank = _ONE[kind[:-1]], _BLANK[kind]
    where = range(1, len(cells) + 1) if len(cells) > 1 else [None]  # a cell number only in a range
    values = [blank if c is None else convert(c, name, i) for i, c in zip(where, cells)]
    return pd.DatetimeIndex(values) if kind == "dates" else values if kind == "texts" else np.asarray(values, float)


def is_range(value) -> bool:
    """True when Excel passed more than one cell (the UDF then returns a column)."""
    if isinstance(value, (np.ndarray, pd.Series)):
        return value.size != 1
    if not isinstance(value, (list, tuple)):
        return False
    return len(value) != 1 or (isinstance(value[0], (list, tuple)) and len(value[0]) != 1)


def write(values, as_column: bool):
    """Shape a result for the cell: a scalar, or a column (list of one-value rows) that spills.

    NaN and NaT become ``None`` (an empty cell), never a number.
    """
    if isinstance(values, pd.DataFrame):  # a table: header row, then one row per record
        return [list(values.columns)] + [_clean(row) for row in values.to_numpy(dtype=object)]
    cells = _clean(values)
    return [[c] for c in cells] if as_column else cells[0]


def _clean(values) -> list:
    """Cells for Excel: NaN/NaT become None (an empty cell), numpy scalars plain Python."""
    numbers = np.asarray(values)
    if numbers.dtype.kind == "f":  # the common case, vectorized: Python floats, None for NaN
        cells = numbers.ravel().astype(object)
        cells[np.isnan(numbers.ravel())] = None
        return cells.tolist()
    cells = np.asarray(values, dtype=object).ravel()
    cells[pd.isna(cells)] = None
    return [c.item() if isinstance(c, np.generic) else c for c in cells]


def _cells(value, name: str) -> list:
    """Flatten a scalar, a row, a column or a one-row/one-column block to a list of cells."""
    if isinstance(value, (pd.Series, np.ndarray)):
        value = value.tolist()
    if not isinstance(value, (list, tuple)):
        return [value]
    if not value or not isinstance(value[0], (list, tuple)):
        return list(value)
    if len(value) > 1 and max(map(len, value)) > 1:
        block = tr("{name} must be one row or one column, not a block of {rows}x{columns} cells")
        raise InputError(block.format(name=name, rows=len(value), columns=len(value[0])))
    return [v for row in value for v in row]


def _blank(v):
    return None if v is None or v == "" or (isinstance(v, float) and np.isnan(v)) else v


def _strip_trailing_blanks(cells: list) -> list:
    while cells and cells[-1] is None:
        cells = cells[:-1]
    return cells


def _describe(cells: list) -> str:
    return tr("an empty cell") if cells == [None] else tr("a range of {count} cells").format(count=len(cells))


def _where(name: str, i: int | None) -> str:
    return name if i is None else tr("{name} (cell {cell})").format(name=name, cell=i)


def _number(v, name: str, i: int | None = None) -> float:
    if isinstance(v, numbers.Real) and not isinstance(v, bool):
        return float(v)
    what = (
        tr("text")
        if isinstance(v, str)
        else tr("a date")
        if isinstance(v, dt.date)
        else "TRUE/FALSE"
        if isinstance(v, bool)
        else type(v).__name__
    )
    raise InputError(tr("{where}: {v!r} is {what}, not a number").format(where=_where(name, i), v=v, what=what))


def _text(v, name: str, i: int | None = None) -> str:
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, numbers.Real) and not isinstance(v, bool) and float(v).is_integer():
        return str(int(v))  # an id typed as a number arrives as 1001.0
    raise InputError(tr("{where}: {v!r} is not text").format(where=_where(name, i), v=v))


def _date(v, name: str, i: int | None = None) -> pd.Timestamp:
    if isinstance(v, dt.date):
        return pd.Timestamp(v)
    if isinstance(v, numbers.Real) and not isinstance(v, bool) and 1 <= v <= 2958465:
        return EXCEL_EPOCH + pd.Timedelta(days=float(v))  # Lite passes dates as serials
    raise InputError(tr("{where}: {v!r} is not a date").format(where=_where(name, i), v=v))


_ONE = {"number": _number, "text": _text, "date": _date}
_PLAIN_NUMBERS = {float, int, type(None), np.float64, np.int64}
_BLANK = {"numbers": np.nan, "texts": None, "dates": pd.NaT}
