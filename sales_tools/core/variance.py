"""Target variance (ERPNext's Target Variance report): target, actual and variance for
every level a Targets row is for, by month, quarter, half and year.

Conventions:

* A Targets row is for a combination of dimensions: rep, region, category and dealer,
  each blank meaning all.  Its *level* names the dimensions given, in that order
  (``team`` for none, ``rep``, ``region+category``, ...); its *key* their values joined
  by ``/`` (``Team`` for the team).
* The actual of a key is the credited sales of the order lines that match it: each
  line's amount times its rep's share (splits), minus returns in the month of the
  return.  A line's region is its credited rep's region (Reps sheet); its dealer is
  its customer when the customer is a dealer (Customers sheet).
* Variance = actual - target (ERPNext's sign: below target is negative); attainment =
  actual / target, blank when the target is 0 or missing.
* A quarter, half or year adds up its months.  Every key of a level is listed for
  every year that level has a target in, keys with sales but no target included
  (target blank).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sales_tools.core.frames import as_text, month_start
from sales_tools.core.money import round_cents
from sales_tools.core.targets import DIMENSIONS, MEASURED, REVENUE, describe_target, measure_of, monthly_targets
from sales_tools.schema.language import tr

_LEVEL_NAMES = {"rep_id": "rep", "region": "region", "category": "category", "dealer": "dealer"}
PERIOD_TYPES = ("month", "quarter", "half", "year")
COLUMNS = ["level", "key", "period_type", "period", "target", "actual", "variance", "attainment", "measure"]
_OTHER_ACTUALS = ("margin", "quantity")  # the actuals of `credited_sales` besides revenue's


def level_of(dims: tuple[str, ...]) -> str:
    """The level of a target for `dims`.

    >>> level_of(()), level_of(("rep_id", "category"))
    ('team', 'rep+category')
    """
    return "+".join(_LEVEL_NAMES[d] for d in dims) or "team"


def credited_sales(
    orders: pd.DataFrame,
    returns: pd.DataFrame,
    splits: pd.DataFrame,
    reps: pd.DataFrame,
    customers: pd.DataFrame,
) -> pd.DataFrame:
    """Credited sales with every dimension: rep_id, region, category, dealer, period (month),
    actual, margin and quantity (`MEASURED`).

    One row per order line and credited rep (and per return of it, negative, in the
    month of the return: the returned part of the line's amount, margin and units).
    margin is blank where the line has no unit_cost or quantity, quantity where it has no
    quantity.  Splits' shares are assumed checked (the commission engine does).
    """
    lines = orders.reindex(columns=["order_id", "line", "order_date", "rep_id", "customer_id", "category", "amount",
                                    "quantity", "unit_cost"])  # fmt: skip
    amount = pd.to_numeric(lines["amount"], errors="coerce").astype(float)
    quantity = pd.to_numeric(lines["quantity"], errors="coerce").astype(float)
    cost = pd.to_numeric(lines["unit_cost"], errors="coerce")
    lines = lines.assign(amount=amount, quantity=quantity, margin=amount - quantity * cost).drop(columns="unit_cost")
    # a return of part of a line takes back that part of its amount, its margin and its units
    back = returns.merge(lines.drop(columns="order_date").rename(columns={"amount": "sold"}), on=["order_id", "line"])
    part = -back["amount"] / back["sold"].where(back["sold"] != 0)
    back = back.assign(date=back["return_date"], amount=-back["amount"], margin=back["margin"] * part,
                       quantity=back["quantity"] * part)[[*lines.columns.drop("order_date"), "date"]]  # fmt: skip
    parts = [lines.rename(columns={"order_date": "date"}), back]
    events = pd.concat([p for p in parts if len(p)] or parts[:1], ignore_index=True)
    if len(splits):
        shares = splits[["order_id", "rep_id", "share"]].rename(columns={"rep_id": "split_rep"})
        events = events.merge(shares, on="order_id", how="left")
        split = events["split_rep"].notna()
        events["rep_id"] = events["rep_id"].where(~split, events["split_rep"])
        for column in ("amount", *_OTHER_ACTUALS):
            events[column] = events[column] * events["share"].where(split, 1.0)
    region = reps.drop_duplicates("rep_id").set_index("rep_id")["region"]
    dealers = customers.loc[_is_dealer(customers), "customer_id"]
    return pd.DataFrame({
        "rep_id": as_text(events["rep_id"]),
        "region": as_text(events["rep_id"].map(region)),
        "category": as_text(events["category"]),
        "dealer": as_text(events["customer_id"].where(events["customer_id"].isin(dealers))),
        "period": month_start(pd.to_datetime(events["date"])),
        "actual": events["amount"].astype(float),
        **{column: events[column].astype(float) for column in _OTHER_ACTUALS},
    })  # fmt: skip


def target_inputs(tables: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(monthly targets, credited sales) of the master's input tables: what `target_variance` takes."""
    seasonality = tables["seasonality"]
    monthly = monthly_targets(tables["targets"], seasonality if len(seasonality) else None)
    sales = credited_sales(tables["orders"], tables["returns"], tables["splits"], tables["reps"], tables["customers"])
    return monthly, sales


def target_variance(monthly: pd.DataFrame, sales: pd.DataFrame) -> pd.DataFrame:
    """The Target variance table.

    Args:
        monthly: monthly targets (`targets.monthly_targets`): the DIMENSIONS, period,
            target and measure (blank or no column = revenue).
        sales: `credited_sales`.

    Returns:
        The COLUMNS, by measure (`MEASURED`'s order: revenue first), level (in order of
        first appearance), key, period type and period.  Targets of a measure not in
        `MEASURED` (collections) are left out.
    """
    measure = measure_of(monthly)
    parts = []
    for name, column in MEASURED.items():
        mine = monthly[measure.eq(name)]
        actual = sales.assign(actual=sales[column] if column in sales else np.nan)
        parts += [_level(mine, actual, dims).assign(measure=name) for dims in _levels(mine)]
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)
    return out[COLUMNS]


