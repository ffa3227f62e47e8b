"""import_files end to end: counts, values, idempotency, re-submission, untrusted files."""

import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from import_helpers import fill, master_tables, orders_rows

from sales_tools.errors import WorkbookError
from sales_tools.importer import import_files
from sales_tools.safety import check_file


def test_valid_and_invalid_rows_are_counted_and_routed(master, templates, rep_customers, tmp_path):
    good = orders_rows(rep_customers, 4)
    bad = [
        [pd.Timestamp(2024, 4, 2), "X-1", rep_customers[0], "Hardware", 1, 5],  # after the period
        ["12/31/2024x", "X-2", rep_customers[0], "Hardware", 1, 5],  # not a date
        [pd.Timestamp(2024, 3, 9), "X-3", "NOBODY", "Hardware", 1, 5],  # unknown customer
        [pd.Timestamp(2024, 3, 9), "X-4", rep_customers[0], "Hardware", -1, 5],  # negative quantity
    ]
    visits = [[pd.Timestamp(2024, 3, 4), rep_customers[0], "North", "09:30", "Take order"]]
    path = fill(templates[0], tmp_path / "R01.xlsx", {"rep_orders": good + bad, "rep_visit_plan": visits})
    report = import_files(master, [path])
    log = report.log.iloc[0]
    assert (log.rows_read, log.rows_imported, log.rows_rejected, log.status) == (9, 5, 4, "partial")
    assert (log.rep_id, log.period) == ("R01", pd.Timestamp("2024-03-01"))
    ex = report.exceptions.set_index("row")
    assert ex.loc[9, "reason"] == "2024-04-02 is outside the period 2024-03-01 to 2024-03-31"
    assert ex.loc[10, "reason"] == "'12/31/2024x' is not a date"
    assert ex.loc[11, "reason"] == "Customer ID 'NOBODY' is not on the Customers sheet"
    assert ex.loc[12, "reason"] == "Quantity must not be negative"
    assert set(ex["sheet"]) == {"Orders"} and set(ex["file"]) == {"R01.xlsx"}
    tables = master_tables(master, "orders", "visit_plans", "exceptions", "import_log")
    orders = tables["orders"]
    # amounts recomputed as quantity x unit price, lines numbered within each order
    assert orders["amount"].tolist() == [10.25, 22.50, 36.75, 53.00]
    assert orders["line"].tolist() == [1, 2, 1, 2]
    assert set(orders["rep_id"]) == {"R01"} and set(orders["source"]) == {"R01.xlsx"}
    assert tables["visit_plans"][["rep_id", "purpose", "planned_time"]].values.tolist() == [
        ["R01", "Take order", "09:30"]
    ]
    assert len(tables["exceptions"]) == 4
    assert tables["import_log"][["rows_read", "rows_imported", "rows_rejected"]].values.tolist() == [[9, 5, 4]]


def test_an_amount_that_disagrees_with_quantity_times_price_is_rejected(master, templates, rep_customers, tmp_path):
    row = [pd.Timestamp(2024, 3, 5), "A-1", rep_customers[0], "Hardware", 3, 2.5, 8.0]
    report = import_files(master, [fill(templates[0], tmp_path / "a.xlsx", {"rep_orders": [row]})])
    assert report.exceptions["reason"].tolist() == ["amount 8.00 is not quantity x unit price (3 x 2.50 = 7.50)"]


def test_importing_the_same_file_twice_adds_nothing(master, templates, rep_customers, tmp_path):
    path = fill(templates[0], tmp_path / "R01.xlsx", {"rep_orders": orders_rows(rep_customers, 6)})
    first = import_files(master, [path])
    again = import_files(master, [path, Path(path)])
    assert first.totals == {"rows_read": 6, "rows_imported": 6, "rows_rejected": 0}
    assert again.log["status"].tolist() == ["already imported", "already imported"]
    assert again.totals == {"rows_read": 0, "rows_imported": 0, "rows_rejected": 0}
    tables = master_tables(master, "orders", "import_log")
    assert len(tables["orders"]) == 6
    assert tables["import_log"]["status"].tolist() == ["imported", "already imported", "already imported"]
    assert tables["import_log"]["sha256"].nunique() == 1


def test_a_file_tried_again_lists_its_problems_once(master, templates, rep_customers, tmp_path):
    bad = [[pd.Timestamp(2024, 4, 2), "X-1", rep_customers[0], "Hardware", 1, 5]]  # after the period
    rejected = fill(templates[0], tmp_path / "R01.xlsx", {"rep_orders": bad})
    for _ in range(2):  # a wholly rejected file is not "already imported": it is tried again
        assert import_files(master, [rejected]).log["status"].tolist() == ["rejected"]
    assert len(master_tables(master, "exceptions")["exceptions"]) == 1
    fixed = fill(templates[0], tmp_path / "R01.xlsx", {"rep_orders": orders_rows(rep_customers, 2)})
    assert import_files(master, [fixed]).log["status"].tolist() == ["imported"]
    assert master_tables(master, "exceptions")["exceptions"].empty  # the corrected file has no problems left


