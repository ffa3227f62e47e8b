"""What a file holds and the import does not take is reported: a changed name, an extra
sheet, a row with only an amount, extra or renamed columns."""

import openpyxl
import pandas as pd
from import_helpers import fill, master_tables, orders_rows

from sales_tools.importer import import_files
from sales_tools.schema import TEMPLATE_TABLES

ORDERS_MAP = {"orders": {"order_id": "Order", "line": "Line", "order_date": "Date", "rep_id": "Rep",
                         "customer_id": "Customer", "amount": "Total"},
              "customers": {"customer_id": "Customer", "name": "Company"}}  # fmt: skip
EXCEPTION = ["file", "sheet", "row", "column", "value", "reason"]


def test_a_known_customer_under_another_name_is_reported_and_keeps_the_masters_name(master, sample, tmp_path):
    known = sample["customers"].iloc[0]
    export = tmp_path / "crm.csv"
    export.write_text(
        "Order,Line,Date,Rep,Customer,Company,Total\n"
        f"Q-1,1,2024-03-01,R01,{known.customer_id},Another Name Trading,10\n"
        f"Q-2,1,2024-03-02,R01,{known.customer_id},Another Name Trading,20\n"  # reported once
        f"Q-3,1,2024-03-03,R01,{known.customer_id},{known['name'].upper()},30\n"  # the same name, in capitals
        "Q-4,1,2024-03-04,R01,NEW-1,Fresh Co,40\n"
        "Q-5,1,2024-03-05,R01,NEW-1,Stale Co,50\n",
        encoding="utf-8",
    )
    report = import_files(master, [export], mapping=ORDERS_MAP)
    assert report.log[["rows_read", "rows_imported", "rows_rejected", "status"]].values.tolist() == [
        [5, 5, 0, "imported"]
    ]
    assert report.exceptions[EXCEPTION].values.tolist() == [
        ["crm.csv", "crm", 2, "Name", "Another Name Trading",
         f"Customer ID {known.customer_id!r} is already on the Customers sheet as {known['name']!r}: "
         "the master's name was kept"],
        ["crm.csv", "crm", 6, "Name", "Stale Co",
         "Customer ID 'NEW-1' is named 'Fresh Co' on an earlier row of this import: that name was kept"],
    ]  # fmt: skip
    customers = master_tables(master, "customers")["customers"].set_index("customer_id")["name"]
    assert (customers[known.customer_id], customers["NEW-1"]) == (known["name"], "Fresh Co")


def test_a_row_with_only_an_amount_is_read_and_rejected(master, templates, rep_customers, tmp_path):
    amount_only = [None, None, None, None, None, None, 50.0]  # typed over the formula (`fill` skips the name)
    path = fill(templates[0], tmp_path / "R01.xlsx", {"rep_orders": orders_rows(rep_customers, 1) + [amount_only]})
    report = import_files(master, [path])
    assert report.log[["rows_read", "rows_imported", "rows_rejected"]].values.tolist() == [[2, 1, 1]]
    assert report.exceptions[["row", "column", "reason"]].values.tolist() == [
        [6, column, "required value is missing"]
        for column in ("Date", "Order ID", "Customer ID", "Quantity", "Unit price")
    ]


def test_an_extra_sheet_with_rows_is_reported_not_imported(master, templates, rep_customers, tmp_path):
    path = fill(templates[0], tmp_path / "R01.xlsx", {"rep_orders": orders_rows(rep_customers, 2)})
    wb = openpyxl.load_workbook(path)
    wb.copy_worksheet(wb["Orders"]).title = "Orders (2)"  # with the two rows
    wb.copy_worksheet(wb["Collections"]).title = "Collections (2)"  # no rows: nothing to report
    wb.save(path)
    report = import_files(master, [path])
    assert report.log[["rows_read", "rows_imported", "status"]].values.tolist() == [[2, 2, "imported"]]
    assert report.exceptions[EXCEPTION].values.tolist() == [
        ["R01.xlsx", "Orders (2)", pd.NA, "", "",
         "not imported: it is not one of the template's sheets (Visit plan, Daily report, Orders, Collections, "
         "Attendance, Market situation, Complaints); copy its rows onto those"],
    ]  # fmt: skip


