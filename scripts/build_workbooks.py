"""Build the committed workbooks: `.venv/bin/python scripts/build_workbooks.py [--png]`.

Writes `workbook/sales_master.xlsx` (the sample of `sales_tools.sample.sample_tables`
with its computed tables), `templates/rep_template.xlsx` (blank),
`workbook/sales_master.xlsm` (the same master with xlwings' VBA project, see
`sales_tools.excel.xlsm`), the Chinese edition of the master and blank template
(`workbook/sales_master_zh-CN.xlsx`, `templates/rep_template_zh-CN.xlsx`) and, with --png,
`docs/dashboard.png` and `docs/dashboard_zh-CN.png` (needs LibreOffice and pdftoppm).  The files are reproducible byte for byte, so an unchanged build leaves git clean.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

from sales_tools.excel.builder import build_master
from sales_tools.excel.templates import BLANK_NAME, build_blank_template
from sales_tools.excel.xlsm import build_xlsm
from sales_tools.libreoffice import dashboard_pdf
from sales_tools.sample import sample_tables
from sales_tools.schema.language import CHINESE, ENGLISH, use

ROOT = Path(__file__).resolve().parents[1]
MASTER = ROOT / "workbook" / "sales_master.xlsx"
XLSM = MASTER.with_suffix(".xlsm")
BLANK = ROOT / "templates" / BLANK_NAME
PNG = ROOT / "docs" / "dashboard.png"


def edition(path: Path, language: str) -> Path:
    """`path` of the edition in `language`: sales_master.xlsx, sales_master_zh-CN.xlsx."""
    return path if language == ENGLISH else path.with_name(f"{path.stem}_{language}{path.suffix}")


def render_dashboard(inputs, computed, png: Path, resolution: int = 80) -> Path:
    """Render the Dashboard of the master built from these tables to a PNG (via a LibreOffice PDF)."""
    if not shutil.which("pdftoppm"):
        raise SystemExit("pdftoppm (poppler-utils) is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        pdf = dashboard_pdf(inputs, computed, Path(tmp))
        stem = Path(tmp) / "page"
        cmd = ["pdftoppm", "-png", "-r", str(resolution), "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)]
        subprocess.run(cmd, check=True, capture_output=True)
        shutil.copyfile(stem.with_suffix(".png"), png)
    return png


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--png", action="store_true", help="also render docs/dashboard.png")
    args = parser.parse_args(argv)
    tables = sample_tables()
    written = [build_master(MASTER, *tables), build_blank_template(BLANK), build_xlsm(XLSM, *tables)]
    if args.png:
        written.append(render_dashboard(*tables, PNG))
    with use(CHINESE):  # the sample's Settings (language, descriptions) in Chinese too
        tables = sample_tables()
        written += [build_master(edition(MASTER, CHINESE), *tables), build_blank_template(edition(BLANK, CHINESE))]
        if args.png:
            written.append(render_dashboard(*tables, edition(PNG, CHINESE), resolution=60))
    for path in written:
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
