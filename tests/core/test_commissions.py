"""The commission engine: hand-computed months, splits, clawbacks, paid-only, gate/cap/bonus, properties."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sales_tools.core.commissions import OtherTables, compute_commissions
from sales_tools.core.plans import Plan
from sales_tools.core.rep_names import unnamed
from sales_tools.errors import InputError, PlanError, TargetError
from sales_tools.schema import TABLES

TIERED = Plan("Tiered", floors=(0.0, 5000.0), rates=(0.10, 0.15))
STEP = Plan("Step", floors=(0.0, 5000.0), rates=(0.10, 0.15), method="retroactive")
FLAT = Plan("Flat", floors=(0.0,), rates=(0.10,))
COLLECT = Plan("Collect", floors=(0.0, 5000.0), rates=(0.10, 0.15), credit_on="paid")
QUOTA = Plan(
    "Quota",
    floors=(0.0, 1.0),
    rates=(0.05, 0.10),
    tier_basis="attainment",
    gate=0.5,
    cap=1000.0,
    category_rates=(("Services", 0.20),),
    bonuses=((1.0, 100.0), (1.2, 300.0)),
)
PLANS = {p.name: p for p in (TIERED, STEP, FLAT, COLLECT, QUOTA)}


def orders(*rows):
    """(order_id, line, date, rep, category, amount) rows as an Orders table."""
    frame = pd.DataFrame(rows, columns=["order_id", "line", "order_date", "rep_id", "category", "amount"])
    return frame.assign(order_date=pd.to_datetime(frame["order_date"]), customer_id="C1")


def run(order_rows, plan, **tables):
    table = orders(*order_rows)
    reps = {rep: plan for rep in table["rep_id"].unique()}
    if tables.get("splits") is not None:
        reps |= {rep: plan for rep in tables["splits"]["rep_id"]}
    return compute_commissions(table, PLANS, reps, OtherTables(**tables))


def amounts(result, rule=None):
    lines = result.lines if rule is None else result.lines[result.lines["rule"] == rule]
    return lines["amount"].tolist()


def month(result, rep, period):
    row = result.summary[(result.summary["rep_id"] == rep) & (result.summary["period"] == pd.Timestamp(period))]
    assert len(row) == 1
    return row.iloc[0]


# ------------------------------------------------------------------ tiers on the month's total
def test_marginal_tiers_on_the_month_total_allocated_to_lines_in_exact_cents():
    result = run(
        [
            ("O1", 1, "2024-01-05", "A", "X", 2000.0),
            ("O2", 1, "2024-01-20", "A", "X", 3000.0),
            ("O2", 2, "2024-01-20", "A", "X", 1800.0),
            ("O3", 1, "2024-02-02", "A", "X", 4000.0),
        ],
        "Tiered",
    )
    # January 6,800: 5,000 x 10% + 1,800 x 15% = 770 (per line it would be 200 + 300 + 180 = 680).
    # 770 pro rata: 226.470588, 339.705882, 203.823529 -> floors 226.47 + 339.70 + 203.82 = 769.99;
    # the missing cent goes to the largest remainder (0.5882 of a cent): 339.71.
    assert amounts(result) == [226.47, 339.71, 203.82, 400.00]  # February: 4,000 x 10%
    assert set(result.lines["rule"]) == {"tier marginal"}
    assert result.lines["rate"].iloc[0] == pytest.approx(770 / 6800)
    jan = month(result, "A", "2024-01-01")
    assert (jan["sales"], jan["commission"], jan["total"]) == (6800.0, 770.0, 770.0)
    assert pd.isna(jan["target"]) and pd.isna(jan["attainment"])  # an amount plan needs no target


def test_equal_remainders_give_the_spare_cents_to_the_earlier_lines():
    # January 6,000 in 30 lines of 200: 5,000 x 10% + 1,000 x 15% = 650.00, 21.666... a line:
    # floors 30 x 21.66 = 649.80, and the 20 spare cents go to the first 20 lines listed.
    rows = [(f"O{i}", 1, "2024-01-05", "A", "X", 200.0) for i in range(30)]
    assert amounts(run(rows, "Tiered")) == [21.67] * 20 + [21.66] * 10


def test_retroactive_pays_the_whole_month_at_the_tier_reached():
    result = run(
        [
            ("O1", 1, "2024-01-05", "A", "X", 2000.0),
            ("O2", 1, "2024-01-20", "A", "X", 3000.0),
            ("O2", 2, "2024-01-20", "A", "X", 1800.0),
        ],
        "Step",
    )
    assert amounts(result) == [300.0, 450.0, 270.0]  # 6,800 x 15% = 1,020, line by line
    assert month(result, "A", "2024-01-01")["total"] == 1020.0


def test_a_credit_note_reduces_the_month_total():
    result = run([("O1", 1, "2024-01-05", "A", "X", 6800.0), ("O2", 1, "2024-01-06", "A", "X", -800.0)], "Tiered")
    # 6,000: 500 + 150 = 650, spread 6,800/6,000 and -800/6,000: 736.666.. and -86.666..
    # floors 736.66 + -86.67 = 649.99; the cent goes to the larger remainder (736.66|6)
    assert amounts(result) == [736.67, -86.67]


def test_zero_amount_lines_are_kept_and_earn_nothing():
    result = run([("O1", 1, "2024-01-05", "A", "X", 0.0)], "Tiered")
    assert amounts(result) == [0.0]
    assert month(result, "A", "2024-01-01")["total"] == 0.0


# ------------------------------------------------------------------ splits
SPLITS = pd.DataFrame({"order_id": ["O1", "O1"], "rep_id": ["A", "B"], "share": [0.6, 0.4]})


def test_split_order_is_credited_to_each_rep_by_share():
    result = run(
        [("O1", 1, "2024-01-05", "A", "X", 10000.0), ("O2", 1, "2024-01-06", "A", "X", 5000.0)], "Tiered", splits=SPLITS
    )
    a, b = month(result, "A", "2024-01-01"), month(result, "B", "2024-01-01")
    # A: 6,000 of O1 + 5,000 of O2 = 11,000 -> 500 + 6,000 x 15% = 1,400.  B: 4,000 x 10% = 400.
    assert (a["sales"], a["total"]) == (11000.0, 1400.0)
    assert (b["sales"], b["total"]) == (4000.0, 400.0)
    assert result.lines.loc[result.lines["rep_id"] == "B", "basis"].tolist() == [4000.0]


def test_split_shares_must_add_up_to_100_percent():
    bad = pd.DataFrame({"order_id": ["O1", "O1", "O2"], "rep_id": ["A", "B", "A"], "share": [0.6, 0.3, 1.0]})
    with pytest.raises(InputError, match=r"do not for order O1 \(90.0000%\)"):
        run([("O1", 1, "2024-01-05", "A", "X", 100.0), ("O2", 1, "2024-01-05", "A", "X", 100.0)], "Flat", splits=bad)


# ------------------------------------------------------------------ clawbacks
def test_return_claws_back_in_the_month_of_the_return():
    returns = pd.DataFrame(
        {"order_id": ["O1"], "line": [1], "return_date": pd.to_datetime(["2024-03-10"]), "amount": [1700.0]}
    )
    result = run([("O1", 1, "2024-01-05", "A", "X", 6800.0)], "Tiered", returns=returns)
    # January keeps 770 (not re-tiered); March gives back 770 x 1,700 / 6,800 = 192.50
    assert month(result, "A", "2024-01-01")["total"] == 770.0
    march = month(result, "A", "2024-03-01")
    assert (march["sales"], march["commission"], march["clawbacks"], march["total"]) == (0.0, 0.0, -192.5, -192.5)
    claw = result.lines[result.lines["rule"] == "clawback"].iloc[0]
    assert (claw["order_id"], claw["line"], claw["basis"], claw["amount"]) == ("O1", 1, -1700.0, -192.5)
    assert claw["rate"] == pytest.approx(770 / 6800)


def test_split_return_claws_back_from_each_rep():
    returns = pd.DataFrame(
        {"order_id": ["O1"], "line": [1], "return_date": pd.to_datetime(["2024-02-01"]), "amount": [2500.0]}
    )
    result = run([("O1", 1, "2024-01-05", "A", "X", 10000.0)], "Flat", splits=SPLITS, returns=returns)
    # A earned 600, B 400; a quarter is returned: -150 and -100
    assert amounts(result, "clawback") == [-150.0, -100.0]


@pytest.mark.parametrize(
    "order_id, amount, message",
    [
        ("O9", 10.0, "order O9 line 1 is not on the Orders sheet"),
        ("O1", 7000.0, "order O1 line 1 has more returned than was sold"),
    ],
)
def test_bad_returns_raise(order_id, amount, message):
    returns = pd.DataFrame(
        {"order_id": [order_id], "line": [1], "return_date": pd.to_datetime(["2024-02-01"]), "amount": [amount]}
    )
    with pytest.raises(InputError, match=message):
        run([("O1", 1, "2024-01-05", "A", "X", 6800.0)], "Tiered", returns=returns)


# ------------------------------------------------------------------ paid only
def test_paid_plan_credits_collections_in_the_month_paid():
    payments = pd.DataFrame(
        {
            "payment_id": ["P1", "P2", "P3"],
            "payment_date": pd.to_datetime(["2024-02-10", "2024-03-10", "2024-03-11"]),
            "customer_id": "C1",
            "order_id": ["O1", "O1", None],
            "amount": [5000.0, 5000.0, 999.0],
        }
    )
    result = run(
        [("O1", 1, "2024-01-05", "A", "X", 6000.0), ("O1", 2, "2024-01-05", "A", "X", 4000.0)],
        "Collect",
        payments=payments,
    )
    # Nothing in January; each 5,000 payment is spread 60/40 over the lines (3,000 + 2,000)
    # and earns 5,000 x 10% = 500 in its month: 300 + 200.
    assert result.summary["period"].dt.strftime("%Y-%m").tolist() == ["2024-02", "2024-03"]
    assert amounts(result) == [300.0, 200.0, 300.0, 200.0]
    assert result.lines["basis"].tolist() == [3000.0, 2000.0, 3000.0, 2000.0]
    # the payment without an order ID earns nothing and is reported
    assert result.exceptions["reason"].tolist() == ["payment P3 has no order ID; it earns no commission on collections"]


# ------------------------------------------------------------------ attainment, category, gate, cap, bonus
def test_attainment_plan_with_category_rate_cap_bonus_gate_and_a_missing_target():
    rows = [
        ("J1", 1, "2024-01-03", "A", "Hardware", 9000.0),
        ("J1", 2, "2024-01-03", "A", "Services", 3000.0),
        ("F1", 1, "2024-02-03", "A", "Hardware", 4000.0),
        ("M1", 1, "2024-03-03", "A", "Hardware", 10000.0),
        ("A1", 1, "2024-04-03", "A", "Hardware", 5000.0),
    ]
    targets = pd.DataFrame(
        {
            "rep_id": "A",
            "period": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01", "2024-05-01"]),
            "target": 10000.0,
        }
    )
    returns = pd.DataFrame(
        {"order_id": ["J1"], "line": [1], "return_date": pd.to_datetime(["2024-05-02"]), "amount": [4500.0]}
    )
    result = run(rows, "Quota", targets=targets, returns=returns)
    lines = result.lines
    jan = lines[lines["period"] == "2024-01-01"]
    # January: 12,000 of 10,000 = 120%.  On all sales 10,000 x 5% + 2,000 x 10% = 700; the tiers
    # pay the 9,000 non-category share: 700 x 9,000/12,000 = 525.  Services 3,000 x 20% = 600.
    # 1,125 > cap 1,000: cap line -125.  Bonus: 120% reached, only the highest level: 300.
    assert jan[["rule", "amount"]].values.tolist() == [
        ["tier marginal", 525.0],
        ["category rate", 600.0],
        ["cap 1,000.00", -125.0],
        ["bonus 120%", 300.0],
    ]
    j = month(result, "A", "2024-01-01")
    assert (j["attainment"], j["commission"], j["cap_adjustment"], j["bonus"], j["total"]) == (
        1.2,
        1125.0,
        -125.0,
        300.0,
        1300.0,
    )
    # February: 40% < gate 50%: the line stays with 0 and says why
    feb = lines[lines["period"] == "2024-02-01"]
    assert feb[["rule", "amount"]].values.tolist() == [["gate 50% not reached", 0.0]]
    # March: exactly 100%: 10,000 x 5% = 500, bonus 100
    assert month(result, "A", "2024-03-01")["total"] == 600.0
    # April has no target: left out and reported
    assert not (result.summary["period"] == "2024-04-01").any()
    assert result.exceptions["reason"].tolist() == [
        "rep A has no target for 2024-04; plan Quota needs one, so the month is left out"
    ]
    # May: half of J1 line 1 returned.  The line paid 525 less its share of the cap cut
    # (525 x 1,000/1,125 = 466.67); half of that: -233.33
    may = month(result, "A", "2024-05-01")
    assert (may["sales"], may["clawbacks"], may["total"]) == (0.0, -233.33, -233.33)


# ------------------------------------------------------------------ reps, plans, inputs
def test_rep_without_plan_is_left_out_and_reported():
    table = orders(("O1", 1, "2024-01-05", "A", "X", 100.0), ("O2", 1, "2024-01-05", "B", "X", 100.0))
    result = compute_commissions(table, PLANS, {"A": "Flat", "B": None})
    assert result.summary["rep_id"].tolist() == ["A"]
    assert result.exceptions[["sheet", "column", "value"]].values.tolist() == [["Reps", "plan", "B"]]
    assert "rep B has no commission plan; 1 credited order lines earn nothing" in result.exceptions["reason"].iloc[0]


def test_a_plan_none_of_whose_months_can_be_paid_is_an_error_naming_it():
    # the silent zero of pandas 2.x: targets that never reach the engine
    rows = [("O1", 1, "2024-01-05", "A", "X", 100.0), ("O2", 1, "2024-02-05", "B", "X", 100.0)]
    with pytest.raises(
        TargetError,
        match=r"plan Quota: none of its 2 rep-month\(s\) can be paid.*2024-01 to 2024-02; e\.g\. rep A, 2024-01",
    ):
        run(rows, "Quota")
    # one month with a target is enough: the other is left out and reported, not raised
    targets = pd.DataFrame({"rep_id": ["A"], "period": pd.to_datetime(["2024-01-01"]), "target": [100.0]})
    result = run(rows, "Quota", targets=targets)
    assert result.exceptions["value"].tolist() == ["B 2024-02"]
    assert month(result, "A", "2024-01-01")["total"] == 5.0 + 100.0  # 100 x 5%, and the 100% bonus


def test_unknown_plan_name_raises():
    with pytest.raises(PlanError, match=r"A \('Gold'\)"):
        compute_commissions(orders(("O1", 1, "2024-01-05", "A", "X", 100.0)), PLANS, {"A": "Gold"})


def test_duplicate_order_line_and_blank_amount_raise():
    with pytest.raises(InputError, match="order O1 line 1 is given twice"):
        run([("O1", 1, "2024-01-05", "A", "X", 1.0), ("O1", 1, "2024-01-06", "A", "X", 2.0)], "Flat")
    with pytest.raises(InputError, match="Orders: row 2 has no amount"):
        run([("O1", 1, "2024-01-05", "A", "X", 1.0), ("O1", 2, "2024-01-06", "A", "X", None)], "Flat")


def test_two_targets_for_one_month_raise():
    targets = pd.DataFrame({"rep_id": ["A", "A"], "period": pd.to_datetime(["2024-01-01"] * 2), "target": [1.0, 2.0]})
    with pytest.raises(TargetError, match="rep A has two targets for 2024-01"):
        run([("O1", 1, "2024-01-05", "A", "X", 1.0)], "Quota", targets=targets)


def test_columns_follow_the_schema_and_inputs_are_not_changed():
    table = orders(("O1", 1, "2024-01-05", "A", "X", 100.0))
    before = table.copy()
    result = compute_commissions(table, PLANS, {"A": "Flat"}, OtherTables(splits=SPLITS.iloc[:0]))
    pd.testing.assert_frame_equal(table, before)
    assert list(result.lines.columns) == TABLES["commission_lines"].names
    assert list(result.summary.columns) == unnamed("commission_summary")  # the refresh adds the rep name
    assert list(result.exceptions.columns) == TABLES["exceptions"].names


def test_no_orders_gives_empty_tables():
    result = compute_commissions(orders(), PLANS, {})
    assert result.lines.empty and result.summary.empty and result.exceptions.empty
    assert list(result.lines.columns) == TABLES["commission_lines"].names


# ------------------------------------------------------------------ properties
line_amounts = st.lists(st.floats(-500, 20000, allow_nan=False).map(lambda x: round(x, 2)), min_size=1, max_size=30)


@st.composite
def books(draw):
    """Random order lines for 3 reps over 3 months, random splits and returns."""
    values = draw(line_amounts)
    n = len(values)
    reps = draw(st.lists(st.sampled_from(["A", "B", "C"]), min_size=n, max_size=n))
    days = draw(st.lists(st.integers(0, 85), min_size=n, max_size=n))
    table = orders(
        *[
            (f"O{i}", 1, pd.Timestamp("2024-01-01") + pd.Timedelta(days=d), r, "X", v)
            for i, (v, r, d) in enumerate(zip(values, reps, days))
        ]
    )
    shared = draw(st.lists(st.sampled_from(range(n)), max_size=3, unique=True))
    cut = draw(st.sampled_from([0.25, 0.5, 0.7]))
    splits = pd.DataFrame(
        [(f"O{i}", rep, share) for i in shared for rep, share in (("A", cut), ("C", 1 - cut))],
        columns=["order_id", "rep_id", "share"],
    )
    back = [i for i in draw(st.lists(st.sampled_from(range(n)), max_size=3, unique=True)) if values[i] > 0]
    returns = pd.DataFrame(
        {
            "order_id": [f"O{i}" for i in back],
            "line": 1,
            "return_date": pd.Timestamp("2024-04-15"),
            "amount": [round(values[i] / 3, 2) for i in back],
        }
    )
    return table, splits, returns


@settings(max_examples=60, deadline=None)
@given(books(), st.sampled_from(["Tiered", "Step", "Flat"]))
def test_summary_total_is_the_sum_of_its_lines(book, plan):
    table, splits, returns = book
    result = compute_commissions(table, PLANS, dict.fromkeys("ABC", plan), OtherTables(splits=splits, returns=returns))
    cents = (result.lines["amount"] * 100).round().astype(int)
    by_month = cents.groupby([result.lines["rep_id"], result.lines["period"]]).sum()
    summary = result.summary.set_index(["rep_id", "period"])
    assert ((summary["total"] * 100).round().astype(int) == by_month.reindex(summary.index)).all()
    parts = summary[["commission", "clawbacks", "bonus", "cap_adjustment"]].sum(axis=1)
    assert np.allclose(parts, summary["total"], atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(books())
def test_splits_conserve_the_credited_total(book):
    table, splits, _ = book
    result = compute_commissions(table, PLANS, dict.fromkeys("ABC", "Flat"), OtherTables(splits=splits))
    # Each rep-month's credited sales are rounded to cents: half a cent per summary row at most.
    assert abs(result.summary["sales"].sum() - table["amount"].sum()) <= 0.005 * len(result.summary) + 1e-9


@settings(max_examples=60, deadline=None)
@given(
    line_amounts.map(lambda v: [abs(x) for x in v]),
    st.floats(0, 20000).map(lambda x: round(x, 2)),
    st.sampled_from(["Tiered", "Step", "Flat"]),
)
def test_commission_never_decreases_when_a_month_sells_more(values, extra, plan):
    rows = [(f"O{i}", 1, "2024-01-10", "A", "X", v) for i, v in enumerate(values)]
    before = run(rows, plan).summary["commission"].sum()
    after = run(rows + [("OX", 1, "2024-01-11", "A", "X", extra)], plan).summary["commission"].sum()
    assert after >= before


# ------------------------------------------------------------------ real data
DATA = Path(__file__).resolve().parents[3] / "shared" / "data"  # ../shared/data next to the repo
SUPERSTORE = DATA / "superstore_orders_2014-2017.xls"


@pytest.mark.realdata
@pytest.mark.skipif(not SUPERSTORE.exists(), reason="../shared/data is absent")
def test_superstore_flat_plan_with_returns():
    sheets = pd.read_excel(SUPERSTORE, sheet_name=None, engine="calamine")
    raw, back = sheets["Orders"], sheets["Returns"]
    manager = sheets["People"].set_index("Region")["Person"]
    table = pd.DataFrame(
        {
            "order_id": raw["Order ID"],
            "line": raw.groupby("Order ID").cumcount() + 1,
            "order_date": raw["Order Date"],
            "rep_id": raw["Region"].map(manager),
            "category": raw["Category"],
            "amount": raw["Sales"],
        }
    )
    returned = table[table["order_id"].isin(back["Order ID"])]
    returns = returned[["order_id", "line", "order_date", "amount"]].rename(columns={"order_date": "return_date"})
    returns["return_date"] += pd.Timedelta(days=30)
    result = compute_commissions(table, {"Flat": FLAT}, dict.fromkeys(manager, "Flat"), OtherTables(returns=returns))
    # SOURCES.md: total Sales 2,297,200.8603; the returned orders' lines are worth 180,504.2779
    assert result.summary["sales"].sum() == pytest.approx(2297200.86, abs=0.01 * len(result.summary))
    assert result.summary["commission"].sum() == pytest.approx(229720.09, abs=0.01 * len(result.summary))
    assert result.summary["clawbacks"].sum() == pytest.approx(-18050.43, abs=0.01 * len(returns))
    assert len(result.lines) == 9994 + 800


def test_credited_sales_count_every_rep_and_apply_splits():
    orders = pd.DataFrame(
        {
            "order_id": ["O1", "O1", "O2", "O3"],
            "line": [1, 2, 1, 1],
            "order_date": pd.to_datetime(["2024-01-05", "2024-01-05", "2024-01-20", "2024-02-01"]),
            "rep_id": ["R1", "R1", "R2", "R2"],
            "category": [None] * 4,
            "amount": [100.0, 50.0, 80.0, 10.0],
        }
    )
    splits = pd.DataFrame({"order_id": ["O1", "O1"], "rep_id": ["R1", "R3"], "share": [0.6, 0.4]})
    got = compute_commissions(
        orders, {}, {}, OtherTables(splits=splits)
    ).credited  # no plans: nobody is paid, all count
    # O1 (150) split 60/40 between R1 and R3; R2 keeps O2 in January and O3 in February.
    assert got[["rep_id", "period", "actual"]].values.tolist() == [
        ["R1", pd.Timestamp("2024-01-01"), 90.0],
        ["R2", pd.Timestamp("2024-01-01"), 80.0],
        ["R2", pd.Timestamp("2024-02-01"), 10.0],
        ["R3", pd.Timestamp("2024-01-01"), 60.0],
    ]
