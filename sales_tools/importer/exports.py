"""Exports (CRM/ERP files): the column map, and the tables each sheet feeds."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from sales_tools.errors import SchemaError
from sales_tools.excel.reader import HEADER_SCAN_ROWS, normalize, read_tables
from sales_tools.importer.master import MASTER_DATA
from sales_tools.schema import TABLES


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
        raise SchemaError(f"the column map has no column {', '.join(sorted(missing))}")
    unknown = sorted(set(frame["table"]) - set(TABLES))
    if unknown:
        raise SchemaError(f"the column map names unknown tables: {', '.join(unknown)}")
    return frame[table.names].reset_index(drop=True)


def mapped_tables(rows: list[list], mapping: pd.DataFrame):
    """(table, raw frame with schema names, first data row) for each table `rows` feeds:
    the fact table with most mapped columns present, and the master data found."""
    candidates = []
    for (_system, table), group in mapping.groupby(["source_system", "table"], sort=False):
        wanted = {normalize(s) for s in group["source_column"]}
        for i, header in enumerate(rows[:HEADER_SCAN_ROWS]):
            names = {normalize(v): j for j, v in enumerate(header) if v not in ("", None)}
            if wanted <= set(names):
                body = [r + [None] * (len(header) - len(r)) for r in rows[i + 1 :]]
                cols = {
                    col: [r[names[normalize(src)]] for r in body]
                    for src, col in zip(group["source_column"], group["column"])
                }
                raw = pd.DataFrame(cols, dtype=object).replace("", None)
                candidates.append((table, raw, i + 2, len(wanted)))
                break
    facts = [c for c in candidates if c[0] not in MASTER_DATA]
    best = max(facts, key=lambda c: c[3], default=None)
    keep = [c for c in candidates if c[0] in MASTER_DATA] + ([best] if best else [])
    return [(t, raw, first) for t, raw, first, _ in keep]