def test_extra_and_renamed_template_columns_are_reported(master, templates, rep_customers, tmp_path):
    path = fill(templates[0], tmp_path / "R01.xlsx", {"rep_orders": orders_rows(rep_customers, 2)})
    wb = openpyxl.load_workbook(path)
    ws = wb["Orders"]
    category, extra = (
        TEMPLATE_TABLES["rep_orders"].names.index("category") + 1,
        len(TEMPLATE_TABLES["rep_orders"].names) + 1,
    )
    ws.cell(4, category).value, ws.cell(4, extra).value, ws.cell(5, extra).value = "Product line", "Discount", 0.1
    wb.save(path)
    report = import_files(master, [path])
    assert report.log[["rows_read", "rows_imported", "status"]].values.tolist() == [[2, 2, "imported"]]
    assert report.exceptions[EXCEPTION].values.tolist() == [
        ["R01.xlsx", "Orders", pd.NA, "Product line, Discount", "",
         "not imported: not columns of the template's Orders sheet; the sheet has no column Category (renamed?)"],
    ]  # fmt: skip
    assert master_tables(master, "orders")["orders"]["category"].isna().all()


def test_a_renamed_required_template_column_rejects_the_file(master, templates, rep_customers, tmp_path):
    path = fill(templates[0], tmp_path / "R01.xlsx", {"rep_orders": orders_rows(rep_customers, 2)})
    wb = openpyxl.load_workbook(path)
    wb["Orders"].cell(4, TEMPLATE_TABLES["rep_orders"].names.index("quantity") + 1).value = "Qty"
    wb.save(path)
    report = import_files(master, [path])
    assert report.log[["rows_read", "status"]].values.tolist() == [[0, "rejected"]]
    assert report.exceptions["reason"].tolist() == [
        "R01.xlsx: sheet Orders has no column Quantity: its headers were changed, so the file is not imported "
        "(headers Date, Order ID, Customer ID, Customer name, Category, Quantity, Unit price, Amount)"
    ]


def test_unmapped_export_columns_are_reported(master, tmp_path):
    export = tmp_path / "crm.csv"
    export.write_text("Order,Line,Date,Rep,Customer,Company,Total,Region,Notes\n"
                      "Q-1,1,2024-03-01,R01,NEW-2,New Co,10,North,call back\n", encoding="utf-8")  # fmt: skip
    report = import_files(master, [export], mapping=ORDERS_MAP)
    assert report.log[["rows_read", "rows_imported", "status"]].values.tolist() == [[1, 1, "imported"]]
    assert report.exceptions[EXCEPTION].values.tolist() == [
        ["crm.csv", "crm", pd.NA, "Region, Notes", "", "not imported: not on the column map"]
    ]


def test_a_renamed_mapped_export_column_rejects_the_file(master, tmp_path):
    export = tmp_path / "crm.csv"
    export.write_text("Order,Line,Date,Rep,Customer,Company,Amount\n"  # Total renamed
                      "Q-1,1,2024-03-01,R01,NEW-1,New Co,10\n", encoding="utf-8")  # fmt: skip
    report = import_files(master, [export], mapping=ORDERS_MAP)
    assert report.log[["rows_read", "status"]].values.tolist() == [[0, "rejected"]]
    assert report.exceptions["reason"].tolist() == [
        "crm.csv, sheet crm: no column 'Total' for the Orders table the column map describes (was it renamed?); "
        "nothing was imported from the file"
    ]
    assert "NEW-1" not in set(master_tables(master, "customers")["customers"]["customer_id"])
