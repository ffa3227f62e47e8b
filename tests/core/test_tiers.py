"""Tier math: worked examples (PRODUCT.md and public sources), errors, properties."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sales_tools.core.money import round_cents
from sales_tools.core.tiers import quota_tiered, tier_label, tiered, validate_tiers
from sales_tools.errors import InputError, TargetError

FLOORS, RATES = [0, 5000], [0.10, 0.15]
Q_FLOORS, Q_RATES = [0, 0.5, 1.0, 1.25, 1.5], [0, 0.08, 0.12, 0.15, 0.18]


def cents(x):
    return round_cents(np.asarray(x)).tolist()


# ------------------------------------------------------------------ worked examples
def test_product_brief_examples():
    assert cents(tiered([6800], FLOORS, RATES)) == [770.00]  # 5,000 x 10% + 1,800 x 15%
    assert cents(tiered([6800], FLOORS, RATES, "retroactive")) == [1020.00]  # 6,800 x 15%
    # 325,000 vs a quota of 250,000, slices of quota: 0-0.5 at 0% (0), 0.5-1.0 at 8% (125,000 x 8% = 10,000),
    # 1.0-1.25 at 12% (62,500 x 12% = 7,500), 1.25-1.3 at 15% (12,500 x 15% = 1,875) -> 19,375
    assert cents(quota_tiered([325000], [250000], Q_FLOORS, Q_RATES)) == [19375.00]


def test_sparrowgenie_non_retroactive_example():
    # sparrowgenie.com/sales-commission-models/non-retroactive-commission: 3% on the first
    # 300,000, 5% on 300,000-500,000, 7% above; 600,000 -> 9,000 + 10,000 + 7,000 = 26,000.
    floors, rates = [0, 300000, 500000], [0.03, 0.05, 0.07]
    assert cents(tiered([600000], floors, rates)) == [26000.00]
    assert cents(tiered([600000], floors, rates, "retroactive")) == [42000.00]  # 600,000 x 7%


def test_earnbase_retroactive_tier_jumping_example():
    # earnbase.no/glossary/retroactive-tier-jumping: 50% up to 100K, 60% above; 180K sales:
    # retroactive 180K x 60% = 108K; incremental 100K x 50% + 80K x 60% = 98K.
    assert cents(tiered([180000], [0, 100000], [0.5, 0.6], "retroactive")) == [108000.00]
    assert cents(tiered([180000], [0, 100000], [0.5, 0.6])) == [98000.00]


def test_gist_two_tier_scenarios_and_boundary():
    # gist.github.com/richardlawrence/1138036: 10% up to 5,000, 12% above:
    # 6,000 -> 620; 4,000 -> 400; 5,000 (boundary) -> 500.
    assert cents(tiered([6000, 4000, 5000], [0, 5000], [0.10, 0.12])) == [620.0, 400.0, 500.0]


def test_oracle_equal_tier_values_pay_the_higher_tier():
    # docs.oracle.com .../equal-tier-values.html: exactly 50,000 pays the 3% rate.
    floors, rates = [0, 25000, 50000, 75000], [0.01, 0.02, 0.03, 0.04]
    assert cents(tiered([50000], floors, rates, "retroactive")) == [1500.00]  # 50,000 x 3%
    assert cents(tiered([50000], floors, rates)) == [750.00]  # 250 + 500; the 3% slice is empty


def test_below_first_floor_earns_nothing_and_first_floor_is_a_deductible_when_marginal():
    assert cents(tiered([999.99, 1500], [1000], [0.1])) == [0.0, 50.0]  # 500 x 10%
    assert cents(tiered([999.99, 1500], [1000], [0.1], "retroactive")) == [0.0, 150.0]


def test_negative_amounts_mirror_positive_ones():
    assert cents(tiered([-6800, 0], FLOORS, RATES)) == [-770.0, 0.0]
    assert cents(tiered([-6800], FLOORS, RATES, "retroactive")) == [-1020.0]
    assert cents(tiered([-500], [1000], [0.1])) == [0.0]


def test_accepts_series_and_scalars_without_changing_them():
    s = pd.Series([6800.0, 100.0], index=["a", "b"])
    assert cents(tiered(s, FLOORS, RATES)) == [770.0, 10.0]
    assert s.tolist() == [6800.0, 100.0]
    assert float(tiered(6800, FLOORS, RATES)) == pytest.approx(770.0)


def test_missing_amount_is_nan_not_a_number():
    assert np.isnan(tiered([np.nan], FLOORS, RATES)[0])


# ------------------------------------------------------------------ quota tiers
def test_quota_tiered_per_row_quotas_and_cap():
    # row 2: 90,000 of 100,000 = 90%: 50,000 x 0% + 40,000 x 8% = 3,200
    out = quota_tiered([325000, 90000], [250000, 100000], Q_FLOORS, Q_RATES)
    assert cents(out) == [19375.0, 3200.0]
    assert cents(quota_tiered([325000, 90000], [250000, 100000], Q_FLOORS, Q_RATES, cap=15000)) == [15000.0, 3200.0]


def test_quota_tiered_retroactive():
    # 325,000 / 250,000 = 130% -> the 125% tier's 15% on all 325,000 = 48,750
    assert cents(quota_tiered([325000], [250000], Q_FLOORS, Q_RATES, "retroactive")) == [48750.0]


@pytest.mark.parametrize("quota, said", [(0.0, "is 0"), (-5.0, "is -5"), (np.nan, "is missing")])
def test_bad_quota_names_its_position(quota, said):
    with pytest.raises(TargetError, match=f"quota at position 2 {said}"):
        quota_tiered([1.0, 2.0], [10.0, quota], Q_FLOORS, Q_RATES)


def test_negative_cap_is_refused():
    with pytest.raises(InputError, match="cap"):
        quota_tiered([1.0], [10.0], Q_FLOORS, Q_RATES, cap=-1)


# ------------------------------------------------------------------ labels
def test_tier_label():
    out = tier_label([12000, 10000, 5000, 999.99], [1000, 5000, 10000], ["Bronze", "Silver", "Gold"])
    assert out.tolist() == ["Gold", "Gold", "Silver", ""]


def test_tier_label_errors():
    with pytest.raises(InputError, match=r"floors and labels must have the same length \(2 floors, 1 labels\)"):
        tier_label([5.0], [0, 10], ["Low"])
    with pytest.raises(InputError, match="position 1 is missing"):
        tier_label([np.nan], [0], ["Low"])


# ------------------------------------------------------------------ validation
@pytest.mark.parametrize(
    "floors, rates, message",
    [
        ([0, 1, 2], [0.1, 0.2], r"floors and rates must have the same length \(3 floors, 2 rates\)"),
        ([0, 5000, 4000], [0.1, 0.2, 0.3], "floors must ascend: 5,000 is followed by 4,000"),
        ([0, 5000, 5000], [0.1, 0.2, 0.3], "floors must ascend: 5,000 is followed by 5,000"),
        ([0, 1], [0.1, "abc"], "rate 'abc' is not a number"),
        ([0, "5,000"], [0.1, 0.2], "floor '5,000' is not a number"),
        ([0, np.nan], [0.1, 0.2], "floor nan is not a finite number"),
        ([], [], "at least one tier"),
        ([-100], [0.1], "floors must be 0 or more, not -100"),
    ],
)
def test_validate_tiers_errors(floors, rates, message):
    with pytest.raises(InputError, match=message):
        validate_tiers(floors, rates)


def test_unknown_method_names_the_allowed_ones():
    with pytest.raises(InputError, match="method 'progressive' is not one of: marginal, retroactive"):
        tiered([1.0], FLOORS, RATES, "progressive")


# ------------------------------------------------------------------ properties
def scalar_reference(amount, floors, rates, method):
    """Plain-Python tiers, one amount at a time (independent of the vectorized code)."""
    sign, x = (-1 if amount < 0 else 1), abs(amount)
    if x < floors[0]:
        return 0.0
    if method == "retroactive":
        return sign * x * max(r for f, r in zip(floors, rates) if f <= x)
    total = 0.0
    for i, (f, r) in enumerate(zip(floors, rates)):
        top = floors[i + 1] if i + 1 < len(floors) else float("inf")
        if x > f:
            total += r * (min(x, top) - f)
    return sign * total


@st.composite
def tier_tables(draw, ascending_rates=False):
    n = draw(st.integers(1, 5))
    steps = draw(st.lists(st.floats(1, 1e5), min_size=n, max_size=n))
    first = draw(st.sampled_from([0.0, steps[0]]))
    floors = list(np.cumsum([first] + steps[1:]))
    rates = draw(st.lists(st.floats(0, 0.5), min_size=n, max_size=n))
    return floors, sorted(rates) if ascending_rates else rates


amounts = st.lists(st.floats(-1e7, 1e7), min_size=1, max_size=20)
methods = st.sampled_from(["marginal", "retroactive"])


@given(tier_tables(ascending_rates=True), amounts, methods)
def test_vectorized_equals_scalar_reference(table, values, method):
    # ascending rates: the reference's max() rate equals the highest reached tier's rate
    floors, rates = table
    expected = [scalar_reference(a, floors, rates, method) for a in values]
    assert tiered(values, floors, rates, method) == pytest.approx(expected, rel=1e-9, abs=1e-6)


@given(tier_tables(), amounts, methods)
def test_commission_never_decreases_as_the_amount_rises(table, values, method):
    floors, rates = table
    if method == "retroactive":  # a step plan can drop when the rate drops; needs ascending rates
        rates = sorted(rates)
    x = np.sort(np.abs(values))
    assert (np.diff(tiered(x, floors, rates, method)) >= -1e-6).all()


@given(st.floats(0, 0.5), amounts)
def test_one_tier_from_zero_marginal_equals_retroactive(rate, values):
    assert tiered(values, [0], [rate]) == pytest.approx(tiered(values, [0], [rate], "retroactive"))


@given(tier_tables(ascending_rates=True), amounts)
def test_marginal_never_exceeds_retroactive_when_rates_ascend(table, values):
    x = np.abs(values)
    assert (tiered(x, *table) <= tiered(x, *table, "retroactive") + 1e-6).all()


@given(
    st.lists(st.tuples(st.floats(-1e7, 1e7), st.floats(1, 1e7)), min_size=1, max_size=20),
    st.sampled_from(["marginal", "retroactive"]),
)
def test_quota_tiered_is_tiered_on_each_rows_scaled_floors_bit_for_bit(rows, method):
    # the same float operations as the scalar UDF filled down a column, so the cents agree
    values, quotas = map(list, zip(*rows))
    one_by_one = [float(tiered(v, [f * q for f in Q_FLOORS], Q_RATES, method)) for v, q in rows]
    assert quota_tiered(values, quotas, Q_FLOORS, Q_RATES, method).tolist() == one_by_one
