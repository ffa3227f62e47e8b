"""What identifies a submission (docs/import.md): the rep and period on Instructions, sealed
by the template ID; the file name is only a label.  Real files through `import_files`."""

import datetime as dt

import openpyxl
import pandas as pd
import pytest
from import_helpers import PERIOD, fill, master_tables, orders_rows
from submission_files import month, reissue

from sales_tools.core.submissions import template_id
from sales_tools.excel.templates import build_blank_template
from sales_tools.importer import import_files

MARCH = template_id("R01", "2024-03-01", "2024-03-31")


def orders_in(period: str, customers: list[str], n: int, prefix: str) -> list[list]:
    """`n` valid order lines from the first day of `period`, two lines per order ID."""
    first = month(period)[0]
    return [[first + pd.Timedelta(days=i), f"{prefix}-{i // 2}", customers[i % len(customers)], "Hardware", 1, 10.0]
            for i in range(n)]  # fmt: skip


def test_a_file_named_like_last_months_keeps_last_months_rows(master, templates, rep_customers, tmp_path):
    # the same rep saves December's file under November's name, in another folder
    nov = reissue(templates[0], tmp_path / "nov" / "alice.xlsx", "R01", "2024-11",
                  {"rep_orders": orders_in("2024-11", rep_customers, 3, "N")})  # fmt: skip
    dec = reissue(templates[0], tmp_path / "dec" / "alice.xlsx", "R01", "2024-12",
                  {"rep_orders": orders_in("2024-12", rep_customers, 2, "D")})  # fmt: skip
    import_files(master, [nov])
    report = import_files(master, [dec])
    assert report.removed == {}
    assert master_tables(master, "orders")["orders"]["order_id"].tolist() == ["N-0", "N-0", "N-1", "D-0", "D-0"]
    # a corrected December replaces December's rows only
    dec2 = reissue(templates[0], tmp_path / "dec2" / "alice.xlsx", "R01", "2024-12",
                   {"rep_orders": orders_in("2024-12", rep_customers, 1, "E")})  # fmt: skip
    assert import_files(master, [dec2]).removed == {"orders": 2}
    assert master_tables(master, "orders")["orders"]["order_id"].tolist() == ["N-0", "N-0", "N-1", "E-0"]
    log = master_tables(master, "import_log")["import_log"]
    assert log[["file", "period", "template_id", "rows_imported"]].values.tolist() == [
        ["alice.xlsx", pd.Timestamp("2024-11-01"), template_id("R01", "2024-11-01", "2024-11-30"), 3],
        ["alice.xlsx", pd.Timestamp("2024-12-01"), template_id("R01", "2024-12-01", "2024-12-31"), 2],
        ["alice.xlsx", pd.Timestamp("2024-12-01"), template_id("R01", "2024-12-01", "2024-12-31"), 1],
    ]


@pytest.mark.parametrize(
    "cell, value, claims",
    [("B3", "R02", "rep R02 for 2024-03-01 to 2024-03-31"),
     ("B6", dt.datetime(2024, 4, 30), "rep R01 for 2024-03-01 to 2024-04-30")],
)  # fmt: skip
def test_a_file_whose_rep_or_period_was_changed_is_rejected_whole(
    master, templates, rep_customers, tmp_path, cell, value, claims
):
    other = reissue(
        templates[0], tmp_path / "R02.xlsx", "R02", PERIOD, {"rep_orders": orders_in(PERIOD, rep_customers, 2, "B")}
    )
    import_files(master, [other])
    forged = fill(templates[0], tmp_path / "R01.xlsx", {"rep_orders": orders_in(PERIOD, rep_customers, 4, "F")})
    wb = openpyxl.load_workbook(forged)
    wb["Instructions"][cell] = value
    wb.save(forged)
    report = import_files(master, [forged])
    assert report.log[["rows_read", "rows_imported", "status"]].values.tolist() == [[0, 0, "rejected"]]
    assert report.exceptions["reason"].tolist() == [
        "R01.xlsx: the Rep ID or period on the Instructions sheet was changed after the template was issued "
        f"(its Template ID {MARCH} is not that of {claims}); nothing was imported from it: issue the rep a new "
        "template instead of editing those cells"
    ]
    orders = master_tables(master, "orders")["orders"]
    assert orders[["order_id", "rep_id", "source"]].values.tolist() == [["B-0", "R02", "R02.xlsx"]] * 2


