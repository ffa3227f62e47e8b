import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sales_tools.core.rfm import rfm_table
from sales_tools.core.segments import segment
from sales_tools.errors import InputError, SchemaError
from sales_tools.schema import SEGMENTS

COLUMNS = ["customer_id", "recency_days", "frequency", "monetary", "r", "f", "m", "tenure_days"]
# One customer per rule, scored on 5 bins (high = 4).
RFM = pd.DataFrame(
    [
        ("dormant", 180, 9, 900.0, 1, 5, 5, 700),  # last order 180 days ago: Dormant beats its F of 5
        ("new", 5, 1, 50.0, 5, 1, 1, 90),  # first order 90 days ago: still New
        ("vip", 3, 8, 800.0, 4, 4, 4, 400),
        ("loyal", 60, 7, 10.0, 2, 4, 1, 400),
        ("regular", 179, 2, 20.0, 1, 3, 5, 91),
    ],
    columns=COLUMNS,
)


def test_each_rule_in_precedence_order():
    out = segment(RFM, bins=5)
    assert dict(zip(out["customer_id"], out["segment"])) == {
        "dormant": "Dormant",
        "new": "New",
        "vip": "VIP",
        "loyal": "Loyal",
        "regular": "Regular",
    }


def test_customers_without_orders_are_prospects():
    customers = pd.DataFrame({"customer_id": ["zz", "vip", "aa", "aa"]})
    out = segment(RFM, customers, bins=5)
    assert out["customer_id"].tolist()[-2:] == ["aa", "zz"]
    prospects = out.iloc[-2:]
    assert (prospects["segment"] == "Prospect").all() and (prospects["frequency"] == 0).all()
    assert prospects["r"].isna().all() and prospects["recency_days"].isna().all()
    assert len(out) == 7  # "vip" is not added twice, "aa" once


def test_day_limits_move_the_boundaries():
    out = segment(RFM, bins=5, new_days=89, dormant_days=181)
    assert out["segment"].tolist() == ["Loyal", "Regular", "VIP", "Loyal", "Regular"]


def test_high_score_scales_with_the_bins():
    # 80% of the top score, rounded up: 4 of 4 bins (a 3 is not high), 8 of 10
    quartiles = RFM.assign(r=3, f=3, m=3)
    assert set(segment(quartiles, bins=4)["segment"]) - {"Dormant", "New"} == {"Regular"}
    assert set(segment(quartiles, bins=3)["segment"]) - {"Dormant", "New"} == {"VIP"}


def test_bins_come_from_rfm_table():
    orders = pd.DataFrame(
        {
            "customer_id": ["C1", "C1", "C2"],
            "order_id": ["O1", "O2", "O3"],
            "order_date": pd.to_datetime(["2024-01-02", "2024-06-01", "2024-06-20"]),
            "amount": [10.0, 20.0, 5.0],
        }
    )
    rfm = rfm_table(orders, "2024-06-30", bins=2)
    out = segment(rfm)
    # C2's first order is 10 days old: New.  On 2 bins (high = 2) C1 has F 2 and M 2 but
    # R 1 (recency 29 is above the median 19.5): Loyal, not VIP.
    assert out["segment"].tolist() == ["Loyal", "New"]
    with pytest.raises(InputError, match="bins"):
        segment(RFM)


def test_bad_arguments():
    with pytest.raises(InputError, match="dormant_days"):
        segment(RFM, bins=5, dormant_days=-1)
    with pytest.raises(SchemaError, match="tenure_days"):
        segment(RFM.drop(columns="tenure_days"), bins=5)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["C1", "C2", "C3", "C4"]), st.integers(0, 400), st.integers(1, 1000)),
        min_size=1,
        max_size=30,
    ),
    st.lists(st.sampled_from(["C1", "C5", "C6"]), max_size=3),
)
def test_every_customer_gets_exactly_one_segment(lines, extra):
    orders = pd.DataFrame(
        {
            "customer_id": [c for c, _, _ in lines],
            "order_id": [f"O{i}" for i in range(len(lines))],
            "order_date": [pd.Timestamp("2024-01-01") + pd.Timedelta(days=d) for _, d, _ in lines],
            "amount": [float(a) for _, _, a in lines],
        }
    )
    customers = pd.DataFrame({"customer_id": extra})
    out = segment(rfm_table(orders, "2025-02-04"), customers)
    everyone = set(orders["customer_id"]) | set(extra)
    assert sorted(out["customer_id"]) == sorted(everyone)
    assert out["segment"].isin(SEGMENTS).all()
    assert (out["segment"] == "Prospect").sum() == len(set(extra) - set(orders["customer_id"]))
