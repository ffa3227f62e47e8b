"""Margin plans and measure targets: hand-computed months, splits, returns, missing costs, gates, variance."""

import pandas as pd
import pytest

from sales_tools.core.attainment import measure_attainment
from sales_tools.core.commissions import OtherTables, compute_commissions
from sales_tools.core.plans import Plan, parse_plans
from sales_tools.core.refresh import REFRESH_FILE, left_out_message
from sales_tools.core.targets import monthly_targets
from sales_tools.core.variance import credited_sales, target_variance, unmeasured_targets
from sales_tools.errors import PlanError, TargetError
from tests.schema_rows import frame

MARGIN = Plan("Margin", floors=(0.0, 1000.0), rates=(0.10, 0.20), basis="margin")
FLAT = Plan("Flat", floors=(0.0,), rates=(0.10,), basis="margin")
GATED = Plan("Gated", floors=(0.0, 1.0), rates=(0.05, 0.10), tier_basis="attainment", gate=0.5,
             bonuses=((1.0, 100.0),), basis="margin")  # fmt: skip
REVENUE = Plan("Revenue", floors=(0.0,), rates=(0.10,))
PLANS = {p.name: p for p in (MARGIN, FLAT, GATED, REVENUE)}


def orders(*rows):
    """(order_id, line, date, rep, quantity, amount, unit_cost) rows as an Orders table."""
    table = pd.DataFrame(rows, columns=["order_id", "line", "order_date", "rep_id", "quantity", "amount", "unit_cost"])
    return table.assign(order_date=pd.to_datetime(table["order_date"]), category="X", customer_id="C1")


def run(rows, plan, **tables):
    table = orders(*rows)
    reps = {rep: plan for rep in table["rep_id"].unique()}
    if tables.get("splits") is not None:
        reps |= {rep: plan for rep in tables["splits"]["rep_id"]}
    return compute_commissions(table, PLANS, reps, OtherTables(**tables))


def month(result, rep, period):
    row = result.summary[(result.summary["rep_id"] == rep) & (result.summary["period"] == pd.Timestamp(period))]
    assert len(row) == 1
    return row.iloc[0]


def test_a_margin_month_pays_the_tiers_on_the_months_margin_a_negative_line_reducing_it():
    result = run(
        [
            ("O1", 1, "2024-01-05", "A", 10, 1000.0, 60.0),  # margin 1,000 - 10 x 60 = 400
            ("O2", 1, "2024-01-10", "A", 5, 2000.0, 200.0),  # 2,000 - 5 x 200 = 1,000
            ("O3", 1, "2024-01-20", "A", 2, 300.0, 200.0),  # 300 - 2 x 200 = -100: sold below cost
        ],
        "Margin",
    )
    # The month's margin 400 + 1,000 - 100 = 1,300: 1,000 x 10% + 300 x 20% = 160 (on revenue,
    # 3,300, it would be 560).  Pro rata: 49.2308, 123.0769, -12.3077 -> 49.23 + 123.07 - 12.31
    # = 159.99; the missing cent to the largest remainder (0.69 of a cent): 123.08.
    assert result.lines["amount"].tolist() == [49.23, 123.08, -12.31]
    assert result.lines["basis"].tolist() == [400.0, 1000.0, -100.0]
    jan = month(result, "A", "2024-01-01")
    assert (jan["sales"], jan["commission"], jan["total"]) == (1300.0, 160.0, 160.0)


def test_a_split_margin_line_is_shared_like_revenue():
    splits = pd.DataFrame({"order_id": ["O1", "O1"], "rep_id": ["A", "B"], "share": [0.6, 0.4]})
    result = run([("O1", 1, "2024-01-05", "A", 10, 1000.0, 60.0)], "Flat", splits=splits)
    # margin 400: A 60% = 240 x 10% = 24.00; B 40% = 160 x 10% = 16.00
    assert (month(result, "A", "2024-01-01")["commission"], month(result, "B", "2024-01-01")["commission"]) == (
        24.0,
        16.0,
    )
    assert sorted(result.lines["basis"].tolist()) == [160.0, 240.0]


def test_a_partial_return_claws_back_the_same_share_of_what_the_line_paid_on_margin():
    returns = pd.DataFrame(
        {"order_id": ["O1"], "line": [1], "return_date": pd.to_datetime(["2024-02-03"]), "amount": [250.0]}
    )
    result = run([("O1", 1, "2024-01-05", "A", 10, 1000.0, 60.0)], "Flat", returns=returns)
    # January: margin 400 x 10% = 40.00.  February: 250 of 1,000 comes back (25%, 2.5 units at
    # their cost): it takes back 25% of the margin (100) and 25% of the 40 paid: -10.00.
    claw = result.lines[result.lines["rule"] == "clawback"].iloc[0]
    assert (claw["period"], claw["basis"], claw["amount"]) == (pd.Timestamp("2024-02-01"), -100.0, -10.0)
    assert claw["rate"] == pytest.approx(0.10)
    assert month(result, "A", "2024-02-01")["clawbacks"] == -10.0


