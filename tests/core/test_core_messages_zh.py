"""The calculations' messages in a Chinese master: errors, close warnings, the Plan sheet's
problems, Settings errors, default tier names, and the Exceptions rows the refresh writes
(reason, Sheet, Column and File cells) in Chinese; English exactly as it was."""

import pandas as pd
import pytest

from sales_tools.core.close import close_months, reopen_month
from sales_tools.core.commissions.codes import floats
from sales_tools.core.plans import parse_plans
from sales_tools.core.refresh import (
    REFRESH_FILE,
    left_out,
    left_out_message,
    needs_attention,
    refreshed_exceptions,
)
from sales_tools.core.settings import defaults, read_settings, tier_scale
from sales_tools.core.tiers import validate_tiers
from sales_tools.errors import InputError, PlanError
from sales_tools.schema import TABLES
from sales_tools.schema.language import CHINESE, tr, use


def _message(call, *args, **kwargs) -> str:
    with pytest.raises(InputError) as caught:
        call(*args, **kwargs)
    return str(caught.value)


def _rows(columns: dict) -> pd.DataFrame:
    """Exceptions rows with the given columns, the others blank."""
    return pd.DataFrame(columns).reindex(columns=TABLES["exceptions"].names)


def _closed(period: str) -> pd.DataFrame:
    return pd.DataFrame({"rep_id": ["R1"], "period": pd.to_datetime([period]), "total": [100.0]})


def test_closing_a_closed_month_in_chinese_and_in_english():
    lines = pd.DataFrame(columns=TABLES["commission_lines"].names)
    payouts, computed = _closed("2024-03-01"), {"commission_summary": _closed("2024-03-01"), "commission_lines": lines}
    args = (computed, payouts, pd.Timestamp("2024-03-01"), pd.Timestamp("2024-04-02"), "me")
    with use(CHINESE):
        said = _message(close_months, *args)
    assert said == "2024-03 已结账（“提成发放”表）；如需修改，请先重新开账"
    assert _message(close_months, *args) == "2024-03 is closed already (Payouts sheet); to change it, reopen it first"


def test_reopening_without_a_reason_and_a_month_not_closed_in_chinese():
    payouts, now = _closed("2024-03-01"), pd.Timestamp("2024-04-02")
    with use(CHINESE):
        no_reason = _message(reopen_month, payouts, payouts, pd.Timestamp("2024-03-01"), " ", now, "me")
        not_closed = _message(reopen_month, payouts, payouts, pd.Timestamp("2024-05-01"), "fix", now, "me")
    assert no_reason == "请说明重新开账的原因（--reason）：“结账日志”表会记录"
    assert not_closed == "2024-05 未结账（“提成发放”表）：无需重新开账"
    assert _message(reopen_month, payouts, payouts, pd.Timestamp("2024-05-01"), "fix", now, "me") == (
        "2024-05 is not closed (Payouts sheet): nothing to reopen"
    )


def test_the_close_warnings_in_chinese():
    """March closed on 2024-03-20 is not over, and one refresh row left pay out: two warnings."""
    summary = pd.DataFrame({"rep_id": ["R1"], "period": pd.to_datetime(["2024-03-01"]), "total": [100.0]})
    lines = pd.DataFrame(columns=TABLES["commission_lines"].names)
    found = _rows({"column": ["plan"], "value": ["R9"], "reason": ["x"]})
    payouts = pd.DataFrame(columns=TABLES["payouts"].names)
    with use(CHINESE):
        computed = {"commission_summary": summary, "commission_lines": lines,
                    "exceptions": refreshed_exceptions(None, found)}  # fmt: skip
        warnings = close_months(computed, payouts, pd.Timestamp("2024-03-01"), pd.Timestamp("2024-03-20"), "me",
                                as_of=pd.Timestamp("2024-03-20")).warnings  # fmt: skip
    later = "：之后的变动将作为调整在下一个未结账月份发放"
    assert warnings == [
        "截至数据日期（2024-03-20），2024-03 尚未结束" + later,
        "刷新时有提成未计提，或发现日期晚于今天的订单（“异常”表 1 行）" + later,
    ]


def test_settings_errors_in_chinese():
    table = pd.DataFrame({"setting": ["abc_a", "abc_b"], "value": [0.9, 0.5]})
    with use(CHINESE):
        said = _message(read_settings, table)
    assert said == "设置：A类界限（0.9）必须小于B类界限（0.5）"
    assert _message(read_settings, table) == "Settings: abc_a (0.9) must be below abc_b (0.5)"
    bad = pd.DataFrame({"setting": ["payment_terms_days"], "value": ["soon"]})
    with use(CHINESE):
        assert "付款期限天数必须是" in _message(read_settings, bad) and "之间的整数，不能是 'soon'" in _message(
            read_settings, bad
        )


