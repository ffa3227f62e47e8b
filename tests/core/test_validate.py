"""validate_rows: period, lookups, amount = quantity x price, duplicate keys."""

import pandas as pd

from sales_tools.core.validate import RowContext, origin_of, validate_rows
from sales_tools.schema import TABLES

ORDERS = TABLES["orders"]


def orders(**changes):
    base = {
        "order_id": ["A", "A", "B"],
        "line": pd.array([1, 2, 1], dtype="Int64"),
        "order_date": pd.to_datetime(["2024-03-01", "2024-03-31", "2024-03-15"]),
        "rep_id": ["R1", "R1", "R1"],
        "customer_id": ["C1", "C1", "C2"],
        "category": ["Hardware"] * 3,
        "quantity": [2.0, 3.0, 1.0],
        "unit_price": [10.0, 0.335, 5.0],
        "amount": [20.0, 1.01, 5.0],  # 3 x 0.335 = 1.005 -> 1.01
        "source": ["f.xlsx"] * 3,
    }
    return pd.DataFrame({**base, **changes}, index=pd.Index([5, 6, 7], name="row"))


KNOWN = {"reps.rep_id": ["R1"], "customers.customer_id": ["C1", "C2"], "categories.category": ["Hardware"]}
MARCH = (pd.Timestamp("2024-03-01"), pd.Timestamp("2024-03-31"))


def check(rows, **kw):
    context = RowContext(**{"period": MARCH, "known": KNOWN, **kw})
    return validate_rows(rows, ORDERS, origin_of(rows, "f.xlsx", "Orders"), context)


def test_clean_rows_pass_untouched():
    rows = orders()
    valid, exceptions = check(rows)
    pd.testing.assert_frame_equal(valid, rows)
    assert exceptions.empty
    assert exceptions.columns.tolist() == TABLES["exceptions"].names


def test_dates_outside_the_period():
    valid, exceptions = check(orders(order_date=pd.to_datetime(["2024-02-29", "2024-03-31", "2024-04-01"])))
    assert valid.index.tolist() == [6]
    assert exceptions[["row", "column", "reason"]].values.tolist() == [
        [5, "Order date", "2024-02-29 is outside the period 2024-03-01 to 2024-03-31"],
        [7, "Order date", "2024-04-01 is outside the period 2024-03-01 to 2024-03-31"],
    ]


def test_period_per_row():
    rows = orders()
    starts = pd.Series(pd.to_datetime(["2024-03-01", "2024-04-01", "2024-03-01"]), index=rows.index)
    valid, exceptions = check(rows, period=(starts, starts + pd.offsets.MonthEnd(0)))
    assert exceptions["row"].tolist() == [6]


def test_unknown_rep_customer_and_category():
    valid, exceptions = check(
        orders(rep_id=["R1", "R9", "R1"], customer_id=["C1", "C1", "C7"], category=["Hardware", "Hardware", "Toys"])
    )
    assert valid.index.tolist() == [5]
    assert exceptions["reason"].tolist() == [
        "Rep ID 'R9' is not on the Reps sheet",
        "Customer ID 'C7' is not on the Customers sheet",
        "Category 'Toys' is not on the Categories sheet",
    ]
    assert exceptions["file"].unique().tolist() == ["f.xlsx"] and exceptions["sheet"].unique().tolist() == ["Orders"]


def test_amount_must_be_quantity_times_price_within_a_cent():
    valid, exceptions = check(orders(amount=[20.01, 1.00, 5.02]))
    assert valid.index.tolist() == [5, 6]  # off by exactly one cent is accepted
    assert exceptions["reason"].tolist() == ["amount 5.02 is not quantity x unit price (1 x 5.00 = 5.00)"]


def test_duplicate_keys_in_the_file_and_in_the_master():
    rows = orders(order_id=["A", "A", "A"], line=pd.array([1, 1, 2], dtype="Int64"))
    existing = pd.DataFrame({"order_id": ["A"], "line": pd.array([2], dtype="Int64")})
    valid, exceptions = check(rows, existing_keys=existing)
    assert valid.index.tolist() == [5]
    assert exceptions[["row", "column", "value", "reason"]].values.tolist() == [
        [6, "Order ID and Line", "A / 1", "same Order ID and Line as row 5"],
        [7, "Order ID and Line", "A / 2", "Order ID and Line already in the master workbook"],
    ]


def test_duplicate_in_another_file_names_that_file():
    rows = orders(order_id=["A", "A", "B"], line=pd.array([1, 1, 1], dtype="Int64"))
    origin = pd.DataFrame(
        {"file": ["a.xlsx", "b.xlsx", "b.xlsx"], "sheet": "Orders", "row": [5, 5, 6]}, index=rows.index
    )
    _, exceptions = validate_rows(rows, ORDERS, origin)
    assert exceptions[["file", "row", "reason"]].values.tolist() == [
        ["b.xlsx", 5, "same Order ID and Line as row 5 of a.xlsx"]
    ]


def test_input_frame_is_not_changed():
    rows = orders(amount=[1.0, 2.0, 3.0])
    before = rows.copy()
    check(rows)
    pd.testing.assert_frame_equal(rows, before)


def test_a_duplicate_among_rows_whose_origin_also_holds_rows_left_out_earlier():
    """The importer's origin covers every row read; rows with a bad cell are not among `rows`."""
    rows = orders(order_id=["A", "B", "B"], line=pd.array([1, 1, 1], dtype="Int64")).set_axis([0, 2, 3])
    origin = pd.DataFrame(
        {"file": ["a.xlsx", "a.xlsx", "b.xlsx", "b.xlsx"], "sheet": "Orders", "row": [5, 6, 7, 8]}, index=[0, 1, 2, 3]
    )  # label 1 (a.xlsx row 6) had a bad cell
    valid, exceptions = validate_rows(rows, ORDERS, origin)
    assert valid.index.tolist() == [0, 2]
    assert exceptions[["file", "row", "value", "reason"]].values.tolist() == [
        ["b.xlsx", 8, "B / 1", "same Order ID and Line as row 7"]
    ]


def test_an_amount_computed_beyond_the_limit_is_refused_naming_quantity_and_price():
    # 2,000,000 x 600,000.00 = 1,200,000,000,000: each within the 1,000,000,000,000 limit, the product not
    rows = orders(quantity=[2.0, 2_000_000.0, 1.0], unit_price=[10.0, 600_000.0, 5.0], amount=[20.0, 1.2e12, 5.0])
    valid, exceptions = check(rows)
    assert valid.index.tolist() == [5, 7]
    assert exceptions[["row", "column", "value", "reason"]].values.tolist() == [
        [6, "Amount", "1,200,000,000,000.00",
         "Amount 1,200,000,000,000.00 (quantity x unit price: 2,000,000 x 600,000.00) is too large "
         "(the limit is 1,000,000,000,000)"]
    ]  # fmt: skip
