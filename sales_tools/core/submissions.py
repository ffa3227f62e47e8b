"""What identifies a rep's submission: the rep and period on its Instructions sheet,
sealed by the template ID the file was issued with.

A submission is a rep and a period (first and last day).  Its ID is `template_id` of
those: printed on every template `sales-tools templates` issues, and computed the same
way for a blank template a manager filled in by hand (which has none).  A file whose
printed ID does not match its rep and period was edited after it was issued (`sealed`).

The Import log records each file's submission ID.  A re-submission replaces the rows
of the submission's earlier files (`earlier_rows`): rows of that rep, from those files
(`imported_files`), dated within the period; nothing else.  The file name is only a
label: files of other reps or periods may share it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import pandas as pd

DONE = ("imported", "partial")  # Import log statuses of a file whose rows are in the master
NOT_TRIED = ("replaced", "already imported")  # statuses of a file that was not read


def template_id(rep_id: str, start, end) -> str:
    """The ID a rep template is issued with: a checksum of its rep and period.

    A file whose Rep ID or period cells were changed no longer matches its ID.  It is a
    check against edits, not a signature: anyone who reads this function can forge one.

    >>> template_id("R01", "2024-06-01", "2024-06-30")
    'ST1-7A1A96842F42'
    """
    text = "\x1f".join(
        ("sales_tools template", str(rep_id), f"{pd.Timestamp(start):%Y-%m-%d}", f"{pd.Timestamp(end):%Y-%m-%d}")
    )
    return "ST1-" + hashlib.sha256(text.encode()).hexdigest()[:12].upper()


def sealed(printed, rep_id: str, start, end) -> bool:
    """True when the printed template ID matches the rep and period, or is blank (a blank template).

    >>> sealed("ST1-7A1A96842F42", "R01", "2024-06-01", "2024-06-30"), sealed(None, "R01", "2024-06-01", "2024-06-30")
    (True, True)
    >>> sealed("ST1-7A1A96842F42", "R02", "2024-06-01", "2024-06-30")
    False
    """
    text = "" if printed is None or pd.isna(printed) else str(printed).strip()
    return not text or text.upper() == template_id(rep_id, start, end)


def imported_files(log: pd.DataFrame, submission: str) -> set[str]:
    """Names of the files of `submission` (a template ID) whose rows the Import log says were imported."""
    return set(log.loc[(log["template_id"] == submission) & log["status"].isin(DONE), "file"].astype(str))


def is_current(log: pd.DataFrame, submission: str, sha256: str) -> bool:
    """True when the file `sha256` is the latest file tried for `submission` and its rows are in the master."""
    tried = log[(log["template_id"] == submission) & ~log["status"].isin(NOT_TRIED)]
    return len(tried) > 0 and tried["status"].iloc[-1] in DONE and tried["sha256"].iloc[-1] == sha256


def earlier_rows(rows: pd.DataFrame, date: str, rep_id: str, period: tuple, files: Iterable[str]) -> pd.Index:
    """The labels of `rows` an earlier submission of `rep_id` for `period` (first day, last day)
    brought: that rep's rows, from `files` (column ``source``), with `date` within the period."""
    start, end = period
    mine = (
        rows["rep_id"].astype("string").eq(rep_id)
        & rows["source"].astype("string").isin(list(files))
        & rows[date].between(start, end)
    )
    return rows.index[mine.fillna(False).to_numpy(dtype=bool)]
