"""The commission engine: order lines in, an audit trail of commission lines and a summary out.

Conventions (they are also what a manager reads on a statement):

* **Period** = calendar month (the 1st of the month).  Everything is per rep and month.
* **Credit.** An order line is credited to its rep; when the order has rows on the
  Splits sheet it is credited to those reps instead, each with its share (the shares
  of an order must add up to 100%).  A credited amount counts toward that rep's
  sales, attainment and tier basis.  Plans paid on collections (``credit_on`` paid)
  credit the payments instead: a payment is spread over its order's lines in
  proportion to their amounts (equally when the order totals 0), then over the
  split reps, and counts in the month of the payment.
* **Tiers on the month's total.** The tiers apply to the rep's monthly total of
  non-category sales, not to single lines.  With ``tier_basis`` attainment, the tier
  is picked by attainment (all credited sales, category sales included, / the
  month's target) and the tier commission is the plan's commission on all sales
  times the share of sales that are not category-rated (so category sales count
  toward attainment but are never paid twice).  The month's tier commission is
  rounded to cents and spread back over the lines in proportion to their basis; the
  rounded lines add up exactly to it (largest remainder).  Each line shows the
  month's effective rate.
* **Category rates.** Sales in a category with a ``category_rate`` earn basis x rate,
  rounded per line.
* **Gate.** Below the gate attainment the month pays nothing: its lines stay, with
  amount 0 and rule "gate 30% not reached", and no bonus is paid.
* **Cap.** When the month's commission (tiers + category rates, before bonuses and
  clawbacks) exceeds the cap, one "cap" line brings it down to the cap.
* **Bonus.** A fixed amount for the highest bonus level the month's attainment
  reaches (only that one), on a "bonus" line.
* **Clawbacks.** A returned line gives back what it earned (after any cap, in
  proportion to the cap's cut of its month) times returned / line amount, in the
  month of the return, on a negative "clawback" line; the month of the sale is not
  re-tiered.  Returns do not reduce sales or attainment.
* **Money.** Every line is rounded to cents (half away from zero); a summary total
  is the sum of its rounded lines, exactly.
* **Zero and negative amounts.** Zero lines are kept and earn 0.  Negative order
  lines (credit notes) reduce the month's total; a negative month earns the mirror
  of the positive amount (see `tiers`).  A month with only returns has clawback
  lines and sales 0.
* **Cannot pay correctly → left out and reported.** A refresh should not stop for
  one rep, so these become rows of ``exceptions`` (the Exceptions table's columns)
  and earn nothing until fixed: a rep with no plan (their lines are ignored); a
  rep-month with no target, or a target of 0 or less, when the plan needs one
  (attainment tiers, a gate or bonuses) - the whole month, clawbacks included;
  under paid plans, a payment with no order ID or for an order not on the Orders
  sheet.  Bad data that makes every number doubtful raises instead: split shares
  that do not add up, a plan name not on the Plan sheet, a return for an unknown
  order line or of more than the line's amount, the same target twice.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sales_tools.core.frames import month_start, require_columns
from sales_tools.core.money import round_cents
from sales_tools.core.plans import Plan
from sales_tools.core.tiers import quota_tiered, tiered
from sales_tools.errors import InputError, PlanError, TargetError
from sales_tools.schema import TABLES

KEY = ["rep_id", "period"]
LINE_KEY = ["order_id", "line"]
SHARE_TOLERANCE = 1e-9
KINDS = ("commission", "clawback", "cap", "bonus")  # statement order within a month
_OVER_RETURN = 0.005  # half a cent: float noise, not a real over-return


@dataclass(frozen=True)
class CommissionResult:
    """What `compute_commissions` returns.

    Attributes:
        lines: The audit trail (columns of the Commission lines table).
        summary: One row per rep and month (columns of the Commission summary table).
        exceptions: What was left out and why (columns of the Exceptions table).
    """

    lines: pd.DataFrame
    summary: pd.DataFrame
    exceptions: pd.DataFrame


def compute_commissions(
    orders: pd.DataFrame,
    plans: dict[str, Plan],
    rep_plans,
    *,
    returns: pd.DataFrame | None = None,
    payments: pd.DataFrame | None = None,
    splits: pd.DataFrame | None = None,
    targets: pd.DataFrame | None = None,
) -> CommissionResult:
    """Commission lines and the monthly summary per rep (see the module docstring).

    Args:
        orders: The Orders table (order_id, line, order_date, rep_id, category, amount).
        plans: Plan name -> `Plan`, from `plans.parse_plans`.
        rep_plans: rep_id -> plan name (a Series or mapping; blank = no plan).
        returns: The Returns table (order_id, line, return_date, amount > 0).
        payments: The Payments table (payment_id, payment_date, order_id, amount).
        splits: The Splits table (order_id, rep_id, share).
        targets: Monthly targets: rep_id, period (the 1st of the month), target.  Rows
            with a region or category are not a rep's total and are ignored.

    Returns:
        A `CommissionResult`; no input frame is changed.

    Raises:
        SchemaError: a table lacks a column.
        InputError: a missing amount or date, an order line given twice, split shares
            that do not add up to 100%, a return of an unknown line or of more than it.
        PlanError: a rep's plan is not among `plans`.
        TargetError: a rep has two targets for the same month.
    """
    notes: list[pd.DataFrame] = []
    credits = _credits(orders, splits)
    credits = _with_plans(credits, _plan_of_reps(rep_plans, plans), notes)
    events = _events(credits, orders, payments, plans, notes)
    claims = _claims(returns, orders, credits)
    periods = _periods(events, claims, plans, _monthly_targets(targets), notes)
    events, claims = _kept(events, periods), _kept(claims, periods)
    periods = periods[~periods["excluded"]]
    earned = _earning_lines(events, periods, plans)
    capped = _cap_lines(earned, periods, plans)
    parts = [earned, _clawback_lines(claims, earned, capped, periods), capped, _bonus_lines(periods, plans)]
    lines = _finish_lines(pd.concat([p for p in parts if len(p)] or [earned], ignore_index=True), periods)
    return CommissionResult(lines[TABLES["commission_lines"].names], _summary(lines, periods), _exceptions(notes))


# ------------------------------------------------------------------ credits
def _credits(orders: pd.DataFrame, splits: pd.DataFrame | None) -> pd.DataFrame:
    """One row per order line and credited rep: share, line amount and credited amount."""
    require_columns(orders, ["order_id", "line", "order_date", "rep_id", "category", "amount"], "Orders")
    lines = orders[["order_id", "line", "order_date", "rep_id", "category", "amount"]].copy()
    _check_filled(lines, ["order_id", "line", "order_date", "rep_id", "amount"], "Orders")
    twice = lines.duplicated(LINE_KEY)
    if twice.any():
        first = lines[twice].iloc[0]
        raise InputError(f"Orders: order {first['order_id']} line {first['line']} is given twice")
    lines["amount"] = lines["amount"].astype("float64")
    lines["order_date"] = _month(lines["order_date"])
    if splits is None or splits.empty:
        return lines.assign(share=1.0)
    shares = _split_shares(splits)
    split = lines["order_id"].isin(shares["order_id"])
    shared = lines[split].drop(columns="rep_id").merge(shares, on="order_id")
    return pd.concat([lines[~split].assign(share=1.0), shared], ignore_index=True)


def _split_shares(splits: pd.DataFrame) -> pd.DataFrame:
    """The Splits rows, checked: each order's shares add up to 100%."""
    require_columns(splits, ["order_id", "rep_id", "share"], "Splits")
    _check_filled(splits, ["order_id", "rep_id", "share"], "Splits")
    shares = splits[["order_id", "rep_id", "share"]].astype({"share": "float64"})
    total = shares.groupby("order_id", sort=False)["share"].sum()
    bad = total[(total - 1).abs() > SHARE_TOLERANCE]
    if len(bad):
        listed = ", ".join(f"{order} ({share:.4%})" for order, share in bad.head(5).items())
        raise InputError(f"Splits: the shares of an order must add up to 100%; they do not for order {listed}")
    return shares


