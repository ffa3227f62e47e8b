"""What a commission statement explains, so that a rep can redo it with a calculator.

* `tier_block`: the month's tier commission tier by tier (floor, ceiling, the slice of
  the basis in the tier, rate, amount), adding up to the engine's tier commission to the cent;
* `plan_rules`: a plan's rules in words, one sentence each;
* `collections`: for plans paid on collections, the month's booked sales reconciled to
  the collected basis, with the payments that make it;
* `line_details`: each commission line's order date and customer name.

The engine (`core.commissions`) decides what is paid; this module only explains it.
How to read a statement: docs/statements.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sales_tools.core.money import allocate_cents, round_cents
from sales_tools.core.plans import Plan
from sales_tools.core.tiers import quota_tiered, tiered
from sales_tools.schema.language import tr

TIER_COLUMNS = ["tier", "floor_attainment", "floor", "ceiling", "sales", "slice", "rate", "amount"]
PAYMENT_COLUMNS = ["payment_id", "payment_date", "order_id", "order_date", "customer", "credited"]
BELOW = "below tier 1"  # the tier column of the slice under the first floor (it earns nothing)


def tier_block(plan: Plan, basis: float, sales: float | None = None, target: float | None = None) -> pd.DataFrame:
    """The month's tier commission, one row per tier (`TIER_COLUMNS`).

    Args:
        plan: The rep's plan.
        basis: The month's tier basis: its sales without a category rate, in cents.
        sales: All the month's credited sales (attainment tiers only: they pick the tier).
        target: The month's target (attainment tiers only).

    Returns:
        tier (1, 2, ... or `BELOW` for the part under a first floor above 0), floor_attainment
        (the floor as a fraction of target; NaN for amount tiers), floor and ceiling in money
        (ceiling NaN for the top tier), sales (the month's sales in the tier: what picks the
        tier), slice (the part of `basis` in the tier), rate and amount.  The slices add up
        to `basis` and the amounts to the engine's tier commission, both to the cent; each
        amount is its slice × rate within a cent.  Retroactive: the whole basis is in the tier
        reached.  Attainment tiers: a tier's slice is its sales × basis ÷ sales, since
        category-rate sales count toward attainment but are paid at their own rate.

    >>> block = tier_block(Plan("Std", (0.0, 5000.0), (0.10, 0.15)), 6800.0)
    >>> block[["floor", "slice", "rate", "amount"]].to_numpy().tolist()
    [[0.0, 5000.0, 0.1, 500.0], [5000.0, 1800.0, 0.15, 270.0]]
    """
    attainment = plan.tier_basis == "attainment"
    measure = sales if attainment else basis
    scale = target if attainment else 1.0
    floors, rates = np.array(plan.floors), np.array(plan.rates)
    names: list = list(range(1, len(floors) + 1))
    if floors[0] > 0:
        floors, rates, names = np.r_[0.0, floors], np.r_[0.0, rates], [BELOW, *names]
    money = floors * scale
    ceilings = np.r_[money[1:], np.inf]
    size, sign = abs(measure), np.sign(measure)
    if plan.method == "marginal":
        within = np.clip(size - money, 0, ceilings - money)
    else:
        within = np.where(np.arange(len(money)) == np.searchsorted(money, size, side="right") - 1, size, 0.0)
    share = basis / measure if measure else 0.0
    in_tier = sign * within
    return pd.DataFrame(
        {
            "tier": pd.Series(names, dtype=object),
            "floor_attainment": floors if attainment else np.nan,
            "floor": round_cents(money),
            "ceiling": round_cents(np.where(np.isinf(ceilings), np.nan, ceilings)),
            "sales": _spread(in_tier, measure),
            "slice": _spread(in_tier * share, basis),
            "rate": rates,
            "amount": _spread(in_tier * share * rates, tier_commission(plan, basis, sales, target)),
        }
    )


def tier_commission(plan: Plan, basis: float, sales: float | None = None, target: float | None = None) -> float:
    """The month's tier commission, rounded to cents, as the engine computes it (`commissions.rules`)."""
    if plan.tier_basis == "amount":
        return round_cents(float(tiered(basis, plan.floors, plan.rates, plan.method)))
    on_all = float(quota_tiered(sales, target, plan.floors, plan.rates, plan.method))
    return round_cents(on_all * basis / sales if sales else 0.0)


def _spread(raw: np.ndarray, total: float) -> np.ndarray:
    """`raw` in cents adding up to `total` rounded to cents (largest remainders)."""
    cents = np.rint(round_cents(np.array([total])) * 100).astype("int64")
    return allocate_cents(np.asarray(raw, dtype="float64"), np.zeros(len(raw), dtype="int64"), cents) / 100


