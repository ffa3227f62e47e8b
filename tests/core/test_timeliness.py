"""Report timeliness, hand-computed on the calendar of December 2024 (Mon 16 Dec is in 2024-W51)."""

import numpy as np
import pandas as pd
import pytest

from sales_tools.core.settings import read_settings
from sales_tools.core.timeliness import LATE, NOT_FILED, ON_TIME, UNTIMED, report_status, timeliness_kpis
from sales_tools.errors import InputError
from tests.schema_rows import frame

D = pd.Timestamp


def conf(**given):
    rows = {"period_start": "2024-12-16", **given}
    return read_settings(pd.DataFrame({"setting": list(rows), "value": list(rows.values())}))


def tables(plans, activities, reps=(("R01", "Ann", "North"), ("R02", "Bo", "North"))):
    """Visit plans (date, rep, received) and activities (date, rep, received) as schema tables."""
    vp = frame("visit_plans", [(D(d), r, "C1", None, None, "Visit") for d, r, _ in plans])
    vp["received_at"] = pd.to_datetime([x for _, _, x in plans])
    act = frame("activities", [(D(d), r, "C1", "Order") for d, r, _ in activities])
    act["received_at"] = pd.to_datetime([x for _, _, x in activities])
    return vp, act, frame("reps", list(reps))


def test_a_week_of_daily_reports_and_plans():
    vp, act, reps = tables(
        plans=[
            ("2024-12-16", "R01", "2024-12-17"),
            ("2024-12-18", "R01", "2024-12-17"),
            ("2024-12-23", "R01", "2024-12-20"),
        ],
        activities=[
            ("2024-12-16", "R01", "2024-12-16"),  # Mon, due Tue 17, received Mon: on time
            ("2024-12-17", "R01", "2024-12-19"),  # Tue, due Wed 18, received Thu 19: 1 working day late
            ("2024-12-17", "R01", "2024-12-20"),  # a second visit that day, sent later: the report came on Thu 19
            ("2024-12-18", "R01", "2024-12-23"),  # Wed, due Thu 19, received Mon 23: Fri 20 + Mon 23 = 2 late
            # Thu 19: no row: not filed
            ("2024-12-20", "R01", "2024-12-23"),  # Fri, due Mon 23 (next working day), received Mon 23: on time
            ("2024-12-16", "R02", None),  # typed in the master: filed, untimed
        ],
    )
    status = report_status(vp, act, reps, conf(), "2024-12-23")
    r01 = status[status["rep_id"] == "R01"].set_index(["report", "day"])
    daily = r01.loc["daily report"]
    assert daily["due"].dt.strftime("%a %d").tolist() == ["Tue 17", "Wed 18", "Thu 19", "Fri 20", "Mon 23"]
    assert daily["status"].tolist() == [ON_TIME, LATE, LATE, NOT_FILED, ON_TIME]
    assert daily["days_late"].tolist() == [0, 1, 2, 0, 0]
    plans = r01.loc["visit plan"]
    # W51 plan due Mon 16, received Tue 17: 1 late; W52 plan due Mon 23 (= as_of), received Fri 20: on time
    assert plans.index.strftime("%Y-%m-%d").tolist() == ["2024-12-16", "2024-12-23"]
    assert plans["status"].tolist() == [LATE, ON_TIME] and plans["days_late"].tolist() == [1, 0]
    r02 = status[status["rep_id"] == "R02"]
    assert r02["status"].tolist() == [UNTIMED, NOT_FILED, NOT_FILED, NOT_FILED, NOT_FILED, NOT_FILED, NOT_FILED]

    kpis = timeliness_kpis(status).set_index("rep_id")
    # R01: due 5 daily + 2 plans = 7; filed 6; on time Mon 16, Fri 20, W52 plan = 3; late Tue 17, Wed 18, W51 plan = 3
    assert kpis.loc["R01", ["reports_due", "reports_filed", "reports_on_time", "reports_late"]].tolist() == [7, 6, 3, 3]
    assert kpis.loc["R01", "on_time_rate"] == pytest.approx(3 / 7)
    assert kpis.loc["R01", "avg_days_late"] == pytest.approx((1 + 2 + 1) / 6)  # 4 days late over 6 timed reports
    # R02: 7 due, 1 filed untimed: rate 0 / (7 - 1); no timed report: no average
    assert kpis.loc["R02", ["reports_due", "reports_filed", "reports_on_time"]].tolist() == [7, 1, 0]
    assert kpis.loc["R02", "on_time_rate"] == 0 and np.isnan(kpis.loc["R02", "avg_days_late"])
    assert kpis["period"].eq(D("2024-12-01")).all()


def test_holidays_and_start_date_and_not_yet_due():
    vp, act, reps = tables(
        plans=[],
        activities=[
            ("2024-12-24", "R01", "2024-12-30"),  # Tue, due Fri 27 (25, 26 are holidays), received Mon 30: 1 late
            ("2024-12-27", "R01", "2024-12-30"),  # Fri, due Mon 30: on time
            # Mon 30: due Tue 31 = as_of, no row: not filed.  Tue 31: due Thu 2 Jan, after as_of: not counted
        ],
        reps=[("R01", "Ann", "North"), ("R02", "Bo", "North", None, D("2024-12-30"))],
    )
    status = report_status(vp, act, reps, conf(period_start="2024-12-01", holidays="2024-12-25; 2024-12-26"),
                           "2024-12-31")  # fmt: skip
    r01 = status[(status["rep_id"] == "R01") & (status["report"] == "daily report")]
    assert r01["day"].dt.strftime("%d").tolist() == ["24", "27", "30"]  # first row 24 Dec, after period_start
    assert r01["status"].tolist() == [LATE, ON_TIME, NOT_FILED] and r01["days_late"].tolist() == [1, 0, 0]
    # R02 started Mon 30: only that day is due
    assert status.loc[status["rep_id"] == "R02", "day"].dt.strftime("%d").tolist() == ["30"]


def test_no_rows_nothing_due():
    vp, act, reps = tables([], [])
    assert report_status(vp, act, reps, conf(), "2024-12-31").empty


def test_bad_holidays_named():
    with pytest.raises(InputError, match="holidays must be dates"):
        conf(holidays="25 Decembre; soon")
