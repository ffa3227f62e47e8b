import re
import shutil
import subprocess
from datetime import datetime

import pandas as pd
import pytest
from openpyxl import load_workbook
from schema_rows import frame

from sales_tools.core.close import month_of
from sales_tools.errors import InputError
from sales_tools.schema import TABLES
from sales_tools.statements import statements_from_tables

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


def test_month_of():
    assert month_of("2024-03") == MARCH
    assert month_of(pd.Timestamp("2024-03-17")) == MARCH
    for bad in ("March", "2024-13", "", "24-03"):
        with pytest.raises(InputError, match="not a month such as 2024-03"):
            month_of(bad)


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
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "Order ID")
    body = [[c.value for c in row] for row in ws.iter_rows(min_row=header + 1, max_row=header + 4, max_col=9)]
    assert [row[1] for row in body[:3]] == ["SO-1", "SO-2", None]  # by order, the bonus line last
    assert [row[6] for row in body[:3]] == ["tier", "category_rate", "bonus"]
    assert body[3][7:] == ["Total", 546.67]
    # printable: portrait A4 fitted to the width, the lines header repeated, the rep and month in the header
    assert ws.page_setup.orientation == "portrait" and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == f"${header}:${header}"
    assert ws.oddHeader.center.text == "Ann Lee — March 2024"


def test_a_rep_without_commission_gets_an_empty_statement(tmp_path):
    ws = load_workbook(statements_from_tables(INPUTS, computed(), "2024-03", tmp_path)[1]).active
    got = figures(ws)
    assert got["Total for March 2024"] == 0.0 and got["Target"] is None
    assert "No commission lines this month." in got


def test_the_summarys_rep_name_is_not_shown_as_an_amount(tmp_path):
    tables = computed()
    tables["commission_summary"] = tables["commission_summary"].assign(rep_name="Ann Lee (as on Reps)")
    assert tables["commission_summary"].columns[1] == "rep_name"
    ws = load_workbook(statements_from_tables(INPUTS, tables, "2024-03", tmp_path)[0]).active
    got = figures(ws)
    assert "Rep name" not in got and "Ann Lee (as on Reps)" not in got.values()
    assert got["Total for March 2024"] == 546.67  # 20.00 + 26.67 + 500.00, as without the name


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


# ------------------------------------------------------------------ statements a rep can check by hand
def plan_rows(name, *rules):
    """Plan rows: (rule, option, floor, rate, amount, category)."""
    return [(name, *rule) for rule in rules]


def master(plans, reps, orders, **more):
    """Input tables of a small master: plans (Plan rows), reps (rep_id, name, plan, manager_id), orders
    (order_id, line, date, rep_id, customer_id, category, amount); customers C1 Alpha Ltd and C2 Beta plc."""
    orders = pd.DataFrame(
        orders, columns=["order_id", "line", "order_date", "rep_id", "customer_id", "category", "amount"]
    ).reindex(columns=TABLES["orders"].names)
    tables = {
        "settings": frame("settings", [("company", "Acme Corp", None), ("currency", "EUR", None)]),
        "reps": frame("reps", [(r, n, "N", None, None, p, None, m) for r, n, p, m in reps]),
        "plan": frame("plan", [(p, r, o, f, rt, a, c) for p, r, o, f, rt, a, c in plans]),
        "customers": frame("customers", [("C1", "Alpha Ltd"), ("C2", "Beta plc")]),
        "orders": orders.assign(order_date=pd.to_datetime(orders["order_date"])),
    }
    return {**tables, **more}


def statement_of(tmp_path, tables, rep="R1", period="2024-03"):
    """The rep's statement sheet, written from a refresh of `tables` as of the month's end."""
    from sales_tools.core.refresh import refresh

    month = month_of(period)
    computed = refresh(tables, as_of=month + pd.offsets.MonthEnd(0), today=month + pd.offsets.MonthEnd(0))
    paths = statements_from_tables(tables, computed, period, tmp_path)
    return load_workbook(next(p for p in paths if p.name == f"statement_{period}_{rep}.xlsx")).active


def find(ws, text, col=1):
    """The row of the first cell of column `col` holding `text`."""
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, col).value == text)


def rows_below(ws, header, last_col=9):
    """The rows under a table's header row, up to the first row with nothing in A:I."""
    out = []
    for row in ws.iter_rows(min_row=header + 1, max_col=last_col, values_only=True):
        if all(v is None for v in row):
            break
        out.append(row)
    return out


