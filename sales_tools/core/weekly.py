"""The weekly management report (周进度): each rep's week against target, and the team's.

Conventions (also in the report's docstring, for users):

* A week is an ISO week, Monday to Sunday, written ``2024-W12``.
* The target for a week is the monthly target prorated by days: each day of the week
  carries its month's target divided by the days in that month, so a week that
  straddles two months takes a share of each.  The monthly target is the rep's
  annual revenue target (the Targets row with the rep, no region or category and
  a blank or revenue measure) broken
  down by `core.targets.monthly_targets` (Seasonality weights, exact cents).
* Sales are the amounts of the orders dated in the week minus the returns dated in
  the week, credited to the order's rep.
* New customers, collections and the visit rates are the week's activity KPIs
  (`core.kpis.activity_kpis` with weekly periods): the same rules as the KPIs sheet.
* A rep with no target for a month the week touches gets a blank target.
* An abnormal customer is a regular buyer (orders in at least 2 of the 8 weeks before
  the last 4) whose weekly sales over the last 4 weeks (the report week included)
  average less than half of those 8 weeks, including one who stopped buying
  altogether; listed under the rep who sold to them, largest loss first, at most 5.
  Overdue customers follow under their owner rep: "overdue: name (ID) amount, N days",
  largest amount first, at most 5: the receivables (`core.receivables`, with the
  Settings payment terms) as of the week's Sunday, or the date of the figures when it
  is earlier (`core.settings.figures_as_of`), N the age of the oldest order still open.
* Customers are named: "C0012 Acme Ltd" (the Customers sheet's name; the ID alone when
  it is not there).
* Reports due, filed and on time: the week's daily reports and visit plan, once due by
  `as_of` (`core.timeliness`).  Plans and visits not approved: the week's Visit plans and
  Activities rows with neither Approved by nor Approved on filled.
* Next week's plan: the Visit plans rows dated in the next ISO week, and their customers.
* Competitor moves (竞争者动态, `competitor_moves`): the week's Activities rows with
  Competitor info, listed beside the report.
* The last row, "Team average per rep", holds the average per rep of the target,
  sales, collections and next week's target, the team's attainment and rates, and the
  team's totals of the report counts.
* The escalation list (`escalations`, printed under the report): the competitor moves
  reported in the week (Market situation), then the complaints still open or in progress
  at the week's end that were raised more than the Settings ``complaint_escalation_days``
  before it, oldest first, with the customer's name.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from sales_tools.core.kpis import activity_kpis
from sales_tools.core.money import round_cents
from sales_tools.core.receivables import receivables
from sales_tools.core.settings import figures_as_of, read_settings
from sales_tools.core.targets import REVENUE, is_rep_total, measure_of, monthly_targets
from sales_tools.core.timeliness import DAILY, NOT_FILED, ON_TIME, report_status
from sales_tools.errors import InputError
from sales_tools.schema import CLOSING_OUTCOMES, EFFECTIVE_OUTCOMES, TABLES
from sales_tools.schema.choices import OPEN_COMPLAINTS
from sales_tools.schema.language import tr

TEAM_ID = "TEAM"
TEAM_NAME = "Team average per rep"
RECENT_WEEKS, BASE_WEEKS, DROP = 4, 8, 0.5
MIN_BASE_WEEKS = 2  # a regular buyer ordered in at least 2 of the 8 base weeks
LISTED = 5
COUNTS = [
    "reports_due",
    "reports_filed",
    "reports_on_time",
    "plans_unapproved",
    "reports_unapproved",
    "next_week_plans",
]
MOVES = ["activity_date", "rep_id", "customer_id", "customer", "competitor_info"]


def week_start(week: str) -> pd.Timestamp:
    """The Monday of ISO week ``week`` ("2024-W12").

    >>> week_start("2024-W12")
    Timestamp('2024-03-18 00:00:00')
    """
    try:
        year, num = str(week).upper().split("-W")
        return pd.Timestamp(dt.date.fromisocalendar(int(year), int(num), 1))
    except ValueError:
        raise InputError(tr("week {week!r} is not an ISO week such as 2024-W12").format(week=week)) from None


def iso_week(date) -> str:
    """The ISO week of a date, as "2024-W12".

    >>> iso_week("2024-03-24")
    '2024-W12'
    """
    year, num, _ = pd.Timestamp(date).isocalendar()
    return f"{year}-W{num:02d}"


def weekly_report(
    inputs: dict[str, pd.DataFrame], week: str, as_of=None, owed: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The weekly report for every rep, then the team's average per rep.

    Args:
        inputs: the input tables; uses reps, targets, seasonality, orders, returns,
            payments, customers and activities (missing ones count as empty, except
            reps and targets).
        week: the ISO week, e.g. "2024-W12".
        as_of: the day the reports are counted on: one not due by then is not counted
            (default: today).
        owed: the receivables as of the day the overdue customers are listed for,
            when computed already (the refresh's); None computes them.

    Returns:
        A frame with the schema's ``weekly_report`` columns, one row per rep
        (by rep id) and a last "Team average per rep" row.

    Raises:
        InputError: `week` is not an ISO week.
        TargetError: bad Seasonality weights.

    A rep without a target for a month the week (or next week) touches gets a blank
    target and attainment for it, never 0.
    """
    monday = week_start(week)
    days = pd.date_range(monday, periods=7)
    reps = inputs["reps"].sort_values("rep_id")
    ids = pd.Index(reps["rep_id"], name="rep_id")
    orders, returns = _table(inputs, "orders"), _table(inputs, "returns")
    names = _customer_names(inputs)
    activities = _in_week(_table(inputs, "activities"), "activity_date", days)
    payments = _in_week(_table(inputs, "payments"), "payment_date", days)
    week_orders = _in_week(orders, "order_date", days)
    kpis = activity_kpis(
        activities, _new_customer_orders(orders, week_orders, days), payments, inputs.get("customers"), period="W"
    )
    week = kpis[kpis["period"] == monday].set_index("rep_id").reindex(ids)
    report = pd.DataFrame(
        {
            "week": iso_week(monday),
            "rep_id": ids,
            "name": reps["name"].to_numpy(),
            "target": round_cents(_week_target(inputs, ids, days)),
            "sales": round_cents(_net_sales(week_orders, orders, returns, days).reindex(ids, fill_value=0.0)),
            "new_customers": week["new_customers"].fillna(0).astype("Int64"),
            "collections": week["collections"].fillna(0.0),
            "effective_visit_rate": week["effective_visit_rate"],
            "closing_rate": week["closing_rate"],
            "abnormal_customers": _listed(
                _abnormal_customers(orders, monday, names), _overdue_customers(inputs, days[-1], owed), ids
            ),
            "next_week_target": round_cents(_week_target(inputs, ids, days + pd.Timedelta(days=7))),
        }
    )
    report = report.join(_reports(inputs, reps, days, as_of)).join(_sign_off(inputs, ids, days))
    report = report.join(_next_week(inputs, ids, days + pd.Timedelta(days=7), names)).reset_index(drop=True)
    report["attainment"] = report["sales"] / report["target"]
    report = pd.concat([report, _team_row(report, activities)], ignore_index=True)
    return report[TABLES["weekly_report"].names]