def _plan_of_reps(rep_plans, plans: dict[str, Plan]) -> pd.Series:
    """rep_id -> plan name for reps with a plan; unknown plan names raise PlanError."""
    names = pd.Series(rep_plans, dtype="object")
    names = names[names.notna()].astype(str).str.strip()
    names = names[names != ""]
    unknown = names[~names.isin(list(plans))]
    if len(unknown):
        listed = ", ".join(f"{rep} ({plan!r})" for rep, plan in unknown.head(5).items())
        raise PlanError(f"Reps: these reps' plans are not on the Plan sheet: {listed}; plans are {', '.join(plans) or 'none'}")
    return names


def _with_plans(credits: pd.DataFrame, plan_of: pd.Series, notes: list[pd.DataFrame]) -> pd.DataFrame:
    """Credits with each rep's plan; reps without a plan are dropped and noted."""
    plan = credits["rep_id"].map(plan_of)
    missing = credits.loc[plan.isna(), "rep_id"].value_counts(sort=False)
    reps = missing.index.astype(str).to_series()
    notes.append(_notes("Reps", "plan", reps, "rep " + reps + " has no commission plan; "
                        + missing.astype(str).to_numpy() + " credited order lines earn nothing"))
    return credits[plan.notna()].assign(plan=plan[plan.notna()])


