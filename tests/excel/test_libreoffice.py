"""Proof in a real spreadsheet engine: LibreOffice recalculates the master and a rep
template, and the formulas give what Python computes, to the cent; no cell is an error."""

import re
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
from excel_data import refreshed_both_ways
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from sales_tools.core.money import round_cents
from sales_tools.core.variance import team_figures
from sales_tools.errors import WorkbookError
from sales_tools.excel.builder import FORMULAS, build_master
from sales_tools.excel.reader import read_tables
from sales_tools.excel.templates import build_blank_template, build_rep_templates
from sales_tools.libreoffice import convert, dashboard_pdf
from sales_tools.sample import sample_tables
from sales_tools.schema import TABLES, TEMPLATE_TABLES
from sales_tools.schema.language import CHINESE, ENGLISH, tr, use

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"),
]
ERRORS = ("#NAME?", "#REF!", "#VALUE!", "#DIV/0!", "#N/A", "#NUM!", "#NULL!", "Err:")
# Rows a rep types into Orders: date, order id, customer (not the rep's: theirs are C0001...), category,
# quantity, unit price.
TYPED_COLUMNS = ("order_date", "order_id", "customer_id", "category", "quantity", "unit_price")
TYPED = [
    (pd.Timestamp("2024-01-05"), "A1", "C1", "Hardware", 3, 0.335),  # 1.005 -> 1.01, half away from zero
    (pd.Timestamp("2024-01-20"), "A2", "C2", "Software", 2, 1234.565),
    (pd.Timestamp("2024-02-03"), "A3", "C1", "Hardware", 7, 19.99),
]


UNPAID = pd.DataFrame({"file": "(refresh)", "sheet": "Targets", "row": pd.array([pd.NA, pd.NA], dtype="Int64"),
                       "column": "target", "value": ["R01 2024-01", "R02 2024-01"],
                       "reason": ["rep R01 has no target for 2024-01", "rep R02 has no target for 2024-01"]})  # fmt: skip


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    """The master (sample data + computed tables) and a typed-in rep template, recalculated
    by LibreOffice in ONE soffice call; returns the Python tables and the cached values."""
    tmp = tmp_path_factory.mktemp("lo")
    inputs, computed = sample_tables()
    master = build_master(tmp / "master.xlsx", inputs, computed)
    (template, *_) = build_rep_templates(master, tmp / "reps", "2024")
    pristine = shutil.copy(template, tmp / "pristine.xlsx")  # as issued: its stored results
    blank = build_blank_template(tmp / "blank.xlsx")
    wb = load_workbook(template)
    orders, visits = TEMPLATE_TABLES["rep_orders"], TEMPLATE_TABLES["rep_visit_plan"]
    for r, row in enumerate(TYPED, start=5):
        for name, value in zip(TYPED_COLUMNS, row):
            wb["Orders"].cell(r, orders.names.index(name) + 1, value)
    known = (wb["My customers"]["A5"].value, wb["My customers"]["B5"].value)  # the rep's first customer
    wb["Visit plan"].cell(5, visits.names.index("visit_date") + 1, pd.Timestamp("2024-01-08"))
    wb["Visit plan"].cell(5, visits.names.index("customer_id") + 1, known[0])
    wb.save(template)
    # the same master with two refresh Exceptions: the Dashboard must count them
    warned = build_master(tmp / "warned.xlsx", inputs, {**computed, "exceptions": UNPAID})
    with use(CHINESE):  # the Chinese edition: master, a rep's template as issued, the blank template
        chinese = build_master(tmp / "master_zh.xlsx", *sample_tables())  # the same sample, Settings in Chinese
        (issued, *_) = build_rep_templates(chinese, tmp / "reps_zh", "2024")
        chinese_books = [
            chinese,
            shutil.copy(issued, tmp / "pristine_zh.xlsx"),
            build_blank_template(tmp / "blank_zh.xlsx"),
        ]
    out = convert([master, template, warned, pristine, blank, *chinese_books], "xlsx", tmp / "out")
    values = {p.stem: _values(p) for p in out}
    return {"computed": computed, "master": values["master"], "template": values[template.stem],
            "warned": values["warned"], "tmp": tmp, "saved": out[0],
            "pristine": values["pristine"], "blank": values["blank"], "known": known,
            **{k: values[k] for k in ("master_zh", "pristine_zh", "blank_zh")}}  # fmt: skip


