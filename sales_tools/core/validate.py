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
  quantity x unit price within a cent; and no number may exceed `coerce.MAX_ABS`, typed
  or computed (quantity x unit price of two numbers within the limit can exceed it);
* keys: a row whose key repeats an earlier row of the same file, or a key already in
  the master (``existing_keys``), is rejected: nothing is counted twice.

The period, ``known`` and ``existing_keys`` come in one `RowContext`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sales_tools.core.coerce import MAX_ABS
from sales_tools.core.money import round_cents
from sales_tools.schema import TABLES, Table
from sales_tools.schema.language import tr

EXCEPTION_COLUMNS = TABLES["exceptions"].names
CENT = 0.01 + 1e-9


def origin_of(rows: pd.DataFrame, file: str, sheet: str) -> pd.DataFrame:
    """The origin frame of rows of one sheet indexed by Excel row number."""
    return pd.DataFrame({"file": file, "sheet": sheet, "row": rows.index}, index=rows.index)


def exceptions_from(problems: pd.DataFrame, origin: pd.DataFrame) -> pd.DataFrame:
    """Problems (row = a label of `origin`, column, value, reason) as Exceptions rows."""
    where = origin.loc[problems["row"], ["file", "sheet", "row"]].reset_index(drop=True)
    out = pd.concat([where, problems[["column", "value", "reason"]].reset_index(drop=True)], axis=1)
    return out.reindex(columns=EXCEPTION_COLUMNS).astype({"row": "Int64"})


@dataclass(frozen=True)
class RowContext:
    """What rows are checked against besides the schema; None skips that check.

    Attributes:
        period: first and last day (inclusive) the dates must fall in: two
            timestamps, or two Series aligned with the rows (one period per file).
        known: ``"table.column"`` -> the values allowed in columns with that ``ref``.
        existing_keys: key columns of rows already in the master.
    """

    period: tuple | None = None
    known: Mapping[str, Iterable] | None = None
    existing_keys: pd.DataFrame | None = None


def validate_rows(
    rows: pd.DataFrame, table: Table, origin: pd.DataFrame, context: RowContext = RowContext()
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check typed rows of `table`; return ``(valid, exceptions)``.

    Args:
        rows: typed rows (as `coerce_table` returns them), any unique index.
        table: the schema table the rows go into.
        origin: file, sheet and Excel row of every row, same index (see `origin_of`).
        context: the period, known values and keys already in the master to check against.

    Returns:
        The valid rows (same index and columns) and the Exceptions rows, one per
        failed check, ordered as the rows.
    """
    found = [
        *_outside_period(rows, table, context.period),
        *_unknown_refs(rows, table, context.known or {}),
        *_too_large(rows, table),
        *_inconsistent_amounts(rows, table),
        *_duplicate_keys(rows, table, origin, context.existing_keys),
    ]
    problems = (
        pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=["row", "column", "value", "reason"])
    )
    order = pd.Series(range(len(rows)), index=rows.index)
    problems = problems.iloc[np.argsort(order.loc[problems["row"]].to_numpy(), kind="stable")]
    valid = rows[~rows.index.isin(problems["row"])]
    return valid, exceptions_from(problems, origin)


def _problem(rows: pd.DataFrame, mask: pd.Series, header: str, values: pd.Series, reasons) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "row": rows.index[mask.to_numpy()],
            "column": header,
            "value": values.loc[rows.index[mask.to_numpy()]].astype(str).to_numpy(),
            "reason": reasons,
        }
    )


def _text(values: pd.Series) -> pd.Series:
    """Values as a person reads them (dates without a time)."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%Y-%m-%d")
    return values.astype(str)


def _outside_period(rows, table, period):
    if period is None:
        return
    start, end = (p if isinstance(p, pd.Series) else pd.Series(pd.Timestamp(p), index=rows.index) for p in period)
    outside = tr("{value} is outside the period {start} to {end}")
    starts, ends = start.dt.strftime("%Y-%m-%d"), end.dt.strftime("%Y-%m-%d")
    for col in table.columns:
        if col.type == "date" and col.required and col.name in rows:
            mask = ~rows[col.name].between(start, end) & rows[col.name].notna()
            if mask.any():
                text = _text(rows[col.name])
                said = [
                    outside.format(value=v, start=a, end=b) for v, a, b in zip(text[mask], starts[mask], ends[mask])
                ]
                yield _problem(rows, mask, col.header, text, said)


