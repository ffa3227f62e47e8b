"""Change a few table sheets of an .xlsx without rewriting the rest of the workbook.

`patch_tables` copies every part of the workbook unchanged (dashboard, charts, other
sheets, styles, defined names) and rewrites only the XML of the sheets that change:
rows deleted by a re-submission go, the rows that remain keep their exact XML (only
renumbered), and new rows are appended with the styles (number formats) of the
column's existing cells.  The Excel table's range grows with them.  Text is always
written as an inline string, so text such as ``=HYPERLINK(...)`` is never a formula.

Each sheet must hold one table starting at A1 with its header in row 1, as
`sales_tools.excel.builder.build_master` writes them.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pandas as pd
from openpyxl.styles.numbers import builtin_format_code
from openpyxl.styles.stylesheet import Stylesheet
from openpyxl.utils import get_column_letter
from openpyxl.xml.functions import fromstring

from sales_tools.errors import WorkbookError
from sales_tools.schema import Table

_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_ROW = re.compile(r"<row\b[^>]*?(?:/>|>.*?</row>)", re.S)
_ROW_NUMBER = re.compile(r'\br="(\d+)"')
_CELL_STYLE = re.compile(r'<c r="([A-Z]+)\d+"(?:[^>]*?\bs="(\d+)")?')
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_SHEET_DATA = re.compile(r"<sheetData\s*/>|<sheetData>.*?</sheetData>", re.S)
_STYLE_ID = re.compile(r'<(?:c|row)\b[^>]*?\bs="(\d+)"')
_SHARED_CELL = re.compile(r'<c\b([^>]*?)\bt="s"([^>]*)>\s*<v>(\d+)</v>\s*</c>')
_DIMENSION = re.compile(r'<dimension ref="([^"]*)"\s*/>')
_TABLE_REF = re.compile(r'<table\b[^>]*?\bref="([^"]*)"')


@dataclass
class TableChange:
    """What happens to one table: Excel rows deleted (or all, with `clear`), then rows appended."""

    table: Table
    delete: set[int] = field(default_factory=set)
    append: pd.DataFrame | None = None
    clear: bool = False


def patch_tables(source: str | Path, target: str | Path, changes: Mapping[str, TableChange]) -> None:
    """Write `source` to `target` with `changes` applied (table name -> change).

    Raises:
        WorkbookError: a changed table's sheet is not in the workbook.
    """
    with zipfile.ZipFile(source) as zin:
        parts = _sheet_parts(zin)
        new_parts = {}
        for change in changes.values():
            sheet = change.table.sheet
            if sheet not in parts:
                raise WorkbookError(f"the master workbook has no {sheet} sheet")
            xml, last = _patch_sheet(zin.read(parts[sheet]).decode("utf-8"), change)
            new_parts[parts[sheet]] = xml
            table_part = _table_part(zin, parts[sheet])
            if table_part:
                new_parts[table_part] = _set_table_ref(zin.read(table_part).decode("utf-8"), change.table, last)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zout:
            for info in zin.infolist():
                data = new_parts[info.filename].encode("utf-8") if info.filename in new_parts else zin.read(info)
                zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)


def sheet_names(path: str | Path) -> list[str]:
    """The titles of the workbook's sheets."""
    with zipfile.ZipFile(path) as zin:
        return list(_sheet_parts(zin))


