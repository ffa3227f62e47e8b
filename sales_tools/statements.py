"""Commission statements: one printable workbook per rep per month, that a rep can check by hand.

A statement shows, from the top: who and when (the payout date: the Settings
``payout_day`` of the following month); the rep's performance; the month's amounts by
kind (the Commission summary's money columns) and the total; the plan's rules in words;
the tier block (each tier's slice of the month's tier basis, rate and amount, adding up
to the tier commission) and the effective rate that spreads it over the lines; for plans
paid on collections, the booked sales reconciled to the collected basis with the
payments; every commission line with its order date and customer; and sign-off lines.
The total is the sum of the rounded lines, so the statement adds up to the cent; it must
equal the rep's total on the Commission summary.  How to read one: docs/statements.md.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, NamedStyle
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from sales_tools.core import statement
from sales_tools.core.close import month_of
from sales_tools.core.money import round_cents
from sales_tools.core.plans import Plan, parse_plans
from sales_tools.core.refresh import refresh
from sales_tools.core.settings import read_settings
from sales_tools.core.targets import REVENUE, measure_of
from sales_tools.errors import InputError
from sales_tools.excel import styles
from sales_tools.excel.report_sheets import WRAP, page_setup, write_figures
from sales_tools.excel.save import atomic_save
from sales_tools.excel.values import put, set_value
from sales_tools.safe_text import file_names, sheet_title
from sales_tools.schema import TABLES, TYPES
from sales_tools.schema.choices import LINE_RULES
from sales_tools.schema.language import phrase, tr
from sales_tools.tables import TableSource, read_inputs

# The line table's (column, type); a "From rep" column is added when the month has override lines
LINE_COLUMNS = [("customer", "text"), ("order_id", "text"), ("line", "int"), ("order_date", "date"),
                ("category", "text"), ("basis", "money"), ("rule", "text"), ("rate", "rate"), ("amount", "money")]  # fmt: skip
WIDTHS = [30, 14, 6, 11, 13, 13, 20, 10, 13, 10]
FORMATS = {**TYPES, "rate": "0.0000%"}
ROW_POINTS = 15  # a row's default height
NOTE_CHARS = 165  # the characters of a line of a note across A:I (as LibreOffice prints it)
PAGE_POINTS = 1200  # the rows an A4 portrait page of a statement holds, in points (as LibreOffice fits its width)
TIER_RULES = ("tier marginal", "tier retroactive")
SYMBOLS = {"CNY": "¥"}  # a currency shown by its symbol in the amounts' number format


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
    month = month_of(period)
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
    """Write the statements of `period` from already computed tables (see `write_statements`).

    `inputs` needs the Reps table; the Settings, Plan, Orders, Customers, Payments and Splits
    tables, when given, add the payout date, the plan's rules and tiers, the lines' order
    dates and customers and, for plans paid on collections, the payments.
    """
    month = month_of(period)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    setting = read_settings(inputs.get("settings"))
    plan_table = inputs.get("plan")
    plans = parse_plans(plan_table) if plan_table is not None else {}
    reps = inputs["reps"].sort_values("rep_id")
    lines = computed["commission_lines"]
    lines = lines[lines["period"] == month]
    if inputs.get("orders") is not None:
        lines = statement.line_details(lines, inputs["orders"], inputs.get("customers"))
    computed = {**computed, "commission_lines": lines}
    names = file_names((f"{tr('statement')}_{month:%Y-%m}_{rep_id}" for rep_id in reps["rep_id"]), ".xlsx")
    on_margin = _margin_reps(inputs)
    paths = []
    for rep, name in zip(reps.itertuples(index=False), names):
        parts = _rep_parts(computed, rep.rep_id, month)
        plan = plans.get(str(rep.plan).strip()) if isinstance(rep.plan, str) else None
        if plan is not None and plan.credit_on == "paid" and inputs.get("orders") is not None:
            parts["collections"] = statement.collections(inputs, rep.rep_id, month)
        if rep.rep_id in on_margin:
            parts["margins"] = _line_margins(inputs["orders"], parts["lines"])
        book = statement_workbook(rep._asdict(), month, parts, setting, plan)
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


def _margin_block(ws: Worksheet, row: int, margins: pd.DataFrame) -> int:
    """Each order line's margin = amount - quantity x unit cost, from `row`; returns the row after it."""
    heading = tr("Margin of the order lines: amount − quantity × unit cost (a split line's basis is your share of it)")
    put(ws, row, 1, heading).font = styles.LABEL_FONT
    spec = [(1, "order_id", tr("Order ID"), "text"), (2, "line", tr("Line"), "int"),
            (3, "quantity", tr("Quantity"), "number"), (4, "amount", tr("Amount"), "money"),
            (5, "unit_cost", tr("Unit cost"), "money"), (6, "margin", tr("Margin"), "money")]  # fmt: skip
    return _table(ws, row + 1, margins, spec) + 1


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
            tr(
                "statement of {rep} for {month}: the lines add up to {total} but the Commission summary says "
                "{expected}; refresh the workbook"
            ).format(rep=rep_id, month=f"{month:%Y-%m}", total=f"{total:,.2f}", expected=f"{expected:,.2f}")
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
    return frame[column].iloc[0] if len(frame) and column in frame else None


