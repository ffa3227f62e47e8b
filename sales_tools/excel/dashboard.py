"""The Dashboard sheet: key figures, attainment by rep, monthly sales against target, tier mix,
attainment by region and by category.

Every figure is a formula over the tables (SUMIFS/COUNTIFS on structured references)
for the year typed in B3, so a manager can change the year or the data and Excel
recalculates; the native charts read those cells.  The lists of reps, months and
tiers are written from the computed tables when the dashboard is built.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

import pandas as pd
from openpyxl.chart import BarChart, LineChart, PieChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.marker import DataPoint
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from sales_tools.core.settings import read_settings
from sales_tools.excel import styles
from sales_tools.excel.values import put, set_formula
from sales_tools.schema import TABLES
from sales_tools.schema.language import ENGLISH, current, every, tr

SHEET = "Dashboard"  # the sheet's English title; `title()` is the one written
SOURCES = ("attainment", "customer_tiers", "leaderboard", "commission_summary", "target_variance", "exceptions")
YEAR_CELL = "$B$3"
REP_ROW = 10  # header row of the attainment-by-rep block
# The tier pie's colours: the metals' own, else the palette in order
TIER_COLOURS = {"bronze": "CD7F32", "silver": "A6A6A6", "gold": "FFC000", "platinum": "7F7F7F", "diamond": "9DC3E6"}
PALETTE = ("2F5597", "70AD47", "ED7D31", "7030A0", "00B0F0", "C00000")
LEVEL_BLOCKS = ("region", "category")  # Target variance levels with a block and a chart
# The warning cell: how many rows the Exceptions sheet holds (red when any)
EXCEPTIONS_CELL = "C3"


def title() -> str:
    """The Dashboard sheet's title in the current language."""
    return tr(SHEET)


# Formulas read the tables' columns by their headers, which are those of the current language:
# each is built when the Dashboard is written, from the schema.
def _ref(table: str, column: str) -> str:
    """The structured reference to `column` of computed table `table`, e.g. tblAttainment[Target]."""
    spec = TABLES[table]
    return f"{spec.excel_name}[{spec.column(column).header}]"


def _in_year(table: str) -> str:
    """SUMIFS criteria: the rows of `table` whose period is in the year of B3."""
    period = _ref(table, "period")
    return f'{period},">="&DATE($B$3,1,1),{period},"<"&DATE($B$3+1,1,1)'


def _tv_year(level: str) -> str:
    """SUMIFS criteria: the year's sales rows of a Target variance level ("team", "rep", ...) that have a target."""
    tv = partial(_ref, "target_variance")
    return (
        f'{tv("level")},"{tr(level)}",{tv("period_type")},"{tr("year")}",{tv("period")},$B$3&"",{tv("target")},"<>"'
        f',{tv("measure")},"{tr("revenue")}"'  # sales against sales targets (not margin or quantity)
    )


def _has_team() -> str:
    return f"COUNTIFS({_tv_year('team')})>0"


def _team(column: str) -> str:
    """The team's figure: its own Targets row's when there is one, else the reps' with a target."""
    team, reps = (f"SUMIFS({_ref('target_variance', column)},{_tv_year(lv)})" for lv in ("team", "rep"))
    return f"IF({_has_team()},{team},{reps})"


def _card_specs() -> tuple[tuple[str, str, str], ...]:
    """Key figures: (label, formula, number format); cells A5:E6, and what the target is in A7."""
    board = partial(_ref, "leaderboard")
    return (
        (tr("Team sales (net)"), _team("actual"), _money("#,##0")),
        (tr("Team target"), _team("target"), _money("#,##0")),
        (tr("Team attainment"), 'IF(N(B6)>0,A6/B6,"")', "0.0%"),
        (tr("Commission total"), f"SUMIFS({_ref('commission_summary', 'total')},{_in_year('commission_summary')})",
         _money("#,##0.00")),
        (tr("Sales champion"), f'IFERROR(INDEX({board("name")},MATCH(1,{board("rank")},0)),"")', "@"),
    )  # fmt: skip


def _money(number_format: str) -> str:
    """An amount's format: in yuan (¥) in a Chinese workbook."""
    return number_format if current() == ENGLISH else f'"¥"{number_format}'


