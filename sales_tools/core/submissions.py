"""What identifies a rep's submission: the rep and period on its Instructions sheet,
sealed by the template ID the file was issued with."""

from __future__ import annotations

import hashlib

import pandas as pd


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