def test_lines_without_unit_cost_or_quantity_are_left_out_and_listed_never_paid_on_revenue():
    table = orders(
        ("O1", 1, "2024-01-05", "A", 10, 1000.0, 60.0),  # margin 400
        ("O2", 1, "2024-01-06", "A", 5, 5000.0, None),  # no unit cost
        ("O2", 2, "2024-01-06", "A", None, 800.0, 10.0),  # no quantity
        ("O3", 1, "2024-01-07", "R", 1, 100.0, None),  # a revenue plan needs no cost
    )
    result = compute_commissions(table, PLANS, {"A": "Flat", "R": "Revenue"})
    # A is paid on O1's margin only: 400 x 10% = 40 (on revenue O2 would add 580); R on revenue: 10
    assert (month(result, "A", "2024-01-01")["total"], month(result, "R", "2024-01-01")["total"]) == (40.0, 10.0)
    notes = result.exceptions
    assert notes[["sheet", "column", "value"]].values.tolist() == [
        ["Orders", "unit_cost", "order O2 line 1"],
        ["Orders", "quantity", "order O2 line 2"],
    ]
    assert notes["reason"].iloc[0].startswith("order O2 line 1 has no unit_cost on the Orders sheet; plan Flat (rep A)")
    message = left_out_message(notes.assign(file=REFRESH_FILE))
    assert message.startswith(
        "Not paid: 1 order line(s) of a margin plan without a unit cost, "
        "1 order line(s) of a margin plan without a quantity."
    )


def test_a_revenue_rep_on_lines_without_cost_is_paid_as_before():
    table = orders(("O1", 1, "2024-01-05", "R", None, 100.0, None))
    result = compute_commissions(table, PLANS, {"R": "Revenue"})
    assert result.lines["amount"].tolist() == [10.0] and result.exceptions.empty


def _targets():
    """Rep A: revenue 10,000 and margin 1,000 a month (January and February)."""
    months = pd.to_datetime(["2024-01-01", "2024-02-01"] * 2)
    return pd.DataFrame({"rep_id": "A", "period": months, "target": [10000.0] * 2 + [1000.0] * 2,
                         "measure": [None, None, "margin", "margin"]})  # fmt: skip


def test_a_margin_plans_gate_bonus_and_attainment_use_the_margin_target():
    result = run(
        [
            ("O1", 1, "2024-01-05", "A", 10, 3000.0, 180.0),  # January margin 3,000 - 1,800 = 1,200
            ("O2", 1, "2024-02-05", "A", 10, 2000.0, 160.0),  # February margin 2,000 - 1,600 = 400
        ],
        "Gated",
        targets=_targets(),
    )
    jan, feb = month(result, "A", "2024-01-01"), month(result, "A", "2024-02-01")
    # January: 1,200 / 1,000 = 120% of the margin target (revenue would be 30%, below the 50% gate):
    # 100% x 1,000 x 5% + 20% x 1,000 x 10% = 50 + 20 = 70, and the 100 bonus for 100%.
    assert (jan["sales"], jan["target"], jan["attainment"]) == (1200.0, 1000.0, 1.2)
    assert (jan["commission"], jan["bonus"], jan["total"]) == (70.0, 100.0, 170.0)
    # February: 400 / 1,000 = 40%, below the gate (revenue: 2,000 / 10,000 = 20%, as it happens)
    assert (feb["attainment"], feb["total"]) == (0.4, 0.0)
    assert result.lines.loc[result.lines["period"] == "2024-02-01", "rule"].tolist() == ["gate 50% not reached"]


def test_a_margin_plan_without_a_margin_target_says_so():
    targets = _targets().iloc[[0, 1, 3]]  # no margin target for January
    result = run(
        [("O1", 1, "2024-01-05", "A", 10, 3000.0, 180.0), ("O2", 1, "2024-02-05", "A", 10, 2000.0, 160.0)],
        "Gated",
        targets=targets,
    )
    assert result.exceptions["reason"].tolist() == [
        "rep A has no margin target for 2024-01; plan Gated needs one, so the month is left out"
    ]


def test_the_attainment_table_has_a_set_of_rows_per_measure_with_targets():
    actuals = pd.DataFrame({"rep_id": "A", "period": pd.to_datetime(["2024-01-01", "2024-02-01"]),
                            "actual": [3000.0, 2000.0], "margin": [1200.0, 400.0], "quantity": [10.0, 10.0]})  # fmt: skip
    table = measure_attainment(actuals, _targets())
    assert table[["measure", "target", "actual"]].values.tolist() == [
        ["revenue", 10000.0, 3000.0],
        ["revenue", 10000.0, 2000.0],
        ["margin", 1000.0, 1200.0],
        ["margin", 1000.0, 400.0],
    ]
    margin = table[table["measure"] == "margin"]
    # year to date: (1,200 + 400) / (1,000 + 1,000) = 80%
    assert margin["ytd_attainment"].tolist() == pytest.approx([1.2, 0.8])
    assert measure_attainment(actuals, _targets().iloc[:2])["measure"].unique().tolist() == ["revenue"]


