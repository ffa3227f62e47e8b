"""The committed master and blank template, English and Chinese, are what the package builds now.

Compared after normalizing (cells, formulas, formats, Excel tables, validations,
conditional formats, defined names), as XlsxWriter's comparison tests do, not byte
for byte.  When this fails, rebuild them with `.venv/bin/python scripts/build_workbooks.py`.
"""

import sys
from pathlib import Path

import pytest
from excel_data import normalized

from sales_tools.excel.builder import build_master
from sales_tools.excel.templates import BLANK_NAME, build_blank_template
from sales_tools.sample import sample_tables
from sales_tools.schema.language import LANGUAGES, use

ROOT = Path(__file__).resolve().parents[2]
MASTER = ROOT / "workbook" / "sales_master.xlsx"
BLANK = ROOT / "templates" / BLANK_NAME
sys.path.insert(0, str(ROOT / "scripts"))
from build_workbooks import edition  # noqa: E402

REBUILD = "stale: run `.venv/bin/python scripts/build_workbooks.py` and commit the result"


@pytest.mark.parametrize("language", LANGUAGES)
def test_committed_workbooks_are_up_to_date(tmp_path, language):
    committed_blank, committed_master = edition(BLANK, language), edition(MASTER, language)
    with use(language):
        blank = build_blank_template(tmp_path / committed_blank.name)
        master = build_master(tmp_path / committed_master.name, *sample_tables())
    assert normalized(blank) == normalized(committed_blank), f"{committed_blank.name} is {REBUILD}"
    assert normalized(master) == normalized(committed_master), f"{committed_master.name} is {REBUILD}"
