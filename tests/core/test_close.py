"""Period close: a closed month shows what was paid; later changes are adjustments in the first open month.

The small book: reps A and B on plan Flat (5% of every sale).  January: A sells O1 for
1,000 (commission 50.00), B sells O2 for 2,000 (100.00); February: A sells O3 for 400
(20.00).  January is closed, then the inputs change.
"""

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sales_tools.core.close import close_months, freeze, month_of, reopen_month
from sales_tools.core.refresh import refresh
from sales_tools.errors import InputError
from tests.schema_rows import frame

NOW = pd.Timestamp("2024-03-05 09:30:00")
JAN, FEB, MAR = (pd.Timestamp(f"2024-{m:02d}-01") for m in (1, 2, 3))


def book(rate=0.05, orders=None, returns=()):
    return {
        "settings": frame("settings", [("as_of", "2024-02-29")]),
        "reps": frame("reps", [("A", "Ann", "North", None, None, "Flat"), ("B", "Bo", "South", None, None, "Flat")]),
        "customers": frame("customers", [("C1", "One")]),
        "categories": frame("categories", [("X",)]),
        "plan": frame("plan", [("Flat", "tier", None, 0.0, rate)]),
        "orders": frame(
            "orders",
            orders
            or [
                ("O1", 1, pd.Timestamp("2024-01-10"), "A", "C1", "X", None, None, 1000.0),
                ("O2", 1, pd.Timestamp("2024-01-20"), "B", "C1", "X", None, None, 2000.0),
                ("O3", 1, pd.Timestamp("2024-02-05"), "A", "C1", "X", None, None, 400.0),
            ],
        ),
        "returns": frame("returns", list(returns)),
    }


def run(inputs):
    return refresh(inputs, today="2024-03-05")


def close(inputs, period, through=False):
    """`inputs` with `period` closed (the Payouts and Paid lines added), and the Closing."""
    closing = close_months(
        run(inputs), inputs.get("payouts", frame("payouts", [])), period, NOW, "tester", through=through
    )
    closed = dict(inputs)
    for name in ("payouts", "paid_lines"):
        before = inputs.get(name, frame(name, []))
        new = getattr(closing, name)
        closed[name] = pd.concat([before, new], ignore_index=True) if len(before) else new
    return closed, closing


@pytest.fixture(scope="module")
def january():
    return close(book(), JAN)


def row(computed, rep, month):
    summary = computed["commission_summary"]
    found = summary[(summary["rep_id"] == rep) & (summary["period"] == month)]
    assert len(found) == 1
    return found.iloc[0]


def adjustments(computed):
    lines = computed["commission_lines"]
    adjust = lines[lines["rule"].str.startswith("adjustment")]
    return sorted(zip(adjust["rep_id"], adjust["period"], adjust["order_id"], adjust["rule"], adjust["amount"]))


def with_orders(*extra, edit=None):
    rows = [
        ("O1", 1, pd.Timestamp("2024-01-10"), "A", "C1", "X", None, None, 1000.0),
        ("O2", 1, pd.Timestamp("2024-01-20"), "B", "C1", "X", None, None, 2000.0),
        ("O3", 1, pd.Timestamp("2024-02-05"), "A", "C1", "X", None, None, 400.0),
    ]
    if edit:
        rows = [(*r[:8], edit[1]) if r[0] == edit[0] else r for r in rows]
    return rows + list(extra)


def test_closing_january_writes_its_payouts_paid_lines_and_log(january):
    closed, closing = january
    payouts = closing.payouts.set_index("rep_id")
    assert payouts["period"].eq(JAN).all() and payouts.loc["A", "total"] == 50.0 and payouts.loc["B", "total"] == 100.0
    assert payouts["closed_on"].eq(pd.Timestamp("2024-03-05")).all() and payouts["checksum"].str.len().eq(16).all()
    assert sorted(zip(closing.paid_lines["order_id"], closing.paid_lines["amount"])) == [("O1", 50.0), ("O2", 100.0)]
    log = closing.log.iloc[0]
    assert (log["when"], log["action"], log["period"], log["by"], log["reps"], log["total"]) == (
        "2024-03-05 09:30:00", "close", JAN, "tester", 2, 150.0  # 50 + 100
    )  # fmt: skip
    # with nothing changed, the refresh is the same as before the close
    before, after = run(book()), run(closed)
    pd.testing.assert_frame_equal(before["commission_summary"], after["commission_summary"])
    assert adjustments(after) == []


