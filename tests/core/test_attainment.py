import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sales_tools.core.attainment import attainment, attainment_table, cumulative_attainment, run_rate_forecast
from sales_tools.errors import InputError, TargetError
from sales_tools.schema import TABLES


def month(m, y=2024):
    return pd.Timestamp(y, m, 1)


# ---------------------------------------------------------------- scalars and arrays
def test_attainment_is_actual_over_target():
    assert attainment(325000, 250000) == 1.3  # PRODUCT.md's quota example
    assert attainment([0, 75], [50, 100]).tolist() == [0.0, 0.75]


@pytest.mark.parametrize("target", [0, -10, np.nan, None])
def test_a_zero_negative_or_missing_target_is_an_error(target):
    with pytest.raises(TargetError, match="zero, negative or missing"):
        attainment(100, target)


def test_an_array_error_names_the_position():
    with pytest.raises(TargetError, match="position 2"):
        attainment([1, 2, 3], [10, 0, 10])


def test_cumulative_attainment_by_hand():
    # YTD: 100/100, 150/200, 300/300, 300/400
    assert cumulative_attainment([100, 50, 150, 0], [100, 100, 100, 100]).tolist() == [1.0, 0.75, 1.0, 0.75]
    # a zero quota after the first period is fine: the cumulative quota is not 0
    assert cumulative_attainment([10, 30], [20, 0]).tolist() == [0.5, 2.0]


def test_cumulative_attainment_errors_name_the_position():
    with pytest.raises(TargetError, match="cumulative quota at position 1"):
        cumulative_attainment([10, 30], [0, 20])
    with pytest.raises(TargetError, match="quota at position 2 is missing"):
        cumulative_attainment([10, 30], [20, None])
    with pytest.raises(InputError, match="same length"):
        cumulative_attainment([10, 30], [20])
    with pytest.raises(InputError, match="actual at position 1"):
        cumulative_attainment([np.nan], [20])


@given(
    st.lists(st.tuples(st.floats(0, 1e7, allow_nan=False), st.floats(1, 1e7, allow_nan=False)), min_size=1, max_size=24)
)
def test_cumulative_attainment_is_the_ratio_of_the_running_sums(pairs):
    actuals, quotas = zip(*pairs)
    ytd = cumulative_attainment(actuals, quotas)
    for i in range(len(pairs)):
        assert ytd[i] == pytest.approx(sum(actuals[: i + 1]) / sum(quotas[: i + 1]), rel=1e-12)


def test_run_rate_forecast_by_hand():
    assert run_rate_forecast(1000.0, 10, 30) == 3000.0
    assert run_rate_forecast([310.0, 0.0], [31, 1], [31, 28]).tolist() == [310.0, 0.0]
    with pytest.raises(InputError, match="days elapsed"):
        run_rate_forecast(10.0, 0, 30)
    with pytest.raises(InputError, match="days elapsed"):
        run_rate_forecast(10.0, 31, 30)


# ---------------------------------------------------------------- the table
ACTUALS = pd.DataFrame(
    {
        "rep_id": ["R1", "R1", "R1", "R1", "R2"],
        "period": pd.to_datetime(["2024-01-15", "2024-01-20", "2024-02-03", "2024-03-10", "2024-02-01"]),
        "actual": [50.0, 30.0, 120.0, 30.0, 50.0],
    }
)
TARGETS = pd.DataFrame(
    {"rep_id": ["R1"] * 4, "period": [month(1), month(2), month(3), month(4)], "target": [100.0, 100.0, 100.0, 100.0]}
)


