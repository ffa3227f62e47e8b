"""Reading tables back from any workbook (this package's, Excel's, LibreOffice's, legacy .xls).

Values come from python-calamine (fast, no styles); types come from the schema via
`core.coerce.coerce_table` (`tables.typed_table`).  A table is found by its sheet
title, else on any sheet whose header row matches; the header may sit below a title,
header cells match by text or snake name ("Rep ID", "rep_id", "REP-ID"), and blank
rows are ignored.
"""

from __future__ import annotations

import os
import re
from functools import cached_property
from pathlib import Path

import pandas as pd
from python_calamine import CalamineError, CalamineWorkbook

from sales_tools.errors import SchemaError, WorkbookError
from sales_tools.schema import TABLES, TEMPLATE_TABLES, Table
from sales_tools.schema.language import tr
from sales_tools.tables import settings_language, typed_table

HEADER_SCAN_ROWS = 30  # a header row lies within the first rows of a sheet


def normalize(text) -> str:
    """Header text as a snake name: 'YTD target ' -> 'ytd_target', '订单 编号' -> '订单_编号'."""
    return re.sub(r"[\W_]+", "_", str(text).strip().lower()).strip("_")


def schema_table(name: str) -> Table:
    """A master or template table by schema name."""
    if name in TABLES:
        return TABLES[name]
    if name in TEMPLATE_TABLES:
        return TEMPLATE_TABLES[name]
    unknown = tr("no table called {name!r}; known: {known}")
    raise SchemaError(unknown.format(name=name, known=", ".join([*TABLES, *TEMPLATE_TABLES])))


def open_workbook(path: str | os.PathLike) -> CalamineWorkbook:
    """Open a workbook with calamine, or raise a WorkbookError a manager understands."""
    path = Path(path)
    if not path.exists():
        raise WorkbookError(tr("{path} does not exist").format(path=path))
    try:
        return CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as exc:
        raise WorkbookError(
            tr("{file} is not a readable Excel workbook: {problem}").format(file=path.name, problem=exc)
        ) from exc


def read_raw(book: CalamineWorkbook, table: Table) -> tuple[str, pd.DataFrame, int] | None:
    """Find `table` in `book`: (sheet title, raw cells by schema name, Excel row of the first data row).

    Returns None when no sheet holds it.
    """
    own = {t.lower() for t in table.every_sheet}
    titles = sorted(book.sheet_names, key=lambda s: s.strip().lower() not in own)
    wanted = {normalize(h): c.name for c in table.columns for h in [c.name, *c.every_header]}
    required = {c.name for c in table.columns if c.required}
    for title in titles:
        rows = book.get_sheet_by_name(title).to_python(skip_empty_area=False)
        for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
            found = {j: wanted[normalize(v)] for j, v in enumerate(row) if v != "" and normalize(v) in wanted}
            names = set(found.values())
            if required <= names and len(names) * 2 >= len(table.columns):
                body = [[r[j] if j < len(r) else None for j in found] for r in rows[i + 1 :]]
                raw = pd.DataFrame(body, columns=list(found.values()), dtype=object).replace("", None)
                return title, raw, i + 2
    return None


class WorkbookSource:
    """The schema tables of a workbook file (.xlsx, .xlsm, .ods, legacy .xls): a `tables.TableSource`."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)

    @cached_property
    def book(self) -> CalamineWorkbook:
        return open_workbook(self.path)

    def read(self, name: str) -> pd.DataFrame:
        """Master or template table `name`, typed (see `read_tables`)."""
        typed = self.find(name)
        if typed is None:
            table = schema_table(name)
            absent = tr("{file}: no sheet holds the {sheet} table (headers {headers})")
            raise SchemaError(absent.format(file=self.path.name, sheet=table.sheet, headers=", ".join(table.headers)))
        return typed

    def has_sheet(self, title: str) -> bool:
        return title in self.book.sheet_names

    def find(self, name: str) -> pd.DataFrame | None:
        """As `read`, None when no sheet holds the table."""
        book, table = self.book, schema_table(name)
        found = read_raw(book, table)
        if found is None:
            return None
        sheet, raw, first_row = found
        return typed_table(raw, table, self.path.name, sheet, first_row)


def read_tables(path: str | os.PathLike, names: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Read tables from a workbook into typed DataFrames with the schema's column names.

    Args:
        path: an .xlsx, .xlsm, .ods or legacy .xls file.
        names: schema names (master or template tables); None reads every master table
            the workbook holds.

    Returns:
        name -> DataFrame in schema column order, one row per non-blank sheet row,
        indexed by the Excel row number ("row").

    Raises:
        WorkbookError: the file is missing or not a workbook.
        SchemaError: a named table is not in the file, or a cell does not fit its
            column; the message names the file, sheet, row and column.
    """
    source = WorkbookSource(path)
    if names is not None:
        return {name: source.read(name) for name in names}
    found = {name: source.find(name) for name in TABLES}
    return {name: frame for name, frame in found.items() if frame is not None}


def book_language(path: str | os.PathLike) -> str:
    """The language a master was built in: its Settings ``language`` row (English without one).

    Raises:
        InputError: the row names a language this package does not have.
    """
    return settings_language(WorkbookSource(path).find("settings"), Path(path).name)
