"""`receivables` and `collection_rate` against a straightforward reference on small random books.

The reference walks each customer's orders and months in plain Python, as the module
docstring says, and must agree to the cent with the vectorized code.
"""

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sales_tools.core.receivables import BUCKETS, collection_rate, receivables

START = pd.Timestamp("2024-01-01")
CUSTOMERS = pd.DataFrame({"customer_id": ["C1", "C2", "C3"], "name": "x", "owner_rep": ["R1", "R2", None]})
OWNER = {"C1": "R1", "C2": "R2"}  # C3 and C4 (not on Customers) have no owner


@st.composite
def books(draw):
    """Order lines, returns of some of them, payments (some naming an order) and a figures day."""
    n = draw(st.integers(1, 12))
    lines = pd.DataFrame(
        {
            "order_id": draw(st.lists(st.sampled_from(["O1", "O2", "O3", "O4", "O5"]), min_size=n, max_size=n)),
            "line": range(1, n + 1),
            "order_date": [
                START + pd.Timedelta(days=d) for d in draw(st.lists(st.integers(0, 150), min_size=n, max_size=n))
            ],  # fmt: skip
            "customer_id": draw(st.lists(st.sampled_from(["C1", "C2", "C3", "C4"]), min_size=n, max_size=n)),
            "amount": [c / 100 for c in draw(st.lists(st.integers(-5_000, 90_000), min_size=n, max_size=n))],
        }
    )
    back = sorted(set(draw(st.lists(st.integers(0, n - 1), max_size=4))))
    returned = pd.DataFrame(
        {
            "order_id": lines["order_id"].to_numpy()[back],
            "line": lines["line"].to_numpy()[back],
            "return_date": lines["order_date"].to_numpy()[back]
            + np.array(
                [np.timedelta64(draw(st.integers(0, 60)), "D") for _ in back], dtype="timedelta64[D]"
            ),  # fmt: skip
            "amount": [draw(st.integers(0, 40_000)) / 100 for _ in back],
        }
    )
    m = draw(st.integers(0, 6))
    paid = pd.DataFrame(
        {
            "payment_id": [f"P{i}" for i in range(m)],
            "payment_date": [START + pd.Timedelta(days=draw(st.integers(0, 170))) for _ in range(m)],
            "customer_id": [draw(st.sampled_from(["C1", "C2", "C3", "C4"])) for _ in range(m)],
            "order_id": [draw(st.sampled_from([None, "O1", "O2", "O3", "O9"])) for _ in range(m)],
            "rep_id": [draw(st.sampled_from([None, "R1", "R3"])) for _ in range(m)],
            "amount": [draw(st.integers(-2_000, 100_000)) / 100 for _ in range(m)],
        }
    )
    as_of = START + pd.Timedelta(days=draw(st.integers(0, 180)))
    returned["return_date"] = pd.to_datetime(returned["return_date"])  # typed even when empty
    paid["payment_date"] = pd.to_datetime(paid["payment_date"])
    return lines, returned, paid, as_of, draw(st.sampled_from([None, 0, 30]))


def cents(x) -> int:
    return int(round(x * 100))  # the amounts drawn are whole cents


def counted(lines, returned, paid, as_of):
    """The rows dated on or before as_of, amounts in cents (a return only when its line is too)."""
    lines = lines[lines["order_date"] <= as_of].assign(c=lambda f: f["amount"].map(cents))
    returned = returned.merge(lines[["order_id", "line", "customer_id"]], on=["order_id", "line"])
    returned = returned[returned["return_date"] <= as_of].assign(c=lambda f: f["amount"].map(cents))
    paid = paid[paid["payment_date"] <= as_of].assign(c=lambda f: f["amount"].map(cents))
    return lines, returned, paid


