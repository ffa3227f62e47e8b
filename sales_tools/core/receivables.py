"""Receivables (应收账款) and their ageing per customer, and the collection rate (回款率) per rep and month.

Conventions:

* Everything is as of a day, `as_of`: only the orders, returns and payments dated on
  or before it count (any time of that day).
* Money is in whole cents: every order line, return and payment is rounded to the
  cent first, so each total is the sum of its rounded rows and the buckets add up to
  the open amount exactly.
* A customer's invoiced amount is the sum of their order lines, returned the sum of
  the returns of those lines, paid the sum of their payments (negative ones are
  refunds); open = invoiced - returned - paid.
* An order's amount is its lines less their returns; its date is that of its
  earliest line.
* A payment that names an order of its customer pays that order first.  What it pays
  beyond what the order still owes, every payment without an order, and a payment
  naming an order its customer does not have (`receivable_exceptions` lists it) pay
  the customer's oldest open orders first (first in, first out: by order date, then
  order ID).  So does an order whose returns exceed its lines.  A payment naming an
  order dated after `as_of` (paid in advance) pays the oldest open orders too.
* What no open order takes is ``unapplied``: a credit the customer holds, shown as a
  negative amount (positive only when refunds exceed what was paid), so that
  open = not_due + days_0_30 + days_31_60 + days_61_90 + days_over_90 + unapplied.
* Ageing without payment terms: each order's open amount is aged from its order
  date, age = as_of - order date in days: 0-30, 31-60, 61-90 and over 90 days (an
  order 30 days old is in 0-30, one 31 days old in 31-60); not_due is 0.
* Ageing with payment terms of N days (``terms_days``): an order falls due N days
  after its order date and is aged from that due date, age = as_of - due date; an
  order due on as_of or later is not_due, 1-30 days past due go to days_0_30, then
  31-60, 61-90 and over 90.
* Overdue: with payment terms, the open amount past its due date (the four age
  buckets); without, the amount open for over 90 days.
* oldest_days: the age (as for the buckets) of the customer's oldest order still
  open, blank when none is; with payment terms it is negative while that order is
  not due yet.

The collection rate of a rep in a month is collected ÷ due (`collection_rate`):

* Collected: the payments dated in the month, credited to the rep named on the
  payment, else to the customer's owner rep (as on the KPIs sheet).
* Due (期初应收 + 本月新增应收): what the rep's customers (those they own on the
  Customers sheet) had to pay in the month: each customer's open balance on the 1st
  (invoiced - returned - paid before it) plus the month's orders less the month's
  returns, and 0 for a customer whose credit covers all that.
* The rate is blank when nothing was due; it can exceed 100% (payments in advance,
  or a rep collecting from a customer someone else owns).
* Example: R1 owns C1 and C2.  On 1 March C1 still owes 1,000.00 and C2 holds a
  credit of 200.00.  In March C1 orders 500.00 and pays 900.00, C2 orders 150.00.
  Due: C1 1,000 + 500 = 1,500, C2 max(0, -200 + 150) = 0, so 1,500; collected 900;
  rate 900 / 1,500 = 60%.
* Against the collections target (货款回收目标): attainment = collected ÷ the rep's
  target for the month, blank without a target (or a target of 0).
* Customers without an owner rep, and payments naming no rep for them, are under a
  blank rep ID.
* The team (rep ID ``TEAM``, with ``team=True``): per month, the sum of every row's
  due and collected, against the team's collections target.
* Collections targets (`collections_targets`) are the Targets rows whose measure is
  ``collections``, for a rep (no region, category or dealer) or for the team (no
  dimension at all), broken down by month like every target
  (`core.targets.monthly_targets`: Seasonality weights, exact cents).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sales_tools.core.frames import as_text, column_named, require_columns
from sales_tools.core.money import round_cents
from sales_tools.core.targets import DIMENSIONS, is_rep_total, monthly_targets
from sales_tools.errors import InputError
from sales_tools.schema import TABLES
from sales_tools.schema.language import tr

BUCKETS = ("not_due", "days_0_30", "days_31_60", "days_61_90", "days_over_90")
AGE_LIMITS = (30, 60, 90)  # the oldest age (days) in days_0_30, days_31_60 and days_61_90
COLUMNS = [
    "customer_id", "name", "owner_rep", "invoiced", "returned", "paid", "open", *BUCKETS, "unapplied", "overdue",
    "oldest_days",
]  # fmt: skip
TEAM_ID = "TEAM"  # the team's collection rate rows and target (as the weekly report's team row)
COLLECTIONS = "collections"  # the Targets measure of a collections target
RATE_COLUMNS = ["rep_id", "period", "due", "collected", "rate", "target", "attainment"]


@dataclass(frozen=True)
class Ledger:
    """What counts as of `last` (a day number), in days and cents, customers coded by their position on `ids`.

    Built once (`ledger`) and read by `receivables_of` and `collection_rate_of`.
    """

    last: int
    ids: pd.Index  # the customer IDs with an order line or payment counted
    book: pd.DataFrame  # one row per customer and order, oldest first: customer, order_id, day, invoiced, returned
    moves: pd.DataFrame  # lines, returns, payments: customer, day, sold (cents less returned), paid (cents)
    payments: pd.DataFrame  # customer, order (its row on `book`, -1 when none), rep_id, day, cents


def receivables(
    orders: pd.DataFrame,
    returns: pd.DataFrame | None,
    payments: pd.DataFrame | None,
    customers: pd.DataFrame | None,
    as_of,
    terms_days: int | None = None,
) -> pd.DataFrame:
    """Each customer's open amount as of `as_of`, aged (see the module docstring).

    Args:
        orders: the Orders table (order_id, line, order_date, customer_id, amount).
        returns: the Returns table (order_id, line, return_date, amount), or None.
        payments: the Payments table (payment_date, customer_id, order_id, rep_id, amount), or None.
        customers: the Customers table (customer_id, name, owner_rep), or None.
        as_of: the day of the figures.
        terms_days: payment terms in days (due date = order date + terms), or None to
            age from the order date.

    Returns:
        One row per customer with an order, return or payment on or before `as_of`,
        by owner rep then customer ID, with the `COLUMNS`: money in currency (whole
        cents), open = invoiced - returned - paid = the five buckets + unapplied.

    Raises:
        SchemaError: a column is missing.
        InputError: a blank or invalid date or amount, a return of an order line
            that is not on the Orders sheet, bad payment terms or `as_of`.
    """
    return receivables_of(ledger(orders, returns, payments, as_of), customers, terms_days)


def receivables_of(book: Ledger, customers: pd.DataFrame | None, terms_days: int | None = None) -> pd.DataFrame:
    """`receivables` on a `ledger` already built (the refresh builds one for both sheets)."""
    terms = _terms(terms_days)
    orders, pays, n = book.book, book.payments, len(book.ids)
    code = orders["customer"].to_numpy()
    net = orders["invoiced"].to_numpy() - orders["returned"].to_numpy()
    named = _paid_on_order(pays, np.maximum(net, 0))
    paid = _per(pays["customer"].to_numpy(), pays["cents"].to_numpy(), n)
    pool = paid - _per(code, named, n) + _per(code, np.maximum(-net, 0), n)  # pays the oldest orders first
    still_open, taken = _oldest_first(code, np.maximum(net, 0) - named, pool, n)
    age = book.last - orders["day"].to_numpy() - (terms or 0)
    bucket = 1 + sum((age > limit).astype("int64") for limit in AGE_LIMITS)
    if terms is not None:
        bucket[age <= 0] = 0
    aged = np.zeros((n, len(BUCKETS)), dtype="int64")
    np.add.at(aged, (code, bucket), still_open)
    cents = {
        "invoiced": _per(code, orders["invoiced"].to_numpy(), n),
        "returned": _per(code, orders["returned"].to_numpy(), n),
    }
    cents["paid"] = paid
    cents["open"] = cents["invoiced"] - cents["returned"] - paid
    cents.update(zip(BUCKETS, aged.T))
    cents["unapplied"] = taken - pool
    cents["overdue"] = aged[:, 1:].sum(axis=1) if terms is not None else aged[:, -1]
    oldest = pd.Series(age[still_open > 0]).groupby(code[still_open > 0]).max().reindex(range(n))
    out = pd.concat([_customer_info(customers, book.ids), pd.DataFrame(cents) / 100], axis=1)
    out["oldest_days"] = oldest.astype("Int64").to_numpy()
    return out.sort_values(["owner_rep", "customer_id"], na_position="last", kind="stable").reset_index(drop=True)


def collection_rate(
    orders: pd.DataFrame,
    returns: pd.DataFrame | None,
    payments: pd.DataFrame | None,
    customers: pd.DataFrame | None,
    as_of,
    targets: pd.DataFrame | None = None,
    team: bool = False,
) -> pd.DataFrame:
    """Per rep and month up to `as_of`: due, collected, rate, target, attainment (see the module docstring).

    Args:
        orders, returns, payments, customers: as for `receivables`.
        as_of: the day of the figures; its month is counted up to that day.
        targets: the monthly collections targets (rep_id, period: the 1st of the
            month, target), or None; rep ID `TEAM_ID` for the team's.
        team: add a `TEAM_ID` row per month (the sum of the others) with the team's target.

    Returns:
        The `RATE_COLUMNS`, one row per rep and month with something due or
        collected or a target, by rep (blank last) then month, the team's after;
        period is the 1st of the month, rate and attainment fractions (blank when
        nothing was due / no target).

    Raises:
        SchemaError: a column is missing.
        InputError: as for `receivables`.
    """
    return collection_rate_of(ledger(orders, returns, payments, as_of), customers, targets, team)


def collection_rate_of(
    book: Ledger, customers: pd.DataFrame | None, targets: pd.DataFrame | None = None, team: bool = False
) -> pd.DataFrame:
    """`collection_rate` on a `ledger` already built (the refresh builds one for both sheets)."""
    last_month = _month(np.array([book.last]))[0]
    owner = _owners(customers).reindex(book.ids).to_numpy(object)  # by customer code
    due, pays, target = _due(book, owner, last_month), book.payments, _monthly_targets(targets, last_month)
    target, team_target = target[target["rep_id"].ne(TEAM_ID)], target[target["rep_id"].eq(TEAM_ID)]
    sizes = [len(due), len(pays), len(target)]
    rep = np.concatenate(
        [
            due["rep_id"].to_numpy(object),
            _named_rep_else(pays["rep_id"], pd.Series(owner[pays["customer"].to_numpy()], dtype=object)),
            target["rep_id"].to_numpy(object),
        ]
    )
    rows = pd.DataFrame(
        {
            "rep_id": rep,
            "month": np.concatenate([due["month"], _month(pays["day"].to_numpy()), target["month"]]).astype("int64"),
            "due": _placed(due["cents"], 0, sizes),
            "collected": _placed(pays["cents"], 1, sizes),
            "target": np.r_[np.full(sizes[0] + sizes[1], np.nan), target["target"].to_numpy(float)],
        }
    )
    out = _rated(rows).sort_values(["rep_id", "month"], na_position="last", kind="stable")
    if team:
        together = rows.assign(rep_id=TEAM_ID, target=np.nan)
        goal = pd.DataFrame({"rep_id": TEAM_ID, "month": team_target["month"], "due": 0, "collected": 0,
                             "target": team_target["target"].to_numpy(float)})  # fmt: skip
        out = pd.concat([out, _rated(pd.concat([together, goal], ignore_index=True))], ignore_index=True)
    return out[RATE_COLUMNS].reset_index(drop=True)


def _rated(rows: pd.DataFrame) -> pd.DataFrame:
    """Cents due and collected and targets per rep and month: summed, with the rate and attainment."""
    grouped = rows.groupby(["rep_id", "month"], dropna=False)
    out = (grouped[["due", "collected"]].sum() / 100).assign(target=round_cents(grouped["target"].sum(min_count=1)))
    out = out.reset_index()
    out["period"] = out["month"].to_numpy().astype("datetime64[M]").astype("datetime64[ns]")
    out["rate"] = out["collected"] / out["due"].where(out["due"] > 0)
    out["attainment"] = out["collected"] / out["target"].where(out["target"] > 0)
    return out


def collections_targets(targets: pd.DataFrame, seasonality: pd.DataFrame | None = None) -> pd.DataFrame:
    """The monthly collections targets (rep_id, period, target) of the Targets table, for `collection_rate`.

    The rows whose measure is ``collections`` for a rep alone or for the team (rep ID
    `TEAM_ID`), broken down by month (`targets.monthly_targets`); others are left out
    (`other_collections_targets` lists them).

    >>> t = pd.DataFrame({"year": [2024, 2024, 2024], "rep_id": ["R1", None, "R1"],
    ...                   "annual_target": [1200.0, 2400.0, 9.0], "measure": ["collections", "collections", None]})
    >>> collections_targets(t).groupby("rep_id")["target"].first().to_dict()
    {'R1': 100.0, 'TEAM': 200.0}
    """
    mine = targets[_is_collections(targets) & (is_rep_total(targets) | _is_team(targets))]
    monthly = monthly_targets(mine, seasonality if seasonality is not None and len(seasonality) else None)
    monthly["rep_id"] = _named_rep_else(monthly["rep_id"], pd.Series(TEAM_ID, index=monthly.index))
    return monthly[["rep_id", "period", "target"]]


def other_collections_targets(targets: pd.DataFrame) -> pd.DataFrame:
    """The Targets rows with measure collections for a region, category or dealer: no collection rate counts them."""
    return targets[_is_collections(targets) & ~is_rep_total(targets) & ~_is_team(targets)]


def _is_collections(targets: pd.DataFrame) -> pd.Series:
    measure = as_text(targets.reindex(columns=["measure"])["measure"]).str.strip().str.casefold()
    return measure.eq(COLLECTIONS).fillna(False).astype(bool)


def _is_team(targets: pd.DataFrame) -> pd.Series:
    return targets.reindex(columns=list(DIMENSIONS)).isna().all(axis=1)


def receivable_exceptions(
    orders: pd.DataFrame, returns: pd.DataFrame | None, payments: pd.DataFrame | None, as_of
) -> pd.DataFrame:
    """Exceptions rows (schema ``exceptions``) for what `receivables` counts otherwise than a row says.

    As of `as_of`: a payment naming an order its customer does not have on the Orders
    sheet pays the customer's oldest open orders instead; a return of an order line
    dated after `as_of` (so returned before it was ordered) is left out.
    """
    last = _day_of(as_of)
    payments, returns = _or_empty(payments, "payments"), _or_empty(returns, "returns")
    require_columns(orders, ["order_id", "line", "order_date", "customer_id"], "Orders")
    require_columns(returns, ["order_id", "line", "return_date"], "Returns")
    require_columns(payments, ["payment_id", "payment_date", "customer_id", "order_id"], "Payments")
    named_orders = orders[orders["order_id"].isin(payments["order_id"].dropna()).to_numpy()]  # few: index only these
    known = pd.MultiIndex.from_arrays([named_orders["customer_id"], named_orders["order_id"]])
    named = pd.MultiIndex.from_arrays([payments["customer_id"], payments["order_id"]])
    stray = (_days(payments["payment_date"], "Payments", "payment_date") <= last) & ~named.isin(known)
    stray = payments[stray & payments["order_id"].notna().to_numpy()]
    customer, order = stray["customer_id"].astype(str), stray["order_id"].astype(str)
    paid = tr("payment {payment} of customer {customer} names order {order}, which is not an order of {customer} on "
              "the {sheet} sheet; it pays the customer's oldest open orders")  # fmt: skip
    why_paid = [paid.format(payment=p, customer=c, order=o, sheet=tr("Orders"))
                for p, c, o in zip(stray["payment_id"].astype(str), customer, order)]  # fmt: skip
    back_day = _days(returns["return_date"], "Returns", "return_date")
    ordered = _days(orders["order_date"].iloc[_line_positions(orders, returns)], "Orders", "order_date")
    early = (back_day <= last) & (ordered > last)
    back, returned_on = returns[early], _text_days(back_day[early])
    early_back = tr("order {order} line {line} is returned on {date}, before its order date {ordered}; the return is "
                    "left out of the receivables as of {as_of}")  # fmt: skip
    why_back = [early_back.format(order=o, line=n, date=d, ordered=w, as_of=_text_days([last])[0])
                for o, n, d, w in zip(back["order_id"].astype(str), back["line"].astype(str), returned_on,
                                      _text_days(ordered[early]))]  # fmt: skip
    return pd.concat(
        [_exceptions(stray, tr("Payments"), "order_id", order, why_paid),
         _exceptions(back, tr("Returns"), "return_date", returned_on, why_back)],
        ignore_index=True,
    )  # fmt: skip


def _terms(terms_days) -> int | None:
    if terms_days is None:
        return None
    whole = isinstance(terms_days, numbers.Real) and not isinstance(terms_days, bool | np.bool_)
    if not whole or not float(terms_days).is_integer() or terms_days < 0:
        raise InputError(
            tr("payment terms must be a whole number of days, 0 or more, not {days!r}").format(days=terms_days)
        )
    return int(terms_days)


def ledger(orders: pd.DataFrame, returns, payments, as_of) -> Ledger:
    """The order lines, returns and payments dated on or before `as_of`, checked, in cents and coded.

    Raises as `receivables` does.
    """
    last = _day_of(as_of)
    returns, payments = _or_empty(returns, "returns"), _or_empty(payments, "payments")
    require_columns(orders, ["order_id", "line", "order_date", "customer_id", "amount"], "Orders")
    require_columns(returns, ["order_id", "line", "return_date", "amount"], "Returns")
    require_columns(payments, ["payment_date", "customer_id", "order_id", "rep_id", "amount"], "Payments")
    for frame, column, sheet in ((orders, "order_id", "Orders"), (orders, "customer_id", "Orders"),
                                 (payments, "customer_id", "Payments")):  # fmt: skip
        blank = frame[column].isna().to_numpy()
        if blank.any():
            raise InputError(
                tr("{sheet}: {row} has no {column}").format(
                    sheet=tr(sheet), row=_row(frame, blank), column=column_named(sheet, column)
                )
            )
    ordered = _days(orders["order_date"], "Orders", "order_date")
    line_cents, kept = _cents(orders, "Orders"), np.flatnonzero(ordered <= last)
    at, returned_on = _line_positions(orders, returns), _days(returns["return_date"], "Returns", "return_date")
    back, return_cents = (returned_on <= last) & (ordered[at] <= last), _cents(returns, "Returns")
    paid_on = _days(payments["payment_date"], "Payments", "payment_date")
    paying = paid_on <= last
    customer, ids = pd.factorize(
        np.concatenate([orders["customer_id"].to_numpy(object)[kept], payments["customer_id"].to_numpy(object)[paying]])
    )
    ids = pd.Index(ids, dtype=object)
    line_customer, pay_customer = customer[: len(kept)], customer[len(kept) :]
    book, row_of_line, order_ids, pair_of = _orders(
        line_customer, orders["order_id"].to_numpy(object)[kept], ordered[kept], line_cents[kept]
    )
    on_book = np.full(len(orders), -1)
    on_book[kept] = row_of_line
    back_row = on_book[at[back]]
    back_cents = return_cents[back]
    book["returned"] = _per(back_row, back_cents, len(book))
    pays = pd.DataFrame(
        {
            "customer": pay_customer,
            "order": _named_order(pay_customer, payments["order_id"].to_numpy(object)[paying], order_ids, pair_of),
            "rep_id": payments["rep_id"].to_numpy(object)[paying],
            "day": paid_on[paying],
            "cents": _cents(payments, "Payments")[paying],
        }
    )
    moves = pd.DataFrame(
        {
            "customer": np.concatenate([line_customer, book["customer"].to_numpy()[back_row], pay_customer]),
            "day": np.concatenate([ordered[kept], returned_on[back], paid_on[paying]]),
            "sold": np.concatenate([line_cents[kept], -back_cents, np.zeros(paying.sum(), dtype="int64")]),
            "paid": np.concatenate([np.zeros(len(kept) + len(back_cents), dtype="int64"), pays["cents"].to_numpy()]),
        }
    )
    return Ledger(last, ids, book, moves, pays)


def _orders(customer: np.ndarray, order_id: np.ndarray, day: np.ndarray, cents: np.ndarray):
    """One row per customer and order of the lines: customer, order_id, day (of its earliest line), invoiced;
    oldest first (by day, then order ID, then first line).

    Also returns each line's row, the order IDs by order code (sorted) and the index of
    the (customer, order code) pairs by the rows in first-line order.
    """
    order, order_ids = pd.factorize(order_id)
    order_ids = pd.Index(order_ids, dtype=object)
    rank = pd.factorize(order_ids.to_numpy(object), sort=True)[0]  # as sort_values orders them (mixed types too)
    pair = customer.astype("int64") * max(len(order_ids), 1) + order
    group, pairs = pd.factorize(pair)  # by first line
    n = len(pairs)
    first_day = np.full(n, np.iinfo("int64").max)
    np.minimum.at(first_day, group, day)
    oldest = np.lexsort((np.arange(n), rank[pairs % max(len(order_ids), 1)], first_day))
    row = np.empty(n, dtype="int64")
    row[oldest] = np.arange(n)
    book = pd.DataFrame(
        {
            "customer": (pairs // max(len(order_ids), 1))[oldest],
            "order_id": order_ids.to_numpy(object)[pairs[oldest] % max(len(order_ids), 1)],
            "day": first_day[oldest],
            "invoiced": _per(group, cents, n)[oldest],
        }
    )
    return book, row[group], order_ids, (pd.Index(pairs), row)


def _named_order(customer: np.ndarray, order_id: np.ndarray, order_ids: pd.Index, pair_of) -> np.ndarray:
    """The book row of the order each payment names for its customer, -1 when it names none."""
    pairs, row = pair_of
    named = pd.notna(order_id)
    out = np.full(len(order_id), -1)
    order = order_ids.get_indexer(order_id[named]) if named.any() else np.array([], dtype="int64")
    found = order >= 0
    at = pairs.get_indexer(customer[named][found].astype("int64") * max(len(order_ids), 1) + order[found])
    where = np.flatnonzero(named)[found]
    out[where[at >= 0]] = row[at[at >= 0]]
    return out


def _paid_on_order(pays: pd.DataFrame, owed: np.ndarray) -> np.ndarray:
    """What the payments naming each order pay of it: their total, at most what it `owed`, never below 0."""
    order = pays["order"].to_numpy()
    total = _per(order[order >= 0], pays["cents"].to_numpy()[order >= 0], len(owed))
    return np.clip(total, 0, owed)


def _oldest_first(code: np.ndarray, owed: np.ndarray, pool: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Each customer's `pool` paid into their orders' `owed`, in row order (oldest first).

    Returns what each order still owes, and how much of each pool was taken.  An
    order is paid by what the pool holds beyond the orders before it:
    still owed = min(owed, max(0, owed up to and including it - pool)).
    """
    budget = np.maximum(pool, 0)
    cumulative = pd.Series(owed).groupby(code).cumsum().to_numpy()
    still = np.minimum(owed, np.maximum(cumulative - budget[code], 0))
    return still, np.minimum(budget, _per(code, owed, n))


