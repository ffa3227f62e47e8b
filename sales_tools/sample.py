"""Realistic, seeded sample data: every input table of the master workbook.

`generate()` builds a small trading company: 12 reps in 4 regions, about 400
customers whose value follows a Pareto (80/20-like) curve, two years of orders with
seasonality, returns, late and missing payments, visit plans and daily activities,
targets for the second year set from the first year's actuals (revenue and gross
margin: every line has a unit cost), and three commission plans, one of them paid on
margin.  The same seed always gives identical frames.  No third-party data is used.
In Chinese (`use("zh-CN")`) the same draws give the same rows, their texts in Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from sales_tools.core.frames import as_text
from sales_tools.core.money import round_cents
from sales_tools.core.refresh import refresh
from sales_tools.core.targets import growth_targets, next_year_targets
from sales_tools.core.variance import credited_sales
from sales_tools.sample_catalog import (
    CATEGORIES,
    COST_RATIOS,
    INDUSTRIES,
    MANAGERS,
    MARGIN_REPS,
    NAME_STEMS,
    NAME_SUFFIXES,
    NEVER_PAID,
    ORDERS_PER_MONTH,
    OUTCOME_ODDS,
    PAYMENT_METHODS,
    REGIONS,
    REP_GROWTH,
    REP_NAMES,
    RETURN_RATE,
    RETURN_REASONS,
    SEASONALITY,
    TEAM_GROWTH,
    YEARLY_GROWTH,
    column_map_table,
    email,
    plan_table,
    sample_in_chinese,
    settings_table,
)
from sales_tools.schema import CUSTOMER_SIZES, INPUT_TABLES, TABLES, VISIT_OUTCOMES, VISIT_PURPOSES
from sales_tools.schema.language import ENGLISH, current

SAMPLE_SEED = 7  # the committed master's sample
SAMPLE_AS_OF = "2024-12-20"  # its date of the figures, on its Settings sheet
_DTYPES = {"int": "int64", "number": "float64", "money": "float64", "percent": "float64",
           "date": "datetime64[ns]", "month": "datetime64[ns]", "bool": "bool"}  # fmt: skip


@dataclass(frozen=True)
class _Company:
    """What the orders, visits, targets and splits are drawn from."""

    reps: pd.DataFrame
    customers: pd.DataFrame  # with an `arrival` column until the orders are drawn
    weights: np.ndarray  # each customer's buying weight (Pareto)
    start: pd.Timestamp  # the first day of the first month
    end: pd.Timestamp  # the last day of the last month
    months: int


def generate(
    seed: int = SAMPLE_SEED, start: str = "2023-01-01", months: int = 24, as_of: str = ""
) -> dict[str, pd.DataFrame]:
    """Every input table of the schema, filled with realistic, reproducible data.

    Args:
        seed: the random seed; the same seed gives identical frames.
        start: the first day of the first month of orders.
        months: how many months of orders, payments and visits.
        as_of: the Settings sheet's date of the figures (blank: the schema default).

    Returns:
        A dict from table name (as in `schema.TABLES`) to a frame with exactly the
        schema's columns and dtypes; dates are Timestamps.

    >>> data = generate(months=12)
    >>> len(data["reps"]), sorted(data["reps"]["region"].unique())
    (12, ['East', 'North', 'South', 'West'])
    """
    rng = np.random.default_rng(seed)
    start_ts = pd.Timestamp(start).normalize().replace(day=1)
    end_ts = start_ts + pd.DateOffset(months=months) - pd.Timedelta(days=1)
    reps = _reps(rng, start_ts)
    customers, weights, churn = _customers(rng, reps, start_ts, end_ts)
    big_retail = (customers["industry"] == "Retail") & customers["size"].isin(["Large", "Enterprise"])
    customers["channel"] = np.where(big_retail, "Dealer", "Direct")  # the big retailers resell
    company = _Company(reps, customers, weights, start_ts, end_ts, months)
    orders = _orders(rng, company, churn)
    orders["unit_cost"] = _unit_costs(np.random.default_rng([seed, 1]), orders)  # its own draws: the rest unchanged
    company = replace(company, customers=_set_new_customer_dates(rng, customers, orders, start_ts))
    returns = _returns(rng, orders, end_ts)
    payments = _payments(rng, orders, returns, end_ts)
    visit_plans, activities = _visits(rng, company, orders, payments)
    forms = _field_forms(np.random.default_rng(seed + 1), company, activities)  # own stream: the rest unchanged
    tables = {
        "settings": settings_table(start_ts, months, as_of), "reps": reps, "customers": company.customers,
        "categories": pd.DataFrame({"category": list(CATEGORIES), "description": [f"{c} products" for c in CATEGORIES]}),
        "targets": pd.concat([_targets(rng, orders, returns, company), _margin_targets(orders, company)]),
        "seasonality": pd.DataFrame({"month": range(1, 13), "weight": SEASONALITY}),
        "plan": plan_table(), "splits": _splits(rng, orders, company),
        "orders": orders, "returns": returns, "payments": payments,
        "visit_plans": visit_plans, "activities": forms.pop("activities"), "column_map": column_map_table(),
        **forms,
    }  # fmt: skip
    typed = {t.name: _typed(t.name, tables.get(t.name, pd.DataFrame(columns=t.names))) for t in INPUT_TABLES}
    return typed if current() == ENGLISH else {name: _in_chinese(name, df) for name, df in typed.items()}  # none closed


def sample_tables() -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    """(inputs, computed) of the committed master: the sample, its Settings dated `SAMPLE_AS_OF`, and its refresh."""
    inputs = generate(SAMPLE_SEED, as_of=SAMPLE_AS_OF)
    return inputs, refresh(inputs)


def _typed(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """`df` with exactly the schema's columns, in order, cast to the schema's dtypes."""
    out = df.reindex(columns=TABLES[name].names)
    for col in TABLES[name].columns:
        values = out[col.name]
        if col.type == "text":
            out[col.name] = as_text(values)
        else:
            out[col.name] = values.astype("Int64" if col.type == "int" and values.isna().any() else _DTYPES[col.type])
    return out.reset_index(drop=True)


def _in_chinese(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """`df` with its data texts (names, regions, categories, notes) in Chinese; codes, dropdown values (shown as
    labels by the writers), the Settings and the Column map (already in the language) as they are."""
    if name in ("settings", "column_map"):
        return df
    texts = [c.name for c in TABLES[name].columns if c.type == "text" and not c.allowed]
    return df.assign(**{c: df[c].map(sample_in_chinese, na_action="ignore") for c in texts})


def _business_days(rng, lo: pd.Timestamp, hi: pd.Timestamp, n: int) -> np.ndarray:
    """`n` random weekdays in [lo, hi] as datetime64[D]."""
    span = np.busday_count(lo.date(), (hi + pd.Timedelta(days=1)).date())
    return np.busday_offset(lo.date(), rng.integers(0, span, n), roll="forward")


def _reps(rng, start_ts: pd.Timestamp) -> pd.DataFrame:
    n = len(REP_NAMES)
    region_idx = np.arange(n) % len(REGIONS)
    # The West region hunts new business on an amount-based plan paid on collections.
    plan = np.where(np.asarray(REGIONS)[region_idx] == "West", "Hunter", "Standard")
    plan = np.where(np.isin([f"R{i + 1:02d}" for i in range(n)], MARGIN_REPS), "Margin", plan)
    started = start_ts - pd.to_timedelta(rng.integers(60, 2500, n), unit="D")
    return pd.DataFrame(
        {
            "rep_id": [f"R{i + 1:02d}" for i in range(n)],
            "name": REP_NAMES,
            "region": np.asarray(REGIONS)[region_idx],
            "manager": np.asarray(MANAGERS)[region_idx],
            "start_date": started,
            "plan": plan,
            "email": [email(name) for name in REP_NAMES],
        }
    )


def _customers(rng, reps: pd.DataFrame, start_ts, end_ts, n: int = 400):
    """Customers, their buying weights (Pareto) and the date each one stops buying (NaT = never)."""
    # Pareto quantiles with shape 1.3: the top 20% of customers hold about 70% of the weight.
    weights = (1 - (np.arange(n) + 0.5) / n) ** (-1 / 1.3)
    weights = rng.permutation(weights)
    size_idx = np.digitize(weights, np.quantile(weights, [0.45, 0.80, 0.96]))
    # Deal customers to reps from the most valuable down, a shuffled round at a time,
    # so every rep gets a fair share of big accounts.
    rounds = np.concatenate([rng.permutation(len(reps)) for _ in range(-(-n // len(reps)))])[:n]
    rep_idx = np.empty(n, dtype=int)
    rep_idx[np.argsort(-weights, kind="stable")] = rounds
    names = [
        f"{NAME_STEMS[i % len(NAME_STEMS)]} {INDUSTRIES[j]} {NAME_SUFFIXES[k]}"
        for i, j, k in zip(range(n), rng.integers(0, len(INDUSTRIES), n), rng.integers(0, len(NAME_SUFFIXES), n))
    ]
    created = start_ts - pd.to_timedelta(rng.integers(30, 3000, n), unit="D")
    customers = pd.DataFrame(
        {
            "customer_id": [f"C{i + 1:04d}" for i in range(n)],
            "name": [f"{name} {i + 1}" if names.count(name) > 1 else name for i, name in enumerate(names)],
            "industry": np.asarray(INDUSTRIES)[rng.integers(0, len(INDUSTRIES), n)],
            "size": np.asarray(CUSTOMER_SIZES)[size_idx],
            "region": reps["region"].to_numpy()[rep_idx],
            "owner_rep": reps["rep_id"].to_numpy()[rep_idx],
            "created_date": created,
        }
    )
    # A quarter of the customers are new during the period (first order later on);
    # one in ten stops buying at some point (they go dormant).
    span = (end_ts - start_ts).days
    arrival = np.where(rng.random(n) < 0.25, start_ts + pd.to_timedelta(rng.integers(0, span, n), unit="D"), pd.NaT)
    customers["arrival"] = pd.Series(arrival, dtype="datetime64[ns]")
    churn = pd.Series(
        np.where(rng.random(n) < 0.10, start_ts + pd.to_timedelta(rng.integers(span // 3, span, n), unit="D"), pd.NaT),
        dtype="datetime64[ns]",
    )
    return customers, weights, churn


def _orders(rng, company: _Company, churn: pd.Series) -> pd.DataFrame:
    customers, weights, months = company.customers, company.weights, company.months
    month_starts = pd.date_range(company.start, periods=months, freq="MS")
    growth = (1 + YEARLY_GROWTH) ** (np.arange(months) / 12)
    counts = rng.poisson(ORDERS_PER_MONTH * 12 * np.asarray(SEASONALITY)[month_starts.month - 1] * growth)
    month_of_order = np.repeat(np.arange(months), counts)
    lo = month_starts[month_of_order]
    days_in_month = lo.days_in_month.to_numpy()
    day = rng.integers(0, days_in_month)
    dates = pd.DatetimeIndex(
        np.busday_offset((lo + pd.to_timedelta(day, unit="D")).values.astype("datetime64[D]"), 0, roll="forward")
    )
    cust = rng.choice(len(customers), size=len(dates), p=weights / weights.sum())
    arrival = pd.DatetimeIndex(customers["arrival"].to_numpy()[cust])
    stop = pd.DatetimeIndex(churn.to_numpy()[cust])
    keep = ~(arrival > dates) & ~(stop <= dates)
    dates, cust = dates[keep], cust[keep]
    order = np.argsort(dates.values, kind="stable")
    dates, cust = dates[order], cust[order]
    n_orders = len(dates)
    n_lines = rng.choice([1, 2, 3, 4], size=n_orders, p=[0.45, 0.30, 0.15, 0.10])
    idx = np.repeat(np.arange(n_orders), n_lines)
    line = np.arange(len(idx)) - np.repeat(np.cumsum(n_lines) - n_lines, n_lines) + 1
    names = list(CATEGORIES)
    share, price, qty = (np.array([CATEGORIES[c][i] for c in names]) for i in range(3))
    cat = rng.choice(len(names), size=len(idx), p=share)
    quantity = np.maximum(1, rng.poisson(qty[cat])).astype(float)
    unit_price = round_cents(price[cat] * rng.lognormal(0, 0.25, len(idx)))
    years = dates.year.to_numpy()
    return pd.DataFrame(
        {
            "order_id": [f"SO-{y % 100:02d}-{i + 1:05d}" for y, i in zip(years[idx], idx)],
            "line": line,
            "order_date": dates[idx],
            "rep_id": customers["owner_rep"].to_numpy()[cust][idx],
            "customer_id": customers["customer_id"].to_numpy()[cust][idx],
            "category": np.asarray(names)[cat],
            "quantity": quantity,
            "unit_price": unit_price,
            "amount": round_cents(quantity * unit_price),
            "source": "sample",
        }
    )


def _unit_costs(rng, orders: pd.DataFrame) -> np.ndarray:
    """Each line's unit cost: its unit price x its category's `COST_RATIOS`, about 8% either way."""
    ratio = orders["category"].map(COST_RATIOS).to_numpy(dtype=float)
    return round_cents(orders["unit_price"].to_numpy() * ratio * rng.lognormal(0, 0.08, len(orders)))


def _set_new_customer_dates(rng, customers: pd.DataFrame, orders: pd.DataFrame, start_ts) -> pd.DataFrame:
    """New customers are created a few days before their first order."""
    first = orders.groupby("customer_id")["order_date"].min()
    first = customers["customer_id"].map(first)
    is_new = customers["arrival"].notna() & first.notna()
    before = pd.to_timedelta(rng.integers(0, 15, len(customers)), unit="D")
    created = customers["created_date"].mask(is_new, first - before)
    # A new customer with no order yet is a prospect, created on its arrival date.
    created = created.mask(customers["arrival"].notna() & first.isna(), customers["arrival"])
    return customers.assign(created_date=created).drop(columns="arrival")


def _returns(rng, orders: pd.DataFrame, end_ts) -> pd.DataFrame:
    """About 3% of order lines come back 1-45 days later (before the end of the data)."""
    days_left = (end_ts - orders["order_date"]).dt.days.to_numpy()
    picked = orders[(rng.random(len(orders)) < RETURN_RATE) & (days_left >= 1)]
    delay = 1 + np.floor(rng.random(len(picked)) * np.minimum(45, days_left[picked.index])).astype(int)
    date = picked["order_date"] + pd.to_timedelta(delay, unit="D")
    partial = rng.random(len(picked)) < 0.3
    amount = np.where(partial, round_cents(picked["amount"].to_numpy() * 0.5), picked["amount"].to_numpy())
    return pd.DataFrame(
        {
            "order_id": picked["order_id"],
            "line": picked["line"],
            "return_date": date,
            "amount": amount,
            "reason": np.asarray(RETURN_REASONS)[rng.integers(0, len(RETURN_REASONS), len(picked))],
            "source": "sample",
        }
    )


def _payments(rng, orders: pd.DataFrame, returns: pd.DataFrame, end_ts) -> pd.DataFrame:
    """One payment per order, net of returns, 15-90 days later; some never paid, recent ones not yet."""
    net = orders.groupby("order_id", sort=False).agg(
        order_date=("order_date", "first"),
        customer_id=("customer_id", "first"),
        rep_id=("rep_id", "first"),
        amount=("amount", "sum"),
    )
    net["amount"] = round_cents(
        net["amount"] - returns.groupby("order_id")["amount"].sum().reindex(net.index).fillna(0.0)
    )
    delay = np.clip(np.round(rng.gamma(4.0, 10.0, len(net))), 15, 90)
    net["payment_date"] = net["order_date"] + pd.to_timedelta(delay, unit="D")
    paid = net[(net["payment_date"] <= end_ts) & (rng.random(len(net)) >= NEVER_PAID) & (net["amount"] > 0)]
    paid = paid.sort_values("payment_date", kind="stable").reset_index()
    return paid.assign(
        payment_id=[f"PAY-{i + 1:05d}" for i in range(len(paid))],
        method=np.asarray(PAYMENT_METHODS)[rng.integers(0, len(PAYMENT_METHODS), len(paid))],
        source="sample",
    )


def _visits(rng, company: _Company, orders: pd.DataFrame, payments: pd.DataFrame):
    """Planned visits, and the activities reported: every order and most payments, plus other visits."""
    reps, customers, weights = company.reps, company.customers, company.weights
    start_ts, end_ts = company.start, company.end
    n = int(len(reps) * np.busday_count(start_ts.date(), (end_ts + pd.Timedelta(days=1)).date()) * 0.8)
    date = _business_days(rng, start_ts, end_ts, n)
    cust = rng.choice(len(customers), size=n, p=np.sqrt(weights) / np.sqrt(weights).sum())
    purposes = np.asarray([p for p in VISIT_PURPOSES if p != "Take order"])
    odds = np.array([0.12, 0.10, 0.18, 0.35, 0.10, 0.15])
    visits = pd.DataFrame(
        {
            "visit_date": pd.DatetimeIndex(date),
            "rep_id": customers["owner_rep"].to_numpy()[cust],
            "customer_id": customers["customer_id"].to_numpy()[cust],
            "purpose": purposes[rng.choice(len(purposes), size=n, p=odds)],
        }
    )
    created = customers.set_index("customer_id")["created_date"]
    visits = visits[visits["visit_date"] >= visits["customer_id"].map(created) - pd.Timedelta(days=30)]
    order_visits = orders.groupby("order_id", sort=False).agg(
        visit_date=("order_date", "first"),
        rep_id=("rep_id", "first"),
        customer_id=("customer_id", "first"),
        order_amount=("amount", "sum"),
    )
    order_visits = order_visits.assign(
        order_amount=round_cents(order_visits["order_amount"]), purpose="Take order", outcome="Order taken"
    )
    pay_visits = payments[rng.random(len(payments)) < 0.5].rename(
        columns={"payment_date": "visit_date", "amount": "collected_amount"}
    )
    pay_visits = pay_visits.assign(purpose="Collect payment", outcome="Payment collected")
    outcome_p = np.array([OUTCOME_ODDS[p] for p in visits["purpose"]])
    pick = (rng.random(len(visits))[:, None] > np.cumsum(outcome_p, axis=1)).sum(axis=1)
    visits = visits.assign(outcome=np.asarray(VISIT_OUTCOMES)[np.minimum(pick, len(VISIT_OUTCOMES) - 1)])
    # An order or payment on another visit's day replaces it; its visit comes first.
    key = ["visit_date", "rep_id", "customer_id"]
    done = (
        pd.concat([order_visits, pay_visits, visits], ignore_index=True)
        .drop_duplicates(key)
        .sort_values(key, ignore_index=True)
    )
    done["hours"] = rng.integers(2, 13, len(done)) * 0.25
    # "Order taken" from a plain visit has no order behind it: the rep reports none.
    done.loc[(done["outcome"] == "Order taken") & done["order_amount"].isna(), "outcome"] = "Follow-up needed"
    planned = done[rng.random(len(done)) < 0.85]
    area = planned["customer_id"].map(customers.set_index("customer_id")["region"])
    plans = planned[key + ["purpose"]].assign(
        area=area,
        planned_time=[
            f"{h:02d}:{m:02d}" for h, m in zip(rng.integers(8, 17, len(planned)), rng.choice([0, 30], len(planned)))
        ],
        source="sample",
    )
    activities = done.rename(columns={"visit_date": "activity_date"}).assign(source="sample")
    complaint = activities["outcome"] == "Complaint handled"
    activities["complaint"] = np.where(complaint, "Late delivery", None)
    activities["feedback"] = np.where(activities["outcome"] == "No interest", "Budget frozen this quarter", None)
    return _received(plans, "visit_date", (0, 1), (0.9, 0.1)), _received(activities, "activity_date", (1, 2, 3),
                                                                          (0.75, 0.17, 0.08))  # fmt: skip


def _received(rows: pd.DataFrame, date: str, days: tuple[int, ...], odds: tuple[float, ...]) -> pd.DataFrame:
    """`rows` with received_at: a daily report `days` working days after its day, a visit plan after its
    week's Monday, at those `odds` (a generator of its own: the other tables do not change with it)."""
    rng = np.random.default_rng(len(rows))
    base = rows[date].dt.normalize()
    if date == "visit_date":
        base = base - pd.to_timedelta(base.dt.day_of_week, unit="D")
    late = rng.choice(days, size=len(rows), p=odds)
    received = np.busday_offset(base.to_numpy("datetime64[D]"), late, roll="forward")
    return rows.assign(received_at=pd.to_datetime(received) + pd.to_timedelta(rng.integers(8, 20, len(rows)), unit="h"))


