"""The change set: every change an import makes to the master, decided without file I/O."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from sales_tools.core.coerce import coerce_table
from sales_tools.core.dedupe import propose_merges
from sales_tools.core.frames import as_text
from sales_tools.core.submissions import DONE, earlier_rows, imported_files, is_current, sealed, template_id
from sales_tools.core.validate import EXCEPTION_COLUMNS, RowContext, exceptions_from, validate_rows
from sales_tools.errors import SalesToolsError, SchemaError, WorkbookError
from sales_tools.importer import templates
from sales_tools.importer.batch import Batch
from sales_tools.importer.daily import disagreeing_amounts
from sales_tools.importer.exports import mapped_tables
from sales_tools.importer.fill import complete_rows
from sales_tools.importer.master import MASTER_DATA, new_master_rows, subset_table
from sales_tools.importer.report import ImportReport, file_exception, import_log, no_exceptions
from sales_tools.importer.sources import Source
from sales_tools.schema import TABLES, TEMPLATE_FEEDS, TEMPLATE_FORMULAS, TEMPLATE_INFO_SHEET, TEMPLATE_TABLES, Table
from sales_tools.schema.inputs import SIGN_OFF
from sales_tools.schema.language import tr
from sales_tools.schema.rep_templates import TEMPLATE_SUPERVISOR

# The date that places a template's row in its period, per table it feeds.
_DATES = {feed: next(c.name for c in TABLES[feed].columns if c.type == "date") for feed in TEMPLATE_FEEDS.values()}
SIGNED = ("visit_plans", "activities")  # tables whose rows carry the supervisor's sign-off
KEPT = [c.name for c in SIGN_OFF]  # what an unchanged re-submitted row keeps of the row it replaces


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
        sources: the files as `read_source` returns them, in the order given: a later
            file of the same submission (rep and period) supersedes an earlier one.
        options: the column map, period, date order and import time.

    Returns:
        The ChangeSet: rows to delete and append per table, and the ImportReport.
    """
    now = pd.Timestamp.now().floor("s") if options.now is None else options.now
    mapping = options.mapping if options.mapping is not None else pd.DataFrame(columns=TABLES["column_map"].names)
    state = _State(master, _period(options.period), options.dayfirst, now)
    for source, label in zip(sources, _labels(sources)):
        state.take(source, label, mapping)
    return state.finish(now)


def _period(period) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    if period is None:
        return None
    if isinstance(period, (tuple, list)):
        return pd.Timestamp(period[0]).normalize(), pd.Timestamp(period[1]).normalize()
    p = pd.Period(period)
    return p.start_time.normalize(), p.end_time.normalize()


def _labels(sources: list[Source]) -> list[str]:
    """What this import calls each file: its name, numbered when several files share it."""
    names = Counter(s.name for s in sources)
    return [s.name if names[s.name] == 1 else f"{s.name} (file {i})" for i, s in enumerate(sources, start=1)]


