"""Management reports as printable workbooks (landscape A4; `--pdf` renders them through
LibreOffice headless): the weekly report, also stored on the master's Weekly report sheet,
and the Target variance."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from sales_tools.core.frames import label_blanks
from sales_tools.core.settings import read_settings
from sales_tools.core.weekly import TEAM_ID, escalations, week_start
from sales_tools.excel import styles
from sales_tools.excel.master_file import MasterFile
from sales_tools.excel.report_sheets import page_setup, write_printed_table
from sales_tools.excel.save import atomic_save
from sales_tools.excel.values import put
from sales_tools.master import store_weekly_report, variance_report
from sales_tools.safe_text import file_names, sheet_title
from sales_tools.schema import TABLES
from sales_tools.schema.computed import ESCALATIONS


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
        forms = {name: master.read(name) for name in ("market_reports", "complaints", "customers")}
    escalated = escalations(forms, report["week"].iloc[0], setting["complaint_escalation_days"])
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (name,) = file_names([f"weekly_report_{report['week'].iloc[0]}"], ".xlsx")
    path = atomic_save(weekly_workbook(report, setting, escalated), out_dir / name)
    paths = [path]
    if pdf:
        from sales_tools.libreoffice import convert

        paths += convert([path], to="pdf", outdir=out_dir)
    return report, paths


def weekly_workbook(report: pd.DataFrame, setting: dict[str, str], escalated: pd.DataFrame | None = None) -> Workbook:
    """The printable weekly report: title, the table with traffic lights on attainment, then the
    escalation list (`core.weekly.escalations`) when given; landscape A4."""
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
    end = write_printed_table(ws, shown_weekly(report), "weekly_report", 4, columns)
    for cell in ws[end - 1]:  # the team row
        cell.font = styles.LABEL_FONT
    letter = chr(ord("A") + columns.index("attainment"))
    styles.traffic_lights(ws, f"{letter}5:{letter}{end - 1}")
    styles.set_widths(ws, [TABLES["weekly_report"].column(c).width for c in columns])
    ws.freeze_panes = "C5"
    page_setup(ws, f"Weekly report {week}", setting["company"], title_row=4, portrait=False)
    if escalated is not None:
        _escalation_list(ws, escalated, end + 1, setting["complaint_escalation_days"])
    return wb


def _escalation_list(ws, escalated: pd.DataFrame, first_row: int, days: int) -> None:
    """The escalation list from `first_row`: a heading, then its table (or "None")."""
    heading = f"Escalations: competitor moves of the week, complaints open more than {days} days"
    put(ws, first_row, 1, heading).font = styles.LABEL_FONT
    if escalated.empty:
        put(ws, first_row + 1, 1, "None")
        return
    for j, col in enumerate(ESCALATIONS.columns, 1):
        put(ws, first_row + 1, j, col.header)
    styles.style_header(ws, first_row + 1, 1, len(ESCALATIONS.columns))
    for i, values in enumerate(escalated[ESCALATIONS.names].itertuples(index=False), first_row + 2):
        for j, (col, value) in enumerate(zip(ESCALATIONS.columns, values), 1):
            cell = put(ws, i, j, None if pd.isna(value) else value)
            cell.number_format, cell.border = col.number_format, styles.BOX


def shown_weekly(report: pd.DataFrame) -> pd.DataFrame:
    """The weekly report as printed: a rep's blank target (or next week's) says "no target"."""
    return label_blanks(report, ["target", "next_week_target"], rows=report["rep_id"] != TEAM_ID)


def shown_variance(wide: pd.DataFrame) -> pd.DataFrame:
    """The variance layout as printed: a blank target says "no target"."""
    return label_blanks(wide, [c for c in wide.columns if c[1] == "target"])


def write_variance_report(
    master_path, level: str, period_type: str, year: int | None, out_dir, pdf: bool = False
) -> tuple[int, pd.DataFrame, list[Path]]:
    """ERPNext's Target Variance layout of the master (`master.variance_report`) as a printable workbook.

    Returns:
        The year, the layout and the paths written (``target_variance_<level>_<year>.xlsx``,
        then the .pdf if asked).
    """
    master = MasterFile(master_path)
    year, wide = variance_report(master, level, period_type, year)
    setting = read_settings(master.read("settings"))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (name,) = file_names([f"target_variance_{level}_{period_type}_{year}"], ".xlsx")
    paths = [atomic_save(variance_workbook(wide, level, year, setting), out_dir / name)]
    if pdf:
        from sales_tools.libreoffice import convert

        paths += convert(paths, to="pdf", outdir=out_dir)
    return year, wide, paths


def variance_workbook(wide: pd.DataFrame, level: str, year: int, setting: dict[str, str]) -> Workbook:
    """The printable Target variance: a period's target, actual and variance under its name, the
    Total row bold, negative variances red; landscape A4, as wide as the page."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(f"Variance {year}")
    styles.title(ws, f"Target variance by {level}, {year}", f"{setting['company']} · {setting['currency']}")
    put(ws, 5, 1, level.capitalize())
    periods = list(dict.fromkeys(wide.columns.get_level_values(0)))
    for k, period in enumerate(periods):
        col = 2 + 3 * k
        put(ws, 4, col, "Year" if period == "Total" else period)
        ws.merge_cells(start_row=4, start_column=col, end_row=4, end_column=col + 2)
        for j, what in enumerate(("Target", "Actual", "Variance")):
            put(ws, 5, col + j, what)
    styles.style_header(ws, 4, 1, 1 + 3 * len(periods))
    styles.style_header(ws, 5, 1, 1 + 3 * len(periods))
    for i, (key, values) in enumerate(zip(wide.index, shown_variance(wide).to_numpy().tolist()), start=6):
        put(ws, i, 1, key)
        for j, value in enumerate(values, start=2):
            cell = put(ws, i, j, value)
            cell.number_format, cell.border = "#,##0.00;[Red]-#,##0.00", styles.BOX
        if key == "Total":
            for cell in ws[i]:
                cell.font = styles.LABEL_FONT
    styles.set_widths(ws, [18] + [13] * 3 * len(periods))
    ws.freeze_panes = "B6"
    page_setup(ws, f"Target variance by {level}, {year}", setting["company"], title_row=5, portrait=False)
    ws.print_title_rows = "4:5"
    return wb