def payout_date(month: pd.Timestamp, setting: dict) -> pd.Timestamp:
    """The day the month's commission is paid: the Settings payout_day of the following month.

    >>> payout_date(pd.Timestamp("2024-12-01"), {"payout_day": 15})
    Timestamp('2025-01-15 00:00:00')
    """
    return month + pd.DateOffset(months=1, days=setting["payout_day"] - 1)


def month_text(month: pd.Timestamp) -> str:
    """A month as a statement names it: "March 2024" (Chinese: "2024年03月")."""
    return tr("{month:%B %Y}").format(month=month)


def statement_workbook(
    rep: dict, month: pd.Timestamp, parts: dict, setting: dict, plan: Plan | None = None
) -> Workbook:
    """One rep's statement, laid out for A4 portrait (the parts: see the module docstring)."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(f"{month:%Y-%m} {rep['rep_id']}")
    who = f"{rep['name']} ({rep['rep_id']})"
    styles.title(
        ws,
        tr("Commission statement — {who}").format(who=who),
        tr("{company} · {month} · amounts in {currency}").format(
            company=setting["company"], month=month_text(month), currency=setting["currency"]
        ),
    )
    row = _header(ws, 4, rep, month, setting, plan)
    row = _performance(ws, row, tr("Performance"), parts["attainment"])
    for measure, att in parts["measures"].groupby("measure", sort=False):
        row = _performance(ws, row, tr("Performance: {measure}").format(measure=tr(measure)), att)
    row = _summary(ws, row, parts, month)
    if plan is not None:
        row = _rules(ws, row, plan)
        row = _tiers(ws, row, plan, parts)
    if "collections" in parts:
        _keep_on_page(ws, row, 200)
        row = _collections(ws, row, parts["collections"], _first(parts["summary"], "attainment"))
    _keep_on_page(ws, row, 150)
    header_row = row + 1
    row = _lines(ws, row, parts)
    if "margins" in parts:
        row = _margin_block(ws, row + 1, parts["margins"])
    row = _sign_off(ws, row + 1)
    styles.set_widths(ws, [_customer_width(parts), *WIDTHS[1:]])
    page_setup(
        ws,
        f"{rep['name']} — {month_text(month)}",
        tr("{company} · commission statement").format(company=setting["company"]),
        header_row,
        portrait=True,
    )
    _show_currency(ws, setting["currency"])
    return wb


def _customer_width(parts: dict) -> int:
    """Column A: wide enough for the longest customer of the lines and payments (up to 40), one line each."""
    payments = parts["collections"].payments if "collections" in parts else pd.DataFrame()
    names = [str(name) for f in (parts["lines"], payments) if "customer" in f for name in f["customer"].dropna()]
    return styles.fitted_width(names, least=WIDTHS[0], most=40)


def _show_currency(ws: Worksheet, currency: str) -> None:
    """The amounts shown with the currency's symbol (`SYMBOLS`: ¥ for CNY), e.g. ¥1,234.50; others as they are."""
    symbol = SYMBOLS.get(str(currency).strip().upper())
    if symbol is None:
        return
    for row in ws.iter_rows():
        for cell in row:
            if cell.number_format == TYPES["money"]:
                cell.number_format = f'"{symbol}"{TYPES["money"]}'


def _keep_on_page(ws: Worksheet, row: int, points: float) -> None:
    """A page break before `row` when less than `points` of the page would be left under it (a section's
    heading and first rows are not left at the foot of a page)."""
    start = max([b.id for b in ws.row_breaks.brk] + [0]) + 1
    used = sum(ws.row_dimensions[r].height or ROW_POINTS for r in range(start, row)) % PAGE_POINTS
    if PAGE_POINTS - used < points:
        ws.row_breaks.append(Break(id=row - 1))


