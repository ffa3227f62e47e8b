"""The committed master and blank template are what the package builds now.

Compared after normalizing (cells, formulas, formats, Excel tables, validations,
conditional formats, defined names), as XlsxWriter's comparison tests do, not byte
for byte.  When this fails, rebuild them with `python -m sales_tools.excel.build`.
"""

from excel_data import normalized

from sales_tools.excel.build import BLANK, MASTER, build_all

REBUILD = "stale: run `python -m sales_tools.excel.build` and commit the result"


def test_committed_workbooks_are_up_to_date(tmp_path):
    master, blank = build_all(tmp_path / MASTER.name, tmp_path / BLANK.name)
    assert normalized(blank) == normalized(BLANK), f"{BLANK.name} is {REBUILD}"
    assert normalized(master) == normalized(MASTER), f"{MASTER.name} is {REBUILD}"
