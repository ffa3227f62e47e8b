"""The master workbook's jobs, the same on a file (`excel.master_file.MasterFile`) and on an
open book (`open_book.OpenBook`): read its input tables, compute, write the result back.

A file is held against other writers from the first read to the write (its `writing`
lock); an open book needs none: Excel keeps other writers off the file.
"""

from __future__ import annotations

import contextlib

import pandas as pd

from sales_tools.core.refresh import refresh
from sales_tools.core.settings import default_date
from sales_tools.core.weekly import iso_week, weekly_report
from sales_tools.tables import TableBook, read_inputs


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
        report = weekly_report(inputs, week if isinstance(week, str) else iso_week(week))
        master.write({"weekly_report": report})
    return report


def _writing(master: TableBook, command: str) -> contextlib.AbstractContextManager:
    """`master`'s lock against other writers (`MasterFile.writing`), where it has one."""
    writing = getattr(master, "writing", None)
    return writing(command) if writing else contextlib.nullcontext()
