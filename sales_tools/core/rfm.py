"""RFM scores: how recently, how often and how much each customer buys.

Conventions:

* Recency: whole days from the customer's last purchase *date* (the order timestamp
  normalized to midnight) to the as_of date.  Frequency: distinct order IDs.
  Monetary: the sum of the amounts.  Orders dated after as_of are ignored.
* Thresholds: for ``bins`` bins, the k/bins quantiles (k = 1 .. bins-1) of each
  measure over all customers, computed as Excel's PERCENTILE.INC (linear
  interpolation).  A value exactly on a threshold falls in the lower bin.
* Scores 1..bins, higher is better: F and M are the bin, R is bins + 1 - the bin
  of recency (the most recent buyers score highest).
* The table also carries tenure_days (whole days from the first purchase date to
  as_of), which the segments use to recognise new customers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sales_tools.core.frames import first_missing, require_columns
from sales_tools.errors import InputError
from sales_tools.schema import TABLES
from sales_tools.schema.language import ENGLISH, current, tr

MEASURES = ("recency_days", "frequency", "monetary")
COLUMNS = ["customer_id", *MEASURES, "r", "f", "m", "tenure_days"]
MAX_BINS = 100  # more bins than that is a typo, and would cost memory in proportion


def percentile_inc(values, q):
    """Excel's PERCENTILE.INC: the q-quantile of `values` by linear interpolation.

    >>> percentile_inc([1, 2, 3, 4], 0.25)
    1.75
    >>> percentile_inc([15, 20, 35, 40, 50], [0.4, 1.0]).tolist()
    [29.0, 50.0]
    """
    arr = np.ravel(np.asarray(values, dtype="float64"))
    qs = np.asarray(q, dtype="float64")
    if len(arr) == 0:
        raise InputError(tr("PERCENTILE.INC needs at least one value"))
    if np.isnan(arr).any():
        raise InputError(tr("value at position {position} is missing").format(position=first_missing(arr)))
    if np.any(~((qs >= 0) & (qs <= 1))):
        raise InputError(tr("the quantile must be between 0 and 1, not {q!r}").format(q=q))
    out = np.percentile(arr, qs * 100, method="linear")
    return float(out) if out.ndim == 0 else out


def rfm_thresholds(rfm: pd.DataFrame, bins: int = 5) -> pd.DataFrame:
    """The score thresholds: one row per measure, one column per quantile k/bins.

    Args:
        rfm: a frame with recency_days, frequency and monetary per customer (such as
            `rfm_table`'s result).
        bins: the number of score bins.
    """
    _check_bins(bins)
    require_columns(rfm, MEASURES, "RFM")
    qs = np.arange(1, bins) / bins
    rows = [percentile_inc(rfm[m].to_numpy(float), qs) for m in MEASURES]
    return pd.DataFrame(rows, index=list(MEASURES), columns=qs)


def rfm_table(orders: pd.DataFrame, as_of, bins: int = 5) -> pd.DataFrame:
    """Recency, frequency, monetary value and their scores, one row per customer (by customer_id).

    Args:
        orders: order lines with customer_id, order_id, order_date and amount.
        as_of: the date recency is measured to.
        bins: the number of score bins, an integer of 2 or more.

    Returns:
        A new frame: customer_id, recency_days, frequency, monetary, r, f, m,
        tenure_days (see the module docstring).  ``attrs["bins"]`` holds `bins`.

    Raises:
        SchemaError: a column is missing.
        InputError: bad bins, or an order line without customer, date or amount.
    """
    _check_bins(bins)
    metrics = _metrics(orders, pd.Timestamp(as_of).normalize())
    if len(metrics):
        limits = rfm_thresholds(metrics, bins).to_numpy()
        scores = [
            np.searchsorted(limits[i], metrics[m].to_numpy(float), side="left") + 1 for i, m in enumerate(MEASURES)
        ]
        metrics["r"], metrics["f"], metrics["m"] = bins + 1 - scores[0], scores[1], scores[2]
    out = metrics.reindex(columns=COLUMNS).astype(
        {c: "int64" for c in ("recency_days", "frequency", "r", "f", "m", "tenure_days")}
    )
    out.attrs["bins"] = bins
    return out


def _metrics(orders: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Per customer: recency_days, frequency, monetary and tenure_days as of `as_of`."""
    require_columns(orders, ["customer_id", "order_id", "order_date", "amount"], "Orders")
    for column in ("customer_id", "order_id", "order_date", "amount"):
        if (row := first_missing(orders[column])) is not None:
            what = column.replace("_", " ") if current() == ENGLISH else TABLES["orders"].column(column).header
            raise InputError(tr("{sheet} line {row} has no {column}").format(sheet=tr("Orders"), row=row, column=what))
    dates = pd.to_datetime(orders["order_date"]).dt.normalize()
    keep = (dates <= as_of).to_numpy()
    # Factorize the ids once; everything else is integer arithmetic on the codes.
    cust, ids = pd.factorize(orders["customer_id"].to_numpy()[keep], sort=True)
    order, order_ids = pd.factorize(orders["order_id"].to_numpy()[keep])
    days = (as_of - dates[keep]).dt.days.to_numpy()
    recency, tenure = np.full(len(ids), days.max(initial=0)), np.zeros(len(ids), dtype=days.dtype)
    np.minimum.at(recency, cust, days)
    np.maximum.at(tenure, cust, days)
    width = max(len(order_ids), 1)
    distinct = pd.unique(cust.astype("int64") * width + order) // width  # one entry per (customer, order)
    return pd.DataFrame(
        {
            "customer_id": ids,
            "recency_days": recency,
            "frequency": np.bincount(distinct, minlength=len(ids)),
            "monetary": np.bincount(cust, pd.to_numeric(orders["amount"]).to_numpy(float)[keep], len(ids)),
            "tenure_days": tenure,
        }
    )


def _check_bins(bins) -> None:
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or not 2 <= bins <= MAX_BINS:
        raise InputError(
            tr("bins must be a whole number from 2 to {most}, not {bins!r}").format(most=MAX_BINS, bins=bins)
        )
