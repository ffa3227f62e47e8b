"""The real Superstore workbook (legacy .xls) imported through a column map."""

import pandas as pd
import pytest
from import_helpers import SUPERSTORE, SUPERSTORE_MAP, master_tables

from sales_tools.excel.builder import build_master
from sales_tools.importer import import_files

pytestmark = [
    pytest.mark.realdata,
    pytest.mark.skipif(not SUPERSTORE.exists(), reason="../shared/data is absent"),
]


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    master = build_master(tmp_path_factory.mktemp("superstore") / "master.xlsx")
    report = import_files(master, [SUPERSTORE], mapping=SUPERSTORE_MAP)
    return report, master_tables(master, "orders", "returns", "customers", "reps", "import_log")


def test_every_line_is_accounted_for(imported):
    report, tables = imported
    # Orders 9,994 lines + Returns 296 orders + People 4 managers, nothing rejected
    assert report.totals == {"rows_read": 9994 + 296 + 4, "rows_imported": 9994 + 296 + 4, "rows_rejected": 0}
    assert tables["import_log"][["rows_read", "status"]].values.tolist() == [[10294, "imported"]]


def test_facts_from_sources_md(imported):
    _, tables = imported
    orders = tables["orders"]
    assert len(orders) == 9994
    assert orders["order_id"].nunique() == 5009
    assert orders["customer_id"].nunique() == 793
    assert round(orders["amount"].sum(), 2) == 2297200.86
    assert (orders["order_date"].min(), orders["order_date"].max()) == (
        pd.Timestamp("2014-01-03"),
        pd.Timestamp("2017-12-30"),
    )
    assert len(tables["customers"]) == 793


def test_order_level_returns_expand_to_their_lines(imported):
    _, tables = imported
    returns = tables["returns"]
    assert returns["order_id"].nunique() == 296
    assert len(returns) == 800
    assert round(returns["amount"].sum(), 4) == 180504.2779


def test_each_region_is_a_rep_named_after_its_manager(imported):
    _, tables = imported
    reps = dict(zip(tables["reps"]["rep_id"], tables["reps"]["name"]))
    assert reps == {
        "West": "Anna Andreadi",
        "East": "Chuck Magee",
        "Central": "Kelly Williams",
        "South": "Cassandra Brandow",
    }
    assert set(tables["orders"]["rep_id"]) == set(reps)
