"""The line rules: tiers on the month's total, category rates, gate, cap, bonus and clawbacks.

Every function returns internal lines: rep_month, line (order line position, -1 none),
basis, rule (position in `Setup.rules`), rate, cents, kind (`output.KINDS`), source (the
rep code an override line is from, -1 none).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sales_tools.core.commissions import draws, overrides
from sales_tools.core.commissions.codes import Setup
from sales_tools.core.commissions.output import BONUS, CAP, CLAWBACK, COMMISSION
from sales_tools.core.commissions.periods import RepMonths
from sales_tools.core.money import allocate_cents, round_cents
from sales_tools.core.plans import Plan
from sales_tools.core.tiers import quota_tiered, tiered

_LINE_DTYPES = {"rep_month": "int64", "line": "int64", "basis": "float64", "rule": "int64",
                "rate": "float64", "cents": "int64", "kind": "int64", "source": "int64"}  # fmt: skip


def rule_names(plans: dict[str, Plan]) -> pd.Index:
    """Every rule text the plans can put on a line."""
    texts = []
    for plan in plans.values():
        texts.append(f"tier {plan.method}")
        texts += [_gate(plan.gate)] if plan.gate is not None else []
        texts += [_cap(plan.cap)] if plan.cap is not None else []
        texts += [_bonus(level) for level, _ in plan.bonuses]
    fixed = ["category rate", "clawback", overrides.RULE, overrides.CLAWBACK_RULE, *draws.rule_texts(plans)]
    return pd.Index(list(dict.fromkeys([*texts, *fixed])), dtype=object)


def lines(
    events: pd.DataFrame, claims: pd.DataFrame, periods: pd.DataFrame, setup: Setup, grid: RepMonths
) -> list[pd.DataFrame]:
    """Every internal line of the rep-months kept: earnings, clawbacks, cap cuts and bonuses (one frame each)."""
    earned = _earning_lines(events, periods, setup, grid)
    capped = _cap_lines(earned, periods, setup, grid)
    clawed = _clawback_lines(claims, earned, capped, setup, grid)
    return [earned, clawed, capped, _bonus_lines(periods, setup)]


def _earning_lines(events: pd.DataFrame, periods: pd.DataFrame, setup: Setup, grid: RepMonths) -> pd.DataFrame:
    """Tier and category-rate lines; amount 0 and a gate rule where the gate is not reached."""
    book = setup.book
    line, at, basis = events["line"].to_numpy(), events["rep_month"].to_numpy(), events["basis"].to_numpy()
    rate = _category_rates(setup)[events["plan"].to_numpy(), book.category[line] + 1]
    tier = np.isnan(rate)
    tier_total = round_cents(np.bincount(at, weights=np.where(tier, basis, 0.0), minlength=grid.size))
    month = _tier_months(periods, tier_total, setup)
    share = np.divide(basis, tier_total[at], out=np.zeros_like(basis), where=tier_total[at] != 0)
    cents = np.rint(round_cents(basis * np.nan_to_num(rate)) * 100).astype("int64")
    cents[tier] = allocate_cents(month["commission"][at[tier]] * share[tier], at[tier], month["cents"])
    gate = month["gate"][at]
    gated = gate >= 0
    return pd.DataFrame({
        "rep_month": at, "line": line, "basis": basis,
        "rule": np.where(gated, gate, np.where(tier, month["rule"][at], setup.rules.get_loc("category rate"))),
        "rate": np.where(gated, 0.0, np.where(tier, month["rate"][at], rate)),
        "cents": np.where(gated, 0, cents), "kind": COMMISSION, "source": -1,
    })  # fmt: skip


def _category_rates(setup: Setup) -> np.ndarray:
    """Rate by [plan code, category code + 1]; NaN where the tiers apply."""
    categories = setup.book.categories
    table = np.full((len(setup.plans) + 1, len(categories) + 1), np.nan)
    for code, plan in enumerate(setup.plans.values()):
        for category, rate in plan.category_rates:
            where = categories.get_indexer([category])[0]
            if where >= 0:
                table[code, where + 1] = rate
    return table


def _tier_months(periods: pd.DataFrame, tier_total: np.ndarray, setup: Setup) -> dict:
    """Per rep_month: unrounded tier commission, its cents, effective rate, rule, gate rule (-1 open)."""
    size = len(tier_total)
    commission, rule, gate = np.zeros(size), np.zeros(size, dtype="int64"), np.full(size, -1)
    for code, plan in enumerate(setup.plans.values()):
        part = periods[periods["plan"] == code]
        at = part.index.to_numpy()
        if not len(at):
            continue
        commission[at] = _plan_tiers(plan, tier_total[at], part)
        rule[at] = setup.rules.get_loc(f"tier {plan.method}")
        if plan.gate is not None:
            gate[at[part["attainment"].to_numpy() < plan.gate]] = setup.rules.get_loc(_gate(plan.gate))
    return {
        "commission": commission,
        "cents": np.rint(round_cents(commission) * 100).astype("int64"),
        "rate": np.divide(commission, tier_total, out=np.zeros(size), where=tier_total != 0),
        "rule": rule,
        "gate": gate,
    }


def _plan_tiers(plan: Plan, tier_total: np.ndarray, part: pd.DataFrame) -> np.ndarray:
    """One plan's unrounded tier commission for its rep-months."""
    if plan.tier_basis == "amount":
        return tiered(tier_total, plan.floors, plan.rates, plan.method)
    sales = part["sales"].to_numpy()
    on_all = quota_tiered(sales, part["target"].to_numpy(), plan.floors, plan.rates, plan.method)
    # times the share paid on tiers: exactly 1.0, so exactly on_all, without category sales
    return on_all * np.divide(tier_total, sales, out=np.zeros_like(sales), where=sales != 0)


