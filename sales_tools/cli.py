"""The `sales-tools` command: month-end work on the master workbook, without Excel.

Each command calls one library function; this module only parses arguments, shows
progress and prints results.  Library errors (`SalesToolsError`) are turned into
``Error: ...`` messages here and nowhere else.

Exit codes: 0 success; 1 rows were rejected or pay was left out (the counts are
printed); 2 bad usage or bad input (a missing file, a wrong period, an invalid plan...); 3 an unexpected
internal error (run with ``--debug`` to see the traceback).
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import click
import pandas as pd

from sales_tools.command_language import Later, Shown, command_line_language, speak
from sales_tools.errors import SalesToolsError
from sales_tools.schema import language
from sales_tools.schema.language import tr
from sales_tools.terminal import format_value, print_table, progress

EXIT_REJECTED, EXIT_INPUT, EXIT_INTERNAL = 1, 2, 3
DEMO_DIR = "sales_tools_demo"
MAX_PROBLEMS = 10  # problems listed after an import; the rest are on the Exceptions sheet


class InputProblem(click.ClickException):
    """Bad input reported by the library: printed as ``Error: ...``, exit code 2."""

    exit_code = EXIT_INPUT


class _Command(Shown, click.Command):
    """A command that shows everything in its master's language (its --lang for a new master)."""

    def invoke(self, ctx: click.Context):
        from sales_tools.excel.reader import book_language

        master, lang = ctx.params.get("master"), ctx.params.get("lang")
        with language.use(lang or (book_language(master) if master else language.ENGLISH)):
            return super().invoke(ctx)


class _Group(Shown, click.Group):
    """A group of commands (report ...) that show everything in their master's language."""

    command_class = _Command


class _Cli(Shown, click.Group):
    """The command group; speaks the command line's language and translates library errors at the edge."""

    command_class = _Command
    group_class = _Group

    def main(self, args=None, *rest, **kwargs):
        speak()  # click's own words in the current language too
        with language.use(command_line_language(sys.argv[1:] if args is None else list(args))):
            return super().main(args, *rest, **kwargs)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except SalesToolsError as exc:
            raise InputProblem(str(exc)) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort, BrokenPipeError):
            raise
        except OSError as exc:  # a file the user named cannot be read or written
            raise InputProblem(_os_error(exc)) from None
        except Exception as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            error = f"{type(exc).__name__}: {exc}"
            click.echo(
                tr("Error: internal error ({error}); run with --debug for details").format(error=error), err=True
            )
            ctx.exit(EXIT_INTERNAL)


LANG = click.option("--lang", type=click.Choice(language.LANGUAGES), default=language.ENGLISH,
                    show_default=True, help="Language of the workbook: its sheets, headers, lists and reports.")  # fmt: skip


def _say(message: str) -> None:
    click.echo(message)


def _sheet(table: str) -> str:
    """The sheet of schema table `table`, as the master names it."""
    from sales_tools.schema import TABLES

    return TABLES[table].sheet


def _os_error(exc: OSError) -> str:
    """A file that cannot be read or written, in words: the common cases in the current language."""
    if not exc.filename:
        return str(exc)
    known = {FileNotFoundError: "{file}: no such file or folder", PermissionError: "{file}: permission denied"}
    text = next((t for kind, t in known.items() if isinstance(exc, kind)), None)
    return tr(text).format(file=exc.filename) if text else f"{exc.strerror or exc}: {exc.filename}"


