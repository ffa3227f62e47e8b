"""The two doors into a cell (`sales_tools.excel.values`): data always as values, text always as a
string cell with its exact (cleaned) text; formulas only through `set_formula`."""

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from sales_tools.excel.report_sheets import header_footer_text
from sales_tools.excel.sheets import write_table
from sales_tools.excel.values import append_row, put, set_formula
from sales_tools.schema import TABLES

LOOKS_LIKE_A_FORMULA = ["=1+2", '=HYPERLINK("http://evil","x")', "+1", "-1+1", "@SUM(1)"]


def saved(wb: Workbook, tmp_path) -> Workbook:
    wb.save(tmp_path / "book.xlsx")
    return load_workbook(tmp_path / "book.xlsx")


def test_text_is_always_a_string_cell_with_its_exact_text(tmp_path):
    wb = Workbook()
    texts = [*LOOKS_LIKE_A_FORMULA, "#N/A", "#DIV/0!", "=", "plain"]
    for r, text in enumerate(texts, start=1):
        put(wb.active, r, 1, text)
    ws = saved(wb, tmp_path).active
    assert [(c.value, c.data_type) for (c,) in ws.iter_rows()] == [(t, "s") for t in texts]
    # text a spreadsheet would run gets the quote prefix, so editing the cell keeps it text
    assert [c.quotePrefix for (c,) in ws.iter_rows()] == [True] * 5 + [False, False, True, False]


def test_control_characters_become_the_replacement_character_and_tabs_and_newlines_stay(tmp_path):
    wb = Workbook()
    put(wb.active, 1, 1, "Acme\x07 Ltd")
    put(wb.active, 2, 1, "\x1b[31mred\x00")
    put(wb.active, 3, 1, "two\tcolumns\nand lines")
    put(wb.active, 4, 1, "=\x07")
    ws = saved(wb, tmp_path).active
    assert [c.value for (c,) in ws.iter_rows()] == [
        "Acme\ufffd Ltd",
        "\ufffd[31mred\ufffd",
        "two\tcolumns\nand lines",
        "=\ufffd",
    ]
    assert ws["A4"].data_type == "s"


def test_pandas_and_numpy_values_become_excel_values(tmp_path):
    wb = Workbook()
    values = [np.float64(2.5), np.int64(3), pd.Timestamp("2024-03-01"), pd.NaT, np.nan, None, pd.NA, True]
    append_row(wb.active, values)
    ws = saved(wb, tmp_path).active
    assert [c.value for c in ws[1]][:5] == [2.5, 3, pd.Timestamp("2024-03-01"), None, None]
    assert ws.cell(1, 8).value is True and ws.max_column == 8


def test_a_formula_goes_only_through_set_formula(tmp_path):
    wb = Workbook()
    set_formula(wb.active["A1"], "=1+2")
    ws = saved(wb, tmp_path).active
    assert (ws["A1"].value, ws["A1"].data_type) == ("=1+2", "f")
    with pytest.raises(ValueError, match="not a formula"):
        set_formula(ws["A2"], "1+2")


def test_write_table_keeps_data_as_text_and_its_formula_columns_as_formulas(tmp_path):
    wb = Workbook()
    frame = pd.DataFrame({"rep_id": ["=1+2", "R\x072"], "name": ["@SUM(1)", "-1+1"], "target": [10.0, 0.0]})
    write_table(wb.active, TABLES["attainment"], frame, {"attainment": "1/0"})
    ws = saved(wb, tmp_path).active
    assert [(c.value, c.data_type) for c in ws["A"][1:]] == [("=1+2", "s"), ("R\ufffd2", "s")]
    assert [(c.value, c.data_type) for c in ws["B"][1:]] == [("@SUM(1)", "s"), ("-1+1", "s")]
    column = TABLES["attainment"].names.index("attainment")
    assert [(c.value, c.data_type) for c in list(ws.columns)[column][1:]] == [("=1/0", "f")] * 2


def test_header_and_footer_text_prints_as_it_is():
    assert header_footer_text("AT&T\x07 Sales & Co") == "AT&&T\ufffd Sales && Co"
    assert header_footer_text("x" * 300) == "x" * 100
