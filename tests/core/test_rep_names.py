"""Rep names on the Commission summary, KPIs and Collection rate (core.rep_names).

The book of test_close: reps A (Ann) and B (Bo) on plan Flat (5% of every sale).  January:
A sells O1 for 1,000 (50.00), B sells O2 for 2,000 (100.00); February: A sells O3 for
400 (20.00).  Here C1 is owned by A, B collects 300 from C1 in February (payment P1) and
visits C1 on 2024-02-06.
"""

import pandas as pd

from sales_tools.core.close import close_months
from sales_tools.core.rep_names import REP_NAME, unnamed, with_rep_names
from sales_tools.core.timeliness import KPI_COLUMNS
from sales_tools.schema import TABLES
from tests.core.test_close import JAN, NOW, adjustments, close, row, run
from tests.core.test_close import book as close_book
from tests.schema_rows import frame

FEB = pd.Timestamp("2024-02-01")
NAMED = ("commission_summary", "kpis", "collection_rate")


def book():
    return close_book() | {
        "customers": frame("customers", [("C1", "One", None, None, None, "A")]),
        "payments": frame("payments", [("P1", pd.Timestamp("2024-02-10"), "C1", "O1", "B", 300.0)]),
        "activities": frame("activities", [(pd.Timestamp("2024-02-06"), "B", "C1", "Order taken")]),
    }


def without_b(inputs):
    """`inputs` with rep B deleted from the Reps sheet (their orders, payment and visit kept)."""
    return inputs | {"reps": frame("reps", [("A", "Ann", "North", None, None, "Flat")])}


def test_the_name_goes_right_after_the_rep_id_and_an_unknown_rep_keeps_its_row_blank():
    reps = frame("reps", [("R1", "Ann"), ("R2", "Bo")])
    rows = pd.DataFrame({"rep_id": ["R2", "R9", "TEAM", "R1"], "total": [1.5, 2.0, 3.5, 4.0]})
    named = with_rep_names(rows, reps, {"TEAM": "Team"})
    assert named.columns.tolist() == ["rep_id", REP_NAME, "total"]
    assert named["rep_name"].tolist()[:1] + named["rep_name"].tolist()[2:] == ["Bo", "Team", "Ann"]
    assert pd.isna(named.at[1, "rep_name"])  # R9 is on no Reps row: blank, not "nan"
    assert named["total"].tolist() == [1.5, 2.0, 3.5, 4.0] and rows.columns.tolist() == ["rep_id", "total"]
    # named again (a frame with a stale name): the name is today's, still one column
    renamed = with_rep_names(named, frame("reps", [("R1", "Ann Lee")]))
    assert renamed.columns.tolist() == ["rep_id", REP_NAME, "total"]
    assert renamed["rep_name"].tolist()[3] == "Ann Lee"


def test_the_refresh_names_each_rep_on_the_summary_kpis_and_collection_rate():
    computed = run(book())
    names = {"A": "Ann", "B": "Bo", "TEAM": "Team"}  # the Reps sheet; TEAM the whole team's collection rate
    for table in NAMED:
        got = computed[table]
        assert got.columns.tolist()[:3] == ["rep_id", "rep_name", "period"], table
        assert got.columns.tolist() == TABLES[table].names
        assert len(got) and got["rep_name"].tolist() == [names[r] for r in got["rep_id"]], table
    # the rows the tables had before: A Jan, A Feb, B Jan (summary); B's February payment of 300
    assert sorted(zip(computed["commission_summary"]["rep_id"], computed["commission_summary"]["total"])) == [
        ("A", 20.0), ("A", 50.0), ("B", 100.0)
    ]  # fmt: skip
    rate = computed["collection_rate"].set_index(["rep_id", "period"])
    assert rate.loc[("B", FEB), "collected"] == 300.0 and rate.loc[("TEAM", FEB), "collected"] == 300.0


