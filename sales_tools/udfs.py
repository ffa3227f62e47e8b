"""Excel functions (UDFs): thin wrappers over the core, for classic xlwings and xlwings Lite.

Every function here is plain Python first: call it with numbers and lists (Excel's
shapes: a scalar, a row, a column, or a list of rows) and it returns a number, a text
or a column (a list of one-value rows).  `udf` registers it for both runtimes:

* classic Windows xlwings ("Import Functions", ``UDF Modules = sales_tools.udfs``):
  category "sales_tools", argument help from the docstring's Args section;
* xlwings Lite / xlwings Server (Office.js custom functions): ``=SALES.TIERED_COMMISSION``.

Bad input raises an `InputError` (or a subclass) whose message says what is wrong.
Office.js runtimes turn an exception into ``#VALUE!`` with the message on the error
flag; classic Excel would print the whole traceback in the cell, so there the message
is raised as a COM error whose description is ``#VALUE! <message>``.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd
import xlwings as xw

from sales_tools.cells import is_range, read, write
from sales_tools.core import attainment, pareto, rfm, segments, tiers
from sales_tools.core.money import round_cents
from sales_tools.errors import InputError, SalesToolsError
from sales_tools.schema import language
from sales_tools.schema.language import system_language, tr

NAMESPACE = "SALES"  # Lite/Server: =SALES.TIERED_COMMISSION(...); classic ignores it
CATEGORY = "sales_tools"  # classic: the Function Wizard category; Lite ignores it
# Classic COM decorators live in xlwings.udfs; elsewhere xw.func is a no-op or Office.js.
_CLASSIC = getattr(xw.func, "__module__", "") == "xlwings.udfs"


def _in_system_language(func):
    """A cell cannot tell its workbook's language cheaply: messages follow the system's (Chinese Windows: Chinese)."""

    @functools.wraps(func)
    def wrapper(*args):
        with language.use(system_language()):
            return func(*args)

    return wrapper


def udf(func):
    """Register `func` as an Excel function in every runtime (a no-op in plain Python)."""
    wrapped = _in_system_language(func)
    wrapped = _raise_for_cell(wrapped) if _CLASSIC else wrapped
    for name, doc in arg_docs(func.__doc__).items():
        wrapped = xw.arg(name, doc=doc)(wrapped)
    # func last: xw.arg calls func() bare, which would reset the namespace to None
    wrapped = xw.func(category=CATEGORY, namespace=NAMESPACE)(wrapped)
    if hasattr(wrapped, "__xlfunc__"):  # Excel shows the summary; classic cuts it at 255
        wrapped.__xlfunc__["ret"]["doc"] = func.__doc__.split("\n\n")[0].strip()
    return wrapped


def arg_docs(docstring: str) -> dict[str, str]:
    """The ``name: text`` entries of a Google-style docstring's Args section."""
    section = re.search(r"\n\s*Args:\n(.*?)(?:\n\s*\n|\Z)", docstring, re.S)
    entries = re.findall(
        r"^\s+(\w+)(?: \([^)]*\))?: (.*?)(?=^\s+\w+(?: \([^)]*\))?: |\Z)", section[1] if section else "", re.S | re.M
    )
    return {name: " ".join(text.split()) for name, text in entries}


@udf
def tiered_commission(amount, floors, rates, method="marginal"):
    """Commission on a sales amount (or a whole column of amounts) under a tiered rate table, rounded to cents.

    Args:
        amount: The sales amount, or a column of amounts (one result per row).
        floors: Tier lower bounds, ascending (e.g. 0 and 5,000).
        rates: One rate per floor (e.g. 10% and 15%).
        method: "marginal" (each slice earns its tier's rate) or "retroactive" (the whole amount earns the top tier's rate).
    """
    amounts = read(amount, "amount", "numbers")
    result = _rows(lambda m: tiers.tiered(amounts[m], *_plan(floors, rates), read(method, "method", "text")), amounts)
    return write(round_cents(result), is_range(amount))


@udf
def quota_attainment(actual, quota):
    """Attainment: actual sales divided by the quota (a fraction, 1 = 100%), unrounded.

    Args:
        actual: Actual sales for the period.
        quota: The quota (target) for the same period; must not be zero or empty.
    """
    return attainment.attainment(read(actual, "actual", "number"), read(quota, "quota", "number"))


@udf
def quota_commission(actual, quota, floors, rates, method="marginal", cap=None):
    """Commission on sales against a quota with attainment tiers (floors are fractions of quota), rounded to cents.

    Args:
        actual: Actual sales, or a column of actuals (one result per row).
        quota: The quota, or a column of quotas beside the actuals.
        floors: Attainment tier lower bounds as fractions of quota, ascending (e.g. 0, 0.5, 1, 1.25).
        rates: One rate per floor, paid on sales (e.g. 0%, 8%, 12%, 15%).
        method: "marginal" or "retroactive".
        cap: Optional largest commission per row; empty for no cap.
    """
    actuals = read(actual, "actual", "numbers")
    quotas = _along(read(quota, "quota", "numbers"), len(actuals))
    limit = None if cap is None else read(cap, "cap", "number")
    result = _rows(
        lambda m: tiers.quota_tiered(
            actuals[m], quotas[m], *_plan(floors, rates), read(method, "method", "text"), limit
        ),
        actuals,
        quotas,
    )
    return write(round_cents(result), is_range(actual) or is_range(quota))


