"""Change the rows of a few worksheets inside an .xlsx package; every other part is copied as it is.

`patch_tables` rewrites the sheets of the tables that change: rows deleted by a
re-submission go, the others keep their XML (renumbered, references to the sheet in their
formulas shifted as Excel shifts them on deleting rows), and new rows are appended with
the styles of the last row's cells, text as inline strings (never formulas).  The Excel
table grows with them.  `restore_rows` puts sheets' rows back after openpyxl rewrote a
workbook without them.  Each sheet holds one table from A1, its header in row 1.

Sheets are read with expat (`sheet_reader`).  What is not handled (an element among the
rows, rows out of order, another encoding, ranges elsewhere that would move) raises
`UnsupportedLayout` before anything is written: the caller takes the openpyxl path or
reports it.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring
from openpyxl.styles.numbers import builtin_format_code
from openpyxl.styles.stylesheet import Stylesheet
from openpyxl.utils import get_column_letter
from openpyxl.xml.functions import fromstring

from sales_tools.errors import WorkbookError
from sales_tools.excel.sheet_reader import (
    MAIN,
    NAME,
    Fix,
    Row,
    Sheet,
    Shift,
    UnsupportedLayout,
    expat_parser,
    header,
    run_parser,
    set_attr,
    splice,
    tag_end,
    xml_attr,
)
from sales_tools.safe_text import clean_text
from sales_tools.schema import Table
from sales_tools.schema.language import labelled, tr

__all__ = ["TableChange", "UnsupportedLayout", "patch_tables", "restore_rows", "sheet_names"]
_NS = {"m": MAIN, "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}  # fmt: skip
_SAFE_RELS = ("/table", "/printerSettings", "/hyperlink")  # what else a sheet whose rows move may have
EXCEL_EPOCH = pd.Timestamp("1899-12-30")


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
        UnsupportedLayout: a changed sheet is laid out in a way this module does not edit.
        WorkbookError: a changed table's sheet is not in the workbook.
    """
    with zipfile.ZipFile(source) as zin:
        parts, new = _sheet_parts(zin), {}
        for change in changes.values():
            if change.table.sheet not in parts:
                raise WorkbookError(tr("the master workbook has no {sheet} sheet").format(sheet=change.table.sheet))
            part = parts[change.table.sheet]
            new[part], last = _patch_sheet(zin, part, change)
            if table := _table_part(zin, part):
                new[table] = _set_table_ref(zin.read(table), f"A1:{get_column_letter(len(change.table.columns))}{last}")
        _write_zip(zin, target, new)


def sheet_names(path: str | Path) -> list[str]:
    """The titles of the workbook's sheets."""
    with zipfile.ZipFile(path) as zin:
        return list(_sheet_parts(zin))


# ---------------------------------------------------------------- the package


def _xml(zin: zipfile.ZipFile, part: str):
    try:
        return safe_fromstring(zin.read(part))
    except DefusedXmlException as exc:
        raise WorkbookError(
            tr("{part} holds a forbidden XML construct: {problem}").format(part=part, problem=exc)
        ) from exc


def _book(zin: zipfile.ZipFile) -> str:
    return _related(zin, "", "/officeDocument") or "xl/workbook.xml"