def tier_rows(ws):
    """The tier block's rows: (tier, slice, rate, amount) read from columns A, G, H, I."""
    header = find(ws, "Tier")
    return [(r[0], r[6], r[7], r[8]) for r in rows_below(ws, header)]


def line_rows(ws):
    """The commission lines as dicts by header, and the statement's Total."""
    header = find(ws, "Commission lines") + 1
    names = [c.value for c in ws[header] if c.value is not None]
    rows = rows_below(ws, header, len(names))
    end = next(i for i, r in enumerate(rows) if r[7] == "Total")
    return [dict(zip(names, r)) for r in rows[:end]], rows[end][8]


def check_tiers(ws):
    """Recompute the tier block and the tier lines from the statement's cells alone."""
    got = figures(ws)
    tiers = tier_rows(ws)
    assert round(sum(t[1] for t in tiers), 2) == got["Tier basis"]
    assert all(abs(s * r - a) <= 0.005 for _, s, r, a in tiers)  # slice x rate = amount, to the cent
    assert round(sum(t[3] for t in tiers), 2) == got["Tier commission"]
    lines, total = line_rows(ws)
    tiered = [ln for ln in lines if ln["Rule"].startswith("tier ")]
    assert round(sum(ln["Basis"] for ln in tiered), 2) == got["Tier basis"]
    assert round(sum(ln["Amount"] for ln in tiered), 2) == got["Tier commission"]
    assert all(abs(ln["Basis"] * got["Effective rate"] - ln["Amount"]) <= 0.01 for ln in tiered)
    assert round(sum(ln["Amount"] for ln in lines), 2) == total == got["Total for March 2024"]
    return got, tiers, lines


STD = plan_rows("Std", ("tier", None, 0, 0.10, None, None), ("tier", None, 5000, 0.15, None, None),
                ("category_rate", None, None, 0.08, None, "Services"))  # fmt: skip
MARCH_ORDERS = [("O1", 1, "2024-03-05", "R1", "C1", "Hardware", 3000.0),
                ("O2", 1, "2024-03-12", "R1", "C2", "Hardware", 3800.0),
                ("O3", 1, "2024-03-20", "R1", "C1", "Services", 1000.0)]  # fmt: skip


def test_a_tiered_statement_can_be_recomputed_from_its_cells(tmp_path):
    ws = statement_of(tmp_path, master(STD, [("R1", "Ann Lee", "Std", None)], MARCH_ORDERS))
    got, tiers, lines = check_tiers(ws)
    # tier basis 3,000 + 3,800 = 6,800 (Services has its own rate): 5,000 x 10% = 500 and 1,800 x 15% = 270
    assert tiers == [("Tier 1", 5000.0, 0.10, 500.0), ("Tier 2", 1800.0, 0.15, 270.0)]
    assert got["Tier commission"] == 770.0 and got["Effective rate"] == pytest.approx(770 / 6800)  # 11.3235%
    assert ws.cell(find(ws, "Effective rate"), 2).number_format == "0.0000%"
    # 3,000 x 11.3235% = 339.71 and 3,800 x 11.3235% = 430.29; Services 1,000 x 8% = 80 at its own rate
    assert [(ln["Order ID"], ln["Amount"]) for ln in lines] == [("O1", 339.71), ("O2", 430.29), ("O3", 80.0)]
    assert [ln["Rate"] for ln in lines][2] == 0.08
    assert lines[0]["Customer"] == "Alpha Ltd" and lines[1]["Customer"] == "Beta plc"
    assert lines[0]["Order date"] == datetime(2024, 3, 5) and lines[2]["Category"] == "Services"
    assert got["Total for March 2024"] == 850.0 and got["Commission"] == 850.0
    # the payout date: the 15th of the next month by default; the plan's rules and the sign-off lines
    assert got["Payout date"] == datetime(2024, 4, 15) and got["Plan"] == "Std"
    texts = [c.value for row in ws.iter_rows(max_col=1) for c in row if isinstance(c.value, str)]
    assert "• Services sales earn a flat 8%, outside the tiers; they still count toward attainment." in texts
    assert any(t.startswith("Approved by (manager)") and "Date" in t for t in texts)
    assert any(t.startswith("Received by (rep)") for t in texts)
    assert ws.oddFooter.right.text == "Page &P of &N"
    assert ws.print_title_rows == f"${find(ws, 'Order ID', 2)}:${find(ws, 'Order ID', 2)}"


