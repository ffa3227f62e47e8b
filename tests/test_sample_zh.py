"""The Chinese demo's data: Chinese names, regions, categories, plans and notes, drawn from the same
random numbers as the English one (the same rows, dates, IDs and cents), and the English sample unchanged."""

import re

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from week_2024_w14 import inputs as weekly_inputs  # the hand-computed week 2024-W14

from sales_tools.cli import cli
from sales_tools.excel.builder import build_master
from sales_tools.excel.fit_check import misfits
from sales_tools.excel.reader import read_tables
from sales_tools.sample import generate
from sales_tools.sample_catalog import sample_in_chinese, sample_in_english
from sales_tools.schema import INPUT_TABLES, TABLES
from sales_tools.schema.language import CHINESE, tr, use

# What may stay Latin in a Chinese input sheet: IDs (R01, C0001, SO-24-00001, PAY-00001, a complaint's
# R01-20240105-C0001), e-mail addresses, the ISO currency and language codes, and RFM.
CODE = re.compile(r"R\d\d|C\d{4}|SO-\d\d-\d{5}|PAY-\d{5}|R\d\d-\d{8}-C\d{4}|[a-z.]+@example\.com|CNY|zh-CN|RFM")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
CODE_COLUMNS = {("column_map", "table"), ("column_map", "column")}  # schema names a map points at


@pytest.fixture(scope="module")
def samples():
    english = generate(7)
    with use(CHINESE):
        chinese = generate(7)
    return english, chinese


@pytest.fixture(scope="module")
def chinese_master(tmp_path_factory, samples):
    with use(CHINESE):
        return build_master(tmp_path_factory.mktemp("zh") / "master.xlsx", samples[1])


def test_the_chinese_sample_names_people_places_and_products_in_chinese(samples):
    _, chinese = samples
    reps = chinese["reps"].set_index("rep_id")
    # R01 is the first name, in the first region (North), on the Standard plan; R03 is an East rep on
    # Margin (MARGIN_REPS); R04 is in the West, which hunts on the Hunter plan.
    assert reps.loc["R01", ["name", "region", "plan", "email"]].tolist() == [
        "陈爱丽", "华北", "标准方案", "chen.aili@example.com"
    ]  # fmt: skip
    assert reps.loc["R03", ["region", "plan"]].tolist() == ["华东", "毛利方案"]
    assert reps.loc["R04", ["region", "plan"]].tolist() == ["华西", "拓客方案"]
    assert set(chinese["categories"]["category"]) == {"硬件", "软件", "服务", "耗材", "培训"}
    assert set(chinese["payments"]["method"]) == {"银行转账", "刷卡", "支票"}
    assert set(chinese["returns"]["reason"]) == {"货物破损", "发错货", "客户不再需要", "质量问题"}
    assert set(chinese["orders"]["source"]) == {"示例数据"}
    plan = chinese["plan"]
    assert set(plan["plan"]) == {"标准方案", "拓客方案", "毛利方案"} and set(plan["plan"]) >= set(
        chinese["reps"]["plan"]
    )
    assert plan.loc[plan["rule"] == "category_rate", "category"].tolist() == ["服务"]  # Services pay a flat 8%
    # A company is named [brand][industry][suffix]: the first one's brand is 宏达 (Acme), like the English.
    assert chinese["customers"]["name"].iloc[0].startswith("宏达")
    assert sample_in_chinese("Northstar Logistics Ltd") == "北星物流有限公司"
    assert sample_in_chinese("Acme Retail Group 12") == "宏达零售集团（12）"  # a name given twice keeps its number
    assert sample_in_english("宏达零售集团（12）") == "Acme Retail Group 12"
    assert sample_in_chinese("R01") == "R01" and sample_in_english("SO-24-00001") == "SO-24-00001"  # codes stay