def _values(path) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_path(str(path))
    return {s: book.get_sheet_by_name(s).to_python(skip_empty_area=False) for s in book.sheet_names}


def _column(rows, header_row, header) -> list:
    j = rows[header_row].index(header)
    return [r[j] for r in rows[header_row + 1 :]]


def test_no_cell_is_an_error(recalculated):
    for book in ("master", "template", "master_zh", "pristine_zh", "blank_zh"):
        for sheet, rows in recalculated[book].items():
            bad = [
                (sheet, i + 1, v)
                for i, row in enumerate(rows)
                for v in row
                if isinstance(v, str) and v.startswith(ERRORS)
            ]
            assert bad == [], f"{book}: {bad[:5]}"


@pytest.mark.parametrize("table,column", [(t, c) for t, cols in FORMULAS.items() for c in cols])
def test_table_formulas_equal_python(recalculated, table, column):
    frame = recalculated["computed"].get(table)
    if frame is None or frame.empty:
        pytest.skip(f"no {table} rows to compare")
    header = TABLES[table].column(column).header
    got = _column(recalculated["master"][TABLES[table].sheet], 0, header)[: len(frame)]
    python = frame[column].to_numpy(float)
    assert [g == "" for g in got] == list(np.isnan(python))  # blank (not #DIV/0!) exactly where Python is
    assert len(got) == len(python)
    assert np.allclose([g for g in got if g != ""], python[~np.isnan(python)], rtol=0, atol=1e-9)


@pytest.mark.parametrize("book", ["master", "master_zh"])
def test_stored_formula_results_are_what_libreoffice_computes(recalculated, book):
    """A previewer that does not recalculate sees the numbers Excel would show (English and Chinese master)."""
    master = recalculated["tmp"] / f"{book}.xlsx"
    stored, computed = _values(master), recalculated[book]
    language = CHINESE if book.endswith("_zh") else ENGLISH
    book = load_workbook(master, read_only=True)
    checked = 0
    for sheet in (tr(s, language) for s in ("Dashboard", "Attainment", "KPIs")):
        for row in book[sheet].iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                r, c = cell.row - 1, cell.column - 1
                mine, theirs = stored[sheet][r][c], computed[sheet][r][c]
                number = isinstance(theirs, float) and not isinstance(mine, str)
                same = mine == pytest.approx(theirs, rel=1e-9, abs=1e-9) if number else mine == theirs
                assert same, (sheet, cell.coordinate, cell.value, mine, theirs)
                checked += 1
    assert checked > 1000  # every card, block and formula column, not a few


@pytest.mark.parametrize("book", ["pristine", "blank", "pristine_zh", "blank_zh"])
def test_stored_template_results_are_what_libreoffice_computes(recalculated, book):
    """A rep template as issued (the sample's rep, 2024) and the blank one: every formula's stored
    result, header cells and blank rows alike, is what LibreOffice computes."""
    path = recalculated["tmp"] / f"{book}.xlsx"
    stored, computed = _values(path), recalculated[book]
    checked = 0
    for ws in load_workbook(path, read_only=True).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                mine, theirs = (
                    stored[ws.title][cell.row - 1][cell.column - 1],
                    computed[ws.title][cell.row - 1][cell.column - 1],
                )
                assert mine == theirs, (book, ws.title, cell.coordinate, cell.value, mine, theirs)
                checked += 1
    assert checked > 18000  # 9 formula columns x 2,000 rows, the subtitles and My targets
    if book.endswith("_zh"):  # 业务员 <ID> <name>, <from> 至 <to>
        info, subtitle = stored["使用说明"], computed["订单"][2][0]
        assert subtitle == ("业务员, 未设置期间" if book == "blank_zh" else
                            f"业务员 {info[2][1]} {info[3][1]}, 2024-01-01 至 2024-12-31")  # fmt: skip
        return
    subtitle = computed["Orders"][2][0]
    assert subtitle == ("Rep, period not set" if book == "blank" else f"Rep {stored['Instructions'][2][1]} "
                        f"{stored['Instructions'][3][1]}, 2024-01-01 to 2024-12-31")  # fmt: skip