def test_a_corrected_resubmission_replaces_the_reps_rows_for_the_period(master, templates, rep_customers, tmp_path):
    other = fill(templates[1], tmp_path / "R02.xlsx", {"rep_orders": orders_rows(rep_customers, 2, prefix="B")})
    first = fill(templates[0], tmp_path / "R01.xlsx", {"rep_orders": orders_rows(rep_customers, 6)})
    import_files(master, [first, other])
    corrected = orders_rows(rep_customers, 4)
    corrected[0][4] = 9  # quantity corrected
    second = fill(templates[0], tmp_path / "R01 v2.xlsx", {"rep_orders": corrected})
    report = import_files(master, [second])
    assert report.removed == {"orders": 6}
    assert report.added["orders"] == 4
    orders = master_tables(master, "orders")["orders"]
    mine = orders[orders["rep_id"] == "R01"]
    assert len(mine) == 4 and set(mine["source"]) == {"R01 v2.xlsx"}
    assert mine["quantity"].iloc[0] == 9
    assert len(orders[orders["rep_id"] == "R02"]) == 2  # other reps untouched


def test_a_key_already_in_the_master_is_not_counted_twice(master, tmp_path):
    export = tmp_path / "crm.csv"
    export.write_text('Order,Line,Date,Rep,Customer,Total\nQ-1,1,2024-03-01,R01,C0001,"1,200.00"\n', encoding="utf-8")
    mapping = {"orders": {"order_id": "Order", "line": "Line", "order_date": "Date", "rep_id": "Rep",
                          "customer_id": "Customer", "amount": "Total"}}  # fmt: skip
    import_files(master, [export], mapping=mapping)
    export.write_text(export.read_text() + "Q-2,1,2024-03-02,R01,C0001,5\n", encoding="utf-8")
    report = import_files(master, [export], mapping=mapping)
    assert report.totals == {"rows_read": 2, "rows_imported": 1, "rows_rejected": 1}
    assert report.exceptions["reason"].tolist() == ["Order ID and Line already in the master workbook"]
    assert master_tables(master, "orders")["orders"]["amount"].tolist() == [1200.0, 5.0]


def test_formula_like_text_is_stored_as_text(master, templates, rep_customers, tmp_path):
    notes = '=HYPERLINK("http://evil","x")'
    report_row = [pd.Timestamp(2024, 3, 5), rep_customers[0], "Order taken", 100, 0, 1.5, "@SUM(1)", "+1", "-1", notes]
    path = fill(templates[0], tmp_path / "R01.xlsx", {"rep_daily_report": [report_row]})
    assert import_files(master, [path]).totals["rows_imported"] == 1
    ws = openpyxl.load_workbook(master)["Activities"]
    cells = {ws.cell(1, j).value: ws.cell(2, j) for j in range(1, ws.max_column + 1)}
    for header, text in (("Complaint", "@SUM(1)"), ("Competitor info", "+1"), ("Feedback", "-1"), ("Notes", notes)):
        assert (cells[header].value, cells[header].data_type) == (text, "s")


def test_only_the_changed_sheets_are_rewritten(master, templates, rep_customers, tmp_path):
    before = _parts(master)
    import_files(master, [fill(templates[0], tmp_path / "R01.xlsx", {"rep_orders": orders_rows(rep_customers, 2)})])
    after = _parts(master)
    changed = {name for name in before if before[name] != after[name]}
    sheet_of = _sheet_parts(master)
    assert {sheet_of[s] for s in ("Orders", "Import log")} <= changed
    assert sheet_of["Dashboard"] not in changed and sheet_of["Customers"] not in changed
    assert changed <= {sheet_of[s] for s in ("Orders", "Import log", "Customer merges")} | {
        n for n in changed if "tables/" in n
    }
    wb = openpyxl.load_workbook(master)
    assert wb["Orders"].tables["tblOrders"].ref == "A1:K3"


def test_legacy_xls_saved_by_libreoffice(master, xls_template):
    report = import_files(master, [xls_template])
    assert report.totals == {"rows_read": 6, "rows_imported": 6, "rows_rejected": 0}
    assert master_tables(master, "orders")["orders"]["amount"].sum() == pytest.approx(
        sum(round((i % 5 + 1) * (10.25 + i), 2) for i in range(6))
    )


def _zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", "0" * (50 * 2**20))
    return path


def _encrypted(path: Path) -> Path:
    # An OLE compound file holding an EncryptionInfo stream: what Excel writes for a password.
    header = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504
    path.write_bytes(header + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 1000)
    return path


