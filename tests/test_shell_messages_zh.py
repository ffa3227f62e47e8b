"""The shells' messages in a Chinese master: files refused on import, a master open in Excel,
a level without targets, a supervisor's sign-off typed by a rep, an Excel function's bad
argument.  Each said in Chinese through the real path, and the same in English as before."""

import datetime as dt
import shutil

import openpyxl
import pytest
from click.testing import CliRunner

from sales_tools.cells import read
from sales_tools.cli import cli
from sales_tools.core.refresh import refresh
from sales_tools.errors import InputError, WorkbookError
from sales_tools.excel.builder import build_master
from sales_tools.excel.reader import WorkbookSource
from sales_tools.excel.templates import build_rep_templates
from sales_tools.safety import OLE_MAGIC, check_file
from sales_tools.sample import generate
from sales_tools.schema import TABLES, TEMPLATE_FIRST_ROW, TEMPLATE_HEADER_ROW, TEMPLATE_TABLES
from sales_tools.schema.choices import VISIT_OUTCOMES
from sales_tools.schema.language import CHINESE, ENGLISH, tr, use
from sales_tools.text_encoding import decode_text

AS_OF = "2024-12-20"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], prog_name="sales-tools")


@pytest.fixture(scope="module")
def masters(tmp_path_factory):
    """The same two months of sample data (seed 3) as an English and a Chinese master."""
    tmp = tmp_path_factory.mktemp("shell_zh")
    out = {}
    for lang in (ENGLISH, CHINESE):
        with use(lang):
            inputs = generate(seed=3, start="2024-11-01", months=2)
            out[lang] = build_master(tmp / f"master_{lang}.xlsx", inputs, refresh(inputs, as_of=AS_OF))
    return out


def _bad_files(folder):
    """An empty workbook and a password-protected one (an OLE file holding an EncryptionInfo stream)."""
    folder.mkdir(exist_ok=True)
    (folder / "empty.xlsx").write_bytes(b"")
    (folder / "locked.xlsx").write_bytes(OLE_MAGIC + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le"))
    return [folder / "empty.xlsx", folder / "locked.xlsx"]


def _reasons(master, lang):
    with use(lang):
        table = TABLES["exceptions"]
        ws = openpyxl.load_workbook(master)[table.sheet]
        column = [c.value for c in ws[1]].index(table.column("reason").header)
    return [row[column] for row in ws.iter_rows(min_row=2, values_only=True)]


def test_a_refused_file_says_why_in_either_language(tmp_path):
    empty, locked = _bad_files(tmp_path)
    with pytest.raises(WorkbookError) as english:
        check_file(empty)
    assert str(english.value) == "empty.xlsx is empty"
    with use(CHINESE), pytest.raises(WorkbookError) as chinese:
        check_file(empty)
    assert str(chinese.value) == "empty.xlsx 是空文件"
    with (
        use(CHINESE),
        pytest.raises(WorkbookError, match="^locked.xlsx 设有密码保护：请在 Excel 中取消密码后重新发送$"),
    ):
        check_file(locked)
    with use(CHINESE), pytest.raises(WorkbookError, match="^x.csv 不是有效的 UTF-16 文本：请另存为 UTF-8 CSV$"):
        decode_text(b"\xff\xfe\x00\xd8", "x.csv")  # a byte order mark, then half a surrogate pair


@pytest.mark.parametrize(
    ("lang", "expected"),
    [(ENGLISH, ["empty.xlsx is empty",
                "locked.xlsx is password-protected: remove the password in Excel and send it again"]),
     (CHINESE, ["empty.xlsx 是空文件", "locked.xlsx 设有密码保护：请在 Excel 中取消密码后重新发送"])],
)  # fmt: skip
def test_files_refused_by_an_import_are_listed_in_the_masters_language(masters, tmp_path, lang, expected):
    master = shutil.copy(masters[lang], tmp_path / "master.xlsx")
    result = run("import", master, *_bad_files(tmp_path / "files"))
    assert result.exit_code == 1, result.output  # files rejected
    assert _reasons(master, lang)[-2:] == expected


def test_a_master_open_in_excel_is_a_chinese_error(masters, tmp_path):
    master = shutil.copy(masters[CHINESE], tmp_path / "总表.xlsx")
    (tmp_path / "~$总表.xlsx").write_text("Excel's owner file")
    result = run("refresh", master)
    assert result.exit_code == 2, result.output
    assert result.output.strip() == "错误：总表.xlsx 已在 Excel 或 LibreOffice 中打开（存在 ~$总表.xlsx）：请关闭后重试"


def test_a_level_without_targets_is_a_chinese_error(masters):
    english = run("report", "variance", masters[ENGLISH], "--by", "dealer", "--year", "2024")
    chinese = run("report", "variance", masters[CHINESE], "--by", "dealer", "--year", "2024")
    assert english.exit_code == chinese.exit_code == 2
    # the sample's targets: by rep and team for 2024 and 2025, by region, category and dealer for 2025 only
    assert english.output.strip() == (
        "Error: the Targets sheet has no dealer target for 2024; it has targets by rep (2024, 2025); "
        "team (2024, 2025); region (2025); category (2025); dealer (2025)"
    )
    assert chinese.output.strip() == (
        "错误：“销售目标”表中没有 2024 年按经销商的目标；已有的目标：业务员（2024, 2025）；"
        "团队（2024, 2025）；区域（2025）；品类（2025）；经销商（2025）"
    )


def test_a_reps_sign_off_is_reported_in_chinese(masters, tmp_path):
    master = shutil.copy(masters[CHINESE], tmp_path / "master.xlsx")
    customers = WorkbookSource(master).read("customers")
    customer = customers.loc[customers["owner_rep"] == "R01", "customer_id"].iloc[0]
    with use(CHINESE):
        (template,) = [p for p in build_rep_templates(master, tmp_path / "t", "2024-12") if p.name.startswith("R01_")]
        table = TEMPLATE_TABLES["rep_daily_report"]
        wb = openpyxl.load_workbook(template)
        ws = wb[table.sheet]
        column = {c.value: c.column for c in ws[TEMPLATE_HEADER_ROW]}
        typed = {"activity_date": dt.datetime(2024, 12, 10), "customer_id": customer, "outcome": VISIT_OUTCOMES[0],
                 "approved_by": "R01"}  # fmt: skip
        for name, value in typed.items():
            ws.cell(TEMPLATE_FIRST_ROW, column[table.column(name).header], value)
        wb.save(template)
    result = run("import", master, template)
    signed = [r for r in _reasons(master, CHINESE) if r and r.startswith("未采用")]
    assert signed == [
        f"未采用：第 {TEMPLATE_FIRST_ROW} 行带有主管核签（审核人、审核日期、意见），核签只能由经理在主工作簿中填写"
        "（sales-tools approve）；这些行已导入，但不含核签"
    ], result.output


def test_an_excel_functions_bad_argument_in_either_language():
    with pytest.raises(InputError) as english:
        read(["a", 5], "amounts", "numbers")
    assert str(english.value) == "amounts (cell 1): 'a' is text, not a number"
    with use(CHINESE), pytest.raises(InputError) as chinese:
        read(["a", 5], "amounts", "numbers")
    assert str(chinese.value) == "amounts（第 1 个单元格）：'a' 是文本，不是数字"
    assert tr("{name} is empty", CHINESE) == "{name} 为空"
