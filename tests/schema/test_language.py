"""The language catalogue: every text a person reads has a Chinese label, codes stay codes,
and a reader accepts either language."""

import ast
from pathlib import Path

import pandas as pd
import pytest

from sales_tools.excel.reader import normalize
from sales_tools.schema import SETTINGS, TABLES, TEMPLATE_TABLES
from sales_tools.schema.computed import PRINTED_TABLES
from sales_tools.schema.language import CHINESE, ENGLISH, LANGUAGES, catalogue, code_of, every, labelled, tr, use
from sales_tools.schema.model import english

PACKAGE = Path(__file__).resolve().parents[2] / "sales_tools"


def schema_texts() -> set[str]:
    """Every English text of the schema a person reads."""
    texts = set()
    for table in [*TABLES.values(), *TEMPLATE_TABLES.values(), *PRINTED_TABLES]:
        texts |= {english(table, "sheet"), english(table, "description")}
        for col in table.columns:
            texts |= {english(col, "header"), english(col, "note"), *(col.allowed or ())}
    return texts | {d for _, d in SETTINGS.values()}


def tr_literals() -> set[str]:
    """The string literals the package hands to `tr` (tr("...") anywhere in its code)."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "tr":
                found |= {a.value for a in node.args[:1] if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    return found


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != ENGLISH])
def test_every_text_a_person_reads_has_a_chinese_label(language):
    wanted = {t for t in schema_texts() | tr_literals() if t}
    missing = sorted(wanted - set(catalogue(language)))
    assert missing == [], f"{len(missing)} texts lack a {language} label, e.g. {missing[:10]}"


def test_the_check_sees_a_missing_label():
    assert "A text no catalogue has" not in catalogue(CHINESE)
    assert tr("A text no catalogue has", CHINESE) == "A text no catalogue has"  # shown as it is


def test_labels_are_chinese_and_keep_their_placeholders():
    for text, label in catalogue(CHINESE).items():
        assert label.strip(), text
        assert sorted(_placeholders(text)) == sorted(_placeholders(label)), text


def _placeholders(text: str) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


def test_the_current_language_is_scoped():
    orders = TABLES["orders"]
    with use("zh-cn"):  # any case
        assert orders.sheet == tr("Orders", CHINESE) != "Orders"
        assert orders.excel_name == "tblOrders"  # Excel table names never change
    assert orders.sheet == "Orders"
    with pytest.raises(ValueError, match="zh-CN"):
        with use("fr"):
            pass


def test_a_reader_accepts_either_language():
    col = TABLES["activities"].column("outcome")
    assert every("Order taken") == ["Order taken", tr("Order taken", CHINESE)]
    canon = code_of(col.allowed)
    assert canon[tr("Order taken", CHINESE).casefold()] == canon["order taken"] == "Order taken"
    assert normalize(tr("Orders", CHINESE)) != ""  # a Chinese header keeps its characters


def test_codes_are_shown_as_labels_only_in_chinese():
    table = TABLES["activities"]
    frame = pd.DataFrame({"outcome": ["Order taken", None], "notes": ["Order taken", "x"]})
    assert labelled(frame, table.columns).equals(frame)
    with use(CHINESE):
        shown = labelled(frame, table.columns)
    assert shown["outcome"].iloc[0] == tr("Order taken", CHINESE) and pd.isna(shown["outcome"].iloc[1])
    assert shown["notes"].tolist() == ["Order taken", "x"]  # free text is never translated


def test_chinese_sheet_names_are_valid_short_and_distinct():
    for tables in (TABLES, TEMPLATE_TABLES):
        with use(CHINESE):
            names = [t.sheet for t in tables.values()]
        assert len({n.casefold() for n in names}) == len(names), names
        for name in names:
            assert 0 < len(name) <= 31 and not set(name) & set("[]:*?/\\"), name
    with use(CHINESE):
        assert TABLES["orders"].sheet == "订单"
        assert TABLES["activities"].sheet == "拜访记录"
        assert TABLES["weekly_report"].sheet == "周进度"
        assert TEMPLATE_TABLES["rep_visit_plan"].sheet == "每日访问计划表"
        assert TEMPLATE_TABLES["rep_daily_report"].sheet == "每日销售报告表"


def test_chinese_headers_and_dropdown_labels_are_distinct_within_a_table():
    """A reader finds each column and each dropdown value by its label: two alike would be ambiguous."""
    for table in [*TABLES.values(), *TEMPLATE_TABLES.values(), *PRINTED_TABLES]:
        for lang in ("en", CHINESE):
            with use(lang):
                headers = [normalize(c.header) for c in table.columns]
            assert len(set(headers)) == len(headers), (table.name, lang, headers)
        for col in table.columns:
            if col.allowed:
                labels = [tr(a, CHINESE).casefold() for a in col.allowed]
                assert len(set(labels)) == len(labels), (table.name, col.name, labels)
                assert not any("," in label for label in labels) and len(",".join(labels)) < 255  # an Excel list
                canon = code_of(col.allowed)  # no Chinese label is another value's English code
                assert all(canon[tr(a, CHINESE).casefold()] == a for a in col.allowed), (table.name, col.name)


def test_the_seeds_terms():
    labels = catalogue(CHINESE)
    seeds = {"VIP": "VIP客户", "Loyal": "忠实客户", "New": "新客户", "Dormant": "沉睡客户", "Prospect": "潜在客户"}
    assert {k: labels[k] for k in seeds} == seeds
    assert labels["Commission"] == "提成" and labels["Bonus"] == "奖金" and labels["Dealer"] == "经销商"
    assert labels["Sales champion"] == "销售冠军" and labels["Key account"] == "大客户"


def test_computed_code_columns_allow_every_code_core_writes():
    """A code core writes but the schema does not allow would not read back from a Chinese master."""
    from sales_tools.core import close, leaderboard, variance
    from sales_tools.core.submissions import DONE
    from sales_tools.master import MERGE_LOG
    from sales_tools.schema import COMPUTED_TABLES
    from sales_tools.schema.computed import ESCALATIONS

    allowed = {(t.name, c.name): c.allowed for t in [*COMPUTED_TABLES, ESCALATIONS] for c in t.columns}
    assert allowed["target_variance", "period_type"] == variance.PERIOD_TYPES
    assert allowed["leaderboard", "badge"] == (leaderboard.CHAMPION, leaderboard.BEST_ATTAINMENT)
    assert allowed["close_log", "action"] == (close.CLOSE, close.REOPEN)
    assert {MERGE_LOG, *DONE, "rejected", "already imported", "replaced"} <= set(allowed["import_log", "status"])
    assert allowed["customer_tiers", "segment"] == ("VIP", "Loyal", "New", "Dormant", "Prospect", "Regular")
    assert allowed["customer_tiers", "key_account"] == ("Yes", "Proposed")
    assert allowed["escalations", "kind"] == ("Competitor move", "Open complaint")
    with use(CHINESE):
        assert [tr(b) for b in allowed["leaderboard", "badge"]] == ["销售冠军", "最佳达成率"]


def test_the_products_phrases_show_in_chinese_and_read_back_as_codes():
    from sales_tools.schema.choices import LEVELS, LINE_RULES, TEAM_KEY
    from sales_tools.schema.language import phrase, phrase_code

    written = {"gate 30% not reached": "未达门槛 30%", "adjustment 2024-05: return": "调整 2024-05：return"}
    with use(CHINESE):
        for code, label in written.items():
            assert phrase(code, LINE_RULES) == label
        assert phrase("rep+category", LEVELS) == "业务员+品类"
        assert phrase("Team", TEAM_KEY) == "团队" and phrase("North", TEAM_KEY) == "North"  # a name stays as typed
    for code, label in written.items():  # read back in any current language
        assert phrase_code(label, LINE_RULES) == phrase_code(code, LINE_RULES) == code
    assert phrase_code("业务员+品类", LEVELS) == "rep+category" and phrase_code("团队", TEAM_KEY) == "Team"


def test_a_name_with_a_plus_is_not_read_as_codes():
    from sales_tools.schema.choices import LEVELS, TEAM_KEY
    from sales_tools.schema.language import phrase, phrase_code

    with use(CHINESE):
        assert phrase("A+Team", TEAM_KEY) == "A+Team" and phrase("rep+Acme", LEVELS) == "rep+Acme"
    assert phrase_code("甲+团队", TEAM_KEY) == "甲+团队"