def competitor_moves(inputs: dict[str, pd.DataFrame], week: str) -> pd.DataFrame:
    """The week's competitor moves (竞争者动态): Activities rows with Competitor info, by date and rep.

    Returns:
        `MOVES`: date, rep, customer ID, the customer as named (`_customer_names`) and the text.
    """
    days = pd.date_range(week_start(week), periods=7)
    rows = _in_week(_table(inputs, "activities"), "activity_date", days)
    text = rows["competitor_info"].astype("string").str.strip()
    rows = rows[text.fillna("").ne("").to_numpy(dtype=bool)].sort_values(["activity_date", "rep_id"], kind="stable")
    named = rows["customer_id"].map(_customer_names(inputs)).fillna(rows["customer_id"])
    return rows.assign(customer=named)[MOVES].reset_index(drop=True)


def _customer_names(inputs: dict[str, pd.DataFrame]) -> pd.Series:
    """Customer ID -> "ID name" (the first name of the Customers sheet)."""
    customers = _table(inputs, "customers").dropna(subset=["customer_id"]).drop_duplicates("customer_id")
    ids = customers["customer_id"].astype(str)
    named = (ids + " " + customers["name"].astype("string").fillna("")).str.strip()
    return pd.Series(named.to_numpy(dtype=object), index=ids.to_numpy())


def _reports(inputs, reps: pd.DataFrame, days: pd.DatetimeIndex, as_of) -> pd.DataFrame:
    """Per rep, the week's reports due, filed and on time (`core.timeliness.report_status`)."""
    as_of = pd.Timestamp.today() if as_of is None else as_of
    status = report_status(
        _table(inputs, "visit_plans"), _table(inputs, "activities"), reps, read_settings(inputs.get("settings")), as_of
    )
    week = status[status["day"].between(days[0], days[-1]) & ((status["report"] != DAILY) | status["day"].isin(days))]
    counts = pd.DataFrame(
        {
            "rep_id": week["rep_id"],
            "reports_due": 1,
            "reports_filed": week["status"].ne(NOT_FILED).astype("int64"),
            "reports_on_time": week["status"].eq(ON_TIME).astype("int64"),
        }
    )
    return _counts(counts, reps["rep_id"])


