"""The master workbook's jobs, the same on a file (`excel.master_file.MasterFile`) and on an
open book (`open_book.OpenBook`): read its input tables, compute, write the result back.

A file is held against other writers from the first read to the write (its `writing`
lock); an open book needs none: Excel keeps other writers off the file.
"""

from __future__ import annotations

import contextlib
import getpass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from sales_tools.core.close import close_months, month_of, reopen_month
from sales_tools.core.dedupe import CUSTOMER_REF, apply_merges, pending
from sales_tools.core.frames import as_text
from sales_tools.core.refresh import refresh
from sales_tools.core.settings import default_date, figures_as_of, read_settings
from sales_tools.core.signoff import DATES as SIGNED
from sales_tools.core.signoff import approve_week
from sales_tools.core.targets import measure_of, next_year_targets
from sales_tools.core.variance import target_inputs, target_variance, variance_layout
from sales_tools.core.weekly import iso_week, weekly_report
from sales_tools.errors import InputError
from sales_tools.schema import TABLES
from sales_tools.schema.language import every, tr
from sales_tools.tables import TableBook, TableSource, read_close_sheet, read_inputs

if TYPE_CHECKING:
    from sales_tools.excel.master_file import MasterFile


def refresh_master(master: TableBook, as_of=None) -> dict[str, pd.DataFrame]:
    """Recompute every computed table of `master` and write them back.

    Args:
        master: the master workbook.
        as_of: the date of the figures; default the Settings ``as_of`` row, else the
            latest order date (`core.settings.figures_as_of`).

    Returns:
        The computed tables written (schema name -> frame), as `core.refresh.refresh` returns them.
    """
    with _writing(master, "refresh"):
        computed = refresh(read_inputs(master), as_of=as_of)
        master.write(computed)
    return computed


def store_weekly_report(master: TableBook, week=None) -> pd.DataFrame:
    """Compute the weekly report and write it to the Weekly report sheet of `master`.

    Args:
        master: the master workbook.
        week: an ISO week ("2024-W51") or any date in it; default the week of
            `core.settings.default_date` (the Settings ``as_of`` row, else today).

    Returns:
        The report written.
    """
    with _writing(master, "weekly report"):
        inputs = read_inputs(master)
        week = default_date(inputs["settings"]) if week is None else week
        as_of = default_date(inputs["settings"])  # reports due by then are counted
        report = weekly_report(inputs, week if isinstance(week, str) else iso_week(week), as_of)
        master.write({"weekly_report": report})
    return report


def approve(master: TableBook, rep_id: str, week: str, by=None, comment=None, on=None) -> dict[str, tuple[int, int]]:
    """Approve every Visit plans and Activities row of `rep_id` dated in ISO `week` (`core.signoff.approve_week`).

    Args:
        master: the master workbook; the two sheets are written back whole, rows in place.
        by: the supervisor; default the rep's manager (Reps sheet).
        on: the day approved; default today.  comment: the Supervisor comment (None keeps each row's).

    Returns:
        Per table, (rows stamped, of which already approved).

    Raises:
        InputError: the rep is not on the Reps sheet, nobody approves, or no row is in the week.
    """
    with _writing(master, "approve"):
        reps = master.read("reps")
        rep = reps[reps["rep_id"].astype("string").eq(rep_id).fillna(False).to_numpy(dtype=bool)]
        if rep.empty:
            raise InputError(
                tr("rep {rep!r} is not on the {sheet} sheet").format(rep=rep_id, sheet=TABLES["reps"].sheet)
            )
        by = by if by is not None and str(by).strip() else rep["manager"].iloc[0]
        by = None if pd.isna(by) else by
        on = pd.Timestamp.today().normalize() if on is None else on
        stamped, counts = approve_week({n: master.read(n) for n in SIGNED}, rep_id, week, by, on, comment)
        replace = getattr(master, "replace", None)  # a file: rewrite the two input sheets; an open book: write them
        (replace(stamped, "approve") if replace else master.write(stamped))
    return counts


def grow_targets(master: MasterFile, year: int, team_growth: float, individual_growth: float) -> pd.DataFrame:
    """Add `year`'s Targets rows as growth over the year before (`core.targets.next_year_targets`).

    A row whose year, rep, region, category, dealer and measure (blank = revenue) are
    already on the Targets sheet is not added (the sheet's row stands).

    Returns:
        The rows proposed, with ``added`` True for those written.
    """
    with master.writing("grow targets"):
        inputs = read_inputs(master)
        rows = next_year_targets(target_inputs(inputs)[1], year, team_growth, individual_growth)
        key = list(TABLES["targets"].key)
        given = _keys(inputs["targets"].reindex(columns=key).assign(measure=measure_of(inputs["targets"])))
        added = ~_keys(rows[key].assign(measure=measure_of(rows))).isin(given)  # blank = revenue
        if added.any():
            master.append("targets", rows[added], "grow targets")
    return rows.assign(added=added)