# ------------------------------------------------------------------------ commands


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sales_tools", message=Later("%(prog)s, version %(version)s"))
@click.option("--debug", is_flag=True, help="Show the full traceback of an unexpected error.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Commissions, target attainment and customer tiers for the master workbook.

    \b
    Exit codes: 0 success, 1 rows rejected or pay left out (counts printed),
    2 bad usage or input, 3 unexpected internal error.
    """
    ctx.obj = {"debug": debug}


@cli.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=DEMO_DIR, show_default=True,
              help="Folder for the demo workbook.")  # fmt: skip
@click.option("--seed", type=int, default=7, show_default=True, help="Seed of the generated sample data.")
@LANG
def demo(out_dir: Path, seed: int, lang: str) -> None:
    """Run a month end on generated sample data and summarise it.

    Generates two years of sample data for 12 reps, computes commissions, attainment
    and customer tiers, writes the master workbook to OUT/master.xlsx and prints the
    top reps, the team's attainment, the commission total and the customer tier mix.
    """
    from sales_tools.core.refresh import refresh
    from sales_tools.excel.builder import build_master
    from sales_tools.sample import generate

    out_dir.mkdir(parents=True, exist_ok=True)
    master = out_dir / "master.xlsx"
    with progress(3) as step:
        step(tr("Generating sample data"))
        inputs = generate(seed)
        step(tr("Computing commissions, attainment and tiers"))
        computed = refresh(inputs)
        step(tr("Writing {file}").format(file=master))
        build_master(master, inputs, computed)
    _print_summary(inputs, computed)
    _say(tr("Master workbook: {file}").format(file=master))


def _print_summary(inputs: dict[str, pd.DataFrame], computed: dict[str, pd.DataFrame]) -> None:
    """Top reps, team attainment, commission total and tier mix of the latest year."""
    from sales_tools.core.variance import team_figures

    year = int(computed["attainment"]["period"].dt.year.max())
    board = computed["leaderboard"].head(5)
    board = board.assign(badge=board["badge"].map(lambda b: tr(b) if isinstance(b, str) else b))
    print_table(
        tr("Top reps, {year}").format(year=year),
        [("#", "int"), (tr("Rep"), "text"), (tr("Region"), "text"), (tr("Sales"), "money"),
         (tr("Attainment"), "percent"), (tr("Commission"), "money"), (tr("Badge"), "text")],
        board[["rank", "name", "region", "sales", "attainment", "commission", "badge"]].values.tolist(),
    )  # fmt: skip
    summary = computed["commission_summary"]
    paid = summary[summary["period"].dt.year == year]["total"].sum()
    actual, target, what = team_figures(computed["target_variance"], year) or (None, None, tr("no target"))
    print_table(
        tr("Team, {year}").format(year=year),
        [(tr("Measure"), "text"), (tr("Value"), "text")],
        [
            [tr("Sales (net of returns)"), format_value(actual, "money")],
            [tr("Target"), format_value(target, "money")],
            [tr("Attainment"), format_value(actual / target if target else None, "percent")],
            [tr("Against"), what],
            [tr("Commission total"), format_value(paid, "money")],
        ],
    )
    tiers = computed["customer_tiers"]["tier"].value_counts()
    print_table(
        tr("Customer tier mix"),
        [(tr("Tier"), "text"), (tr("Customers"), "int"), (tr("Share"), "percent")],
        [[tier, count, count / tiers.sum()] for tier, count in tiers.items()],
    )


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@LANG
def new(path: Path, force: bool, lang: str) -> None:
    """Create an empty master workbook at PATH."""
    from sales_tools.excel.builder import build_master
    from sales_tools.excel.master_lock import master_lock

    if path.exists() and not force:
        raise InputProblem(tr("{file} already exists (use --force to replace it)").format(file=path))
    with master_lock(path, "new") if path.exists() else contextlib.nullcontext():  # not under an import
        build_master(path)
    _say(tr("Created {file}").format(file=path))


@cli.command()
@click.argument("master", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for the templates.")  # fmt: skip
@click.option(
    "--period", help="The month, e.g. 2024-03 (default: the month of the Settings as_of date, else this month)."
)
def templates(master: Path, out_dir: Path, period: str | None) -> None:
    """Write one filled-in template per rep of MASTER into OUT.

    Reps fill them in plain Excel or LibreOffice (no Python needed) and send them
    back for `sales-tools import`.
    """
    from sales_tools.core.close import month_of
    from sales_tools.core.settings import default_month
    from sales_tools.excel.reader import WorkbookSource
    from sales_tools.excel.templates import build_rep_templates

    period = f"{month_of(period):%Y-%m}" if period else default_month(WorkbookSource(master).read("settings"))
    out_dir.mkdir(parents=True, exist_ok=True)
    with progress(1) as step:
        step(tr("Writing rep templates"))
        paths = build_rep_templates(master, out_dir, period)
    for path in paths:
        _say(str(path))
    _say(tr("{count} templates written to {folder}").format(count=len(paths), folder=out_dir))


@cli.command(name="import")
@click.argument("master", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A column map (CSV or workbook) for CRM/ERP exports.")  # fmt: skip
@click.option("--dayfirst/--monthfirst", default=None,
              help="Read dates such as 05/12/2024 as 5 December / as May 12 (default: the Settings date_order, "
                   "else month first).")  # fmt: skip
@click.pass_context
def import_(
    ctx: click.Context, master: Path, files: tuple[Path, ...], mapping: Path | None, dayfirst: bool | None
) -> None:
    """Consolidate rep templates and CRM exports (FILES) into MASTER.

    Exports are mapped onto the master's tables with the Column map sheet, or with
    --mapping.  Prints the rows read, imported and rejected per file, and how dates such as
    05/12/2024 were read; rejected rows are listed on the master's Exceptions sheet.  Exits
    with code 1 when any row was rejected.
    """
    from sales_tools.core.settings import dayfirst as settings_dayfirst
    from sales_tools.excel.reader import WorkbookSource
    from sales_tools.importer import import_files

    given = dayfirst is not None
    if not given:
        dayfirst = settings_dayfirst(WorkbookSource(master).read("settings"))
    with progress(1) as step:
        step(tr("Importing {count} file(s)").format(count=len(files)))
        report = import_files(master, list(files), mapping=mapping, dayfirst=dayfirst)
    log = report.log
    rows = log[["file", "rows_read", "rows_imported", "rows_rejected", "status"]].values.tolist()
    totals = log[["rows_read", "rows_imported", "rows_rejected"]].sum()
    rows = [[*row[:4], tr(row[4])] for row in rows] + [[tr("Total"), *totals.tolist(), ""]]
    print_table(
        tr("Import into {file}").format(file=master.name),
        [(tr("File"), "text"), (tr("Read"), "int"), (tr("Imported"), "int"), (tr("Rejected"), "int"),
         (tr("Status"), "text")],
        rows,
    )  # fmt: skip
    order = tr("day first (5 December)") if dayfirst else tr("month first (May 12)")
    why = tr("as asked") if given else tr("the Settings date_order")
    _say(tr("Dates such as 05/12/2024 were read {order}: {why}.").format(order=order, why=why))
    problems = report.exceptions
    if len(problems):
        print_table(
            tr("Problems (first {shown} of {count})").format(shown=min(len(problems), MAX_PROBLEMS), count=len(problems)),
            [(tr("File"), "text"), (tr("Sheet"), "text"), (tr("Row"), "int"), (tr("Column"), "text"),
             (tr("Reason"), "text")],
            problems[["file", "sheet", "row", "column", "reason"]].head(MAX_PROBLEMS).values.tolist(),
        )  # fmt: skip
    files_rejected = int((log["status"] == "rejected").sum())
    if totals["rows_rejected"] or files_rejected:
        _say(
            tr("{rows} row(s) and {files} file(s) rejected: see the {sheet} sheet of {file}").format(
                rows=int(totals["rows_rejected"]), files=files_rejected, sheet=_sheet("exceptions"), file=master.name
            )
        )
        ctx.exit(EXIT_REJECTED)


@cli.command()
@click.argument("master", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def refresh(ctx: click.Context, master: Path) -> None:
    """Recompute every computed sheet of MASTER.

    Commission lines and summary, attainment, target variance and breakdown, customer
    tiers, KPIs, receivables, the collection rate, the leaderboard and the weekly report
    are rebuilt from the input sheets, and likely duplicate customers are proposed on
    Customer merges (see merge-customers); the file is saved atomically (the previous
    version is kept as MASTER.bak.xlsx).  The figures are as of the Settings as_of
    date, else the latest order date not after today.  Exits with code 1 when anything
    was left unpaid (a rep-month without a target, a rep without a plan, ...) or an
    order is dated after today (a mistyped date): the count and the first reasons are
    printed, the rest are on the Exceptions sheet.  Sales without a target, Targets rows
    no order can count toward and payments or returns the receivables count otherwise
    than entered are printed too, with exit code 0.
    """
    from sales_tools.core.dedupe import undecided
    from sales_tools.core.refresh import left_out_message, needs_attention
    from sales_tools.excel.master_file import MasterFile
    from sales_tools.master import refresh_master

    with progress(1) as step:
        step(tr("Refreshing {file}").format(file=master.name))
        computed = refresh_master(MasterFile(master))
    print_table(
        tr("Refreshed {file}").format(file=master.name),
        [(tr("Sheet"), "text"), (tr("Rows"), "int")],
        [
            [name if language.current() == language.ENGLISH else _sheet(name), len(frame)]
            for name, frame in computed.items()
        ],
    )
    said = left_out_message(computed["exceptions"], shown=MAX_PROBLEMS)
    if said:
        _say(said)
    open_pairs = undecided(computed["customer_merges"])
    if open_pairs:
        _say(tr("Possible duplicate customers: {pairs} pair(s) to decide on the {sheet} sheet (Confirm yes or no; "
                "then sales-tools merge-customers).").format(pairs=open_pairs, sheet=_sheet("customer_merges")))  # fmt: skip
    if needs_attention(computed["exceptions"]):
        ctx.exit(EXIT_REJECTED)


@cli.command()
@click.argument("master", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--rep", "rep_id", required=True, help="The Rep ID, e.g. R01.")
@click.option("--week", required=True, help="The ISO week, e.g. 2024-W51.")
@click.option("--by", default=None, help="Who approves (default: the rep's manager on the Reps sheet).")
@click.option("--comment", default=None, help="The supervisor's comment (批示意见), written on every row.")
def approve(master: Path, rep_id: str, week: str, by: str | None, comment: str | None) -> None:
    """Approve a rep's visit plans and daily reports of an ISO week (主管核签).

    Every Visit plans and Activities row of the rep dated in the week gets Approved by,
    Approved on (today) and, with --comment, the Supervisor comment; rows already
    approved are stamped again.  MASTER is saved atomically, held against other
    commands; the rows stay where they are.
    """
    from sales_tools.excel.master_file import MasterFile
    from sales_tools.master import approve as approve_rows

    counts = approve_rows(MasterFile(master), rep_id, week, by=by, comment=comment)
    print_table(
        tr("Approved {rep} {week} in {file}").format(rep=rep_id, week=week, file=master.name),
        [(tr("Sheet"), "text"), (tr("Rows approved"), "int"), (tr("Already approved"), "int")],
        [[_sheet("visit_plans"), *counts["visit_plans"]], [_sheet("activities"), *counts["activities"]]],
    )
    _say(
        tr("{count} row(s) approved; run sales-tools refresh to update the weekly report").format(
            count=sum(n for n, _ in counts.values())
        )
    )


@cli.command()
@click.argument("master", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--period", required=True, help="The month, e.g. 2024-03.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for the statements.")  # fmt: skip
@click.option("--pdf", is_flag=True, help="Also render each statement to PDF (needs LibreOffice).")
def statements(master: Path, period: str, out_dir: Path, pdf: bool) -> None:
    """Write one commission statement per rep for a month.

    Each statement shows target, actual, attainment and pacing, the month's amounts
    by kind, the total (the sum of the rounded lines) and the year to date, the
    plan's rules in words, the tier block and effective rate, booked against
    collected for plans paid on collections, every commission line with its order
    date and customer, the payout date and sign-off lines: a rep can check every
    figure by hand (docs/statements.md).  Printable on A4.
    """
    from sales_tools.excel.reader import WorkbookSource
    from sales_tools.statements import write_statements

    with progress(1) as step:
        step(tr("Writing statements for {period}").format(period=period))
        paths = write_statements(WorkbookSource(master), period, out_dir, pdf=pdf)
    for path in paths:
        _say(str(path))
    _say(tr("{count} file(s) written to {folder}").format(count=len(paths), folder=out_dir))


@cli.command()
@click.argument("master", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--period", required=True, help="The month to close, e.g. 2024-11.")
@click.option("--through", is_flag=True, help="Also close every open month before it that has pay, in order.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the frozen statements, one subfolder per month (default: the Settings "
                   "statements_folder, else statements next to MASTER).")  # fmt: skip
def close(master: Path, period: str, through: bool, out_dir: Path | None) -> None:
    """Close a month of MASTER: what each rep was paid for it never changes.

    Each rep's Commission summary row of the month goes to the Payouts sheet and its
    Commission lines to the Paid lines sheet; the Close log says who closed it and when.
    From then on a refresh shows the month as paid, and pays whatever later edits would
    change in it as adjustment lines in the first open month.  Months close in order.
    The month's statements are written once to OUT/<month> (an existing one is kept).
    """
    from sales_tools.excel.master_file import MasterFile
    from sales_tools.master import close_master, frozen_statements, statements_folder

    with progress(2) as step:
        step(tr("Closing {period} in {file}").format(period=period, file=master.name))
        closing, inputs, computed = close_master(MasterFile(master), period, through)
        step(tr("Writing the statements of the month closed"))
        folder = out_dir or statements_folder(inputs["settings"], master.parent)
        written, kept = frozen_statements(inputs, computed, list(closing.log["period"]), folder)
    print_table(
        tr("Closed in {file}").format(file=master.name),
        [(tr("Month"), "text"), (tr("Reps"), "int"), (tr("Paid"), "money")],
        [[f"{m:%Y-%m}", n, t] for m, n, t in closing.log[["period", "reps", "total"]].itertuples(index=False)],
    )
    for warning in closing.warnings:
        _say(tr("Warning: {warning}.").format(warning=warning))
    if written:
        _say(tr("{count} statement(s) written to {folder}").format(count=len(written), folder=folder))
    for where in kept:
        _say(tr("Statements already in {folder}: kept as they are (a month's statements are written once)").format(
            folder=where))  # fmt: skip


@cli.command()
@click.argument("master", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--period", required=True, help="The month to reopen: the latest closed one, e.g. 2024-11.")
@click.option("--reason", required=True, help="Why it is reopened, for the Close log.")
def reopen(master: Path, period: str, reason: str) -> None:
    """Reopen the latest closed month of MASTER.

    Its Payouts rows and Paid lines are removed, the Close log records who reopened it,
    when and why, and MASTER is refreshed: the month is computed from the inputs again.
    Statements already written are kept.
    """
    from sales_tools.excel.master_file import MasterFile
    from sales_tools.master import reopen_master

    row = reopen_master(MasterFile(master), period, reason).iloc[0]
    _say(
        tr("Reopened {period} in {file}: {reps} rep(s), {total} had been paid; logged on the {sheet}").format(
            period=f"{row['period']:%Y-%m}", file=master.name, reps=row["reps"],
            total=format_value(row["total"], "money"), sheet=_sheet("close_log"),
        )
    )  # fmt: skip


def _growth(_ctx, param, value: str) -> float:
    """A growth rate typed as 10% or 0.10."""
    text = value.strip()
    try:
        return float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise click.BadParameter(
            tr("{value} is not a growth rate such as 10% or 0.10").format(value=repr(value)), param=param
        ) from None


@cli.command(name="grow-targets")
@click.argument("master", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", type=int, required=True, help="The year to set targets for, from the year before's sales.")
@click.option("--team", "team_growth", default="10%", show_default=True, callback=_growth,
              help="Growth of the team's, each region's and each category's target.")  # fmt: skip
@click.option("--rep", "rep_growth", default="15%", show_default=True, callback=_growth,
              help="Growth of each rep's target.")  # fmt: skip
def grow_targets(master: Path, year: int, team_growth: float, rep_growth: float) -> None:
    """Add YEAR's rows to MASTER's Targets sheet as growth over the year before.

    The seeds' rule: the team +10%, each rep +15% over last year's net sales (credited,
    returns net), so the reps' targets add up to more than the team's.  Regions and
    categories grow like the team.  A row already on the Targets sheet is kept as it is.
    """
    from sales_tools.excel.master_file import MasterFile
    from sales_tools.master import grow_targets as grow

    rows = grow(MasterFile(master), year, team_growth, rep_growth)
    team = tr("Team")
    level = rows[["rep_id", "region", "category"]].apply(lambda r: next((v for v in r if pd.notna(v)), team), axis=1)
    print_table(
        tr("Targets for {year} in {file}").format(year=year, file=master.name),
        [(tr("For"), "text"), (tr("Annual target"), "money"), (tr("Status"), "text")],
        [
            [k, t, tr("added") if a else tr("already on the sheet: kept")]
            for k, t, a in zip(level, rows["annual_target"], rows["added"])
        ],
    )
    _say(
        tr("{count} row(s) added to the {sheet} sheet; run sales-tools refresh to see them").format(
            count=int(rows["added"].sum()), sheet=_sheet("targets")
        )
    )


@cli.command(name="merge-customers")
@click.argument("master", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def merge_customers(master: Path) -> None:
    """Merge the duplicate customers confirmed on MASTER's Customer merges sheet.

    The refresh and the import propose duplicates there; nothing merges until a manager
    types yes in Confirm.  Then every row naming the duplicate's Customer ID (Orders,
    Payments, Visit plans, Activities, Targets) names the customer kept instead, the
    duplicate's Customers row is removed, and each merge is logged on the Import log.
    Merges already applied are skipped.
    """
    from sales_tools.excel.master_file import MasterFile
    from sales_tools.master import merge_customers as merge

    merged = merge(MasterFile(master))
    if merged.empty:
        _say(tr("Nothing to merge: no pending row of {file}'s {sheet} sheet says yes").format(
            file=master.name, sheet=_sheet("customer_merges")))  # fmt: skip
        return
    print_table(
        tr("Customers merged in {file}").format(file=master.name),
        [(tr("Kept"), "text"), (tr("Merged into it"), "text"), (tr("Rows rewritten"), "int")],
        merged[["customer_id", "duplicate_id", "rows"]].values.tolist(),
    )
    _say(tr("{count} customer(s) merged and logged on the {sheet}; run sales-tools refresh to see them").format(
        count=len(merged), sheet=_sheet("import_log")))  # fmt: skip


@cli.group()
def report() -> None:
    """Management reports."""


@report.command()
@click.argument("master", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--week", required=True, help="The ISO week, e.g. 2024-W12.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the printable report (default: next to MASTER).")  # fmt: skip
@click.option("--pdf", is_flag=True, help="Also render the printable report to PDF (needs LibreOffice).")
def weekly(master: Path, week: str, out_dir: Path | None, pdf: bool) -> None:
    """Write the weekly management report for an ISO week.

    The report goes to MASTER's Weekly report sheet and to a printable workbook
    (weekly_report_<week>.xlsx, and .pdf with --pdf).  Per rep: the week's target
    (the monthly target prorated by days), sales, attainment, new customers,
    collections, effective visit and closing rates, abnormal customers and next
    week's target; the last row is the team's average per rep.  Then the reports
    due, filed and on time, the visit plans and visits not approved, and next week's
    planned visits with their customers; the printable copy adds the week's
    competitor moves from the daily reports and an escalation list: the competitor
    moves of the Market situation sheet and the complaints open longer than the
    Settings complaint_escalation_days, with customer names.
    """
    from sales_tools.reports import shown_weekly, write_weekly_report

    with progress(1) as step:
        step(tr("Weekly report {week}").format(week=week))
        frame, paths = write_weekly_report(master, week, out_dir or master.parent, pdf=pdf)
    print_table(
        tr("Weekly report {week}").format(week=week),
        [(tr("Rep"), "text"), (tr("Target"), "money"), (tr("Sales"), "money"), (tr("Attainment"), "percent"),
         (tr("New cust."), "int"), (tr("Collections"), "money"), (tr("Eff. visits"), "percent"),
         (tr("Closing"), "percent"), (tr("Next week"), "money")],
        shown_weekly(frame)[["name", "target", "sales", "attainment", "new_customers", "collections",
                             "effective_visit_rate", "closing_rate", "next_week_target"]].values.tolist(),
    )  # fmt: skip
    print_table(
        tr("Reports and next week's plan {week}").format(week=week),
        [(tr("Rep"), "text"), (tr("Due"), "int"), (tr("Filed"), "int"), (tr("On time"), "int"),
         (tr("Plans not approved"), "int"), (tr("Visits not approved"), "int"), (tr("Planned next week"), "int"),
         (tr("Customers next week"), "text")],
        frame[["name", "reports_due", "reports_filed", "reports_on_time", "plans_unapproved", "reports_unapproved",
               "next_week_plans", "next_week_customers"]].values.tolist(),
    )  # fmt: skip
    for path in paths:
        _say(str(path))


@report.command()
@click.argument("master", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--by", "level", default="rep", show_default=True,
              help="team, rep, region, category, dealer, or a combination such as rep+category.")  # fmt: skip
@click.option("--period", "period_type", type=click.Choice(["month", "quarter", "half", "year"]), default="month",
              show_default=True, help="The columns: one per month, quarter, half or the year.")  # fmt: skip
@click.option("--year", type=int, default=None, help="The year (default: the year of the figures).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also write the report as a printable workbook in this folder.")  # fmt: skip
@click.option("--pdf", is_flag=True, help="With --out, also render it to PDF (needs LibreOffice).")
@click.option("--measure", type=click.Choice(["revenue", "margin", "quantity"]), default="revenue", show_default=True,
              help="The targets compared: revenue (sales), margin (amount - quantity x unit cost) or quantity (units).")  # fmt: skip
def variance(
    master: Path, level: str, period_type: str, year: int | None, out_dir: Path | None, pdf: bool, measure: str
) -> None:
    """Target against actual for each team, rep, region, category or dealer (ERPNext's Target Variance).

    One row per key and a Total row; per period the target, the actual (credited
    sales, splits applied, returns net in the month of the return) and the variance
    (actual - target: below target is negative).  Computed from MASTER's input sheets,
    as the next refresh writes them to the Target variance sheet.  With --measure
    margin or quantity, the targets of that measure against the credited margin or units.
    """
    from sales_tools.excel.reader import WorkbookSource
    from sales_tools.master import variance_report
    from sales_tools.reports import shown_variance, variance_title, write_variance_report

    if out_dir is None:
        year, wide = variance_report(WorkbookSource(master), level, period_type, year, measure)
        paths = []
    else:
        year, wide, paths = write_variance_report(master, level, period_type, year, out_dir, pdf=pdf, measure=measure)
    columns = [(tr("Key"), "text")] + [
        (tr("{period} {what}").format(period=p if p != "Total" else tr("Year"), what=tr(what)), "money")
        for p, what in wide.columns
    ]
    print_table(
        variance_title(level, year, measure),
        columns,
        [
            [tr("Total") if key == "Total" else key, *values]
            for key, values in zip(wide.index, shown_variance(wide).to_numpy().tolist())
        ],
    )
    for path in paths:
        _say(str(path))


def main() -> None:
    """Entry point of the `sales-tools` console script."""
    try:
        cli(prog_name="sales-tools")
    except BrokenPipeError:  # the output went to `head` or the like, which stopped reading
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        sys.exit(1)


if __name__ == "__main__":
    sys.exit(main())
