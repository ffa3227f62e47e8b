"""Render docs/gallery/zh_statement.png: `.venv/bin/python scripts/render_zh_statement.py`.

The first page of rep R01's Chinese commission statement for November 2024, from the sample
of `sales_tools.sample.sample_tables` with its Settings currency CNY (needs LibreOffice,
pdftoppm and a CJK font such as Debian's fonts-noto-cjk).  Run it again after a change to
the statement or to the zh-CN catalogue.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from sales_tools.libreoffice import convert
from sales_tools.sample import sample_tables
from sales_tools.schema.language import CHINESE, use
from sales_tools.statements import statements_from_tables

PNG = Path(__file__).resolve().parents[1] / "docs" / "gallery" / "zh_statement.png"
MONTH, REP = "2024-11", "R01"


def main() -> None:
    with use(CHINESE):  # the Chinese demo's data: 陈爱丽 (R01), Chinese customers and categories
        inputs, computed = sample_tables()
    settings = inputs["settings"].copy()
    settings.loc[settings["setting"] == "currency", "value"] = "CNY"
    with tempfile.TemporaryDirectory() as tmp:
        with use(CHINESE):
            paths = statements_from_tables({**inputs, "settings": settings}, computed, MONTH, tmp)
        (pdf,) = convert([p for p in paths if p.stem.endswith(REP)], to="pdf", outdir=Path(tmp))
        stem = Path(tmp) / "page"
        cmd = ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)]
        subprocess.run(cmd, check=True, capture_output=True)
        PNG.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(stem.with_suffix(".png"), PNG)
    print(f"wrote {PNG}")


if __name__ == "__main__":
    main()
