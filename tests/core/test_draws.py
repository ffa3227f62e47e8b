"""Draws: hand-computed months (the issue's worked example, non-recoverable, months without
sales, start dates, clawbacks, a month left out) and the summary's identity."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sales_tools.core.commissions import OtherTables, compute_commissions
from sales_tools.core.plans import Plan

FLAT = Plan("Flat", floors=(0.0,), rates=(0.10,))
OWED = Plan("Owed", floors=(0.0,), rates=(0.10,), draw=2000.0, draw_recoverable=True)
KEPT = Plan("Kept", floors=(0.0,), rates=(0.10,), draw=2000.0)
GATED = Plan("Gated", floors=(0.0,), rates=(0.10,), gate=0.5, draw=1000.0, draw_recoverable=True)
PLANS = {p.name: p for p in (FLAT, OWED, KEPT, GATED)}
DRAW_COLUMNS = ["sales", "commission", "clawbacks", "draw", "draw_recovered", "total", "draw_balance"]


def orders(*rows):
    """(order_id, date, rep, amount) rows as an Orders table, one line per order."""
    frame = pd.DataFrame(rows, columns=["order_id", "order_date", "rep_id", "amount"])
    return frame.assign(line=1, order_date=pd.to_datetime(frame["order_date"]), category="X", customer_id="C1")


def monthly(result, rep):
    """The rep's summary rows: month -> the draw columns."""
    rows = result.summary[result.summary["rep_id"] == rep]
    return {f"{p:%Y-%m}": list(v) for p, v in zip(rows["period"], rows[DRAW_COLUMNS].to_numpy().tolist())}


def lines_of(result, rep):
    rows = result.lines[result.lines["rep_id"] == rep]
    return [[f"{p:%Y-%m}", r, b, a] for p, r, b, a in rows[["period", "rule", "basis", "amount"]].to_numpy()]


def test_the_issues_worked_example():
    # A draw of 2,000; January earns 1,200 (12,000 at 10%), so 2,000 is paid and 800 carried;
    # February earns 3,500 (35,000 at 10%), so 2,700 is paid (3,500 - 800) and the balance is 0.
    result = compute_commissions(
        orders(("J", "2024-01-10", "A", 12000.0), ("F", "2024-02-10", "A", 35000.0)), PLANS, {"A": "Owed"}
    )
    assert monthly(result, "A") == {
        # sales, commission, clawbacks, draw, draw recovered, total, balance
        "2024-01": [12000.0, 1200.0, 0.0, 800.0, 0.0, 2000.0, 800.0],
        "2024-02": [35000.0, 3500.0, 0.0, 0.0, -800.0, 2700.0, 0.0],
    }
    # the lines a rep checks with a calculator: the draw line's basis is the month's earnings
    assert lines_of(result, "A") == [
        ["2024-01", "tier marginal", 12000.0, 1200.0],
        ["2024-01", "recoverable draw 2,000.00", 1200.0, 800.0],  # 2,000 - 1,200
        ["2024-02", "tier marginal", 35000.0, 3500.0],
        ["2024-02", "draw recovered", 3500.0, -800.0],  # min(800, 3,500 - 2,000)
    ]
    # had February earned 2,300, it would have recovered 300 and paid 2,000, leaving 500
    result = compute_commissions(
        orders(("J", "2024-01-10", "A", 12000.0), ("F", "2024-02-10", "A", 23000.0)), PLANS, {"A": "Owed"}
    )
    assert monthly(result, "A")["2024-02"] == [23000.0, 2300.0, 0.0, 0.0, -300.0, 2000.0, 500.0]


def test_a_balance_is_recovered_over_several_months_and_carried_over_the_year_end():
    rows = [("N", "2023-11-10", "A", 12000.0), ("D", "2023-12-10", "A", 5000.0),
            ("J", "2024-01-10", "A", 30000.0), ("F", "2024-02-10", "A", 50000.0)]  # fmt: skip
    result = compute_commissions(orders(*rows), PLANS, {"A": "Owed"})
    assert monthly(result, "A") == {
        "2023-11": [12000.0, 1200.0, 0.0, 800.0, 0.0, 2000.0, 800.0],  # 800 owed
        "2023-12": [5000.0, 500.0, 0.0, 1500.0, 0.0, 2000.0, 2300.0],  # 800 + 1,500
        # 3,000 earned: 1,000 above the draw recovered, 2,000 paid; 1,300 owed into February
        "2024-01": [30000.0, 3000.0, 0.0, 0.0, -1000.0, 2000.0, 1300.0],
        # 5,000 earned: 3,000 above the draw, of which the 1,300 owed: 3,700 paid
        "2024-02": [50000.0, 5000.0, 0.0, 0.0, -1300.0, 3700.0, 0.0],
    }


