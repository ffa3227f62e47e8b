"""One writer at a time per master: a lock held from reading the master to replacing it.

Every command that changes a master (import, refresh, the weekly report) holds
`master_lock` for its whole read-change-save, so two of them never both start from
the same file and the last save never undoes the other's.  A second writer waits
(`wait_seconds`: 30 s, or the SALES_TOOLS_LOCK_WAIT environment variable), then
gives up with `MasterBusy`, naming the command that holds the master.

The lock is the operating system's (``flock``; ``msvcrt.locking`` on Windows) on a
hidden file next to the master, ``.master.xlsx.sales-tools-lock``: the system drops
it when its process ends, however it ends (kill -9 too), so a file left behind never
blocks anyone.  The file says who holds the lock, for the message.  Excel's own
``~$master.xlsx`` is checked when saving (`save.atomic_save`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import math
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from sales_tools.errors import InputError, WorkbookError
from sales_tools.excel.save import remove_leftovers
from sales_tools.schema.language import tr

WAIT_VARIABLE = "SALES_TOOLS_LOCK_WAIT"
DEFAULT_WAIT = 30.0  # seconds
POLL = 0.1  # seconds between tries
_WINDOWS_BYTE = 1 << 30  # the byte locked on Windows: past the holder's line, which stays readable
_held = threading.local()  # the masters this thread holds: an inner master_lock passes through


class MasterBusy(WorkbookError):
    """Another sales-tools command is changing the master and did not finish in time."""


def lock_path(master: Path) -> Path:
    """The lock file of `master`: hidden, named after it."""
    return master.with_name(f".{master.name}.sales-tools-lock")


def wait_seconds() -> float:
    """How long a writer waits for another: SALES_TOOLS_LOCK_WAIT (seconds), else 30.

    Raises:
        InputError: the variable is not a number of seconds (0 or more).
    """
    text = os.environ.get(WAIT_VARIABLE, "").strip()
    if not text:
        return DEFAULT_WAIT
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not 0 <= seconds < math.inf:
        wrong = tr("{variable}={text!r}: give the seconds to wait for another command, e.g. 30")
        raise InputError(wrong.format(variable=WAIT_VARIABLE, text=text))
    return seconds


@contextlib.contextmanager
def master_lock(master: str | os.PathLike, command: str) -> Iterator[None]:
    """Hold `master` against every other sales-tools writer (other processes and threads).

    Once held, the temporary files of saves killed earlier are deleted (`save.remove_leftovers`).
    A thread that already holds the master enters at once.

    Args:
        master: the master workbook; it must exist.
        command: what the holder does ("import"), shown to a writer that waits too long.

    Raises:
        MasterBusy: another command held the master for longer than `wait_seconds`.
        WorkbookError: the master is missing, or its folder does not allow the lock file.
    """
    master = Path(os.path.realpath(master))  # one lock file whichever link leads to the master
    key = os.path.normcase(master)
    held = _held.__dict__.setdefault("masters", set())
    if key in held:
        yield
        return
    if not master.is_file():
        raise WorkbookError(tr("master workbook {master} does not exist").format(master=master))
    fd = _acquire(master, command, wait_seconds())
    held.add(key)
    try:
        remove_leftovers(master, before=time.time())
        yield
    finally:
        held.discard(key)
        _unlock(fd)
        os.close(fd)


def _acquire(master: Path, command: str, wait: float) -> int:
    """An open descriptor of the lock file, locked; the holder's line written in it."""
    fd = _open(master)
    try:
        _wait_for(fd, master, wait)
        _write_holder(fd, command)
    except BaseException:
        os.close(fd)  # which unlocks it
        raise
    return fd


def _wait_for(fd: int, master: Path, wait: float) -> None:
    deadline = time.monotonic() + wait
    while True:
        try:
            if _try_lock(fd):
                return
        except OSError as exc:
            failed = tr("cannot lock {master} for writing: {problem}")
            raise WorkbookError(failed.format(master=master.name, problem=exc.strerror or exc)) from exc
        if time.monotonic() >= deadline:
            raise MasterBusy(
                tr(
                    "{master} is being changed by another sales-tools command ({holder}); waited {wait} s: try "
                    "again when it has finished"
                ).format(master=master.name, holder=_holder(lock_path(master)), wait=f"{wait:g}")
            )
        time.sleep(POLL)


def _open(master: Path) -> int:
    """The lock file of `master`, opened; a new one may be written by whoever may write the master."""
    path, flags = lock_path(master), os.O_RDWR | getattr(os, "O_BINARY", 0)
    try:
        try:
            fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            return os.open(path, flags)
    except OSError as exc:
        failed = tr("cannot lock {master} for writing ({file}): {problem}")
        raise WorkbookError(failed.format(master=master, file=path.name, problem=exc.strerror or exc)) from exc
    if sys.platform == "win32":
        import ctypes

        ctypes.windll.kernel32.SetFileAttributesW(str(path), 2)  # FILE_ATTRIBUTE_HIDDEN
    else:
        os.fchmod(fd, master.stat().st_mode & 0o666 | 0o600)
    return fd


def _try_lock(fd: int) -> bool:
    """Take the lock without waiting; False when another descriptor holds it.

    Raises:
        OSError: the file system cannot lock files.
    """
    try:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(fd, _WINDOWS_BYTE, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if isinstance(exc, BlockingIOError) or sys.platform == "win32":  # msvcrt: EACCES or EDEADLOCK
            return False
        raise
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WINDOWS_BYTE, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


def _write_holder(fd: int, command: str) -> None:
    """command, start, user, computer: one tab-separated line."""
    line = "\t".join([command, dt.datetime.now().isoformat(timespec="seconds"), _user(), socket.gethostname()])
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, (line + "\n").encode())


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):  # no login name in the environment, no user database
        return "an unknown user"


def _holder(path: Path) -> str:
    """'import, started 10:42:13 by alice on PC-7', from the lock file."""
    try:
        command, started, user, host = path.read_text(encoding="utf-8").rstrip("\n").split("\t")
        start = dt.datetime.fromisoformat(started)
    except (OSError, UnicodeDecodeError, ValueError):
        return tr("who holds it is not known")
    when = f"{start:%H:%M:%S}" if start.date() == dt.date.today() else f"{start:%Y-%m-%d %H:%M:%S}"
    return tr("{command}, started {when} by {user} on {host}").format(command=command, when=when, user=user, host=host)