def test_the_payout_day_is_a_setting(tmp_path):
    tables = master(STD, [("R1", "Ann Lee", "Std", None)], MARCH_ORDERS)
    tables["settings"] = frame("settings", [("payout_day", 20, None)])
    assert figures(statement_of(tmp_path, tables))["Payout date"] == datetime(2024, 4, 20)
    tables["settings"] = frame("settings", [("payout_day", 31, None)])
    with pytest.raises(InputError, match="Settings: payout_day must be a whole number from 1 to 28, not 31"):
        statement_of(tmp_path, tables)


def test_a_retroactive_statement_puts_the_basis_in_the_tier_reached(tmp_path):
    step = plan_rows("Step", ("method", "retroactive", None, None, None, None),
                     ("tier", None, 0, 0.10, None, None), ("tier", None, 5000, 0.15, None, None))  # fmt: skip
    ws = statement_of(tmp_path, master(step, [("R1", "Ann Lee", "Step", None)], MARCH_ORDERS))
    got, tiers, lines = check_tiers(ws)
    # the whole 7,800 at the 15% of tier 2 = 1,170
    assert tiers == [("Tier 1", 0.0, 0.10, 0.0), ("Tier 2", 7800.0, 0.15, 1170.0)]
    assert [ln["Amount"] for ln in lines] == [450.0, 570.0, 150.0]  # 3,000 / 3,800 / 1,000 x 15%
    assert any(c.value == "Retroactive: the whole basis at the rate of the tier reached." for c in ws["A"])


def test_an_attainment_statement_shows_floors_as_a_share_of_target_and_in_money(tmp_path):
    quota = plan_rows("Quota", ("tier_basis", "attainment", None, None, None, None),
                      ("tier", None, 0, 0.02, None, None), ("tier", None, 0.5, 0.04, None, None),
                      ("tier", None, 1, 0.06, None, None), ("category_rate", None, None, 0.08, None, "Services"))  # fmt: skip
    orders = [("O1", 1, "2024-03-05", "R1", "C1", "Hardware", 9000.0),
              ("O2", 1, "2024-03-12", "R1", "C2", "Services", 3000.0)]  # fmt: skip
    targets = frame("targets", [(2024, "R1", None, None, None, 120000.0)])  # 10,000 a month
    ws = statement_of(tmp_path, master(quota, [("R1", "Ann Lee", "Quota", None)], orders, targets=targets))
    got, tiers, lines = check_tiers(ws)
    header = find(ws, "Tier")
    block = rows_below(ws, header)
    assert [(r[1], r[3], r[4], r[5]) for r in block] == [(0.0, 0.0, 5000.0, 5000.0), (0.5, 5000.0, 10000.0, 5000.0),
                                                         (1.0, 10000.0, None, 2000.0)]  # fmt: skip
    # 12,000 of sales on a 10,000 target: 5,000 / 5,000 / 2,000 in the tiers; the tiers pay 9,000 / 12,000 of them:
    # slices 3,750 / 3,750 / 1,500 at 2% / 4% / 6% = 75 + 150 + 90 = 315
    assert tiers == [("Tier 1", 3750.0, 0.02, 75.0), ("Tier 2", 3750.0, 0.04, 150.0), ("Tier 3", 1500.0, 0.06, 90.0)]
    assert [ln["Amount"] for ln in lines] == [315.0, 240.0]  # Services 3,000 x 8% = 240
    assert got["Total for March 2024"] == 555.0