def test_a_non_recoverable_draw_tops_up_and_is_never_recovered():
    result = compute_commissions(
        orders(("J", "2024-01-10", "A", 12000.0), ("F", "2024-02-10", "A", 35000.0)), PLANS, {"A": "Kept"}
    )
    assert monthly(result, "A") == {
        "2024-01": [12000.0, 1200.0, 0.0, 800.0, 0.0, 2000.0, 0.0],
        "2024-02": [35000.0, 3500.0, 0.0, 0.0, 0.0, 3500.0, 0.0],
    }
    assert lines_of(result, "A")[1] == ["2024-01", "draw 2,000.00", 1200.0, 800.0]


def test_months_without_sales_from_the_start_date_through_the_figures_month():
    # A (no draw) sells in January, so the figures start in 2024-01.  B started on 15 February
    # and first sells in April (30,000: 3,000 earned); the figures are as of 20 May.
    book = orders(("J", "2024-01-10", "A", 1000.0), ("P", "2024-04-10", "B", 30000.0))
    reps = pd.DataFrame({"rep_id": ["A", "B"], "start_date": pd.to_datetime(["2019-01-01", "2024-02-15"])})
    result = compute_commissions(book, PLANS, {"A": "Flat", "B": "Owed"}, OtherTables(reps=reps), as_of="2024-05-20")
    assert monthly(result, "B") == {
        "2024-02": [0.0, 0.0, 0.0, 2000.0, 0.0, 2000.0, 2000.0],
        "2024-03": [0.0, 0.0, 0.0, 2000.0, 0.0, 2000.0, 4000.0],
        "2024-04": [30000.0, 3000.0, 0.0, 0.0, -1000.0, 2000.0, 3000.0],  # 1,000 above the draw
        "2024-05": [0.0, 0.0, 0.0, 2000.0, 0.0, 2000.0, 5000.0],
    }
    assert lines_of(result, "B")[0] == ["2024-02", "recoverable draw 2,000.00", 0.0, 2000.0]
    assert list(monthly(result, "A")) == ["2024-01"]  # a plan without a draw gets no empty months
    # without a start date the rep has the months from their first sale: April, and May
    result = compute_commissions(book, PLANS, {"A": "Flat", "B": "Owed"}, as_of="2024-05-20")
    assert monthly(result, "B") == {
        "2024-04": [30000.0, 3000.0, 0.0, 0.0, 0.0, 3000.0, 0.0],
        "2024-05": [0.0, 0.0, 0.0, 2000.0, 0.0, 2000.0, 2000.0],
    }


def test_a_start_date_before_the_figures_starts_the_draw_with_the_figures():
    # The figures start in March (A's first sale); B started years before and first sells in May.
    book = orders(("M", "2024-03-10", "A", 1000.0), ("P", "2024-05-10", "B", 1000.0))
    reps = pd.DataFrame({"rep_id": ["A", "B"], "start_date": [None, pd.Timestamp("2015-06-01")]})
    result = compute_commissions(book, PLANS, {"A": "Flat", "B": "Kept"}, OtherTables(reps=reps))
    assert [row[3] for row in monthly(result, "B").values()] == [2000.0, 2000.0, 1900.0]  # Mar, Apr, May
    assert list(monthly(result, "B")) == ["2024-03", "2024-04", "2024-05"]  # as_of None: the last month


def test_a_clawback_below_zero_is_topped_up_to_the_draw():
    # January: 5,000 earns 500, the draw adds 1,500.  February: all of it returned, -500:
    # the draw adds 2,500, so the rep is still paid 2,000; both top-ups are owed.
    returns = pd.DataFrame({"order_id": ["J"], "line": [1], "return_date": pd.to_datetime(["2024-02-03"]),
                            "amount": [5000.0]})  # fmt: skip
    result = compute_commissions(
        orders(("J", "2024-01-10", "A", 5000.0)), PLANS, {"A": "Owed"}, OtherTables(returns=returns)
    )
    assert monthly(result, "A") == {
        "2024-01": [5000.0, 500.0, 0.0, 1500.0, 0.0, 2000.0, 1500.0],
        "2024-02": [0.0, 0.0, -500.0, 2500.0, 0.0, 2000.0, 4000.0],
    }
    assert lines_of(result, "A")[-1] == ["2024-02", "recoverable draw 2,000.00", -500.0, 2500.0]


