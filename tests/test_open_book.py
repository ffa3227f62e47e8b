"""What `open_book.OpenBook.write` hands to Excel: text Excel parses as typed input reaches the cell as it is."""

from types import SimpleNamespace

import pandas as pd

from sales_tools.open_book import OpenBook
from sales_tools.schema import TABLES


class FakeTable:
    """An Excel table (ListObject) that records what it was updated with."""

    def __init__(self):
        self.frames = []

    def update(self, frame, index):
        self.frames.append(frame)


def test_text_that_excel_would_change_gets_a_leading_apostrophe_and_control_characters_are_replaced():
    table = TABLES["customer_tiers"]
    written = FakeTable()
    sheet = SimpleNamespace(name=table.sheet, tables={table.excel_name: written})
    book = SimpleNamespace(name="master.xlsx", sheets=FakeSheets([sheet]))
    names = ["=1+2", "+1", "-1+1", "@SUM(1)", "'quoted", "Acme\x07 Ltd", "plain", None]
    frame = pd.DataFrame({"customer_id": [f"C{i}" for i in range(len(names))], "name": names, "frequency": 1})
    OpenBook(book).write({"customer_tiers": frame})
    (cells,) = written.frames
    assert cells[table.column("name").header].tolist() == [
        "'=1+2", "'+1", "'-1+1", "'@SUM(1)", "''quoted", "Acme\ufffd Ltd", "plain", None]  # fmt: skip
    assert cells[table.column("frequency").header].tolist() == [1] * len(names)


class FakeSheets(list):
    """xlwings' sheets: iterable, and indexed by name."""

    def __getitem__(self, key):
        return next(s for s in self if s.name == key) if isinstance(key, str) else super().__getitem__(key)


def test_a_book_missing_a_sheet_gets_nothing_written_and_is_told_how_to_add_it():
    import pytest

    from sales_tools.errors import WorkbookError

    table = TABLES["customer_tiers"]
    written = FakeTable()
    sheet = SimpleNamespace(name=table.sheet, tables={table.excel_name: written})
    book = SimpleNamespace(name="master.xlsx", sheets=FakeSheets([sheet]))
    frame = pd.DataFrame({"customer_id": ["C1"]})
    with pytest.raises(WorkbookError, match="master.xlsx has no Target variance sheet .* nothing was written"):
        OpenBook(book).write({"customer_tiers": frame, "target_variance": pd.DataFrame()})
    assert written.frames == []
