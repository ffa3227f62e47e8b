"""What a file holds and the import does not take is reported: a changed name, an extra
sheet, a row with only an amount, extra or renamed columns."""

from import_helpers import fill, orders_rows

from sales_tools.importer import import_files


def test_a_row_with_only_an_amount_is_read_and_rejected(master, templates, rep_customers, tmp_path):
    amount_only = [None, None, None, None, None, None, 50.0]  # typed over the formula
    path = fill(templates[0], tmp_path / "R01.xlsx", {"rep_orders": orders_rows(rep_customers, 1) + [amount_only]})
    report = import_files(master, [path])
    assert report.log[["rows_read", "rows_imported", "rows_rejected"]].values.tolist() == [[2, 1, 1]]
    assert report.exceptions[["row", "column", "reason"]].values.tolist() == [
        [6, column, "required value is missing"]
        for column in ("Date", "Order ID", "Customer ID", "Quantity", "Unit price")
    ]
