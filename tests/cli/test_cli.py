import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from rich.console import Console
from week_2024_w14 import inputs as weekly_inputs  # the hand-computed week 2024-W14

from sales_tools import terminal
from sales_tools.cli import cli
from sales_tools.terminal import print_table

BIN = Path(sys.executable).parent / "sales-tools"
COMMANDS = ["approve", "close", "demo", "grow-targets", "import", "merge-customers", "new", "refresh", "reopen",
            "report", "statements", "templates"]  # fmt: skip


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    from sales_tools.excel.builder import build_master

    return build_master(tmp_path_factory.mktemp("cli") / "master.xlsx", weekly_inputs())


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], prog_name="sales-tools")


def test_help_lists_every_command_and_each_has_help():
    result = run("--help")
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.output.split("Commands:")[1].strip().splitlines()]
    assert listed == COMMANDS
    for command in COMMANDS + ["report weekly"]:
        assert run(*command.split(), "--help").exit_code == 0


def test_new_creates_an_empty_master_and_refuses_to_overwrite(tmp_path):
    from sales_tools.excel.reader import read_tables

    path = tmp_path / "m.xlsx"
    result = run("new", path)
    assert result.exit_code == 0 and result.output == f"Created {path}\n"
    assert read_tables(path, ["reps"])["reps"].empty
    again = run("new", path)
    assert again.exit_code == 2
    assert again.output == f"Error: {path} already exists (use --force to replace it)\n"
    assert run("new", path, "--force").exit_code == 0


