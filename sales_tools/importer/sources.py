"""The input files as raw cells: values only (python-calamine), never formulas or macros."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook

from sales_tools.errors import SalesToolsError, WorkbookError
from sales_tools.safety import check_file
from sales_tools.schema.language import tr
from sales_tools.text_encoding import decode_text


@dataclass
class Source:
    """One input file as raw cells: sheet title -> rows of values."""

    name: str
    sha256: str = ""
    sheets: dict[str, list[list]] = field(default_factory=dict)
    error: str | None = None
    modified: pd.Timestamp | None = None  # the file's own modified time (local time, to the second)


def read_source(path: Path) -> Source:
    """Read a file's cells (never formulas or macros); a bad file gives a Source with an error."""
    try:
        kind = check_file(path)
        digest = _sha256(path)
    except WorkbookError as exc:
        return Source(path.name, error=str(exc))
    try:
        sheets = _read_text(path) if kind == "text" else _read_book(path)
    except (SalesToolsError, UnicodeError, csv.Error) as exc:
        return Source(path.name, digest, error=str(exc))
    except Exception as exc:  # calamine raises various errors on a damaged file
        return Source(
            path.name,
            digest,
            error=tr("{file} cannot be read (damaged or not a workbook): {problem}").format(
                file=path.name, problem=exc
            ),
        )
    return Source(path.name, digest, sheets, modified=pd.Timestamp.fromtimestamp(path.stat().st_mtime).floor("s"))


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(2**20):
            h.update(chunk)
    return h.hexdigest()


def _read_book(path: Path) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names}


def _read_text(path: Path) -> dict[str, list[list]]:
    """A CSV or text file's rows, in whatever encoding it is (`text_encoding.decode_text`)."""
    text = decode_text(path.read_bytes(), path.name)
    try:
        dialect = csv.Sniffer().sniff(text[:65536], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    return {path.stem: list(csv.reader(io.StringIO(text, newline=""), dialect))}