def _header(ws: Worksheet, row: int, rep: dict, month: pd.Timestamp, setting: dict, plan: Plan | None) -> int:
    return write_figures(
        ws,
        row,
        tr("Statement"),
        [
            (tr("Rep"), f"{rep['name']} ({rep['rep_id']})", "text"),
            (tr("Region"), rep.get("region"), "text"),
            (tr("Manager"), rep.get("manager"), "text"),
            (tr("Plan"), plan.name if plan is not None else tr("no commission plan"), "text"),
            (tr("Period"), month_text(month), "text"),
            (tr("Payout date"), payout_date(month, setting), "date"),
        ],
    )


def _performance(ws: Worksheet, row: int, heading: str, att: pd.DataFrame) -> int:
    """A measure's target, actual, attainment, pacing and year to date; returns the next free row."""
    return write_figures(
        ws,
        row,
        heading,
        [
            (tr("Target"), _first(att, "target"), "money"),
            (tr("Actual"), _first(att, "actual"), "money"),
            (tr("Attainment"), _first(att, "attainment"), "percent"),
            (tr("Pacing (forecast attainment)"), _first(att, "forecast_attainment"), "percent"),
            (tr("Year-to-date target"), _first(att, "ytd_target"), "money"),
            (tr("Year-to-date actual"), _first(att, "ytd_actual"), "money"),
            (tr("Year-to-date attainment"), _first(att, "ytd_attainment"), "percent"),
        ],
    )


def summary_columns() -> list[str]:
    """The Commission summary's money columns that add up to the total (between attainment and total)."""
    names = TABLES["commission_summary"].names
    return names[names.index("attainment") + 1 : names.index("total")]


def _summary(ws: Worksheet, row: int, parts: dict, month: pd.Timestamp) -> int:
    summ, table = parts["summary"], TABLES["commission_summary"]
    figures = [(table.column(name).header, _first(summ, name), "money") for name in summary_columns()]
    figures += [(tr("Total for {month}").format(month=month_text(month)), parts["total"], "money"),
                (tr("Year to date ({year})").format(year=month.year), parts["ytd_total"], "money")]  # fmt: skip
    figures += _draw_balance(summ)
    put(ws, row, 1, tr("Commission")).font = styles.LABEL_FONT
    end = _figures(ws, row + 1, figures)
    total_row = row + 1 + len(summary_columns())
    ws.cell(total_row, 1).font = ws.cell(total_row, 2).font = styles.CARD_FONT
    return end


def _draw_balance(summ: pd.DataFrame) -> list:
    """The recoverable draw owed before and after the month, when either is not 0: after = before + draw + recovered."""
    after, draw, back = (_first(summ, name) or 0.0 for name in ("draw_balance", "draw", "draw_recovered"))
    before = float(round_cents(after - draw - back))
    if not (before or after):
        return []
    how = tr("{before} + the draw {draw} − recovered {back}: still to recover after this month").format(
        before=f"{before:,.2f}", draw=f"{draw:,.2f}", back=f"{abs(back):,.2f}"
    )
    return [(tr("Draw balance before"), before, "money", tr("the recoverable draw owed at the start of the month")),
            (tr("Draw balance"), after, "money", how)]  # fmt: skip


def _rules(ws: Worksheet, row: int, plan: Plan) -> int:
    put(ws, row, 1, tr("Plan {plan}: the rules").format(plan=plan.name)).font = styles.LABEL_FONT
    for i, text in enumerate(statement.plan_rules(plan), row + 1):
        _note(ws, i, f"• {text}")
    return row + len(statement.plan_rules(plan)) + 2


