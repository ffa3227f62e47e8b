"""Text from outside (a CRM export, a rep's file, the Settings sheet) made safe where the package puts it.

`clean_text` is what every text cell gets: the characters a workbook cannot hold
(control characters other than tab, line feed and carriage return; U+FFFE, U+FFFF; lone
surrogates) become U+FFFD, the replacement character, so a reader sees that something
was there.  `file_names` turns names (a rep ID in a statement's name) into file names
that are valid and distinct on Windows, macOS and Linux; `sheet_title` does the same
for a worksheet's name.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

REPLACEMENT = "\ufffd"
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_UNSAFE_IN_FILE = re.compile(r"[^\w.-]+")  # \w: letters and digits of any script, and "_"
_UNSAFE_IN_SHEET = re.compile(r"[\[\]:*?/\\]")
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{d}" for p in ("COM", "LPT") for d in "123456789¹²³"}
MAX_STEM_BYTES = 120  # well under the 255 bytes of a file name, leaving room for a folder
MAX_SHEET_TITLE = 31


def clean_text(text: str) -> str:
    """`text` with the characters a workbook cannot hold replaced by U+FFFD.

    >>> clean_text("Acme\\x07 Ltd\\tUK")
    'Acme\\ufffd Ltd\\tUK'
    """
    return _ILLEGAL.sub(REPLACEMENT, text)


def file_names(stems: Iterable[str], suffix: str) -> list[str]:
    """One file name ``<stem><suffix>`` per stem, in order: valid and distinct everywhere.

    A stem of letters, digits, "_", "." and "-" is kept as it is.  Any other gets its
    other characters replaced by "_" (a leading or trailing dot dropped, a name Windows
    reserves such as CON prefixed, a long one shortened) and a tag of six hex digits
    from the original, so "A/B" and "A:B" do not both become "A_B".  Two names never
    differ only in case or Unicode normalization (the same file on Windows and macOS).

    >>> file_names(["statement_R1", "statement_A/B", "statement_r1"], ".xlsx")
    ['statement_R1.xlsx', 'statement_A_B_f9f5e1.xlsx', 'statement_r1_62c861.xlsx']
    """
    names, seen = [], set()
    for stem in stems:
        safe = _safe_stem(stem)
        name = safe if safe == stem and _key(safe) not in seen else f"{safe}_{_tag(stem)}"
        n = 1
        while _key(name) in seen:  # the same stem again
            n += 1
            name = f"{safe}_{_tag(stem)}_{n}"
        seen.add(_key(name))
        names.append(name + suffix)
    return names


def sheet_title(text: str) -> str:
    """`text` as a worksheet's name: ``[ ] : * ? / \\`` and control characters as "_",
    at most 31 characters, no apostrophe at either end.

    >>> sheet_title("2024-03 A/B")
    '2024-03 A_B'
    """
    title = _UNSAFE_IN_SHEET.sub("_", _ILLEGAL.sub("_", text))[:MAX_SHEET_TITLE].strip("'")
    return title or "_"


def _safe_stem(stem: str) -> str:
    safe = _UNSAFE_IN_FILE.sub("_", unicodedata.normalize("NFC", stem))
    safe = safe.encode()[:MAX_STEM_BYTES].decode(errors="ignore").strip(".") or "_"
    return "_" + safe if safe.split(".")[0].upper() in _RESERVED else safe


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def _tag(stem: str) -> str:
    return hashlib.sha1(stem.encode(errors="surrogatepass")).hexdigest()[:6]
