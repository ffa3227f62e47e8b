"""Commission statements: one printable workbook per rep per month.

A statement shows the rep's target, actual, attainment and pacing for the month and
the year to date (revenue, then a block per other measure the rep has targets of,
e.g. margin: what a margin plan's gate and bonus use); every commission line with its order, basis, rule and rate
(clawbacks and bonuses included, as the commission engine writes them); the summary
by kind; and the total.  A rep on a plan paid on margin also gets each order line's
quantity, amount, unit cost and margin (amount - quantity x unit cost), to redo the
bases.  The total is the sum of the rounded lines, so the statement
adds up to the cent; it must equal the rep's total on the Commission summary.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

from sales_tools.core.money import round_cents
from sales_tools.core.plans import parse_plans
from sales_tools.core.refresh import refresh
from sales_tools.core.settings import read_settings
from sales_tools.core.targets import REVENUE, measure_of
from sales_tools.errors import InputError
from sales_tools.excel import styles
from sales_tools.excel.report_sheets import page_setup, write_figures, write_printed_table
from sales_tools.excel.save import atomic_save
from sales_tools.excel.values import put
from sales_tools.safe_text import file_names, sheet_title
from sales_tools.tables import TableSource, read_inputs

LINE_COLUMNS = ["order_id", "line", "category", "basis", "rule", "rate", "amount"]


def parse_period(period) -> pd.Timestamp:
    """The first day of the month `period`: text "2024-03", or a date or Timestamp.

    >>> parse_period("2024-03")
    Timestamp('2024-03-01 00:00:00')
    """
    if isinstance(period, str):
        match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", period)
        if not match or not 1 <= int(match[2]) <= 12:
            raise InputError(f"period {period!r} is not a month such as 2024-03")
        return pd.Timestamp(int(match[1]), int(match[2]), 1)
    return pd.Timestamp(period).normalize().replace(day=1)


def write_statements(master: TableSource, period, out_dir, pdf: bool = False) -> list[Path]:
    """Write one statement per rep for `period` from the master workbook.

    The figures are recomputed from the master's input tables (the same computation
    as a refresh), so a statement never shows stale numbers.

    Args:
        master: the master workbook (a file's `excel.reader.WorkbookSource`, or an open book's `open_book.OpenBook`).
        period: the month, e.g. "2024-03".
        out_dir: the folder for ``statement_<period>_<rep ID>.xlsx`` files (created if needed; names
            made safe and distinct by `safe_text.file_names`).
        pdf: also render every statement to PDF in one LibreOffice run.

    Returns:
        The paths written: the workbooks, then the PDFs if asked.
    """
    month = parse_period(period)
    inputs = read_inputs(master)
    computed = refresh(inputs, as_of=month + pd.offsets.MonthEnd(0))
    paths = statements_from_tables(inputs, computed, month, out_dir)
    if pdf and paths:
        from sales_tools.libreoffice import convert

        paths += convert(paths, to="pdf", outdir=Path(out_dir))
    return paths


def statements_from_tables(
    inputs: dict[str, pd.DataFrame], computed: dict[str, pd.DataFrame], period, out_dir
) -> list[Path]:
    """Write the statements of `period` from already computed tables (see `write_statements`)."""
    month = parse_period(period)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    setting = read_settings(inputs.get("settings"))
    reps = inputs["reps"].sort_values("rep_id")
    names = file_names((f"statement_{month:%Y-%m}_{rep_id}" for rep_id in reps["rep_id"]), ".xlsx")
    on_margin = _margin_reps(inputs)
    paths = []
    for rep, name in zip(reps.itertuples(index=False), names):
        parts = _rep_parts(computed, rep.rep_id, month)
        if rep.rep_id in on_margin:
            parts["margins"] = _line_margins(inputs["orders"], parts["lines"])
        book = statement_workbook(rep._asdict(), month, parts, setting)
        paths.append(atomic_save(book, out_dir / name))
    return paths


def _margin_reps(inputs: dict[str, pd.DataFrame]) -> set:
    """The reps whose plan pays on margin."""
    plans = inputs.get("plan")
    if plans is None or plans.empty:
        return set()
    margin = {name for name, plan in parse_plans(plans).items() if plan.basis == "margin"}
    reps = inputs["reps"]
    return set(reps.loc[reps["plan"].isin(margin), "rep_id"])


def _line_margins(orders: pd.DataFrame, lines: pd.DataFrame) -> pd.DataFrame:
    """The order lines of `lines` with their quantity, amount, unit cost and margin."""
    keys = lines[["order_id", "line"]].dropna().drop_duplicates().astype({"line": "int64"})
    sold = orders[["order_id", "line", "quantity", "amount", "unit_cost"]].astype({"line": "int64"})
    found = keys.merge(sold, on=["order_id", "line"], how="left")
    return found.assign(margin=round_cents(found["amount"] - found["quantity"] * found["unit_cost"]))


def _margin_block(ws, row: int, margins: pd.DataFrame) -> None:
    """Each order line's margin = amount - quantity x unit cost, from `row`."""
    heading = "Margin of the order lines: amount − quantity × unit cost (a split line's basis is your share of it)"
    put(ws, row, 1, heading).font = styles.LABEL_FONT
    headers = ["Order ID", "Line", "Quantity", "Amount", "Unit cost", "Margin"]
    formats = ["@", "0", "#,##0.##", "#,##0.00", "#,##0.00", "#,##0.00"]
    for j, header in enumerate(headers, 1):
        put(ws, row + 1, j, header)
    styles.style_header(ws, row + 1, 1, len(headers))
    for i, values in enumerate(margins.itertuples(index=False), row + 2):
        for j, (value, number_format) in enumerate(zip(values, formats), 1):
            cell = put(ws, i, j, None if pd.isna(value) else value)
            cell.number_format, cell.border = number_format, styles.BOX


