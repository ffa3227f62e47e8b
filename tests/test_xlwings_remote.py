"""The UDFs through xlwings' own Office.js machinery (what xlwings Lite and Server run).

`custom_functions_meta` and `custom_functions_call` only exist with XLWINGS_ON_SERVER
set, under the noncommercial licence key; they run in a subprocess
(tests/xlwings_remote_check.py) so that this test process keeps the plain decorators.
Requests are built the way the add-in's custom-functions-code.js builds them: every
argument a 2-D list of cells, empty cells as "" or null, dates as serial numbers.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CHECK = Path(__file__).with_name("xlwings_remote_check.py")
FLOORS, RATES = [[0.0], [5000.0]], [[0.10], [0.15]]
Q_FLOORS, Q_RATES = [[0.0, 0.5, 1.0, 1.25, 1.5]], [[0.0, 0.08, 0.12, 0.15, 0.18]]
CALLS = {
    "marginal": ("tiered_commission", [[[6800.0]], FLOORS, RATES, [[None]]], [[770.0]]),
    "retroactive": ("tiered_commission", [[[6800.0]], FLOORS, RATES, [["retroactive"]]], [[1020.0]]),
    "column": ("tiered_commission", [[[6800.0], [""], [4000.0]], FLOORS, RATES, [[None]]], [[770.0], [""], [400.0]]),
    "quota": ("quota_commission", [[[325000.0]], [[250000.0]], Q_FLOORS, Q_RATES, [[None]], [[None]]], [[19375.0]]),
    "quota capped": (
        "quota_commission",
        [[[325000.0]], [[250000.0]], Q_FLOORS, Q_RATES, [["marginal"]], [[15000.0]]],
        [[15000.0]],
    ),
    "attainment": ("quota_attainment", [[[325000.0]], [[250000.0]]], [[1.3]]),
    "label": ("tier_label", [[[7000.0]], [[1000.0], [5000.0]], [["Bronze"], ["Silver"]]], [["Silver"]]),
    "ytd": ("cumulative_attainment", [[[100.0], [50.0]], [[100.0], [100.0]]], [[1.0], [0.75]]),
    "abc": (
        "abc_class",
        [[[10.0], [50.0], [4.0], [30.0], [6.0]], [[None]], [[None]]],
        [["B"], ["A"], ["C"], ["A"], ["B"]],
    ),
}
ERRORS = {
    "floors must ascend": ("tiered_commission", [[[6800.0]], [[5000.0], [0.0]], RATES, [[None]]], "ascend"),
    "text amount": ("tiered_commission", [[["abc"]], FLOORS, RATES, [[None]]], "amount: 'abc' is text, not a number"),
    "zero quota": ("quota_attainment", [[[325000.0]], [[0.0]]], "target is zero"),
}
# RFM with dates as serials (45463 = 2024-06-20), as_of 45473 = 2024-06-30
RFM = (
    "rfm_scores",
    [[["C1"], ["C2"]], [["O1"], ["O2"]], [[45463.0], [45433.0]], [[100.0], [300.0]], [[45473.0]], [[None]]],
)


@pytest.fixture(scope="module")
def remote():
    calls = [c[:2] for c in CALLS.values()] + [e[:2] for e in ERRORS.values()] + [RFM]
    env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial", "XLWINGS_ON_SERVER": "true"}
    out = subprocess.run(
        [sys.executable, str(CHECK)],
        input=json.dumps({"calls": calls}),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    answer = json.loads(out.stdout)
    results = answer["results"]
    names = list(CALLS) + list(ERRORS) + ["rfm"]
    return answer["meta"], dict(zip(names, results))


def test_meta_registers_every_udf_under_sales_with_descriptions(remote):
    meta, _ = remote
    functions = {f["name"]: f for f in meta["functions"]}
    assert set(functions) == {
        "SALES." + n
        for n in (
            "TIERED_COMMISSION",
            "QUOTA_ATTAINMENT",
            "QUOTA_COMMISSION",
            "TIER_LABEL",
            "CUMULATIVE_ATTAINMENT",
            "ABC_CLASS",
            "RFM_SCORES",
        )
    }
    tiered = functions["SALES.TIERED_COMMISSION"]
    assert tiered["description"].startswith("Commission on a sales amount")
    assert [p["name"] for p in tiered["parameters"]] == ["amount", "floors", "rates", "method"]
    assert tiered["parameters"][3].get("optional") is True and "optional" not in tiered["parameters"][0]
    for f in functions.values():
        assert f["result"]["dimensionality"] == "matrix"  # a column comes back as cells that spill
        assert 0 < len(f["description"]) <= 255
        for p in f["parameters"]:
            assert not p["description"].startswith("Positional argument"), (f["name"], p["name"])


@pytest.mark.parametrize("name", list(CALLS))
def test_call_returns_the_cells_excel_shows(remote, name):
    _, results = remote
    assert results[name] == {"value": CALLS[name][2]}


@pytest.mark.parametrize("name", list(ERRORS))
def test_bad_input_raises_a_short_message_for_the_error_flag(remote, name):
    _, results = remote
    result = results[name]
    assert result["error"] in {"InputError", "PlanError", "TargetError"}
    assert ERRORS[name][2].lower() in result["message"].lower()
    assert "Traceback" not in result["message"]


def test_rfm_with_serial_dates(remote):
    _, results = remote
    table = results["rfm"]["value"]
    assert table[0] == ["customer", "recency_days", "frequency", "monetary", "r", "f", "m", "segment"]
    assert [row[:4] for row in table[1:]] == [["C1", 10, 1, 100.0], ["C2", 40, 1, 300.0]]
