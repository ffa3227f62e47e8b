"""The classic-Excel master workbook/sales_master.xlsm: xlwings' VBA, the xlwings.conf sheet, the schema sheets.

The VBA project is compared with what ``xlwings quickstart --standalone`` produces,
run here; the conf keys with the keys the xlwings VBA module reads (xlwings.bas).
"""

import importlib
import importlib.util
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
import xlwings
from excel_data import normalized

from sales_tools import macros
from sales_tools.excel.xlsm import CONF_SHEET, build_xlsm
from sales_tools.libreoffice import convert
from sales_tools.sample import SAMPLE_AS_OF, sample_tables
from sales_tools.schema import TABLES

XLSM = Path(__file__).resolve().parents[2] / "workbook" / "sales_master.xlsm"
VBA_PART = "xl/vbaProject.bin"
VBA_TYPE = "application/vnd.ms-office.vbaProject"
NS = {"ct": "http://schemas.openxmlformats.org/package/2006/content-types",
      "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}  # fmt: skip


@pytest.fixture(scope="module")
def quickstart(tmp_path_factory) -> Path:
    """The workbook `xlwings quickstart --standalone sales_master` writes."""
    tmp = tmp_path_factory.mktemp("quickstart")
    cli = [sys.executable, "-c", "import sys, xlwings.cli; sys.argv[0] = 'xlwings'; xlwings.cli.main()"]
    subprocess.run(
        [*cli, "quickstart", "--standalone", "sales_master"], cwd=tmp, check=True, capture_output=True, timeout=120
    )
    return tmp / "sales_master" / "sales_master.xlsm"


@pytest.fixture(scope="module")
def book() -> openpyxl.Workbook:
    return openpyxl.load_workbook(XLSM)  # slow (1.5 MB): once for the module


@pytest.fixture(scope="module")
def conf_rows(book) -> list[tuple]:
    ws = book[CONF_SHEET]
    return [tuple(c.value for c in row) for row in ws.iter_rows(max_col=ws.max_column)]


def _content_type(archive: zipfile.ZipFile, part: str) -> str:
    """The content type of a part: its Override, else the Default of its extension."""
    types = ElementTree.fromstring(archive.read("[Content_Types].xml"))
    for override in types.findall("ct:Override", NS):
        if override.get("PartName") == "/" + part:
            return override.get("ContentType")
    ext = part.rsplit(".", 1)[-1]
    return next(d.get("ContentType") for d in types.findall("ct:Default", NS) if d.get("Extension") == ext)


def test_vba_project_is_the_quickstarts_byte_for_byte(quickstart):
    with zipfile.ZipFile(quickstart) as qs, zipfile.ZipFile(XLSM) as ours:
        assert ours.read(VBA_PART) == qs.read(VBA_PART)
        assert _content_type(ours, VBA_PART) == _content_type(qs, VBA_PART) == VBA_TYPE
        assert _content_type(ours, "xl/workbook.xml") == "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
        assert 'Target="vbaProject.bin"' in ours.read("xl/_rels/workbook.xml.rels").decode()


def test_workbook_and_every_sheet_have_vba_code_names(book):
    with zipfile.ZipFile(XLSM) as archive:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        assert workbook.find("m:workbookPr", NS).get("codeName") == "ThisWorkbook"
    names = [ws.sheet_properties.codeName for ws in book.worksheets]
    assert names == [f"Sheet{i}" for i in range(1, len(names) + 1)]


def test_conf_sheet_is_key_value_pairs_from_a1_without_header(conf_rows):
    keys = [row[0] for row in conf_rows[: [r[0] for r in conf_rows].index(None)]]
    # the keys the xlwings VBA module reads: GetConfig("UDF MODULES") etc., upper-cased
    vba = (Path(xlwings.__file__).parent / "xlwings.bas").read_text()
    known = set(re.findall(r'GetConfig\("([A-Z_ ]+)"', vba))
    assert keys and {k.upper() for k in keys} <= known  # A1 is a key, not a header
    block = dict(conf_rows[: len(keys)])
    assert all(all(v is None for v in row[2:]) for row in conf_rows[: len(keys)])  # nothing beyond column B
    assert block["UDF Modules"].split(";")[0] == "sales_tools.udfs"
    assert block["Interpreter_Win"] is None


def test_conf_keys_are_the_quickstarts_and_the_udf_modules_import(quickstart, conf_rows):
    ws = openpyxl.load_workbook(quickstart)["_xlwings.conf"]
    theirs = [r[0] for r in ws.iter_rows(max_col=1, values_only=True)]
    ours = [r[0] for r in conf_rows]
    assert ours[: ours.index(None)] == theirs[: theirs.index(None)]
    udf_modules = dict(r[:2] for r in conf_rows[: ours.index(None)])["UDF Modules"]
    modules = [importlib.import_module(m) for m in udf_modules.split(";")]
    assert [m.__name__ for m in modules] == ["sales_tools.udfs", "sales_tools.macros"]
    assert callable(modules[0].tiered_commission) and callable(modules[1].import_rep_files)


def test_every_schema_sheet_with_its_table_and_the_sample_date(book):
    wb = book
    assert wb.sheetnames[0] == "Dashboard" and wb.sheetnames[-1] == CONF_SHEET
    for table in TABLES.values():
        assert table.excel_name in wb[table.sheet].tables, table.sheet
    settings = {r[0]: r[1] for r in wb["Settings"].iter_rows(min_row=2, values_only=True)}
    assert settings["as_of"] == SAMPLE_AS_OF


def test_sample_call_runs_the_refresh_through_the_companion_module():
    # Module1.SampleCall: RunPython "import <workbook name>; <workbook name>.main()"
    path = XLSM.with_suffix(".py")
    spec = importlib.util.spec_from_file_location(XLSM.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main is macros.refresh


def test_committed_xlsm_is_up_to_date(tmp_path):
    built = build_xlsm(tmp_path / XLSM.name, *sample_tables())
    assert normalized(built) == normalized(XLSM), (
        f"{XLSM.name} is stale: run `.venv/bin/python scripts/build_workbooks.py`"
    )


@pytest.mark.libreoffice
def test_libreoffice_opens_it(tmp_path, book):
    (converted,) = convert([XLSM], "xlsx", tmp_path)
    wb = openpyxl.load_workbook(converted, read_only=True)
    assert wb.sheetnames == book.sheetnames
    assert wb[CONF_SHEET]["B6"].value == "sales_tools.udfs;sales_tools.macros"


def test_a_refresh_keeps_the_vba_project(tmp_path):
    from sales_tools.excel.master_file import MasterFile
    from sales_tools.master import refresh_master

    path = Path(shutil.copy(XLSM, tmp_path / XLSM.name))
    refresh_master(MasterFile(path))
    with zipfile.ZipFile(path) as refreshed, zipfile.ZipFile(XLSM) as shipped:
        assert refreshed.read(VBA_PART) == shipped.read(VBA_PART)
        assert _content_type(refreshed, VBA_PART) == VBA_TYPE
        assert _content_type(refreshed, "xl/workbook.xml") == "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
