"""The engine's tables: the Commission lines audit trail, the summary and the Exceptions rows."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sales_tools.core.money import round_cents
from sales_tools.core.rep_names import unnamed
from sales_tools.schema import TABLES
from sales_tools.schema.language import tr

# a month's lines in order; adjustment lines (changes to closed months) are added by `core.close.freeze`
KINDS = ("commission", "clawback", "cap", "bonus", "override", "draw", "draw_recovered", "adjustment")
COMMISSION, CLAWBACK, CAP, BONUS, OVERRIDE, DRAW, DRAW_RECOVERED, ADJUSTMENT = range(len(KINDS))
# the summary column of each kind's total, in KINDS order
KIND_COLUMNS = (
    "commission",
    "clawbacks",
    "cap_adjustment",
    "bonus",
    "override",
    "draw",
    "draw_recovered",
    "adjustment",
)


def output_lines(lines: pd.DataFrame, grid, book, rules: pd.Index) -> pd.DataFrame:
    """The Commission lines table from the internal lines: by rep and month, then kind (`KINDS`).

    Built a column at a time, in the schema's order, so that only one column's
    temporaries exist at once (memory at millions of lines).
    """
    order = np.argsort(
        lines["rep_month"].to_numpy(dtype="int64") * len(KINDS) + lines["kind"].to_numpy(), kind="stable"
    )

    def column(name: str, dtype: str) -> np.ndarray:
        return lines[name].to_numpy(dtype=dtype)[order]

    rep_month, line = column("rep_month", "int64"), column("line", "int64")
    has = line >= 0
    at = np.where(has, line, 0)
    categories = np.concatenate([[None], book.categories.to_numpy(dtype=object)])
    out = pd.DataFrame({"rep_id": pd.Series(grid.rep_ids(rep_month), dtype=object)})
    out["period"] = grid.period(rep_month)
    out["order_id"] = pd.Series(np.where(has, book.order_id[at], None), dtype=object)
    out["line"] = pd.arrays.IntegerArray(np.where(has, book.line[at], 0), ~has)
    out["category"] = pd.Series(np.where(has, categories[book.category[at] + 1], None), dtype=object)
    out["basis"] = round_cents(column("basis", "float64"))
    out["rule"] = pd.Series(rules.to_numpy(dtype=object)[column("rule", "int64")], dtype=object)
    out["rate"] = column("rate", "float64")
    out["amount"] = column("cents", "int64") / 100
    source = column("source", "int64")
    out["from_rep"] = pd.Series(np.where(source >= 0, grid.reps.to_numpy(dtype=object)[source], None), dtype=object)
    return out[TABLES["commission_lines"].names]


def summary(lines: pd.DataFrame, periods: pd.DataFrame, grid, balance: np.ndarray) -> pd.DataFrame:
    """One row per rep-month: sales, target, attainment, its lines' totals by kind, and
    `balance` (cents per rep_month): the recoverable draw still to recover.  No rep name: the refresh adds it."""
    at = periods.index.to_numpy()
    kind, cents = lines["kind"].to_numpy(), lines["cents"].to_numpy(dtype="float64")
    rep_month = lines["rep_month"].to_numpy(dtype="int64")
    totals = {
        column: np.bincount(rep_month[kind == k], weights=cents[kind == k], minlength=grid.size)[at]
        for k, column in enumerate(KIND_COLUMNS)
    }
    out = pd.DataFrame({"rep_id": pd.Series(grid.rep_ids(at), dtype=object)})
    out["period"] = grid.period(at)
    out["sales"] = round_cents(periods["sales"].to_numpy())
    out["target"] = periods["target"].to_numpy()
    out["attainment"] = periods["attainment"].to_numpy()
    for column, total in totals.items():
        out[column] = total / 100
    out["total"] = sum(totals.values()) / 100
    out["draw_balance"] = balance[at] / 100
    return out[unnamed("commission_summary")]


def exceptions(*notes: pd.DataFrame) -> pd.DataFrame:
    """The Exceptions table from the engine's notes (empty ones skipped); columns the notes
    do not fill are blank."""
    found = [n for n in notes if len(n)]
    columns = TABLES["exceptions"].names
    return pd.concat(found, ignore_index=True).reindex(columns=columns) if found else pd.DataFrame(columns=columns)


def exception_rows(sheet: str, column: str, values: pd.Series, reasons: pd.Series) -> pd.DataFrame:
    """Exceptions rows: one per value, with its reason; `sheet` (English) shown in the current language."""
    return pd.DataFrame({"file": "", "sheet": tr(sheet), "row": pd.NA, "column": column,
                         "value": values.to_numpy(dtype=object), "reason": reasons.to_numpy(dtype=object)})  # fmt: skip


def no_exceptions() -> pd.DataFrame:
    return exception_rows("", "", pd.Series(dtype=object), pd.Series(dtype=object))
