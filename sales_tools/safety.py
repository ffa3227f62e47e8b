"""Checks on an untrusted file BEFORE anything reads it into memory.

`check_file` looks only at the first bytes and, for a zip-based workbook, at the zip's
central directory (the declared sizes, without decompressing anything).  It rejects:
files that are not spreadsheets or text at all (a .csv, .txt or .tsv may be UTF-16 or
UTF-32, whose zero bytes are text), password-protected workbooks (an encrypted
.xlsx is an OLE container holding an ``EncryptionInfo`` stream), truncated or damaged
archives, and zip bombs (too much declared content, or a member that expands more
than `MAX_RATIO` times).  Macros are never a risk here: only cell values are read.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from sales_tools.errors import WorkbookError
from sales_tools.schema.language import tr
from sales_tools.text_encoding import marked_encoding

MAX_FILE_BYTES = 200 * 2**20  # a rep template or CRM export is far smaller
MAX_UNPACKED_BYTES = 1 * 2**30  # declared total size of a workbook's parts
MAX_RATIO = 200  # compressed XML rarely exceeds 20-50x; bombs reach 1000x
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ENCRYPTED_STREAM = "EncryptionInfo".encode("utf-16-le")
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".txt", ".tsv")


def check_file(path: str | os.PathLike) -> str:
    """Say what kind of file `path` is ("zip", "ole" or "text") or reject it.

    Raises:
        WorkbookError: with a message naming the file and what is wrong with it.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise WorkbookError(
            tr("{file} cannot be opened: {problem}").format(file=path.name, problem=exc.strerror or exc)
        ) from exc
    if size == 0:
        raise WorkbookError(tr("{file} is empty").format(file=path.name))
    if size > MAX_FILE_BYTES:
        too_large = tr("{file} is too large ({size} MB; the limit is {limit} MB)")
        raise WorkbookError(too_large.format(file=path.name, size=f"{size / 2**20:.0f}", limit=MAX_FILE_BYTES // 2**20))
    if head.startswith(ZIP_MAGIC):
        _check_zip(path)
        return "zip"
    if head == OLE_MAGIC:
        _check_ole(path)
        return "ole"
    if path.suffix.lower() in (".csv", ".txt", ".tsv") and (b"\x00" not in head or marked_encoding(head)):
        return "text"  # zero bytes: UTF-16 or UTF-32 text (Excel's "Unicode text"), else binary
    raise WorkbookError(tr("{file} is not an Excel workbook or CSV file").format(file=path.name))


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        damaged = tr("{file} is damaged or incomplete (was it fully copied?): {problem}")
        raise WorkbookError(damaged.format(file=path.name, problem=exc)) from exc
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or not names & {"xl/workbook.xml", "xl/workbook.bin"}:
        raise WorkbookError(tr("{file} is a zip archive but not an Excel workbook").format(file=path.name))
    if "xl/workbook.bin" in names:
        raise WorkbookError(tr("{file} is a binary workbook (.xlsb): save it as .xlsx").format(file=path.name))
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED_BYTES:
        unsafe = tr("{file} would expand to {size} MB: refused as unsafe")
        raise WorkbookError(unsafe.format(file=path.name, size=f"{total / 2**20:,.0f}"))
    for info in infos:
        if info.file_size > 2**20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            bomb = tr("{file}: part {part} expands {ratio}x: refused as unsafe (zip bomb)")
            ratio = f"{info.file_size // max(info.compress_size, 1):,}"
            raise WorkbookError(bomb.format(file=path.name, part=info.filename, ratio=ratio))


def _check_ole(path: Path) -> None:
    """An OLE file is a legacy .xls, or an encrypted (password-protected) .xlsx."""
    with open(path, "rb") as fh:
        tail = b""
        while chunk := fh.read(2**20):
            if ENCRYPTED_STREAM in tail + chunk:
                locked = tr("{file} is password-protected: remove the password in Excel and send it again")
                raise WorkbookError(locked.format(file=path.name))
            tail = chunk[-len(ENCRYPTED_STREAM) :]
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        old = tr("{file} is not a valid .xlsx file (it is an old-format or other Office file)")
        raise WorkbookError(old.format(file=path.name))
