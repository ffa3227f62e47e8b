"""The table seam (sales_tools.tables): a workbook file and the same workbook open in
Excel (a json book on xlwings' remote engine, as Lite and Server see it) give the same
typed tables and the same bad-cell messages."""

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from sales_tools.core.refresh import refresh
from sales_tools.errors import SchemaError, WorkbookError
from sales_tools.excel.builder import build_master
from sales_tools.excel.master_file import MasterFile
from sales_tools.excel.reader import WorkbookSource
from sales_tools.sample import generate
from sales_tools.schema import TABLES
from sales_tools.tables import INPUTS, read_inputs

CHECK = Path(__file__).with_name("xlwings_tables_check.py")
AMOUNT = TABLES["orders"].names.index("amount") + 1
BAD_CELLS = [  # (sheet, row, column, value) typed over the master's cells
    ("Orders", 3, AMOUNT, "abc"),
    ("Customers", 4, TABLES["customers"].names.index("created_date") + 1, "someday"),
]


@pytest.fixture(scope="module")
def masters(tmp_path_factory):
    """A small refreshed master dated 2024-12-20, and a copy with the BAD_CELLS typed in."""
    tmp = tmp_path_factory.mktemp("tables")
    inputs = generate(seed=3, start="2024-11-01", months=2, as_of="2024-12-20")
    good = build_master(tmp / "good.xlsx", inputs, refresh(inputs))
    wb = openpyxl.load_workbook(good)
    for sheet, row, column, value in BAD_CELLS:
        wb[sheet].cell(row, column).value = value
    wb.save(tmp / "bad.xlsx")
    return {"inputs": inputs, "good": good, "bad": tmp / "bad.xlsx", "tmp": tmp}


@pytest.fixture(scope="module")
def from_books(masters):
    """{path: {name: frame or error}} read by OpenBook on the json books of both masters."""
    out = masters["tmp"] / "books.pickle"
    spec = {"masters": [str(masters["good"]), str(masters["bad"])], "names": list(TABLES), "out": str(out)}
    env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial", "XLWINGS_ON_SERVER": "true"}
    done = subprocess.run([sys.executable, str(CHECK)], input=json.dumps(spec), env=env, cwd=CHECK.parent,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return pickle.loads(out.read_bytes())


def test_every_table_is_typed_the_same_from_the_file_and_the_open_book(masters, from_books):
    book, file = from_books[str(masters["good"])], WorkbookSource(masters["good"])
    for name in TABLES:
        pd.testing.assert_frame_equal(book[name], file.read(name), obj=name)


def test_the_typed_tables_hold_what_was_written(masters, from_books):
    book = from_books[str(masters["good"])]
    orders = masters["inputs"]["orders"]
    assert list(book["orders"].index[:2]) == [2, 3]  # indexed by Excel row, below the header
    assert len(book["orders"]) == len(orders)
    assert book["orders"]["amount"].sum() == pytest.approx(orders["amount"].sum(), abs=0.005)
    settings = book["settings"].set_index("setting")["value"]
    assert settings["as_of"] == "2024-12-20" and settings["currency"] == "USD"


def test_a_bad_cell_gives_the_same_message_from_the_file_and_the_open_book(masters, from_books):
    book = from_books[str(masters["bad"])]
    expected = {
        "orders": "bad.xlsx, sheet Orders, row 3, column Amount: 'abc' is not a number",
        "customers": "bad.xlsx, sheet Customers, row 4, column Created date: 'someday' is not a date",
    }
    for name, message in expected.items():
        with pytest.raises(SchemaError) as raised:
            WorkbookSource(masters["bad"]).read(name)
        assert str(raised.value) == message
        assert book[name] == {"error": "SchemaError", "message": message}


def test_read_inputs_reads_every_input_table_the_exceptions_and_customer_merges(masters):
    inputs = read_inputs(WorkbookSource(masters["good"]))
    expected = [*(t.name for t in TABLES.values() if not t.computed), "exceptions", "customer_merges"]
    assert list(inputs) == expected == list(INPUTS)


def test_a_master_file_writes_back_computed_tables_only(masters, tmp_path):
    master = MasterFile(masters["good"])
    with pytest.raises(WorkbookError, match="good.xlsx: Orders are input sheets, not written back"):
        master.write({"orders": masters["inputs"]["orders"]})
    copy = MasterFile(build_master(tmp_path / "copy.xlsx", masters["inputs"]))
    assert copy.read("weekly_report").empty
    report = master.read("weekly_report")
    copy.write({"weekly_report": report})
    pd.testing.assert_frame_equal(copy.read("weekly_report"), report)  # the next read sees the write
