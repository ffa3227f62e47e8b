"""The leaderboard: reps ranked by year-to-date sales, with the sales champion (销售冠军)."""

import numpy as np
import pandas as pd

from sales_tools.core.money import round_cents
from sales_tools.schema import TABLES

CHAMPION = "Sales champion"
BEST_ATTAINMENT = "Best attainment"


def leaderboard(
    attainment: pd.DataFrame, summary: pd.DataFrame, reps: pd.DataFrame, year: int, kpis: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Rank reps by their sales in `year`; the first is the sales champion.

    Args:
        attainment: the Attainment table (rep_id, period, target, actual).
        summary: the Commission summary (rep_id, period, total).
        reps: the Reps table (rep_id, name, region).
        year: the calendar year ranked.
        kpis: the KPIs table, for each rep's on-time rate over the year (on time ÷ timed
            reports due, `core.timeliness`); None leaves it blank.

    Ties in sales share a rank (competition ranking: 1, 1, 3) and are listed by
    rep id.  Attainment is year-to-date sales over year-to-date target, blank when
    the rep has no target; the rep with the best attainment gets the "Best
    attainment" badge unless that rep is the champion.
    """
    att = attainment[attainment["period"].dt.year == year]
    # sums of cents in cents: float noise would differ by summation order (pandas version)
    totals = att.groupby("rep_id").agg(sales=("actual", "sum"), target=("target", "sum")).apply(round_cents)
    paid = round_cents(summary[summary["period"].dt.year == year].groupby("rep_id")["total"].sum())
    board = reps[["rep_id", "name", "region"]].set_index("rep_id").join(totals, how="inner")
    board["commission"] = paid.reindex(board.index).fillna(0.0)
    board["attainment"] = board["sales"] / board["target"].where(board["target"] > 0)
    board["on_time_rate"] = _on_time_rate(kpis, year).reindex(board.index)
    board = board.reset_index().sort_values(["sales", "rep_id"], ascending=[False, True], ignore_index=True)
    board["rank"] = board["sales"].rank(method="min", ascending=False).astype("int64")
    board["badge"] = np.where(board["rank"] == 1, CHAMPION, "")
    if board["attainment"].notna().any():
        best = board["attainment"].idxmax()
        if board.at[best, "rank"] > 1:
            board.at[best, "badge"] = BEST_ATTAINMENT
    return board[TABLES["leaderboard"].names]


def _on_time_rate(kpis: pd.DataFrame | None, year: int) -> pd.Series:
    """Per rep, the reports on time in `year` over those due that carry a received day."""
    if kpis is None:
        return pd.Series(dtype="float64")
    year_kpis = kpis[kpis["period"].dt.year == year]
    untimed = year_kpis["reports_filed"] - year_kpis["reports_on_time"] - year_kpis["reports_late"]
    sums = year_kpis.assign(timed=year_kpis["reports_due"] - untimed).groupby("rep_id")[["reports_on_time", "timed"]]
    sums = sums.sum()
    return sums["reports_on_time"] / sums["timed"].where(sums["timed"] > 0)
