import numpy as np
import pandas as pd
import pytest

from sales_tools.core.money import round_cents
from sales_tools.sample import generate
from sales_tools.sample_catalog import COST_RATIOS, MARGIN_REPS
from sales_tools.schema import INPUT_TABLES, PLAN_RULES, SETTINGS, TABLES, VISIT_OUTCOMES, VISIT_PURPOSES

DTYPE_KIND = {"text": "O", "int": "i", "number": "f", "money": "f", "percent": "f", "date": "M", "month": "M"}


@pytest.fixture(scope="module")
def data():
    return generate()


def test_same_seed_gives_identical_frames_and_another_seed_does_not(data):
    again = generate()
    for name, frame in data.items():
        pd.testing.assert_frame_equal(frame, again[name])
    assert not generate(seed=8)["orders"]["amount"].equals(data["orders"]["amount"])


def test_every_input_table_has_the_schema_columns_and_types(data):
    assert set(data) == {t.name for t in INPUT_TABLES}
    for t in INPUT_TABLES:
        assert data[t.name].columns.tolist() == t.names
        for col in t.columns:
            kind = data[t.name][col.name].dtype.kind
            assert kind == DTYPE_KIND[col.type] or (
                col.type == "text" and pd.api.types.is_string_dtype(data[t.name][col.name])
            ), (t.name, col.name)


def test_required_columns_are_filled_and_keys_unique(data):
    for t in INPUT_TABLES:
        df = data[t.name]
        for col in t.columns:
            if col.required:
                assert df[col.name].notna().all(), (t.name, col.name)
        if t.key:  # blanks in a key (the team's target) count as a value
            assert not df.duplicated(list(t.key)).any(), t.name


def test_team_shape_12_reps_4_regions_4_managers_with_plans(data):
    reps = data["reps"]
    assert len(reps) == 12
    assert reps["region"].nunique() == 4 and reps["manager"].nunique() == 4
    assert reps.groupby("region")["manager"].nunique().eq(1).all()
    assert set(reps["plan"]) <= set(data["plan"]["plan"])


def test_references_exist(data):
    reps, customers, orders = set(data["reps"]["rep_id"]), set(data["customers"]["customer_id"]), data["orders"]
    assert set(orders["rep_id"]) <= reps and set(orders["customer_id"]) <= customers
    assert set(data["customers"]["owner_rep"]) <= reps
    assert set(orders["category"]) <= set(data["categories"]["category"])
    for name in ("visit_plans", "activities", "payments"):
        assert set(data[name]["rep_id"]) <= reps and set(data[name]["customer_id"]) <= customers
    assert set(data["payments"]["order_id"]) <= set(orders["order_id"])
    assert set(data["splits"]["order_id"]) <= set(orders["order_id"]) and set(data["splits"]["rep_id"]) <= reps


def test_amount_is_rounded_quantity_times_price(data):
    o = data["orders"]
    assert np.array_equal(o["amount"].to_numpy(), round_cents(o["quantity"] * o["unit_price"]))
    assert (o["amount"] > 0).all()


def test_two_years_of_orders_with_a_year_end_peak(data):
    o = data["orders"]
    assert o["order_date"].min() >= pd.Timestamp("2023-01-01") and o["order_date"].max() <= pd.Timestamp("2024-12-31")
    assert (o["order_date"].dt.day_of_week < 5).all()
    by_month = o.groupby(o["order_date"].dt.month)["amount"].sum()
    assert by_month[[11, 12]].mean() > by_month[[7, 8]].mean() * 1.3
    assert 4000 < len(o) < 8000


def test_about_3_percent_of_lines_returned_after_the_order(data):
    o, r = data["orders"], data["returns"]
    assert 0.02 <= len(r) / len(o) <= 0.04
    merged = r.merge(o, on=["order_id", "line"], suffixes=("", "_order"), validate="one_to_one")
    assert len(merged) == len(r)  # every return is an existing order line
    assert (merged["return_date"] > merged["order_date"]).all()
    assert (merged["amount"] <= merged["amount_order"]).all() and (merged["amount"] > 0).all()


