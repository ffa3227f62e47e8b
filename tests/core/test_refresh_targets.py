"""The refresh's target tables: every Targets row used, and what cannot be used reported."""

import pandas as pd
from schema_rows import frame

from sales_tools.core.refresh import REFRESH_FILE, left_out_message, needs_attention, refresh

T = pd.Timestamp


def _inputs(targets):
    return {
        "reps": frame("reps", [("R1", "Ann", "North"), ("R2", "Bo", "South")]),
        "customers": frame("customers", [("C1", "One"), ("C2", "Two", None, None, None, None, None, "Dealer")]),
        "categories": frame("categories", [("X",), ("Y",)]),
        "orders": frame(
            "orders",
            [
                ("A", 1, T("2024-01-05"), "R1", "C1", "X", 1, 100, 100.0),
                ("B", 1, T("2024-04-02"), "R2", "C2", "Y", 1, 200, 200.0),
            ],
        ),
        "targets": frame("targets", targets),
        "settings": frame("settings", [("as_of", "2024-06-30")]),
    }


def test_region_category_and_dealer_rows_reach_the_target_variance_sheet():
    out = refresh(_inputs([(2024, None, "North", None, None, 1200.0), (2024, None, None, "Y", None, 600.0),
                           (2024, None, None, None, "C2", 2400.0)]), today="2024-07-01")  # fmt: skip
    v = out["target_variance"].set_index(["level", "key", "period"])
    assert v.loc[("region", "North", "2024-Q1"), ["target", "actual", "variance"]].tolist() == [300.0, 100.0, -200.0]
    assert v.loc[("category", "Y", "2024-H1"), ["target", "actual"]].tolist() == [300.0, 200.0]
    assert v.loc[("dealer", "C2", "2024"), ["target", "actual"]].tolist() == [2400.0, 200.0]


def test_targets_no_order_can_match_and_weeks_without_a_target_are_exceptions():
    out = refresh(_inputs([(2024, "R1", None, None, None, 1200.0), (2024, None, "Nort", None, None, 5.0),
                           (2024, None, None, None, "C1", 5.0)]), today="2024-07-01")  # fmt: skip
    mine = out["exceptions"][out["exceptions"]["file"] == REFRESH_FILE]
    about = dict(zip(mine["value"], mine["reason"]))
    assert "region Nort is no rep's region" in about["Nort"]
    assert "dealer C1 is not a customer marked Dealer" in about["C1"]
    # the figures are as of 2024-06-30 (week 2024-W26): R1 has a target, R2 none
    assert about["2024-W26"] == (
        "rep R2 has no target for week 2024-W26: a month of the week has no target for the rep on the Targets sheet"
    )
    assert about["R2 2024-04"] == (  # R2 has no plan, so nothing is unpaid: the month is still said
        "rep R2 sold 200.00 in 2024-04 and has no target for the month on the Targets sheet: its attainment is blank"
    )
    message = left_out_message(out["exceptions"]).splitlines()
    assert "Targets no order can count toward: 2 row(s)." in message
    assert "No target in the weekly report's week: 1 rep(s)." in message
    assert "Sales without a target (attainment blank): 1 rep-month(s)." in message
    notes = out["exceptions"][out["exceptions"]["column"] != "plan"]  # R1 and R2 have no plan: unpaid
    assert needs_attention(out["exceptions"]) and not needs_attention(notes)  # notes alone: exit 0, a blue box
