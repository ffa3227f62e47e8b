"""The Dashboard sheet: key figures, attainment by rep, monthly sales against target, tier mix,
attainment by region and by category.

Every figure is a formula over the tables (SUMIFS/COUNTIFS on structured references)
for the year typed in B3, so a manager can change the year or the data and Excel
recalculates; the native charts read those cells.  The lists of reps, months and
tiers are written from the computed tables when the dashboard is built.
"""

from __future__ import annotations

import pandas as pd
from openpyxl.chart import BarChart, LineChart, PieChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from sales_tools.core.settings import read_settings
from sales_tools.excel import styles
from sales_tools.excel.values import put, set_formula
from sales_tools.schema import TABLES

SHEET = "Dashboard"
SOURCES = ("attainment", "customer_tiers", "leaderboard", "commission_summary", "target_variance")
YEAR_CELL = "$B$3"
_ATT, _SUM = TABLES["attainment"].excel_name, TABLES["commission_summary"].excel_name
_TIERS, _BOARD = TABLES["customer_tiers"].excel_name, TABLES["leaderboard"].excel_name
_TV = TABLES["target_variance"].excel_name
_IN_YEAR = '{t}[Period],">="&DATE($B$3,1,1),{t}[Period],"<"&DATE($B$3+1,1,1)'
# The year's rows of a Target variance level ("team", "rep", ...) that have a target.
_TV_YEAR = f'{_TV}[Level],"{{level}}",{_TV}[Period type],"year",{_TV}[Period],$B$3&"",{_TV}[Target],"<>"'
_TV_YEAR += f',{_TV}[Measure],"revenue"'  # sales against sales targets (not margin or quantity)
_ATT_REVENUE = f'{_ATT}[Measure],"revenue"'
_HAS_TEAM = f"COUNTIFS({_TV_YEAR.format(level='team')})>0"


def _team(column: str) -> str:
    """The team's figure: its own Targets row's when there is one, else the reps' with a target."""
    team, reps = (f"SUMIFS({_TV}[{column}],{_TV_YEAR.format(level=lv)})" for lv in ("team", "rep"))
    return f"IF({_HAS_TEAM},{team},{reps})"


# Key figures: (label, formula, number format); cells A6:E6, and what the target is in A7.
CARDS = (
    ("Team sales (net)", _team("Actual"), "#,##0"),
    ("Team target", _team("Target"), "#,##0"),
    ("Team attainment", 'IF(N(B6)>0,A6/B6,"")', "0.0%"),
    ("Commission total", f"SUMIFS({_SUM}[Total],{_IN_YEAR.format(t=_SUM)})", "#,##0.00"),
    ("Sales champion", f'IFERROR(INDEX({_BOARD}[Name],MATCH(1,{_BOARD}[Rank],0)),"")', "@"),
)
TEAM_NOTE = (
    f'IF({_HAS_TEAM},"Against the team\'s own target (Targets sheet)",'
    f'"Against the sum of the reps\' targets: no team target for "&$B$3)'
)
REP_ROW = 10  # header row of the attainment-by-rep block
LEVEL_BLOCKS = ("region", "category")  # Target variance levels with a block and a chart
# The warning cell: how many rows the Exceptions sheet holds (red when any)
EXCEPTIONS_CELL = "C3"
_EXCEPTIONS = f"COUNTA({TABLES['exceptions'].excel_name}[Reason])"
_EXCEPTIONS_FORMAT = '0" exception(s): see the Exceptions sheet";;"No exceptions"'


def build(wb: Workbook, computed: dict[str, pd.DataFrame], settings: pd.DataFrame | None) -> Worksheet:
    """Fill the (empty) Dashboard sheet of `wb` and return it."""
    ws = wb[SHEET]
    year = dashboard_year(computed.get("attainment"), settings)
    styles.title(
        ws,
        "Sales dashboard",
        f"{read_settings(settings)['company']}: figures for the year in B3, recalculated from the tables",
    )
    put(ws, 3, 1, "Year").font = styles.LABEL_FONT
    year_cell = put(ws, 3, 2, year)
    year_cell.font, year_cell.fill = styles.CARD_FONT, styles.INPUT_FILL
    _exceptions_warning(ws)
    _cards(ws)
    reps_end = _rep_block(ws, computed.get("attainment"))
    months_end = _month_block(ws, reps_end + 3)
    tiers_end = _tier_block(ws, months_end + 3, computed.get("customer_tiers"), settings)
    _charts(ws, reps_end, months_end, tiers_end)
    start = tiers_end + 3
    for k, level in enumerate(LEVEL_BLOCKS):
        end = _level_block(ws, start, level, computed.get("target_variance"))
        _level_chart(ws, level, start, end, f"G{49 + 16 * k}")
        start = end + 3
    styles.set_widths(ws, [18, 22, 16, 18, 20, 3])
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


