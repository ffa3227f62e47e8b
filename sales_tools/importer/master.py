"""The master's tables as an import sees them: only the columns it looks at."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from sales_tools.core.coerce import coerce_table
from sales_tools.errors import WorkbookError
from sales_tools.excel.reader import open_workbook, read_raw
from sales_tools.schema import TABLES, Table

MASTER_DATA = ("reps", "customers", "categories")  # added when new, never duplicated

# The master columns an import looks at (keys, who and where rows came from, order
# lines for order-level returns); None means every column.
MASTER_COLUMNS: dict[str, list[str] | None] = {
    "reps": ["rep_id"],
    "customers": ["customer_id", "name"],
    "categories": ["category"],
    "orders": ["order_id", "line", "order_date", "rep_id", "amount", "source"],
    "returns": ["order_id", "line", "return_date"],
    "payments": ["payment_id", "rep_id", "source"],
    "visit_plans": ["visit_date", "rep_id", "customer_id", "source"],
    "activities": ["activity_date", "rep_id", "customer_id", "source"],
    "column_map": None,
    "import_log": None,
    "customer_merges": ["customer_id", "duplicate_id"],
    "exceptions": ["file"],
}


def read_master(path: Path) -> dict[str, pd.DataFrame]:
    """The master columns the import needs (`MASTER_COLUMNS`), indexed by Excel row number.

    Rows with a bad cell in those columns are left out: the import never touches them.
    """
    book = open_workbook(path)
    out = {}
    for name, columns in MASTER_COLUMNS.items():
        table = TABLES[name]
        found = read_raw(book, table)
        if found is None:
            raise WorkbookError(f"{path.name} has no {table.sheet} sheet: is it a master workbook?")
        _, raw, first_row = found
        out[name], _ = coerce_table(raw, subset_table(table, columns or table.names), first_row=first_row)
    return out


def subset_table(table: Table, names) -> Table:
    """`table` restricted to the columns called `names`."""
    columns = tuple(c for c in table.columns if c.name in set(names))
    return replace(table, columns=columns, key=tuple(k for k in table.key if k in set(names)))
