"""The house style's printing rule: a narrow sheet prints portrait, a wide one landscape."""

from openpyxl import Workbook

from sales_tools.excel import styles


def test_a_sheet_up_to_125_characters_wide_prints_portrait():
    ws = Workbook().active
    styles.set_widths(ws, [60, 65])  # 125 characters
    ws["B1"] = "x"
    styles.orient(ws)
    assert ws.page_setup.orientation == "portrait"
    ws["C1"] = "y"  # a third column of Excel's default 8.43: 133.43 characters
    styles.orient(ws)
    assert ws.page_setup.orientation == "landscape"
