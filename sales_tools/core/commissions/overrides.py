"""Manager overrides: a manager whose plan has an `override` rate earns it on each credited
line of the reps whose Reps row names them as manager (one level: not on their reports'
reports), in the month of the sale; a return claws it back like a rep's commission.
The rules and a worked example are in docs/commissions.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sales_tools.core.commissions.codes import Setup
from sales_tools.core.commissions.output import CLAWBACK, OVERRIDE, exception_rows, no_exceptions
from sales_tools.core.money import round_cents
from sales_tools.schema.language import tr

RULE, CLAWBACK_RULE = "override", "override clawback"


def basis(setup: Setup, credit: pd.DataFrame, returned: pd.DataFrame):
    """The overrides' events (line, rep: the manager, month, basis, source: the rep, rate),
    their returned shares (line, rep, month, returned, ratio, source), and Exceptions rows
    for the managers whose plan pays no override."""
    book = setup.book
    rate = _rates(setup)
    events = _to_managers(credit, setup, rate)
    line = events["line"].to_numpy()
    events = events.assign(month=book.month[line], basis=book.amount[line] * events["share"].to_numpy())
    claims = _to_managers(returned, setup, rate).drop(columns="rate")
    return events[["line", "rep", "month", "basis", "source", "rate"]], claims, _unpaid(setup, rate)


def _rates(setup: Setup) -> np.ndarray:
    """Per rep code: the override rate of the rep's manager's plan, NaN where none."""
    plan_rates = np.array([np.nan if p.override is None else p.override for p in setup.plans.values()] + [np.nan])
    manager = setup.team.manager
    plan = np.where(manager >= 0, setup.plan_of[np.maximum(manager, 0)], -1)
    return plan_rates[plan]


def _to_managers(rows: pd.DataFrame, setup: Setup, rate: np.ndarray) -> pd.DataFrame:
    """The rows of reps whose manager earns an override, as the manager's (source: the rep), with the rate."""
    rep = rows["rep"].to_numpy()
    paid = ~np.isnan(rate[rep])
    return rows[paid].assign(rep=setup.team.manager[rep[paid]], source=rep[paid], rate=rate[rep[paid]])


def _unpaid(setup: Setup, rate: np.ndarray) -> pd.DataFrame:
    """Exceptions rows for the managers named on the Reps sheet whose plan pays no override."""
    manager = setup.team.manager
    unpaid = (manager >= 0) & np.isnan(rate)
    if not unpaid.any():
        return no_exceptions()
    ids = setup.book.reps.to_numpy(dtype=object)
    reports = pd.Series(ids[unpaid]).groupby(manager[unpaid]).agg(", ".join)
    who = pd.Series(ids[reports.index], dtype=object)
    plan = setup.plan_of[reports.index]
    names = np.array([*setup.plans, ""], dtype=object)
    no_rule = tr("rep(s) {reps} report to {manager}, whose plan {plan} has no override rule: no override is paid on "
                 "their sales")  # fmt: skip
    no_plan = tr("rep(s) {reps} report to {manager}, who has no commission plan: no override is paid on their sales")
    reasons = [(no_rule if p >= 0 else no_plan).format(reps=r, manager=m, plan=names[p])
               for r, m, p in zip(reports, who, plan)]  # fmt: skip
    return exception_rows("Reps", "manager_id", who, pd.Series(reasons, dtype=object))


def lines(overrides: pd.DataFrame, claims: pd.DataFrame, setup: Setup) -> list[pd.DataFrame]:
    """The override lines of the rep-months kept, and their clawbacks (`rules` line frames)."""
    cents = np.rint(round_cents(overrides["basis"].to_numpy() * overrides["rate"].to_numpy()) * 100).astype("int64")
    earned = pd.DataFrame({
        "rep_month": overrides["rep_month"].to_numpy(), "line": overrides["line"].to_numpy(),
        "basis": overrides["basis"].to_numpy(), "rule": setup.rules.get_loc(RULE),
        "rate": overrides["rate"].to_numpy(), "cents": cents, "kind": OVERRIDE, "source": overrides["source"].to_numpy(),
    })  # fmt: skip
    return [earned, _clawbacks(claims, earned, setup)]


def _clawbacks(claims: pd.DataFrame, earned: pd.DataFrame, setup: Setup) -> pd.DataFrame:
    """Negative lines giving back what each returned line's override paid, pro rata to the amount returned."""
    paid = earned[["source", "line", "cents", "basis"]].groupby(["source", "line"], as_index=False).sum()
    claws = claims.merge(paid, on=["source", "line"])
    paid_money, credited = claws["cents"].to_numpy() / 100, claws["basis"].to_numpy()
    return pd.DataFrame({
        "rep_month": claws["rep_month"].to_numpy(dtype="int64"), "line": claws["line"].to_numpy(dtype="int64"),
        "basis": -claws["returned"].to_numpy(dtype="float64"), "rule": setup.rules.get_loc(CLAWBACK_RULE),
        "rate": np.divide(paid_money, credited, out=np.zeros(len(claws)), where=credited != 0),
        "cents": -np.rint(round_cents(paid_money * claws["ratio"].to_numpy()) * 100).astype("int64"),
        "kind": CLAWBACK, "source": claws["source"].to_numpy(dtype="int64"),
    })  # fmt: skip