# ------------------------------------------------------------------ events: what is credited when
def _events(credits, orders, payments, plans, notes) -> pd.DataFrame:
    """The basis of each rep's commission: booked order lines or collected amounts, by month."""
    paid_plans = [name for name, plan in plans.items() if plan.credit_on == "paid"]
    paid = credits["plan"].isin(paid_plans)
    booked = credits[~paid].rename(columns={"order_date": "period"})
    booked = booked.assign(basis=booked["amount"] * booked["share"])
    parts = [booked, _collected(credits[paid], orders, payments, notes)] if paid.any() else [booked]
    events = pd.concat(parts, ignore_index=True)[["rep_id", "period", "plan", "order_id", "line", "category", "basis"]]
    return events.assign(rp=events.groupby(KEY, sort=False).ngroup())


def _collected(credits, orders, payments, notes) -> pd.DataFrame:
    """Credits of paid plans: each payment spread over its order's lines and reps."""
    if payments is None or payments.empty:
        return credits.head(0).assign(period=pd.Series(dtype="datetime64[ns]"), basis=0.0)
    require_columns(payments, ["payment_id", "payment_date", "order_id", "amount"], "Payments")
    _check_filled(payments, ["payment_id", "payment_date", "amount"], "Payments")
    known = payments["order_id"].isin(orders["order_id"])
    lost = payments[~known]
    why = ("is for order " + lost["order_id"].astype(str) + ", which is not on the Orders sheet").where(
        lost["order_id"].notna(), "has no order ID")
    ids = lost["payment_id"].astype(str)
    notes.append(_notes("Payments", "order_id", ids, "payment " + ids + " " + why + "; it earns no commission on collections"))
    pays = payments[known].assign(period=_month(payments.loc[known, "payment_date"]))
    pays = pays.groupby(["order_id", "period"], as_index=False)["amount"].sum().rename(columns={"amount": "paid"})
    amounts = orders.groupby("order_id")["amount"].agg(["sum", "size"])
    weight = credits["amount"] / credits["order_id"].map(amounts["sum"])
    equal = 1 / credits["order_id"].map(amounts["size"])
    credits = credits.drop(columns="order_date").assign(weight=weight.where(np.isfinite(weight), equal))
    collected = credits.merge(pays, on="order_id")
    return collected.assign(basis=collected["paid"] * collected["weight"] * collected["share"])


