"""1. The core refresh on synthetic order lines, against a UDF loop and a hand-written floor.

* **ours**: `core.refresh.refresh` (every computed table), and `compute_commissions`
  alone (commission lines with clawbacks and the summary).
* **(a) UDF loop**: period totals per rep (a pandas groupby), then the scalar UDF
  `udfs.tiered_commission` called once per rep and month, as filling the UDF down a
  column of rep-months does.  Attainment tiers are tiers on sales with floors
  floor x target.
* **The UDF contract**: on the same rep-month totals and targets, passed as Excel
  passes two columns, `udfs.quota_commission` filled down (one scalar call per row)
  against its array path (one call on the whole columns).
* **(b) floor**: the same period totals and the tier formula written by hand in numpy;
  **(b+)** adds what ours also pays out: each month's commission spread over its lines
  in whole cents (largest remainder) and the clawbacks of the returned lines.

(a), (b), the UDF's two paths and ours must agree to the cent on every rep-month's
commission, and (b+) and ours on every rep-month's clawbacks (see `agreement`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from benchmarks import synth
from benchmarks.common import Timing, answer, cents, child, fmt_s, peak_mb, replaced, reset_peak, rss_mb, timed, timers
from sales_tools.core import refresh as core_refresh
from sales_tools.core.money import round_cents
from sales_tools.core.targets import monthly_targets
from sales_tools.udfs import quota_commission, tiered_commission

SIZES = (100_000, 1_000_000, 5_000_000)
QUICK_SIZES = (20_000, 100_000)
STAGES = ("compute_commissions", "measure_attainment", "customer_tiers", "activity_kpis", "leaderboard", "weekly_report",
          "ledger", "receivables_of", "collection_rate_of", "receivable_notes", "with_proposals")  # fmt: skip


def commissions(data: dict[str, pd.DataFrame]):
    """Ours: the commission engine on the inputs, as the refresh calls it."""
    targets = core_refresh.rep_targets(monthly_targets(data["targets"]))
    plans = core_refresh.parse_plans(data["plan"])
    return core_refresh.compute_commissions(
        data["orders"],
        plans,
        data["reps"].set_index("rep_id")["plan"],
        core_refresh.OtherTables(returns=data["returns"], targets=targets),
    )


def rep_month_sales(data: dict[str, pd.DataFrame]) -> tuple[pd.Series, np.ndarray]:
    """Sales per (rep_id, month) from a pandas groupby, and each rep-month's target."""
    orders = data["orders"]
    totals = orders.groupby([orders["rep_id"], orders["order_date"].dt.to_period("M")])["amount"].sum()
    years = [period.year for period in totals.index.get_level_values(1)]
    where = pd.MultiIndex.from_arrays([totals.index.get_level_values(0), years])
    return totals, synth.monthly_target(data["targets"]).reindex(where).to_numpy()


def _by_rep_month(totals: pd.Series, values) -> pd.Series:
    index = pd.MultiIndex.from_arrays(
        [totals.index.get_level_values(0), totals.index.get_level_values(1).to_timestamp()]
    )
    return pd.Series(values, index=index, dtype="float64")


def udf_loop(data: dict[str, pd.DataFrame]) -> pd.Series:
    """(a) Commission per (rep_id, period): one scalar `tiered_commission` call per rep-month."""
    totals, targets = rep_month_sales(data)
    rates = list(synth.RATES)
    out = [
        tiered_commission(total, [f * target for f in synth.FLOORS], rates)
        for total, target in zip(totals.tolist(), targets.tolist())
    ]
    return _by_rep_month(totals, out)


def udf_ranges(data: dict[str, pd.DataFrame]) -> tuple[list, list]:
    """The rep-month totals and their targets as Excel passes two columns to a UDF."""
    totals, targets = rep_month_sales(data)
    return [[v] for v in totals.tolist()], [[t] for t in targets.tolist()]


def scalar_calls(ranges: tuple[list, list]) -> list[float]:
    """The UDF contract's baseline: `quota_commission` filled down, one scalar call per row."""
    floors, rates = list(synth.FLOORS), list(synth.RATES)
    return [quota_commission(actual, target, floors, rates) for (actual,), (target,) in zip(*ranges)]


def array_call(ranges: tuple[list, list]) -> list[float]:
    """The UDF's array path: one `quota_commission` call on the two whole columns."""
    got = quota_commission(*ranges, list(synth.FLOORS), list(synth.RATES))
    return [row[0] for row in got] if isinstance(got, list) else [got]  # one cell gives a scalar


