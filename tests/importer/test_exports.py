"""The column map: an import can never write the sheets of closed months."""

import pytest

from sales_tools.errors import SchemaError
from sales_tools.importer.exports import load_mapping


@pytest.mark.parametrize(
    "table, sheet", [("payouts", "Payouts"), ("paid_lines", "Paid lines"), ("close_log", "Close log")]
)
def test_a_column_map_naming_a_close_sheet_is_refused(table, sheet):
    mapping = {"orders": {"order_id": "Order"}, table: {"rep_id": "Rep"}}
    with pytest.raises(SchemaError, match=f"the column map names {sheet}: only sales-tools close writes them"):
        load_mapping(mapping)


def test_a_column_map_names_tables_and_columns_in_either_language():
    import pandas as pd

    rows = [
        ("销售易", "订单", "商机编号", "订单编号"),
        ("CRM", "Orders", "Amt", "Amount"),
        ("CRM", "orders", "Qty", "quantity"),
    ]
    frame = pd.DataFrame(rows, columns=["source_system", "table", "source_column", "column"])
    got = load_mapping(frame)
    assert got["table"].tolist() == ["orders"] * 3  # the sheet in Chinese, in English, the code
    assert got["column"].tolist() == ["order_id", "amount", "quantity"]
    assert got["source_column"].tolist() == ["商机编号", "Amt", "Qty"]  # the export's own headers, as typed