def plan_rules(plan: Plan) -> list[str]:
    """The plan's rules in words, one sentence per rule, as a statement prints them.

    >>> plan_rules(Plan("Std", (0.0, 5000.0), (0.10, 0.15)))[1]
    "Tiers on the month's sales without a category rate: 0.00 to 5,000.00 at 10%, above 5,000.00 at 15%; each slice earns its own tier's rate (marginal)."
    """
    rules = [_credit_rule(plan), _tier_rule(plan)]
    rules += [
        tr("{category} sales earn a flat {rate}, outside the tiers; they still count toward attainment.").format(
            category=category, rate=_pct(rate)
        )
        for category, rate in plan.category_rates
    ]
    if plan.gate is not None:
        rules.append(
            tr("Gate: a month below {level} of target pays no commission and no bonus.").format(level=_pct(plan.gate))
        )
    if plan.cap is not None:
        rules.append(
            tr("Cap: commission (tiers and category rates, before bonus) is at most {cap} a month.").format(
                cap=f"{plan.cap:,.2f}"
            )
        )
    if plan.bonuses:
        levels = tr(", ").join(
            tr("{amount} at {level} of target").format(amount=f"{amount:,.2f}", level=_pct(level))
            for level, amount in plan.bonuses
        )
        rules.append(
            tr("Bonus, the highest level the month's attainment reaches only: {levels}.").format(levels=levels)
        )
    if plan.draw is not None:
        back = (
            tr("the top-up is recovered from later months' earnings above the draw")
            if plan.draw_recoverable
            else tr("the top-up is never recovered")
        )
        kind = tr("recoverable") if plan.draw_recoverable else tr("non-recoverable")
        rules.append(
            tr("Draw ({kind}): a month earning less than {draw} is topped up to it; {back}.").format(
                kind=kind, draw=f"{plan.draw:,.2f}", back=back
            )
        )
    if plan.override is not None:
        rules.append(
            tr("Override: {rate} of the booked sales of the reps who report to you.").format(rate=_pct(plan.override))
        )
    rules.append(tr("Returns: a returned line gives back what it paid, pro rata, in the month of the return."))
    return rules


def _credit_rule(plan: Plan) -> str:
    if plan.credit_on == "paid":
        return tr(
            "Paid on collections: a payment counts in the month it is received, spread over its order's lines "
            "in proportion to their amounts (and over split reps)."
        )
    return tr("Paid on booked sales: an order line counts in the month of its order date (split orders by share).")


def _tier_rule(plan: Plan) -> str:
    if plan.tier_basis == "attainment":
        bounds, what = (
            [_pct(f) for f in plan.floors],
            tr("Tiers by attainment, all credited sales ÷ the month's target"),
        )
    else:
        bounds, what = [f"{f:,.2f}" for f in plan.floors], tr("Tiers on the month's sales without a category rate")
    spans = [tr("{low} to {high}").format(low=low, high=high) for low, high in zip(bounds, bounds[1:])]
    spans += [tr("above {low}").format(low=bounds[-1])]
    if len(spans) == 1:
        spans = [tr("from {low}").format(low=bounds[0])]
    tiers = tr(", ").join(
        tr("{span} at {rate}").format(span=span, rate=_pct(rate)) for span, rate in zip(spans, plan.rates)
    )
    how = (
        tr("each slice earns its own tier's rate (marginal)")
        if plan.method == "marginal"
        else tr("the whole basis at the rate of the tier reached (retroactive)")
    )
    return tr("{what}: {tiers}; {how}.").format(what=what, tiers=tiers, how=how)


def _pct(fraction: float) -> str:
    return f"{fraction * 100:,.4g}%"


@dataclass(frozen=True)
class Collections:
    """A month of a plan paid on collections, booked against collected (all in money, to the cent).

    booked - not_collected + earlier = collected; `payments` (`PAYMENT_COLUMNS`) lists what
    makes `collected`, each payment's amount credited to the rep after splits.
    """

    booked: float  # credited sales of orders dated in the month: the Actual
    not_collected: float  # of those, what was not collected in the month
    other_months: float  # collected in the month on orders of other months
    collected: float  # the month's collected basis
    payments: pd.DataFrame


