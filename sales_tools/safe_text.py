"""Text from outside (a CRM export, a rep's file, the Settings sheet) made safe where the package puts it.

`clean_text` is what every text cell gets: the characters a workbook cannot hold
(control characters other than tab, line feed and carriage return; U+FFFE, U+FFFF; lone
surrogates) become U+FFFD, the replacement character, so a reader sees that something
was there.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean_text(text: str) -> str:
    """`text` with the characters a workbook cannot hold replaced by U+FFFD.

    >>> clean_text("Acme\\x07 Ltd\\tUK")
    'Acme\\ufffd Ltd\\tUK'
    """
    return _ILLEGAL.sub(REPLACEMENT, text)
