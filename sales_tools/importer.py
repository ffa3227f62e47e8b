"""Consolidate rep templates and CRM/ERP exports into the master workbook.

`import_files` reads every file (values only, via python-calamine: macros never run),
types and validates all rows in one pass per table, and writes the master ONCE,
atomically, changing only the sheets that change.  Every row read is either imported
or listed on the Exceptions sheet with file, sheet, row, column, value and reason;
the Import log records rows read, imported and rejected per file.

Rules (documented for managers in docs/import.md):

* **Rep templates** are recognised by their Instructions sheet (rep ID in B3, period
  in B5:B6).  Their rows get the rep ID, ``source`` = the file name, order lines
  numbered 1, 2, ... per order ID, the amount recomputed as quantity x unit price
  when blank (it is a formula; a different value is rejected), and payment IDs
  ``<rep>-<yyyymm>-<row>``.  Dates must fall within the file's period; customers must
  be on the Customers sheet (the template offers only those).
* **Exports** are mapped by a column map (schema table ``column_map``: from the
  `mapping` argument, else the master's Column map sheet).  A sheet feeds one fact
  table (the one with most mapped columns present) plus master data found on it
  (reps, customers, categories): IDs not yet in the master are added, so a CRM
  export brings its new customers along; duplicates are proposed on Customer
  merges, never merged silently.  Order lines are numbered when the export has no
  line column.  Order-level returns (no line/amount) expand to every line of the
  order, amount = the line's amount, return date = the order date when absent.
* **Nothing counts twice**: a file whose SHA-256 is in the Import log is skipped; a
  rep's new file for a period already imported replaces that rep's rows from the
  earlier file(s) for the period; a key already in the master is rejected.
* **Untrusted files** are checked before reading (`sales_tools.safety`).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook

from sales_tools.core.coerce import coerce_table
from sales_tools.core.dedupe import propose_merges
from sales_tools.core.money import round_cents
from sales_tools.core.validate import EXCEPTION_COLUMNS, exceptions_from, validate_rows
from sales_tools.errors import SalesToolsError, SchemaError, WorkbookError
from sales_tools.excel.reader import HEADER_SCAN_ROWS, normalize, open_workbook, read_raw, read_tables
from sales_tools.excel.save import atomic_save
from sales_tools.patch import TableChange, patch_tables
from sales_tools.safety import check_file
from sales_tools.schema import (
    TABLES, TEMPLATE_FEEDS, TEMPLATE_FORMULAS, TEMPLATE_INFO_CELLS, TEMPLATE_INFO_SHEET, TEMPLATE_TABLES, Table,
)  # fmt: skip

MASTER_DATA = ("reps", "customers", "categories")  # added when new, never duplicated
LOG_COLUMNS = TABLES["import_log"].names
DONE = ("imported", "partial")
SLEEP_ENV = "SALES_TOOLS_TEST_SLEEP_IN_SAVE"  # tests: seconds to sleep inside the save


@dataclass
class Source:
    """One input file as raw cells: sheet title -> rows of values."""

    name: str
    sha256: str = ""
    sheets: dict[str, list[list]] = field(default_factory=dict)
    error: str | None = None


@dataclass
class ImportReport:
    """What an import did (all frames use the schema's column names)."""

    log: pd.DataFrame  # import_log rows of this import, one per file
    exceptions: pd.DataFrame  # exceptions rows of this import
    merges: pd.DataFrame  # customer_merges rows proposed by this import
    added: dict[str, int] = field(default_factory=dict)  # table -> rows appended
    removed: dict[str, int] = field(default_factory=dict)  # table -> rows replaced by re-submissions

    @property
    def totals(self) -> dict[str, int]:
        """Rows read, imported and rejected over all files."""
        return {c: int(self.log[c].sum()) for c in ("rows_read", "rows_imported", "rows_rejected")}


@dataclass
class Plan:
    """The changes to the master: rows to delete (Excel row numbers) and to append, per table."""

    delete: dict[str, set[int]]
    append: dict[str, pd.DataFrame]
    report: ImportReport


# ---------------------------------------------------------------- the shell


def import_files(
    master_path: str | os.PathLike,
    files: Iterable[str | os.PathLike],
    *,
    mapping=None,
    period=None,
    dayfirst: bool = False,
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
        dayfirst: read text dates such as 05/03/2024 as 5 March.

    Returns:
        The ImportReport; the master is saved once, atomically, when anything changed.

    Raises:
        WorkbookError: the master is missing, unreadable or cannot be saved.
    """
    master_path = Path(master_path)
    master = read_master(master_path)
    sources = [read_source(Path(f)) for f in files]
    plan = plan_import(master, sources, mapping=load_mapping(mapping, master), period=period, dayfirst=dayfirst)
    changes = {
        name: TableChange(TABLES[name], plan.delete.get(name, set()), plan.append.get(name))
        for name in {*plan.delete, *plan.append}
    }
    atomic_save(lambda tmp: _write(master_path, tmp, changes), master_path)
    return plan.report


def _write(master_path: Path, tmp: Path, changes: dict[str, TableChange]) -> None:
    patch_tables(master_path, tmp, changes)
    if os.environ.get(SLEEP_ENV):
        time.sleep(float(os.environ[SLEEP_ENV]))


# The master columns an import looks at (keys, who and where rows came from, order
# lines for order-level returns); None means every column.
MASTER_COLUMNS: dict[str, list[str] | None] = {
    "reps": ["rep_id"],
    "customers": ["customer_id", "name"],
    "categories": ["category"],
    "orders": ["order_id", "line", "order_date", "rep_id", "amount", "source"],
    "returns": ["order_id", "line", "return_date"],
    "payments": ["payment_id", "rep_id", "source"],
    "visit_plans": ["visit_date", "rep_id", "customer_id", "source"],
    "activities": ["activity_date", "rep_id", "customer_id", "source"],
    "column_map": None,
    "import_log": None,
    "customer_merges": ["customer_id", "duplicate_id"],
    "exceptions": ["file"],
}


def read_master(path: Path) -> dict[str, pd.DataFrame]:
    """The master columns the import needs (`MASTER_COLUMNS`), indexed by Excel row number.

    Rows with a bad cell in those columns are left out: the import never touches them.
    """
    book = open_workbook(path)
    out = {}
    for name, columns in MASTER_COLUMNS.items():
        table = TABLES[name]
        found = read_raw(book, table)
        if found is None:
            raise WorkbookError(f"{path.name} has no {table.sheet} sheet: is it a master workbook?")
        _, raw, first_row = found
        out[name], _ = coerce_table(raw, _subset(table, columns or table.names), first_row=first_row)
    return out


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
        return Source(path.name, digest, error=f"{path.name} cannot be read (damaged or not a workbook): {exc}")
    return Source(path.name, digest, sheets)


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
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    try:
        dialect = csv.Sniffer().sniff(text[:65536], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    return {path.stem: list(csv.reader(io.StringIO(text, newline=""), dialect))}


def load_mapping(mapping, master: Mapping[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """The column map as a ``column_map`` frame (see `import_files` for the accepted forms)."""
    table = TABLES["column_map"]
    if mapping is None:
        frame = master["column_map"] if master and "column_map" in master else pd.DataFrame(columns=table.names)
    elif isinstance(mapping, pd.DataFrame):
        frame = mapping
    elif isinstance(mapping, Mapping):
        frame = pd.DataFrame(
            [("mapping", t, src, col) for t, cols in mapping.items() for col, src in cols.items()], columns=table.names
        )
    else:
        path = Path(mapping)
        if path.suffix.lower() in (".csv", ".txt"):
            frame = pd.read_csv(path, dtype=str)
        else:
            frame = read_tables(path, ["column_map"])["column_map"]
    missing = set(table.names) - set(frame.columns)
    if missing:
        raise SchemaError(f"the column map has no column {', '.join(sorted(missing))}")
    unknown = sorted(set(frame["table"]) - set(TABLES))
    if unknown:
        raise SchemaError(f"the column map names unknown tables: {', '.join(unknown)}")
    return frame[table.names].reset_index(drop=True)


# ---------------------------------------------------------------- the plan (no I/O)


class _Book:
    """Raw sheets with the interface `excel.reader.read_raw` expects of a calamine book."""

    def __init__(self, sheets: Mapping[str, list[list]]):
        self.sheets, self.sheet_names = sheets, list(sheets)

    def get_sheet_by_name(self, name: str) -> _Rows:
        return _Rows(self.sheets[name])


@dataclass
class _Rows:
    rows: list[list]

    def to_python(self, **_) -> list[list]:
        return self.rows


@dataclass
class _Batch:
    """Raw rows gathered from all files for one target table."""

    raws: list[pd.DataFrame] = field(default_factory=list)
    chunks: list[tuple] = field(default_factory=list)  # (file, sheet, first_row, extra columns)

    def add(self, raw: pd.DataFrame, file: str, sheet: str, first_row: int, extra: dict) -> None:
        self.raws.append(raw.reset_index(drop=True))
        self.chunks.append((file, sheet, first_row, extra))

    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """All rows (with the extra columns) and their origin (file, sheet, Excel row)."""
        sizes = [len(r) for r in self.raws]
        raw = pd.concat(self.raws, ignore_index=True)
        files, sheets, firsts, extras = zip(*self.chunks)
        origin = pd.DataFrame({
            "file": np.repeat(np.array(files, dtype=object), sizes),
            "sheet": np.repeat(np.array(sheets, dtype=object), sizes),
            "row": np.concatenate([np.arange(f, f + n) for f, n in zip(firsts, sizes)]),
        })  # fmt: skip
        for key in extras[0]:
            column = np.empty(len(extras), dtype=object)
            column[:] = [e[key] for e in extras]
            raw[key] = pd.Series(np.repeat(column, sizes)).infer_objects()
        return raw, origin


def plan_import(master: Mapping[str, pd.DataFrame], sources: list[Source], *, mapping: pd.DataFrame | None = None,
                period=None, dayfirst: bool = False, now: pd.Timestamp | None = None) -> Plan:  # fmt: skip
    """Decide every change to the master from the files' raw cells (pure: no file I/O).

    Args:
        master: the master's tables as `read_master` returns them (Excel row index).
        sources: the files as `read_source` returns them.
        mapping: the column map (`load_mapping`); None or empty maps no exports.
        period, dayfirst: as for `import_files`.
        now: the import time written to the log.

    Returns:
        The Plan: rows to delete and append per table, and the ImportReport.
    """
    now = pd.Timestamp.now().floor("s") if now is None else now
    forced = _period(period)
    mapping = mapping if mapping is not None else pd.DataFrame(columns=TABLES["column_map"].names)
    state = _State(master, forced, dayfirst)
    for source in sources:
        state.take(source, mapping)
    return state.finish(now)


def _period(period) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    if period is None:
        return None
    if isinstance(period, (tuple, list)):
        return pd.Timestamp(period[0]).normalize(), pd.Timestamp(period[1]).normalize()
    p = pd.Period(period)
    return p.start_time.normalize(), p.end_time.normalize()


class _State:
    """Accumulates one import: the files' rows by table, file outcomes, deletions."""

    def __init__(self, master, forced, dayfirst):
        self.master, self.forced, self.dayfirst = master, forced, dayfirst
        self.batches: dict[str, _Batch] = {}
        self.files: list[dict] = []  # one log entry per file
        self.file_exceptions: list[pd.DataFrame] = []
        self.delete: dict[str, set[int]] = {}
        self.resubmitted: list[tuple] = []  # (rep_id, period, file) of each template
        self.reps = set(master["reps"]["rep_id"].dropna().astype(str))
        log = master["import_log"]
        self.seen = set(log.loc[log["status"].isin(DONE), "sha256"].dropna())

    # ------------------------------------------------------------ per file

    def take(self, source: Source, mapping: pd.DataFrame) -> None:
        entry = {"file": source.name, "sha256": source.sha256, "rep_id": None, "period": pd.NaT, "status": "imported"}
        self.files.append(entry)
        if source.error is None and source.sha256 in self.seen:
            entry["status"] = "already imported"
            return
        try:
            if source.error is not None:
                raise WorkbookError(source.error)
            if TEMPLATE_INFO_SHEET in source.sheets:
                self._take_template(source, entry)
            else:
                self._take_export(source, entry, mapping)
        except SalesToolsError as exc:
            entry["status"] = "rejected"
            self.file_exceptions.append(_file_exception(source.name, str(exc)))
            return
        self.seen.add(source.sha256)

    def _batch(self, table: str) -> _Batch:
        return self.batches.setdefault(table, _Batch())

    def _take_template(self, source: Source, entry: dict) -> None:
        rep_id, start, end = _template_info(source)
        if rep_id not in self.reps:
            raise SchemaError(f"{source.name}: rep {rep_id!r} on the {TEMPLATE_INFO_SHEET} sheet is not on the Reps sheet")
        start, end = self.forced or (start, end)
        found = _template_sheets(source)
        entry.update(rep_id=rep_id, period=start.replace(day=1))
        self.resubmitted.append((rep_id, start.replace(day=1), source.name))
        extra = {"rep_id": rep_id, "source": source.name, "_start": start, "_end": end}
        for name, (sheet, raw, first_row) in found.items():
            self._batch(name).add(raw, source.name, sheet, first_row, extra)

    def _replaced(self) -> pd.DataFrame:
        """(rep_id, file) of the reps' earlier files for the periods re-submitted now, and of these files."""
        if not self.resubmitted:
            return pd.DataFrame(columns=["rep_id", "file"], dtype=str)
        subs = pd.DataFrame(self.resubmitted, columns=["rep_id", "period", "file"])
        log = self.master["import_log"]
        log = log[log["status"].isin(DONE)].astype({"period": "datetime64[ns]"})
        earlier = log.merge(subs[["rep_id", "period"]], on=["rep_id", "period"])[["rep_id", "file"]]
        return pd.concat([earlier, subs[["rep_id", "file"]]]).astype(str)

    def _deletions(self) -> dict[str, set[int]]:
        """Rows of the replaced files (`_replaced`), and the Exceptions of every file tried again.

        A file's Exceptions describe its last version: importing it again (or a
        re-submission that replaces it) replaces them, so none is listed twice.
        """
        replaced = self._replaced()
        pairs = pd.MultiIndex.from_frame(replaced)
        out = {}
        for feed in TEMPLATE_FEEDS.values():
            df = self.master[feed]
            mine = pd.MultiIndex.from_arrays([df["rep_id"].astype(str), df["source"].astype(str)]).isin(pairs)
            out[feed] = set(df.index[mine])
        tried = {f["file"] for f in self.files if f["status"] != "already imported"} | set(replaced["file"])
        old = self.master["exceptions"]
        out["exceptions"] = set(old.index[old["file"].isin(tried)])
        return out

    def _take_export(self, source: Source, entry: dict, mapping: pd.DataFrame) -> None:
        used = False
        for sheet, rows in source.sheets.items():
            for table, raw, first_row in _mapped_tables(rows, mapping):
                self._batch(table).add(raw, source.name, sheet, first_row, {"source": source.name})
                used = True
        if not used:
            raise SchemaError(f"{source.name} is neither a rep template nor an export the column map describes")

    # ------------------------------------------------------------ all files at once

    def finish(self, now: pd.Timestamp) -> Plan:
        append, exceptions, outcome = {}, list(self.file_exceptions), []
        self.delete = self._deletions()
        known = {f"{t}.{TABLES[t].key[0]}": set(self.master[t][TABLES[t].key[0]].dropna().astype(str)) for t in MASTER_DATA}
        for name in MASTER_DATA:
            if name in self.batches:
                added, exc, counted = self._master_data(name)
                append[name] = added
                known[f"{name}.{TABLES[name].key[0]}"] |= set(added[TABLES[name].key[0]].astype(str))
                exceptions.append(exc)
                outcome.append(counted)
        for name in (*TEMPLATE_TABLES, "orders", "payments", "visit_plans", "activities", "returns"):
            if name in self.batches:
                target, valid, exc, counted = self._facts(name, known, append)
                append[target] = pd.concat([append.get(target), valid]) if target in append else valid
                exceptions.append(exc)
                outcome.append(counted)
        exceptions = pd.concat([e for e in exceptions if len(e)] or [pd.DataFrame(columns=EXCEPTION_COLUMNS)], ignore_index=True)
        log = self._log(now, outcome, exceptions)
        customers = pd.concat([self.master["customers"], append.get("customers")], ignore_index=True)
        merges = propose_merges(customers, self.master["customer_merges"])
        append = {k: v.reset_index(drop=True) for k, v in append.items() if len(v)}
        for name, df in (("exceptions", exceptions), ("import_log", log), ("customer_merges", merges)):
            if len(df):
                append[name] = df
        delete = {k: v for k, v in self.delete.items() if v}
        report = ImportReport(
            log, exceptions, merges,
            added={k: len(v) for k, v in append.items() if k in TABLES and not TABLES[k].computed},
            removed={k: len(v) for k, v in delete.items()},
        )  # fmt: skip
        return Plan(delete, append, report)

    def _coerce(self, name: str, table: Table):
        """All files' rows for `name`, typed; problems as Exceptions; counted rows per origin."""
        raw, origin = self.batches[name].frames()
        raw = _blank_formulas(raw, TEMPLATE_FORMULAS.get(name, ()), table.names)
        typed, problems = coerce_table(raw, table, first_row=0, dayfirst=self.dayfirst)
        extras = [c for c in raw.columns if c not in table.names]
        typed = typed.join(raw[extras]) if extras else typed
        read = origin.loc[typed.index.union(problems["row"].unique())]
        return typed, exceptions_from(problems, origin) if len(problems) else _no_exceptions(), origin, read

    def _master_data(self, name: str):
        table = TABLES[name]
        mapped = self.batches[name].frames()[0].columns
        typed, exc, origin, read = self._coerce(name, _subset(table, mapped))
        key = table.key[0]
        fresh = typed.drop_duplicates(key)
        fresh = fresh[~fresh[key].astype(str).isin(set(self.master[name][key].dropna().astype(str)))]
        return fresh.reindex(columns=table.names), exc, (read, exc)

    def _facts(self, name: str, known, append):
        target = TEMPLATE_FEEDS.get(name, name)
        table = TABLES[target]
        mapped = self.batches[name].frames()[0].columns
        source_table = TEMPLATE_TABLES[name] if name in TEMPLATE_TABLES else _subset(table, mapped)
        typed, exc, origin, read = self._coerce(name, source_table)
        period = None
        if "_start" in typed:
            period = (typed["_start"].astype("datetime64[ns]"), typed["_end"].astype("datetime64[ns]"))
        elif self.forced:
            period = self.forced
        rows, origin, more = _complete(target, typed, origin, self.master, append)
        existing = self.master[target].drop(index=list(self.delete.get(target, ())))
        valid, bad = validate_rows(rows, table, origin, period=period, known=known, existing_keys=existing)
        exc = pd.concat([e for e in (exc, more, bad) if len(e)] or [_no_exceptions()], ignore_index=True)
        return target, valid.reindex(columns=table.names), exc, (read, exc)

    def _log(self, now: pd.Timestamp, outcome, exceptions: pd.DataFrame) -> pd.DataFrame:
        read = pd.concat([r for r, _ in outcome] or [pd.DataFrame(columns=["file", "sheet", "row"])], ignore_index=True).drop_duplicates()
        bad = exceptions.dropna(subset=["row"])[["file", "sheet", "row"]].drop_duplicates()
        log = pd.DataFrame(self.files)
        n_read = read.groupby("file").size()
        n_bad = bad.merge(read.astype({"row": "int64"}), on=["file", "sheet", "row"]).groupby("file").size()
        log["rows_read"] = log["file"].map(n_read).fillna(0).astype("int64").where(log["status"] == "imported", 0)
        log["rows_rejected"] = log["file"].map(n_bad).fillna(0).astype("int64").where(log["status"] == "imported", 0)
        log["rows_imported"] = log["rows_read"] - log["rows_rejected"]
        partial = (log["status"] == "imported") & (log["rows_rejected"] > 0)
        log.loc[partial, "status"] = np.where(log.loc[partial, "rows_imported"] > 0, "partial", "rejected")
        log["imported_at"] = now
        return log.reindex(columns=LOG_COLUMNS)


def _subset(table: Table, names) -> Table:
    """`table` restricted to the columns an export maps."""
    columns = tuple(c for c in table.columns if c.name in set(names))
    return replace(table, columns=columns, key=tuple(k for k in table.key if k in set(names)))


_NO_EXCEPTIONS = pd.DataFrame(columns=EXCEPTION_COLUMNS).astype({"row": "Int64"})


def _no_exceptions() -> pd.DataFrame:
    return _NO_EXCEPTIONS.copy()


def _file_exception(file: str, reason: str) -> pd.DataFrame:
    return pd.DataFrame([{"file": file, "sheet": "", "row": pd.NA, "column": "", "value": "", "reason": reason}]).reindex(
        columns=EXCEPTION_COLUMNS
    ).astype({"row": "Int64"})


# ---------------------------------------------------------------- templates


_INFO_TABLE = Table("info", TEMPLATE_INFO_SHEET, tuple(
    replace(TABLES["reps"].column("rep_id"), header=f"Rep ID ({TEMPLATE_INFO_CELLS['rep_id']})")
    if k == "rep_id" else replace(TABLES["reps"].column("start_date"), name=k, required=True,
                                  header=f"Period ({TEMPLATE_INFO_CELLS[k]})")
    for k in ("rep_id", "period_start", "period_end")
))  # fmt: skip


def _template_info(source: Source) -> tuple[str, pd.Timestamp, pd.Timestamp]:
    """Rep ID and period from the Instructions sheet."""
    rows = source.sheets[TEMPLATE_INFO_SHEET]
    raw = {}
    for key in _INFO_TABLE.names:
        cell = TEMPLATE_INFO_CELLS[key]
        r, c = int(cell[1:]) - 1, ord(cell[0]) - ord("A")
        raw[key] = rows[r][c] if r < len(rows) and c < len(rows[r]) else None
    if isinstance(raw["rep_id"], str) and raw["rep_id"].strip() and all(
        isinstance(raw[k], dt.date) for k in ("period_start", "period_end")
    ):  # the usual case, without the cost of a coercion
        info = {"rep_id": raw["rep_id"].strip(), **{k: pd.Timestamp(raw[k]).normalize() for k in ("period_start", "period_end")}}
    else:
        typed, problems = coerce_table(pd.DataFrame({k: [v] for k, v in raw.items()}), _INFO_TABLE)
        if len(problems) or typed.empty:
            reason = problems["reason"].iloc[0] if len(problems) else "the rep and period are missing"
            raise SchemaError(f"{source.name}, sheet {TEMPLATE_INFO_SHEET}: {reason}")
        info = typed.iloc[0]
    if info["period_end"] < info["period_start"]:
        raise SchemaError(f"{source.name}: the period ends before it starts")
    return str(info["rep_id"]), info["period_start"], info["period_end"]


def _blank_formulas(raw: pd.DataFrame, formulas: tuple[str, ...], columns: list[str]) -> pd.DataFrame:
    """Formula results on rows otherwise blank in `columns` are not data (a legacy .xls stores "" as 0)."""
    formulas = [c for c in formulas if c in raw]
    if not formulas:
        return raw
    blank = raw[[c for c in columns if c in raw and c not in formulas]].isna().all(axis=1)
    return raw.assign(**{c: raw[c].where(~blank) for c in formulas})


def _template_sheets(source: Source) -> dict[str, tuple[str, pd.DataFrame, int]]:
    """Each input sheet of a template, found by title first, then by its headers; a sheet
    is never used twice.  A sheet that cannot be found rejects the whole file."""
    free = {k: v for k, v in source.sheets.items() if k != TEMPLATE_INFO_SHEET}
    found = {}
    names = sorted(TEMPLATE_FEEDS, key=lambda n: TEMPLATE_TABLES[n].sheet not in free)
    for name in names:
        table = TEMPLATE_TABLES[name]
        hit = read_raw(_Book(free), table)
        if hit is None:
            raise SchemaError(
                f"{source.name}: no sheet holds the {table.sheet} table (headers {', '.join(table.headers)})"
            )
        found[name] = hit
        free.pop(hit[0])
    return found


# ---------------------------------------------------------------- exports


def _mapped_tables(rows: list[list], mapping: pd.DataFrame):
    """(table, raw frame with schema names, first data row) for each table `rows` feeds."""
    candidates = []
    for (system, table), group in mapping.groupby(["source_system", "table"], sort=False):
        wanted = {normalize(s) for s in group["source_column"]}
        for i, header in enumerate(rows[:HEADER_SCAN_ROWS]):
            names = {normalize(v): j for j, v in enumerate(header) if v not in ("", None)}
            if wanted <= set(names):
                body = [r + [None] * (len(header) - len(r)) for r in rows[i + 1 :]]
                cols = {col: [r[names[normalize(src)]] for r in body] for src, col in zip(group["source_column"], group["column"])}
                raw = pd.DataFrame(cols, dtype=object).replace("", None)
                candidates.append((table, raw, i + 2, len(wanted)))
                break
    facts = [c for c in candidates if c[0] not in MASTER_DATA]
    best = max(facts, key=lambda c: c[3], default=None)
    keep = [c for c in candidates if c[0] in MASTER_DATA] + ([best] if best else [])
    return [(t, raw, first) for t, raw, first, _ in keep]


def _complete(target: str, typed: pd.DataFrame, origin: pd.DataFrame, master, append):
    """Fill the columns files never carry: lines, amounts, payment IDs, order-level returns.

    Returns the rows, their origin (changed when returns expand) and exceptions.
    """
    rows = typed.copy()
    if target == "orders":
        if "line" not in rows or rows["line"].isna().all():
            group = [origin.loc[rows.index, "file"], rows["order_id"]]
            rows["line"] = (rows.groupby(group).cumcount() + 1).astype("Int64")
        if {"quantity", "unit_price"} <= set(rows.columns):
            computed = pd.Series(round_cents(rows["quantity"] * rows["unit_price"]), index=rows.index)
            rows["amount"] = rows["amount"].fillna(computed) if "amount" in rows else computed
    if target == "payments" and "payment_id" not in rows:
        stamp = pd.to_datetime(rows["_start"]).dt.strftime("%Y%m")
        rows["payment_id"] = rows["rep_id"] + "-" + stamp + "-" + origin.loc[rows.index, "row"].astype(str)
    if target == "returns" and ("line" not in rows or "amount" not in rows):
        return _expand_returns(rows, origin, master, append)
    return rows, origin, _no_exceptions()


def _expand_returns(rows: pd.DataFrame, origin: pd.DataFrame, master, append):
    """Order-level returns: one return per line of the order, worth the line's amount,
    dated the order date when the export has no return date."""
    orders = pd.concat([master["orders"], append.get("orders")], ignore_index=True)
    lines = orders[["order_id", "line", "order_date", "amount"]].drop_duplicates(["order_id", "line"])
    known = rows["order_id"].isin(lines["order_id"])
    unknown = rows[~known]
    bad = pd.DataFrame({
        "row": unknown.index, "column": TABLES["returns"].column("order_id").header,
        "value": unknown["order_id"].astype(str),
        "reason": [f"Order ID {v!r} is not on the Orders sheet" for v in unknown["order_id"]],
    })  # fmt: skip
    exc = exceptions_from(bad, origin) if len(bad) else _no_exceptions()
    keep = rows[known].drop(columns=[c for c in ("line", "amount") if c in rows]).rename_axis("_label").reset_index()
    merged = keep.merge(lines, on="order_id", how="left")
    if "return_date" not in merged or merged["return_date"].isna().all():
        merged["return_date"] = merged["order_date"]
    new_origin = origin.loc[merged["_label"]].reset_index(drop=True)
    return merged.drop(columns=["_label", "order_date"]), new_origin, exc
