"""Property: whatever reps and exports send, in whatever order and under whatever names,
an import leaves the master holding exactly the rows it held, minus those of the
earlier files of each submission sent again, plus the rows accepted; every file's
rows read = imported + rejected.

Generated with hypothesis at the `plan_changes` level (in-memory files, master tables
updated in memory as `save_changes` updates the file), against a model written from
the rules in docs/import.md ("What identifies a submission"), not from the code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from submission_files import ISSUED, apply_changes, month, template_source

from sales_tools.core.submissions import template_id
from sales_tools.excel.builder import build_master
from sales_tools.importer import ImportOptions, Source, load_mapping, plan_changes, read_master

REPS = ["R01", "R02", "R03"]
PERIODS = ["2024-01", "2024-02", "2024-03"]
TEMPLATE_NAMES = ["alice.xlsx", "orders.xlsx", "R01.xlsx"]  # shared across reps and periods
EXPORT_NAMES = ["crm.csv", "erp.csv"]
CUSTOMERS = ["C0001", "C0002", "C0003"]
MAPPING = {"orders": {"order_id": "Order", "line": "Line", "order_date": "Date", "rep_id": "Rep",
                      "customer_id": "Customer", "amount": "Total"}}  # fmt: skip
EXPORT_HEADER = ["Order", "Line", "Date", "Rep", "Customer", "Total"]


@dataclass(frozen=True)
class Line:
    order: int  # order number within the submission (or export)
    day: int  # day of the period; 0 = the day before it (outside)
    quantity: int
    price: float


@dataclass(frozen=True)
class File:
    kind: str  # "issued", "blank" (no template ID), "tampered" (Rep ID changed), "export"
    name: str
    sha: str
    rep: str
    period: str
    lines: tuple[Line, ...]
    export_rows: tuple[tuple, ...] = ()  # (order, line, day in January..March, rep, amount)

    @property
    def key(self) -> tuple[str, str]:
        return self.rep, self.period

    def source(self) -> Source:
        if self.kind == "export":
            rows = [EXPORT_HEADER] + [
                [f"X-{o}", line, pd.Timestamp("2024-01-01") + pd.Timedelta(days=d), rep, CUSTOMERS[0], amount]
                for o, line, d, rep, amount in self.export_rows
            ]
            return Source(self.name, self.sha, {"export": rows})
        orders = [[self.date(ln), f"{self.rep}-{self.period}-{ln.order}", CUSTOMERS[ln.order % 3], None,
                   ln.quantity, ln.price] for ln in self.lines]  # fmt: skip
        if self.kind == "tampered":  # the issued ID of this rep, the Rep ID cell changed to the next rep
            other = REPS[(REPS.index(self.rep) + 1) % len(REPS)]
            return template_source(self.name, self.sha, other, self.period, orders,
                                   printed=template_id(self.rep, *month(self.period)))  # fmt: skip
        printed = None if self.kind == "blank" else ISSUED
        return template_source(self.name, self.sha, self.rep, self.period, orders, printed=printed)

    def date(self, line: Line) -> pd.Timestamp:
        return month(self.period)[0] + pd.Timedelta(days=line.day - 1)


lines = st.builds(Line, st.integers(0, 2), st.integers(0, 28), st.integers(1, 5), st.sampled_from([2.5, 10.0, 19.99]))


@st.composite
def files(draw, sha: int) -> File:
    kind = draw(st.sampled_from(["issued", "issued", "issued", "blank", "tampered", "export"]))
    rep, period = draw(st.sampled_from(REPS)), draw(st.sampled_from(PERIODS))
    if kind == "export":
        rows = draw(st.lists(st.tuples(st.integers(0, 3), st.integers(1, 2), st.integers(0, 89), st.sampled_from(REPS),
                                       st.sampled_from([5.0, 12.5])), min_size=1, max_size=4))  # fmt: skip
        return File(kind, draw(st.sampled_from(EXPORT_NAMES)), f"sha{sha}", rep, period, (), tuple(rows))
    name = draw(st.sampled_from(TEMPLATE_NAMES))
    return File(kind, name, f"sha{sha}", rep, period, tuple(draw(st.lists(lines, max_size=4))))


@st.composite
def imports(draw) -> list[list[File]]:
    """2-3 imports of 1-3 files each, drawn from a pool: a file may be sent again as it was."""
    pool = [draw(files(n)) for n in range(draw(st.integers(2, 5)))]
    return [draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3)) for _ in range(draw(st.integers(2, 3)))]


@dataclass
class Model:
    """The master's orders as the documented rules make them, and what each file's import log row says."""

    rows: dict = field(default_factory=dict)  # (order ID, line) -> (rep, source, date, amount)
    owner: dict = field(default_factory=dict)  # (order ID, line) -> the submission (rep, period); None: export
    latest: dict = field(default_factory=dict)  # submission -> (SHA-256, rows in the master) of its latest file
    exports_done: set = field(default_factory=set)  # SHA-256 of exports imported

    def take(self, batch: list[File]) -> list[tuple]:
        """Import `batch`; return each file's (status, read, imported, rejected)."""
        out: list = [None] * len(batch)
        pending: dict = {}  # submission -> index of its latest file in the batch
        exports = set()
        for i, f in enumerate(batch):
            if f.kind == "tampered":
                out[i] = ("rejected", 0, 0, 0)
            elif f.kind == "export":
                out[i] = ("already imported", 0, 0, 0) if f.sha in self.exports_done | exports else None
                exports.add(f.sha)
            elif f.key in pending and batch[pending[f.key]].sha == f.sha:
                out[i] = ("already imported", 0, 0, 0)
            elif f.key not in pending and self.latest.get(f.key) == (f.sha, True):
                out[i] = ("already imported", 0, 0, 0)
            else:
                if f.key in pending:
                    out[pending[f.key]] = ("replaced", 0, 0, 0)
                pending[f.key] = i
        for key in pending:
            for k in [k for k, owner in self.owner.items() if owner == key]:
                del self.rows[k], self.owner[k]
        for key, i in pending.items():
            out[i] = self._template(batch[i])
            self.latest[key] = (batch[i].sha, out[i][0] in ("imported", "partial"))
        seen = set()
        for i, f in enumerate(batch):
            if f.kind == "export" and out[i] is None:
                out[i] = self._export(f, seen)
                if out[i][0] != "rejected":
                    self.exports_done.add(f.sha)
        return out

    def _template(self, f: File) -> tuple:
        start, end = month(f.period)
        numbers: dict = {}
        good = 0
        for ln in f.lines:
            numbers[ln.order] = numbers.get(ln.order, 0) + 1  # lines numbered before the dates are checked
            if start <= f.date(ln) <= end:
                key = (f"{f.rep}-{f.period}-{ln.order}", numbers[ln.order])
                self.rows[key] = (f.rep, f.name, f.date(ln), round(ln.quantity * ln.price + 1e-9, 2))
                self.owner[key] = f.key
                good += 1
        return _status(len(f.lines), good)

    def _export(self, f: File, seen: set) -> tuple:
        good = 0
        for o, line, day, rep, amount in f.export_rows:
            key = (f"X-{o}", line)
            if key not in seen and key not in self.rows:
                self.rows[key] = (rep, f.name, pd.Timestamp("2024-01-01") + pd.Timedelta(days=day), amount)
                self.owner[key] = None
                good += 1
            seen.add(key)
        return _status(len(f.export_rows), good)


