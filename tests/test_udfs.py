"""The Excel functions called as plain Python with the shapes Excel passes them.

Expected values are the worked examples of the product brief and hand arithmetic.
"""

import datetime as dt
import inspect
import sys
import types

import pytest

from sales_tools import udfs
from sales_tools.errors import InputError
from sales_tools.schema import SEGMENTS

FLOORS_COL = [[0.0], [5000.0]]  # a one-column range as a 2-D block
RATES_ROW = [[0.10, 0.15]]  # a one-row range as a 2-D block
Q_FLOORS = [0.0, 0.5, 1.0, 1.25, 1.5]  # a one-column range as classic passes it
Q_RATES = [0.0, 0.08, 0.12, 0.15, 0.18]
UDFS = [
    f
    for _, f in inspect.getmembers(udfs, inspect.isfunction)
    if f.__module__ == udfs.__name__ and f.__doc__ and "Args:" in f.__doc__
]


def test_every_udf_is_found():
    names = {f.__name__ for f in UDFS}
    assert names == {
        "tiered_commission",
        "quota_attainment",
        "quota_commission",
        "tier_label",
        "cumulative_attainment",
        "abc_class",
        "rfm_scores",
    }


# ---------------------------------------------------------------- tiered_commission
def test_tiered_commission_worked_example():
    assert udfs.tiered_commission(6800.0, FLOORS_COL, RATES_ROW) == 770.00  # 500 + 270
    assert udfs.tiered_commission(6800.0, FLOORS_COL, RATES_ROW, "retroactive") == 1020.00  # 6,800 x 15%


def test_tiered_commission_accepts_ints_one_cell_ranges_and_trailing_blank_tiers():
    assert udfs.tiered_commission([[6800]], [0, 5000, None], [0.1, 0.15, None]) == 770.00


def test_tiered_commission_rounds_to_cents():
    # 5,000 x 10% + 0.01 x 15% = 500.0015 -> 500.00
    assert udfs.tiered_commission(5000.01, FLOORS_COL, RATES_ROW) == 500.00


def test_tiered_commission_column_gives_a_column_with_blank_rows_left_blank():
    amounts = [[6800.0], [None], [4000.0], [""]]
    assert udfs.tiered_commission(amounts, FLOORS_COL, RATES_ROW) == [[770.0], [None], [400.0], [None]]


def test_scalar_and_column_paths_agree():
    amounts = [1234.56, 5000.0, 9999.99, 0.0]
    column = udfs.tiered_commission(amounts, FLOORS_COL, RATES_ROW, "retroactive")
    assert column == [[udfs.tiered_commission(a, FLOORS_COL, RATES_ROW, "retroactive")] for a in amounts]


# ---------------------------------------------------------------- quota functions
def test_quota_attainment_is_unrounded_fraction():
    assert udfs.quota_attainment(325000.0, 250000.0) == pytest.approx(1.3)
    assert udfs.quota_attainment(1.0, 3.0) == pytest.approx(1 / 3, abs=1e-15)


def test_quota_commission_worked_example():
    # 0 on the first 125,000; 8% of 125,000; 12% of 62,500; 15% of 12,500
    assert udfs.quota_commission(325000.0, 250000.0, Q_FLOORS, Q_RATES) == 19375.00


def test_quota_commission_cap_and_columns():
    assert udfs.quota_commission(325000.0, 250000.0, Q_FLOORS, Q_RATES, "marginal", 15000.0) == 15000.00
    actuals = [[325000.0], [200000.0], [None]]
    # 200,000 of 250,000: 8% of the 75,000 above half the quota = 6,000
    assert udfs.quota_commission(actuals, [[250000.0]] * 3, Q_FLOORS, Q_RATES) == [[19375.0], [6000.0], [None]]
    assert udfs.quota_commission(actuals, 250000.0, Q_FLOORS, Q_RATES) == [[19375.0], [6000.0], [None]]


# ---------------------------------------------------------------- tier_label
def test_tier_label():
    floors, labels = [[1000.0], [5000.0], [10000.0]], [["Bronze"], ["Silver"], ["Gold"]]
    assert udfs.tier_label(7000.0, floors, labels) == "Silver"
    assert udfs.tier_label(5000.0, floors, labels) == "Silver"  # on the floor: that tier
    assert udfs.tier_label(999.99, floors, labels) == ""
    assert udfs.tier_label([[12000.0], [None], [500.0]], floors, labels) == [["Gold"], [None], [""]]


