"""Macros: the manager's buttons, as plain functions of an open workbook (an `xw.Book`).

Each macro reads and writes the book's tables through `open_book.OpenBook`, the same
seam (`sales_tools.tables`) the command line uses on files, so a bad cell gives the
same message (sheet, row, column) here as there.

Where they run:

* **Classic Windows xlwings**: the argument-less wrappers at the end (`refresh`,
  `weekly_report`, `import_rep_files`, `merge_customers`, `generate_rep_templates`,
  `export_statements`, `close_period`)
  act on ``xw.Book.caller()`` and show the outcome in a message box.  With
  ``sales_tools.macros`` in the ``UDF Modules`` setting, *Import Functions* turns them
  into VBA macros (Alt+F8); ``RunPython "import sales_tools.macros as m; m.refresh()"``
  works too.
* **xlwings Lite**: ``main.py``'s scripts call `refresh_book`, `weekly_report_book` and
  `approve_week_book` (the rep and week typed in the task pane).  The classic
  `approve_week` takes them from the row selected on the Weekly report sheet.
  Lite has no file access, so importing, templates and statements are classic only.

Dates: an explicit argument wins, then an ``as_of`` row on the Settings sheet (the date
the macros work for, e.g. 2024-12-20), else the default (Refresh: the latest order
date; the others: today), as on the command line (`core.settings`).

Statements are written from the open book's tables.  The import and the rep templates
run the package's file functions on a *snapshot*: the book's tables saved to a
temporary master.  So unsaved edits count, the open file (locked by Excel) is never
written behind Excel's back, and the import's result is written into the open book's
tables, ready to save.  Folders come from Settings rows
(``rep_files_folder``, ``templates_folder``, ``statements_folder``), else sit next to
the workbook (``rep_files``, ``rep_templates/<period>``, ``statements/<period>``).
"""

from __future__ import annotations

import contextlib
import functools
import tempfile
from pathlib import Path

import pandas as pd
import xlwings as xw

from sales_tools.core import refresh as core_refresh
from sales_tools.core.settings import default_month, read_settings
from sales_tools.errors import InputError, SalesToolsError, WorkbookError
from sales_tools.master import approve, refresh_master, store_weekly_report
from sales_tools.open_book import OpenBook, book_language
from sales_tools.schema import TABLES
from sales_tools.schema.language import tr, use

TITLE = "sales_tools"
REP_FILE_TYPES = (".xlsx", ".xlsm", ".xls", ".csv")
# Classic COM xlwings (Windows): xw.script registers a VBA Sub on Import Functions.
# Elsewhere it is a no-op or the Lite/Server script decorator, which must not list these.
_CLASSIC = getattr(xw.script, "__module__", "") == "xlwings.udfs"
_sub = xw.script if _CLASSIC else (lambda func: func)


# ---------------------------------------------------------------- the macros


@contextlib.contextmanager
def in_language(book: xw.Book):
    """Show everything inside the block (messages, sheet names, labels) in `book`'s language (its Settings row)."""
    with use(book_language(book)):
        yield


def _speaks(macro):
    """`macro(book, ...)` run in its book's language."""

    @functools.wraps(macro)
    def run(book, *args, **kwargs):
        with in_language(book):
            return macro(book, *args, **kwargs)

    return run


@_speaks
def refresh_book(book: xw.Book, as_of=None) -> dict[str, pd.DataFrame]:
    """Recompute every computed sheet of the open book from its input tables.

    Args:
        book: the master workbook.
        as_of: the date of the figures; default the Settings ``as_of`` row, else the
            latest order date.

    Returns:
        The computed tables written (schema name -> frame), as `core.refresh.refresh` returns them.
    """
    return refresh_master(OpenBook(book), as_of)


@_speaks
def weekly_report_book(book: xw.Book, week=None) -> pd.DataFrame:
    """Write the weekly management report for a week to the Weekly report sheet.

    Args:
        book: the master workbook.
        week: an ISO week ("2024-W51") or any date in it; default the week of the
            Settings ``as_of`` row, else this week.

    Returns:
        The report written.
    """
    return store_weekly_report(OpenBook(book), week)


