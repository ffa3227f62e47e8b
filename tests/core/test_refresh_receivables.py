"""The refresh's Receivables and Collection rate sheets, their Exceptions and the weekly
report's overdue customers, on a hand-computed book as of Sunday 2024-06-30 (week 2024-W26)."""

import pandas as pd
import pytest
from receivables_book import book

from sales_tools.core.refresh import REFRESH_FILE, left_out_message, needs_attention, refresh
from sales_tools.core.weekly import weekly_report

T = pd.Timestamp
BUCKETS = ["not_due", "days_0_30", "days_31_60", "days_61_90", "days_over_90"]


def by_customer(out):
    return out["receivables"].set_index("customer_id")


def test_fifo_a_return_and_buckets_by_due_date():
    c1, c2 = (row for _, row in by_customer(refresh(book(), today="2024-07-01")).iterrows())
    # C1: invoiced A 600 + 400 + B 500 = 1,500; returned 100; paid 700; open 1,500 - 100 - 700 = 700
    assert (c1["name"], c1["owner_rep"]) == ("Acme Ltd", "R1")
    assert [c1["invoiced"], c1["returned"], c1["paid"], c1["open"]] == [1500.0, 100.0, 700.0, 700.0]
    # P1 names no order: it pays the oldest, A (1,000), 700 of it: A owes 300, B 500 - 100 = 400.
    # A is due 31 Mar: 91 days past due on 30 June (over 90); B due 31 May: 30 days (0-30).
    assert c1[BUCKETS].tolist() == [0.0, 400.0, 0.0, 0.0, 300.0]
    assert (c1["unapplied"], c1["overdue"], c1["oldest_days"]) == (0.0, 700.0, 91)
    # C2: not due 1; 0-30: 10 (age 30); 31-60: 20 + 40 (ages 31, 60); 61-90: 80 + 160 (61, 90); over 90: 320 (91)
    assert c2[BUCKETS].tolist() == [1.0, 10.0, 60.0, 240.0, 320.0]
    assert (c2["open"], c2["overdue"], c2["oldest_days"]) == (631.0, 630.0, 91)  # overdue: all but the 1 not due


def test_without_payment_terms_orders_age_from_their_order_date():
    c1 = by_customer(refresh(book(terms=None), today="2024-07-01")).loc["C1"]
    # A (1 March) is 121 days old: its 300 over 90; B (1 May) is 60 days old: its 400 in 31-60
    assert c1[BUCKETS].tolist() == [0.0, 0.0, 400.0, 0.0, 300.0]
    assert (c1["overdue"], c1["oldest_days"]) == (300.0, 121)  # overdue: open over 90 days


def test_collection_rate_against_rep_and_team_collections_targets():
    targets = [
        (2024, "R1", None, None, None, 12_000.0, "collections"),  # 1,000 a month (equal months)
        (2024, None, None, None, None, 24_000.0, "collections"),  # the team: 2,000 a month
    ]
    rates = refresh(book(targets=targets), today="2024-07-01")["collection_rate"]
    got = rates.set_index(["rep_id", rates["period"].dt.month])
    # R1 in May: C1 owed A's 1,000 on 1 May, plus B 500 less its return 100: 1,400 due; 700 collected
    may = got.loc[("R1", 5)]
    assert [may["due"], may["collected"], may["rate"], may["target"], may["attainment"]] == [
        1400.0, 700.0, 0.5, 1000.0, 0.7]  # fmt: skip  # 700 / 1,400 and 700 / 1,000
    # June: 1,400 - 700 = 700 carried, nothing collected: rate 0, attainment 0 of 1,000
    assert got.loc[("R1", 6), ["due", "collected", "rate", "attainment"]].tolist() == [700.0, 0.0, 0.0, 0.0]
    # March: A's 1,000 due, no payment, target 1,000
    assert got.loc[("R1", 3), ["due", "collected", "target", "attainment"]].tolist() == [1000.0, 0.0, 1000.0, 0.0]
    # R2 in May: C2's orders before May 320 + 160 + 80 + 40 + 20 = 620, plus May's 10 + 1: 631; no target
    assert got.loc[("R2", 5), ["due", "collected"]].tolist() == [631.0, 0.0] and pd.isna(got.loc[("R2", 5), "target"])
    # The team in May: 1,400 + 631 = 2,031 due, 700 collected, target 2,000: attainment 35%
    team = got.loc[("TEAM", 5)]
    assert [team["due"], team["collected"], team["target"], team["attainment"]] == [2031.0, 700.0, 2000.0, 0.35]
    assert team["rate"] == pytest.approx(700 / 2031)
    assert got.loc[("TEAM", 1), "target"] == 2000.0  # a month with a target and nothing due yet
    assert list(rates["rep_id"].unique()) == ["R1", "R2", "TEAM"]


def test_receivable_notes_are_said_without_exit_1_and_other_collections_targets_are_listed():
    stray = [("P2", T("2024-06-10"), "C1", "Z9", None, 50.0)]  # names an order C1 does not have
    targets = [(2024, None, "North", None, None, 500.0, "collections")]  # a region: no collection rate has it
    out = refresh(book(targets=targets, payments=stray), today="2024-07-01")
    mine = out["exceptions"][out["exceptions"]["file"] == REFRESH_FILE]
    about = dict(zip(mine["value"], mine["reason"]))
    assert about["Z9"] == (
        "payment P2 of customer C1 names order Z9, which is not an order of C1 on the Orders sheet; "
        "it pays the customer's oldest open orders"
    )
    assert about["year 2024, region North, measure collections"] == (
        "the collections target of year 2024, region North, measure collections counts toward no collection rate: "
        "it is for reps and the team"
    )
    # P2's 50 paid A (the oldest): C1 owes 700 - 50 = 650
    assert by_customer(out).loc["C1", "open"] == 650.0
    assert "Receivables: 1 payment(s) or return(s) counted otherwise than entered." in left_out_message(
        out["exceptions"]
    )
    notes = out["exceptions"][out["exceptions"]["column"] != "plan"]  # R1 and R2 have no plan: unpaid
    assert not needs_attention(notes)


def test_the_weekly_report_lists_overdue_customers_by_name_under_their_owner():
    weekly = refresh(book(), today="2024-07-01")["weekly_report"].set_index("rep_id")
    assert weekly.loc["R1", "week"] == "2024-W26"
    assert weekly.loc["R1", "abnormal_customers"] == "overdue: Acme Ltd (C1) 700.00, 91 days"
    # C2 also bought in 2 of the 8 base weeks (29 Apr - 5 May, 27 May - 2 Jun) and nothing since: -100%
    assert weekly.loc["R2", "abnormal_customers"] == "C2 Bolt Co. -100%; overdue: Bolt Co. (C2) 630.00, 91 days"


def test_a_past_weeks_report_lists_its_overdue_customers_as_of_its_sunday():
    weekly = weekly_report(book(), "2024-W25").set_index("rep_id")  # Mon 17 - Sun 23 June 2024
    # On 23 June A (due 31 Mar) is 84 days past due: 300 in 61-90; B (due 31 May) 23 days: 400
    assert weekly.loc["R1", "abnormal_customers"] == "overdue: Acme Ltd (C1) 700.00, 84 days"
    # the report command (no refresh) for the week of the figures date (30 June, its Sunday)
    assert weekly_report(book(), "2024-W26").set_index("rep_id").loc["R1", "abnormal_customers"] == (
        "overdue: Acme Ltd (C1) 700.00, 91 days"
    )