class _State:
    """Accumulates one import: the files' rows by table, file outcomes, deletions."""

    def __init__(self, master, forced, dayfirst, now):
        self.master, self.forced, self.dayfirst, self.now = master, forced, dayfirst, now
        self.batches: dict[str, Batch] = {}
        self.files: list[dict] = []  # one Import log entry per file, with its label
        self.rejections: list[pd.DataFrame] = []  # files rejected whole
        self.notices: list[pd.DataFrame] = []  # what was not imported, though nothing was rejected
        self.submissions: dict[str, dict] = {}  # template ID -> the entry of its latest file in this import
        self.daily: tuple | None = None  # the Daily report rows imported and their origin, checked in `finish`
        self.reps = set(master["reps"]["rep_id"].dropna().astype(str))
        log = master["import_log"]
        self.seen = set(log.loc[log["status"].isin(DONE), "sha256"].dropna())

    # ------------------------------------------------------------ per file

    def take(self, source: Source, label: str, mapping: pd.DataFrame) -> None:
        entry = {
            "file": source.name, "sha256": source.sha256, "rep_id": None, "period": pd.NaT, "template_id": None,
            "status": "imported", "label": label, "file_modified_at": source.modified,
        }  # fmt: skip
        self.files.append(entry)
        try:
            if source.error is not None:
                raise WorkbookError(source.error)
            if templates.info_sheet(source):
                self._take_template(source, entry)
            else:
                self._take_export(source, entry, mapping)
        except SalesToolsError as exc:
            entry["status"] = "rejected"
            self.rejections.append(file_exception(label, str(exc)))

    def _batch(self, table: str) -> Batch:
        return self.batches.setdefault(table, Batch())

    def _take_template(self, source: Source, entry: dict) -> None:
        """A rep's submission, superseding an earlier file of it in this import."""
        rep_id, start, end = self._identify(source, entry)
        key = entry["template_id"]
        earlier = self.submissions.get(key)  # an earlier file of this import
        same = (
            earlier["sha256"] == source.sha256 if earlier else is_current(self.master["import_log"], key, source.sha256)
        )
        if same:
            entry["status"] = "already imported"
            return
        found = templates.template_sheets(source)
        if earlier is not None:
            earlier["status"] = "replaced"
            for batch in self.batches.values():
                batch.drop(earlier["label"])
        self.submissions[key] = entry
        extra = {"rep_id": rep_id, "source": source.name, "_start": start, "_end": end}
        for name, (sheet, raw, first_row) in found.items():
            raw = self._without_sign_off(raw, entry["label"], sheet, first_row)
            stamp = {"received_at": self.now} if TEMPLATE_FEEDS[name] in SIGNED else {}
            self._batch(name).add(raw, entry["label"], sheet, first_row, {**extra, **stamp})
        self._template_notices(source, entry["label"], found)

    def _identify(self, source: Source, entry: dict) -> tuple[str, pd.Timestamp, pd.Timestamp]:
        """The rep and period of a template, checked against the Reps sheet and its template ID;
        its submission (rep, period, template ID) recorded on `entry`."""
        info = templates.template_info(source)
        entry["rep_id"] = info.rep_id
        if info.rep_id not in self.reps:
            raise SchemaError(
                tr("{file}: rep {rep!r} on the {info} sheet is not on the {sheet} sheet").format(
                    file=source.name, rep=info.rep_id, info=tr(TEMPLATE_INFO_SHEET), sheet=TABLES["reps"].sheet
                )
            )
        if not sealed(info.template_id, info.rep_id, info.start, info.end):
            changed = tr(
                "{file}: the Rep ID or period on the {info} sheet was changed after the template was issued (its "
                "Template ID {template} is not that of rep {rep} for {start} to {end}); nothing was imported from "
                "it: issue the rep a new template instead of editing those cells"
            )
            raise SchemaError(
                changed.format(
                    file=source.name,
                    info=tr(TEMPLATE_INFO_SHEET),
                    template=info.template_id,
                    rep=info.rep_id,
                    start=f"{info.start:%Y-%m-%d}",
                    end=f"{info.end:%Y-%m-%d}",
                )  # fmt: skip
            )
        start, end = self.forced or (info.start, info.end)
        entry.update(
            period=start.replace(day=1), template_id=template_id(info.rep_id, start, end), _period=(start, end)
        )
        return info.rep_id, start, end

    def _without_sign_off(self, raw: pd.DataFrame, label: str, sheet: str, first_row: int) -> pd.DataFrame:
        """`raw` with the supervisor's columns blanked: a rep cannot approve their own rows.
        Rows that carried values there are reported (Exceptions), the rest of them imported."""
        columns = [c for c in TEMPLATE_SUPERVISOR if c in raw]
        filled = raw[columns].notna().any(axis=1) if columns else pd.Series(False, index=raw.index)
        if filled.any():
            rows = (first_row + raw.index[filled.to_numpy(dtype=bool)]).tolist()
            more = tr(" and {count} more").format(count=len(rows) - 10) if len(rows) > 10 else ""
            reason = tr(
                "not applied: rows {rows} carry the supervisor's sign-off (approved by, on, comment), which only "
                "a manager sets in the master (sales-tools approve); the rows were imported without it"
            ).format(rows=", ".join(map(str, rows[:10])) + more)
            self.notices.append(file_exception(label, reason, sheet, ", ".join(columns)))
        return raw.assign(**{c: None for c in columns})

    def _template_notices(self, source: Source, label: str, found: dict) -> None:
        """Report the columns of its sheets that are not their table's, and the sheets with data it does not read."""
        for name, (sheet, raw, first_row) in found.items():
            table = TEMPLATE_TABLES[name]
            ignored = templates.ignored_columns(source, sheet, first_row, table)
            if ignored:
                missing = templates.missing_columns(raw, table)
                lacks = tr("; the sheet has no column {columns} (renamed?)").format(columns=", ".join(missing))
                reason = tr("not imported: not columns of the template's {sheet} sheet{lacks}").format(
                    sheet=table.sheet, lacks=lacks if missing else ""
                )
                self.notices.append(file_exception(label, reason, sheet, ", ".join(ignored)))
        inputs = ", ".join(TEMPLATE_TABLES[n].sheet for n in TEMPLATE_FEEDS)
        for sheet in templates.unused_sheets(source, found):
            reason = tr("not imported: it is not one of the template's sheets ({sheets}); copy its rows onto those")
            reason = reason.format(sheets=inputs)
            self.notices.append(file_exception(label, reason, sheet))

    def _take_export(self, source: Source, entry: dict, mapping: pd.DataFrame) -> None:
        """An export: every sheet the column map describes (skipped when its SHA-256 was imported)."""
        if source.sha256 in self.seen:
            entry["status"] = "already imported"
            return
        found = {
            sheet: mapped_tables(rows, mapping, tr("{file}, sheet {sheet}").format(file=source.name, sheet=sheet))
            for sheet, rows in source.sheets.items()
        }
        if not any(tables for tables, _ in found.values()):
            raise SchemaError(
                tr("{file} is neither a rep template nor an export the column map describes").format(file=source.name)
            )
        for sheet, (tables, ignored) in found.items():
            for table, raw, first_row in tables:
                self._batch(table).add(raw, entry["label"], sheet, first_row, {"source": source.name})
            if tables and ignored:
                reason = tr("not imported: not on the column map")
                self.notices.append(file_exception(entry["label"], reason, sheet, ", ".join(ignored)))
        self.seen.add(source.sha256)

    # ------------------------------------------------------------ all files at once

    def finish(self, now: pd.Timestamp) -> ChangeSet:
        append, rejected, notices, read = {}, list(self.rejections), list(self.notices), []
        self.delete = self._deletions()
        known = {
            f"{t}.{TABLES[t].key[0]}": set(self.master[t][TABLES[t].key[0]].dropna().astype(str)) for t in MASTER_DATA
        }
        batches = [name for name, batch in self.batches.items() if any(len(raw) for raw in batch.raws)]
        for name in MASTER_DATA:
            if name in batches:
                added, exc, renamed, rows_read = self._master_data(name)
                append[name] = added
                known[f"{name}.{TABLES[name].key[0]}"] |= set(added[TABLES[name].key[0]].astype(str))
                rejected.append(exc)
                notices.append(renamed)
                read.append(rows_read)
        for name in (*TEMPLATE_TABLES, "orders", "payments", "visit_plans", "activities", "returns"):
            if name in batches:
                target, valid, exc, rows_read = self._facts(name, known, append)
                append[target] = pd.concat([append.get(target), valid]) if target in append else valid
                rejected.append(exc)
                read.append(rows_read)
        for name in SIGNED:
            if name in append and self.delete.get(name):
                append[name] = _keep_sign_off(append[name], self.master[name].loc[sorted(self.delete[name])])
        if self.daily is not None:
            notices.append(disagreeing_amounts(*self.daily, append))
        rejected = _concat(rejected)
        log = import_log(self.files, read, rejected, now)
        exceptions = self._attributed(_concat([rejected, *notices]))
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

    def _attributed(self, exceptions: pd.DataFrame) -> pd.DataFrame:
        """Exceptions with each file's name, rep and submission, in the order of the files;
        none of a file replaced."""
        entries = {e["label"]: (i, e) for i, e in enumerate(self.files)}
        kept = exceptions["file"].map(lambda f: entries[f][1]["status"] != "replaced")
        exceptions = exceptions.loc[kept.to_numpy(dtype=bool)]
        order = exceptions["file"].map(lambda f: entries[f][0])
        exceptions = exceptions.iloc[order.argsort(kind="stable")].reset_index(drop=True)
        for column in ("rep_id", "template_id"):
            exceptions[column] = exceptions["file"].map(lambda f, c=column: entries[f][1][c])
        exceptions["file"] = exceptions["file"].map(lambda f: entries[f][1]["file"])
        return exceptions

    def _deletions(self) -> dict[str, set[int]]:
        """Rows of the submissions' earlier files, and the Exceptions of every file tried again.

        The Exceptions of a submission (Template ID) describe its latest file; those of a file
        not identified as one (an export, a template rejected before its rep and period were
        verified) its last version of that name and claimed rep.  So none is listed twice.
        """
        log = self.master["import_log"]
        earlier = [(e, imported_files(log, e["template_id"])) for e in self.submissions.values()]
        earlier = [(e, files) for e, files in earlier if files]
        out = {
            feed: {
                label
                for e, files in earlier
                for label in earlier_rows(self.master[feed], date, e["rep_id"], e["_period"], files)
            }
            for feed, date in _DATES.items()
        }
        tried = [e for e in self.files if e["status"] != "already imported"]
        old = self.master["exceptions"]
        blank = old["template_id"].isna() | old["template_id"].astype(str).eq("")
        by_file = pd.MultiIndex.from_arrays([old["file"].astype(str), old["rep_id"].fillna("").astype(str)])
        mine = old["template_id"].isin({e["template_id"] for e in tried if e["template_id"]}) | (
            blank & by_file.isin([(e["file"], e["rep_id"] or "") for e in tried])
        )
        out["exceptions"] = set(old.index[mine.to_numpy(dtype=bool)])
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
        if target == "complaints":  # a complaint sent again updates it, though raised before the period
            period = _updates_from_before(period, rows["complaint_id"].isin(existing["complaint_id"]))
            existing = existing[~existing["complaint_id"].isin(rows["complaint_id"])]
        valid, bad = validate_rows(rows, table, origin, RowContext(period=period, known=known, existing_keys=existing))
        if name == "rep_daily_report":
            self.daily = (valid, origin)
        if target == "complaints":
            old = self.master[target]
            self.delete.setdefault(target, set()).update(old.index[old["complaint_id"].isin(valid["complaint_id"])])
        exc = pd.concat([e for e in (exc, more, bad) if len(e)] or [no_exceptions()], ignore_index=True)
        return target, valid.reindex(columns=table.names), exc, read


