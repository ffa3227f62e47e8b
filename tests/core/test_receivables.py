import numpy as np
import pandas as pd
import pytest

from sales_tools.core.receivables import (
    BUCKETS,
    COLUMNS,
    RATE_COLUMNS,
    collection_rate,
    receivable_exceptions,
    receivables,
)
from sales_tools.errors import InputError, SchemaError
from sales_tools.schema import TABLES

T = pd.Timestamp
CUSTOMERS = pd.DataFrame(
    {"customer_id": ["C1", "C2", "C3"], "name": ["Acme", "Bolt", "Cog"], "owner_rep": ["R1", "R1", None]}
)


def orders(*rows):
    """(order_id, line, date, customer, amount) rows."""
    frame = pd.DataFrame(rows, columns=["order_id", "line", "order_date", "customer_id", "amount"])
    return frame.assign(order_date=pd.to_datetime(frame["order_date"]), rep_id="R1")


def payments(*rows):
    """(payment_id, date, customer, order_id, rep_id, amount) rows."""
    frame = pd.DataFrame(rows, columns=["payment_id", "payment_date", "customer_id", "order_id", "rep_id", "amount"])
    return frame.assign(payment_date=pd.to_datetime(frame["payment_date"]))


def returns(*rows):
    """(order_id, line, date, amount) rows."""
    frame = pd.DataFrame(rows, columns=["order_id", "line", "return_date", "amount"])
    return frame.assign(return_date=pd.to_datetime(frame["return_date"]))


def by_customer(table):
    return table.set_index("customer_id")


def cents(values):
    return np.rint(np.asarray(values, dtype=float) * 100).astype("int64")


def test_payments_without_an_order_pay_the_oldest_orders_first():
    book = orders(("O3", 1, "2024-02-01", "C1", 300.0), ("O1", 1, "2024-01-01", "C1", 100.0),
                  ("O2", 1, "2024-01-15", "C1", 200.0))  # fmt: skip
    paid = payments(("P1", "2024-02-10", "C1", None, None, 250.0))
    table = receivables(book, None, paid, CUSTOMERS, "2024-03-01")
    assert table.columns.tolist() == COLUMNS
    c1 = by_customer(table).loc["C1"]
    assert (c1["name"], c1["owner_rep"]) == ("Acme", "R1")
    assert (c1["invoiced"], c1["returned"], c1["paid"], c1["open"]) == (600.0, 0.0, 250.0, 350.0)
    # 250 pays O1 (100, 1 Jan) then 150 of O2 (15 Jan, 46 days old); O3 (1 Feb, 29 days) is untouched
    assert c1[list(BUCKETS)].tolist() == [0.0, 300.0, 50.0, 0.0, 0.0]
    assert (c1["unapplied"], c1["overdue"]) == (0.0, 0.0)


def test_a_payment_naming_an_order_pays_it_first_then_the_oldest():
    book = orders(("A1", 1, "2024-01-01", "C1", 100.0), ("A2", 1, "2024-02-01", "C1", 200.0),
                  ("B1", 1, "2024-01-01", "C2", 100.0), ("B2", 1, "2024-02-01", "C2", 200.0))  # fmt: skip
    paid = payments(("P1", "2024-02-10", "C1", "A2", None, 150.0), ("P2", "2024-02-10", "C2", "B1", None, 250.0))
    table = by_customer(receivables(book, None, paid, CUSTOMERS, "2024-03-01"))
    # C1: 150 pays A2 (29 days old) though A1 (60 days) is older: A1 100 and A2 50 stay open
    assert table.loc["C1", ["open", "days_0_30", "days_31_60"]].tolist() == [150.0, 50.0, 100.0]
    # C2: 250 pays B1's 100; the 150 over pays the oldest open order, B2, which keeps 50
    assert table.loc["C2", ["open", "days_0_30", "days_31_60", "unapplied"]].tolist() == [50.0, 50.0, 0.0, 0.0]