def _sheet_parts(zin: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title -> its part name, e.g. "Orders" -> "xl/worksheets/sheet9.xml"."""
    rels, rid = _relationships(zin, _book(zin)), f"{{{_NS['r']}}}id"
    sheets = _xml(zin, _book(zin)).iterfind("m:sheets/m:sheet", _NS)
    return {s.get("name"): rels[s.get(rid)][1] for s in sheets if s.get(rid) in rels}


def _relationships(zin: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target part name) of `part` ("" for the package's own)."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    if rels not in zin.namelist():
        return {}
    found = ((r.get("Id"), r.get("Type"), r.get("Target")) for r in _xml(zin, rels).iterfind("rel:Relationship", _NS))
    return {i: (t, p[1:] if p[:1] == "/" else posixpath.normpath(posixpath.join(folder, p))) for i, t, p in found}


def _related(zin: zipfile.ZipFile, part: str, kind: str) -> str | None:
    """The part the first relationship of `part` whose type ends with `kind` points to."""
    return next((target for rtype, target in _relationships(zin, part).values() if rtype.endswith(kind)), None)


def _table_part(zin: zipfile.ZipFile, sheet_part: str) -> str | None:
    tables = [t for rtype, t in _relationships(zin, sheet_part).values() if rtype.endswith("/table")]
    if len(tables) > 1:
        raise UnsupportedLayout(
            tr("{part} holds {count} Excel tables, not one").format(part=sheet_part, count=len(tables))
        )
    return tables[0] if tables else None


def _write_zip(zin: zipfile.ZipFile, target: str | Path, parts: dict[str, bytes]) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zout:
        for info in zin.infolist():
            data = parts[info.filename] if info.filename in parts else zin.read(info)
            zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)


# ---------------------------------------------------------------- tables patched


def _patch_sheet(zin: zipfile.ZipFile, part: str, change: TableChange) -> tuple[bytes, int]:
    """The sheet's new XML and its last row number."""
    table = change.table
    sheet = header(zin.read(part), table.sheet) if change.clear else Sheet(zin.read(part), table.sheet)
    last = sheet.rows[-1] if sheet.rows else None
    if not change.delete and not change.clear and last and last.number > 1 and last.value:  # append after the last row
        new = _rows_xml(table, change.append, last.number + 1, sheet.last_styles, sheet.prefix)
        end = last.number + len(new)
        edits = [(sheet.close, sheet.close, "".join(new).encode()), *_dimension(sheet, table, end)]
        return splice(sheet.data, edits), end
    kept = [] if change.clear else [r for r in sheet.rows if r.number > 1 and r.number not in change.delete and r.value]
    rows = [r for r in sheet.rows if r.number == 1] + kept
    if last and not change.clear and len(kept) < last.number - 1:  # rows go: the others move up, formulas with them
        rows = _moved(zin, part, sheet, rows, change.delete)
    new = _rows_xml(table, change.append, 2 + len(kept), sheet.last_styles, sheet.prefix)
    if not kept and not new:  # an Excel table needs one (blank) data row
        new = _rows_xml(table, pd.DataFrame([{}], columns=table.names), 2, sheet.last_styles, sheet.prefix)
    head, closed = tag_end(sheet.data, sheet.start)
    start = sheet.data[sheet.start : head - 2].rstrip() + b">" if closed else sheet.data[sheet.start : head]
    body = [start, *(r.xml or sheet.data[r.start : r.end] for r in rows), "".join(new).encode()]
    body.append(f"</{sheet.qname}>".encode())
    end = 1 + len(kept) + len(new)
    return splice(sheet.data, [(sheet.start, sheet.end, b"".join(body)), *_dimension(sheet, table, end)]), end


def _moved(zin: zipfile.ZipFile, part: str, sheet: Sheet, rows: list[Row], delete: set[int]) -> list[Row]:
    """`rows` (the header and the rows kept) read again: numbered from 2 on, formulas moved with them."""
    removed = set(range(2, sheet.rows[-1].number + 1)).difference(r.number for r in rows)
    shift = Shift(removed, {r.number for r in sheet.rows if r.number in delete and r.value}, sheet.name)
    _check_moves(zin, part, sheet, shift)
    numbers = {r.number: shift.row(r.number) for r in rows if r.formula or shift.row(r.number) != r.number}
    again, wanted = Sheet(sheet.data, sheet.name, Fix(numbers, shift, sheet.masters)), {r.number for r in rows}
    return [r for r in again.rows if r.number in wanted]


def _check_moves(zin: zipfile.ZipFile, part: str, sheet: Sheet, shift: Shift) -> None:
    """Raise UnsupportedLayout when anything but the rows refers to rows that move."""
    book = _book(zin)
    names = [n.text or "" for n in _xml(zin, book).iterfind("m:definedNames/m:definedName", _NS)]
    found = [r for r in sheet.refs if " ".join(map(shift.ref, r.split())) != r]
    found += [f for f in sheet.formulas if shift.formula(f) != f] + [f for f in names if shift.formula(f, True) != f]
    found += [t for rtype, t in _relationships(zin, part).values() if not rtype.endswith(_SAFE_RELS)]
    for other in (p for p in zin.namelist() if p not in (part, book) and p.endswith(".xml")):
        if _mentions(zin.read(other), shift.sheet):
            found += [other for f in _formulas(zin.read(other), shift.sheet) if shift.formula(f, True) != f][:1]
    if found:
        numbered = tr(
            "cannot delete rows of {what}: {parts} refer(s) to its rows by number; "
            "refer to whole columns or to the table's columns instead, or delete the rows in Excel"
        )
        raise UnsupportedLayout(numbered.format(what=sheet.what, parts=", ".join(found[:3])))


def _mentions(data: bytes, sheet: str) -> bool:
    """Whether a part may refer to `sheet` (casefolded): its name before a "!", or as a pivot table's source."""
    if not re.fullmatch(r"[\w .-]+", sheet, re.ASCII):
        return True  # a name that XML may escape
    name, data = sheet.encode(), data.lower()
    return any(needle in data for needle in (name + b"!", name + b"'!", name + b"&apos;!", b'"' + name + b'"'))


def _formulas(data: bytes, sheet: str) -> list[str]:
    """The formulas of a part (cells, charts, formats), and its pivot tables' sources on `sheet` as references."""
    parser, found, text = expat_parser(), [], []

    def start(name: str, attrs: dict) -> None:
        text.clear()
        if name.endswith(" worksheetSource") and attrs.get("sheet", "").casefold() == sheet and "ref" in attrs:
            found.append("'" + attrs["sheet"].replace("'", "''") + "'!" + attrs["ref"])

    def end(name: str) -> None:
        if name.rpartition(" ")[2] in ("f", "formula", "formula1", "formula2"):
            found.append("".join(text))

    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text.append
    run_parser(parser, data, tr("a workbook part"))
    return found


def _dimension(sheet: Sheet, table: Table, last: int) -> list[tuple[int, int, bytes]]:
    ref = f"A1:{get_column_letter(len(table.columns))}{last}"
    return [set_attr(sheet.data, sheet.dimension[0], "ref", ref)] if sheet.dimension else []


def _table_refs(data: bytes) -> list[tuple[int, str]]:
    """Where a table part's <table> tag and its <autoFilter> start, and their ranges."""
    parser, found, stack = expat_parser(), [], []

    def start(name: str, attrs: dict) -> None:
        stack.append(name)
        if len(stack) == 1 and (name != f"{MAIN} table" or "ref" not in attrs):
            raise UnsupportedLayout(tr("a table part holds <{element}>, not a table with a range").format(element=name))
        if len(stack) == 1 or (len(stack) == 2 and name == f"{MAIN} autoFilter"):
            found.append((parser.CurrentByteIndex, attrs.get("ref", "")))

    parser.StartElementHandler, parser.EndElementHandler = start, lambda _: stack.pop()
    run_parser(parser, data, tr("a table part"))
    return found


def _set_table_ref(data: bytes, ref: str) -> bytes:
    """The table part with its range, and its filter's, set to `ref`."""
    return splice(data, [set_attr(data, at, "ref", ref) for at, _ in _table_refs(data)])


# ---------------------------------------------------------------- new rows as XML


def _rows_xml(table: Table, df: pd.DataFrame | None, first: int, styles: dict[str, str], prefix: str) -> list[str]:
    """One `<row>` element per row of `df` (plain Python over lists: the fastest here)."""
    if df is None or df.empty:
        return []
    df, numbers, columns = labelled(df.reindex(columns=table.names), table.columns), range(first, first + len(df)), []
    for j, name in enumerate(table.names, start=1):
        letter = get_column_letter(j)
        style = f' s="{styles[letter]}"' if letter in styles else ""
        bodies = _bodies(df[name], prefix)
        columns.append([f'<{prefix}c r="{letter}{r}"{style}{body}' for r, body in zip(numbers, bodies)])
    return [f'<{prefix}row r="{r}">{"".join(cells)}</{prefix}row>' for r, *cells in zip(numbers, *columns)]


def _bodies(values: pd.Series, p: str) -> list[str]:
    """The rest of each `<c>` element of a column (`p`: the namespace prefix); blanks keep only the style."""
    blank = values.isna().to_numpy()
    if pd.api.types.is_bool_dtype(values):
        out = [f' t="b"><{p}v>{int(v is True)}</{p}v></{p}c>' for v in values.fillna(False).tolist()]
    elif pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
        if pd.api.types.is_datetime64_any_dtype(values):
            values = (values - EXCEL_EPOCH) / pd.Timedelta(days=1)
        numbers = values.astype("float64").to_numpy()
        blank = blank | ~np.isfinite(numbers)
        out = [f"><{p}v>{int(v) if v.is_integer() and abs(v) < 1e15 else v!r}</{p}v></{p}c>" for v in numbers.tolist()]
    else:
        text = f' t="inlineStr"><{p}is><{p}t xml:space="preserve">'
        out = [f"{text}{_escape(str(v))}</{p}t></{p}is></{p}c>" for v in values.tolist()]
    return ["/>" if b else o for o, b in zip(out, blank.tolist())]


def _escape(text: str) -> str:
    """XML-escape text; characters a workbook cannot hold become U+FFFD, as in every text cell
    the package writes (`safe_text.clean_text`)."""
    text = clean_text(text)
    if "_x" in text:
        text = re.sub(r"_(x[0-9A-Fa-f]{4}_)", r"_x005F_\1", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------- rows put back


def restore_rows(original: str | Path, rewritten: str | Path, target: str | Path, sheets: list[str]) -> bool:
    """Write `rewritten` to `target` with the rows of `sheets` as they are in `original`.

    For a refresh: openpyxl rewrote the workbook with those sheets emptied (much
    faster), and here they get their cells back untouched (values, formulas, styles,
    row heights), with shared strings written inline.  Returns False, writing nothing,
    when a cell style those rows use does not mean the same in both files or a part
    is laid out in a way this module does not handle; the caller then takes the slow way.
    """
    with zipfile.ZipFile(original) as old, zipfile.ZipFile(rewritten) as new:
        try:
            old_parts, new_parts, parts = _sheet_parts(old), _sheet_parts(new), {}
            styles, strings = (_cell_styles(old), _cell_styles(new)), _shared_strings(old)
            for name in sheets:
                parts.update(_restored(name, (old, old_parts[name]), (new, new_parts[name]), styles, strings))
        except UnsupportedLayout:
            return False
        _write_zip(new, target, parts)
    return True


def _restored(name: str, old: tuple, new: tuple, styles: tuple[list, list], strings: tuple) -> dict[str, bytes]:
    """The parts of the new workbook (`new`: zip, sheet part) that get sheet `name`'s rows from `old`."""
    source = Sheet(old[0].read(old[1]), name, Fix(None, strings=strings))
    into = Sheet(new[0].read(new[1]), name)
    if any(int(i) >= min(map(len, styles)) or styles[0][int(i)] != styles[1][int(i)] for i in source.style_ids):
        raise UnsupportedLayout(tr("the cell styles of {what} changed").format(what=source.what))
    declare = "".join(f' xmlns{":" + p if p else ""}="{xml_attr(uri)}"' for p, uri in source.scope.items())
    rows = [f"<{source.qname}{declare}>".encode(), *(r.xml or source.data[r.start : r.end] for r in source.rows)]
    edits = [(into.start, into.end, b"".join([*rows, f"</{source.qname}>".encode()]))]
    if source.dimension and into.dimension:
        edits.append(set_attr(into.data, into.dimension[0], "ref", source.dimension[1]))
    parts = {new[1]: splice(into.data, edits)}
    old_table, new_table = _table_part(*old), _table_part(*new)
    if old_table and new_table:
        parts[new_table] = _set_table_ref(new[0].read(new_table), _table_refs(old[0].read(old_table))[0][1])
    return parts


def _shared_strings(zin: zipfile.ZipFile) -> tuple[str, list[str]]:
    """The prefix of the shared strings' elements, and each string's XML (an inline string's content)."""
    part = _related(zin, _book(zin), "/sharedStrings")
    data = zin.read(part) if part else f"<sst xmlns='{MAIN}'/>".encode()
    parser, items, starts, root = expat_parser(), [], [], []

    def start(name: str, _) -> None:
        starts.append(parser.CurrentByteIndex)
        root.extend([] if root else [NAME.match(data, starts[-1])[1].decode().rpartition(":")[0]])
        if not name.startswith(MAIN + " ") or NAME.match(data, starts[-1])[1].decode().rpartition(":")[0] != root[0]:
            raise UnsupportedLayout(
                tr("the shared strings hold <{element}> with another prefix: not handled").format(element=name)
            )

    def end(name: str) -> None:
        begin = starts.pop()
        if len(starts) == 1 and name == f"{MAIN} si":
            head, closed = tag_end(data, begin)
            items.append("" if closed else data[head : parser.CurrentByteIndex].decode())

    parser.StartElementHandler, parser.EndElementHandler = start, end
    run_parser(parser, data, tr("the shared strings"))
    return (root[0] + ":" if root[0] else ""), items


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
