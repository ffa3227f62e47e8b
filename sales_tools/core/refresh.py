"""The month-end refresh: every computed table from the input tables, in one pure call.

The shells (the CLI, the macros, `sales_tools.master`) read the input tables, call
`refresh`, and write what it returns; nothing here touches a file.
"""

from __future__ import annotations

import pandas as pd

from sales_tools.core.attainment import measure_attainment
from sales_tools.core.close import freeze
from sales_tools.core.commissions import LEFT_OUT, OtherTables, compute_commissions
from sales_tools.core.dedupe import with_proposals
from sales_tools.core.field import key_account_column
from sales_tools.core.kpis import activity_kpis, with_timeliness
from sales_tools.core.leaderboard import leaderboard
from sales_tools.core.pareto import abc_class
from sales_tools.core.plans import parse_plans
from sales_tools.core.receivables import (
    collection_rate_of,
    collections_targets,
    ledger,
    other_collections_targets,
    receivable_exceptions,
    receivables_of,
)
from sales_tools.core.rep_names import with_rep_names
from sales_tools.core.rfm import rfm_table
from sales_tools.core.segments import segment
from sales_tools.core.settings import figures_as_of, read_settings, tier_scale
from sales_tools.core.targets import REVENUE, describe_target, is_rep_total
from sales_tools.core.tiers import tier_label
from sales_tools.core.timeliness import report_status, timeliness_kpis
from sales_tools.core.variance import (
    target_breakdown,
    target_inputs,
    target_variance,
    unmatched_targets,
    unmeasured_targets,
)
from sales_tools.core.weekly import TEAM_ID, iso_week, weekly_report
from sales_tools.errors import InputError
from sales_tools.schema import TABLES
from sales_tools.schema.language import code_of, every, tr

COMPUTED = (
    "commission_lines",
    "commission_summary",
    "attainment",
    "target_variance",
    "target_breakdown",
    "customer_tiers",
    "kpis",
    "receivables",
    "collection_rate",
    "leaderboard",
    "weekly_report",
    "exceptions",
    "customer_merges",
)
REFRESH_FILE = "(refresh)"  # the Exceptions rows the refresh writes carry this as their file
FUTURE = "order_date"  # the column of the Exceptions rows for orders dated after today
NO_WEEK_TARGET = "week_target"  # ... for reps without a target in the weekly report
NO_MONTH_TARGET = "month_target"  # ... for rep-months with sales and no target (pay not affected)
TARGET_ROW = "targets"  # ... for Targets rows no order can count toward
UNMEASURED = "measure"  # ... for margin or quantity Targets rows with lines lacking a unit cost or quantity
RECEIVABLE = "receivables"  # ... for payments and returns the receivables count otherwise than entered
# Every code the Column cell of the refresh's rows holds (shown as its label: `shown_columns`)
CODES = (*LEFT_OUT, FUTURE, NO_WEEK_TARGET, NO_MONTH_TARGET, TARGET_ROW, UNMEASURED, RECEIVABLE)
# said, but not a problem with the figures
NOTES = (NO_WEEK_TARGET, NO_MONTH_TARGET, TARGET_ROW, UNMEASURED, RECEIVABLE)
# What the refresh's Exceptions rows that pay nothing less are about, by their column.
NOTICED = {
    FUTURE: "Dated after today: {n} order line(s).",
    NO_WEEK_TARGET: "No target in the weekly report's week: {n} rep(s).",
    NO_MONTH_TARGET: "Sales without a target (attainment blank): {n} rep-month(s).",
    TARGET_ROW: "Targets no order can count toward: {n} row(s).",
    UNMEASURED: "Margin or quantity targets with order lines lacking a unit cost or quantity: {n} row(s).",
    RECEIVABLE: "Receivables: {n} payment(s) or return(s) counted otherwise than entered.",
}