def test_a_paid_only_statement_reconciles_booked_to_collected(tmp_path):
    hunter = plan_rows("Hunter", ("credit_on", "paid", None, None, None, None), ("tier", None, 0, 0.05, None, None))
    orders = [("O1", 1, "2024-03-04", "R1", "C1", "Hardware", 600.0), ("O1", 2, "2024-03-04", "R1", "C1", "Software", 400.0),
              ("O2", 1, "2024-02-20", "R1", "C2", "Hardware", 500.0)]  # fmt: skip
    payments = frame("payments", [("P1", pd.Timestamp("2024-03-10"), "C1", "O1", None, 400.0),
                                  ("P2", pd.Timestamp("2024-03-05"), "C2", "O2", None, 500.0),
                                  ("P3", pd.Timestamp("2024-04-02"), "C1", "O1", None, 600.0)])  # fmt: skip
    targets = frame("targets", [(2024, "R1", None, None, None, 12000.0)])  # 1,000 a month
    tables = master(hunter, [("R1", "Ann Lee", "Hunter", None)], orders, payments=payments, targets=targets)
    ws = statement_of(tmp_path, tables)
    got, tiers, lines = check_tiers(ws)
    # booked in March: O1 = 1,000 (the Actual); 400 of it collected (P1), so less 600; plus O2's 500 paid in March
    assert got["Actual"] == 1000.0 and got["Booked (the Actual)"] == 1000.0
    assert got["Less: not collected"] == -600.0 and got["Plus: other months' orders"] == 500.0
    assert got["Collected"] == 1000.0 - 600.0 + 500.0 == 900.0 == got["Tier basis"]
    # attainment: booked 1,000 / 1,000 = 100%; on collections (what a gate or bonus reads) 900 / 1,000 = 90%
    assert got["Attainment"] == 1.0 and got["Attainment on collections"] == 0.9
    header = find(ws, "Payment ID", 2)
    payments_shown = rows_below(ws, header)
    assert [(r[0], r[1], r[3], r[4], r[5], r[8]) for r in payments_shown[:2]] == [
        ("Beta plc", "P2", datetime(2024, 3, 5), "O2", datetime(2024, 2, 20), 500.0),
        ("Alpha Ltd", "P1", datetime(2024, 3, 10), "O1", datetime(2024, 3, 4), 400.0),
    ]
    assert payments_shown[2][7:] == ("Total", 900.0)
    # P1's 400 over O1's lines 600 / 400: 240 and 160; 900 x 5% = 45 = 12 + 8 + 25
    assert [(ln["Order ID"], ln["Basis"], ln["Amount"]) for ln in lines] == [
        ("O1", 240.0, 12.0), ("O1", 160.0, 8.0), ("O2", 500.0, 25.0)]  # fmt: skip
    assert tiers == [("Tier 1", 900.0, 0.05, 45.0)]


def test_a_draw_and_override_statement_shows_the_draw_recovered_and_the_balance(tmp_path):
    lead = plan_rows("Lead", ("tier", None, 0, 0.0, None, None), ("override", None, None, 0.02, None, None),
                     ("draw", "recoverable", None, None, 1000.0, None))  # fmt: skip
    flat = plan_rows("Flat", ("tier", None, 0, 0.01, None, None))
    orders = [("O1", 1, "2024-02-10", "A", "C1", "Hardware", 10000.0),
              ("O2", 1, "2024-03-10", "A", "C2", "Hardware", 60000.0)]  # fmt: skip
    reps = [("M", "Mo Boss", "Lead", None), ("A", "Al Rep", "Flat", "M")]
    ws = statement_of(tmp_path, master(lead + flat, reps, orders), rep="M")
    got = figures(ws)
    # February: override 10,000 x 2% = 200, the draw tops it up by 800: 800 owed.
    # March: override 60,000 x 2% = 1,200, 200 above the draw recovered: pays 1,000, 600 still owed
    assert (got["Override"], got["Draw"], got["Draw recovered"]) == (1200.0, 0.0, -200.0)
    assert got["Total for March 2024"] == 1000.0 and got["Draw balance"] == 600.0
    assert got["Draw balance before"] == 800.0  # 800 + 0 - 200 = 600
    assert got["Year to date (2024)"] == 2000.0  # February's 1,000 and March's
    lines, total = line_rows(ws)
    assert [(ln["Rule"], ln["Amount"], ln.get("From rep")) for ln in lines] == [
        ("override", 1200.0, "A"), ("draw recovered", -200.0, None)]  # fmt: skip
    assert total == 1000.0
    rep_ws = statement_of(tmp_path, master(lead + flat, reps, orders), rep="A")
    assert "Draw balance" not in figures(rep_ws) and "Draw balance before" not in figures(rep_ws)  # none to show
    assert "From rep" not in [c.value for c in rep_ws[find(rep_ws, "Order ID", 2)]]


def test_a_gated_month_says_so_instead_of_a_tier_block(tmp_path):
    gated = plan_rows("Gated", ("tier", None, 0, 0.10, None, None), ("gate", None, 0.5, None, None, None))
    targets = frame("targets", [(2024, "R1", None, None, None, 240000.0)])  # 20,000 a month: 7,800 is 39%
    ws = statement_of(tmp_path, master(gated, [("R1", "Ann Lee", "Gated", None)], MARCH_ORDERS, targets=targets))
    texts = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert "Attainment 39.0% is below the plan's gate of 50%: no commission and no bonus this month." in texts
    assert "Tier" not in texts and figures(ws)["Total for March 2024"] == 0.0