def test_basis_is_a_plan_rule_and_margin_cannot_be_paid_on_collections():
    rows = [("M", "basis", "Margin"), ("M", "tier", None, 0, 0.1)]
    assert parse_plans(frame("plan", rows))["M"].basis == "margin"
    with pytest.raises(PlanError) as caught:
        parse_plans(frame("plan", [*rows, ("M", "credit_on", "paid")]))
    assert "margin cannot be paid on collections (row 4 sets credit_on paid)" in str(caught.value)


# ------------------------------------------------------------------ measure targets in the Target variance
REPS = pd.DataFrame({"rep_id": ["R1"], "region": ["North"]})
CUSTOMERS = pd.DataFrame({"customer_id": ["C1"], "channel": [None]})
# R1 sells 7 units (700, cost 40) and 4 units (400, cost 60) in January; 1 of the 4 comes back in February.
SOLD = pd.DataFrame({
    "order_id": ["A", "B"], "line": [1, 1], "order_date": pd.to_datetime(["2024-01-05", "2024-01-09"]),
    "rep_id": "R1", "customer_id": "C1", "category": "X", "quantity": [7.0, 4.0], "amount": [700.0, 400.0],
    "unit_cost": [40.0, 60.0],
})  # fmt: skip
BACK = pd.DataFrame({"order_id": ["B"], "line": [1], "return_date": pd.to_datetime(["2024-02-03"]), "amount": [100.0]})
NO_SPLITS = pd.DataFrame(columns=["order_id", "rep_id", "share"])


def _variance(orders, *measures):
    targets = pd.DataFrame({"year": 2024, "rep_id": "R1", "annual_target": [a for _, a in measures],
                            "measure": [m for m, _ in measures]})  # fmt: skip
    return target_variance(monthly_targets(targets), credited_sales(orders, BACK, NO_SPLITS, REPS, CUSTOMERS))


def _row(table, measure, period):
    found = table[(table["measure"] == measure) & (table["period"] == period)]
    assert len(found) == 1
    return found.iloc[0]


def test_a_quantity_target_compares_units_sold_net_of_returns():
    table = _variance(SOLD, ("quantity", 120.0), (None, 12000.0))
    jan, feb, q1 = (_row(table, "quantity", p) for p in ("2024-01", "2024-02", "2024-Q1"))
    # 120 units a year = 10 a month; January 7 + 4 = 11 units; February: 100 of B's 400 back = 1 unit
    assert (jan["target"], jan["actual"], jan["variance"], jan["attainment"]) == (10.0, 11.0, 1.0, 1.1)
    assert (feb["actual"], feb["variance"]) == (-1.0, -11.0)
    assert (q1["target"], q1["actual"]) == (30.0, 10.0)
    assert _row(table, "revenue", "2024-01")["actual"] == 1100.0  # revenue rows as before
    assert table["measure"].unique().tolist() == ["revenue", "quantity"]


def test_a_margin_target_compares_gross_margin_net_of_returns():
    table = _variance(SOLD, ("margin", 6000.0))
    jan, feb = _row(table, "margin", "2024-01"), _row(table, "margin", "2024-02")
    # January: 700 - 7 x 40 = 420 and 400 - 4 x 60 = 160: 580 against 500 a month
    # February: a quarter of B back takes a quarter of its margin: -40
    assert (jan["target"], jan["actual"], jan["variance"]) == (500.0, 580.0, 80.0)
    assert feb["actual"] == -40.0
    assert set(table["measure"]) == {"margin"}  # no revenue targets: no revenue rows


def test_collections_targets_are_not_compared_here():
    table = _variance(SOLD, ("collections", 5000.0), (None, 12000.0))
    assert set(table["measure"]) == {"revenue"}


def test_margin_targets_with_lines_lacking_a_unit_cost_are_noted():
    sold = SOLD.assign(unit_cost=[40.0, None])
    targets = pd.DataFrame({"year": [2024, 2024, 2024], "rep_id": ["R1", None, "R1"],
                            "annual_target": [6000.0, 7000.0, 100.0], "measure": ["margin", "margin", "quantity"]})  # fmt: skip
    found = unmeasured_targets(targets, credited_sales(sold, BACK, NO_SPLITS, REPS, CUSTOMERS))
    # B's line and its return have no margin: 2 of the 3 rows of sales (A, B, B's return)
    assert found["row"].tolist() == [0, 1]
    assert found["reason"].iloc[0] == (
        "the margin target for year 2024, rep R1, measure margin: 2 of its 3 credited order lines and returns in "
        "2024 have no unit_cost or quantity on the Orders sheet, so they count nothing toward it"
    )


def test_a_margin_plan_with_no_margin_target_at_all_is_an_error_saying_which_rows_to_add():
    with pytest.raises(TargetError, match=r"plan Gated: none of its 1 rep-month\(s\) can be paid: it needs a monthly "
                       r"margin target above 0 .* add the reps' rows \(Measure margin\) for those years"):  # fmt: skip
        run([("O1", 1, "2024-01-05", "A", 10, 3000.0, 180.0)], "Gated", targets=_targets().iloc[:2])
