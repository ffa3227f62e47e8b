"""The printable weekly report (sales_tools.reports) and the master's Weekly report sheet."""

from week_2024_w14 import inputs

from sales_tools.schema import TABLES


def test_the_printable_report_and_the_masters_sheet(tmp_path):
    from openpyxl import load_workbook

    from sales_tools.excel.builder import build_master
    from sales_tools.excel.reader import read_tables
    from sales_tools.reports import write_weekly_report

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
    assert headers == [c.header for c in TABLES["weekly_report"].columns if c.name != "week"]
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