@pytest.mark.libreoffice
@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")), reason="LibreOffice or pdftotext missing"
)
def test_the_pdf_shows_the_effective_rate_and_page_numbers(tmp_path):
    from sales_tools.libreoffice import convert

    statement_of(tmp_path, master(STD, [("R1", "Ann Lee", "Std", None)], MARCH_ORDERS))
    (pdf,) = convert([tmp_path / "statement_2024-03_R1.xlsx"], to="pdf", outdir=tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Page 1 of 1" in text and "Effective rate" in text
    assert "11.3235%" in text  # 770 / 6,800, to 4 decimals
    assert "Approved by (manager)" in text and "Received by (rep)" in text
    assert "Payout date" in text and "2024-04-15" in text


def test_cents_lost_to_rounding_each_lines_basis_are_shown(tmp_path):
    full = plan_rows("Full", ("tier", None, 0, 1.0, None, None))
    orders = [("O1", 1, "2024-03-05", "R1", "C1", "Hardware", 100.01),
              ("O2", 1, "2024-03-06", "R1", "C2", "Hardware", 100.01)]  # fmt: skip
    splits = frame("splits", [("O1", "R1", 0.5), ("O1", "R2", 0.5), ("O2", "R1", 0.5), ("O2", "R2", 0.5)])
    reps = [("R1", "Ann Lee", "Full", None), ("R2", "Bo Li", "Full", None)]
    ws = statement_of(tmp_path, master(full, reps, orders, splits=splits))
    got = figures(ws)
    # each line is credited 50.005, shown 50.01: the lines' bases add up to 100.02, but the engine tiers the
    # month's 100.01 (100.01 x 100% = 100.01): the block says where the cent went
    assert got["Tier basis"] == 100.02 and got["Tier commission"] == 100.01
    block = rows_below(ws, find(ws, "Tier"))
    assert block[0][6:] == (100.02, 1.0, 100.02)
    assert block[1][0] == "Cents from rounding each line's basis" and block[1][8] == -0.01
    assert round(block[0][8] + block[1][8], 2) == got["Tier commission"]


def test_the_statements_command_writes_the_tier_block_from_the_master(tmp_path):
    from click.testing import CliRunner

    from sales_tools.cli import cli
    from sales_tools.excel.builder import build_master

    tables = master(STD, [("R1", "Ann Lee", "Std", None)], MARCH_ORDERS)
    tables["settings"] = frame("settings", [("payout_day", 5, None)])
    path = build_master(tmp_path / "master.xlsx", tables)
    result = CliRunner().invoke(cli, ["statements", str(path), "--period", "2024-03", "--out", str(tmp_path / "st")])
    assert result.exit_code == 0, result.output
    ws = load_workbook(tmp_path / "st" / "statement_2024-03_R1.xlsx").active
    got, tiers, _ = check_tiers(ws)
    assert tiers == [("Tier 1", 5000.0, 0.10, 500.0), ("Tier 2", 1800.0, 0.15, 270.0)]  # 6,800: 500 + 270
    assert got["Payout date"] == datetime(2024, 4, 5) and got["Total for March 2024"] == 850.0


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


def test_the_customer_column_is_as_wide_as_the_longest_customer_name(tmp_path):
    long_name = "Northstar Hospitality Services 314 Ltd"  # 38 characters: a column 40 wide, not 30
    orders = frame("orders", [("SO-1", 1, MARCH, "R1", "C1", "Hardware", 1, 1000.0, 1000.0, None, None),
                              ("SO-2", 1, MARCH, "R1", "C2", "Services", 1, 333.33, 333.33, None, None)])  # fmt: skip
    customers = frame("customers", [("C1", long_name, None, None, None, None, None, None, None),
                                    ("C2", "Acme", None, None, None, None, None, None, None)])  # fmt: skip
    inputs = {**INPUTS, "orders": orders, "customers": customers}
    ws = load_workbook(statements_from_tables(inputs, computed(), "2024-03", tmp_path)[0]).active
    assert long_name in [c.value for c in ws["A"]]
    assert ws.column_dimensions["A"].width == 40
    # Bo Li (R2) has no lines: the column keeps its 30
    assert load_workbook(tmp_path / "statement_2024-03_R2.xlsx").active.column_dimensions["A"].width == 30