def _field_forms(rng, company: _Company, activities: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The field forms: satisfaction, expenses and insights on the visits met, attendance, market
    situation reports, complaints (some still open weeks later) and a few key accounts."""
    met = activities["outcome"] != "Not met"
    score = rng.choice([2, 3, 4, 5], size=len(activities), p=[0.04, 0.12, 0.44, 0.40])
    activities = activities.assign(
        satisfaction=pd.array(np.where(met, score, 0), dtype="Int64"),
        expenses=round_cents(rng.integers(0, 16, len(activities)) * 5.0),
        insights=np.where(met & (rng.random(len(activities)) < 0.05), "Asks for faster delivery", None),
    )
    activities.loc[~met, "satisfaction"] = pd.NA
    days = activities[["activity_date", "rep_id"]].drop_duplicates().sort_values(["activity_date", "rep_id"])
    status = rng.choice(["Present", "Leave", "Sick"], size=len(days), p=[0.96, 0.03, 0.01])
    attendance = days.rename(columns={"activity_date": "work_date"}).assign(status=status, source="sample")
    customers, reps = company.customers, company.reps
    moves = activities.sample(n=30, random_state=rng.integers(1 << 31)).sort_values("activity_date")
    market = pd.DataFrame({
        "report_date": moves["activity_date"].to_numpy(), "rep_id": moves["rep_id"].to_numpy(),
        "area": moves["rep_id"].map(reps.set_index("rep_id")["region"]).to_numpy(),
        "competitor": rng.choice(["Rival Supply", "Acme Wholesale", "Prime Trade"], size=len(moves)),
        "move": rng.choice(["Price", "Promotion", "New product", "Other"], size=len(moves)),
        "details": "Seen at the customer's", "impact": rng.choice(["Low", "Medium", "High"], size=len(moves)),
        "response": "Match the offer for key accounts", "source": "sample",
    }).drop_duplicates(["report_date", "rep_id", "area", "competitor", "move"])  # fmt: skip
    raised = activities[activities["outcome"] == "Complaint handled"].tail(40)
    closed = rng.random(len(raised)) < 0.7
    complaints = pd.DataFrame({
        "complaint_date": raised["activity_date"].to_numpy(), "rep_id": raised["rep_id"].to_numpy(),
        "customer_id": raised["customer_id"].to_numpy(), "product": None, "complaint": "Late delivery",
        "severity": rng.choice(["Low", "Medium", "High"], size=len(raised)),
        "action": "Reshipped", "status": np.where(closed, "Closed", rng.choice(["Open", "In progress"], len(raised))),
        "closed_on": np.where(closed, raised["activity_date"] + pd.Timedelta(days=2), pd.NaT), "source": "sample",
    })  # fmt: skip
    complaints["complaint_id"] = (
        complaints["rep_id"]
        + "-"
        + complaints["complaint_date"].dt.strftime("%Y%m%d")
        + "-"
        + complaints["customer_id"]
    )
    biggest = np.argsort(-company.weights, kind="stable")[:10]
    key = np.zeros(len(customers), dtype=bool)
    key[rng.choice(biggest, 6, replace=False)] = True  # the rest of class A stays a proposal
    return {
        "customers": customers.assign(key_account=np.where(key, "Yes", None)),
        "activities": activities, "attendance": attendance, "market_reports": market,
        "complaints": complaints.drop_duplicates("complaint_id"),
    }  # fmt: skip


def _year_actuals(orders: pd.DataFrame, reps: pd.DataFrame, year: int) -> pd.DataFrame:
    """year, rep_id, actual: each rep's order amounts in `year`."""
    in_year = orders[orders["order_date"].dt.year == year]
    actual = in_year.groupby("rep_id")["amount"].sum().reindex(reps["rep_id"], fill_value=0.0)
    return pd.DataFrame({"year": year, "rep_id": actual.index, "actual": actual.to_numpy()})


def _targets(rng, orders: pd.DataFrame, returns: pd.DataFrame, company: _Company) -> pd.DataFrame:
    """Year one near what was sold (round thousands); later years +15% per rep and +10% for the
    team, each region, each category and the three biggest dealers; the year after the data
    likewise, from the net sales (`core.targets.next_year_targets`)."""
    reps = company.reps
    years = sorted({(company.start + pd.DateOffset(months=m)).year for m in range(company.months)})
    first = _year_actuals(orders, reps, years[0])
    set_before = np.round(first["actual"].to_numpy() * rng.uniform(0.9, 1.1, len(first)), -3)
    rows = [
        pd.DataFrame({"year": years[0], "rep_id": first["rep_id"], "annual_target": set_before}),
        pd.DataFrame({"year": [years[0]], "rep_id": [None], "annual_target": [set_before.sum()]}),
    ]
    rows += [growth_targets(_year_actuals(orders, reps, year - 1), TEAM_GROWTH, REP_GROWTH) for year in years[1:]]
    sales = credited_sales(
        orders, returns, pd.DataFrame(columns=["order_id", "rep_id", "share"]), reps, company.customers
    )
    for year in years[1:]:
        grown = next_year_targets(sales, year, TEAM_GROWTH, REP_GROWTH)
        rows += [grown[grown["region"].notna() | grown["category"].notna()], _dealer_targets(sales, year)]
    rows += [next_year_targets(sales, years[-1] + 1, TEAM_GROWTH, REP_GROWTH), _dealer_targets(sales, years[-1] + 1)]
    return pd.concat(rows, ignore_index=True)


def _margin_targets(orders: pd.DataFrame, company: _Company) -> pd.DataFrame:
    """Margin targets (measure margin) for every year of the data: year one each rep's gross
    margin rounded to thousands and the team's their sum; later years +15% per rep and +10%
    for the team over the year before (`core.targets.growth_targets`)."""
    years = sorted({(company.start + pd.DateOffset(months=m)).year for m in range(company.months)})
    margin = orders.assign(amount=orders["amount"] - orders["quantity"] * orders["unit_cost"])
    first = _year_actuals(margin, company.reps, years[0])
    set_before = np.round(first["actual"].to_numpy(), -3)
    rows = [
        pd.DataFrame({"year": years[0], "rep_id": first["rep_id"], "annual_target": set_before}),
        pd.DataFrame({"year": [years[0]], "rep_id": [None], "annual_target": [set_before.sum()]}),
    ]
    rows += [
        growth_targets(_year_actuals(margin, company.reps, year - 1), TEAM_GROWTH, REP_GROWTH) for year in years[1:]
    ]
    return pd.concat(rows, ignore_index=True).assign(measure="margin")


def _dealer_targets(sales: pd.DataFrame, year: int) -> pd.DataFrame:
    """The three biggest dealers of the year before: their net sales + TEAM_GROWTH."""
    last = sales[sales["period"].dt.year == year - 1].groupby("dealer")["actual"].sum().nlargest(3)
    return pd.DataFrame(
        {"year": year, "dealer": last.index, "annual_target": round_cents(last.to_numpy() * (1 + TEAM_GROWTH))}
    )


def _splits(rng, orders: pd.DataFrame, company: _Company, n: int = 12) -> pd.DataFrame:
    """A few last-year orders shared between their rep and a colleague of the same region."""
    reps = company.reps
    last_year = orders[orders["order_date"] >= company.start + pd.DateOffset(months=company.months - 12)]
    heads = last_year.drop_duplicates("order_id")
    picked = heads.iloc[np.sort(rng.choice(len(heads), size=min(n, len(heads)), replace=False))]
    region = reps.set_index("rep_id")["region"]
    same_region = reps.groupby("region")["rep_id"].agg(list)
    colleagues = [[r for r in same_region[region[rep]] if r != rep] for rep in picked["rep_id"]]
    other = [c[i % len(c)] for c, i in zip(colleagues, rng.integers(0, 10, len(picked)))]
    share = rng.choice([0.5, 0.6, 0.7], size=len(picked))
    return pd.DataFrame(
        {
            "order_id": np.concatenate([picked["order_id"], picked["order_id"]]),
            "rep_id": np.concatenate([picked["rep_id"], other]),
            "share": np.concatenate([share, np.round(1 - share, 2)]),
        }
    ).sort_values(["order_id", "share"], ascending=[True, False], ignore_index=True)
