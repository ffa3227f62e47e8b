"""sales-tools approve on a real master: a rep's week of visit plans and daily reports signed off."""

import datetime as dt

import openpyxl
import pandas as pd
from click.testing import CliRunner
from week_2024_w14 import T, frame
from week_2024_w14 import inputs as weekly_inputs

from sales_tools.cli import cli
from sales_tools.excel.builder import build_master
from sales_tools.schema import TABLES


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], prog_name="sales-tools")


def master_with_visits(path):
    tables = weekly_inputs()
    tables["reps"]["manager"] = ["Max", None]  # R2's manager is Max, R1 has none
    tables["visit_plans"] = frame(
        "visit_plans",
        [
            (T("2024-04-01"), "R1", "C1", None, None, "Service"),
            (T("2024-04-08"), "R1", "C2", None, None, "Service"),  # next week: not approved
            (T("2024-04-05"), "R2", "C3", None, None, "Service"),
            (T("2024-04-07"), "R1", "C2", None, None, "Service", None, "Eve", T("2024-04-06"), "ok"),  # approved before
        ],
    )
    return build_master(path, tables)


def sheet_rows(path, table):
    ws = openpyxl.load_workbook(path)[TABLES[table].sheet]
    headers = [c.value for c in ws[1]]
    rows = pd.DataFrame([[c.value for c in row] for row in ws.iter_rows(min_row=2)], columns=headers, dtype=object)
    return rows.where(rows.notna(), None)


def test_approve_stamps_the_reps_week_in_place(tmp_path):
    master = master_with_visits(tmp_path / "m.xlsx")
    result = run("approve", master, "--rep", "R1", "--week", "2024-W14", "--by", "Mia", "--comment", "好, 继续")
    assert result.exit_code == 0, result.output
    # R1 in W14: visit plans of Mon 1 and Sun 7 (1 approved before); activities of 1, 2, 3, 4 April
    assert "6 row(s) approved" in result.output
    plans = sheet_rows(master, "visit_plans")
    today = dt.datetime.combine(dt.date.today(), dt.time())
    assert plans[["Rep ID", "Approved by", "Approved on", "Supervisor comment"]].values.tolist() == [
        ["R1", "Mia", today, "好, 继续"],
        ["R1", None, None, None],  # 8 April is in W15
        ["R2", None, None, None],
        ["R1", "Mia", today, "好, 继续"],  # re-stamped, in place
    ]
    visits = sheet_rows(master, "activities")
    assert visits["Approved by"].tolist() == ["Mia"] * 4 + [None]  # R2's visit of 8 April is untouched
    assert visits["Customer ID"].tolist() == ["C1", "C2", "C1", "C2", "C3"]  # nothing else moved or changed


def test_approve_defaults_to_the_reps_manager_and_refuses_what_it_cannot_do(tmp_path):
    master = master_with_visits(tmp_path / "m.xlsx")
    result = run("approve", master, "--rep", "R2", "--week", "2024-W14")
    assert result.exit_code == 0, result.output
    assert sheet_rows(master, "visit_plans")["Approved by"].tolist()[2] == "Max"
    before = master.read_bytes()
    for args, message in (
        (("--rep", "R1", "--week", "2024-W14"), "say who approves (--by NAME)"),
        (("--rep", "R9", "--week", "2024-W14", "--by", "Mia"), "rep 'R9' is not on the Reps sheet"),
        (("--rep", "R2", "--week", "2023-W01", "--by", "Mia"), "rep R2 has no Visit plans or Activities rows dated"),
        (("--rep", "R2", "--week", "2024-14", "--by", "Mia"), "is not an ISO week"),
    ):
        refused = run("approve", master, *args)
        assert refused.exit_code == 2 and refused.output.startswith("Error: ") and message in refused.output
    assert master.read_bytes() == before
