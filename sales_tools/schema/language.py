"""The language people read: English (the schema's own text) or Simplified Chinese.

Everything a person reads is written in English in the code (the schema's sheet names,
headers, notes and dropdown values; the labels of the Dashboard, statements and reports)
and shown through `tr`, which looks it up in the catalogue of the current language:
``sales_tools/locale/<language>.toml``, one ``"English" = "translation"`` line per text,
editable without reading code.  English needs no catalogue.

The current language is set once by a shell (`use`), from the master's Settings
``language`` row; the calculations never see it.  Dropdown values are stored as codes
(their English text) in every computation and shown as labels (`tr`); reading accepts
either language (`every`, `code_of`), so a Chinese rep file imports into an English
master and the reverse.
"""

from __future__ import annotations

import contextlib
import locale
import os
import re
import sys
import tomllib
from collections.abc import Iterator
from contextvars import ContextVar
from functools import cache
from importlib import resources

ENGLISH, CHINESE = "en", "zh-CN"
LANGUAGES = (ENGLISH, CHINESE)
_current: ContextVar[str] = ContextVar("language", default=ENGLISH)


@cache
def catalogue(language: str) -> dict[str, str]:
    """English text -> its translation in `language` (English: empty)."""
    if language == ENGLISH:
        return {}
    return tomllib.loads(resources.files("sales_tools").joinpath("locale", f"{language}.toml").read_text("utf-8"))


def current() -> str:
    return _current.get()


def check(language: str) -> str:
    """`language` when supported (any case: zh-cn), else a ValueError naming the choices."""
    found = {lang.casefold(): lang for lang in LANGUAGES}.get(str(language).strip().casefold())
    if found is None:
        raise ValueError(f"language {language!r} is not one of {', '.join(LANGUAGES)}")
    return found


def system_language() -> str:
    """Chinese when the system's language is (LC_ALL, LC_MESSAGES or LANG; on Windows its locale), else English."""
    name = next((os.environ[v] for v in ("LC_ALL", "LC_MESSAGES", "LANG") if os.environ.get(v)), "")
    if not name and sys.platform == "win32":
        name = locale.getlocale()[0] or ""  # e.g. Chinese (Simplified)_China
    return CHINESE if name.casefold().startswith(("zh", "chinese")) else ENGLISH


@contextlib.contextmanager
def use(language: str) -> Iterator[None]:
    """Show everything in `language` inside the block."""
    token = _current.set(check(language))
    try:
        yield
    finally:
        _current.reset(token)


def tr(text: str, language: str | None = None) -> str:
    """`text` (English) as shown in `language` (default the current one); untranslated text as it is."""
    if not text:
        return text
    return catalogue(language or current()).get(text, text)


def every(text: str) -> list[str]:
    """`text` in every language, English first (what a reader accepts for it)."""
    return list(dict.fromkeys(tr(text, lang) for lang in LANGUAGES))


def code_of(values: tuple[str, ...]) -> dict[str, str]:
    """Each of `values` (codes: their English text) and its label in every language, casefolded -> the code."""
    return {label.casefold(): code for code in values for label in every(code)}


def phrase(text, phrases: tuple[str, ...]):
    """`text` shown in the current language when it is one of `phrases`: a fixed text, or a template
    whose ``{figures}`` are kept ("bonus 100%" from "bonus {level}"); codes joined by ``+`` each shown;
    any other value as it is (a name the user typed)."""
    if not isinstance(text, str):
        return text
    for template, pattern in _patterns(phrases, ENGLISH):
        match = pattern.fullmatch(text)
        if match:
            return tr(template).format(**match.groupdict())
    return _joined(text, phrases, phrase)


def phrase_code(text, phrases: tuple[str, ...]):
    """The code of `text`, one of `phrases` shown in any language (`phrase` read back); anything else as it is."""
    if not isinstance(text, str):
        return text
    for language in LANGUAGES:
        for template, pattern in _patterns(phrases, language):
            match = pattern.fullmatch(text.strip())
            if match:
                return template.format(**match.groupdict())
    return _joined(text, phrases, phrase_code)


def _joined(text: str, phrases: tuple[str, ...], each) -> str:
    """`text` made of codes joined by + ("rep+category") with `each` applied to every code; other text as it is."""
    if "+" not in text:
        return text
    codes = text.split("+")
    parts = [each(code, phrases) for code in codes]
    return "+".join(parts) if all(p != c for p, c in zip(parts, codes)) else text


@cache
def _patterns(phrases: tuple[str, ...], language: str) -> list[tuple[str, re.Pattern]]:
    """(template, the regular expression of its label in `language`), fixed texts first."""
    fixed = sorted(phrases, key=lambda p: "{" in p)
    return [(p, re.compile(_regex(tr(p, language)), re.IGNORECASE)) for p in fixed]


def _regex(label: str) -> str:
    parts = re.split(r"\{(\w+)\}", label)  # text, name, text, name, ...
    return "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))


def labelled(frame, columns):
    """`frame` (pandas) with the codes of `columns` that allow a fixed list, or write phrases, shown as labels
    of the current language."""
    if current() == ENGLISH:
        return frame
    shown = {c.name: c for c in columns if (c.allowed or c.phrases) and c.name in frame}
    return frame.assign(**{n: _labels(frame[n], c) for n, c in shown.items()})


def _labels(values, column):
    """Text codes as labels; anything else (blanks: None stays None) as it is."""
    text = values.map(lambda v: isinstance(v, str))
    show = tr if column.allowed else lambda v: phrase(v, column.phrases)
    return values.mask(text, values[text].map(show))
