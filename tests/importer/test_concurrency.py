"""Several sales-tools commands on one master at once: each waits for the one changing it.

Real processes on real files: a writer paused in the middle of its save (a patched seam,
in a child process) while the CLI runs another command on the same master.
"""

import getpass
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from import_helpers import fill, master_tables, orders_rows

from sales_tools.excel.builder import build_master
from sales_tools.excel.master_lock import master_lock
from sales_tools.schema import TEMPLATE_FIRST_ROW

BIN = Path(sys.executable).parent / "sales-tools"
ROWS = 5  # order lines per rep file
PAUSE = 2.0  # seconds a paused writer sleeps before replacing the master


@pytest.fixture(scope="module")
def planned_master(tmp_path_factory, sample) -> Path:
    """The import tests' master with plans and targets, so that a refresh runs."""
    tables = ("reps", "customers", "categories", "plan", "targets", "seasonality")
    return build_master(tmp_path_factory.mktemp("planned") / "master.xlsx", {k: sample[k] for k in tables})


@pytest.fixture
def master(tmp_path, planned_master) -> Path:
    return Path(shutil.copy(planned_master, tmp_path / "master.xlsx"))


def rep_file(template: Path, out: Path, prefix: str) -> Path:
    """`template` filled with ROWS order lines for the rep's own customers, order IDs `prefix`-n."""
    ws = openpyxl.load_workbook(template, read_only=True)["My customers"]
    customers = [r[0] for r in ws.iter_rows(min_row=TEMPLATE_FIRST_ROW, values_only=True) if r[0]]
    return fill(template, out, {"rep_orders": orders_rows(customers, ROWS, prefix=prefix)})


def paused(flag: Path, module: str, seam: str, call: str) -> subprocess.Popen:
    """A child process running `call` whose `module.seam` (the writer of the new file) touches
    `flag` once it has written, then sleeps PAUSE seconds before the master is replaced."""
    code = (
        f"import time, importlib\nfrom pathlib import Path\nmodule = importlib.import_module({module!r})\n"
        f"real = module.{seam}\n"
        f"def slow(*args):\n    real(*args)\n    Path({str(flag)!r}).touch()\n    time.sleep({PAUSE})\n"
        f"module.{seam} = slow\n{call}\n"
    )
    return subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True)


def wait_for(flag: Path, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while not flag.exists():
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline, "the paused writer never reached its save"
        time.sleep(0.02)


def cli(*args, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN), *map(str, args)], capture_output=True, text=True, timeout=120, env={**os.environ, **env}
    )


def orders_by_file(master: Path) -> dict[str, int]:
    return master_tables(master, "orders")["orders"]["source"].value_counts().to_dict()


def logged(master: Path) -> list[str]:
    return sorted(master_tables(master, "import_log")["import_log"]["file"])


def test_an_import_during_an_import_waits_and_both_land(master, templates, tmp_path):
    first = rep_file(templates[0], tmp_path / "first.xlsx", "A")
    second = rep_file(templates[1], tmp_path / "second.xlsx", "B")
    flag = tmp_path / "written"
    call = f"from sales_tools.importer import import_files\nimport_files({str(master)!r}, [{str(first)!r}])"
    slow = paused(flag, "sales_tools.importer.apply", "_write", call)
    wait_for(flag, slow)
    done = cli("import", master, second)
    assert slow.wait(timeout=60) == 0, slow.stderr.read()
    assert done.returncode == 0, done.stdout + done.stderr
    assert orders_by_file(master) == {"first.xlsx": ROWS, "second.xlsx": ROWS}
    assert logged(master) == ["first.xlsx", "second.xlsx"]


def test_an_import_during_a_refresh_waits_and_keeps_its_import_log_row(master, templates, tmp_path):
    path = rep_file(templates[0], tmp_path / "R01.xlsx", "A")
    flag = tmp_path / "written"
    call = (
        "from sales_tools.excel.master_file import MasterFile\nfrom sales_tools.master import refresh_master\n"
        f"refresh_master(MasterFile({str(master)!r}))"
    )
    slow = paused(flag, "sales_tools.excel.builder", "_write_refreshed", call)
    wait_for(flag, slow)
    done = cli("import", master, path)
    assert slow.wait(timeout=60) == 0, slow.stderr.read()
    assert done.returncode == 0, done.stdout + done.stderr
    assert orders_by_file(master) == {"R01.xlsx": ROWS}
    assert logged(master) == ["R01.xlsx"]


