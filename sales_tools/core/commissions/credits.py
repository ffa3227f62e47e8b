"""What is credited to whom and when: splits, the basis of commission (booked or collected), returns."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sales_tools.core.commissions import overrides
from sales_tools.core.commissions.codes import NO_MARGIN, OrderLines, Setup, floats, months, no_blanks
from sales_tools.core.commissions.output import exception_rows, no_exceptions
from sales_tools.core.frames import column_named, require_columns
from sales_tools.errors import InputError
from sales_tools.schema.language import tr

SHARE_TOLERANCE = 1e-9
_OVER_RETURN = 0.005  # half a cent of float noise is not an over-return


@dataclass(frozen=True)
class Basis:
    """What commission is computed on.

    Attributes:
        events: one row per credited line (or collected share of one): line, rep, plan,
            month, basis.
        claims: the returned share of credited lines: line, rep, month (of the
            return), returned, ratio (returned / line amount), plan.
        overrides: one row per credited line of a rep whose manager's plan has an
            override: line, rep (the manager), month, basis, source (the rep), rate.
        override_claims: the returned share of those lines: line, rep (the manager),
            month (of the return), returned, ratio, source.
        notes: Exceptions rows for what could not be credited (one frame per kind).
    """

    events: pd.DataFrame
    claims: pd.DataFrame
    overrides: pd.DataFrame
    override_claims: pd.DataFrame
    notes: tuple[pd.DataFrame, ...]

    def months(self) -> np.ndarray:
        """The month of every row (months since 1970-01)."""
        frames = (self.events, self.claims, self.overrides, self.override_claims)
        return np.concatenate([f["month"].to_numpy() for f in frames]).astype("int64")


def credits(book: OrderLines, splits: pd.DataFrame | None) -> pd.DataFrame:
    """One row per order line and credited rep: line (position), rep, share."""
    own = pd.DataFrame({"line": np.arange(len(book.amount)), "rep": book.rep, "share": 1.0})
    if splits is None or splits.empty:
        return own
    shares = _split_shares(splits, book)
    split = np.isin(book.order, shares["order"].to_numpy())
    shared = pd.DataFrame({"line": np.flatnonzero(split), "order": book.order[split]}).merge(shares, on="order")
    return pd.concat([own[~split], shared.drop(columns="order")], ignore_index=True)


def _split_shares(splits: pd.DataFrame, book: OrderLines) -> pd.DataFrame:
    """Split rows as codes (order, rep, share), checked: each order's shares add up to 100%."""
    require_columns(splits, ["order_id", "rep_id", "share"], "Splits")
    for column in ("order_id", "rep_id", "share"):
        no_blanks(splits[column].isna().to_numpy(), "Splits", column)
    share = floats(splits["share"], "Splits", "share")
    total = pd.Series(share).groupby(splits["order_id"].to_numpy()).sum()
    bad = total[(total - 1).abs() > SHARE_TOLERANCE]
    if len(bad):
        listed = ", ".join(f"{order} ({value:.4%})" for order, value in bad.head(5).items())
        raise InputError(
            tr("{sheet}: the shares of an order must add up to 100%; they do not for order {listed}").format(
                sheet=tr("Splits"), listed=listed
            )
        )
    shares = pd.DataFrame({"order": book.orders.get_indexer(splits["order_id"]),
                           "rep": book.reps.get_indexer(splits["rep_id"]), "share": share})  # fmt: skip
    return shares[shares["order"] >= 0]


def credited(book: OrderLines, credit: pd.DataFrame) -> pd.DataFrame:
    """Booked sales, margin and quantity per rep and month, splits applied: what attainment
    measures (margin and quantity: of the lines that have one)."""
    line = credit["line"].to_numpy()
    share = credit["share"].to_numpy()
    frame = pd.DataFrame({"rep": credit["rep"].to_numpy(), "month": book.month[line],
                          "actual": book.amount[line] * share, "margin": book.margin[line] * share,
                          "quantity": book.quantity[line] * share})  # fmt: skip
    sums = frame.groupby(["rep", "month"], sort=True)[["actual", "margin", "quantity"]].sum().reset_index()
    return pd.DataFrame(
        {
            "rep_id": book.reps.to_numpy(dtype=object)[sums["rep"].to_numpy()],
            "period": sums["month"].to_numpy().astype("datetime64[M]").astype("datetime64[ns]"),
            "actual": sums["actual"].to_numpy(),
            "margin": sums["margin"].to_numpy(),
            "quantity": sums["quantity"].to_numpy(),
        }
    )