# ---------------------------------------------------------------- array functions
def test_cumulative_attainment():
    # YTD: 100/100, 150/200, 300/300
    result = udfs.cumulative_attainment([[100.0], [50.0], [150.0]], [[100.0], [100.0], [100.0]])
    assert result == [[1.0], [0.75], [1.0]]


def test_abc_class_in_input_order():
    # sorted 50/30/10/6/4 of 100: share before = 0, .50, .80, .90, .96 -> A A B B C
    assert udfs.abc_class([[10.0], [50.0], [4.0], [30.0], [6.0]]) == [["B"], ["A"], ["C"], ["A"], ["B"]]
    assert udfs.abc_class([50.0, 30.0, 10.0, 6.0, 4.0], 0.5, 0.9) == [["A"], ["B"], ["B"], ["C"], ["C"]]


def rfm_lines(date_cells):
    customers = [["C1"], ["C1"], ["C2"], ["C3"], [1001.0]]
    orders = [["O1"], ["O1"], ["O2"], ["O3"], ["O4"]]
    amounts = [[100.0], [50.0], [300.0], [20.0], [80.0]]
    return customers, orders, date_cells, amounts


# the order dates of `rfm_lines`' five lines
RFM_DATES = [dt.datetime(2024, 6, 20), dt.datetime(2024, 6, 20), dt.datetime(2024, 5, 21), dt.datetime(2024, 3, 22),
             dt.datetime(2024, 6, 1)]  # fmt: skip


def test_rfm_scores_table():
    dates = RFM_DATES
    table = udfs.rfm_scores(*rfm_lines([[d] for d in dates]), dt.datetime(2024, 6, 30), 5)
    assert table[0] == ["customer", "recency_days", "frequency", "monetary", "r", "f", "m", "segment"]
    rows = {r[0]: r[1:4] for r in table[1:]}
    # C1: one order of two lines, 10 days before as_of; the numeric id 1001 reads as text
    assert rows == {"C1": [10, 1, 150.0], "C2": [40, 1, 300.0], "C3": [100, 1, 20.0], "1001": [29, 1, 80.0]}
    scores = {r[0]: r[4:7] for r in table[1:]}
    assert scores["C1"][0] > scores["C3"][0]  # more recent -> higher R
    assert scores["C2"][2] > scores["C3"][2]  # more money -> higher M
    assert {r[7] for r in table[1:]} <= set(SEGMENTS)


def test_rfm_scores_dates_as_serials_give_the_same_table():
    dates = RFM_DATES
    as_datetimes = udfs.rfm_scores(*rfm_lines([[d] for d in dates]), dt.datetime(2024, 6, 30))
    serial = lambda d: (d - dt.datetime(1899, 12, 30)).days * 1.0  # noqa: E731
    assert serial(dt.datetime(2024, 6, 30)) == 45473.0  # =DATE(2024,6,30) in Excel
    as_serials = udfs.rfm_scores(*rfm_lines([[serial(d)] for d in dates]), 45473.0, 5.0)
    assert as_serials == as_datetimes