def _team_note_formula() -> str:
    own = _text(tr("Against the team's own target (Targets sheet)"))
    before, _, after = tr("Against the sum of the reps' targets: no team target for {year}").partition("{year}")
    reps = "&".join([_text(before), "$B$3", *([_text(after)] if after else [])])
    return f"IF({_has_team()},{own},{reps})"


def _text(text: str) -> str:
    """`text` as a formula's string literal."""
    return '"' + text.replace('"', '""') + '"'


def _exceptions_format() -> str:
    """The warning's number format: the count and where to look, or that there is none."""
    many = tr(" exception(s): see the {sheet} sheet").format(sheet=TABLES["exceptions"].sheet)
    return f"0{_text(many)};;{_text(tr('No exceptions'))}"


def _month_formats() -> tuple[str, str]:
    """The months' format in the month block and on the chart's axis (a Chinese workbook: 2024-01, 1月)."""
    return ("mmm yyyy", "mmm") if current() == ENGLISH else ("yyyy-mm", 'm"月"')


def build(wb: Workbook, computed: dict[str, pd.DataFrame], settings: pd.DataFrame | None) -> Worksheet:
    """Fill the (empty) Dashboard sheet of `wb` and return it."""
    ws = wb[title()]
    year = dashboard_year(computed.get("attainment"), settings)
    styles.title(
        ws,
        tr("Sales dashboard"),
        tr("{company}: figures for the year in B3, recalculated from the tables").format(
            company=read_settings(settings)["company"]
        ),
    )
    put(ws, 3, 1, tr("Year")).font = styles.LABEL_FONT
    year_cell = put(ws, 3, 2, year)
    year_cell.font, year_cell.fill = styles.CARD_FONT, styles.INPUT_FILL
    _exceptions_warning(ws, computed.get("exceptions"))
    _cards(ws, computed, year)
    reps_end = _rep_block(ws, computed.get("attainment"), year)
    months_end = _month_block(ws, reps_end + 3, computed.get("attainment"), year)
    tiers_end = _tier_block(ws, months_end + 3, computed.get("customer_tiers"), settings)
    _charts(ws, reps_end, months_end, tiers_end)
    start = tiers_end + 3
    for k, level in enumerate(LEVEL_BLOCKS):
        end = _level_block(ws, start, level, computed.get("target_variance"), year)
        _level_chart(ws, level, start, end, f"G{49 + 16 * k}")
        start = end + 3
    styles.set_widths(ws, [18, 22, 16, 18, 20, 8])
    ws.sheet_view.showGridLines = False
    ws.sheet_properties.tabColor = styles.NAVY
    styles.print_setup(ws)
    ws.page_setup.fitToHeight = 1
    return ws


def dashboard_year(attainment: pd.DataFrame | None, settings: pd.DataFrame | None) -> int:
    """The latest year with attainment rows, else the year of the period_start setting."""
    if attainment is not None and attainment["period"].notna().any():
        return int(pd.to_datetime(attainment["period"]).max().year)
    return read_settings(settings)["period_start"].year


def _exceptions_warning(ws: Worksheet, exceptions: pd.DataFrame | None) -> None:
    """The count of Exceptions rows beside the year: red, so nothing left unpaid goes unseen."""
    count = 0 if exceptions is None else sum(map(_filled, exceptions["reason"]))
    cell = set_formula(ws[EXCEPTIONS_CELL], f"=COUNTA({_ref('exceptions', 'reason')})", count)
    cell.number_format, cell.font = _exceptions_format(), styles.LABEL_FONT
    ws.merge_cells("C3:E3")
    styles.warn_when(ws, "C3:E3", "$C$3>0")


def _cards(ws: Worksheet, computed: dict[str, pd.DataFrame], year: int) -> None:
    results, has_team = _card_results(computed, year)
    for i, (label, formula, fmt) in enumerate(_card_specs()):
        col = 1 + i
        head, value = put(ws, 5, col, label), set_formula(ws.cell(6, col), "=" + formula, results[i])
        head.font, head.fill, head.alignment = styles.HEADER_FONT, styles.HEADER_FILL, styles.HEADER_ALIGN
        value.number_format = fmt
        value.font, value.fill, value.border = styles.CARD_FONT, styles.CARD_FILL, styles.BOX
        value.alignment = styles.HEADER_ALIGN
    ws.row_dimensions[6].height = 28
    styles.traffic_lights(ws, "C6:C6")
    note = set_formula(ws["A7"], "=" + _team_note_formula(), _team_note(has_team, year))
    note.font = styles.SUBTITLE_FONT
    ws.merge_cells("A7:E7")


