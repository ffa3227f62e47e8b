"""xlwings Lite entry point: the sales_tools Excel functions, as =SALES.<NAME>(...), and the scripts.

xlwings Lite registers every function decorated with ``xlwings.func`` that this module
holds, so importing them from `sales_tools.udfs` is all it takes; the functions and
their argument conversion live there, shared with classic xlwings.  The scripts below
(run from Lite's task pane) wrap `sales_tools.macros`; the macros that need files
(import rep files, rep templates, statements) are for classic Excel only.
"""

import datetime as dt

import xlwings as xw

from sales_tools import macros
from sales_tools.udfs import (  # noqa: F401  (imported to be registered)
    abc_class,
    cumulative_attainment,
    quota_attainment,
    quota_commission,
    rfm_scores,
    tier_label,
    tiered_commission,
)


@xw.script
def refresh(book: xw.Book, as_of: dt.date | None = None):
    """Recompute every computed sheet (commissions, attainment, tiers, KPIs, leaderboard, weekly report).

    as_of: the date of the figures; empty for the Settings as_of row, else the latest order date.
    """
    with macros.in_language(book):  # the message too
        message, mode = macros.refresh_message(macros.refresh_book(book, as_of))
    book.app.alert(message, title=macros.TITLE, mode=mode)


@xw.script
def weekly_report(book: xw.Book, week_of: dt.date | None = None):
    """Write the weekly management report of the week holding `week_of` to the Weekly report sheet.

    week_of: any date in the week; empty for the Settings as_of row, else this week.
    """
    macros.weekly_report_book(book, week_of)


@xw.script
def close_period(book: xw.Book, month_of: dt.date | None = None):
    """Close a month: its pay goes to the Payouts sheet and never changes (statements: classic Excel or the command).

    month_of: any date in the month; empty for the month before the Settings as_of row's (else before this month's).
    """
    message = macros.close_period_book(book, month_of, statements=False)
    book.app.alert(message, title=macros.TITLE, mode="info")


@xw.script
def approve_week(book: xw.Book, rep_id: str, week_of: dt.date, by: str | None = None, comment: str | None = None):
    """Approve a rep's visit plans and daily reports of the week holding `week_of` (主管核签).

    by: who approves; empty for the rep's manager on the Reps sheet. comment: the supervisor's comment.
    """
    book.app.alert(macros.approve_week_book(book, rep_id, week_of, by, comment), title=macros.TITLE, mode="info")