def close_master(master: TableBook, period, through: bool = False, now=None, by: str | None = None):
    """Close `period` on `master` (`core.close.close_months`): its Payouts, Paid lines and Close log
    rows are written in one save, then every computed table is refreshed with the month frozen.

    Args:
        master: the master workbook.
        period: the month ("2024-11").
        through: close every open month with pay before it too, in order.
        now: when (default: the clock's); by: who (default: the user's login name).

    Returns:
        (the `core.close.Closing`: the rows added and what to warn about; the input tables
        as closed; the computed tables written).
    """
    now = pd.Timestamp.now().floor("s") if now is None else pd.Timestamp(now)
    with _writing(master, "close"):
        inputs = read_inputs(master)
        as_of = figures_as_of(inputs["settings"], inputs["orders"]["order_date"])
        closing = close_months(
            refresh(inputs), inputs["payouts"], month_of(period), now, by or user_name(), as_of, through
        )
        inputs |= {name: _after(inputs[name], getattr(closing, name)) for name in ("payouts", "paid_lines")}
        log = _after(read_close_sheet(master, "close_log"), closing.log)
        _rewrite(master, {"payouts": inputs["payouts"], "paid_lines": inputs["paid_lines"], "close_log": log}, "close")
        computed = refresh(inputs)
        master.write(computed)
    return closing, inputs, computed


def reopen_master(master: TableBook, period, reason: str, now=None, by: str | None = None) -> pd.DataFrame:
    """Reopen `period`, the latest closed month of `master` (`core.close.reopen_month`): its Payouts
    rows and Paid lines go, the Close log says who reopened it and why, and the master is refreshed.

    Returns:
        The Close log row written.
    """
    now = pd.Timestamp.now().floor("s") if now is None else pd.Timestamp(now)
    with _writing(master, "reopen"):
        inputs = read_inputs(master)
        gone, lines_gone, row = reopen_month(
            inputs["payouts"], inputs["paid_lines"], month_of(period), reason, now, by or user_name()
        )
        inputs["payouts"], inputs["paid_lines"] = inputs["payouts"][~gone], inputs["paid_lines"][~lines_gone]
        log = _after(read_close_sheet(master, "close_log"), row)
        _rewrite(master, {"payouts": inputs["payouts"], "paid_lines": inputs["paid_lines"], "close_log": log}, "reopen")
        master.write(refresh(inputs))
    return row


def frozen_statements(inputs, computed, months, folder) -> tuple[list[Path], list[Path]]:
    """Write the statements of the closed `months` to ``<folder>/<month>``, once: a folder that
    already holds statements of its month is kept as it is.

    Returns:
        (the files written, the folders kept).
    """
    from sales_tools.statements import statements_from_tables

    written, kept = [], []
    for month in months:
        out = Path(folder) / f"{month:%Y-%m}"
        if any(any(out.glob(f"{stem}_{month:%Y-%m}_*")) for stem in every("statement")):
            kept.append(out)
        else:
            written += statements_from_tables(inputs, computed, month, out)
    return written, kept


def statements_folder(settings: pd.DataFrame, beside: Path) -> Path:
    """The Settings ``statements_folder``, else ``statements`` (in the master's language) beside the master."""
    value = read_settings(settings).get("statements_folder")
    return Path(value) if value is not None else Path(beside) / tr("statements")


def user_name() -> str:
    """Who runs the command, for the Close log: the login name, else blank."""
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name (a service account, some containers)
        return ""


