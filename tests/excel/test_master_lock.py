"""master_lock: one writer per master, released however its holder ends, a clear message for a writer that gives up."""

import getpass
import signal
import socket
import stat
import subprocess
import sys
import threading
import time

import pytest
from openpyxl import Workbook

from sales_tools.errors import InputError, WorkbookError
from sales_tools.excel.master_lock import MasterBusy, lock_path, master_lock, wait_seconds
from sales_tools.excel.save import atomic_save


@pytest.fixture
def master(tmp_path):
    return atomic_save(Workbook(), tmp_path / "master.xlsx")


def busy_message(holder: str, wait: str) -> str:
    return (
        f"master.xlsx is being changed by another sales-tools command ({holder}); "
        f"waited {wait} s: try again when it has finished"
    )


def test_a_second_writer_waits_then_is_told_who_holds_the_master(master, monkeypatch):
    monkeypatch.setenv("SALES_TOOLS_LOCK_WAIT", "0.3")
    times = [time.strftime("%H:%M:%S")]
    with master_lock(master, "refresh"):
        times.append(time.strftime("%H:%M:%S"))
        outcome = {}

        def other_writer():
            begun = time.monotonic()
            try:
                with master_lock(master, "import"):
                    outcome["entered"] = True
            except MasterBusy as exc:
                outcome["error"], outcome["waited"] = str(exc), time.monotonic() - begun

        thread = threading.Thread(target=other_writer)
        thread.start()
        thread.join(10)
    who = f"by {getpass.getuser()} on {socket.gethostname()}"
    assert outcome["error"] in {busy_message(f"refresh, started {t} {who}", "0.3") for t in times}
    assert "entered" not in outcome
    assert 0.3 <= outcome["waited"] < 3
    with master_lock(master, "import"):  # free once released
        pass


def test_the_holder_may_enter_again_and_keeps_the_lock_until_its_outer_exit(master, monkeypatch):
    monkeypatch.setenv("SALES_TOOLS_LOCK_WAIT", "0")
    with master_lock(master, "import"):
        with master_lock(master, "save"):
            pass
        with pytest.raises(MasterBusy):  # another process still cannot enter
            try_in_child(master)
    try_in_child(master)


def try_in_child(master):
    code = (
        "import sys\nfrom sales_tools.excel.master_lock import MasterBusy, master_lock\n"
        f"try:\n    with master_lock({str(master)!r}, 'test'): pass\nexcept MasterBusy as exc:\n    sys.exit(str(exc))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    if done.returncode:
        raise MasterBusy(done.stderr)


def test_kill_9_of_the_holder_frees_the_master(master, tmp_path, monkeypatch):
    monkeypatch.setenv("SALES_TOOLS_LOCK_WAIT", "0")
    flag = tmp_path / "holding"
    code = (
        "import time; from pathlib import Path\nfrom sales_tools.excel.master_lock import master_lock\n"
        f"with master_lock({str(master)!r}, 'import'):\n    Path({str(flag)!r}).touch()\n    time.sleep(60)"
    )
    holder = subprocess.Popen([sys.executable, "-c", code])
    try:
        deadline = time.monotonic() + 60
        while not flag.exists():
            assert holder.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        with pytest.raises(MasterBusy, match=r"\(import, started .* by .*\); waited 0 s"):
            with master_lock(master, "refresh"):
                pass
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
    finally:
        holder.kill()
    assert holder.returncode == -signal.SIGKILL and lock_path(master).exists()  # the file stays, the lock does not
    with master_lock(master, "refresh"):
        pass


def test_the_lock_file_is_hidden_next_to_the_master_with_its_permissions(master):
    master.chmod(0o664)
    with master_lock(master, "import"):
        pass
    assert sorted(p.name for p in master.parent.iterdir()) == [".master.xlsx.sales-tools-lock", "master.xlsx"]
    assert stat.S_IMODE(lock_path(master).stat().st_mode) == 0o664  # whoever may write the master may lock it


def test_an_unreadable_holder_line_is_said_so(master, monkeypatch):
    monkeypatch.setenv("SALES_TOOLS_LOCK_WAIT", "0")
    with master_lock(master, "import"):
        lock_path(master).write_text("garbage")
        with pytest.raises(MasterBusy) as caught:
            try_in_child(master)
    assert busy_message("who holds it is not known", "0") in str(caught.value)


def test_a_missing_master_is_named(tmp_path):
    with pytest.raises(WorkbookError, match=r"master workbook .*nothere.xlsx does not exist"):
        with master_lock(tmp_path / "nothere.xlsx", "import"):
            pass
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("text", "seconds"), [(None, 30.0), ("", 30.0), (" 12.5 ", 12.5), ("0", 0.0)])
def test_the_wait_comes_from_the_environment(text, seconds, monkeypatch):
    if text is None:
        monkeypatch.delenv("SALES_TOOLS_LOCK_WAIT", raising=False)
    else:
        monkeypatch.setenv("SALES_TOOLS_LOCK_WAIT", text)
    assert wait_seconds() == seconds


@pytest.mark.parametrize("text", ["soon", "-1", "inf", "nan", "30s"])
def test_a_wait_that_is_not_seconds_is_refused(text, monkeypatch):
    monkeypatch.setenv("SALES_TOOLS_LOCK_WAIT", text)
    with pytest.raises(InputError, match=f"SALES_TOOLS_LOCK_WAIT='{text}': give the seconds to wait"):
        wait_seconds()


def test_a_lock_file_that_cannot_be_opened_is_a_workbook_error(master):
    lock_path(master).mkdir()  # not a file: opening it fails whoever you are
    with pytest.raises(WorkbookError, match=r"cannot lock .*master.xlsx for writing \(.master.xlsx.sales-tools-lock\)"):
        with master_lock(master, "import"):
            pass