def _exceptions_warning(ws: Worksheet) -> None:
    """The count of Exceptions rows beside the year: red, so nothing left unpaid goes unseen."""
    cell = set_formula(ws[EXCEPTIONS_CELL], f"={_EXCEPTIONS}")
    cell.number_format, cell.font = _EXCEPTIONS_FORMAT, styles.LABEL_FONT
    ws.merge_cells("C3:E3")
    styles.warn_when(ws, "C3:E3", "$C$3>0")


def _cards(ws: Worksheet) -> None:
    for i, (label, formula, fmt) in enumerate(CARDS):
        col = 1 + i
        head, value = put(ws, 5, col, label), set_formula(ws.cell(6, col), "=" + formula)
        head.font, head.fill, head.alignment = styles.HEADER_FONT, styles.HEADER_FILL, styles.HEADER_ALIGN
        value.number_format = fmt
        value.font, value.fill, value.border = styles.CARD_FONT, styles.CARD_FILL, styles.BOX
        value.alignment = styles.HEADER_ALIGN
    ws.row_dimensions[6].height = 28
    styles.traffic_lights(ws, "C6:C6")
    note = set_formula(ws["A7"], "=" + TEAM_NOTE)
    note.font = styles.SUBTITLE_FONT
    ws.merge_cells("A7:E7")


def _block_header(ws: Worksheet, row: int, caption: str, headers: list[str]) -> None:
    put(ws, row - 1, 1, caption).font = styles.LABEL_FONT
    for j, text in enumerate(headers, start=1):
        put(ws, row, j, text)
    styles.style_header(ws, row, 1, len(headers))


def _rep_block(ws: Worksheet, attainment: pd.DataFrame | None) -> int:
    """Target, actual and attainment per rep for the year; returns the last row."""
    _block_header(ws, REP_ROW, "Attainment by rep", ["Rep ID", "Name", "Target", "Actual", "Attainment"])
    reps = pd.DataFrame(columns=["rep_id", "name"]) if attainment is None else attainment
    reps = reps[["rep_id", "name"]].drop_duplicates("rep_id").sort_values("rep_id")
    rows = list(reps.itertuples(index=False, name=None)) or [(None, None)]
    year = _IN_YEAR.format(t=_ATT) + "," + _ATT_REVENUE
    for r, (rep_id, name) in enumerate(rows, start=REP_ROW + 1):
        put(ws, r, 1, rep_id), put(ws, r, 2, name)
        _formula(ws, r, 3, f"=SUMIFS({_ATT}[Target],{_ATT}[Rep ID],$A{r},{year})", "#,##0")
        _formula(ws, r, 4, f"=SUMIFS({_ATT}[Actual],{_ATT}[Rep ID],$A{r},{year})", "#,##0")
        _formula(ws, r, 5, f'=IF(N(C{r})>0,D{r}/C{r},"")', "0.0%")
    last = REP_ROW + len(rows)
    styles.traffic_lights(ws, f"E{REP_ROW + 1}:E{last}")
    return last


def _month_block(ws: Worksheet, header: int) -> int:
    """Target and actual per month of the year; returns the last row."""
    _block_header(ws, header, "Monthly sales against target", ["Month", "Target", "Actual"])
    for k in range(1, 13):
        r = header + k
        _formula(ws, r, 1, f"=DATE({YEAR_CELL},{k},1)", "mmm yyyy")
        _formula(ws, r, 2, f"=SUMIFS({_ATT}[Target],{_ATT}[Period],$A{r},{_ATT_REVENUE})", "#,##0")
        _formula(ws, r, 3, f"=SUMIFS({_ATT}[Actual],{_ATT}[Period],$A{r},{_ATT_REVENUE})", "#,##0")
    return header + 12


def _tier_block(ws: Worksheet, header: int, tiers: pd.DataFrame | None, settings: pd.DataFrame | None) -> int:
    """Number of customers per tier; returns the last row."""
    _block_header(ws, header, "Customer tier mix", ["Tier", "Customers"])
    labels = [s for s in str(read_settings(settings)["tier_labels"]).split(";") if s]
    if tiers is not None:
        labels += sorted(set(tiers["tier"].dropna().astype(str)) - set(labels))
    for k, label in enumerate(labels, start=1):
        put(ws, header + k, 1, label)
        _formula(ws, header + k, 2, f"=COUNTIFS({_TIERS}[Tier],$A{header + k})", "0")
    return header + len(labels)