def test_returns_reduce_their_order_and_credit_notes_pay_the_oldest_orders():
    book = orders(("O1", 1, "2024-01-01", "C1", 60.0), ("O1", 2, "2024-01-01", "C1", 40.0),
                  ("O2", 1, "2024-02-01", "C1", 100.0),
                  ("N1", 1, "2024-01-01", "C2", 100.0), ("N2", 1, "2024-02-20", "C2", -30.0))  # fmt: skip
    back = returns(("O1", 2, "2024-02-05", 40.0))
    paid = payments(("P1", "2024-02-10", "C1", None, None, 100.0))
    table = by_customer(receivables(book, back, paid, CUSTOMERS, "2024-03-01"))
    # O1 is 100 - 40 = 60: the 100 paid covers it and 40 of O2, which keeps 60 (29 days old)
    c1 = table.loc["C1"]
    assert (c1["invoiced"], c1["returned"], c1["paid"], c1["open"]) == (200.0, 40.0, 100.0, 60.0)
    assert c1[list(BUCKETS)].tolist() == [0.0, 60.0, 0.0, 0.0, 0.0]
    # C2: the credit note of -30 pays the oldest order N1 (60 days old): 70 open there
    assert table.loc["C2", ["invoiced", "open", "days_31_60", "unapplied"]].tolist() == [70.0, 70.0, 70.0, 0.0]


def test_an_overpayment_is_a_credit_shown_as_unapplied():
    book = orders(("O1", 1, "2024-01-01", "C1", 100.0), ("O2", 1, "2024-01-01", "C2", 100.0),
                  ("O3", 1, "2024-01-01", "C3", 100.0))  # fmt: skip
    paid = payments(
        ("P1", "2024-01-05", "C1", None, None, 130.0),
        ("P2", "2024-01-05", "C2", "O2", None, 130.0),
        ("P3", "2024-01-05", "C3", None, None, 100.0),
        ("P4", "2024-01-09", "C3", None, None, -20.0),  # a refund: 20 is owed again
        ("P5", "2024-01-09", "C9", None, None, -10.0),  # a refund to a customer without orders
    )
    table = by_customer(receivables(book, None, paid, CUSTOMERS, "2024-01-31"))
    for customer in ("C1", "C2"):
        assert table.loc[customer, ["open", *BUCKETS, "unapplied"]].tolist() == [-30.0, 0, 0, 0, 0, 0, -30.0]
    assert table.loc["C3", ["paid", "open", "days_0_30", "unapplied"]].tolist() == [80.0, 20.0, 20.0, 0.0]
    c9 = table.loc["C9"]
    assert (c9["invoiced"], c9["paid"], c9["open"], c9["unapplied"]) == (0.0, -10.0, 10.0, 10.0)
    assert pd.isna(c9["name"]) and pd.isna(c9["owner_rep"])  # not on the Customers sheet
    assert table.index.tolist() == ["C1", "C2", "C3", "C9"]  # R1's customers, then those without an owner


AGES = orders(*[(f"O{age}", 1, day, "C1", amount) for age, day, amount in [
    (0, "2024-06-30", 1.0), (30, "2024-05-31", 2.0), (31, "2024-05-30", 4.0), (60, "2024-05-01", 8.0),
    (61, "2024-04-30", 16.0), (90, "2024-04-01", 32.0), (91, "2024-03-31", 64.0)]])  # fmt: skip


def test_bucket_boundaries_by_order_date():
    c1 = by_customer(receivables(AGES, None, None, CUSTOMERS, "2024-06-30")).loc["C1"]
    # ages 0 and 30 | 31 and 60 | 61 and 90 | 91 days
    assert c1[list(BUCKETS)].tolist() == [0.0, 3.0, 12.0, 48.0, 64.0]
    assert (c1["open"], c1["overdue"]) == (127.0, 64.0)


def test_bucket_boundaries_by_due_date_with_payment_terms():
    c1 = by_customer(receivables(AGES, None, None, CUSTOMERS, "2024-06-30", terms_days=30)).loc["C1"]
    # due 30 days after the order: -30 and 0 days past due are not yet due | 1 and 30 | 31 and 60 | 61
    assert c1[list(BUCKETS)].tolist() == [3.0, 12.0, 48.0, 64.0, 0.0]
    assert (c1["open"], c1["overdue"]) == (127.0, 124.0)
    zero = by_customer(receivables(AGES, None, None, CUSTOMERS, "2024-06-30", terms_days=0)).loc["C1"]
    assert zero[list(BUCKETS)].tolist() == [1.0, 2.0, 12.0, 48.0, 64.0]  # due on the order date: only age 0 is not due


@pytest.mark.parametrize("terms", [-1, 1.5, "30", True, float("nan")])
def test_bad_payment_terms(terms):
    with pytest.raises(InputError, match="payment terms"):
        receivables(AGES, None, None, CUSTOMERS, "2024-06-30", terms_days=terms)


