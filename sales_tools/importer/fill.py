"""The columns files never carry: order lines, amounts, payment IDs, order-level returns."""

from __future__ import annotations

import pandas as pd

from sales_tools.core.money import round_cents
from sales_tools.core.validate import exceptions_from
from sales_tools.importer.report import no_exceptions
from sales_tools.schema import TABLES
from sales_tools.schema.language import tr


def complete_rows(target: str, typed: pd.DataFrame, origin: pd.DataFrame, master, append):
    """Fill the columns files never carry: lines, amounts, payment IDs, order-level returns.

    Returns the rows, their origin (changed when returns expand) and exceptions.
    """
    rows = typed.copy()
    if target == "orders":
        if "line" not in rows or rows["line"].isna().all():
            group = [origin.loc[rows.index, "file"], rows["order_id"]]
            rows["line"] = (rows.groupby(group).cumcount() + 1).astype("Int64")
        if {"quantity", "unit_price"} <= set(rows.columns):
            computed = pd.Series(round_cents(rows["quantity"] * rows["unit_price"]), index=rows.index)
            rows["amount"] = rows["amount"].fillna(computed) if "amount" in rows else computed
    if target == "payments" and "payment_id" not in rows:
        stamp = pd.to_datetime(rows["_start"]).dt.strftime("%Y%m")
        rows["payment_id"] = rows["rep_id"] + "-" + stamp + "-" + origin.loc[rows.index, "row"].astype(str)
    if target == "complaints" and "_start" in rows:  # a template's: the ID is a formula, recomputed
        rows["complaint_id"] = complaint_ids(rows)
    if target == "returns" and ("line" not in rows or "amount" not in rows):
        return _expand_returns(rows, origin, master, append)
    return rows, origin, no_exceptions()


def _expand_returns(rows: pd.DataFrame, origin: pd.DataFrame, master, append):
    """Order-level returns: one return per line of the order, worth the line's amount,
    dated the order date when the export has no return date."""
    orders = pd.concat([master["orders"], append.get("orders")], ignore_index=True)
    lines = orders[["order_id", "line", "order_date", "amount"]].drop_duplicates(["order_id", "line"])
    known = rows["order_id"].isin(lines["order_id"])
    unknown = rows[~known]
    header, sheet = TABLES["returns"].column("order_id").header, TABLES["orders"].sheet
    bad = pd.DataFrame({
        "row": unknown.index, "column": header,
        "value": unknown["order_id"].astype(str),
        "reason": [tr("{column} {value!r} is not on the {sheet} sheet").format(column=header, value=v, sheet=sheet)
                   for v in unknown["order_id"]],
    })  # fmt: skip
    exc = exceptions_from(bad, origin) if len(bad) else no_exceptions()
    keep = rows[known].drop(columns=[c for c in ("line", "amount") if c in rows]).rename_axis("_label").reset_index()
    merged = keep.merge(lines, on="order_id", how="left")
    if "return_date" not in merged or merged["return_date"].isna().all():
        merged["return_date"] = merged["order_date"]
    new_origin = origin.loc[merged["_label"]].reset_index(drop=True)
    return merged.drop(columns=["_label", "order_date"]), new_origin, exc


def complaint_ids(rows: pd.DataFrame) -> pd.Series:
    """A template complaint's ID, ``<rep>-<yyyymmdd>-<customer>`` (as the template's formula):
    the same complaint sent again (same rep, date and customer) in a later file updates it.

    >>> complaint_ids(pd.DataFrame({"rep_id": ["R01"], "complaint_date": [pd.Timestamp("2024-12-02")],
    ...                             "customer_id": ["C0007"]})).tolist()
    ['R01-20241202-C0007']
    """
    day = pd.to_datetime(rows["complaint_date"]).dt.strftime("%Y%m%d")
    return (rows["rep_id"].astype("string") + "-" + day + "-" + rows["customer_id"].astype("string")).astype(object)