def basis(setup: Setup, credit: pd.DataFrame, payments: pd.DataFrame | None, returns: pd.DataFrame | None) -> Basis:
    """The basis of commission and the returned shares, for the reps with a plan, and the
    managers' overrides on their direct reports' credits."""
    returned = _claims(returns, setup.book, credit)
    over, over_claims, unpaid = overrides.basis(setup, credit, returned)
    credit, no_plan = _with_plans(credit, setup)
    credit, no_margin = _with_margins(credit, setup)
    events, lost = _events(credit, setup, payments)
    plan = setup.plan_of[returned["rep"].to_numpy()]
    claims = _on_margin(returned[plan >= 0].assign(plan=plan[plan >= 0]), setup)
    return Basis(events, claims, over, over_claims, (no_plan, no_margin, lost, unpaid))


def _margin_plans(setup: Setup) -> np.ndarray:
    """Per plan code (and -1: none), True for the plans paid on margin."""
    return np.array([plan.basis == "margin" for plan in setup.plans.values()] + [False])


def _with_margins(credit: pd.DataFrame, setup: Setup) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Credits of margin plans on lines without a margin (no unit_cost or quantity) dropped,
    with one Exceptions row per such line: paid on revenue instead, it would be overpaid."""
    book = setup.book
    line = credit["line"].to_numpy()
    lost = _margin_plans(setup)[credit["plan"].to_numpy()] & (book.no_margin[line] > 0)
    first = credit[lost].drop_duplicates("line")
    at = first["line"].to_numpy()
    column = pd.Series(np.array(NO_MARGIN, dtype=object)[book.no_margin[at]], dtype=object)
    order, line = pd.Series(book.order_id[at], dtype=object).astype(str), pd.Series(book.line[at]).astype(str)
    which = pd.Series(
        [tr("order {order} line {line}").format(order=o, line=n) for o, n in zip(order, line)], dtype=object
    )
    plan = pd.Series(np.array(list(setup.plans), dtype=object)[first["plan"].to_numpy()], dtype=object)
    rep = pd.Series(book.reps.to_numpy(dtype=object)[first["rep"].to_numpy()], dtype=object)
    text = tr("{which} has no {column} on the {sheet} sheet; plan {plan} (rep {rep}) pays on margin "
              "(amount - quantity x unit_cost), so the line earns nothing until it is filled in")  # fmt: skip
    reasons = [text.format(which=w, column=column_named("Orders", c), sheet=tr("Orders"), plan=p, rep=r)
               for w, c, p, r in zip(which, column, plan, rep)]  # fmt: skip
    notes = exception_rows("Orders", "", which, pd.Series(reasons, dtype=object))
    notes["column"] = column.to_numpy()
    return credit[~lost], notes


def _on_margin(claims: pd.DataFrame, setup: Setup) -> pd.DataFrame:
    """Returned shares of margin plans' lines as margin: a return of part of a line gives back
    the same part of its margin (the units returned, at their unit cost)."""
    book = setup.book
    margin = _margin_plans(setup)[claims["plan"].to_numpy()]
    line = claims["line"].to_numpy()
    share = np.divide(claims["returned"].to_numpy(), book.amount[line])  # the rep's share x the ratio
    return claims.assign(returned=np.where(margin, share * book.margin[line], claims["returned"].to_numpy()))


def _with_plans(credit: pd.DataFrame, setup: Setup) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Credits with the rep's plan code, and notes for the reps without a plan (dropped)."""
    reps = setup.book.reps
    plan = setup.plan_of[credit["rep"].to_numpy()]
    counts = np.bincount(credit["rep"].to_numpy()[plan < 0], minlength=len(reps))
    lost = np.flatnonzero(counts)
    ids = pd.Series(reps[lost], dtype=object)
    text = tr("rep {rep} has no commission plan; {count} credited order lines earn nothing")
    reasons = pd.Series([text.format(rep=r, count=n) for r, n in zip(ids, counts[lost])], dtype=object)
    notes = exception_rows("Reps", "plan", ids, reasons)
    return credit[plan >= 0].assign(plan=plan[plan >= 0]), notes


