"""Target variance and breakdown, against hand arithmetic on a few order lines."""

import pandas as pd
import pytest

from sales_tools.core.targets import monthly_targets, next_year_targets
from sales_tools.core.variance import (
    credited_sales,
    target_breakdown,
    target_variance,
    team_figures,
    unmatched_targets,
    variance_layout,
)

REPS = pd.DataFrame({"rep_id": ["R1", "R2"], "region": ["North", "South"]})
CUSTOMERS = pd.DataFrame({"customer_id": ["C1", "C2"], "channel": [None, "Dealer"]})
# A: R1 sells C1 100 of X and 50 of Y in January; 20 of the Y line comes back in February.
# B: R2 sells dealer C2 200 of X in April, split R1 25% / R2 75%.
ORDERS = pd.DataFrame({
    "order_id": ["A", "A", "B"], "line": [1, 2, 1],
    "order_date": pd.to_datetime(["2024-01-05", "2024-01-05", "2024-04-02"]),
    "rep_id": ["R1", "R1", "R2"], "customer_id": ["C1", "C1", "C2"], "category": ["X", "Y", "X"],
    "amount": [100.0, 50.0, 200.0],
})  # fmt: skip
RETURNS = pd.DataFrame(
    {"order_id": ["A"], "line": [2], "return_date": pd.to_datetime(["2024-02-03"]), "amount": [20.0]}
)
SPLITS = pd.DataFrame({"order_id": ["B", "B"], "rep_id": ["R1", "R2"], "share": [0.25, 0.75]})


def _targets(*rows):
    """Targets rows (rep, region, category, dealer, annual target) for 2024, with equal months."""
    frame = pd.DataFrame(rows, columns=["rep_id", "region", "category", "dealer", "annual_target"]).assign(year=2024)
    return frame


def _variance(*rows):
    targets = _targets(*rows)
    monthly = monthly_targets(targets)
    return target_variance(monthly, credited_sales(ORDERS, RETURNS, SPLITS, REPS, CUSTOMERS))


def _row(table, level, key, period):
    found = table[(table["level"] == level) & (table["key"] == key) & (table["period"] == period)]
    assert len(found) == 1, (level, key, period)
    return found.iloc[0]


def test_team_by_month_quarter_half_and_year():
    table = _variance((None, None, None, None, 1200.0))
    # actuals: Jan 150, Feb -20 (the return), Apr 200; target 100 a month
    jan, feb = _row(table, "team", "Team", "2024-01"), _row(table, "team", "Team", "2024-02")
    assert (jan["target"], jan["actual"], jan["variance"], jan["attainment"]) == (100.0, 150.0, 50.0, 1.5)
    assert (feb["actual"], feb["variance"]) == (-20.0, -120.0)
    q1, q2 = _row(table, "team", "Team", "2024-Q1"), _row(table, "team", "Team", "2024-Q2")
    assert (q1["target"], q1["actual"], q1["variance"]) == (300.0, 130.0, -170.0)
    assert (q2["target"], q2["actual"]) == (300.0, 200.0)
    h1, year = _row(table, "team", "Team", "2024-H1"), _row(table, "team", "Team", "2024")
    assert (h1["target"], h1["actual"]) == (600.0, 330.0)
    assert (year["target"], year["actual"], year["variance"], year["attainment"]) == (1200.0, 330.0, -870.0, 0.275)
    assert len(table) == 12 + 4 + 2 + 1


def test_quarters_halves_and_year_add_up_their_months():
    table = _variance((None, "North", None, None, 1000.0))  # 83.34 x 4 months, then 83.33
    table = table[table["key"] == "North"]
    months = table[table["period_type"] == "month"].set_index("period")
    for period_type, size in (("quarter", 3), ("half", 6), ("year", 12)):
        rolled = table[table["period_type"] == period_type]
        for i, row in enumerate(rolled.itertuples()):
            part = months.iloc[i * size : (i + 1) * size]
            assert row.target == pytest.approx(part["target"].sum(), abs=1e-9)
            assert row.actual == pytest.approx(part["actual"].sum(), abs=1e-9)
    assert _row(table, "region", "North", "2024-Q1")["target"] == 250.02


def test_rep_actuals_follow_splits_and_returns():
    table = _variance(("R1", None, None, None, 600.0), ("R2", None, None, None, 1800.0))
    r1, r2 = _row(table, "rep", "R1", "2024"), _row(table, "rep", "R2", "2024")
    assert r1["actual"] == 100 + 50 - 20 + 0.25 * 200  # 180
    assert r2["actual"] == 0.75 * 200  # 150
    assert _row(table, "rep", "R1", "2024-04")["actual"] == 50.0


def test_region_from_the_credited_reps_region():
    table = _variance((None, "North", None, None, 1200.0), (None, "South", None, None, 1200.0))
    assert _row(table, "region", "North", "2024")["actual"] == 180.0
    assert _row(table, "region", "South", "2024")["actual"] == 150.0


def test_category_dealer_and_combinations():
    table = _variance(
        (None, None, "X", None, 1200.0),
        (None, None, None, "C2", 2400.0),
        ("R1", None, "Y", None, 120.0),
    )
    assert _row(table, "category", "X", "2024")["actual"] == 300.0  # 100 + 200
    dealer = _row(table, "dealer", "C2", "2024-Q2")
    assert (dealer["target"], dealer["actual"], dealer["attainment"]) == (600.0, 200.0, 200 / 600)
    combo = _row(table, "rep+category", "R1/Y", "2024-Q1")
    assert (combo["target"], combo["actual"], combo["variance"]) == (30.0, 30.0, 0.0)