def _block_header(ws: Worksheet, row: int, caption: str, headers: list[str]) -> None:
    put(ws, row - 1, 1, caption).font = styles.LABEL_FONT
    for j, text in enumerate(headers, start=1):
        put(ws, row, j, text)
    styles.style_header(ws, row, 1, len(headers))


def _rep_block(ws: Worksheet, attainment: pd.DataFrame | None, year: int) -> int:
    """Target, actual and attainment per rep for the year; returns the last row."""
    headers = [tr("Rep ID"), tr("Name"), tr("Target"), tr("Actual"), tr("Attainment"), tr("Goal")]
    _block_header(ws, REP_ROW, tr("Attainment by rep"), headers)
    reps = pd.DataFrame(columns=["rep_id", "name"]) if attainment is None else attainment
    reps = reps[["rep_id", "name"]].drop_duplicates("rep_id").sort_values("rep_id")
    rows = list(reps.itertuples(index=False, name=None)) or [(None, None)]
    att = partial(_ref, "attainment")
    in_year = f'{_in_year("attainment")},{att("measure")},"{tr("revenue")}"'
    sums = _year_rows(attainment, year).groupby("rep_id")[["target", "actual"]].sum()
    for r, (rep_id, name) in enumerate(rows, start=REP_ROW + 1):
        put(ws, r, 1, rep_id), put(ws, r, 2, name)
        target, actual = sums.loc[rep_id] if rep_id in sums.index else (0.0, 0.0)
        _formula(ws, r, 3, f"=SUMIFS({att('target')},{att('rep_id')},$A{r},{in_year})", "#,##0", target)
        _formula(ws, r, 4, f"=SUMIFS({att('actual')},{att('rep_id')},$A{r},{in_year})", "#,##0", actual)
        _formula(ws, r, 5, f'=IF(N(C{r})>0,D{r}/C{r},"")', "0.0%", _ratio(actual, target))
        put(ws, r, 6, 1).number_format = "0%"  # the 100% line of the chart
    last = REP_ROW + len(rows)
    styles.traffic_lights(ws, f"E{REP_ROW + 1}:E{last}")
    return last


def _month_block(ws: Worksheet, header: int, attainment: pd.DataFrame | None, year: int) -> int:
    """Target and actual per month of the year; returns the last row."""
    _block_header(ws, header, tr("Monthly sales against target"), [tr("Month"), tr("Target"), tr("Actual")])
    att, month_format = partial(_ref, "attainment"), _month_formats()[0]
    revenue = f'{att("measure")},"{tr("revenue")}"'
    rows = _year_rows(attainment, year)
    sums = rows.groupby(pd.to_datetime(rows["period"]).dt.month)[["target", "actual"]].sum()
    for k in range(1, 13):
        r = header + k
        target, actual = sums.loc[k] if k in sums.index else (0.0, 0.0)
        _formula(ws, r, 1, f"=DATE({YEAR_CELL},{k},1)", month_format, dt.datetime(year, k, 1))
        _formula(ws, r, 2, f"=SUMIFS({att('target')},{att('period')},$A{r},{revenue})", "#,##0", target)
        _formula(ws, r, 3, f"=SUMIFS({att('actual')},{att('period')},$A{r},{revenue})", "#,##0", actual)
    return header + 12


def _tier_block(ws: Worksheet, header: int, tiers: pd.DataFrame | None, settings: pd.DataFrame | None) -> int:
    """Number of customers per tier; returns the last row."""
    _block_header(ws, header, tr("Customer tier mix"), [tr("Tier"), tr("Customers")])
    labels = [s for s in str(read_settings(settings)["tier_labels"]).split(";") if s]
    if tiers is not None:
        labels += sorted(set(tiers["tier"].dropna().astype(str)) - set(labels))
    counts = pd.Series(dtype="int64") if tiers is None else tiers["tier"].astype(str).value_counts()
    for k, label in enumerate(labels, start=1):
        put(ws, header + k, 1, label)
        _formula(
            ws,
            header + k,
            2,
            f"=COUNTIFS({_ref('customer_tiers', 'tier')},$A{header + k})",
            "0",
            int(counts.get(label, 0)),
        )
    return header + len(labels)


