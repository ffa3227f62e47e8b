"""Period close: a paid month never changes (docs/commissions.md, "Closing a month").

`close_months` freezes months: each rep's Commission summary row of the month becomes a
Payouts row, the month's Commission lines become Paid lines, and a Close log row says
who closed what.  From then on `freeze` (called by the refresh) shows every closed month
exactly as paid, and pays what the inputs would now change in a closed month as
itemised adjustment lines in the first open month, with the reason where it can be told.
`reopen_month` undoes the latest close.  Pure: the shells read and write the sheets.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sales_tools.core.money import round_cents
from sales_tools.core.rep_names import unnamed
from sales_tools.errors import InputError
from sales_tools.schema import TABLES
from sales_tools.schema.language import tr

CLOSE, REOPEN = "close", "reopen"
CLOSE_TABLES = ("payouts", "paid_lines", "close_log")  # written by close and reopen only, never imported
SUMMARY = unnamed("commission_summary")  # what a Payouts row keeps: no name, a rep renamed is paid the same
LINES = TABLES["commission_lines"].names
FIGURES = SUMMARY[2:]  # a Payouts row's figures: the summary row as paid
MONEY = [c.name for c in TABLES["commission_summary"].columns if c.type == "money"]
LINE_KEY = ["rep_id", "period", "order_id", "line", "from_rep", "group"]  # what a paid line is compared by
MONTH_LINE = "recomputed (tiers, bonus, cap, draw)"  # the reason of a month-level line's change


def month_of(period) -> pd.Timestamp:
    """The 1st of the month `period`: text such as "2024-11", or a date.

    >>> month_of("2024-11"), month_of(pd.Timestamp("2024-11-30"))
    (Timestamp('2024-11-01 00:00:00'), Timestamp('2024-11-01 00:00:00'))
    """
    if isinstance(period, str):
        match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", period)
        if not match or not 1 <= int(match[2]) <= 12:
            raise InputError(tr("period {period!r} is not a month such as 2024-03").format(period=period))
        return pd.Timestamp(int(match[1]), int(match[2]), 1)
    return pd.Timestamp(period).normalize().replace(day=1)


@dataclass(frozen=True)
class Closing:
    """What closing months adds: Payouts rows, Paid lines, Close log rows, and what to warn about."""

    payouts: pd.DataFrame
    paid_lines: pd.DataFrame
    log: pd.DataFrame
    warnings: list[str]


def close_months(
    computed: dict[str, pd.DataFrame], payouts: pd.DataFrame, period, now, by: str, as_of=None, through=False
) -> Closing:
    """Close month `period` (and with `through`, every open month before it that has pay, in order).

    Args:
        computed: the refresh's tables (frozen: `freeze` applied), with commission_summary,
            commission_lines and exceptions.
        payouts: the Payouts rows so far.
        period: the month (a Timestamp on its 1st).
        now: when it is closed (the Payouts closed_on date and the Close log time).
        by: who closes it (the Close log).
        as_of: the figures' date: closing a month not over by then is warned about.
        through: close the open months before `period` too, instead of refusing.

    Raises:
        InputError: the month is closed already, is before the last closed month, has no
            pay to close, or an earlier month with pay is open (without `through`).
    """
    period, now = pd.Timestamp(period), pd.Timestamp(now)
    summary, lines = computed["commission_summary"], computed["commission_lines"]
    closed = pd.to_datetime(payouts["period"])
    last = closed.max() if len(closed) else None
    if (closed == period).any():
        raise InputError(
            tr("{period} is closed already ({sheet} sheet); to change it, reopen it first").format(
                period=f"{period:%Y-%m}", sheet=TABLES["payouts"].sheet
            )
        )
    if last is not None and period < last:
        raise InputError(
            tr("{period} is before {last}, the last closed month: months close in order").format(
                period=f"{period:%Y-%m}", last=f"{last:%Y-%m}"
            )
        )
    if not (summary["period"] == period).any():
        raise InputError(
            tr("{period} has no {sheet} row: nothing to close (refresh first?)").format(
                period=f"{period:%Y-%m}", sheet=TABLES["commission_summary"].sheet
            )
        )
    months = sorted(m for m in summary["period"].unique() if m < period and (last is None or m > last))
    if months and not through:
        span = f"{months[0]:%Y-%m}"
        if len(months) > 1:
            span = tr("{first} to {last}").format(first=span, last=f"{months[-1]:%Y-%m}")
        raise InputError(
            tr(
                "close {first} first: {count} earlier month(s) with pay are open ({span}); "
                "months close in order (--through closes them all, in order)"
            ).format(first=f"{months[0]:%Y-%m}", count=len(months), span=span)
        )
    months = [*months, period]
    by_month = ["period", "rep_id"]  # the sheets list month after month
    rows = summary[summary["period"].isin(months)].reindex(columns=SUMMARY).sort_values(by_month, kind="stable")
    paid = lines[lines["period"].isin(months)].reindex(columns=LINES).sort_values(by_month, kind="stable")
    new = rows.assign(closed_on=now.normalize())
    new["checksum"] = checksums(new, paid).reindex(_keys(new)).to_numpy()
    log = pd.DataFrame(
        {"when": f"{now:%Y-%m-%d %H:%M:%S}", "action": CLOSE, "period": months, "by": by,
         "reps": [int((rows["period"] == m).sum()) for m in months],
         "total": [float(round_cents(rows.loc[rows["period"] == m, "total"].sum())) for m in months], "reason": ""},
        columns=TABLES["close_log"].names,
    )  # fmt: skip
    return Closing(new.reset_index(drop=True), paid.reset_index(drop=True), log, _warnings(computed, months, as_of))


def _warnings(computed: dict[str, pd.DataFrame], months: list, as_of) -> list[str]:
    """What could still change the months closed: they are not over, or pay was left out."""
    said = []
    if as_of is not None and months[-1] + pd.offsets.MonthEnd(0) > pd.Timestamp(as_of):
        said.append(
            tr("{month} is not over on the figures date ({date})").format(
                month=f"{months[-1]:%Y-%m}", date=f"{pd.Timestamp(as_of):%Y-%m-%d}"
            )
        )
    from sales_tools.core.refresh import NOTES, left_out  # the refresh calls `freeze`: imported when used

    exceptions = computed.get("exceptions")
    if exceptions is not None and len(exceptions):
        unpaid = left_out(exceptions)["column"].isin(NOTES).eq(False).sum()
        if unpaid:
            said.append(
                tr("the refresh left pay out or found orders dated after today ({count} {sheet} row(s))").format(
                    count=unpaid, sheet=TABLES["exceptions"].sheet
                )
            )
    later = tr("{warning}: what it changes later is paid as an adjustment in the next open month")
    return [later.format(warning=s) for s in said]


def reopen_month(payouts: pd.DataFrame, paid_lines: pd.DataFrame, period, reason: str, now, by: str):
    """Reopen `period`, the latest closed month: which Payouts and Paid lines rows go, and the Close log row.

    Returns:
        (Payouts rows to remove: a boolean Series, Paid lines rows to remove, the Close log row).

    Raises:
        InputError: no reason, the month is not closed, or a later month is closed.
    """
    period = pd.Timestamp(period)
    if not str(reason or "").strip():
        raise InputError(
            tr("say why the month is reopened (--reason): the {sheet} keeps it").format(sheet=TABLES["close_log"].sheet)
        )
    closed = pd.to_datetime(payouts["period"])
    if not (closed == period).any():
        raise InputError(
            tr("{period} is not closed ({sheet} sheet): nothing to reopen").format(
                period=f"{period:%Y-%m}", sheet=TABLES["payouts"].sheet
            )
        )
    if closed.max() > period:
        raise InputError(
            tr("reopen {month} first: only the latest closed month can be reopened").format(
                month=f"{closed.max():%Y-%m}"
            )
        )
    gone = closed == period
    log = pd.DataFrame(
        {"when": [f"{pd.Timestamp(now):%Y-%m-%d %H:%M:%S}"], "action": REOPEN, "period": period, "by": by, "reps": int(gone.sum()),
         "total": float(round_cents(payouts.loc[gone, "total"].sum())), "reason": str(reason).strip()},
        columns=TABLES["close_log"].names,
    )  # fmt: skip
    return gone, pd.to_datetime(paid_lines["period"]) == period, log


def freeze(lines: pd.DataFrame, summary: pd.DataFrame, payouts: pd.DataFrame, paid_lines: pd.DataFrame):
    """The engine's Commission lines and summary with the closed months as paid.

    Every month up to the last closed one shows its Payouts rows and Paid lines exactly.
    Each difference between what those months now compute (`lines`) and what was paid
    becomes one adjustment line in each rep's first open month (the month after the last
    closed one, added to the summary when the rep has no row there), naming the closed
    month and the reason; the month's ``adjustment`` and ``total`` include them.

    Returns:
        (lines, summary).

    Raises:
        InputError: the Payouts or Paid lines sheets were edited (a checksum differs).
    """
    if payouts.empty and paid_lines.empty:
        return lines, summary
    check(payouts, paid_lines)
    last = pd.Timestamp(payouts["period"].max())
    first_open = last + pd.offsets.MonthBegin(1)
    live = lines["period"] <= last
    adjust = adjustment_lines(lines[live], paid_lines, first_open)
    open_rows = summary[summary["period"] > last]
    added = adjust.groupby("rep_id", sort=False)["amount"].sum()
    open_rows = _with_open_rows(open_rows, added.index, first_open, payouts)
    at = (open_rows["period"] == first_open).to_numpy()
    extra = open_rows.loc[at, "rep_id"].map(added).fillna(0.0).to_numpy()
    open_rows.loc[at, "adjustment"] = round_cents(open_rows.loc[at, "adjustment"].fillna(0.0).to_numpy() + extra)
    open_rows.loc[at, "total"] = round_cents(open_rows.loc[at, "total"].to_numpy() + extra)
    frozen = pd.concat([_typed(payouts.reindex(columns=SUMMARY), summary), open_rows], ignore_index=True).sort_values(
        ["rep_id", "period"], kind="stable"
    )
    out = pd.concat(
        [_typed(paid_lines.reindex(columns=LINES), lines), lines[~live], _typed(adjust, lines)], ignore_index=True
    )
    out = out.iloc[np.lexsort((out["period"].to_numpy(), out["rep_id"].astype(str).to_numpy()))]
    return out.reset_index(drop=True), frozen.reset_index(drop=True)


def _typed(frame: pd.DataFrame, like: pd.DataFrame) -> pd.DataFrame:
    """`frame` with the dtypes of `like` where they differ (pandas 2 warns on concatenating
    a column all blank in one frame with another dtype in the other)."""
    frame = frame.copy()
    for name in frame.columns:
        if name in like and frame[name].dtype != like[name].dtype:
            frame[name] = frame[name].astype(like[name].dtype if like[name].dtype != bool else object)
    return frame


def _with_open_rows(rows: pd.DataFrame, reps, month: pd.Timestamp, payouts: pd.DataFrame) -> pd.DataFrame:
    """`rows` plus a row in `month` for each of `reps` without one: nothing but what the adjustment
    adds, and the draw balance left after the rep's last paid month."""
    have = set(rows.loc[rows["period"] == month, "rep_id"])
    missing = [r for r in reps if r not in have]
    if not missing:
        return rows.copy()
    balance = payouts.sort_values("period").groupby("rep_id")["draw_balance"].last()
    new = pd.DataFrame({"rep_id": missing, "period": month}, columns=SUMMARY)
    new[[c for c in MONEY if c not in ("target",)]] = 0.0
    new["draw_balance"] = new["rep_id"].map(balance).fillna(0.0).to_numpy(dtype=float)
    return pd.concat([rows, _typed(new, rows)], ignore_index=True)