def refresh(inputs: dict[str, pd.DataFrame], as_of=None, today=None) -> dict[str, pd.DataFrame]:
    """Compute every computed table of the master workbook.

    Args:
        inputs: the input tables by schema name (missing ones count as empty), and
            optionally the current Exceptions table: its rows from imports are kept,
            those of an earlier refresh are replaced; and the current Customer merges
            table: its rows are kept, new duplicates proposed after them.
        as_of: the date of the figures; default the Settings ``as_of``, else the
            latest order date not after today (`core.settings.figures_as_of`).  It sets
            the month that is paced, the RFM recency and the weekly report's week.
        today: the day the refresh runs (default: the clock's).  Orders dated after it
            cannot be right: each is listed on Exceptions (`future_orders`), and none
            becomes the figures date.  They still count in their own month, as dated.

    Returns:
        A dict with the tables in `COMPUTED`, each with its schema columns.
    """
    tables = {t.name: inputs.get(t.name, pd.DataFrame(columns=t.names)) for t in TABLES.values() if not t.computed}
    conf = read_settings(tables["settings"])
    orders, reps = tables["orders"], tables["reps"]
    _check_one_row_per_rep(reps)
    today = pd.Timestamp.today().normalize() if today is None else pd.Timestamp(today).normalize()
    as_of = figures_as_of(tables["settings"], orders["order_date"], as_of, today)
    monthly, sales = target_inputs(tables)
    targets = rep_targets(monthly)
    result = compute_commissions(
        orders,
        parse_plans(tables["plan"]),
        reps.set_index("rep_id")["plan"],
        OtherTables(tables["returns"], tables["payments"], tables["splits"], targets, reps),
        as_of=as_of,
    )
    lines, summary = freeze(result.lines, result.summary, tables["payouts"], tables["paid_lines"])  # closed months
    summary = with_rep_names(summary, reps)  # today's names, closed months too
    attainment = measure_attainment(result.credited, targets, as_of=as_of, reps=reps)
    revenue = attainment[attainment["measure"] == REVENUE]  # what the leaderboard and the notes read
    money = (orders, tables["returns"], tables["payments"])
    book = ledger(*money, as_of)  # read by the Receivables and Collection rate sheets
    owed = receivables_of(book, tables["customers"], conf["payment_terms_days"])
    status = report_status(tables["visit_plans"], tables["activities"], reps, conf, as_of)
    kpis = with_rep_names(with_timeliness(
        activity_kpis(tables["activities"], orders, tables["payments"], tables["customers"],
                      satisfaction_target=conf["satisfaction_target"], attendance=tables["attendance"]),
        timeliness_kpis(status),
    ), reps)  # fmt: skip
    weekly = weekly_report(tables, iso_week(as_of), as_of, owed)
    found = (result.exceptions, no_month_target(revenue, result.exceptions), future_orders(orders, today, as_of),
             no_week_target(weekly), targets_unmatched(tables, sales), receivable_notes(*money, as_of),
             collections_unmatched(tables["targets"]))  # fmt: skip
    return {
        "commission_lines": lines,
        "commission_summary": summary,
        "attainment": attainment,
        "target_variance": target_variance(monthly, sales),
        "target_breakdown": target_breakdown(tables["targets"], reps),
        "customer_tiers": customer_tiers(orders, tables["customers"], as_of, conf),
        "kpis": kpis,
        "receivables": owed,
        "collection_rate": with_rep_names(
            collection_rate_of(
                book, tables["customers"], collections_targets(tables["targets"], tables["seasonality"]), team=True
            ),
            reps,
            {TEAM_ID: tr("Team")},  # the whole team's rows
        ),
        "leaderboard": leaderboard(revenue, summary, reps, as_of.year, kpis),
        "weekly_report": weekly,
        "exceptions": refreshed_exceptions(inputs.get("exceptions"), _rows_of(*found)),
        "customer_merges": with_proposals(tables["customers"], inputs.get("customer_merges")),
    }


def _check_one_row_per_rep(reps: pd.DataFrame) -> None:
    """A rep on two Reps rows would be paid and reported twice: refused, naming the rows."""
    twice = reps["rep_id"].notna() & reps["rep_id"].duplicated(keep=False)
    if twice.any():
        rep = reps.loc[twice, "rep_id"].iloc[0]
        where = ""
        if reps.index.name == "row":  # Excel row numbers (a table read from a workbook)
            where = tr(" (rows {rows})").format(rows=", ".join(map(str, reps.index[reps["rep_id"] == rep])))
        raise InputError(
            tr("{sheet}: rep {rep} is on more than one row{where}; keep one row per rep").format(
                sheet=TABLES["reps"].sheet, rep=rep, where=where
            )
        )