def test_an_edited_order_of_a_closed_month_is_adjusted_in_february(january):
    closed, _ = january
    computed = run({**closed, "orders": frame("orders", with_orders(edit=("O1", 1200.0)))})
    assert row(computed, "A", JAN)["total"] == 50.0  # as paid, not 1,200 x 5% = 60
    # 60.00 - 50.00 = +10.00 in A's first open month
    assert adjustments(computed) == [("A", FEB, "O1", "adjustment 2024-01: edited order", 10.0)]
    feb = row(computed, "A", FEB)
    assert (feb["commission"], feb["adjustment"], feb["total"]) == (20.0, 10.0, 30.0)  # 400 x 5% + 10


def test_a_late_order_gives_its_rep_a_february_row(january):
    closed, _ = january
    late = ("O4", 1, pd.Timestamp("2024-01-25"), "B", "C1", "X", None, None, 300.0)
    computed = run({**closed, "orders": frame("orders", with_orders(late))})
    assert row(computed, "B", JAN)["total"] == 100.0
    assert adjustments(computed) == [("B", FEB, "O4", "adjustment 2024-01: late order", 15.0)]  # 300 x 5%
    feb = row(computed, "B", FEB)  # B sold nothing in February: the row is there for the adjustment
    assert (feb["sales"], feb["commission"], feb["adjustment"], feb["total"]) == (0.0, 0.0, 15.0, 15.0)


def test_a_return_dated_in_a_closed_month_is_adjusted_as_a_return(january):
    closed, _ = january
    computed = run({**closed, "returns": frame("returns", [("O2", 1, pd.Timestamp("2024-01-31"), 500.0)])})
    assert row(computed, "B", JAN)["clawbacks"] == 0.0 and row(computed, "B", JAN)["total"] == 100.0
    # the clawback: 100.00 x 500 / 2,000 = -25.00
    assert adjustments(computed) == [("B", FEB, "O2", "adjustment 2024-01: return", -25.0)]
    assert row(computed, "B", FEB)["total"] == -25.0


def test_a_plan_rate_change_adjusts_the_closed_month_and_pays_the_open_one_at_the_new_rate(january):
    closed, _ = january
    computed = run({**closed, "plan": frame("plan", [("Flat", "tier", None, 0.0, 0.06)])})
    assert row(computed, "A", JAN)["total"] == 50.0 and row(computed, "B", JAN)["total"] == 100.0
    assert adjustments(computed) == [
        ("A", FEB, "O1", "adjustment 2024-01: plan change", 10.0),  # 1,000 x 6% - 50.00
        ("B", FEB, "O2", "adjustment 2024-01: plan change", 20.0),  # 2,000 x 6% - 100.00
    ]
    assert row(computed, "A", FEB)["total"] == 34.0  # 400 x 6% = 24.00, + 10.00


def test_a_late_order_that_moves_a_retroactive_tier_changes_the_other_lines_too():
    retro = {**book(), "plan": frame("plan", plan_rows(0.05, tiered=True))}  # 5%, and 10% on all from 3,000
    closed, _ = close(retro, JAN)
    late = ("O4", 1, pd.Timestamp("2024-01-25"), "A", "C1", "X", None, None, 2500.0)
    computed = run({**closed, "orders": frame("orders", with_orders(late))})
    assert row(computed, "A", JAN)["total"] == 50.0
    # A's January is now 3,500: every line at 10%
    assert adjustments(computed) == [
        ("A", FEB, "O1", "adjustment 2024-01: tier moved by other orders", 50.0),  # 1,000 x 10% - 50.00
        ("A", FEB, "O4", "adjustment 2024-01: late order", 250.0),  # 2,500 x 10%
    ]