def test_a_blank_template_prints_one_page_per_visible_sheet(tmp_path):
    blank = build_blank_template(tmp_path / "blank.xlsx")
    (pdf,) = convert([blank], "pdf", tmp_path / "pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    visible = [ws.title for ws in load_workbook(blank).worksheets if ws.sheet_state == "visible"]
    assert len(visible) == 10 and "Lists" not in visible  # 11 sheets, Lists hidden
    assert int(re.search(r"Pages:\s+(\d+)", info)[1]) == len(visible)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")[: len(visible)]
    for k, (sheet, page) in enumerate(zip(visible, pages), start=1):
        assert sheet in page and f"Page {k} of 10" in page, (k, sheet)
    assert "1899" not in text and "Rep, period not set" in pages[1]
    flat = " ".join(pages[0].split())
    assert "so do not change the layout, rename or delete sheets." in flat  # the last line, wrapped, not cut


def test_attainment_without_a_target_is_blank(recalculated):
    att = recalculated["computed"]["attainment"]
    got = _column(recalculated["master"]["Attainment"], 0, "Attainment")[: len(att)]
    no_target = ~(att["target"] > 0).to_numpy()
    assert [g for g, n in zip(got, no_target) if n] == [""] * int(no_target.sum())


def test_dashboard_figures_equal_python(recalculated):
    computed = recalculated["computed"]
    att = computed["attainment"]
    att = att[att["measure"] == "revenue"]  # the sample has margin targets too: the Dashboard shows revenue
    year = att["period"].max().year
    in_year = att[att["period"].dt.year == year]
    rows = recalculated["master"]["Dashboard"]
    team_sales, team_target, team_att, commission, champion = rows[5][:5]
    actual, target, against = team_figures(computed["target_variance"], year)
    assert (round_cents(team_sales), round_cents(team_target)) == (actual, target)
    assert team_att == pytest.approx(actual / target, abs=1e-12)
    assert rows[6][0].startswith({"the team's target": "Against the team's own target"}.get(against, "Against the sum"))
    summary = computed["commission_summary"]
    assert round_cents(commission) == round_cents(summary.loc[summary["period"].dt.year == year, "total"].sum())
    board = computed["leaderboard"]
    assert champion == board.loc[board["rank"] == 1, "name"].iloc[0]
    per_rep = in_year.groupby("rep_id")["actual"].sum()
    reps = {r[0]: r[3] for r in rows[10:] if r[0] in set(per_rep.index)}
    assert {k: round_cents(v) for k, v in reps.items()} == {k: round_cents(v) for k, v in per_rep.items()}


def test_the_dashboard_counts_the_exceptions_beside_the_year(recalculated):
    assert recalculated["master"]["Dashboard"][2][2] == 0  # C3: "No exceptions" by its number format
    assert recalculated["warned"]["Dashboard"][2][2] == 2


def test_rep_template_amounts_and_targets_equal_python(recalculated):
    rows = recalculated["template"]
    typed = pd.DataFrame(TYPED, columns=["date", "order", "customer", "category", "qty", "price"])
    amounts = round_cents(typed["qty"] * typed["price"])
    assert amounts.tolist() == [1.01, 2469.13, 139.93]  # by hand: 1.005, 2469.13, 139.93
    got = _column(rows["Orders"], 3, "Amount")
    assert got[:3] == amounts.tolist() and set(got[3:]) == {""}
    by_month = amounts.groupby(typed["date"].dt.month).sum()
    targets = rows["My targets"][4:16]
    assert [t[2] for t in targets[:2]] == pytest.approx(by_month.tolist(), abs=0.005)
    assert [t[2] for t in targets[2:]] == [0] * 10
    for _month, target, actual, attainment, variance in targets:
        assert attainment == ("" if not target else pytest.approx(actual / target))
        assert variance == ("" if not target else pytest.approx(actual - target))


def test_the_customer_name_beside_an_id_is_its_name_on_my_customers(recalculated):
    rows = recalculated["template"]
    customer_id, name = recalculated["known"]
    assert name and _column(rows["Visit plan"], 3, "Customer ID")[:2] == [customer_id, ""]
    assert _column(rows["Visit plan"], 3, "Customer name")[:2] == [name, ""]  # blank ID: blank name
    # C1 and C2 are not on the rep's My customers: a note, never #N/A; the blank 4th row stays blank
    assert _column(rows["Orders"], 3, "Customer name")[:4] == ["not on My customers"] * 3 + [""]


def test_dashboard_renders_to_a_pdf_page(recalculated, small_inputs):
    pdf = dashboard_pdf(small_inputs, recalculated["computed"], recalculated["tmp"] / "pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:          1" in info or "Pages:           1" in info
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Sales dashboard" in text and "Attainment by rep" in text


def test_legacy_xls_written_by_libreoffice_reads_back(tmp_path, small_inputs):
    master = build_master(tmp_path / "small.xlsx", small_inputs)
    (xls,) = convert([master], "xls", tmp_path / "xls")
    orders = read_tables(xls, ["orders"])["orders"]
    assert orders["amount"].tolist() == [200.0, 50.5, 30.0, 999.99]
    assert orders["order_date"].iloc[0] == pd.Timestamp("2024-01-05")


def test_convert_names_what_is_missing(tmp_path):
    with pytest.raises(WorkbookError, match="nothing.xlsx does not exist"):
        convert([tmp_path / "nothing.xlsx"], "pdf", tmp_path)
    with pytest.raises(WorkbookError, match="cannot convert to 'doc'"):
        convert([], "doc", tmp_path)


def test_a_refresh_of_a_master_saved_by_libreoffice_puts_its_rows_back_as_they_were(
    recalculated, tmp_path, monkeypatch
):
    # LibreOffice writes its own styles.xml ("true" for "1", defaults spelled out): the
    # styles still mean the same after openpyxl, so the fast path is taken, and it
    # gives what the slow path gives.
    fast, slow, taken = refreshed_both_ways(recalculated["saved"], recalculated["computed"], tmp_path, monkeypatch)
    assert taken == [True]
    assert fast == slow


def test_the_supervisor_block_opens_in_libreoffice_blank_and_error_free(recalculated):
    from sales_tools.schema import TEMPLATE_HEADER_ROW, TEMPLATE_TABLES

    for name in ("rep_visit_plan", "rep_daily_report"):
        rows = recalculated["template"][TEMPLATE_TABLES[name].sheet]
        for header in ("Approved by (supervisor)", "Approved on (supervisor)", "Supervisor comment"):
            assert set(_column(rows, TEMPLATE_HEADER_ROW - 1, header)) <= {"", None}  # blank: the rep's copy


def test_the_chinese_dashboard_computes_the_english_figures(recalculated):
    """Same data, same numbers: every figure LibreOffice computes on the Chinese Dashboard is the English one's."""

    def numbers(rows):
        return [[v for v in row if isinstance(v, (int, float)) and not isinstance(v, bool)] for row in rows]

    en_rows, zh_rows = recalculated["master"]["Dashboard"], recalculated["master_zh"]["仪表板"]
    english, chinese = numbers(en_rows), numbers(zh_rows)
    # The same rows; those listed by name (categories: Hardware..., 硬件...) are in the order of their language.
    assert sorted(chinese) == sorted(english) and len(chinese) == len(english) and sum(map(len, english)) > 50
    training = [numbers([r])[0] for rows, name in ((en_rows, "Training"), (zh_rows, "培训")) for r in rows if name in r]
    assert len(training) == 2 and training[0] == training[1] and training[0]  # the same category, by its name