def _rows_of(*frames: pd.DataFrame) -> pd.DataFrame:
    """Exceptions rows of several frames, one after the other (the first frame when all are
    empty), typed alike: pandas 2 warns when a column all blank in one has another dtype."""
    names = TABLES["exceptions"].names
    typed = [f.reindex(columns=names).astype({c: "Int64" if c == "row" else object for c in names}) for f in frames]
    return pd.concat([f for f in typed if len(f)] or typed[:1], ignore_index=True)


def future_orders(orders: pd.DataFrame, today, as_of) -> pd.DataFrame:
    """Exceptions rows for the order lines dated after `today`, naming each order.

    >>> orders = pd.DataFrame({"order_id": ["A", "B"], "line": [1, 1],
    ...                        "order_date": pd.to_datetime(["2024-03-05", "2031-05-01"])})
    >>> future_orders(orders, pd.Timestamp("2024-06-30"), pd.Timestamp("2024-03-05"))["reason"].tolist()
    ['order B line 1 is dated 2031-05-01, after today (2024-06-30); the figures are as of 2024-03-05: is the date mistyped?']
    """
    dated = pd.to_datetime(orders["order_date"])
    late = orders[dated > today]
    dates = dated[late.index].dt.strftime("%Y-%m-%d")
    text = tr("order {order} line {line} is dated {date}, after today ({today}); the figures are as of {as_of}: is "
              "the date mistyped?")  # fmt: skip
    return pd.DataFrame(
        {
            "file": REFRESH_FILE,
            "sheet": TABLES["orders"].sheet,
            "row": pd.array(late.index if orders.index.name == "row" else [None] * len(late), dtype="Int64"),
            "column": FUTURE,
            "value": dates.to_numpy(),
            "reason": [text.format(order=o, line=n, date=d, today=f"{today:%Y-%m-%d}", as_of=f"{as_of:%Y-%m-%d}")
                       for o, n, d in zip(late["order_id"].astype(str), late["line"].astype(str), dates)],
        },
        columns=TABLES["exceptions"].names,
    )  # fmt: skip


def refreshed_exceptions(previous: pd.DataFrame | None, found: pd.DataFrame) -> pd.DataFrame:
    """The import rows of `previous` (a refresh's rows, in either language, are replaced), then
    what this refresh `found`: file "(refresh)" and its column codes shown in the current language."""
    kept = [] if previous is None else [previous[~_is_refresh(previous)]]
    found = found.assign(file=tr(REFRESH_FILE), column=shown_columns(found["column"]))
    parts = [part.astype({"row": "Int64"}) for part in (*kept, found)]
    return pd.concat([p for p in parts if len(p)] or parts[-1:], ignore_index=True).reindex(
        columns=TABLES["exceptions"].names
    )


def left_out(exceptions: pd.DataFrame) -> pd.DataFrame:
    """The rows of a refreshed Exceptions table that the refresh wrote (what it could not pay),
    their Column cells as codes whatever the language they are shown in."""
    rows = exceptions[_is_refresh(exceptions)]
    return rows.assign(column=column_codes(rows["column"]))


def _is_refresh(exceptions: pd.DataFrame) -> pd.Series:
    return exceptions["file"].isin(every(REFRESH_FILE))


def shown_columns(codes: pd.Series) -> pd.Series:
    """The refresh's Column codes as a person reads them: the code in English (as always), its label otherwise."""
    return codes.map(lambda c: tr(c) if isinstance(c, str) else c)


def column_codes(shown: pd.Series) -> pd.Series:
    """`shown_columns` read back: a Column cell in any language -> its code (anything else as it is)."""
    codes = code_of(CODES)
    return shown.map(lambda c: codes.get(c.casefold(), c) if isinstance(c, str) else c)


def needs_attention(exceptions: pd.DataFrame) -> bool:
    """Whether the refresh left pay out or found an order dated after today (exit 1, a red
    message box); its notes (`NOTES`: targets missing or unmatched) are said without that."""
    rows = left_out(exceptions)
    return bool((~rows["column"].isin(NOTES)).any())


