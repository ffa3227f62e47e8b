import pandas as pd
import pytest

from sales_tools.core.kpis import ACTIVITY_COLUMNS, activity_kpis, with_timeliness
from sales_tools.core.rep_names import unnamed
from sales_tools.errors import InputError, SchemaError

JAN, FEB, MAR = (pd.Timestamp(2024, m, 1) for m in (1, 2, 3))

ACTIVITIES = pd.DataFrame(
    {
        "activity_date": pd.to_datetime(["2024-01-03", "2024-01-04", "2024-01-31", "2024-02-01"]),
        "rep_id": ["R1", "R1", "R1", "R2"],
        "customer_id": ["C1", "C2", "C3", "C1"],
        "outcome": ["Order taken", "Not met", "Follow-up needed", "No interest"],
        "hours": [2.0, 1.0, None, 0.0],
    }
)
ORDERS = pd.DataFrame(
    {
        "order_id": ["O1", "O2", "O3", "O4"],
        "order_date": pd.to_datetime(["2024-01-03", "2024-01-10", "2024-03-01", "2024-01-25"]),
        "rep_id": ["R1", "R2", "R2", "R1"],
        "customer_id": ["C1", "C1", "C9", "C2"],
        "amount": [300.0, 50.0, 10.0, 100.005],
    }
)
PAYMENTS = pd.DataFrame(
    {
        "payment_date": pd.to_datetime(["2024-01-05", "2024-02-05", "2024-02-06"]),
        "customer_id": ["C1", "C9", "C7"],
        "rep_id": [None, "R2", None],
        "amount": [100.0, 5.0, 1.0],
    }
)
CUSTOMERS = pd.DataFrame({"customer_id": ["C1", "C9", "C7"], "owner_rep": ["R3", "R2", None]})


def rows(kpis):
    return {(r.rep_id, r.period): r for r in kpis.itertuples()}


def test_visit_counts_and_rates_by_hand():
    kpis = activity_kpis(ACTIVITIES)
    assert kpis.columns.tolist() == ACTIVITY_COLUMNS  # with_timeliness adds the rest
    r1 = rows(kpis)[("R1", JAN)]
    # 3 visits: Order taken and Follow-up needed are effective, only Order taken closes
    assert (r1.visits, r1.effective_visits) == (3, 2)
    assert r1.effective_visit_rate == pytest.approx(2 / 3) and r1.closing_rate == pytest.approx(1 / 3)
    assert r1.hours == 3.0  # a blank is no hours
    r2 = rows(kpis)[("R2", FEB)]
    assert (r2.visits, r2.effective_visit_rate, r2.closing_rate) == (1, 0.0, 0.0)


def test_sales_new_customers_collections_and_sales_per_hour_by_hand():
    kpis = rows(activity_kpis(ACTIVITIES, ORDERS, PAYMENTS, CUSTOMERS))
    assert list(kpis) == [("R1", JAN), ("R2", JAN), ("R2", FEB), ("R2", MAR), ("R3", JAN)]  # by rep, then period
    r1 = kpis[("R1", JAN)]
    # sales 300 + 100.005 = 400.005 -> 400.01; C1 and C2 first bought from R1 in January
    assert (r1.sales, r1.new_customers) == (400.01, 2)
    assert r1.sales_per_hour == pytest.approx(133.34)  # 400.01 / 3 hours = 133.336..
    # R2 sold to C1 after R1 did: sales but no new customer; no visits -> blank rates, no hours -> blank per hour
    r2 = kpis[("R2", JAN)]
    assert (r2.sales, r2.new_customers, r2.visits) == (50.0, 0, 0)
    assert pd.isna(r2.effective_visit_rate) and pd.isna(r2.closing_rate) and pd.isna(r2.sales_per_hour)
    assert kpis[("R2", MAR)].new_customers == 1
    # C1's payment has no rep: it goes to C1's owner R3; C7 has neither and is left out
    assert kpis[("R3", JAN)].collections == 100.0
    assert kpis[("R2", FEB)].collections == 5.0


def test_other_periods():
    weekly = activity_kpis(ACTIVITIES, period="W")
    # 2024-01-03 and 01-04 are in the week of Monday 1 January; 01-31 in the week of 29 January
    assert weekly[weekly["rep_id"] == "R1"][["period", "visits"]].values.tolist() == [
        [pd.Timestamp("2024-01-01"), 2],
        [pd.Timestamp("2024-01-29"), 1],
    ]
    with pytest.raises(InputError, match="period 'fortnight'"):
        activity_kpis(ACTIVITIES, period="fortnight")


def test_missing_columns_are_named():
    with pytest.raises(SchemaError, match="Activities table has no column hours"):
        activity_kpis(ACTIVITIES.drop(columns="hours"))
    with pytest.raises(SchemaError, match="Customers table has no column owner_rep"):
        activity_kpis(ACTIVITIES, payments=PAYMENTS, customers=CUSTOMERS[["customer_id"]])


def test_inputs_are_not_changed():
    frames = [ACTIVITIES.copy(), ORDERS.copy(), PAYMENTS.copy(), CUSTOMERS.copy()]
    activity_kpis(*frames)
    for after, before in zip(frames, [ACTIVITIES, ORDERS, PAYMENTS, CUSTOMERS]):
        pd.testing.assert_frame_equal(after, before)


def test_with_timeliness_adds_rep_months_of_either_side():
    activity = pd.DataFrame(
        {"rep_id": ["R1"], "period": [pd.Timestamp("2024-03-01")], "visits": [2], "effective_visits": [1],
         "effective_visit_rate": [0.5], "closing_rate": [0.5], "new_customers": [0], "collections": [0.0],
         "sales": [10.0], "hours": [1.0], "sales_per_hour": [10.0]}
    )  # fmt: skip
    timely = pd.DataFrame(
        {"rep_id": ["R1", "R2"], "period": pd.to_datetime(["2024-03-01", "2024-03-01"]), "reports_due": [21, 21],
         "reports_filed": [20, 0], "reports_on_time": [18, 0], "reports_late": [2, 0],
         "on_time_rate": [18 / 21, 0.0], "avg_days_late": [2 / 20, None]}
    )  # fmt: skip
    kpis = with_timeliness(activity, timely).set_index("rep_id")
    assert kpis.columns.tolist() == unnamed("kpis")[1:]  # the refresh adds the rep name
    assert kpis.loc["R1", ["visits", "reports_due", "reports_on_time"]].tolist() == [2, 21, 18]
    # R2 filed nothing and made no visit: a row all the same, 0 visits, rates blank, 0 of 21 on time
    assert kpis.loc["R2", ["visits", "sales", "reports_due", "reports_filed"]].tolist() == [0, 0.0, 21, 0]
    assert pd.isna(kpis.loc["R2", "effective_visit_rate"]) and kpis.loc["R2", "on_time_rate"] == 0