@pytest.mark.parametrize(
    "make, message",
    [
        (_zip_bomb, "expands"),
        (_encrypted, "password-protected"),
        (lambda p: (p.write_bytes(b"%PDF-1.4 not a workbook"), p)[1], "not an Excel workbook"),
        (lambda p: (p.write_bytes(b""), p)[1], "is empty"),
    ],
)
def test_unsafe_or_foreign_files_are_rejected_with_a_clear_message(master, tmp_path, make, message):
    path = make(tmp_path / "bad.xlsx")
    with pytest.raises(WorkbookError, match=message):
        check_file(path)
    report = import_files(master, [path])
    assert report.log["status"].tolist() == ["rejected"]
    assert message in report.exceptions["reason"].iloc[0]
    assert master_tables(master, "import_log")["import_log"]["status"].tolist() == ["rejected"]


def test_truncated_workbook_is_rejected(master, templates, rep_customers, tmp_path):
    data = fill(templates[0], tmp_path / "full.xlsx", {"rep_orders": orders_rows(rep_customers, 3)}).read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: len(data) // 2])
    report = import_files(master, [cut])
    assert report.log["status"].tolist() == ["rejected"]
    assert "damaged or incomplete" in report.exceptions["reason"].iloc[0]


def test_a_template_with_a_sheet_missing_is_rejected_whole(master, templates, rep_customers, tmp_path):
    path = fill(templates[0], tmp_path / "R01.xlsx", {"rep_orders": orders_rows(rep_customers, 3)})
    wb = openpyxl.load_workbook(path)
    del wb["Collections"]
    wb.save(path)
    report = import_files(master, [path])
    assert report.log[["rows_read", "status"]].values.tolist() == [[0, "rejected"]]
    assert "no sheet holds the Collections table" in report.exceptions["reason"].iloc[0]


def test_unknown_rep_rejects_the_file(master, templates, tmp_path):
    wb = openpyxl.load_workbook(templates[0])
    wb["Instructions"]["B3"] = "R99"
    wb.save(tmp_path / "R99.xlsx")
    report = import_files(master, [tmp_path / "R99.xlsx"])
    assert report.exceptions["reason"].tolist() == [
        "R99.xlsx: rep 'R99' on the Instructions sheet is not on the Reps sheet"
    ]


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def _sheet_parts(path: Path) -> dict[str, str]:
    from sales_tools.excel.sheet_xml import _sheet_parts as parts

    with zipfile.ZipFile(path) as z:
        return parts(z)


def test_csv_export_in_a_semicolon_dialect(master, tmp_path):
    export = tmp_path / "erp.csv"
    export.write_bytes(
        "Nr;Pos;Datum;Vertreter;Kunde;Betrag\nE-1;1;05.03.2024;R02;C0002;1.234,5\nE-2;1;2024-03-06;R02;C0002;99\n".encode(
            "cp1252"
        )
    )
    mapping = pd.DataFrame(
        [("erp", "orders", s, c) for s, c in (("Nr", "order_id"), ("Pos", "line"), ("Datum", "order_date"),
                                             ("Vertreter", "rep_id"), ("Kunde", "customer_id"), ("Betrag", "amount"))],
        columns=["source_system", "table", "source_column", "column"],
    )  # fmt: skip
    report = import_files(master, [export], mapping=mapping, dayfirst=True)
    # European decimal commas are refused rather than guessed; the rest imports
    assert report.totals == {"rows_read": 2, "rows_imported": 1, "rows_rejected": 1}
    assert report.exceptions["reason"].tolist() == ["'1.234,5' is not a number"]
    assert master_tables(master, "orders")["orders"]["order_date"].tolist() == [pd.Timestamp("2024-03-06")]


def test_a_master_without_a_column_the_import_writes_is_refused(master, templates, rep_customers, tmp_path):
    wb = openpyxl.load_workbook(master)
    ws = wb["Import log"]
    column = [c.value for c in ws[1]].index("Template ID") + 1
    ws.delete_cols(column)  # a master from before the Template ID
    wb.save(master)
    before = master.read_bytes()
    path = fill(templates[0], tmp_path / "R01.xlsx", {"rep_orders": orders_rows(rep_customers, 2)})
    with pytest.raises(WorkbookError, match="the Import log sheet has no column Template ID; the import writes whole"):
        import_files(master, [path])
    assert master.read_bytes() == before


def test_a_structure_locked_template_imports_its_visit_times_typed_as_times_or_text(
    master, templates, rep_customers, tmp_path
):
    import datetime as dt

    assert openpyxl.load_workbook(templates[0]).security.lockStructure  # sheets cannot be renamed or deleted
    visits = [
        [pd.Timestamp(2024, 3, 4), rep_customers[0], "North", dt.time(14, 5), "Take order"],  # a real time, hh:mm
        [pd.Timestamp(2024, 3, 5), rep_customers[0], "North", "09:30", "Take order"],  # an older template's text
    ]
    path = fill(templates[0], tmp_path / "R01.xlsx", {"rep_visit_plan": visits})
    report = import_files(master, [path])
    assert report.log.iloc[0].rows_imported == 2 and report.exceptions.empty
    plans = master_tables(master, "visit_plans")["visit_plans"]
    assert plans["planned_time"].tolist() == ["14:05", "09:30"]  # the master keeps the text a rep would type
