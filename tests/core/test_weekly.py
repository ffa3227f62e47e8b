import numpy as np
import pandas as pd
import pytest
from week_2024_w14 import T, frame, inputs

from sales_tools.core.weekly import TEAM_NAME, iso_week, week_start, weekly_report
from sales_tools.errors import InputError, TargetError
from sales_tools.schema import TABLES


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
    assert report["abnormal_customers"].tolist() == ["", "C4 Customer 4 -100%; C5 Customer 5 -60%", ""]  # named


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


def test_reports_sign_off_next_week_and_competitor_moves_by_hand():
    from sales_tools.core.weekly import competitor_moves

    data = inputs()
    act = data["activities"].astype({"approved_by": object, "competitor_info": object, "approved_on": "datetime64[ns]"})
    data["activities"] = act
    # R1's daily reports: Mon 1 received Tue 2 (due Tue 2: on time), Tue 2 received Tue 2 (on time),
    # Wed 3 received Fri 5 (due Thu 4: late), Thu 4 typed in the master (untimed), Fri 5 none (due Mon 8: not filed)
    act["received_at"] = [T("2024-04-02"), T("2024-04-02"), T("2024-04-05"), pd.NaT, T("2024-04-08")]
    act.loc[0, ["approved_by", "approved_on"]] = ["Mia", T("2024-04-02")]
    act.loc[2, "competitor_info"] = "Rival cut prices 5%"
    act.loc[4, "competitor_info"] = "next week: not this report's"
    data["visit_plans"] = frame(
        "visit_plans",
        [
            (T("2024-04-01"), "R1", "C1", None, None, "Visit", T("2024-04-01"), "Mia", T("2024-04-02")),  # approved
            (T("2024-04-03"), "R1", "C2", None, None, "Visit", T("2024-04-01")),  # W14 plan due Mon 1: on time
            (T("2024-04-08"), "R1", "C2", None, None, "Service"),
            (T("2024-04-09"), "R1", "C1", None, None, "Service"),
            (T("2024-04-10"), "R1", "C2", None, None, "Service"),
            (T("2024-04-08"), "R2", "C3", None, None, "Service"),
        ],
    )
    report = weekly_report(data, "2024-W14", as_of=T("2024-04-08")).set_index("rep_id")
    # R1: 5 daily reports + the week's plan = 6 due; filed 4 + 1 = 5; on time Mon 1, Tue 2 and the plan = 3
    # R2: the first report of the team is Mon 1 April, so R2 too owes 5 daily reports and a plan: none filed
    assert report.loc[["R1", "R2", "TEAM"], "reports_due"].tolist() == [6, 6, 12]
    assert report.loc[["R1", "R2", "TEAM"], "reports_filed"].tolist() == [5, 0, 5]
    assert report.loc[["R1", "R2", "TEAM"], "reports_on_time"].tolist() == [3, 0, 3]
    # not approved: R1's plan of Wed 3; R1's visits of Tue 2, Wed 3, Thu 4 (Mon 1 approved)
    assert report.loc[["R1", "R2", "TEAM"], "plans_unapproved"].tolist() == [1, 0, 1]
    assert report.loc[["R1", "R2", "TEAM"], "reports_unapproved"].tolist() == [3, 0, 3]
    assert report.loc[["R1", "R2", "TEAM"], "next_week_plans"].tolist() == [3, 1, 4]
    assert report.loc["R1", "next_week_customers"] == "C2 Customer 2; C1 Customer 1"  # in date order, once each
    assert report.loc["R2", "next_week_customers"] == "C3 Customer 3"

    moves = competitor_moves(data, "2024-W14")
    assert moves.values.tolist() == [[T("2024-04-03"), "R1", "C1", "C1 Customer 1", "Rival cut prices 5%"]]