def test_a_blank_template_is_known_by_its_rep_and_period(master, rep_customers, tmp_path):
    def by_hand(name: str, prefix: str, n: int):
        path = build_blank_template(tmp_path / name)
        wb = openpyxl.load_workbook(path)
        for cell, value in (("B3", "R01"), ("B5", dt.datetime(2024, 3, 1)), ("B6", dt.datetime(2024, 3, 31))):
            wb["Instructions"][cell] = value
        wb.save(path)
        return fill(path, path, {"rep_orders": orders_in(PERIOD, rep_customers, n, prefix)})

    import_files(master, [by_hand("first.xlsx", "A", 3)])
    report = import_files(master, [by_hand("second.xlsx", "B", 2)])
    assert report.removed == {"orders": 3}
    assert report.log[["rep_id", "template_id", "status"]].values.tolist() == [["R01", MARCH, "imported"]]
    assert master_tables(master, "orders")["orders"]["order_id"].tolist() == ["B-0", "B-0"]


def test_two_reps_files_of_one_name_keep_their_own_counts_and_exceptions(master, templates, rep_customers, tmp_path):
    def outside(order: str) -> list:  # a row dated after the period
        return [pd.Timestamp(2024, 4, 2), order, rep_customers[0], "Hardware", 1, 5]

    a = reissue(templates[0], tmp_path / "a" / "orders.xlsx", "R01", PERIOD,
                {"rep_orders": orders_in(PERIOD, rep_customers, 2, "A") + [outside("X-1")]})  # fmt: skip
    b = reissue(templates[0], tmp_path / "b" / "orders.xlsx", "R02", PERIOD,
                {"rep_orders": orders_in(PERIOD, rep_customers, 1, "B") + [outside("Y-1")]})  # fmt: skip
    report = import_files(master, [a, b])
    columns = ["file", "rep_id", "rows_read", "rows_imported", "rows_rejected", "status"]
    assert report.log[columns].values.tolist() == [
        ["orders.xlsx", "R01", 3, 2, 1, "partial"],
        ["orders.xlsx", "R02", 2, 1, 1, "partial"],
    ]
    # R01 sends a corrected file of the same name: R02's problem stays listed, R01's goes
    a2 = reissue(templates[0], tmp_path / "a2" / "orders.xlsx", "R01", PERIOD,
                 {"rep_orders": orders_in(PERIOD, rep_customers, 3, "A")})  # fmt: skip
    assert import_files(master, [a2]).removed == {"orders": 2, "exceptions": 1}  # its own, not R02's
    exceptions = master_tables(master, "exceptions")["exceptions"]
    assert exceptions[["file", "rep_id", "sheet", "row", "template_id"]].values.tolist() == [
        ["orders.xlsx", "R02", "Orders", 6, template_id("R02", "2024-03-01", "2024-03-31")]
    ]
    orders = master_tables(master, "orders")["orders"]
    assert orders[["order_id", "rep_id"]].values.tolist() == [["B-0", "R02"]] + [["A-0", "R01"]] * 2 + [["A-1", "R01"]]


def test_a_later_file_of_the_same_submission_supersedes_an_earlier_one_in_one_import(
    master, templates, rep_customers, tmp_path
):
    (tmp_path / "v1").mkdir()
    v1 = fill(templates[0], tmp_path / "v1" / "R01.xlsx", {"rep_orders": orders_rows(rep_customers, 4)})
    corrected = orders_rows(rep_customers, 4)
    corrected[0][4] = 9  # quantity corrected; same order IDs
    v2 = fill(templates[0], tmp_path / "R01 v2.xlsx", {"rep_orders": corrected})
    report = import_files(master, [v1, v2])
    assert report.log[["file", "rows_read", "rows_imported", "rows_rejected", "status"]].values.tolist() == [
        ["R01.xlsx", 0, 0, 0, "replaced"],
        ["R01 v2.xlsx", 4, 4, 0, "imported"],
    ]
    assert report.exceptions.empty
    orders = master_tables(master, "orders")["orders"]
    assert set(orders["source"]) == {"R01 v2.xlsx"}
    assert orders["quantity"].tolist() == [9, 2, 3, 4]


def test_an_earlier_version_sent_again_replaces_the_later_one(master, templates, rep_customers, tmp_path):
    v1 = fill(templates[0], tmp_path / "R01.xlsx", {"rep_orders": orders_rows(rep_customers, 2)})
    v2 = fill(templates[0], tmp_path / "R01 v2.xlsx", {"rep_orders": orders_rows(rep_customers, 3, prefix="V")})
    import_files(master, [v1])
    import_files(master, [v2])
    report = import_files(master, [v1])  # the rep takes the first version back
    assert report.log["status"].tolist() == ["imported"]
    assert report.removed == {"orders": 3}
    orders = master_tables(master, "orders")["orders"]
    assert orders[["order_id", "source"]].values.tolist() == [["SO-0", "R01.xlsx"]] * 2
    assert import_files(master, [v1]).log["status"].tolist() == ["already imported"]