@_speaks
def approve_week_book(book: xw.Book, rep_id: str, week, by=None, comment=None) -> str:
    """Approve a rep's Visit plans and Activities rows of an ISO week (`master.approve`), today.

    Args:
        week: an ISO week ("2024-W51") or any date in it.
        by: who approves; default the rep's manager (Reps sheet).

    Returns:
        What was approved, for the message box.
    """
    from sales_tools.core.weekly import iso_week

    week = week if isinstance(week, str) else iso_week(week)
    counts = approve(OpenBook(book), str(rep_id).strip(), week, by=by, comment=comment)
    plans, visits = counts["visit_plans"][0], counts["activities"][0]
    approved = tr("{rep} {week} approved: {plans} visit plan row(s) and {visits} daily report row(s).")
    return approved.format(rep=rep_id, week=week, plans=plans, visits=visits)


@_speaks
def import_rep_files_book(book: xw.Book, folder=None):
    """Consolidate every rep file of a folder into the open book (classic Excel only).

    The import (`sales_tools.importer.import_files`) runs on a snapshot of the book;
    the tables it changed, the Import log, Exceptions and Customer merges are then
    written into the open book.  Files already imported are skipped (their SHA-256 is
    in the Import log), so running it twice imports nothing twice.

    Args:
        book: the master workbook.
        folder: the rep files' folder; default the Settings ``rep_files_folder`` row,
            else ``rep_files`` next to the workbook.

    Returns:
        The `ImportReport`.

    Raises:
        InputError: the folder holds no .xlsx/.xlsm/.xls/.csv file.
    """
    from sales_tools.core.settings import dayfirst
    from sales_tools.excel.reader import read_tables
    from sales_tools.importer import MASTER_COLUMNS, import_files

    source = OpenBook(book)
    folder = Path(folder) if folder else _folder(source, "rep_files_folder", tr("rep_files"))
    files = sorted(p for p in folder.glob("*") if p.suffix.lower() in REP_FILE_TYPES and not p.name.startswith("~$"))
    if not files:
        raise InputError(
            tr("no rep files ({types}) in {folder}").format(types=", ".join(REP_FILE_TYPES), folder=folder)
        )
    logs = ["import_log", "exceptions", "customer_merges"]
    with _snapshot(source, list(MASTER_COLUMNS)) as master:  # the logs among them
        report = import_files(master, files, dayfirst=dayfirst(source.read("settings")))
        changed = [name for name, rows in {**report.added, **report.removed}.items() if rows]
        source.write(read_tables(master, [*dict.fromkeys(changed), *logs]))
    return report


@_speaks
def merge_customers_book(book: xw.Book) -> pd.DataFrame:
    """Apply the merges confirmed on the Customer merges sheet (classic Excel only).

    `sales_tools.master.merge_customers` runs on a snapshot of the book; the tables it
    changed (Customers, Orders, Payments, ...) and the Import log are then written into
    the open book.

    Returns:
        One row per merge applied: customer_id (kept), duplicate_id, rows (rewritten).
    """
    from sales_tools.excel.master_file import MasterFile
    from sales_tools.excel.reader import read_tables
    from sales_tools.master import CUSTOMER_TABLES, merge_customers

    source = OpenBook(book)
    with _snapshot(source, [*CUSTOMER_TABLES, "customer_merges", "import_log"]) as master:
        merged = merge_customers(MasterFile(master))
        if len(merged):
            source.write(read_tables(master, [*CUSTOMER_TABLES, "import_log"]))
    return merged


@_speaks
def rep_templates_book(book: xw.Book, period=None, out_dir=None) -> list[Path]:
    """Write one filled-in rep template per rep (classic Excel only).

    Args:
        book: the master workbook.
        period: a month ("2024-12") or a year; default the month of the Settings
            ``as_of`` row, else this month.
        out_dir: default ``<period>`` in the folder of the Settings ``templates_folder``
            row, else in ``rep_templates`` next to the workbook.

    Returns:
        The files written (`sales_tools.excel.templates.build_rep_templates`).
    """
    from sales_tools.excel.templates import build_rep_templates

    source = OpenBook(book)
    period = period or default_month(source.read("settings"))
    out_dir = Path(out_dir) if out_dir else _folder(source, "templates_folder", tr("rep_templates")) / str(period)
    with _snapshot(source, ["reps", "customers", "categories", "attainment"]) as master:
        return build_rep_templates(master, out_dir, period)


