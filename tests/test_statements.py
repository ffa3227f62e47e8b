import re
import shutil
import subprocess

import pandas as pd
import pytest
from openpyxl import load_workbook
from schema_rows import frame

from sales_tools.errors import InputError
from sales_tools.schema import TABLES
from sales_tools.statements import parse_period, statements_from_tables

MARCH, FEB = pd.Timestamp("2024-03-01"), pd.Timestamp("2024-02-01")


INPUTS = {
    "reps": frame(
        "reps", [("R2", "Bo Li", "S", None, None, None, None), ("R1", "Ann Lee", "N", None, None, None, None)]
    ),
    "settings": frame("settings", [("company", "Acme Corp", None), ("currency", "EUR", None)]),
}


def computed(r1_lines=(20.0, 26.666, 500.0), r1_total=546.67):
    lines = frame(
        "commission_lines",
        [
            ("R1", MARCH, "SO-2", 1, "Services", 333.33, "category_rate", 0.08, r1_lines[1]),
            ("R1", MARCH, "SO-1", 1, "Hardware", 1000.0, "tier", 0.02, r1_lines[0]),
            ("R1", MARCH, None, None, None, None, "bonus", None, r1_lines[2]),
            ("R1", FEB, "SO-0", 1, "Hardware", 5000.0, "tier", 0.02, 100.0),
        ],
    )
    names = ["rep_id", "period", "sales", "target", "attainment", "commission", "clawbacks", "bonus", "cap_adjustment",
             "total"]  # fmt: skip
    summary = pd.DataFrame(
        [
            ("R1", pd.Timestamp("2023-12-01"), 1, 1, 1, 999.0, 0, 0, 0, 999.0),  # last year: not in the YTD
            ("R1", FEB, 5000, 4000, 1.25, 100.0, 0, 0, 0, 100.0),
            ("R1", MARCH, 1333.33, 1000, 1.3333, 46.67, 0, 500.0, 0, r1_total),
        ],
        columns=names,
    ).reindex(columns=TABLES["commission_summary"].names)
    attainment = frame(
        "attainment",
        [
            (
                "R1",
                "Ann Lee",
                "N",
                MARCH,
                1000.0,
                1333.33,
                1.33333,
                -333.33,
                3000.0,
                2500.0,
                2500 / 3000,
                1333.33,
                1.33333,
            )
        ],
    )
    return {"commission_lines": lines, "commission_summary": summary, "attainment": attainment}


def figures(ws):
    """{label in column A: value in column B}."""
    return {row[0].value: row[1].value for row in ws.iter_rows(max_col=2) if isinstance(row[0].value, str)}


def test_parse_period():
    assert parse_period("2024-03") == MARCH
    assert parse_period(pd.Timestamp("2024-03-17")) == MARCH
    for bad in ("March", "2024-13", "", "24-03"):
        with pytest.raises(InputError, match="not a month such as 2024-03"):
            parse_period(bad)


def test_one_statement_per_rep_with_figures_lines_and_total(tmp_path):
    paths = statements_from_tables(INPUTS, computed(), "2024-03", tmp_path)
    assert [p.name for p in paths] == ["statement_2024-03_R1.xlsx", "statement_2024-03_R2.xlsx"]
    ws = load_workbook(paths[0]).active
    assert ws["A1"].value == "Commission statement — Ann Lee (R1)"
    assert ws["A2"].value == "Acme Corp · March 2024 · amounts in EUR"
    got = figures(ws)
    assert (
        got["Target"] == 1000.0
        and got["Actual"] == 1333.33
        and got["Year-to-date attainment"] == pytest.approx(2500 / 3000)
    )
    assert got["Bonus"] == 500.0 and got["Commission"] == 46.67
    # 20.00 + 26.67 (26.666 rounded) + 500.00; the year to date adds February's 100 but not December 2023
    assert got["Total for March 2024"] == 546.67
    assert got["Year to date (2024)"] == 646.67
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Order ID")
    body = [[c.value for c in row] for row in ws.iter_rows(min_row=header + 1, max_row=header + 4)]
    assert [row[0] for row in body[:3]] == ["SO-1", "SO-2", None]  # by order, the bonus line last
    assert [row[4] for row in body[:3]] == ["tier", "category_rate", "bonus"]
    assert body[3][5:] == ["Total", 546.67]
    # printable: portrait A4 fitted to the width, the lines header repeated, the rep and month in the header
    assert ws.page_setup.orientation == "portrait" and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == f"${header}:${header}"
    assert ws.oddHeader.center.text == "Ann Lee — March 2024"


