"""Rep submissions for the import tests: in-memory files shaped like rep templates and
exports (`Source`), real template files re-issued for any rep and period, and a
ChangeSet applied to in-memory master tables (what `save_changes` does to the file)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

from sales_tools.core.submissions import template_id
from sales_tools.importer import MASTER_COLUMNS, ChangeSet, Source
from sales_tools.schema import (
    TEMPLATE_DISPLAY,
    TEMPLATE_FEEDS,
    TEMPLATE_HEADER_ROW,
    TEMPLATE_INFO_CELLS,
    TEMPLATE_TABLES,
)

ISSUED = object()  # the template ID a template is issued with


def month(period: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    p = pd.Period(period, "M")
    return p.start_time.normalize(), p.end_time.normalize()


def template_source(name: str, sha: str, rep_id: str, period: str, orders: list[list], *, printed=ISSUED) -> Source:
    """A rep template as `read_source` reads it: Instructions for `rep_id` and `period` (a month),
    the input sheets (header in row TEMPLATE_HEADER_ROW), `orders` on the Orders sheet.
    `printed` is the Template ID cell: the issued ID by default, None on a blank template."""
    start, end = month(period)
    info = {
        "rep_id": rep_id, "rep_name": "", "period_start": start.date(), "period_end": end.date(),
        "template_id": template_id(rep_id, start, end) if printed is ISSUED else printed,
    }  # fmt: skip
    instructions = [["", ""] for _ in range(8)]
    for key, cell in TEMPLATE_INFO_CELLS.items():
        instructions[int(cell[1:]) - 1][ord(cell[0]) - ord("A")] = info[key]
    sheets = {"Instructions": instructions}
    for table in TEMPLATE_FEEDS:
        headers = TEMPLATE_TABLES[table].headers
        body = orders if table == "rep_orders" else []
        top = [[TEMPLATE_TABLES[table].sheet]] + [[] for _ in range(TEMPLATE_HEADER_ROW - 2)]
        sheets[TEMPLATE_TABLES[table].sheet] = [
            *top,
            headers,
            *(_typed(TEMPLATE_TABLES[table], r) + [""] for r in body),
        ]
    return Source(name, sha, sheets)


def _typed(table, values: list) -> list:
    """A row of `table`'s sheet holding `values`, in its columns but the `TEMPLATE_DISPLAY` ones (left blank)."""
    rest = iter(values)
    return [None if c.name in TEMPLATE_DISPLAY else next(rest, None) for c in table.columns] + list(rest)


def reissue(template: Path, out: Path, rep_id: str, period: str, rows: dict[str, list[list]] | None = None) -> Path:
    """A copy of a real rep template issued to `rep_id` for `period` (a month), rows typed in as `fill` does."""
    from import_helpers import fill

    start, end = month(period)
    wb = openpyxl.load_workbook(template)
    ws = wb["Instructions"]
    values = {
        "rep_id": rep_id,
        "period_start": start,
        "period_end": end,
        "template_id": template_id(rep_id, start, end),
    }
    for key, value in values.items():
        ws[TEMPLATE_INFO_CELLS[key]] = value
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return fill(out, out, rows or {})


def apply_changes(master: dict[str, pd.DataFrame], changes: ChangeSet) -> dict[str, pd.DataFrame]:
    """The master tables after `changes`, as `read_master` would read them from the saved file
    (row labels stay unique: appended rows are numbered after the last row)."""
    out = dict(master)
    for name, rows in changes.delete.items():
        out[name] = out[name].drop(index=list(rows))
    for name, rows in changes.append.items():
        if name not in out:
            continue
        table = out[name]
        new = rows.reindex(columns=MASTER_COLUMNS[name] or table.columns)
        start = table.index.max() + 1 if len(table) else 2
        new.index = pd.RangeIndex(start, start + len(new), name=table.index.name)
        out[name] = pd.concat([table, new]) if len(table) else new
    return out
