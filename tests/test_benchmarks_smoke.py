"""The benchmarks at tiny sizes: every way of computing agrees (timings are not checked)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import (  # noqa: E402
    bench_dedupe,
    bench_import,
    bench_libreoffice,
    bench_realdata,
    bench_refresh,
    bench_write,
    synth,
)
from benchmarks.common import cents, child  # noqa: E402
from sales_tools.excel.reader import read_tables  # noqa: E402


def hand_inputs() -> dict[str, pd.DataFrame]:
    """One rep, target 10,000 a month, two lines of 6,500 in March 2023, half of one returned in April."""
    data = synth.inputs(10, reps=1)
    orders = pd.DataFrame(
        {
            "order_id": ["A", "A"],
            "line": [1, 2],
            "order_date": pd.Timestamp("2023-03-10"),
            "rep_id": "R0000",
            "customer_id": "C000000",
            "category": "Other",
            "amount": [6500.0, 6500.0],
        }
    )
    returns = pd.DataFrame(
        {"order_id": ["A"], "line": [1], "return_date": pd.Timestamp("2023-04-02"), "amount": [3250.0]}
    )
    targets = pd.DataFrame({"year": [2023], "rep_id": ["R0000"], "annual_target": [120_000.0]})
    return {
        **data,
        "orders": orders.reindex(columns=data["orders"].columns),
        "returns": returns.reindex(columns=data["returns"].columns),
        "targets": targets.reindex(columns=data["targets"].columns),
    }


def test_every_way_pays_the_hand_computed_commission_and_clawback():
    # 13,000 against 10,000 on tiers 0/50/100/125% at 2/4/6/8%:
    # 5,000 x 2% + 5,000 x 4% + 2,500 x 6% + 500 x 8% = 100 + 200 + 150 + 40 = 490.00,
    # 245.00 per line; half of line 1 returned gives back 122.50 in April.
    data = hand_inputs()
    month, claw = bench_refresh.Floor(data).run(with_clawbacks=True)
    assert month.tolist() == [49_000, 0]  # March, April
    assert claw.tolist() == [0, -12_250]
    assert bench_refresh.udf_loop(data).tolist() == [490.0]
    ranges = bench_refresh.udf_ranges(data)
    assert bench_refresh.scalar_calls(ranges) == bench_refresh.array_call(ranges) == [490.0]
    summary = bench_refresh.commissions(data).summary
    assert cents(summary["commission"]).tolist() == [49_000, 0]
    assert cents(summary["clawbacks"]).tolist() == [0, -12_250]


def test_refresh_child_ours_udf_and_floor_agree_to_the_cent():
    got = child("refresh", lines=3_000, repeat=1)
    agree = got["agreement"]
    assert agree["rep_months"] > 1_000 and agree["clawbacks_total"] < 0
    assert (agree["udf_differs"], agree["floor_differs"], agree["floor_has_more"], got["array_differs"]) == (0, 0, 0, 0)
    assert agree["clawbacks_differ"] == 0
    assert got["peak_mb"] >= got["inputs_mb"] > 0
    assert set(got["stages"]) == set(bench_refresh.STAGES)


def test_synthetic_returns_are_about_three_percent_and_never_more_than_sold():
    data = synth.inputs(20_000)
    assert 0.025 < len(data["returns"]) / len(data["orders"]) < 0.035
    sold = data["orders"].set_index(["order_id", "line"])["amount"]
    back = data["returns"].set_index(["order_id", "line"])["amount"]
    assert (back <= sold.reindex(back.index)).all()


def test_import_every_reader_and_writer_imports_the_same_rows(tmp_path):
    master, files = bench_import.fixtures(tmp_path, reps=2, rows=20)
    results = [bench_import.import_once(master, files, **options) for options in bench_import.WAYS.values()]
    assert results[0][1].totals == {"rows_read": 40, "rows_imported": 40, "rows_rejected": 0}
    assert all(bench_import.same_result(results[0], other) for other in results[1:])
    assert len(results[0][2]["orders"]) == 2 * 20 + 2 * 10  # the earlier month's orders + 10 imported per file


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_sumproduct_formulas_equal_the_core(tmp_path):
    values = bench_libreoffice.amounts(60)
    book = bench_libreoffice.formula_workbook(tmp_path / "c.xlsx", values)
    got = bench_libreoffice.recalculated(book, tmp_path / "out")
    assert cents(got).tolist() == cents(bench_libreoffice.core(values)).tolist()
    # 20,000 (a floor): 5,000 x 3% + 5,000 x 5% + 10,000 x 8% = 1,200
    assert got[list(values).index(20_000.0)] == 1_200.0


@pytest.mark.realdata
@pytest.mark.skipif(not bench_realdata.ONLINE_RETAIL.exists(), reason="../shared/data is absent")
def test_realdata_every_customer_gets_one_tier():
    lines = bench_realdata.order_lines(bench_realdata.read().head(5_000))
    out = bench_realdata.tiers(lines)
    assert len(out) == lines["customer_id"].nunique()
    assert out["abc"].isin(["A", "B", "C"]).all() and out["segment"].notna().all()
    assert not lines["order_id"].str.startswith("C").any()


@pytest.mark.parametrize("write_only", [False, True])
def test_write_orders_sheet_reads_back_the_same_orders(tmp_path, write_only):
    orders = bench_write.inputs(50)["orders"]
    path = bench_write.orders_sheet(tmp_path / "o.xlsx", orders, write_only)
    back = read_tables(path, ["orders"])["orders"]
    assert back["order_id"].tolist() == orders["order_id"].tolist()
    assert np.allclose(back["amount"].to_numpy(float), orders["amount"].to_numpy())


def test_dedupe_proposes_every_typo_copy_with_its_original():
    table, twins = bench_dedupe.customers(300)
    assert len(twins) == 3  # 1% of 300
    proposed = bench_dedupe.propose_merges(table)
    assert bench_dedupe.found(proposed, twins) == 3
    assert len(proposed) == 3  # numbered names that differ in their digits are not close
