"""Manager overrides: hand-computed months (a split order with a return, chains, reps
without a plan or paid on collections, a draw on top), what is reported and what is refused."""

import pandas as pd
import pytest

from sales_tools.core.commissions import OtherTables, compute_commissions
from sales_tools.core.plans import Plan
from sales_tools.errors import InputError

FLAT = Plan("Flat", floors=(0.0,), rates=(0.10,))
COLLECT = Plan("Collect", floors=(0.0,), rates=(0.10,), credit_on="paid")
LEAD = Plan("Lead", floors=(0.0,), rates=(0.05,), override=0.02)
SENIOR = Plan("Senior", floors=(0.0,), rates=(0.05,), override=0.03)
COVERED = Plan("Covered", floors=(0.0,), rates=(0.05,), override=0.02, draw=500.0)
PLANS = {p.name: p for p in (FLAT, COLLECT, LEAD, SENIOR, COVERED)}
SUMMARY = ["sales", "commission", "clawbacks", "override", "draw", "total"]


def orders(*rows):
    """(order_id, date, rep, amount) rows as an Orders table, one line per order."""
    frame = pd.DataFrame(rows, columns=["order_id", "order_date", "rep_id", "amount"])
    return frame.assign(line=1, order_date=pd.to_datetime(frame["order_date"]), category="X", customer_id="C1")


def reps(**managers):
    """The Reps table: rep ID -> manager ID (None for none)."""
    return pd.DataFrame({"rep_id": list(managers), "manager_id": list(managers.values())})


def run(book, plans, managers, **tables):
    return compute_commissions(book, PLANS, plans, OtherTables(reps=reps(**managers), **tables))


def monthly(result, rep):
    rows = result.summary[result.summary["rep_id"] == rep]
    return {f"{p:%Y-%m}": list(v) for p, v in zip(rows["period"], rows[SUMMARY].to_numpy().tolist())}


def override_lines(result, rep):
    """The rep's override lines (and their clawbacks): period, rule, order, from_rep, basis, rate, amount, by order and rep."""
    lines = result.lines[(result.lines["rep_id"] == rep) & result.lines["from_rep"].notna()]
    lines = lines.sort_values(["period", "rule", "order_id", "from_rep"])
    return [[f"{p:%Y-%m}", *rest] for p, *rest in
            lines[["period", "rule", "order_id", "from_rep", "basis", "rate", "amount"]].to_numpy().tolist()]  # fmt: skip


def test_an_override_on_a_split_order_with_a_return():
    # O1 (10,000, A's) is split 60/40 between A and B, who both report to M; B also sells O2
    # (5,000) and M sells O3 (2,000) in January.  A quarter of O1 comes back in March.
    book = orders(("O1", "2024-01-10", "A", 10000.0), ("O2", "2024-01-12", "B", 5000.0),
                  ("O3", "2024-01-15", "M", 2000.0))  # fmt: skip
    splits = pd.DataFrame({"order_id": ["O1", "O1"], "rep_id": ["A", "B"], "share": [0.6, 0.4]})
    returns = pd.DataFrame({"order_id": ["O1"], "line": [1], "return_date": pd.to_datetime(["2024-03-05"]),
                            "amount": [2500.0]})  # fmt: skip
    result = run(book, {"A": "Flat", "B": "Flat", "M": "Lead"}, {"A": "M", "B": "M", "M": None},
                 splits=splits, returns=returns)  # fmt: skip
    assert override_lines(result, "M") == [
        # 2% of each credited line of a direct report, after the split, in the month of the sale
        ["2024-01", "override", "O1", "A", 6000.0, 0.02, 120.0],
        ["2024-01", "override", "O1", "B", 4000.0, 0.02, 80.0],
        ["2024-01", "override", "O2", "B", 5000.0, 0.02, 100.0],
        # a quarter returned: a quarter of each override given back, in the month of the return
        ["2024-03", "override clawback", "O1", "A", -1500.0, 0.02, -30.0],
        ["2024-03", "override clawback", "O1", "B", -1000.0, 0.02, -20.0],
    ]
    # sales, commission, clawbacks, override, draw, total: M's own 2,000 at 5% = 100
    assert monthly(result, "M") == {
        "2024-01": [2000.0, 100.0, 0.0, 300.0, 0.0, 400.0],
        "2024-03": [0.0, 0.0, -50.0, 0.0, 0.0, -50.0],
    }
    # the reps are paid as without a manager: A 600 then -150, B 900 then -100
    assert monthly(result, "A") == {"2024-01": [6000.0, 600.0, 0.0, 0.0, 0.0, 600.0],
                                    "2024-03": [0.0, 0.0, -150.0, 0.0, 0.0, -150.0]}  # fmt: skip
    assert monthly(result, "B")["2024-03"] == [0.0, 0.0, -100.0, 0.0, 0.0, -100.0]
    own = result.lines[result.lines["rep_id"] == "M"].iloc[0]
    assert (own["rule"], own["amount"]) == ("tier marginal", 100.0) and pd.isna(own["from_rep"])
    assert result.exceptions.empty


