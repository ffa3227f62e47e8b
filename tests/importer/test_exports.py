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
