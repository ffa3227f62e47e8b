"""The Chinese edition of the master and the rep template (issue 15): what a person reads is Chinese,
the formulas read the tables by their Chinese headers, the codes stay English, and a template of
either language imports into a master of either language as the same rows."""

from __future__ import annotations

import shutil

import openpyxl
import pandas as pd
import pytest

from sales_tools.excel import dashboard, styles
from sales_tools.excel.builder import build_master, formulas
from sales_tools.excel.reader import book_language, read_tables
from sales_tools.excel.templates import build_blank_template, build_rep_templates
from sales_tools.importer.apply import import_files
from sales_tools.sample import generate, sample_tables
from sales_tools.schema import TABLES, TEMPLATE_DISPLAY, TEMPLATE_FEEDS, TEMPLATE_FIRST_ROW, TEMPLATE_TABLES
from sales_tools.schema.language import CHINESE, ENGLISH, LANGUAGES, tr, use

PERIOD = "2024-03"
NOW = pd.Timestamp("2024-04-01 09:00")
DAY = pd.Timestamp("2024-03-05")


@pytest.fixture(scope="module")
def masters(tmp_path_factory):
    """The sample master built in each language: language -> path (Dashboard and computed sheets)."""
    tmp = tmp_path_factory.mktemp("zh")
    built = {}
    for language in LANGUAGES:
        with use(language):
            inputs, computed = sample_tables()  # Settings language and descriptions in `language`
            built[language] = build_master(tmp / f"master_{language}.xlsx", inputs, computed)
    return built


def test_the_chinese_dashboard_reads_chinese(masters):
    wb = openpyxl.load_workbook(masters[CHINESE])
    assert wb.sheetnames[0] == "仪表板" == tr("Dashboard", CHINESE)
    ws = wb["仪表板"]
    assert ws["A1"].value == "销售仪表板" and ws["A3"].value == "年份"
    assert [ws.cell(5, c).value for c in range(1, 6)] == [
        "团队销售额（净额）", "团队目标", "团队达成率", "提成合计", "销售冠军"
    ]  # fmt: skip
    assert [ws.cell(dashboard.REP_ROW, c).value for c in range(1, 7)] == [
        "业务员编号", "名称", "目标", "实际", "达成率", "目标线"
    ]  # fmt: skip
    assert ws.cell(dashboard.REP_ROW - 1, 1).value == "业务员达成率"
    charts = {c.title.tx.rich.p[0].r[0].t for c in ws._charts}
    assert {"业务员达成率", "月度销售额与目标", "客户等级分布", "区域达成率", "品类达成率"} == charts
    assert ws["A6"].number_format == '"¥"#,##0' and ws["D6"].number_format == '"¥"#,##0.00'
    assert ws["C3"].number_format == '0" 条异常：请查看“异常”工作表";;"无异常"'
    assert ws["A1"].font.name == "Microsoft YaHei" and ws["A5"].font.name == styles.CJK_FONT


def test_a_chinese_master_says_so(masters):
    assert {language: book_language(path) for language, path in masters.items()} == {
        ENGLISH: "en", CHINESE: "zh-CN"
    }  # fmt: skip


def test_the_english_dashboard_is_unchanged(masters):
    ws = openpyxl.load_workbook(masters[ENGLISH])["Dashboard"]
    assert (ws["A1"].value, ws["A3"].value, ws["A5"].value) == ("Sales dashboard", "Year", "Team sales (net)")
    assert ws["A6"].number_format == "#,##0" and ws["A1"].font.name == "Calibri"
    assert ws["C3"].number_format == '0" exception(s): see the Exceptions sheet";;"No exceptions"'
    assert ws["C11"].value.startswith("=SUMIFS(tblAttainment[Target],tblAttainment[Rep ID],$A11,")


def test_chinese_formulas_name_the_chinese_headers_and_the_same_tables(masters):
    """Structured references keep the table names (tblAttainment) and use the headers of the sheet."""
    ws = openpyxl.load_workbook(masters[CHINESE])["仪表板"]
    assert ws["C11"].value == (
        '=SUMIFS(tblAttainment[目标],tblAttainment[业务员编号],$A11,tblAttainment[期间],">="&DATE($B$3,1,1),'
        'tblAttainment[期间],"<"&DATE($B$3+1,1,1),tblAttainment[考核指标],"销售额")'
    )
    assert ws["C3"].value == "=COUNTA(tblExceptions[原因])"
    wb = openpyxl.load_workbook(masters[CHINESE])
    attainment = wb[tr("Attainment", CHINESE)]
    column = TABLES["attainment"].names.index("attainment") + 1
    assert attainment.cell(1, column).value == "达成率"
    with use(CHINESE):
        assert attainment.cell(2, column).value == "=" + formulas("attainment")["attainment"]
    assert "tblAttainment[[#This Row],[实际]]/tblAttainment[[#This Row],[目标]]" in attainment.cell(2, column).value
    assert set(wb.defined_names) == set(openpyxl.load_workbook(masters[ENGLISH]).defined_names)