def _level_block(ws: Worksheet, header: int, level: str, variance: pd.DataFrame | None) -> int:
    """The year's target, actual and attainment per key of a Target variance level; returns the last row."""
    _block_header(ws, header, f"Attainment by {level}", [level.capitalize(), "Target", "Actual (net)", "Attainment"])
    keys = [] if variance is None else sorted(set(variance.loc[variance["level"] == level, "key"].astype(str)))
    year = f'{_TV}[Level],"{level}",{_TV}[Key],$A{{r}},{_TV}[Period type],"year",{_TV}[Period],$B$3&"",{_TV}[Measure],"revenue"'
    for r, key in enumerate(keys or [None], start=header + 1):
        put(ws, r, 1, key)
        _formula(ws, r, 2, f"=SUMIFS({_TV}[Target],{year.format(r=r)})", "#,##0")
        _formula(ws, r, 3, f"=SUMIFS({_TV}[Actual],{year.format(r=r)})", "#,##0")
        _formula(ws, r, 4, f'=IF(N(B{r})>0,C{r}/B{r},"")', "0.0%")
    last = header + max(len(keys), 1)
    styles.traffic_lights(ws, f"D{header + 1}:D{last}")
    return last


def _level_chart(ws: Worksheet, level: str, header: int, last: int, anchor: str) -> None:
    bar = BarChart()
    bar.type, bar.title, bar.style = "bar", f"Attainment by {level}", 10
    bar.add_data(Reference(ws, min_col=4, min_row=header, max_row=last), titles_from_data=True)
    bar.set_categories(Reference(ws, min_col=1, min_row=header + 1, max_row=last))
    bar.x_axis.number_format = "0%"
    bar.legend = None
    bar.series[0].graphicalProperties.solidFill = styles.BLUE
    _place(ws, bar, anchor, 17, 7.5)


def _formula(ws: Worksheet, row: int, column: int, formula: str, number_format: str) -> None:
    set_formula(ws.cell(row, column), formula).number_format = number_format


def _charts(ws: Worksheet, reps_end: int, months_end: int, tiers_end: int) -> None:
    bar = BarChart()
    bar.type, bar.title, bar.style = "col", "Attainment by rep", 10
    bar.add_data(Reference(ws, min_col=5, min_row=REP_ROW, max_row=reps_end), titles_from_data=True)
    bar.set_categories(Reference(ws, min_col=2, min_row=REP_ROW + 1, max_row=reps_end))
    bar.y_axis.number_format, bar.y_axis.title = "0%", "Attainment"
    bar.legend = None
    bar.series[0].graphicalProperties.solidFill = styles.BLUE
    _place(ws, bar, "G1", 17, 7.5)

    months_start = reps_end + 3
    line = LineChart()
    line.title, line.style = "Monthly sales against target", 12
    line.add_data(Reference(ws, min_col=2, max_col=3, min_row=months_start, max_row=months_end), titles_from_data=True)
    line.set_categories(Reference(ws, min_col=1, min_row=months_start + 1, max_row=months_end))
    line.x_axis.number_format, line.y_axis.number_format = "mmm", "#,##0"
    for series, colour, dash in zip(line.series, (styles.GREY, styles.BLUE), ("dash", "solid")):
        series.smooth = False
        series.graphicalProperties.line.solidFill = colour
        series.graphicalProperties.line.dashStyle = dash
        series.graphicalProperties.line.width = 28575  # 2.25 pt
    _place(ws, line, "G17", 17, 7.5)

    tiers_start = months_end + 3
    pie = PieChart()
    pie.title = "Customer tier mix"
    pie.add_data(Reference(ws, min_col=2, min_row=tiers_start, max_row=tiers_end), titles_from_data=True)
    pie.set_categories(Reference(ws, min_col=1, min_row=tiers_start + 1, max_row=tiers_end))
    pie.dataLabels = DataLabelList(
        showPercent=True, showVal=False, showCatName=False, showSerName=False, showLegendKey=False
    )
    _place(ws, pie, "G33", 17, 7.5)


def _place(ws: Worksheet, chart, anchor: str, width_cm: float, height_cm: float) -> None:
    chart.width, chart.height = width_cm, height_cm
    ws.add_chart(chart, anchor)