def test_a_rep_without_commission_gets_an_empty_statement(tmp_path):
    ws = load_workbook(statements_from_tables(INPUTS, computed(), "2024-03", tmp_path)[1]).active
    got = figures(ws)
    assert got["Total for March 2024"] == 0.0 and got["Target"] is None
    assert "No commission lines this month." in got


def test_the_total_is_the_sum_of_the_rounded_lines(tmp_path):
    # three lines of 1.005 each round to 1.01: the statement pays 3.03, not round(3.015) = 3.02
    path = statements_from_tables(INPUTS, computed((1.005, 1.005, 1.005), 3.03), "2024-03", tmp_path)[0]
    assert figures(load_workbook(path).active)["Total for March 2024"] == 3.03


def test_lines_that_do_not_match_the_summary_are_an_error(tmp_path):
    with pytest.raises(
        InputError,
        match="statement of R1 for 2024-03: the lines add up to 546.67 but the Commission summary says 546.00",
    ):
        statements_from_tables(INPUTS, computed(r1_total=546.0), "2024-03", tmp_path)


@pytest.mark.libreoffice
@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")), reason="LibreOffice or pdftotext missing"
)
def test_a_statement_renders_to_pdf_with_the_reps_total(tmp_path):
    from sales_tools.libreoffice import convert

    path = statements_from_tables(INPUTS, computed(), "2024-03", tmp_path)[0]
    (pdf,) = convert([path], to="pdf", outdir=tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Commission statement — Ann Lee (R1)" in text
    assert "Total for March 2024" in text and "546.67" in text and "646.67" in text


def test_names_and_the_company_are_written_as_text_with_control_characters_replaced(tmp_path):
    reps = frame("reps", [("R1", '=HYPERLINK("http://evil","x")', "N", None, None, None, None),
                          ("R2", "Bo\x07 Li", "S", None, None, None, None)])  # fmt: skip
    settings = frame("settings", [("company", "=1+2 & Co\x1b", None), ("currency", "EUR", None)])
    lines = computed()
    lines["commission_lines"].loc[0, "category"] = "@SUM(1)"
    first, second = (load_workbook(p).active for p in statements_from_tables(
        {"reps": reps, "settings": settings}, lines, "2024-03", tmp_path))  # fmt: skip
    cells = {(c.coordinate, c.value, c.data_type) for row in first.iter_rows() for c in row if c.value is not None}
    assert {
        ("A1", 'Commission statement — =HYPERLINK("http://evil","x") (R1)', "s"),
        ("A2", "=1+2 & Co\ufffd · March 2024 · amounts in EUR", "s"),
    } <= cells
    assert [c for c in cells if c[2] in ("f", "e")] == []  # no formula, no error cell
    assert any(value == "@SUM(1)" and kind == "s" for _, value, kind in cells)
    assert first.oddFooter.left.text == "=1+2 && Co\ufffd · commission statement"  # "&" printed, not a code
    assert second["A1"].value == "Commission statement — Bo\ufffd Li (R2)"
    assert second.oddHeader.center.text == "Bo\ufffd Li — March 2024"


def test_every_rep_gets_a_statement_whatever_their_rep_id_holds(tmp_path):
    ids = ["A/B", "A:B", "A\\B", "CON", ".."]
    reps = frame("reps", [(rep_id, f"Rep {i}", "N", None, None, None, None) for i, rep_id in enumerate(ids)])
    tables = {name: table.replace({"rep_id": {"R1": "A/B"}}) for name, table in computed().items()}
    paths = statements_from_tables({**INPUTS, "reps": reps}, tables, "2024-03", tmp_path)
    assert sorted(tmp_path.iterdir()) == sorted(paths) and len({p.name.casefold() for p in paths}) == 5
    sheets = [load_workbook(p).active for p in paths]
    assert [ws["A1"].value for ws in sheets] == [
        f"Commission statement — Rep {ids.index(i)} ({i})" for i in sorted(ids)
    ]
    # a sheet name holds no / : \\
    assert [ws.title for ws in sheets] == ["2024-03 ..", *["2024-03 A_B"] * 3, "2024-03 CON"]
    assert figures(sheets[sorted(ids).index("A/B")])["Total for March 2024"] == 546.67  # R1's lines, renamed
    assert all(re.fullmatch(r"statement_2024-03_[\w.-]*\.xlsx", p.name) for p in paths)


def test_a_rep_with_margin_targets_gets_a_margin_performance_block(tmp_path):
    tables = computed()
    revenue = tables["attainment"].assign(measure="revenue")
    # March margin: 600 against a target of 500 (120%); the year so far 1,100 against 1,000
    margin = revenue.assign(target=500.0, actual=600.0, attainment=1.2, variance=100.0, ytd_target=1000.0,
                            ytd_actual=1100.0, ytd_attainment=1.1, forecast=600.0, forecast_attainment=1.2,
                            measure="margin")  # fmt: skip
    tables["attainment"] = pd.concat([revenue, margin], ignore_index=True)
    ws = load_workbook(statements_from_tables(INPUTS, tables, "2024-03", tmp_path)[0]).active
    labels = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    at = labels.index("Performance: margin")
    block = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(at + 2, at + 9)}
    assert (block["Target"], block["Actual"], block["Attainment"], block["Year-to-date attainment"]) == (
        500.0, 600.0, 1.2, 1.1,
    )  # fmt: skip
    assert labels.index("Performance") < at and figures(ws)["Total for March 2024"] == 546.67
    first = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(labels.index("Performance") + 2, at)}
    assert (first["Target"], first["Actual"]) == (1000.0, 1333.33)  # revenue first, as before


