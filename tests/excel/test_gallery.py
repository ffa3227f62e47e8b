"""The gallery: every file the product writes, rendered by LibreOffice as it prints.

One fixture writes the demo master, the December 2024 statements, the weekly report of
2024-W51, the blank template and the filled rep templates with the `sales-tools`
commands, and converts them to PDF in ONE soffice call (the master with only its
Dashboard, Settings and Leaderboard shown: its long input and computed tables print
hundreds of pages of data, counted in docs/gallery.md).  Then: page counts within
stated bounds, no text cell cut off or overlapping (`excel.fit_check`), and the printed
text holds the labels and the numbers computed here from the master's sheets.
"""

import shutil
import subprocess

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from sales_tools.cli import cli
from sales_tools.excel.fit_check import misfits
from sales_tools.excel.templates import build_blank_template
from sales_tools.libreoffice import convert, only_sheets

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"),
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"),
]
MASTER_SHOWN = ["Dashboard", "Settings", "Leaderboard"]


def _cli(*args):
    done = CliRunner().invoke(cli, [str(a) for a in args], prog_name="sales-tools")
    assert done.exit_code == 0, done.output
    return done


@pytest.fixture(scope="module")
def gallery(tmp_path_factory):
    """The workbooks and, for each, its PDF's pages as text."""
    tmp = tmp_path_factory.mktemp("gallery")
    _cli("demo", "--out", tmp)
    master = tmp / "master.xlsx"
    _cli("statements", master, "--period", "2024-12", "--out", tmp / "st")
    _cli("report", "weekly", master, "--week", "2024-W51", "--out", tmp / "rep")
    _cli("templates", master, "--period", "2024-12", "--out", tmp / "tpl")
    books = {
        "master": only_sheets(master, MASTER_SHOWN, tmp / "shown.xlsx"),
        "statement": tmp / "st" / "statement_2024-12_R01.xlsx",
        "weekly": tmp / "rep" / "weekly_report_2024-W51.xlsx",
        "blank": build_blank_template(tmp / "blank.xlsx"),
        "template": tmp / "tpl" / "R01_2024-12.xlsx",
    }
    pdfs = convert(list(books.values()), "pdf", tmp / "pdf", timeout=600)
    pages = {
        name: subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
        .stdout.rstrip("\f")
        .split("\f")
        for name, pdf in zip(books, pdfs)
    }
    return {"books": books, "pages": pages, "master": master}


def _sheet_pages(pages: list[str], labels: list[str]) -> dict[str, int]:
    """Pages per sheet, by what the header prints at the top of each page (the sheet's name or title)."""
    counts = dict.fromkeys(labels, 0)
    for page in pages:
        top = " ".join(page.strip("\n").splitlines()[:2])
        counts[max((s for s in labels if s in top), key=len)] += 1
    return counts


def _flat(page: str) -> str:
    return " ".join(page.split())


def _visible(path) -> list[str]:
    return [ws.title for ws in load_workbook(path, read_only=True).worksheets if ws.sheet_state == "visible"]


def test_every_page_says_page_n_of_m(gallery):
    for name, pages in gallery["pages"].items():
        for k, page in enumerate(pages, start=1):
            assert f"Page {k} of {len(pages)}" in page, (name, k)


def test_page_counts(gallery):
    pages = gallery["pages"]
    # the master as shown: the Dashboard, 30 settings and 12 reps on one page each
    assert _sheet_pages(pages["master"], MASTER_SHOWN) == {"Dashboard": 1, "Settings": 1, "Leaderboard": 1}
    # a statement: the summary page, then the commission lines (R01 has 30 in December: one more page)
    assert len(pages["statement"]) == 2
    # the blank template: one page per visible sheet (10: Lists is hidden)
    blank = _visible(gallery["books"]["blank"])
    assert len(blank) == 10 and _sheet_pages(pages["blank"], blank) == dict.fromkeys(blank, 1)
    # the filled template: the same, My customers (R01's customers, one line each) may take two
    filled = _visible(gallery["books"]["template"])
    counts = _sheet_pages(pages["template"], filled)
    assert counts.pop("My customers") in (1, 2) and counts == dict.fromkeys(counts, 1)
    # the weekly report: one page per sheet, but the Week sheet (12 reps, each with up to 6 lines of
    # abnormal and overdue customers) may take up to 3
    titles = [ws["A1"].value for ws in load_workbook(gallery["books"]["weekly"]).worksheets]
    counts = _sheet_pages(pages["weekly"], titles)
    assert 1 <= counts.pop(titles[0]) <= 3 and counts == dict.fromkeys(counts, 1)


