"""Formula results stored with the formulas, so every reader sees numbers.

openpyxl writes a formula with no result: Excel recalculates it on opening, but a file
preview, a phone, a mail viewer, pandas and openpyxl show a blank.  A writer that knows
what its formula gives (the package computed the same figure in Python) says so with
`values.set_formula(cell, formula, result)`; `save.write_workbook` then stores that
result as the cell's cached value.  The workbook still asks for a full recalculation on
load, so Excel shows its own result; tests/excel/test_libreoffice.py proves the stored
results are what LibreOffice computes.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import weakref
from xml.sax.saxutils import escape

import numpy as np
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

_RESULTS: weakref.WeakKeyDictionary[Worksheet, dict[str, object]] = weakref.WeakKeyDictionary()
# A formula cell as openpyxl writes it: <c r="B6" s="3"><f>...</f><v /></c> (no ">" inside: escaped)
_FORMULA_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*)><f>([^<]*)</f><v ?/></c>')


def remember(ws: Worksheet, coordinate: str, result) -> None:
    """Store `result` as what the formula at `coordinate` gives (None: not known)."""
    if result is None:
        _RESULTS.get(ws, {}).pop(coordinate, None)
    else:
        _RESULTS.setdefault(ws, {})[coordinate] = result


def parts(wb: Workbook) -> dict[str, dict[str, object]]:
    """Results by the zip part each worksheet is written to (openpyxl numbers them in order)."""
    return {f"xl/worksheets/sheet{i}.xml": _RESULTS[ws] for i, ws in enumerate(wb.worksheets, 1) if _RESULTS.get(ws)}


def store(xml: bytes, results: dict[str, object]) -> bytes:
    """The worksheet part `xml` with `results` stored as its formula cells' values."""

    def cached(match: re.Match) -> bytes:
        coordinate = match[1].decode()
        if coordinate not in results:
            return match[0]
        kind, text = _cell_value(results[coordinate])
        return b'<c r="%s"%s%s><f>%s</f><v>%s</v></c>' % (match[1], match[2], kind, match[3], text)

    return _FORMULA_CELL.sub(cached, xml)


def _cell_value(result) -> tuple[bytes, bytes]:
    """The type attribute and <v> text of a formula's result."""
    if isinstance(result, np.generic):
        result = result.item()
    if isinstance(result, bool):
        return b' t="b"', b"1" if result else b"0"
    if isinstance(result, (dt.date, dt.datetime)):
        return b"", repr(float(to_excel(result))).encode()
    if isinstance(result, (int, float)) and not isinstance(result, bool):
        if math.isnan(result):
            return b' t="str"', b""
        return b"", repr(float(result)).encode()
    return b' t="str"', escape(str(result)).encode()