def _rep_parts(computed: dict[str, pd.DataFrame], rep_id: str, month: pd.Timestamp) -> dict:
    """The rep's attainment row, summary row, lines, statement total and year-to-date total for `month`."""

    def rows(name):
        frame = computed[name]
        return frame[frame["rep_id"] == rep_id]

    summary = rows("commission_summary")
    lines = rows("commission_lines")
    lines = lines[lines["period"] == month].sort_values(["order_id", "line"], na_position="last", kind="stable")
    total = float(round_cents(round_cents(lines["amount"]).sum()))
    this = summary[summary["period"] == month]
    expected = float(this["total"].sum())
    if not np.isclose(total, expected, atol=0.004):
        raise InputError(
            f"statement of {rep_id} for {month:%Y-%m}: the lines add up to {total:,.2f} but the "
            f"Commission summary says {expected:,.2f}; refresh the workbook"
        )
    ytd = summary[(summary["period"].dt.year == month.year) & (summary["period"] <= month)]["total"].sum()
    attainment = rows("attainment")
    attainment = attainment[attainment["period"] == month].assign(measure=measure_of(attainment))
    return {
        "attainment": attainment[attainment["measure"] == REVENUE].head(1),
        "measures": attainment[attainment["measure"] != REVENUE].drop_duplicates("measure"),
        "summary": this.head(1),
        "lines": lines,
        "total": total,
        "ytd_total": float(round_cents(ytd)),
    }


def _first(frame: pd.DataFrame, column: str):
    return frame[column].iloc[0] if len(frame) else None


def _performance(ws, row: int, heading: str, att: pd.DataFrame) -> int:
    """A measure's target, actual, attainment, pacing and year to date; returns the next free row."""
    return write_figures(
        ws,
        row,
        heading,
        [
            ("Target", _first(att, "target"), "money"),
            ("Actual", _first(att, "actual"), "money"),
            ("Attainment", _first(att, "attainment"), "percent"),
            ("Pacing (forecast attainment)", _first(att, "forecast_attainment"), "percent"),
            ("Year-to-date target", _first(att, "ytd_target"), "money"),
            ("Year-to-date actual", _first(att, "ytd_actual"), "money"),
            ("Year-to-date attainment", _first(att, "ytd_attainment"), "percent"),
        ],
    )


def statement_workbook(rep: dict, month: pd.Timestamp, parts: dict, setting: dict[str, str]) -> Workbook:
    """One rep's statement: performance, summary, lines and total, laid out for A4 portrait."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(f"{month:%Y-%m} {rep['rep_id']}")
    who = f"{rep['name']} ({rep['rep_id']})"
    styles.title(
        ws, f"Commission statement — {who}", f"{setting['company']} · {month:%B %Y} · amounts in {setting['currency']}"
    )
    summ = parts["summary"]
    row = _performance(ws, 4, "Performance", parts["attainment"])
    for measure, att in parts.get("measures", pd.DataFrame(columns=["measure"])).groupby("measure", sort=False):
        row = _performance(ws, row, f"Performance: {measure}", att)
    row = write_figures(
        ws,
        row,
        "Commission",
        [
            ("Commission", _first(summ, "commission"), "money"),
            ("Clawbacks (returns)", _first(summ, "clawbacks"), "money"),
            ("Bonus", _first(summ, "bonus"), "money"),
            ("Cap adjustment", _first(summ, "cap_adjustment"), "money"),
            (f"Total for {month:%B %Y}", parts["total"], "money"),
            (f"Year to date ({month.year})", parts["ytd_total"], "money"),
        ],
    )
    ws.cell(row - 3, 1).font = ws.cell(row - 3, 2).font = styles.CARD_FONT
    put(ws, row, 1, "Commission lines").font = styles.LABEL_FONT
    header_row = row + 1
    end = write_printed_table(ws, parts["lines"], "commission_lines", header_row, LINE_COLUMNS)
    if parts["lines"].empty:
        put(ws, end, 1, "No commission lines this month.")
        end += 1
    total_col = LINE_COLUMNS.index("amount") + 1
    put(ws, end, total_col - 1, "Total").font = styles.LABEL_FONT
    cell = put(ws, end, total_col, parts["total"])
    cell.number_format, cell.font, cell.border = "#,##0.00", styles.LABEL_FONT, styles.BOX
    if "margins" in parts:
        _margin_block(ws, end + 2, parts["margins"])
    styles.set_widths(ws, [30, 16, 14, 14, 22, 9, 14])
    page_setup(
        ws, f"{rep['name']} — {month:%B %Y}", f"{setting['company']} · commission statement", header_row, portrait=True
    )
    return wb
