"""The command line speaks the current language: click's own words (Usage:, Options, Error: ...),
our help texts and its usage errors, chosen before the arguments are parsed (--lang, the
workbook named, the system's language)."""

import ast
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from sales_tools.cli import cli
from sales_tools.command_language import command_line_language, help_paragraphs
from sales_tools.schema.language import CHINESE, ENGLISH, catalogue, system_language

BIN = Path(sys.executable).parent / "sales-tools"


def run(*args, **kwargs):
    return CliRunner().invoke(cli, [str(a) for a in args], prog_name="sales-tools", **kwargs)


@pytest.fixture(scope="module")
def masters(tmp_path_factory):
    """An empty English and an empty Chinese master."""
    folder = tmp_path_factory.mktemp("lang")
    for lang in (ENGLISH, CHINESE):
        assert run("new", folder / f"{lang}.xlsx", "--lang", lang).exit_code == 0
    return folder / "en.xlsx", folder / "zh-CN.xlsx"


def click_texts() -> set[str]:
    """The texts the installed click hands to gettext: _("...") and ngettext("...", "...", n)."""
    found = set()
    for path in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("_", "ngettext"):
                texts = node.args[: 1 if node.func.id == "_" else 2]
                found |= {a.value for a in texts if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    return found


def test_every_text_of_the_installed_click_has_a_chinese_label():
    texts = click_texts()
    assert {"Usage:", "Options", "Error: {message}", "Missing option", "Show this message and exit."} <= texts
    missing = sorted(texts - set(catalogue(CHINESE)))
    assert missing == [], f"click {click.__version__} has texts without a zh-CN label: {missing}"


def every_command(command=cli):
    yield command
    for sub in getattr(command, "commands", {}).values():
        yield from every_command(sub)


def test_every_help_text_has_a_chinese_label():
    texts = set()
    for command in every_command():
        for paragraph in help_paragraphs(command.help):
            texts |= set(paragraph.splitlines()[1:]) if paragraph.startswith("\b\n") else {paragraph}
        texts |= {p.help for p in command.params if getattr(p, "help", None)}
    assert len(texts) > 60
    missing = sorted(texts - set(catalogue(CHINESE)))
    assert missing == [], f"{len(missing)} help texts lack a zh-CN label, e.g. {missing[:5]}"


def test_a_docstring_is_one_text_per_paragraph_and_per_line_of_a_b_block():
    doc = """First line
    continues here.

    \b
    Kept: 1,
    as it is.
    """
    assert help_paragraphs(doc) == ["First line continues here.", "\b\nKept: 1,\nas it is."]


def test_the_help_of_a_chinese_master_is_chinese(masters):
    _, zh = masters
    result = run("statements", zh, "--help")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("用法： sales-tools statements [选项] MASTER\n")
    assert "\n  为每名业务员写一个月的提成单。\n" in out  # the docstring's first paragraph
    assert "\n选项:\n" in out
    assert "--period 文本  月份，如 2024-03。 [必填]" in out  # the option's help, its type and "required"
    assert "-h, --help     显示本帮助并退出。" in out  # aligned by columns: 文本 is 4 wide, like TEXT
    assert "Usage" not in out and "Options" not in out and "Show this" not in out
    for line in out.splitlines():  # Chinese wrapped by the columns it takes: 80 at most
        assert sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) <= 80, line


def test_the_same_help_of_an_english_master_is_english(masters):
    en, _ = masters
    out = run("statements", en, "--help").output
    assert out.startswith("Usage: sales-tools statements [OPTIONS] MASTER\n\n  Write one commission statement per rep")
    assert "  --period TEXT    The month, e.g. 2024-03.  [required]\n" in out
    assert "  -h, --help       Show this message and exit.\n" in out


def test_the_group_help_follows_the_system_language(monkeypatch):
    assert run("--help").output.startswith("Usage: sales-tools [OPTIONS] COMMAND [ARGS]...\n")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    out = run("--help").output
    assert out.startswith("用法： sales-tools [选项] 命令 [参数]...\n\n  为主工作簿计算提成、目标达成率和客户分级。\n")
    assert "\n  退出码：0 成功，1 有行被拒或有提成未计（会打印数量），\n  2 用法或输入有误，3 意外的内部错误。\n" in out
    assert "\n命令:\n" in out and "  statements       为每名业务员写一个月的提成单\n" in out
    assert "  --version   显示版本并退出。\n" in out
    assert run("--version").output.startswith("sales-tools，版本 ")
    assert run("--help", env={"LANG": "zh_CN.UTF-8", "LC_ALL": "en_US.UTF-8"}).output.startswith("Usage:")


