"""Duplicate customers: company suffixes in English and Chinese, full-width letters, close
matches one letter apart, and the false friends that must stay apart."""

import pandas as pd
import pytest

from sales_tools.core.dedupe import close_pairs, name_key, pending, propose_merges, score, with_proposals
from sales_tools.errors import InputError


def key(name: str) -> str:
    return name_key(pd.Series([name])).iloc[0]


@pytest.mark.parametrize(
    "a, b",
    [
        ("Acme Logistics Ltd", "Acme Logistics Co."),  # the pair
        ("Acme Logistics Group", "ACME LOGISTICS LLC"),
        ("Acme GmbH & Co.", "acme"),
        ("深圳华强集团有限公司", "深圳华强"),  # group + limited company
        ("华强电子股份公司", "华强电子有限责任公司"),
        ("ＡＣＭＥ　Ｌｏｇｉｓｔｉｃｓ，Ｉｎｃ．", "Acme Logistics"),  # full-width letters, comma and space
        ("Acme-Logistics (Ltd.)", "Acme Logistics"),
    ],
)
def test_equal_after_normalising(a, b):
    assert key(a) == key(b)


def test_a_one_letter_typo_is_a_close_match_with_its_score():
    customers = pd.DataFrame(
        {
            "customer_id": ["C1", "C2", "C3", "C4", "C5"],
            "name": ["Acme Logistics Ltd", "Acme Logistcs Ltd", "Amce Logistics Inc", "Acme Logisticks", "Bolt"],
        }
    )
    merges = propose_merges(customers)
    assert merges[["customer_id", "duplicate_id"]].values.tolist() == [["C1", "C2"], ["C1", "C3"], ["C1", "C4"]]
    assert merges["reason"].iloc[0] == "close match: 'acmelogistics' and 'acmelogistcs'"
    # difflib's ratio = 2 x letters in common / letters in both:
    # acmelogistics (13) and acmelogistcs (12): 12 in common, 24 / 25 = 0.96
    # amcelogistics (13): 12 in order in common ("a" + "celogistics"), 24 / 26 = 0.9231
    # acmelogisticks (14): 13 in common, 26 / 27 = 0.963
    assert merges["score"].tolist() == [0.96, 0.9231, 0.963]
    assert (merges["confirm"] == "").all()


@pytest.mark.parametrize(
    "a, b",
    [
        ("Acme North", "Acme South"),  # two letters apart: two companies
        ("Acme Store 12", "Acme Store 13"),  # other digits: two stores
        ("Acme", "Acne"),  # too short to tell a typo from another name
        ("华为科技", "华夏科技"),  # one Chinese character is another company
        ("Acme Trading", "Acme Training"),  # two edits
    ],
)
def test_false_friends_are_not_matched(a, b):
    assert key(a) != key(b)
    assert close_pairs(pd.Series([key(a), key(b)])).empty
    assert propose_merges(pd.DataFrame({"customer_id": ["C1", "C2"], "name": [a, b]})).empty


def test_score_is_one_for_equal_keys():
    assert score(pd.Series(["acme"]), pd.Series(["acme"])) == [1.0]


def test_a_refresh_keeps_the_managers_decisions_and_adds_new_proposals():
    customers = pd.DataFrame({"customer_id": ["C1", "C2", "C3"], "name": ["Acme Ltd", "Acme Co.", "ACME Inc"]})
    first = with_proposals(customers, None)
    assert first[["customer_id", "duplicate_id"]].values.tolist() == [["C1", "C2"], ["C1", "C3"]]
    decided = first.assign(confirm=["no", "yes"])
    more = pd.concat([customers, pd.DataFrame({"customer_id": ["C4"], "name": ["Acme"]})], ignore_index=True)
    again = with_proposals(more, decided)
    assert again[["duplicate_id", "confirm"]].values.tolist() == [["C2", "no"], ["C3", "yes"], ["C4", ""]]


def merges(*rows):
    frame = pd.DataFrame(rows, columns=["customer_id", "duplicate_id", "confirm"])
    frame.index = pd.Index(range(2, 2 + len(frame)), name="row")  # Excel rows
    return frame


CUSTOMERS = pd.DataFrame({"customer_id": ["C1", "C2", "C3", "C4"]})


def test_pending_resolves_chains_and_skips_what_was_merged():
    got = pending(merges(("C2", "C3", "yes"), ("C1", "C2", "Yes"), ("C1", "C9", "yes"), ("C1", "C4", "no")), CUSTOMERS)
    # C3 into C2 and C2 into C1: both into C1; C9 is no longer a customer (merged before); C4: no
    assert got[["customer_id", "duplicate_id"]].values.tolist() == [["C1", "C3"], ["C1", "C2"]]


@pytest.mark.parametrize(
    "rows, message",
    [
        ((("C1", "C3", "yes"), ("C2", "C3", "yes")), "rows 2, 3 merge C3 into C1 and C2; keep one yes"),
        ((("C2", "C3", "yes"), ("C3", "C2", "yes")), "rows 2, 3 merge C2, C3 into each other; answer no to one"),
        ((("C7", "C3", "yes"),), "row 2 keep customer C7, who is not on the Customers sheet"),
    ],
)
def test_pending_refuses_conflicts_naming_the_rows(rows, message):
    with pytest.raises(InputError, match="^Customer merges: " + message):
        pending(merges(*rows), CUSTOMERS)