def adjustment_lines(live: pd.DataFrame, paid: pd.DataFrame, month: pd.Timestamp) -> pd.DataFrame:
    """One Commission line in `month` per difference between `live` (the closed months'
    lines as computed now) and `paid` (as paid), compared by rep, month, order line, the
    override's rep and the line's group (`_group`); amounts to the cent.

    The reason: "late order" (the order line was not paid), "order removed" (it was and
    no longer counts), "edited order" (its basis changed), "tier moved by other orders"
    (the same basis at another rate, the month's sales changed), "plan change" (the same
    basis and month at another rate or rule), "return" (a clawback), else `MONTH_LINE`.
    """
    now, was = _by_key(live), _by_key(paid)
    both = now.merge(was, how="outer", left_index=True, right_index=True, suffixes=("_now", "_was"))
    both[["cents_now", "cents_was"]] = both[["cents_now", "cents_was"]].fillna(0).astype("int64")
    both = both[both["cents_now"] != both["cents_was"]].reset_index()
    basis_now, basis_was = _month_basis(live), _month_basis(paid)
    same = basis_now.index.intersection(basis_was.index)
    unmoved = same[basis_now.loc[same].to_numpy() == basis_was.loc[same].to_numpy()]  # the month's sales as paid
    both["moved"] = ~pd.MultiIndex.from_frame(both[["rep_id", "period"]]).isin(unmoved)
    reason = np.select(
        [
            both["group"] == "clawback",
            both["order_id"] == "",
            both["n_was"].isna(),
            both["n_now"].isna(),
            both["basis_now"].ne(both["basis_was"]),
            both["moved"],
        ],
        ["return", MONTH_LINE, "late order", "order removed", "edited order", "tier moved by other orders"],
        "plan change",
    )
    out = pd.DataFrame(
        {"rep_id": both["rep_id"].astype(object), "period": month, "order_id": _blank(both["order_id"]),
         "line": pd.array(both["line"].where(both["line"] >= 0, None), dtype="Int64"),
         "category": both["category_now"].fillna(both["category_was"]).astype(object), "basis": np.nan,
         "rule": "adjustment " + both["period"].dt.strftime("%Y-%m") + ": " + reason, "rate": np.nan,
         "amount": (both["cents_now"] - both["cents_was"]) / 100, "from_rep": _blank(both["from_rep"])},
        columns=LINES,
    )  # fmt: skip
    return out


