"""The validation of the master's and the templates' columns: each input message and error
alert is a whole phrase of the workbook's language (English unchanged)."""

import openpyxl

from sales_tools.excel.validation import column_rule
from sales_tools.schema import TABLES, Column
from sales_tools.schema.language import CHINESE, use

OUTCOME = TABLES["activities"].column("outcome")
WHOLE = Column("visits", "int", min=1, max=5, header="Visits")


def test_english_messages():
    rule = column_rule(WHOLE)
    assert (rule.errorTitle, rule.error) == ("Invalid Visits", "Type a whole number of at least 1 of at most 5")
    assert column_rule(Column("x", "number", min=0)).error == "Type a number of at least 0"
    assert column_rule(Column("x", "money")).error == "Type a number"
    assert column_rule(TABLES["orders"].column("order_date")).error == "Type a date (yyyy-mm-dd) within the period"
    outcome = column_rule(OUTCOME)
    assert outcome.error.startswith("Pick one of: Order taken, Payment collected, ")
    assert outcome.formula1.startswith('"Order taken,Payment collected,')
    assert column_rule(Column("plan", header="Plan"), lookup="lst_plan").error == "Pick a Plan from the list"


def test_chinese_messages_are_whole_phrases():
    with use(CHINESE):
        whole, outcome = column_rule(WHOLE), column_rule(OUTCOME)
        at_least = column_rule(Column("x", "number", min=0)).error
        date = column_rule(TABLES["orders"].column("order_date"))
        lookup = column_rule(TABLES["reps"].column("manager_id"), lookup="lst_reps_rep_id")
    assert (whole.errorTitle, whole.error) == ("访问次数无效", "请输入 1 到 5 之间的整数")
    assert at_least == "请输入不小于 0 的数字"
    assert (date.errorTitle, date.error) == ("订单日期无效", "请输入期间内的日期（yyyy-mm-dd）")
    assert outcome.formula1.startswith('"已下单,已收款,已处理投诉,')  # the dropdown shows labels
    assert outcome.error.startswith("请从以下选项中选择：已下单, 已收款")
    assert (outcome.promptTitle, lookup.prompt) == ("洽谈结果", "经理的业务员编号，用于管理提成")


def test_a_chinese_rep_template_times_its_visits_in_chinese(tmp_path):
    from sales_tools.excel.templates import build_blank_template

    with use(CHINESE):
        path = build_blank_template(tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(path)["每日访问计划表"]
    rules = {dv.errorTitle: dv for dv in ws.data_validations.dataValidation}
    assert rules["计划时间无效"].error == "请输入时间，例如 09:30" and rules["计划时间无效"].type == "time"
    assert rules["访问目的无效"].formula1.startswith('"开发新客户,市场调研,收款,')
