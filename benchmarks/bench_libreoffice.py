"""4. The spreadsheet engine side by side: 100k tiered commissions as native formulas in
LibreOffice headless against the core computing the same commissions.

Each row holds an amount and ``=ROUND(SUMPRODUCT((A2>floors)*(A2-floors)*rate_deltas),2)``
(marginal tiers: each floor adds its rate minus the previous rate on the slice above it).
LibreOffice recalculates while converting xlsx -> xlsx (`libreoffice.convert`); the cached
values are read back with python-calamine and must equal the core's cents exactly.
The soffice start-up is measured on a one-cell workbook and quoted apart.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName
from python_calamine import CalamineWorkbook

from benchmarks.common import cents, fmt_s, timed
from sales_tools.core.money import round_cents
from sales_tools.core.tiers import tiered
from sales_tools.libreoffice import convert

FLOORS = (0.0, 5_000.0, 10_000.0, 20_000.0)
RATES = (0.03, 0.05, 0.08, 0.10)
ROWS, QUICK_ROWS = 100_000, 2_000
FORMULA = "=ROUND(SUMPRODUCT((A{r}>floors)*(A{r}-floors)*rate_deltas),2)"


def amounts(n: int) -> np.ndarray:
    """Amounts in cents across every tier, including values exactly on a floor."""
    values = np.round(np.random.default_rng(3).uniform(0, 30_000, n), 2)
    values[: len(FLOORS)] = FLOORS
    return values


def formula_workbook(path: Path, values: np.ndarray) -> Path:
    """Amounts in column A, the SUMPRODUCT formula in column B, the tier table on sheet Plan."""
    wb = Workbook(write_only=True)
    plan = wb.create_sheet("Plan")
    plan.append(["floor", "rate", "rate_delta"])
    deltas = np.diff(np.r_[0.0, RATES])
    for floor, rate, delta in zip(FLOORS, RATES, deltas):
        plan.append([floor, rate, float(delta)])
    last = len(FLOORS) + 1
    wb.defined_names["floors"] = DefinedName("floors", attr_text=f"Plan!$A$2:$A${last}")
    wb.defined_names["rate_deltas"] = DefinedName("rate_deltas", attr_text=f"Plan!$C$2:$C${last}")
    ws = wb.create_sheet("Commissions")
    ws.append(["amount", "commission"])
    for r, value in enumerate(values, start=2):
        ws.append([float(value), FORMULA.format(r=r)])
    wb.calculation.fullCalcOnLoad = True
    wb.save(path)
    return path


def recalculated(path: Path, outdir: Path) -> np.ndarray:
    """LibreOffice recalculates `path`; the commission column's cached values."""
    (out,) = convert([path], "xlsx", outdir)
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Commissions").to_python()
    return np.array([row[1] for row in rows[1:]], dtype="float64")


def core(values: np.ndarray) -> np.ndarray:
    return round_cents(tiered(values, FLOORS, RATES, "marginal"))


def _ratio(slow: float, fast: float) -> str:
    return f"{slow / fast:,.0f}x" if slow > 0 else "within start-up noise"


def run(quick: bool, repeat: int, **_) -> list[dict]:
    n = QUICK_ROWS if quick else ROWS
    values = amounts(n)
    with tempfile.TemporaryDirectory(prefix="bench_lo_") as tmp:
        tmp = Path(tmp)
        build, book = timed(lambda: formula_workbook(tmp / "commissions.xlsx", values), 1)
        tiny = formula_workbook(tmp / "tiny.xlsx", values[:1])
        startup, _ = timed(lambda: recalculated(tiny, tmp / "out_tiny"), repeat)
        office, got = timed(lambda: recalculated(book, tmp / "out"), repeat)
    ours, mine = timed(lambda: core(values), max(repeat, 5))
    differ = int((cents(got) != cents(mine)).sum())
    row = {
        "rows": f"{n:,}",
        "write formula workbook (openpyxl)": fmt_s(build.median),
        "LibreOffice convert (total)": fmt_s(office.median),
        "soffice start-up (1-row file)": fmt_s(startup.median),
        "core tiered + round": fmt_s(ours.median),
        "LibreOffice / core": f"{office.median / ours.median:,.0f}x",
        "(LibreOffice - start-up) / core": _ratio(office.median - startup.median, ours.median),
        "rows differing by a cent": f"{differ} of {n:,}",
    }
    print(row, flush=True)
    return [row]