def _due(book: Ledger, owner: np.ndarray, last_month: int) -> pd.DataFrame:
    """rep_id, month, cents: what the customers of each owner rep (`owner` by customer code) had to pay
    in each month up to `last_month` (when > 0).

    Every customer gets every month from their first order, return or payment on:
    the balance carried from the month before plus the month's orders less returns;
    what a customer has to pay is max(0, that), then summed per owner rep and month.
    """
    moves = book.moves
    if moves.empty:
        return pd.DataFrame({"rep_id": pd.Series(dtype=object), "month": 0, "cents": 0}).iloc[:0]
    code, month, n = moves["customer"].to_numpy(), _month(moves["day"].to_numpy()), len(book.ids)
    first = np.full(n, last_month)
    np.minimum.at(first, code, month)  # every customer has a move
    span = last_month - first + 1
    start = np.r_[0, np.cumsum(span)[:-1]]
    grid = np.repeat(np.arange(n), span)
    at = start[code] + month - first[code]
    sold, paid = (_per(at, moves[c].to_numpy(), len(grid)) for c in ("sold", "paid"))
    closing = np.cumsum(sold - paid)
    opening = closing - (sold - paid) - np.r_[0, closing][start][grid]
    due = np.maximum(opening + sold, 0)
    month_of = first[grid] + np.arange(len(grid)) - start[grid]
    rep, reps = pd.factorize(owner, use_na_sentinel=False)
    oldest, months = first.min(), last_month + 1 - first.min()
    rep_month, pairs = pd.factorize(rep[grid] * months + month_of - oldest)
    cents = _per(rep_month, due, len(pairs))
    keep = cents > 0
    return pd.DataFrame(
        {
            "rep_id": np.asarray(reps, dtype=object)[pairs[keep] // months],
            "month": pairs[keep] % months + oldest,
            "cents": cents[keep],
        }
    )


def _monthly_targets(targets: pd.DataFrame | None, last_month: int) -> pd.DataFrame:
    """rep_id, month, target of the collections targets up to `last_month`."""
    if targets is None:
        targets = pd.DataFrame({"rep_id": [], "period": pd.to_datetime([]), "target": []})
    require_columns(targets, ["rep_id", "period", "target"], "collections targets")
    month = _month(_days(targets["period"], "collections targets", "period"))
    amount = pd.to_numeric(targets["target"]).to_numpy("float64")
    keep = month <= last_month
    return pd.DataFrame(
        {"rep_id": targets["rep_id"].to_numpy(object)[keep], "month": month[keep], "target": amount[keep]}
    )


def _line_positions(orders: pd.DataFrame, returns: pd.DataFrame) -> np.ndarray:
    """The position on `orders` of each return's order line; a line not there raises."""
    candidates = np.flatnonzero(orders["order_id"].isin(returns["order_id"]).to_numpy())
    sold = orders.iloc[candidates]
    index = pd.MultiIndex.from_arrays([sold["order_id"], _line_numbers(sold["line"])])
    unique = ~index.duplicated()
    at = index[unique].get_indexer(pd.MultiIndex.from_arrays([returns["order_id"], _line_numbers(returns["line"])]))
    if (at < 0).any():
        first = returns.iloc[int(np.flatnonzero(at < 0)[0])]
        where = _row(returns, at < 0)
        raise InputError(
            tr("{sheet}: {row}, order {order} line {line} is not on the {orders} sheet").format(
                sheet=tr("Returns"), row=where, order=first["order_id"], line=first["line"], orders=tr("Orders")
            )
        )
    return candidates[unique][at]


def _customers(customers: pd.DataFrame | None) -> pd.DataFrame:
    """name and owner_rep by customer ID."""
    if customers is None:
        return pd.DataFrame({"name": [], "owner_rep": []}, index=pd.Index([], name="customer_id"), dtype=object)
    require_columns(customers, ["customer_id", "name", "owner_rep"], "Customers")
    return customers.drop_duplicates("customer_id").set_index("customer_id")[["name", "owner_rep"]]


def _customer_info(customers: pd.DataFrame | None, ids: pd.Index) -> pd.DataFrame:
    info = _customers(customers).reindex(ids)
    return pd.DataFrame({"customer_id": ids.to_numpy(object)} | {c: info[c].to_numpy(object) for c in info})


def _owners(customers: pd.DataFrame | None) -> pd.Series:
    return _customers(customers)["owner_rep"]


def _named_rep_else(rep: pd.Series, owner: pd.Series) -> np.ndarray:
    """The rep named, else the owner (numpy: pandas 2's fillna would warn on an all-blank column)."""
    named = rep.to_numpy(object)
    return np.where(pd.isna(named), owner.to_numpy(object), named)


def _or_empty(frame: pd.DataFrame | None, table: str) -> pd.DataFrame:
    return pd.DataFrame(columns=TABLES[table].names) if frame is None else frame


def _day_of(as_of) -> int:
    """`as_of` as a day number (days since 1970-01-01)."""
    try:
        day = pd.Timestamp(as_of)
    except (TypeError, ValueError):
        day = pd.NaT
    if pd.isna(day):
        raise InputError(tr("the figures date {date!r} is not a date").format(date=as_of))
    return int(day.to_datetime64().astype("datetime64[D]").astype("int64"))


def _days(values: pd.Series, sheet: str, column: str) -> np.ndarray:
    """Dates as day numbers; a blank or non-date raises naming its row."""
    dates = pd.to_datetime(values, errors="coerce")
    blank = dates.isna().to_numpy()
    if blank.any():
        raise InputError(
            tr("{sheet}: {row} has no {column} (or not a valid date)").format(
                sheet=tr(sheet), row=_row(values, blank), column=column_named(sheet, column)
            )
        )
    return dates.to_numpy().astype("datetime64[D]").astype("int64")


def _cents(frame: pd.DataFrame, sheet: str) -> np.ndarray:
    """The amount column in whole cents (rounded half away from zero); a blank or non-number raises."""
    numbers = pd.to_numeric(frame["amount"], errors="coerce").astype("float64").to_numpy()
    bad = ~np.isfinite(numbers)
    if bad.any():
        raise InputError(
            tr("{sheet}: {row} has no {column} (or not a finite number)").format(
                sheet=tr(sheet), row=_row(frame, bad), column=column_named(sheet, "amount")
            )
        )
    return np.rint(round_cents(numbers) * 100).astype("int64")


def _line_numbers(values: pd.Series) -> np.ndarray:
    return pd.to_numeric(values, errors="coerce").astype("float64").to_numpy()


def _month(days: np.ndarray) -> np.ndarray:
    """Day numbers as month numbers (months since 1970-01)."""
    return np.asarray(days, dtype="int64").astype("datetime64[D]").astype("datetime64[M]").astype("int64")


def _text_days(days) -> np.ndarray:
    return np.datetime_as_string(np.asarray(days, dtype="int64").astype("datetime64[D]"))


def _per(code: np.ndarray, values, n: int) -> np.ndarray:
    """`values` (cents) summed per code 0..n-1."""
    out = np.zeros(n, dtype="int64")
    np.add.at(out, code, np.asarray(values, dtype="int64"))
    return out


def _placed(values, slot: int, sizes: list[int]) -> np.ndarray:
    """`values` at their slot among parts of `sizes` rows, zeros elsewhere."""
    out = np.zeros(sum(sizes), dtype="int64")
    start = sum(sizes[:slot])
    out[start : start + sizes[slot]] = values
    return out


def _row(frame: pd.DataFrame | pd.Series, mask: np.ndarray) -> str:
    """ "row N" of the first row in `mask`: the Excel row when the index holds them, else the position."""
    first = int(np.flatnonzero(mask)[0])
    return tr("row {row}").format(row=frame.index[first] if frame.index.name == "row" else first + 1)


def _exceptions(rows: pd.DataFrame, sheet: str, column: str, values, reasons) -> pd.DataFrame:
    excel_rows = rows.index if rows.index.name == "row" else [None] * len(rows)
    return pd.DataFrame(
        {
            "file": np.full(len(rows), "", dtype=object),
            "sheet": np.full(len(rows), sheet, dtype=object),
            "row": pd.array(excel_rows, dtype="Int64"),
            "column": np.full(len(rows), column, dtype=object),
            "value": np.asarray(values, dtype=object),
            "reason": np.asarray(reasons, dtype=object),
        },
        columns=TABLES["exceptions"].names,
    )
