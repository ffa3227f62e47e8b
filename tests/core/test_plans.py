"""Plans as data: parsing the Plan sheet and reporting every bad row."""

import numpy as np
import pandas as pd
import pytest

from sales_tools.core.plans import Plan, parse_plans
from sales_tools.errors import PlanError
from sales_tools.schema import TABLES

COLUMNS = TABLES["plan"].names  # plan, rule, option, floor, rate, amount, category, note


def frame(*rows):
    """Plan rows as (plan, rule, option, floor, rate, amount, category); note left empty."""
    return pd.DataFrame([list(r) + [None] * (len(COLUMNS) - len(r)) for r in rows], columns=COLUMNS)


STANDARD = frame(
    ("Standard", "method", "Retroactive "),
    ("Standard", "tier_basis", "attainment"),
    ("Standard", "tier", None, 0.0, 0.02),
    ("Standard", "tier", None, 0.5, 0.04),
    ("Standard", "tier", None, 1.0, 0.06),
    ("Standard", "gate", None, 0.3),
    ("Standard", "cap", None, None, None, 15000.0),
    ("Standard", "category_rate", None, None, 0.08, None, "Services"),
    ("Standard", "bonus", None, 1.25, None, 900.0),
    ("Standard", "bonus", None, 1.0, None, 500.0),
    (None, None),  # a blank row between plans is skipped
    ("Flat", "TIER", None, 0, 0.05),
)


def test_parse_every_rule():
    plans = parse_plans(STANDARD)
    assert list(plans) == ["Standard", "Flat"]
    assert plans["Standard"] == Plan(
        name="Standard",
        floors=(0.0, 0.5, 1.0),
        rates=(0.02, 0.04, 0.06),
        method="retroactive",  # case and spaces ignored
        tier_basis="attainment",
        credit_on="booked",  # default
        gate=0.3,
        cap=15000.0,
        category_rates=(("Services", 0.08),),
        bonuses=((1.0, 500.0), (1.25, 900.0)),  # sorted by level
    )
    assert plans["Standard"].needs_target


def test_defaults():
    flat = parse_plans(STANDARD)["Flat"]
    assert (flat.method, flat.tier_basis, flat.credit_on, flat.gate, flat.cap) == (
        "marginal",
        "amount",
        "booked",
        None,
        None,
    )
    assert not flat.needs_target


def test_the_input_frame_is_not_changed():
    before = STANDARD.copy()
    parse_plans(STANDARD)
    pd.testing.assert_frame_equal(STANDARD, before)


def test_every_problem_is_listed_with_plan_row_and_column():
    bad = frame(
        ("P", "tiers", None, 0, 0.1),  # row 2
        ("P", "tier", None, 0, None),  # row 3
        ("P", "tier", None, 5000, "abc"),  # row 4
        ("P", "tier", None, 4000, 0.2),  # row 5
        ("P", "method", "progressive"),  # row 6
        ("P", "gate", None, 0.5),  # row 7
        ("P", "gate", None, 0.6),  # row 8
        ("P", "cap", None, None, None, -10),  # row 9
        ("P", "tier", None, 6000, 12),  # row 10
        (None, "tier", None, 0, 0.1),  # row 11
    )
    with pytest.raises(PlanError) as caught:
        parse_plans(bad)
    message = str(caught.value)
    expected = [
        "the Plan sheet has 9 problems:",
        "- plan 'P', row 2: rule 'tiers' is unknown; use one of method, tier_basis",
        "- plan 'P', row 3: rate is empty",
        "- plan 'P', row 4: rate 'abc' is not a number",
        "- plan 'P', row 6: option 'progressive' is not a method; use marginal or retroactive",
        "- plan 'P', row 8: floor 0.6 is a second gate; row 7 already sets the plan's gate",
        "- plan 'P', row 9: amount -10 must be 0 or more",
        "- plan 'P', row 10: rate 12 means 1,200%; for 12% type 12% (or 0.12)",
        "- row 11: plan is empty; every row needs its plan's name",
        "- plan 'P', row 5: floor 4,000 must be above the previous tier's floor 5,000",
    ]
    for text in expected:
        assert text in message
    problems = caught.value.problems
    assert list(problems.columns) == TABLES["exceptions"].names
    assert problems["row"].tolist() == [11, 2, 3, 4, 6, 8, 9, 10, 5]
    assert (
        problems.loc[1, "reason"]
        == "rule 'tiers' is unknown; use one of method, tier_basis, credit_on, tier, gate, cap, category_rate, bonus, draw, override, basis"
    )
    assert set(problems["sheet"]) == {"Plan"}


