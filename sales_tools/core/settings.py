"""The Settings sheet read into typed values, with the schema's defaults for blanks, and
the default dates every command and macro takes from it."""

from __future__ import annotations

import pandas as pd

from sales_tools.errors import InputError
from sales_tools.schema import SETTINGS

DATES = ("period_start", "as_of")


def read_settings(table: pd.DataFrame | None) -> dict[str, object]:
    """{setting: value} for every schema setting (and any extra rows), typed.

    Numbers take the type of their default; `DATES` become Timestamps; a blank takes
    the default, and a blank default is None.  When a setting is given twice the
    last non-blank row wins (a manager's row appended below the defaults).

    >>> s = read_settings(pd.DataFrame({"setting": ["rfm_bins", "as_of"], "value": ["4", "2024-12-20"]}))
    >>> s["rfm_bins"], s["as_of"], s["abc_a"], s["rep_files_folder"]
    (4, Timestamp('2024-12-20 00:00:00'), 0.8, None)

    Raises:
        InputError: a number or date setting holds something else.
    """
    given = {}
    if table is not None:
        for name, value in zip(table["setting"], table["value"], strict=True):
            if not _blank(value):
                given[str(name).strip().casefold()] = value
    out = {name: _typed(name, given.get(name, default)) for name, (default, _) in SETTINGS.items()}
    return {**{k: v for k, v in given.items() if k not in out}, **out}


def default_date(settings: pd.DataFrame | None) -> pd.Timestamp:
    """The day the commands and macros work for when none is given: the Settings
    ``as_of`` date, else today (the weekly report's week, the month below)."""
    as_of = read_settings(settings)["as_of"]
    return pd.Timestamp.today().normalize() if as_of is None else as_of


def default_month(settings: pd.DataFrame | None) -> str:
    """The month of `default_date`, e.g. "2024-12": the rep templates' and the statements' default period.

    >>> default_month(pd.DataFrame({"setting": ["as_of"], "value": ["2024-12-20"]}))
    '2024-12'
    """
    return f"{default_date(settings):%Y-%m}"


def figures_as_of(settings: pd.DataFrame | None, order_dates: pd.Series, as_of=None) -> pd.Timestamp:
    """A refresh's date of the figures: `as_of`, else the Settings ``as_of`` date, else the
    latest order date, else (no orders yet) today."""
    given = (as_of, read_settings(settings)["as_of"], order_dates.max(), pd.Timestamp.today())
    return pd.Timestamp(next(d for d in given if d is not None and not pd.isna(d))).normalize()


def _typed(name: str, value):
    if _blank(value):
        return None
    default = SETTINGS[name][0]
    try:
        if name in DATES:
            stamp = pd.Timestamp(value)
            if pd.isna(stamp):  # "NaT", "nan": text pandas reads as no date
                raise ValueError(value)
            return stamp.normalize()
        if isinstance(default, (int, float)) and not isinstance(value, bool):
            return (
                type(default)(float(value))
                if isinstance(default, int) and float(value).is_integer()
                else type(default)(value)
            )
        return value
    except (TypeError, ValueError):
        what = "a date such as 2024-12-20" if name in DATES else "a number"
        raise InputError(f"Settings: {name} must be {what}, not {value!r}") from None


def _blank(value) -> bool:
    return (
        value is None
        or (isinstance(value, float) and pd.isna(value))
        or (isinstance(value, str) and not value.strip())
        or value is pd.NaT
    )
