"""Sheet XML edited in place (`sales_tools.excel.sheet_xml`), on sheets saved by openpyxl,
LibreOffice and Excel: every result is read back with openpyxl and compared with rows and
formulas worked out here; layouts it does not handle fail safe (nothing written)."""

import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from excel_data import small_input_tables
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.worksheet.table import Table as ExcelTable

from sales_tools.errors import WorkbookError
from sales_tools.excel import builder
from sales_tools.excel.sheet_xml import TableChange, UnsupportedLayout, patch_tables, restore_rows
from sales_tools.libreoffice import convert
from sales_tools.schema import TABLES, Column, Table

ITEMS = Table("items", "Data", (Column("item"), *(Column(n, "number") for n in ("qty", "price", "amount"))))
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XLWINGS = Path(__import__("xlwings").__file__).parent / "quickstart.xlsm"
CONF = "_xlwings.conf"  # the sheet of settings in xlwings' Excel-saved quickstart workbook


def items_book(path: Path) -> Path:
    """Data!A1:D7 as a table: item, qty = n, price 10.5, amount = B*C per row n = 2..7; E7 refers
    to rows above it; Other refers to Data by whole columns only."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["Item", "Qty", "Price", "Amount"])
    for n in range(2, 8):
        ws.append([f"item {n}", n, 10.5, f"=B{n}*C{n}"])
    ws["E7"] = "=SUM($D$2:D7)+D3+Other!A7+$B$5"
    ws.add_table(ExcelTable(displayName="tblData", ref="A1:D7"))
    wb.create_sheet("Other")["A1"] = "=SUM(Data!D:D)"
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """The items workbook as openpyxl writes it, and as LibreOffice saves it (ONE soffice call)."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    tmp = tmp_path_factory.mktemp("sheet_xml")
    rich = Workbook()
    rich.active.title = "Data"
    rich.active.append(["Item", "Qty"])
    rich.active.append([CellRichText([TextBlock(InlineFont(b=True), "Bold"), " item"]), 1])
    rich.active.append(["plain", 2])
    sources = [items_book(tmp / "items.xlsx"), tmp / "rich.xlsx"]
    rich.save(sources[1])
    libre = convert(sources, "xlsx", tmp / "lo")
    return {"openpyxl": sources[0], "libreoffice": libre[0], "rich": libre[1], "tmp": tmp}


def rows(path: Path, sheet: str = "Data") -> list[tuple]:
    return [tuple(c.value for c in row) for row in load_workbook(path)[sheet].iter_rows()]


def sheet_xml(path: Path, sheet: str = "Data") -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(f"xl/worksheets/sheet{load_workbook(path).sheetnames.index(sheet) + 1}.xml").decode()


def with_sheet_xml(path: Path, target: Path, edit, sheet: int = 1) -> Path:
    """A copy of `path` whose sheet number `sheet` is `edit(xml)`."""
    name = f"xl/worksheets/sheet{sheet}.xml"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, edit(data.decode()).encode() if info.filename == name else data)
    return target


def expected_items(kept: list[int]) -> list[tuple]:
    """The items rows kept (old row numbers), renumbered from 2 on, amounts referring to their new rows."""
    return [(f"item {old}", old, 10.5, f"=B{new}*C{new}") for new, old in enumerate(kept, start=2)]


@pytest.mark.parametrize("producer", ["openpyxl", "libreoffice"])
def test_deleting_rows_moves_the_formulas_of_the_rows_below(saved, tmp_path, producer):
    out = tmp_path / "out.xlsx"
    patch_tables(saved[producer], out, {"items": TableChange(ITEMS, {3, 4})})
    got = rows(out)
    assert [r[:4] for r in got[1:]] == expected_items([2, 5, 6, 7])
    # old row 7 is row 5: its range shrinks, the deleted D3 is #REF!, other sheets and row 1.. stay
    assert got[4][4] == "=SUM($D$2:D5)+#REF!+Other!A7+$B$3"
    assert load_workbook(out)["Data"].tables["tblData"].ref == "A1:D5"
    assert rows(out, "Other") == [("=SUM(Data!D:D)",)]


def test_a_managers_orders_amount_formula_follows_its_row(tmp_path):
    master = builder.build_master(tmp_path / "master.xlsx", small_input_tables())
    wb = load_workbook(master)
    wb["Orders"]["I5"] = "=G5*H5"  # quantity x unit price, typed by the manager on the 4th order
    wb.save(master)
    patch_tables(master, tmp_path / "out.xlsx", {"orders": TableChange(TABLES["orders"], {2, 3})})
    ws = load_workbook(tmp_path / "out.xlsx")["Orders"]
    assert [ws.cell(r, 1).value for r in (2, 3)] == ["O2", "O3"]
    assert (ws["G3"].value, ws["H3"].value, ws["I3"].value) == (1, 999.99, "=G3*H3")
    assert ws.tables["tblOrders"].ref == "A1:K3"


