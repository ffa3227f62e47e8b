"""Rep templates: whose file and which period (the Instructions sheet), and its input sheets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace

import pandas as pd

from sales_tools.core.coerce import coerce_table
from sales_tools.errors import SchemaError
from sales_tools.excel.reader import read_raw
from sales_tools.importer.sources import Source
from sales_tools.schema import TABLES, TEMPLATE_FEEDS, TEMPLATE_INFO_CELLS, TEMPLATE_INFO_SHEET, TEMPLATE_TABLES, Table

_INFO_TABLE = Table("info", TEMPLATE_INFO_SHEET, tuple(
    replace(TABLES["reps"].column("rep_id"), header=f"Rep ID ({TEMPLATE_INFO_CELLS['rep_id']})")
    if k == "rep_id" else replace(TABLES["reps"].column("start_date"), name=k, required=True,
                                  header=f"Period ({TEMPLATE_INFO_CELLS[k]})")
    for k in ("rep_id", "period_start", "period_end")
))  # fmt: skip


def template_info(source: Source) -> tuple[str, pd.Timestamp, pd.Timestamp]:
    """Rep ID and period from the Instructions sheet."""
    rows = source.sheets[TEMPLATE_INFO_SHEET]
    raw = {}
    for key in _INFO_TABLE.names:
        cell = TEMPLATE_INFO_CELLS[key]
        r, c = int(cell[1:]) - 1, ord(cell[0]) - ord("A")
        raw[key] = rows[r][c] if r < len(rows) and c < len(rows[r]) else None
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
        typed, problems = coerce_table(pd.DataFrame({k: [v] for k, v in raw.items()}), _INFO_TABLE)
        if len(problems) or typed.empty:
            reason = problems["reason"].iloc[0] if len(problems) else "the rep and period are missing"
            raise SchemaError(f"{source.name}, sheet {TEMPLATE_INFO_SHEET}: {reason}")
        info = typed.iloc[0]
    if info["period_end"] < info["period_start"]:
        raise SchemaError(f"{source.name}: the period ends before it starts")
    return str(info["rep_id"]), info["period_start"], info["period_end"]


def template_sheets(source: Source) -> dict[str, tuple[str, pd.DataFrame, int]]:
    """Each input sheet of a template, found by title first, then by its headers; a sheet
    is never used twice.  A sheet that cannot be found rejects the whole file."""
    free = {k: v for k, v in source.sheets.items() if k != TEMPLATE_INFO_SHEET}
    found = {}
    names = sorted(TEMPLATE_FEEDS, key=lambda n: TEMPLATE_TABLES[n].sheet not in free)
    for name in names:
        table = TEMPLATE_TABLES[name]
        hit = read_raw(_SheetsAsBook(free), table)
        if hit is None:
            raise SchemaError(
                f"{source.name}: no sheet holds the {table.sheet} table (headers {', '.join(table.headers)})"
            )
        found[name] = hit
        free.pop(hit[0])
    return found


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