def _sign_off(inputs, ids: pd.Index, days: pd.DatetimeIndex) -> pd.DataFrame:
    """Per rep, the week's Visit plans and Activities rows not approved (neither Approved by nor on filled)."""
    out = {}
    for table, date, column in (("visit_plans", "visit_date", "plans_unapproved"),
                                ("activities", "activity_date", "reports_unapproved")):  # fmt: skip
        rows = _in_week(_table(inputs, table), date, days)
        signed = rows["approved_by"].astype("string").str.strip().fillna("").ne("") | rows["approved_on"].notna()
        out[column] = rows.loc[~signed.to_numpy(dtype=bool), "rep_id"].value_counts()
    return _counts(pd.DataFrame(out).rename_axis("rep_id").reset_index(), ids)


def _next_week(inputs, ids: pd.Index, days: pd.DatetimeIndex, names: pd.Series) -> pd.DataFrame:
    """Per rep, the visits planned in the 7 `days` and their customers, named, in date order."""
    plans = _in_week(_table(inputs, "visit_plans"), "visit_date", days).sort_values(["visit_date", "customer_id"])
    named = plans["customer_id"].map(names).fillna(plans["customer_id"])
    customers = named.groupby(plans["rep_id"]).agg(lambda c: "; ".join(dict.fromkeys(c)))
    return pd.DataFrame(
        {
            "next_week_plans": plans["rep_id"].value_counts().reindex(ids, fill_value=0).astype("Int64"),
            "next_week_customers": customers.astype(object).reindex(ids, fill_value=""),
        }
    )


def _counts(frame: pd.DataFrame, ids) -> pd.DataFrame:
    """Sums of `frame`'s count columns per rep id of `ids` (0 for a rep without rows), as Int64."""
    return frame.groupby("rep_id").sum().reindex(pd.Index(ids, name="rep_id"), fill_value=0).fillna(0).astype("Int64")


def _table(inputs: dict[str, pd.DataFrame], name: str) -> pd.DataFrame:
    """An input table, or an empty one with the schema's columns."""
    frame = inputs.get(name)
    return frame if frame is not None else pd.DataFrame(columns=TABLES[name].names)


def _in_week(frame: pd.DataFrame, column: str, days: pd.DatetimeIndex) -> pd.DataFrame:
    """The rows of `frame` dated (any time of day) on one of `days`."""
    dates = pd.to_datetime(frame[column])
    return frame[(dates >= days[0]) & (dates < days[-1] + pd.Timedelta(days=1))]


def _new_customer_orders(orders: pd.DataFrame, week: pd.DataFrame, days: pd.DatetimeIndex) -> pd.DataFrame:
    """The `week`'s orders, and one earlier order of each customer who had bought before.

    Enough for the week's new customers (first order ever in the week) without the
    whole order history: a customer with an earlier order is not new.
    """
    earlier = orders[(pd.to_datetime(orders["order_date"]) < days[0]) & orders["customer_id"].isin(week["customer_id"])]
    return pd.concat([earlier.drop_duplicates("customer_id"), week])


def _week_target(inputs: dict[str, pd.DataFrame], ids: pd.Index, days: pd.DatetimeIndex) -> pd.Series:
    """Each rep's target for the 7 `days`: every day carries its month's target ÷ days in the month."""
    targets = inputs["targets"]
    own = targets[is_rep_total(targets) & measure_of(targets).eq(REVENUE)]  # sales against sales targets
    monthly = monthly_targets(own, inputs.get("seasonality")).groupby(["rep_id", "period"])["target"].sum()
    months = days.to_period("M").to_timestamp()
    month_share = pd.Series(1 / days.days_in_month, index=months).groupby(level=0).sum()
    wanted = pd.MultiIndex.from_product([ids, month_share.index], names=["rep_id", "period"])
    per_month = monthly.reindex(wanted)
    share = month_share.reindex(wanted.get_level_values("period")).to_numpy()
    target = (per_month * share).groupby(level="rep_id").sum()
    return target.where(per_month.notna().groupby(level="rep_id").all())


