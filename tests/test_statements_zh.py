"""Chinese statements: the same seed gives the same cents as the English statement, every
label in Chinese, amounts in ¥ for a CNY master, and a PDF with a CJK font."""

import re
import shutil
import subprocess

import pandas as pd
import pytest
from openpyxl import load_workbook

from sales_tools.core.plans import Plan
from sales_tools.core.refresh import refresh
from sales_tools.core.statement import plan_rules
from sales_tools.sample import generate
from sales_tools.schema.choices import LINE_RULES
from sales_tools.schema.language import CHINESE, phrase, use
from sales_tools.statements import statements_from_tables

MONTH = "2024-11"


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """The seed-7 sample's statements of November 2024: English (USD), and Chinese for a CNY master."""
    inputs = generate(7)
    computed = refresh(inputs)
    out = tmp_path_factory.mktemp("statements")
    english = statements_from_tables(inputs, computed, MONTH, out / "en")
    settings = inputs["settings"].copy()
    settings.loc[settings["setting"] == "currency", "value"] = "CNY"
    with use(CHINESE):
        chinese = statements_from_tables({**inputs, "settings": settings}, computed, MONTH, out / "zh")
    return english, chinese


def _cells(path):
    ws = load_workbook(path).active
    return ws, [c for row in ws.iter_rows() for c in row if c.value is not None]


def _texts(cells):
    return [c.value for c in cells if isinstance(c.value, str)]


def test_every_chinese_statement_holds_the_english_amounts_to_the_cent(books):
    english, chinese = books
    # one per rep: statement_2024-11_R01.xlsx is 结算单_2024-11_R01.xlsx
    assert [p.name.replace("statement_", "结算单_") for p in english] == [p.name for p in chinese]
    for en, zh in zip(english, chinese):
        en_cells, zh_cells = _cells(en)[1], _cells(zh)[1]
        numbers = [[(c.coordinate, round(c.value, 2)) for c in cells if isinstance(c.value, (int, float))]
                   for cells in (en_cells, zh_cells)]  # fmt: skip
        assert numbers[0] == numbers[1], en.name
        dates = [[(c.coordinate, c.value) for c in cells if hasattr(c.value, "year")] for cells in (en_cells, zh_cells)]
        assert dates[0] == dates[1], en.name


def test_a_chinese_statement_reads_in_chinese(books):
    english, chinese = books
    ws, cells = _cells(chinese[0])
    texts = _texts(cells)
    rep = re.search(r"— (.*)$", _texts(_cells(english[0])[1])[0])[1]  # "Alice Chen (R01)"
    assert ws["A1"].value == f"提成结算单 — {rep}"
    assert ws["A2"].value.endswith("· 2024年11月 · 金额单位 CNY")
    for label in ["结算单", "发放日期", "业绩", "2024年11月合计", "本年累计（2024年）", "阶梯提成", "实际提成率"]:
        assert label in texts, label
    assert any(t.startswith("审批人（主管）") and "日期" in t for t in texts)
    assert any(t.startswith("• 按下单计提：") for t in texts)  # the plan's rules in words
    assert "超额累进" in texts  # the lines' rule "tier marginal"
    assert ws.oddFooter.right.text == "第 &P 页，共 &N 页"
    assert not [t for t in texts if re.search(r"\b(Commission statement|Payout date|Approved by|Effective rate)\b", t)]


def test_a_cny_statement_shows_amounts_in_yuan_and_english_stays_as_it_was(books):
    english, chinese = books
    en, zh = _cells(english[0])[1], _cells(chinese[0])[1]
    en_formats = {c.coordinate: c.number_format for c in en if isinstance(c.value, float)}
    zh_formats = {c.coordinate: c.number_format for c in zh if isinstance(c.value, float)}
    assert set(en_formats.values()) >= {"#,##0.00", "0.0%"}  # amounts, attainment
    for where, fmt in en_formats.items():  # each amount in ¥, every other figure as in English
        assert zh_formats[where] == ('"¥"#,##0.00' if fmt == "#,##0.00" else fmt), where
    assert _texts(en)[0].startswith("Commission statement — ")
    assert "Payout date" in _texts(en)


def test_a_lines_rule_reads_in_chinese_and_keeps_its_figure():
    rules = ["tier marginal", "gate 50% not reached", "bonus 100%", "recoverable draw 1,000.00", "draw 500.00",
             "draw recovered"]  # fmt: skip
    with use(CHINESE):
        shown = [phrase(r, LINE_RULES) for r in rules]
    assert shown == ["超额累进", "未达门槛 50%", "奖金 100%", "可扣回预支 1,000.00", "预支 500.00", "预支扣回"]
    assert [phrase(r, LINE_RULES) for r in rules] == rules  # English: the engine's text


def test_a_plans_rules_in_chinese():
    plan = Plan("Std", (0.0, 5000.0), (0.10, 0.15), gate=0.5)
    with use(CHINESE):
        rules = plan_rules(plan)
    assert (
        rules[1]
        == "按本月非品类比例销售额分档：0.00 至 5,000.00 按 10%，5,000.00 以上 按 15%；每段按其所在档位的比例计提（超额累进）。"
    )
    assert rules[2] == "门槛：当月达成率低于目标的 50%，无提成、无奖金。"
    assert plan_rules(plan)[2] == "Gate: a month below 50% of target pays no commission and no bonus."


@pytest.mark.libreoffice
@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdffonts")),
    reason="LibreOffice or poppler-utils missing",
)
def test_a_chinese_statement_pdf_embeds_a_cjk_font_and_shows_the_labels_and_amounts(books, tmp_path):
    from sales_tools.libreoffice import convert

    english, chinese = books
    (pdf,) = convert([chinese[0]], to="pdf", outdir=tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"CJK|Han|WenQuanYi|YaHei|DengXian|Hei|Song", fonts), fonts  # a font with Chinese glyphs
    for label in ["提成结算单", "发放日期", "2024年11月合计", "第 1 页，共"]:
        assert label in text, label
    ws = load_workbook(english[0]).active
    total = next(ws.cell(r, 2).value for r in range(1, ws.max_row) if ws.cell(r, 1).value == "Total for November 2024")
    assert f"¥{total:,.2f}" in text  # the English statement's total, in yuan
    assert pd.notna(total) and total > 0
