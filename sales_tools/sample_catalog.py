"""The fixed content of the sample data: names, categories, shares and odds, and its non-random tables.

`sales_tools.sample` draws the random tables from these; `settings_table`,
`plan_table` and `column_map_table` do not depend on the seed.  The Chinese demo's
data is the English one with each text replaced by its Chinese (`sample_in_chinese`,
from the parallel lists below), so both editions hold the same rows and cents.
"""

from __future__ import annotations

import re
from functools import cache

import pandas as pd

from sales_tools.core.settings import defaults
from sales_tools.schema import SETTINGS, TABLES
from sales_tools.schema.language import ENGLISH, current, tr

REGIONS = ("North", "South", "East", "West")
MANAGERS = ("Grace Liu", "Omar Haddad", "Ingrid Berg", "Carlos Mendes")
REP_NAMES = (
    "Alice Chen", "Ben Walker", "Chloe Martin", "David Osei", "Emma Rossi", "Farid Khan",
    "Gina Park", "Hugo Silva", "Ines Dubois", "Jack Moreno", "Keiko Tanaka", "Liam Novak",
)  # fmt: skip
INDUSTRIES = ("Retail", "Manufacturing", "Healthcare", "Education", "Hospitality", "Logistics", "Construction")
NAME_STEMS = ("Acme", "Blue River", "Cedar", "Delta", "Evergreen", "Falcon", "Granite", "Harbor", "Ironwood",
              "Juniper", "Keystone", "Lakeside", "Maple", "Northstar", "Oakridge", "Pinnacle", "Quarry",
              "Redwood", "Summit", "Tidewater")  # fmt: skip
NAME_SUFFIXES = ("Ltd", "Inc", "Group", "Co.", "Partners", "Holdings", "Supply", "Services")
# category -> (share of lines, typical unit price, typical quantity)
CATEGORIES = {
    "Hardware": (0.35, 420.0, 6),
    "Software": (0.20, 950.0, 3),
    "Services": (0.15, 1200.0, 2),
    "Supplies": (0.25, 28.0, 40),
    "Training": (0.05, 650.0, 2),
}
# Share of a year's sales by calendar month (sums to 1): slow summer, strong year end.
SEASONALITY = (0.07, 0.07, 0.08, 0.08, 0.09, 0.08, 0.07, 0.07, 0.09, 0.09, 0.10, 0.11)
ORDERS_PER_MONTH = 130  # before growth and dropouts
# Unit cost as a share of the unit price, by category (each line varies around it by about 8%).
COST_RATIOS = {"Hardware": 0.72, "Software": 0.30, "Services": 0.55, "Supplies": 0.62, "Training": 0.40}
MARGIN_REPS = ("R03", "R07")  # the East reps on the Margin plan, paid on gross margin
YEARLY_GROWTH = 0.12
RETURN_RATE = 0.03
NEVER_PAID = 0.04
TEAM_GROWTH, REP_GROWTH = 0.10, 0.15
RETURN_REASONS = ("Damaged", "Wrong item", "Not needed", "Quality issue")
PAYMENT_METHODS = ("Bank transfer", "Card", "Check")
# Per visit purpose, the chance of each outcome in VISIT_OUTCOMES order.
OUTCOME_ODDS = {
    "Develop new customer": (0.10, 0.00, 0.00, 0.45, 0.30, 0.15),
    "Market research": (0.05, 0.00, 0.00, 0.55, 0.25, 0.15),
    "Collect payment": (0.05, 0.75, 0.00, 0.10, 0.00, 0.10),
    "Service": (0.15, 0.05, 0.10, 0.55, 0.05, 0.10),
    "Handle complaint": (0.05, 0.00, 0.75, 0.10, 0.00, 0.10),
    "Take order": (0.55, 0.05, 0.00, 0.25, 0.05, 0.10),
    "Other": (0.05, 0.05, 0.05, 0.45, 0.20, 0.20),
}


# The Chinese demo: each English text above, by its index, in Chinese (names the Chinese way).
REGIONS_ZH = ("华北", "华南", "华东", "华西")
MANAGERS_ZH = ("刘佳慧", "马国强", "白雪英", "孟志诚")
REP_NAMES_ZH = (
    "陈爱丽",
    "王斌",
    "马晓晨",
    "欧大伟",
    "罗敏",
    "康飞",
    "彭佳",
    "席宏宇",
    "杜依涵",
    "莫杰",
    "田慧",
    "倪立",
)
REP_PINYIN = ("chen.aili", "wang.bin", "ma.xiaochen", "ou.dawei", "luo.min", "kang.fei", "peng.jia", "xi.hongyu",
              "du.yihan", "mo.jie", "tian.hui", "ni.li")  # fmt: skip
INDUSTRIES_ZH = ("零售", "制造", "医疗", "教育", "酒店", "物流", "建筑")
NAME_STEMS_ZH = ("宏达", "蓝河", "青松", "三江", "长青", "飞鹰", "磐石", "港湾", "铁木", "翠柏",
                 "基石", "湖畔", "枫叶", "北星", "橡岭", "巅峰", "石泉", "红杉", "高峰", "潮汐")  # fmt: skip
