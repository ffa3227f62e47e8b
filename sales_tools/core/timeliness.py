"""Report timeliness (上交效率): whether each rep's daily reports and weekly visit plans came in on time.

Conventions (also in docs/field.md):

* Working days are Monday to Friday, less the Settings ``holidays``.
* A daily report is due `daily_report_due_days` working days after its day (Settings,
  default 1: a Friday's report is due on Monday); a week's visit plan is due
  `visit_plan_due_days` working days after the week's Monday (default 0: the Monday).
* Every working day is a daily report due, every ISO week a visit plan due, from the
  latest of the Settings ``period_start``, the rep's start date and the first row of
  that sheet (anyone's: when the team started filing it), once its due day is not
  after `as_of`.  A report not yet due is not counted.
* A report is filed when the sheet has a row of that rep for the day (daily report)
  or dated in the week (visit plan); it was received on the earliest ``received_at`` of
  those rows (the day the import read the rep's file).  A working day without a row
  is *not filed*; a filed report whose rows were all typed in the master (no
  ``received_at``) is *untimed*: filed, neither on time nor late.
* On time: received on or before the due day.  Days late: the working days after the
  due day up to the day received (due Monday, received Wednesday: 2).
* Per rep and month (a visit plan counts in the month of its Monday): the on-time
  rate = on time ÷ (due − untimed), blank when nothing timed was due; the average days
  late = days late ÷ timed reports filed (on-time ones count 0), blank when none.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sales_tools.core.frames import month_start

DAILY, PLAN = "daily report", "visit plan"
ON_TIME, LATE, NOT_FILED, UNTIMED = "on time", "late", "not filed", "untimed"
STATUS_COLUMNS = ["rep_id", "report", "day", "due", "received", "status", "days_late"]
KPI_COLUMNS = ["reports_due", "reports_filed", "reports_on_time", "reports_late", "on_time_rate", "avg_days_late"]


def report_status(
    visit_plans: pd.DataFrame, activities: pd.DataFrame, reps: pd.DataFrame, conf: dict, as_of
) -> pd.DataFrame:
    """One row per report due by `as_of`: each rep's daily report per working day, visit plan per week.

    Args:
        visit_plans: the Visit plans table (visit_date, rep_id, received_at).
        activities: the Activities table (activity_date, rep_id, received_at).
        reps: the Reps table (rep_id, start_date).
        conf: read settings (`core.settings.read_settings`): period_start, holidays and the due days.
        as_of: the last due day counted.

    Returns:
        `STATUS_COLUMNS`: rep, report (`DAILY` or `PLAN`), day (the report's day, or the
        week's Monday), due and received days, status (`ON_TIME`, `LATE`, `NOT_FILED`,
        `UNTIMED`) and working days late (0 unless late).
    """
    as_of = pd.Timestamp(as_of).normalize()
    holidays = np.array(conf.get("holidays") or [], dtype="datetime64[D]")
    parts = [
        _status(activities, "activity_date", DAILY, reps, conf, as_of, holidays),
        _status(visit_plans, "visit_date", PLAN, reps, conf, as_of, holidays),
    ]
    parts = [p for p in parts if len(p)] or parts[:1]  # pandas 2 warns on concatenating an empty frame
    return pd.concat(parts, ignore_index=True).sort_values(["rep_id", "report", "day"], ignore_index=True)


def _status(rows, date, report, reps, conf, as_of, holidays) -> pd.DataFrame:
    dates = pd.to_datetime(rows[date]).dt.normalize()
    if report == PLAN:
        dates = dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")  # the week's Monday
    filed = (
        pd.DataFrame({"rep_id": rows["rep_id"].astype(object), "day": dates, "received": _days(rows["received_at"])})
        .dropna(subset=["rep_id", "day"])
        .groupby(["rep_id", "day"])
        .agg(received=("received", "min"), rows=("received", "size"))
    )
    due = _due_days(rows, dates, report, reps, conf, as_of, holidays)
    # a report filed early for a day the calendar does not count (a weekend) is left out: not due
    table = due.join(filed, on=["rep_id", "day"])
    received = table["received"].to_numpy("datetime64[D]")
    due_day = table["due"].to_numpy("datetime64[D]")
    late = np.busday_count(due_day + 1, np.where(np.isnat(received), due_day, received) + 1, holidays=holidays)
    table["days_late"] = np.maximum(late, 0).astype("int64")
    table["status"] = np.select(
        [table["rows"].isna(), table["received"].isna(), table["days_late"] > 0], [NOT_FILED, UNTIMED, LATE], ON_TIME
    )
    table["report"] = report
    return table[STATUS_COLUMNS]


def _due_days(rows, dates, report, reps, conf, as_of, holidays) -> pd.DataFrame:
    """Every (rep, report day) due by `as_of`, with its due day."""
    empty = pd.DataFrame({"rep_id": pd.Series(dtype=object), "day": pd.Series(dtype="datetime64[ns]")})
    if dates.notna().sum() == 0 or reps.empty:
        return empty.assign(due=pd.Series(dtype="datetime64[ns]"))
    first = max(d for d in (conf.get("period_start"), dates.min()) if d is not None and not pd.isna(d))
    starts = pd.to_datetime(reps["start_date"]).fillna(first).clip(lower=first)
    days = pd.date_range(first, as_of, freq="D")
    days = days[np.is_busday(days.to_numpy("datetime64[D]"), holidays=holidays)]
    if report == PLAN:
        days = pd.DatetimeIndex(sorted(set(days - pd.to_timedelta(days.day_of_week, unit="D"))))
        offset = conf["visit_plan_due_days"]
        base = np.busday_offset(days.to_numpy("datetime64[D]"), 0, roll="forward", holidays=holidays)
    else:
        offset = conf["daily_report_due_days"]
        base = days.to_numpy("datetime64[D]")
    due = pd.DatetimeIndex(np.busday_offset(base, offset, roll="forward", holidays=holidays))
    grid = pd.DataFrame(
        {
            "rep_id": np.repeat(reps["rep_id"].astype(object).to_numpy(), len(days)),
            "start": np.repeat(starts.to_numpy(), len(days)),
            "day": np.tile(days, len(reps)),
            "due": np.tile(due, len(reps)),
        }
    )
    keep = (grid["due"] <= as_of) & (grid["day"] >= grid["start"] - pd.to_timedelta(6 if report == PLAN else 0, "D"))
    return grid.loc[keep, ["rep_id", "day", "due"]].reset_index(drop=True)


def _days(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values).dt.normalize()


def timeliness_kpis(status: pd.DataFrame, period: str = "M") -> pd.DataFrame:
    """`KPI_COLUMNS` per rep and period (the first day of the month, or another pandas period)."""
    keyed = status.assign(period=month_start(status["day"], period))
    counts = pd.DataFrame(
        {
            "rep_id": keyed["rep_id"],
            "period": keyed["period"],
            "reports_due": 1,
            "reports_filed": (keyed["status"] != NOT_FILED).astype("int64"),
            "reports_on_time": (keyed["status"] == ON_TIME).astype("int64"),
            "reports_late": (keyed["status"] == LATE).astype("int64"),
            "untimed": (keyed["status"] == UNTIMED).astype("int64"),
            "days_late": keyed["days_late"],
        }
    )
    out = counts.groupby(["rep_id", "period"]).sum()
    timed = out["reports_due"] - out["untimed"]
    timed_filed = out["reports_on_time"] + out["reports_late"]
    out["on_time_rate"] = out["reports_on_time"] / timed.where(timed > 0)
    out["avg_days_late"] = out["days_late"] / timed_filed.where(timed_filed > 0)
    return out.reset_index()[["rep_id", "period", *KPI_COLUMNS]]
