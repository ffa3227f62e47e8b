"""The Reps table as the engine reads it: who is a rep, start months (draws), managers (overrides)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sales_tools.core.frames import require_columns
from sales_tools.errors import InputError
from sales_tools.schema import TABLES
from sales_tools.schema.language import tr

NO_START = np.iinfo("int64").max  # a rep without a start date


@dataclass(frozen=True)
class Team:
    """Per rep code (`OrderLines.reps`): the month of the rep's start date (months since
    1970-01; `NO_START` where none), and their manager's rep code (-1 where none)."""

    start: np.ndarray
    manager: np.ndarray

    @classmethod
    def read(cls, reps: pd.DataFrame | None, codes: pd.Index) -> Team:
        start, manager = np.full(len(codes), NO_START), np.full(len(codes), -1)
        if reps is None:
            return cls(start, manager)
        rows = _listed(reps)
        where = codes.get_indexer(rows["rep_id"])
        if "start_date" in rows:
            start[where] = _start_months(rows)
        if "manager_id" in rows:
            manager[where] = codes.get_indexer(_managers(rows))
        return cls(start, manager)


def rep_ids(reps: pd.DataFrame | None, rep_plans) -> list:
    """Every rep the engine may pay without an order line: those of the Reps table and of `rep_plans`."""
    listed = [] if reps is None else _listed(reps)["rep_id"].tolist()
    return listed + pd.Series(rep_plans, dtype=object).index.dropna().tolist()


def _listed(reps: pd.DataFrame) -> pd.DataFrame:
    """The Reps rows with a rep ID."""
    require_columns(reps, ["rep_id"], "Reps")
    return reps[reps["rep_id"].notna()]


def _start_months(rows: pd.DataFrame) -> np.ndarray:
    """Each row's start month, `NO_START` where blank; a start date that is no date raises."""
    dates = pd.to_datetime(rows["start_date"], errors="coerce")
    bad = dates.isna() & rows["start_date"].notna()
    if bad.any():
        row = rows[bad].iloc[0]
        raise InputError(
            tr("{sheet}: rep {rep}'s start date {value!r} is not a date").format(
                sheet=tr("Reps"), rep=row["rep_id"], value=row["start_date"]
            )
        )
    month = dates.to_numpy().astype("datetime64[M]").astype("int64")
    return np.where(dates.notna().to_numpy(), month, NO_START)


def _managers(rows: pd.DataFrame) -> pd.Series:
    """Each row's manager ID (None where blank), checked: a rep on the Reps sheet, not the rep."""
    text = rows["manager_id"].astype(object).where(rows["manager_id"].notna(), None)
    text = text.map(lambda v: None if v is None or not str(v).strip() else v)
    named = text.notna()
    unknown = named & ~text.isin(rows["rep_id"])
    own = named & (text == rows["rep_id"])
    for bad, reason in (
        (unknown, "{sheet}: these manager IDs are not rep IDs on the {sheet} sheet: {listed}"),
        (own, "{sheet}: these reps are their own manager; leave {header} blank or name their manager: {listed}"),
    ):
        if bad.any():
            each = tr("rep {rep} ({manager}{row})")
            listed = tr(", ").join(each.format(rep=rep, manager=manager, row=_row(rows, at))
                                   for at, rep, manager in zip(rows.index[bad][:5], rows["rep_id"][bad], text[bad]))  # fmt: skip
            header = TABLES["reps"].column("manager_id").header
            raise InputError(tr(reason).format(sheet=tr("Reps"), header=header, listed=listed))
    return text


def _row(rows: pd.DataFrame, at) -> str:
    """The text ", row 7" for a table read from a workbook (indexed by Excel row), else nothing."""
    return tr(", row {row}").format(row=at) if rows.index.name == "row" else ""