def _blank(values: pd.Series) -> pd.Series:
    return values.where(values != "", None).astype(object)


def _group(lines: pd.DataFrame) -> pd.Series:
    """What a line is compared as: "clawback", "order" (earned on an order line), or its rule (a month's line)."""
    rule = lines["rule"].astype(str)
    return pd.Series(
        np.where(rule.str.contains("clawback"), "clawback", np.where(lines["order_id"].notna(), "order", rule)),
        index=lines.index,
    )


def _by_key(lines: pd.DataFrame) -> pd.DataFrame:
    """Lines summed by `LINE_KEY`: how many, cents, basis (cents), and the first category."""
    keyed = pd.DataFrame(
        {"rep_id": lines["rep_id"].astype(str), "period": pd.to_datetime(lines["period"]),
         "order_id": lines["order_id"].fillna("").astype(str), "line": lines["line"].fillna(-1).astype("int64"),
         "from_rep": lines["from_rep"].fillna("").astype(str), "group": _group(lines),
         "cents": _cents(lines["amount"]), "basis": _cents(lines["basis"]),
         "category": lines["category"].astype(object)}
    )  # fmt: skip
    return keyed.groupby(LINE_KEY, sort=False).agg(
        n=("cents", "size"), cents=("cents", "sum"), basis=("basis", "sum"), category=("category", "first")
    )


