import numpy as np
import pandas as pd
import pytest

from sales_tools.core.weekly import TEAM_NAME, iso_week, week_start, weekly_report
from sales_tools.errors import InputError, TargetError
from sales_tools.schema import TABLES

T = pd.Timestamp


def frame(name, rows):
    return pd.DataFrame(rows, columns=TABLES[name].names)


def inputs():
    orders = [
        # order_id, line, date, rep, customer, category, qty, price, amount, source
        ("O0", 1, T("2024-03-31"), "R1", "C1", None, 1, 999, 999.0, None),  # the Sunday before the week
        ("O1", 1, T("2024-04-02"), "R1", "C2", None, 1, 1000, 1000.0, None),  # C2's first order ever
        ("O1", 2, T("2024-04-02"), "R1", "C2", None, 1, 500, 500.0, None),
        ("O2", 1, T("2024-04-07"), "R2", "C3", None, 1, 300, 300.0, None),  # Sunday: still in the week
        ("O3", 1, T("2023-06-01"), "R2", "C3", None, 1, 100, 100.0, None),
        # R2's customers over the 8 base weeks (Jan 15 - Mar 10) and the 4 recent ones (Mar 11 - Apr 7)
        ("O4", 1, T("2024-01-22"), "R2", "C4", None, 1, 1600, 1600.0, None),
        ("O5", 1, T("2024-02-19"), "R2", "C4", None, 1, 800, 800.0, None),
        ("O6", 1, T("2024-02-05"), "R2", "C5", None, 1, 800, 800.0, None),
        ("O7", 1, T("2024-02-12"), "R2", "C5", None, 1, 800, 800.0, None),
        ("O8", 1, T("2024-03-25"), "R2", "C5", None, 1, 320, 320.0, None),
        ("O9", 1, T("2024-02-01"), "R2", "C6", None, 1, 5000, 5000.0, None),  # a one-off buyer
        ("OA", 1, T("2024-01-22"), "R2", "C7", None, 1, 600, 600.0, None),
        ("OB", 1, T("2024-02-19"), "R2", "C7", None, 1, 600, 600.0, None),
        ("OC", 1, T("2024-03-20"), "R2", "C7", None, 1, 700, 700.0, None),
    ]
    activities = [
        (T("2024-04-01"), "R1", "C1", "Order taken", 1000.0),
        (T("2024-04-02"), "R1", "C2", "Follow-up needed", None),
        (T("2024-04-03"), "R1", "C1", "Not met", None),
        (T("2024-04-04"), "R1", "C2", "No interest", None),
        (T("2024-04-08"), "R2", "C3", "Order taken", 300.0),  # next week
    ]
    return {
        "reps": frame("reps", [("R2", "Bo", "S", None, None, None, None), ("R1", "Ann", "N", None, None, None, None)]),
        "customers": frame("customers", [(f"C{i}", f"Customer {i}", None, None, None, "R2" if i > 2 else "R1", None) for i in range(1, 8)]),
        "targets": frame(
            "targets",
            [
                (2024, "R1", None, None, 120_000.0),
                (2024, "R1", None, "X", 55_555.0),  # a category target: not the rep's total
                (2024, "R2", None, None, 60_000.0),
                (2024, None, None, None, 200_000.0),  # the team's
            ],
        ),
        "seasonality": frame("seasonality", []),
        "orders": frame("orders", orders),
        "returns": frame(
            "returns",
            [("O0", 1, T("2024-04-03"), 200.0, None, None), ("O1", 2, T("2024-04-10"), 500.0, None, None)],
        ),
        "payments": frame(
            "payments",
            [
                ("P1", T("2024-04-05"), "C1", None, "R1", 400.0, None, None),
                ("P2", T("2024-04-06"), "C3", None, None, 250.0, None, None),  # no rep: C3's owner R2
                ("P3", T("2024-04-08"), "C1", None, "R1", 999.0, None, None),
            ],
        ),
        "activities": pd.DataFrame(activities, columns=["activity_date", "rep_id", "customer_id", "outcome", "order_amount"]).reindex(
            columns=TABLES["activities"].names
        ),
    }


def test_iso_weeks():
    assert week_start("2024-W14") == T("2024-04-01")
    assert week_start("2025-w01") == T("2024-12-30")
    assert iso_week("2024-12-31") == "2025-W01"
    for bad in ("2024-14", "2024-W53", "W12", ""):
        with pytest.raises(InputError, match="ISO week"):
            week_start(bad)