def test_a_month_left_out_for_want_of_a_target_pays_no_draw_and_keeps_the_balance():
    # Gated (gate 50%, recoverable draw 1,000): January 2,000 of a 10,000 target is 20%, below
    # the gate: 0 earned, 1,000 drawn.  February has no target: left out, no draw.  March:
    # 30,000 of 10,000 earns 3,000: 2,000 above the draw, of which the 1,000 owed.
    book = orders(("J", "2024-01-10", "A", 2000.0), ("F", "2024-02-10", "A", 5000.0), ("M", "2024-03-10", "A", 30000.0))
    targets = pd.DataFrame({"rep_id": "A", "period": pd.to_datetime(["2024-01-01", "2024-03-01"]), "target": 10000.0})
    result = compute_commissions(book, PLANS, {"A": "Gated"}, OtherTables(targets=targets))
    assert monthly(result, "A") == {
        "2024-01": [2000.0, 0.0, 0.0, 1000.0, 0.0, 1000.0, 1000.0],
        "2024-03": [30000.0, 3000.0, 0.0, 0.0, -1000.0, 2000.0, 0.0],
    }
    assert result.exceptions["value"].tolist() == ["A 2024-02"]


def test_a_rep_on_a_draw_without_a_start_date_or_sales_is_reported():
    book = orders(("J", "2024-01-10", "A", 1000.0))
    result = compute_commissions(book, PLANS, {"A": "Flat", "B": "Kept"})
    assert list(monthly(result, "B")) == []
    assert result.exceptions[["sheet", "column", "value"]].values.tolist() == [["Reps", "start_date", "B"]]
    assert result.exceptions["reason"].iloc[0] == (
        "rep B's plan Kept has a draw, but B has no start date (or one after the figures' month) and no sales: "
        "no draw is paid"
    )


def test_plans_without_a_draw_have_zero_draw_columns():
    result = compute_commissions(orders(("J", "2024-01-10", "A", 1000.0)), PLANS, {"A": "Flat"})
    assert monthly(result, "A") == {"2024-01": [1000.0, 100.0, 0.0, 0.0, 0.0, 100.0, 0.0]}


@st.composite
def books(draw):
    """Random lines of reps A and B over six months, and returns of some of them."""
    n = draw(st.integers(1, 12))
    values = draw(st.lists(st.integers(-2000_00, 60000_00).map(lambda c: c / 100), min_size=n, max_size=n))
    rows = [(f"O{i}", pd.Timestamp("2024-01-05") + pd.DateOffset(months=draw(st.integers(0, 5))),
             draw(st.sampled_from("AB")), v) for i, v in enumerate(values)]  # fmt: skip
    back = [i for i in draw(st.lists(st.integers(0, n - 1), max_size=3, unique=True)) if values[i] > 0]
    returns = pd.DataFrame({"order_id": [f"O{i}" for i in back], "line": 1,
                            "return_date": pd.Timestamp("2024-06-20"), "amount": [values[i] / 2 for i in back]})  # fmt: skip
    return orders(*rows), returns


@settings(max_examples=60, deadline=None)
@given(books(), st.sampled_from(["Owed", "Kept"]))
def test_every_month_pays_at_least_the_draw_and_the_columns_add_up(book, plan):
    table, returns = book
    result = compute_commissions(table, PLANS, dict.fromkeys("AB", plan), OtherTables(returns=returns))
    summary = result.summary.set_index(["rep_id", "period"])
    parts = ["commission", "clawbacks", "bonus", "cap_adjustment", "draw", "draw_recovered"]
    cents = summary[[*parts, "total", "draw_balance"]].mul(100).round().astype("int64")
    assert (cents[parts].sum(axis=1) == cents["total"]).all()
    assert (cents["total"] >= 2000_00).all()
    earned = cents[["commission", "clawbacks"]].sum(axis=1)
    assert (cents["draw"] == (2000_00 - earned).clip(lower=0)).all()
    # the balance grows by the draws and falls by what is recovered, from 0; never below 0
    change = (cents["draw"] + cents["draw_recovered"]) if plan == "Owed" else 0 * cents["draw"]
    assert (change.groupby(level="rep_id").cumsum() == cents["draw_balance"]).all()
    assert (cents["draw_balance"] >= 0).all()
    lines = (
        (result.lines["amount"] * 100).round().astype("int64").groupby([result.lines["rep_id"], result.lines["period"]])
    )
    assert (lines.sum().reindex(summary.index) == cents["total"]).all()
    # the months run from each rep's first line to the last month, none missing
    for rep, rows in result.summary.groupby("rep_id"):
        first = table.loc[table["rep_id"] == rep, "order_date"].min().to_period("M").to_timestamp()
        expected = pd.date_range(first, result.summary["period"].max(), freq="MS")
        assert rows["period"].tolist() == list(expected), rep


def test_the_draw_is_in_whole_cents():
    odd = Plan("Odd", floors=(0.0,), rates=(0.10,), draw=1000.005)
    result = compute_commissions(orders(("J", "2024-01-10", "A", 0.0)), {"Odd": odd}, {"A": "Odd"})
    assert result.summary["draw"].tolist() == [1000.01]  # rounded half away from zero, as Excel
    assert np.isclose(result.lines["amount"].sum(), 1000.01)
    assert pytest.approx(result.summary["total"].iloc[0]) == 1000.01