def _keep_sign_off(new: pd.DataFrame, replaced: pd.DataFrame) -> pd.DataFrame:
    """`new` rows, those equal to a `replaced` row (a re-submission's unchanged rows) with its
    received day and sign-off; a changed row loses them: it is received now, to approve again."""
    compared = [c for c in new.columns if c not in KEPT and c != "source"]
    old = replaced.assign(_key=_row_keys(replaced[compared])).drop_duplicates("_key").set_index("_key")
    keys = _row_keys(new[compared])
    same = keys.isin(old.index).to_numpy(dtype=bool)
    if not same.any():
        return new
    new = new.copy()
    for column in KEPT:
        values = old[column].reindex(keys[same]).to_numpy()
        dates = TABLES["activities"].column(column).type == "date"
        new[column] = pd.to_datetime(new[column]) if dates else new[column].astype(object)
        new.loc[same, column] = pd.to_datetime(values) if dates else values
    return new


def _row_keys(frame: pd.DataFrame) -> pd.Series:
    """Each row's values as one text (blanks blank): rows equal in every column match."""
    return frame.apply(as_text).fillna("").agg("\x1f".join, axis=1)


def _updates_from_before(period, updates: pd.Series):
    """`period` with no first day for the `updates` rows: only their date after its last day is refused."""
    if period is None:
        return None
    start, end = (p if isinstance(p, pd.Series) else pd.Series(pd.Timestamp(p), index=updates.index) for p in period)
    return start.where(~updates, pd.Timestamp("1900-01-01")), end


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    return pd.concat([f for f in frames if len(f)] or [pd.DataFrame(columns=EXCEPTION_COLUMNS)], ignore_index=True)
