"""The house style of every sheet the package writes: colours, header, widths, printing."""

from __future__ import annotations

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sales_tools.excel.values import put

NAVY = "1F3864"
BLUE = "2F5597"
LIGHT = "DDEBF7"
GREY = "808080"
RED, AMBER, GREEN = "F8CBAD", "FFE699", "C6EFCE"
RED_TEXT, AMBER_TEXT, GREEN_TEXT = "9C0006", "7F6000", "006100"
TABLE_STYLE = "TableStyleMedium2"  # banded rows in Excel
PORTRAIT_WIDTH = 125  # characters: A4 portrait shows about 100 at full size, 125 at 80%

FONT = "Calibri"
HEADER_FONT = Font(name=FONT, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor=BLUE)
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
TITLE_FONT = Font(name=FONT, bold=True, size=16, color=NAVY)
SUBTITLE_FONT = Font(name=FONT, italic=True, color=GREY)
LABEL_FONT = Font(name=FONT, bold=True, color=NAVY)
CARD_FONT = Font(name=FONT, bold=True, size=14, color=NAVY)
CARD_FILL = PatternFill("solid", fgColor=LIGHT)
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # cells a rep types into
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
UNLOCKED = Protection(locked=False)


def style_header(ws: Worksheet, row: int, first_col: int, last_col: int) -> None:
    """Bold white on blue: the header row of a table (drawn explicitly so LibreOffice shows it too)."""
    for col in range(first_col, last_col + 1):
        cell = ws.cell(row, col)
        cell.font, cell.fill, cell.alignment, cell.border = HEADER_FONT, HEADER_FILL, HEADER_ALIGN, BOX


def set_widths(ws: Worksheet, widths: list[int], first_col: int = 1) -> None:
    """Column widths in characters, from `first_col` on."""
    for i, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(first_col + i)].width = width


def orient(ws: Worksheet) -> None:
    """Portrait for a sheet up to `PORTRAIT_WIDTH` characters wide, else landscape: fitted one page
    wide either way, a narrow table's rows then fill the page's length (about 50 a page, not 30)."""
    width = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, ws.max_column + 1))
    ws.page_setup.orientation = "portrait" if width <= PORTRAIT_WIDTH else "landscape"


def title(ws: Worksheet, text: str, subtitle: str = "") -> None:
    """A big title in A1 and a grey subtitle in A2 (either may hold data: a company, a rep's name)."""
    put(ws, 1, 1, text).font = TITLE_FONT
    if subtitle:
        put(ws, 2, 1, subtitle).font = SUBTITLE_FONT


def print_setup(ws: Worksheet, title_rows: str | None = None) -> None:
    """Landscape, fit to one page wide, repeating the header rows on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    if title_rows:
        ws.print_title_rows = title_rows


def header_footer(ws: Worksheet, company: str) -> None:
    """Every printed page says what it is and where it falls: the company and the sheet
    above, page N of M below."""
    for part in (ws.oddHeader, ws.evenHeader):
        part.left.text, part.right.text = escape_codes(company) or None, "&A"
    for part in (ws.oddFooter, ws.evenFooter):
        part.right.text = "Page &P of &N"


def escape_codes(text: str) -> str:
    """`text` shown as it is in a page header ("&" starts a code there)."""
    return str(text).replace("&", "&&")


def fitted_width(texts, least: int = 8, most: int = 80) -> int:
    """A column width (characters) that shows the longest of `texts` on one line."""
    return max(least, min(most, max((len(t) for t in texts), default=0) + 2))


def traffic_lights(ws: Worksheet, cells: str) -> None:
    """Red below 80%, amber below 100%, green from 100% on; blanks stay white."""
    first = cells.split(":")[0].replace("$", "")
    rules = (
        (f"AND(ISNUMBER({first}),{first}<0.8)", RED, RED_TEXT),
        (f"AND(ISNUMBER({first}),{first}>=0.8,{first}<1)", AMBER, AMBER_TEXT),
        (f"AND(ISNUMBER({first}),{first}>=1)", GREEN, GREEN_TEXT),
    )
    for formula, fill, text in rules:
        rule = FormulaRule(
            formula=[formula], fill=PatternFill("solid", fgColor=fill, bgColor=fill), font=Font(color=text)
        )
        ws.conditional_formatting.add(cells, rule)


def warn_when(ws: Worksheet, cells: str, formula: str) -> None:
    """Red fill and dark red bold text where `formula` holds."""
    rule = FormulaRule(
        formula=[formula], fill=PatternFill("solid", fgColor=RED, bgColor=RED), font=Font(bold=True, color=RED_TEXT)
    )
    ws.conditional_formatting.add(cells, rule)
