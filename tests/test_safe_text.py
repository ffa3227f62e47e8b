"""Text from outside made safe (`sales_tools.safe_text`): cell text, file names, sheet names."""

import re

import pytest

from sales_tools.safe_text import clean_text, file_names, sheet_title

WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def test_clean_text_replaces_what_a_workbook_cannot_hold_and_keeps_tabs_and_line_breaks():
    assert clean_text("Acme\x07 Ltd") == "Acme\ufffd Ltd"
    assert clean_text("\x00\x08\x0b\x0c\x0e\x1f") == "\ufffd" * 6
    assert clean_text("a\tb\nc\rd") == "a\tb\nc\rd"
    assert clean_text("\ufffe\uffff\ud800") == "\ufffd" * 3  # not XML characters; a lone surrogate
    assert clean_text("Ünïcødé 客户 😀 \x7f") == "Ünïcødé 客户 😀 \x7f"  # DEL is a legal XML character


@pytest.mark.parametrize("rep_id", ["A/B", "A:B", "A\\B", "A*B", "A?B", 'A"B', "A<B", "A>B", "A|B", "A\x07B"])
def test_a_character_no_file_system_takes_is_replaced(rep_id):
    (name,) = file_names([f"statement_{rep_id}"], ".xlsx")
    assert not WINDOWS_FORBIDDEN.search(name) and name.startswith("statement_A_B_") and name.endswith(".xlsx")


def test_names_that_would_clash_get_distinct_tags_and_safe_names_stay_as_they_are():
    names = file_names(["A/B", "A:B", "A\\B", "A_B", "R1", "r1"], ".xlsx")
    assert names[3:5] == ["A_B.xlsx", "R1.xlsx"]  # already safe, first of their kind
    assert all(re.fullmatch(r"A_B_[0-9a-f]{6}\.xlsx", n) for n in names[:3])
    assert re.fullmatch(r"r1_[0-9a-f]{6}\.xlsx", names[5])  # R1.xlsx and r1.xlsx are one file on Windows and macOS
    assert len({n.casefold() for n in names}) == 6
    assert file_names(["A/B"], ".xlsx") == names[:1]  # the same name for the same rep every month
    assert len(set(file_names(["X", "X"], ".xlsx"))) == 2  # even the same stem twice


@pytest.mark.parametrize("stem, start", [("CON", "_CON_"), ("nul.txt", "_nul.txt_"), ("LPT9", "_LPT9_"), ("..", "__"),
                                         (".hidden", "hidden_"), ("end.", "end_"), ("", "__")])  # fmt: skip
def test_reserved_hidden_and_empty_names_are_changed(stem, start):
    (name,) = file_names([stem], ".pdf")
    assert name.startswith(start) and name.endswith(".pdf")


def test_a_long_name_is_shortened_within_the_file_systems_limit():
    (name,) = file_names(["é" * 300], ".xlsx")
    assert len(name.encode()) < 255 and name.startswith("é" * 60) and not name.startswith("é" * 61)


def test_sheet_title():
    assert sheet_title("2024-03 A/B:C\\D*E?F[G]") == "2024-03 A_B_C_D_E_F_G_"
    assert sheet_title("2024-03 " + "x" * 40) == "2024-03 " + "x" * 23
    assert sheet_title("'quoted'") == "quoted" and sheet_title("''") == "_"
    assert sheet_title("a\x07b") == "a_b"