def test_the_statement_lines_of_the_open_month_add_up_to_its_total(january):
    closed, _ = january
    computed = run({**closed, "orders": frame("orders", with_orders(edit=("O1", 1200.0)))})
    lines = computed["commission_lines"]
    feb = lines[(lines["rep_id"] == "A") & (lines["period"] == FEB)]
    assert round(feb["amount"].sum(), 2) == row(computed, "A", FEB)["total"] == 30.0


def test_months_close_in_order_and_once(january):
    closed, _ = january
    with pytest.raises(InputError, match="2024-01 is closed already"):
        close(closed, JAN)
    with pytest.raises(InputError, match=r"close 2024-01 first: 1 earlier month\(s\) with pay are open"):
        close(book(), FEB)
    both, closing = close(book(), FEB, through=True)
    assert closing.log["period"].tolist() == [JAN, FEB] and closing.log["total"].tolist() == [150.0, 20.0]
    with pytest.raises(InputError, match="before 2024-02, the last closed month"):
        close({**both, **{name: both[name][both[name]["period"] == FEB] for name in ("payouts", "paid_lines")}}, JAN)
    with pytest.raises(InputError, match="2024-03 has no Commission summary row"):
        close(both, MAR)


def test_a_month_not_over_is_warned_about():
    _, closing = close(book(), JAN)
    assert closing.warnings == []
    early = close_months(run(book()), frame("payouts", []), JAN, NOW, "t", as_of="2024-01-20")
    assert early.warnings == [
        "2024-01 is not over on the figures date (2024-01-20): what it changes later is paid as an adjustment "
        "in the next open month"
    ]
    unplanned = book()
    unplanned["reps"] = unplanned["reps"].assign(plan=["Flat", None])  # B's pay is left out
    said = close_months(run(unplanned), frame("payouts", []), JAN, NOW, "t").warnings
    assert said == [
        "the refresh left pay out or found orders dated after today (1 Exceptions row(s)): what it changes later "
        "is paid as an adjustment in the next open month"
    ]


def test_reopen_only_the_latest_month_with_a_reason():
    both, _ = close(book(), FEB, through=True)
    payouts, lines = both["payouts"], both["paid_lines"]
    with pytest.raises(InputError, match="reopen 2024-02 first"):
        reopen_month(payouts, lines, JAN, "typo", NOW, "t")
    with pytest.raises(InputError, match="say why"):
        reopen_month(payouts, lines, FEB, " ", NOW, "t")
    gone, lines_gone, log = reopen_month(payouts, lines, FEB, "late invoice", NOW, "t")
    assert payouts.loc[gone, "rep_id"].tolist() == ["A"] and lines.loc[lines_gone, "order_id"].tolist() == ["O3"]
    assert log[["action", "period", "reps", "total", "reason"]].values.tolist() == [
        ["reopen", FEB, 1, 20.0, "late invoice"]
    ]


@pytest.mark.parametrize(
    "table, column, value",
    [("paid_lines", "amount", 55.0), ("payouts", "total", 55.0), ("payouts", "commission", 49.0)],
)
def test_an_edited_frozen_sheet_is_refused(january, table, column, value):
    closed, _ = january
    edited = closed[table].copy()
    edited.loc[edited["rep_id"] == "A", column] = value
    with pytest.raises(InputError, match="no longer match their checksum"):
        run({**closed, table: edited})


def test_a_payouts_row_copied_twice_is_refused(january):
    closed, _ = january
    twice = pd.concat([closed["payouts"], closed["payouts"].head(1)], ignore_index=True)
    with pytest.raises(InputError, match="rep A 2024-01 is paid twice"):
        run({**closed, "payouts": twice})


def test_paid_lines_without_their_payouts_row_are_refused(january):
    closed, _ = january
    payouts = closed["payouts"]
    with pytest.raises(InputError, match="rep A has paid lines for 2024-01 and no Payouts row"):
        run({**closed, "payouts": payouts[payouts["rep_id"] != "A"]})


def test_month_of():
    assert month_of("2024-11") == pd.Timestamp("2024-11-01")
    with pytest.raises(InputError, match="not a month"):
        month_of("Nov")