@_speaks
def statements_book(book: xw.Book, period=None, out_dir=None, pdf: bool = False) -> list[Path]:
    """Write one commission statement per rep for a month (classic Excel only).

    Args:
        book: the master workbook.
        period: the month ("2024-11"); default the month of the Settings ``as_of``
            row, else this month.
        out_dir: default ``<period>`` in the folder of the Settings ``statements_folder``
            row, else in ``statements`` next to the workbook.
        pdf: also render PDFs (needs LibreOffice).

    Returns:
        The files written (`sales_tools.statements.write_statements`).
    """
    from sales_tools.statements import write_statements

    source = OpenBook(book)
    period = period or default_month(source.read("settings"))
    out_dir = Path(out_dir) if out_dir else _folder(source, "statements_folder", tr("statements")) / str(period)
    return write_statements(source, period, out_dir, pdf=pdf)


@_speaks
def close_period_book(book: xw.Book, period=None, through: bool = False, out_dir=None, statements: bool = True):
    """Close a month (`master.close_master`): its pay goes to the Payouts and Paid lines
    sheets, the Close log records it, the book is refreshed with the month frozen, and
    (classic Excel) the month's statements are written once.

    Args:
        book: the master workbook.
        period: the month ("2024-11"); default the month before the month of the Settings
            ``as_of`` row (else of today): the last month over.
        through: also close every open month with pay before it, in order.
        out_dir: the statements' folder, one subfolder per month; default the Settings
            ``statements_folder`` row, else ``statements`` next to the workbook.
        statements: write them (False in Lite, which cannot write files).

    Returns:
        The message to show: the months closed, what was paid, warnings, where the statements went.
    """
    from sales_tools.master import close_master, frozen_statements

    source = OpenBook(book)
    if period is None:
        period = f"{pd.Timestamp(default_month(source.read('settings'))) - pd.offsets.MonthBegin(1):%Y-%m}"
    closing, inputs, computed = close_master(source, period, through)
    log = closing.log
    closed = tr("Closed {period}: {reps} rep(s), {total} paid.")
    lines = [
        closed.format(period=f"{m:%Y-%m}", reps=n, total=f"{t:,.2f}")
        for m, n, t in log[["period", "reps", "total"]].values
    ]
    lines += [tr("Warning: {warning}.").format(warning=w) for w in closing.warnings]
    if statements:
        folder = Path(out_dir) if out_dir else _folder(source, "statements_folder", tr("statements"))
        written, kept = frozen_statements(inputs, computed, list(log["period"]), folder)
        lines += (
            [tr("{count} statement(s) written to {folder}.").format(count=len(written), folder=folder)]
            if written
            else []
        )
        lines += [tr("Statements already in {folder}: kept as they are.").format(folder=k) for k in kept]
    return "\n".join(lines)


def refresh_message(computed: dict[str, pd.DataFrame]) -> tuple[str, str]:
    """(message, mode) for the message box after a refresh: what was left unpaid is never just
    "done" (red); missing or unmatched targets are said (blue)."""
    done = tr("Refreshed {count} sheets.").format(count=len(computed))
    said = core_refresh.left_out_message(computed["exceptions"])
    mode = "critical" if core_refresh.needs_attention(computed["exceptions"]) else "info"
    return (f"{done}\n\n{said}", mode) if said else (done, "info")


# ---------------------------------------------------------------- classic Excel (RunPython, Alt+F8)


@_sub
def refresh():
    """Recompute every computed sheet of this workbook."""
    _run(lambda book: refresh_message(refresh_book(book)))


@_sub
def weekly_report():
    """Write this week's management report (or the week of the Settings as_of date)."""
    _run(lambda book: tr("Weekly report {week} written.").format(week=weekly_report_book(book)["week"].iloc[0]))


@_sub
def approve_week():
    """Approve the week of the rep whose row is selected on the Weekly report sheet."""
    _run(lambda book: approve_week_book(book, *_selected_rep_week(book)))


