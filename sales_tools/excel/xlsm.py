"""The classic-Excel master: ``workbook/sales_master.xlsm``.

It is the master workbook (`builder.master_workbook`, same sheets and tables) with:

* the VBA project of xlwings' standalone quickstart workbook, byte for byte: the file
  ``xlwings quickstart --standalone`` copies (``quickstart_standalone.xlsm``).  It holds
  the xlwings VBA module (``RunPython``, *Import Functions*), so the workbook needs no
  xlwings add-in, and ``Module1.SampleCall``, which runs ``<workbook name>.main()``
  (``workbook/sales_master.py`` points it at the Refresh macro);
* an ``xlwings.conf`` sheet: the quickstart's settings, activated (the quickstart
  ships it as ``_xlwings.conf``), with ``UDF Modules`` listing the Excel functions and
  the macros, so *Import Functions* adds both the functions and the macros (Alt+F8).
  ``Interpreter_Win`` is left blank: xlwings then runs ``python`` from the PATH.

openpyxl cannot write VBA; it copies the project from the quickstart file
(``Workbook.vba_archive``), with its content type and relationship, and every sheet
gets a VBA code name (the workbook ``ThisWorkbook``, the sheets ``Sheet1``...), as
Excel gives them.
"""

from __future__ import annotations

import os
import zipfile
from importlib.resources import files
from pathlib import Path

from openpyxl import Workbook, load_workbook

from sales_tools.excel.builder import master_workbook, save_master

# What `xlwings quickstart --standalone <name>` copies to <name>/<name>.xlsm.
QUICKSTART = Path(str(files("xlwings") / "quickstart_standalone.xlsm"))
QUICKSTART_CONF = "_xlwings.conf"
CONF_SHEET = "xlwings.conf"
UDF_MODULES = "sales_tools.udfs;sales_tools.macros"
# The quickstart's settings this workbook changes (keys as the quickstart spells them).
CONF_CHANGES = {"Interpreter_Win": None, "UDF Modules": UDF_MODULES}
CONF_NOTES = (
    "Settings for xlwings: a key in column A, its value in column B, from A1 down to the first empty row.",
    "Interpreter_Win: empty runs the python.exe on the PATH; else its full path, e.g. "
    r"C:\Users\you\AppData\Local\Programs\Python\Python312\python.exe",
    "UDF Modules: the Python modules whose functions (=TIERED_COMMISSION...) and macros "
    "(refresh, weekly_report, import_rep_files, merge_customers, generate_rep_templates, export_statements) "
    "Import Functions adds to this workbook.",
    "Conda Path / Conda Env: fill them instead of Interpreter_Win when Python comes from Anaconda.",
)


def quickstart_conf(quickstart: Path = QUICKSTART) -> list[tuple[str, object]]:
    """The (key, value) rows of the quickstart's ``_xlwings.conf`` sheet, A1 down to the first empty key."""
    ws = load_workbook(quickstart, read_only=True)[QUICKSTART_CONF]
    rows = []
    for key, value, *_ in ws.iter_rows(max_col=2, values_only=True):
        if key is None:
            break
        rows.append((key, value))
    return rows


def xlsm_workbook(
    inputs=None, computed=None, vba: zipfile.ZipFile | None = None, first_row_only: set[str] = frozenset()
) -> Workbook:
    """The .xlsm master in memory; `vba` is the open quickstart archive the VBA project is copied from."""
    wb = master_workbook(inputs, computed, first_row_only)
    ws = wb.create_sheet(CONF_SHEET)
    for key, value in quickstart_conf():
        ws.append([key, CONF_CHANGES.get(key, value)])
    ws.append([])
    for note in CONF_NOTES:
        ws.append([note])
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 40
    wb.vba_archive = vba
    wb.code_name = "ThisWorkbook"
    for i, sheet in enumerate(wb.worksheets, start=1):
        sheet.sheet_properties.codeName = f"Sheet{i}"
    return wb


def build_xlsm(path: str | os.PathLike, inputs=None, computed=None) -> Path:
    """Write the .xlsm master to `path` (atomically); arguments as `builder.build_master`."""
    with zipfile.ZipFile(QUICKSTART) as vba:
        return save_master(
            path, inputs, computed, lambda *tables, first_row_only: xlsm_workbook(*tables, vba, first_row_only)
        )
