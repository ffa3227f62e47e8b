"""The master workbook file as a `tables.TableBook`: read with calamine, computed tables written back."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping

import pandas as pd

from sales_tools.errors import WorkbookError
from sales_tools.excel.builder import write_computed
from sales_tools.excel.master_lock import master_lock
from sales_tools.excel.reader import WorkbookSource
from sales_tools.excel.save import atomic_save
from sales_tools.excel.sheet_xml import TableChange, patch_tables, sheet_names
from sales_tools.schema import TABLES
from sales_tools.schema.language import tr


class MasterFile(WorkbookSource):
    """A master workbook file (.xlsx or .xlsm)."""

    @contextlib.contextmanager
    def writing(self, command: str) -> Iterator[None]:
        """Hold the master against other writers (`master_lock`) for a whole read-compute-write;
        reads inside see the file as it is once held."""
        with master_lock(self.path, command):
            self.__dict__.pop("book", None)
            yield

    def write(self, tables: Mapping[str, pd.DataFrame]) -> None:
        """Replace the computed tables in `tables` and rebuild the Dashboard, in one atomic save
        (`builder.write_computed`).  Input tables are the manager's: the importer adds to them.

        Raises:
            WorkbookError: a table in `tables` is an input table, or the file cannot be saved.
            MasterBusy: another command kept the master longer than the lock wait.
        """
        inputs = [TABLES[name].sheet for name in tables if not TABLES[name].computed]
        if inputs:
            not_written = tr("{file}: {sheets} are input sheets, not written back")
            raise WorkbookError(not_written.format(file=self.path.name, sheets=", ".join(inputs)))
        with master_lock(self.path, "save"):
            write_computed(self.path, dict(tables))
        self.__dict__.pop("book", None)  # the next read opens what was written

    def rewrite(self, tables: Mapping[str, pd.DataFrame], command: str) -> None:
        """Replace every row of the tables in `tables` (input tables too: the close's Payouts and
        Paid lines), in one atomic save; the rest of the workbook is copied as it is.

        Raises:
            WorkbookError: the master has no sheet for one of the tables (nothing is written).
        """
        missing = [TABLES[name].sheet for name in tables if TABLES[name].sheet not in sheet_names(self.path)]
        if missing:
            earlier = tr(
                "{file} has no {sheets} sheet (a master from an earlier sales_tools): "
                "nothing was written; run sales-tools refresh on it once, which adds it"
            )
            raise WorkbookError(earlier.format(file=self.path.name, sheets=", ".join(missing)))
        self.patch({name: TableChange(TABLES[name], clear=True, append=rows) for name, rows in tables.items()}, command)

    def patch(self, changes: Mapping[str, TableChange], command: str) -> None:
        """Delete and append rows of several tables (table name -> `TableChange`), in one atomic
        save; the rest of the workbook is copied as it is (`sheet_xml.patch_tables`)."""
        with master_lock(self.path, command):
            atomic_save(lambda tmp: patch_tables(self.path, tmp, changes), self.path)
        self.__dict__.pop("book", None)

    def replace(self, tables: Mapping[str, pd.DataFrame], command: str) -> None:
        """Rewrite the rows of input tables, in one atomic save: each frame, as `read` gave it (indexed
        by Excel row), replaces those rows, in order and styled as the last one."""
        self.patch({name: TableChange(TABLES[name], set(rows.index), rows) for name, rows in tables.items()}, command)

    def append(self, name: str, rows: pd.DataFrame, command: str) -> None:
        """Add `rows` at the end of input table `name`, in one atomic save; the rest of the
        workbook is copied as it is (`sheet_xml.patch_tables`)."""
        self.patch({name: TableChange(TABLES[name], append=rows)}, command)
