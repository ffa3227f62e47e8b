"""The command line in a Chinese master: its tables, messages and `Error:` lines in Chinese."""

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from sales_tools.cli import cli
from sales_tools.schema import TABLES
from sales_tools.schema.language import CHINESE, use


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], prog_name="sales-tools")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("zh")
    result = run("demo", "--lang", "zh-CN", "--out", out)
    return out / "master.xlsx", result


def test_the_chinese_demo_prints_chinese_tables(demo):
    master, result = demo
    assert result.exit_code == 0, result.output
    for title in ["销售冠军榜，2024年", "团队，2024年", "客户等级分布", f"主工作簿：{master}"]:
        assert title in result.output, title
    assert "提成合计" in result.output and "销售额（扣除退货）" in result.output
    assert "销售冠军" in result.output  # the first rep's badge, "Sales champion"
    assert "Top reps" not in result.output and "Master workbook" not in result.output


def test_a_bad_cell_is_a_chinese_error_naming_file_sheet_row_and_column(demo, tmp_path):
    master, _ = demo
    with use(CHINESE):
        sheet, header = TABLES["orders"].sheet, TABLES["orders"].column("amount").header
    wb = load_workbook(master)
    ws = wb[sheet]
    column = [c.value for c in ws[1]].index(header) + 1
    ws.cell(5, column).value = "abc"
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    result = run("statements", bad, "--period", "2024-11", "--out", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert f"错误：bad.xlsx，工作表“{sheet}”，第 5 行，“{header}”列：'abc' 不是数字" in result.output


def test_an_unknown_period_week_and_rep_are_chinese_errors(demo, tmp_path):
    master, _ = demo
    result = run("statements", master, "--period", "2024-13", "--out", tmp_path)
    assert (result.exit_code, result.output.strip()) == (2, "错误：期间 '2024-13' 不是 2024-03 这样的月份")
    result = run("report", "weekly", master, "--week", "2024-W99", "--out", tmp_path)
    assert (result.exit_code, result.output.strip()) == (2, "错误：周 '2024-W99' 不是 2024-W12 这样的 ISO 周")


def test_the_report_commands_follow_the_masters_language(demo):
    master, _ = demo
    result = run("report", "variance", master, "--by", "region", "--year", "2024")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("目标差异（按区域），2024年\n")
    assert "2024-01 目标" in result.output and "2024-01 差异" in result.output


def test_the_files_a_chinese_master_writes_have_chinese_names(demo, tmp_path):
    master, _ = demo
    assert run("statements", master, "--period", "2024-06", "--out", tmp_path / "s").exit_code == 0
    assert run("report", "weekly", master, "--week", "2024-W24", "--out", tmp_path / "w").exit_code == 0
    assert run("report", "variance", master, "--by", "rep", "--out", tmp_path / "v").exit_code == 0
    assert (tmp_path / "s" / "结算单_2024-06_R01.xlsx").exists()  # statement_2024-06_R01.xlsx in English
    assert [p.name for p in (tmp_path / "w").iterdir()] == ["周进度_2024-W24.xlsx"]
    assert [p.name for p in (tmp_path / "v").iterdir()] == ["目标差异_业务员_月_2024.xlsx"]