@_sub
def import_rep_files():
    """Import the rep files of the rep files folder into this workbook."""

    def run(book):
        report = import_rep_files_book(book)
        totals = report.totals
        done = tr(
            "{files} file(s): {imported} row(s) imported, {rejected} rejected (see the {sheet} sheet). "
            "Run Refresh to update the figures."
        )
        return done.format(
            files=len(report.log), imported=totals["rows_imported"], rejected=totals["rows_rejected"],
            sheet=TABLES["exceptions"].sheet,
        )  # fmt: skip

    _run(run)


@_sub
def merge_customers():
    """Merge the duplicate customers confirmed (yes) on the Customer merges sheet."""

    def run(book):
        merged = merge_customers_book(book)
        if merged.empty:
            nothing = tr("Nothing to merge: no pending row of the {sheet} sheet says yes.")
            return nothing.format(sheet=TABLES["customer_merges"].sheet)
        into = tr("{duplicate} into {kept}")
        pairs = ", ".join(into.format(duplicate=d, kept=k) for d, k in merged[["duplicate_id", "customer_id"]].values)
        done = tr("{count} customer(s) merged ({pairs}), logged on the {sheet}. Run Refresh to update the figures.")
        return done.format(count=len(merged), pairs=pairs, sheet=TABLES["import_log"].sheet)

    _run(run)


@_sub
def generate_rep_templates():
    """Write a filled-in template for every rep."""
    _run(lambda book: _written(rep_templates_book(book), tr("{count} rep template(s) written to {folder}.")))


@_sub
def close_period():
    """Close the last month over (the month before the Settings as_of date's): its pay never changes."""
    _run(close_period_book)


@_sub
def export_statements():
    """Write every rep's commission statement for the month."""
    _run(lambda book: _written(statements_book(book), tr("{count} statement(s) written to {folder}.")))


# ---------------------------------------------------------------- helpers


def _folder(source: OpenBook, setting: str, default: str) -> Path:
    """A folder from a Settings row, else `default` (in the book's language) next to the workbook."""
    value = read_settings(source.read("settings")).get(setting)
    if value is not None:
        return Path(value)
    path = Path(source.book.fullname)
    if not path.is_absolute():
        unsaved = tr("save {book} first, or give the folder on the {sheet} sheet ({setting})")
        raise WorkbookError(unsaved.format(book=source.book.name, sheet=TABLES["settings"].sheet, setting=setting))
    return path.parent / default


@contextlib.contextmanager
def _snapshot(source: OpenBook, names: list[str]):
    """The book's tables `names` saved as a temporary master workbook; yields its path."""
    from sales_tools.excel.builder import build_master

    tables = {name: source.read(name) for name in names}
    inputs = {k: v for k, v in tables.items() if not TABLES[k].computed}
    computed = {k: v for k, v in tables.items() if TABLES[k].computed}
    with tempfile.TemporaryDirectory() as tmp:
        yield build_master(Path(tmp) / "sales_master.xlsx", inputs, computed)


def _selected_rep_week(book: xw.Book) -> tuple[str, str]:
    """The rep ID and week of the Weekly report row the selection is on."""
    from sales_tools.core.weekly import TEAM_ID

    sheet = TABLES["weekly_report"].sheet
    selection = book.selection
    report = OpenBook(book).read("weekly_report")
    row = selection.row if selection is not None and selection.sheet.name == sheet else None
    if row not in report.index or report.at[row, "rep_id"] == TEAM_ID:
        raise InputError(tr("select a rep's row on the {sheet} sheet, then run Approve week").format(sheet=sheet))
    return report.at[row, "rep_id"], report.at[row, "week"]


def _written(paths: list[Path], message: str) -> str:
    """`message` (placeholders count and folder) for the files written."""
    return message.format(count=len(paths), folder=paths[0].parent if paths else "-")


def _run(action) -> None:
    """Run `action(book)` on the calling workbook; show its message (or (message, mode)), or the error's."""
    book = xw.Book.caller()
    try:
        with in_language(book):
            shown = action(book)
        message, mode = shown if isinstance(shown, tuple) else (shown, "info")
    except SalesToolsError as err:
        message, mode = str(err), "critical"
    book.app.alert(message, title=TITLE, mode=mode)
