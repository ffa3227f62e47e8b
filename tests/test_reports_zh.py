"""The weekly report and the Target variance in Chinese: Chinese words, dates yyyy-mm-dd, English figures."""

from openpyxl import load_workbook
from week_2024_w14 import inputs

from sales_tools.core.weekly import weekly_report
from sales_tools.reports import variance_title, weekly_workbook
from sales_tools.schema.language import CHINESE, use

SETTING = {"company": "Acme", "currency": "CNY"}


def _book(tmp_path, name):
    report = weekly_report(inputs(), "2024-W14")
    weekly_workbook(report, SETTING).save(tmp_path / name)
    return load_workbook(tmp_path / name)


def test_the_weekly_report_in_chinese_has_the_english_figures(tmp_path):
    with use(CHINESE):
        zh = _book(tmp_path, "zh.xlsx")
    en = _book(tmp_path, "en.xlsx")
    assert zh.sheetnames == ["周 2024-W14", "报告 2024-W14", "竞品 2024-W14", "升级事项 2024-W14"]
    assert en.sheetnames == ["Week 2024-W14", "Reports 2024-W14", "Competitors 2024-W14", "Escalations 2024-W14"]
    ws = zh.worksheets[0]
    assert (ws["A1"].value, ws["A2"].value) == ("周进度报告 2024-W14", "Acme · 2024-04-01 至 2024-04-07 · CNY")
    assert en.worksheets[0]["A2"].value == "Acme · 01 Apr – 07 Apr 2024 · CNY"  # English as it was
    team = ws.cell(ws.max_row, 2).value
    assert (team, en.worksheets[0].cell(ws.max_row, 2).value) == ("团队人均", "Team average per rep")
    assert ws.oddFooter.right.text == "第 &P 页，共 &N 页"
    for zs, es in zip(zh.worksheets, en.worksheets):
        numbers = [[(c.coordinate, c.value) for row in s.iter_rows(min_row=5) for c in row
                    if isinstance(c.value, (int, float))] for s in (zs, es)]  # fmt: skip
        assert numbers[0] == numbers[1], zs.title


def test_the_variance_title_in_chinese():
    with use(CHINESE):
        assert variance_title("rep+category", 2024, "margin").startswith("目标差异（按业务员+品类），2024年（")
    assert variance_title("rep+category", 2024, "margin") == "Target variance by rep+category, 2024 (margin)"
