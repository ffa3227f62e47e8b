"""An open Excel workbook (an `xw.Book`) as a `tables.TableBook`.

Whole Excel tables are read and written, never cell by cell, and cells are typed
exactly as a workbook file's (`tables.typed_table`).  Works wherever xlwings runs:
classic Excel (COM), xlwings Lite and Server (the remote engine).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import xlwings as xw

from sales_tools.core.coerce import formula_like
from sales_tools.errors import WorkbookError
from sales_tools.safe_text import clean_text
from sales_tools.schema import TABLES, Table
from sales_tools.schema.language import ENGLISH, LANGUAGES, labelled, tr, use
from sales_tools.tables import settings_language, typed_table


class OpenBook:
    """The schema tables of an open workbook, each an Excel table (ListObject) on its sheet."""

    def __init__(self, book: xw.Book):
        self.book = book

    def read(self, name: str) -> pd.DataFrame:
        """Schema table `name`, typed.

        Raises:
            WorkbookError: the book has no such sheet or Excel table.
            SchemaError: a required column is missing or cells do not fit their column.
        """
        table = TABLES[name]
        cells = self._excel_table(table).range
        raw = cells.options(pd.DataFrame, index=False, header=True).value
        raw = raw.rename(columns={c.header: c.name for c in table.columns})
        return typed_table(raw, table, self.book.name, table.sheet, first_row=cells.row + 1)

    def has_sheet(self, title: str) -> bool:
        return title in [s.name for s in self.book.sheets]

    def write(self, tables: Mapping[str, pd.DataFrame]) -> None:
        """Replace the rows of each schema table in `tables`.

        Blanks (NaN, NaT, NA) become empty cells.  Text is written as the file writers
        write it (`excel.values.set_value`): its exact text, the characters a workbook cannot
        hold replaced.  Excel parses what it is handed as if typed, so text it would run
        as a formula (``=``, ``+``, ``-``, ``@``) or that starts with an apostrophe gets a
        leading apostrophe: Excel keeps it as the cell's quote prefix, not in the value.
        """
        targets = {name: self._excel_table(TABLES[name]) for name in tables}  # all found before any is written
        for name, frame in tables.items():
            table = TABLES[name]
            cells = labelled(frame.reindex(columns=table.names), table.columns).map(_clean).astype(object)
            cells = cells.where(cells.notna(), None)  # NaN/NaT/NA: an empty cell (COM chokes on NaT)
            cells = cells.mask(cells.apply(_typed_as_text), "'" + cells.astype(str))
            cells.columns = table.headers
            targets[name].update(cells.reset_index(drop=True), index=False)

    def _excel_table(self, table: Table):
        if table.sheet not in [s.name for s in self.book.sheets]:
            earlier = tr(
                "{file} has no {sheet} sheet (a workbook from an earlier sales_tools): "
                "nothing was written; run sales-tools refresh on the saved file once, which adds it"
            )
            raise WorkbookError(earlier.format(file=self.book.name, sheet=table.sheet))
        tables = self.book.sheets[table.sheet].tables
        if table.excel_name not in tables:
            missing = tr("{file}, sheet {sheet}: the Excel table {table} is missing")
            raise WorkbookError(missing.format(file=self.book.name, sheet=table.sheet, table=table.excel_name))
        return tables[table.excel_name]


def book_language(book: xw.Book) -> str:
    """The language of an open master: its Settings ``language`` row (English without one), the
    sheet found by its title in either language.

    Raises:
        InputError: the row names a language this package does not have.
    """
    for language in LANGUAGES:
        with use(language):
            source = OpenBook(book)
            if source.has_sheet(TABLES["settings"].sheet):
                return settings_language(source.read("settings"), book.name)
    return ENGLISH


def _clean(value):
    return clean_text(value) if isinstance(value, str) else value


def _typed_as_text(values: pd.Series) -> pd.Series:
    """Where text must carry a leading apostrophe to reach the cell as it is."""
    return formula_like(values) | values.map(lambda v: isinstance(v, str) and v.startswith("'")).astype(bool)
