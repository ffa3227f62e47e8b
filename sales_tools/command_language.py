"""The `sales-tools` command in the current language: click's own words, our help texts, and
which language to speak before the arguments are parsed.

Click wraps its own texts (``Usage:``, ``Options``, ``Error: ...``, ``Missing option ...``)
in gettext's ``_`` and ``ngettext``; `speak` points those at `tr`, shows the names of its
types (TEXT, INTEGER, DIRECTORY) through `tr` and wraps and aligns Chinese by the columns it
takes on screen (a CJK character takes two).
English is unchanged: `tr` returns untranslated text as it is.  The catalogue has click's
texts in the block "command line: click's own texts" (tests/cli/test_command_language.py lists
any an upgraded click adds).

Our help texts are stored in English and shown through `tr` when the help is written
(`Shown`): each paragraph of a command's docstring is one catalogue text (its lines joined
by a space), each line of a ``\\b`` block one text, each option's help one text.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import pkgutil
import re
import sys
import unicodedata
from pathlib import Path

import click
import click.formatting
import click.types
from click.formatting import wrap_text as _click_wrap_text

from sales_tools.schema import language
from sales_tools.schema.language import system_language, tr

_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_TOKENS = re.compile(rf"[{_CJK}]|\s+|[^\s{_CJK}]+")  # one CJK character, a space, or a run of anything else
_NO_LINE_START = set("，。；：、）！？”》")


class Shown:
    """A click command whose help (its docstring and its options' help, stored in English) is shown
    in the current language."""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if language.current() == language.ENGLISH:
            return super().format_help_text(ctx, formatter)
        text = "\n\n".join(_shown_paragraph(p) for p in help_paragraphs(self.help))
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(text)

    def get_short_help_str(self, limit: int = 45) -> str:
        if language.current() == language.ENGLISH or self.short_help or not self.help:
            return super().get_short_help_str(limit)
        first = tr(help_paragraphs(self.help)[0]).partition("。")[0]  # the first sentence
        return first if _width(first) <= limit else first[: limit // 2 - 1] + "…"

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        helped = [(p, p.help) for p in self.get_params(ctx) if getattr(p, "help", None)]
        try:  # shown in the current language while written, stored in English
            for param, text in helped:
                param.help = tr(text)
            super().format_options(ctx, formatter)
        finally:
            for param, text in helped:
                param.help = text

    def get_help_option(self, ctx: click.Context):
        option = super().get_help_option(ctx)
        if option is not None:  # click >= 8.1.8 keeps the option it made first, in that language
            option.help = tr("Show this message and exit.")
        return option

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return [tr(piece) for piece in super().collect_usage_pieces(ctx)]  # [OPTIONS], COMMAND [ARGS]...


def help_paragraphs(text: str | None) -> list[str]:
    """The catalogue texts of a docstring: each paragraph with its lines joined; a \\b block as it is."""
    paragraphs = inspect.cleandoc(text or "").partition("\f")[0].split("\n\n")
    return [p if p.startswith("\b\n") else " ".join(line.strip() for line in p.splitlines()) for p in paragraphs if p]


def _shown_paragraph(paragraph: str) -> str:
    """A paragraph of `help_paragraphs` in the current language (a \\b block line by line)."""
    if paragraph.startswith("\b\n"):
        return "\n".join(["\b", *map(tr, paragraph.splitlines()[1:])])
    return tr(paragraph)


def speak() -> None:
    """Make click show its texts and its types' names in the current language."""
    for found in pkgutil.iter_modules(click.__path__, "click."):
        if found.name != "click._winconsole" or sys.platform == "win32":  # it asserts it is on Windows
            module = importlib.import_module(found.name)
            for name, shown in (("_", tr), ("ngettext", _ngettext)):
                if hasattr(module, name):
                    setattr(module, name, shown)
    for kind, name in _TYPE_NAMES.items():
        kind.name = _ShownName(name)
    click.formatting.wrap_text, click.formatting.term_len = _wrap_text, _term_len


def _ngettext(singular: str, plural: str, count: int) -> str:
    return tr(singular if count == 1 else plural)


class _ShownName:
    """A click type's name (TEXT, INTEGER, DIRECTORY in the help; in its errors): stored in English,
    read in the current language."""

    def __init__(self, default: str):
        self.default = default

    def __get__(self, obj, owner=None) -> str:
        return tr(self.default if obj is None else obj.__dict__.get("name", self.default))

    def __set__(self, obj, value: str) -> None:
        obj.__dict__["name"] = value  # click.Path names itself file, directory or path


_TYPE_NAMES = {
    click.types.StringParamType: "text",
    click.types.IntParamType: "integer",
    click.types.FloatParamType: "float",
    click.types.BoolParamType: "boolean",
    click.types.Path: "path",
}


def _wrap_text(text: str, width: int = 78, initial_indent: str = "", subsequent_indent: str = "",
               preserve_paragraphs: bool = False) -> str:  # fmt: skip
    """click's `wrap_text`; Chinese by the columns it takes (a CJK character is two) and between any two
    characters, a \\b block as it is.  English help as click wraps it, even where it quotes Chinese."""
    if language.current() == language.ENGLISH or not re.search(f"[{_CJK}]", text):
        return _click_wrap_text(text, width, initial_indent, subsequent_indent, preserve_paragraphs)
    paragraphs = text.split("\n\n") if preserve_paragraphs else [text]
    return "\n\n".join(
        "\n".join(initial_indent * (i == 0) + subsequent_indent * (i > 0) + line
                  for i, line in enumerate(p.splitlines()[1:]))
        if p.startswith("\b\n")
        else _fill(" ".join(p.splitlines()), width, initial_indent, subsequent_indent)
        for p in paragraphs
    )  # fmt: skip


def _fill(text: str, width: int, first: str, rest: str) -> str:
    lines, line, indent = [], "", first
    for token in _TOKENS.findall(text):
        token = " " if token.isspace() else token
        if line.strip() and token != " " and token not in _NO_LINE_START and _width(indent + line + token) > width:
            lines.append(indent + line.rstrip())
            line, indent = "", rest
        line += "" if token == " " and not line else token
    return "\n".join([*lines, indent + line.rstrip()])


def _term_len(text: str) -> int:
    """click's `term_len` (the columns text takes, not counting colour codes), in Chinese a CJK character two."""
    text = click.utils.strip_ansi(text)
    return len(text) if language.current() == language.ENGLISH else _width(text)


def _width(text: str) -> int:
    """The columns `text` takes on a terminal."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class Later(str):
    """A text click formats with % when it shows it (the version line): in the language current then."""

    def __mod__(self, values):
        return tr(str(self)) % values


def command_line_language(args: list[str]) -> str:
    """The language before the arguments are parsed (for --help and usage errors): --lang, else the
    language of the first workbook named, else the system's."""
    for arg, following in zip(args, [*args[1:], ""]):
        given = arg.removeprefix("--lang=") if arg.startswith("--lang=") else following if arg == "--lang" else None
        with contextlib.suppress(ValueError):  # --lang fr: click says so
            if given is not None:
                return language.check(given)
    book = next((Path(a) for a in args if Path(a).suffix.lower() in (".xlsx", ".xlsm") and Path(a).is_file()), None)
    if book is not None:
        from sales_tools.excel.reader import book_language

        with contextlib.suppress(Exception):  # a file it cannot read is the command's to report
            return book_language(book)
    return system_language()