def _claims(returns, orders, credits) -> pd.DataFrame:
    """Returned share of each credited line, per rep and month of the return."""
    columns = ["rep_id", "period", "plan", "order_id", "line", "category", "share", "returned", "ratio"]
    if returns is None or returns.empty:
        return pd.DataFrame(columns=columns)
    require_columns(returns, ["order_id", "line", "return_date", "amount"], "Returns")
    _check_filled(returns, ["order_id", "line", "return_date", "amount"], "Returns")
    back = returns.assign(period=_month(returns["return_date"]))
    back = back.groupby([*LINE_KEY, "period"], as_index=False)["amount"].sum().rename(columns={"amount": "returned"})
    _check_returns(back, orders)
    line_amount = orders.set_index(LINE_KEY)["amount"]
    back["ratio"] = back["returned"] / line_amount.reindex(pd.MultiIndex.from_frame(back[LINE_KEY])).to_numpy()
    claims = credits.drop(columns="order_date").merge(back, on=LINE_KEY)
    claims["returned"] = claims["returned"] * claims["share"]
    return claims[columns]


def _check_returns(back: pd.DataFrame, orders: pd.DataFrame) -> None:
    """Every return is for a known order line with a positive amount, and not more than it."""
    sold = orders.set_index(LINE_KEY)["amount"]
    amount = sold.reindex(pd.MultiIndex.from_frame(back[LINE_KEY])).to_numpy()
    total = back.groupby(LINE_KEY)["returned"].transform("sum").to_numpy()
    problems = (
        (np.isnan(amount), "is not on the Orders sheet"),
        (amount <= 0, "has an amount of 0 or less, so nothing can be returned"),
        (total > amount + _OVER_RETURN, "has more returned than was sold"),
    )
    for mask, reason in problems:
        if mask.any():
            first = back[mask].iloc[0]
            raise InputError(f"Returns: order {first['order_id']} line {first['line']} {reason}")


# ------------------------------------------------------------------ rep-months
def _monthly_targets(targets: pd.DataFrame | None) -> pd.DataFrame:
    """rep_id, period -> target, one row per rep-month (a rep's total target only)."""
    if targets is None:
        return pd.DataFrame({"rep_id": [], "period": pd.Series(dtype="datetime64[ns]"), "target": []})
    require_columns(targets, ["rep_id", "period", "target"], "monthly targets")
    total = targets["rep_id"].notna()
    for dimension in ("region", "category"):
        if dimension in targets:
            total &= targets[dimension].isna()
    own = targets.loc[total, ["rep_id", "period", "target"]].assign(period=lambda t: _month(t["period"]))
    twice = own.duplicated(KEY)
    if twice.any():
        first = own[twice].iloc[0]
        raise TargetError(f"Targets: rep {first['rep_id']} has two targets for {first['period']:%Y-%m}")
    return own.astype({"target": "float64"})


def _periods(events, claims, plans, targets, notes) -> pd.DataFrame:
    """One row per rep-month with a line: plan, sales, target, attainment, excluded (indexed by rp)."""
    first = events.drop_duplicates("rp").set_index("rp")[[*KEY, "plan"]].sort_index()
    sales = np.bincount(events["rp"], weights=events["basis"], minlength=len(first))
    periods = first.assign(sales=sales)
    only_returns = claims[[*KEY, "plan"]].drop_duplicates(KEY).merge(first[KEY], how="left", indicator=True)
    only_returns = only_returns[only_returns["_merge"] == "left_only"].drop(columns="_merge")
    extra = only_returns.assign(sales=0.0).set_axis(np.arange(len(periods), len(periods) + len(only_returns)))
    periods = pd.concat([periods, extra]) if len(extra) else periods
    periods = periods.merge(targets, on=KEY, how="left").set_axis(periods.index)
    good = periods["target"] > 0
    periods["attainment"] = (periods["sales"] / periods["target"]).where(good)
    needs = periods["plan"].map({name: plan.needs_target for name, plan in plans.items()}).astype(bool)
    periods["excluded"] = needs & ~good
    notes.append(_target_notes(periods[periods["excluded"]]))
    return periods


