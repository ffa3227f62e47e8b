"""coerce_table: raw cells in, typed rows and plain-language problems out."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from sales_tools.core.coerce import coerce_table, formula_like
from sales_tools.errors import SchemaError
from sales_tools.schema import TABLES, TEMPLATE_TABLES, Column, Table

ORDERS = TEMPLATE_TABLES["rep_orders"]


def one_column(type_, **kw):
    return Table("t", "T", (Column("x", type_, header="X", **kw),))


def coerce_values(values, type_, **kw):
    return coerce_table(pd.DataFrame({"x": values}), one_column(type_, **kw))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1,234.50", 1234.5),
        ("$1,234.50", 1234.5),
        ("€ 12", 12.0),
        ("USD 99.90", 99.9),
        ("15%", 0.15),
        ("(12.50)", -12.5),
        ("1 234", 1234.0),
        ("-3", -3.0),
        ("1e3", 1000.0),
    ],
)
def test_numbers_written_as_text(text, expected):
    typed, problems = coerce_values([text], "money")
    assert problems.empty
    assert typed["x"].iloc[0] == pytest.approx(expected)


@pytest.mark.parametrize(
    "value, reason",
    [
        ("abc", "'abc' is not a number"),
        ("1,23", "'1,23' is not a number"),  # a comma that does not group 3 digits is not a separator
        ("1.234,50", "'1.234,50' is not a number"),  # European style is ambiguous: refused, not guessed
        (True, "'TRUE' is not a number"),
        (5e12, "'5000000000000' is too large (the limit is 1,000,000,000,000)"),
        ("inf", "'inf' is too large (the limit is 1,000,000,000,000)"),
    ],
)
def test_bad_numbers_are_explained(value, reason):
    typed, problems = coerce_values([value], "money")
    assert typed.empty
    assert problems.to_dict("records") == [
        {"row": 2, "column": "X", "value": str(reason.split("'")[1]), "reason": reason}
    ]


def test_int_columns_take_whole_floats_and_refuse_fractions():
    typed, problems = coerce_values([3.0, "4", 2.5], "int")
    assert typed["x"].dtype == "Int64"
    assert typed["x"].tolist() == [3, 4]
    assert problems["reason"].tolist() == ["'2.5' is not a whole number"]
    assert problems["row"].tolist() == [4]


def test_minimum_and_required():
    raw = pd.DataFrame({"month": [1, 2, None, 0], "weight": [-0.1, None, 0.5, 0]})
    typed, problems = coerce_table(raw, TABLES["seasonality"])
    assert typed.empty
    assert problems["reason"].tolist() == [
        "Weight must not be negative",
        "required value is missing",
        "required value is missing",
        "Month must be at least 1",
    ]
    assert problems["row"].tolist() == [2, 3, 4, 5]


@pytest.mark.parametrize(
    "value",
    [
        dt.date(2024, 3, 5),
        dt.datetime(2024, 3, 5, 14, 30),
        pd.Timestamp("2024-03-05"),
        45356,  # Excel serial of 2024-03-05
        45356.75,
        "45356",
        "2024-03-05",
        "2024-03-05 00:00:00",
        "2024-3-5",
        "2024/3/5",
        "2024.03.05",
        "20240305",
        "03/05/2024",  # month first by default
        "3/5/2024 10:15 AM",
        "3/5/2024 12:59:59 pm",
        "2024-03-05 23:59",
        "2024-03-05T00:00:00.5",
        "5 Mar 2024",
        "05-Mar-2024",
        "5 March 2024",
        "March 5, 2024",
        "Mar 5th 2024",
        "2024年3月5日",
    ],
)
def test_dates_in_many_spellings(value):
    typed, problems = coerce_values([value], "date")
    assert problems.empty, problems
    assert typed["x"].iloc[0] == pd.Timestamp("2024-03-05")
    assert typed["x"].dtype == "datetime64[ns]"


def test_day_first_setting_flips_only_year_last_dates():
    raw = pd.DataFrame({"x": ["05/03/2024", "2024/03/05"]})
    typed, _ = coerce_table(raw, one_column("date"), dayfirst=True)
    assert typed["x"].tolist() == [pd.Timestamp("2024-03-05")] * 2


@pytest.mark.parametrize(
    "value, reason",
    [
        ("12/31/2024x", "'12/31/2024x' is not a date"),
        ("31/12/2024", "'31/12/2024' is not a date"),  # month 31 under the month-first rule
        ("2024-02-30", "'2024-02-30' is not a date"),
        ("1/1/1800", "'1/1/1800' is not a plausible date (years 1900-2100)"),
        (-5, "'-5' is not a date"),
        # an impossible time of day makes the date doubtful: refused, not dropped
        ("2024-12-17 25:99", "'2024-12-17 25:99' is not a date"),
        ("2024-12-17 24:00", "'2024-12-17 24:00' is not a date"),
        ("2024-12-17 10:60", "'2024-12-17 10:60' is not a date"),
        ("2024-12-17 10:15:61", "'2024-12-17 10:15:61' is not a date"),
        ("12/17/2024 13:15 PM", "'12/17/2024 13:15 PM' is not a date"),
        ("12/17/2024 0:15 AM", "'12/17/2024 0:15 AM' is not a date"),
        ("17 Dec 2024 99:00", "'17 Dec 2024 99:00' is not a date"),
        ("2024年12月17日 25:00", "'2024年12月17日 25:00' is not a date"),
    ],
)
def test_bad_dates_are_explained(value, reason):
    typed, problems = coerce_values([value], "date")
    assert typed.empty
    assert problems["reason"].tolist() == [reason]


def test_month_columns_become_the_first_of_the_month():
    typed, problems = coerce_values(["2024-03", "Mar 2024", "2024-03-17", dt.date(2024, 3, 31)], "month")
    assert problems.empty
    assert typed["x"].tolist() == [pd.Timestamp("2024-03-01")] * 4


def test_text_columns():
    typed, problems = coerce_values(["  ACME ", 1001.0, 2.5, dt.date(2024, 1, 2), True], "text")
    assert problems.empty
    assert typed["x"].tolist() == ["ACME", "1001", "2.5", "2024-01-02", "TRUE"]


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
def test_text_with_a_control_character_is_rejected(char):
    typed, problems = coerce_values([f"Acme{char}Ltd", "Tab\tand\nline\r\nbreaks"], "text")
    assert typed["x"].tolist() == ["Tab\tand\nline\r\nbreaks"]
    assert problems["reason"].tolist() == [f"{f'Acme{char}Ltd'!r} contains a control character (U+{ord(char):04X})"]


def test_a_control_character_in_a_choice_column_is_named_once():
    _, problems = coerce_values(["Large\x07"], "text", allowed=("Large",))
    assert problems["reason"].tolist() == ["'Large\\x07' contains a control character (U+0007)"]


def test_allowed_values_match_case_insensitively():
    typed, problems = coerce_table(
        pd.DataFrame({"customer_id": ["a", "b"], "name": ["A", "B"], "size": ["large", "Gold"]}), TABLES["customers"]
    )
    assert typed["size"].tolist() == ["Large"]
    assert problems["reason"].tolist() == ["'Gold' is not one of Small, Medium, Large, Enterprise"]
    assert problems["column"].tolist() == ["Size"]


def test_formula_like_text_stays_text_unchanged():
    values = ['=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)"]
    typed, problems = coerce_values(values, "text")
    assert problems.empty
    assert typed["x"].tolist() == values
    assert formula_like(typed["x"]).all()
    assert not formula_like(pd.Series(["a=b", 5, None], dtype=object)).any()


def test_blank_rows_are_dropped_and_row_numbers_kept():
    raw = pd.DataFrame(
        {
            "order_date": ["2024-03-01", None, "  ", "2024-03-02"],
            "order_id": ["A1", None, "", "A2"],
            "customer_id": ["C1", np.nan, None, "C2"],
            "quantity": [1, None, None, "x"],
            "unit_price": [10, None, None, 5],
        }
    )
    typed, problems = coerce_table(raw, ORDERS, first_row=5)
    assert typed.index.tolist() == [5]
    assert problems.to_dict("records") == [
        {"row": 8, "column": "Quantity", "value": "x", "reason": "'x' is not a number"}
    ]
    assert typed.columns.tolist() == ORDERS.names
    assert typed["amount"].isna().all()  # optional column absent from raw


def test_problems_list_every_bad_cell_of_a_row_in_column_order():
    raw = pd.DataFrame(
        {"order_date": ["soon"], "order_id": [None], "customer_id": ["C"], "quantity": [-2], "unit_price": [1]}
    )
    _, problems = coerce_table(raw, ORDERS)
    assert problems["column"].tolist() == ["Date", "Order ID", "Quantity"]
    assert problems["reason"].tolist() == [
        "'soon' is not a date",
        "required value is missing",
        "Quantity must not be negative",
    ]


def test_missing_required_column_is_a_schema_error():
    with pytest.raises(SchemaError, match="the Orders sheet has no column 'Unit price'"):
        coerce_table(pd.DataFrame({"order_date": [], "order_id": [], "customer_id": [], "quantity": []}), ORDERS)


def test_input_is_not_changed():
    raw = pd.DataFrame({"x": [" 1,000 ", None]}, dtype=object)
    before = raw.copy()
    coerce_values(raw["x"].tolist(), "number")
    coerce_table(raw, one_column("number"))
    pd.testing.assert_frame_equal(raw, before)


def test_a_large_frame_coerces_whole():
    # Speed is measured in benchmarks/, not timed here; this checks the values at size.
    n = 100_000
    raw = pd.DataFrame(
        {
            "order_date": ["2024-03-05"] * n,
            "order_id": [f"O{i}" for i in range(n)],
            "customer_id": ["C1"] * n,
            "quantity": ["1,000"] * n,
            "unit_price": np.arange(n, dtype=float),
        }
    )
    typed, problems = coerce_table(raw, ORDERS)
    assert len(typed) == n and problems.empty
    assert typed["quantity"].sum() == 1000 * n
    assert typed["unit_price"].sum() == n * (n - 1) / 2
