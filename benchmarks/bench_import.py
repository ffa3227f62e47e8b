"""3. Consolidation: import filled rep templates into a master, against pandas + openpyxl.

* **ours**: `importer.import_files` as shipped: files and master read with python-calamine,
  the master written once by `sheet_xml.patch_tables` (only the XML of the sheets that change).
* **pandas read**: the same import with every workbook (the rep files and the master) read
  by ``pandas.read_excel(sheet_name=None, header=None, engine="openpyxl")``: the
  importer's two reading points (`importer.sources._read_book`, `excel.reader.open_workbook`)
  are replaced for the run; validation and writing are ours.
* **pandas read + openpyxl write**: as above, and the master is rewritten whole by
  ``openpyxl.load_workbook`` + ``ws.append`` + save, as a hand-written consolidation does.

Every way must import the same rows: the log's counts and the master's tables after the
import are compared.  The files are generated once into the cache folder with the
package's `template_workbook` (and openpyxl to fill them in).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from benchmarks import synth
from benchmarks.common import Timing, fmt_s, timers
from benchmarks.common import replaced as patched
from sales_tools.excel import reader
from sales_tools.excel.builder import build_master
from sales_tools.excel.reader import read_tables
from sales_tools.excel.save import atomic_save
from sales_tools.excel.templates import template_workbook
from sales_tools.excel.values import cell_value
from sales_tools.importer import apply, sources
from sales_tools.schema import TEMPLATE_FIRST_ROW, TEMPLATE_TABLES, VISIT_OUTCOMES

PERIOD = pd.Period("2024-06")
FULL, QUICK = (200, 500), (6, 100)  # (rep files, rows per file)
CUSTOMERS_PER_REP = 20
SPLIT = {"rep_orders": 0.5, "rep_daily_report": 0.3, "rep_collections": 0.2}  # rows per sheet
COMPARED = ("orders", "activities", "payments", "import_log")


# ---------------------------------------------------------------- the files, once
def fixtures(cache: Path, reps: int, rows: int) -> tuple[Path, list[Path]]:
    """The master and the filled rep files in `cache` (generated on the first call)."""
    folder = Path(cache) / f"import_{reps}x{rows}"
    files = [folder / f"R{i:03d}_{PERIOD}.xlsx" for i in range(reps)]
    if not (folder / "done").exists():
        folder.mkdir(parents=True, exist_ok=True)
        inputs = _master_inputs(reps, rows)
        build_master(folder / "master.xlsx", inputs)
        rng = np.random.default_rng(1)
        for i, path in enumerate(files):
            _write_filled(path, inputs, f"R{i:03d}", rows, rng)
        (folder / "done").write_text("")
    return folder / "master.xlsx", files


def _master_inputs(reps: int, rows: int) -> dict[str, pd.DataFrame]:
    """Reps, customers, categories and one earlier month of orders (as many as will be imported)."""
    rep_ids = np.array([f"R{i:03d}" for i in range(reps)], dtype=object)
    n = reps * CUSTOMERS_PER_REP
    customers = pd.DataFrame(
        {
            "customer_id": [f"C{i:05d}" for i in range(n)],
            "name": [f"Customer {i}" for i in range(n)],
            "region": "North",
            "industry": "Retail",
            "owner_rep": rep_ids[np.arange(n) // CUSTOMERS_PER_REP],
        }
    )
    earlier = synth.inputs(reps * rows, reps=reps, months=1, seed=2)["orders"]
    earlier = earlier.assign(
        order_date=pd.Timestamp("2024-05-15"),
        rep_id=rep_ids[np.arange(len(earlier)) % reps],
        customer_id=customers["customer_id"].to_numpy()[np.arange(len(earlier)) % n],
    )
    return {
        "reps": pd.DataFrame(
            {"rep_id": rep_ids, "name": [f"Rep {r}" for r in rep_ids], "region": "North", "plan": "Std"}
        ),
        "customers": customers,
        "categories": pd.DataFrame({"category": list(synth.CATEGORIES)}),
        "plan": synth.plan_table(),
        "orders": earlier,
    }


def _write_filled(path: Path, inputs: dict, rep_id: str, rows: int, rng) -> None:
    mine = inputs["customers"][inputs["customers"]["owner_rep"] == rep_id]
    wb = template_workbook(
        rep={
            "rep_id": rep_id,
            "rep_name": f"Rep {rep_id}",
            "period_start": PERIOD.start_time,
            "period_end": PERIOD.end_time.normalize(),
        },
        customers=mine,
        categories=list(synth.CATEGORIES),
        targets=pd.DataFrame({"period": [PERIOD.start_time], "target": [50_000.0]}),
    )
    for name, share in SPLIT.items():
        table, frame = (
            TEMPLATE_TABLES[name],
            _rows(name, int(rows * share), mine["customer_id"].to_numpy(), rep_id, rng),
        )
        ws = wb[table.sheet]
        for i, record in enumerate(frame.itertuples(index=False), start=TEMPLATE_FIRST_ROW):
            for column, value in zip(frame.columns, record):
                ws.cell(i, table.names.index(column) + 1, cell_value(value))
    atomic_save(wb, path)


def _rows(name: str, n: int, customers: np.ndarray, rep_id: str, rng) -> pd.DataFrame:
    """`n` valid rows for one template sheet."""
    days = PERIOD.start_time + pd.to_timedelta(rng.integers(0, PERIOD.days_in_month, n), unit="D")
    who = customers[rng.integers(0, len(customers), n)]
    if name == "rep_orders":
        return pd.DataFrame(
            {
                "order_date": days,
                "order_id": [f"{rep_id}-{PERIOD.strftime('%Y%m')}-{i // 3:04d}" for i in range(n)],
                "customer_id": who,
                "category": np.array(synth.CATEGORIES)[rng.integers(0, 6, n)],
                "quantity": rng.integers(1, 20, n).astype(float),
                "unit_price": np.round(rng.lognormal(4, 0.8, n), 2),
            }
        )
    if name == "rep_daily_report":  # one visit per customer and day at most (the Activities key)
        pair = rng.choice(len(customers) * PERIOD.days_in_month, n, replace=False)
        days = PERIOD.start_time + pd.to_timedelta(pair // len(customers), unit="D")
        return pd.DataFrame(
            {
                "activity_date": days,
                "customer_id": customers[pair % len(customers)],
                "outcome": np.array(VISIT_OUTCOMES)[rng.integers(0, len(VISIT_OUTCOMES), n)],
                "order_amount": np.round(rng.uniform(0, 5000, n), 2),
                "hours": rng.integers(1, 8, n).astype(float),
            }
        )
    return pd.DataFrame(
        {
            "payment_date": days,
            "customer_id": who,
            "amount": np.round(rng.uniform(10, 5000, n), 2),
            "method": "Transfer",
        }
    )


# ---------------------------------------------------------------- the other way
def pandas_sheets(path) -> dict[str, list[list]]:
    """Every sheet's cells as calamine gives them ("" for blanks), read by pandas + openpyxl."""
    frames = pd.read_excel(path, sheet_name=None, header=None, engine="openpyxl")
    return {name: frame.astype(object).where(frame.notna(), "").to_numpy().tolist() for name, frame in frames.items()}