def _target_notes(out: pd.DataFrame) -> pd.DataFrame:
    """Exceptions rows for rep-months left out for want of a target."""
    if out.empty:
        return out
    month = out["period"].dt.strftime("%Y-%m")
    what = out["target"].map(lambda t: "no target" if pd.isna(t) else f"a target of {t:,.2f}")
    return _notes("Targets", "target", out["rep_id"].astype(str) + " " + month, "rep " + out["rep_id"].astype(str)
                  + " has " + what + " for " + month + "; plan " + out["plan"] + " needs one, so the month is left out")


def _kept(frame: pd.DataFrame, periods: pd.DataFrame) -> pd.DataFrame:
    """Rows of `frame` whose rep-month is not excluded, with its rp number."""
    if "rp" in frame:
        return frame[~periods["excluded"].reindex(frame["rp"]).to_numpy()]
    kept = periods.loc[~periods["excluded"], KEY].reset_index(names="rp")
    return frame.merge(kept, on=KEY)


# ------------------------------------------------------------------ lines
def _earning_lines(events: pd.DataFrame, periods: pd.DataFrame, plans: dict[str, Plan]) -> pd.DataFrame:
    """Tier and category-rate lines (amount 0 and a gate rule when the gate is not reached)."""
    rate = _category_rates(events, plans)
    tier = np.isnan(rate)
    rp = events["rp"].to_numpy()
    basis = events["basis"].to_numpy()
    size = int(periods.index.max()) + 1 if len(periods) else 0
    tier_total = np.bincount(rp, weights=np.where(tier, basis, 0.0), minlength=size)
    month = _tier_commission(periods, tier_total, plans)
    share = np.divide(basis, tier_total[rp], out=np.zeros_like(basis), where=tier_total[rp] != 0)
    cents = np.rint(round_cents(basis * np.nan_to_num(rate)) * 100).astype("int64")
    raw = month["commission"].to_numpy()[rp] * share
    cents[tier] = _allocate_cents(raw[tier], rp[tier], month["cents"].to_numpy())
    gated = month["gate"].to_numpy()[rp] != ""
    rule = np.where(tier, month["rule"].to_numpy()[rp], "category rate")
    return events.assign(
        rule=np.where(gated, month["gate"].to_numpy()[rp], rule),
        rate=np.where(gated, 0.0, np.where(tier, month["rate"].to_numpy()[rp], rate)),
        cents=np.where(gated, 0, cents),
        kind="commission",
    )


def _category_rates(events: pd.DataFrame, plans: dict[str, Plan]) -> np.ndarray:
    """Each event's category rate, NaN where the tiers apply."""
    rate = np.full(len(events), np.nan)
    for name, plan in plans.items():
        in_plan = (events["plan"] == name).to_numpy()
        for category, value in plan.category_rates:
            rate[in_plan & (events["category"] == category).to_numpy()] = value
    return rate


def _tier_commission(periods: pd.DataFrame, tier_total: np.ndarray, plans: dict[str, Plan]) -> pd.DataFrame:
    """Per rp: unrounded tier commission, its cents, effective rate, rule, and gate rule ("" if open)."""
    month = pd.DataFrame(
        {"commission": 0.0, "rule": "", "gate": ""}, index=pd.RangeIndex(len(tier_total))
    )
    for name, plan in plans.items():
        rows = periods.index[periods["plan"] == name]
        if not len(rows):
            continue
        part = periods.loc[rows]
        month.loc[rows, "commission"] = _plan_tiers(plan, tier_total[rows], part)
        month.loc[rows, "rule"] = f"tier {plan.method}"
        if plan.gate is not None:
            month.loc[rows, "gate"] = np.where(part["attainment"] < plan.gate, f"gate {_pct(plan.gate)} not reached", "")
    month["cents"] = np.rint(round_cents(month["commission"].to_numpy()) * 100).astype("int64")
    month["rate"] = np.divide(month["commission"], tier_total, out=np.zeros(len(month)), where=tier_total != 0)
    return month