def test_a_week_by_hand():
    data = inputs()
    before = {k: v.copy() for k, v in data.items()}
    report = weekly_report(data, "2024-W14")
    for k in data:
        pd.testing.assert_frame_equal(data[k], before[k])  # inputs untouched
    assert report.columns.tolist() == TABLES["weekly_report"].names
    assert report["rep_id"].tolist() == ["R1", "R2", "TEAM"]
    assert report["name"].tolist() == ["Ann", "Bo", TEAM_NAME]
    assert (report["week"] == "2024-W14").all()
    # April has 30 days: 120,000 / 12 * 7 / 30 and 60,000 / 12 * 7 / 30
    assert report["target"].tolist() == [2333.33, 1166.67, 1750.0]
    assert report["next_week_target"].tolist() == [2333.33, 1166.67, 1750.0]
    # R1: 1,000 + 500 booked, minus O0's 200 returned in the week; R2: O2's 300
    assert report["sales"].tolist() == [1300.0, 300.0, 800.0]
    assert report["attainment"].tolist() == pytest.approx([1300 / 2333.33, 300 / 1166.67, 1600 / 3500])
    assert report["new_customers"].iloc[:2].tolist() == [1, 0] and pd.isna(report["new_customers"].iloc[2])
    assert report["collections"].tolist() == [400.0, 250.0, 325.0]
    # R1: 4 visits, 2 effective (order taken, follow-up), 1 closed; R2: no visits
    assert report["effective_visit_rate"].iloc[[0, 2]].tolist() == [0.5, 0.5]
    assert report["closing_rate"].iloc[[0, 2]].tolist() == [0.25, 0.25]
    assert np.isnan(report["effective_visit_rate"].iloc[1]) and np.isnan(report["closing_rate"].iloc[1])


def test_abnormal_customers_fell_by_more_than_half():
    report = weekly_report(inputs(), "2024-W14")
    # C4: 2,400 over 8 weeks = 300/week, nothing since: -100% (loses 300/week).
    # C5: 1,600/8 = 200/week, then 320/4 = 80/week: -60% (loses 120/week).
    # C6 bought once (not a regular buyer); C7 went up.
    assert report["abnormal_customers"].tolist() == ["", "C4 -100%; C5 -60%", ""]


def test_a_week_across_two_months_takes_each_months_share():
    data = inputs()
    weights = [0.06, 0.10] + [0.084] * 10
    data["seasonality"] = frame("seasonality", list(zip(range(1, 13), weights)))
    report = weekly_report(data, "2024-W05")  # Mon 29 Jan - Sun 4 Feb 2024
    # R1: January 7,200 x 3/31 + February 12,000 x 4/29 = 696.77 + 1,655.17
    assert report["target"].iloc[0] == 2351.95
    assert report["next_week_target"].iloc[0] == round(12_000 * 7 / 29, 2)


def test_missing_target_is_blank_and_bad_weights_are_errors():
    data = inputs()
    report = weekly_report(data, "2024-W52")  # next week starts 30 Dec 2024 and runs into 2025
    assert report["next_week_target"].isna().all() and report["target"].notna().all()
    data["seasonality"] = frame("seasonality", [(1, 0.5), (2, 0.4)])
    with pytest.raises(TargetError, match="Seasonality weights add up to 90.0+%, not 100%"):
        weekly_report(data, "2024-W14")


def test_the_printable_report_and_the_masters_sheet(tmp_path):
    from openpyxl import load_workbook

    from sales_tools.excel.builder import build_master
    from sales_tools.excel.reader import read_tables
    from sales_tools.reports import write_weekly_report

    master = build_master(tmp_path / "master.xlsx", inputs())
    report, paths = write_weekly_report(master, "2024-W14", tmp_path / "out")
    assert [p.name for p in paths] == ["weekly_report_2024-W14.xlsx"]
    stored = read_tables(master, ["weekly_report"])["weekly_report"].reset_index(drop=True)
    assert stored["rep_id"].tolist() == ["R1", "R2", "TEAM"]
    assert stored["sales"].tolist() == [1300.0, 300.0, 800.0]
    assert stored["abnormal_customers"].fillna("").tolist() == ["", "C4 -100%; C5 -60%", ""]
    ws = load_workbook(paths[0]).active
    assert ws["A1"].value == "Weekly report 2024-W14"
    assert ws["A2"].value == "Example Trading Co. · 01 Apr – 07 Apr 2024 · USD"
    headers = [c.value for c in ws[4]]
    assert headers == [c.header for c in TABLES["weekly_report"].columns if c.name != "week"]
    assert [ws.cell(r, 1).value for r in (5, 6, 7)] == ["R1", "R2", "TEAM"]
    assert ws.cell(5, headers.index("Sales") + 1).value == 1300.0
    assert ws.cell(5, headers.index("Attainment") + 1).number_format == "0.0%"
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$4:$4"