class PandasBook:
    """A workbook read by pandas, with what `excel.reader.read_raw` asks of a calamine book."""

    def __init__(self, path):
        self.sheets = pandas_sheets(path)
        self.sheet_names = list(self.sheets)

    def get_sheet_by_name(self, name: str) -> _Sheet:
        return _Sheet(self.sheets[name])


class _Sheet:
    def __init__(self, rows: list[list]):
        self.rows = rows

    def to_python(self, **_) -> list[list]:
        return self.rows


def openpyxl_write(master_path: Path, tmp: Path, changes) -> None:
    """The whole master loaded by openpyxl, the new rows appended, the table ranges grown, saved."""
    wb = load_workbook(master_path)
    for change in changes.values():
        if change.delete:
            raise NotImplementedError("the benchmark imports new files only")
        ws = wb[change.table.sheet]
        start = ws.max_row + 1
        for record in change.append.reindex(columns=change.table.names).itertuples(index=False):
            ws.append([cell_value(v) for v in record])
        for j, column in enumerate(change.table.columns, start=1):
            for r in range(start, ws.max_row + 1):
                ws.cell(r, j).number_format = column.number_format
        ws.tables[change.table.excel_name].ref = f"A1:{get_column_letter(len(change.table.columns))}{ws.max_row}"
    wb.save(tmp)


WAYS = {
    "ours (calamine, patch changed sheets)": {},
    "pandas+openpyxl read": {"read": True},
    "pandas+openpyxl read, openpyxl write": {"read": True, "write": True},
}


def import_once(master: Path, files: list[Path], read: bool = False, write: bool = False):
    """One import into a fresh copy of `master`: (seconds in all and per phase, report, the master's tables after)."""
    with tempfile.TemporaryDirectory(prefix="bench_import_") as tmp:
        target = Path(shutil.copy(master, Path(tmp) / "master.xlsx"))
        readers = {"_read_book": pandas_sheets} if read else {}
        with (
            patched(sources, **readers),
            patched(apply, **({"_write": openpyxl_write} if write else {})),
            patched(reader, **({"open_workbook": PandasBook} if read else {})),
            timers(apply, ["read_master", "read_source", "plan_changes", "_write"]) as spent,
        ):
            start = time.perf_counter()
            report = apply.import_files(target, files)
            spent["import"] = time.perf_counter() - start
        after = read_tables(target, list(COMPARED))  # the check, outside the timing
    return dict(spent), report, after


def same_result(a, b) -> bool:
    """Both imports read, imported and rejected the same rows and left the same tables."""
    (_, ra, ta), (_, rb, tb) = a, b
    if ra.totals != rb.totals:
        return False
    for name in COMPARED:
        x, y = (t[name].drop(columns=["imported_at"], errors="ignore").reset_index(drop=True) for t in (ta, tb))
        if not x.equals(y):
            return False
    return True


def run(quick: bool, repeat: int, cache: Path, **_) -> list[dict]:
    reps, rows = QUICK if quick else FULL
    master, files = fixtures(cache, reps, rows)
    results, rows_out, reference = {}, [], None
    for way, options in WAYS.items():
        phases = [import_once(master, files, **options) for _ in range(repeat)]
        out = phases[-1]
        timing = Timing([p[0]["import"] for p in phases])
        reference = reference or out
        results[way] = timing
        median = {k: float(np.median([p[0][k] for p in phases])) for k in phases[0][0]}
        rows_out.append(
            {
                "way": way,
                "files x rows": f"{reps} x {rows}",
                "rows imported": f"{out[1].totals['rows_imported']:,}",
                "total": fmt_s(timing.median),
                "read files": fmt_s(median["read_source"]),
                "read master": fmt_s(median["read_master"]),
                "validate": fmt_s(median["plan_changes"]),
                "write master": fmt_s(median["_write"]),
                "vs ours": f"{timing.median / results[next(iter(WAYS))].median:.1f}x",
                "same rows imported": "yes" if same_result(reference, out) else "NO",
            }
        )
        print(rows_out[-1], flush=True)
    return rows_out
