"""Rep templates: whose file and which period (the Instructions sheet), and its input sheets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import NamedTuple

import pandas as pd

from sales_tools.core.coerce import coerce_table
from sales_tools.errors import SchemaError
from sales_tools.excel.reader import HEADER_SCAN_ROWS, normalize, read_raw
from sales_tools.excel.templates import CUSTOMERS_SHEET, LISTS_SHEET
from sales_tools.importer.sources import Source
from sales_tools.schema import (
    TABLES,
    TEMPLATE_DISPLAY,
    TEMPLATE_FEEDS,
    TEMPLATE_FORMULAS,
    TEMPLATE_INFO_CELLS,
    TEMPLATE_INFO_SHEET,
    TEMPLATE_LATER_SHEETS,
    TEMPLATE_TABLES,
    Table,
)  # fmt: skip
from sales_tools.schema.language import every, tr

_INFO_TABLE = Table("info", TEMPLATE_INFO_SHEET, tuple(
    replace(TABLES["reps"].column("rep_id"), header=f"Rep ID ({TEMPLATE_INFO_CELLS['rep_id']})")
    if k == "rep_id" else replace(TABLES["reps"].column("start_date"), name=k, required=True,
                                  header=f"Period ({TEMPLATE_INFO_CELLS[k]})")
    for k in ("rep_id", "period_start", "period_end")
))  # fmt: skip
# Sheets of a template that are not imported, in every language: the rep's targets and the dropdown sources.
_READ_ONLY = {*TEMPLATE_TABLES["rep_targets"].every_sheet, *every(CUSTOMERS_SHEET), *every(LISTS_SHEET)}


def info_sheet(source: Source) -> str | None:
    """The title of a template's Instructions sheet, in either language (None: the file is not a template)."""
    return next((title for title in every(TEMPLATE_INFO_SHEET) if title in source.sheets), None)


class Info(NamedTuple):
    """What the Instructions sheet says: whose file, which period, and the ID it was issued with."""

    rep_id: str
    start: pd.Timestamp
    end: pd.Timestamp
    template_id: object  # as typed; None or "" on a blank template


def template_info(source: Source) -> Info:
    """Rep ID, period and template ID from the Instructions sheet."""
    rows = source.sheets[info_sheet(source)]
    raw = {key: _cell(rows, TEMPLATE_INFO_CELLS[key]) for key in (*_INFO_TABLE.names, "template_id")}
    if (
        isinstance(raw["rep_id"], str)
        and raw["rep_id"].strip()
        and all(isinstance(raw[k], dt.date) for k in ("period_start", "period_end"))
    ):  # the usual case, without the cost of a coercion
        info = {
            "rep_id": raw["rep_id"].strip(),
            **{k: pd.Timestamp(raw[k]).normalize() for k in ("period_start", "period_end")},
        }
    else:
        typed, problems = coerce_table(pd.DataFrame({k: [raw[k]] for k in _INFO_TABLE.names}), _INFO_TABLE)
        if len(problems) or typed.empty:
            reason = problems["reason"].iloc[0] if len(problems) else tr("the rep and period are missing")
            where = tr("{file}, sheet {sheet}: {problem}")
            raise SchemaError(where.format(file=source.name, sheet=tr(TEMPLATE_INFO_SHEET), problem=reason))
        info = typed.iloc[0]
    if info["period_end"] < info["period_start"]:
        raise SchemaError(tr("{file}: the period ends before it starts").format(file=source.name))
    return Info(str(info["rep_id"]), info["period_start"], info["period_end"], raw["template_id"])


def _cell(rows: list[list], cell: str):
    r, c = int(cell[1:]) - 1, ord(cell[0]) - ord("A")
    return rows[r][c] if r < len(rows) and c < len(rows[r]) else None


def template_sheets(source: Source) -> dict[str, tuple[str, pd.DataFrame, int]]:
    """Each input sheet of a template, found by title first, then by its headers; a sheet
    is never used twice.  A sheet that cannot be found rejects the whole file, but one of
    `TEMPLATE_LATER_SHEETS` missing altogether (a template issued before it): that file has none."""
    free = {k: v for k, v in source.sheets.items() if k != info_sheet(source)}
    found = {}
    names = sorted(TEMPLATE_FEEDS, key=lambda n: TEMPLATE_TABLES[n].sheet not in free)
    for name in names:
        table = TEMPLATE_TABLES[name]
        hit = read_raw(_SheetsAsBook(free), table)
        if hit is None and name in TEMPLATE_LATER_SHEETS and not _titled(free, table):
            continue
        if hit is None:
            raise SchemaError(tr("{file}: {problem}").format(file=source.name, problem=_not_found(free, table)))
        found[name] = hit
        free.pop(hit[0])
    return found


