"""The Python API reads year-last dates as the master's Settings date_order says."""

import pandas as pd
import pytest
from schema_rows import frame

from sales_tools.excel.builder import build_master
from sales_tools.excel.reader import read_tables
from sales_tools.importer import import_files

MAP = {"orders": {"order_id": "Order", "order_date": "Date", "customer_id": "Customer", "rep_id": "Rep",
                  "amount": "Amount"}}  # fmt: skip


def _master(path, date_order):
    return build_master(path, {
        "reps": frame("reps", [("R1", "Ann", "North")]),
        "customers": frame("customers", [("C1", "One")]),
        "settings": frame("settings", [("date_order", date_order)]),
    })  # fmt: skip


@pytest.mark.parametrize(("date_order", "dayfirst", "read"), [
    ("day first", None, "2024-12-05"), ("month first", None, "2024-05-12"), ("day first", False, "2024-05-12"),
])  # fmt: skip
def test_year_last_dates_follow_the_settings_unless_told(tmp_path, date_order, dayfirst, read):
    master = _master(tmp_path / "m.xlsx", date_order)
    export = tmp_path / "crm.csv"
    export.write_text("Order,Date,Customer,Rep,Amount\nA1,05/12/2024,C1,R1,10.00\n", encoding="utf-8")
    import_files(master, [export], mapping=MAP, dayfirst=dayfirst)
    assert read_tables(master, ["orders"])["orders"]["order_date"].tolist() == [pd.Timestamp(read)]
