import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sales_tools.core.targets import growth_targets, monthly_targets, monthly_weights
from sales_tools.errors import InputError, SchemaError, TargetError


def targets(*rows):
    return pd.DataFrame(rows, columns=["year", "rep_id", "region", "category", "annual_target"])


def season(weights):
    return pd.DataFrame({"month": range(1, len(weights) + 1), "weight": weights})


# ---------------------------------------------------------------- weights
def test_empty_or_missing_seasonality_means_equal_months():
    assert monthly_weights(None).tolist() == [1 / 12] * 12
    assert monthly_weights(season([])).tolist() == [1 / 12] * 12


def test_months_left_out_weigh_nothing():
    weights = monthly_weights(pd.DataFrame({"month": [12, 6], "weight": [0.6, 0.4]}))
    assert weights[5] == 0.4 and weights[11] == 0.6 and weights.sum() == 1.0


def test_weights_must_add_up_to_100_percent():
    with pytest.raises(TargetError, match=r"add up to 99\.000000%, not 100%"):
        monthly_weights(season([0.09] * 11 + [0.0]))


def test_a_negative_weight_names_the_month():
    with pytest.raises(TargetError, match="weight of month 3 is -10.00%"):
        monthly_weights(season([0.1, 0.2, -0.1, 0.8]))


def test_a_month_outside_1_to_12_or_given_twice_is_an_error():
    with pytest.raises(TargetError, match="month 13"):
        monthly_weights(pd.DataFrame({"month": [1, 13], "weight": [0.5, 0.5]}))
    with pytest.raises(TargetError, match="month 2"):
        monthly_weights(pd.DataFrame({"month": [2, 2], "weight": [0.5, 0.5]}))


# ---------------------------------------------------------------- monthly targets
def test_equal_months_put_the_leftover_cents_in_the_first_months():
    # 100.00 = 10,000 cents; 10,000 / 12 = 833 rest 4: January to April get 8.34.
    out = monthly_targets(targets((2024, "R1", None, None, 100.0)))
    assert out["target"].tolist() == [8.34] * 4 + [8.33] * 8
    assert out["period"].tolist() == [pd.Timestamp(2024, m, 1) for m in range(1, 13)]
    assert out["rep_id"].tolist() == ["R1"] * 12


def test_seasonal_weights_and_largest_remainder():
    # 1,000.00 at 1/3, 1/3, 1/3 of Q1 only: 333.333.. each, one cent left goes to January.
    weights = season([1 / 3, 1 / 3, 1 / 3] + [0.0] * 9)
    out = monthly_targets(targets((2025, "R1", None, None, 1000.0)), weights)
    assert out["target"].tolist() == [333.34, 333.33, 333.33] + [0.0] * 9
    # 10.00 at 15%/85%: 1.50 + 8.50, nothing to hand out.
    out = monthly_targets(
        targets((2025, "R1", None, None, 10.0)), pd.DataFrame({"month": [1, 2], "weight": [0.15, 0.85]})
    )
    assert out["target"].tolist()[:3] == [1.5, 8.5, 0.0]


def test_region_and_category_targets_carry_their_dimensions():
    table = targets((2024, None, "North", None, 120000.0), (2024, "R2", None, "Tools", 2400.0))
    out = monthly_targets(table)
    assert len(out) == 24
    north, tools = out.iloc[:12], out.iloc[12:]
    assert (north["region"] == "North").all() and north["rep_id"].isna().all() and north["target"].eq(10000.0).all()
    assert (tools["category"] == "Tools").all() and (tools["rep_id"] == "R2").all() and tools["target"].eq(200.0).all()


def test_a_repeated_row_label_does_not_multiply_rows():
    out = monthly_targets(targets((2024, "R1", None, None, 12.0), (2024, "R2", None, None, 24.0)).set_axis([0, 0]))
    assert len(out) == 24 and out["target"].tolist() == [1.0] * 12 + [2.0] * 12


def test_input_is_not_changed():
    table = targets((2024, "R1", None, None, 100.0))
    before = table.copy()
    monthly_targets(table)
    pd.testing.assert_frame_equal(table, before)


@pytest.mark.parametrize(
    "row, words",
    [
        ((2024, "R1", None, None, None), "row 1 (year 2024, rep R1) has no annual target"),
        ((2024, "R1", None, None, -5.0), "negative annual target"),
        ((None, "R1", None, None, 5.0), "has no year"),
    ],
)
def test_bad_target_rows_are_named(row, words):
    with pytest.raises(TargetError, match=words.replace("(", r"\(").replace(")", r"\)")):
        monthly_targets(targets(row))


def test_the_same_target_twice_is_an_error():
    with pytest.raises(TargetError, match="row 2 .* given twice"):
        monthly_targets(targets((2024, "R1", None, "Tools", 5.0), (2024, "R1", None, "Tools", 7.0)))


def test_a_missing_column_is_a_schema_error():
    with pytest.raises(SchemaError, match="no column annual_target"):
        monthly_targets(pd.DataFrame({"year": [2024], "rep_id": ["R1"], "region": [None], "category": [None]}))


@given(
    annual=st.integers(min_value=0, max_value=10**11),  # cents: up to 1,000,000,000.00
    raw=st.lists(st.integers(min_value=0, max_value=1000), min_size=12, max_size=12).filter(lambda w: sum(w) > 0),
)
def test_months_sum_exactly_and_stay_within_a_cent_of_their_share(annual, raw):
    weights = np.array(raw) / sum(raw)  # 100% within float precision
    out = monthly_targets(targets((2024, "R1", None, None, annual / 100)), season(list(weights)))
    cents = np.rint(out["target"].to_numpy() * 100).astype(np.int64)
    assert cents.sum() == annual
    assert np.all(np.abs(cents - annual * weights) < 1 + 1e-6)


# ---------------------------------------------------------------- growth targets
def test_growth_targets_follow_the_seeds_example():
    last_year = pd.DataFrame({"year": [2024, 2024], "rep_id": ["R1", "R2"], "actual": [200000.0, 100000.0]})
    out = growth_targets(last_year)
    assert out.columns.tolist() == ["year", "rep_id", "region", "category", "dealer", "annual_target", "measure"]
    assert out["year"].tolist() == [2025, 2025, 2025]
    # individual +15%: 230,000 and 115,000; team +10% of 300,000 = 330,000
    assert out["annual_target"].tolist() == [230000.0, 115000.0, 330000.0]
    assert out["rep_id"].iloc[:2].tolist() == ["R1", "R2"] and pd.isna(out["rep_id"].iloc[2])


def test_growth_targets_round_to_cents_and_carry_dimensions():
    last_year = pd.DataFrame({"year": [2023], "rep_id": ["R1"], "category": ["Tools"], "actual": [1000.01]})
    out = growth_targets(last_year, team_growth=0.05, individual_growth=0.2)
    # 1000.01 x 1.2 = 1200.012 -> 1200.01; x 1.05 = 1050.0105 -> 1050.01
    assert out["annual_target"].tolist() == [1200.01, 1050.01]
    assert out["category"].iloc[0] == "Tools" and pd.isna(out["category"].iloc[1])


def test_growth_of_minus_100_percent_or_a_negative_actual_is_an_error():
    last_year = pd.DataFrame({"year": [2024], "rep_id": ["R1"], "actual": [10.0]})
    with pytest.raises(InputError, match="team_growth"):
        growth_targets(last_year, team_growth=-1.0)
    with pytest.raises(InputError, match="rep R9"):
        growth_targets(pd.DataFrame({"year": [2024], "rep_id": ["R9"], "actual": [-1.0]}))