def _titled(sheets: Mapping[str, list[list]], table: Table) -> bool:
    return any(k.strip().lower() in {t.lower() for t in table.every_sheet} for k in sheets)


def _not_found(sheets: Mapping[str, list[list]], table: Table) -> str:
    """Why no sheet holds `table`: its required columns missing from the sheet of its title, or no such sheet."""
    rows = next((v for k, v in sheets.items() if _titled({k: v}, table)), None)
    headers = tr("(headers {headers})").format(headers=", ".join(table.headers))
    if rows is None:
        return tr("no sheet holds the {sheet} table {headers}").format(sheet=table.sheet, headers=headers)
    missing = min(
        ([c.header for c in table.columns if c.required and not _known(row, [c])] for row in rows[:HEADER_SCAN_ROWS]),
        key=len,
        default=[c.header for c in table.columns if c.required],
    )
    what = (
        tr("has no column {columns}").format(columns=", ".join(missing))
        if missing
        else tr("does not have the template's headers")
    )
    return tr("sheet {sheet} {what}: its headers were changed, so the file is not imported {headers}").format(
        sheet=table.sheet, what=what, headers=headers
    )


def _known(row: list, columns) -> bool:
    """True when `row` holds a header of one of `columns`."""
    names = {normalize(v) for v in row if v not in ("", None)}
    return any({normalize(h) for h in [c.name, *c.every_header]} & names for c in columns)


def ignored_columns(source: Source, sheet: str, first_row: int, table: Table) -> list[str]:
    """Header cells of a template sheet that are not columns of its table (not imported)."""
    header = source.sheets[sheet][first_row - 2]
    return [str(v) for v in header if v not in ("", None) and not _known([v], table.columns)]


def missing_columns(found: pd.DataFrame, table: Table) -> list[str]:
    """Headers of `table` a template sheet lacks (renamed or deleted optional columns), but the
    `TEMPLATE_DISPLAY` ones (a template issued before them has none; they are never imported)."""
    return [c.header for c in table.columns if c.name not in found.columns and c.name not in TEMPLATE_DISPLAY]


def unused_sheets(source: Source, found: Mapping[str, tuple]) -> list[str]:
    """Sheets of a template that hold data but are neither an input sheet nor one of its read-only sheets."""
    used = {info_sheet(source), *_READ_ONLY, *(hit[0] for hit in found.values())}
    return [title for title, rows in source.sheets.items() if title not in used and _holds_data(title, rows)]


def _holds_data(title: str, rows: list[list]) -> bool:
    """A copy of an input sheet holds data when it has rows; any other sheet when any cell is filled."""
    for name in TEMPLATE_FEEDS:
        hit = read_raw(_SheetsAsBook({title: rows}), TEMPLATE_TABLES[name])
        if hit is not None:
            raw = blank_formulas(hit[1], TEMPLATE_FORMULAS.get(name, ()), TEMPLATE_TABLES[name].names)
            return bool(raw.notna().any(axis=None))
    return any(v not in ("", None) for row in rows for v in row)


def blank_formulas(raw: pd.DataFrame, formulas: tuple[str, ...], columns: list[str]) -> pd.DataFrame:
    """A formula's blank result on a row otherwise blank in `columns` is not data: a legacy .xls
    stores the formula's "" as 0.  Any other value there was typed over the formula: it is kept."""
    formulas = [c for c in formulas if c in raw]
    if not formulas:
        return raw
    blank = raw[[c for c in columns if c in raw and c not in formulas]].isna().all(axis=1)
    return raw.assign(**{c: raw[c].where(~(blank & raw[c].map(_zero_or_blank))) for c in formulas})


def _zero_or_blank(value) -> bool:
    if isinstance(value, str):
        return value == ""
    return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0)


class _SheetsAsBook:
    """Raw sheets with the interface `excel.reader.read_raw` expects of a calamine book."""

    def __init__(self, sheets: Mapping[str, list[list]]):
        self.sheets, self.sheet_names = sheets, list(sheets)

    def get_sheet_by_name(self, name: str) -> _Rows:
        return _Rows(self.sheets[name])


@dataclass
class _Rows:
    rows: list[list]

    def to_python(self, **_) -> list[list]:
        return self.rows