def _plan_tiers(plan: Plan, tier_total: np.ndarray, part: pd.DataFrame) -> np.ndarray:
    """One plan's unrounded tier commission for its rep-months."""
    if plan.tier_basis == "amount":
        return tiered(tier_total, plan.floors, plan.rates, plan.method)
    sales = part["sales"].to_numpy()
    on_all = quota_tiered(sales, part["target"].to_numpy(), plan.floors, plan.rates, plan.method)
    return np.divide(on_all * tier_total, sales, out=np.zeros_like(sales), where=sales != 0)


def _allocate_cents(raw: np.ndarray, group: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Round `raw` amounts to whole cents so each group's cents add up to `totals[group]`.

    Every amount is rounded down, then the cents still missing go one each to the
    amounts with the largest remainders (largest remainder method).
    """
    exact = raw * 100
    floor = np.floor(exact)
    missing = totals - np.bincount(group, weights=floor, minlength=len(totals)).round().astype("int64")
    order = np.lexsort((floor - exact, group))  # by group, largest remainder first
    start = np.searchsorted(group[order], group[order])  # first position of each group
    rank = np.empty(len(raw), dtype="int64")
    rank[order] = np.arange(len(raw)) - start
    return floor.astype("int64") + (rank < missing[group])


def _cap_lines(earned: pd.DataFrame, periods: pd.DataFrame, plans: dict[str, Plan]) -> pd.DataFrame:
    """One "cap" line per rep-month whose commission is above its plan's cap."""
    caps = periods["plan"].map({name: plan.cap for name, plan in plans.items()}).astype("float64")
    cents = _per_period(earned, periods)
    over = cents - np.rint(round_cents(caps.to_numpy()) * 100)
    rows = periods[over > 0]
    return pd.DataFrame({
        "rp": rows.index, "rule": [f"cap {caps[i]:,.2f}" for i in rows.index], "basis": cents[over > 0] / 100,
        "rate": np.nan, "cents": -over[over > 0].astype("int64"), "kind": "cap",
    })


def _bonus_lines(periods: pd.DataFrame, plans: dict[str, Plan]) -> pd.DataFrame:
    """One "bonus" line per rep-month for the highest bonus level its attainment reaches."""
    parts = []
    for name, plan in plans.items():
        if not plan.bonuses:
            continue
        part = periods[(periods["plan"] == name) & ~(periods["attainment"] < (plan.gate or 0))]
        levels, amounts = np.array(plan.bonuses).T
        reached = np.searchsorted(levels, part["attainment"].fillna(-np.inf), side="right") - 1
        won = part[reached >= 0]
        hit = reached[reached >= 0]
        parts.append(pd.DataFrame({
            "rp": won.index, "rule": [f"bonus {_pct(levels[i])}" for i in hit], "basis": won["sales"].to_numpy(),
            "rate": np.nan, "cents": np.rint(round_cents(amounts[hit]) * 100).astype("int64"), "kind": "bonus",
        }))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["rp", "cents", "kind"])


def _clawback_lines(claims, earned, capped, periods) -> pd.DataFrame:
    """Negative lines giving back what each returned line earned, pro rata to the amount returned."""
    if claims.empty:
        return claims.head(0)
    cut = 1 + np.divide(_per_period(capped, periods), _per_period(earned, periods),
                        out=np.zeros(len(periods)), where=_per_period(earned, periods) != 0)
    factor = pd.Series(cut, index=periods.index)
    returned = earned[earned["order_id"].isin(claims["order_id"])]
    paid = returned.assign(paid=returned["cents"] * returned["rp"].map(factor), credited=returned["basis"])
    paid = paid.groupby(["rep_id", *LINE_KEY], as_index=False)[["paid", "credited"]].sum()
    claws = claims.merge(paid, on=["rep_id", *LINE_KEY])
    cents = -np.rint(round_cents(claws["paid"].to_numpy() / 100 * claws["ratio"].to_numpy()) * 100).astype("int64")
    rate = np.divide(claws["paid"].to_numpy() / 100, claws["credited"].to_numpy(),
                     out=np.zeros(len(claws)), where=claws["credited"].to_numpy() != 0)
    return claws.assign(basis=-claws["returned"], rule="clawback", rate=rate, cents=cents, kind="clawback")


