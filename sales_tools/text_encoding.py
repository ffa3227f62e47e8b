"""The text encoding of a CSV file: read right, or refused with a reason, never garbled.

Excel writes CSV in the code page of the PC unless told otherwise ("CSV UTF-8"), so a
file may arrive in UTF-8, UTF-16 ("Unicode text"), GBK/GB18030 (Chinese Windows),
Big5, Shift-JIS, Cyrillic or Western (cp1252) code pages.  (Korean EUC-KR cannot be
told from GBK by its bytes: save Korean text as UTF-8.)  `decode_text` decides:

1. A byte order mark says it: UTF-8, UTF-16 LE/BE, UTF-32 LE/BE.  Without one, zero
   bytes (never in text of a code page) mean UTF-16 or UTF-32: which, and the byte
   order, is told by where they fall (an ASCII character is one byte and one or three zeros).
2. Text that is valid UTF-8 is UTF-8 (other code pages rarely give valid UTF-8 by
   chance, and plain ASCII reads the same in all of them), unless it is short and a word of
   it mixes scripts ("Ѧó" is two GBK characters that happen to be valid UTF-8): then
   it is UTF-8 only when no code page below fits clearly.
3. Otherwise each code page of `CODE_PAGES` that decodes the bytes without error is
   scored by how natural its non-ASCII text looks (`_score`): Chinese text is runs of
   common hanzi, not a lone rare ideograph between Latin letters ("Müller" read as
   GBK); Western text is accented letters inside words, not runs of symbols such as
   "¿Í»§" (GBK read as cp1252).  The best wins when it scores at least `CONFIDENT`
   and clearly above any code page of another script; a tie between the Chinese code
   pages goes to GB18030.
4. Otherwise the file is refused: "cannot tell the text encoding of x.csv: save it as
   UTF-8 CSV".
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from sales_tools.errors import WorkbookError
from sales_tools.schema.language import tr

# (byte order mark, codec); UTF-32 LE first: its mark begins with UTF-16 LE's
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# code pages tried when the text is not UTF-8, in order of preference on a tie
CODE_PAGES = ("gb18030", "cp1252", "big5", "cp932", "cp1251")
NAMES = {
    "gb18030": "Chinese (GBK/GB18030)",
    "big5": "Chinese (Big5)",
    "cp932": "Japanese (Shift-JIS)",
    "cp1251": "Cyrillic (Windows-1251)",
    "cp1252": "Western (Windows-1252)",
}
CONFIDENT = 0.8  # the least share of natural-looking non-ASCII characters
MARGIN = 0.2  # how far the best must score above a code page of another script
SAMPLE = 2**16  # bytes scored: whole lines from the start (a line feed is never part of a character)
_SCRIPT = {"gb18030": "cjk", "big5": "cjk", "cp932": "cjk", "cp1251": "cyrillic", "cp1252": "latin"}
_SCRIPTS_OF = {"LATIN": "latin", "CYRILLIC": "cyrillic", "GREEK": "greek", "CJK": "cjk", "HIRAGANA": "cjk",
               "KATAKANA": "cjk", "HALFWIDTH": "cjk", "FULLWIDTH": "cjk", "HANGUL": "hangul"}  # fmt: skip
_RUNS = re.compile(r"[^\x00-\x7f]+")
_TYPOGRAPHIC = set("€£¥¢°«»–—‘’‚“”„•…·©®™±×÷§¶¿¡ºª²³¹½¼¾µ\u00a0")
_CJK_PUNCTUATION = set("、。，．：；？！“”‘’…—·（）《》【】「」『』〔〕￥％＃＆＊＋－／＝＠")


def decode_text(data: bytes, name: str) -> str:
    """The text of a CSV file's bytes, in the encoding `data` is in (see the module docstring).

    >>> decode_text("客户,金额\\n北京华为有限公司,1234.50\\n".encode("gbk"), "x.csv").splitlines()[1]
    '北京华为有限公司,1234.50'
    >>> decode_text("Müller,São Paulo\\n".encode("cp1252"), "x.csv")
    'Müller,São Paulo\\n'

    Raises:
        WorkbookError: the encoding cannot be told, or the bytes do not fit the encoding
            their byte order mark (or zero bytes) announce.
    """
    codec = marked_encoding(data)
    if codec is not None:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            invalid = tr("{file} is not valid {encoding} text: save it as UTF-8 CSV")
            raise WorkbookError(invalid.format(file=name, encoding=codec.upper().removesuffix("-SIG"))) from None
    utf8 = _decoded(data, "utf-8")
    if utf8 is not None and (len(data) - len(utf8.encode("ascii", "ignore")) >= 16 or not _mixed_scripts(utf8)):
        return utf8  # 16 bytes or more of another code page are never valid UTF-8 by chance
    texts = {page: text for page in CODE_PAGES if (text := _decoded(data, page)) is not None}
    sample = data if len(data) <= SAMPLE else data[: data.rfind(b"\n", 0, SAMPLE) + 1] or data[:SAMPLE]
    scores = {page: _score(sample.decode(page, errors="replace"), page) for page in texts}
    best = max(scores, key=lambda page: scores[page], default=None)  # the first on a tie
    rivals = [s for page, s in scores.items() if _SCRIPT[page] != _SCRIPT.get(best) and texts[page] != texts[best]]
    if best is None or scores[best] < CONFIDENT or any(s > scores[best] - MARGIN for s in rivals):
        if utf8 is not None:
            return utf8
        raise WorkbookError(tr("cannot tell the text encoding of {file}: save it as UTF-8 CSV").format(file=name))
    return texts[best]


def marked_encoding(data: bytes) -> str | None:
    """The codec a byte order mark names, or UTF-16 recognised by its zero bytes; None otherwise."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            return codec
    head = data[:4096]
    if b"\x00" not in head:
        return None
    if head[2::4].count(0) == head[3::4].count(0) == len(head[3::4]):  # no text character is above U+FFFF
        return "utf-32-le"
    if head[0::4].count(0) == head[1::4].count(0) == len(head[0::4]):
        return "utf-32-be"
    even, odd = head[0::2].count(0), head[1::2].count(0)  # ASCII in UTF-16 has one zero byte of two
    if odd >= 2 and even * 4 <= odd:
        return "utf-16-le"
    if even >= 2 and odd * 4 <= even:
        return "utf-16-be"
    return None