def test_no_text_is_cut_off_or_overlaps(gallery):
    found = []
    for name, path in gallery["books"].items():
        wb = load_workbook(gallery["master"] if name == "master" else path)
        found += [f"{name}: {m}" for ws in wb.worksheets if ws.sheet_state == "visible" for m in misfits(ws)]
    assert found == []


def test_the_statement_prints_the_commission_summary_total(gallery):
    summary = pd.read_excel(gallery["master"], sheet_name="Commission summary", engine="calamine")
    row = summary[(summary["Rep ID"] == "R01") & (pd.to_datetime(summary["Period"]) == "2024-12-01")]
    total = f"{row['Total'].iloc[0]:,.2f}"  # e.g. 4,163.46
    text = _flat(" ".join(gallery["pages"]["statement"]))
    assert f"Total for December 2024 {total}" in text and f"Total {total}" in text
    assert "Commission statement — Alice Chen (R01)" in text and "Approved by (manager)" in text


def test_the_dashboard_prints_the_year_s_figures(gallery):
    summary = pd.read_excel(gallery["master"], sheet_name="Commission summary", engine="calamine")
    in_2024 = pd.to_datetime(summary["Period"]).dt.year == 2024
    commission = f"{summary.loc[in_2024, 'Total'].round(2).sum():,.2f}"  # a total is the sum of its rounded lines
    board = pd.read_excel(gallery["master"], sheet_name="Leaderboard", engine="calamine")
    champion = board.loc[board["Rank"] == 1, "Name"].iloc[0]
    (page,) = [p for p in gallery["pages"]["master"] if "Sales dashboard" in p]
    text = _flat(page)
    assert commission in text and champion in text
    for label in ("Team sales (net)", "Attainment by rep", "Monthly sales against target", "Customer tier mix"):
        assert label in text


def test_the_weekly_report_prints_each_rep_s_sales(gallery):
    week = pd.read_excel(gallery["master"], sheet_name="Weekly report", engine="calamine")
    week = week[week["Week"] == "2024-W51"]
    orders = pd.read_excel(gallery["master"], sheet_name="Orders", engine="calamine")
    in_week = pd.to_datetime(orders["Order date"]).between("2024-12-16", "2024-12-22")
    text = _flat(" ".join(gallery["pages"]["weekly"]))
    for rep in week[week["Rep ID"] != "TEAM"].itertuples():
        assert f"{rep.Name} {rep.Target:,.2f} {rep.Sales:,.2f}" in text, rep.Name
    # R01's sales from the Orders and Returns sheets: orders dated in the week minus returns dated in it
    returns = pd.read_excel(gallery["master"], sheet_name="Returns", engine="calamine")
    returned = returns[pd.to_datetime(returns["Return date"]).between("2024-12-16", "2024-12-22")]
    r01 = orders[orders["Rep ID"] == "R01"]
    net = r01.loc[in_week, "Amount"].sum() - returned.merge(r01, on=["Order ID", "Line"])["Amount_x"].sum()
    target = week.loc[week["Rep ID"] == "R01", "Target"].iloc[0]
    assert f"Alice Chen {target:,.2f} {net:,.2f}" in text
    assert "Weekly report 2024-W51" in text and "Abnormal customers" in text


def test_the_templates_print_their_instructions_and_the_rep(gallery):
    blank = _flat(" ".join(gallery["pages"]["blank"]))
    assert "Rep, period not set" in blank
    filled = _flat(" ".join(gallery["pages"]["template"]))
    assert "Alice Chen" in filled and "2024-12-01 to 2024-12-31" in filled