def _status(read: int, good: int) -> tuple:
    status = "imported" if good == read else "partial" if good else "rejected"
    return status, read, good, read - good


@pytest.fixture(scope="module")
def small_master(tmp_path_factory, sample):
    tables = {
        "reps": sample["reps"][sample["reps"]["rep_id"].isin(REPS)],
        "customers": sample["customers"][sample["customers"]["customer_id"].isin(CUSTOMERS)],
        "categories": sample["categories"],
    }
    return read_master(build_master(tmp_path_factory.mktemp("round_trip") / "master.xlsx", tables))


@settings(max_examples=50, deadline=None)
@given(batches=imports())
def test_the_master_holds_exactly_the_rows_of_each_submissions_latest_file(small_master, batches):
    master, model = small_master, Model()
    options = ImportOptions(load_mapping(MAPPING))
    for batch in batches:
        changes = plan_changes(master, [f.source() for f in batch], options)
        expected = model.take(batch)
        log = changes.report.log
        assert list(zip(log["status"], log["rows_read"], log["rows_imported"], log["rows_rejected"])) == expected
        master = apply_changes(master, changes)
        orders = master["orders"]
        got = {
            (o, int(n)): (r, s, d, a)
            for o, n, r, s, d, a in orders[["order_id", "line", "rep_id", "source", "order_date", "amount"]].values
        }
        assert got == model.rows
        # a submission's Exceptions are those of its latest file: one per row outside the period
        exceptions = master["exceptions"]
        for key, (sha, _) in model.latest.items():
            latest = next(f for f in reversed([f for b in batches for f in b]) if f.sha == sha)
            mine = exceptions[exceptions["template_id"] == template_id(key[0], *month(key[1]))]
            assert len(mine) == sum(ln.day == 0 for ln in latest.lines)
            assert set(mine["file"]) <= {latest.name}
