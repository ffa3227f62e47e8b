"""The Reps table as the engine reads it: who is a rep, and each rep's start month (for draws)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sales_tools.core.frames import require_columns
from sales_tools.errors import InputError

NO_START = np.iinfo("int64").max  # a rep without a start date


@dataclass(frozen=True)
class Team:
    """Per rep code (`OrderLines.reps`): the month of the rep's start date (months since
    1970-01), `NO_START` where the Reps table gives none."""

    start: np.ndarray

    @classmethod
    def read(cls, reps: pd.DataFrame | None, codes: pd.Index) -> Team:
        start = np.full(len(codes), NO_START)
        if reps is None or "start_date" not in reps:
            return cls(start)
        rows = _listed(reps)
        dates = pd.to_datetime(rows["start_date"], errors="coerce")
        bad = dates.isna() & rows["start_date"].notna()
        if bad.any():
            row = rows[bad].iloc[0]
            raise InputError(f"Reps: rep {row['rep_id']}'s start date {row['start_date']!r} is not a date")
        dated = dates.notna().to_numpy()
        where = codes.get_indexer(rows["rep_id"][dated])
        start[where[where >= 0]] = dates[dated].to_numpy().astype("datetime64[M]").astype("int64")[where >= 0]
        return cls(start)


def rep_ids(reps: pd.DataFrame | None, rep_plans) -> list:
    """Every rep the engine may pay without an order line: those of the Reps table and of `rep_plans`."""
    listed = [] if reps is None else _listed(reps)["rep_id"].tolist()
    return listed + pd.Series(rep_plans, dtype=object).index.dropna().tolist()


def _listed(reps: pd.DataFrame) -> pd.DataFrame:
    """The Reps rows with a rep ID."""
    require_columns(reps, ["rep_id"], "Reps")
    return reps[reps["rep_id"].notna()]