def left_out_message(exceptions: pd.DataFrame, shown: int = 5) -> str | None:
    """What a refresh left unpaid or found dated after today, for the screen (counts, then
    the first reasons); None when nothing.

    >>> rows = pd.DataFrame({"file": REFRESH_FILE, "column": ["target", "target", FUTURE],
    ...                      "reason": ["rep R01 has no target for 2024-01", "rep R02 has no target for 2024-01", "..."]})
    >>> print(left_out_message(rows, shown=1))
    Not paid: 2 rep-month(s) without a usable target.
    Dated after today: 1 order line(s).
    - rep R01 has no target for 2024-01
    - and 2 more on the Exceptions sheet
    """
    rows = left_out(exceptions)
    if rows.empty:
        return None
    noticed = rows["column"].isin(NOTICED)
    counts = rows.loc[~noticed, "column"].value_counts(sort=False)
    other = tr("exception(s) on {column}")
    kinds = tr(", ").join(
        f"{n} {tr(LEFT_OUT[c]) if c in LEFT_OUT else other.format(column=c)}" for c, n in counts.items()
    )
    lines = [tr("Not paid: {kinds}.").format(kinds=kinds)] if kinds else []
    notes = rows.loc[noticed, "column"].value_counts(sort=False)
    lines += [tr(NOTICED[column]).format(n=n) for column, n in notes.items()]
    lines += list("- " + rows["reason"].head(shown))
    if len(rows) > shown:
        more = tr("- and {count} more on the {sheet} sheet")
        lines.append(more.format(count=len(rows) - shown, sheet=TABLES["exceptions"].sheet))
    return "\n".join(lines)


def rep_targets(monthly: pd.DataFrame) -> pd.DataFrame:
    """Each rep's total monthly target (rep_id, period, target, measure) among `targets.monthly_targets`."""
    return monthly.loc[is_rep_total(monthly), ["rep_id", "period", "target", "measure"]].reset_index(drop=True)


def no_month_target(attainment: pd.DataFrame, unpaid: pd.DataFrame) -> pd.DataFrame:
    """Exceptions rows for the rep-months with sales and no target, but those the commission
    engine already lists as unpaid for want of one (`unpaid`: its Exceptions rows).

    >>> att = pd.DataFrame({"rep_id": ["R1", "R2"], "period": pd.to_datetime(["2024-03-01"] * 2),
    ...                     "target": [None, None], "actual": [1234.5, 10.0]})
    >>> unpaid = pd.DataFrame({"column": ["target"], "value": ["R2 2024-03"]})
    >>> no_month_target(att, unpaid)["reason"].tolist()
    ['rep R1 sold 1,234.50 in 2024-03 and has no target for the month on the Targets sheet: its attainment is blank']
    """
    missing = attainment[attainment["target"].isna()]
    value = missing["rep_id"].astype(str) + " " + missing["period"].dt.strftime("%Y-%m")
    missing = missing[~value.isin(unpaid.loc[unpaid["column"] == "target", "value"])]
    month = missing["period"].dt.strftime("%Y-%m")
    return _refresh_rows(
        TABLES["targets"].sheet, NO_MONTH_TARGET, missing["rep_id"].astype(str) + " " + month,
        pd.Series([tr("rep {rep} sold {amount} in {month} and has no target for the month on the {sheet} sheet: its "
                      "attainment is blank").format(rep=r, amount=f"{a:,.2f}", month=m, sheet=TABLES["targets"].sheet)
                   for r, a, m in zip(missing["rep_id"].astype(str), missing["actual"], month)], dtype=object),
    )  # fmt: skip


def no_week_target(weekly: pd.DataFrame) -> pd.DataFrame:
    """Exceptions rows for the reps whose weekly report has no target, saying why.

    >>> week = pd.DataFrame({"week": "2025-W01", "rep_id": ["R1", TEAM_ID], "target": [None, None]})
    >>> no_week_target(week)["reason"].tolist()
    ['rep R1 has no target for week 2025-W01: a month of the week has no target for the rep on the Targets sheet']
    """
    missing = weekly[weekly["rep_id"].ne(TEAM_ID) & weekly["target"].isna()]
    return _refresh_rows(
        TABLES["weekly_report"].sheet, NO_WEEK_TARGET, missing["week"],
        pd.Series([tr("rep {rep} has no target for week {week}: a month of the week has no target for the rep on the "
                      "{sheet} sheet").format(rep=r, week=w, sheet=TABLES["targets"].sheet)
                   for r, w in zip(missing["rep_id"].astype(str), missing["week"].astype(str))], dtype=object),
    )  # fmt: skip