def test_a_missing_option_is_a_chinese_usage_error_on_a_chinese_master(masters):
    en, zh = masters
    result = run("statements", zh, "--out", "x")
    assert result.exit_code == 2
    assert result.output.replace("-h'", "--help'") == (  # click 8.1 names the help option's first name
        "用法： sales-tools statements [选项] MASTER\n"
        "运行 'sales-tools statements --help' 查看帮助。\n\n"
        "错误：缺少选项 '--period'.\n"
    )
    result = run("statements", en, "--out", "x")
    assert result.exit_code == 2
    assert result.output.replace("-h'", "--help'") == (
        "Usage: sales-tools statements [OPTIONS] MASTER\n"
        "Try 'sales-tools statements --help' for help.\n\n"
        "Error: Missing option '--period'.\n"
    )


def test_bad_values_and_unknown_commands_in_chinese(masters, monkeypatch):
    _, zh = masters
    result = run("grow-targets", zh, "--year", "2030", "--team", "abc")
    assert (result.exit_code, result.output.splitlines()[-1]) == (
        2,
        "错误：'--team' 的值无效：'abc' 不是 10% 或 0.10 这样的增长率",
    )
    result = run("grow-targets", zh, "--year", "x")
    assert result.output.splitlines()[-1] == "错误：'--year' 的值无效：'x' 不是有效的整数。"
    result = run("new", "a.xlsx", "b", "c", "--lang", "zh-CN")  # a plural (ngettext)
    assert result.output.splitlines()[-1] == "错误：多出了参数（b c）"
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert run("nosuch").output.splitlines()[-1] == "错误：没有命令 'nosuch'。"
    assert run("statements", "missing.xlsx", "--period", "2024-01", "--out", "x").output.splitlines()[-1] == (
        "错误：'MASTER' 的值无效：文件 'missing.xlsx' 不存在。"
    )


def test_english_messages_are_unchanged(masters):
    en, _ = masters
    result = run("grow-targets", en, "--year", "2030", "--team", "abc")
    assert (
        result.output.splitlines()[-1]
        == "Error: Invalid value for '--team': 'abc' is not a growth rate such as 10% or 0.10"
    )
    assert run("nosuch").output.splitlines()[-1] == "Error: No such command 'nosuch'."
    assert run("new", "a.xlsx", "b", "c").output.splitlines()[-1] == "Error: Got unexpected extra arguments (b c)"


def test_an_internal_error_in_chinese(masters, monkeypatch):
    import sales_tools.master

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(sales_tools.master, "refresh_master", boom)
    result = run("refresh", masters[1])
    assert result.exit_code == 3
    assert result.output == "错误：内部错误（RuntimeError: disk on fire）；加 --debug 运行可查看详情\n"


def test_the_language_before_parsing(masters, monkeypatch, tmp_path):
    en, zh = masters
    assert command_line_language(["demo", "--lang", "zh-CN", "--help"]) == CHINESE
    assert command_line_language(["new", "--lang=zh-cn", "x.xlsx"]) == CHINESE
    assert command_line_language(["new", "--lang", "fr", str(zh)]) == CHINESE  # not a language: the workbook's
    assert command_line_language(["statements", str(zh)]) == CHINESE
    assert command_line_language(["import", str(en), str(zh)]) == ENGLISH  # the first workbook: the master
    broken = tmp_path / "broken.xlsx"
    broken.write_text("not a workbook")
    assert command_line_language(["refresh", str(broken)]) == ENGLISH  # the command reports it, not this
    assert command_line_language(["--help"]) == ENGLISH
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert command_line_language(["refresh", str(broken)]) == command_line_language(["--help"]) == CHINESE
    assert command_line_language(["statements", str(en)]) == ENGLISH  # the master's language first


@pytest.mark.parametrize(
    "env, expected",
    [
        ({"LANG": "C.UTF-8"}, ENGLISH),
        ({"LANG": "zh_CN.UTF-8"}, CHINESE),
        ({"LANG": "zh_TW.UTF-8"}, CHINESE),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, CHINESE),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": "en_GB.UTF-8"}, ENGLISH),
        ({}, ENGLISH),
    ],
)
def test_the_system_language(monkeypatch, env, expected):
    monkeypatch.delenv("LANG")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert system_language() == expected


def test_the_installed_command_on_a_chinese_system(masters):
    done = subprocess.run(
        [BIN, "close", "--help"], capture_output=True, text=True, env={**os.environ, "LANG": "zh_CN.UTF-8"}
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("用法： sales-tools close [选项] MASTER\n\n  结账 MASTER 的一个月：")
    done = subprocess.run([BIN, "close", masters[1]], capture_output=True, text=True, env=os.environ)
    assert (done.returncode, done.stderr.splitlines()[-1]) == (2, "错误：缺少选项 '--period'.")
