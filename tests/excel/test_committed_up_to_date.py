"""The committed master and blank template are what the package builds now.

Compared after normalizing (cells, formulas, formats, Excel tables, validations,
conditional formats, defined names), as XlsxWriter's comparison tests do, not byte
for byte.  When this fails, rebuild them with `.venv/bin/python scripts/build_workbooks.py`.
"""

from pathlib import Path

from excel_data import normalized

from sales_tools.excel.builder import build_master
from sales_tools.excel.templates import BLANK_NAME, build_blank_template
from sales_tools.sample import sample_tables

ROOT = Path(__file__).resolve().parents[2]
MASTER = ROOT / "workbook" / "sales_master.xlsx"
BLANK = ROOT / "templates" / BLANK_NAME
REBUILD = "stale: run `.venv/bin/python scripts/build_workbooks.py` and commit the result"


def test_committed_workbooks_are_up_to_date(tmp_path):
    blank = build_blank_template(tmp_path / BLANK.name)
    master = build_master(tmp_path / MASTER.name, *sample_tables())
    assert normalized(blank) == normalized(BLANK), f"{BLANK.name} is {REBUILD}"
    assert normalized(master) == normalized(MASTER), f"{MASTER.name} is {REBUILD}"