def _net_sales(week: pd.DataFrame, orders: pd.DataFrame, returns: pd.DataFrame, days: pd.DatetimeIndex) -> pd.Series:
    """The `week`'s order amounts minus returns dated in the week, by the order's rep."""
    booked = week.groupby("rep_id")["amount"].sum()
    back = _in_week(returns, "return_date", days)
    returned = orders[orders["order_id"].isin(back["order_id"])]  # few orders: index only these
    rep_of_line = returned.set_index(["order_id", "line"])["rep_id"]
    back_rep = rep_of_line.reindex(pd.MultiIndex.from_frame(back[["order_id", "line"]])).to_numpy()
    refunded = back["amount"].groupby(back_rep).sum()
    return booked.sub(refunded, fill_value=0.0)


def _abnormal_customers(orders: pd.DataFrame, monday: pd.Timestamp, names: pd.Series) -> pd.Series:
    """Per rep, "C0012 Acme -100%; C0040 Bolt -62%": regular buyers whose recent weekly sales fell by more than half.

    Largest weekly loss first; at most `LISTED` customers, then "+N more".
    """
    window_start = monday - pd.Timedelta(weeks=RECENT_WEEKS + BASE_WEEKS - 1)
    recent_start = monday - pd.Timedelta(weeks=RECENT_WEEKS - 1)
    window = _in_week(orders, "order_date", pd.date_range(window_start, monday + pd.Timedelta(days=6)))
    recent = window["order_date"] >= recent_start
    per_buyer = (
        pd.DataFrame(
            {
                "rep_id": window["rep_id"],
                "customer_id": window["customer_id"],
                "now": window["amount"].where(recent, 0.0),
                "before": window["amount"].where(~recent, 0.0),
                "week": ((window["order_date"] - window_start).dt.days // 7).where(~recent),  # window_start is a Monday
            }
        )
        .groupby(["rep_id", "customer_id"])
        .agg(now=("now", "sum"), before=("before", "sum"), weeks=("week", "nunique"))
    )
    now, before = per_buyer["now"] / RECENT_WEEKS, per_buyer["before"] / BASE_WEEKS
    change = now / before - 1
    fallen = pd.DataFrame({"change": change, "lost": before - now})[
        (per_buyer["weeks"] >= MIN_BASE_WEEKS) & (change < -DROP)
    ]
    fallen = fallen.sort_values("lost", ascending=False).reset_index()
    named = fallen["customer_id"].map(names).fillna(fallen["customer_id"]).astype(object)  # text, even when empty
    fallen["label"] = named + " " + (fallen["change"] * 100).round().astype(int).astype(str) + "%"
    fallen["rank"] = fallen.groupby("rep_id").cumcount()
    shown = fallen[fallen["rank"] < LISTED].groupby("rep_id")["label"].agg("; ".join)
    hidden = fallen[fallen["rank"] >= LISTED].groupby("rep_id").size()
    return shown.add(_more(hidden).reindex(shown.index, fill_value=""))


def _more(hidden: pd.Series) -> pd.Series:
    """ "; +3 more" per rep, for the labels not listed."""
    text = tr("; +{count} more")
    return hidden.map(lambda n: text.format(count=n)).astype(object)


def _overdue_customers(inputs: dict[str, pd.DataFrame], sunday: pd.Timestamp, owed=None) -> pd.Series:
    """Per owner rep, "overdue: Acme Ltd (C0012) 1,234.50, 95 days; ...": customers with an overdue amount."""
    if owed is None:
        orders, settings = _table(inputs, "orders"), inputs.get("settings")
        day = min(sunday, figures_as_of(settings, orders["order_date"]))
        terms = read_settings(settings)["payment_terms_days"]
        owed = receivables(orders, inputs.get("returns"), inputs.get("payments"), inputs.get("customers"), day, terms)
    late = owed[owed["overdue"] > 0].sort_values("overdue", ascending=False, kind="stable")
    name = late["name"].where(late["name"].notna(), late["customer_id"]).astype(str)
    label = (name + " (" + late["customer_id"].astype(str) + ") " + late["overdue"].map("{:,.2f}".format) + ", "
             + late["oldest_days"].map("{:.0f}".format) + tr(" days"))  # fmt: skip
    return _first_few(
        pd.DataFrame({"rep_id": late["owner_rep"], "label": label}).dropna(subset=["rep_id"]), tr("overdue: ")
    )


def _first_few(rows: pd.DataFrame, prefix: str = "") -> pd.Series:
    """Per rep, the first `LISTED` labels of `rows` (rep_id, label) joined by "; ", then "+N more"."""
    rank = rows.groupby("rep_id").cumcount()
    shown = rows[rank < LISTED].groupby("rep_id")["label"].agg("; ".join)
    hidden = rows[rank >= LISTED].groupby("rep_id").size()
    return prefix + shown.add(_more(hidden).reindex(shown.index, fill_value=""))


def _listed(abnormal: pd.Series, overdue: pd.Series, ids: pd.Index) -> pd.Series:
    """The abnormal and the overdue customers of each rep in `ids`, one text."""
    first, then = abnormal.reindex(ids, fill_value=""), overdue.reindex(ids, fill_value="")
    return first + np.where(first.ne("") & then.ne(""), "; ", "") + then


def _team_row(report: pd.DataFrame, activities: pd.DataFrame) -> pd.DataFrame:
    visits = len(activities)
    money = ["target", "sales", "collections", "next_week_target"]
    row = {col: round_cents(report[col].mean()) for col in money}
    row.update(
        week=report["week"].iloc[0] if len(report) else "",
        rep_id=TEAM_ID,
        name=tr(TEAM_NAME),
        attainment=report["sales"].where(report["target"].notna()).sum() / report["target"].sum(min_count=1),
        new_customers=pd.NA,
        effective_visit_rate=activities["outcome"].isin(EFFECTIVE_OUTCOMES).sum() / visits if visits else np.nan,
        closing_rate=activities["outcome"].isin(CLOSING_OUTCOMES).sum() / visits if visits else np.nan,
        abnormal_customers="",
        next_week_customers="",
        **{c: report[c].sum() for c in COUNTS},
    )
    return pd.DataFrame([row]).astype({c: "Int64" for c in ["new_customers", *COUNTS]})


ESCALATION_COLUMNS = ["kind", "date", "rep_id", "customer", "what", "severity", "days_open"]


def escalations(inputs: dict[str, pd.DataFrame], week: str, escalation_days: int = 3) -> pd.DataFrame:
    """The week's escalation list: competitor moves reported in the week, then old open complaints.

    Args:
        inputs: the input tables; uses market_reports, complaints and customers (missing ones count as empty).
        week: the ISO week, e.g. "2024-W12".
        escalation_days: a complaint open (or in progress) at the end of the week (Sunday) and raised
            more than this many days before that Sunday is listed.

    Returns:
        A frame with `ESCALATION_COLUMNS`: kind ("Competitor move" or "Open complaint"), the
        date, the rep, the area or customer ("C0012 Acme Ltd"), what happened, the impact or
        severity, and the days a complaint has been open (blank for a move).
    """
    days = pd.date_range(week_start(week), periods=7)
    sunday = days[-1]
    moves = _in_week(_table(inputs, "market_reports"), "report_date", days).sort_values(["report_date", "rep_id"])
    move_rows = pd.DataFrame({
        "kind": tr("Competitor move"), "date": moves["report_date"], "rep_id": moves["rep_id"],
        "customer": moves["area"],
        "what": moves["competitor"].astype(str) + ": " + moves["move"].astype(str)
        + moves["details"].map(lambda d: "" if pd.isna(d) or d == "" else f" ({d})")
        + moves["response"].map(lambda r: "" if pd.isna(r) or r == "" else tr("; suggested: {response}").format(response=r)),
        "severity": moves["impact"], "days_open": pd.array([pd.NA] * len(moves), dtype="Int64"),
    })  # fmt: skip
    complaints = _table(inputs, "complaints")
    raised = pd.to_datetime(complaints["complaint_date"])
    age = (sunday - raised).dt.days
    late = complaints[complaints["status"].isin(OPEN_COMPLAINTS) & (raised <= sunday) & (age > escalation_days)]
    late = late.assign(age=age[late.index]).sort_values(["complaint_date", "rep_id", "customer_id"])
    customers = inputs.get("customers")
    names = pd.Series(dtype=object) if customers is None else customers.drop_duplicates("customer_id").set_index(
        "customer_id")["name"]  # fmt: skip
    name = late["customer_id"].map(names)
    complaint_rows = pd.DataFrame({
        "kind": tr("Open complaint"), "date": late["complaint_date"], "rep_id": late["rep_id"],
        "customer": late["customer_id"].astype(str) + name.map(lambda n: "" if pd.isna(n) else f" {n}"),
        "what": late["complaint"].astype(str) + " (" + late["status"].astype(str).map(tr) + ")",
        "severity": late["severity"], "days_open": late["age"].astype("Int64"),
    })  # fmt: skip
    parts = [f for f in (move_rows, complaint_rows) if len(f)] or [move_rows]
    return pd.concat(parts, ignore_index=True)[ESCALATION_COLUMNS]
