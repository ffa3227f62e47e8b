"""The master workbook as a whole: read its input tables, refresh, write back atomically."""

from __future__ import annotations

import os

import pandas as pd

from sales_tools.core.refresh import refresh
from sales_tools.excel.builder import write_computed
from sales_tools.excel.reader import read_tables
from sales_tools.schema import INPUT_TABLES


def read_inputs(path: str | os.PathLike) -> dict[str, pd.DataFrame]:
    """Every input table of the master at `path`, typed by the schema, and its Exceptions."""
    return read_tables(path, [t.name for t in INPUT_TABLES] + ["exceptions"])


def refresh_master(path: str | os.PathLike, as_of=None) -> dict[str, pd.DataFrame]:
    """Recompute every computed sheet of the master at `path` and save it atomically.

    Returns the computed tables that were written.
    """
    computed = refresh(read_inputs(path), as_of=as_of)
    write_computed(path, computed)
    return computed