def test_freeze_without_payouts_changes_nothing():
    computed = run(book())
    lines, summary = freeze(computed["commission_lines"], computed["commission_summary"],
                            frame("payouts", []), frame("paid_lines", []))  # fmt: skip
    assert lines is computed["commission_lines"] and summary is computed["commission_summary"]


# ------------------------------------------------------------------ the property

DATES = [pd.Timestamp(f"2024-{m:02d}-{d:02d}") for m in range(1, 5) for d in (3, 17)]


@st.composite
def books_and_edits(draw):
    """A small random book over January to April, a month to close, and edits to months up to it."""
    n = draw(st.integers(2, 8))
    rows = [
        (f"O{i}", 1, draw(st.sampled_from(DATES)), draw(st.sampled_from("AB")), "C1", "X", None, None,
         float(draw(st.integers(1, 500_000))) / 100)
        for i in range(n)
    ]  # fmt: skip
    k = draw(st.integers(1, 3))  # close January .. month k
    past = [d for d in DATES if d.month <= k]
    edits = draw(st.lists(st.tuples(st.sampled_from(["amount", "late", "return", "rate"]), st.integers(0, n - 1),
                                    st.integers(1, 300_000), st.sampled_from(past)), max_size=4))  # fmt: skip
    tiered = draw(st.booleans())
    return rows, k, edits, tiered


def _not_over_returned(returns, sold):
    """The returns in order while a line's returns stay within what it sold (more is refused as bad input)."""
    kept, back = [], {}
    for r in returns:
        if back.get(r[0], 0) + r[3] <= sold[r[0]]:
            kept.append(r)
            back[r[0]] = back.get(r[0], 0) + r[3]
    return kept


def plan_rows(rate, tiered):
    rows = [("Flat", "tier", None, 0.0, rate)]
    return rows + [("Flat", "tier", None, 3000.0, rate * 2), ("Flat", "method", "retroactive")] if tiered else rows


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(books_and_edits())
def test_closing_then_changing_the_past_pays_in_total_what_an_unfrozen_refresh_pays(case):
    rows, k, edits, tiered = case
    inputs = {**book(orders=rows), "plan": frame("plan", plan_rows(0.05, tiered))}
    computed = run(inputs)
    periods = sorted(computed["commission_summary"]["period"].unique())
    period = max([p for p in periods if p.month <= k], default=None)
    if period is None:
        return
    closed, _ = close(inputs, period, through=True)
    orders, returns, rate = list(rows), [], 0.05
    for kind, i, cents, date in edits:
        if kind == "amount" and orders[i][2] <= period + pd.offsets.MonthEnd(0):
            orders[i] = (*orders[i][:8], cents / 100)
        elif kind == "late":
            orders.append((f"L{len(orders)}", 1, date, "AB"[cents % 2], "C1", "X", None, None, cents / 100))
        elif kind == "return" and orders[i][8] > 0 and orders[i][2] <= date:
            returns.append((orders[i][0], 1, date, round(orders[i][8] * (cents % 100 + 1) / 200, 2)))
        elif kind == "rate":
            rate = (cents % 9 + 1) / 100
    returns = list({(r[0], r[2]): r for r in returns}.values())  # one return per order line and date
    returns = _not_over_returned(returns, {o[0]: o[8] for o in orders})
    changed = {"orders": frame("orders", orders), "returns": frame("returns", returns),
               "plan": frame("plan", plan_rows(rate, tiered))}  # fmt: skip
    frozen = run({**closed, **changed})["commission_summary"]
    unfrozen = run({**inputs, **changed})["commission_summary"]
    paid = closed["payouts"]
    # each closed rep-month is exactly as paid
    shown = frozen[frozen["period"] <= period].set_index(["rep_id", "period"])["total"].sort_index()
    assert shown.to_dict() == paid.set_index(["rep_id", "period"])["total"].sort_index().to_dict()
    # paid + open months (adjustments included) = what the unfrozen refresh pays in all, to the cent
    open_total = frozen.loc[frozen["period"] > period, "total"].sum()
    assert round((paid["total"].sum() + open_total) * 100) == round(unfrozen["total"].sum() * 100)