def _events(credit: pd.DataFrame, setup: Setup, payments) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Booked lines (or collected amounts, for plans paid on collections), and notes on lost payments."""
    book = setup.book
    on_paid = np.array([plan.credit_on == "paid" for plan in setup.plans.values()] + [False])
    paid = on_paid[credit["plan"].to_numpy()]
    booked = credit[~paid]
    line = booked["line"].to_numpy()
    value = np.where(_margin_plans(setup)[booked["plan"].to_numpy()], book.margin[line], book.amount[line])
    booked = booked.assign(month=book.month[line], basis=value * booked["share"].to_numpy())
    columns = ["line", "rep", "plan", "month", "basis"]
    if not paid.any():
        return booked[columns].reset_index(drop=True), no_exceptions()
    collected, notes = _collected(credit[paid], book, payments)
    return pd.concat([booked[columns], collected[columns]], ignore_index=True), notes


def _collected(credit: pd.DataFrame, book: OrderLines, payments) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Credits of plans paid on collections: each payment spread over its order's lines and reps."""
    if payments is None or payments.empty:
        return credit.head(0).assign(month=0, basis=0.0), no_exceptions()
    require_columns(payments, ["payment_id", "payment_date", "order_id", "amount"], "Payments")
    paid = floats(payments["amount"], "Payments", "amount")
    no_blanks(np.isnan(paid), "Payments", "amount")
    order = book.orders.get_indexer(payments["order_id"])
    pays = pd.DataFrame(
        {"order": order, "month": months(payments["payment_date"], "Payments", "payment_date"), "paid": paid}
    )
    pays = pays[order >= 0].groupby(["order", "month"], as_index=False)["paid"].sum()
    total = np.bincount(book.order, weights=book.amount, minlength=len(book.orders))
    count = np.bincount(book.order, minlength=len(book.orders))
    line = credit["line"].to_numpy()
    of = book.order[line]
    weight = np.divide(book.amount[line], total[of], out=1 / count[of], where=total[of] != 0)
    got = credit.assign(order=of, weight=weight).merge(pays, on="order")
    return got.assign(basis=got["paid"] * got["weight"] * got["share"]), _payment_notes(payments[order < 0])


def _payment_notes(lost: pd.DataFrame) -> pd.DataFrame:
    ids = lost["payment_id"].astype(str)
    known = tr("payment {payment} is for order {order}, which is not on the {sheet} sheet; it earns no commission on "
               "collections")  # fmt: skip
    blank = tr("payment {payment} has no order ID; it earns no commission on collections")
    why = [(blank if pd.isna(o) else known).format(payment=p, order=o, sheet=tr("Orders"))
           for p, o in zip(ids, lost["order_id"])]  # fmt: skip
    return exception_rows("Payments", "order_id", ids, pd.Series(why, dtype=object))


def _claims(returns, book: OrderLines, credit: pd.DataFrame) -> pd.DataFrame:
    """Returned share of each credited line: line, rep, month of the return, returned, ratio."""
    columns = ["line", "rep", "month", "returned", "ratio"]
    if returns is None or returns.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("returned", "ratio") else "int64") for c in columns})
    require_columns(returns, ["order_id", "line", "return_date", "amount"], "Returns")
    amount = floats(returns["amount"], "Returns", "amount")
    number = floats(returns["line"], "Returns", "line")
    no_blanks(np.isnan(amount) | np.isnan(number), "Returns", "amount or line")
    line = book.locate(returns["order_id"], number.astype("int64"))
    back = pd.DataFrame(
        {"line": line, "month": months(returns["return_date"], "Returns", "return_date"), "returned": amount}
    )
    _check_returns(back, returns, book)
    back = back.groupby(["line", "month"], as_index=False)["returned"].sum()
    back["ratio"] = back["returned"] / book.amount[back["line"].to_numpy()]
    claims = credit[np.isin(credit["line"].to_numpy(), back["line"].to_numpy())].merge(back, on="line")
    return claims.assign(returned=claims["returned"] * claims["share"])[columns]


def _check_returns(back: pd.DataFrame, returns: pd.DataFrame, book: OrderLines) -> None:
    """Every return is of a known order line with a positive amount, and not of more than it."""
    line = back["line"].to_numpy()
    sold = np.where(line >= 0, book.amount[line], np.nan)
    total = back.groupby("line")["returned"].transform("sum").to_numpy()
    for mask, reason in (
        (line < 0, "{sheet}: order {order} line {line} is not on the {orders} sheet"),
        (sold <= 0, "{sheet}: order {order} line {line} has an amount of 0 or less, so nothing can be returned"),
        (total > sold + _OVER_RETURN, "{sheet}: order {order} line {line} has more returned than was sold"),
    ):
        if mask.any():
            first = returns.iloc[int(np.flatnonzero(mask)[0])]
            raise InputError(
                tr(reason).format(sheet=tr("Returns"), order=first["order_id"], line=first["line"], orders=tr("Orders"))
            )