def test_customer_value_follows_a_pareto_curve(data):
    value = data["orders"].groupby("customer_id")["amount"].sum().reindex(data["customers"]["customer_id"]).fillna(0)
    top = value.sort_values(ascending=False).head(len(value) // 5).sum() / value.sum()
    assert 0.60 <= top <= 0.85
    assert 350 <= len(data["customers"]) <= 450
    assert set(data["customers"]["size"]) == {"Small", "Medium", "Large", "Enterprise"}


def test_new_customers_are_created_before_their_first_order(data):
    first = data["orders"].groupby("customer_id")["order_date"].min()
    created = data["customers"].set_index("customer_id")["created_date"].reindex(first.index)
    assert (created <= first).all()
    assert (created >= pd.Timestamp("2023-01-01")).sum() >= 40  # some customers are new in the period


def test_payments_come_15_to_90_days_after_the_order_and_some_are_unpaid(data):
    p, o = data["payments"], data["orders"]
    order_date = o.drop_duplicates("order_id").set_index("order_id")["order_date"]
    delay = (p["payment_date"] - p["order_id"].map(order_date)).dt.days
    assert delay.between(15, 90).all()
    unpaid = 1 - p["order_id"].nunique() / o["order_id"].nunique()
    assert 0.03 < unpaid < 0.20


def test_visits_and_activities_use_schema_values(data):
    assert set(data["visit_plans"]["purpose"]) <= set(VISIT_PURPOSES)
    acts = data["activities"]
    assert set(acts["outcome"]) == set(VISIT_OUTCOMES)
    assert acts["hours"].between(0.5, 3.0).all()
    taken = acts[acts["outcome"] == "Order taken"]
    assert taken["order_amount"].notna().all()


def test_second_year_targets_are_first_year_actuals_plus_growth(data):
    o, t = data["orders"], data["targets"]
    t = t[t["measure"].isna()]  # revenue
    actual_2023 = o[o["order_date"].dt.year == 2023].groupby("rep_id")["amount"].sum()
    reps_2024 = t[(t["year"] == 2024) & t["rep_id"].notna()].set_index("rep_id")["annual_target"]
    np.testing.assert_allclose(reps_2024.sort_index(), (actual_2023 * 1.15).sort_index(), atol=0.005)
    team = t[(t["year"] == 2024) & t[["rep_id", "region", "category", "dealer"]].isna().all(axis=1)]["annual_target"]
    assert team.tolist() == pytest.approx([actual_2023.sum() * 1.10], abs=0.005)
    assert reps_2024.sum() > team.iloc[0]  # individual stretch above the team's commitment
    assert data["seasonality"]["weight"].sum() == pytest.approx(1.0)


def test_region_category_and_dealer_targets_are_last_years_net_sales_plus_10_percent(data):
    o, r, t = data["orders"], data["returns"], data["targets"]
    lines = o.set_index(["order_id", "line"])
    returned = r.assign(**lines.loc[list(zip(r["order_id"], r["line"])), ["rep_id", "category", "customer_id"]]
                        .reset_index(drop=True).to_dict("series"))  # fmt: skip
    region = data["reps"].set_index("rep_id")["region"]
    net = pd.concat([
        o.assign(date=o["order_date"]),
        returned.assign(date=returned["return_date"], amount=-returned["amount"]),
    ])  # fmt: skip
    net = net[net["date"].dt.year == 2023].assign(region=lambda f: f["rep_id"].map(region))
    for dim in ("region", "category"):
        want = net.groupby(dim)["amount"].sum() * 1.10
        got = t[(t["year"] == 2024) & t[dim].notna()].set_index(dim)["annual_target"]
        np.testing.assert_allclose(got.sort_index(), want.sort_index(), atol=0.005)
    dealers = set(data["customers"].loc[data["customers"]["channel"] == "Dealer", "customer_id"])
    by_dealer = net[net["customer_id"].isin(dealers)].groupby("customer_id")["amount"].sum().nlargest(3) * 1.10
    got = t[(t["year"] == 2024) & t["dealer"].notna()].set_index("dealer")["annual_target"]
    np.testing.assert_allclose(got, by_dealer.loc[got.index], atol=0.005)
    assert set(t["year"]) == {2023, 2024, 2025}  # the year after the data has targets too


def test_plan_uses_every_rule_and_attainment_tiers(data):
    plan = data["plan"]
    assert set(plan["rule"]) == set(PLAN_RULES) - {"override"}  # the sample's managers are not reps
    std = plan[(plan["plan"] == "Standard") & (plan["rule"] == "tier")]
    assert std["floor"].tolist() == [0.0, 0.5, 1.0, 1.25] and std["rate"].tolist() == [0.02, 0.04, 0.06, 0.08]


def test_split_shares_add_up_to_100_percent(data):
    shares = data["splits"].groupby("order_id")["share"].sum()
    assert len(shares) >= 5
    np.testing.assert_allclose(shares, 1.0)


def test_settings_and_column_map(data):
    assert data["settings"]["setting"].tolist() == list(SETTINGS)
    assert dict(zip(data["settings"]["setting"], data["settings"]["value"]))["period_start"] == "2024-01-01"
    cmap = data["column_map"]
    assert set(cmap["column"]) <= set(TABLES[cmap["table"].iloc[0]].names)


def test_every_line_has_a_unit_cost_near_its_categorys_ratio_and_margin_targets_grow(data):
    o, t = data["orders"], data["targets"]
    assert o["unit_cost"].notna().all() and (o["unit_cost"] >= 0).all()
    ratio = (o["unit_cost"] / o["unit_price"]).groupby(o["category"]).median()
    assert ratio.to_dict() == pytest.approx(COST_RATIOS, abs=0.02)
    margin = t[t["measure"] == "margin"]
    reps_2023 = margin[(margin["year"] == 2023) & margin["rep_id"].notna()].set_index("rep_id")["annual_target"]
    gross = (o["amount"] - o["quantity"] * o["unit_cost"])[o["order_date"].dt.year == 2023].groupby(o["rep_id"]).sum()
    # year one: each rep's 2023 margin to the thousand; 2024: +15%
    np.testing.assert_allclose(reps_2023.sort_index(), gross.round(-3).sort_index())
    reps_2024 = margin[(margin["year"] == 2024) & margin["rep_id"].notna()].set_index("rep_id")["annual_target"]
    np.testing.assert_allclose(reps_2024.sort_index(), (gross * 1.15).sort_index(), atol=0.005)
    assert set(data["reps"].loc[data["reps"]["plan"] == "Margin", "rep_id"]) == set(MARGIN_REPS)
