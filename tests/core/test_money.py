import numpy as np
import pandas as pd
from hypothesis import example, given
from hypothesis import strategies as st

from sales_tools.core.money import round_cents


def test_half_away_from_zero_like_excel_round():
    # Excel: =ROUND(2.675,2) 2.68, =ROUND(-0.125,2) -0.13, =ROUND(1.005,2) 1.01, =ROUND(0.285,2) 0.29
    assert [round_cents(v) for v in (2.675, -0.125, 1.005, 0.285, -2.5e-3, 0.0049)] == [2.68, -0.13, 1.01, 0.29, -0.0, 0.0]


def test_keeps_series_index_and_name():
    s = pd.Series([1.234, 5.675], index=["a", "b"], name="amount")
    out = round_cents(s)
    assert out.index.tolist() == ["a", "b"] and out.name == "amount" and out.tolist() == [1.23, 5.68]


@given(st.integers(min_value=-10**13, max_value=10**13))
def test_whole_cents_are_left_alone(cents):
    # An amount already in cents never moves, even in the billions.
    assert round_cents(cents / 100) == cents / 100


@given(st.integers(min_value=-10**13, max_value=10**13))
@example(13_459_473_604)  # 134,594,736.045 is stored as ...044999...
def test_exact_halves_round_away_from_zero(cents):
    half = (cents * 10 + 5 * np.sign(cents or 1)) / 1000  # e.g. 12.345 for 1234
    expected = (cents + np.sign(cents or 1)) / 100
    assert round_cents(half) == expected