def _level_block(ws: Worksheet, header: int, level: str, variance: pd.DataFrame | None, year: int) -> int:
    """The year's target, actual and attainment per key of a Target variance level; returns the last row."""
    caption, name = _level_texts(level)
    _block_header(ws, header, caption, [name, tr("Target"), tr("Actual (net)"), tr("Attainment")])
    keys = [] if variance is None else sorted(set(variance.loc[variance["level"] == level, "key"].astype(str)))
    tv = partial(_ref, "target_variance")
    criteria = (
        f'{tv("level")},"{tr(level)}",{tv("key")},$A{{r}},{tv("period_type")},"{tr("year")}",{tv("period")},$B$3&"",'
        f'{tv("measure")},"{tr("revenue")}"'
    )
    rows = _variance_year(variance, year)
    sums = rows[rows["level"] == level].groupby(rows["key"].astype(str))[["target", "actual"]].sum()
    for r, key in enumerate(keys or [None], start=header + 1):
        put(ws, r, 1, key)
        target, actual = sums.loc[key] if key in sums.index else (0.0, 0.0)
        _formula(ws, r, 2, f"=SUMIFS({tv('target')},{criteria.format(r=r)})", "#,##0", target)
        _formula(ws, r, 3, f"=SUMIFS({tv('actual')},{criteria.format(r=r)})", "#,##0", actual)
        _formula(ws, r, 4, f'=IF(N(B{r})>0,C{r}/B{r},"")', "0.0%", _ratio(actual, target))
    last = header + max(len(keys), 1)
    styles.traffic_lights(ws, f"D{header + 1}:D{last}")
    return last


def _level_chart(ws: Worksheet, level: str, header: int, last: int, anchor: str) -> None:
    bar = BarChart()
    bar.type, bar.title, bar.style = "bar", _level_texts(level)[0], 10
    bar.add_data(Reference(ws, min_col=4, min_row=header, max_row=last), titles_from_data=True)
    bar.set_categories(Reference(ws, min_col=1, min_row=header + 1, max_row=last))
    bar.x_axis.number_format = "0%"
    bar.legend = None
    bar.series[0].graphicalProperties.solidFill = styles.BLUE
    _place(ws, bar, anchor, 17, 7.5)


def _level_texts(level: str) -> tuple[str, str]:
    """The caption (and chart title) of a level's block and the header of its keys."""
    return {
        "region": (tr("Attainment by region"), tr("Region")),
        "category": (tr("Attainment by category"), tr("Category")),
    }[level]


def _formula(ws: Worksheet, row: int, column: int, formula: str, number_format: str, result) -> None:
    set_formula(ws.cell(row, column), formula, result).number_format = number_format


# What the formulas give for the year they are built for, stored with them (`formula_cache`)
def _card_results(computed: dict[str, pd.DataFrame], year: int) -> tuple[list, bool]:
    """The key figures' results, in `_card_specs` order, and whether the team has its own target."""
    variance = _variance_year(computed.get("target_variance"), year)
    variance = variance[variance["target"].notna()]
    team = variance[variance["level"] == "team"]
    has_team = len(team) > 0
    mine = team if has_team else variance[variance["level"] == "rep"]
    actual, target = float(mine["actual"].sum()), float(mine["target"].sum())
    summary = _year_rows(computed.get("commission_summary"), year)
    board = computed.get("leaderboard")
    first = pd.DataFrame(columns=["name"]) if board is None else board[board["rank"] == 1]
    champion = first["name"].iloc[0] if len(first) else ""
    return [actual, target, _ratio(actual, target), float(summary["total"].sum()), champion], has_team


def _team_note(has_team: bool, year: int) -> str:
    if has_team:
        return tr("Against the team's own target (Targets sheet)")
    return tr("Against the sum of the reps' targets: no team target for {year}").format(year=year)


