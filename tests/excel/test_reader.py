import datetime as dt

import pandas as pd
import pytest
from openpyxl import Workbook

from sales_tools.errors import SchemaError, WorkbookError
from sales_tools.excel.reader import normalize, read_tables


def _sheet(path, title, rows):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_a_header_below_a_title_under_another_sheet_name(tmp_path):
    path = _sheet(tmp_path / "export.xlsx", "Data", [
        ["Quarterly returns export"], [],
        ["ORDER-ID", "line", "Return date", "amount", "Reason", "unrelated"],
        ["O1", 1, dt.datetime(2024, 3, 5), "1,234.50", "Damaged", "x"],
        ["O2", "2", "2024-03-06", 10, None, None],
        [None, None, None, None, None, None], [],
    ])  # fmt: skip
    returns = read_tables(path, ["returns"])["returns"]
    assert returns.index.tolist() == [4, 5]  # Excel row numbers
    assert returns["order_id"].tolist() == ["O1", "O2"] and returns["line"].tolist() == [1, 2]
    assert returns["return_date"].tolist() == [pd.Timestamp("2024-03-05"), pd.Timestamp("2024-03-06")]
    assert returns["amount"].tolist() == [1234.5, 10.0]
    assert pd.isna(returns["source"]).all()


def test_a_bad_cell_names_file_sheet_row_and_column(tmp_path):
    path = _sheet(tmp_path / "m.xlsx", "Returns", [
        ["Order ID", "Line", "Return date", "Amount"],
        ["O1", 1, dt.datetime(2024, 3, 5), 5],
        ["O2", 1, dt.datetime(2024, 3, 5), -5],
    ])  # fmt: skip
    with pytest.raises(SchemaError, match=r"m.xlsx, sheet Returns, row 3, column Amount: Amount must not be negative"):
        read_tables(path, ["returns"])


def test_a_missing_table_or_file_is_reported(tmp_path):
    path = _sheet(tmp_path / "m.xlsx", "Other", [["a", "b"]])
    with pytest.raises(SchemaError, match="m.xlsx: no sheet holds the Returns table"):
        read_tables(path, ["returns"])
    assert read_tables(path) == {}  # without names: only the tables found
    with pytest.raises(WorkbookError, match="does not exist"):
        read_tables(tmp_path / "none.xlsx")
    (tmp_path / "fake.xlsx").write_text("hello")
    with pytest.raises(WorkbookError, match="fake.xlsx is not a readable Excel workbook"):
        read_tables(tmp_path / "fake.xlsx")


def test_header_normalization():
    assert [normalize(h) for h in ("Rep ID", " YTD target ", "SHA-256", "rep_id")] == [
        "rep_id",
        "ytd_target",
        "sha_256",
        "rep_id",
    ]


DATA = __import__("pathlib").Path(__file__).resolve().parents[3] / "shared" / "data"


@pytest.mark.realdata
@pytest.mark.skipif(not (DATA / "superstore_orders_2014-2017.xls").exists(), reason="../shared/data is absent")
def test_legacy_xls_superstore_returns(tmp_path):
    # Superstore's Returns sheet has the headers Returned / Order ID: read them as a
    # one-column table through the same header matching (order_id of the Splits table).
    from python_calamine import CalamineWorkbook

    from sales_tools.excel.reader import read_raw
    from sales_tools.schema import Column, Table

    table = Table(
        "superstore_returns", "Returns", (Column("order_id", required=True, header="Order ID"), Column("returned"))
    )
    sheet, raw, first = read_raw(CalamineWorkbook.from_path(str(DATA / "superstore_orders_2014-2017.xls")), table)
    assert (sheet, first) == ("Returns", 2)
    assert raw["order_id"].nunique() == 296  # SOURCES.md: 296 returned orders