# Short, so names fit their column; the same suffixes as the English ones are dropped when names are compared.
NAME_SUFFIXES_ZH = ("有限公司", "股份公司", "集团", "公司", "合伙企业", "控股", "供应链", "服务")
CATEGORIES_ZH = ("硬件", "软件", "服务", "耗材", "培训")
RETURN_REASONS_ZH = ("货物破损", "发错货", "客户不再需要", "质量问题")
PAYMENT_METHODS_ZH = ("银行转账", "刷卡", "支票")
PLANS_ZH = {"Standard": "标准方案", "Hunter": "拓客方案", "Margin": "毛利方案"}
NOTES_ZH = {
    "sample": "示例数据",
    "Late delivery": "交货延迟",
    "Reshipped": "已重新发货",
    "Budget frozen this quarter": "本季度预算冻结",
    "Asks for faster delivery": "希望加快交货",
    "Rival Supply": "锐沃供应",
    "Acme Wholesale": "顶点批发",
    "Prime Trade": "普瑞商贸",
    "Seen at the customer's": "在客户处看到",
    "Match the offer for key accounts": "对大客户给出同等优惠",
    "Each slice of attainment earns its own rate": "每段达成率按各自的提成率计算",
    "Floors are fractions of the monthly target": "起点为月目标的比例",
    "Credited when the order is booked": "下单即计业绩",
    "Accelerator above 125% of target": "达成率超过125%后加速",
    "No commission below 30% attainment": "达成率低于30%无提成",
    "At most 15,000 a month": "每月最多15,000",
    "Services pay a flat 8%": "服务类统一按8%计提",
    "500 for reaching 100% of target": "达成100%目标奖励500",
    "The whole amount earns the tier reached": "全部金额按达到的档位计算",
    "Floors are monthly amounts": "起点为每月金额",
    "Credited when the customer pays": "客户回款后计业绩",
    "300 for reaching 100% of target": "达成100%目标奖励300",
    "At least 1,000 a month, recovered above it": "每月保底1,000，超出部分扣回",
    "Paid on gross margin: amount - quantity x unit cost": "按毛利计提：金额 - 数量 × 单位成本",
    "Floors are fractions of the margin target": "起点为毛利目标的比例",
    "12% of the margin above the margin target": "超出毛利目标部分按12%计提",
    "No commission below 50% of the margin target": "低于毛利目标50%无提成",
    "400 for reaching 100% of the margin target": "达成100%毛利目标奖励400",
}


def email(name: str) -> str:
    """A rep's e-mail address: alice.chen@example.com."""
    return f"{'.'.join(name.lower().split())}@example.com"


@cache
def _chinese() -> dict[str, str]:
    """Every English text of the sample (but a company's number) -> its Chinese."""
    parallel = [
        (REGIONS, REGIONS_ZH), (MANAGERS, MANAGERS_ZH), (REP_NAMES, REP_NAMES_ZH), (INDUSTRIES, INDUSTRIES_ZH),
        (tuple(CATEGORIES), CATEGORIES_ZH), (RETURN_REASONS, RETURN_REASONS_ZH), (PAYMENT_METHODS, PAYMENT_METHODS_ZH),
        (tuple(map(email, REP_NAMES)), tuple(f"{p}@example.com" for p in REP_PINYIN)),
        (tuple(f"{c} products" for c in CATEGORIES), tuple(f"{c}产品" for c in CATEGORIES_ZH)),
    ]  # fmt: skip
    texts = {en: zh for english, chinese in parallel for en, zh in zip(english, chinese, strict=True)}
    companies = {  # [brand][industry][suffix], as Chinese companies are named
        f"{s} {i} {x}": f"{sz}{iz}{xz}"
        for s, sz in zip(NAME_STEMS, NAME_STEMS_ZH, strict=True)
        for i, iz in zip(INDUSTRIES, INDUSTRIES_ZH, strict=True)
        for x, xz in zip(NAME_SUFFIXES, NAME_SUFFIXES_ZH, strict=True)
    }
    return texts | companies | PLANS_ZH | NOTES_ZH


@cache
def _english() -> dict[str, str]:
    return {zh: en for en, zh in _chinese().items()}


_NUMBERED = {"en": re.compile(r"(.+) (\d+)"), "zh": re.compile(r"(.+)（(\d+)）")}  # a company named twice: "... 12"


def sample_in_chinese(text: str) -> str:
    """An English text of the sample in Chinese (a company's number kept); any other text (codes) as it is."""
    found = _NUMBERED["en"].fullmatch(text)
    base, number = found.groups() if found and found[1] in _chinese() else (text, None)
    chinese = _chinese().get(base, base)
    return chinese if number is None else f"{chinese}（{number}）"


