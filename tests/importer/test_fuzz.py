"""1,000+ corrupted variants of a filled template: imported with the right counts or
rejected with a clear message; never a traceback; the accounting always balances.

Variants are made in memory from the raw cells of one real file (seeded numpy RNG,
reproducible) and planned against the master's tables with `plan_changes` in batches
(no master write per variant).  Each variant belongs to its own rep and has its own
order IDs, so variants in one batch never collide; accounting is checked per file.
Byte-truncated copies of the real file are read from disk.
"""

import copy

import numpy as np
import pandas as pd
import pytest
from import_helpers import fill, orders_rows

from sales_tools.importer import Source, plan_changes, read_master, read_source
from sales_tools.schema import TEMPLATE_FEEDS, TEMPLATE_HEADER_ROW, TEMPLATE_TABLES

SEED = 20240301
VARIANTS = 1000
BATCH = 50
TRUNCATIONS = 120
JUNK = [
    "abc", True, 1e20, -5, -0.5, 2.5, "", "   ", "12/31/2024x", "31/31/2024", "2024-02-30", "1,23", "1.234,5",
    "=1+1", "+1", "-1", "@SUM(A1)", "=HYPERLINK(\"http://x\")", "Ünïcødé 客户 😀", "\x00\x07bell", "x" * 5000,
    "inf", "nan", "NaN", float("nan"), 45356, "45356", "2024/3/5", "5 Mar 2024", "$1,234.50", "15%", "(12.00)",
    pd.Timestamp("1800-01-01"), pd.Timestamp("2024-03-10"), "Take order", "take ORDER", "Gold",
]  # fmt: skip
STRUCTURAL = ("drop_header", "rename_header", "rename_sheet", "extra_column", "blank_rows", "merge", "swap_sheets")
CELL = ("junk", "date_text", "number_text", "huge", "unicode", "injection", "blank_cell")


@pytest.fixture(scope="module")
def base(tmp_path_factory, templates, rep_customers):
    folder = tmp_path_factory.mktemp("fuzz")
    visits = [[pd.Timestamp(2024, 3, 1 + i), rep_customers[i % 5], "North", "09:30", "Take order"] for i in range(8)]
    reports = [  # the order and collected amounts are formulas
        [pd.Timestamp(2024, 3, 1 + i), rep_customers[i % 5], "Order taken", None, None, 1.5, "", "", "", f"note {i}",
         1 + i % 5, 10.0 + i, f"insight {i}"]
        for i in range(8)
    ]  # fmt: skip
    collections = [[pd.Timestamp(2024, 3, 2 + i), rep_customers[i], "", 50 + i, "Cash"] for i in range(4)]
    attendance = [[pd.Timestamp(2024, 3, 1 + i), "Present", ""] for i in range(5)]
    market = [[pd.Timestamp(2024, 3, 4 + i), "North", f"Rival {i}", "Price", "-5%", "High", "Match"] for i in range(3)]
    complaints = [[pd.Timestamp(2024, 3, 5 + i), rep_customers[i], "SO-1", "Late", "Low", "Reshipped", "Open", None]
                  for i in range(3)]  # fmt: skip
    path = fill(templates[0], folder / "R01.xlsx", {
        "rep_orders": orders_rows(rep_customers, 12), "rep_visit_plan": visits,
        "rep_daily_report": reports, "rep_collections": collections, "rep_attendance": attendance,
        "rep_market": market, "rep_complaints": complaints,
    })  # fmt: skip
    return path, read_source(path)


@pytest.fixture(scope="module")
def master_tables(pristine_master):
    """The master's tables with one rep per variant."""
    tables = read_master(pristine_master)
    reps = pd.DataFrame({"rep_id": [f"V{n}" for n in range(VARIANTS)], "name": "Fuzz", "region": "North"})
    return {**tables, "reps": pd.concat([tables["reps"], reps], ignore_index=True)}


def own(source: Source, n: int) -> Source:
    """The base file as variant `n`'s: its rep on Instructions, its order IDs."""
    sheets = copy.deepcopy(source.sheets)
    sheets["Instructions"][2][1] = f"V{n}"
    sheets["Instructions"][6][1] = None  # no Template ID, as a blank template: known by its rep and period
    orders = sheets[TEMPLATE_TABLES["rep_orders"].sheet]
    for r in _data_rows(orders):
        orders[r][1] = f"V{n}-{orders[r][1]}"
    return Source(source.name, source.sha256, sheets)


def _data_rows(sheet: list[list]) -> list[int]:
    """Indices of the non-blank rows below the header."""
    return [i for i in range(TEMPLATE_HEADER_ROW, len(sheet)) if any(v not in ("", None) for v in sheet[i])]


