"""The macros on a Chinese master, through xlwings' own machinery (as tests/test_macros.py):
they read the book's Settings language and speak it in every message box, and find its
Chinese sheets."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sales_tools.core.refresh import COMPUTED, refresh
from sales_tools.excel.builder import build_master
from sales_tools.sample import generate
from sales_tools.schema import TABLES
from sales_tools.schema.language import CHINESE, use

CHECK = Path(__file__).with_name("xlwings_macros_check.py")
AS_OF = "2024-12-20"  # in 2024-W51 (16-22 Dec)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A Chinese master of two months of sample data (seed 3), refreshed."""
    tmp = tmp_path_factory.mktemp("macros_zh")
    with use(CHINESE):
        inputs = generate(seed=3, start="2024-11-01", months=2)
        master = build_master(tmp / "small_zh.xlsx", inputs, refresh(inputs, as_of=AS_OF))
        orders = TABLES["orders"]
        sheet, amount = orders.sheet, orders.column("amount").header
    return {"master": master, "inputs": inputs, "orders_sheet": sheet, "amount": amount}


@pytest.fixture(scope="module")
def runs(small):
    settings = {"as_of": AS_OF}
    amount = TABLES["orders"].names.index("amount") + 1
    cases = [
        {"name": "classic refresh", "kind": "classic", "call": "refresh", "settings": settings},
        {"name": "classic weekly", "kind": "classic", "call": "weekly_report", "settings": settings},
        {"name": "classic bad cell", "kind": "classic", "call": "refresh", "settings": settings,
         "edits": [[small["orders_sheet"], 3, amount, "abc"]]},
        {"name": "classic import unsaved", "kind": "classic", "call": "import_rep_files", "book_name": "Book1"},
        {"name": "lite refresh", "kind": "script", "call": "refresh", "args": [AS_OF]},
        {"name": "lite approve", "kind": "script", "call": "approve_week", "args": ["R01", "2024-12-18", "Mia", "OK"]},
    ]  # fmt: skip
    for case in cases:
        case["master"] = str(small["master"])
    env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial", "XLWINGS_ON_SERVER": "true"}
    out = subprocess.run([sys.executable, str(CHECK)], input=json.dumps({"runs": cases}), env=env, cwd=CHECK.parent,
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout)["runs"]


def alert(result: dict) -> tuple[str, str]:
    """(message, mode) of the run's message box."""
    (box,) = [a for a in result["actions"] if a["func"] == "alert"]
    return box["args"][0], box["args"][3]


@pytest.mark.parametrize("run", ["classic refresh", "lite refresh"])
def test_a_refresh_of_a_chinese_master_says_so_in_chinese(runs, run):
    # Same data and date as the English "classic refresh" case, which says "Refreshed N sheets."
    assert alert(runs[run]) == (f"已刷新 {len(COMPUTED)} 张工作表。", "info")
    written = {a["sheet_position"] for a in runs[run]["actions"] if a["func"] == "resizeTable"}
    assert len(written) == len(COMPUTED)  # every computed sheet found by its Chinese title


def test_the_weekly_report_macro_speaks_chinese(runs):
    assert alert(runs["classic weekly"]) == ("已生成周进度报告 2024-W51。", "info")


def test_a_bad_cell_names_the_chinese_sheet_and_column(runs, small):
    message, mode = alert(runs["classic bad cell"])
    assert mode == "critical"
    assert small["orders_sheet"] == "订单" and small["amount"] == "金额"
    assert "工作表“订单”，第 3 行，“金额”列：'abc' 不是数字" in message
    assert [a["func"] for a in runs["classic bad cell"]["actions"]] == ["alert"]  # nothing written


def test_an_unsaved_book_is_asked_in_chinese_to_be_saved(runs):
    assert alert(runs["classic import unsaved"]) == (
        "请先保存 Book1，或在“设置”表中填写文件夹（rep_files_folder）", "critical")  # fmt: skip


def test_approving_a_week_in_lite_answers_in_chinese(runs, small):
    # R01's rows dated Monday 16 to Sunday 22 December 2024, counted from the generated data
    counts = []
    for name, date in (("visit_plans", "visit_date"), ("activities", "activity_date")):
        rows = small["inputs"][name]
        counts.append(int((rows["rep_id"].eq("R01") & rows[date].between("2024-12-16", "2024-12-22")).sum()))
    assert counts[1] > 0
    message, mode = alert(runs["lite approve"])
    assert (message, mode) == (
        f"已核签 R01 2024-W51：每日访问计划表 {counts[0]} 行，每日销售报告表 {counts[1]} 行。",
        "info",
    )
    assert "approved" not in message
