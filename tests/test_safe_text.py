"""Text from outside made safe (`sales_tools.safe_text`): cell text."""

from sales_tools.safe_text import clean_text


def test_clean_text_replaces_what_a_workbook_cannot_hold_and_keeps_tabs_and_line_breaks():
    assert clean_text("Acme\x07 Ltd") == "Acme\ufffd Ltd"
    assert clean_text("\x00\x08\x0b\x0c\x0e\x1f") == "\ufffd" * 6
    assert clean_text("a\tb\nc\rd") == "a\tb\nc\rd"
    assert clean_text("\ufffe\uffff\ud800") == "\ufffd" * 3  # not XML characters; a lone surrogate
    assert clean_text("Ünïcødé 客户 😀 \x7f") == "Ünïcødé 客户 😀 \x7f"  # DEL is a legal XML character
