import numpy as np
import pandas as pd
import pytest

from sales_tools.core.rfm import percentile_inc, rfm_table, rfm_thresholds
from sales_tools.errors import InputError, SchemaError

AS_OF = pd.Timestamp("2024-06-30")


def lines(rows):
    return pd.DataFrame(rows, columns=["customer_id", "order_id", "order_date", "amount"]).assign(
        order_date=lambda d: pd.to_datetime(d["order_date"], format="ISO8601")
    )


# Five customers, 2024-06-30.  C1 bought twice (one order of two lines), C5 late in the day.
ORDERS = lines(
    [
        ("C1", "O1", "2024-06-20", 100.0),
        ("C1", "O1", "2024-06-20", 50.0),
        ("C1", "O2", "2024-01-10", 25.0),
        ("C2", "O3", "2024-05-21", 300.0),
        ("C3", "O4", "2024-03-22", 20.0),
        ("C4", "O5", "2024-06-01", 80.0),
        ("C4", "O6", "2024-06-02", 80.0),
        ("C4", "O7", "2024-06-03", 80.0),
        ("C5", "O8", "2024-06-29 23:59", 10.0),
        ("C5", "O9", "2024-07-02", 999.0),  # after as_of: ignored
    ]
)


def test_percentile_inc_matches_excel():
    # Excel: =PERCENTILE.INC({1,2,3,4},0.25) = 1.75; =PERCENTILE.INC({15,20,35,40,50},0.4) = 29
    assert percentile_inc([1, 2, 3, 4], 0.25) == 1.75
    assert percentile_inc([15, 20, 35, 40, 50], 0.4) == 29.0
    assert percentile_inc([3, 1, 2], [0, 0.5, 1]).tolist() == [1.0, 2.0, 3.0]
    with pytest.raises(InputError, match="between 0 and 1"):
        percentile_inc([1, 2], 1.5)
    with pytest.raises(InputError, match="at least one value"):
        percentile_inc([], 0.5)


def test_measures_by_hand():
    rfm = rfm_table(ORDERS, AS_OF)
    assert rfm["customer_id"].tolist() == ["C1", "C2", "C3", "C4", "C5"]
    # recency: 10, 40, 100, 27 days; C5 bought on the 29th at 23:59 -> 1 whole day
    assert rfm["recency_days"].tolist() == [10, 40, 100, 27, 1]
    assert rfm["frequency"].tolist() == [2, 1, 1, 3, 1]
    assert rfm["monetary"].tolist() == [175.0, 300.0, 20.0, 240.0, 10.0]
    assert rfm["tenure_days"].tolist() == [172, 40, 100, 29, 1]


def test_scores_by_hand():
    rfm = rfm_table(ORDERS, AS_OF, bins=4)
    limits = rfm_thresholds(rfm, 4)
    # recency 1,10,27,40,100: quartiles 10, 27, 40 (n=5 puts them on data points)
    assert limits.loc["recency_days"].tolist() == [10.0, 27.0, 40.0]
    # frequency 1,1,1,2,3: 1, 1, 2;  monetary 10,20,175,240,300: 20, 175, 240
    assert limits.loc["frequency"].tolist() == [1.0, 1.0, 2.0]
    assert limits.loc["monetary"].tolist() == [20.0, 175.0, 240.0]
    # A value on a threshold is in the lower bin.  Recency bins: C1 10 -> 1, C2 40 -> 3,
    # C3 100 -> 4, C4 27 -> 2, C5 1 -> 1; R = 5 - bin.
    assert rfm["r"].tolist() == [4, 2, 1, 3, 4]
    # frequency 2 -> bin 3 (on the 3rd threshold), 1 -> bin 1, 3 -> bin 4
    assert rfm["f"].tolist() == [3, 1, 1, 4, 1]
    assert rfm["m"].tolist() == [2, 4, 1, 3, 1]
    assert rfm.attrs["bins"] == 4


def test_thresholds_interpolate():
    rfm = pd.DataFrame({"recency_days": [0, 10], "frequency": [1, 5], "monetary": [0.0, 100.0]})
    limits = rfm_thresholds(rfm, 5)
    assert limits.columns.tolist() == [0.2, 0.4, 0.6, 0.8]
    assert limits.loc["monetary"].tolist() == pytest.approx([20.0, 40.0, 60.0, 80.0])


@pytest.mark.parametrize("bins", [1, 0, 2.5, "5", True])
def test_bins_must_be_an_integer_of_2_or_more(bins):
    with pytest.raises(InputError, match="bins"):
        rfm_table(ORDERS, AS_OF, bins)


def test_bad_order_lines_are_named():
    bad = ORDERS.copy()
    bad.loc[2, "amount"] = np.nan
    with pytest.raises(InputError, match="line 3 has no amount"):
        rfm_table(bad, AS_OF)
    with pytest.raises(SchemaError, match="order_id"):
        rfm_table(ORDERS.drop(columns="order_id"), AS_OF)


def test_no_orders_give_an_empty_table():
    rfm = rfm_table(ORDERS.iloc[:0], AS_OF)
    assert len(rfm) == 0 and "r" in rfm.columns


def test_input_is_not_changed():
    orders = ORDERS.copy()
    rfm_table(orders, AS_OF)
    pd.testing.assert_frame_equal(orders, ORDERS)