def test_an_override_is_one_level_deep():
    # R reports to A, A to M: A earns 3% on R's 1,000; M earns 2% on A's own 2,000 only.
    book = orders(("O1", "2024-01-10", "R", 1000.0), ("O2", "2024-01-10", "A", 2000.0))
    result = run(book, {"R": "Flat", "A": "Senior", "M": "Lead"}, {"R": "A", "A": "M", "M": None})
    assert override_lines(result, "A") == [["2024-01", "override", "O1", "R", 1000.0, 0.03, 30.0]]
    assert override_lines(result, "M") == [["2024-01", "override", "O2", "A", 2000.0, 0.02, 40.0]]
    # M has no sales of their own: a month of override only
    assert monthly(result, "M") == {"2024-01": [0.0, 0.0, 0.0, 40.0, 0.0, 40.0]}
    assert monthly(result, "A") == {"2024-01": [2000.0, 100.0, 0.0, 30.0, 0.0, 130.0]}


def test_the_override_is_on_booked_sales_whatever_the_reps_plan():
    # C is paid on collections (nothing in January, 500 of 1,000 collected in February); N has
    # no plan.  M earns 2% on both in January, the month of the sale.
    book = orders(("O1", "2024-01-10", "C", 1000.0), ("O2", "2024-01-20", "N", 3000.0))
    payments = pd.DataFrame({"payment_id": ["P1"], "payment_date": pd.to_datetime(["2024-02-05"]),
                             "order_id": ["O1"], "amount": [500.0]})  # fmt: skip
    result = run(book, {"C": "Collect", "N": None, "M": "Lead"}, {"C": "M", "N": "M", "M": None}, payments=payments)
    assert override_lines(result, "M") == [
        ["2024-01", "override", "O1", "C", 1000.0, 0.02, 20.0],
        ["2024-01", "override", "O2", "N", 3000.0, 0.02, 60.0],
    ]
    assert monthly(result, "C") == {"2024-02": [500.0, 50.0, 0.0, 0.0, 0.0, 50.0]}
    assert result.exceptions["column"].tolist() == ["plan"]  # N has no plan; M's override still counts


def test_the_override_counts_toward_a_managers_draw():
    # M (draw 500, not recoverable) earns 100 on their own 2,000 and 2% of A's 10,000 = 200:
    # 300 earned, so the draw adds 200.
    book = orders(("O1", "2024-01-10", "A", 10000.0), ("O2", "2024-01-10", "M", 2000.0))
    result = run(book, {"A": "Flat", "M": "Covered"}, {"A": "M", "M": None})
    assert monthly(result, "M") == {"2024-01": [2000.0, 100.0, 0.0, 200.0, 200.0, 500.0]}
    summary = result.summary
    parts = ["commission", "clawbacks", "bonus", "cap_adjustment", "override", "draw", "draw_recovered"]
    assert ((summary[parts].sum(axis=1) - summary["total"]).abs() < 0.005).all()


def test_a_manager_whose_plan_pays_no_override_is_reported():
    book = orders(("O1", "2024-01-10", "A", 1000.0), ("O2", "2024-01-10", "B", 1000.0), ("O3", "2024-01-10", "C", 1.0))
    result = run(book, {"A": "Flat", "B": "Flat", "C": "Flat", "M": "Flat", "P": None},
                 {"A": "M", "B": "M", "C": "P", "M": None, "P": None})  # fmt: skip
    assert result.lines["from_rep"].isna().all()
    assert result.exceptions[["sheet", "column", "value"]].values.tolist() == [
        ["Reps", "manager_id", "M"],
        ["Reps", "manager_id", "P"],
    ]
    assert result.exceptions["reason"].tolist() == [
        "rep(s) A, B report to M, whose plan Flat has no override rule: no override is paid on their sales",
        "rep(s) C report to P, who has no commission plan: no override is paid on their sales",
    ]


@pytest.mark.parametrize(
    "managers, message",
    [
        ({"A": "Z", "B": "Y", "M": None}, r"Reps: these manager IDs are not rep IDs on the Reps sheet: rep A \(Z\), rep B \(Y\)"),
        ({"A": "A", "M": None}, r"Reps: these reps are their own manager; leave Manager ID blank or name their manager: rep A \(A\)"),
    ],
)  # fmt: skip
def test_a_manager_id_must_be_another_rep(managers, message):
    with pytest.raises(InputError, match=message):
        run(orders(("O1", "2024-01-10", "A", 1.0)), dict.fromkeys(managers, "Lead"), managers)


def test_a_bad_manager_id_names_the_excel_row():
    table = reps(A="M", M="X").set_axis(pd.Index([2, 3], name="row"))
    with pytest.raises(InputError, match=r"rep M \(X, row 3\)"):
        compute_commissions(orders(("O1", "2024-01-10", "A", 1.0)), PLANS, {"A": "Flat"}, OtherTables(reps=table))


def test_blank_manager_ids_and_a_reps_table_without_the_column_pay_no_override():
    book = orders(("O1", "2024-01-10", "A", 1000.0))
    plans = {"A": "Flat", "M": "Lead"}
    blank = reps(A="  ", M=None)
    for table in (blank, blank.drop(columns="manager_id")):
        result = compute_commissions(book, PLANS, plans, OtherTables(reps=table))
        assert result.summary["rep_id"].tolist() == ["A"] and result.exceptions.empty
