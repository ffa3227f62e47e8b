"""The one seam for table I/O: where schema tables are read from and written to.

A `TableSource` gives one schema table, typed by the schema (`core.coerce.coerce_table`);
a `TableSink` replaces tables' rows.  There are two of each:

* a workbook file: `excel.reader.WorkbookSource` (any workbook, read with calamine) and
  `excel.master_file.MasterFile` (the master, whose computed tables are written back);
* an open Excel workbook (`xw.Book`): `sales_tools.open_book.OpenBook`.

Both type cells with `typed_table`, so a bad cell gives the same message, naming the
file or book, sheet, row and column, from the command line, the macros and Lite.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import pandas as pd

from sales_tools.core.coerce import coerce_table
from sales_tools.core.settings import setting_code
from sales_tools.errors import InputError, SchemaError
from sales_tools.schema import INPUT_TABLES, TABLES, Table
from sales_tools.schema.language import ENGLISH, check, tr

INPUTS = (*(t.name for t in INPUT_TABLES), "exceptions", "customer_merges")  # what a refresh reads
CLOSE_SHEETS = ("payouts", "paid_lines", "close_log")  # a master from before period close lacks them: none closed
SHOWN_PROBLEMS = 10  # bad cells listed in a message


class TableSource(Protocol):
    def read(self, name: str) -> pd.DataFrame:
        """Schema table `name`, typed by the schema, indexed by Excel row number.

        Raises:
            SchemaError: the table is missing a required column or a cell does not fit
                its column (the message names the book, sheet, row and column).
        """

    def has_sheet(self, title: str) -> bool:
        """Whether the source has a sheet called `title`."""


class TableSink(Protocol):
    def write(self, tables: Mapping[str, pd.DataFrame]) -> None:
        """Replace the rows of each schema table in `tables` (frames with schema column names), in one save."""


class TableBook(TableSource, TableSink, Protocol):
    """A master workbook: read and written."""


def settings_language(settings: pd.DataFrame | None, book: str) -> str:
    """The language of a master: the ``language`` row of its Settings table `settings` (None: `book`
    has none), English without one.

    Raises:
        InputError: the row names a language this package does not have.
    """
    rows = [] if settings is None else settings.loc[settings["setting"].map(setting_code).eq("language"), "value"]
    given = next((str(v) for v in rows if str(v).strip() not in ("", "nan", "None")), ENGLISH)
    try:
        return check(given)
    except ValueError as exc:
        wrong = tr("{file}, sheet {sheet}: {problem}")
        raise InputError(wrong.format(file=book, sheet=TABLES["settings"].sheet, problem=exc)) from None


def read_inputs(source: TableSource) -> dict[str, pd.DataFrame]:
    """Every input table of `source`, its Exceptions (a refresh keeps their import rows) and
    its Customer merges (a refresh keeps them and adds new proposals)."""
    return {name: read_close_sheet(source, name) if name in CLOSE_SHEETS else source.read(name) for name in INPUTS}


def read_close_sheet(source: TableSource, name: str) -> pd.DataFrame:
    """Table `name` of `CLOSE_SHEETS`, empty where the master has no such sheet (nothing was closed)."""
    held = source.has_sheet(TABLES[name].sheet)  # by its title: Paid lines has the columns of Commission lines
    return source.read(name) if held else pd.DataFrame(columns=TABLES[name].names)


def typed_table(raw: pd.DataFrame, table: Table, book: str, sheet: str, first_row: int) -> pd.DataFrame:
    """`raw` (cells by schema column name, the first in Excel row `first_row`) typed by `table`.

    Raises:
        SchemaError: a required column is missing, or cells do not fit their column; the
            message names `book`, `sheet`, and each bad cell's row and column.
    """
    try:
        typed, problems = coerce_table(raw, table, first_row=first_row)
    except SchemaError as exc:
        raise SchemaError(tr("{book}, sheet {sheet}: {problem}").format(book=book, sheet=sheet, problem=exc)) from exc
    if len(problems):
        cell = tr("{book}, sheet {sheet}, row {row}, column {column}: {reason}")
        lines = [
            cell.format(book=book, sheet=sheet, row=p.row, column=p.column, reason=p.reason)
            for p in problems.head(SHOWN_PROBLEMS).itertuples()
        ]
        more = len(problems) - SHOWN_PROBLEMS
        lines += [tr("... and {more} more bad cells").format(more=more)] if more > 0 else []
        raise SchemaError("\n".join(lines))
    return typed
