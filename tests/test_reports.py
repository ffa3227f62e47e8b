"""The printable weekly report (sales_tools.reports) and the master's Weekly report sheet."""

import math
import shutil
import subprocess

import pytest
from week_2024_w14 import inputs

from sales_tools.schema import TABLES


def test_the_printable_report_and_the_masters_sheet(tmp_path):
    from openpyxl import load_workbook

    from sales_tools.excel.builder import build_master
    from sales_tools.excel.reader import read_tables
    from sales_tools.reports import WEEKLY_SALES, write_weekly_report

    master = build_master(tmp_path / "master.xlsx", inputs())
    report, paths = write_weekly_report(master, "2024-W14", tmp_path / "out")
    assert [p.name for p in paths] == ["weekly_report_2024-W14.xlsx"]
    stored = read_tables(master, ["weekly_report"])["weekly_report"].reset_index(drop=True)
    assert stored["rep_id"].tolist() == ["R1", "R2", "TEAM"]
    assert stored["sales"].tolist() == [1300.0, 300.0, 800.0]
    assert stored["abnormal_customers"].fillna("").tolist() == ["", "C4 Customer 4 -100%; C5 Customer 5 -60%", ""]
    ws = load_workbook(paths[0]).active
    assert ws["A1"].value == "Weekly report 2024-W14"
    assert ws["A2"].value == "Example Trading Co. · 01 Apr – 07 Apr 2024 · USD"
    headers = [c.value for c in ws[4]]
    assert headers == [TABLES["weekly_report"].column(c).header for c in WEEKLY_SALES]
    assert [ws.cell(r, 1).value for r in (5, 6, 7)] == ["R1", "R2", "TEAM"]
    assert ws.cell(5, headers.index("Sales") + 1).value == 1300.0
    assert ws.cell(5, headers.index("Attainment") + 1).number_format == "0.0%"
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$4:$4"


def test_the_printable_report_writes_names_and_the_company_as_clean_text(tmp_path):
    from openpyxl import load_workbook

    from sales_tools.core.weekly import weekly_report
    from sales_tools.reports import weekly_workbook

    tables = inputs()
    tables["reps"]["name"] = ["=1+2\x07", '=HYPERLINK("http://evil","x")']  # R2, R1
    report = weekly_report(tables, "2024-W14")
    weekly_workbook(report, {"company": "@SUM(1) & Co\x00", "currency": "USD"}).save(tmp_path / "w.xlsx")
    ws = load_workbook(tmp_path / "w.xlsx").active
    assert (ws["A2"].value, ws["A2"].data_type) == ("@SUM(1) & Co\ufffd · 01 Apr – 07 Apr 2024 · USD", "s")
    names = [(ws.cell(r, 2).value, ws.cell(r, 2).data_type) for r in (5, 6)]
    assert names == [('=HYPERLINK("http://evil","x")', "s"), ("=1+2\ufffd", "s")]  # R1, R2
    assert [c for row in ws.iter_rows() for c in row if c.data_type in ("f", "e")] == []  # no formula, no error
    assert ws.oddFooter.left.text == "@SUM(1) && Co\ufffd"


def test_a_rep_without_a_target_in_the_week_reads_no_target_on_paper(tmp_path):
    from openpyxl import load_workbook

    from sales_tools.excel.builder import build_master
    from sales_tools.reports import write_weekly_report

    tables = inputs()
    tables["targets"] = tables["targets"][tables["targets"]["rep_id"] != "R2"]  # R2's only row, 60,000
    master = build_master(tmp_path / "master.xlsx", tables)
    _, (path,) = write_weekly_report(master, "2024-W14", tmp_path / "out")
    ws = load_workbook(path).active
    headers = [c.value for c in ws[4]]
    row = {h: c.value for h, c in zip(headers, ws[6])}
    assert (row["Rep ID"], row["Target"], row["Next week target"]) == ("R2", "no target", "no target")
    assert ws.cell(5, headers.index("Target") + 1).value != "no target"  # R1 has one


def week_with_plans_and_moves():
    """The week 2024-W14 with next week's plans, a long competitor move and long customer names."""
    from week_2024_w14 import T, frame

    tables = inputs()
    tables["customers"]["name"] = [f"Customer {i} 上海远东五金机电贸易有限公司 Wholesale Division" for i in range(1, 8)]
    act = tables["activities"].astype({"competitor_info": object})
    act.loc[1, "competitor_info"] = "竞争者 Rival Co cut list prices by 5% and offers 60-day terms to our dealers. " * 4
    tables["activities"] = act
    tables["visit_plans"] = frame(
        "visit_plans",
        [(T(f"2024-04-{d:02d}"), "R1", f"C{c}", None, None, "Service") for d, c in ((8, 2), (9, 1), (10, 3))],
    )
    return tables


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None, reason="needs LibreOffice")
def test_the_weekly_pdf_names_customers_and_no_text_outgrows_its_row(tmp_path):
    from openpyxl import load_workbook

    from sales_tools.excel.builder import build_master
    from sales_tools.reports import write_weekly_report

    master = build_master(tmp_path / "master.xlsx", week_with_plans_and_moves())
    _, (xlsx, pdf) = write_weekly_report(master, "2024-W14", tmp_path / "out", pdf=True)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    for wanted in ("Customers planned next week", "Competitor moves, 2024-W14", "Rival Co cut list prices",
                   "Wholesale", "C2 Customer 2", "C4 Customer 4"):  # fmt: skip
        assert wanted in flat, wanted
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["Week 2024-W14", "Reports 2024-W14", "Competitors 2024-W14", "Escalations 2024-W14"]
    checked = 0
    for ws in wb:
        for row in ws.iter_rows(min_row=4):
            for cell in row:
                if not isinstance(cell.value, str) or not cell.alignment.wrap_text:
                    continue
                # n lines of (column width - 2) characters hold at most n * per_line + (n - 1) characters (the
                # space at each break is not printed): n >= (chars + 1) / (per_line + 1); 15 points a line, wide
                # characters twice
                width = ws.column_dimensions[cell.column_letter].width
                chars = sum(2 if "\u4e00" <= ch <= "\u9fff" else 1 for ch in cell.value)
                needed = math.ceil((chars + 1) / (int(width) - 1)) * 15
                height = ws.row_dimensions[cell.row].height or 15
                assert height >= needed, (ws.title, cell.coordinate, height, needed)
                checked += 1
    assert checked > 20
    # the competitor move: 4 x 75 characters, 3 of them wide (counting 2), less the last space = 311 digit
    # widths, in the widest column a sheet gets (80: 78 a line): ceil(311 / 78) = 4 lines
    moves = wb["Competitors 2024-W14"]
    assert moves.column_dimensions["D"].width == 80
    assert moves["D5"].value.startswith("竞争者") and moves.row_dimensions[5].height >= 4 * 15