def _levels(monthly: pd.DataFrame) -> list[tuple[str, ...]]:
    given = monthly[list(DIMENSIONS)].notna().drop_duplicates()
    return [tuple(d for d in DIMENSIONS if row[d]) for _, row in given.iterrows()]


def _level(monthly: pd.DataFrame, sales: pd.DataFrame, dims: tuple[str, ...]) -> pd.DataFrame:
    """One level's months, then their quarters, halves and years."""
    mine = (monthly[list(DIMENSIONS)].notna() == [d in dims for d in DIMENSIONS]).all(axis=1)
    targets = monthly[mine].groupby([*dims, "period"], dropna=False)["target"].sum()
    years = targets.index.get_level_values("period").year.unique()
    sold = sales[sales["period"].dt.year.isin(years)].dropna(subset=list(dims))
    actual = sold.groupby([*dims, "period"])["actual"].sum()
    months = pd.concat([targets.rename("target"), actual.rename("actual")], axis=1)
    months = _every_month(months, dims).reset_index()
    months["actual"] = round_cents(months["actual"].fillna(0.0))
    keys = _joined(months, dims)
    months = months.assign(level=level_of(dims), key=keys)
    rows = [_rolled(months, kind) for kind in PERIOD_TYPES]
    out = pd.concat(rows, ignore_index=True)
    out["variance"] = round_cents(out["actual"] - out["target"])
    out["attainment"] = out["actual"] / out["target"].where(out["target"] > 0)
    return out.sort_values(["key", "period_type", "start"], key=_period_order, kind="stable").drop(columns="start")


def _joined(frame: pd.DataFrame, dims: tuple[str, ...]):
    """The key of each row: its values of `dims` joined by "/" ("Team" for no dimension)."""
    if not dims:
        return "Team"
    keys = frame[dims[0]].astype(str)
    for dim in dims[1:]:
        keys = keys + "/" + frame[dim].astype(str)
    return keys


def _every_month(months: pd.DataFrame, dims: tuple[str, ...]) -> pd.DataFrame:
    """Every key of the level for every month of its targets' years (no sale = 0, no target = blank)."""
    periods = months.index.get_level_values("period")
    grid = pd.date_range(f"{periods.year.min()}-01-01", f"{periods.year.max()}-12-01", freq="MS")
    if not dims:
        return months.droplevel(list(range(months.index.nlevels - 1))).reindex(grid).rename_axis("period")
    keys = months.index.droplevel("period").unique()
    full = pd.MultiIndex.from_tuples(
        [(*(k if isinstance(k, tuple) else (k,)), p) for k in keys for p in grid], names=[*dims, "period"]
    )
    return months.reindex(full)


