"""The house style of every sheet the package writes: colours, header, widths, printing."""

from __future__ import annotations

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from sales_tools.excel.values import put
from sales_tools.schema.language import ENGLISH, current, tr

NAVY = "1F3864"
BLUE = "2F5597"
LIGHT = "DDEBF7"
GREY = "808080"
RED, AMBER, GREEN = "F8CBAD", "FFE699", "C6EFCE"
RED_TEXT, AMBER_TEXT, GREEN_TEXT = "9C0006", "7F6000", "006100"
TABLE_STYLE = "TableStyleMedium2"  # banded rows in Excel
PORTRAIT_WIDTH = 125  # characters: A4 portrait shows about 100 at full size, 125 at 80%

FONT = "Calibri"
# A Chinese workbook's font: on every Chinese Windows (Excel and WPS); LibreOffice substitutes Noto Sans CJK.
CJK_FONT = "Microsoft YaHei"
# The fonts, by name: styles.HEADER_FONT etc. are these in the current language's font (`__getattr__`).
FONTS = {
    "HEADER_FONT": {"bold": True, "color": "FFFFFF"},
    "TITLE_FONT": {"bold": True, "size": 16, "color": NAVY},
    "SUBTITLE_FONT": {"italic": True, "color": GREY},
    "LABEL_FONT": {"bold": True, "color": NAVY},
    "CARD_FONT": {"bold": True, "size": 14, "color": NAVY},
}
HEADER_FILL = PatternFill("solid", fgColor=BLUE)
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
CARD_FILL = PatternFill("solid", fgColor=LIGHT)
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # cells a rep types into
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
UNLOCKED = Protection(locked=False)


def __getattr__(name: str) -> Font:
    """HEADER_FONT, TITLE_FONT, ...: read when a sheet is written, in the font of its language."""
    if name not in FONTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return font(name)


def font(kind: str) -> Font:
    """The font `kind` (a key of FONTS) in the current language's font."""
    return Font(name=font_name(), **FONTS[kind])


def font_name() -> str:
    """The font of the current language's workbooks."""
    return FONT if current() == ENGLISH else CJK_FONT


def default_font(wb: Workbook) -> None:
    """Cells without a font of their own (a new `wb`, before any cell is styled) in the language's font:
    a Chinese workbook's in CJK_FONT; an English one's stay openpyxl's default."""
    if font_name() != FONT:
        wb._fonts = IndexedList([Font(name=font_name(), sz=11, family=2)])  # openpyxl's default font, renamed


def style_header(ws: Worksheet, row: int, first_col: int, last_col: int) -> None:
    """Bold white on blue: the header row of a table (drawn explicitly so LibreOffice shows it too)."""
    for col in range(first_col, last_col + 1):
        cell = ws.cell(row, col)
        cell.font, cell.fill, cell.alignment, cell.border = font("HEADER_FONT"), HEADER_FILL, HEADER_ALIGN, BOX


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
    put(ws, 1, 1, text).font = font("TITLE_FONT")
    if subtitle:
        put(ws, 2, 1, subtitle).font = font("SUBTITLE_FONT")


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
        part.right.text = tr("Page &P of &N")


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
