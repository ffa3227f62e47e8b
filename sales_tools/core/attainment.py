"""Target attainment (actual against target), year to date, and pacing to the period's end.

Conventions:

* Attainment = actual / target.  A scalar (or array) call with a target of zero,
  below zero or missing raises TargetError; in `attainment_table` a rep-month with no
  target (or a zero one) gets a blank (NaN) attainment and variance, never 0 or infinity.
* Variance = actual - target (below target is negative), as on the Target variance sheet.
* Year to date = cumulative actual / cumulative target within the plan year (the
  calendar year unless `year_start_month` says otherwise).
* Pacing: the run-rate forecast is actual so far / days elapsed x days in the period.
  With `as_of`, the month containing it is forecast from its first `as_of.day` days
  (as_of counts as elapsed), finished months forecast their actual, and months after
  as_of are left out of the table; without `as_of` every month is finished.
* Money columns are rounded to cents; ratios are computed from the rounded amounts,
  as the workbook's own formulas compute them.
* Measures (`measure_attainment`): revenue rows always, then one set of rows per other
  measure of `MEASURED` the Targets sheet has targets of: margin (amount - quantity x
  unit_cost) and quantity (units), for the reps and years with such a target.
  collections targets are not compared here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sales_tools.core.frames import finite_numbers, first_missing, month_start, require_columns
from sales_tools.core.money import round_cents
from sales_tools.core.targets import MEASURED, REVENUE, measure_of
from sales_tools.errors import InputError, TargetError
from sales_tools.schema import TABLES
from sales_tools.schema.language import tr

KEY = ["rep_id", "period"]


def attainment(actual, target):
    """Actual / target for a number or aligned arrays.

    Raises:
        TargetError: a target is zero, negative or missing (naming its position).

    >>> attainment(325000, 250000)
    1.3
    >>> attainment([50, 120], [100, 100]).tolist()
    [0.5, 1.2]
    """
    act, tgt = finite_numbers(actual, "actual"), finite_numbers(target, "target")
    _check_targets(tgt, "target")
    ratio = act / tgt
    return float(ratio) if ratio.ndim == 0 else ratio


def cumulative_attainment(actuals, quotas) -> np.ndarray:
    """Year-to-date attainment of aligned per-period actuals and quotas: cumsum(actual) / cumsum(quota).

    Raises:
        InputError: the sequences differ in length or an actual is missing.
        TargetError: a quota is missing or negative, or a cumulative quota is 0 (naming the position).

    >>> cumulative_attainment([100, 50, 150], [100, 100, 100]).tolist()
    [1.0, 0.75, 1.0]
    """
    act, quo = np.ravel(finite_numbers(actuals, "actuals")), np.ravel(finite_numbers(quotas, "quotas"))
    if len(act) != len(quo):
        raise InputError(
            tr("actuals and quotas must have the same length ({actuals} actuals, {quotas} quotas)").format(
                actuals=len(act), quotas=len(quo)
            )
        )
    if (where := first_missing(act)) is not None:
        raise InputError(tr("the actual at position {position} is missing").format(position=where))
    if (where := first_missing(quo)) is not None or (quo < 0).any():
        where = where or int(np.flatnonzero(quo < 0)[0]) + 1
        raise TargetError(tr("the quota at position {position} is missing or negative").format(position=where))
    _check_targets(np.cumsum(quo), "cumulative quota")
    return np.cumsum(act) / np.cumsum(quo)


def run_rate_forecast(actual_to_date, days_elapsed, days_in_period):
    """Pacing: the period's actual if selling goes on at the rate so far.

    Raises:
        InputError: days elapsed not between 1 and the days in the period.

    >>> run_rate_forecast(1000.0, 10, 30)
    3000.0
    """
    act = finite_numbers(actual_to_date, "actual to date")
    elapsed, days = finite_numbers(days_elapsed, "days elapsed"), finite_numbers(days_in_period, "days in period")
    if np.any(~(elapsed >= 1)) or np.any(~(elapsed <= days)):
        raise InputError(tr("days elapsed must be at least 1 and at most the days in the period"))
    forecast = act / elapsed * days
    return float(forecast) if forecast.ndim == 0 else forecast


def attainment_table(
    actuals: pd.DataFrame,
    targets: pd.DataFrame,
    as_of=None,
    reps: pd.DataFrame | None = None,
    year_start_month: int = 1,
) -> pd.DataFrame:
    """Each rep's target, actual, attainment, year to date and forecast, month by month.

    Args:
        actuals: rep_id, period (any date in the month) and actual; several rows of a
            rep-month are added up.
        targets: rep_id, period and target, at most one row per rep-month (e.g. the
            rep rows of `targets.monthly_targets`).
        as_of: the date of the figures; None when every month is finished.
        reps: the Reps table, for the name and region columns (blank without it).
        year_start_month: the first month of the plan year (1 = January).

    Returns:
        A new frame with the schema's ``attainment`` columns, one row per rep-month
        that has a target or an actual (up to as_of's month), by rep then month.

    Raises:
        SchemaError: a column is missing.
        TargetError: a rep-month has two targets.
        InputError: a bad year_start_month.
    """
    require_columns(actuals, ["rep_id", "period", "actual"], "actuals")
    require_columns(targets, ["rep_id", "period", "target"], "targets")
    if year_start_month not in range(1, 13):
        raise InputError(tr("year_start_month must be a month 1-12, not {month!r}").format(month=year_start_month))
    table = _merge(actuals, targets)
    if as_of is not None:
        as_of = pd.Timestamp(as_of).normalize()
        table = table[table["period"] <= as_of.replace(day=1)].reset_index(drop=True)
    target = table["target"].where(table["target"] > 0)
    table["attainment"] = table["actual"] / target
    table["variance"] = round_cents(table["actual"] - target)
    plan_year = table["period"].dt.year - (table["period"].dt.month < year_start_month)
    running = table[["target", "actual"]].fillna(0.0).groupby([table["rep_id"], plan_year]).cumsum()
    table["ytd_target"], table["ytd_actual"] = round_cents(running["target"]), round_cents(running["actual"])
    table["ytd_attainment"] = table["ytd_actual"] / table["ytd_target"].where(table["ytd_target"] > 0)
    table["forecast"] = round_cents(_forecast(table, as_of))
    table["forecast_attainment"] = table["forecast"] / target
    return _with_names(table, reps).assign(measure=REVENUE)[TABLES["attainment"].names]


def measure_attainment(
    actuals: pd.DataFrame,
    targets: pd.DataFrame,
    as_of=None,
    reps: pd.DataFrame | None = None,
    year_start_month: int = 1,
) -> pd.DataFrame:
    """The Attainment table: `attainment_table` per measure, with its ``measure`` column.

    Args:
        actuals: rep_id, period and one column per measure (`MEASURED`: actual, margin,
            quantity); a missing column counts as no actual.
        targets: rep_id, period, target and measure (blank or no column = revenue).
        as_of, reps, year_start_month: as for `attainment_table`.

    Returns:
        The revenue rows (every rep-month with a target or a sale, as `attainment_table`),
        then, for each other measure with targets, the months of the years a rep has a
        target of it.
    """
    measure = measure_of(targets)
    parts = []
    for name, column in MEASURED.items():
        mine = targets[measure.eq(name)]
        if name != REVENUE and mine.empty:
            continue
        actual = actuals.reindex(columns=[*KEY, column]).rename(columns={column: "actual"}).fillna({"actual": 0.0})
        table = attainment_table(actual, mine, as_of, reps, year_start_month)
        if name != REVENUE:  # only the reps and years with a target of the measure
            years = set(zip(mine["rep_id"], month_start(mine["period"]).dt.year))
            table = table[[key in years for key in zip(table["rep_id"], table["period"].dt.year)]]
        parts.append(table.assign(measure=name))
    return pd.concat(parts, ignore_index=True)[TABLES["attainment"].names]


def _merge(actuals: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Actual (0 when none) and target (NaN when none) per rep-month, sorted."""
    act = actuals.assign(period=month_start(actuals["period"])).groupby(KEY)["actual"].sum()
    tgt = targets[targets["target"].notna()].assign(period=month_start(targets["period"]))
    twice = tgt[tgt.duplicated(KEY)]
    if len(twice):
        rep, period = twice.iloc[0][KEY]
        raise TargetError(tr("rep {rep} has more than one target for {month}").format(rep=rep, month=f"{period:%Y-%m}"))
    table = pd.concat([act, tgt.set_index(KEY)["target"]], axis=1).sort_index().reset_index()
    table["actual"] = round_cents(table["actual"].fillna(0.0))
    table["target"] = round_cents(table["target"])
    return table


def _forecast(table: pd.DataFrame, as_of: pd.Timestamp | None) -> pd.Series:
    """Run-rate forecast in as_of's month, the actual in finished months."""
    if as_of is None:
        return table["actual"]
    current = table["period"] == as_of.replace(day=1)
    pace = run_rate_forecast(table["actual"].to_numpy(), as_of.day, as_of.days_in_month)
    return table["actual"].where(~current, pace)


def _with_names(table: pd.DataFrame, reps: pd.DataFrame | None) -> pd.DataFrame:
    if reps is None:
        return table.assign(name=np.nan, region=np.nan)
    require_columns(reps, ["rep_id", "name", "region"], "Reps")
    return table.merge(reps[["rep_id", "name", "region"]].drop_duplicates("rep_id"), on="rep_id", how="left")


def _check_targets(targets: np.ndarray, what: str) -> None:
    bad = np.flatnonzero(~(np.ravel(targets) > 0))
    if len(bad):
        where = tr(" at position {position}").format(position=bad[0] + 1) if np.ndim(targets) else ""
        raise TargetError(
            tr("the {what}{where} is zero, negative or missing; attainment needs a target above 0").format(
                what=tr(what), where=where
            )
        )
