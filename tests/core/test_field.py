"""The field KPIs (core.field through core.kpis.activity_kpis), computed by hand."""

import pandas as pd
import pytest

from sales_tools.core.field import key_account_column, maintained_customers
from sales_tools.core.kpis import ACTIVITY_COLUMNS, activity_kpis

NOV, JAN, FEB = pd.Timestamp(2023, 11, 1), pd.Timestamp(2024, 1, 1), pd.Timestamp(2024, 2, 1)

CUSTOMERS = pd.DataFrame(
    {
        "customer_id": ["C1", "C2", "C3", "C4"],
        "owner_rep": ["R1", "R1", "R2", "R1"],
        "created_date": pd.to_datetime(["2023-12-15", "2024-01-10", None, None]),
        "key_account": ["Yes", None, "yes ", None],  # C3's flag typed in lower case with a space
    }
)
ACTIVITIES = pd.DataFrame(
    {
        "activity_date": pd.to_datetime(
            ["2024-01-05", "2024-01-06", "2024-01-20", "2024-01-21", "2024-02-02", "2024-01-09"]
        ),
        "rep_id": ["R1", "R1", "R1", "R1", "R1", "R2"],
        "customer_id": ["C1", "C2", "C1", "C4", "C2", "C3"],
        "outcome": ["Order taken", "Follow-up needed", "Complaint handled", "Order taken", "Order taken", "Not met"],
        "hours": [1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        "satisfaction": pd.array([5, 4, 3, None, 2, 5], dtype="Int64"),
        "expenses": [20.0, 10.5, 0.0, None, 30.0, 12.0],
    }
)
ORDERS = pd.DataFrame(
    {
        "order_id": ["O0", "O1", "O2", "O3", "O4", "O5"],
        "order_date": pd.to_datetime(
            ["2023-11-05", "2024-01-05", "2024-01-15", "2024-01-25", "2024-02-02", "2024-01-09"]
        ),
        "rep_id": ["R2", "R1", "R1", "R1", "R1", "R2"],
        "customer_id": ["C3", "C1", "C4", "C3", "C2", "C3"],
        "amount": [100.0, 400.0, 200.0, 150.0, 90.0, 60.0],
    }
)


ATTENDANCE = pd.DataFrame(
    {
        "work_date": pd.to_datetime(["2024-01-05", "2024-01-06", "2024-01-08", "2024-01-20", "2024-02-02"]),
        "rep_id": ["R1", "R1", "R1", "R1", "R1"],
        "status": ["Present", "Present", "Sick", "Present", "Leave"],
    }
)


@pytest.fixture(scope="module")
def kpis():
    kpis = activity_kpis(ACTIVITIES, ORDERS, None, CUSTOMERS, satisfaction_target=0.9, attendance=ATTENDANCE)
    assert kpis.columns.tolist() == ACTIVITY_COLUMNS  # the KPIs sheet's but the timeliness ones
    return {(r.rep_id, r.period): r for r in kpis.itertuples()}


def test_satisfaction_is_the_mean_score_over_5_against_the_target(kpis):
    # R1 January: scores 5, 4, 3 (C4's visit has none) -> mean 12 / 3 = 4 -> 4 / 5 = 80%; 80% - 90% = -10 points
    assert kpis[("R1", JAN)].satisfaction == pytest.approx(0.8)
    assert kpis[("R1", JAN)].satisfaction_vs_target == pytest.approx(-0.1)
    assert kpis[("R1", FEB)].satisfaction == pytest.approx(0.4)  # one score of 2 -> 2 / 5
    assert kpis[("R2", JAN)].satisfaction == pytest.approx(1.0)  # 5 / 5, 10 points above the target
    assert kpis[("R2", JAN)].satisfaction_vs_target == pytest.approx(0.1)
    assert pd.isna(kpis[("R2", NOV)].satisfaction)  # no visit scored: blank, not 0


def test_customers_maintained_are_existing_customers_visited_or_ordering(kpis):
    # R1 January touched C1 (created 2023-12-15: existing), C2 (created 2024-01-10: new),
    # C4 (no created date, first order 2024-01-15: new) and C3 (ordered only; first order
    # 2023-11-05: existing) -> 2.  February: C2, created before 1 February -> 1.
    assert kpis[("R1", JAN)].maintained_customers == 2
    assert kpis[("R1", FEB)].maintained_customers == 1
    assert kpis[("R2", JAN)].maintained_customers == 1  # C3, visited and ordering: counted once
    assert kpis[("R2", NOV)].maintained_customers == 0  # C3's first order ever: not yet existing


def test_key_account_share_of_each_reps_sales(kpis):
    # R1 January sales 400 (C1) + 200 (C4) + 150 (C3) = 750; key accounts C1 and C3: 550 / 750
    assert kpis[("R1", JAN)].sales == 750.0
    assert kpis[("R1", JAN)].key_account_share == pytest.approx(550 / 750)
    assert kpis[("R1", FEB)].key_account_share == 0.0  # C2 is not a key account
    assert kpis[("R2", JAN)].key_account_share == 1.0  # 60 / 60


def test_expenses_and_sales_per_expense(kpis):
    # R1 January: 20 + 10.5 + 0 + blank = 30.5; 750 / 30.5 = 24.5901.. -> 24.59
    assert kpis[("R1", JAN)].expenses == 30.5
    assert kpis[("R1", JAN)].sales_per_expense == 24.59
    assert kpis[("R1", FEB)].sales_per_expense == 3.0  # 90 / 30
    assert kpis[("R2", JAN)].sales_per_expense == 5.0  # 60 / 12
    assert pd.isna(kpis[("R2", NOV)].sales_per_expense)  # no expenses: blank, never infinite


def test_days_present_count_the_attendance_sheets_present_days(kpis):
    # R1 January: 5th, 6th and 20th Present, the 8th Sick -> 3; February: one day of Leave -> 0
    assert kpis[("R1", JAN)].days_present == 3
    assert kpis[("R1", FEB)].days_present == 0
    assert kpis[("R2", JAN)].days_present == 0  # no Attendance rows


def test_tables_without_the_new_columns_leave_them_blank():
    old = activity_kpis(ACTIVITIES.drop(columns=["satisfaction", "expenses"]), ORDERS, None, None)
    assert old["satisfaction"].isna().all() and (old["expenses"] == 0).all()
    assert (old["key_account_share"].fillna(0) == 0).all()  # no Customers: no key accounts


def test_maintained_customers_alone():
    counts = maintained_customers(ACTIVITIES, ORDERS, CUSTOMERS)
    assert counts.to_dict() == {("R1", JAN): 2, ("R1", FEB): 1, ("R2", JAN): 1}


def test_class_a_customers_not_flagged_are_proposed_never_set():
    tiers = pd.DataFrame({"customer_id": ["C1", "C2", "C3", "C4"], "abc": ["A", "A", "B", "C"]})
    # C1 flagged Yes; C2 class A, not flagged: proposed; C3 flagged (typed "yes "), class B; C4 neither
    assert key_account_column(tiers, CUSTOMERS).tolist() == ["Yes", "Proposed", "Yes", None]
    assert CUSTOMERS["key_account"].fillna("").tolist() == ["Yes", "", "yes ", ""]  # the Customers sheet is untouched