def test_table_by_hand_with_pacing():
    out = attainment_table(ACTUALS, TARGETS, as_of="2024-03-10")
    assert out.columns.tolist() == TABLES["attainment"].names
    assert out[["rep_id", "period"]].values.tolist() == [
        ["R1", month(1)],
        ["R1", month(2)],
        ["R1", month(3)],
        ["R2", month(2)],
    ]
    r1 = out.iloc[:3]
    assert r1["actual"].tolist() == [80.0, 120.0, 30.0]  # two January rows are added up
    assert r1["attainment"].tolist() == [0.8, 1.2, 0.3]
    assert r1["variance"].tolist() == [-20.0, 20.0, -70.0]  # actual - target: 80 - 100, 120 - 100, 30 - 100
    assert r1["ytd_target"].tolist() == [100.0, 200.0, 300.0]
    assert r1["ytd_actual"].tolist() == [80.0, 200.0, 230.0]
    assert r1["ytd_attainment"].tolist() == pytest.approx([0.8, 1.0, 230 / 300])
    # March is under way on the 10th: 30 / 10 days x 31 days = 93; finished months keep their actual
    assert r1["forecast"].tolist() == [80.0, 120.0, 93.0]
    assert r1["forecast_attainment"].tolist() == pytest.approx([0.8, 1.2, 0.93])


def test_a_rep_month_without_a_target_gets_blank_attainment_never_zero_or_inf():
    r2 = attainment_table(ACTUALS, TARGETS, as_of="2024-03-10").iloc[3]
    assert r2["actual"] == 50.0
    for column in ("target", "attainment", "variance", "ytd_attainment", "forecast_attainment"):
        assert pd.isna(r2[column]), column
    zero = TARGETS.assign(target=[0.0, 100.0, 100.0, 100.0])
    jan = attainment_table(ACTUALS, zero).iloc[0]
    assert pd.isna(jan["attainment"]) and pd.isna(jan["ytd_attainment"])


def test_without_as_of_every_month_is_finished_and_months_after_it_are_left_out():
    out = attainment_table(ACTUALS, TARGETS)
    r1 = out[out["rep_id"] == "R1"]
    # April has a target but no actual: actual 0, attainment 0
    assert r1["period"].tolist()[-1] == month(4) and r1["actual"].tolist()[-1] == 0.0
    assert r1["attainment"].tolist()[-1] == 0.0
    assert (out["forecast"] == out["actual"]).all()
    assert month(4) not in attainment_table(ACTUALS, TARGETS, as_of="2024-03-31")["period"].tolist()


def test_ytd_restarts_with_the_plan_year():
    actuals = pd.DataFrame(
        {"rep_id": ["R1"] * 3, "period": [month(12, 2023), month(1), month(4)], "actual": [10.0, 20.0, 30.0]}
    )
    targets = actuals.rename(columns={"actual": "target"}).assign(target=40.0)
    calendar = attainment_table(actuals, targets)
    assert calendar["ytd_actual"].tolist() == [10.0, 20.0, 50.0]
    april_year = attainment_table(actuals, targets, year_start_month=4)
    assert april_year["ytd_actual"].tolist() == [10.0, 30.0, 30.0]


def test_names_and_regions_come_from_the_reps_table():
    reps = pd.DataFrame({"rep_id": ["R1", "R2"], "name": ["Ann", "Bo"], "region": ["North", "South"]})
    out = attainment_table(ACTUALS, TARGETS, reps=reps)
    assert out.groupby("rep_id")["name"].first().to_dict() == {"R1": "Ann", "R2": "Bo"}


def test_two_targets_for_one_rep_month_is_an_error():
    with pytest.raises(TargetError, match="R1 has more than one target for 2024-01"):
        attainment_table(ACTUALS, pd.concat([TARGETS, TARGETS.iloc[:1]]))


def test_inputs_are_not_changed():
    actuals, targets = ACTUALS.copy(), TARGETS.copy()
    attainment_table(actuals, targets, as_of="2024-02-15")
    pd.testing.assert_frame_equal(actuals, ACTUALS)
    pd.testing.assert_frame_equal(targets, TARGETS)


@given(st.lists(st.tuples(st.integers(0, 10**8), st.integers(1, 10**8)), min_size=1, max_size=12))
def test_table_ytd_equals_the_cumulative_ratio(cents):
    actual = [a / 100 for a, _ in cents]
    target = [t / 100 for _, t in cents]
    periods = [month(m + 1) for m in range(len(cents))]
    out = attainment_table(
        pd.DataFrame({"rep_id": "R1", "period": periods, "actual": actual}),
        pd.DataFrame({"rep_id": "R1", "period": periods, "target": target}),
    )
    assert out["ytd_attainment"].to_numpy() == pytest.approx(cumulative_attainment(actual, target), rel=1e-12)