def test_a_margin_reps_statement_shows_each_lines_quantity_amount_unit_cost_and_margin(tmp_path):
    from sales_tools.core.refresh import refresh

    inputs = {
        "reps": frame("reps", [("R1", "Ann Lee", "N", None, None, "M")]),
        "plan": frame("plan", [("M", "basis", "margin"), ("M", "tier", None, 0, 0.1)]),
        "orders": frame("orders", [("SO-1", 1, MARCH, "R1", "C1", "X", 4, 250, 1000.0, 150.0),
                                   ("SO-2", 1, MARCH, "R1", "C1", "X", 3, 100, 300.0, 120.0)]),
    }  # fmt: skip
    path = statements_from_tables(inputs, refresh(inputs, as_of="2024-03-31"), "2024-03", tmp_path)[0]
    ws = load_workbook(path).active
    labels = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    at = labels.index(
        "Margin of the order lines: amount − quantity × unit cost (a split line's basis is your share of it)"
    )
    rows = [[ws.cell(r, c).value for c in range(1, 7)] for r in range(at + 2, at + 5)]
    # SO-1: 1,000 - 4 x 150 = 400; SO-2: 300 - 3 x 120 = -60; the month 340 x 10% = 34
    assert rows == [["Order ID", "Line", "Quantity", "Amount", "Unit cost", "Margin"],
                    ["SO-1", 1, 4, 1000, 150, 400], ["SO-2", 1, 3, 300, 120, -60]]  # fmt: skip
    assert figures(ws)["Total for March 2024"] == 34.0