def test_attainment_floor_typed_as_a_percentage():
    bad = frame(
        ("A", "tier_basis", "attainment"),
        ("A", "tier", None, 0, 0.1),
        ("A", "tier", None, 50, 0.2),
        ("A", "bonus", None, 100, None, 500),
    )
    with pytest.raises(PlanError) as caught:
        parse_plans(bad)
    message = str(caught.value)
    assert "row 4: floor 50 means 50 times the target; for 50% of target type 50% (or 0.5)" in message
    assert "row 5: floor 100 means 100 times the target" in message


def test_amount_plan_accepts_large_floors():
    assert parse_plans(frame(("A", "tier", None, 0, 0.1), ("A", "tier", None, 50000, 0.2)))["A"].floors == (
        0.0,
        50000.0,
    )


def test_plan_without_tiers_and_duplicate_category_and_bonus():
    bad = frame(
        ("B", "category_rate", None, None, 0.1, None, "Services"),
        ("B", "category_rate", None, None, 0.2, None, "Services"),
        ("B", "category_rate", None, None, 0.2),
        ("B", "bonus", None, 1.0, None, 100),
        ("B", "bonus", None, 1.0, None, 200),
        ("B", "bonus", None, 1.2),
    )
    with pytest.raises(PlanError) as caught:
        parse_plans(bad)
    message = str(caught.value)
    assert "plan 'B', row 3: category 'Services' already has a category_rate in this plan" in message
    assert "plan 'B', row 4: category is empty" in message
    assert "plan 'B', row 6: floor 1 already has a bonus in this plan (row 5)" in message
    assert "plan 'B', row 7: amount is empty" in message
    assert "plan 'B': has no tier rows" in message


def test_first_row_sets_the_excel_row_numbers():
    with pytest.raises(PlanError, match="row 10: rate is empty"):
        parse_plans(frame(("P", "tier", None, 0, np.nan)), first_row=10)


def test_a_missing_column_is_reported():
    with pytest.raises(PlanError, match="no rule column"):
        parse_plans(pd.DataFrame({"plan": ["P"]}))


@pytest.mark.parametrize("blank", [None, np.nan, "  "])
def test_a_blank_option_is_reported_as_empty_not_nan(blank):
    with pytest.raises(PlanError) as caught:
        parse_plans(frame(("P", "method", blank), ("P", "tier", None, 0, 0.05)))
    assert str(caught.value) == (
        "the Plan sheet has 1 problem:\n- plan 'P', row 2: option is empty; a method row needs marginal or retroactive"
    )


def test_a_draw_row_sets_the_plans_draw():
    plans = parse_plans(
        frame(
            ("Hunter", "tier", None, 0, 0.05),
            ("Hunter", "draw", " Recoverable ", None, None, 2000),
            ("Guard", "tier", None, 0, 0.05),
            ("Guard", "draw", "non-recoverable", None, None, 1500.5),  # "-" or a space for "_"
        )
    )
    assert (plans["Hunter"].draw, plans["Hunter"].draw_recoverable) == (2000.0, True)
    assert (plans["Guard"].draw, plans["Guard"].draw_recoverable) == (1500.5, False)
    assert parse_plans(STANDARD)["Flat"].draw is None