def test_a_chinese_master_gets_chinese_default_tier_names_by_position():
    """Same floors, same positions: 铜牌 is Bronze, 银牌 Silver, 金牌 Gold."""
    assert defaults(CHINESE)["tier_labels"] == "铜牌;银牌;金牌"
    assert defaults()["tier_labels"] == "Bronze;Silver;Gold"
    zh = tier_scale(read_settings(pd.DataFrame({"setting": ["language"], "value": ["zh-CN"]})))
    en = tier_scale(read_settings(None))
    assert zh == (en[0], ["铜牌", "银牌", "金牌"]) and en[1] == ["Bronze", "Silver", "Gold"]


def test_the_plan_sheets_problems_in_chinese():
    """One plan: a tier rate typed as 15 (meaning 15%) and a rule nobody knows; both listed."""
    plan = pd.DataFrame({"plan": ["Std", "Std"], "rule": ["tier", "bogus"], "option": [None, None],
                         "category": [None, None], "floor": [0, None], "rate": [15, None], "amount": [None, None]})  # fmt: skip
    with use(CHINESE), pytest.raises(PlanError) as caught:
        parse_plans(plan)
    said = str(caught.value)
    with use(CHINESE):
        rate = TABLES["plan"].column("rate").header
    assert said.startswith("“提成方案”表有 2 个问题：\n")
    assert f"- 方案 'Std'，第 2 行：{rate} 15 表示 1,500%；如指 15%，请输入 15%（或 0.15）" in said
    with pytest.raises(PlanError) as caught:
        parse_plans(plan)
    assert "- plan 'Std', row 2: rate 15 means 1,500%; for 15% type 15% (or 0.15)" in str(caught.value)


def test_an_order_amount_that_is_no_number_names_the_chinese_sheet_and_header():
    values = pd.Series([1.0, "abc"], dtype=object)
    with use(CHINESE):
        said = _message(floats, values, "Orders", "amount")
        header = TABLES["orders"].column("amount").header
    assert said == f"订单：第 2 行，{header} 'abc' 不是数字"
    assert _message(floats, values, "Orders", "amount") == "Orders: row 2, amount 'abc' is not a number"


def test_tier_floors_that_do_not_ascend_in_chinese():
    with use(CHINESE):
        said = _message(validate_tiers, [0, 5000, 5000], [0.01, 0.02, 0.03])
    assert said == "下限必须递增：5,000 之后是 5,000"


def test_the_refresh_rows_show_chinese_file_and_column_and_read_back_in_either_language():
    """A rep without a plan (pay left out) and an order dated after today (noticed)."""
    found = _rows({"sheet": "x", "column": ["plan", "order_date"], "value": ["R9", "2031-01-01"], "reason": ["a", "b"]})
    imported = _rows({"file": ["rep.xlsx"], "column": ["金额"], "reason": ["c"]})
    with use(CHINESE):
        rows = refreshed_exceptions(imported, found)
    assert rows["file"].tolist() == ["rep.xlsx", "（刷新）", "（刷新）"]
    assert rows["column"].tolist() == ["金额", "提成方案", "订单日期"]
    assert left_out(rows)["column"].tolist() == ["plan", "order_date"]  # codes again
    assert needs_attention(rows)
    again = refreshed_exceptions(rows, found)  # a Chinese master refreshed in English: its rows replaced
    assert again["file"].tolist() == ["rep.xlsx", REFRESH_FILE, REFRESH_FILE]
    assert again["column"].tolist() == ["金额", "plan", "order_date"]
    with use(CHINESE):
        said = left_out_message(rows)
    assert said == "未计提：1 名业务员没有提成方案。\n日期晚于今天：1 条订单行。\n- a\n- b"
    assert tr("(refresh)", CHINESE) == "（刷新）"


def test_duplicate_customers_are_proposed_with_chinese_reasons():
    """C2 repeats C1's ID-less twin name; C3 is one letter off C1: a same-name and a close-match pair."""
    from sales_tools.core.dedupe import with_proposals

    customers = pd.DataFrame({"customer_id": ["C1", "C2", "C3"], "name": ["Acme Ltd", "ACME", "Acmf"]})
    with use(CHINESE):
        reasons = with_proposals(customers, None)["reason"].tolist()
    assert reasons[0] == "规范化后名称相同：'acme'"
    assert with_proposals(customers, None)["reason"].tolist()[0] == "same name after normalising: 'acme'"
