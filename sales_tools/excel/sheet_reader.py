"""Worksheet XML read with expat: where the rows are, and rows rewritten in place.

`Sheet` reads a worksheet part once and checks its layout: rows of cells in the main
namespace, whatever its prefix; rows and cells with or without their ``r`` numbers.
Anything else among the rows (an unknown element, rows out of order, a namespace
declared there), another encoding than UTF-8 or a DTD (rep files are untrusted) raises
`UnsupportedLayout` before anything is written.  Read again with a `Fix`, the rows it
names are rewritten as byte edits of their XML: renumbered, their formulas moved as
Excel moves references on deleting rows (`Shift`), shared strings made inline.  `header`
reads no further than row 1, for a sheet whose rows all go.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from xml.parsers import expat

from openpyxl.formula.tokenizer import Token, Tokenizer, TokenizerError
from openpyxl.formula.translate import Translator, TranslatorError
from openpyxl.utils import column_index_from_string, get_column_letter

from sales_tools.errors import WorkbookError
from sales_tools.schema.language import tr

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MAX_ROW = 1_048_576
NAME = re.compile(rb"<([^\s/>]+)")  # an element's name where its start tag begins
_ATTR = re.compile(rb"""\s*([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*')""")
_END = re.compile(r"(\$?)([A-Za-z]{1,3})?(\$?)([0-9]{1,7})")  # one end of an A1 reference
_ROW, _C, _F, _V, _IS, _EXT = (f"{MAIN} {n}" for n in ("row", "c", "f", "v", "is", "extLst"))
_OUTSIDE = {"f", "formula", "formula1", "formula2", "sqref"}  # formulas and ranges of formats and validations


class UnsupportedLayout(WorkbookError):
    """A part is laid out in a way this package does not edit; nothing was written."""


def expat_parser() -> expat.XMLParserType:
    """An expat parser naming elements "namespace local"; a DTD or another encoding than UTF-8 raises."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True

    def refuse(*_):
        raise UnsupportedLayout(tr("a workbook part holds a document type declaration (DTD)"))

    def utf8(_, encoding, __):
        if encoding and encoding.lower().replace("-", "") != "utf8":
            raise UnsupportedLayout(tr("a workbook part is encoded in {encoding}, not UTF-8").format(encoding=encoding))

    parser.StartDoctypeDeclHandler, parser.XmlDeclHandler = refuse, utf8
    return parser


def run_parser(parser: expat.XMLParserType, data: bytes, what: str) -> None:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise UnsupportedLayout(tr("{what} is not UTF-8").format(what=what))
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise UnsupportedLayout(tr("{what} is not well-formed XML: {problem}").format(what=what, problem=exc)) from exc


def tag_end(data: bytes, at: int) -> tuple[int, bool]:
    """Where the start tag at `at` ends, and whether it is the whole element (``/>``)."""
    pos = NAME.match(data, at).end()
    while attr := _ATTR.match(data, pos):
        pos = attr.end()
    close = data.index(b">", pos)
    return close + 1, data[pos:close].strip() == b"/"


def set_attr(data: bytes, at: int, name: str, value: str) -> tuple[int, int, bytes]:
    """The edit giving the start tag at `at` the attribute `name` = `value`."""
    pos = NAME.match(data, at).end()
    while attr := _ATTR.match(data, pos):
        if attr[1] == name.encode():
            return attr.start(2), attr.end(2), f'"{xml_attr(value)}"'.encode()
        pos = attr.end()
    return pos, pos, f' {name}="{xml_attr(value)}"'.encode()


def splice(data: bytes, edits: list[tuple[int, int, bytes]], start: int = 0, end: int | None = None) -> bytes:
    """data[start:end] with each (from, to, text) of `edits` replacing its span."""
    out, pos = [], start
    for first, last, text in sorted(edits, key=lambda e: e[:2]):
        out += [data[pos:first], text]
        pos = last
    return b"".join([*out, data[pos:end]])


def _text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def xml_attr(text: str) -> str:
    return _text(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def _attributes(attrs: dict[str, str]) -> str:
    if any(" " in name for name in attrs):
        namespaced = tr("a formula with namespaced attributes ({attributes}) is not handled")
        raise UnsupportedLayout(namespaced.format(attributes=", ".join(attrs)))
    return "".join(f' {name}="{xml_attr(value)}"' for name, value in attrs.items())


# ---------------------------------------------------------------- reading a sheet


@dataclass(slots=True)
class Row:
    number: int
    start: int  # where its <row> element starts in the part, and ends
    end: int = 0
    value: bool = False  # holds a value, an inline string or a formula
    formula: bool = False
    shared: bool = False  # holds a shared-string cell
    xml: bytes | None = None  # the row rewritten by a second reading


@dataclass
class Fix:
    """What a second reading rewrites: row numbers (old -> new; None: every row, same number),
    formulas moved (`shift`, with the first cells' shared formulas), shared strings made inline."""

    numbers: dict[int, int] | None
    shift: Shift | None = None
    masters: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    strings: tuple[str, list[str]] | None = None  # the main namespace's prefix, each string's XML


class Sheet:
    """A worksheet part read by expat: where its rows are, their numbers, what surrounds them."""

    def __init__(self, data: bytes, name: str, fix: Fix | None = None, header_only: bool = False):
        self.data, self.name, self.what, self.fix, self.header_only = (
            data,
            name,
            tr("the {sheet} sheet").format(sheet=name),
            fix,
            header_only,
        )
        self.cut: int | None = None  # with `header_only`: where the first data row starts (reading stops there)
        self.rows: list[Row] = []
        self.start = self.close = self.end = None  # sheetData: start, its end tag (None: <sheetData/>), end
        self.dimension: tuple[int, str] | None = None  # where the <dimension> tag starts, its range
        self.refs, self.formulas = [], []  # ranges and formulas outside the rows
        self.masters: dict[str, tuple[str, int, int]] = {}  # shared formula id -> text, row, column
        self.style_ids: set[str] = set()
        self.last_styles: dict[str, str] = {}  # column letter -> style of the last data row's cells
        self._stack, self._ns, self._base, self._fresh, self._capture, self._edits = [], {}, 0, False, None, None
        self._inline, self.scope = False, {}
        self._p = expat_parser()
        self._p.StartElementHandler, self._p.EndElementHandler = self._start, self._end
        self._p.CharacterDataHandler = self._chars
        self._p.StartNamespaceDeclHandler = self._declare
        self._p.EndNamespaceDeclHandler = lambda prefix: self._ns[prefix or ""].pop()
        try:
            run_parser(self._p, data, self.what)
        except _Stop:
            pass
        if self.start is None:
            raise UnsupportedLayout(tr("{what} has no cells").format(what=self.what))
        self.qname = NAME.match(data, self.start)[1].decode()
        self.prefix = self.qname.rpartition(":")[0] + ":" if ":" in self.qname else ""

    def _unknown(self, name: str) -> UnsupportedLayout:
        uri, _, local = name.rpartition(" ")
        among = tr("{what}: <{element}> ({uri}) among the rows is not handled")
        return UnsupportedLayout(among.format(what=self.what, element=local, uri=uri))

    def _start(self, name: str, attrs: dict) -> None:
        self._fresh = True
        self._stack.append(name)
        level = len(self._stack) - self._base if self._base else 0
        if level == 2 and name == _C:
            self._cell(attrs)
        elif level == 3 and self._stack[-2] == _C:
            self._in_cell(name, attrs)
        elif level == 1:
            self._row(name, attrs)
        elif (level == 2 and name != _EXT) or (level > 3 and self._stack[self._base + 2] in (_F, _V)):
            raise self._unknown(name)
        elif not level:
            self._outside(name, attrs)

    def _row(self, name: str, attrs: dict) -> None:
        if name != _ROW:
            raise self._unknown(name)
        previous = self.rows[-1].number if self.rows else 0
        number = previous + 1 if "r" not in attrs else int(attrs["r"]) if attrs["r"].isdigit() else -1
        if not previous < number <= MAX_ROW:
            after = tr("{what}: row {row} comes after row {previous}")
            raise UnsupportedLayout(after.format(what=self.what, row=attrs["r"], previous=previous))
        if self.header_only and number > 1:
            self.cut = self._p.CurrentByteIndex
            raise _Stop
        row = Row(number, self._p.CurrentByteIndex)
        self.rows.append(row)
        self._digits, self._col, self._styles, self._edits = str(number), 0, {}, None
        if "s" in attrs:
            self.style_ids.add(attrs["s"])
        if self.fix and (self.fix.numbers is None or number in self.fix.numbers):  # this row is rewritten
            self._new, self._edits = number if self.fix.numbers is None else self.fix.numbers[number], []
            if self._new != number:
                self._edits.append(set_attr(self.data, row.start, "r", str(self._new)))

    def _cell(self, attrs: dict) -> None:
        ref = attrs.get("r")
        letter = get_column_letter(self._col + 1) if ref is None else ref.rstrip("0123456789")
        if ref is not None and (ref[len(letter) :] != self._digits or not (letter.isupper() and len(letter) <= 3)):
            not_in_row = tr("{what}: cell {cell} is not a cell of row {row}")
            raise UnsupportedLayout(not_in_row.format(what=self.what, cell=ref, row=self._digits))
        self._col = column_index_from_string(letter)
        if "s" in attrs:
            self._styles[letter] = attrs["s"]
            self.style_ids.add(attrs["s"])
        self.rows[-1].shared |= attrs.get("t") == "s"
        self._inline = self._edits is not None and self.fix.strings is not None and attrs.get("t") == "s"
        if self._edits is not None and ref is not None and self._new != self.rows[-1].number:
            self._edits.append(set_attr(self.data, self._p.CurrentByteIndex, "r", f"{letter}{self._new}"))
        if self._inline:
            self._edits.append(set_attr(self.data, self._p.CurrentByteIndex, "t", "inlineStr"))

    def _in_cell(self, name: str, attrs: dict) -> None:
        if name == _F:
            self.rows[-1].formula = self.rows[-1].value = True
            if self._edits is not None and self.fix.shift:
                self._capture = "formula", self._p.CurrentByteIndex, attrs
            elif attrs.get("t") == "shared" and "ref" in attrs:
                self._capture = "master", self._p.CurrentByteIndex, attrs
        elif name == _V and self._inline:
            self._capture = "string", self._p.CurrentByteIndex, attrs
        elif name not in (_V, _IS, _EXT):
            raise self._unknown(name)
        self._text = []

    def _outside(self, name: str, attrs: dict) -> None:
        depth, local = len(self._stack), name.rpartition(" ")[2]
        if depth == 1 and name != f"{MAIN} worksheet":
            not_sheet = tr("{what} is not a worksheet: <{element}> ({uri})")
            raise UnsupportedLayout(not_sheet.format(what=self.what, element=local, uri=name.partition(" ")[0]))
        if depth == 2 and name == f"{MAIN} sheetData":
            self.start, self._base = self._p.CurrentByteIndex, 2
            self.scope = {prefix: uris[-1] for prefix, uris in self._ns.items() if uris}  # declared namespaces
        elif depth == 2 and name == f"{MAIN} dimension":
            self.dimension = self._p.CurrentByteIndex, attrs.get("ref", "")
        elif depth > 1 and self._stack[1] != f"{MAIN} sheetViews":  # a selection may be anywhere
            self.refs += [attrs[k] for k in ("ref", "sqref") if k in attrs]
            if local in _OUTSIDE:
                self._capture, self._text = ("outside", 0, attrs), []

    def _chars(self, text: str) -> None:
        self._fresh = False
        if self._capture is not None:
            self._text.append(text)

    def _end(self, name: str) -> None:
        at, fresh = self._p.CurrentByteIndex, self._fresh
        level = len(self._stack) - self._base if self._base else 0
        self._stack.pop()
        self._fresh = False
        if level == 3:
            self.rows[-1].value |= not fresh and name in (_V, _IS)
            if self._capture is not None:
                self._captured(self._after(at, fresh))
        elif level == 1:
            row = self.rows[-1]
            row.end = self._after(at, fresh)
            if self._edits:
                row.xml = splice(self.data, self._edits, row.start, row.end)
            if row.number > 1:
                self.last_styles = self._styles
        elif level == 0 and self._base:
            self.close, self.end, self._base = None if fresh else at, self._after(at, fresh), 0
        elif self._capture is not None:
            (self.refs if name.endswith(" sqref") else self.formulas).append("".join(self._text))
            self._capture = None

    def _captured(self, end: int) -> None:
        """A shared formula's first cell noted; a formula moved, or a shared string made inline."""
        (kind, start, attrs), text, row = self._capture, "".join(self._text), self.rows[-1]
        self._capture = None
        if kind == "master":
            self.masters[attrs.get("si")] = text, row.number, self._col
            return
        qname = NAME.match(self.data, start)[1].decode()
        if kind == "string":
            prefix, items = self.fix.strings
            if not text.isdigit() or int(text) >= len(items) or qname != prefix + "v":
                shared = tr("{what}: shared string {text!r} (row {row}) cannot be made inline")
                raise UnsupportedLayout(shared.format(what=self.what, text=text, row=row.number))
            element = f"<{prefix}is>{items[int(text)]}</{prefix}is>"
        else:
            attrs, text = _cell_formula(self.fix, attrs, text, (row.number, self._col))
            element = f"<{qname}{_attributes(attrs)}>{_text(text)}</{qname}>"
        self._edits.append((start, end, element.encode()))

    def _after(self, at: int, fresh: bool) -> int:
        """The end of the element whose end event is at `at` (an empty element's ends at `at`)."""
        return at if fresh and self.data[at - 2 : at] == b"/>" else self.data.index(b">", at) + 1

    def _declare(self, prefix: str | None, uri: str) -> None:
        if self._base:
            raise UnsupportedLayout(
                tr("{what}: a namespace declared among the rows is not handled").format(what=self.what)
            )
        self._ns.setdefault(prefix or "", []).append(uri)


class _Stop(Exception):
    """Reading a sheet's header is done."""


def header(data: bytes, name: str) -> Sheet:
    """The sheet without its data rows (row 1 and what surrounds the rows, read; the rows after it are
    not).  Its end tag is where the rows end only when no comment, CDATA or instruction follows."""
    first = Sheet(data, name, header_only=True)
    if first.cut is None:
        return first
    close = data.rfind(f"</{first.qname}>".encode())
    tail = data[close:]
    unsure = any(mark in tail for mark in (b"<!", b"]]>", b"-->", b"<?", b"?>"))  # the tag might be text there
    if close < first.cut or data.count(b"sheetData") != 2 or unsure:
        return Sheet(data, name)  # read it all
    return Sheet(data[: first.cut] + tail, name)


# ---------------------------------------------------------------- references when rows go


class Shift:
    """Where rows land once `removed` go, and A1 references to `sheet` moved with them as Excel moves
    them on deleting rows: a reference to a `deleted` row becomes #REF!; one to a removed blank
    row (such as an empty table's placeholder) stays where it was."""

    def __init__(self, removed: set[int], deleted: set[int], sheet: str):
        self.removed, self.order, self.deleted, self.sheet = removed, sorted(removed), sorted(deleted), sheet.casefold()

    def row(self, number: int) -> int:
        return number if number == MAX_ROW else number - bisect_left(self.order, number)

    def span(self, low: int, high: int) -> tuple[int, int] | None:
        """Rows low..high once the removed ones are gone; None when only removed ones, some deleted, were there."""
        first, last = low, high
        while first <= last and first in self.removed:
            first += 1
        while last >= first and last in self.removed:
            last -= 1
        if first <= last:
            return self.row(first), self.row(last)
        at = bisect_left(self.deleted, low)
        return None if at < len(self.deleted) and self.deleted[at] <= high else (self.row(low), self.row(low))

    def formula(self, text: str, qualified: bool = False) -> str:
        """`text` with its references to the sheet moved (only those naming it, if `qualified`)."""
        try:
            tokens = Tokenizer("=" + text)
        except TokenizerError as exc:
            raise UnsupportedLayout(
                tr("the formula {text!r} cannot be read: {problem}").format(text=text, problem=exc)
            ) from exc
        ranges = [t for t in tokens.items if t.type == Token.OPERAND and t.subtype == Token.RANGE]
        moved = [self.ref(t.value, qualified) for t in ranges]
        if moved == [t.value for t in ranges]:
            return text
        for token, value in zip(ranges, moved):
            token.value = value
        return tokens.render()[1:]

    def ref(self, value: str, qualified: bool = False) -> str:
        """One reference (``A1``, ``$A$2:B9``, ``'My sheet'!3:4``...) moved if it points at the sheet."""
        prefix, bang, address = value.rpartition("!")
        sheet = prefix[1:-1].replace("''", "'") if prefix.startswith("'") else prefix
        other = prefix and ":" not in sheet and sheet.casefold() != self.sheet
        if "[" in sheet or (qualified and not prefix) or other:
            return value  # another workbook or sheet, or (`qualified`) a part's own sheet
        if ":" in sheet:
            raise UnsupportedLayout(tr("the 3-D reference {reference} is not handled").format(reference=value))
        ends = [_END.fullmatch(end) for end in address.split(":")]
        if not all(ends) or len(ends) > 2 or len({bool(m[2]) for m in ends}) > 1 or not (ends[0][2] or len(ends) == 2):
            return value  # a name, a table's column, whole columns
        if any((m[2] and column_index_from_string(m[2].upper()) > 16_384) or int(m[4]) > MAX_ROW for m in ends):
            return value  # a name that looks like a cell off the sheet
        rows = [int(m[4]) for m in ends]
        if rows != sorted(rows):
            raise UnsupportedLayout(tr("the reference {reference} runs backwards").format(reference=value))
        span = self.span(rows[0], rows[-1])
        if span is None:
            return f"{prefix}{bang}#REF!"
        return prefix + bang + ":".join(f"{m[1]}{m[2] or ''}{m[3]}{row}" for m, row in zip(ends, span))


def _cell_formula(fix: Fix, attrs: dict, text: str, cell: tuple[int, int]) -> tuple[dict, str]:
    """A moved cell's formula and its attributes: a shared formula written out whole, references moved."""
    kind, ref = attrs.get("t"), attrs.get("ref", "")
    if kind == "shared" and "ref" not in attrs:
        if attrs.get("si") not in fix.masters:
            raise UnsupportedLayout(tr("a shared formula ({index}) has no first cell").format(index=attrs.get("si")))
        master, row, col = fix.masters[attrs["si"]]
        try:
            here = f"{get_column_letter(cell[1])}{cell[0]}"
            text = Translator("=" + master, f"{get_column_letter(col)}{row}").translate_formula(here)[1:]
        except TranslatorError as exc:
            uncopied = tr("the shared formula {formula!r} cannot be copied: {problem}")
            raise UnsupportedLayout(uncopied.format(formula=master, problem=exc)) from exc
    if kind == "shared":
        attrs = {k: v for k, v in attrs.items() if k not in ("t", "ref", "si")}
    elif kind == "array" and ":" not in ref:
        attrs = {**attrs, "ref": fix.shift.ref(ref)}
    elif kind not in (None, "normal"):
        moving = tr("a {kind} formula ({reference}) among rows that move is not handled")
        raise UnsupportedLayout(moving.format(kind=kind, reference=ref))
    return attrs, fix.shift.formula(text)