def test_only_events_on_or_before_as_of_count():
    book = orders(("O1", 1, "2024-03-01", "C1", 100.0), ("O1", 2, "2024-03-11", "C1", 50.0),
                  ("O2", 1, "2024-03-11", "C2", 70.0))  # fmt: skip
    back = returns(("O1", 1, "2024-03-10 18:00", 10.0), ("O1", 1, "2024-03-11 00:00", 5.0))
    paid = payments(
        ("P1", "2024-03-10 09:30", "C1", None, None, 20.0), ("P2", "2024-03-11 00:00", "C1", None, None, 40.0)
    )
    table = receivables(book, back, paid, CUSTOMERS, "2024-03-10")
    assert table["customer_id"].tolist() == ["C1"]  # C2's only order is dated after as_of
    c1 = table.iloc[0]
    assert (c1["invoiced"], c1["returned"], c1["paid"], c1["open"], c1["days_0_30"]) == (100.0, 10.0, 20.0, 70.0, 70.0)


def test_cents_add_up_exactly():
    book = orders(("O1", 1, "2024-01-01", "C1", 0.1), ("O1", 2, "2024-01-01", "C1", 0.2),
                  ("O2", 1, "2024-03-01", "C1", 100.005), ("O3", 1, "2024-05-01", "C1", 33.333))  # fmt: skip
    paid = payments(("P1", "2024-05-02", "C1", None, None, 0.305))
    c1 = by_customer(receivables(book, None, paid, CUSTOMERS, "2024-05-31")).loc["C1"]
    # lines in cents: 0.10 + 0.20 + 100.01 + 33.33 = 133.64; paid 0.31 (half away from zero)
    assert (c1["invoiced"], c1["paid"], c1["open"]) == (133.64, 0.31, 133.33)
    # 0.31 pays O1 (0.30) and 0.01 of O2 (91 days old): 100.00 over 90 days, O3's 33.33 within 30
    assert c1[list(BUCKETS)].tolist() == [0.0, 33.33, 0.0, 0.0, 100.0]
    assert cents(c1[[*BUCKETS, "unapplied"]]).sum() == cents(c1["open"])