def _month_basis(lines: pd.DataFrame) -> pd.Series:
    """The basis (cents) of each rep-month's order lines: what tiers on the month's total look at."""
    earned = lines[lines["order_id"].notna() & ~_group(lines).eq("clawback")]
    return _cents(earned["basis"]).groupby([earned["rep_id"].astype(str), pd.to_datetime(earned["period"])]).sum()


def _cents(values: pd.Series) -> pd.Series:
    return pd.Series(np.rint(round_cents(values.astype("float64").fillna(0.0).to_numpy()) * 100), index=values.index)


# ---------------------------------------------------------------- checksums


def checksums(payouts: pd.DataFrame, paid_lines: pd.DataFrame) -> pd.Series:
    """The checksum of each Payouts row: the SHA-256 (first 16 hex digits) of a text of its
    figures and of its rep-month's Paid lines, amounts as whole cents; indexed by `_keys`."""
    lines = _text(paid_lines, LINES[2:])
    lines = lines.groupby(_keys(paid_lines).to_numpy()).agg(lambda t: "\n".join(sorted(t)))
    rows = pd.Series(_text(payouts, FIGURES).to_numpy(), index=_keys(payouts))
    text = rows + "\n" + lines.reindex(rows.index).fillna("")
    return text.map(lambda t: hashlib.sha256(t.encode()).hexdigest()[:16])


