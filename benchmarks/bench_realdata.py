"""2. The real data: the full UCI Online Retail file (541,909 lines) -> RFM, segments, ABC.

Read with ``pandas.read_csv``; order lines are the lines with a customer that are not
cancellations (InvoiceNo starting with C); amount = Quantity x UnitPrice; as of the
last invoice date.  Skipped when ../shared/data is absent.
"""

from __future__ import annotations

import pandas as pd

from benchmarks.common import DATA, fmt_s, timed
from sales_tools.core.pareto import abc_class
from sales_tools.core.rfm import rfm_table
from sales_tools.core.segments import segment

ONLINE_RETAIL = DATA / "online_retail.csv.gz"
LINES = 541_909  # SOURCES.md
BINS = 5


def read(path=ONLINE_RETAIL) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"InvoiceNo": str, "StockCode": str})


def order_lines(raw: pd.DataFrame) -> pd.DataFrame:
    """The lines RFM counts: a known customer, not a cancellation."""
    keep = raw["CustomerID"].notna() & ~raw["InvoiceNo"].str.startswith("C")
    lines = raw[keep]
    return pd.DataFrame(
        {
            "customer_id": lines["CustomerID"].astype("int64").astype(str).to_numpy(),
            "order_id": lines["InvoiceNo"].to_numpy(),
            "order_date": pd.to_datetime(lines["InvoiceDate"], format="%Y-%m-%d %H:%M:%S").to_numpy(),
            "amount": (lines["Quantity"] * lines["UnitPrice"]).to_numpy(),
        }
    )


def tiers(lines: pd.DataFrame) -> pd.DataFrame:
    """RFM scores, lifecycle segment and ABC class per customer."""
    as_of = lines["order_date"].max()
    out = segment(rfm_table(lines, as_of, BINS))
    out["abc"] = abc_class(out["monetary"].to_numpy(float), out["customer_id"])
    return out


def run(quick: bool, repeat: int, **_) -> list[dict]:
    if not ONLINE_RETAIL.exists():
        print(f"skipped: {ONLINE_RETAIL} is absent")
        return [{"data": "Online Retail", "result": f"skipped ({ONLINE_RETAIL} absent)"}]
    read_t, raw = timed(read, repeat)
    prep_t, lines = timed(lambda: order_lines(raw), repeat)
    calc_t, out = timed(lambda: tiers(lines), repeat)
    assert len(raw) == LINES, f"expected {LINES:,} lines, read {len(raw):,}"
    classes = pd.Series(out["abc"]).value_counts()
    row = {
        "data": "Online Retail",
        "lines read": f"{len(raw):,}",
        "order lines used": f"{len(lines):,}",
        "customers": f"{len(out):,}",
        "read csv.gz": fmt_s(read_t.median),
        "prepare": fmt_s(prep_t.median),
        "RFM + segments + ABC": fmt_s(calc_t.median),
        "total": fmt_s(read_t.median + prep_t.median + calc_t.median),
        "ABC A/B/C": "/".join(str(classes.get(c, 0)) for c in "ABC"),
        "segments": ", ".join(f"{k} {v}" for k, v in out["segment"].value_counts().items()),
        "lines / s (calc)": f"{len(lines) / calc_t.median:,.0f}",
    }
    print(row, flush=True)
    return [row]
