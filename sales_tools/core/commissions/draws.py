"""Draws: the least a rep is paid a month, and a recoverable draw's carry-forward.

A month's earnings are its other lines (commission, clawbacks, cap, bonus, override).
The draw tops them up to the draw amount; a recoverable draw adds the top-up to the
rep's balance, which later months' earnings above the draw pay back.  The balance
carries forward, over the year's end too; the rules and a worked example are in
docs/commissions.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sales_tools.core.commissions.codes import Setup
from sales_tools.core.commissions.output import DRAW, DRAW_RECOVERED, exception_rows, no_exceptions
from sales_tools.core.commissions.periods import RepMonths
from sales_tools.core.money import round_cents
from sales_tools.core.plans import Plan
from sales_tools.schema.language import tr

RECOVERED = "draw recovered"


def rule_texts(plans: dict[str, Plan]) -> list[str]:
    """The rule texts of the plans' draws: "draw 2,000.00", "recoverable draw 2,000.00", "draw recovered"."""
    texts = [_rule(plan) for plan in plans.values() if plan.draw is not None]
    return [*texts, RECOVERED] if texts else []


def through(setup: Setup, as_of) -> int | None:
    """The month of `as_of` (months since 1970-01) when a plan has a draw: draws are paid through it."""
    if as_of is None or not any(plan.draw is not None for plan in setup.plans.values()):
        return None
    return int(np.datetime64(pd.Timestamp(as_of), "M").astype("int64"))


def months(grid: RepMonths, present: np.ndarray, setup: Setup) -> tuple[np.ndarray, pd.DataFrame]:
    """The rep_month codes of the months a rep on a draw has, and Exceptions rows for the
    reps on a draw who have none.

    A rep has every month from their start month or their first line (`present`: rep_month
    codes), whichever is earlier, through the grid's last month; never before the grid's
    first month, the first the figures hold.
    """
    reps = np.flatnonzero(_amounts(setup)[setup.plan_of] > 0)
    if not len(present):  # no figures at all
        reps = reps[:0]
    first = np.full(len(grid.reps), grid.months)
    np.minimum.at(first, present // grid.months, present % grid.months)
    start = np.clip(setup.team.start[reps], grid.first, grid.first + grid.months) - grid.first
    first = np.minimum(first[reps], start)
    at = reps[:, None] * grid.months + np.arange(grid.months)
    return at[np.arange(grid.months) >= first[:, None]], _no_months(reps[first >= grid.months], grid, setup)


def _no_months(reps: np.ndarray, grid: RepMonths, setup: Setup) -> pd.DataFrame:
    """Exceptions rows for reps on a draw with no start date and no line."""
    if not len(reps):
        return no_exceptions()
    ids = pd.Series(grid.reps[reps], dtype=object)
    plans = pd.Series(np.array(list(setup.plans), dtype=object)[setup.plan_of[reps]], dtype=object)
    text = tr("rep {rep}'s plan {plan} has a draw, but {rep} has no start date (or one after the figures' month) and "
              "no sales: no draw is paid")  # fmt: skip
    reasons = pd.Series([text.format(rep=r, plan=p) for r, p in zip(ids, plans)], dtype=object)
    return exception_rows("Reps", "start_date", ids, reasons)


def lines(parts: list[pd.DataFrame], periods: pd.DataFrame, setup: Setup, grid: RepMonths):
    """The draw lines of the rep-months kept (`periods`), from the other lines (`parts`),
    and the recoverable balance after each rep_month (cents, all of the grid)."""
    draw = np.rint(round_cents(_amounts(setup)) * 100).astype("int64")[setup.plan_of]
    reps = np.flatnonzero(draw > 0)
    at = reps[:, None] * grid.months + np.arange(grid.months)
    earned = sum(np.bincount(p["rep_month"].to_numpy(dtype="int64"), weights=p["cents"].to_numpy(dtype="float64"),
                             minlength=grid.size) for p in parts)  # fmt: skip
    kept = np.zeros(grid.size, dtype=bool)
    kept[periods.index.to_numpy()] = True
    recoverable = np.array([plan.draw_recoverable for plan in setup.plans.values()] + [False])[setup.plan_of[reps]]
    topup, back, balance = _carry(np.rint(earned[at]).astype("int64"), kept[at], draw[reps], recoverable)
    out = np.zeros(grid.size, dtype="int64")
    out[at] = balance
    rule = setup.rules.get_indexer([_rule(plan) if plan.draw is not None else "" for plan in setup.plans.values()])
    paid, took = topup > 0, back > 0
    basis = earned[at] / 100
    frame = pd.DataFrame({
        "rep_month": np.concatenate([at[paid], at[took]]),
        "line": -1,
        "basis": np.concatenate([basis[paid], basis[took]]),
        "rule": np.concatenate([rule[setup.plan_of[at[paid] // grid.months]],
                                np.full(took.sum(), setup.rules.get_loc(RECOVERED) if took.any() else -1)]),
        "rate": np.nan,
        "cents": np.concatenate([topup[paid], -back[took]]),
        "kind": np.concatenate([np.full(paid.sum(), DRAW), np.full(took.sum(), DRAW_RECOVERED)]),
        "source": -1,
    })  # fmt: skip
    typed = dict.fromkeys(["rep_month", "line", "rule", "cents", "kind", "source"], "int64")
    return frame.astype(typed), out


def _carry(earned: np.ndarray, had: np.ndarray, draw: np.ndarray, recoverable: np.ndarray):
    """Per rep (rows) and month (columns), in cents: the top-up, the amount recovered, and
    the balance after the month.  A month not `had` pays no draw and leaves the balance."""
    topup = np.where(had, np.maximum(draw[:, None] - earned, 0), 0)
    above = np.where(had & recoverable[:, None], np.maximum(earned - draw[:, None], 0), 0)
    back, balance = np.zeros_like(topup), np.zeros_like(topup)
    owed = np.zeros(len(draw), dtype="int64")
    for month in range(earned.shape[1]):  # sequential per rep: a short loop over months
        back[:, month] = np.minimum(owed, above[:, month])
        owed += np.where(recoverable, topup[:, month], 0) - back[:, month]
        balance[:, month] = owed
    return topup, back, balance


def _amounts(setup: Setup) -> np.ndarray:
    """The draw of each plan code, 0 without one; the last entry (plan code -1) is 0."""
    return np.array([plan.draw or 0.0 for plan in setup.plans.values()] + [0.0])


def _rule(plan: Plan) -> str:
    return f"{'recoverable ' if plan.draw_recoverable else ''}draw {plan.draw:,.2f}"
