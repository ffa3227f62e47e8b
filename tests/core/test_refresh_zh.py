"""The refresh's Exceptions reasons and its summary on screen in Chinese (English as it was)."""

import pandas as pd

from sales_tools.core.refresh import REFRESH_FILE, future_orders, left_out_message, no_month_target, no_week_target
from sales_tools.core.weekly import TEAM_ID
from sales_tools.schema import TABLES
from sales_tools.schema.language import CHINESE, use


def test_a_month_and_a_week_without_a_target_in_chinese():
    att = pd.DataFrame(
        {"rep_id": ["R1"], "period": pd.to_datetime(["2024-03-01"]), "target": [None], "actual": [1234.5]}
    )
    week = pd.DataFrame({"week": "2025-W01", "rep_id": ["R1", TEAM_ID], "target": [None, None]})
    unpaid = pd.DataFrame({"column": [], "value": []})
    with use(CHINESE):
        sheet = TABLES["targets"].sheet
        month, weekly = no_month_target(att, unpaid)["reason"].tolist(), no_week_target(week)["reason"].tolist()
    assert month == [f"业务员 R1 在 2024-03 销售 1,234.50，但“{sheet}”表中没有该月目标：达成率为空"]
    assert weekly == [f"业务员 R1 在 2025-W01 周没有目标：“{sheet}”表中该周所在的某个月没有该业务员的目标"]
    assert no_month_target(att, unpaid)["reason"].tolist() == [
        "rep R1 sold 1,234.50 in 2024-03 and has no target for the month on the Targets sheet: its attainment is blank"
    ]


def test_an_order_dated_after_today_in_chinese():
    orders = pd.DataFrame({"order_id": ["SO-9"], "line": [2], "order_date": pd.to_datetime(["2024-07-01"])})
    with use(CHINESE):
        found = future_orders(orders, pd.Timestamp("2024-06-30"), pd.Timestamp("2024-06-28"))
    assert found["reason"].tolist() == [
        "订单 SO-9 第 2 行的日期为 2024-07-01，晚于今天（2024-06-30）；数据截至 2024-06-28：日期是否输错？"
    ]


def test_the_refresh_summary_in_chinese():
    rows = pd.DataFrame({"file": REFRESH_FILE, "column": ["target", "target"], "reason": ["a", "b"]})
    with use(CHINESE):
        said = left_out_message(rows, shown=1)
        sheet = TABLES["exceptions"].sheet
    assert said == f"未计提：2 个业务员月份没有可用目标。\n- a\n- 另有 1 条，见“{sheet}”表"
    assert left_out_message(rows, shown=1) == (
        "Not paid: 2 rep-month(s) without a usable target.\n- a\n- and 1 more on the Exceptions sheet"
    )
