"""Saving workbooks atomically: a crash, a full disk or a file open in Excel never loses data."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from sales_tools.errors import WorkbookError
from sales_tools.excel import formula_cache
from sales_tools.schema.language import tr

ZIP_DATE = (2024, 1, 1, 0, 0, 0)  # the date of every part of a workbook we write


def lock_file(path: Path) -> Path:
    """The owner file Excel (and LibreOffice: `.~lock.name#`) keeps next to an open workbook."""
    return path.with_name("~$" + path.name)


def backup_path(path: Path) -> Path:
    """Where the previous version is kept: `name.bak.xlsx` next to the file."""
    return path.with_name(path.stem + ".bak" + path.suffix)


class _DatedZip(ZipFile):
    """A zip whose entries all carry one fixed date, so the same content gives the same bytes;
    worksheet parts in `results` get their formulas' results stored (`formula_cache`)."""

    results: dict[str, dict[str, object]] = {}

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = ZipInfo(zinfo_or_arcname, date_time=ZIP_DATE)
            zinfo_or_arcname.compress_type = self.compression
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        """A file (openpyxl writes each worksheet to one first), dated like the rest."""
        name = str(arcname or Path(filename).name)
        data = Path(filename).read_bytes()
        if name in self.results:
            data = formula_cache.store(data, self.results[name])
        self.writestr(name, data, compress_type, compresslevel)


def write_workbook(wb: Workbook, target: Path) -> None:
    """Write `wb` to `target` (not atomic: `atomic_save` is)."""
    # ExcelWriter rather than wb.save(): save() stamps the current time into docProps,
    # which would make two builds of the same data differ.
    with _DatedZip(target, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        archive.results = formula_cache.parts(wb)
        ExcelWriter(wb, archive).write_data()


def _check_writable(path: Path) -> None:
    for lock in (lock_file(path), path.with_name(f".~lock.{path.name}#")):
        if lock.exists():
            is_open = tr("{file} is open in Excel or LibreOffice ({lock} exists): close it and try again")
            raise WorkbookError(is_open.format(file=path.name, lock=lock.name))
    if not path.parent.is_dir():
        no_folder = tr("cannot save {file}: folder {folder} does not exist")
        raise WorkbookError(no_folder.format(file=path.name, folder=path.parent))
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise WorkbookError(tr("cannot save {file}: permission denied").format(file=path))


def _mode(path: Path) -> int:
    """The permissions of the file replaced, else the usual ones for a new file (umask)."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _temp_file(path: Path) -> Path:
    """A new empty temporary file next to `path`: `.name.xlsx.<8 random characters>.tmp`."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    return Path(name)


def remove_leftovers(path: str | os.PathLike, before: float) -> None:
    """Delete the temporary files of saves of `path` that were killed.

    Only files named as `_temp_file` names them (or `.name.<8>.tmp`, as earlier versions
    did), the writers' `.first.tmp`/`.staged.tmp` steps included, last changed before the
    time `before` (seconds since the epoch).  Call it only while no save of `path` can be
    running (`master_lock`).
    """
    path = Path(path)
    extension = re.escape(path.suffix[1:])
    pattern = re.compile(rf"\.{re.escape(path.stem)}\.(?:{extension}\.)?[a-z0-9_]{{8}}(?:\.[a-z]+)?\.tmp")
    for leftover in path.parent.iterdir():
        if pattern.fullmatch(leftover.name):
            with contextlib.suppress(OSError):  # gone already, or still open (Windows): next time
                if leftover.stat().st_mtime < before:
                    leftover.unlink()


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _backup(path: Path) -> None:
    """Copy `path` to `backup_path(path)` in one step: a full disk leaves the previous backup, never half a file."""
    tmp = _temp_file(path)
    try:
        shutil.copy2(path, tmp)
        _fsync(tmp)
        os.replace(tmp, backup_path(path))
    finally:
        tmp.unlink(missing_ok=True)


def atomic_save(workbook: Workbook | Callable[[Path], None], path: str | os.PathLike) -> Path:
    """Write a workbook to `path` without ever leaving a half-written file.

    The workbook is written to a temporary file in the same folder and flushed to disk;
    the previous version is kept as `name.bak.xlsx` (copied the same way, so a full disk
    leaves the previous backup, never half of one); then the temporary file replaces
    `path` in one step (`os.replace`).  A failed backup leaves `path` as it was.

    Args:
        workbook: an openpyxl Workbook, or a callable that writes the file at the path it is given.
        path: the destination.

    Returns:
        The destination path.

    Raises:
        WorkbookError: the file is open in Excel (its `~$name` lock file exists), the
            folder is missing or not writable, or writing failed; the old file is untouched.
    """
    path = Path(path)
    _check_writable(path)
    tmp = _temp_file(path)
    try:
        if isinstance(workbook, Workbook):
            write_workbook(workbook, tmp)
        else:
            workbook(tmp)
        _fsync(tmp)
        os.chmod(tmp, _mode(path))
        if path.exists():
            _backup(path)
        os.replace(tmp, path)
    except OSError as exc:
        raise WorkbookError(tr("cannot save {file}: {problem}").format(file=path, problem=exc.strerror or exc)) from exc
    finally:
        tmp.unlink(missing_ok=True)
    return path