def _year_rows(frame: pd.DataFrame | None, year: int) -> pd.DataFrame:
    """The revenue rows of `frame` whose period is in `year` (none for a missing table)."""
    if frame is None:
        return pd.DataFrame(columns=["rep_id", "period", "target", "actual", "total"])
    return _revenue(frame[pd.to_datetime(frame["period"]).dt.year == year])


def _variance_year(variance: pd.DataFrame | None, year: int) -> pd.DataFrame:
    """The Target variance's revenue rows for the whole of `year`."""
    if variance is None:
        return pd.DataFrame(columns=["level", "key", "target", "actual"])
    return _revenue(variance[(variance["period_type"] == "year") & (variance["period"].astype(str) == str(year))])


def _revenue(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows measuring sales (a table without measures measures only sales)."""
    return frame[frame["measure"] == "revenue"] if "measure" in frame else frame


def _ratio(actual: float, target: float):
    """actual / target, or "" (blank) without a positive target, as the sheet's IF(N(...)>0, ...)."""
    return actual / target if target > 0 else ""


def _filled(value) -> bool:
    """Whether COUNTA counts `value`."""
    return not (pd.isna(value) or value == "")


def _charts(ws: Worksheet, reps_end: int, months_end: int, tiers_end: int) -> None:
    bar = BarChart()
    bar.type, bar.title, bar.style = "col", tr("Attainment by rep"), 10
    bar.add_data(Reference(ws, min_col=5, min_row=REP_ROW, max_row=reps_end), titles_from_data=True)
    bar.set_categories(Reference(ws, min_col=2, min_row=REP_ROW + 1, max_row=reps_end))
    bar.y_axis.number_format, bar.y_axis.title = "0%", tr("Attainment")
    bar.legend = None
    bar.series[0].graphicalProperties.solidFill = styles.BLUE
    goal = LineChart()
    goal.add_data(Reference(ws, min_col=6, min_row=REP_ROW, max_row=reps_end), titles_from_data=True)
    goal.series[0].graphicalProperties.line.solidFill = styles.RED_TEXT
    goal.series[0].graphicalProperties.line.dashStyle = "dash"
    bar += goal
    _place(ws, bar, "G1", 17, 7.5)

    months_start = reps_end + 3
    line = LineChart()
    line.title, line.style = tr("Monthly sales against target"), 12
    line.add_data(Reference(ws, min_col=2, max_col=3, min_row=months_start, max_row=months_end), titles_from_data=True)
    line.set_categories(Reference(ws, min_col=1, min_row=months_start + 1, max_row=months_end))
    line.x_axis.number_format, line.y_axis.number_format = _month_formats()[1], "#,##0"
    for series, colour, dash in zip(line.series, (styles.GREY, styles.BLUE), ("dash", "solid")):
        series.smooth = False
        series.graphicalProperties.line.solidFill = colour
        series.graphicalProperties.line.dashStyle = dash
        series.graphicalProperties.line.width = 28575  # 2.25 pt
    _place(ws, line, "G17", 17, 7.5)

    tiers_start = months_end + 3
    pie = PieChart()
    pie.title = tr("Customer tier mix")
    pie.add_data(Reference(ws, min_col=2, min_row=tiers_start, max_row=tiers_end), titles_from_data=True)
    pie.set_categories(Reference(ws, min_col=1, min_row=tiers_start + 1, max_row=tiers_end))
    pie.dataLabels = DataLabelList(
        showPercent=True, showVal=False, showCatName=False, showSerName=False, showLegendKey=False
    )
    labels = [ws.cell(r, 1).value for r in range(tiers_start + 1, tiers_end + 1)]
    metals = {name.casefold(): c for metal, c in TIER_COLOURS.items() for name in every(metal.title())}  # 铜牌 too
    for k, label in enumerate(labels):
        point = DataPoint(idx=k)
        point.graphicalProperties.solidFill = metals.get(str(label).casefold(), PALETTE[k % len(PALETTE)])
        pie.series[0].dPt.append(point)
    _place(ws, pie, "G33", 17, 7.5)


def _place(ws: Worksheet, chart, anchor: str, width_cm: float, height_cm: float) -> None:
    chart.width, chart.height = width_cm, height_cm
    ws.add_chart(chart, anchor)
