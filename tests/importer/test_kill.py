"""A kill during an import leaves the previous master intact."""

import signal
import subprocess
import sys
import time

from import_helpers import fill, master_tables, orders_rows

from sales_tools.importer import import_files


def test_sigkill_inside_the_save_keeps_the_old_master(master, templates, rep_customers, tmp_path):
    path = fill(templates[0], tmp_path / "R01.xlsx", {"rep_orders": orders_rows(rep_customers, 5)})
    before = master.read_bytes()
    # import_files' steps, pausing once the new file is written, before it replaces the master
    code = (
        "import time; from pathlib import Path\n"
        "from sales_tools.importer import plan_changes, read_master, read_source, save_changes\n"
        f"master, rep_file = Path({str(master)!r}), Path({str(path)!r})\n"
        "changes = plan_changes(read_master(master), [read_source(rep_file)])\n"
        "save_changes(master, changes, after_write=lambda: time.sleep(60))"
    )
    proc = subprocess.Popen([sys.executable, "-c", code])
    try:
        deadline = time.monotonic() + 60
        while not any(p.name.endswith(".tmp") and p.stat().st_size > 0 for p in master.parent.iterdir()):
            assert proc.poll() is None and time.monotonic() < deadline, "the import never reached the save"
            time.sleep(0.05)
        time.sleep(0.2)  # the new file is fully written; the process sleeps before replacing the master
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert master.read_bytes() == before
    assert len(master_tables(master, "orders")["orders"]) == 0
    left = [p.name for p in master.parent.iterdir() if p.name.endswith(".tmp")]
    assert len(left) == 1 and left[0].startswith(".master.")  # the killed save's new file
    # the next import is unaffected by the half-finished one, and deletes its file
    assert import_files(master, [path]).totals["rows_imported"] == 5
    assert len(master_tables(master, "orders")["orders"]) == 5
    assert not [p.name for p in master.parent.iterdir() if p.name.endswith(".tmp")]
