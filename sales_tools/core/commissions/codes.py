"""The order lines as integer codes (what the engine computes on), and the input checks."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sales_tools.core.commissions.team import Team
from sales_tools.core.frames import column_named, require_columns
from sales_tools.core.plans import Plan
from sales_tools.errors import InputError, PlanError
from sales_tools.schema.language import tr

_STRIDE = 1 << 20  # line numbers below this; key = order code x stride + line
NO_MARGIN = ("", "unit_cost", "quantity")  # the Orders column a line without a margin lacks


@dataclass(frozen=True)
class OrderLines:
    """The Orders table as codes, one entry per order line."""

    order_id: np.ndarray  # as given
    line: np.ndarray  # int64
    order: np.ndarray  # position of the line's order ID in `orders`
    orders: pd.Index  # the distinct order IDs
    rep: np.ndarray  # position of the line's rep in `reps`
    reps: pd.Index  # every rep ID of Orders, Splits and the Reps table, sorted
    month: np.ndarray  # months since 1970-01
    category: np.ndarray  # position in `categories`, -1 blank
    categories: pd.Index
    amount: np.ndarray  # float64
    quantity: np.ndarray  # float64, NaN blank
    margin: np.ndarray  # amount - quantity x unit_cost; NaN where either is blank
    no_margin: np.ndarray  # int8 per line: why its margin is NaN, a position in `NO_MARGIN` (0: it has one)
    keys: np.ndarray  # sorted (order, line) keys, for `locate`
    rows: np.ndarray  # the line of each sorted key

    @classmethod
    def read(cls, orders: pd.DataFrame, splits: pd.DataFrame | None, listed: list = ()) -> OrderLines:
        """The order lines; `listed`: rep IDs to code besides those of Orders and Splits."""
        require_columns(orders, ["order_id", "line", "order_date", "rep_id", "category", "amount"], "Orders")
        order, order_ids = pd.factorize(orders["order_id"])
        rep, rep_ids = pd.factorize(orders["rep_id"])
        amount = floats(orders["amount"], "Orders", "amount")
        line = floats(orders["line"], "Orders", "line")
        month = months(orders["order_date"], "Orders", "order_date")
        blanks = (("order_id", order < 0), ("rep_id", rep < 0), ("amount", np.isnan(amount)), ("line", np.isnan(line)))
        for column, blank in blanks:
            no_blanks(blank, "Orders", column)
        extra = [] if splits is None or "rep_id" not in splits else splits["rep_id"].dropna().tolist()
        reps = pd.Index(sorted(set(rep_ids) | set(extra) | set(listed)), dtype=object)
        category, categories = pd.factorize(orders["category"])
        keys, rows = _sorted_keys(order, line.astype("int64"), orders)
        quantity, unit_cost = _optional(orders, "quantity"), _optional(orders, "unit_cost")
        no_margin = np.where(np.isnan(unit_cost), 1, np.where(np.isnan(quantity), 2, 0)).astype("int8")
        return cls(orders["order_id"].to_numpy(dtype=object), line.astype("int64"), order, order_ids,
                   reps.get_indexer(rep_ids)[rep], reps, month, category, categories, amount,
                   quantity, amount - quantity * unit_cost, no_margin, keys, rows)  # fmt: skip

    def locate(self, order_ids: pd.Series, lines: np.ndarray) -> np.ndarray:
        """The position of each (order ID, line); -1 where there is none."""
        if not len(self.keys):
            return np.full(len(lines), -1)
        order = self.orders.get_indexer(order_ids)
        key = order * _STRIDE + lines
        at = np.minimum(np.searchsorted(self.keys, key), len(self.keys) - 1)
        return np.where((order >= 0) & (self.keys[at] == key), self.rows[at], -1)


@dataclass(frozen=True)
class Setup:
    """The engine's fixed inputs: the order lines, the plans, each rep's plan, the rule names, the team."""

    book: OrderLines
    plans: dict[str, Plan]
    plan_of: np.ndarray  # per rep code: position of its plan in `plans`, -1 none
    rules: pd.Index  # every rule text a line can carry; a line holds its position
    team: Team  # start months (and managers) from the Reps table


def _sorted_keys(order: np.ndarray, line: np.ndarray, orders: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Sorted order-line keys and their lines; an order line given twice raises."""
    if len(line) and (line.min() < 0 or line.max() >= _STRIDE):
        raise InputError(
            tr("{sheet}: line numbers must be between 0 and {last}").format(sheet=tr("Orders"), last=_STRIDE - 1)
        )
    key = order * _STRIDE + line
    rows = np.argsort(key, kind="stable")
    keys = key[rows]
    twice = np.flatnonzero(np.diff(keys) == 0)
    if len(twice):
        first = orders.iloc[rows[twice[0] + 1]]
        raise InputError(
            tr("{sheet}: order {order} line {line} is given twice").format(
                sheet=tr("Orders"), order=first["order_id"], line=first["line"]
            )
        )
    return keys, rows


def plan_codes(rep_plans, plans: dict[str, Plan], reps: pd.Index) -> np.ndarray:
    """Per rep code: position of its plan in `plans`, -1 without one; unknown plans raise."""
    names = pd.Series(rep_plans, dtype=object)
    names = names[names.notna()].astype(str).str.strip()
    names = names[names != ""]
    unknown = names[~names.isin(list(plans))]
    if len(unknown):
        listed = ", ".join(f"{rep} ({plan!r})" for rep, plan in unknown.head(5).items())
        raise PlanError(
            tr("{sheet}: these reps' plans are not on the {plan} sheet: {listed}; plans are {plans}").format(
                sheet=tr("Reps"), plan=tr("Plan"), listed=listed, plans=", ".join(plans) or tr("none")
            )
        )
    codes = np.full(len(reps), -1)
    where = reps.get_indexer(names.index)
    codes[where[where >= 0]] = pd.Index(list(plans)).get_indexer(names[where >= 0])
    return codes


def _optional(orders: pd.DataFrame, column: str) -> np.ndarray:
    """An optional Orders column as floats; all NaN when the table has no such column."""
    return floats(orders[column], "Orders", column) if column in orders else np.full(len(orders), np.nan)


def floats(values: pd.Series, table: str, column: str) -> np.ndarray:
    """A column as floats (blanks NaN); text that is not a number raises naming its row."""
    numbers = pd.to_numeric(values, errors="coerce")
    bad = (numbers.isna() & values.notna()).to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(
            tr("{sheet}: row {row}, {column} {value!r} is not a number").format(
                sheet=tr(table), row=row + 1, column=column_named(table, column), value=values.iloc[row]
            )
        )
    return numbers.to_numpy(dtype="float64")


def months(values: pd.Series, table: str, column: str) -> np.ndarray:
    """Months since 1970-01 of a date column; a blank or non-date raises naming its row."""
    dates = pd.to_datetime(values, errors="coerce")
    no_blanks(dates.isna().to_numpy(), table, column)
    return dates.to_numpy().astype("datetime64[M]").astype("int64")


def no_blanks(blank: np.ndarray, table: str, column: str) -> None:
    if blank.any():
        raise InputError(
            tr("{sheet}: row {row} has no {column} (or not a valid one)").format(
                sheet=tr(table), row=int(np.flatnonzero(blank)[0]) + 1, column=column_named(table, column)
            )
        )
