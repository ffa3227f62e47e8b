"""The weekly management report: stored on the master's Weekly report sheet and as a
printable workbook (landscape A4; `--pdf` renders it through LibreOffice headless)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from sales_tools.core.settings import read_settings
from sales_tools.core.weekly import week_start
from sales_tools.excel import styles
from sales_tools.excel.master_file import MasterFile
from sales_tools.excel.report_sheets import page_setup, write_printed_table
from sales_tools.excel.save import atomic_save
from sales_tools.master import store_weekly_report
from sales_tools.safe_text import file_names, sheet_title
from sales_tools.schema import TABLES


def write_weekly_report(master_path, week: str, out_dir, pdf: bool = False) -> tuple[pd.DataFrame, list[Path]]:
    """Compute the weekly report for `week`, store it in the master and write a printable copy.

    Args:
        master_path: the master workbook; its Weekly report sheet is replaced.
        week: the ISO week, e.g. "2024-W12".
        out_dir: folder for ``weekly_report_<week>.xlsx`` (and ``.pdf``).
        pdf: also render the printable copy to PDF through LibreOffice.

    Returns:
        The report frame and the paths written (the .xlsx, then the .pdf if asked).
    """
    master = MasterFile(master_path)
    with master.writing("weekly report"):  # the settings and the stored report from one version of the master
        setting = read_settings(master.read("settings"))
        report = store_weekly_report(master, week)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (name,) = file_names([f"weekly_report_{report['week'].iloc[0]}"], ".xlsx")
    path = atomic_save(weekly_workbook(report, setting), out_dir / name)
    paths = [path]
    if pdf:
        from sales_tools.libreoffice import convert

        paths += convert([path], to="pdf", outdir=out_dir)
    return report, paths


def weekly_workbook(report: pd.DataFrame, setting: dict[str, str]) -> Workbook:
    """The printable weekly report: title, the table with traffic lights on attainment, landscape A4."""
    wb = Workbook()
    ws = wb.active
    week = report["week"].iloc[0]
    monday = week_start(week)
    ws.title = sheet_title(f"Week {week}")
    styles.title(
        ws,
        f"Weekly report {week}",
        f"{setting['company']} · {monday:%d %b} – {monday + pd.Timedelta(days=6):%d %b %Y} · {setting['currency']}",
    )
    columns = [c for c in TABLES["weekly_report"].names if c != "week"]
    end = write_printed_table(ws, report, "weekly_report", 4, columns)
    for cell in ws[end - 1]:  # the team row
        cell.font = styles.LABEL_FONT
    letter = chr(ord("A") + columns.index("attainment"))
    styles.traffic_lights(ws, f"{letter}5:{letter}{end - 1}")
    styles.set_widths(ws, [TABLES["weekly_report"].column(c).width for c in columns])
    ws.freeze_panes = "C5"
    page_setup(ws, f"Weekly report {week}", setting["company"], title_row=4, portrait=False)
    return wb