def mutate(source: Source, rng: np.random.Generator, n: int) -> tuple[Source, str]:
    sheets = own(source, n).sheets
    names = [TEMPLATE_TABLES[t].sheet for t in TEMPLATE_FEEDS]
    kind = CELL[n % len(CELL)] if n % 3 else STRUCTURAL[(n // 3) % len(STRUCTURAL)]
    sheet_name = names[rng.integers(len(names))]
    sheet = sheets[sheet_name]
    rows = _data_rows(sheet)
    header = sheet[TEMPLATE_HEADER_ROW - 1]
    col = int(rng.integers(len(header)))
    row = rows[rng.integers(len(rows))]
    if kind == "junk":
        for _ in range(int(rng.integers(1, 6))):
            r, c = rows[rng.integers(len(rows))], int(rng.integers(len(header)))
            sheet[r][c] = JUNK[rng.integers(len(JUNK))]
    elif kind == "date_text":
        sheet[row][0] = pd.Timestamp(2024, 3, int(rng.integers(1, 29))).strftime(
            ["%Y-%m-%d", "%m/%d/%Y", "%d %b %Y", "%Y/%m/%d", "%B %d, %Y", "%Y%m%d"][rng.integers(6)]
        )
    elif kind == "number_text":
        sheet[row][col] = f"{rng.uniform(0, 1e6):,.2f}"
    elif kind == "huge":
        sheet[row][col] = float(10 ** rng.integers(12, 300)) * (1 if rng.random() < 0.5 else -1)
    elif kind == "unicode":
        sheet[row][col] = "".join(chr(int(c)) for c in rng.integers(0x20, 0x2FFF, size=12))
    elif kind == "injection":
        sheet[row][col] = ["=cmd|' /C calc'!A0", "@SUM(1+1)*cmd", "+2+3", "-2+3", "=1+1"][rng.integers(5)]
    elif kind == "blank_cell":
        sheet[row][col] = None
    elif kind in ("drop_header", "rename_header"):
        header[col] = "" if kind == "drop_header" else "Renamed " + str(header[col])
    elif kind == "rename_sheet":
        sheets = {(k + " (2)" if k == sheet_name else k): v for k, v in sheets.items()}
    elif kind == "extra_column":
        for r in sheet:
            r.append("extra")
        header[-1] = "Something else"
    elif kind == "blank_rows":
        at = int(rng.integers(TEMPLATE_HEADER_ROW, len(sheet)))
        sheet[at:at] = [[None] * len(header) for _ in range(int(rng.integers(1, 5)))]
    elif kind == "merge":  # a merged range keeps its value in the top-left cell only
        width = int(rng.integers(1, 3))
        for c in range(col + 1, min(col + 1 + width, len(header))):
            sheet[row][c] = None
    elif kind == "swap_sheets":
        other = names[rng.integers(len(names))]
        sheets[sheet_name], sheets[other] = sheets[other], sheets[sheet_name]
    return Source(f"variant{n}.xlsx", f"sha{n}", sheets), kind


def check_accounting(changes, source_name):
    log = changes.report.log.set_index("file").loc[source_name]
    assert log["rows_read"] == log["rows_imported"] + log["rows_rejected"]
    feeds = set(TEMPLATE_FEEDS.values())
    added = sum((df["source"] == source_name).sum() for t, df in changes.append.items() if t in feeds)
    assert added == log["rows_imported"]
    ex = changes.report.exceptions
    ex = ex[ex["file"] == source_name]
    assert ex["reason"].map(lambda r: isinstance(r, str) and len(r) > 5).all()
    noticed = ex["reason"].str.contains("imported as typed", regex=False)  # a typed Daily report amount: kept
    assert len(ex[~noticed].dropna(subset=["row"]).drop_duplicates(["sheet", "row"])) == log["rows_rejected"]
    if log["status"] == "rejected":
        assert len(ex) > 0
    return log


def test_the_base_file_imports_whole(base, master_tables):
    _, source = base
    changes = plan_changes(master_tables, [own(source, 0)])
    log = check_accounting(changes, source.name)
    # 12 orders + 8 visits planned + 8 reported + 4 collections + 5 days + 3 market reports + 3 complaints = 43
    assert (log["rows_read"], log["rows_imported"], log["status"]) == (43, 43, "imported")
    assert {t: len(df) for t, df in changes.append.items() if t in TEMPLATE_FEEDS.values()} == {
        "orders": 12, "visit_plans": 8, "activities": 8, "payments": 4, "attendance": 5, "market_reports": 3,
        "complaints": 3,
    }  # fmt: skip


def test_fuzzed_variants_import_or_are_rejected_cleanly(base, master_tables):
    _, source = base
    rng = np.random.default_rng(SEED)
    seen = {}
    for start in range(0, VARIANTS, BATCH):
        batch = [mutate(source, rng, n) for n in range(start, start + BATCH)]
        changes = plan_changes(master_tables, [variant for variant, _ in batch])
        for variant, kind in batch:
            log = check_accounting(changes, variant.name)
            seen.setdefault(kind, []).append(log["status"])
            if kind in ("rename_sheet", "extra_column", "blank_rows"):
                assert (log["rows_read"], log["status"]) == (43, "imported"), kind
            elif kind in CELL:
                assert log["rows_read"] in (42, 43)  # blanking one cell may blank a whole row
    assert set(seen) == set(CELL) | set(STRUCTURAL)
    assert sum(len(v) for v in seen.values()) >= 1000
    assert "rejected" in seen["drop_header"] and "partial" in seen["junk"]


def test_truncated_files_are_rejected_with_a_message(base, master_tables, tmp_path):
    path, _ = base
    data = path.read_bytes()
    rng = np.random.default_rng(SEED)
    cut = tmp_path / "cut.xlsx"
    for size in rng.integers(0, len(data) - 1, size=TRUNCATIONS):
        cut.write_bytes(data[:size])
        source = read_source(cut)
        changes = plan_changes(master_tables, [source])
        log = check_accounting(changes, "cut.xlsx")
        assert log["status"] == "rejected" and log["rows_read"] == 0
        assert changes.report.exceptions["reason"].iloc[0].startswith("cut.xlsx")
