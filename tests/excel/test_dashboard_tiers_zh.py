"""A Chinese master's default tier names (铜牌;银牌;金牌) on its Dashboard, in the metals' colours."""

import re
import zipfile

import openpyxl
from week_2024_w14 import inputs as weekly_inputs

from sales_tools.excel.builder import build_master
from sales_tools.schema.language import CHINESE, use

METALS = {"铜牌": "CD7F32", "银牌": "A6A6A6", "金牌": "FFC000"}  # bronze, silver, gold as in English


def test_the_chinese_tier_mix_shows_chinese_tier_names_in_metal_colours(tmp_path):
    with use(CHINESE):
        path = build_master(tmp_path / "master.xlsx", weekly_inputs())
    wb = openpyxl.load_workbook(path)
    settings = {r[0]: r[1] for r in wb["设置"].iter_rows(min_row=2, values_only=True)}
    assert settings["客户等级名称"] == "铜牌;银牌;金牌"
    shown = [c.value for row in wb["仪表板"].iter_rows() for c in row if c.value in METALS]
    assert shown == list(METALS)  # the tier mix rows, lowest tier first
    with zipfile.ZipFile(path) as book:
        pies = [book.read(n).decode() for n in book.namelist() if n.startswith("xl/charts/") and n.endswith(".xml")]
    pie = next(xml for xml in pies if "pieChart" in xml)
    assert re.findall(r'srgbClr val="([0-9A-F]{6})"', pie)[:3] == list(METALS.values())