def test_weekly_report_prints_plain_text_when_not_a_terminal(master, tmp_path):
    result = run("report", "weekly", master, "--week", "2024-W14", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Weekly report 2024-W14"
    assert lines[1].split() == [
        "Rep",
        "Target",
        "Sales",
        "Attainment",
        "New",
        "cust.",
        "Collections",
        "Eff.",
        "visits",
        "Closing",
        "Next",
        "week",
    ]
    assert lines[3].split() == ["Ann", "2,333.33", "1,300.00", "55.7%", "1", "400.00", "50.0%", "25.0%", "2,333.33"]
    assert lines[5].split()[-1] == "1,750.00" and lines[5].startswith("Team average per rep")
    assert lines[-1] == str(tmp_path / "weekly_report_2024-W14.xlsx")
    assert "\x1b[" not in result.output and "━" not in result.output  # no colours, no progress bar, no box


def test_rich_tables_on_a_terminal(monkeypatch):
    buffer = io.StringIO()
    monkeypatch.setattr(terminal, "_console", lambda: Console(file=buffer, force_terminal=True, width=80))
    print_table("Team", [("Rep", "text"), ("Sales", "money")], [["Ann", 1300.0]])
    out = buffer.getvalue()
    assert "Team" in out and "1,300.00" in out and "━" in out


def test_library_errors_become_one_line_with_exit_code_2(master, tmp_path):
    bad_week = run("report", "weekly", master, "--week", "2024-12")
    assert (bad_week.exit_code, bad_week.output) == (2, "Error: week '2024-12' is not an ISO week such as 2024-W12\n")
    bad_period = run("statements", master, "--period", "March", "--out", tmp_path)
    assert (bad_period.exit_code, bad_period.output) == (2, "Error: period 'March' is not a month such as 2024-03\n")
    not_excel = tmp_path / "notes.xlsx"
    not_excel.write_text("hello")
    broken = run("report", "weekly", not_excel, "--week", "2024-W14")
    assert broken.exit_code == 2 and broken.output.startswith("Error: ") and "notes.xlsx" in broken.output
    assert "Traceback" not in broken.output


def test_usage_errors_exit_with_2():
    result = run("report", "weekly", "missing.xlsx", "--week", "2024-W14")
    assert (
        result.exit_code == 2
        and "Error: Invalid value for 'MASTER': File 'missing.xlsx' does not exist." in result.output
    )


def test_an_unexpected_error_is_one_line_with_exit_code_3_unless_debugging(master, monkeypatch):
    import sales_tools.reports

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(sales_tools.reports, "write_weekly_report", boom)
    result = run("report", "weekly", master, "--week", "2024-W14")
    assert result.exit_code == 3
    assert result.output == "Error: internal error (RuntimeError: disk on fire); run with --debug for details\n"
    debug = run("--debug", "report", "weekly", master, "--week", "2024-W14")
    assert isinstance(debug.exception, RuntimeError)


def test_the_installed_command_runs_as_a_subprocess(master, tmp_path):
    done = subprocess.run(
        [BIN, "report", "weekly", master, "--week", "2024-W14", "--out", tmp_path], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no progress bar when not on a terminal
    assert "Ann" in done.stdout and "1,300.00" in done.stdout
    failed = subprocess.run([BIN, "report", "weekly", master, "--week", "W99"], capture_output=True, text=True)
    assert failed.returncode == 2
    assert failed.stderr == "Error: week 'W99' is not an ISO week such as 2024-W12\n" and failed.stdout == ""


def test_output_piped_into_head_stops_quietly(master, tmp_path):
    # as `sales-tools report weekly ... | head -1`: the reader goes away after one line
    cmd = [BIN, "report", "weekly", master, "--week", "2024-W14", "--out", tmp_path]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1) as proc:
        proc.stdout.close()
        stderr = proc.stderr.read()
    assert proc.returncode == 1 and stderr == ""


def test_templates_writes_one_per_rep(master, tmp_path):
    import sales_tools.excel.templates  # noqa: F401  (the command imports it lazily)

    result = run("templates", master, "--out", tmp_path, "--period", "2024-04")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        str(tmp_path / "R1_2024-04.xlsx"),
        str(tmp_path / "R2_2024-04.xlsx"),
        f"2 templates written to {tmp_path}",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["R1_2024-04.xlsx", "R2_2024-04.xlsx"]


class FakeReport:
    """What the importer returns: its `log` has the Import log columns, one row per file."""

    def __init__(self, rejected):
        import pandas as pd

        self.exceptions = pd.DataFrame(
            {"file": ["crm.csv"] * rejected, "sheet": "crm", "row": range(2, 2 + rejected), "column": "Rep ID",
             "value": "R99", "reason": "unknown rep"}
        )  # fmt: skip
        self.log = pd.DataFrame(
            {"file": ["ann.xlsx", "crm.csv"], "rows_read": [10, 1200], "rows_imported": [10, 1200 - rejected],
             "rows_rejected": [0, rejected], "status": ["imported", "imported" if not rejected else "partly imported"]}
        )  # fmt: skip


@pytest.mark.parametrize("rejected, code", [(0, 0), (3, 1)])
def test_import_prints_counts_per_file_and_exits_1_on_rejected_rows(master, tmp_path, monkeypatch, rejected, code):
    import types

    calls = []
    fake = types.ModuleType("sales_tools.importer")
    fake.import_files = lambda master_path, files, mapping=None, dayfirst=None: (
        calls.append((master_path, files, mapping, dayfirst)) or FakeReport(rejected)
    )
    monkeypatch.setitem(sys.modules, "sales_tools.importer", fake)
    export = tmp_path / "crm.csv"
    export.write_text("x\n")
    result = run("import", master, export, "--mapping", export)
    assert calls == [(master, [export], export, False)]  # the master's Settings say month first
    assert result.exit_code == code
    lines = result.output.splitlines()
    assert lines[3].split() == ["ann.xlsx", "10", "10", "0", "imported"]
    assert lines[5].split() == ["Total", "1,210", f"{1210 - rejected:,}", str(rejected)]
    assert lines[7] == "Dates such as 05/12/2024 were read month first (May 12): the Settings date_order."
    if rejected:
        assert lines[8] == "Problems (first 3 of 3)"
        assert lines[11].split() == ["crm.csv", "crm", "2", "Rep", "ID", "unknown", "rep"]
        assert lines[-1] == "3 row(s) and 0 file(s) rejected: see the Exceptions sheet of master.xlsx"


def test_demo_builds_the_master_and_prints_its_summary(tmp_path):
    import sales_tools.core.refresh  # noqa: F401  (the command imports it lazily)
    from sales_tools.excel.reader import read_tables

    done = subprocess.run([BIN, "demo", "--out", tmp_path], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    out = done.stdout.splitlines()
    assert out[0] == "Top reps, 2024" and out[-1] == f"Master workbook: {tmp_path / 'master.xlsx'}"
    tables = read_tables(tmp_path / "master.xlsx", ["reps", "commission_summary", "leaderboard"])
    assert len(tables["reps"]) == 12
    champion = tables["leaderboard"].sort_values("rank")["name"].iloc[0]
    assert out[3].split()[:3] == ["1", *champion.split()]
    summary = tables["commission_summary"]
    paid = summary[summary["period"].dt.year == 2024]["total"].sum()
    assert ["Commission", "total", f"{paid:,.2f}"] in [line.split() for line in out]


def test_import_with_the_real_importer_rejects_an_unknown_rep(tmp_path):
    import sales_tools.importer  # noqa: F401  (the command imports it lazily)
    from sales_tools.excel.builder import build_master
    from sales_tools.excel.reader import read_tables
    from sales_tools.sample import generate

    data = weekly_inputs() | {"column_map": generate(months=12)["column_map"]}  # the Salesforce column map
    master = build_master(tmp_path / "master.xlsx", data)
    export = tmp_path / "crm.csv"
    export.write_text(
        "Opportunity ID,Line Number,Close Date,Owner Code,Account Number,Product Family,Qty,Sales Price,Total Price\n"
        "X-1,1,2024-03-05,R1,C1,,2,10.00,20.00\n"
        "X-2,1,2024-03-06,R99,C1,,2,10.00,20.00\n"
    )
    result = run("import", master, export)
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[3].split()[:4] == ["crm.csv", "2", "1", "1"]
    assert "R99" in result.output  # the problem is listed
    assert lines[-1] == "1 row(s) and 0 file(s) rejected: see the Exceptions sheet of master.xlsx"
    orders = read_tables(master, ["orders"])["orders"]
    assert "X-1" in set(orders["order_id"]) and "X-2" not in set(orders["order_id"])


def test_import_of_an_unrecognised_file_exits_1_and_says_why(tmp_path):
    import sales_tools.importer  # noqa: F401  (the command imports it lazily)
    from sales_tools.excel.builder import build_master

    master = build_master(tmp_path / "master.xlsx", weekly_inputs())
    stray = tmp_path / "notes.csv"
    stray.write_text("Shopping,Qty\nmilk,2\n")
    result = run("import", master, stray)
    assert result.exit_code == 1
    assert "notes.csv is neither a rep template nor an export the column map describes" in result.output
    assert result.output.splitlines()[-1] == "0 row(s) and 1 file(s) rejected: see the Exceptions sheet of master.xlsx"


@pytest.fixture(scope="module")
def sample_inputs():
    from sales_tools.sample import generate

    return generate(seed=3, start="2024-11-01", months=2)


def _master_without_targets(path, inputs, reps):
    from sales_tools.excel.builder import build_master

    targets = inputs["targets"]
    return build_master(path, {**inputs, "targets": targets[~targets["rep_id"].isin(reps)]})


def test_refresh_that_leaves_rep_months_unpaid_says_so_and_exits_1(tmp_path, sample_inputs):
    master = _master_without_targets(tmp_path / "m.xlsx", sample_inputs, ["R01"])
    result = run("refresh", master)
    assert result.exit_code == 1, result.output
    # R01 (plan Standard, attainment tiers) sold in November and December: both months unpaid
    orders = sample_inputs["orders"]
    months = orders.loc[orders["rep_id"] == "R01", "order_date"].dt.strftime("%Y-%m").unique()
    assert sorted(months) == ["2024-11", "2024-12"]
    lines = result.output.splitlines()
    start = lines.index("Not paid: 2 rep-month(s) without a usable target.")
    assert lines[start + 1 :] == [
        "No target in the weekly report's week: 1 rep(s).",
        *[f"- rep R01 has no target for {m}; plan Standard needs one, so the month is left out" for m in sorted(months)],
        "- rep R01 has no target for week 2025-W01: a month of the week has no target for the rep on the Targets sheet",
        f"Possible duplicate customers: {_blank_confirms(master)} pair(s) to decide on the Customer merges sheet "
        "(Confirm yes or no; then sales-tools merge-customers).",
    ]  # fmt: skip


def _blank_confirms(master) -> int:
    """The Customer merges rows of `master` (as written) whose Confirm is blank."""
    ws = openpyxl.load_workbook(master)["Customer merges"]
    confirm = [c.value for c in ws[1]].index("Confirm")
    blank = sum(row[confirm] in (None, "") for row in ws.iter_rows(min_row=2, values_only=True) if any(row))
    assert blank > 0  # the sample's near-duplicate names (docs/import.md)
    return blank


def test_refresh_where_no_month_of_a_plan_can_be_paid_is_an_error_naming_the_plan(tmp_path, sample_inputs):
    standard = sample_inputs["reps"].loc[sample_inputs["reps"]["plan"] == "Standard", "rep_id"]
    master = _master_without_targets(tmp_path / "m.xlsx", sample_inputs, standard)
    before = master.read_bytes()
    result = run("refresh", master)
    assert result.exit_code == 2
    assert result.output.startswith("Error: plan Standard: none of its ")
    assert master.read_bytes() == before  # nothing written


def test_a_new_empty_master_refreshes_to_empty_tables(tmp_path):
    path = tmp_path / "m.xlsx"
    assert run("new", path).exit_code == 0
    result = run("refresh", path)  # no orders and no as_of: was NaT.normalize, exit 3
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[3].split() == ["commission_lines", "0"]


def _crm_master(path, **tables):
    """The week's master with the sample's Salesforce column map (Opportunity ID, Close Date, ...)."""
    from sales_tools.excel.builder import build_master
    from sales_tools.sample import generate

    return build_master(path, weekly_inputs() | {"column_map": generate(months=12)["column_map"]} | tables)


CRM_HEADER = (
    "Opportunity ID,Line Number,Close Date,Owner Code,Account Number,Product Family,Qty,Sales Price,Total Price\n"
)


def test_import_rejects_a_control_character_and_the_master_still_refreshes(tmp_path):
    from sales_tools.excel.reader import read_tables

    master = _crm_master(tmp_path / "master.xlsx")
    export = tmp_path / "crm.csv"
    export.write_bytes(
        (CRM_HEADER + "X-1\x07,1,2024-03-05,R1,C1,,2,10.00,20.00\nX-2,1,2024-03-06,R1,C1,,1,5,5\n").encode()
    )
    result = run("import", master, export)
    assert result.exit_code == 1, result.output
    exceptions = read_tables(master, ["exceptions"])["exceptions"]
    assert exceptions["reason"].tolist() == ["'X-1\\x07' contains a control character (U+0007)"]
    assert exceptions["row"].tolist() == [2] and exceptions["value"].tolist() == ["X-1\\x07"]  # shown escaped
    refreshed = run("refresh", master)  # reads the Exceptions sheet back
    assert refreshed.exit_code == 1 and refreshed.output.startswith("Refreshed master.xlsx"), refreshed.output
    assert "X-2" in set(read_tables(master, ["orders"])["orders"]["order_id"])


def _with_settings(master, **values):
    """`master` with Settings values typed over (as a manager would, after it was built)."""
    book = openpyxl.load_workbook(master)
    sheet = book["Settings"]
    rows = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}
    for name, value in values.items():
        rows[name].value = value
    book.save(master)
    return master


def test_a_rep_on_two_rows_of_the_reps_sheet_is_an_error_naming_the_rows(tmp_path):
    from sales_tools.excel.builder import build_master

    data = weekly_inputs()
    reps = pd.concat([data["reps"], data["reps"].iloc[[1]]], ignore_index=True)  # Ann (R1) again on row 4
    result = run("refresh", build_master(tmp_path / "m.xlsx", {**data, "reps": reps}))
    assert result.exit_code == 2, result.output  # was 3: an internal error in the weekly report
    assert result.output == "Error: Reps: rep R1 is on more than one row (rows 3, 4); keep one row per rep\n"


@pytest.mark.parametrize("floors", ["0, 1,000, 5,000", "0,1000,5000", "0; 1,000; 5,000"])
def test_tier_floors_written_with_commas_refresh(tmp_path, floors):
    from sales_tools.excel.reader import read_tables

    master = _with_settings(run_new_master(tmp_path), tier_floors=floors, tier_labels="Low;Mid;Top")
    result = run("refresh", master)
    assert result.exit_code in (0, 1) and "Error" not in result.output, result.output
    tiers = read_tables(master, ["customer_tiers"])["customer_tiers"].set_index("customer_id")
    # spend to 2024-04-07: C1 999, C2 1,500, C3 400, C4 2,400, C5 1,920, C6 5,000, C7 1,900
    assert tiers["tier"].to_dict() == {
        "C1": "Low", "C2": "Mid", "C3": "Low", "C4": "Mid", "C5": "Mid", "C6": "Top", "C7": "Mid"}  # fmt: skip


def run_new_master(tmp_path):
    from sales_tools.excel.builder import build_master

    return build_master(tmp_path / "m.xlsx", weekly_inputs())


@pytest.mark.parametrize(
    "setting, value, message",
    [
        ("rfm_bins", 10_000_000, "Settings: rfm_bins must be a whole number from 2 to 100, not '10000000'"),
        ("rfm_bins", 1e9, "Settings: rfm_bins must be a whole number from 2 to 100, not '1000000000'"),
        ("tier_floors", "0, 5k", "Settings: tier_floors must be amounts separated by ;, such as 0;10000;50000, not '0, 5k'"),
        ("dormant_days", 1e14, "Settings: dormant_days must be a whole number from 0 to 36,500, not '100000000000000'"),
    ],
)  # fmt: skip
def test_a_setting_out_of_bounds_is_refused_at_once(tmp_path, setting, value, message):
    import time

    master = _with_settings(run_new_master(tmp_path), **{setting: value})
    before, start = master.read_bytes(), time.perf_counter()
    result = run("refresh", master)
    assert time.perf_counter() - start < 10  # 10,000,000 bins took 147 s and 5.7 GB
    assert result.exit_code == 2 and result.output == f"Error: {message}\n"
    assert master.read_bytes() == before


@pytest.mark.parametrize("period", ["garbage", "2024-02-30", "2024-13"])
def test_templates_for_a_period_that_is_no_month_is_an_error(master, tmp_path, period):
    result = run("templates", master, "--period", period, "--out", tmp_path)
    assert result.exit_code == 2  # was 3: the date parser's error
    assert result.output == f"Error: period {period!r} is not a month such as 2024-03\n"
    assert list(tmp_path.iterdir()) == []


def _rep_file(tmp_path, table: str, rows: list[list]):
    """The week's master and R1's April template (made by the command) with `rows` typed into one
    sheet, in the columns a rep types (not the customer's name beside the ID)."""
    import openpyxl

    from sales_tools.excel.builder import build_master
    from sales_tools.schema import TEMPLATE_DISPLAY, TEMPLATE_FIRST_ROW, TEMPLATE_TABLES

    master = build_master(tmp_path / "master.xlsx", weekly_inputs())
    assert run("templates", master, "--period", "2024-04", "--out", tmp_path / "t").exit_code == 0
    book = openpyxl.load_workbook(tmp_path / "t" / "R1_2024-04.xlsx")
    sheet = book[TEMPLATE_TABLES[table].sheet]
    typed = [j for j, c in enumerate(TEMPLATE_TABLES[table].columns, start=1) if c.name not in TEMPLATE_DISPLAY]
    for i, row in enumerate(rows):
        for j, value in zip(typed, row):
            if value is not None:
                sheet.cell(TEMPLATE_FIRST_ROW + i, j).value = value
    book.save(tmp_path / "R1.xlsx")
    return master, tmp_path / "R1.xlsx"


def test_a_rep_file_with_a_bad_cell_and_a_repeated_row_is_imported_with_both_rejected(tmp_path):
    from sales_tools.schema import TEMPLATE_FIRST_ROW

    visits = [[day, customer, None, None, "Take order"] for day, customer in
              [("2024-04-0x", "C1"), ("2024-04-03", "C2"), ("2024-04-04", "C1"), ("2024-04-04", "C1")]]  # fmt: skip
    master, rep_file = _rep_file(tmp_path, "rep_visit_plan", visits)
    result = run("import", master, rep_file)
    assert result.exit_code == 1, result.output  # was 3: an assertion in validate's duplicate check
    first = TEMPLATE_FIRST_ROW
    from sales_tools.excel.reader import read_tables

    tables = read_tables(master, ["exceptions", "visit_plans"])
    assert tables["exceptions"][["row", "reason"]].values.tolist() == [
        [first, "'2024-04-0x' is not a date"],
        [first + 3, f"same Visit date and Rep ID and Customer ID as row {first + 2}"],
    ]
    assert tables["visit_plans"]["customer_id"].tolist() == ["C2", "C1"]


def test_an_order_whose_quantity_times_price_exceeds_the_limit_is_rejected_and_the_master_refreshes(tmp_path):
    from sales_tools.excel.reader import read_tables
    from sales_tools.schema import TEMPLATE_FIRST_ROW

    orders = [["2024-04-03", "Z-1", "C1", None, 2_000_000, 600_000], ["2024-04-04", "Z-2", "C2", None, 3, 2.5]]
    master, rep_file = _rep_file(tmp_path, "rep_orders", orders)
    result = run("import", master, rep_file)
    assert result.exit_code == 1, result.output
    exceptions = read_tables(master, ["exceptions"])["exceptions"]
    assert exceptions[["row", "column", "reason"]].values.tolist() == [
        [TEMPLATE_FIRST_ROW, "Amount", "Amount 1,200,000,000,000.00 (quantity x unit price: 2,000,000 x 600,000.00) "
         "is too large (the limit is 1,000,000,000,000)"]]  # fmt: skip
    orders = read_tables(master, ["orders"])["orders"]
    assert orders.loc[orders["order_id"] == "Z-2", "amount"].tolist() == [7.5]  # 3 x 2.50
    refreshed = run("refresh", master)  # an amount beyond the limit on the Orders sheet failed every refresh
    assert refreshed.exit_code == 1 and refreshed.output.startswith("Refreshed master.xlsx"), refreshed.output


def test_refresh_lists_an_order_dated_after_today_and_keeps_the_figures_date(tmp_path):
    from sales_tools.excel.builder import build_master
    from sales_tools.excel.reader import read_tables

    data = weekly_inputs()
    typo = data["orders"].iloc[[1]].assign(order_id="OT", order_date=pd.Timestamp("2099-05-01"))
    master = build_master(tmp_path / "m.xlsx", {**data, "orders": pd.concat([data["orders"], typo])})
    result = run("refresh", master)
    assert result.exit_code == 1, result.output
    today = pd.Timestamp.today()
    lines = result.output.splitlines()
    assert lines[lines.index("Dated after today: 1 order line(s).") - 1] == (
        "Sales without a target (attainment blank): 1 rep-month(s)."  # R2's June 2023 order: no 2023 targets
    )
    assert any(line.startswith("Not paid: 2 rep(s) without") for line in lines)
    reason = (
        f"order OT line 1 is dated 2099-05-01, after today ({today:%Y-%m-%d}); the figures are as of 2024-04-07: "
        "is the date mistyped?"
    )  # the latest order before today, not 2099-05-01
    exceptions = read_tables(master, ["exceptions"])["exceptions"]
    # row 16: the 15th order line, below the header
    assert exceptions.loc[exceptions["column"] == "order_date", ["row", "reason"]].values.tolist() == [[16, reason]]
    assert set(read_tables(master, ["weekly_report"])["weekly_report"]["week"]) == {"2024-W14"}


@pytest.mark.parametrize(
    "option, setting, day, said",
    [
        ([], "month first", "2024-05-12", "month first (May 12): the Settings date_order"),
        ([], "Day first", "2024-12-05", "day first (5 December): the Settings date_order"),
        (["--dayfirst"], "month first", "2024-12-05", "day first (5 December): as asked"),
        (["--monthfirst"], "day first", "2024-05-12", "month first (May 12): as asked"),
    ],
)
def test_import_reads_year_last_dates_by_the_option_else_the_settings_and_says_which(
    tmp_path, option, setting, day, said
):
    from sales_tools.excel.reader import read_tables

    master = _with_settings(_crm_master(tmp_path / "master.xlsx"), date_order=setting)
    export = tmp_path / "crm.csv"
    export.write_text(CRM_HEADER + "X-1,1,05/12/2024,R1,C1,,2,10.00,20.00\n")
    result = run("import", master, export, *option)
    assert result.exit_code == 0, result.output
    assert f"Dates such as 05/12/2024 were read {said}." in result.output.splitlines()
    orders = read_tables(master, ["orders"])["orders"]
    assert orders.loc[orders["order_id"] == "X-1", "order_date"].tolist() == [pd.Timestamp(day)]


def test_import_with_a_date_order_setting_that_is_neither_is_an_error(tmp_path):
    master = _with_settings(_crm_master(tmp_path / "master.xlsx"), date_order="yes")
    export = tmp_path / "crm.csv"
    export.write_text(CRM_HEADER + "X-1,1,05/12/2024,R1,C1,,2,10.00,20.00\n")
    result = run("import", master, export)
    assert result.exit_code == 2
    assert result.output == "Error: Settings: date_order must be month first or day first, not 'yes'\n"


@pytest.mark.parametrize("encoding", ["gbk", "utf-16"])
def test_import_of_a_chinese_windows_csv_keeps_its_text(tmp_path, encoding):
    from sales_tools.excel.reader import read_tables

    master = _crm_master(tmp_path / "master.xlsx")
    export = tmp_path / "crm.csv"
    text = CRM_HEADER + "北京华为-1,1,2024-03-05,R1,C1,,2,10.00,20.00\n上海张江-2,1,2024-03-06,R1,C1,,1,5,5\n"
    export.write_bytes(text.encode(encoding))
    result = run("import", master, export)
    assert result.exit_code == 0, result.output
    orders = read_tables(master, ["orders"])["orders"]
    assert orders["order_id"].tolist()[-2:] == ["北京华为-1", "上海张江-2"]  # was garbled (GBK) or refused (UTF-16)
