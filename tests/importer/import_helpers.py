"""Helpers shared by the import tests (a module, not conftest, so tests can import it)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

from sales_tools.excel.reader import read_tables
from sales_tools.schema import TEMPLATE_DISPLAY, TEMPLATE_FIRST_ROW, TEMPLATE_TABLES

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SUPERSTORE = DATA / "superstore_orders_2014-2017.xls"
PERIOD = "2024-03"
# The Superstore workbook mapped onto the schema; each region is a "rep" named after its manager.
SUPERSTORE_MAP = {
    "orders": {"order_id": "Order ID", "order_date": "Order Date", "customer_id": "Customer ID",
               "category": "Category", "quantity": "Quantity", "amount": "Sales", "rep_id": "Region"},
    "customers": {"customer_id": "Customer ID", "name": "Customer Name", "region": "Region"},
    "categories": {"category": "Category"},
    "reps": {"rep_id": "Region", "name": "Person", "region": "Region"},
    "returns": {"order_id": "Order ID"},
}  # fmt: skip


def fill(template: Path, out: Path, sheets: dict[str, list[list]]) -> Path:
    """A copy of `template` with rows typed into its input sheets (template table name -> rows, in the
    order of the sheet's columns but the `TEMPLATE_DISPLAY` ones: a customer's name)."""
    wb = openpyxl.load_workbook(template)
    for name, rows in sheets.items():
        table = TEMPLATE_TABLES[name]
        ws = wb[table.sheet]
        typed = [j for j, c in enumerate(table.columns, start=1) if c.name not in TEMPLATE_DISPLAY]
        for i, row in enumerate(rows):
            for j, value in zip(typed, row):
                cell = ws.cell(TEMPLATE_FIRST_ROW + i, j)
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = "s"  # what a person types is text, even "=..."
    wb.save(out)
    return out


def orders_rows(customers: list[str], n: int, *, start_day: int = 1, prefix: str = "SO") -> list[list]:
    """`n` valid order lines in March 2024: qty i % 5 + 1 at 10.25 + i."""
    return [
        [pd.Timestamp(2024, 3, (start_day + i) % 28 + 1), f"{prefix}-{i // 2}", customers[i % len(customers)],
         "Hardware", i % 5 + 1, 10.25 + i]
        for i in range(n)
    ]  # fmt: skip


def master_tables(path: Path, *names: str) -> dict[str, pd.DataFrame]:
    return read_tables(path, list(names))
