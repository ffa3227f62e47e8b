"""Duplicate customers: normalised names, proposals, confirmed merges only."""

import pandas as pd
import pytest
from import_helpers import master_tables

from sales_tools.core.dedupe import apply_merges, name_key, propose_merges
from sales_tools.importer import import_files
from sales_tools.schema import TABLES


@pytest.mark.parametrize(
    "a, b",
    [
        ("Acme Ltd", "ACME LIMITED"),
        ("Acme Ltd.", "acme"),
        ("Blue  River, Inc.", "Blue River Incorporated"),
        ("Müller GmbH", "MÜLLER"),
        ("ＡＣＭＥ　Ｃｏ．", "Acme Co."),  # full-width
        ("深圳华强股份有限公司", "深圳华强有限公司"),
        ("深圳华强公司", "深圳 华强"),
        ("O'Brien & Sons LLC", "OBrien Sons"),
    ],
)
def test_names_equal_after_normalising(a, b):
    assert name_key(pd.Series([a])).iloc[0] == name_key(pd.Series([b])).iloc[0]


@pytest.mark.parametrize("a, b", [("Acme", "Acme Trading"), ("Blue River", "Red River"), ("华强", "华为")])
def test_different_companies_stay_different(a, b):
    assert name_key(pd.Series([a])).iloc[0] != name_key(pd.Series([b])).iloc[0]


def test_proposals_keep_the_smallest_id_and_never_merge():
    customers = pd.DataFrame(
        {
            "customer_id": ["C3", "C1", "C2", "C2", "C9"],
            "name": ["Acme Ltd.", "ACME Limited", "Foo", "Foo Trading", "Bar"],
        }
    )
    merges = propose_merges(customers)
    assert merges.columns.tolist() == TABLES["customer_merges"].names
    assert merges[["customer_id", "duplicate_id", "name", "duplicate_name", "reason", "confirm"]].values.tolist() == [
        ["C2", "C2", "Foo", "Foo Trading", "same Customer ID listed twice", ""],
        ["C1", "C3", "ACME Limited", "Acme Ltd.", "same name after normalising: 'acme'", ""],
    ]
    assert propose_merges(customers, previous=merges.assign(confirm="no")).empty


def test_customers_without_a_name_are_not_duplicates_of_each_other():
    # pandas 2 turned a blank name into the text "nan", and every unnamed customer into one company
    customers = pd.DataFrame({"customer_id": ["C1", "C2", "C3"], "name": [None, None, "Acme"]})
    assert name_key(customers["name"]).isna().tolist() == [True, True, False]
    assert propose_merges(customers).empty


def test_only_confirmed_merges_are_applied():
    tables = {
        "customers": pd.DataFrame({"customer_id": ["C1", "C3", "C5"], "name": ["Acme", "Acme Ltd", "Bar"]}),
        "orders": pd.DataFrame({"order_id": ["O1", "O2", "O3"], "customer_id": ["C3", "C1", "C5"]}),
    }
    merges = pd.DataFrame(
        {
            "customer_id": ["C1", "C1"],
            "duplicate_id": ["C3", "C5"],
            "name": "",
            "duplicate_name": "",
            "reason": "",
            "confirm": ["Yes", "no"],
        }
    )
    out = apply_merges(tables, merges)
    assert out["orders"]["customer_id"].tolist() == ["C1", "C1", "C5"]
    assert out["customers"]["customer_id"].tolist() == ["C1", "C5"]
    assert tables["orders"]["customer_id"].tolist() == ["C3", "C1", "C5"]  # inputs unchanged


def test_an_export_bringing_a_duplicate_customer_is_flagged_on_customer_merges(master, sample, tmp_path):
    existing = sample["customers"].iloc[0]
    twin = existing["name"].upper().replace(" ", "  ") + " Limited"
    export = tmp_path / "crm.csv"
    export.write_text(f'Id,Company\nNEW-1,"{twin}"\nNEW-2,Brand New Co\n', encoding="utf-8")
    report = import_files(master, [export], mapping={"customers": {"customer_id": "Id", "name": "Company"}})
    assert report.added["customers"] == 2  # imported, not merged silently
    flagged = report.merges[report.merges["duplicate_id"] == "NEW-1"]
    assert flagged[["customer_id", "duplicate_name", "confirm"]].values.tolist() == [
        [existing["customer_id"], twin, ""]
    ]
    on_sheet = master_tables(master, "customer_merges")["customer_merges"]
    assert "NEW-1" in set(on_sheet["duplicate_id"])
    # the next import does not propose the same pair again
    export.write_text("Id,Company\nNEW-3,Another One\n", encoding="utf-8")
    assert "NEW-1" not in set(
        import_files(master, [export], mapping={"customers": {"customer_id": "Id", "name": "Company"}}).merges[
            "duplicate_id"
        ]
    )
