"""A Chinese month end shows no English word: every line the commands print and every cell,
header, footer and input message of every workbook they write is read for English words.

Allowed are codes (IDs and acronyms such as R01, SO, VIP, CNY: upper case), what is typed as
written (the command with its subcommands and --options, date formats such as yyyy-mm-dd), file
endings and e-mail addresses; everything else a person reads must be Chinese.  The commands run
on a Chinese system (LANG=zh_CN.UTF-8), as a Chinese manager's do."""

import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from sales_tools.cli import cli

BIN = Path(sys.executable).parent / "sales-tools"
WORD = re.compile(r"[A-Za-z][A-Za-z']+")
ALLOWED = {"xlsx", "xlsm", "pdf", "csv", "en", "zh", "Excel", "WPS", "LibreOffice", "yyyy", "mm", "dd", "yyyymmdd"}
NOT_READ = re.compile(
    r"sales[-_]tools( [a-z][a-z-]+)*|--?[a-z][\w-]*|\S+@\S+|\b[0-9a-f]{64}\b|\b\S+\.(xlsx|xlsm|pdf|csv|md)\b"
)
COMMANDS = {w for name in cli.commands for w in name.split("-")}  # listed by --help as typed


def english_words(text: str) -> list[str]:
    """The English words of `text`: not codes (upper case), the product's name, file names or e-mails."""
    words = WORD.findall(NOT_READ.sub(" ", text))
    return [w for w in words if w not in ALLOWED | COMMANDS and not w.isupper()]


def test_the_check_finds_english_and_passes_chinese_and_codes():
    assert english_words("Error: 订单 SO-24-00001 is closed") == ["Error", "is", "closed"]
    assert english_words("R01 陈爱丽 的提成单 statement_2024-06_R01.xlsx：¥1,234.50，VIP客户 a.chen@example.com") == []
    assert english_words("请运行 sales-tools merge-customers，或加上 --through；日期（yyyy-mm-dd）") == []


@pytest.fixture(scope="module")
def month_end(tmp_path_factory):
    """Everything a Chinese manager runs in a month, and what each run printed."""
    root = tmp_path_factory.mktemp("zh_month")
    master = root / "示例" / "master.xlsx"
    printed = {}

    chinese_system = {**os.environ, "LANG": "zh_CN.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}

    def run(*args):
        done = subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, timeout=600, cwd=root,
                              env=chinese_system)  # fmt: skip
        printed[" ".join(map(str, args))] = (done.stdout + done.stderr).replace(str(root), "")
        return done

    assert run("demo", "--lang", "zh-CN", "--out", root / "示例").returncode == 0
    assert run("templates", master, "--out", root / "模板").returncode == 0
    run("import", master, *sorted((root / "模板").glob("*.xlsx"))[:2])
    run("refresh", master)
    run("statements", master, "--period", "2024-06", "--out", root / "结算单")
    run("report", "weekly", master, "--week", "2024-W24", "--out", root / "周报")
    run("report", "variance", master, "--by", "rep", "--out", root / "差异")
    run("approve", master, "--rep", "R01", "--week", "2024-W24")
    run("grow-targets", master, "--year", "2025")
    run("merge-customers", master)
    run("close", master, "--period", "2024-01", "--out", root / "已结账")
    run("reopen", master, "--period", "2024-01", "--reason", "核对")
    for mistake in (("close", master, "--period", "2024-13"), ("statements", master), ("refresh", root / "无.xlsx"),
                    ("approve", master, "--rep", "R99", "--week", "2024-W24"), ("--help",), ("statements", "--help")):  # fmt: skip
        assert run(*mistake).returncode != 0 or mistake[-1] == "--help"
    return root, printed


def test_every_line_the_commands_print_is_chinese(month_end):
    _, printed = month_end
    found = {cmd: words for cmd, text in printed.items() if (words := english_words(text))}
    assert found == {}, "\n".join(f"{cmd[:60]}: {words}" for cmd, words in found.items())


def _texts(book: openpyxl.Workbook):
    """(where, text) of every text a person reads in `book`: cells, headers and footers, input messages."""
    for ws in book.worksheets:
        yield ws.title, ws.title
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and not cell.value.startswith("="):
                    yield f"{ws.title}!{cell.coordinate}", cell.value
        for part in ("left", "center", "right"):
            yield f"{ws.title} header", getattr(ws.oddHeader, part).text or ""
            yield f"{ws.title} footer", getattr(ws.oddFooter, part).text or ""
        for rule in ws.data_validations.dataValidation:
            yield f"{ws.title} validation {rule.sqref}", " ".join(filter(None, (rule.promptTitle, rule.prompt, rule.errorTitle, rule.error)))  # fmt: skip


def test_every_workbook_written_reads_in_chinese(month_end):
    root, _ = month_end
    books = sorted(root.rglob("*.xlsx"))
    assert len(books) > 20  # master, templates, statements, reports, closed statements
    found = {}
    for path in books:
        for where, text in _texts(openpyxl.load_workbook(path)):
            for word in english_words(text):
                found.setdefault(word, f"{path.name} {where}: {text[:80]}")
    assert found == {}, f"{len(found)} English words, e.g. " + "\n".join(
        f"{word}: {where}" for word, where in found.items()
    )