# ---------------------------------------------------------------- errors
@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: udfs.tiered_commission(6800.0, [0.0, 5000.0], [0.1]), "rates"),
        (lambda: udfs.tiered_commission(6800.0, [5000.0, 0.0], [0.1, 0.15]), "ascend"),
        (lambda: udfs.tiered_commission(6800.0, [0.0, 5000.0, 5000.0], [0.1, 0.15, 0.2]), "ascend"),
        (lambda: udfs.tiered_commission("abc", FLOORS_COL, RATES_ROW), "'abc' is text, not a number"),
        (lambda: udfs.tiered_commission(6800.0, [0.0, "5,000"], [0.1, 0.15]), "floors (cell 2): '5,000' is text"),
        (lambda: udfs.tiered_commission(6800.0, [0.0, None, 5000.0], [0.1, 0.15, 0.2]), "floors: cell 2 is empty"),
        (lambda: udfs.tiered_commission(6800.0, FLOORS_COL, RATES_ROW, "progressive"), "progressive"),
        (lambda: udfs.tiered_commission([[1.0, 2.0], [3.0, 4.0]], FLOORS_COL, RATES_ROW), "one row or one column"),
        (lambda: udfs.quota_attainment(325000.0, 0.0), "target is zero"),
        (lambda: udfs.quota_attainment(325000.0, None), "quota must be one value, not an empty cell"),
        (lambda: udfs.quota_commission(325000.0, 0.0, Q_FLOORS, Q_RATES), "quota"),
        (lambda: udfs.quota_commission([[1.0], [2.0]], [[1.0], [2.0], [3.0]], Q_FLOORS, Q_RATES), "same length"),
        (lambda: udfs.tier_label(5.0, [0.0, 10.0], ["Low"]), "labels"),
        (lambda: udfs.cumulative_attainment([[100.0]], [[0.0]]), "quota"),
        (lambda: udfs.rfm_scores(["C1"], ["O1"], ["next week"], [10.0], 45473.0), "'next week' is not a date"),
        # impossible input that used to give a plausible number
        (
            lambda: udfs.tiered_commission(float("inf"), FLOORS_COL, RATES_ROW),
            "is infinite; it must be a finite number",
        ),
        (lambda: udfs.tiered_commission(6800.0, [0.0, 5000.0], [0.1, 150.0]), "rate 150 is not between 0% and 100%"),
        (lambda: udfs.tiered_commission(6800.0, [0.0, 5000.0], [0.1, -0.05]), "rate -0.05 is not between"),
        (lambda: udfs.quota_attainment(325000.0, float("inf")), "target is infinite"),
        (lambda: udfs.rfm_scores(["C1"], ["O1"], [45400.0], [10.0], 45473.0, 2.7), "bins must be a whole number"),
        (lambda: udfs.rfm_scores(["C1"], ["O1"], [45400.0], [10.0], 45473.0, 1e6), "from 2 to 100"),
    ],
)
def test_bad_input_raises_a_message_in_the_users_terms(call, words):
    with pytest.raises(InputError) as err:
        call()
    message = str(err.value)
    assert words.lower() in message.lower()
    assert "Traceback" not in message and len(message) < 200


def test_every_udf_documents_itself_and_each_argument():
    for func in UDFS:
        summary = func.__doc__.split("\n\n")[0]
        assert 20 < len(summary) <= 255, func.__name__  # classic cuts the description at 255
        assert set(udfs.arg_docs(func.__doc__)) == set(inspect.signature(func).parameters), func.__name__


def test_classic_cell_error_keeps_the_input_error_and_gives_com_the_short_message(monkeypatch):
    """Classic-only path, with a stand-in for pywin32's COMException (no Windows here)."""

    class COMException(Exception):  # the attributes pywin32 reads: description, scode, ...
        def __init__(self, description=None, scode=None):
            self.description, self.scode = description, scode
            Exception.__init__(self, scode, description, None, -1)

    fake = types.ModuleType("win32com.server.exception")
    fake.COMException = COMException
    for name in ("win32com", "win32com.server"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "win32com.server.exception", fake)
    guarded = udfs._raise_for_cell(udfs.tiered_commission)
    assert guarded(6800.0, FLOORS_COL, RATES_ROW) == 770.0
    with pytest.raises(InputError) as err:
        guarded("abc", FLOORS_COL, RATES_ROW)
    assert isinstance(err.value, COMException)
    assert err.value.description == "#VALUE! amount: 'abc' is text, not a number"
    assert str(err.value) == "amount: 'abc' is text, not a number"


def test_a_functions_message_follows_the_systems_language(monkeypatch):
    # A cell cannot read its workbook's Settings cheaply: on a Chinese system its messages are Chinese.
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    with pytest.raises(InputError) as chinese:
        udfs.tiered_commission(1000, [0, 500], [0.1, 1.5])
    monkeypatch.setenv("LANG", "C.UTF-8")
    with pytest.raises(InputError) as english:
        udfs.tiered_commission(1000, [0, 500], [0.1, 1.5])
    assert str(english.value) == "rate 1.5 is not between 0% and 100%; type 15% (or 0.15) for fifteen percent"
    assert str(chinese.value) == "比例 1.5 不在 0% 到 100% 之间；百分之十五请输入 15%（或 0.15）"