def check(payouts: pd.DataFrame, paid_lines: pd.DataFrame) -> None:
    """Refuse Payouts rows or Paid lines changed since the close (their checksum differs),
    and Paid lines of a rep-month without a Payouts row."""
    keys = _keys(payouts)
    twice = keys.duplicated()
    if twice.any():
        raise InputError(
            tr("{sheet}{row}: rep {rep} is paid twice; the frozen sheets were edited: undo the edit").format(
                sheet=TABLES["payouts"].sheet, row=_row(payouts[twice]), rep=keys[twice][0]
            )
        )
    orphans = ~_keys(paid_lines).isin(keys)
    if orphans.any():
        first = paid_lines[orphans].iloc[0]
        raise InputError(
            tr(
                "{sheet}{row}: rep {rep} has paid lines for {month} and no {payouts} row; "
                "the frozen sheets were edited: undo the edit"
            ).format(
                sheet=TABLES["paid_lines"].sheet, row=_row(paid_lines[orphans]), rep=first["rep_id"],
                month=f"{pd.Timestamp(first['period']):%Y-%m}", payouts=TABLES["payouts"].sheet,
            )
        )  # fmt: skip
    bad = checksums(payouts, paid_lines).to_numpy() != payouts["checksum"].astype(str).to_numpy()
    if bad.any():
        first = payouts[bad].iloc[0]
        raise InputError(
            tr(
                "{sheet}{row}: the paid figures or {lines} of rep {rep} for {month} no longer match their checksum "
                "({count} row(s) changed since the month was closed): undo the edit, or reopen the month "
                "(sales-tools reopen) and close it again"
            ).format(
                sheet=TABLES["payouts"].sheet, row=_row(payouts[bad]), lines=TABLES["paid_lines"].sheet,
                rep=first["rep_id"], month=f"{pd.Timestamp(first['period']):%Y-%m}", count=int(bad.sum()),
            )
        )  # fmt: skip


def _row(frame: pd.DataFrame) -> str:
    return tr(", row {row}").format(row=frame.index[0]) if frame.index.name == "row" else ""


def _keys(frame: pd.DataFrame) -> pd.Index:
    """Rep and month of each row as one text: "R01 2024-11"."""
    return pd.Index(frame["rep_id"].astype(str) + " " + pd.to_datetime(frame["period"]).dt.strftime("%Y-%m"))


def _text(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """Each row's `columns` as one text: money as whole cents, other numbers to 12 digits, blanks empty."""
    parts = []
    for name in columns:
        kind = TABLES["commission_lines"].column(name).type if name in LINES else TABLES["payouts"].column(name).type
        values = frame[name]
        if kind == "money":
            cents = np.rint(round_cents(values.astype("float64").to_numpy()) * 100)
            text = pd.Series(cents, index=values.index).astype("Int64").astype("string")
        elif kind in ("percent", "number", "int"):
            numbers = values.astype("float64")
            text = pd.Series(np.char.mod("%.12g", numbers.fillna(0).to_numpy()), index=values.index)
            text = text.where(numbers.notna())
        else:
            text = values.astype("string")
        parts.append(text.fillna("").to_numpy(dtype=object))
    joined = parts[0]
    for part in parts[1:]:  # element by element, a column at a time
        joined = joined + "|" + part
    return pd.Series(joined, index=frame.index, dtype=object)
