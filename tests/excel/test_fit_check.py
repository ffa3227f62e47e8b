"""The overflow check itself can fail: tiny hand-made sheets, one cell each way."""

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from sales_tools.excel.fit_check import misfits
from sales_tools.excel.row_heights import fit_rows


def _sheet(width: float = 10):
    ws = Workbook().active
    ws.column_dimensions["A"].width = width
    return ws


def test_a_short_text_fits():
    ws = _sheet()
    ws["A1"], ws["B1"] = "Acme Ltd", "next"  # 8 characters in 10 (x 1.15 = 11.5)
    assert misfits(ws) == []


def test_a_long_text_next_to_a_filled_cell_overlaps():
    ws = _sheet()
    ws["A1"], ws["B1"] = "Summit Manufacturing", "next"  # 20 characters > 11.5
    (found,) = misfits(ws)
    assert (found.cell, str(found)) == ("A1", "Sheet!A1: 20 characters in a column 12 wide, next to a filled cell")


def test_a_long_text_next_to_an_empty_cell_spills_harmlessly_but_not_into_a_merged_one():
    ws = _sheet()
    ws["A1"] = "Summit Manufacturing"
    assert misfits(ws) == []
    ws.merge_cells("B1:C1")  # B1 blank but part of a merge: the text is cut at the border
    assert [m.cell for m in misfits(ws)] == ["A1"]


def test_right_aligned_text_spills_left():
    ws = _sheet()
    ws["A1"], ws["C1"] = "left", "Summit Manufacturing"
    ws.column_dimensions["C"].width = 10
    ws["C1"].alignment = Alignment(horizontal="right")
    assert misfits(ws) == []  # B1 empty
    ws["B1"] = 5
    assert [m.cell for m in misfits(ws)] == ["C1"]


def test_merged_columns_add_up():
    ws = _sheet()
    ws["A1"], ws["C1"] = "Summit Manufacturing", "next"  # 20 characters in A:B = 20 x 1.15 = 23
    ws.column_dimensions["B"].width = 10
    ws.merge_cells("A1:B1")
    assert misfits(ws) == []


def test_wide_characters_count_double():
    ws = _sheet()
    ws["A1"], ws["B1"] = "竞争对手降价", "next"  # 6 CJK = 12 > 11.5
    assert [m.cell for m in misfits(ws)] == ["A1"]


def test_wrapped_text_in_a_row_too_short_is_cut():
    ws = _sheet(12)  # 12 x 1.15 = 13.8 -> 12 characters a line
    ws["A1"] = "C0012 Acme Ltd -100%; C0040 Bolt -62%"
    ws["A1"].alignment = Alignment(wrap_text=True)
    # lines: "C0012 Acme" (10) / "Ltd -100%;" (10) / "C0040 Bolt" (10) / "-62%" = 4 x 15 pt = 60 pt
    ws.row_dimensions[1].height = 45
    (found,) = misfits(ws)
    assert str(found) == "Sheet!A1: 60 pt of wrapped text, row 45 pt"
    ws.row_dimensions[1].height = 60
    assert misfits(ws) == []


def test_a_row_fit_rows_sized_passes():
    ws = _sheet(14)
    ws["A1"] = "C0012 Acme Ltd -100%; C0040 Bolt -62%; overdue: Quarry Retail Ltd (C0257) 8,032.35"
    ws["A1"].alignment = Alignment(wrap_text=True)
    assert misfits(ws)  # one line by default
    fit_rows(ws, 1, 1)
    assert misfits(ws) == []


def test_a_bigger_font_needs_more_room():
    ws = _sheet()
    ws["A1"], ws["B1"] = "Acme Ltd", "next"  # 8 characters at 16 pt: room for 11.5 x 11 / 16 = 7.9
    ws["A1"].font = Font(sz=16)
    assert [m.cell for m in misfits(ws)] == ["A1"]


def test_formulas_and_numbers_are_not_text():
    ws = _sheet(2)
    ws["A1"], ws["A2"], ws["B1"], ws["B2"] = "=SUM(B1:B9)", 123456789, 1, 2
    assert misfits(ws) == []