def _note(ws: Worksheet, row: int, text: str) -> None:
    """A sentence across the page's columns (A:I), wrapped."""
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(LINE_COLUMNS))
    put(ws, row, 1, text).alignment = WRAP
    ws.row_dimensions[row].height = ROW_POINTS * (1 + len(text) // NOTE_CHARS)


def _tiers(ws: Worksheet, row: int, plan: Plan, parts: dict) -> int:
    """The tier block, its total and the effective rate; a sentence instead when the gate is not reached."""
    lines, summ = parts["lines"], parts["summary"]
    on_tiers = lines["rule"].isin(TIER_RULES)
    put(ws, row, 1, tr("Tier commission")).font = styles.LABEL_FONT
    gated = lines["rule"].astype(str).str.startswith("gate")
    if gated.any():
        _note(ws, row + 1, tr("Attainment {attainment} is below the plan's gate of {gate}: no commission and no bonus "
              "this month.").format(attainment=f"{_first(summ, 'attainment'):.1%}", gate=f"{plan.gate:.0%}"))  # fmt: skip
        return row + 3
    if not on_tiers.any():
        _note(ws, row + 1, tr("No sales on the tiers this month."))
        return row + 3
    basis = float(round_cents(round_cents(lines["basis"][on_tiers]).sum()))
    paid = float(round_cents(round_cents(lines["amount"][on_tiers]).sum()))
    attainment = plan.tier_basis == "attainment"
    block = statement.tier_block(plan, basis, _first(summ, "sales"), _first(summ, "target"))
    if plan.method == "retroactive":
        _note(ws, row + 1, tr("Retroactive: the whole basis at the rate of the tier reached."))
        row += 1
    spec = [
        (1, "tier", tr("Tier"), "text"),
        *([(2, "floor_attainment", tr("From (% of target)"), "percent")] if attainment else []),
        (4, "floor", tr("From"), "money"),
        (5, "ceiling", tr("To"), "money"),
        *([(6, "sales", tr("Sales in tier"), "money")] if attainment else []),
        (7, "slice", tr("Slice of the tier basis"), "money"),
        (8, "rate", tr("Rate"), "percent"),
        (9, "amount", tr("Amount"), "money"),
    ]
    row = _table(ws, row + 1, block.assign(tier=block["tier"].map(_tier_name)), spec)
    computed = float(round_cents(block["amount"].sum()))
    if abs(paid - computed) >= 0.005:  # the lines' bases are rounded one by one
        put(ws, row, 1, tr("Cents from rounding each line's basis"))
        put(ws, row, 9, round_cents(paid - computed)).number_format = TYPES["money"]
        row += 1
    figures = [(tr("Tier basis"), basis, "money", tr("the sum of the tier lines' basis")),
               (tr("Tier commission"), paid, "money", tr("the sum of the tier amounts above")),
               (tr("Effective rate"), paid / basis if basis else 0.0, "rate",
                tr("the month's tier commission ÷ its tier basis: {paid} ÷ {basis}").format(
                    paid=f"{paid:,.2f}", basis=f"{basis:,.2f}"))]  # fmt: skip
    if attainment:
        row += 1
        _note(ws, row, tr("The tier is picked by all credited sales, {sales}, against the target of {target}; "
              "category-rate sales are paid at their own rate, so each tier pays on its sales × tier basis ÷ all "
              "sales.").format(sales=f"{_first(summ, 'sales'):,.2f}", target=f"{_first(summ, 'target'):,.2f}"))  # fmt: skip
        row += 1
    end = _figures(ws, row + 1, figures)
    _note(ws, end - 1, tr("Each tier line below earns its basis × the effective rate, to the cent (the lines share "
          "the month's cents, so a line may get one more or one less)."))  # fmt: skip
    return end + 1


def _tier_name(tier) -> str:
    return tr(tier) if isinstance(tier, str) else tr("Tier {n}").format(n=tier)


def _figures(ws: Worksheet, row: int, figures: list) -> int:
    """(label, value, type[, note]) lines in A:B, a note in C on; no heading.  Returns the row after them."""
    for i, (label, value, kind, *note) in enumerate(figures, row):
        put(ws, i, 1, label)
        cell = put(ws, i, 2, value)
        cell.number_format, cell.border = FORMATS[kind], styles.BOX
        if note:
            put(ws, i, 3, note[0]).font = styles.SUBTITLE_FONT
    return row + len(figures) + 1


def _table(ws: Worksheet, row: int, frame: pd.DataFrame, spec: list) -> int:
    """A header row and `frame`'s rows in the columns `spec` gives: (column number, name, header, type)."""
    for col, _, header, _ in spec:
        put(ws, row, col, header)
    styles.style_header(ws, row, 1, max(col for col, *_ in spec))
    ws.row_dimensions[row].height = 30  # two lines of header
    for i, record in enumerate(frame.to_dict("records"), row + 1):
        for col, name, _, kind in spec:
            _boxed(ws, i, col, record[name], kind)
    return row + 1 + len(frame)


def _boxed(ws: Worksheet, row: int, col: int, value, kind: str):
    """A value in a box with the number format of `kind` (a named style: far quicker than styling each cell)."""
    name = f"statement {kind}"
    if name not in ws.parent.named_styles:
        wrap = WRAP if kind == "text" else Alignment()
        ws.parent.add_named_style(NamedStyle(name, number_format=FORMATS[kind], border=styles.BOX, alignment=wrap))
    cell = ws.cell(row, col)
    cell.style = name
    return set_value(cell, value)


def _collections(ws: Worksheet, row: int, got: statement.Collections, attainment) -> int:
    """Booked against collected: the reconciliation, the attainment on collections (what the gate, bonuses
    and attainment tiers of such a plan read) and the payments that make the collected basis."""
    put(ws, row, 1, tr("Booked against collected (the plan pays on collections)")).font = styles.LABEL_FONT
    end = _figures(ws, row + 1, [
        (tr("Booked (the Actual)"), got.booked, "money", tr("the credited sales of orders dated this month")),
        (tr("Less: not collected"), -got.not_collected, "money", tr("of those, what was not collected this month")),
        (tr("Plus: other months' orders"), got.other_months, "money",
         tr("collected this month on orders of other months")),
        (tr("Collected"), got.collected, "money", tr("the basis of commission: the payments below")),
        (tr("Attainment on collections"), attainment, "percent",
         tr("collected ÷ target: what the gate and bonuses read")),
    ])  # fmt: skip
    ws.cell(row + 4, 1).font = ws.cell(row + 4, 2).font = styles.LABEL_FONT
    spec = [(1, "customer", tr("Customer"), "text"), (2, "payment_id", tr("Payment ID"), "text"),
            (4, "payment_date", tr("Paid on"), "date"), (5, "order_id", tr("Order ID"), "text"),
            (6, "order_date", tr("Order date"), "date"), (9, "credited", tr("Credited"), "money")]  # fmt: skip
    if got.payments.empty:
        _note(ws, end, tr("No payments this month."))
        return end + 2
    end = _table(ws, end, got.payments, spec)
    put(ws, end, 8, tr("Total")).font = styles.LABEL_FONT
    cell = put(ws, end, 9, float(round_cents(got.payments["credited"].sum())))
    cell.number_format, cell.font, cell.border = TYPES["money"], styles.LABEL_FONT, styles.BOX
    return end + 2


def _lines(ws: Worksheet, row: int, parts: dict) -> int:
    """The commission lines, their total and what the rate of a tier line is."""
    lines = parts["lines"]
    put(ws, row, 1, tr("Commission lines")).font = styles.LABEL_FONT
    columns = LINE_COLUMNS + ([("from_rep", "text")] if lines["from_rep"].notna().any() else [])
    shown = lines.reindex(columns=[name for name, _ in columns])
    shown = shown.assign(rule=shown["rule"].map(lambda rule: phrase(rule, LINE_RULES)))
    spec = [(j, name, header, kind) for j, ((name, kind), header) in enumerate(zip(columns, _line_headers()), 1)]
    end = _table(ws, row + 1, shown, spec)
    if lines.empty:
        put(ws, end, 1, tr("No commission lines this month."))
        end += 1
    amount_col = [name for name, _ in LINE_COLUMNS].index("amount") + 1
    put(ws, end, amount_col - 1, tr("Total")).font = styles.LABEL_FONT
    cell = put(ws, end, amount_col, parts["total"])
    cell.number_format, cell.font, cell.border = TYPES["money"], styles.LABEL_FONT, styles.BOX
    if lines["rule"].isin(TIER_RULES).any():
        _note(ws, end + 1, tr("Rate of a tier line: the effective rate, the month's tier commission ÷ its tier basis "
              "(shown to 4 decimals); other lines show their own rate."))  # fmt: skip
        end += 1
    return end + 1


def _line_headers() -> list[str]:
    """The headers of `LINE_COLUMNS` and of the "From rep" column, in the current language."""
    return [tr("Customer"), tr("Order ID"), tr("Line"), tr("Order date"), tr("Category"), tr("Basis"), tr("Rule"),
            tr("Rate"), tr("Amount"), tr("From rep")]  # fmt: skip


def _sign_off(ws: Worksheet, row: int) -> int:
    for i, who in enumerate((tr("Approved by (manager)"), tr("Received by (rep)")), row + 1):
        put(ws, i, 1, tr("{who}  ______________________________    Date  ______________").format(who=who))
        ws.row_dimensions[i].height = 30
    return row + 3
