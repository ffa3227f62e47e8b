"""A bad cell's reason in the current language: Chinese in a Chinese master, English as it was."""

import pandas as pd

from sales_tools.core.coerce import coerce_table
from sales_tools.schema import TABLES
from sales_tools.schema.language import CHINESE, use


def test_the_reasons_of_bad_cells_in_chinese():
    raw = pd.DataFrame({"month": [1, "2", "x"], "weight": ["8%", "-1", None]})
    with use(CHINESE):
        _, problems = coerce_table(raw, TABLES["seasonality"])
        month, weight = TABLES["seasonality"].column("month").header, TABLES["seasonality"].column("weight").header
    assert problems[["row", "column", "reason"]].values.tolist() == [
        [3, weight, f"{weight} 不能为负数"],
        [4, month, "'x' 不是数字"],
        [4, weight, "缺少必填值"],
    ]
    _, problems = coerce_table(raw, TABLES["seasonality"])
    assert problems["reason"].tolist() == [
        "Weight must not be negative",
        "'x' is not a number",
        "required value is missing",
    ]
