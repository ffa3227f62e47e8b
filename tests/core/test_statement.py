"""What a statement explains: the tier block, the plan's rules in words, booked against collected."""

import pandas as pd
import pytest

from sales_tools.core.commissions import OtherTables, compute_commissions
from sales_tools.core.plans import Plan
from sales_tools.core.statement import BELOW, collections, line_details, plan_rules, tier_block

MARCH = pd.Timestamp("2024-03-01")
TIERED = Plan("Tiered", floors=(0.0, 5000.0), rates=(0.10, 0.15))


def column(block, name):
    return block[name].tolist()


def test_marginal_tiers_slice_the_basis():
    block = tier_block(TIERED, 6800.0)
    assert column(block, "tier") == [1, 2]
    assert column(block, "floor") == [0.0, 5000.0] and column(block, "ceiling")[0] == 5000.0
    assert pd.isna(block["ceiling"].iloc[1]) and block["floor_attainment"].isna().all()
    # 5,000 at 10% = 500; 6,800 - 5,000 = 1,800 at 15% = 270; 770 in all
    assert column(block, "slice") == [5000.0, 1800.0] and column(block, "sales") == [5000.0, 1800.0]
    assert column(block, "amount") == [500.0, 270.0]


def test_a_negative_month_mirrors_a_positive_one():
    block = tier_block(TIERED, -6800.0)
    assert column(block, "slice") == [-5000.0, -1800.0] and column(block, "amount") == [-500.0, -270.0]


def test_the_part_below_a_first_floor_above_zero_is_a_row_that_earns_nothing():
    block = tier_block(Plan("P", (1000.0, 5000.0), (0.05, 0.10)), 6000.0)
    assert column(block, "tier") == [BELOW, 1, 2]
    # 1,000 below the first floor earns 0; 4,000 at 5% = 200; 1,000 at 10% = 100
    assert column(block, "slice") == [1000.0, 4000.0, 1000.0]
    assert column(block, "rate") == [0.0, 0.05, 0.10] and column(block, "amount") == [0.0, 200.0, 100.0]


def test_retroactive_puts_the_whole_basis_in_the_tier_reached():
    plan = Plan("Hunter", (0.0, 50000.0, 100000.0), (0.03, 0.04, 0.05), method="retroactive")
    block = tier_block(plan, 68516.02)
    assert column(block, "slice") == [0.0, 68516.02, 0.0]
    assert column(block, "amount") == [0.0, 2740.64, 0.0]  # 68,516.02 x 4% = 2,740.6408
    below = tier_block(Plan("P", (1000.0,), (0.1,), method="retroactive"), 800.0)
    assert column(below, "slice") == [800.0, 0.0] and column(below, "amount") == [0.0, 0.0]


def test_attainment_tiers_slice_all_sales_and_pay_the_share_without_a_category_rate():
    plan = Plan("Quota", (0.0, 0.5, 1.0), (0.02, 0.04, 0.06), tier_basis="attainment")
    # target 10,000; 12,000 of sales of which 3,000 at a category rate: tier basis 9,000
    block = tier_block(plan, 9000.0, sales=12000.0, target=10000.0)
    assert column(block, "floor_attainment") == [0.0, 0.5, 1.0]
    assert column(block, "floor") == [0.0, 5000.0, 10000.0]
    assert column(block, "sales") == [5000.0, 5000.0, 2000.0]
    # each slice is its sales x 9,000 / 12,000 = 0.75
    assert column(block, "slice") == [3750.0, 3750.0, 1500.0]
    # 3,750 x 2% = 75; 3,750 x 4% = 150; 1,500 x 6% = 90: 315 = (100 + 200 + 120) x 0.75, the engine's
    assert column(block, "amount") == [75.0, 150.0, 90.0]


def test_the_amounts_add_up_to_the_rounded_commission_not_to_rounded_tiers():
    plan = Plan("P", (0.0, 100.0), (0.10005, 0.2001))
    block = tier_block(plan, 150.0)
    # 100 x 10.005% = 10.005 and 50 x 20.01% = 10.005: each rounds to 10.01, but the month is 20.01
    assert round(block["amount"].sum(), 2) == 20.01
    assert sorted(column(block, "amount")) == [10.0, 10.01]
    assert all(abs(s * r - a) <= 0.01 for s, r, a in block[["slice", "rate", "amount"]].to_numpy())


def test_plan_rules_in_words():
    plan = Plan("Std", (0.0, 0.5, 1.0), (0.02, 0.04, 0.06), method="retroactive", tier_basis="attainment",
                credit_on="paid", gate=0.3, cap=15000.0, category_rates=(("Services", 0.08),),
                bonuses=((1.0, 100.0), (1.2, 300.0)), draw=2000.0, draw_recoverable=True, override=0.02)  # fmt: skip
    rules = plan_rules(plan)
    assert rules[0].startswith("Paid on collections: a payment counts in the month it is received")
    assert rules[1] == (
        "Tiers by attainment, all credited sales ÷ the month's target: 0% to 50% at 2%, 50% to 100% at 4%, "
        "above 100% at 6%; the whole basis at the rate of the tier reached (retroactive)."
    )
    assert "Services sales earn a flat 8%, outside the tiers; they still count toward attainment." in rules
    assert "Gate: a month below 30% of target pays no commission and no bonus." in rules
    assert any("at most 15,000.00 a month" in r for r in rules)
    assert any("100.00 at 100% of target, 300.00 at 120% of target" in r for r in rules)
    assert any(r.startswith("Draw (recoverable): a month earning less than 2,000.00") for r in rules)
    assert "Override: 2% of the booked sales of the reps who report to you." in rules
    booked = plan_rules(TIERED)
    assert booked[0].startswith("Paid on booked sales") and len(booked) == 3  # credit, tiers, returns


