"""Every command is documented: it has help text, and docs/cli.md holds its current --help.

Regenerate the reference part of docs/cli.md with:  python tests/cli/test_docs.py
"""

import re
from pathlib import Path

import click
from click.testing import CliRunner

from sales_tools.cli import cli

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"
START, END = "<!-- help:start -->", "<!-- help:end -->"


def commands(group: click.Group = cli, prefix: tuple[str, ...] = ()):
    """(path, command) for every command and subcommand, in the order --help lists them."""
    for name, command in sorted(group.commands.items()):
        yield prefix + (name,), command
        if isinstance(command, click.Group):
            yield from commands(command, prefix + (name,))


def help_text(path: tuple[str, ...]) -> str:
    english = {"LANG": "C.UTF-8", "LC_ALL": None, "LC_MESSAGES": None}  # the help in English on any system
    result = CliRunner().invoke(cli, [*path, "--help"], prog_name="sales-tools", terminal_width=88, env=english)
    assert result.exit_code == 0, result.output
    return result.output.rstrip()


def reference() -> str:
    parts = [START, "", "```", help_text(()), "```"]
    for path, _ in commands():
        parts += ["", f"### sales-tools {' '.join(path)}", "", "```", help_text(path), "```"]
    return "\n".join(parts + ["", END])


def test_every_command_and_option_has_help():
    for path, command in commands():
        assert command.help and len(command.help.strip()) > 10, path
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, (path, param.name)


def test_docs_hold_the_current_help_of_every_command():
    text = DOC.read_text(encoding="utf-8")
    current = re.search(f"{START}.*{END}", text, re.S)
    assert current, f"{DOC} has no {START} ... {END} block"
    assert current.group(0) == reference(), "docs/cli.md is stale: run python tests/cli/test_docs.py"


def test_the_docs_explain_the_exit_codes():
    text = DOC.read_text(encoding="utf-8")
    for code in ("| 0 |", "| 1 |", "| 2 |", "| 3 |"):
        assert code in text


if __name__ == "__main__":
    text = DOC.read_text(encoding="utf-8")
    DOC.write_text(re.sub(f"{START}.*{END}", lambda _: reference(), text, flags=re.S), encoding="utf-8")
