"""Printable reports: the weekly management report, and the sheet-drawing helpers statements share.

A printable report is a small workbook laid out for paper: a title, blocks of
labelled figures, tables with the schema's number formats, A4 page setup with print
titles and a header/footer.  `--pdf` renders them through LibreOffice headless.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from sales_tools.core.weekly import week_start, weekly_report
from sales_tools.excel import styles
from sales_tools.excel.save import atomic_save
from sales_tools.excel.sheets import as_text_if_formula, cell_value
from sales_tools.core.settings import read_settings
from sales_tools.schema import INPUT_TABLES, TABLES, TYPES

WRAP = Alignment(wrap_text=True, vertical="top")


def write_table(ws: Worksheet, frame: pd.DataFrame, table: str, first_row: int, columns: list[str] | None = None) -> int:
    """Write `frame` as a header row and rows of schema table `table`, from `first_row`.

    Headers and number formats come from the schema.  Returns the row after the last one written.
    """
    cols = [TABLES[table].column(name) for name in (columns or TABLES[table].names)]
    for j, col in enumerate(cols, 1):
        ws.cell(first_row, j, col.header)
    styles.style_header(ws, first_row, 1, len(cols))
    for i, values in enumerate(frame[[c.name for c in cols]].itertuples(index=False), first_row + 1):
        for j, (col, value) in enumerate(zip(cols, values), 1):
            cell = as_text_if_formula(ws.cell(i, j, cell_value(value)))
            cell.number_format, cell.border = col.number_format, styles.BOX
            if col.type == "text":
                cell.alignment = WRAP
    return first_row + 1 + len(frame)


def write_figures(ws: Worksheet, first_row: int, heading: str, figures: list[tuple[str, object, str]]) -> int:
    """A heading and (label, value, type) lines in columns A:B.  Returns the next free row."""
    ws.cell(first_row, 1, heading).font = styles.LABEL_FONT
    for i, (label, value, kind) in enumerate(figures, first_row + 1):
        ws.cell(i, 1, label)
        cell = ws.cell(i, 2, cell_value(value))
        cell.number_format, cell.border = TYPES[kind], styles.BOX
    return first_row + len(figures) + 2


def page_setup(ws: Worksheet, header: str, footer: str, title_row: int, portrait: bool) -> None:
    """A4 fitted to the page width, the table header repeated on every page, header and footer."""
    styles.print_setup(ws, title_rows=f"{title_row}:{title_row}")
    ws.page_setup.orientation = "portrait" if portrait else "landscape"
    ws.oddHeader.center.text = header
    ws.oddFooter.left.text = footer
    ws.oddFooter.right.text = "Page &P of &N"


def settings(inputs: dict[str, pd.DataFrame]) -> dict[str, object]:
    """The Settings sheet, typed, with the schema defaults for blanks."""
    return read_settings(inputs.get("settings"))


def read_inputs(master_path) -> dict[str, pd.DataFrame]:
    """The input tables of the master workbook."""
    from sales_tools.excel.reader import read_tables

    return read_tables(master_path, names=[t.name for t in INPUT_TABLES])


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
    from sales_tools.excel.builder import write_computed

    inputs = read_inputs(master_path)
    report = weekly_report(inputs, week)
    write_computed(master_path, {"weekly_report": report})
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = atomic_save(weekly_workbook(report, settings(inputs)), out_dir / f"weekly_report_{report['week'].iloc[0]}.xlsx")
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
    ws.title = f"Week {week}"
    styles.title(ws, f"Weekly report {week}", f"{setting['company']} · {monday:%d %b} – {monday + pd.Timedelta(days=6):%d %b %Y} · {setting['currency']}")
    columns = [c for c in TABLES["weekly_report"].names if c != "week"]
    end = write_table(ws, report, "weekly_report", 4, columns)
    for cell in ws[end - 1]:  # the team row
        cell.font = styles.LABEL_FONT
    letter = chr(ord("A") + columns.index("attainment"))
    styles.traffic_lights(ws, f"{letter}5:{letter}{end - 1}")
    styles.set_widths(ws, [TABLES["weekly_report"].column(c).width for c in columns])
    ws.freeze_panes = "C5"
    page_setup(ws, f"Weekly report {week}", setting["company"], title_row=4, portrait=False)
    return wb
