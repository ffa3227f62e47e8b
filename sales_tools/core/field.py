"""The field forms' KPIs per rep and period: satisfaction, customers maintained, key accounts, expenses.

Conventions (docs/field.md has a worked example):

* Satisfaction: the mean of the visits' scores (1 to 5) ÷ 5, over the scored visits of
  the period; blank when no visit was scored.  The mean, not the share of visits scoring
  4 or 5: every score counts, so a 1 weighs more than a 3.  Compared with the Settings
  ``satisfaction_target`` (default 90%, a mean of 4.5): satisfaction − target, negative below it.
* Customers maintained (客户维护数量): the distinct existing customers a rep visited or
  took an order from in the period.  Existing: created before the period (Customers
  ``created_date``), or a first order ever before it.
* Key accounts: flagged by hand (Customers ``key_account`` = Yes); Customer tiers says
  "Proposed" for the other customers of ABC class A, never setting the flag.
* Key-account share: the orders of the customers flagged ``Yes`` in Customers
  ``key_account`` ÷ all the rep's orders of the period (booked, like the KPIs' sales);
  blank without sales.
* Days present: the rep's days marked Present on the Attendance sheet (出勤).
* Expenses: the visits' expenses; sales per expense (the visits' cost efficiency, beside
  sales per hour) = sales ÷ expenses, blank without expenses.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sales_tools.core.frames import month_start
from sales_tools.core.money import round_cents

KEY = ["rep_id", "period"]
MAX_SCORE = 5
COLUMNS = ["satisfaction", "satisfaction_vs_target", "maintained_customers", "key_account_share", "expenses",
           "sales_per_expense", "days_present"]  # fmt: skip


def field_kpis(
    activities: pd.DataFrame,
    orders: pd.DataFrame,
    customers: pd.DataFrame | None,
    sales: pd.Series,
    period: str = "M",
    satisfaction_target: float = 0.9,
    attendance: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The field KPIs (`COLUMNS`) for the rep-periods of `sales` (a Series indexed by rep_id and period).

    Args:
        activities: the Activities table (activity_date, rep_id, customer_id; satisfaction and
            expenses when it has them).
        orders: the Orders table (order_date, rep_id, customer_id, amount).
        customers: the Customers table (customer_id; created_date and key_account when it has them).
        sales: each rep-period's sales, the KPIs' index.
        period: the pandas period of the KPIs.
        satisfaction_target: the Settings ``satisfaction_target``.
        attendance: the Attendance table (work_date, rep_id, status); None counts no day.
    """
    index = sales.index
    scores = _column(activities, "satisfaction")
    keyed = _keyed(activities.assign(score=scores, expenses=_column(activities, "expenses")), "activity_date", period)
    out = pd.DataFrame(index=index)
    out["satisfaction"] = keyed.groupby(KEY)["score"].mean().reindex(index) / MAX_SCORE
    out["satisfaction_vs_target"] = out["satisfaction"] - satisfaction_target
    maintained = maintained_customers(activities, orders, customers, period)
    out["maintained_customers"] = maintained.reindex(index, fill_value=0).astype("int64")
    key_sales = key_account_sales(orders, customers, period).reindex(index, fill_value=0.0)
    out["key_account_share"] = key_sales / sales.where(sales != 0)
    out["expenses"] = round_cents(keyed.groupby(KEY)["expenses"].sum().reindex(index, fill_value=0.0))
    out["sales_per_expense"] = round_cents(sales / out["expenses"].where(out["expenses"] > 0))
    out["days_present"] = _days_present(attendance, period).reindex(index, fill_value=0).astype("int64")
    return out


