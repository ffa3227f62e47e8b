"""A workbook as the xlwings Office.js add-in sends it to Python (the ``xw.Book(json=...)`` payload).

Shape, as xlwings' remote engine (``xlwings/pro/_xlremote.py``) reads it and the
add-in's ``getBookData`` builds it: ``client``, ``version``, ``book`` (name, active
sheet, selection), ``names`` (range names), and per sheet its ``name``, ``values``
(A1 to the last used cell, one list per row) and ``tables`` (addresses without the
sheet name).  Cell values as Office.js gives them: empty cells ``""``, numbers as JSON
numbers (whole ones without a fraction), booleans, and date-formatted cells as ISO
timestamps (``Date.toISOString()``).  Formula cells carry their cached value; the
package's builder writes none, so they arrive empty, which only matters for sheets a
macro reads (the input sheets hold no formulas).

Values are read with python-calamine, the tables and names from the package XML.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from xml.etree import ElementTree

import xlwings as xw
from openpyxl.utils import get_column_letter, range_boundaries
from python_calamine import CalamineWorkbook

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def cell_json(value):
    """One cell as Office.js sends it."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}T00:00:00.000Z"
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def book_json(path, name: str | None = None, settings: dict[str, str] | None = None) -> dict:
    """The payload for the workbook at `path`.

    Args:
        path: an .xlsx/.xlsm file.
        name: the book name the add-in reports (default the file name).
        settings: rows appended to the Settings table (setting -> value), as a manager
            would type them below its last row.
    """
    book = CalamineWorkbook.from_path(str(path))
    tables = _tables(path)
    sheets = []
    for title in book.sheet_names:
        rows = book.get_sheet_by_name(title).to_python(skip_empty_area=False)
        values = [[cell_json(v) for v in row] for row in rows] or [[]]
        sheets.append({"name": title, "values": values, "pictures": [], "tables": tables.get(title, [])})
    if settings:
        settings_sheet = next(s for s in sheets if s["name"] in ("Settings", "设置"))  # an English or Chinese master
        _append_rows(settings_sheet, [[k, v, ""] for k, v in settings.items()])
    return {
        "client": "Office.js",
        "version": xw.__version__,
        "book": {"name": name or path.name, "active_sheet_index": 0, "selection": "A1"},
        "names": _names(path, book.sheet_names),
        "sheets": sheets,
    }


def _parts(archive: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship id -> target part of `part`."""
    folder, base = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", base + ".rels")
    if rels not in archive.namelist():
        return {}
    root = ElementTree.fromstring(archive.read(rels))
    return {r.get("Id"): _resolve(folder, r.get("Target")) for r in root.findall("rel:Relationship", NS)}


def _resolve(folder: str, target: str) -> str:
    """A relationship target as a part name (targets may be absolute, "/xl/...")."""
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))


def _tables(path) -> dict[str, list[dict]]:
    """Sheet title -> its Excel tables as the add-in describes them."""
    out = {}
    with zipfile.ZipFile(path) as archive:
        sheets = _parts(archive, "xl/workbook.xml")
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        for sheet in workbook.findall("m:sheets/m:sheet", NS):
            part = sheets[sheet.get(R_ID)]
            targets = [t for t in _parts(archive, part).values() if "/tables/" in t]
            out[sheet.get("name")] = [_table_json(ElementTree.fromstring(archive.read(t))) for t in targets]
    return out


def _table_json(table) -> dict:
    ref = table.get("ref")
    first_col, first_row, last_col, last_row = range_boundaries(ref)
    cols = f"{get_column_letter(first_col)}{{}}:{get_column_letter(last_col)}{{}}"
    style = table.find("m:tableStyleInfo", NS)
    return {
        "name": table.get("displayName"),
        "range_address": ref,
        "header_row_range_address": cols.format(first_row, first_row),
        "data_body_range_address": cols.format(first_row + 1, last_row),
        "total_row_range_address": None,
        "show_headers": True,
        "show_totals": False,
        "table_style": style.get("name") if style is not None else "",
        "show_autofilter": True,
    }


def _append_rows(sheet: dict, rows: list[list]) -> None:
    """Add rows below the sheet's single table and grow the table over them."""
    (table,) = sheet["tables"]
    first_col, first_row, last_col, last_row = range_boundaries(table["range_address"])
    width = max(len(r) for r in sheet["values"])
    for i, row in enumerate(rows, last_row + 1):
        while len(sheet["values"]) < i:
            sheet["values"].append([""] * width)
        sheet["values"][i - 1] = (row + [""] * width)[:width]
    end = last_row + len(rows)
    cols = f"{get_column_letter(first_col)}{{}}:{get_column_letter(last_col)}{end}"
    table["range_address"], table["data_body_range_address"] = cols.format(first_row), cols.format(first_row + 1)


def _names(path, titles: list[str]) -> list[dict]:
    """Book-scope names that refer to one range (what the add-in lists)."""
    with zipfile.ZipFile(path) as archive:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    out = []
    for defined in workbook.findall("m:definedNames/m:definedName", NS):
        found = re.fullmatch(r"'?([^'!]+)'?!(\$?[A-Z]+\$?\d+(?::\$?[A-Z]+\$?\d+)?)", defined.text or "")
        if found and found[1] in titles and defined.get("localSheetId") is None:
            out.append({"name": defined.get("name"), "sheet_index": titles.index(found[1]), "address": found[2],
                        "scope_sheet_name": None, "scope_sheet_index": None, "book_scope": True})  # fmt: skip
    return out
