"""Exports (CRM/ERP files): the column map, and the tables each sheet feeds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from sales_tools.errors import SchemaError
from sales_tools.excel.reader import HEADER_SCAN_ROWS, normalize, read_tables
from sales_tools.importer.master import MASTER_DATA
from sales_tools.schema import TABLES
from sales_tools.schema.language import tr
from sales_tools.tables import CLOSE_SHEETS


def load_mapping(mapping, master: Mapping[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """The column map as a ``column_map`` frame (see `import_files` for the accepted forms)."""
    table = TABLES["column_map"]
    if mapping is None:
        frame = master["column_map"] if master and "column_map" in master else pd.DataFrame(columns=table.names)
    elif isinstance(mapping, pd.DataFrame):
        frame = mapping
    elif isinstance(mapping, Mapping):
        frame = pd.DataFrame(
            [("mapping", t, src, col) for t, cols in mapping.items() for col, src in cols.items()], columns=table.names
        )
    else:
        path = Path(mapping)
        if path.suffix.lower() in (".csv", ".txt"):
            frame = pd.read_csv(path, dtype=str)
        else:
            frame = read_tables(path, ["column_map"])["column_map"]
    missing = set(table.names) - set(frame.columns)
    if missing:
        raise SchemaError(tr("the column map has no column {columns}").format(columns=", ".join(sorted(missing))))
    frame = _as_codes(frame)
    unknown = sorted(set(frame["table"]) - set(TABLES))
    if unknown:
        raise SchemaError(tr("the column map names unknown tables: {tables}").format(tables=", ".join(unknown)))
    closed = [TABLES[name].sheet for name in CLOSE_SHEETS if name in set(frame["table"])]
    if closed:
        only_close = tr("the column map names {sheets}: only sales-tools close writes them, never an import")
        raise SchemaError(only_close.format(sheets=", ".join(closed)))
    return frame[table.names].reset_index(drop=True)


def _as_codes(frame: pd.DataFrame) -> pd.DataFrame:
    """The column map with its tables and columns as codes: a sheet name or header in any language reads as its code."""
    sheets = {normalize(s): name for name, spec in TABLES.items() for s in (name, *spec.every_sheet)}
    tables = [sheets.get(normalize(t), t) if isinstance(t, str) else t for t in frame["table"]]

    def column(table: str, text):
        spec = TABLES.get(table)
        if spec is None or not isinstance(text, str):
            return text
        headers = {normalize(h): c.name for c in spec.columns for h in (c.name, *c.every_header)}
        return headers.get(normalize(text), text)

    return frame.assign(table=tables, column=[column(t, c) for t, c in zip(tables, frame["column"])])


@dataclass(frozen=True)
class _Match:
    """Where a table of the column map is on a sheet: its best header row, and how many of its columns are there."""

    table: str
    group: pd.DataFrame  # the column map's rows for the table
    row: int  # index of the header row
    present: int
    wanted: int

    @property
    def complete(self) -> bool:
        return self.present == self.wanted


def mapped_tables(rows: list[list], mapping: pd.DataFrame, where: str):
    """What a sheet of an export feeds: ``(tables, ignored)``.

    tables: (table, raw frame with schema names, first data row) for the fact table with
    most mapped columns present, and the master data found.  ignored: the header cells
    no table the sheet feeds maps (their columns are not imported).

    Raises:
        SchemaError: the sheet holds most, not all, columns of its fact table (one was renamed).
    """
    groups = mapping.groupby(["source_system", "table"], sort=False)
    matches = [m for m in (_match(rows, table, group) for (_, table), group in groups) if m.present]
    facts = [m for m in matches if m.table not in MASTER_DATA]
    top = max(facts, key=lambda m: (m.present, m.complete), default=None)
    if top is not None and not top.complete and top.present * 2 > top.wanted:
        header = {normalize(v) for v in rows[top.row] if v not in ("", None)}
        missing = [s for s in top.group["source_column"] if normalize(s) not in header]
        renamed = tr(
            "{where}: no column {columns} for the {sheet} table the column map describes (was it renamed?); "
            "nothing was imported from the file"
        )
        columns = ", ".join(map(repr, dict.fromkeys(missing)))
        raise SchemaError(renamed.format(where=where, columns=columns, sheet=TABLES[top.table].sheet))
    best = max((m for m in facts if m.complete), key=lambda m: m.present, default=None)
    keep = [m for m in matches if m.complete and m.table in MASTER_DATA] + ([best] if best else [])
    used = {normalize(s) for m in keep for s in m.group["source_column"]}
    ignored = [
        str(v)
        for i in dict.fromkeys(m.row for m in keep)
        for v in rows[i]
        if v not in ("", None) and normalize(v) not in used
    ]
    return [(m.table, _raw(rows, m), m.row + 2) for m in keep], list(dict.fromkeys(ignored))


def _match(rows: list[list], table: str, group: pd.DataFrame) -> _Match:
    """The first header row with most of the table's mapped columns."""
    wanted = {normalize(s) for s in group["source_column"]}
    best = _Match(table, group, 0, 0, len(wanted))
    for i, header in enumerate(rows[:HEADER_SCAN_ROWS]):
        present = len(wanted & {normalize(v) for v in header if v not in ("", None)})
        if present > best.present:
            best = replace(best, row=i, present=present)
            if best.complete:
                break
    return best


def _raw(rows: list[list], match: _Match) -> pd.DataFrame:
    """The rows below the header, one column per mapped column (schema names)."""
    header = rows[match.row]
    names = {normalize(v): j for j, v in enumerate(header) if v not in ("", None)}
    body = [r + [None] * (len(header) - len(r)) for r in rows[match.row + 1 :]]
    cols = {
        col: [r[names[normalize(src)]] for r in body]
        for src, col in zip(match.group["source_column"], match.group["column"])
    }
    return pd.DataFrame(cols, dtype=object).replace("", None)
