"""The import as a whole: read the master and the files, plan, write the master once."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from sales_tools.core.settings import dayfirst as settings_dayfirst
from sales_tools.excel.master_lock import master_lock
from sales_tools.excel.reader import WorkbookSource
from sales_tools.excel.save import atomic_save
from sales_tools.excel.sheet_xml import TableChange, patch_tables
from sales_tools.importer.exports import load_mapping
from sales_tools.importer.master import read_master
from sales_tools.importer.plan import ChangeSet, ImportOptions, plan_changes
from sales_tools.importer.report import ImportReport
from sales_tools.importer.sources import read_source
from sales_tools.schema import TABLES


def import_files(
    master_path: str | os.PathLike,
    files: Iterable[str | os.PathLike],
    *,
    mapping=None,
    period=None,
    dayfirst: bool | None = None,
    now=None,
) -> ImportReport:
    """Import rep templates and mapped exports into the master workbook.

    Args:
        master_path: the master .xlsx (built by `sales_tools.excel.builder.build_master`).
        files: .xlsx/.xlsm/.xls/.csv files.
        mapping: the column map for exports: a DataFrame or CSV/workbook path with the
            ``column_map`` columns (source_system, table, source_column, column), or a
            dict ``{table: {column: source_column}}``; None uses the master's Column map.
        period: restrict dates to this period: a month such as "2024-03", or a
            (first day, last day) pair; None uses each template's own period and
            leaves export dates unchecked.
        dayfirst: read text dates such as 05/03/2024 as 5 March (True) or May 3 (False);
            None: as the master's Settings ``date_order`` says.
        now: the import's time (the Import log, the rows' ``received_at``); None: the clock's.

    Returns:
        The ImportReport; the master is saved once, atomically, when anything changed.
        The files are read first; the master is held (`master_lock`) from reading it to saving it.

    Raises:
        WorkbookError: the master is missing, unreadable or cannot be saved.
        MasterBusy: another command kept the master longer than the lock wait.
    """
    master_path = Path(master_path)
    sources = [read_source(Path(f)) for f in files]
    with master_lock(master_path, "import"):
        master = read_master(master_path)
        if dayfirst is None:
            dayfirst = settings_dayfirst(WorkbookSource(master_path).read("settings"))
        changes = plan_changes(master, sources, ImportOptions(load_mapping(mapping, master), period, dayfirst, now))
        save_changes(master_path, changes)
    return changes.report


def save_changes(master_path: Path, changes: ChangeSet, after_write: Callable[[], object] | None = None) -> None:
    """Write `changes` into the master in one atomic save, holding `master_lock`.

    `after_write` runs once the new file is written, before it replaces the master.
    """
    tables = {
        name: TableChange(TABLES[name], changes.delete.get(name, set()), changes.append.get(name))
        for name in {*changes.delete, *changes.append}
    }

    def write(tmp: Path) -> None:
        _write(master_path, tmp, tables)
        if after_write is not None:
            after_write()

    with master_lock(master_path, "import"):
        atomic_save(write, master_path)


def _write(master_path: Path, tmp: Path, tables: dict[str, TableChange]) -> None:
    """Patch the changed sheets into `tmp` (benchmarks/bench_import.py swaps in an openpyxl rewrite)."""
    patch_tables(master_path, tmp, tables)