@pytest.mark.parametrize("command", [["refresh"], ["report", "weekly", "--week", "2024-W10"]])
def test_a_refresh_or_weekly_report_during_an_import_sees_the_import(command, master, templates, tmp_path):
    path = rep_file(templates[0], tmp_path / "R01.xlsx", "A")
    flag = tmp_path / "written"
    call = f"from sales_tools.importer import import_files\nimport_files({str(master)!r}, [{str(path)!r}])"
    slow = paused(flag, "sales_tools.importer.apply", "_write", call)
    wait_for(flag, slow)
    done = cli(*command, master)
    assert slow.wait(timeout=60) == 0, slow.stderr.read()
    assert done.returncode in (0, 1), done.stdout + done.stderr  # 1: pay left out (this master has no plans)
    assert logged(master) == ["R01.xlsx"]
    # week 2024-W10 is 4-6 March: order lines 3-5, 3 x 12.25 + 4 x 13.25 + 5 x 14.25 = 161.00
    report = master_tables(master, "weekly_report")["weekly_report"].set_index("rep_id")
    assert report.loc["R01", ["week", "sales"]].tolist() == ["2024-W10", 161.0]


def test_four_imports_and_a_refresh_at_once_each_land_whole_or_fail_whole(master, templates, tmp_path):
    files = [rep_file(templates[i], tmp_path / f"rep{i + 1}.xlsx", f"P{i + 1}") for i in range(4)]
    commands = [["import", master, path] for path in files] + [["refresh", master]]
    procs = [subprocess.Popen([str(BIN), *map(str, c)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for c in commands]  # fmt: skip
    results = [(proc.communicate(timeout=120)[1], proc.returncode) for proc in procs]
    busy = "is being changed by another sales-tools command"
    orders, landed = orders_by_file(master), []
    for path, (err, code) in zip(files, results):
        if code == 0:
            assert orders.pop(path.name) == ROWS
            landed.append(path.name)
        else:  # waited too long: told so, nothing of it in the master
            assert code == 2 and busy in err, err
    assert orders == {} and landed  # nothing else, and at least one import landed
    assert logged(master) == sorted(landed)
    err, code = results[-1]
    assert code in (0, 1) or (code == 2 and busy in err), err
    assert openpyxl.load_workbook(master, read_only=True).sheetnames[0] == "Dashboard"
    assert not list(tmp_path.glob("*.tmp"))


WRITERS = {  # every command that writes a master: its arguments for a master and a rep file
    "import": lambda master, rep: ["import", master, rep],
    "refresh": lambda master, rep: ["refresh", master],
    "report weekly": lambda master, rep: ["report", "weekly", master, "--week", "2024-W10"],
    "grow-targets": lambda master, rep: ["grow-targets", master, "--year", "2025"],
    "new --force": lambda master, rep: ["new", master, "--force"],
}


@pytest.mark.parametrize("command", WRITERS)
def test_a_writer_that_waits_too_long_is_told_who_holds_the_master(command, master, templates, tmp_path):
    rep = rep_file(templates[0], tmp_path / "R01.xlsx", "A")
    before = master.read_bytes()
    with master_lock(master, "import"):  # held by this process
        done = cli(*WRITERS[command](master, rep), SALES_TOOLS_LOCK_WAIT="0.5")
    assert done.returncode == 2, done.stdout + done.stderr
    user, host = getpass.getuser(), socket.gethostname()
    assert re.fullmatch(
        rf"Error: master\.xlsx is being changed by another sales-tools command \(import, started \d\d:\d\d:\d\d "
        rf"by {re.escape(user)} on {re.escape(host)}\); waited 0\.5 s: try again when it has finished\n",
        done.stderr,
    ), done.stderr
    assert master.read_bytes() == before


def test_a_bad_lock_wait_is_an_input_error(master):
    done = cli("refresh", master, SALES_TOOLS_LOCK_WAIT="soon")
    assert done.returncode == 2
    assert done.stderr == "Error: SALES_TOOLS_LOCK_WAIT='soon': give the seconds to wait for another command, e.g. 30\n"