def test_a_key_with_sales_but_no_target_is_listed_with_a_blank_target():
    table = _variance(("R1", None, None, None, 600.0))
    r2 = _row(table, "rep", "R2", "2024")
    assert pd.isna(r2["target"]) and pd.isna(r2["variance"]) and pd.isna(r2["attainment"])
    assert r2["actual"] == 150.0


def test_a_zero_target_has_a_blank_attainment_never_infinity():
    row = _row(_variance((None, None, None, None, 0.0)), "team", "Team", "2024-01")
    assert row["target"] == 0 and row["variance"] == 150.0 and pd.isna(row["attainment"])


def test_breakdown_compares_each_level_with_the_sum_below():
    targets = _targets(
        (None, None, None, None, 1000.0),
        (None, "North", None, None, 550.0),
        (None, "South", None, None, 400.0),
        ("R1", None, None, None, 600.0),
        ("R2", None, None, None, 500.0),
        ("R1", None, "X", None, 100.0),
    )
    table = target_breakdown(targets, REPS).set_index(["level", "key"])
    assert table.loc[("team", "Team"), ["below", "below_target", "difference"]].tolist() == ["region", 950.0, -50.0]
    assert table.loc[("region", "North"), ["below", "below_target", "difference"]].tolist() == ["rep", 600.0, 50.0]
    assert table.loc[("region", "South"), "difference"] == 100.0
    assert table.loc[("rep", "R1"), ["below", "below_target"]].tolist() == ["rep+category", 100.0]
    assert len(table) == 4


def test_without_regions_the_reps_add_up_to_the_team():
    targets = _targets(
        (None, None, None, None, 1000.0), ("R1", None, None, None, 600.0), ("R2", None, None, None, 500.0)
    )
    row = target_breakdown(targets, REPS).iloc[0]
    assert (row["level"], row["below"], row["below_target"], row["difference"]) == ("team", "rep", 1100.0, 100.0)


def test_layout_rows_per_key_periods_across_and_totals():
    table = _variance(("R1", None, None, None, 600.0), ("R2", None, None, None, 1800.0))
    wide = variance_layout(table, "rep", "quarter", 2024)
    assert list(wide.index) == ["R1", "R2", "Total"]
    assert wide.columns[:3].tolist() == [("2024-Q1", "target"), ("2024-Q1", "actual"), ("2024-Q1", "variance")]
    assert wide.loc["R1", ("2024-Q1", "actual")] == 130.0  # 100 + 50 - 20
    assert wide.loc["Total", ("2024-Q2", "actual")] == 200.0  # the split order B
    assert wide.loc["Total", ("Total", "target")] == 2400.0
    assert wide.loc["Total", ("Total", "variance")] == 330.0 - 2400.0
    assert variance_layout(table, "rep", "year", 2024).columns.get_level_values(0).unique().tolist() == ["Total"]


def test_next_years_targets_grow_each_level_from_last_years_credited_sales():
    sales = credited_sales(ORDERS, RETURNS, SPLITS, REPS, CUSTOMERS)
    out = next_year_targets(sales, 2025, team_growth=0.10, individual_growth=0.15)
    keys = out[["rep_id", "region", "category"]].apply(lambda r: tuple(r.dropna()), axis=1)
    got = dict(zip(keys, out["annual_target"]))
    assert set(out["year"]) == {2025}
    assert got == {
        (): round(330 * 1.10, 2),  # team: 150 - 20 + 200
        ("North",): 198.0,  # R1's 180 x 1.1
        ("South",): 165.0,  # R2's 150 x 1.1
        ("X",): 330.0,  # 100 + 200, x 1.1
        ("Y",): 33.0,  # 50 - 20, x 1.1
        ("R1",): 207.0,  # 180 x 1.15
        ("R2",): 172.5,  # 150 x 1.15
    }


def test_targets_no_order_can_count_toward_are_reported():
    targets = _targets(
        ("R9", None, None, None, 1.0),
        (None, "Nort", None, None, 1.0),
        (None, None, "Z", None, 1.0),
        (None, None, "Tools", None, 1.0),
        (None, None, None, "C1", 1.0),
        ("R1", "North", "X", "C2", 1.0),
    )
    known = {"rep_id": {"R1", "R2"}, "region": {"North", "South"}, "category": {"X", "Y", "Tools"}, "dealer": {"C2"}}
    out = unmatched_targets(targets, credited_sales(ORDERS, RETURNS, SPLITS, REPS, CUSTOMERS), known)
    assert sorted(zip(out["column"], out["value"])) == [
        ("category", "Tools"), ("category", "Z"), ("dealer", "C1"), ("region", "Nort"), ("rep_id", "R9")
    ]  # fmt: skip
    tools = out[out["value"] == "Tools"]["reason"].iloc[0]
    assert (
        tools
        == "the target for year 2024, category Tools: category Tools has no order line, so no order counts toward it"
    )


def test_dealers_are_not_a_breakdown_of_the_team():
    targets = _targets((None, None, None, None, 1000.0), (None, None, None, "C2", 100.0))
    assert target_breakdown(targets, REPS).empty


def test_team_figures_use_the_team_row_when_there_is_one_else_the_reps():
    both = _variance((None, None, None, None, 1000.0), ("R1", None, None, None, 600.0))
    assert team_figures(both, 2024) == (330.0, 1000.0, "the team's target")
    reps = _variance(("R1", None, None, None, 600.0))  # R2 has sales but no target: left out
    assert team_figures(reps, 2024) == (180.0, 600.0, "the sum of the reps' targets (no team target for 2024)")
    assert team_figures(reps, 2025) is None