def reference_receivables(lines, returned, paid, as_of, terms):
    """Per customer: open cents in each bucket and unapplied, walking their orders oldest first."""
    lines, returned, paid = counted(lines, returned, paid, as_of)
    out = {}
    for customer in sorted(set(lines["customer_id"]) | set(paid["customer_id"])):
        mine = lines[lines["customer_id"] == customer]
        book = mine.groupby("order_id").agg(day=("order_date", "min"), invoiced=("c", "sum"))
        back = returned[returned["customer_id"] == customer].groupby("order_id")["c"].sum()
        book["net"] = book["invoiced"] - back.reindex(book.index, fill_value=0)
        book = book.reset_index().sort_values(["day", "order_id"])
        pays = paid[paid["customer_id"] == customer]
        pool = int(pays["c"].sum())
        owed = {}
        for order, net, *_ in zip(book["order_id"], book["net"], book["day"]):
            named = int(pays.loc[pays["order_id"] == order, "c"].sum())
            on_it = min(max(named, 0), max(net, 0))  # what the payments naming it pay of it
            owed[order] = max(net, 0) - on_it
            pool += -on_it + max(-net, 0)  # the rest, and a negative order's credit, pay the oldest
        budget, left = max(pool, 0), max(pool, 0)
        buckets = dict.fromkeys([*BUCKETS, "unapplied"], 0)
        for order, day in zip(book["order_id"], book["day"]):
            take = min(owed[order], left)
            left -= take
            age = (as_of - day).days - (terms or 0)
            if terms is not None and age <= 0:
                bucket = "not_due"
            else:
                bucket = BUCKETS[1 + sum(age > limit for limit in (30, 60, 90))]
            buckets[bucket] += owed[order] - take
        buckets["unapplied"] = (budget - left) - pool  # what the orders took, less the pool
        out[customer] = buckets
    return out


def reference_rate(lines, returned, paid, as_of):
    """Per (rep, month number): [due cents, collected cents], month by month per customer."""
    lines, returned, paid = counted(lines, returned, paid, as_of)
    month = lambda d: d.year * 12 + d.month - 1  # noqa: E731
    moves = pd.concat(
        [
            pd.DataFrame(
                {
                    "customer_id": lines["customer_id"],
                    "m": lines["order_date"].map(month),
                    "sold": lines["c"],
                    "paid": 0,
                }
            ),  # fmt: skip
            pd.DataFrame(
                {
                    "customer_id": returned["customer_id"],
                    "m": returned["return_date"].map(month),
                    "sold": -returned["c"],
                    "paid": 0,
                }
            ),  # fmt: skip
            pd.DataFrame(
                {"customer_id": paid["customer_id"], "m": paid["payment_date"].map(month), "sold": 0, "paid": paid["c"]}
            ),  # fmt: skip
        ]
    )
    out = {}
    for customer, mine in moves.groupby("customer_id"):
        balance = 0
        for m in range(mine["m"].min(), month(as_of) + 1):
            now = mine[mine["m"] == m]
            due = max(balance + now["sold"].sum(), 0)  # opening balance + the month's orders less returns
            balance += now["sold"].sum() - now["paid"].sum()
            if due > 0:
                out.setdefault((OWNER.get(customer), m), [0, 0])[0] += due
    for customer, rep, when, c in zip(paid["customer_id"], paid["rep_id"], paid["payment_date"], paid["c"]):
        out.setdefault((OWNER.get(customer) if pd.isna(rep) else rep, month(when)), [0, 0])[1] += c
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(books())
def test_receivables_match_the_reference_to_the_cent(book):
    lines, returned, paid, as_of, terms = book
    got = receivables(lines, returned, paid, CUSTOMERS, as_of, terms).set_index("customer_id")
    want = reference_receivables(lines, returned, paid, as_of, terms)
    assert sorted(got.index) == sorted(want)
    for customer, buckets in want.items():
        for column, value in buckets.items():
            assert cents(got.loc[customer, column]) == value, (customer, column)
        # open = the buckets + unapplied, to the cent
        assert cents(got.loc[customer, "open"]) == sum(buckets.values()), customer


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(books())
def test_collection_rate_matches_the_reference_to_the_cent(book):
    lines, returned, paid, as_of, _ = book
    got = collection_rate(lines, returned, paid, CUSTOMERS, as_of)
    want = reference_rate(lines, returned, paid, as_of)
    month = got["period"].dt.year * 12 + got["period"].dt.month - 1
    seen = {
        (None if pd.isna(rep) else rep, m): [cents(d), cents(c)]
        for rep, m, d, c in zip(got["rep_id"], month, got["due"], got["collected"])
    }
    assert {k: v for k, v in seen.items() if v != [0, 0]} == {k: v for k, v in want.items() if v != [0, 0]}
    for d, c, rate in zip(got["due"], got["collected"], got["rate"]):
        if d > 0:
            assert rate == c / d
        else:
            assert pd.isna(rate)