def _mixed_scripts(text: str) -> bool:
    """True when a run of non-ASCII letters mixes scripts ("Ѧó": GBK bytes that happen to be UTF-8)."""
    for run in _RUNS.finditer(text):
        scripts = {_SCRIPTS_OF.get(unicodedata.name(c, " ").split()[0], "other") for c in run.group() if c.isalpha()}
        if len(scripts) > 1:
            return True
    return False


def _decoded(data: bytes, page: str) -> str | None:
    try:
        return data.decode(page)
    except UnicodeDecodeError:
        return None


def _score(text: str, page: str) -> float:
    """The share of non-ASCII characters that look natural in `page`'s script (0 to 1)."""
    total = weight = 0.0
    for run in _RUNS.finditer(text):
        before = text[run.start() - 1] if run.start() else " "
        after = text[run.end()] if run.end() < len(text) else " "
        beside_latin = (before.isascii() and before.isalpha(), after.isascii() and after.isalpha())
        chars = run.group()
        total += len(chars)
        weight += sum(_natural(c, chars, beside_latin, page) for c in chars)
    return weight / total if total else 1.0


def _natural(char: str, run: str, beside_latin: tuple[bool, bool], page: str) -> float:
    """How natural `char`, in a run of non-ASCII characters `run`, is in `page` (0 to 1);
    `beside_latin` says whether an ASCII letter comes before and after the run."""
    if page == "cp1252":
        return _latin(char, run)
    if page == "cp1251":  # Cyrillic words: Cyrillic letters only, cased as words are
        if any(beside_latin) or not _cased(run) or not all(_letter_of(c, "CYRILLIC") for c in run):
            return 0.0
        return 1.0 if len(run) > 1 else 0.5
    if char in _CJK_PUNCTUATION or "\uff01" <= char <= "\uff5e" or "\u3000" <= char <= "\u303f":
        return 1.0
    if all(beside_latin) and len(run) == 1:  # one ideograph inside a Latin word: a Western letter misread
        return 0.0
    return _cjk(char, page)


def _latin(char: str, run: str) -> float:
    """Western text: accented letters alone or a few together, cased as words are; a typographic sign alone."""
    if len(run) == 1:
        return float(_letter_of(char, "LATIN") or char in _TYPOGRAPHIC)
    if len(run) <= 3 and all(_letter_of(c, "LATIN") for c in run):
        return float(_cased(run))
    return float(len(run) == 2 and _quoted(run))


def _letter_of(char: str, script: str) -> bool:
    return char.isalpha() and unicodedata.name(char, "").startswith(script)


def _cased(word: str) -> bool:
    """lower, UPPER or Title: how words are written (not the mixed case of misread bytes)."""
    return word in (word.lower(), word.upper()) or (word[0].isupper() and word[1:] == word[1:].lower())


def _quoted(run: str) -> bool:
    """A pair such as «É or é»: a quote mark beside an accented letter."""
    quotes = set("«»“”‘’„")
    return (run[0] in quotes) != (run[1] in quotes) and any(_letter_of(c, "LATIN") for c in run)


def _cjk(char: str, page: str) -> float:
    """An East Asian character: 1 when common in `page`'s language, less when rarer, 0 when out of place."""
    try:
        code = char.encode(page)
    except UnicodeEncodeError:
        return 0.0
    lead = code[0]
    if page == "gb18030":  # GB2312 level 1 (the 3,755 common hanzi), level 2, the rest of GBK
        if not "\u4e00" <= char <= "\u9fff":
            return 0.0
        if not _fits(char, "gb2312"):
            return 0.4
        return 1.0 if lead <= 0xD7 else 0.6
    if page == "big5":  # Big5's frequent and less frequent hanzi
        return 1.0 if 0xA4 <= lead <= 0xC6 else 0.6 if 0xC9 <= lead <= 0xF9 else 0.0
    if "\u3040" <= char <= "\u30ff":  # cp932: hiragana and katakana (not the half-width forms)
        return 1.0
    return 1.0 if 0x88 <= lead <= 0x9F else 0.6 if 0xE0 <= lead <= 0xEA else 0.0


def _fits(char: str, codec: str) -> bool:
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True