def test_a_chinese_template_reads_chinese(tmp_path):
    with use(CHINESE):
        blank = build_blank_template(tmp_path / "blank.xlsx")
    wb = openpyxl.load_workbook(blank)
    assert wb.sheetnames[0] == "使用说明" and "我的客户" in wb.sheetnames and "列表" in wb.sheetnames
    assert "每日访问计划表" in wb.sheetnames and "每日销售报告表" in wb.sheetnames
    info = wb["使用说明"]
    assert (info["A1"].value, info["A9"].value) == ("业务员工作簿", "本工作簿使用方法")
    assert info["A1"].font.name == "Microsoft YaHei"
    plan = wb["每日访问计划表"]
    assert plan["A3"].value.count('"业务员 "&RepID') == 2 and '" 至 "' in plan["A3"].value
    assert plan["A3"].value.endswith('&", 未设置期间")')
    name = TEMPLATE_TABLES["rep_visit_plan"].names.index("customer_name") + 1
    assert '"不在我的客户中"' in plan.cell(TEMPLATE_FIRST_ROW, name).value
    assert wb.defined_names["MyCustomers"].attr_text == "'我的客户'!$A$5:$A$204"
    assert wb.defined_names["Categories"].attr_text == "'列表'!$A$2:$A$201"
    purposes = [dv for dv in plan.data_validations.dataValidation if dv.type == "list"]
    assert any("市场调研" in dv.formula1 for dv in purposes)  # "Market research" as its label


def _fill(template, out, language: str, customers: list[str]):
    """A copy of `template` (a template in `language`) with the same rows typed in: the dropdown
    columns' values as the labels of `language`."""
    rows = {
        "rep_visit_plan": [[DAY, customers[0], "North", None, "Market research"]],
        "rep_daily_report": [[DAY, customers[0], "Order taken", None, None, 2]],
        "rep_orders": [
            [DAY, "SO-1", customers[0], "Hardware", 3, 10.25],
            [DAY, "SO-1", customers[1], "Software", 1, 99],
        ],
        "rep_collections": [[DAY, customers[0], "SO-1", 30.75, "cash"]],
        "rep_attendance": [[DAY, "Present", "on time"]],
        "rep_market": [[DAY, "North", "Acme", "Price", "5% off", "High", "matched"]],
        "rep_complaints": [[DAY, customers[1], "Widget", "late delivery", "High", "called", "Open"]],
    }
    wb = openpyxl.load_workbook(template)
    for name, table_rows in rows.items():
        table = TEMPLATE_TABLES[name]
        with use(language):
            ws = wb[table.sheet]
        typed = [c for c in table.columns if c.name not in TEMPLATE_DISPLAY]
        for i, row in enumerate(table_rows):
            for col, value in zip(typed, row):
                shown = tr(value, language) if col.allowed and value else value
                j = table.names.index(col.name) + 1
                ws.cell(TEMPLATE_FIRST_ROW + i, j).value = shown
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """master language -> template language -> the master's fed tables after importing the filled template."""
    tmp = tmp_path_factory.mktemp("cross")
    sample = generate()
    base = {k: sample[k] for k in ("reps", "customers", "categories")}
    masters, filled = {}, {}
    for language in LANGUAGES:
        with use(language):
            masters[language] = build_master(tmp / f"master_{language}.xlsx", base)
            (template, *_) = build_rep_templates(masters[language], tmp / f"issued_{language}", PERIOD)
            mine = openpyxl.load_workbook(template, read_only=True)[tr("My customers")]
            customers = [r[0] for r in mine.iter_rows(min_row=TEMPLATE_FIRST_ROW, values_only=True) if r[0]]
        filled[language] = _fill(template, tmp / f"filled_{language}" / template.name, language, customers)
    result = {}
    for master_language in LANGUAGES:
        for template_language in LANGUAGES:
            copy = shutil.copy(masters[master_language], tmp / f"m_{master_language}_{template_language}.xlsx")
            with use(master_language):
                report = import_files(copy, [filled[template_language]], now=NOW)
            assert report.log["status"].tolist() == ["imported"], report.exceptions
            result[master_language, template_language] = (read_tables(copy, list(TEMPLATE_FEEDS.values())), copy)
    return result


@pytest.mark.parametrize("master_language", LANGUAGES)
def test_a_template_of_either_language_imports_the_same_rows(imported, master_language):
    """A Chinese template filled with Chinese labels gives the master the rows the English one gives."""
    same, other = (imported[master_language, t][0] for t in (master_language, *set(LANGUAGES) - {master_language}))
    for name, frame in same.items():
        assert len(frame) > 0, name
        pd.testing.assert_frame_equal(other[name], frame, obj=name)
    # codes, not labels: 3 x 10.25 = 30.75 and 1 x 99 = 99.00
    assert same["activities"]["outcome"].tolist() == ["Order taken"]
    assert same["attendance"]["status"].tolist() == ["Present"]
    assert same["orders"]["amount"].tolist() == [30.75, 99.0]


def test_a_chinese_master_shows_the_imported_codes_as_labels(imported):
    _, path = imported[CHINESE, ENGLISH]
    ws = openpyxl.load_workbook(path)[tr("Activities", CHINESE)]
    column = TABLES["activities"].names.index("outcome") + 1
    assert ws.cell(2, column).value == "已下单" == tr("Order taken", CHINESE)
