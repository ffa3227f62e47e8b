"""Duplicate customers end to end on a real master: the refresh proposes, a manager says yes,
`sales-tools merge-customers` rewrites the rows and logs the merge."""

import openpyxl
import pandas as pd
from schema_rows import frame
from test_cli import run

from sales_tools.excel.builder import build_master
from sales_tools.excel.reader import read_tables

T = pd.Timestamp
NAMES = {"C1": "Acme Logistics Ltd", "C2": "ACME Logistics Co.", "C3": "Acme Logistcs Ltd", "C4": "Acme South Ltd",
         "C5": "Acme North Ltd"}  # fmt: skip


def inputs():
    orders = [(f"O{i}", 1, T("2024-06-0" + str(i)), "R1", c, None, 1, 100, 100.0) for i, c in enumerate(NAMES, 1)]
    return {
        "settings": frame("settings", [("as_of", "2024-06-30")]),
        "reps": frame("reps", [("R1", "Ann", "North", None, None, "Flat")]),
        "plan": frame("plan", [("Flat", "tier", None, 0, 0.05)]),
        "customers": frame("customers", [(c, n, None, None, None, "R1") for c, n in NAMES.items()]),
        "orders": frame("orders", [*orders, ("O9", 1, T("2024-06-09"), "R1", "C2", None, 1, 50, 50.0)]),
        "payments": frame("payments", [("P1", T("2024-06-10"), "C3", None, None, 30.0)]),
        "activities": frame("activities", [(T("2024-06-11"), "R1", "C2", "Order taken")]),
    }


def merges_sheet(path) -> tuple[openpyxl.Workbook, pd.DataFrame]:
    book = openpyxl.load_workbook(path)
    header, *rows = book["Customer merges"].iter_rows(values_only=True)
    return book, pd.DataFrame(rows, columns=header)


def test_refresh_proposes_a_manager_confirms_and_merge_customers_rewrites_and_logs(tmp_path):
    master = build_master(tmp_path / "m.xlsx", inputs())
    assert run("merge-customers", master).output.startswith("Nothing to merge")
    assert run("refresh", master).exit_code == 0
    book, proposed = merges_sheet(master)
    # C2 is C1 once case and the suffixes (Ltd, Co.) go; C3 is one letter off (a missing i);
    # Acme South and Acme North are two letters apart: not proposed
    assert proposed[["Customer ID", "Duplicate ID"]].values.tolist() == [["C1", "C2"], ["C1", "C3"]]
    assert proposed["Reason"].tolist() == [
        "same name after normalising: 'acmelogistics'",
        "close match: 'acmelogistics' and 'acmelogistcs'",
    ]
    # difflib's ratio: 2 x 12 letters in common / (13 + 12) letters = 0.96
    assert proposed["Score"].tolist() == [1, 0.96]
    assert proposed["Confirm"].isna().all()  # never merged by itself
    sheet = book["Customer merges"]
    sheet.cell(2, proposed.columns.get_loc("Confirm") + 1, "yes")
    sheet.cell(3, proposed.columns.get_loc("Confirm") + 1, "yes")
    book.save(master)  # the manager's two yeses
    before = read_tables(master, ["orders", "payments", "activities", "customers"])

    result = run("merge-customers", master)
    assert result.exit_code == 0, result.output
    assert "2 customer(s) merged" in result.output
    after = read_tables(master, ["orders", "payments", "activities", "customers", "import_log"])
    # nothing lost: every order line, payment and visit is still there, under C1
    for name in ("orders", "payments", "activities"):
        assert len(after[name]) == len(before[name])
    assert sorted(after["orders"]["order_id"]) == sorted(before["orders"]["order_id"])
    owner = after["orders"].set_index("order_id")["customer_id"]
    assert owner[["O1", "O2", "O3", "O9", "O4", "O5"]].tolist() == ["C1", "C1", "C1", "C1", "C4", "C5"]
    assert after["payments"]["customer_id"].tolist() == ["C1"] and after["activities"]["customer_id"].tolist() == ["C1"]
    assert after["customers"]["customer_id"].tolist() == ["C1", "C4", "C5"]  # the duplicates' rows removed
    log = after["import_log"]
    # C2: O2, O9 and the visit = 3 rows; C3: O3 and P1 = 2 rows
    assert log[["file", "rows_imported", "status"]].values.tolist() == [
        ["merge customers: C2 into C1", 3, "merged"],
        ["merge customers: C3 into C1", 2, "merged"],
    ]
    assert run("merge-customers", master).output.startswith("Nothing to merge")  # applied once only
    assert run("refresh", master).exit_code == 0
    _, kept = merges_sheet(master)  # the decisions stay; nothing new is proposed
    assert kept[["Duplicate ID", "Confirm"]].values.tolist() == [["C2", "yes"], ["C3", "yes"]]


def test_a_merge_into_a_customer_not_on_the_sheet_is_refused_naming_the_row(tmp_path):
    merges = frame("customer_merges", [("C9", "C2", "?", "Acme", 1.0, "typed by hand", "yes")])
    master = build_master(tmp_path / "m.xlsx", inputs(), {"customer_merges": merges})
    before = master.read_bytes()
    result = run("merge-customers", master)
    assert result.exit_code == 2
    assert result.output == "Error: Customer merges: row 2 keep customer C9, who is not on the Customers sheet\n"
    assert master.read_bytes() == before
