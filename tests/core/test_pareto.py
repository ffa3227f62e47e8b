import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sales_tools.core.pareto import abc_class
from sales_tools.errors import InputError


def test_classes_by_hand_in_input_order():
    # sorted 50/30/10/6/4 of 100: share before = 0, .50, .80, .90, .96 -> A A B B C
    assert abc_class([10, 50, 4, 30, 6]).tolist() == ["B", "A", "C", "A", "B"]
    # a = 0.5, b = 0.9: .50 is not below .5 -> B; .90 is not below .9 -> C
    assert abc_class([50, 30, 10, 6, 4], a=0.5, b=0.9).tolist() == ["A", "B", "B", "C", "C"]


def test_one_big_item_is_a_and_the_rest_follow():
    # 97 of 100 in one item: everything after it has 97% before it -> C
    assert abc_class([1, 97, 2]).tolist() == ["C", "A", "C"]


def test_ties_are_broken_by_id():
    # four equal items of 25%: shares before 0, .25, .50, .75 -> A A A A; with a=0.5: A A B B in id order
    assert abc_class([5, 5, 5, 5], ids=["d", "b", "a", "c"], a=0.5).tolist() == ["B", "A", "A", "B"]
    assert abc_class([5, 5, 5, 5], a=0.5).tolist() == ["A", "A", "B", "B"]  # by position


def test_a_share_a_hair_below_the_threshold_counts_as_reaching_it():
    # 0.7 + 0.2 is 0.8999999999999999 in floating point: the 0.1 item still has 90% before it
    assert abc_class([0.7, 0.1, 0.2], a=0.5, b=0.9).tolist() == ["A", "C", "B"]


def test_negative_values_add_nothing_and_end_in_c():
    # shares 60, 40, 0 of 100: before 0 and .60 -> A A; the refund has 100% before it -> C
    assert abc_class([-50, 60, 40]).tolist() == ["C", "A", "A"]


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"values": [1, 2], "a": 0.9, "b": 0.8}, "0 < a < b <= 1"),
        ({"values": [1, 2], "a": 0, "b": 0.8}, "0 < a < b <= 1"),
        ({"values": [1, 2], "a": 0.5, "b": 1.1}, "0 < a < b <= 1"),
        ({"values": [1, np.nan]}, "position 2 is missing"),
        ({"values": [1, 2], "ids": ["x"]}, "same length"),
        ({"values": ["x", 2]}, "must be numbers"),
    ],
)
def test_bad_input_is_an_error(kwargs, words):
    with pytest.raises(InputError, match=re.escape(words)):
        abc_class(**kwargs)


def test_no_items_no_classes_and_no_value_all_c():
    assert abc_class([]).tolist() == []
    assert abc_class([0, -3, 0]).tolist() == ["C", "C", "C"]  # prospects and refunds only: nothing to share
    assert abc_class([0, 5, 0]).tolist() == ["C", "A", "C"]


values = st.lists(st.floats(0, 1e9, allow_nan=False), min_size=1, max_size=60).filter(lambda v: sum(v) > 0)


@given(values)
def test_every_item_gets_one_class_and_the_top_item_is_a(vals):
    classes = abc_class(vals)
    assert len(classes) == len(vals) and set(classes) <= {"A", "B", "C"}
    assert classes[int(np.argmax(vals))] == "A"  # argmax takes the first of ties, as the id order does


@given(values, st.floats(0.05, 0.9), st.floats(0.05, 0.5))
def test_classes_are_monotone_in_value(vals, a, step):
    b = min(a + step, 1.0)
    classes = abc_class(vals, a=a, b=b)
    order = np.argsort(-np.asarray(vals), kind="stable")
    ranks = [("A", "B", "C").index(c) for c in classes[order]]
    assert ranks == sorted(ranks)