def test_matches_a_plain_loop_on_many_rows():
    rng = np.random.default_rng(7)
    n = 400
    book = pd.DataFrame(
        {
            "order_id": [f"O{i % 150}" for i in range(n)],
            "line": [i // 150 + 1 for i in range(n)],
            "order_date": T("2024-01-01") + pd.to_timedelta(rng.integers(0, 200, n), unit="D"),
            "customer_id": [f"C{(i % 150) % 9}" for i in range(n)],
            "amount": rng.integers(-500, 50000, n) / 100,
        }
    )
    paid = payments(*[(f"P{i}", T("2024-01-01") + pd.Timedelta(days=int(rng.integers(0, 220))), f"C{i % 10}",
                       f"O{rng.integers(0, 170)}" if i % 3 == 0 else None, None, float(rng.integers(-100, 90000)) / 100)
                      for i in range(120)])  # fmt: skip
    as_of = T("2024-06-15")
    table = by_customer(receivables(book, None, paid, None, as_of, terms_days=20))
    expected = _plain_loop(book, paid, as_of, 20)
    assert sorted(table.index) == sorted(expected)
    for customer, (open_cents, aged, unapplied) in expected.items():
        row = table.loc[customer]
        assert cents(row["open"]) == open_cents and cents(row["unapplied"]) == unapplied
        assert cents(row[list(BUCKETS)]).tolist() == aged


def _plain_loop(book, paid, as_of, terms):
    """The rules one order and one payment at a time: customer -> (open, buckets, unapplied) in cents."""
    book, paid = book[book["order_date"] <= as_of], paid[paid["payment_date"] <= as_of]
    owed = {}  # (customer, order) -> [first day, cents]
    for r in book.itertuples():
        entry = owed.setdefault((r.customer_id, r.order_id), [r.order_date, 0])
        entry[0], entry[1] = min(entry[0], r.order_date), entry[1] + round(r.amount * 100)
    pool = {}
    for (customer, _), entry in owed.items():
        pool[customer] = pool.get(customer, 0) + max(-entry[1], 0)
        entry[1] = max(entry[1], 0)
    for p in paid.itertuples():
        amount, entry = round(p.amount * 100), owed.get((p.customer_id, p.order_id))
        applied = min(max(amount, 0), entry[1]) if entry else 0
        if entry:
            entry[1] -= applied
        pool[p.customer_id] = pool.get(p.customer_id, 0) + amount - applied
    result = {}
    for customer in pool:
        left, aged = pool[customer], [0] * 5
        for _key, (day, amount) in sorted(
            ((key, value) for key, value in owed.items() if key[0] == customer), key=lambda kv: (kv[1][0], kv[0][1])
        ):
            take = min(max(left, 0), amount)
            left -= take
            age = (as_of - day).days - terms
            aged[0 if age <= 0 else 1 if age <= 30 else 2 if age <= 60 else 3 if age <= 90 else 4] += amount - take
        result[customer] = (sum(aged) - left, aged, -left)
    return result


def test_nothing_owed_and_inputs_untouched():
    empty = receivables(orders(), None, None, None, "2024-01-31")
    assert empty.columns.tolist() == COLUMNS and empty.empty
    book, paid = orders(("O1", 1, "2024-01-01", "C1", 100.0)), payments(("P1", "2024-01-05", "C1", None, None, 1.0))
    before = book.copy(), paid.copy()
    receivables(book, None, paid, CUSTOMERS, "2024-01-31")
    collection_rate(book, None, paid, CUSTOMERS, "2024-01-31")
    pd.testing.assert_frame_equal(book, before[0])
    pd.testing.assert_frame_equal(paid, before[1])


def test_bad_inputs_raise_naming_the_row():
    book = orders(("O1", 1, "2024-01-01", "C1", 100.0), ("O2", 1, "2024-01-02", "C1", None))
    with pytest.raises(InputError, match="Orders: row 2 has no amount"):
        receivables(book, None, None, None, "2024-01-31")
    with pytest.raises(InputError, match="Returns: row 1, order O1 line 2 is not on the Orders sheet"):
        receivables(book.iloc[:1], returns(("O1", 2, "2024-01-05", 1.0)), None, None, "2024-01-31")
    with pytest.raises(SchemaError, match="Payments table has no column rep_id"):
        receivables(book.iloc[:1], None, payments().drop(columns="rep_id"), None, "2024-01-31")
    with pytest.raises(InputError, match="not a date"):
        receivables(book.iloc[:1], None, None, None, "someday")


# The module docstring's example: on 1 March C1 owes 1,000.00 and C2 holds a credit of 200.00.
EXAMPLE_ORDERS = orders(("O1", 1, "2024-02-10", "C1", 1000.0), ("O2", 1, "2024-03-05", "C1", 500.0),
                        ("O3", 1, "2024-03-06", "C2", 150.0))  # fmt: skip
EXAMPLE_PAYMENTS = payments(
    ("P1", "2024-02-20", "C2", None, None, 200.0), ("P2", "2024-03-10", "C1", None, None, 900.0)
)


def test_collection_rate_of_the_docstring_example():
    rates = collection_rate(EXAMPLE_ORDERS, None, EXAMPLE_PAYMENTS, CUSTOMERS, "2024-03-31")
    assert rates.columns.tolist() == RATE_COLUMNS
    assert rates["rep_id"].tolist() == ["R1", "R1"]
    assert rates["period"].tolist() == [T("2024-02-01"), T("2024-03-01")]
    # February: C1's order of 1,000 was due, C2 had nothing to pay; collected C2's 200
    # March: C1 1,000 + 500; C2 -200 + 150 is a credit, so 0; collected 900
    assert rates["due"].tolist() == [1000.0, 1500.0]
    assert rates["collected"].tolist() == [200.0, 900.0]
    assert rates["rate"].tolist() == [0.2, 0.6]
    assert rates["target"].isna().all() and rates["attainment"].isna().all()


def test_collection_rate_by_rep_month_with_returns_targets_and_as_of():
    book = pd.concat([EXAMPLE_ORDERS, orders(("O4", 1, "2024-03-15", "C3", 80.0))], ignore_index=True)
    paid = pd.concat(
        [EXAMPLE_PAYMENTS, payments(
            ("P3", "2024-03-12", "C1", None, "R2", 50.0),  # R2 collected from R1's customer
            ("P4", "2024-04-02", "C3", None, None, 30.0),  # C3 has no owner: blank rep
            ("P5", "2024-04-20", "C1", None, None, 100.0),  # after as_of
        )],
        ignore_index=True,
    )  # fmt: skip
    back = returns(("O2", 1, "2024-03-20", 100.0))
    targets = pd.DataFrame(
        {
            "rep_id": ["R1", "R1", "R2", "R1"],
            "period": pd.to_datetime(["2024-03-01", "2024-04-01", "2024-02-01", "2024-05-01"]),
            "target": [1000.0, 0.0, 100.0, 999.0],  # May is after as_of
        }
    )
    rates = collection_rate(book, back, paid, CUSTOMERS, T("2024-04-15"), targets)
    got = {(r.rep_id if isinstance(r.rep_id, str) else "", r.period.month): r for r in rates.itertuples()}
    assert list(got) == [("R1", 2), ("R1", 3), ("R1", 4), ("R2", 2), ("R2", 3), ("", 3), ("", 4)]
    # R1 March: C1 1,000 + 500 - 100 returned = 1,400 due, 900 collected, target 1,000
    assert (got["R1", 3].due, got["R1", 3].collected, got["R1", 3].target) == (1400.0, 900.0, 1000.0)
    assert got["R1", 3].rate == pytest.approx(900 / 1400) and got["R1", 3].attainment == 0.9
    # R1 April: C1 carries 1,400 - 900 - 50 = 450, nothing collected by 15 April; a target of 0 has no attainment
    assert (got["R1", 4].due, got["R1", 4].collected, got["R1", 4].rate) == (450.0, 0.0, 0.0)
    assert got["R1", 4].target == 0.0 and pd.isna(got["R1", 4].attainment)
    # R2: a target and nothing collected in February; 50 collected and nothing due in March
    assert (got["R2", 2].due, got["R2", 2].collected, got["R2", 2].attainment) == (0.0, 0.0, 0.0)
    assert (got["R2", 3].due, got["R2", 3].collected) == (0.0, 50.0) and pd.isna(got["R2", 3].rate)
    # C3 without an owner: 80 due in March and April, 30 collected in April
    assert [got["", 3].due, got["", 3].rate, got["", 4].due, got["", 4].rate] == [80.0, 0.0, 80.0, 0.375]


def test_exceptions_name_stray_payments_and_early_returns():
    book = orders(("O1", 1, "2024-01-01", "C1", 100.0), ("O2", 1, "2024-01-01", "C2", 100.0),
                  ("O3", 1, "2024-02-10", "C1", 100.0))  # fmt: skip
    paid = payments(
        ("P1", "2024-01-05", "C1", "O2", None, 10.0),  # C2's order
        ("P2", "2024-01-05", "C1", "O9", None, 10.0),  # no such order
        ("P3", "2024-01-05", "C1", "O3", None, 10.0),  # paid in advance: no exception
        ("P4", "2024-01-05", "C1", None, None, 10.0),
        ("P5", "2024-02-05", "C1", "O9", None, 10.0),  # after as_of
    )
    paid.index = pd.Index(range(5, 10), name="row")  # read from a workbook: Excel row numbers
    back = returns(("O3", 1, "2024-01-20", 5.0), ("O1", 1, "2024-01-20", 5.0))
    found = receivable_exceptions(book, back, paid, "2024-01-31")
    assert found["row"].tolist()[:2] == [5, 6] and pd.isna(found["row"].iloc[2])
    assert found.columns.tolist() == TABLES["exceptions"].names
    assert found["sheet"].tolist() == ["Payments", "Payments", "Returns"]
    assert found["value"].tolist() == ["O2", "O9", "2024-01-20"]
    assert found["reason"].iloc[0] == (
        "payment P1 of customer C1 names order O2, which is not an order of C1 on the Orders sheet; "
        "it pays the customer's oldest open orders"
    )
    assert found["reason"].iloc[2] == (
        "order O3 line 1 is returned on 2024-01-20, before its order date 2024-02-10; "
        "the return is left out of the receivables as of 2024-01-31"
    )
    # and the receivables do as the exceptions say: C1 owes O1's 100 - 5 less the 40 paid
    c1 = by_customer(receivables(book, back, paid, CUSTOMERS, "2024-01-31")).loc["C1"]
    assert (c1["returned"], c1["paid"], c1["open"]) == (5.0, 40.0, 55.0)
    assert receivable_exceptions(book, None, None, "2024-01-31").empty
    # nor is the early return in what was due: C1's 100 - 5 and C2's 100
    january = collection_rate(book, back, paid, CUSTOMERS, "2024-01-31")
    assert january[["rep_id", "due", "collected"]].values.tolist() == [["R1", 195.0, 40.0]]
