"""What an import did: the ImportReport, its Import log rows and its Exceptions rows."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sales_tools.core.validate import EXCEPTION_COLUMNS
from sales_tools.schema import TABLES

LOG_COLUMNS = TABLES["import_log"].names


@dataclass
class ImportReport:
    """What an import did (all frames use the schema's column names)."""

    log: pd.DataFrame  # import_log rows of this import, one per file
    exceptions: pd.DataFrame  # exceptions rows of this import
    merges: pd.DataFrame  # customer_merges rows proposed by this import
    added: dict[str, int] = field(default_factory=dict)  # table -> rows appended
    removed: dict[str, int] = field(default_factory=dict)  # table -> rows replaced by re-submissions

    @property
    def totals(self) -> dict[str, int]:
        """Rows read, imported and rejected over all files."""
        return {c: int(self.log[c].sum()) for c in ("rows_read", "rows_imported", "rows_rejected")}


def import_log(
    files: list[dict], read: list[pd.DataFrame], rejections: pd.DataFrame, now: pd.Timestamp
) -> pd.DataFrame:
    """Import log rows: `files` (one entry per file, with its ``label``) with the rows read and rejected.

    `read` holds the origin (file label, sheet, row) of the rows read, per table; a row is
    rejected when a row of `rejections` (Exceptions, file = the label) names it.
    """
    read = pd.concat(read or [pd.DataFrame(columns=["file", "sheet", "row"])], ignore_index=True).drop_duplicates()
    bad = rejections.dropna(subset=["row"])[["file", "sheet", "row"]].drop_duplicates()
    log = pd.DataFrame(files)
    n_read = read.groupby("file").size()
    n_bad = bad.merge(read.astype({"row": "int64"}), on=["file", "sheet", "row"]).groupby("file").size()
    log["rows_read"] = log["label"].map(n_read).fillna(0).astype("int64").where(log["status"] == "imported", 0)
    log["rows_rejected"] = log["label"].map(n_bad).fillna(0).astype("int64").where(log["status"] == "imported", 0)
    log["rows_imported"] = log["rows_read"] - log["rows_rejected"]
    partial = (log["status"] == "imported") & (log["rows_rejected"] > 0)
    log.loc[partial, "status"] = np.where(log.loc[partial, "rows_imported"] > 0, "partial", "rejected")
    log["imported_at"] = now
    return log.reindex(columns=LOG_COLUMNS)


_NO_EXCEPTIONS = pd.DataFrame(columns=EXCEPTION_COLUMNS).astype({"row": "Int64"})


def no_exceptions() -> pd.DataFrame:
    return _NO_EXCEPTIONS.copy()


def file_exception(file: str, reason: str, sheet: str = "", column: str = "") -> pd.DataFrame:
    """An Exceptions row about a whole file (rejected, or a sheet or columns not imported)."""
    return (
        pd.DataFrame([{"file": file, "sheet": sheet, "row": pd.NA, "column": column, "value": "", "reason": reason}])
        .reindex(columns=EXCEPTION_COLUMNS)
        .astype({"row": "Int64"})
    )
