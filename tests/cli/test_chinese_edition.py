"""The Simplified Chinese edition computes what the English one does: the same seed gives
the same rows and the same cents in both languages, compared by their codes."""

import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from pandas.api.types import is_datetime64_any_dtype, is_numeric_dtype

from sales_tools.excel.reader import read_tables
from sales_tools.sample_catalog import sample_in_english
from sales_tools.schema import COMPUTED_TABLES, TABLES

BIN = Path(sys.executable).parent / "sales-tools"
COMPUTED = [t.name for t in COMPUTED_TABLES]
PROSE = ("abnormal_customers", "next_week_customers")


def sales_tools(*args) -> subprocess.CompletedProcess:
    return subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def demos(tmp_path_factory):
    """The English and the Chinese demo of seed 7, and the Chinese one refreshed again."""
    root = tmp_path_factory.mktemp("zh")
    for lang in ("en", "zh-CN"):
        done = sales_tools("demo", "--seed", 7, "--lang", lang, "--out", root / lang)
        assert done.returncode == 0, done.stderr
    refreshed = shutil.copy(root / "zh-CN" / "master.xlsx", root / "refreshed.xlsx")
    done = sales_tools("refresh", refreshed)
    assert done.returncode in (0, 1), done.stderr  # 1: something listed on Exceptions (as in English)
    return root / "en" / "master.xlsx", root / "zh-CN" / "master.xlsx", Path(refreshed)


def _ids_of_prose(report: pd.DataFrame) -> pd.DataFrame:
    """The weekly report with its prose columns as the customer IDs they name, in order, and no team label."""
    prose = {c: report[c].fillna("").astype(str).str.findall(r"C\d{4}").str.join(" ") for c in PROSE if c in report}
    return report.assign(**prose).drop(columns="name")


def in_english(frame: pd.DataFrame) -> pd.DataFrame:
    """The Chinese demo's data texts (rep and customer names, regions, categories, plan names) in English."""
    texts = [c for c in frame.columns if not (is_numeric_dtype(frame[c]) or is_datetime64_any_dtype(frame[c]))]
    english = {c: {v: sample_in_english(v) for v in frame[c].dropna().unique() if isinstance(v, str)} for c in texts}
    return frame.assign(**{c: frame[c].replace(english[c]) for c in texts})


def _no_reason(merges: pd.DataFrame) -> pd.DataFrame:
    """Customer merges with each reason as whether it has one: a sentence in its language quoting a normalised name."""
    return merges.assign(reason=merges["reason"].notna())


def by_codes(frame: pd.DataFrame, table) -> pd.DataFrame:
    """Rows sorted by every column, money to the cent."""
    frame = frame.reset_index(drop=True)
    money = [c.name for c in table.columns if c.type == "money"]
    frame[money] = frame[money].astype("float64").round(2)
    order = frame.astype(str).sort_values(list(frame.columns)).index
    return frame.loc[order].reset_index(drop=True)


def test_same_cents_in_both_languages(demos):
    english, chinese, refreshed = demos
    want = read_tables(english, COMPUTED)
    want["weekly_report"] = _ids_of_prose(want["weekly_report"])  # prose is in its language: compared by its IDs
    want["customer_merges"] = _no_reason(want["customer_merges"])
    for path in (chinese, refreshed):
        got = read_tables(path, COMPUTED)  # codes: a label in either language reads as its code
        got = {name: in_english(frame) for name, frame in got.items()}  # the sample's data: the same draws
        got["weekly_report"] = _ids_of_prose(got["weekly_report"])
        got["customer_merges"] = _no_reason(got["customer_merges"])
        rates = got["collection_rate"]
        rates["rep_name"] = rates["rep_name"].mask(
            rates["rep_id"].eq("TEAM") & rates["rep_name"].eq("团队"), "Team"
        )  # label
        # a Chinese master's default tier names: the same tiers by position (Settings tier_labels)
        got["customer_tiers"]["tier"] = got["customer_tiers"]["tier"].map(
            {"铜牌": "Bronze", "银牌": "Silver", "金牌": "Gold"}
        )
        for table in COMPUTED_TABLES:
            a, b = by_codes(want[table.name], table), by_codes(got[table.name], table)
            pd.testing.assert_frame_equal(a, b, check_exact=True, obj=f"{path.name} {table.sheet}")
    assert len(want["commission_lines"]) > 1000 and want["commission_summary"]["total"].sum() > 0  # a real month end


def test_the_chinese_master_shows_labels_and_keeps_table_names(demos):
    _, chinese, refreshed = demos
    wb = openpyxl.load_workbook(refreshed)
    assert "订单" in wb.sheetnames and "Orders" not in wb.sheetnames and "客户分级" in wb.sheetnames
    assert "tblOrders" in wb["订单"].tables  # Excel table names never change
    tiers = wb["客户分级"]
    headers = [c.value for c in tiers[1]]
    assert headers[0] == "客户编号" and "客户类型" in headers
    segments = {r[headers.index("客户类型")] for r in tiers.iter_rows(min_row=2, values_only=True)}
    assert segments <= {"VIP客户", "忠实客户", "新客户", "沉睡客户", "潜在客户", "普通客户", None}
    assert {"VIP客户", "忠实客户"} <= segments  # the seeds' words, never the codes
    board = [r for r in wb["销售排行榜"].iter_rows(min_row=2, values_only=True)]
    assert board[0][0] == 1 and board[0][-1] == "销售冠军"  # the champion's badge
    settings = {r[0]: r[1] for r in wb["设置"].iter_rows(min_row=2, values_only=True)}
    assert settings["币种"] == "CNY" and settings["语言"] == "zh-CN" and settings["日期顺序"] == "月在前"
    assert settings["公司名称"] == "示例贸易有限公司"
    plan = [r for r in wb["提成方案"].iter_rows(min_row=2, values_only=True)]
    assert ("标准方案", "计算方法", "超额累进") == plan[0][:3]  # the plan named in Chinese, rule and option as labels
    variance = {r[2] for r in wb["目标差异"].iter_rows(min_row=2, values_only=True)}
    assert variance == {"月", "季度", "半年", "年"}  # period types
    english = openpyxl.load_workbook(demos[0], read_only=True)
    assert english["Settings"]["A2"].value == "company" and TABLES["settings"].sheet == "Settings"


def test_the_import_log_of_a_chinese_master_reads_back_as_codes(demos, tmp_path):
    """The Import log shows 已导入 / 已导入过, and a file imported twice is recognised by its logged status."""
    master = shutil.copy(demos[1], tmp_path / "master.xlsx")
    assert sales_tools("templates", master, "--out", tmp_path / "t", "--period", "2024-12").returncode == 0
    rep_file = sorted((tmp_path / "t").glob("R01_*.xlsx"))[0]
    for _ in range(2):
        done = sales_tools("import", master, rep_file)
        assert done.returncode == 0, done.stdout + done.stderr
    ws = openpyxl.load_workbook(master)["导入日志"]
    status = [c.value for c in ws[1]].index("状态")
    assert [r[status] for r in ws.iter_rows(min_row=2, values_only=True)] == ["已导入", "已导入过"]
    assert read_tables(master, ["import_log"])["import_log"]["status"].tolist() == ["imported", "already imported"]
