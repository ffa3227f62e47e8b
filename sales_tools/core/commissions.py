"""The commission engine: order lines in, an audit trail of commission lines and a summary out.

Conventions (they are also what a manager reads on a statement):

* **Period** = calendar month (the 1st of the month).  Everything is per rep and month.
* **Credit.** An order line is credited to its rep; when the order has rows on the
  Splits sheet it is credited to those reps instead, each with its share (the shares
  of an order must add up to 100%; splits of orders not on the Orders sheet are
  ignored).  A credited amount counts toward that rep's sales, attainment and tier
  basis.  Plans paid on collections (``credit_on`` paid) credit payments instead: a
  payment is spread over its order's lines in proportion to their amounts (equally
  when the order totals 0), then over the split reps, and counts in the month paid.
* **Tiers on the month's total.** The tiers apply to the rep's monthly total of
  sales that have no category rate, never to single lines; totals are in cents, as
  the summary shows them, so a statement can be checked by hand.  With ``tier_basis``
  attainment, the tier is picked by attainment (all credited sales, category sales
  included, / the month's target) and the tier commission is the plan's commission
  on all sales times the share of sales without a category rate (category sales
  count toward attainment but are never paid twice).  The month's tier commission
  is rounded to cents and spread back over its lines in proportion to their basis;
  the rounded lines add up exactly to it (largest remainder).  Each line shows the
  month's effective rate and the rule "tier marginal" or "tier retroactive".
* **Category rates.** Sales in a category with a ``category_rate`` earn basis x rate,
  rounded per line, rule "category rate".
* **Gate.** Below the gate attainment the month pays nothing: its lines stay, with
  amount 0 and a rule such as "gate 30% not reached", and no bonus is paid.
* **Cap.** When the month's commission (tiers + category rates, before bonuses and
  clawbacks) exceeds the cap, one "cap" line brings it down to the cap.
* **Bonus.** The fixed amount of the highest bonus level the month's attainment
  reaches (only that one), on one "bonus 100%"-style line.
* **Clawbacks.** A returned line gives back what it paid (its commission, less its
  share of any cap cut in its month) times returned / line amount, in the month of
  the return, on a negative "clawback" line; the month of the sale is not re-tiered.
  Returns do not reduce sales or attainment.
* **Money.** Every line is rounded to cents (half away from zero); a summary total is
  the sum of its rounded lines, exactly.
* **Zero and negative amounts.** Zero lines are kept and earn 0.  Negative order
  lines (credit notes) reduce the month's total; a negative month earns the mirror
  image of the positive amount (see `tiers`).  A month with only returns has its
  clawback lines and sales 0.  No order lines: empty results.
* **Cannot be paid correctly: left out and reported** (a refresh should not stop for
  one rep).  These earn nothing until fixed and each gives a row of ``exceptions``
  (the Exceptions table's columns): a rep with no plan (their lines are ignored); a
  rep-month with no target, or a target of 0 or less, when the plan needs one
  (attainment tiers, a gate or bonuses) - the whole month, clawbacks included; for
  plans paid on collections, a payment with no order ID or an unknown one.  A plan
  none of whose rep-months can be paid for want of targets raises instead: that is
  a missing Targets year, not a month of zero commission.
  Data that makes every number doubtful raises instead: a missing amount, date, rep
  or order ID; an order line given twice; split shares that do not add up; a plan
  name not on the Plan sheet; a return of an unknown order line or of more than was
  sold; two targets for one rep and month.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sales_tools.core.frames import require_columns
from sales_tools.core.money import round_cents
from sales_tools.core.plans import Plan
from sales_tools.core.tiers import quota_tiered, tiered
from sales_tools.errors import InputError, PlanError, TargetError
from sales_tools.schema import TABLES

SHARE_TOLERANCE = 1e-9
KINDS = ("commission", "clawback", "cap", "bonus")  # the order of a month's lines
_COMMISSION, _CLAWBACK, _CAP, _BONUS = range(4)
_OVER_RETURN = 0.005  # half a cent of float noise is not an over-return
# What an Exceptions row of the engine leaves unpaid, by its column: what a screen counts
LEFT_OUT = {
    "target": "rep-month(s) without a usable target",
    "plan": "rep(s) without a commission plan",
    "order_id": "payment(s) without a known order",
}


@dataclass(frozen=True)
class CommissionResult:
    """What `compute_commissions` returns.

    Attributes:
        lines: The audit trail (the Commission lines table's columns).
        summary: One row per rep and month (the Commission summary table's columns).
        exceptions: What was left out and why (the Exceptions table's columns).
        credited: Booked sales per rep and month with splits applied (rep_id, period,
            actual), by rep then month: what attainment measures.  Unlike the
            summary's sales, it counts every rep, with or without a plan or a target.
    """

    lines: pd.DataFrame
    summary: pd.DataFrame
    exceptions: pd.DataFrame
    credited: pd.DataFrame


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
        targets: Monthly targets: rep_id, period (the month's 1st), target.  Rows with
            a region or category (when those columns exist) are not a rep's total
            target and are ignored.

    Returns:
        A `CommissionResult`; no input frame is changed.

    Raises:
        SchemaError: a table lacks a column.
        InputError: see the module docstring.
        PlanError: a rep's plan is not among `plans`.
        TargetError: a rep has two targets for the same month.
    """
    notes: list[pd.DataFrame] = []
    book = _Book.read(orders, splits)
    plan_of = _plan_codes(rep_plans, plans, book.reps)
    credits = _credits(book, splits)
    credited = _credited(book, credits)
    events, claims = _basis(book, credits, payments, returns, plan_of, plans, notes)
    del credits
    grid = _Grid.of(book, events, claims)
    periods = _periods(grid, events, claims, plan_of, plans, targets, notes)
    events, claims = grid.kept(events, periods), grid.kept(claims, periods)
    periods = periods[~periods["excluded"]]
    rules: dict[str, int] = {}
    lines = _lines(events, claims, periods, plans, book, grid, rules)
    del events, claims  # a line each: freed before the output is built (memory at millions of lines)
    return CommissionResult(
        _output_lines(lines, grid, book, rules), _summary(lines, periods, grid), _exceptions(notes), credited
    )


# ------------------------------------------------------------------ the order lines as codes
@dataclass(frozen=True)
class _Book:
    """The order lines as integer codes: what the engine computes on."""

    order_id: np.ndarray  # per line, as given
    line: np.ndarray  # per line, int64
    oid: np.ndarray  # per line: position of its order ID in `orders`
    orders: pd.Index  # the distinct order IDs
    rep: np.ndarray  # per line: position of its rep in `reps`
    reps: pd.Index  # every rep ID of Orders and Splits, sorted
    month: np.ndarray  # per line: months since 1970-01
    category: np.ndarray  # per line: position in `categories`, -1 blank
    categories: pd.Index
    amount: np.ndarray  # per line, float64
    keys: np.ndarray  # sorted (order, line) keys, for `locate`
    rows: np.ndarray  # the line of each sorted key

    @classmethod
    def read(cls, orders: pd.DataFrame, splits: pd.DataFrame | None) -> _Book:
        require_columns(orders, ["order_id", "line", "order_date", "rep_id", "category", "amount"], "Orders")
        oid, order_ids = pd.factorize(orders["order_id"])
        rep, rep_ids = pd.factorize(orders["rep_id"])
        amount = _floats(orders["amount"], "Orders", "amount")
        line = _floats(orders["line"], "Orders", "line")
        month = _months(orders["order_date"], "Orders", "order_date")
        for column, blank in (("order_id", oid < 0), ("rep_id", rep < 0), ("amount", np.isnan(amount)), ("line", np.isnan(line))):
            _no_blanks(blank, "Orders", column)
        extra = [] if splits is None or "rep_id" not in splits else splits["rep_id"].dropna().tolist()
        reps = pd.Index(sorted(set(rep_ids) | set(extra)), dtype=object)
        category, categories = pd.factorize(orders["category"])
        keys, rows = _sorted_keys(oid, line.astype("int64"), orders)
        return cls(orders["order_id"].to_numpy(dtype=object), line.astype("int64"), oid, order_ids, reps.get_indexer(rep_ids)[rep],
                   reps, month, category, categories, amount, keys, rows)

    def locate(self, order_ids: pd.Series, lines: np.ndarray) -> np.ndarray:
        """The line number (position) of each (order ID, line); -1 where there is none."""
        if not len(self.keys):
            return np.full(len(lines), -1)
        oid = self.orders.get_indexer(order_ids)
        key = oid * _STRIDE + lines
        at = np.minimum(np.searchsorted(self.keys, key), len(self.keys) - 1)
        return np.where((oid >= 0) & (self.keys[at] == key), self.rows[at], -1)


_STRIDE = 1 << 20  # line numbers below this; key = order code x stride + line


def _sorted_keys(oid: np.ndarray, line: np.ndarray, orders: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Sorted order-line keys and their lines; an order line given twice raises."""
    if len(line) and (line.min() < 0 or line.max() >= _STRIDE):
        raise InputError(f"Orders: line numbers must be between 0 and {_STRIDE - 1}")
    key = oid * _STRIDE + line
    rows = np.argsort(key, kind="stable")
    keys = key[rows]
    twice = np.flatnonzero(np.diff(keys) == 0)
    if len(twice):
        first = orders.iloc[rows[twice[0] + 1]]
        raise InputError(f"Orders: order {first['order_id']} line {first['line']} is given twice")
    return keys, rows


# ------------------------------------------------------------------ credits and plans
def _credits(book: _Book, splits: pd.DataFrame | None) -> pd.DataFrame:
    """One row per order line and credited rep: ln (line number), rep, share."""
    own = pd.DataFrame({"ln": np.arange(len(book.amount)), "rep": book.rep, "share": 1.0})
    if splits is None or splits.empty:
        return own
    shares = _split_shares(splits, book)
    split = np.isin(book.oid, shares["oid"].to_numpy())
    shared = pd.DataFrame({"ln": np.flatnonzero(split), "oid": book.oid[split]}).merge(shares, on="oid")
    return pd.concat([own[~split], shared.drop(columns="oid")], ignore_index=True)


def _split_shares(splits: pd.DataFrame, book: _Book) -> pd.DataFrame:
    """Split rows as codes (oid, rep, share), checked: each order's shares add up to 100%."""
    require_columns(splits, ["order_id", "rep_id", "share"], "Splits")
    for column in ("order_id", "rep_id", "share"):
        _no_blanks(splits[column].isna().to_numpy(), "Splits", column)
    share = _floats(splits["share"], "Splits", "share")
    total = pd.Series(share).groupby(splits["order_id"].to_numpy()).sum()
    bad = total[(total - 1).abs() > SHARE_TOLERANCE]
    if len(bad):
        listed = ", ".join(f"{order} ({value:.4%})" for order, value in bad.head(5).items())
        raise InputError(f"Splits: the shares of an order must add up to 100%; they do not for order {listed}")
    shares = pd.DataFrame({"oid": book.orders.get_indexer(splits["order_id"]), "rep": book.reps.get_indexer(splits["rep_id"]), "share": share})
    return shares[shares["oid"] >= 0]


def _plan_codes(rep_plans, plans: dict[str, Plan], reps: pd.Index) -> np.ndarray:
    """Per rep code: position of its plan in `plans`, -1 without one; unknown plans raise."""
    names = pd.Series(rep_plans, dtype=object)
    names = names[names.notna()].astype(str).str.strip()
    names = names[names != ""]
    unknown = names[~names.isin(list(plans))]
    if len(unknown):
        listed = ", ".join(f"{rep} ({plan!r})" for rep, plan in unknown.head(5).items())
        raise PlanError(f"Reps: these reps' plans are not on the Plan sheet: {listed}; plans are {', '.join(plans) or 'none'}")
    codes = np.full(len(reps), -1)
    where = reps.get_indexer(names.index)
    codes[where[where >= 0]] = pd.Index(list(plans)).get_indexer(names[where >= 0])
    return codes


def _with_plans(credits: pd.DataFrame, plan_of: np.ndarray, book: _Book, notes: list) -> pd.DataFrame:
    """Credits with the rep's plan code; reps without a plan are dropped and noted."""
    plan = plan_of[credits["rep"].to_numpy()]
    counts = np.bincount(credits["rep"].to_numpy()[plan < 0], minlength=len(book.reps))
    lost = np.flatnonzero(counts)
    reps = pd.Series(book.reps[lost], dtype=object)
    notes.append(_notes("Reps", "plan", reps, "rep " + reps + " has no commission plan; "
                        + pd.Series(counts[lost]).astype(str) + " credited order lines earn nothing"))
    return credits[plan >= 0].assign(plan=plan[plan >= 0])


# ------------------------------------------------------------------ what is credited when
def _credited(book: _Book, credits: pd.DataFrame) -> pd.DataFrame:
    """`CommissionResult.credited`: booked sales per rep and month, splits applied."""
    ln = credits["ln"].to_numpy()
    frame = pd.DataFrame({"rep": credits["rep"].to_numpy(), "month": book.month[ln], "actual": book.amount[ln] * credits["share"].to_numpy()})
    sums = frame.groupby(["rep", "month"], sort=True)["actual"].sum().reset_index()
    return pd.DataFrame(
        {
            "rep_id": book.reps.to_numpy(dtype=object)[sums["rep"].to_numpy()],
            "period": sums["month"].to_numpy().astype("datetime64[M]").astype("datetime64[ns]"),
            "actual": sums["actual"].to_numpy(),
        }
    )


def _basis(book: _Book, credits, payments, returns, plan_of: np.ndarray, plans: dict[str, Plan], notes: list):
    """(events, claims): the basis of commission, and the returned share of credited lines."""
    credits = _with_plans(credits, plan_of, book, notes)
    return _events(credits, book, payments, plans, notes), _claims(returns, book, credits)


def _events(credits: pd.DataFrame, book: _Book, payments, plans: dict[str, Plan], notes: list) -> pd.DataFrame:
    """The basis of commission: ln, rep, plan, month, basis (booked lines or collected amounts)."""
    on_paid = np.array([plan.credit_on == "paid" for plan in plans.values()] + [False])
    paid = on_paid[credits["plan"].to_numpy()]
    booked = credits[~paid]
    ln = booked["ln"].to_numpy()
    booked = booked.assign(month=book.month[ln], basis=book.amount[ln] * booked["share"].to_numpy())
    columns = ["ln", "rep", "plan", "month", "basis"]
    if not paid.any():
        return booked[columns].reset_index(drop=True)
    return pd.concat([booked[columns], _collected(credits[paid], book, payments, notes)[columns]], ignore_index=True)


def _collected(credits: pd.DataFrame, book: _Book, payments, notes: list) -> pd.DataFrame:
    """Credits of plans paid on collections: each payment spread over its order's lines and reps."""
    if payments is None or payments.empty:
        return credits.head(0).assign(month=0, basis=0.0)
    require_columns(payments, ["payment_id", "payment_date", "order_id", "amount"], "Payments")
    paid = _floats(payments["amount"], "Payments", "amount")
    _no_blanks(np.isnan(paid), "Payments", "amount")
    oid = book.orders.get_indexer(payments["order_id"])
    _payment_notes(payments[oid < 0], notes)
    pays = pd.DataFrame({"oid": oid, "month": _months(payments["payment_date"], "Payments", "payment_date"), "paid": paid})
    pays = pays[oid >= 0].groupby(["oid", "month"], as_index=False)["paid"].sum()
    total = np.bincount(book.oid, weights=book.amount, minlength=len(book.orders))
    count = np.bincount(book.oid, minlength=len(book.orders))
    ln = credits["ln"].to_numpy()
    of = book.oid[ln]
    weight = np.divide(book.amount[ln], total[of], out=1 / count[of], where=total[of] != 0)
    got = credits.assign(oid=of, weight=weight).merge(pays, on="oid")
    return got.assign(basis=got["paid"] * got["weight"] * got["share"])


def _payment_notes(lost: pd.DataFrame, notes: list) -> None:
    ids = lost["payment_id"].astype(str)
    why = ("is for order " + lost["order_id"].astype(str) + ", which is not on the Orders sheet").where(
        lost["order_id"].notna(), "has no order ID")
    notes.append(_notes("Payments", "order_id", ids, "payment " + ids + " " + why + "; it earns no commission on collections"))


def _claims(returns, book: _Book, credits: pd.DataFrame) -> pd.DataFrame:
    """Returned share of each credited line: ln, rep, plan, month of the return, returned, ratio."""
    columns = ["ln", "rep", "plan", "month", "returned", "ratio"]
    if returns is None or returns.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("returned", "ratio") else "int64") for c in columns})
    require_columns(returns, ["order_id", "line", "return_date", "amount"], "Returns")
    amount = _floats(returns["amount"], "Returns", "amount")
    line = _floats(returns["line"], "Returns", "line")
    _no_blanks(np.isnan(amount) | np.isnan(line), "Returns", "amount or line")
    ln = book.locate(returns["order_id"], line.astype("int64"))
    back = pd.DataFrame({"ln": ln, "month": _months(returns["return_date"], "Returns", "return_date"), "returned": amount})
    _check_returns(back, returns, book)
    back = back.groupby(["ln", "month"], as_index=False)["returned"].sum()
    back["ratio"] = back["returned"] / book.amount[back["ln"].to_numpy()]
    claims = credits[np.isin(credits["ln"].to_numpy(), back["ln"].to_numpy())].merge(back, on="ln")
    return claims.assign(returned=claims["returned"] * claims["share"])[columns]


def _check_returns(back: pd.DataFrame, returns: pd.DataFrame, book: _Book) -> None:
    """Every return is of a known order line with a positive amount, and not of more than it."""
    ln = back["ln"].to_numpy()
    sold = np.where(ln >= 0, book.amount[ln], np.nan)
    total = back.groupby("ln")["returned"].transform("sum").to_numpy()
    for mask, reason in (
        (ln < 0, "is not on the Orders sheet"),
        (sold <= 0, "has an amount of 0 or less, so nothing can be returned"),
        (total > sold + _OVER_RETURN, "has more returned than was sold"),
    ):
        if mask.any():
            first = returns.iloc[int(np.flatnonzero(mask)[0])]
            raise InputError(f"Returns: order {first['order_id']} line {first['line']} {reason}")


# ------------------------------------------------------------------ rep-months
@dataclass(frozen=True, eq=False)
class _Grid:
    """Rep-months numbered rp = rep x months + (month - first month)."""

    first: int  # months since 1970-01 of the earliest month
    months: int
    reps: pd.Index  # rep IDs by rep code

    @classmethod
    def of(cls, book: _Book, events: pd.DataFrame, claims: pd.DataFrame) -> _Grid:
        months = np.concatenate([events["month"].to_numpy(), claims["month"].to_numpy()]).astype("int64")
        first, last = (int(months.min()), int(months.max())) if len(months) else (0, 0)
        return cls(first, last - first + 1, book.reps)

    @property
    def size(self) -> int:
        return len(self.reps) * self.months

    def rep_ids(self, rp: np.ndarray) -> np.ndarray:
        return self.reps.to_numpy(dtype=object)[rp // self.months]

    def rp(self, frame: pd.DataFrame) -> np.ndarray:
        return frame["rep"].to_numpy() * self.months + frame["month"].to_numpy() - self.first

    def kept(self, frame: pd.DataFrame, periods: pd.DataFrame) -> pd.DataFrame:
        """Rows of `frame` whose rep-month is not excluded, with their rp."""
        excluded = np.zeros(self.size, dtype=bool)
        excluded[periods.index[periods["excluded"]]] = True
        rp = self.rp(frame)
        return frame.assign(rp=rp)[~excluded[rp]]

    def period(self, rp: np.ndarray) -> np.ndarray:
        return (rp % self.months + self.first).astype("datetime64[M]").astype("datetime64[ns]")


def _periods(grid: _Grid, events, claims, plan_of, plans, targets, notes) -> pd.DataFrame:
    """One row per rep-month with a line, indexed by rp: rep, plan, sales, target, attainment, excluded."""
    rp = grid.rp(events)
    present = np.unique(np.concatenate([rp, grid.rp(claims)]))
    rep = present // grid.months
    sales = round_cents(np.bincount(rp, weights=events["basis"].to_numpy(), minlength=grid.size))
    target = _target_grid(targets, grid)[present]
    good = target > 0
    needs = np.array([plan.needs_target for plan in plans.values()] + [False])
    periods = pd.DataFrame(
        {"rep": rep, "plan": plan_of[rep], "sales": sales[present], "target": target,
         "attainment": np.where(good, sales[present] / np.where(good, target, 1), np.nan)},
        index=present,
    )
    periods["excluded"] = needs[periods["plan"].to_numpy()] & ~good
    excluded = periods[periods["excluded"]]
    _check_some_paid(periods, excluded, grid, plans)
    notes.append(_target_notes(excluded, grid, plans))
    return periods


def _check_some_paid(periods: pd.DataFrame, excluded: pd.DataFrame, grid: _Grid, plans: dict[str, Plan]) -> None:
    """A plan none of whose rep-months can be paid is an error, not a run that pays zero."""
    for code, name in enumerate(plans):
        lost = excluded[excluded["plan"] == code]
        if len(lost) and len(lost) == (periods["plan"] == code).sum():
            months = pd.Series(grid.period(lost.index.to_numpy())).dt.strftime("%Y-%m")
            raise TargetError(
                f"plan {name}: none of its {len(lost)} rep-month(s) can be paid: it needs a monthly target above 0 "
                f"and there is none ({months.min()} to {months.max()}; e.g. rep {grid.rep_ids(lost.index[:1].to_numpy())[0]}, "
                f"{months.iloc[0]}); add the reps' rows for those years on the Targets sheet"
            )


def _target_grid(targets: pd.DataFrame | None, grid: _Grid) -> np.ndarray:
    """Each rep-month's own target (NaN where none); a rep with two targets for a month raises."""
    out = np.full(grid.size, np.nan)
    if targets is None or targets.empty:
        return out
    require_columns(targets, ["rep_id", "period", "target"], "monthly targets")
    own = targets["rep_id"].notna()
    for dimension in ("region", "category"):
        if dimension in targets:
            own &= targets[dimension].isna()
    mine = targets[own]
    month = _months(mine["period"], "Targets", "period")
    twice = pd.DataFrame({"rep": mine["rep_id"].to_numpy(), "month": month}).duplicated().to_numpy()
    if twice.any():
        first = mine.iloc[int(np.flatnonzero(twice)[0])]
        raise TargetError(f"Targets: rep {first['rep_id']} has two targets for {pd.Timestamp(first['period']):%Y-%m}")
    rep = grid.reps.get_indexer(mine["rep_id"])
    inside = (rep >= 0) & (month >= grid.first) & (month < grid.first + grid.months)
    out[rep[inside] * grid.months + month[inside] - grid.first] = _floats(mine["target"], "Targets", "target")[inside]
    return out


def _target_notes(out: pd.DataFrame, grid: _Grid, plans: dict[str, Plan]) -> pd.DataFrame:
    """Exceptions rows for rep-months left out for want of a target."""
    names = np.array(list(plans), dtype=object)
    rep = pd.Series(grid.rep_ids(out.index.to_numpy()), dtype=object)
    month = pd.Series(grid.period(out.index.to_numpy())).dt.strftime("%Y-%m")
    what = pd.Series(out["target"].to_numpy()).map(lambda t: "no target" if pd.isna(t) else f"a target of {t:,.2f}")
    plan = pd.Series(names[out["plan"].to_numpy()], dtype=object)
    return _notes("Targets", "target", rep + " " + month,
                  "rep " + rep + " has " + what + " for " + month + "; plan " + plan + " needs one, so the month is left out")


# ------------------------------------------------------------------ commission lines
# Internal lines: rp, ln (order line, -1 none), basis, rule (code in `rules`), rate, cents, kind.
def _lines(events, claims, periods, plans, book: _Book, grid: _Grid, rules: dict) -> pd.DataFrame:
    """Every internal line: earnings, clawbacks, cap cuts and bonuses (in no particular order)."""
    earned = _earning_lines(events, periods, plans, book, grid, rules)
    capped = _cap_lines(earned, periods, plans, grid, rules)
    clawed = _clawback_lines(claims, earned, capped, periods, grid, rules)
    return pd.concat([earned, clawed, capped, _bonus_lines(periods, plans, rules)], ignore_index=True)


def _earning_lines(events, periods, plans, book: _Book, grid: _Grid, rules: dict) -> pd.DataFrame:
    """Tier and category-rate lines; amount 0 and a gate rule where the gate is not reached."""
    ln, rp, basis = events["ln"].to_numpy(), events["rp"].to_numpy(), events["basis"].to_numpy()
    rate = _category_rates(plans, book)[events["plan"].to_numpy(), book.category[ln] + 1]
    tier = np.isnan(rate)
    tier_total = round_cents(np.bincount(rp, weights=np.where(tier, basis, 0.0), minlength=grid.size))
    month = _tier_months(periods, tier_total, plans, rules)
    share = np.divide(basis, tier_total[rp], out=np.zeros_like(basis), where=tier_total[rp] != 0)
    cents = np.rint(round_cents(basis * np.nan_to_num(rate)) * 100).astype("int64")
    cents[tier] = _allocate_cents(month["commission"][rp[tier]] * share[tier], rp[tier], month["cents"])
    gate = month["gate"][rp]
    gated = gate >= 0
    return pd.DataFrame({
        "rp": rp, "ln": ln, "basis": basis,
        "rule": np.where(gated, gate, np.where(tier, month["rule"][rp], _code(rules, "category rate"))),
        "rate": np.where(gated, 0.0, np.where(tier, month["rate"][rp], rate)),
        "cents": np.where(gated, 0, cents), "kind": _COMMISSION,
    })


def _category_rates(plans: dict[str, Plan], book: _Book) -> np.ndarray:
    """Rate by [plan code, category code + 1]; NaN where the tiers apply."""
    table = np.full((len(plans) + 1, len(book.categories) + 1), np.nan)
    for code, plan in enumerate(plans.values()):
        for category, rate in plan.category_rates:
            where = book.categories.get_indexer([category])[0]
            if where >= 0:
                table[code, where + 1] = rate
    return table


def _tier_months(periods: pd.DataFrame, tier_total: np.ndarray, plans: dict[str, Plan], rules: dict) -> dict:
    """Per rp: unrounded tier commission, its cents, effective rate, rule code, gate rule code (-1 open)."""
    size = len(tier_total)
    commission, rule, gate = np.zeros(size), np.zeros(size, dtype="int64"), np.full(size, -1)
    for code, plan in enumerate(plans.values()):
        part = periods[periods["plan"] == code]
        rows = part.index.to_numpy()
        if not len(rows):
            continue
        commission[rows] = _plan_tiers(plan, tier_total[rows], part)
        rule[rows] = _code(rules, f"tier {plan.method}")
        if plan.gate is not None:
            gate[rows[part["attainment"].to_numpy() < plan.gate]] = _code(rules, f"gate {_pct(plan.gate)} not reached")
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


def _allocate_cents(raw: np.ndarray, group: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Whole cents for `raw` amounts such that each group's add up to `totals[group]`.

    Every amount is rounded down; the cents still missing go one each to the amounts
    with the largest remainders (the largest remainder method).  Remainders are
    compared to a billionth of a cent, so float noise is no difference; ties go to the
    earlier line.
    """
    exact = raw * 100
    floor = np.floor(exact)
    missing = totals - np.rint(np.bincount(group, weights=floor, minlength=len(totals))).astype("int64")
    # one int64 key: group, then remainder in billionths (0..1e9 < 2^30) descending
    remainder = np.rint((exact - floor) * 1e9).astype("int64")
    order = np.argsort(group.astype("int64") * 2**30 + (2**30 - 1 - remainder), kind="stable")
    sorted_group = group[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_group)) + 1]
    rank = np.empty(len(raw), dtype="int64")
    rank[order] = np.arange(len(raw)) - np.repeat(starts, np.diff(np.r_[starts, len(raw)]))
    return floor.astype("int64") + (rank < missing[group])


def _cap_lines(earned, periods, plans, grid: _Grid, rules: dict) -> pd.DataFrame:
    """One "cap" line per rep-month whose commission is above its plan's cap."""
    caps = np.array([np.nan if plan.cap is None else plan.cap for plan in plans.values()] + [np.nan])
    plan = periods["plan"].to_numpy()
    cents = _per_period(earned, grid)[periods.index.to_numpy()]
    over = cents - np.rint(round_cents(caps) * 100)[plan]
    hit = over > 0
    names = [_code(rules, f"cap {cap:,.2f}") if np.isfinite(cap) else -1 for cap in caps]
    return pd.DataFrame({
        "rp": periods.index.to_numpy()[hit], "ln": -1, "basis": cents[hit] / 100, "rule": np.array(names)[plan[hit]],
        "rate": np.nan, "cents": -over[hit].astype("int64"), "kind": _CAP,
    })


def _bonus_lines(periods: pd.DataFrame, plans: dict[str, Plan], rules: dict) -> pd.DataFrame:
    """One "bonus" line per rep-month for the highest bonus level its attainment reaches."""
    parts = [_empty_lines()]
    for code, plan in enumerate(plans.values()):
        if not plan.bonuses:
            continue
        part = periods[(periods["plan"] == code) & ~(periods["attainment"] < (plan.gate or 0))]
        levels, amounts = np.array(plan.bonuses).T
        reached = np.searchsorted(levels, part["attainment"].fillna(-np.inf).to_numpy(), side="right") - 1
        won = reached >= 0
        names = np.array([_code(rules, f"bonus {_pct(level)}") for level in levels])
        parts.append(pd.DataFrame({
            "rp": part.index.to_numpy()[won], "ln": -1, "basis": part["sales"].to_numpy()[won],
            "rule": names[reached[won]], "rate": np.nan,
            "cents": np.rint(round_cents(amounts[reached[won]]) * 100).astype("int64"), "kind": _BONUS,
        }))
    return pd.concat(parts, ignore_index=True)


def _clawback_lines(claims, earned, capped, periods, grid: _Grid, rules: dict) -> pd.DataFrame:
    """Negative lines giving back what each returned line paid, pro rata to the amount returned."""
    if claims.empty:
        return _empty_lines()
    before = _per_period(earned, grid)
    kept = 1 + np.divide(_per_period(capped, grid), before, out=np.zeros(grid.size), where=before != 0)
    mine = earned[np.isin(earned["ln"].to_numpy(), claims["ln"].to_numpy())]
    rp = mine["rp"].to_numpy()
    paid = pd.DataFrame({"rep": rp // grid.months, "ln": mine["ln"].to_numpy(),
                         "paid": mine["cents"].to_numpy() * kept[rp], "credited": mine["basis"].to_numpy()})
    claws = claims.merge(paid.groupby(["rep", "ln"], as_index=False).sum(), on=["rep", "ln"])
    paid_money = claws["paid"].to_numpy() / 100
    return pd.DataFrame({
        "rp": claws["rp"].to_numpy(), "ln": claws["ln"].to_numpy(), "basis": -claws["returned"].to_numpy(),
        "rule": _code(rules, "clawback"),
        "rate": np.divide(paid_money, claws["credited"].to_numpy(), out=np.zeros(len(claws)), where=claws["credited"].to_numpy() != 0),
        "cents": -np.rint(round_cents(paid_money * claws["ratio"].to_numpy()) * 100).astype("int64"), "kind": _CLAWBACK,
    })


def _per_period(lines: pd.DataFrame, grid: _Grid) -> np.ndarray:
    """Cents of `lines` per rp (all rps of the grid)."""
    return np.bincount(lines["rp"].to_numpy(dtype="int64"), weights=lines["cents"].to_numpy(dtype="float64"), minlength=grid.size)


def _empty_lines() -> pd.DataFrame:
    return pd.DataFrame({"rp": pd.Series(dtype="int64"), "ln": pd.Series(dtype="int64"), "basis": pd.Series(dtype="float64"),
                         "rule": pd.Series(dtype="int64"), "rate": pd.Series(dtype="float64"),
                         "cents": pd.Series(dtype="int64"), "kind": pd.Series(dtype="int64")})


# ------------------------------------------------------------------ output
def _output_lines(lines: pd.DataFrame, grid: _Grid, book: _Book, rules: dict) -> pd.DataFrame:
    """The Commission lines table from the internal lines: by rep and month, then kind (`KINDS`).

    Built a column at a time, in the schema's order, so that only one column's
    temporaries exist at once (memory at millions of lines).
    """
    order = np.argsort(lines["rp"].to_numpy(dtype="int64") * len(KINDS) + lines["kind"].to_numpy(), kind="stable")

    def column(name: str, dtype: str) -> np.ndarray:
        return lines[name].to_numpy(dtype=dtype)[order]

    rp, ln = column("rp", "int64"), column("ln", "int64")
    has = ln >= 0
    at = np.where(has, ln, 0)
    names = np.array(sorted(rules, key=rules.get), dtype=object)
    categories = np.concatenate([[None], book.categories.to_numpy(dtype=object)])
    out = pd.DataFrame({"rep_id": pd.Series(grid.rep_ids(rp), dtype=object)})
    out["period"] = grid.period(rp)
    out["order_id"] = pd.Series(np.where(has, book.order_id[at], None), dtype=object)
    out["line"] = pd.arrays.IntegerArray(np.where(has, book.line[at], 0), ~has)
    out["category"] = pd.Series(np.where(has, categories[book.category[at] + 1], None), dtype=object)
    out["basis"] = round_cents(column("basis", "float64"))
    out["rule"] = pd.Series(names[column("rule", "int64")], dtype=object)
    out["rate"] = column("rate", "float64")
    out["amount"] = column("cents", "int64") / 100
    return out[TABLES["commission_lines"].names]


def _summary(lines: pd.DataFrame, periods: pd.DataFrame, grid: _Grid) -> pd.DataFrame:
    """One row per rep-month: sales, target, attainment, and its lines' totals by kind."""
    rp = periods.index.to_numpy()
    kind, cents = lines["kind"].to_numpy(), lines["cents"].to_numpy(dtype="float64")
    columns = ("commission", "clawbacks", "cap_adjustment", "bonus")  # in KINDS order
    totals = {
        column: np.bincount(lines["rp"].to_numpy(dtype="int64")[kind == k], weights=cents[kind == k], minlength=grid.size)[rp]
        for k, column in enumerate(columns)
    }
    summary = pd.DataFrame({"rep_id": pd.Series(grid.rep_ids(rp), dtype=object)})
    summary["period"] = grid.period(rp)
    summary["sales"] = round_cents(periods["sales"].to_numpy())
    summary["target"] = periods["target"].to_numpy()
    summary["attainment"] = periods["attainment"].to_numpy()
    for column, total in totals.items():
        summary[column] = total / 100
    summary["total"] = sum(totals.values()) / 100
    return summary[TABLES["commission_summary"].names]


def _exceptions(notes: list[pd.DataFrame]) -> pd.DataFrame:
    found = [n for n in notes if len(n)]
    columns = TABLES["exceptions"].names
    return pd.concat(found, ignore_index=True)[columns] if found else pd.DataFrame(columns=columns)


def _notes(sheet: str, column: str, values: pd.Series, reasons: pd.Series) -> pd.DataFrame:
    """Exceptions rows: one per value, with its reason."""
    return pd.DataFrame({"file": "", "sheet": sheet, "row": pd.NA, "column": column,
                         "value": values.to_numpy(dtype=object), "reason": reasons.to_numpy(dtype=object)})


# ------------------------------------------------------------------ checks and conversions
def _floats(values: pd.Series, table: str, column: str) -> np.ndarray:
    """A column as floats (blanks NaN); text that is not a number raises naming its row."""
    numbers = pd.to_numeric(values, errors="coerce")
    bad = (numbers.isna() & values.notna()).to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(f"{table}: row {row + 1}, {column} {values.iloc[row]!r} is not a number")
    return numbers.to_numpy(dtype="float64")


def _months(values: pd.Series, table: str, column: str) -> np.ndarray:
    """Months since 1970-01 of a date column; a blank or non-date raises naming its row."""
    dates = pd.to_datetime(values, errors="coerce")
    _no_blanks(dates.isna().to_numpy(), table, column)
    return dates.to_numpy().astype("datetime64[M]").astype("int64")


def _no_blanks(blank: np.ndarray, table: str, column: str) -> None:
    if blank.any():
        raise InputError(f"{table}: row {int(np.flatnonzero(blank)[0]) + 1} has no {column} (or not a valid one)")


def _code(rules: dict, text: str) -> int:
    """The code of a rule text, registering it on first use."""
    return rules.setdefault(text, len(rules))


def _pct(fraction: float) -> str:
    return f"{fraction * 100:g}%"
