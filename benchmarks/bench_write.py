"""5. Writing: the master workbook with 100k order rows (`build_master`), time and peak memory.

openpyxl writes its XML with lxml when lxml is installed, else with the much slower
pure-Python et_xmlfile; lxml is not a dependency.  Set SALES_TOOLS_BENCH_LXML to a
folder holding lxml (``pip install --target DIR lxml``) to measure with it as well.

The refresh's write-back (`builder.write_computed`, which keeps the manager's sheets
as they are) is measured on the same master.  `build_master` itself (every sheet, validations, styles, the dashboard) is measured as
shipped, where a long table's rows after the first go straight into the sheet XML
(`builder.bulk_rows`, `sheet_xml`), and with every cell written by openpyxl.  The Orders
sheet alone is also written two ways with the same content (values, number formats,
the Excel table): openpyxl's normal mode, as `excel.sheets.write_table` does, and its
write-only mode (rows streamed to disk).  Each is measured in its own process.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table as ExcelTable
from openpyxl.worksheet.table import TableColumn

from benchmarks import synth
from benchmarks.common import Timing, answer, child, fmt_s, peak_mb, replaced, reset_peak, rss_mb, timed
from sales_tools.core.refresh import refresh
from sales_tools.excel import builder
from sales_tools.excel.sheets import conform
from sales_tools.excel.values import cell_value
from sales_tools.schema import TABLES

ROWS, QUICK_ROWS = 100_000, 5_000
LXML = os.environ.get("SALES_TOOLS_BENCH_LXML")  # a folder holding lxml, or None
WAYS = {
    "build_master (whole workbook; long tables' rows as sheet XML)": "master",
    "build_master, every cell through openpyxl": "master_openpyxl",
    "refresh write-back (write_computed; input rows put back as they were)": "write_computed",
    "Orders sheet only, openpyxl normal mode": "normal",
    "Orders sheet only, openpyxl write-only mode": "write_only",
}


def inputs(rows: int) -> dict:
    data = synth.inputs(rows, reps=100, months=12)
    return {k: data[k] for k in ("settings", "reps", "customers", "categories", "plan", "orders")}


def orders_sheet(path: Path, orders, write_only: bool) -> Path:
    """The Orders table alone: header, values with the schema's number formats, the Excel table."""
    table = TABLES["orders"]
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet(table.sheet)
    formats = [c.number_format for c in table.columns]
    ws.append(table.headers)
    for record in conform(table, orders).itertuples(index=False, name=None):
        if write_only:
            cells = [WriteOnlyCell(ws, cell_value(v)) for v in record]
            for cell, number_format in zip(cells, formats):
                cell.number_format = number_format
            ws.append(cells)
        else:
            ws.append([cell_value(v) for v in record])
    if not write_only:
        for j, number_format in enumerate(formats, start=1):
            for r in range(2, len(orders) + 2):
                ws.cell(r, j).number_format = number_format
    xl = ExcelTable(displayName=table.excel_name, ref=f"A1:{get_column_letter(len(formats))}{len(orders) + 1}")
    xl.tableColumns = [TableColumn(id=i, name=header) for i, header in enumerate(table.headers, start=1)]
    with warnings.catch_warnings():  # write-only mode always warns; the columns are set above
        warnings.simplefilter("ignore", UserWarning)
        ws.add_table(xl)
    wb.save(path)
    return path


def measure(way: str, rows: int, repeat: int) -> dict:
    """In a fresh process: one way of writing, `repeat` times."""
    from openpyxl.xml import LXML as uses_lxml

    data = inputs(rows)
    before = rss_mb()
    reset_peak()
    with tempfile.TemporaryDirectory(prefix="bench_write_") as tmp:
        target = Path(tmp) / "master.xlsx"
        if way == "write_computed":
            builder.build_master(target, data)
            computed = refresh(data)
            reset_peak()
            timing, _ = timed(lambda: builder.write_computed(target, computed), repeat)
        elif way.startswith("master"):
            bulk = {"BULK_ROWS": 10**12} if way == "master_openpyxl" else {}
            with replaced(builder, **bulk):
                timing, _ = timed(lambda: builder.build_master(target, data), repeat)
        else:
            timing, _ = timed(lambda: orders_sheet(target, data["orders"], way == "write_only"), repeat)
        size = target.stat().st_size
    return {"runs": timing.runs, "peak_mb": peak_mb(), "inputs_mb": before, "file_mb": size / 2**20, "lxml": uses_lxml}


def child_main(args: dict) -> None:
    answer(measure(args["way"], args["rows"], args["repeat"]))


def run(quick: bool, repeat: int, **_) -> list[dict]:
    rows = QUICK_ROWS if quick else ROWS
    out = []
    for (label, way), path in [(item, None) for item in WAYS.items()] + [(item, LXML) for item in WAYS.items() if LXML]:
        got = child("write", path=path, way=way, rows=rows, repeat=repeat)
        t = Timing(got["runs"])
        out.append(
            {
                "way": label,
                "XML writer": "lxml" if got["lxml"] else "et_xmlfile",
                "order rows": f"{rows:,}",
                "time": fmt_s(t.median),
                "peak MB (inputs MB)": f"{got['peak_mb']:,.0f} ({got['inputs_mb']:,.0f})",
                "memory for writing MB": f"{got['peak_mb'] - got['inputs_mb']:,.0f}",
                "file MB": f"{got['file_mb']:.1f}",
            }
        )
        print(out[-1], flush=True)
    return out
