"""Row heights that fit wrapped text, so a printed row never runs into the next one.

Excel and LibreOffice do not grow a row for wrapped text that openpyxl writes (the
height is stored, or a default of one line).  `fit_rows` sets each row's height from its
longest wrapped cell: lines = ceil(text width / `chars_per_line` of the column), words
kept whole, each line `LINE_POINTS`.  Widths are Excel's (characters of the default
font); a wide character (CJK) counts 2.  The estimate errs on the tall side.
"""

from __future__ import annotations

import math
import unicodedata

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

LINE_POINTS = 15.0  # one line of Calibri 11, in points
PADDING_POINTS = 3.0
DEFAULT_WIDTH = 8.43  # Excel's default column width


def text_width(text: str) -> int:
    """Characters of `text` as wide as a digit, wide (East Asian) ones counting 2.

    >>> text_width("Acme"), text_width("竞争者")
    (4, 6)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def chars_per_line(width: float) -> int:
    """Characters that fit on one line of a column `width` characters wide (a margin left).

    >>> chars_per_line(30), chars_per_line(1)
    (28, 1)
    """
    return max(1, math.floor(width) - 2)


def lines(text: str, width: float) -> int:
    """Lines `text` wraps to in a column `width` wide: words kept whole, longer ones broken.

    >>> lines("C0012 Acme Ltd -100%; C0040 Bolt -62%", 14)
    4
    """
    per_line, count = chars_per_line(width), 0
    for paragraph in str(text).split("\n"):
        used = None  # characters on the current line; None: no line started
        for word in paragraph.split():
            size = text_width(word)
            if used is not None and used + 1 + size <= per_line:
                used += 1 + size
                continue
            count += 1 if used is not None else 0
            count += (size - 1) // per_line  # a word longer than a line takes several
            used = size - (size - 1) // per_line * per_line
        count += 1
    return count


def fit_rows(ws: Worksheet, first_row: int, last_row: int) -> None:
    """Set rows `first_row`..`last_row` of `ws` tall enough for their wrapped text (merged cells
    use the merged width); a row whose wrapped cells all fit on one line keeps its height."""
    merged = {(r.min_row, r.min_col): r for r in ws.merged_cells.ranges}
    for row in ws.iter_rows(min_row=first_row, max_row=last_row):
        needed = 0
        for cell in row:
            if cell.value is None or not (cell.alignment and cell.alignment.wrap_text):
                continue
            span = merged.get((cell.row, cell.column))
            cols = range(span.min_col, span.max_col + 1) if span else [cell.column]
            width = sum(_width(ws, c) for c in cols)
            needed = max(needed, lines(str(cell.value), width) / (span.max_row - span.min_row + 1 if span else 1))
        if needed > 1:
            ws.row_dimensions[row[0].row].height = math.ceil(needed) * LINE_POINTS + PADDING_POINTS


def _width(ws: Worksheet, col: int) -> float:
    return ws.column_dimensions[get_column_letter(col)].width or DEFAULT_WIDTH
