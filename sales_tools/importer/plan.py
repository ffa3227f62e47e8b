"""The change set: every change an import makes to the master, decided without file I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from sales_tools.core.coerce import coerce_table
from sales_tools.core.dedupe import propose_merges
from sales_tools.core.validate import EXCEPTION_COLUMNS, RowContext, exceptions_from, validate_rows
from sales_tools.errors import SalesToolsError, SchemaError, WorkbookError
from sales_tools.importer import templates
from sales_tools.importer.batch import Batch
from sales_tools.importer.exports import mapped_tables
from sales_tools.importer.fill import complete_rows
from sales_tools.importer.master import MASTER_DATA, new_master_rows, subset_table
from sales_tools.importer.report import DONE, ImportReport, file_exception, import_log, no_exceptions
from sales_tools.importer.sources import Source
from sales_tools.importer.templates import template_info
from sales_tools.schema import TABLES, TEMPLATE_FEEDS, TEMPLATE_FORMULAS, TEMPLATE_INFO_SHEET, TEMPLATE_TABLES, Table


@dataclass
class ChangeSet:
    """The changes to the master: rows to delete (Excel row numbers) and to append, per table."""

    delete: dict[str, set[int]]
    append: dict[str, pd.DataFrame]
    report: ImportReport


@dataclass(frozen=True)
class ImportOptions:
    """How `plan_changes` reads the files."""

    mapping: pd.DataFrame | None = None  # the column map (`load_mapping`); None maps no exports
    period: object = None  # as for `import_files`
    dayfirst: bool = False  # as for `import_files`
    now: pd.Timestamp | None = None  # the import time written to the log; None: now


def plan_changes(
    master: Mapping[str, pd.DataFrame], sources: list[Source], options: ImportOptions = ImportOptions()
) -> ChangeSet:
    """Decide every change to the master from the files' raw cells (pure: no file I/O).

    Args:
        master: the master's tables as `read_master` returns them (Excel row index).
        sources: the files as `read_source` returns them.
        options: the column map, period, date order and import time.

    Returns:
        The ChangeSet: rows to delete and append per table, and the ImportReport.
    """
    now = pd.Timestamp.now().floor("s") if options.now is None else options.now
    mapping = options.mapping if options.mapping is not None else pd.DataFrame(columns=TABLES["column_map"].names)
    state = _State(master, _period(options.period), options.dayfirst)
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
        self.batches: dict[str, Batch] = {}
        self.files: list[dict] = []  # one log entry per file
        self.file_exceptions: list[pd.DataFrame] = []  # files rejected whole
        self.notices: list[pd.DataFrame] = []  # what was not imported, though nothing was rejected
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
                self._take_export(source, mapping)
        except SalesToolsError as exc:
            entry["status"] = "rejected"
            self.file_exceptions.append(file_exception(source.name, str(exc)))
            return
        self.seen.add(source.sha256)

    def _batch(self, table: str) -> Batch:
        return self.batches.setdefault(table, Batch())

    def _take_template(self, source: Source, entry: dict) -> None:
        rep_id, start, end = template_info(source)
        if rep_id not in self.reps:
            raise SchemaError(
                f"{source.name}: rep {rep_id!r} on the {TEMPLATE_INFO_SHEET} sheet is not on the Reps sheet"
            )
        start, end = self.forced or (start, end)
        found = templates.template_sheets(source)
        entry.update(rep_id=rep_id, period=start.replace(day=1))
        self.resubmitted.append((rep_id, start.replace(day=1), source.name))
        extra = {"rep_id": rep_id, "source": source.name, "_start": start, "_end": end}
        for name, (sheet, raw, first_row) in found.items():
            self._batch(name).add(raw, source.name, sheet, first_row, extra)
            self._template_columns(source, source.name, TEMPLATE_TABLES[name], (sheet, raw, first_row))
        for sheet in templates.unused_sheets(source, found):
            self.notices.append(file_exception(
                source.name, "not imported: it is not one of the template's sheets "
                f"({', '.join(TEMPLATE_TABLES[n].sheet for n in TEMPLATE_FEEDS)}); copy its rows onto those", sheet,
            ))  # fmt: skip

    def _template_columns(self, source: Source, label: str, table: Table, found: tuple) -> None:
        """Report the columns of a template sheet that are not its table's (renamed or added)."""
        sheet, raw, first_row = found
        ignored = templates.ignored_columns(source, sheet, first_row, table)
        if ignored:
            missing = templates.missing_columns(raw, table)
            lacks = f"; the sheet has no column {', '.join(missing)} (renamed?)" if missing else ""
            reason = f"not imported: not columns of the template's {table.sheet} sheet{lacks}"
            self.notices.append(file_exception(label, reason, sheet, ", ".join(ignored)))

    def _take_export(self, source: Source, mapping: pd.DataFrame) -> None:
        """An export: every sheet the column map describes."""
        found = {
            sheet: mapped_tables(rows, mapping, f"{source.name}, sheet {sheet}")
            for sheet, rows in source.sheets.items()
        }
        if not any(tables for tables, _ in found.values()):
            raise SchemaError(f"{source.name} is neither a rep template nor an export the column map describes")
        for sheet, (tables, ignored) in found.items():
            for table, raw, first_row in tables:
                self._batch(table).add(raw, source.name, sheet, first_row, {"source": source.name})
            if tables and ignored:
                reason = "not imported: not on the column map"
                self.notices.append(file_exception(source.name, reason, sheet, ", ".join(ignored)))

    # ------------------------------------------------------------ all files at once

    def finish(self, now: pd.Timestamp) -> ChangeSet:
        append, exceptions, read = {}, list(self.file_exceptions), []
        self.delete = self._deletions()
        known = {
            f"{t}.{TABLES[t].key[0]}": set(self.master[t][TABLES[t].key[0]].dropna().astype(str)) for t in MASTER_DATA
        }
        for name in MASTER_DATA:
            if name in self.batches:
                added, exc, renamed, rows_read = self._master_data(name)
                append[name] = added
                known[f"{name}.{TABLES[name].key[0]}"] |= set(added[TABLES[name].key[0]].astype(str))
                exceptions.append(exc)
                self.notices.append(renamed)
                read.append(rows_read)
        for name in (*TEMPLATE_TABLES, "orders", "payments", "visit_plans", "activities", "returns"):
            if name in self.batches:
                target, valid, exc, rows_read = self._facts(name, known, append)
                append[target] = pd.concat([append.get(target), valid]) if target in append else valid
                exceptions.append(exc)
                read.append(rows_read)
        rejected = _concat(exceptions)
        log = import_log(self.files, read, rejected, now)
        exceptions = _concat([rejected, *self.notices])
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
        return ChangeSet(delete, append, report)

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

    def _coerce(self, name: str, table: Table):
        """All files' rows for `name`, typed; problems as Exceptions; the origin of all rows and of the rows read."""
        raw, origin = self.batches[name].frames()
        raw = templates.blank_formulas(raw, TEMPLATE_FORMULAS.get(name, ()), table.names)
        typed, problems = coerce_table(raw, table, first_row=0, dayfirst=self.dayfirst)
        extras = [c for c in raw.columns if c not in table.names]
        typed = typed.join(raw[extras]) if extras else typed
        read = origin.loc[typed.index.union(problems["row"].unique())]
        return typed, exceptions_from(problems, origin) if len(problems) else no_exceptions(), origin, read

    def _master_data(self, name: str):
        table = TABLES[name]
        mapped = self.batches[name].frames()[0].columns
        typed, exc, origin, read = self._coerce(name, subset_table(table, mapped))
        added, renamed = new_master_rows(table, typed, origin, self.master[name])
        return added, exc, renamed, read

    def _facts(self, name: str, known, append):
        target = TEMPLATE_FEEDS.get(name, name)
        table = TABLES[target]
        mapped = self.batches[name].frames()[0].columns
        source_table = TEMPLATE_TABLES[name] if name in TEMPLATE_TABLES else subset_table(table, mapped)
        typed, exc, origin, read = self._coerce(name, source_table)
        period = None
        if "_start" in typed:
            period = (typed["_start"].astype("datetime64[ns]"), typed["_end"].astype("datetime64[ns]"))
        elif self.forced:
            period = self.forced
        rows, origin, more = complete_rows(target, typed, origin, self.master, append)
        existing = self.master[target].drop(index=list(self.delete.get(target, ())))
        valid, bad = validate_rows(rows, table, origin, RowContext(period=period, known=known, existing_keys=existing))
        exc = pd.concat([e for e in (exc, more, bad) if len(e)] or [no_exceptions()], ignore_index=True)
        return target, valid.reindex(columns=table.names), exc, read


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    return pd.concat([f for f in frames if len(f)] or [pd.DataFrame(columns=EXCEPTION_COLUMNS)], ignore_index=True)
