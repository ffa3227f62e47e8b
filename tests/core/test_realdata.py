"""Customer tiers against facts about the public data sets in ../shared/data (skipped when absent)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sales_tools.core.pareto import abc_class
from sales_tools.core.rfm import rfm_table, rfm_thresholds
from sales_tools.core.segments import segment

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"  # ../shared/data next to the repo
SUPERSTORE = DATA / "superstore_orders_2014-2017.xls"
ONLINE_RETAIL = DATA / "online_retail.csv.gz"

pytestmark = [
    pytest.mark.realdata,
    pytest.mark.skipif(not DATA.is_dir(), reason=f"real data folder {DATA} is absent"),
]


@pytest.fixture(scope="module")
def superstore_sales() -> pd.Series:
    orders = pd.read_excel(SUPERSTORE, sheet_name="Orders", engine="calamine")
    return orders.groupby("Customer ID")["Sales"].sum()


@pytest.fixture(scope="module")
def uk_lines() -> pd.DataFrame:
    """Online Retail, UK, known customer, Quantity > 0; one order per line."""
    raw = pd.read_csv(ONLINE_RETAIL, dtype={"InvoiceNo": str, "StockCode": str})
    uk = raw[(raw["Country"] == "United Kingdom") & raw["CustomerID"].notna() & (raw["Quantity"] > 0)]
    return pd.DataFrame(
        {
            "customer_id": uk["CustomerID"].astype("int64").astype(str).to_numpy(),
            "order_id": np.arange(len(uk)),
            "order_date": pd.to_datetime(uk["InvoiceDate"]).to_numpy(),
            "amount": (uk["Quantity"] * uk["UnitPrice"]).to_numpy(),
        }
    )


def test_superstore_abc_top_396_of_793_customers_are_a(superstore_sales):
    classes = abc_class(superstore_sales.to_numpy(), superstore_sales.index.to_numpy())
    assert len(classes) == 793
    assert (classes == "A").sum() == 396
    # and they are exactly the 396 biggest customers
    biggest = superstore_sales.sort_values(ascending=False).index[:396]
    assert set(superstore_sales.index[classes == "A"]) == set(biggest)


def test_online_retail_uk_rfm_quartile_thresholds(uk_lines):
    rfm = rfm_table(uk_lines, "2011-12-09", bins=4)
    limits = rfm_thresholds(rfm, 4).round(2)
    # Recency from the last purchase DATE: 17/50/142.  Counting from the timestamp
    # (2011-12-09 12:49 is "0 days" before 2011-12-09) would give 16/49/141.
    assert limits.loc["recency_days"].tolist() == [17.0, 50.0, 142.0]
    assert limits.loc["frequency"].tolist() == [17.0, 41.0, 99.0]
    assert limits.loc["monetary"].tolist() == [300.04, 651.82, 1575.89]


def test_online_retail_every_customer_one_segment(uk_lines):
    tiers = segment(rfm_table(uk_lines, "2011-12-09", bins=4))
    assert tiers["customer_id"].is_unique
    assert len(tiers) == uk_lines["customer_id"].nunique()
    assert tiers["segment"].notna().all()
