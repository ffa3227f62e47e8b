"""The master's tables as an import sees them (only the columns it looks at), and the
master data (reps, customers, categories) an import adds."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from sales_tools.core.coerce import coerce_table
from sales_tools.core.dedupe import name_key
from sales_tools.core.validate import exceptions_from
from sales_tools.errors import WorkbookError
from sales_tools.excel.reader import open_workbook, read_raw
from sales_tools.importer.report import no_exceptions
from sales_tools.schema import TABLES, Table
from sales_tools.schema.language import tr

MASTER_DATA = ("reps", "customers", "categories")  # added when new, never duplicated

# The master columns an import looks at (keys, customer names, who and where rows came
# from and when, order lines for order-level returns); None means every column.
MASTER_COLUMNS: dict[str, list[str] | None] = {
    "reps": ["rep_id"],
    "customers": ["customer_id", "name"],
    "categories": ["category"],
    "orders": ["order_id", "line", "order_date", "rep_id", "amount", "source"],
    "returns": ["order_id", "line", "return_date"],
    "payments": ["payment_id", "payment_date", "rep_id", "source"],
    "visit_plans": None,  # all: a re-submitted unchanged row keeps its sign-off (`importer.plan`)
    "activities": None,
    "attendance": ["work_date", "rep_id", "source"],
    "market_reports": ["report_date", "rep_id", "area", "competitor", "move", "source"],
    "complaints": ["complaint_id", "complaint_date", "rep_id", "source"],
    "column_map": None,
    "import_log": None,
    "customer_merges": ["customer_id", "duplicate_id"],
    "exceptions": ["file", "rep_id", "template_id"],
}


def read_master(path: Path) -> dict[str, pd.DataFrame]:
    """The master columns the import needs (`MASTER_COLUMNS`), indexed by Excel row number.

    Rows with a bad cell in those columns are left out: the import never touches them.

    Raises:
        WorkbookError: a sheet or a column of these tables is missing (the import writes whole rows).
    """
    book = open_workbook(path)
    out = {}
    for name, columns in MASTER_COLUMNS.items():
        table = TABLES[name]
        found = read_raw(book, table)
        if found is None:
            raise WorkbookError(
                tr("{file} has no {sheet} sheet: is it a master workbook?").format(file=path.name, sheet=table.sheet)
            )
        _, raw, first_row = found
        missing = [c.header for c in table.columns if c.name not in raw.columns]
        if missing:
            old = tr(
                "{file}: the {sheet} sheet has no column {columns}; the import writes whole rows, so it needs this "
                "version's columns ({headers})"
            )
            raise WorkbookError(
                old.format(
                    file=path.name, sheet=table.sheet, columns=", ".join(missing), headers=", ".join(table.headers)
                )
            )
        out[name], _ = coerce_table(raw, subset_table(table, columns or table.names), first_row=first_row)
    return out


def subset_table(table: Table, names) -> Table:
    """`table` restricted to the columns called `names`."""
    columns = tuple(c for c in table.columns if c.name in set(names))
    return replace(table, columns=columns, key=tuple(k for k in table.key if k in set(names)))


def new_master_rows(table: Table, typed: pd.DataFrame, origin: pd.DataFrame, existing: pd.DataFrame):
    """The rows of master data `table` whose key is not in the master yet, once each; and,
    as Exceptions that reject nothing, the rows naming a known key differently (the
    master's name, or the first name in the files, is kept)."""
    key = table.key[0]
    known = set(existing[key].dropna().astype(str))
    fresh = typed.drop_duplicates(key)
    fresh = fresh[~fresh[key].astype(str).isin(known)]
    notices = _renamed(table, typed, origin, existing) if "name" in typed and "name" in existing else no_exceptions()
    return fresh.reindex(columns=table.names), notices


def _renamed(table: Table, typed: pd.DataFrame, origin: pd.DataFrame, existing: pd.DataFrame) -> pd.DataFrame:
    """Exceptions for the rows whose name differs (after `dedupe.name_key`) from the name kept
    for their key: the master's, else the first row's; once per file, key and name."""
    key = table.key[0]
    ids = typed[key].astype(str)
    master = existing.dropna(subset=[key]).drop_duplicates(key)
    first = typed[~ids.duplicated()]
    kept = pd.concat([pd.Series(master["name"].to_numpy(), index=master[key].astype(str)),
                      pd.Series(first["name"].to_numpy(), index=first[key].astype(str))])  # fmt: skip
    kept = ids.map(kept[~kept.index.duplicated()])
    given = typed["name"]
    differs = (given.notna() & name_key(given).ne(name_key(kept)).fillna(True)).to_numpy(dtype=bool)
    rows = pd.DataFrame({"file": origin.loc[typed.index, "file"], "id": ids, "kept": kept, "key": name_key(given)})[
        differs
    ]
    rows = rows.drop_duplicates(["file", "id", "key"])
    if rows.empty:
        return no_exceptions()
    in_master = rows["id"].isin(set(master[key].astype(str)))
    header = table.column(key).header
    in_sheet = tr("{header} {id!r} is already on the {sheet} sheet as {name!r}: the master's name was kept")
    earlier = tr("{header} {id!r} is named {name!r} on an earlier row of this import: that name was kept")
    reasons = [
        (in_sheet if m else earlier).format(header=header, id=i, sheet=table.sheet, name=k)
        for i, k, m in zip(rows["id"], rows["kept"], in_master)
    ]
    problems = pd.DataFrame({
        "row": rows.index, "column": table.column("name").header, "value": given[rows.index].astype(str),
        "reason": reasons,
    })  # fmt: skip
    return exceptions_from(problems, origin)
