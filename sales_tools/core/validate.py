"""Row checks beyond types: the period, known reps and customers, amounts, duplicate keys.

`validate_rows` takes the typed rows of one sheet (from `coerce.coerce_table`) and
splits them into valid rows and Exceptions (schema table ``exceptions``: file, sheet,
row, column, value, reason).  The checks come from the schema:

* dates: every required date column must fall within the period, when one is given;
* lookups: a column with ``ref="reps.rep_id"`` (or any ``table.column``) must hold a
  value listed in ``known[ref]``, when that list is given.  An unknown customer is
  rejected here; the importer decides when new customers are created first (CRM
  exports that carry the customer's name) so they pass;
* amounts: where a table has quantity, unit price and amount, the amount must equal
  quantity x unit price within a cent;
* keys: a row whose key repeats an earlier row of the same file, or a key already in
  the master (``existing_keys``), is rejected: nothing is counted twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from sales_tools.core.money import round_cents
from sales_tools.schema import TABLES, Table

EXCEPTION_COLUMNS = TABLES["exceptions"].names
CENT = 0.01 + 1e-9


def exceptions_from(problems: pd.DataFrame, file: str, sheet: str) -> pd.DataFrame:
    """Problems (row, column, value, reason) as Exceptions rows for `file` and `sheet`."""
    out = problems.assign(file=file, sheet=sheet)
    return out.reindex(columns=EXCEPTION_COLUMNS).astype({"row": "int64"})


def validate_rows(
    rows: pd.DataFrame,
    table: Table,
    *,
    file: str,
    sheet: str,
    period: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    known: Mapping[str, Iterable] | None = None,
    existing_keys: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check typed rows of `table`; return ``(valid, exceptions)``.

    Args:
        rows: typed rows indexed by Excel row number (as `coerce_table` returns them).
        table: the schema table the rows go into.
        file: the file name reported in exceptions.
        sheet: the sheet name reported in exceptions.
        period: first and last day (inclusive) the dates must fall in.
        known: ``"table.column"`` -> the values allowed in columns with that ``ref``.
        existing_keys: key columns of rows already in the master.

    Returns:
        The valid rows (same index and columns) and the Exceptions rows, one per
        failed check, ordered by row.
    """
    found = [
        *_outside_period(rows, table, period),
        *_unknown_refs(rows, table, known or {}),
        *_inconsistent_amounts(rows, table),
        *_duplicate_keys(rows, table, existing_keys),
    ]
    problems = pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=["row", "column", "value", "reason"])
    problems = problems.sort_values("row", kind="stable", ignore_index=True)
    valid = rows[~rows.index.isin(problems["row"])]
    return valid, exceptions_from(problems, file, sheet)


def _problem(rows: pd.DataFrame, mask: pd.Series, header: str, values: pd.Series, reasons) -> pd.DataFrame:
    return pd.DataFrame(
        {"row": rows.index[mask], "column": header, "value": values[mask].astype(str).to_numpy(), "reason": reasons}
    )


def _text(values: pd.Series) -> pd.Series:
    """Values as a person reads them (dates without a time)."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%Y-%m-%d")
    return values.astype(str)


def _outside_period(rows, table, period):
    if period is None:
        return
    start, end = pd.Timestamp(period[0]), pd.Timestamp(period[1])
    span = f"{start:%Y-%m-%d} to {end:%Y-%m-%d}"
    for col in table.columns:
        if col.type == "date" and col.required and col.name in rows:
            mask = ~rows[col.name].between(start, end) & rows[col.name].notna()
            if mask.any():
                text = _text(rows[col.name])
                yield _problem(rows, mask, col.header, text, (text[mask] + f" is outside the period {span}").to_numpy())


def _unknown_refs(rows, table, known):
    for col in table.columns:
        if col.ref in known and col.name in rows:
            allowed = pd.Index(pd.Series(list(known[col.ref]), dtype=object).dropna().astype(str))
            values = rows[col.name]
            mask = values.notna() & ~values.astype(str).isin(allowed)
            if mask.any():
                where = TABLES[col.ref.split(".")[0]].sheet
                reasons = values[mask].map(lambda v: f"{col.header} {v!r} is not on the {where} sheet")
                yield _problem(rows, mask, col.header, values, reasons.to_numpy())


def _inconsistent_amounts(rows, table):
    if not {"quantity", "unit_price", "amount"} <= set(table.names) & set(rows.columns):
        return
    expected = pd.Series(round_cents(rows["quantity"] * rows["unit_price"]), index=rows.index)
    mask = ((rows["amount"] - expected).abs() > CENT) & expected.notna() & rows["amount"].notna()
    if mask.any():
        reasons = [
            f"amount {a:,.2f} is not quantity x unit price ({q:g} x {p:,.2f} = {e:,.2f})"
            for a, q, p, e in zip(rows["amount"][mask], rows["quantity"][mask], rows["unit_price"][mask], expected[mask])
        ]
        yield _problem(rows, mask, table.column("amount").header, rows["amount"], reasons)


def _duplicate_keys(rows, table, existing_keys):
    key = [k for k in table.key if k in rows]
    if not key or len(key) < len(table.key):
        return
    headers = " and ".join(table.column(k).header for k in key)
    label = rows[key].astype(str).agg(" / ".join, axis=1)
    first_row = pd.Series(rows.index, index=rows.index).groupby([rows[k] for k in key], dropna=False).transform("min")
    repeat = pd.Series(rows.index != first_row.to_numpy(), index=rows.index)
    if repeat.any():
        reasons = [f"same {headers} as row {r}" for r in first_row[repeat]]
        yield _problem(rows, repeat, headers, label, reasons)
    if existing_keys is not None and len(existing_keys):
        old = pd.MultiIndex.from_frame(existing_keys[key].astype(str))
        in_master = pd.Series(pd.MultiIndex.from_frame(rows[key].astype(str)).isin(old), index=rows.index) & ~repeat
        if in_master.any():
            yield _problem(rows, in_master, headers, label, f"{headers} already in the master workbook")