def collections(tables: dict[str, pd.DataFrame | None], rep_id: str, month: pd.Timestamp) -> Collections:
    """The month's booked sales of `rep_id` reconciled to the collections it is paid on.

    Args:
        tables: The input tables "orders", "payments" and optionally "splits" and "customers".
        rep_id: The rep.
        month: The month's first day.

    Payments of orders not on the Orders sheet earn nothing (the refresh lists them on Exceptions).
    """
    orders, splits = tables["orders"], tables.get("splits")
    mine = orders["rep_id"] == rep_id
    if splits is not None and not splits.empty:
        mine |= orders["order_id"].isin(splits.loc[splits["rep_id"] == rep_id, "order_id"])
    orders = orders[orders["order_id"].isin(orders.loc[mine, "order_id"])]  # every line of the rep's orders
    orders = orders.assign(order_date=pd.to_datetime(orders["order_date"]))
    share = _rep_shares(orders, splits, rep_id)
    order_month = orders["order_date"].dt.to_period("M") == month.to_period("M")
    booked = round_cents(float((orders["amount"] * share)[order_month].sum()))
    fraction = _order_fractions(orders, share)
    paid = _month_payments(tables.get("payments"), month)
    paid = paid[paid["order_id"].isin(fraction.index)]
    first = orders.groupby("order_id", sort=False).first()
    credited = round_cents(paid["amount"].to_numpy(dtype="float64") * fraction[paid["order_id"]].to_numpy())
    names = _customer_names(tables.get("customers"))
    listed = pd.DataFrame(
        {
            "payment_id": paid["payment_id"].to_numpy(dtype=object),
            "payment_date": paid["payment_date"].to_numpy(),
            "order_id": paid["order_id"].to_numpy(dtype=object),
            "order_date": pd.to_datetime(first.loc[paid["order_id"], "order_date"].to_numpy()),
            "customer": first.loc[paid["order_id"], "customer_id"].map(names).to_numpy(dtype=object),
            "credited": credited,
        }
    )
    listed = listed[fraction[paid["order_id"]].to_numpy() != 0].sort_values(["payment_date", "payment_id"])
    this = listed["order_date"].dt.to_period("M") == month.to_period("M")
    on_this, on_other = (round_cents(float(listed["credited"][m].sum())) for m in (this, ~this))
    return Collections(
        booked=booked,
        not_collected=round_cents(booked - on_this),
        other_months=on_other,
        collected=round_cents(on_this + on_other),
        payments=listed.reset_index(drop=True),
    )


def _rep_shares(orders: pd.DataFrame, splits: pd.DataFrame | None, rep_id: str) -> pd.Series:
    """The rep's share of each order line: its split share when the order is split, else 1 for their own lines."""
    own = (orders["rep_id"] == rep_id).astype("float64")
    if splits is None or splits.empty:
        return own
    split = orders["order_id"].isin(splits["order_id"])
    mine = splits[splits["rep_id"] == rep_id].groupby("order_id")["share"].sum()
    return own.where(~split, orders["order_id"].map(mine).fillna(0.0).astype("float64"))


def _order_fractions(orders: pd.DataFrame, share: pd.Series) -> pd.Series:
    """Per order: the part of a payment credited to the rep (lines weighted by amount, equally when they total 0)."""
    amount = orders["amount"].astype("float64")
    by = orders["order_id"]
    total = amount.groupby(by).transform("sum")
    weight = (amount / total).where(total != 0, 1 / by.map(by.value_counts()))
    return (weight * share).groupby(by).sum()


def _month_payments(payments: pd.DataFrame | None, month: pd.Timestamp) -> pd.DataFrame:
    columns = ["payment_id", "payment_date", "order_id", "amount"]
    if payments is None or payments.empty:
        return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c == "payment_date" else object) for c in columns})
    dates = pd.to_datetime(payments["payment_date"])
    return payments.assign(payment_date=dates)[dates.dt.to_period("M") == month.to_period("M")][columns]


def _customer_names(customers: pd.DataFrame | None) -> pd.Series:
    """Customer ID -> name (the ID where the Customers sheet has no name)."""
    if customers is None or customers.empty:
        return pd.Series(dtype=object)
    names = customers.drop_duplicates("customer_id").set_index("customer_id")["name"]
    return names.where(names.notna(), names.index.to_series())


def line_details(lines: pd.DataFrame, orders: pd.DataFrame, customers: pd.DataFrame | None) -> pd.DataFrame:
    """`lines` (Commission lines) with each line's order_date and customer (its name, else its ID); blank for lines
    that are not of an order line (bonus, cap, draw)."""
    key = orders[["order_id", "line", "order_date", "customer_id"]].drop_duplicates(["order_id", "line"])
    key = key.assign(line=pd.array(key["line"], dtype="Int64"))
    out = lines.assign(line=pd.array(lines["line"], dtype="Int64")).merge(key, on=["order_id", "line"], how="left")
    names = out["customer_id"].map(_customer_names(customers))
    out["customer"] = names.where(names.notna(), out["customer_id"]).astype(object)
    return out.drop(columns="customer_id").set_axis(lines.index)