def sample_in_english(text: str) -> str:
    """The English of a Chinese text of the sample (`sample_in_chinese` undone); any other text as it is."""
    found = _NUMBERED["zh"].fullmatch(text)
    base, number = found.groups() if found and found[1] in _english() else (text, None)
    english = _english().get(base, base)
    return english if number is None else f"{english} {number}"


def settings_table(start_ts: pd.Timestamp, months: int, as_of: str) -> pd.DataFrame:
    """The Settings table: the schema's defaults, dated `as_of`."""
    values = defaults(current()) | {"as_of": as_of}
    # The plan year is the last full year of the data.
    values["period_start"] = (start_ts + pd.DateOffset(months=months - 12)).strftime("%Y-%m-%d")
    return pd.DataFrame(
        {
            "setting": [tr(k) for k in SETTINGS],  # shown as labels, read in either language
            "value": [str(values[k]) for k in SETTINGS],
            "description": [tr(d) for _, d in SETTINGS.values()],
        }
    )


def plan_table() -> pd.DataFrame:
    """Three plans: Standard pays on attainment with an accelerator; Hunter pays on collected
    amounts, with a recoverable draw of 1,000 a month; Margin pays on gross margin against
    a margin target."""
    rows = [
        ("Standard", "method", "marginal", None, None, None, None, "Each slice of attainment earns its own rate"),
        ("Standard", "tier_basis", "attainment", None, None, None, None, "Floors are fractions of the monthly target"),
        ("Standard", "credit_on", "booked", None, None, None, None, "Credited when the order is booked"),
        ("Standard", "tier", None, 0.0, 0.02, None, None, ""),
        ("Standard", "tier", None, 0.5, 0.04, None, None, ""),
        ("Standard", "tier", None, 1.0, 0.06, None, None, ""),
        ("Standard", "tier", None, 1.25, 0.08, None, None, "Accelerator above 125% of target"),
        ("Standard", "gate", None, 0.3, None, None, None, "No commission below 30% attainment"),
        ("Standard", "cap", None, None, None, 15000.0, None, "At most 15,000 a month"),
        ("Standard", "category_rate", None, None, 0.08, None, "Services", "Services pay a flat 8%"),
        ("Standard", "bonus", None, 1.0, None, 500.0, None, "500 for reaching 100% of target"),
        ("Hunter", "method", "retroactive", None, None, None, None, "The whole amount earns the tier reached"),
        ("Hunter", "tier_basis", "amount", None, None, None, None, "Floors are monthly amounts"),
        ("Hunter", "credit_on", "paid", None, None, None, None, "Credited when the customer pays"),
        ("Hunter", "tier", None, 0.0, 0.03, None, None, ""),
        ("Hunter", "tier", None, 50000.0, 0.04, None, None, ""),
        ("Hunter", "tier", None, 100000.0, 0.05, None, None, ""),
        ("Hunter", "bonus", None, 1.0, None, 300.0, None, "300 for reaching 100% of target"),
        ("Hunter", "draw", "recoverable", None, None, 1000.0, None, "At least 1,000 a month, recovered above it"),
        ("Margin", "basis", "margin", None, None, None, None, "Paid on gross margin: amount - quantity x unit cost"),
        ("Margin", "method", "marginal", None, None, None, None, "Each slice of attainment earns its own rate"),
        ("Margin", "tier_basis", "attainment", None, None, None, None, "Floors are fractions of the margin target"),
        ("Margin", "tier", None, 0.0, 0.08, None, None, ""),
        ("Margin", "tier", None, 1.0, 0.12, None, None, "12% of the margin above the margin target"),
        ("Margin", "gate", None, 0.5, None, None, None, "No commission below 50% of the margin target"),
        ("Margin", "bonus", None, 1.0, None, 400.0, None, "400 for reaching 100% of the margin target"),
    ]
    plan = pd.DataFrame(rows, columns=TABLES["plan"].names)
    return plan.assign(option=plan["option"].map(tr, na_action="ignore"))  # shown as labels, read in either language


def column_map_table() -> pd.DataFrame:
    """How a typical CRM export ("Salesforce"; a Chinese one, "销售易", in Chinese) maps onto the Orders table."""
    pairs = [
        ("Opportunity ID", "order_id"), ("Line Number", "line"), ("Close Date", "order_date"), ("Owner Code", "rep_id"),
        ("Account Number", "customer_id"), ("Product Family", "category"), ("Qty", "quantity"),
        ("Sales Price", "unit_price"), ("Total Price", "amount"),
    ]  # fmt: skip
    system, table, sources, columns = "Salesforce", "orders", [s for s, _ in pairs], [c for _, c in pairs]
    if current() != ENGLISH:  # a Chinese CRM's headers; the table and columns as the workbook names them (订单编号)
        system, table = "销售易", TABLES["orders"].sheet
        sources = ["商机编号", "行号", "成交日期", "负责人编号", "客户编号", "产品系列", "数量", "销售单价", "总价"]
        columns = [TABLES["orders"].column(c).header for c in columns]
    return pd.DataFrame({"source_system": system, "table": table, "source_column": sources, "column": columns})