def _cap_lines(earned: pd.DataFrame, periods: pd.DataFrame, setup: Setup, grid: RepMonths) -> pd.DataFrame:
    """One "cap" line per rep-month whose commission is above its plan's cap."""
    caps = np.array([np.nan if plan.cap is None else plan.cap for plan in setup.plans.values()] + [np.nan])
    plan = periods["plan"].to_numpy()
    at = periods.index.to_numpy()
    cents = _per_month(earned, grid)[at]
    over = cents - np.rint(round_cents(caps) * 100)[plan]
    hit = over > 0
    names = np.array([setup.rules.get_loc(_cap(cap)) if np.isfinite(cap) else -1 for cap in caps])
    return pd.DataFrame({
        "rep_month": at[hit], "line": -1, "basis": cents[hit] / 100, "rule": names[plan[hit]],
        "rate": np.nan, "cents": -over[hit].astype("int64"), "kind": CAP, "source": -1,
    })  # fmt: skip


def _bonus_lines(periods: pd.DataFrame, setup: Setup) -> pd.DataFrame:
    """One "bonus" line per rep-month for the highest bonus level its attainment reaches."""
    parts = [_no_lines()]
    for code, plan in enumerate(setup.plans.values()):
        if not plan.bonuses:
            continue
        part = periods[(periods["plan"] == code) & ~(periods["attainment"] < (plan.gate or 0))]
        levels, amounts = np.array(plan.bonuses).T
        reached = np.searchsorted(levels, part["attainment"].fillna(-np.inf).to_numpy(), side="right") - 1
        won = reached >= 0
        names = setup.rules.get_indexer([_bonus(level) for level in levels])
        parts.append(pd.DataFrame({
            "rep_month": part.index.to_numpy()[won], "line": -1, "basis": part["sales"].to_numpy()[won],
            "rule": names[reached[won]], "rate": np.nan,
            "cents": np.rint(round_cents(amounts[reached[won]]) * 100).astype("int64"), "kind": BONUS, "source": -1,
        }))  # fmt: skip
    return pd.concat(parts, ignore_index=True)


def _clawback_lines(
    claims: pd.DataFrame, earned: pd.DataFrame, capped: pd.DataFrame, setup: Setup, grid: RepMonths
) -> pd.DataFrame:
    """Negative lines giving back what each returned line paid, pro rata to the amount returned."""
    if claims.empty:
        return _no_lines()
    before = _per_month(earned, grid)
    kept = 1 + np.divide(_per_month(capped, grid), before, out=np.zeros(grid.size), where=before != 0)
    mine = earned[np.isin(earned["line"].to_numpy(), claims["line"].to_numpy())]
    at = mine["rep_month"].to_numpy()
    paid = pd.DataFrame({"rep": at // grid.months, "line": mine["line"].to_numpy(),
                         "paid": mine["cents"].to_numpy() * kept[at], "credited": mine["basis"].to_numpy()})  # fmt: skip
    claws = claims.merge(paid.groupby(["rep", "line"], as_index=False).sum(), on=["rep", "line"])
    paid_money = claws["paid"].to_numpy() / 100
    credited = claws["credited"].to_numpy()
    return pd.DataFrame({
        "rep_month": claws["rep_month"].to_numpy(), "line": claws["line"].to_numpy(), "basis": -claws["returned"].to_numpy(),
        "rule": setup.rules.get_loc("clawback"),
        "rate": np.divide(paid_money, credited, out=np.zeros(len(claws)), where=credited != 0),
        "cents": -np.rint(round_cents(paid_money * claws["ratio"].to_numpy()) * 100).astype("int64"), "kind": CLAWBACK,
        "source": -1,
    })  # fmt: skip


def _per_month(lines: pd.DataFrame, grid: RepMonths) -> np.ndarray:
    """Cents of `lines` per rep_month (all of the grid)."""
    return np.bincount(lines["rep_month"].to_numpy(dtype="int64"), weights=lines["cents"].to_numpy(dtype="float64"),
                       minlength=grid.size)  # fmt: skip


def _no_lines() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in _LINE_DTYPES.items()})


def _gate(level: float) -> str:
    return f"gate {_pct(level)} not reached"


def _cap(cap: float) -> str:
    return f"cap {cap:,.2f}"


def _bonus(level: float) -> str:
    return f"bonus {_pct(level)}"


def _pct(fraction: float) -> str:
    return f"{fraction * 100:g}%"