def _per_period(lines: pd.DataFrame, periods: pd.DataFrame) -> np.ndarray:
    """Cents of `lines` per rep-month, aligned with `periods`."""
    size = int(periods.index.max()) + 1 if len(periods) else 0
    total = np.bincount(lines["rp"].to_numpy(dtype="int64"), weights=lines["cents"].to_numpy(dtype="float64"), minlength=size)
    return total[periods.index.to_numpy()]


# ------------------------------------------------------------------ output
def _finish_lines(lines: pd.DataFrame, periods: pd.DataFrame) -> pd.DataFrame:
    """Lines with rep and month, sorted by rep, month and kind, amounts in money."""
    order = periods.sort_values(KEY).index
    rank = pd.Series(np.arange(len(order)), index=order)
    rp = lines["rp"].to_numpy(dtype="int64")
    kind = pd.Categorical(lines["kind"], categories=KINDS).codes
    sort = np.lexsort((kind, rank.reindex(rp).to_numpy()))
    out = lines.iloc[sort].reset_index(drop=True)
    rp = rp[sort]
    table = periods.reindex(rp)
    return out.assign(
        rep_id=table["rep_id"].to_numpy(),
        period=table["period"].to_numpy(),
        line=out["line"].astype("Int64") if "line" in out else pd.array([pd.NA] * len(out), dtype="Int64"),
        basis=round_cents(out["basis"].to_numpy(dtype="float64")),
        rate=out["rate"].astype("float64"),
        amount=out["cents"].to_numpy(dtype="int64") / 100,
    ).reindex(columns=[*TABLES["commission_lines"].names, "rp", "cents", "kind"])


def _summary(lines: pd.DataFrame, periods: pd.DataFrame) -> pd.DataFrame:
    """One row per rep-month: sales, target, attainment and the line totals by kind."""
    table = periods.sort_values(KEY)
    size = int(periods.index.max()) + 1 if len(periods) else 0
    rp = lines["rp"].to_numpy(dtype="int64")
    totals = {}
    for kind, column in zip(KINDS, ("commission", "clawbacks", "cap_adjustment", "bonus")):
        mine = (lines["kind"] == kind).to_numpy()
        totals[column] = np.bincount(rp[mine], weights=lines["cents"].to_numpy(dtype="float64")[mine], minlength=size)
    cents = pd.DataFrame(totals).reindex(table.index)
    summary = table[KEY].assign(
        sales=round_cents(table["sales"].to_numpy()),
        target=table["target"],
        attainment=table["attainment"],
        **{c: cents[c].to_numpy() / 100 for c in cents},
        total=cents.sum(axis=1).to_numpy() / 100,
    )
    return summary.reset_index(drop=True)[TABLES["commission_summary"].names]


def _exceptions(notes: list[pd.DataFrame]) -> pd.DataFrame:
    found = [n for n in notes if len(n)]
    columns = TABLES["exceptions"].names
    return pd.concat(found, ignore_index=True)[columns] if found else pd.DataFrame(columns=columns)


def _notes(sheet: str, column: str, values: pd.Series, reasons: pd.Series) -> pd.DataFrame:
    """Exceptions rows: one per value, with its reason."""
    return pd.DataFrame({"file": "", "sheet": sheet, "row": pd.NA, "column": column,
                         "value": values.to_numpy(), "reason": reasons.to_numpy()})


def _month(dates: pd.Series) -> pd.Series:
    return month_start(dates).astype("datetime64[ns]")


def _check_filled(frame: pd.DataFrame, columns: list[str], table: str) -> None:
    """Raise naming the first row (1-based) of `table` with a required value missing."""
    for column in columns:
        blank = frame[column].isna().to_numpy()
        if blank.any():
            row = int(np.flatnonzero(blank)[0]) + 1
            raise InputError(f"{table}: row {row} has no {column}")


def _pct(fraction: float) -> str:
    return f"{fraction * 100:g}%"
