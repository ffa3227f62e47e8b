"""Does every text cell show whole?  Measured from the workbook, with no spreadsheet program.

A text cell is cut off (or runs over its neighbour) when:

- wrapped: its lines (`row_heights.lines`, in the column's width, merged columns summed)
  need more points than its row (merged rows summed) is tall;
- not wrapped: it is wider than its column and the cell it spills into (right of a
  left-aligned text, left of a right-aligned one, either side of a centred one) is not
  empty, so the text is cut at the border (Excel) or drawn over the neighbour.

Widths are estimated as in `row_heights`: characters as wide as a digit of the default
font, a wide (CJK) character counting 2, scaled by the font size; a column is credited
with `LETTERS` characters per unit of width, since letters are narrower than digits, and
a wrapped line with a character more than `row_heights` allows when it sizes a row (that
margin is for safety; this check is for what shows), so a row `fit_rows` sized passes.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sales_tools.excel.row_heights import DEFAULT_WIDTH, LINE_POINTS, lines, text_width

DEFAULT_SIZE = 11.0
LETTERS = 1.15  # a column holds this many letters per digit of its width (letters are narrower)


@dataclass(frozen=True)
class Misfit:
    """A text cell that does not show whole: where, and why in words."""

    sheet: str
    cell: str
    reason: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.cell}: {self.reason}"


def misfits(ws: Worksheet, max_row: int | None = None) -> list[Misfit]:
    """Every text cell of `ws` (rows up to `max_row`) that is cut off or overlaps a neighbour.

    Reading only: a workbook loaded for the check may gain empty cells (openpyxl's `cell`)."""
    spans = {(r.min_row, r.min_col): r for r in ws.merged_cells.ranges}
    covered = {(row, col) for r in ws.merged_cells.ranges for row, col in r.cells}
    found = []
    for row in ws.iter_rows(max_row=max_row or ws.max_row):
        for cell in row:
            if not isinstance(cell.value, str) or not cell.value.strip() or cell.data_type == "f":
                continue
            if ws.row_dimensions[cell.row].hidden or ws.column_dimensions[cell.column_letter].hidden:
                continue
            span = spans.get((cell.row, cell.column))
            cols = range(span.min_col, span.max_col + 1) if span else [cell.column]
            rows = range(span.min_row, span.max_row + 1) if span else [cell.row]
            size = (cell.font.sz or DEFAULT_SIZE) / DEFAULT_SIZE
            width = sum(column_width(ws, c) for c in cols) * LETTERS / size
            if cell.alignment.wrap_text:
                needed = lines(cell.value, width + 1) * LINE_POINTS * size
                height = sum(row_height(ws, r) for r in rows)
                if needed > height + 1:
                    found.append(
                        Misfit(ws.title, cell.coordinate, f"{needed:.0f} pt of wrapped text, row {height:.0f} pt")
                    )
            elif max(map(text_width, cell.value.split("\n"))) > width:
                into = _spill_into(cell.alignment.horizontal, cols)
                if any(c < 1 or (cell.row, c) in covered or ws.cell(cell.row, c).value not in (None, "") for c in into):
                    found.append(Misfit(ws.title, cell.coordinate, f"{text_width(cell.value)} characters in a column "
                                        f"{width:.0f} wide, next to a filled cell"))  # fmt: skip
    return found


def column_width(ws: Worksheet, col: int) -> float:
    """The width of column `col` in characters (Excel's default when it has none)."""
    return ws.column_dimensions[get_column_letter(col)].width or DEFAULT_WIDTH


def row_height(ws: Worksheet, row: int) -> float:
    """The height of `row` in points (one line when it has none)."""
    return ws.row_dimensions[row].height or LINE_POINTS


def _spill_into(horizontal: str | None, cols: range | list[int]) -> list[int]:
    """The columns an unwrapped text too wide for `cols` runs into, by its alignment."""
    left, right = min(cols) - 1, max(cols) + 1
    return {"right": [left], "center": [left, right], "centerContinuous": [left, right]}.get(horizontal, [right])
