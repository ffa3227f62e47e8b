"""The supervisor's sign-off (主管核签) of a rep's week: visit plans and daily report rows approved.

A row is approved when its Approved by or Approved on is filled (the weekly report counts
the others).  `approve_week` stamps every row of one rep dated in one ISO week: Approved
by, Approved on and, when given, the Supervisor comment (an earlier approval is
stamped again).  Rows a rep re-submits unchanged keep their sign-off; changed rows
lose it (`importer.plan`).
"""

from __future__ import annotations

import pandas as pd

from sales_tools.core.weekly import week_start
from sales_tools.errors import InputError
from sales_tools.schema import TABLES
from sales_tools.schema.language import tr

DATES = {"visit_plans": "visit_date", "activities": "activity_date"}  # the tables signed off, by their date


def approved(rows: pd.DataFrame) -> pd.Series:
    """True for the rows with Approved by or Approved on filled."""
    by = rows["approved_by"].astype("string").str.strip().fillna("").ne("")
    return (by | rows["approved_on"].notna()).astype(bool)


def approve_week(
    tables: dict[str, pd.DataFrame], rep_id: str, week: str, by: str, on, comment: str | None = None
) -> tuple[dict[str, pd.DataFrame], dict[str, tuple[int, int]]]:
    """Stamp `rep_id`'s Visit plans and Activities rows dated in ISO `week` as approved by `by` on `on`.

    Args:
        tables: visit_plans and activities (other tables are ignored).
        rep_id, week: whose rows, and the ISO week ("2024-W51").
        by: the supervisor's name; on: the day approved; comment: the Supervisor comment
            (None keeps each row's own).

    Returns:
        The two tables, stamped (new frames, rows in place), and per table (rows stamped,
        of which already approved).

    Raises:
        InputError: `by` is blank, or the rep has no row in the week.
    """
    if not str(by or "").strip():
        raise InputError(
            tr("say who approves (--by NAME): the rep's manager on the {sheet} sheet is blank").format(
                sheet=TABLES["reps"].sheet
            )
        )
    days = pd.date_range(week_start(week), periods=7)
    out, counts = {}, {}
    for name, date in DATES.items():
        rows = tables[name].astype({"approved_by": object, "supervisor_comment": object})
        rows["approved_on"] = pd.to_datetime(rows["approved_on"])
        dated = pd.to_datetime(rows[date]).dt.normalize()
        mine = (rows["rep_id"].astype("string").eq(rep_id).fillna(False) & dated.isin(days)).to_numpy(dtype=bool)
        counts[name] = (int(mine.sum()), int(approved(rows[mine]).sum()))
        rows.loc[mine, ["approved_by", "approved_on"]] = [str(by).strip(), pd.Timestamp(on).normalize()]
        if comment is not None:
            rows.loc[mine, "supervisor_comment"] = comment
        out[name] = rows
    if not sum(n for n, _ in counts.values()):
        raise InputError(
            tr("rep {rep} has no {plans} or {activities} rows dated in {week}: nothing was approved").format(
                rep=rep_id, plans=TABLES["visit_plans"].sheet, activities=TABLES["activities"].sheet, week=week
            )
        )
    return out, counts
