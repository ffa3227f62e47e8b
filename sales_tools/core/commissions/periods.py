"""Rep-months: the grid every total is kept on, and each month's sales, target and attainment."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sales_tools.core.commissions.codes import Setup, floats, months
from sales_tools.core.commissions.credits import Basis
from sales_tools.core.commissions.output import exception_rows
from sales_tools.core.frames import require_columns
from sales_tools.core.money import round_cents
from sales_tools.core.targets import measure_of
from sales_tools.errors import TargetError
from sales_tools.schema.language import tr


@dataclass(frozen=True, eq=False)
class RepMonths:
    """Rep-months numbered rep x months + (month - first month): a "rep_month" code."""

    first: int  # months since 1970-01 of the earliest month
    months: int
    reps: pd.Index  # rep IDs by rep code

    @classmethod
    def of(cls, basis: Basis, reps: pd.Index, through: int | None = None) -> RepMonths:
        """From the first to the last month of `basis`, or to month `through` if later
        (months since 1970-01; the figures' month when a plan has a draw)."""
        found = basis.months()
        first, last = (int(found.min()), int(found.max())) if len(found) else (0, 0)
        if len(found) and through is not None:
            last = max(last, through)
        return cls(first, last - first + 1, reps)

    @property
    def size(self) -> int:
        return len(self.reps) * self.months

    def rep_ids(self, rep_month: np.ndarray) -> np.ndarray:
        return self.reps.to_numpy(dtype=object)[rep_month // self.months]

    def code(self, frame: pd.DataFrame) -> np.ndarray:
        """The rep_month of each row of a frame with rep and month codes."""
        return frame["rep"].to_numpy() * self.months + frame["month"].to_numpy() - self.first

    def kept(self, frame: pd.DataFrame, periods: pd.DataFrame) -> pd.DataFrame:
        """Rows of `frame` whose rep-month is not excluded, with their rep_month."""
        excluded = np.zeros(self.size, dtype=bool)
        excluded[periods.index[periods["excluded"]]] = True
        rep_month = self.code(frame)
        return frame.assign(rep_month=rep_month)[~excluded[rep_month]]

    def period(self, rep_month: np.ndarray) -> np.ndarray:
        return (rep_month % self.months + self.first).astype("datetime64[M]").astype("datetime64[ns]")


def present_codes(grid: RepMonths, basis: Basis) -> np.ndarray:
    """The rep_month codes with a line (a credit, a return or an override), sorted."""
    frames = (basis.events, basis.claims, basis.overrides, basis.override_claims)
    return np.unique(np.concatenate([grid.code(frame) for frame in frames]))


def periods(
    grid: RepMonths, basis: Basis, setup: Setup, targets: pd.DataFrame | None, had: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per rep-month with a line or in `had` (rep_month codes: the months of a
    draw), indexed by rep_month (rep, plan, sales, target, attainment, excluded), and the
    Exceptions rows of the months left out for want of a target."""
    events = basis.events
    at = grid.code(events)
    present = np.union1d(present_codes(grid, basis), had)
    rep = present // grid.months
    sales = round_cents(np.bincount(at, weights=events["basis"].to_numpy(), minlength=grid.size))
    target = _plan_targets(targets, grid, setup)[present]
    good = target > 0
    needs = np.array([plan.needs_target for plan in setup.plans.values()] + [False])
    out = pd.DataFrame(
        {"rep": rep, "plan": setup.plan_of[rep], "sales": sales[present], "target": target,
         "attainment": np.where(good, sales[present] / np.where(good, target, 1), np.nan)},
        index=present,
    )  # fmt: skip
    out["excluded"] = needs[out["plan"].to_numpy()] & ~good
    excluded = out[out["excluded"]]
    _check_some_paid(out, excluded, grid, setup)
    return out, _target_notes(excluded, grid, setup)


def _plan_targets(targets: pd.DataFrame | None, grid: RepMonths, setup: Setup) -> np.ndarray:
    """Each rep-month's own target in its plan's measure (`Plan.measure`: margin for a margin
    plan, else revenue), NaN where none."""
    measure = np.array([plan.measure for plan in setup.plans.values()] + ["revenue"])
    of_rep = np.repeat(measure[setup.plan_of], grid.months)
    out = _target_grid(targets, grid, "revenue")
    if (of_rep == "margin").any():
        out = np.where(of_rep == "margin", _target_grid(targets, grid, "margin"), out)
    return out


def _target_grid(targets: pd.DataFrame | None, grid: RepMonths, measure: str) -> np.ndarray:
    """Each rep-month's own target of `measure` (NaN where none; a blank measure is revenue);
    a rep with two targets for a month raises."""
    out = np.full(grid.size, np.nan)
    if targets is None or targets.empty:
        return out
    require_columns(targets, ["rep_id", "period", "target"], "monthly targets")
    own = targets["rep_id"].notna() & measure_of(targets).eq(measure)
    for dimension in ("region", "category"):
        if dimension in targets:
            own &= targets[dimension].isna()
    mine = targets[own]
    month = months(mine["period"], "Targets", "period")
    twice = pd.DataFrame({"rep": mine["rep_id"].to_numpy(), "month": month}).duplicated().to_numpy()
    if twice.any():
        first = mine.iloc[int(np.flatnonzero(twice)[0])]
        twice = tr("{sheet}: rep {rep} has two targets for {month}")
        if measure != "revenue":
            twice = tr("{sheet}: rep {rep} has two {measure} targets for {month}")
        raise TargetError(
            twice.format(
                sheet=tr("Targets"),
                rep=first["rep_id"],
                measure=tr(measure),
                month=f"{pd.Timestamp(first['period']):%Y-%m}",
            )
        )
    rep = grid.reps.get_indexer(mine["rep_id"])
    inside = (rep >= 0) & (month >= grid.first) & (month < grid.first + grid.months)
    out[rep[inside] * grid.months + month[inside] - grid.first] = floats(mine["target"], "Targets", "target")[inside]
    return out


def _check_some_paid(periods: pd.DataFrame, excluded: pd.DataFrame, grid: RepMonths, setup: Setup) -> None:
    """A plan none of whose rep-months can be paid is an error, not a run that pays zero."""
    for code, (name, plan) in enumerate(setup.plans.items()):
        lost = excluded[excluded["plan"] == code]
        if len(lost) and len(lost) == (periods["plan"] == code).sum():
            found = pd.Series(grid.period(lost.index.to_numpy())).dt.strftime("%Y-%m")
            text = (
                "plan {plan}: none of its {count} rep-month(s) can be paid: it needs a monthly target above 0 and there is "
                "none ({first} to {last}; e.g. rep {rep}, {month}); add the reps' rows for those years on the {sheet} sheet"
            )
            if plan.measure == "margin":
                text = (
                    "plan {plan}: none of its {count} rep-month(s) can be paid: it needs a monthly margin target above 0 "
                    "and there is none ({first} to {last}; e.g. rep {rep}, {month}); add the reps' rows (Measure margin) "
                    "for those years on the {sheet} sheet"
                )
            raise TargetError(
                tr(text).format(
                    plan=name, count=len(lost), first=found.min(), last=found.max(),
                    rep=grid.rep_ids(lost.index[:1].to_numpy())[0], month=found.iloc[0], sheet=tr("Targets"),
                )
            )  # fmt: skip


def _target_notes(out: pd.DataFrame, grid: RepMonths, setup: Setup) -> pd.DataFrame:
    """Exceptions rows for rep-months left out for want of a target."""
    names = np.array(list(setup.plans), dtype=object)
    rep = pd.Series(grid.rep_ids(out.index.to_numpy()), dtype=object)
    month = pd.Series(grid.period(out.index.to_numpy())).dt.strftime("%Y-%m")
    kind = np.array(["" if plan.measure == "revenue" else tr("margin ") for plan in setup.plans.values()], dtype=object)
    kind = kind[out["plan"].to_numpy()]
    plan = names[out["plan"].to_numpy()]
    none = tr("rep {rep} has no {kind}target for {month}; plan {plan} needs one, so the month is left out")
    some = tr("rep {rep} has a {kind}target of {target} for {month}; plan {plan} needs one, so the month is left out")
    reasons = [(none if pd.isna(t) else some).format(rep=r, kind=k, target=f"{t:,.2f}", month=m, plan=p)
               for r, k, t, m, p in zip(rep, kind, out["target"].to_numpy(), month, plan)]  # fmt: skip
    return exception_rows("Targets", "target", rep + " " + month, pd.Series(reasons, dtype=object))