def targets_unmatched(tables: dict[str, pd.DataFrame], sales: pd.DataFrame) -> pd.DataFrame:
    """Exceptions rows for the Targets rows no order can count toward (`variance.unmatched_targets`),
    then the margin and quantity ones with lines lacking a unit cost or quantity (`variance.unmeasured_targets`)."""
    customers = tables["customers"]
    dealers = customers.loc[customers["channel"].astype("string").str.casefold().eq("dealer").fillna(False)]
    known = {
        "rep_id": set(tables["reps"]["rep_id"].dropna().astype(str)),
        "region": set(tables["reps"]["region"].dropna().astype(str)),
        "category": set(tables["categories"]["category"].dropna().astype(str)),
        "dealer": set(dealers["customer_id"].dropna().astype(str)),
    }
    found = unmatched_targets(tables["targets"], sales, known)
    unmeasured = unmeasured_targets(tables["targets"], sales)
    sheet = TABLES["targets"].sheet
    rows = _rows_of(_refresh_rows(sheet, TARGET_ROW, found["value"], found["reason"]),
                    _refresh_rows(sheet, UNMEASURED, unmeasured["value"], unmeasured["reason"]))  # fmt: skip
    if tables["targets"].index.name == "row":
        rows["row"] = pd.array([*found["row"], *unmeasured["row"]], dtype="Int64")
    return rows


def receivable_notes(orders: pd.DataFrame, returns: pd.DataFrame, payments: pd.DataFrame, as_of) -> pd.DataFrame:
    """Exceptions rows (column `RECEIVABLE`) for what the receivables count otherwise than a row says
    (`receivables.receivable_exceptions`): they pay nothing less."""
    return receivable_exceptions(orders, returns, payments, as_of).assign(column=RECEIVABLE)


def collections_unmatched(targets: pd.DataFrame) -> pd.DataFrame:
    """Exceptions rows for the collections targets of a region, category or dealer: no collection rate counts them."""
    other = other_collections_targets(targets)
    what = pd.Series([describe_target(row) for _, row in other.iterrows()], index=other.index, dtype=object)
    text = tr("the collections target of {target} counts toward no collection rate: it is for reps and the team")
    reasons = pd.Series([text.format(target=w) for w in what], index=other.index, dtype=object)
    rows = _refresh_rows(TABLES["targets"].sheet, TARGET_ROW, what, reasons)
    if targets.index.name == "row":
        rows["row"] = pd.array(other.index, dtype="Int64")
    return rows


def _refresh_rows(sheet: str, column: str, values: pd.Series, reasons: pd.Series) -> pd.DataFrame:
    return pd.DataFrame(
        {"file": REFRESH_FILE, "sheet": sheet, "row": pd.array([None] * len(values), dtype="Int64"),
         "column": column, "value": values.astype(str).to_numpy(), "reason": reasons.to_numpy()},
        columns=TABLES["exceptions"].names,
    )  # fmt: skip


def customer_tiers(orders: pd.DataFrame, customers: pd.DataFrame, as_of, conf: dict) -> pd.DataFrame:
    """RFM scores, lifecycle segment, ABC class and spend tier, one row per customer."""
    bins = int(conf["rfm_bins"])
    rfm = rfm_table(orders[orders["order_date"] <= as_of], as_of, bins)
    tiers = segment(rfm, customers, new_days=conf["new_days"], dormant_days=conf["dormant_days"], bins=bins)
    tiers["abc"] = abc_class(tiers["monetary"].to_numpy(float), tiers["customer_id"], conf["abc_a"], conf["abc_b"])
    floors, labels = tier_scale(conf)
    tiers["tier"] = tier_label(tiers["monetary"].to_numpy(float), floors, labels)
    names = customers.drop_duplicates("customer_id").set_index("customer_id")["name"]
    tiers["name"] = tiers["customer_id"].map(names)
    tiers["key_account"] = key_account_column(tiers, customers)
    return tiers[TABLES["customer_tiers"].names]