def _sheet_parts(zin: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title -> its part name, e.g. "Orders" -> "xl/worksheets/sheet9.xml"."""
    book = ElementTree.fromstring(zin.read("xl/workbook.xml"))
    rels = _relationships(zin, "xl/workbook.xml")
    return {
        s.get("name"): rels[s.get(f"{{{_NS['r']}}}id")]
        for s in book.iterfind("m:sheets/m:sheet", _NS)
        if s.get(f"{{{_NS['r']}}}id") in rels
    }


def _relationships(zin: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship id -> target part name of `part`."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    if rels_name not in zin.namelist():
        return {}
    out = {}
    for rel in ElementTree.fromstring(zin.read(rels_name)).iterfind("rel:Relationship", _NS):
        target = rel.get("Target")
        out[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id") + "#type"] = rel.get("Type")
    return out


def _table_part(zin: zipfile.ZipFile, sheet_part: str) -> str | None:
    return _related(zin, sheet_part, "/table")


def _related(zin: zipfile.ZipFile, part: str, kind: str) -> str | None:
    """The part the first relationship of `part` whose type ends with `kind` points to."""
    rels = _relationships(zin, part)
    return next((rels[k] for k in rels if not k.endswith("#type") and rels[k + "#type"].endswith(kind)), None)


def _patch_sheet(xml: str, change: TableChange) -> tuple[str, int]:
    """The sheet XML with rows deleted and appended; and its last row number."""
    end = xml.rfind("</sheetData>")
    if not change.delete and not change.clear and end > 0:
        appended = _append_only(xml, end, change)
        if appended:
            return appended
    found = re.search(r"<sheetData\s*/>|<sheetData>(.*?)</sheetData>", xml, re.S)
    if found is None:
        raise WorkbookError(f"the {change.table.sheet} sheet has no cells")
    rows = _ROW.findall(found.group(1) or "")
    numbers = [int(_ROW_NUMBER.search(r[: r.index(">")]).group(1)) for r in rows]
    header = [r for r, n in zip(rows, numbers) if n == 1]
    data = [(r, n) for r, n in zip(rows, numbers) if n > 1]
    styles = dict(_CELL_STYLE.findall(data[-1][0])) if data else {}
    data = [] if change.clear else data
    kept = [_renumber(r, n, i) for i, (r, n) in enumerate(((r, n) for r, n in data if n not in change.delete and _has_value(r)), 2)]
    new = _rows_xml(change.table, change.append, 2 + len(kept), styles)
    last = max(1 + len(kept) + len(new), 2)
    if len(kept) + len(new) == 0:  # an Excel table needs one (blank) data row
        new = [_rows_xml(change.table, pd.DataFrame([{}], columns=change.table.names), 2, styles)[0]]
    body = "<sheetData>" + "".join(header + kept + new) + "</sheetData>"
    return _set_dimension(xml[: found.start()] + body + xml[found.end() :], change.table, last), last


def _append_only(xml: str, end: int, change: TableChange) -> tuple[str, int] | None:
    """Fast path without deletions: new rows go after the last row, which holds data.

    None when the last row is the blank placeholder of an empty table (the full path replaces it).
    """
    start = xml.rfind("<row ", 0, end)
    if start < 0:
        return None
    last_row = xml[start:end]
    number = int(_ROW_NUMBER.search(last_row[: last_row.index(">")]).group(1))
    if number < 2 or not _has_value(last_row):
        return None
    new = _rows_xml(change.table, change.append, number + 1, dict(_CELL_STYLE.findall(last_row)))
    last = number + len(new)
    return _set_dimension(xml[:end] + "".join(new) + xml[end:], change.table, last), last


def _set_dimension(xml: str, table: Table, last: int) -> str:
    return _with_dimension(xml, f"A1:{get_column_letter(len(table.columns))}{last}")


def _with_dimension(xml: str, ref: str) -> str:
    return _DIMENSION.sub(f'<dimension ref="{ref}"/>', xml, count=1)


def _has_value(row: str) -> bool:
    return "<v>" in row or "<v " in row or "<is>" in row or "<f" in row


def _renumber(row: str, old: int, new: int) -> str:
    if old == new:
        return row
    row = re.sub(rf'(<row\b[^>]*?\br="){old}"', rf'\g<1>{new}"', row, count=1)
    return re.sub(rf'(<c r="[A-Z]+){old}"', rf'\g<1>{new}"', row)


def _set_table_ref(xml: str, table: Table, last: int) -> str:
    return _with_table_ref(xml, f"A1:{get_column_letter(len(table.columns))}{last}")


def _with_table_ref(table_xml: str, ref: str) -> str:
    table_xml = re.sub(r'(<table\b[^>]*?\bref=")[^"]*"', rf'\g<1>{ref}"', table_xml, count=1)
    return re.sub(r'(<autoFilter\b[^>]*?\bref=")[^"]*"', rf'\g<1>{ref}"', table_xml, count=1)


# ---------------------------------------------------------------- new rows as XML


def _rows_xml(table: Table, df: pd.DataFrame | None, first: int, styles: dict[str, str]) -> list[str]:
    """One `<row>` element per row of `df` (plain Python over lists: the fastest here)."""
    if df is None or df.empty:
        return []
    df = df.reindex(columns=table.names)
    numbers = range(first, first + len(df))
    columns = []
    for j, name in enumerate(table.names, start=1):
        letter = get_column_letter(j)
        style = f' s="{styles[letter]}"' if letter in styles else ""
        columns.append([f'<c r="{letter}{r}"{style}{body}' for r, body in zip(numbers, _bodies(df[name]))])
    return [f'<row r="{r}">{"".join(cells)}</row>' for r, *cells in zip(numbers, *columns)]


def _bodies(values: pd.Series) -> list[str]:
    """The rest of each `<c>` element of a column; blanks keep only the style."""
    blank = values.isna().to_numpy()
    if pd.api.types.is_bool_dtype(values):
        out = [' t="b"><v>1</v></c>' if v is True else ' t="b"><v>0</v></c>' for v in values.fillna(False).tolist()]
    elif pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
        if pd.api.types.is_datetime64_any_dtype(values):
            values = (values - EXCEL_EPOCH) / pd.Timedelta(days=1)
        numbers = values.astype("float64").to_numpy()
        blank = blank | ~np.isfinite(numbers)
        out = [f"><v>{_number(v)}</v></c>" for v in numbers.tolist()]
    else:
        out = [f' t="inlineStr"><is><t xml:space="preserve">{_escape(str(v))}</t></is></c>' for v in values.tolist()]
    return ["/>" if b else o for o, b in zip(out, blank.tolist())]


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _escape(text: str) -> str:
    """XML-escape text; control characters become Excel's _xHHHH_ escapes."""
    if "_x" in text:
        text = re.sub(r"_(x[0-9A-Fa-f]{4}_)", r"_x005F_\1", text)
    if _CONTROL.search(text):
        text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------- rows kept as they are


def restore_rows(original: str | Path, rewritten: str | Path, target: str | Path, sheets: list[str]) -> bool:
    """Write `rewritten` to `target` with the rows of `sheets` as they are in `original`.

    For a refresh: openpyxl rewrote the workbook with those sheets emptied (much
    faster), and here they get their cells back untouched (values, formulas, styles,
    row heights), with shared strings written inline.  Returns False, writing nothing,
    when a cell style those rows use does not mean the same in both files or a part
    is not laid out as expected; the caller then rewrites them the slow way.
    """
    with zipfile.ZipFile(original) as old, zipfile.ZipFile(rewritten) as new:
        old_parts, new_parts = _sheet_parts(old), _sheet_parts(new)
        strings, old_styles, new_styles = _shared_strings(old), _cell_styles(old), _cell_styles(new)
        if strings is None:
            return False
        parts = {}
        for sheet in sheets:
            old_xml, new_xml = old.read(old_parts[sheet]).decode("utf-8"), new.read(new_parts[sheet]).decode("utf-8")
            rows, into = _SHEET_DATA.search(old_xml), _SHEET_DATA.search(new_xml)
            if rows is None or into is None:
                return False
            used = {int(i) for i in _STYLE_ID.findall(rows.group())}
            if any(i >= len(old_styles) or i >= len(new_styles) or old_styles[i] != new_styles[i] for i in used):
                return False
            try:
                body = _SHARED_CELL.sub(lambda m: f'<c{m[1]}t="inlineStr"{m[2]}><is>{strings[int(m[3])]}</is></c>', rows.group())
            except IndexError:  # a shared string that is not there: a damaged file
                return False
            dimension = _DIMENSION.search(old_xml)
            new_xml = new_xml[: into.start()] + body + new_xml[into.end() :]
            parts[new_parts[sheet]] = _with_dimension(new_xml, dimension[1]) if dimension else new_xml
            old_table, new_table = _table_part(old, old_parts[sheet]), _table_part(new, new_parts[sheet])
            if old_table and new_table:
                ref = _TABLE_REF.search(old.read(old_table).decode("utf-8"))[1]
                parts[new_table] = _with_table_ref(new.read(new_table).decode("utf-8"), ref)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zout:
            for info in new.infolist():
                data = parts[info.filename].encode("utf-8") if info.filename in parts else new.read(info)
                zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
    return True


def _shared_strings(zin: zipfile.ZipFile) -> list[str] | None:
    """The inner XML of each shared string (the same content model as an inline string); None if unreadable."""
    part = _related(zin, "xl/workbook.xml", "/sharedStrings")
    if part is None:
        return []
    xml = zin.read(part).decode("utf-8")
    items = [m[1] or "" for m in re.finditer(r"<si>(.*?)</si>|<si\s*/>", xml, re.S)]
    return items if len(items) == xml.count("<si") else None


def _cell_styles(zin: zipfile.ZipFile) -> list[tuple]:
    """What each cell style (cellXfs index) means, as openpyxl reads it: number format,
    font, fill, border, alignment, protection (so "true" and "1", or a default written
    out or left out, compare equal)."""
    sheet = Stylesheet.from_tree(fromstring(zin.read("xl/styles.xml")))
    formats = list(sheet.number_formats)

    def item(items, at):
        return items[at] if at < len(items) else None

    return [
        (formats[s.numFmtId - 164] if s.numFmtId >= 164 else builtin_format_code(s.numFmtId), item(sheet.fonts, s.fontId),
         item(sheet.fills, s.fillId), item(sheet.borders, s.borderId), item(sheet.alignments, s.alignmentId),
         item(sheet.protections, s.protectionId))
        for s in sheet.cell_styles
    ]  # fmt: skip