def _rolled(months: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The months added up by `kind` of period: target blank when no month of it has one."""
    p = months["period"]
    label = {
        "month": p.dt.strftime("%Y-%m"),
        "quarter": p.dt.year.astype(str) + "-Q" + p.dt.quarter.astype(str),
        "half": p.dt.year.astype(str) + "-H" + np.where(p.dt.month <= 6, "1", "2"),
        "year": p.dt.year.astype(str),
    }[kind]
    grouped = months.assign(period=label, start=p).groupby(["level", "key", "period"], sort=False)
    out = grouped.agg(
        target=("target", "sum"), targets=("target", "count"), actual=("actual", "sum"), start=("start", "min")
    ).reset_index()
    out["target"] = round_cents(out["target"].where(out.pop("targets") > 0))
    out["actual"] = round_cents(out["actual"])  # sums of cents: no float noise that depends on their order
    return out.assign(period_type=kind)


def _period_order(column: pd.Series) -> pd.Series:
    if column.name == "period_type":
        return column.map({k: i for i, k in enumerate(PERIOD_TYPES)})
    return column


def _is_dealer(customers: pd.DataFrame) -> pd.Series:
    if "channel" not in customers:
        return pd.Series(False, index=customers.index)
    return customers["channel"].astype("string").str.strip().str.casefold().eq("dealer").fillna(False)


def unmatched_targets(targets: pd.DataFrame, sales: pd.DataFrame, known: dict[str, set]) -> pd.DataFrame:
    """The Targets rows no order can count toward, with the reason: row (the index), column, value, reason.

    Args:
        targets: the Targets table.
        sales: `credited_sales` (a category with no order line at all is reported).
        known: the values each dimension can take: rep_id (Reps), region (the reps'
            regions), category (Categories), dealer (customers marked Dealer).
    """
    what = {
        "rep_id": "the target for {target}: {dim} {value} is not on the {reps} sheet, so no order counts toward it",
        "region": "the target for {target}: {dim} {value} is no rep's region on the {reps} sheet, so no order counts "
        "toward it",
        "category": "the target for {target}: {dim} {value} is not on the {categories} sheet, so no order counts toward it",
        "dealer": "the target for {target}: {dim} {value} is not a customer marked {dealer} on the {customers} sheet, so "
        "no order counts toward it",
    }  # fmt: skip
    parts = []
    rows = targets.reindex(columns=["year", *DIMENSIONS])
    for dim, reason in what.items():
        value = as_text(rows[dim])
        unknown = value.notna() & ~value.isin(known.get(dim, set()))
        if dim == "category":
            unsold = value.notna() & ~unknown & ~value.isin(set(sales["category"].dropna()))
            unsold_reason = "the target for {target}: {dim} {value} has no order line, so no order counts toward it"
            parts.append(_unmatched(rows[unsold], dim, unsold_reason))
        parts.append(_unmatched(rows[unknown], dim, reason))
    return pd.concat(parts, ignore_index=True)


def unmeasured_targets(targets: pd.DataFrame, sales: pd.DataFrame) -> pd.DataFrame:
    """The margin and quantity Targets rows some of whose credited lines that year have no
    margin (no unit_cost or quantity) or no quantity: row (the index), column, value, reason.

    Args:
        targets: the Targets table.
        sales: `credited_sales`.
    """
    rows = targets.reindex(columns=["year", *DIMENSIONS, "measure"]).assign(measure=measure_of(targets))
    year = pd.to_numeric(rows["year"], errors="coerce")
    parts = [pd.DataFrame(columns=["row", "column", "value", "reason"])]
    for measure, text in (
        ("margin", "the margin target for {target}: {count} of its {of} credited order lines and returns in {year} have "
                   "no unit_cost or quantity on the {sheet} sheet, so they count nothing toward it"),
        ("quantity", "the quantity target for {target}: {count} of its {of} credited order lines and returns in {year} "
                     "have no quantity on the {sheet} sheet, so they count nothing toward it"),
    ):  # fmt: skip
        mine = rows[rows["measure"].eq(measure) & year.notna()]
        given = mine[list(DIMENSIONS)].notna()
        for dims in dict.fromkeys(tuple(d for d in DIMENSIONS if row[d]) for _, row in given.iterrows()):
            group = mine[(given == [d in dims for d in DIMENSIONS]).all(axis=1)]
            keys = [*dims, "year"]
            stats = (
                sales.assign(year=sales["period"].dt.year, blank=sales[measure].isna())
                .groupby(keys)["blank"].agg(["sum", "size"])
            )  # fmt: skip
            found = group[list(dims)].apply(as_text).assign(year=year[group.index].astype(int)).join(stats, on=keys)
            short = found[found["sum"] > 0]
            parts.append(pd.DataFrame({
                "row": short.index, "column": "measure", "value": measure,
                "reason": [tr(text).format(target=describe_target(rows.loc[i]), count=int(n), of=int(m),
                                           year=int(rows.at[i, "year"]), sheet=tr("Orders"))
                           for i, n, m in zip(short.index, short["sum"], short["size"])],
            }))  # fmt: skip
    return pd.concat(parts, ignore_index=True)


def _unmatched(rows: pd.DataFrame, dim: str, reason: str) -> pd.DataFrame:
    described = [describe_target(r) for _, r in rows.iterrows()]
    return pd.DataFrame({
        "row": rows.index, "column": dim, "value": rows[dim].astype(object).to_numpy(),
        "reason": [tr(reason).format(target=d, dim=tr(dim.replace("_id", "")), value=str(v), reps=tr("Reps"),
                                     categories=tr("Categories"), customers=tr("Customers"), dealer=tr("Dealer"))
                   for d, v in zip(described, rows[dim])],
    })  # fmt: skip


BREAKDOWN_COLUMNS = ["year", "level", "key", "target", "below", "below_target", "difference", "measure"]


def target_breakdown(targets: pd.DataFrame, reps: pd.DataFrame) -> pd.DataFrame:
    """Each level's annual target against the sum of the nearest level below it, measure by
    measure (revenue targets add up with revenue targets only).

    A rep counts in their region (Reps sheet) even when their target row names none,
    so reps add up to their region, regions to the team.  `difference` = the sum below
    - the target: above 0 when the level below is stretched.

    Args:
        targets: the Targets table (year, DIMENSIONS, annual_target, measure).
        reps: the Reps table (rep_id, region).

    Returns:
        The BREAKDOWN_COLUMNS, one row per target and level below that has targets of its
        measure in its year.
    """
    measure = measure_of(targets)
    parts = [_breakdown(targets[measure.eq(m)], reps).assign(measure=m) for m in dict.fromkeys(measure)]
    found = [p for p in parts if len(p)]
    return pd.concat(found, ignore_index=True)[BREAKDOWN_COLUMNS] if found else pd.DataFrame(columns=BREAKDOWN_COLUMNS)


def _breakdown(targets: pd.DataFrame, reps: pd.DataFrame) -> pd.DataFrame:
    """`target_breakdown` of targets of one measure."""
    rows = targets.reindex(columns=["year", *DIMENSIONS, "annual_target"])
    given = rows[list(DIMENSIONS)].notna()
    region = reps.drop_duplicates("rep_id").set_index("rep_id")["region"]
    implied = np.where(rows["region"].notna(), rows["region"], rows["rep_id"].map(region))
    effective = rows.assign(region=pd.Series(implied, index=rows.index, dtype=object))
    dims = [tuple(d for d in DIMENSIONS if row[d]) for _, row in given.iterrows()]
    reach = [tuple(d for d in DIMENSIONS if d in ds or (d == "region" and "rep_id" in ds)) for ds in dims]
    levels = dict(zip(dims, reach))
    parts = []
    for parent in dict.fromkeys(dims):
        for child in _nearest_below(parent, levels):
            is_parent = pd.Series([d == parent for d in dims], index=rows.index)
            is_child = pd.Series([d == child for d in dims], index=rows.index)
            below = effective[is_child].groupby(["year", *parent])["annual_target"].sum().rename("below_target")
            top = rows[is_parent].set_index(["year", *parent])["annual_target"].rename("target")
            pair = pd.concat([top, below], axis=1, join="inner").reset_index()
            keys = _joined(pair, parent)
            parts.append(pair.assign(level=level_of(parent), key=keys, below=level_of(child)))
    if not parts:
        return pd.DataFrame(columns=BREAKDOWN_COLUMNS[:-1])
    out = pd.concat(parts, ignore_index=True)
    out["difference"] = round_cents(out["below_target"] - out["target"])
    return out[BREAKDOWN_COLUMNS[:-1]]


def _nearest_below(parent: tuple[str, ...], levels: dict[tuple, tuple]) -> list[tuple[str, ...]]:
    """The levels whose rows add up into `parent`: those reaching beyond it with none in between.
    Dealers are some customers, not a breakdown of all sales: they add up only into a dealer level."""
    below = [
        c for c, reach in levels.items()
        if c != parent and set(parent) < set(reach) and ("dealer" in parent or "dealer" not in c)
    ]  # fmt: skip
    return [
        c for c in below if not any(set(parent) < set(levels[q]) < set(levels[c]) for q in below if q != c)
    ]  # fmt: skip


def variance_layout(
    table: pd.DataFrame, level: str, period_type: str, year: int, measure: str = REVENUE
) -> pd.DataFrame:
    """ERPNext's Target Variance layout: one row per key and, when there are several, a
    last row "Total" of the keys with a target in each period (a key without one is
    listed, its sales left out of the Total); per period of `year` its target, actual
    and variance, then the year's ("Total").

    Args:
        table: `target_variance`.
        level: a level of `table` ("region", "rep+category", ...).
        period_type: one of PERIOD_TYPES.
        year: the calendar year shown.
        measure: the targets' measure shown (revenue, margin or quantity).

    Returns:
        Index ``key``; columns (period, "target" | "actual" | "variance").
    """
    rows = table[(table["level"] == level) & table["period"].str.startswith(str(year))]
    rows = rows[measure_of(rows).eq(measure)]
    kinds = [period_type, "year"] if period_type != "year" else ["year"]
    shown = rows[rows["period_type"].isin(kinds)]
    shown = shown.assign(period=shown["period"].where(shown["period_type"] != "year", "Total"))
    periods = list(dict.fromkeys(shown["period"]))
    wide = shown.set_index(["key", "period"])[["target", "actual"]].unstack("period")
    if len(wide) > 1:  # the keys with a target in the period: like against like
        with_target = wide["target"].notna()
        total = pd.concat([wide["target"].sum(min_count=1), wide["actual"].where(with_target).sum(min_count=1)],
                          keys=["target", "actual"])  # fmt: skip
        wide.loc["Total"] = round_cents(total)
    columns = {}
    for period in periods:
        target, actual = wide[("target", period)], wide[("actual", period)]
        columns[(period, "target")], columns[(period, "actual")] = target, actual
        columns[(period, "variance")] = round_cents(actual - target)
    return pd.DataFrame(columns, index=wide.index.rename("key"))


def team_figures(variance: pd.DataFrame, year: int) -> tuple[float, float, str] | None:
    """The team's revenue (actual, target, what the target is) for `year`: against the team's own
    Targets row when there is one, else against the sum of the reps' targets (and the
    sales of those reps); None when neither has a target that year.

    >>> table = pd.DataFrame({"level": ["rep", "rep"], "period_type": "year", "period": "2024",
    ...                       "target": [100.0, None], "actual": [90.0, 5.0]})
    >>> team_figures(table, 2024)
    (90.0, 100.0, "the sum of the reps' targets (no team target for 2024)")
    """
    rows = variance[(variance["period_type"] == "year") & (variance["period"] == str(year))]
    rows = rows[measure_of(rows).eq(REVENUE)]  # the team's sales
    for level, what in (
        ("team", tr("the team's target")),
        ("rep", tr("the sum of the reps' targets (no team target for {year})").format(year=year)),
    ):
        mine = rows[(rows["level"] == level) & rows["target"].notna()]
        if len(mine):
            return float(round_cents(mine["actual"].sum())), float(round_cents(mine["target"].sum())), what
    return None
