import numpy as np
import pandas as pd
from hypothesis import example, given
from hypothesis import strategies as st

from sales_tools.core.money import allocate_cents, round_cents


def test_half_away_from_zero_like_excel_round():
    # Excel: =ROUND(2.675,2) 2.68, =ROUND(-0.125,2) -0.13, =ROUND(1.005,2) 1.01, =ROUND(0.285,2) 0.29
    assert [round_cents(v) for v in (2.675, -0.125, 1.005, 0.285, -2.5e-3, 0.0049)] == [
        2.68,
        -0.13,
        1.01,
        0.29,
        -0.0,
        0.0,
    ]


def test_keeps_series_index_and_name():
    s = pd.Series([1.234, 5.675], index=["a", "b"], name="amount")
    out = round_cents(s)
    assert out.index.tolist() == ["a", "b"] and out.name == "amount" and out.tolist() == [1.23, 5.68]


@given(st.integers(min_value=-(10**13), max_value=10**13))
def test_whole_cents_are_left_alone(cents):
    # An amount already in cents never moves, even in the billions.
    assert round_cents(cents / 100) == cents / 100


@given(st.integers(min_value=-(10**13), max_value=10**13))
@example(13_459_473_604)  # 134,594,736.045 is stored as ...044999...
def test_exact_halves_round_away_from_zero(cents):
    half = (cents * 10 + 5 * np.sign(cents or 1)) / 1000  # e.g. 12.345 for 1234
    expected = (cents + np.sign(cents or 1)) / 100
    assert round_cents(half) == expected


@st.composite
def spreads(draw):
    """Amounts in groups, and each group's total: its amounts' sum rounded to cents."""
    amounts = draw(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=40))
    group = np.array(draw(st.lists(st.integers(0, 4), min_size=len(amounts), max_size=len(amounts))))
    raw = np.array(amounts)
    totals = np.rint(round_cents(np.bincount(group, weights=raw, minlength=5)) * 100).astype("int64")
    return raw, group, totals


@given(spreads())
def test_allocated_cents_add_up_to_each_total_and_no_line_moves_a_cent(spread):
    raw, group, totals = spread
    cents = allocate_cents(raw, group, totals)
    assert (np.bincount(group, weights=cents, minlength=5) == totals).all()
    assert (np.abs(cents - raw * 100) < 1 + 1e-6).all()


def test_spare_cents_go_to_the_largest_remainders_then_the_earlier_line():
    # 650.00 over three equal lines: 216.67, 216.67, 216.66 (the earlier lines take the spare cents)
    assert allocate_cents(np.full(3, 650 / 3), np.zeros(3, dtype="int64"), np.array([65000])).tolist() == [
        21667,
        21667,
        21666,
    ]
    # 0.10 over 0.034, 0.033, 0.033: remainders .4, .3, .3 -> the first gets the spare cent
    assert allocate_cents(np.array([0.034, 0.033, 0.033]), np.zeros(3, dtype="int64"), np.array([10])).tolist() == [
        4,
        3,
        3,
    ]