def test_rows_and_cells_without_numbers_follow_the_previous_ones(saved, tmp_path):
    unnumbered = lambda x: re.sub(r'(<(?:row|c)) r="[A-Z]*\d+"', r"\1", x)  # noqa: E731
    bare = with_sheet_xml(saved["openpyxl"], tmp_path / "bare.xlsx", unnumbered)
    assert rows(bare)[1:] == rows(saved["openpyxl"])[1:]  # the same cells for openpyxl
    out = tmp_path / "out.xlsx"
    append = pd.DataFrame({"item": ["new"], "qty": [8.0], "price": [1.5], "amount": [12.0]})
    patch_tables(bare, out, {"items": TableChange(ITEMS, {2}, append)})
    assert [r[:4] for r in rows(out)[1:]] == expected_items([3, 4, 5, 6, 7]) + [("new", 8, 1.5, 12)]
    assert rows(out)[5][4] == "=SUM($D$2:D6)+D2+Other!A7+$B$4"


def prefixed(xml: str) -> str:
    """The sheet with its main namespace on the prefix x: (as some producers write)."""
    xml = re.sub(r"<(/?)(?!\?)([A-Za-z]+[ />])", r"<\1x:\2", xml)
    return xml.replace(f'xmlns="{MAIN}"', f'xmlns:x="{MAIN}"', 1)


def test_a_prefixed_sheet_gets_prefixed_rows(saved, tmp_path):
    source = with_sheet_xml(saved["openpyxl"], tmp_path / "x.xlsx", prefixed)
    assert "<x:sheetData>" in sheet_xml(source) and rows(source) == rows(saved["openpyxl"])
    out = tmp_path / "out.xlsx"
    append = pd.DataFrame({"item": ["new & <odd>"], "qty": [8.0]})
    patch_tables(source, out, {"items": TableChange(ITEMS, {4}, append)})
    assert [r[:4] for r in rows(out)[1:]] == expected_items([2, 3, 5, 6, 7]) + [("new & <odd>", 8, None, None)]
    assert "<row" not in sheet_xml(out) and "<x:row" in sheet_xml(out)
    patch_tables(out, tmp_path / "more.xlsx", {"items": TableChange(ITEMS, append=append)})  # after the last row
    assert [r[:2] for r in rows(tmp_path / "more.xlsx")[-2:]] == [("new & <odd>", 8)] * 2


def shared(xml: str) -> str:
    """Column D as one shared formula (as Excel saves a formula filled down): D2 holds it, D3:D7 refer to it."""
    xml = xml.replace("<f>B2*C2</f>", '<f t="shared" ref="D2:D7" si="0">B2*C2</f>')
    return re.sub(r"<f>B([3-7])\*C\1</f>", '<f t="shared" si="0"/>', xml)


def test_shared_formulas_of_moved_rows_are_written_out(saved, tmp_path):
    source = with_sheet_xml(saved["openpyxl"], tmp_path / "shared.xlsx", shared)
    assert sheet_xml(source).count('t="shared"') == 6 and rows(source) == rows(saved["openpyxl"])
    out = tmp_path / "out.xlsx"
    patch_tables(source, out, {"items": TableChange(ITEMS, {2, 4})})  # the first cell of the formula goes
    assert [r[:4] for r in rows(out)[1:]] == expected_items([3, 5, 6, 7])
    assert 't="shared"' not in sheet_xml(out)


def test_inline_strings_and_rich_text_are_kept(saved, tmp_path):
    rich = '<is><r><rPr><b/></rPr><t>Bold</t></r><r><t xml:space="preserve"> item 6</t></r></is>'
    source = with_sheet_xml(saved["openpyxl"], tmp_path / "rich.xlsx", lambda x: x.replace("<t>item 6</t>", rich[4:-5]))
    out = tmp_path / "out.xlsx"
    patch_tables(source, out, {"items": TableChange(ITEMS, {2})})
    assert rich in sheet_xml(out)
    expected = expected_items([3, 4, 5, 6, 7])
    expected[3] = ("Bold item 6", *expected[3][1:])
    assert [r[:4] for r in rows(out)[1:]] == expected


def test_an_excel_saved_sheet_loses_its_deleted_and_blank_rows(tmp_path):
    settings = Table("conf", CONF, (Column("key"), Column("value")))
    before = rows(XLWINGS, CONF)
    assert before[9:12] == [(None, None)] * 3  # rows 10-12 are not in the file: Excel left them out
    out = tmp_path / "out.xlsm"
    patch_tables(XLWINGS, out, {"conf": TableChange(settings, {3}, pd.DataFrame({"key": ["New"], "value": [True]}))})
    kept = [r for n, r in enumerate(before, start=1) if n != 3 and r != (None, None)]
    assert rows(out, CONF) == [*kept, ("New", True)]
    assert "x14ac:dyDescent" in sheet_xml(out, CONF)
    with zipfile.ZipFile(out) as z:
        assert z.read("xl/vbaProject.bin") == zipfile.ZipFile(XLWINGS).read("xl/vbaProject.bin")