def _days_present(attendance: pd.DataFrame | None, period: str) -> pd.Series:
    if attendance is None or attendance.empty:
        return pd.Series(dtype="int64")
    present = attendance[attendance["status"] == "Present"]
    return _keyed(present, "work_date", period).drop_duplicates([*KEY, "work_date"]).groupby(KEY).size()


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A number column as floats; all blank when the frame has no such column (an older table)."""
    if name not in frame:
        return pd.Series(np.nan, index=frame.index, dtype="float64")
    return pd.to_numeric(frame[name], errors="coerce").astype("float64")


def _keyed(frame: pd.DataFrame, date: str, period: str) -> pd.DataFrame:
    out = frame.assign(period=month_start(frame[date], period).to_numpy())
    return out[out["rep_id"].notna()]


def maintained_customers(
    activities: pd.DataFrame, orders: pd.DataFrame, customers: pd.DataFrame | None, period: str = "M"
) -> pd.Series:
    """Per rep and period, the distinct existing customers visited or ordering (module docstring)."""
    touched = pd.concat(
        [
            _keyed(activities[["activity_date", "rep_id", "customer_id"]], "activity_date", period),
            _keyed(orders[["order_date", "rep_id", "customer_id"]], "order_date", period),
        ]
    )[[*KEY, "customer_id"]]
    first_order = pd.to_datetime(orders["order_date"]).groupby(orders["customer_id"]).min()
    since = first_order
    if customers is not None and "created_date" in customers:
        created = customers.drop_duplicates("customer_id").set_index("customer_id")["created_date"]
        since = pd.concat([first_order, pd.to_datetime(created).dropna()]).groupby(level=0).min()
    customer, known = pd.factorize(touched["customer_id"])
    since = pd.to_datetime(since.reindex(known)).to_numpy()[customer]
    existing = (since < touched["period"].to_numpy()).astype(bool)  # NaT (unknown) compares False
    # each (rep, period, customer) as one integer: much faster than dropping duplicate rows of text
    rep, reps = pd.factorize(touched["rep_id"].to_numpy()[existing])
    month, months = pd.factorize(touched["period"].to_numpy()[existing])
    per_rep, width = max(len(months), 1), max(len(known), 1)
    slot = rep.astype("int64") * per_rep + month
    counts = np.bincount(pd.unique(slot * width + customer[existing]) // width, minlength=len(reps) * per_rep)
    slots = np.flatnonzero(counts)
    index = pd.MultiIndex.from_arrays([reps[slots // per_rep], months[slots % per_rep]], names=KEY)
    return pd.Series(counts[slots], index=index, name="maintained_customers")


def key_accounts(customers: pd.DataFrame | None) -> set:
    """The IDs of the customers flagged Yes in ``key_account``."""
    if customers is None or "key_account" not in customers:
        return set()
    flag = customers["key_account"].astype("string").str.strip().str.casefold().eq("yes").fillna(False)
    return set(customers.loc[flag.to_numpy(dtype=bool), "customer_id"])


def key_account_sales(orders: pd.DataFrame, customers: pd.DataFrame | None, period: str = "M") -> pd.Series:
    """Per rep and period, the order amounts of key-account customers."""
    rows = _keyed(orders[["order_date", "rep_id", "customer_id", "amount"]], "order_date", period)
    rows = rows[rows["customer_id"].isin(key_accounts(customers))]
    return rows.groupby(KEY)["amount"].sum()


def key_account_column(tiers: pd.DataFrame, customers: pd.DataFrame) -> pd.Series:
    """Customer tiers' Key account: "Yes" when flagged on Customers, "Proposed" for the other
    customers of ABC class A (a proposal: only a manager's Yes on Customers makes one), else blank.

    >>> tiers = pd.DataFrame({"customer_id": ["C1", "C2", "C3"], "abc": ["A", "A", "B"]})
    >>> key_account_column(tiers, pd.DataFrame({"customer_id": ["C1"], "key_account": ["Yes"]})).tolist()
    ['Yes', 'Proposed', None]
    """
    flagged = tiers["customer_id"].isin(key_accounts(customers))
    proposed = (tiers["abc"] == "A") & ~flagged
    return pd.Series(np.where(flagged, "Yes", np.where(proposed, "Proposed", None)), index=tiers.index, dtype=object)
