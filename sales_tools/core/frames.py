"""Small checks and conversions the metric modules share: required columns, months, positions."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from sales_tools.errors import InputError, SchemaError
from sales_tools.schema import TABLES
from sales_tools.schema.language import ENGLISH, current, tr
from sales_tools.schema.model import english


def column_named(sheet: str, name: str) -> str:
    """Column `name` of the sheet `sheet` (its English name) as a message names it: the code
    in English (as it always has), its header in another language (else its label).

    >>> column_named("Orders", "order_date")
    'order_date'
    """
    if current() == ENGLISH:
        return name
    found = [t for t in TABLES.values() if english(t, "sheet") == sheet and name in t.names]
    return found[0].column(name).header if found else tr(name)


def require_columns(frame: pd.DataFrame, columns: Iterable[str], table: str) -> None:
    """Raise SchemaError naming the columns `table` lacks.

    >>> require_columns(pd.DataFrame({"rep_id": []}), ["rep_id", "period"], "Targets")
    Traceback (most recent call last):
    ...
    sales_tools.errors.SchemaError: the Targets table has no column period
    """
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SchemaError(
            tr("the {table} table has no column {columns}").format(
                table=tr(table), columns=", ".join(column_named(table, c) for c in missing)
            )
        )


def finite_numbers(values, what: str) -> np.ndarray:
    """`values` (a number or array-like) as floats, blanks NaN; text or an infinity raises.

    >>> finite_numbers([1, float("inf")], "amounts")
    Traceback (most recent call last):
    ...
    sales_tools.errors.InputError: amounts at position 2 is infinite; it must be a finite number
    """
    try:
        numbers = np.asarray(values, dtype="float64")
    except (TypeError, ValueError):
        raise InputError(tr("{what} must be numbers").format(what=tr(what))) from None
    infinite = np.flatnonzero(np.isinf(np.ravel(numbers)))
    if len(infinite):
        where = tr(" at position {position}").format(position=infinite[0] + 1) if numbers.ndim else ""
        raise InputError(tr("{what}{where} is infinite; it must be a finite number").format(what=tr(what), where=where))
    return numbers


def as_text(values: pd.Series) -> pd.Series:
    """Values as text, blanks left blank (NaN): the same on pandas 2 and 3.

    Plain ``astype(str)`` turns a blank into the text "nan" on pandas 2 (and keeps it
    blank on pandas 3), so a blank region would read as a region called "nan".

    >>> as_text(pd.Series(["East", None, 3])).tolist()
    ['East', nan, '3']
    """
    return values.astype("str").where(values.notna())


NO_TARGET = "no target"  # what a report shows where a target is blank


def label_blanks(frame: pd.DataFrame, columns, label: str = NO_TARGET, rows=None) -> pd.DataFrame:
    """`frame` with the blanks of `columns` (in `rows`, a mask; default all) shown as `label`.

    >>> label_blanks(pd.DataFrame({"target": [5.0, None]}), ["target"])["target"].tolist()
    [5.0, 'no target']
    """
    out = frame.copy()
    for column in columns:
        blank = out[column].isna() if rows is None else out[column].isna() & rows
        out[column] = out[column].astype(object).mask(blank, label)
    return out


def month_start(dates: pd.Series, freq: str = "M") -> pd.Series:
    """The first day of each date's period (a calendar month unless `freq` says otherwise).

    >>> month_start(pd.Series(pd.to_datetime(["2024-03-31 17:00", "2024-04-01 00:00"]))).dt.strftime("%Y-%m-%d").tolist()
    ['2024-03-01', '2024-04-01']
    """
    dates = pd.to_datetime(dates)
    try:
        return dates.dt.to_period(freq).dt.start_time
    except ValueError:
        raise InputError(
            tr("period {freq!r} is not a pandas period such as 'M' (month), 'Q' or 'W'").format(freq=freq)
        ) from None


def first_missing(values: pd.Series | np.ndarray) -> int | None:
    """1-based position of the first missing value, or None when there is none."""
    where = np.flatnonzero(pd.isna(values))
    return int(where[0]) + 1 if len(where) else None