def test_a_rep_no_longer_on_reps_keeps_their_rows_with_a_blank_name():
    closed, _ = close(book(), JAN)
    kept, gone = run(closed), run(without_b(closed))
    b = row(gone, "B", JAN)
    assert pd.isna(b["rep_name"]) and b["total"] == 100.0  # January as paid: 2,000 x 5%
    # no Reps row, no plan: O2 no longer pays, so February takes its 100.00 back (docs/commissions.md, Rep names)
    assert ("B", FEB, "O2", "adjustment 2024-01: order removed", -100.0) in adjustments(gone)
    for table, months in (("kpis", 2), ("collection_rate", 1)):  # counted from the rows, whoever is on Reps
        is_b = gone[table]["rep_id"].eq("B")
        assert is_b.sum() == months and gone[table].loc[is_b, "rep_name"].isna().all(), table
        shown = [c for c in unnamed(table) if c not in KPI_COLUMNS]  # reports due are a Reps row's working days
        pd.testing.assert_frame_equal(gone[table][shown], kept[table][shown])
    kpis = gone["kpis"].set_index(["rep_id", "period"])  # B: January's sale, February's visit and payment
    assert kpis.loc[("B", JAN), "sales"] == 2000.0
    assert (kpis.loc[("B", FEB), "visits"], kpis.loc[("B", FEB), "collections"]) == (1, 300.0)


# Payouts and Paid lines as the release before rep names wrote them (close of January on `book`'s
# orders): their checksums were computed then, and must still verify.
PAYOUTS_BEFORE = [
    ("A", JAN, 1000.0, None, None, 50.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 50.0, 0.0, NOW.normalize(), "369792d5608ed49c"),
    ("B", JAN, 2000.0, None, None, 100.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 100.0, 0.0, NOW.normalize(), "45228e255a5629e2"),
]  # fmt: skip
PAID_BEFORE = [
    ("A", JAN, "O1", 1, "X", 1000.0, "tier marginal", 0.05, 50.0),
    ("B", JAN, "O2", 1, "X", 2000.0, "tier marginal", 0.05, 100.0),
]


def test_a_master_closed_before_rep_names_refreshes_and_closes_with_payouts_unchanged():
    assert TABLES["payouts"].names == [
        "rep_id", "period", "sales", "target", "attainment", "commission", "clawbacks", "bonus", "cap_adjustment",
        "override", "draw", "draw_recovered", "adjustment", "total", "draw_balance", "closed_on", "checksum",
    ]  # fmt: skip
    closed = book() | {"payouts": frame("payouts", PAYOUTS_BEFORE), "paid_lines": frame("paid_lines", PAID_BEFORE)}
    computed = run(closed)  # the checksums verify
    assert adjustments(computed) == []
    for rep, name, total in (("A", "Ann", 50.0), ("B", "Bo", 100.0)):
        jan = row(computed, rep, JAN)
        assert (jan["rep_name"], jan["total"]) == (name, total)
    closing = close_months(computed, closed["payouts"], FEB, NOW, "tester")
    assert closing.payouts.columns.tolist() == TABLES["payouts"].names  # no name frozen
    assert closing.payouts[["rep_id", "total"]].values.tolist() == [["A", 20.0]]  # 400 x 5%


def test_renaming_a_rep_after_a_close_renames_the_closed_month_and_pays_no_adjustment():
    closed, closing = close(book(), JAN)
    renamed = closed | {"reps": frame("reps", [("A", "Ann Lee", "North", None, None, "Flat"),
                                               ("B", "Bo", "South", None, None, "Flat")])}  # fmt: skip
    computed = run(renamed)  # no checksum refused
    assert adjustments(computed) == []
    jan = row(computed, "A", JAN)
    assert (jan["rep_name"], jan["total"], jan["adjustment"]) == ("Ann Lee", 50.0, 0.0)
    assert row(computed, "A", FEB)["total"] == 20.0  # 400 x 5%, nothing added
    assert (computed["kpis"].loc[computed["kpis"]["rep_id"].eq("A"), "rep_name"] == "Ann Lee").all()
    assert REP_NAME not in closing.payouts
