"""Activity KPIs per rep and period: visits, visit rates, new customers, collections, sales per hour.

Conventions:

* Visits are the rows of the Activities sheet (the reps' daily reports).  Effective
  visits have an outcome in `schema.EFFECTIVE_OUTCOMES`; the closing rate counts
  outcomes in `schema.CLOSING_OUTCOMES`.  Both rates are per visit, blank (NaN) for a
  period without visits.
* New customers: customers whose first order ever falls in the period, credited to
  the rep of that first order (the earliest order, then the lowest order ID).
* Collections: payments dated in the period; a payment without a rep goes to the
  customer's owner rep (Customers sheet), and one with neither is left out.
* Sales: order amounts dated in the period (booked, before returns).
* Hours: the hours reported on the visits; sales per hour (the seeds' return on a
  rep's time) = sales / hours, blank when no hours were reported, never infinite.
* One row per rep and period that has a visit, an order or a payment.
* Report timeliness (reports due, filed, on time, late, the on-time rate and the average
  working days late) comes from `core.timeliness`; `with_timeliness` adds it, with a row
  for a rep-month that had reports due and no activity.
* Satisfaction, customers maintained, key-account share and expenses: `core.field`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sales_tools.core.field import field_kpis
from sales_tools.core.frames import month_start, require_columns
from sales_tools.core.money import round_cents
from sales_tools.core.rep_names import unnamed
from sales_tools.core.timeliness import KPI_COLUMNS
from sales_tools.schema import CLOSING_OUTCOMES, EFFECTIVE_OUTCOMES, TABLES

KEY = ["rep_id", "period"]
ACTIVITY_COLUMNS = [c for c in unnamed("kpis") if c not in KPI_COLUMNS]


def activity_kpis(
    activities: pd.DataFrame,
    orders: pd.DataFrame | None = None,
    payments: pd.DataFrame | None = None,
    customers: pd.DataFrame | None = None,
    period: str = "M",
    satisfaction_target: float = 0.9,
    attendance: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """KPIs per rep and period (see the module docstring for each definition).

    Args:
        activities: the Activities table (activity_date, rep_id, outcome, hours).
        orders: the Orders table (order_id, order_date, rep_id, customer_id, amount).
        payments: the Payments table (payment_date, customer_id, rep_id, amount).
        customers: the Customers table (customer_id, owner_rep), for payments without a rep.
        period: "M" for calendar months (the default), or another pandas period such as "W" or "Q".
        satisfaction_target: the Settings ``satisfaction_target`` the satisfaction is compared with.
        attendance: the Attendance table (work_date, rep_id, status), for the days present.

    Returns:
        A new frame with the schema's ``kpis`` columns but the timeliness ones and the
        rep's name (`ACTIVITY_COLUMNS`), by rep then period; period is the first day of the period.

    Raises:
        SchemaError: a column is missing.
        InputError: an unknown period.
    """
    visits = _visits(activities, period)
    orders, payments = _or_empty(orders, "orders"), _or_empty(payments, "payments")
    parts = [visits, _sales(orders, period), _new_customers(orders, period), _collections(payments, customers, period)]
    kpis = pd.concat(parts, axis=1).sort_index()
    counts = ["visits", "effective_visits", "closing_visits", "new_customers"]
    kpis[counts] = kpis[counts].fillna(0).astype("int64")
    kpis[["hours", "sales", "collections"]] = kpis[["hours", "sales", "collections"]].astype("float64").fillna(0.0)
    visited = kpis["visits"].where(kpis["visits"] > 0)
    kpis["effective_visit_rate"] = kpis["effective_visits"] / visited
    kpis["closing_rate"] = kpis["closing_visits"] / visited
    kpis["sales"], kpis["collections"] = round_cents(kpis["sales"]), round_cents(kpis["collections"])
    kpis["sales_per_hour"] = round_cents(kpis["sales"] / kpis["hours"].where(kpis["hours"] > 0))
    kpis = kpis.join(field_kpis(activities, orders, customers, kpis["sales"], period, satisfaction_target, attendance))
    return kpis.reset_index()[ACTIVITY_COLUMNS]


def with_timeliness(kpis: pd.DataFrame, timely: pd.DataFrame) -> pd.DataFrame:
    """`kpis` (`activity_kpis`) with the timeliness columns of `timely` (`core.timeliness.timeliness_kpis`).

    A rep-month in only one of them gets 0 counts and amounts, and blank rates, for the other.
    The columns are the KPIs sheet's but the rep's name (the refresh adds it: `core.rep_names`).
    """
    both = kpis.merge(timely, on=KEY, how="outer").sort_values(KEY, ignore_index=True)
    zero = ["visits", "effective_visits", "new_customers", "collections", "sales", "hours", "expenses"]
    zero += ["maintained_customers", "days_present"]
    zero += [c for c in KPI_COLUMNS if c.startswith("reports_")]
    zero = [c for c in zero if c in both]
    both[zero] = both[zero].fillna(0)
    ints = [c for c in zero if TABLES["kpis"].column(c).type == "int"]
    return both.astype({c: "int64" for c in ints}).reindex(columns=unnamed("kpis"))


def _or_empty(frame: pd.DataFrame | None, table: str) -> pd.DataFrame:
    return pd.DataFrame(columns=TABLES[table].names) if frame is None else frame


def _keyed(frame: pd.DataFrame, rep: pd.Series, dates: pd.Series, period: str) -> pd.DataFrame:
    """`frame` with the rep_id and period key columns (rows without a rep dropped)."""
    out = frame.assign(rep_id=rep.to_numpy(), period=month_start(dates, period).to_numpy())
    return out[out["rep_id"].notna()]


def _visits(activities: pd.DataFrame, period: str) -> pd.DataFrame:
    require_columns(activities, ["activity_date", "rep_id", "outcome", "hours"], "Activities")
    outcome = activities["outcome"]
    rows = pd.DataFrame(
        {
            "visits": 1,
            "effective_visits": outcome.isin(EFFECTIVE_OUTCOMES).to_numpy(int),
            "closing_visits": outcome.isin(CLOSING_OUTCOMES).to_numpy(int),
            "hours": pd.to_numeric(activities["hours"]).fillna(0.0).to_numpy(float),
        },
        index=range(len(activities)),
    )
    return _keyed(rows, activities["rep_id"], activities["activity_date"], period).groupby(KEY).sum()


def _sales(orders: pd.DataFrame, period: str) -> pd.Series:
    require_columns(orders, ["order_id", "order_date", "rep_id", "customer_id", "amount"], "Orders")
    rows = _keyed(orders[["amount"]], orders["rep_id"], orders["order_date"], period)
    return rows.groupby(KEY)["amount"].sum().rename("sales")


def _new_customers(orders: pd.DataFrame, period: str) -> pd.Series:
    first_day = orders[_on_first_day(orders)]  # few rows: sort only these
    first = first_day.sort_values(["order_date", "order_id"], kind="stable").drop_duplicates("customer_id")
    rows = _keyed(first[["customer_id"]], first["rep_id"], first["order_date"], period)
    return rows.groupby(KEY).size().rename("new_customers")


def _on_first_day(orders: pd.DataFrame) -> np.ndarray:
    """Whether each order line is dated on its customer's earliest order date (customer codes: no text groupby)."""
    dates = pd.to_datetime(orders["order_date"]).to_numpy()
    customer, known = pd.factorize(orders["customer_id"].to_numpy(object))
    day, dated = dates.view("int64"), (customer >= 0) & ~np.isnat(dates)
    first = np.full(len(known) + 1, np.iinfo("int64").max)  # the last for no customer (code -1)
    np.minimum.at(first, customer[dated], day[dated])
    return dated & (day == first[customer])


def _collections(payments: pd.DataFrame, customers: pd.DataFrame | None, period: str) -> pd.Series:
    require_columns(payments, ["payment_date", "customer_id", "rep_id", "amount"], "Payments")
    rep = payments["rep_id"]
    if customers is not None:
        require_columns(customers, ["customer_id", "owner_rep"], "Customers")
        owner = customers.drop_duplicates("customer_id").set_index("customer_id")["owner_rep"]
        rep = rep.fillna(payments["customer_id"].map(owner))
    rows = _keyed(payments[["amount"]], rep, payments["payment_date"], period)
    return rows.groupby(KEY)["amount"].sum().rename("collections")