class Floor:
    """(b) The hand-written numpy floor: period totals, tier formula, (b+) line cents and clawbacks."""

    def __init__(self, data: dict[str, pd.DataFrame]):
        self.data = data
        orders = data["orders"]
        self.rep, self.reps = pd.factorize(orders["rep_id"])
        month = orders["order_date"].to_numpy().astype("datetime64[M]").astype("int64")
        self.back_month = data["returns"]["return_date"].to_numpy().astype("datetime64[M]").astype("int64")
        every = np.concatenate([month, self.back_month])  # the months of the sales and of the returns
        self.first, self.span = int(every.min()), int(every.max() - every.min()) + 1
        self.key = self.rep * self.span + month - self.first
        self.amount = orders["amount"].to_numpy()

    def commission(self) -> np.ndarray:
        """Unrounded tier commission per rep-month key (rep x span + month)."""
        size = len(self.reps) * self.span
        sales = round_cents(np.bincount(self.key, self.amount, minlength=size))  # month totals in cents
        year = (np.arange(size) % self.span + self.first) // 12 + 1970
        monthly = synth.monthly_target(self.data["targets"])
        target = monthly.reindex(pd.MultiIndex.from_arrays([self.reps[np.arange(size) // self.span], year])).to_numpy()
        # the tiers in currency, one row of floors per rep-month, as (a) and a person compute them
        bounds, rates = target[:, None] * np.array(synth.FLOORS), np.array(synth.RATES)
        tier = (bounds <= sales[:, None]).sum(axis=1) - 1
        at_floor = np.concatenate(
            (np.zeros((size, 1)), np.cumsum(rates[:-1] * np.diff(bounds, axis=1), axis=1)), axis=1
        )
        rows, at = np.arange(size), np.maximum(tier, 0)
        return np.where(tier >= 0, at_floor[rows, at] + rates[at] * (sales - bounds[rows, at]), 0.0)

    def clawback_cents(self, paid: np.ndarray, month_cents: np.ndarray) -> np.ndarray:
        """(b+) Whole cents of clawbacks (negative) per rep-month key of the return."""
        size = len(month_cents)
        sales = round_cents(np.bincount(self.key, self.amount, minlength=size))
        exact = paid[self.key] * (self.amount / sales[self.key]) * 100
        down = np.floor(exact)
        missing = month_cents - np.bincount(self.key, down, minlength=size).astype("int64")
        order = np.lexsort(
            (np.round(down - exact, 9), self.key)
        )  # largest remainder (to 1e-9 cent) first, ties: earlier line
        starts = np.searchsorted(self.key[order], np.arange(size))
        rank = np.empty(len(order), dtype="int64")
        rank[order] = np.arange(len(order)) - starts[self.key[order]]
        line_cents = down.astype("int64") + (rank < missing[self.key])
        returns, orders = self.data["returns"], self.data["orders"]
        where = pd.MultiIndex.from_arrays([orders["order_id"], orders["line"]]).get_indexer(
            pd.MultiIndex.from_arrays([returns["order_id"], returns["line"]])
        )
        back = -round_cents(line_cents[where] / 100 * returns["amount"].to_numpy() / self.amount[where])
        key = self.rep[where] * self.span + self.back_month - self.first
        return np.rint(np.bincount(key, cents(back), minlength=size)).astype("int64")

    def run(self, with_clawbacks: bool) -> tuple[np.ndarray, np.ndarray | None]:
        paid = self.commission()
        month_cents = cents(round_cents(paid))
        return month_cents, self.clawback_cents(paid, month_cents) if with_clawbacks else None


def floor(data, with_clawbacks: bool):
    return Floor(data).run(with_clawbacks)


def agreement(data, ours, udf: pd.Series, floor_b: np.ndarray, clawed: np.ndarray) -> dict:
    """How (a), (b), (b+) and ours differ, in rep-months and cents.

    Both must agree exactly: the floor spreads a month's cents as the engine documents
    (largest remainder to a billionth of a cent, ties to the earlier line).
    """
    summary = ours.summary
    f = Floor(data)
    month = summary["period"].to_numpy().astype("datetime64[M]").astype("int64") - f.first
    key = f.reps.get_indexer(summary["rep_id"]) * f.span + month
    mine = cents(summary["commission"])
    a = cents(udf.reindex(pd.MultiIndex.from_arrays([summary["rep_id"], summary["period"]])).fillna(0.0))
    claw_gap = np.abs(clawed[key] - cents(summary["clawbacks"]))
    return {
        "rep_months": len(summary),
        "udf_differs": int((a != mine).sum()),
        "floor_differs": int((floor_b[key] != mine).sum()),
        "floor_has_more": int(floor_b.sum() != mine.sum()),
        "clawbacks_differ": int((claw_gap > 0).sum()),
        "clawbacks_max_gap_cents": int(claw_gap.max(initial=0)),
        "clawbacks_total": float(summary["clawbacks"].sum()),
    }


def agreed(agree: dict) -> str:
    """The agreement in a table cell."""
    exact = agree["udf_differs"] == agree["floor_differs"] == agree["floor_has_more"] == 0
    text = (
        "commissions: yes"
        if exact
        else f"commissions: NO ({agree['udf_differs']} vs (a), {agree['floor_differs']} vs (b))"
    )
    if agree["clawbacks_differ"] == 0:
        return text + "; clawbacks: yes"
    return (
        text
        + f"; clawbacks: NO ({agree['clawbacks_differ']} of {agree['rep_months']:,} rep-months, by up to {agree['clawbacks_max_gap_cents']} cents)"
    )


def stage_times(data) -> dict[str, float]:
    """Seconds per part of one refresh (weekly_report computes its own weekly KPIs)."""
    with timers(core_refresh, STAGES) as spent:
        core_refresh.refresh(data)
    return spent


def measure(lines: int, repeat: int) -> dict:
    """In a fresh process: everything for one size (the child of `run`)."""
    data = synth.inputs(lines)
    before = rss_mb()
    reset_peak()
    core_refresh.refresh(data)  # one refresh alone for its peak (timed runs overlap a result)
    peak = peak_mb()
    refreshed, result = timed(lambda: core_refresh.refresh(data), repeat)
    ours_t, ours = timed(lambda: commissions(data), repeat)
    udf_t, udf = timed(lambda: udf_loop(data), repeat)
    ranges = udf_ranges(data)
    scalar_t, scalar = timed(lambda: scalar_calls(ranges), repeat)
    array_t, array = timed(lambda: array_call(ranges), repeat)
    floor_t, (floor_b, _) = timed(lambda: floor(data, False), repeat)
    plus_t, (_, clawed) = timed(lambda: floor(data, True), repeat)
    return {
        "lines": lines,
        "returns": len(data["returns"]),
        "rep_months": len(result["commission_summary"]),
        "refresh": refreshed.runs,
        "commissions": ours_t.runs,
        "udf": udf_t.runs,
        "udf_scalar": scalar_t.runs,
        "udf_array": array_t.runs,
        "floor": floor_t.runs,
        "floor_plus": plus_t.runs,
        "inputs_mb": before,
        "peak_mb": peak,
        "stages": stage_times(data),
        "agreement": agreement(data, ours, udf, floor_b, clawed),
        "array_differs": int((cents(array) != cents(scalar)).sum() + (cents(scalar) != cents(udf.to_numpy())).sum()),
    }


def memory_by_stage(lines: int) -> dict:
    """In a fresh process: the peak memory (MB) of each stage of one refresh (inputs and results so far included)."""
    data = synth.inputs(lines)
    peaks = {"inputs": rss_mb()}

    def note(name, fn):
        def wrapper(*args, **kwargs):
            reset_peak()
            try:
                return fn(*args, **kwargs)
            finally:
                peaks[name] = peak_mb()

        return wrapper

    with replaced(core_refresh, **{name: note(name, getattr(core_refresh, name)) for name in STAGES}):
        core_refresh.refresh(data)
    return peaks


def child_main(args: dict) -> None:
    answer(memory_by_stage(args["lines"]) if args.get("by_stage") else measure(args["lines"], args["repeat"]))


def run(quick: bool, repeat: int, **_) -> list[dict]:
    rows = []
    for lines in QUICK_SIZES if quick else SIZES:
        got = child("refresh", lines=lines, repeat=repeat)
        t = {
            k: Timing(got[k]).median
            for k in ("refresh", "commissions", "udf", "udf_scalar", "udf_array", "floor", "floor_plus")
        }
        rows.append(
            {
                "lines": f"{lines:,}",
                "returns": f"{got['returns']:,}",
                "rep-months": f"{got['rep_months']:,}",
                "refresh": fmt_s(t["refresh"]),
                "refresh s / M lines": f"{t['refresh'] / lines * 1e6:.2f}",
                "commissions": fmt_s(t["commissions"]),
                "commissions s / M lines": f"{t['commissions'] / lines * 1e6:.2f}",
                "(a) UDF loop": fmt_s(t["udf"]),
                "(a) / commissions": f"{t['udf'] / t['commissions']:.1f}x",
                "UDF filled down (scalar calls)": fmt_s(t["udf_scalar"]),
                "UDF array path (one call)": fmt_s(t["udf_array"]),
                "scalar / array": f"{t['udf_scalar'] / t['udf_array']:.0f}x",
                "(b) floor": fmt_s(t["floor"]),
                "commissions / (b)": f"{t['commissions'] / t['floor']:.1f}x",
                "(b+) floor with clawbacks": fmt_s(t["floor_plus"]),
                "commissions / (b+)": f"{t['commissions'] / t['floor_plus']:.1f}x",
                "peak MB (inputs MB)": f"{got['peak_mb']:,.0f} ({got['inputs_mb']:,.0f})",
                "agree to the cent": agreed(got["agreement"])
                + (
                    "; UDF array = scalar = (a)"
                    if got["array_differs"] == 0
                    else f"; UDF array/scalar/(a) differ on {got['array_differs']}"
                ),
                "refresh stages": ", ".join(
                    f"{k} {fmt_s(v)}" for k, v in sorted(got["stages"].items(), key=lambda kv: -kv[1])
                ),
            }
        )
        print(rows[-1], flush=True)
    peaks = child("refresh", lines=lines, by_stage=True)
    rows[-1]["peak MB of each stage"] = ", ".join(f"{k} {v:,.0f}" for k, v in peaks.items())
    print(peaks, flush=True)
    return rows
