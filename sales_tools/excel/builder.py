"""The manager's master workbook: input tables, computed tables and the dashboard.

Sheet order: Dashboard, the input tables (schema order), the computed tables.  Some
computed columns are written as formulas a manager can read (e.g. attainment =
actual / target, blank without a target); `tests/excel/test_libreoffice.py` proves
LibreOffice computes what the Python refresh computes for them.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import zipfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.formatting.rule import FormulaRule, Rule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.styles.numbers import NumberFormat
from openpyxl.utils import get_column_letter

from sales_tools.core.leaderboard import CHAMPION
from sales_tools.core.settings import defaults, read_settings
from sales_tools.errors import WorkbookError
from sales_tools.excel import dashboard, styles
from sales_tools.excel.reader import read_tables
from sales_tools.excel.row_heights import fit_rows
from sales_tools.excel.save import atomic_save, write_workbook
from sales_tools.excel.sheet_xml import TableChange, UnsupportedLayout, patch_tables, restore_rows, sheet_names
from sales_tools.excel.sheets import EXCEL_MAX_ROW, conform, widths, write_table
from sales_tools.schema import COMPUTED_TABLES, INPUT_TABLES, SETTINGS, TABLES, Table
from sales_tools.schema.language import current, every, tr

# Fixed document times, so building the same data twice gives the same file content.
BUILD_TIME = dt.datetime(2024, 1, 1)
BULK_ROWS = 1_000
CONDITIONAL = ("attainment", "leaderboard")  # tables whose conditional formats cover their rows
GOLD = "FFD966"


def _this_row(table: Table, column: str) -> str:
    return f"{table.excel_name}[[#This Row],[{table.column(column).header}]]"


def _ratio(table: str, numerator: str, denominator: str) -> str:
    """numerator / denominator, blank (not #DIV/0!) when the denominator is missing or 0."""
    t = TABLES[table]
    num, den = _this_row(t, numerator), _this_row(t, denominator)
    return f'IF(N({den})>0,{num}/{den},"")'


def _variance() -> str:
    """Actual - target, to the cent (below target is negative); blank without a target."""
    t = TABLES["attainment"]
    target, actual = _this_row(t, "target"), _this_row(t, "actual")
    return f'IF(N({target})>0,ROUND({actual}-{target},2),"")'


# table -> column -> its formula (structured references by the headers of the current language, so
# built when written: `formulas`); the Python refresh must agree.
FORMULAS: dict[str, dict[str, Callable[[], str]]] = {
    "attainment": {
        "attainment": partial(_ratio, "attainment", "actual", "target"),
        "ytd_attainment": partial(_ratio, "attainment", "ytd_actual", "ytd_target"),
        "variance": _variance,
        "forecast_attainment": partial(_ratio, "attainment", "forecast", "target"),
    },
    "kpis": {"effective_visit_rate": partial(_ratio, "kpis", "effective_visits", "visits")},
}


def formulas(table: str) -> dict[str, str] | None:
    """The formula columns of computed table `table` in the current language (None: it has none)."""
    return {column: formula() for column, formula in FORMULAS[table].items()} if table in FORMULAS else None


def default_settings() -> pd.DataFrame:
    """The Settings table with the schema's defaults."""
    values = defaults(current())  # setting names shown as labels, read back in either language
    return pd.DataFrame([(tr(k), values[k], tr(d)) for k, (_, d) in SETTINGS.items()], columns=TABLES["settings"].names)


def build_master(
    path: str | os.PathLike,
    inputs: dict[str, pd.DataFrame] | None = None,
    computed: dict[str, pd.DataFrame] | None = None,
) -> Path:
    """Write a complete master workbook to `path` (atomically).

    Args:
        path: the .xlsx to write; an existing file is kept as `name.bak.xlsx`.
        inputs: input tables by schema name; missing ones are written empty (Settings
            gets the schema defaults).
        computed: computed tables by schema name (e.g. the result of `core.refresh.refresh`).

    Returns:
        The path written.

    Long tables (over `BULK_ROWS` rows, see `bulk_rows`) are written by openpyxl with
    their first row only; the other rows go straight into the sheet's XML (`sheet_xml`),
    many times faster, with the first row's number formats.
    """
    return save_master(path, inputs, computed)


def save_master(
    path: str | os.PathLike, inputs=None, computed=None, workbook: Callable[..., Workbook] | None = None
) -> Path:
    """Write the master `workbook(inputs, computed, first_row_only)` makes (default
    `master_workbook`) to `path` atomically, long tables' rows as sheet XML."""
    bulk = _bulk({**(inputs or {}), **(computed or {})})
    wb = (workbook or master_workbook)(inputs, computed, first_row_only=set(bulk))
    return atomic_save(lambda target: _write_with_rows(wb, bulk, target), path)


def _bulk(tables: dict[str, pd.DataFrame]) -> dict[str, TableChange]:
    """The tables whose rows after the first go straight into the sheet XML, as changes to apply."""
    return {
        name: TableChange(TABLES[name], append=frame.iloc[1:])
        for name, frame in tables.items()
        if bulk_rows(name, frame)
    }


def bulk_rows(name: str, frame: pd.DataFrame | None) -> bool:
    """Whether table `name`'s rows after the first can go into the sheet XML as they are.

    Long tables only, without formula columns or conditional formats, and whose columns
    hold what their schema type says (else openpyxl writes every cell, value by value).
    """
    if frame is None or len(frame) <= BULK_ROWS or name in FORMULAS or name in CONDITIONAL:
        return False
    return all(_holds(column.type, frame[column.name]) for column in TABLES[name].columns if column.name in frame)


def _holds(kind: str, values: pd.Series) -> bool:
    if values.isna().all():  # a blank column, whatever its dtype
        return True
    if kind in ("date", "month"):
        return pd.api.types.is_datetime64_any_dtype(values)
    if kind == "bool":
        return pd.api.types.is_bool_dtype(values)
    if kind == "text":
        return pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty")
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def _write_with_rows(wb: Workbook, bulk: dict[str, TableChange], target: Path) -> None:
    """Write `wb` next to `target`, then `target` with the bulk rows appended to their sheets."""
    first = target.with_suffix(".first.tmp")
    try:
        write_workbook(wb, first)
        patch_tables(first, target, bulk)
    finally:
        first.unlink(missing_ok=True)


def master_workbook(
    inputs: dict[str, pd.DataFrame] | None = None,
    computed: dict[str, pd.DataFrame] | None = None,
    first_row_only: set[str] = frozenset(),
) -> Workbook:
    """The master workbook in memory (see `build_master`); tables in `first_row_only` get their first row only."""
    inputs = {"settings": default_settings(), **(inputs or {})}
    computed = computed or {}

    def rows(tables: dict[str, pd.DataFrame], name: str) -> pd.DataFrame | None:
        frame = tables.get(name)
        return frame.head(1) if name in first_row_only else frame

    wb = Workbook()
    wb.remove(wb.active)
    styles.default_font(wb)
    wb.create_sheet(dashboard.title())
    for table in INPUT_TABLES:
        write_table(wb.create_sheet(table.sheet), table, rows(inputs, table.name))
    _floors_as_percent(wb[TABLES["plan"].sheet])
    for table in COMPUTED_TABLES:
        _write_computed_sheet(wb, table, rows(computed, table.name), len(wb.sheetnames))
    _fit_to_all_rows(wb, {n: f for n, f in {**inputs, **computed}.items() if n in first_row_only})
    dashboard.build(wb, computed, inputs["settings"])
    _headers(wb.worksheets, inputs["settings"])
    wb.properties.creator = "sales_tools"
    wb.properties.created = wb.properties.modified = BUILD_TIME
    wb.calculation.fullCalcOnLoad = True
    return wb


def write_computed(path: str | os.PathLike, computed: dict[str, pd.DataFrame]) -> Path:
    """Replace the computed sheets given in `computed` and rebuild the dashboard.

    The manager's input sheets, their validations and defined names are kept; computed
    tables not in `computed` (e.g. the Import log) are left as they are.  Saved atomically.

    openpyxl loads the master with the schema tables' rows left out, so it never
    builds the cells of a large history; the input tables' rows are then put back as
    they were (`sheet_xml.restore_rows`).  Where that cannot be done safely (the file's
    cell styles did not survive openpyxl unchanged), every cell goes through openpyxl.

    Raises:
        WorkbookError: the file is missing, not a workbook, or cannot be saved.
    """
    path = Path(path)
    if not path.exists():
        raise WorkbookError(tr("master workbook {master} does not exist").format(master=path))
    try:
        present = set(sheet_names(path))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise WorkbookError(
            tr("{file} is not a readable .xlsx workbook: {problem}").format(file=path.name, problem=exc)
        ) from exc
    replaced = [t for t in COMPUTED_TABLES if t.name in computed and t.sheet in present]
    kept = [t for t in INPUT_TABLES if t.sheet in present]
    try:
        return atomic_save(lambda target: _write_refreshed(path, computed, replaced, kept, target), path)
    except _RowsNotRestored:
        return atomic_save(lambda target: _write_refreshed(path, computed, replaced, [], target), path)


class _RowsNotRestored(Exception):
    """The kept sheets' rows cannot be put back as they were: take the slow path."""


def _write_refreshed(path: Path, computed: dict, replaced: list[Table], kept: list[Table], target: Path) -> None:
    """Write to `target` the master at `path` with `computed` in, the rows of `kept` put back as they are."""
    bulk = _bulk(computed)
    wb = _load_without_rows(path, replaced + kept)
    for table in COMPUTED_TABLES:
        if table.name in computed:
            index = len(wb.sheetnames)
            if table.sheet in wb.sheetnames:
                index = wb.sheetnames.index(table.sheet)
                wb.remove(wb[table.sheet])
            _write_computed_sheet(
                wb, table, computed[table.name].head(1) if table.name in bulk else computed[table.name], index
            )
    _fit_to_all_rows(wb, {n: f for n, f in computed.items() if n in bulk})
    for table in INPUT_TABLES:  # a master from an earlier sales_tools: its missing input sheets are added empty
        if table.sheet not in wb.sheetnames:
            after = max((wb.sheetnames.index(t.sheet) for t in INPUT_TABLES if t.sheet in wb.sheetnames), default=0)
            write_table(wb.create_sheet(table.sheet, after + 1), table, None)
    read = read_tables(path, [*(n for n in dashboard.SOURCES if n not in computed), "settings"])
    settings = read.pop("settings")
    sources = {**read, **computed}
    for old in every(dashboard.SHEET):
        if old in wb.sheetnames:
            wb.remove(wb[old])
    wb.create_sheet(dashboard.title(), 0)
    dashboard.build(wb, sources, settings)
    _headers([wb[n] for n in [dashboard.title(), *(t.sheet for t in replaced)]], settings)
    wb.properties.modified = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    wb.calculation.fullCalcOnLoad = True
    if not kept:
        _write_with_rows(wb, bulk, target)
        return
    staged = target.with_suffix(".staged.tmp")
    try:
        _write_with_rows(wb, bulk, staged)
        if not restore_rows(path, staged, target, [t.sheet for t in kept]):
            raise _RowsNotRestored
    finally:
        staged.unlink(missing_ok=True)


def _load_without_rows(path: Path, tables: list[Table]) -> Workbook:
    """The workbook at `path` with the rows of `tables` left out (openpyxl then never builds their cells)."""
    try:
        with tempfile.TemporaryDirectory(prefix="sales_tools_") as tmp:
            light = Path(tmp) / path.name
            try:
                patch_tables(path, light, {t.name: TableChange(t, clear=True) for t in tables})
            except UnsupportedLayout:  # a layout the XML path does not edit: openpyxl reads every cell
                light = path
            return load_workbook(light, keep_vba=path.suffix.lower() == ".xlsm")  # an .xlsm keeps its macros
    except Exception as exc:  # zipfile and openpyxl raise many kinds for a broken file
        raise WorkbookError(
            tr("{file} is not a readable .xlsx workbook: {problem}").format(file=path.name, problem=exc)
        ) from exc


def _headers(sheets, settings: pd.DataFrame | None) -> None:
    """The company, sheet name and page N of M on every printed page of `sheets`; narrow ones portrait."""
    company = read_settings(settings)["company"]
    for ws in sheets:
        styles.header_footer(ws, company)
        if ws.title != dashboard.SHEET:  # the Dashboard's charts lie right of its columns
            styles.orient(ws)


def _floors_as_percent(ws) -> None:
    """Plan floors that are attainment levels show as percentages (0.5 as 50%) beside
    floors in currency: a gate's and a bonus's always, a tier's when its plan's
    tier_basis is attainment."""
    plan = TABLES["plan"]
    letter = {name: get_column_letter(plan.names.index(name) + 1) for name in ("plan", "rule", "option", "floor")}
    p, r, o = (f"${letter[n]}" for n in ("plan", "rule", "option"))
    on_attainment = f'COUNTIFS({p}:{p},{p}2,{r}:{r},"{tr("tier_basis")}",{o}:{o},"attainment")>0'
    gate, bonus, tier = (f'{r}2="{tr(rule)}"' for rule in ("gate", "bonus", "tier"))  # rules show as labels
    formula = f"OR({gate},{bonus},AND({tier},{on_attainment}))"
    style = DifferentialStyle(numFmt=NumberFormat(numFmtId=9, formatCode="0%"))
    column = letter["floor"]
    ws.conditional_formatting.add(
        f"{column}2:{column}{EXCEL_MAX_ROW}", Rule(type="expression", formula=[formula], dxf=style)
    )


def _write_computed_sheet(wb: Workbook, table: Table, df: pd.DataFrame | None, index: int) -> None:
    ws = wb.create_sheet(table.sheet, index)
    write_table(ws, table, df, formulas(table.name))
    ws.sheet_properties.tabColor = styles.GREY
    last = ws.max_row
    for name in ("attainment", "ytd_attainment") if table.name == "attainment" else ():
        letter = get_column_letter(table.names.index(name) + 1)
        styles.traffic_lights(ws, f"{letter}2:{letter}{last}")
    if table.name == "leaderboard":
        _highlight_champion(ws, table, last)
    if table.name == "weekly_report":  # the lists of customers run to a few lines: wrapped, not cut
        _wrap(ws, table, ["abnormal_customers", "next_week_customers"], last)


def _wrap(ws, table: Table, columns: list[str], last: int) -> None:
    """Wrap `columns` of rows 2..`last` at the top of their cells, rows as tall as their text."""
    for name in columns:
        for row in range(2, last + 1):
            ws.cell(row, table.names.index(name) + 1).alignment = Alignment(wrap_text=True, vertical="top")
    fit_rows(ws, 2, last)


def _fit_to_all_rows(wb: Workbook, frames: dict[str, pd.DataFrame]) -> None:
    """Long tables are written with their first row: fit their columns to every row."""
    for name, frame in frames.items():
        if TABLES[name].sheet in wb.sheetnames:
            styles.set_widths(wb[TABLES[name].sheet], widths(TABLES[name], conform(TABLES[name], frame)))


def _highlight_champion(ws, table: Table, last: int) -> None:
    badge = get_column_letter(table.names.index("badge") + 1)
    end = get_column_letter(len(table.columns))
    rule = FormulaRule(
        formula=[f'${badge}2="{tr(CHAMPION)}"'],  # the badge as shown
        fill=PatternFill("solid", fgColor=GOLD, bgColor=GOLD),
        font=Font(bold=True),
    )
    ws.conditional_formatting.add(f"A2:{end}{last}", rule)