@udf
def tier_label(value, floors, labels):
    """Label of the highest tier whose floor is at or below the value; empty text below the first floor.

    Args:
        value: The value to classify, or a column of values.
        floors: Tier lower bounds, ascending.
        labels: One label per floor (e.g. Bronze, Silver, Gold).
    """
    values = read(value, "value", "numbers")
    result = _rows(
        lambda m: tiers.tier_label(values[m], read(floors, "floors", "tiers"), read(labels, "labels", "texts")), values
    )
    return write(result, is_range(value))


@udf
def cumulative_attainment(actuals, quotas):
    """Year-to-date attainment per period: cumulative actual divided by cumulative quota (spills a column).

    Args:
        actuals: Actual sales per period, in period order.
        quotas: The quota per period, beside the actuals.
    """
    values = attainment.cumulative_attainment(read(actuals, "actuals", "numbers"), read(quotas, "quotas", "numbers"))
    return write(values, True)


@udf
def abc_class(values, a=0.8, b=0.95):
    """Pareto (ABC) class of each value, "A", "B" or "C", in input order (spills a column).

    Args:
        values: One value per item (e.g. customer revenue); ties are broken by position.
        a: Cumulative share before an item below which it is A (default 0.80).
        b: Cumulative share before an item below which it is B (default 0.95).
    """
    amounts = read(values, "values", "numbers")
    classes = pareto.abc_class(amounts, None, read(a, "a", "number"), read(b, "b", "number"))
    return write(classes, True)


@udf
def rfm_scores(customers, orders, dates, amounts, as_of, bins=5):
    """RFM table, one row per customer: recency in days, frequency, monetary value, R/F/M scores and segment (spills, with headers).

    Args:
        customers: Customer of each order line.
        orders: Order ID of each order line (frequency counts distinct orders).
        dates: Order date of each order line.
        amounts: Amount of each order line.
        as_of: The date recency is measured to.
        bins: Number of score bins (default 5).
    """
    lines = _order_lines(customers, orders, dates, amounts)
    table = rfm.rfm_table(lines, read(as_of, "as_of", "date"), _whole(read(bins, "bins", "number"), "bins"))
    return write(segments.segment(table)[list(RFM_COLUMNS)].rename(columns={"customer_id": "customer"}), True)


RFM_COLUMNS = ("customer_id", "recency_days", "frequency", "monetary", "r", "f", "m", "segment")


def _whole(value: float, what: str) -> int:
    """A number typed in a cell as an int; 2.7 is an error, not 2."""
    if not float(value).is_integer():
        raise InputError(tr("{what} must be a whole number, not {value}").format(what=what, value=f"{value:g}"))
    return int(value)


def _plan(floors, rates):
    """The tier table as the core takes it: floors and rates as float arrays."""
    return read(floors, "floors", "tiers"), read(rates, "rates", "tiers")


def _along(values: np.ndarray, n: int) -> np.ndarray:
    """Repeat a single value (e.g. one quota for every row) to length `n`."""
    return np.repeat(values, n) if len(values) == 1 else values


def _rows(compute, values: np.ndarray, *others: np.ndarray) -> np.ndarray:
    """Run `compute` on the rows whose value is filled; a blank value gives an empty cell."""
    if any(len(o) != len(values) for o in others):
        sizes = ", ".join(str(len(c)) for c in (values, *others))
        raise InputError(tr("the ranges must be the same length, not {sizes} cells").format(sizes=sizes))
    filled = ~np.isnan(values)
    result = np.asarray(compute(filled))
    out = np.full(len(values), np.nan) if result.dtype.kind == "f" else np.full(len(values), None, dtype=object)
    out[filled] = result
    return out


def _order_lines(customers, orders, dates, amounts) -> pd.DataFrame:
    """Order lines (schema column names) from four ranges of the same length."""
    lines = pd.DataFrame(
        {
            "customer_id": read(customers, "customers", "texts"),
            "order_id": read(orders, "orders", "texts"),
            "order_date": read(dates, "dates", "dates"),
            "amount": read(amounts, "amounts", "numbers"),
        }
    )
    return lines.dropna(how="all")


def _raise_for_cell(func):
    """Classic Excel shows an exception's traceback in the cell: raise the short message instead."""

    @functools.wraps(func)
    def wrapper(*args):
        try:
            return func(*args)
        except SalesToolsError as err:
            raise _cell_error(err) from None

    return wrapper


def _cell_error(err: SalesToolsError) -> Exception:
    """`err` as a COM error too: pywin32 hands its description to VBA, which writes it in the cell."""
    from win32com.server.exception import COMException  # classic xlwings runs on Windows only

    cls = type("CellError", (type(err), COMException), {"__str__": lambda self: self.message})
    cell_error = cls.__new__(cls)
    COMException.__init__(cell_error, description=f"#VALUE! {err}")
    cell_error.message = str(err)
    return cell_error