def test_the_same_draws_give_the_same_rows_in_both_languages(samples):
    english, chinese = samples
    for name, want in english.items():
        got = chinese[name]
        assert got.shape == want.shape, name
        if name in ("settings", "column_map"):  # in the language of the master, by the schema and the catalogue
            continue
        for column in TABLES[name].columns:
            a, b = want[column.name], got[column.name]
            if (name, column.name) == ("plan", "option"):  # a label of the language, read as its code
                a = a.map(lambda option: tr(option, CHINESE), na_action="ignore")
            elif column.type == "text":
                b = b.map(sample_in_english, na_action="ignore")  # Chinese mapped back: the English text
            pd.testing.assert_series_equal(a, b, check_dtype=False, obj=f"{name}.{column.name}")


def test_the_english_sample_is_unchanged(samples):
    english, _ = samples
    reps = english["reps"].set_index("rep_id")
    assert reps.loc["R01", ["name", "region", "plan", "email"]].tolist() == [
        "Alice Chen", "North", "Standard", "alice.chen@example.com"
    ]  # fmt: skip
    assert reps.loc["R04", ["region", "plan"]].tolist() == ["West", "Hunter"]
    assert set(english["categories"]["category"]) == {"Hardware", "Software", "Services", "Supplies", "Training"}
    assert set(english["payments"]["method"]) == {"Bank transfer", "Card", "Check"}
    assert set(english["orders"]["source"]) == {"sample"}
    assert english["customers"]["name"].iloc[0].startswith("Acme ")
    cmap = english["column_map"]
    assert set(cmap["source_system"]) == {"Salesforce"} and cmap["source_column"].iloc[0] == "Opportunity ID"


def test_the_chinese_input_sheets_hold_no_english_word_but_codes(chinese_master):
    wb = openpyxl.load_workbook(chinese_master, read_only=True)
    found = []
    for table in INPUT_TABLES:
        if table.name == "settings":  # its values and descriptions belong to the Settings (core.settings)
            continue
        with use(CHINESE):
            rows = list(wb[table.sheet].iter_rows(values_only=True))
            assert list(rows[0][: len(table.columns)]) == [c.header for c in table.columns], table.name
        text = [i for i, c in enumerate(table.columns) if c.type == "text" and (table.name, c.name) not in CODE_COLUMNS]
        for row in rows[1:]:
            for i in text:
                if isinstance(row[i], str) and ENGLISH_WORD.search(CODE.sub("", row[i])):
                    found.append(f"{table.sheet}!{table.columns[i].name}: {row[i]}")
    assert rows and not sorted(set(found)), sorted(set(found))[:20]


def test_the_chinese_names_fit_their_columns(chinese_master):
    """A Chinese character is as wide as two letters: the fitted columns show every name whole."""
    wb = openpyxl.load_workbook(chinese_master)
    with use(CHINESE):
        sheets = [TABLES[name].sheet for name in ("reps", "customers", "plan", "returns", "activities")]
    assert [str(m) for sheet in sheets for m in misfits(wb[sheet])] == []
    widths = {c.value: wb[sheets[1]].column_dimensions[c.column_letter].width for c in wb[sheets[1]][1]}
    # The widest customer name, e.g. 铁木物流合伙企业（109）: 10 wide characters (20) + 3 digits = 23, + 2 of margin.
    assert widths["名称"] == 25


def test_the_chinese_column_map_imports_a_chinese_crm_export(tmp_path):
    """The Chinese demo's Column map reads an export of a Chinese CRM (销售易) with Chinese headers."""
    with use(CHINESE):
        cmap = generate(months=12)["column_map"]
    assert cmap["source_column"].tolist()[:3] == ["商机编号", "行号", "成交日期"]
    master = build_master(tmp_path / "master.xlsx", weekly_inputs() | {"column_map": cmap})
    export = tmp_path / "crm.csv"
    export.write_text(
        "商机编号,行号,成交日期,负责人编号,客户编号,产品系列,数量,销售单价,总价\nX-1,1,2024-03-05,R1,C1,,2,10.00,20.00\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["import", str(master), str(export)], prog_name="sales-tools")
    assert result.exit_code == 0, result.output
    orders = read_tables(master, ["orders"])["orders"].set_index("order_id")
    assert orders.loc["X-1", ["rep_id", "customer_id"]].tolist() == ["R1", "C1"]
    assert orders.loc["X-1", "amount"] == 20.0  # 2 x 10.00
