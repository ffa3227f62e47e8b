"""The master workbook's jobs, the same on a file (`excel.master_file.MasterFile`) and on an
open book (`open_book.OpenBook`): read its input tables, compute, write the result back.

A file is held against other writers from the first read to the write (its `writing`
lock); an open book needs none: Excel keeps other writers off the file.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import pandas as pd

from sales_tools.core.frames import as_text
from sales_tools.core.refresh import refresh
from sales_tools.core.settings import default_date, figures_as_of
from sales_tools.core.signoff import DATES as SIGNED
from sales_tools.core.signoff import approve_week
from sales_tools.core.targets import next_year_targets
from sales_tools.core.variance import target_inputs, target_variance, variance_layout
from sales_tools.core.weekly import iso_week, weekly_report
from sales_tools.errors import InputError
from sales_tools.schema import TABLES
from sales_tools.tables import TableBook, TableSource, read_inputs

if TYPE_CHECKING:
    from sales_tools.excel.master_file import MasterFile


def refresh_master(master: TableBook, as_of=None) -> dict[str, pd.DataFrame]:
    """Recompute every computed table of `master` and write them back.

    Args:
        master: the master workbook.
        as_of: the date of the figures; default the Settings ``as_of`` row, else the
            latest order date (`core.settings.figures_as_of`).

    Returns:
        The computed tables written (schema name -> frame), as `core.refresh.refresh` returns them.
    """
    with _writing(master, "refresh"):
        computed = refresh(read_inputs(master), as_of=as_of)
        master.write(computed)
    return computed


def store_weekly_report(master: TableBook, week=None) -> pd.DataFrame:
    """Compute the weekly report and write it to the Weekly report sheet of `master`.

    Args:
        master: the master workbook.
        week: an ISO week ("2024-W51") or any date in it; default the week of
            `core.settings.default_date` (the Settings ``as_of`` row, else today).

    Returns:
        The report written.
    """
    with _writing(master, "weekly report"):
        inputs = read_inputs(master)
        week = default_date(inputs["settings"]) if week is None else week
        as_of = default_date(inputs["settings"])  # reports due by then are counted
        report = weekly_report(inputs, week if isinstance(week, str) else iso_week(week), as_of)
        master.write({"weekly_report": report})
    return report


def approve(master: TableBook, rep_id: str, week: str, by=None, comment=None, on=None) -> dict[str, tuple[int, int]]:
    """Approve every Visit plans and Activities row of `rep_id` dated in ISO `week` (`core.signoff.approve_week`).

    Args:
        master: the master workbook; the two sheets are written back whole, rows in place.
        by: the supervisor; default the rep's manager (Reps sheet).
        on: the day approved; default today.  comment: the Supervisor comment (None keeps each row's).

    Returns:
        Per table, (rows stamped, of which already approved).

    Raises:
        InputError: the rep is not on the Reps sheet, nobody approves, or no row is in the week.
    """
    with _writing(master, "approve"):
        reps = master.read("reps")
        rep = reps[reps["rep_id"].astype("string").eq(rep_id).fillna(False).to_numpy(dtype=bool)]
        if rep.empty:
            raise InputError(f"rep {rep_id!r} is not on the Reps sheet")
        by = by if by is not None and str(by).strip() else rep["manager"].iloc[0]
        by = None if pd.isna(by) else by
        on = pd.Timestamp.today().normalize() if on is None else on
        stamped, counts = approve_week({n: master.read(n) for n in SIGNED}, rep_id, week, by, on, comment)
        replace = getattr(master, "replace", None)  # a file: rewrite the two input sheets; an open book: write them
        (replace(stamped, "approve") if replace else master.write(stamped))
    return counts


def grow_targets(master: MasterFile, year: int, team_growth: float, individual_growth: float) -> pd.DataFrame:
    """Add `year`'s Targets rows as growth over the year before (`core.targets.next_year_targets`).

    A row whose year, rep, region, category and dealer are already on the Targets sheet
    is not added (the sheet's row stands).

    Returns:
        The rows proposed, with ``added`` True for those written.
    """
    with master.writing("grow targets"):
        inputs = read_inputs(master)
        rows = next_year_targets(target_inputs(inputs)[1], year, team_growth, individual_growth)
        key = list(TABLES["targets"].key)
        given = _keys(inputs["targets"].reindex(columns=key))
        added = ~_keys(rows[key]).isin(given)
        if added.any():
            master.append("targets", rows[added], "grow targets")
    return rows.assign(added=added)


def _keys(frame: pd.DataFrame) -> pd.Series:
    """Each row's values as one text, blanks blank: rows equal in every column match."""
    return frame.apply(as_text).fillna("").agg("|".join, axis=1)


def _writing(master: TableBook, command: str) -> contextlib.AbstractContextManager:
    """`master`'s lock against other writers (`MasterFile.writing`), where it has one."""
    writing = getattr(master, "writing", None)
    return writing(command) if writing else contextlib.nullcontext()


def variance_report(master: TableSource, level: str, period_type: str, year: int | None = None):
    """ERPNext's Target Variance layout of `master`'s inputs (`core.variance.variance_layout`).

    Args:
        master: the master workbook (only read).
        level: "team", "rep", "region", "category", "dealer" or a combination ("rep+category").
        period_type: "month", "quarter", "half" or "year".
        year: default the year of the figures (`core.settings.figures_as_of`).

    Returns:
        (year, the layout).

    Raises:
        InputError: the Targets sheet has no target at that level for that year (the
            message lists the levels and years it has).
    """
    inputs = read_inputs(master)
    year = year or figures_as_of(inputs["settings"], inputs["orders"]["order_date"]).year
    table = target_variance(*target_inputs(inputs))
    wide = variance_layout(table, level, period_type, year)
    if wide.empty:
        years = (
            table.loc[table["period_type"] == "year"]
            .groupby("level", sort=False)["period"]
            .agg(lambda p: ", ".join(sorted(set(p))))
        )
        have = "; ".join(f"{lv} ({ys})" for lv, ys in years.items()) or "none"
        raise InputError(f"the Targets sheet has no {level} target for {year}; it has targets by {have}")
    return year, wide
