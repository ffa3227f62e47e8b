"""Management reports as printable workbooks (landscape A4; `--pdf` renders them through
LibreOffice headless): the weekly report, also stored on the master's Weekly report sheet,
and the Target variance."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment

from sales_tools.core.frames import label_blanks
from sales_tools.core.settings import read_settings
from sales_tools.core.weekly import TEAM_ID, competitor_moves, escalations, week_start
from sales_tools.excel import styles
from sales_tools.excel.master_file import MasterFile
from sales_tools.excel.report_sheets import page_setup, write_printed_table
from sales_tools.excel.row_heights import fit_rows
from sales_tools.excel.save import atomic_save
from sales_tools.excel.sheets import widths
from sales_tools.excel.values import put
from sales_tools.master import store_weekly_report, variance_report
from sales_tools.safe_text import file_names, sheet_title
from sales_tools.schema import SETTINGS, TABLES
from sales_tools.schema.choices import LEVELS
from sales_tools.schema.computed import COMPETITOR_MOVES, ESCALATIONS
from sales_tools.schema.language import phrase, tr
from sales_tools.tables import read_inputs

TOP = Alignment(vertical="top")
# The printable weekly report's sheets: the week's figures, then the reports, sign-off and next week's plan.
WEEKLY_SALES = ["rep_id", "name", "target", "sales", "attainment", "new_customers", "collections",
                "effective_visit_rate", "closing_rate", "abnormal_customers", "next_week_target"]  # fmt: skip
WEEKLY_REPORTS = ["rep_id", "name", "reports_due", "reports_filed", "reports_on_time", "plans_unapproved",
                  "reports_unapproved", "next_week_plans", "next_week_customers"]  # fmt: skip


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
        inputs = read_inputs(master)
        moves = competitor_moves(inputs, report["week"].iloc[0])
    escalated = escalations(inputs, report["week"].iloc[0], setting["complaint_escalation_days"])
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (name,) = file_names([f"{tr('weekly_report')}_{report['week'].iloc[0]}"], ".xlsx")
    path = atomic_save(weekly_workbook(report, setting, moves, escalated), out_dir / name)
    paths = [path]
    if pdf:
        from sales_tools.libreoffice import convert

        paths += convert([path], to="pdf", outdir=out_dir)
    return report, paths


def weekly_workbook(
    report: pd.DataFrame, setting: dict, moves: pd.DataFrame | None = None, escalated: pd.DataFrame | None = None
) -> Workbook:
    """The printable weekly report, landscape A4, one sheet per part: the week's sales (traffic
    lights on attainment), the reports filed, sign-off and next week's plan, the competitor
    moves of the daily reports (`core.weekly.competitor_moves`) and the escalation list
    (`core.weekly.escalations`); rows as tall as their wrapped text."""
    wb = Workbook()
    week = report["week"].iloc[0]
    monday = week_start(week)
    dates = tr("{start:%d %b} – {end:%d %b %Y}").format(start=monday, end=monday + pd.Timedelta(days=6))
    shown = shown_weekly(report)
    sales = _weekly_sheet(wb.active, tr("Week {week}").format(week=week), tr("Weekly report {week}").format(week=week),
                          f"{setting['company']} · {dates} · {setting['currency']}", shown, "weekly_report",
                          WEEKLY_SALES, setting)  # fmt: skip
    letter = chr(ord("A") + WEEKLY_SALES.index("attainment"))
    styles.traffic_lights(sales, f"{letter}5:{letter}{sales.max_row}")
    _weekly_sheet(wb.create_sheet(), tr("Reports {week}").format(week=week),
                  tr("Reports and next week's plan, {week}").format(week=week),
                  tr("{company} · {dates} · reports due, filed and on time; rows not approved; visits planned next "
                     "week").format(company=setting["company"], dates=dates),
                  shown, "weekly_report", WEEKLY_REPORTS, setting)  # fmt: skip
    moves = pd.DataFrame(columns=COMPETITOR_MOVES.names) if moves is None else moves
    _weekly_sheet(wb.create_sheet(), tr("Competitors {week}").format(week=week),
                  tr("Competitor moves, {week}").format(week=week),
                  tr("{company} · {dates} · {count} move(s) reported on the daily reports").format(
                      company=setting["company"], dates=dates, count=len(moves)),
                  moves, COMPETITOR_MOVES, COMPETITOR_MOVES.names, setting)  # fmt: skip
    escalated = pd.DataFrame(columns=ESCALATIONS.names) if escalated is None else escalated
    days = setting.get("complaint_escalation_days", SETTINGS["complaint_escalation_days"][0])
    _weekly_sheet(wb.create_sheet(), tr("Escalations {week}").format(week=week),
                  tr("Escalations: competitor moves of the week, complaints open more than {days} days").format(
                      days=days),
                  tr("{company} · {dates} · the {moves} and {complaints} sheets").format(
                      company=setting["company"], dates=dates, moves=TABLES["market_reports"].sheet,
                      complaints=TABLES["complaints"].sheet),
                  escalated, ESCALATIONS, ESCALATIONS.names, setting)  # fmt: skip
    return wb


def _weekly_sheet(ws, title, heading, subtitle, frame, table, columns, setting):
    """One sheet of the weekly report: title, the table from row 4 (the team row bold), widths, row heights."""
    ws.title = sheet_title(title)
    styles.title(ws, heading, subtitle)
    end = write_printed_table(ws, frame, table, 4, columns)
    spec = TABLES[table] if isinstance(table, str) else table
    if "rep_id" in frame and len(frame) and frame["rep_id"].iloc[-1] == TEAM_ID:
        for cell in ws[end - 1]:
            cell.font = styles.LABEL_FONT
    for row in ws.iter_rows(min_row=5, max_row=end - 1):  # figures at the top, level with wrapped text
        for cell in row:
            if not cell.alignment.wrap_text:
                cell.alignment = TOP
    fitted = dict(zip(spec.names, widths(spec, frame.reindex(columns=spec.names))))  # to headers and values
    styles.set_widths(ws, [fitted[c] for c in columns])
    fit_rows(ws, 4, end - 1)
    ws.freeze_panes = "C5" if columns[:2] == ["rep_id", "name"] else "A5"
    page_setup(ws, heading, setting["company"], title_row=4, portrait=False)
    return ws


def shown_weekly(report: pd.DataFrame) -> pd.DataFrame:
    """The weekly report as printed: a rep's blank target (or next week's) says "no target"."""
    return label_blanks(report, ["target", "next_week_target"], tr("no target"), rows=report["rep_id"] != TEAM_ID)


def shown_variance(wide: pd.DataFrame) -> pd.DataFrame:
    """The variance layout as printed: a blank target says "no target"."""
    return label_blanks(wide, [c for c in wide.columns if c[1] == "target"], tr("no target"))


def write_variance_report(
    master_path, level: str, period_type: str, year: int | None, out_dir, pdf: bool = False, measure: str = "revenue"
) -> tuple[int, pd.DataFrame, list[Path]]:
    """ERPNext's Target Variance layout of the master (`master.variance_report`) as a printable workbook.

    Returns:
        The year, the layout and the paths written (``target_variance_<level>_<period>_<year>.xlsx``,
        ``..._<measure>.xlsx`` for a measure other than revenue, then the .pdf if asked).
    """
    master = MasterFile(master_path)
    year, wide = variance_report(master, level, period_type, year, measure)
    setting = read_settings(master.read("settings"))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    suffix = "" if measure == "revenue" else f"_{tr(measure)}"
    (name,) = file_names([f"{tr('target_variance')}_{phrase(level, LEVELS)}_{tr(period_type)}_{year}{suffix}"], ".xlsx")
    paths = [atomic_save(variance_workbook(wide, level, year, setting, measure), out_dir / name)]
    if pdf:
        from sales_tools.libreoffice import convert

        paths += convert(paths, to="pdf", outdir=out_dir)
    return year, wide, paths


def variance_title(level: str, year: int, measure: str = "revenue") -> str:
    """'Target variance by rep, 2024', with the measure when it is not revenue: '... (margin)'."""
    title = tr("Target variance by {level}, {year}").format(level=_level_text(level), year=year)
    return title + ("" if measure == "revenue" else tr(" ({measure})").format(measure=tr(measure)))


def _level_text(level: str) -> str:
    """A variance level as a person reads it: "rep", "rep+category" (each part in the current language)."""
    return "+".join(tr(part) for part in level.split("+"))


def variance_workbook(
    wide: pd.DataFrame, level: str, year: int, setting: dict[str, str], measure: str = "revenue"
) -> Workbook:
    """The printable Target variance: a period's target, actual and variance under its name, the
    Total row bold, negative variances red; landscape A4, as wide as the page."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(tr("Variance {year}").format(year=year))
    title = variance_title(level, year, measure)
    unit = tr("units") if measure == "quantity" else setting["currency"]
    styles.title(ws, title, f"{setting['company']} · {unit}")
    put(ws, 5, 1, _level_text(level).capitalize())
    periods = list(dict.fromkeys(wide.columns.get_level_values(0)))
    for k, period in enumerate(periods):
        col = 2 + 3 * k
        put(ws, 4, col, tr("Year") if period == "Total" else period)
        ws.merge_cells(start_row=4, start_column=col, end_row=4, end_column=col + 2)
        for j, what in enumerate((tr("Target"), tr("Actual"), tr("Variance"))):
            put(ws, 5, col + j, what)
    styles.style_header(ws, 4, 1, 1 + 3 * len(periods))
    styles.style_header(ws, 5, 1, 1 + 3 * len(periods))
    for i, (key, values) in enumerate(zip(wide.index, shown_variance(wide).to_numpy().tolist()), start=6):
        put(ws, i, 1, tr("Total") if key == "Total" else key)
        for j, value in enumerate(values, start=2):
            cell = put(ws, i, j, value)
            cell.number_format, cell.border = "#,##0.00;[Red]-#,##0.00", styles.BOX
        if key == "Total":
            for cell in ws[i]:
                cell.font = styles.LABEL_FONT
    styles.set_widths(ws, [18] + [13] * 3 * len(periods))
    ws.freeze_panes = "B6"
    page_setup(ws, title, setting["company"], title_row=5, portrait=False)
    ws.print_title_rows = "4:5"
    return wb