def test_bad_draw_rows_are_listed_with_plan_row_and_column():
    bad = frame(
        ("D", "tier", None, 0, 0.05),  # row 2
        ("D", "draw", None, None, None, 1000),  # row 3
        ("D", "draw", "forgiven", None, None, 1000),  # row 4
        ("E", "tier", None, 0, 0.05),  # row 5
        ("E", "draw", "recoverable", None, None, 0),  # row 6
        ("E", "draw", "recoverable"),  # row 7
        ("F", "tier", None, 0, 0.05),  # row 8
        ("F", "draw", "recoverable", None, None, 1000),  # row 9
        ("F", "draw", "non_recoverable", None, None, 500),  # row 10
    )
    with pytest.raises(PlanError) as caught:
        parse_plans(bad)
    assert str(caught.value).splitlines()[1:] == [
        "- plan 'D', row 3: option is empty; a draw row needs recoverable or non_recoverable",
        "- plan 'D', row 4: option 'forgiven' is not a draw; use recoverable or non_recoverable",
        "- plan 'D', row 4: amount 1,000 is a second draw; row 3 already sets the plan's draw",
        "- plan 'E', row 6: amount 0 must be above 0: the least the rep is paid a month",
        "- plan 'E', row 7: amount is empty",
        "- plan 'F', row 10: amount 500 is a second draw; row 9 already sets the plan's draw",
    ]


def test_an_override_row_sets_the_managers_rate_and_bad_ones_are_listed():
    plans = parse_plans(frame(("Lead", "tier", None, 0, 0.05), ("Lead", "Override ", None, None, 0.02)))
    assert plans["Lead"].override == 0.02 and parse_plans(STANDARD)["Flat"].override is None
    bad = frame(
        ("L", "tier", None, 0, 0.05),  # row 2
        ("L", "override"),  # row 3
        ("L", "override", None, None, 2),  # row 4
        ("L", "override", None, None, 0.01),  # row 5
        ("L", "override", None, None, 0.03),  # row 6
    )
    with pytest.raises(PlanError) as caught:
        parse_plans(bad)
    assert str(caught.value).splitlines()[1:] == [
        "- plan 'L', row 3: rate is empty",
        "- plan 'L', row 4: rate 2 means 200%; for 2% type 2% (or 0.02)",
        "- plan 'L', row 6: rate 0.03 is a second override; row 5 already sets the plan's override",
    ]


def test_rules_and_options_read_in_either_language():
    """A Chinese master's Plan sheet (阶梯 for tier, 超额累进 for marginal, ...) is the same plan as the English one."""
    english = frame(
        ("P", "method", "retroactive"),
        ("P", "tier_basis", "attainment"),
        ("P", "tier", None, 0.0, 0.02),
        ("P", "tier", None, 1.0, 0.06),
        ("P", "gate", None, 0.3),
        ("P", "draw", "non_recoverable", None, None, 800),
        ("P", "basis", "margin"),
    )
    chinese = frame(
        ("P", "计算方法", "全额累进"),
        ("P", "阶梯依据", "达成率"),
        ("P", "阶梯", None, 0.0, 0.02),
        ("P", "阶梯", None, 1.0, 0.06),
        ("P", "门槛", None, 0.3),
        ("P", "预支", "不可收回", None, None, 800),
        ("P", "提成基数", "毛利"),
    )
    plan = parse_plans(chinese)["P"]
    assert plan == parse_plans(english)["P"]
    assert (plan.method, plan.tier_basis, plan.draw, plan.draw_recoverable, plan.gate) == (
        "retroactive",
        "attainment",
        800.0,
        False,
        0.3,
    )
    with pytest.raises(PlanError, match="option '超额' is not a method"):
        parse_plans(frame(("P", "计算方法", "超额"), ("P", "阶梯", None, 0, 0.1)))
