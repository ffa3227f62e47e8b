"""Rep names on the per-rep computed tables (Commission summary, KPIs, Collection rate).

A name is shown, never computed with: the tables are built without it (`unnamed`) and
the refresh adds it last (`with_rep_names`), so a rep renamed on the Reps sheet is
renamed everywhere, and closed months (whose Payouts keep no name) show today's name.
"""

from __future__ import annotations

import pandas as pd

from sales_tools.core.frames import require_columns
from sales_tools.schema import TABLES

REP_NAME = "rep_name"


def unnamed(table: str) -> list[str]:
    """The columns of computed `table` but the rep's name: what its core function returns.

    >>> unnamed("kpis")[:3]
    ['rep_id', 'period', 'visits']
    """
    return [c for c in TABLES[table].names if c != REP_NAME]


def with_rep_names(frame: pd.DataFrame, reps: pd.DataFrame, others: dict[str, str] | None = None) -> pd.DataFrame:
    """A new `frame` with `REP_NAME` right after ``rep_id``: the Reps sheet's name of each rep ID.

    An ID not on Reps (a rep deleted, their history kept) gets the name `others` gives it,
    else a blank one; its rows stay as they are.

    >>> reps = pd.DataFrame({"rep_id": ["R1"], "name": ["Ann"]})
    >>> rows = pd.DataFrame({"rep_id": ["R1", "R9", "TEAM"], "total": [5.0, 7.0, 12.0]})
    >>> with_rep_names(rows, reps, {"TEAM": "Team"}).values.tolist()
    [['R1', 'Ann', 5.0], ['R9', nan, 7.0], ['TEAM', 'Team', 12.0]]
    """
    require_columns(reps, ["rep_id", "name"], "Reps")
    known = reps.dropna(subset=["rep_id"]).drop_duplicates("rep_id")
    names = pd.Series(known["name"].to_numpy(dtype=object), index=known["rep_id"].to_numpy(dtype=object))
    extra = pd.Series(others or {}, dtype=object)
    names = pd.concat([names, extra[~extra.index.isin(names.index)]])
    out = frame.drop(columns=REP_NAME, errors="ignore")
    out.insert(out.columns.get_loc("rep_id") + 1, REP_NAME, out["rep_id"].astype(object).map(names).astype(object))
    return out