def test_an_excel_saved_sheet_gets_its_rows_back_with_their_namespaces(tmp_path):
    wb = load_workbook(XLWINGS, keep_vba=True)
    wb[CONF].delete_rows(1, wb[CONF].max_row)
    wb.save(tmp_path / "emptied.xlsm")
    assert restore_rows(XLWINGS, tmp_path / "emptied.xlsm", tmp_path / "back.xlsm", [CONF])
    assert rows(tmp_path / "back.xlsm", CONF) == rows(XLWINGS, CONF)
    assert 't="s"' not in sheet_xml(tmp_path / "back.xlsm", CONF)  # strings written inline


def test_a_libreoffice_saved_sheet_gets_its_rich_text_back(saved, tmp_path):
    wb = load_workbook(saved["rich"])
    wb["Data"].delete_rows(1, 3)
    wb.save(tmp_path / "emptied.xlsx")
    assert restore_rows(saved["rich"], tmp_path / "emptied.xlsx", tmp_path / "back.xlsx", ["Data"])
    assert rows(tmp_path / "back.xlsx") == [("Item", "Qty"), ("Bold item", 1), ("plain", 2)]
    back = load_workbook(tmp_path / "back.xlsx", rich_text=True)["Data"]["A2"].value
    assert [b.text for b in back if isinstance(b, TextBlock) and b.font.b] == ["Bold"] and str(back) == "Bold item"


@pytest.mark.parametrize(
    "edit",
    [
        lambda x: x.replace("<sheetData>", "<sheetData><foo/>"),  # an unknown element among the rows
        lambda x: x.replace('<row r="3"', '<row r="9"'),  # rows out of order
        lambda x: x.replace("<worksheet", '<!DOCTYPE worksheet [<!ENTITY e "x">]><worksheet'),  # a DTD
        lambda x: x.replace("<sheetData>", "<sheetData><row xmlns:y='urn:y' r='1'/>", 1),  # a namespace among the rows
    ],
    ids=["unknown element", "rows out of order", "DTD", "namespace declared in a row"],
)
def test_a_layout_not_handled_is_refused_and_nothing_is_written(saved, tmp_path, edit):
    source = with_sheet_xml(saved["openpyxl"], tmp_path / "odd.xlsx", edit)
    for change in (TableChange(ITEMS, {3}), TableChange(ITEMS, append=pd.DataFrame({"item": ["x"]}))):
        with pytest.raises(UnsupportedLayout):
            patch_tables(source, tmp_path / "out.xlsx", {"items": change})
        assert not (tmp_path / "out.xlsx").exists()
    assert not restore_rows(source, saved["openpyxl"], tmp_path / "out.xlsx", ["Data"])
    assert not (tmp_path / "out.xlsx").exists() and issubclass(UnsupportedLayout, WorkbookError)


def test_rows_other_sheets_refer_to_by_number_are_not_deleted(saved, tmp_path):
    wb = load_workbook(saved["openpyxl"])
    wb["Other"]["A2"] = "=Data!D6*2"
    wb.save(tmp_path / "linked.xlsx")
    with pytest.raises(UnsupportedLayout, match="refer"):
        patch_tables(tmp_path / "linked.xlsx", tmp_path / "out.xlsx", {"items": TableChange(ITEMS, {3})})
    patch_tables(tmp_path / "linked.xlsx", tmp_path / "out.xlsx", {"items": TableChange(ITEMS, {7})})  # nothing moves
    assert rows(tmp_path / "out.xlsx", "Other") == [("=SUM(Data!D:D)",), ("=Data!D6*2",)]


def test_clearing_reads_no_further_than_the_header(saved, tmp_path):
    odd = with_sheet_xml(saved["libreoffice"], tmp_path / "odd.xlsx", lambda x: x.replace('<row r="3"', '<row r="9"'))
    patch_tables(odd, tmp_path / "out.xlsx", {"items": TableChange(ITEMS, clear=True)})  # the rows go unread
    assert rows(tmp_path / "out.xlsx") == [("Item", "Qty", "Price", "Amount"), (None,) * 4]
    assert load_workbook(tmp_path / "out.xlsx")["Data"].tables["tblData"].ref == "A1:D2"


def test_a_refresh_takes_the_openpyxl_path_on_a_layout_not_handled(tmp_path, small_computed):
    master = builder.build_master(tmp_path / "master.xlsx", small_input_tables())
    part = load_workbook(master).sheetnames.index("Orders") + 1
    odd = with_sheet_xml(master, tmp_path / "odd.xlsx", lambda x: x.replace("<sheetData>", "<sheetData><foo/>"), part)
    with pytest.raises(UnsupportedLayout):
        patch_tables(odd, tmp_path / "out.xlsx", {"orders": TableChange(TABLES["orders"], clear=True)})
    builder.write_computed(odd, small_computed)
    assert rows(odd, "Orders") == rows(master, "Orders")
