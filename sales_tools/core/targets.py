"""Targets (销售目标) and their breakdown by month (目标分解).

Conventions:

* The Seasonality sheet gives one weight per calendar month; the weights must add up
  to 100% (within 1e-9).  An empty sheet means equal weights of 1/12; a month left
  out of a non-empty sheet weighs 0.
* A monthly target is the annual target times its month's weight, in cents, and the
  12 months add up *exactly* to the annual target: every month gets its share rounded
  down to the cent, and the cents left over go one each to the months with the largest
  remainders (earliest month first on ties).  So 100.00 with equal weights is
  8.34 for January to April and 8.33 for May to December.
* Targets by category or region go through the same functions: the rep_id, region
  and category columns are carried through unchanged.
* A target's ``measure`` is what it is a target of: revenue (blank), margin (amount -
  quantity x unit_cost), quantity (units sold) or collections; `measure_of` reads it.
  The same year, rep, region, category and dealer can have one target per measure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sales_tools.core.frames import require_columns
from sales_tools.core.money import round_cents
from sales_tools.errors import InputError, TargetError
from sales_tools.schema import TABLES
from sales_tools.schema.choices import MEASURES
from sales_tools.schema.language import tr

MONTHS = np.arange(1, 13)
DIMENSIONS = ("rep_id", "region", "category", "dealer")  # what a target is for; blank = all
REVENUE = "revenue"  # the measure of a Targets row whose measure is blank
# The measures compared with an actual, and the actuals' column of each (`variance.credited_sales`,
# `CommissionResult.credited`); targets of another measure (collections) are compared nowhere yet.
MEASURED = {REVENUE: "actual", "margin": "margin", "quantity": "quantity"}
_WEIGHT_TOLERANCE = 1e-9


def monthly_weights(seasonality: pd.DataFrame | None = None) -> np.ndarray:
    """The 12 monthly weights of the annual target, January first.

    Args:
        seasonality: The Seasonality table (month 1-12, weight as a fraction); None
            or empty for equal weights.

    Raises:
        TargetError: a month outside 1-12 or given twice, a missing or negative
            weight, or weights that do not add up to 100%.

    >>> monthly_weights(pd.DataFrame({"month": [1, 2], "weight": [0.25, 0.75]}))[:3].tolist()
    [0.25, 0.75, 0.0]
    """
    if seasonality is None or seasonality.empty:
        return np.full(12, 1 / 12)
    require_columns(seasonality, ["month", "weight"], "Seasonality")
    months = pd.to_numeric(seasonality["month"], errors="coerce")
    weights = pd.to_numeric(seasonality["weight"], errors="coerce")
    bad = seasonality["month"][~months.isin(MONTHS) | months.duplicated()]
    if len(bad):
        raise TargetError(
            tr("{sheet}: month {month} is not a month 1-12 given once").format(
                sheet=tr("Seasonality"), month=bad.iloc[0]
            )
        )
    negative = weights.isna() | (weights < 0)
    if negative.any():
        month, weight = int(months[negative].iloc[0]), weights[negative].iloc[0]
        raise TargetError(
            tr("{sheet}: the weight of month {month} is {weight}; it must be 0% or more").format(
                sheet=tr("Seasonality"), month=month, weight=_pct(weight)
            )
        )
    total = float(weights.sum())
    if abs(total - 1.0) > _WEIGHT_TOLERANCE:
        raise TargetError(
            tr("the {sheet} weights add up to {total}, not 100%").format(sheet=tr("Seasonality"), total=f"{total:.6%}")
        )
    return pd.Series(weights.to_numpy(float), index=months.astype(int)).reindex(MONTHS, fill_value=0.0).to_numpy()


def measure_of(targets: pd.DataFrame) -> pd.Series:
    """Each Targets row's measure, lower case; blank (or no measure column) = revenue.

    >>> measure_of(pd.DataFrame({"measure": [None, " Margin", "quantity"]})).tolist()
    ['revenue', 'margin', 'quantity']
    """
    given = targets["measure"] if "measure" in targets else pd.Series(None, index=targets.index, dtype=object)
    text = given.astype("string").str.strip().str.lower()
    return text.where(text.notna() & text.ne(""), REVENUE).astype(object)


def is_rep_total(targets: pd.DataFrame) -> pd.Series:
    """The Targets rows that are a rep's whole target: a rep and no other dimension.

    >>> is_rep_total(pd.DataFrame({"rep_id": ["R1", "R1", None], "category": [None, "X", None]})).tolist()
    [True, False, False]
    """
    dims = targets.reindex(columns=list(DIMENSIONS))
    return dims["rep_id"].notna() & dims.drop(columns="rep_id").isna().all(axis=1)


def monthly_targets(targets: pd.DataFrame, seasonality: pd.DataFrame | None = None) -> pd.DataFrame:
    """Break annual targets down into one target per month.

    Args:
        targets: The Targets table (year, annual_target and the DIMENSIONS; a missing one is blank).
        seasonality: The Seasonality table, or None for equal months.

    Returns:
        A new frame with 12 rows per target, in target order then month order:
        rep_id, region, category, dealer (as given), measure (`measure_of`), period
        (the 1st of the month) and target (cents; the 12 months sum exactly to the
        annual target).

    Raises:
        SchemaError: a column is missing.
        TargetError: a missing year, a missing or negative annual target, an unknown
            measure, the same target given twice, or bad Seasonality weights.
    """
    require_columns(targets, ["year", "annual_target"], "Targets")
    targets = targets.reindex(columns=TABLES["targets"].names)  # a dimension left out is blank
    targets = targets.assign(measure=measure_of(targets))
    _check_targets(targets)
    cents = np.rint(round_cents(targets["annual_target"].to_numpy(float)) * 100).astype("int64")
    monthly = _split_cents(cents, monthly_weights(seasonality))
    years = targets["year"].to_numpy(int).repeat(12)
    months = np.tile(MONTHS, len(targets))
    out = targets[[*DIMENSIONS, "measure"]].iloc[np.arange(len(targets)).repeat(12)].reset_index(drop=True)
    out["period"] = pd.to_datetime(pd.DataFrame({"year": years, "month": months, "day": 1}))
    out["target"] = monthly.ravel() / 100
    return out


def growth_targets(
    last_year_actuals: pd.DataFrame, team_growth: float = 0.10, individual_growth: float = 0.15
) -> pd.DataFrame:
    """Next year's targets as growth over last year's actuals (the seeds: team +10%, each rep +15%).

    Args:
        last_year_actuals: year, rep_id and actual, one row per rep (or per rep and
            region/category, or measure, when those columns are given: they are
            carried; one team row per measure).
        team_growth: growth of the team target over the team's total actual.
        individual_growth: growth of each rep's target over the rep's actual.

    Returns:
        Rows for the Targets table (year = the actuals' year + 1), in cents: one per
        input row with annual_target = actual x (1 + individual_growth), then one
        team row per year (rep_id, region and category blank) with the team's total
        actual x (1 + team_growth).  Individual targets deliberately add up to more
        than the team target: the stretch is the reps', the commitment the team's.

    Raises:
        SchemaError: a column is missing.
        InputError: a growth of -100% or less, or a missing or negative actual.

    >>> actuals = pd.DataFrame({"year": [2024, 2024], "rep_id": ["R1", "R2"], "actual": [100000.0, 50000.0]})
    >>> growth_targets(actuals)[["year", "rep_id", "annual_target"]].values.tolist()
    [[2025, 'R1', 115000.0], [2025, 'R2', 57500.0], [2025, nan, 165000.0]]
    """
    require_columns(last_year_actuals, ["year", "rep_id", "actual"], "last year's actuals")
    _check_growth(team_growth=team_growth, individual_growth=individual_growth)
    actual = pd.to_numeric(last_year_actuals["actual"], errors="coerce")
    bad = last_year_actuals["rep_id"][actual.isna() | (actual < 0)]
    if len(bad):
        raise InputError(tr("last year's actual for rep {rep} is missing or negative").format(rep=bad.iloc[0]))
    reps = last_year_actuals.reindex(columns=["year", *DIMENSIONS, "measure"]).assign(
        annual_target=actual * (1 + individual_growth)
    )
    measure = measure_of(last_year_actuals).rename("measure")
    team = actual.groupby([last_year_actuals["year"], measure], sort=False).sum() * (1 + team_growth)
    team = team.rename("annual_target").reset_index().reindex(columns=reps.columns)
    team["measure"] = team["measure"].where(team["measure"] != REVENUE)  # revenue stays blank, as typed
    out = pd.concat([reps, team], ignore_index=True)
    out["year"] = out["year"].astype(int) + 1
    out["annual_target"] = round_cents(out["annual_target"])
    return out.reindex(columns=TABLES["targets"].names)


def next_year_targets(
    sales: pd.DataFrame, year: int, team_growth: float = 0.10, individual_growth: float = 0.15
) -> pd.DataFrame:
    """Targets rows for `year` as growth over the year before (the seeds' team +10%, each rep +15%).

    Args:
        sales: credited sales with the DIMENSIONS, period and actual (`variance.credited_sales`).
        year: the year the targets are for; the actuals are those of `year` - 1.
        team_growth: the growth of the team's, each region's and each category's target.
        individual_growth: the growth of each rep's target.

    Returns:
        Rows for the Targets table, in cents: the team, then each region, category and
        rep that sold something in the year before, by key.

    Raises:
        InputError: a growth of -100% or less, or no sales in the year before.
    """
    _check_growth(team_growth=team_growth, individual_growth=individual_growth)
    last = sales[pd.to_datetime(sales["period"]).dt.year == year - 1]
    if not (last["actual"].sum() > 0):
        raise InputError(
            tr("there are no sales in {last} to grow {year}'s targets from").format(last=year - 1, year=year)
        )
    parts = []
    for dims in ((), ("region",), ("category",), ("rep_id",)):
        actual = last.groupby(list(dims))["actual"].sum().reset_index() if dims else last[["actual"]].sum().to_frame().T
        growth = individual_growth if "rep_id" in dims else team_growth
        sold = actual[actual["actual"] > 0]
        parts.append(sold.assign(annual_target=sold["actual"] * (1 + growth)))
    out = pd.concat(parts, ignore_index=True).assign(year=year)
    out["annual_target"] = round_cents(out["annual_target"])
    return out.reindex(columns=TABLES["targets"].names)


def _check_growth(**growths: float) -> None:
    for name, growth in growths.items():
        if not np.isfinite(growth) or growth <= -1:
            raise InputError(
                tr("{name} must be a growth rate above -100% (0.10 = +10%), not {growth!r}").format(
                    name=name, growth=growth
                )
            )


def _check_targets(targets: pd.DataFrame) -> None:
    """Each target has a year and an annual target of 0 or more, and is given once."""
    year = pd.to_numeric(targets["year"], errors="coerce")
    annual = pd.to_numeric(targets["annual_target"], errors="coerce")
    problems = (
        (~targets["measure"].isin(MEASURES), "{sheet} row {row} ({target}) has an unknown measure; use {measures} (blank = revenue)"),
        (year.isna(), "{sheet} row {row} ({target}) has no year"),
        (annual.isna(), "{sheet} row {row} ({target}) has no annual target"),
        (annual < 0, "{sheet} row {row} ({target}) has a negative annual target"),
        (
            targets.duplicated(TABLES["targets"].key, keep="first"),
            "{sheet} row {row} ({target}) is given twice for the same year, rep, region, category, dealer and measure",
        ),
    )  # fmt: skip
    for mask, reason in problems:
        if mask.any():
            row = int(np.flatnonzero(mask.to_numpy())[0])
            raise TargetError(
                tr(reason).format(sheet=tr("Targets"), row=row + 1, target=describe_target(targets.iloc[row]),
                                  measures=", ".join(MEASURES))
            )  # fmt: skip


def describe_target(row: pd.Series) -> str:
    """'year 2024, rep R1, category Tools' for the non-blank dimensions of a target row (and
    its measure, but revenue's)."""
    given = [name for name in ("year", *DIMENSIONS) if pd.notna(row.get(name))]
    parts = [f"{tr(name.replace('_id', ''))} {row[name]}" for name in given]
    if "year" in given:
        parts[0] = tr("year {year}").format(year=row["year"])
    measure = row.get("measure")
    if pd.notna(measure) and str(measure).strip() and str(measure).strip().lower() != REVENUE:
        parts.append(f"{tr('measure')} {tr(str(measure).strip())}")
    return tr(", ").join(parts) or tr("blank")


def _split_cents(cents: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Split each whole number of cents over 12 weights, summing exactly (largest remainder)."""
    exact = cents[:, None] * weights[None, :]
    floor = np.floor(exact)
    left = cents - floor.sum(axis=1).astype("int64")  # 0..12 cents still to hand out
    order = np.argsort(floor - exact, axis=1, kind="stable")  # largest remainder first, earliest on ties
    rank = np.argsort(order, axis=1, kind="stable")
    return floor.astype("int64") + (rank < left[:, None])


def _pct(x: float) -> str:
    return "missing" if pd.isna(x) else f"{x:.2%}"
