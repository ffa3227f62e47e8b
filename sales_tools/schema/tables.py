"""Every table of the master workbook by name, and the lookup by any of its names."""

from __future__ import annotations

from sales_tools.schema.computed import COMPUTED
from sales_tools.schema.inputs import INPUTS
from sales_tools.schema.model import Table

TABLES: dict[str, Table] = {t.name: t for t in (*INPUTS, *COMPUTED)}

INPUT_TABLES = [t for t in TABLES.values() if not t.computed]
COMPUTED_TABLES = [t for t in TABLES.values() if t.computed]


def table(name: str) -> Table:
    """The table called `name` (python name, sheet title or Excel table name)."""
    for t in TABLES.values():
        if name in (t.name, t.sheet, t.excel_name):
            return t
    raise KeyError(f"no table called {name!r}; known: {', '.join(TABLES)}")
