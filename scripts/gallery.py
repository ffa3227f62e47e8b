"""Regenerate docs/gallery/: the files the product writes, rendered by LibreOffice as they print.

    .venv/bin/python scripts/gallery.py [--count-master]

Writes the demo master, the December 2024 statements, the weekly report of 2024-W51, the
blank template and the filled rep templates into a temporary folder with the
`sales-tools` commands, converts the ones shown to PDF in one LibreOffice call, and saves
the pages worth showing as small PNGs (60 dpi) under docs/gallery/.  With
--count-master it also prints the whole master and says how many pages each sheet takes.
"""

from __future__ import annotations

import collections
import subprocess
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

from sales_tools.cli import cli
from sales_tools.excel.templates import build_blank_template
from sales_tools.libreoffice import convert, only_sheets

OUT = Path(__file__).resolve().parent.parent / "docs" / "gallery"
MASTER_SHOWN = ["Dashboard", "Settings", "Leaderboard"]
# picture name -> (book, text at the top of the page shown)
PICTURES = {
    "dashboard": ("master", "Dashboard"),
    "settings": ("master", "Settings"),
    "statement-1": ("statement", "Page 1 of"),
    "statement-2": ("statement", "Page 2 of"),
    "weekly-report": ("weekly", "Weekly report 2024-W51"),
    "weekly-reports": ("weekly", "Reports and next week's plan"),
    "weekly-escalations": ("weekly", "Escalations"),
    "template-instructions": ("blank", "Instructions"),
    "template-orders": ("template", "Orders"),
    "template-my-targets": ("template", "My targets"),
}


def write_books(tmp: Path) -> dict[str, Path]:
    """The files the gallery shows, written as a user writes them."""
    for args in (["demo", "--out", tmp], ["statements", tmp / "master.xlsx", "--period", "2024-12", "--out", tmp / "st"],
                 ["report", "weekly", tmp / "master.xlsx", "--week", "2024-W51", "--out", tmp / "rep"],
                 ["templates", tmp / "master.xlsx", "--period", "2024-12", "--out", tmp / "tpl"]):  # fmt: skip
        done = CliRunner().invoke(cli, [str(a) for a in args], prog_name="sales-tools")
        if done.exit_code:
            sys.exit(done.output)
    return {
        "master": only_sheets(tmp / "master.xlsx", MASTER_SHOWN, tmp / "shown.xlsx"),
        "statement": tmp / "st" / "statement_2024-12_R01.xlsx",
        "weekly": tmp / "rep" / "weekly_report_2024-W51.xlsx",
        "blank": build_blank_template(tmp / "blank.xlsx"),
        "template": tmp / "tpl" / "R01_2024-12.xlsx",
    }


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.rstrip("\f").split("\f")


def first_page(pages: list[str], label: str) -> int:
    """The number (from 1) of the first page whose top lines, or whose footer, holds `label`."""
    for k, page in enumerate(pages, start=1):
        lines = page.strip("\n").splitlines()
        if label in " ".join(lines[:3] + lines[-2:]):
            return k
    raise SystemExit(f"no page shows {label!r}")


def count_master(tmp: Path) -> None:
    """Print the whole master and say how many pages each sheet takes."""
    (pdf,) = convert([tmp / "master.xlsx"], "pdf", tmp / "all", timeout=900)
    pages = page_texts(pdf)
    from openpyxl import load_workbook

    sheets = [ws.title for ws in load_workbook(tmp / "master.xlsx", read_only=True).worksheets]
    counts = collections.Counter(
        max((s for s in sheets if s in " ".join(p.strip("\n").splitlines()[:2])), key=len, default="?") for p in pages
    )
    print(f"The whole master prints {len(pages)} pages:")
    for sheet in sheets:
        print(f"  {sheet}: {counts[sheet]}")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        books = write_books(tmp)
        pdfs = dict(zip(books, convert(list(books.values()), "pdf", tmp / "pdf", timeout=600)))
        texts = {name: page_texts(pdf) for name, pdf in pdfs.items()}
        for picture, (book, label) in PICTURES.items():
            page = first_page(texts[book], label)
            stem = OUT / picture
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile",
                            str(pdfs[book]), str(stem)], check=True)  # fmt: skip
            print(f"{stem}.png: {book} page {page} of {len(texts[book])}")
        if "--count-master" in sys.argv:
            count_master(tmp)


if __name__ == "__main__":
    main()
