"""Golden master: the committed sample master's computed tables, to the cent.

Every supported environment (the newest versions and the oldest set, xlwings Lite's)
must reproduce the CSV files in tests/golden/ exactly, so drift in a dependency or in
the code shows as a diff naming the table, the row's key and the column.  After an
intended change, regenerate them and review the diff:

    .venv/bin/python tests/test_golden.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from sales_tools.core.refresh import refresh
from sales_tools.excel.reader import WorkbookSource
from sales_tools.schema import TABLES, Column
from sales_tools.tables import read_inputs

GOLDEN = Path(__file__).parent / "golden"
MASTER = Path(__file__).parents[1] / "workbook" / "sales_master.xlsx"
# table -> the columns that name a row in a diff
KEYS = {
    "commission_totals": ("rep_id", "period", "rule"),
    "commission_summary": ("rep_id", "period"),
    "attainment": ("rep_id", "period", "measure"),
    "customer_tiers": ("customer_id",),
    "kpis": ("rep_id", "period"),
    "leaderboard": ("rep_id",),
}
_TOTAL_COLUMNS = (Column("rep_id"), Column("period", "month"), Column("rule"), Column("lines", "int"),
                  Column("basis", "money"), Column("amount", "money"))  # fmt: skip


def golden_tables() -> dict[str, pd.DataFrame]:
    """The golden tables as text, as the CSV files hold them."""
    computed = refresh(read_inputs(WorkbookSource(MASTER)))
    totals = (
        computed["commission_lines"]
        .groupby(["rep_id", "period", "rule"], sort=True)
        .agg(lines=("amount", "size"), basis=("basis", "sum"), amount=("amount", "sum"))
        .reset_index()
    )
    out = {"commission_totals": _as_text(totals, _TOTAL_COLUMNS)}
    for name in KEYS.keys() - {"commission_totals"}:
        out[name] = _as_text(computed[name], TABLES[name].columns)
    return out


def _as_text(frame: pd.DataFrame, columns) -> pd.DataFrame:
    """Each value as a person reads it: money to the cent, ratios to 10 significant digits."""
    formats = {
        "money": lambda v: f"{v:.2f}",
        "percent": lambda v: f"{v:.10g}",
        "number": lambda v: f"{v:.10g}",
        "int": lambda v: str(int(v)),
        "month": lambda v: f"{v:%Y-%m}",
        "date": lambda v: f"{v:%Y-%m-%d}",
    }
    text = {}
    for col in columns:
        write = formats.get(col.type, str)
        text[col.name] = [("" if pd.isna(v) else write(v)) for v in frame[col.name]]
    return pd.DataFrame(text)


def differences(name: str, golden: pd.DataFrame, now: pd.DataFrame) -> list[str]:
    """One line per row or cell that differs, naming the row by its key columns."""
    key = list(KEYS[name])
    old, new = golden.set_index(key), now.set_index(key)
    lines = [f"{name} {_row(key, k)}: missing" for k in old.index.difference(new.index, sort=False)]
    lines += [f"{name} {_row(key, k)}: new row" for k in new.index.difference(old.index, sort=False)]
    both = old.index.intersection(new.index, sort=False)
    old, new = old.loc[both], new.loc[both, old.columns]
    for k, column in zip(*(old != new).to_numpy().nonzero()):
        row = both[k]
        lines.append(
            f"{name} {_row(key, row)}, {old.columns[column]}: golden {old.iat[k, column]!r}, now {new.iat[k, column]!r}"
        )
    return lines


def _row(key: list[str], values) -> str:
    values = values if isinstance(values, tuple) else (values,)
    return ", ".join(f"{k} {v}" for k, v in zip(key, values))


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(GOLDEN / f"{name}.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def now() -> dict[str, pd.DataFrame]:
    return golden_tables()


@pytest.mark.parametrize("name", list(KEYS))
def test_the_sample_masters_tables_equal_the_golden_ones(name, now):
    diff = differences(name, _read(name), now[name])
    assert not diff, f"{len(diff)} difference(s); the first:\n" + "\n".join(diff[:20])


def test_every_rep_is_paid_in_both_years_and_the_lines_add_up_to_the_summary(now):
    # facts independent of the golden files: the sample pays each of its 12 reps in
    # 2023 and 2024, and a rep-month's lines add up to its summary total to the cent
    summary = now["commission_summary"].astype({"total": float})
    paid = summary.groupby(["rep_id", summary["period"].str[:4]])["total"].sum()
    assert len(paid) == 24 and (paid > 0).all()
    lines = now["commission_totals"].astype({"amount": float}).groupby(["rep_id", "period"])["amount"].sum()
    total = summary.set_index(["rep_id", "period"])["total"]
    assert ((lines.reindex(total.index, fill_value=0.0) - total).abs() < 0.005).all()


def test_a_changed_cent_is_named_by_rep_month_and_column(now):
    golden = now["commission_summary"].copy()
    golden.loc[3, "total"] = f"{float(golden.loc[3, 'total']) + 0.01:.2f}"
    (line,) = differences("commission_summary", golden, now["commission_summary"])
    rep, period = now["commission_summary"].loc[3, ["rep_id", "period"]]
    assert line.startswith(f"commission_summary rep_id {rep}, period {period}, total: golden ")


def main() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for name, table in golden_tables().items():
        table.to_csv(GOLDEN / f"{name}.csv", index=False, lineterminator="\n")
        print(f"{GOLDEN / name}.csv: {len(table)} rows")


if __name__ == "__main__":
    sys.exit(main())
