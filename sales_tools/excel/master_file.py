"""The master workbook file as a `tables.TableBook`: read with calamine, computed tables written back."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from sales_tools.errors import WorkbookError
from sales_tools.excel.builder import write_computed
from sales_tools.excel.reader import WorkbookSource
from sales_tools.schema import TABLES


class MasterFile(WorkbookSource):
    """A master workbook file (.xlsx or .xlsm)."""

    def write(self, tables: Mapping[str, pd.DataFrame]) -> None:
        """Replace the computed tables in `tables` and rebuild the Dashboard, in one atomic save
        (`builder.write_computed`).  Input tables are the manager's: the importer adds to them.

        Raises:
            WorkbookError: a table in `tables` is an input table, or the file cannot be saved.
        """
        inputs = [TABLES[name].sheet for name in tables if not TABLES[name].computed]
        if inputs:
            raise WorkbookError(f"{self.path.name}: {', '.join(inputs)} are input sheets, not written back")
        write_computed(self.path, dict(tables))
        self.__dict__.pop("book", None)  # the next read opens what was written
