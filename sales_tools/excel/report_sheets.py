"""Sheet-drawing helpers of the printable workbooks (commission statements, the weekly report).

A printable sheet is laid out for paper: a title, blocks of labelled figures, tables
with the schema's headers and number formats, A4 page setup with print titles and a
header/footer.
"""

from __future__ import annotations

import pandas as pd
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from sales_tools.excel import styles
from sales_tools.excel.values import put
from sales_tools.safe_text import clean_text
from sales_tools.schema import TABLES, TYPES, Table
from sales_tools.schema.language import tr

WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_FOOTER_CHARS = 100  # per part: Excel refuses a header or footer over 255 characters


def write_printed_table(
    ws: Worksheet, frame: pd.DataFrame, table: str | Table, first_row: int, columns: list[str] | None = None
) -> int:
    """Write `frame` as a header row and rows of schema table `table` (a name, or a `Table` of the
    report's own), from `first_row`.

    Headers and number formats come from the schema.  Returns the row after the last one written.
    """
    spec = TABLES[table] if isinstance(table, str) else table
    cols = [spec.column(name) for name in (columns or spec.names)]
    for j, col in enumerate(cols, 1):
        put(ws, first_row, j, col.header)
    styles.style_header(ws, first_row, 1, len(cols))
    for i, values in enumerate(frame[[c.name for c in cols]].itertuples(index=False), first_row + 1):
        for j, (col, value) in enumerate(zip(cols, values), 1):
            cell = put(ws, i, j, value)
            cell.number_format, cell.border = col.number_format, styles.BOX
            if col.type == "text":
                cell.alignment = WRAP
    return first_row + 1 + len(frame)


def write_figures(ws: Worksheet, first_row: int, heading: str, figures: list[tuple[str, object, str]]) -> int:
    """A heading and (label, value, type) lines in columns A:B.  Returns the next free row."""
    put(ws, first_row, 1, heading).font = styles.LABEL_FONT
    for i, (label, value, kind) in enumerate(figures, first_row + 1):
        put(ws, i, 1, label)
        cell = put(ws, i, 2, value)
        cell.number_format, cell.border = TYPES[kind], styles.BOX
    return first_row + len(figures) + 2


def page_setup(ws: Worksheet, header: str, footer: str, title_row: int, portrait: bool) -> None:
    """A4 fitted to the page width, the table header repeated on every page, header and footer
    (plain text: `header` and `footer` may hold data, such as a rep's name)."""
    styles.print_setup(ws, title_rows=f"{title_row}:{title_row}")
    ws.page_setup.orientation = "portrait" if portrait else "landscape"
    ws.oddHeader.center.text = header_footer_text(header)
    ws.oddFooter.left.text = header_footer_text(footer)
    ws.oddFooter.right.text = tr("Page &P of &N")


def header_footer_text(text: str) -> str:
    """`text` printed as it is in a page header or footer: "&" doubled (else "&T" prints the time), no
    control characters, shortened to HEADER_FOOTER_CHARS.

    >>> header_footer_text("AT&T")
    'AT&&T'
    """
    return clean_text(text)[:HEADER_FOOTER_CHARS].replace("&", "&&")