def _after(rows: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """`new` rows after `rows`, typed alike (pandas 2 warns on concatenating blank columns of other dtypes)."""
    if rows.empty:
        return new.reset_index(drop=True)
    return pd.concat(
        [rows.reset_index(drop=True), new.astype(rows.dtypes.to_dict(), errors="ignore")], ignore_index=True
    )


def _rewrite(master: TableBook, tables: dict[str, pd.DataFrame], command: str) -> None:
    """Replace the rows of `tables`, input tables too: a file's `MasterFile.rewrite`, an open book's `write`."""
    rewrite = getattr(master, "rewrite", None)
    rewrite(tables, command) if rewrite else master.write(tables)


MERGE_LOG = "merged"  # the Import log status of a customer merge
# The Customers table and the input tables with a column naming a customer: what a merge rewrites.
CUSTOMER_TABLES = tuple(
    t.name for t in TABLES.values()
    if t.name == "customers" or (not t.computed and any(c.ref == CUSTOMER_REF for c in t.columns))
)  # fmt: skip


def merge_customers(master: MasterFile, now=None) -> pd.DataFrame:
    """Apply the merges a manager confirmed on the Customer merges sheet (`dedupe.pending`).

    Every row of an input sheet that names a duplicate's Customer ID (Orders, Payments,
    Visit plans, Activities, a dealer's Targets...) names the customer kept instead; it
    is moved to the end of its sheet.  The duplicate's Customers row is removed.  Each
    merge is logged on the Import log (status ``merged``, the rows rewritten).  One
    atomic save, holding the master.  A merge already applied (its duplicate is no
    longer on the Customers sheet) is skipped, so running it twice merges nothing twice.

    Returns:
        One row per merge applied: customer_id (kept), duplicate_id, rows (rewritten).
    """
    from sales_tools.excel.sheet_xml import TableChange

    now = pd.Timestamp.now().floor("s") if now is None else pd.Timestamp(now)
    with master.writing("merge customers"):
        tables = {name: master.read(name) for name in CUSTOMER_TABLES}
        merges = pending(master.read("customer_merges"), tables["customers"])
        merged = apply_merges(tables, merges.assign(confirm="yes"))
        changes, rows = {}, pd.Series(0, index=merges["duplicate_id"].to_numpy(), dtype="int64")
        for name, before in tables.items():
            after = merged[name]
            if name == "customers":
                gone = before.index.difference(after.index)
                if len(gone):
                    changes[name] = TableChange(TABLES[name], delete=set(gone))
                continue
            refs = [c.name for c in TABLES[name].columns if c.ref == CUSTOMER_REF]
            named = before[refs].apply(as_text).isin(set(merges["duplicate_id"]))
            changed = named.any(axis=1).to_numpy()
            if changed.any():
                new = after[changed].reset_index(drop=True).reindex(columns=TABLES[name].names)
                changes[name] = TableChange(TABLES[name], delete=set(before.index[changed]), append=new)
                for ref in refs:
                    rows = rows.add(as_text(before.loc[named[ref].to_numpy(), ref]).value_counts(), fill_value=0)
        if len(merges):
            merged = tr("merge customers: {duplicate} into {kept}")  # the Import log's file column
            pairs = zip(merges["duplicate_id"], merges["customer_id"])
            log = pd.DataFrame({
                "imported_at": now, "file": [merged.format(duplicate=d, kept=k) for d, k in pairs],
                "rows_read": rows.to_numpy(), "rows_imported": rows.to_numpy(), "rows_rejected": 0,
                "status": MERGE_LOG,
            }).reindex(columns=TABLES["import_log"].names)  # fmt: skip
            changes["import_log"] = TableChange(TABLES["import_log"], append=log)
            master.patch(changes, "merge customers")
    return merges[["customer_id", "duplicate_id"]].assign(rows=rows.to_numpy("int64")).reset_index(drop=True)


def _keys(frame: pd.DataFrame) -> pd.Series:
    """Each row's values as one text, blanks blank: rows equal in every column match."""
    return frame.apply(as_text).fillna("").agg("|".join, axis=1)


def _writing(master: TableBook, command: str) -> contextlib.AbstractContextManager:
    """`master`'s lock against other writers (`MasterFile.writing`), where it has one."""
    writing = getattr(master, "writing", None)
    return writing(command) if writing else contextlib.nullcontext()


def variance_report(
    master: TableSource, level: str, period_type: str, year: int | None = None, measure: str = "revenue"
):
    """ERPNext's Target Variance layout of `master`'s inputs (`core.variance.variance_layout`).

    Args:
        master: the master workbook (only read).
        level: "team", "rep", "region", "category", "dealer" or a combination ("rep+category").
        period_type: "month", "quarter", "half" or "year".
        year: default the year of the figures (`core.settings.figures_as_of`).
        measure: the targets compared: "revenue", "margin" or "quantity".

    Returns:
        (year, the layout).

    Raises:
        InputError: the Targets sheet has no target at that level for that year (the
            message lists the levels and years it has).
    """
    inputs = read_inputs(master)
    year = year or figures_as_of(inputs["settings"], inputs["orders"]["order_date"]).year
    table = target_variance(*target_inputs(inputs))
    wide = variance_layout(table, level, period_type, year, measure)
    if wide.empty:
        years = (
            table.loc[(table["period_type"] == "year") & (table["measure"] == measure)]
            .groupby("level", sort=False)["period"]
            .agg(lambda p: ", ".join(sorted(set(p))))
        )
        by = tr("{level} ({years})")
        have = tr("; ").join(by.format(level=tr(lv), years=ys) for lv, ys in years.items()) or tr("none")
        what = "" if measure == "revenue" else tr("{measure} ").format(measure=tr(measure))
        none = tr("the {sheet} sheet has no {level} {what}target for {year}; it has {what}targets by {have}")
        raise InputError(none.format(sheet=TABLES["targets"].sheet, level=tr(level), what=what, year=year, have=have))
    return year, wide
