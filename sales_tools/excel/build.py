"""Build the committed workbooks: `python -m sales_tools.excel.build [--png]`.

Writes `workbook/sales_master.xlsx` (the sample data of `sales_tools.sample.generate`
and its computed tables from `core.refresh`), `templates/rep_template.xlsx`
(blank), `workbook/sales_master.xlsm` (the same master with xlwings' VBA project, see
`sales_tools.excel.xlsm`) and, with --png, `docs/dashboard.png` (needs LibreOffice and pdftoppm).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

from sales_tools.errors import WorkbookError
from sales_tools.excel import dashboard
from sales_tools.excel.builder import build_master, master_workbook
from sales_tools.excel.save import atomic_save
from sales_tools.excel.templates import BLANK_NAME, build_blank_template
from sales_tools.excel.xlsm import build_sample_xlsm
from sales_tools.libreoffice import convert

ROOT = Path(__file__).resolve().parents[2]
MASTER = ROOT / "workbook" / "sales_master.xlsx"
BLANK = ROOT / "templates" / BLANK_NAME
PNG = ROOT / "docs" / "dashboard.png"
SAMPLE_SEED = 7
# The committed figures are as of this date, kept on the Settings sheet so that a
# refresh in Excel, in Lite or from the command line reproduces them.
SAMPLE_AS_OF = "2024-12-20"


def sample_tables(seed: int = SAMPLE_SEED):
    """(inputs, computed) of the committed master: the seeded sample and its refresh."""
    from sales_tools.sample import generate

    from sales_tools.core.refresh import refresh

    inputs = generate(seed=seed)
    settings = inputs["settings"]
    inputs["settings"] = settings.assign(value=settings["value"].where(settings["setting"] != "as_of", SAMPLE_AS_OF))
    return inputs, refresh(inputs)


def build_all(master: Path = MASTER, blank: Path = BLANK) -> list[Path]:
    """Build the committed master and the blank rep template."""
    inputs, computed = sample_tables()
    return [build_master(master, inputs, computed), build_blank_template(blank)]


def render_dashboard(inputs, computed, png: Path, resolution: int = 80) -> Path:
    """Render the Dashboard of the master built from these tables to a PNG (via a LibreOffice PDF)."""
    if not shutil.which("pdftoppm"):
        raise WorkbookError("pdftoppm (poppler-utils) is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        pdf = dashboard_pdf(inputs, computed, Path(tmp))
        stem = Path(tmp) / "page"
        cmd = ["pdftoppm", "-png", "-r", str(resolution), "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)]
        subprocess.run(cmd, check=True, capture_output=True)
        png.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(stem.with_suffix(".png"), png)
    return png


def dashboard_pdf(inputs, computed, outdir: Path) -> Path:
    """A PDF of the Dashboard alone: the other sheets are hidden, so LibreOffice prints only it."""
    wb = master_workbook(inputs, computed)
    Path(outdir).mkdir(parents=True, exist_ok=True)
    for ws in wb.worksheets:
        ws.sheet_state = "visible" if ws.title == dashboard.SHEET else "hidden"
    source = atomic_save(wb, Path(outdir) / "dashboard.xlsx")
    (pdf,) = convert([source], "pdf", Path(outdir) / "pdf")
    return pdf


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--png", action="store_true", help="also render docs/dashboard.png")
    args = parser.parse_args(argv)
    for path in [*build_all(), build_sample_xlsm()]:
        print(f"wrote {path.relative_to(ROOT)}")
    if args.png:
        print(f"wrote {render_dashboard(*sample_tables(), PNG).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