def _unknown_refs(rows, table, known):
    for col in table.columns:
        if col.ref in known and col.name in rows:
            allowed = pd.Index(pd.Series(list(known[col.ref]), dtype=object).dropna().astype(str))
            values = rows[col.name]
            mask = values.notna() & ~values.astype(str).isin(allowed)
            if mask.any():
                where = TABLES[col.ref.split(".")[0]].sheet
                unknown = tr("{column} {value!r} is not on the {sheet} sheet")
                reasons = [unknown.format(column=col.header, value=v, sheet=where) for v in values[mask]]
                yield _problem(rows, mask, col.header, values, reasons)


def _too_large(rows, table):
    """Numbers beyond `MAX_ABS` that no cell held: an amount computed as quantity x unit price."""
    for col in table.columns:
        if col.type in ("int", "number", "money") and col.name in rows:
            values = pd.to_numeric(rows[col.name], errors="coerce").astype("float64")
            mask = values.abs() > MAX_ABS
            if mask.any():
                product = col.name == "amount" and {"quantity", "unit_price"} <= set(rows.columns)
                text = tr("{header} {value} is too large (the limit is {limit})")
                if product:
                    text = tr(
                        "{header} {value} (quantity x unit price: {quantity} x {price}) is too large (the limit is {limit})"
                    )
                reasons = [
                    text.format(
                        header=col.header,
                        value=f"{v:,.2f}",
                        quantity=f"{q:,.10g}",
                        price=f"{p:,.2f}",
                        limit=f"{MAX_ABS:,.0f}",
                    )
                    for v, q, p in zip(
                        values[mask],
                        rows["quantity"][mask] if product else values[mask],
                        rows["unit_price"][mask] if product else values[mask],
                    )
                ]
                yield _problem(rows, mask, col.header, values.map("{:,.2f}".format), reasons)


def _inconsistent_amounts(rows, table):
    if not {"quantity", "unit_price", "amount"} <= set(table.names) & set(rows.columns):
        return
    expected = pd.Series(round_cents(rows["quantity"] * rows["unit_price"]), index=rows.index)
    mask = ((rows["amount"] - expected).abs() > CENT) & expected.notna() & rows["amount"].notna()
    if mask.any():
        reasons = [
            tr("amount {amount} is not quantity x unit price ({quantity} x {price} = {expected})").format(
                amount=f"{a:,.2f}", quantity=f"{q:g}", price=f"{p:,.2f}", expected=f"{e:,.2f}"
            )
            for a, q, p, e in zip(
                rows["amount"][mask], rows["quantity"][mask], rows["unit_price"][mask], expected[mask]
            )
        ]
        yield _problem(rows, mask, table.column("amount").header, rows["amount"], reasons)


def _duplicate_keys(rows, table, origin, existing_keys):
    key = list(table.key)
    if not key or not set(key) <= set(rows.columns):
        return
    headers = tr(" and ").join(table.column(k).header for k in key)
    repeat = pd.Series(rows.duplicated(key, keep="first").to_numpy(), index=rows.index)
    if repeat.any():
        position = pd.Series(range(len(rows)), index=rows.index)
        first = position.groupby([rows[k] for k in key], dropna=False).transform("min")[repeat]
        first_origin = origin.loc[rows.index[first.to_numpy()]]  # origin may hold more rows than `rows`
        same_file = first_origin["file"].to_numpy() == origin.loc[rows.index[repeat.to_numpy()], "file"].to_numpy()
        reasons = [
            (tr("same {columns} as row {row}") if same else tr("same {columns} as row {row} of {file}")).format(
                columns=headers, row=r, file=f
            )
            for r, f, same in zip(first_origin["row"], first_origin["file"], same_file)
        ]
        yield _problem(rows, repeat, headers, _key_text(rows, key, repeat), reasons)
    if existing_keys is not None and len(existing_keys):
        old = pd.MultiIndex.from_frame(_as_key(existing_keys[key]))
        in_master = pd.Series(pd.MultiIndex.from_frame(_as_key(rows[key])).isin(old), index=rows.index) & ~repeat
        if in_master.any():
            yield _problem(
                rows,
                in_master,
                headers,
                _key_text(rows, key, in_master),
                tr("{columns} already in the master workbook").format(columns=headers),
            )


def _as_key(frame: pd.DataFrame) -> pd.DataFrame:
    """Key columns compared as text (so 1 and 1.0, or two date resolutions, match)."""
    return frame.apply(lambda s: _text(s) if pd.api.types.is_datetime64_any_dtype(s) else s.astype("string"))


def _key_text(rows: pd.DataFrame, key: list[str], mask: pd.Series) -> pd.Series:
    """'A1 / 2' for the rows selected by `mask`."""
    return rows.loc[mask.to_numpy(), key].astype(str).agg(" / ".join, axis=1)