# ------------------------------------------------------------------ booked against collected
def paid_tables(splits=None):
    """O1 booked in March (lines 600 + 400), O2 in February (500); C1/C2 named on Customers."""
    orders = pd.DataFrame(
        [("O1", 1, "2024-03-04", "R1", "C1", "Hardware", 600.0), ("O1", 2, "2024-03-04", "R1", "C1", "Software", 400.0),
         ("O2", 1, "2024-02-20", "R1", "C2", "Hardware", 500.0)],
        columns=["order_id", "line", "order_date", "rep_id", "customer_id", "category", "amount"],
    )  # fmt: skip
    payments = pd.DataFrame(
        [("P1", "2024-03-10", "C1", "O1", 400.0), ("P2", "2024-03-05", "C2", "O2", 500.0),
         ("P3", "2024-04-02", "C1", "O1", 600.0), ("P4", "2024-03-11", "C9", "O9", 70.0)],
        columns=["payment_id", "payment_date", "customer_id", "order_id", "amount"],
    )  # fmt: skip
    customers = pd.DataFrame({"customer_id": ["C1", "C2"], "name": ["Alpha Ltd", "Beta plc"]})
    return {
        "orders": orders.assign(order_date=pd.to_datetime(orders["order_date"])),
        "payments": payments.assign(payment_date=pd.to_datetime(payments["payment_date"])),
        "customers": customers,
        "splits": splits,
    }


def test_booked_reconciles_to_collected_with_the_payments():
    got = collections(paid_tables(), "R1", MARCH)
    # booked in March: O1 = 1,000; of it 400 collected in March (P1), so 600 not; plus O2's 500 paid in March
    assert (got.booked, got.not_collected, got.other_months, got.collected) == (1000.0, 600.0, 500.0, 900.0)
    assert got.booked - got.not_collected + got.other_months == got.collected
    table = got.payments
    assert table["payment_id"].tolist() == ["P2", "P1"]  # by date; P3 is April's, P4 of no known order
    assert table["customer"].tolist() == ["Beta plc", "Alpha Ltd"] and table["order_id"].tolist() == ["O2", "O1"]
    assert table["order_date"].tolist() == [pd.Timestamp("2024-02-20"), pd.Timestamp("2024-03-04")]
    assert table["credited"].tolist() == [500.0, 400.0]


def test_a_split_order_credits_the_reps_share_of_each_payment():
    splits = pd.DataFrame({"order_id": ["O1", "O1"], "rep_id": ["R1", "R2"], "share": [0.6, 0.4]})
    tables = paid_tables(splits)
    got = collections(tables, "R1", MARCH)
    # booked: 60% of 1,000 = 600; P1: 60% of 400 = 240 collected, so 360 not; plus O2's 500: 740
    assert (got.booked, got.not_collected, got.other_months, got.collected) == (600.0, 360.0, 500.0, 740.0)
    assert got.payments["credited"].tolist() == [500.0, 240.0]
    other = collections(tables, "R2", MARCH)
    assert (other.booked, other.collected) == (400.0, 160.0) and other.payments["payment_id"].tolist() == ["P1"]
    # the engine credits the same collected basis
    plan = Plan("Collect", (0.0,), (0.05,), credit_on="paid")
    result = compute_commissions(tables["orders"], {"Collect": plan}, {"R1": "Collect", "R2": "Collect"},
                                 OtherTables(payments=tables["payments"], splits=splits))  # fmt: skip
    lines = result.lines[(result.lines["period"] == MARCH)]
    assert lines.groupby("rep_id")["basis"].sum().round(2).to_dict() == {"R1": 740.0, "R2": 160.0}


def test_no_payments_collect_nothing():
    tables = {**paid_tables(), "payments": None}
    got = collections(tables, "R1", MARCH)
    assert (got.booked, got.not_collected, got.other_months, got.collected) == (1000.0, 1000.0, 0.0, 0.0)
    assert got.payments.empty


def test_line_details_give_the_order_date_and_customer_name():
    tables = paid_tables()
    lines = pd.DataFrame({"order_id": ["O2", None, "O1"], "line": pd.array([1, None, 2], dtype="Int64"),
                          "amount": [1.0, 2.0, 3.0]}, index=[7, 8, 9])  # fmt: skip
    out = line_details(lines, tables["orders"].assign(customer_id=["C1", "C1", "C7"]), tables["customers"])
    assert out.index.tolist() == [7, 8, 9] and out["amount"].tolist() == [1.0, 2.0, 3.0]
    assert out["customer"].tolist()[0] == "C7"  # not on the Customers sheet: its ID
    assert pd.isna(out["customer"].iloc[1]) and pd.isna(out["order_date"].iloc[1])
    assert out["customer"].iloc[2] == "Alpha Ltd" and out["order_date"].iloc[2] == pd.Timestamp("2024-03-04")


@pytest.mark.parametrize("basis", [0.0, 4999.99, 5000.0, 123456.78])
def test_slices_add_up_to_the_basis(basis):
    block = tier_block(TIERED, basis)
    assert round(block["slice"].sum(), 2) == basis
