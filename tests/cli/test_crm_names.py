"""Names from a CRM export never break a later command: refresh, templates, statements and the
weekly report write them as text (never a formula), survive control characters, and give
every rep a file whatever their rep ID holds.  Checked on the files written, with openpyxl
and in the raw sheet XML."""

import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook
from week_2024_w14 import inputs as weekly_inputs  # two reps, R1 (C1, C2) and R2 (C3-C7)

from sales_tools.cli import cli
from sales_tools.excel.builder import build_master
from sales_tools.schema import TABLES, TEMPLATE_TABLES

# Text a spreadsheet would run (or show as an error) if it were not a string cell.
PAYLOADS = ["=1+2", '=HYPERLINK("http://evil","x")', "+1", "-1+1", "@SUM(1)", "#N/A"]
REP_NAMES = {"R1": PAYLOADS[0], "R2": PAYLOADS[1]}
CUSTOMER_NAMES = {f"C{i}": PAYLOADS[(i - 1) % len(PAYLOADS)] for i in range(1, 8)}
COMPANY = '=HYPERLINK("http://evil","company")'


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], prog_name="sales-tools")


def inputs_with(rep_names=REP_NAMES, customer_names=CUSTOMER_NAMES, company=COMPANY, rep_ids=None):
    tables = weekly_inputs()
    tables["reps"]["name"] = tables["reps"]["rep_id"].map(rep_names)
    tables["reps"]["plan"] = "Std"
    tables["plan"] = pd.DataFrame([("Std", "tier", None, 0.0, 0.05)], columns=TABLES["plan"].names[:5])
    tables["customers"]["name"] = tables["customers"]["customer_id"].map(customer_names)
    tables["targets"] = tables["targets"][tables["targets"]["category"].isna()]  # no order counts toward X
    settings = [("company", company, None), ("currency", "USD", None)]
    tables["settings"] = pd.DataFrame(settings, columns=TABLES["settings"].names)
    if rep_ids:
        for name in ("reps", "customers", "targets", "orders", "payments", "activities"):
            column = "owner_rep" if name == "customers" else "rep_id"
            tables[name][column] = tables[name][column].replace(rep_ids)
    return tables


def column(template_table: str, name: str) -> tuple[str, str]:
    """(sheet, column letter) of a rep template table's column."""
    table = TEMPLATE_TABLES[template_table]
    return table.sheet, get_column_letter(table.names.index(name) + 1)


def formulas(path: Path) -> dict[str, list[str]]:
    """Sheet part -> the text of every <f> element in it (read from the raw XML)."""
    with zipfile.ZipFile(path) as z:
        parts = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        return {n: re.findall(r"<f(?:\s[^>]*)?>([^<]*)</f>", z.read(n).decode()) for n in parts}


def text_cells(path: Path) -> dict[tuple[str, str], object]:
    """(sheet, coordinate) -> (value, data type) of every cell holding a value."""
    wb = load_workbook(path)
    return {(ws.title, c.coordinate): (c.value, c.data_type) for ws in wb for row in ws.iter_rows() for c in row}


def assert_payloads_are_text(path: Path, where: dict[tuple[str, str], str]) -> None:
    """Each cell in `where` holds its text as a string cell; no formula in the file holds a payload."""
    cells = text_cells(path)
    assert {key: cells.get(key) for key in where} == {key: (text, "s") for key, text in where.items()}
    found = [f for fs in formulas(path).values() for f in fs if re.search(r"HYPERLINK|evil|1\+2|SUM\(1\)|#N/A", f)]
    assert found == [], f"{path.name}: formulas built from data: {found}"


@pytest.fixture(scope="module")
def injected(tmp_path_factory):
    """A master from CRM names that look like formulas, refreshed by the CLI."""
    folder = tmp_path_factory.mktemp("crm")
    master = build_master(folder / "master.xlsx", inputs_with())
    result = run("refresh", master)
    assert result.exit_code == 0, result.output
    return master


def test_refresh_writes_names_and_the_company_as_text(injected):
    dashboard = {("Dashboard", "A2"): f"{COMPANY}: figures for the year in B3, recalculated from the tables"}
    dashboard |= {
        ("Dashboard", "A11"): "R1",
        ("Dashboard", "B11"): REP_NAMES["R1"],
        ("Dashboard", "B12"): REP_NAMES["R2"],
    }
    assert_payloads_are_text(injected, dashboard)
    cells = text_cells(injected)
    # every customer name, on the input sheet and the computed Customer tiers, is a string cell
    for sheet in ("Customers", "Customer tiers"):
        names = [v for (s, ref), v in cells.items() if s == sheet and ref.startswith("B") and ref != "B1"]
        assert sorted(names) == sorted((n, "s") for n in CUSTOMER_NAMES.values()), sheet


def test_templates_write_rep_and_customer_names_as_text(injected, tmp_path):
    result = run("templates", injected, "--out", tmp_path, "--period", "2024-04")
    assert result.exit_code == 0, result.output
    r1, r2 = sorted(tmp_path.iterdir())
    expected = {
        ("Instructions", "B4"): REP_NAMES["R1"],
        ("My customers", "B5"): "=1+2",
        ("My customers", "B6"): '=HYPERLINK("http://evil","x")',
    }
    assert_payloads_are_text(r1, expected)
    mine = {("My customers", f"B{4 + i}"): CUSTOMER_NAMES[f"C{i + 2}"] for i in range(1, 6)}  # C3-C7
    assert_payloads_are_text(r2, {("Instructions", "B4"): REP_NAMES["R2"], **mine})
    # the only formulas: the rep line (A3) of each input sheet, Orders' amount, the Daily report's amounts,
    # the complaint ID, My targets' live columns, the Customer name beside each Customer ID
    for path in (r1, r2):
        cells = text_cells(path)
        ours = {(s, re.sub(r"\d+", "", ref)) for (s, ref), (v, t) in cells.items() if t == "f" and ref != "A3"}
        assert ours == {column("rep_orders", "amount"), column("rep_complaints", "complaint_id")} | {
            column("rep_targets", c) for c in ("actual", "attainment", "variance")
        } | {column("rep_daily_report", c) for c in ("order_amount", "collected_amount")} | {
            column(t, "customer_name")
            for t in ("rep_visit_plan", "rep_daily_report", "rep_orders", "rep_collections", "rep_complaints")
        }


def test_statements_and_the_weekly_report_write_names_and_the_company_as_text(injected, tmp_path):
    result = run("statements", injected, "--period", "2024-04", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    first = sorted(tmp_path.glob("statement_*.xlsx"))[0]
    sheet = load_workbook(first).active.title
    assert sheet == "2024-04 R1"
    assert_payloads_are_text(
        first,
        {
            (sheet, "A1"): f"Commission statement — {REP_NAMES['R1']} (R1)",
            (sheet, "A2"): f"{COMPANY} · April 2024 · amounts in USD",
        },
    )
    assert formulas(first) == {"xl/worksheets/sheet1.xml": []}
    report = run("report", "weekly", injected, "--week", "2024-W14", "--out", tmp_path)
    assert report.exit_code == 0, report.output
    weekly = tmp_path / "weekly_report_2024-W14.xlsx"
    assert_payloads_are_text(weekly, {("Week 2024-W14", "A2"): f"{COMPANY} · 01 Apr – 07 Apr 2024 · USD"})
    assert formulas(weekly) == {
        f"xl/worksheets/sheet{i}.xml": [] for i in (1, 2, 3, 4)
    }  # sales, reports, moves, escalations


def with_excel_escapes(path: Path, target: Path, texts: dict[str, str]) -> Path:
    """A copy of the workbook at `path` with each text in `texts` replaced in its XML, as Excel
    stores a control character (_x0007_): a master whose cells hold control characters."""
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.endswith(".xml"):
                for old, new in texts.items():
                    data = data.replace(old.encode(), new.encode())
            zout.writestr(info, data)
    return target


@pytest.fixture(scope="module")
def controlled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("control")
    plain = build_master(folder / "plain.xlsx", inputs_with({"R1": "Ann BELL", "R2": "Bo ESC"}, company="Acme BELL"))
    return with_excel_escapes(plain, folder / "master.xlsx", {" BELL": "_x0007_", " ESC": "_x001B_[31m"})


def read_as_control_characters(path: Path) -> bool:
    """Whether the reader decodes Excel's _x0007_ (python-calamine before 0.3 reads the text as it is)."""
    return "\x07" in CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Reps").to_python()[2][1]


@pytest.mark.parametrize("command", ["refresh", "templates", "statements", "report weekly"])
def test_a_master_holding_control_characters_is_refused_naming_the_cell_never_an_internal_error(
    controlled, tmp_path, command
):
    master = shutil.copy(controlled, tmp_path / "master.xlsx")
    options = {"refresh": [], "templates": ["--period", "2024-04", "--out", tmp_path],
               "statements": ["--period", "2024-04", "--out", tmp_path],
               "report weekly": ["--week", "2024-W14", "--out", tmp_path]}[command]  # fmt: skip
    result = run(*command.split(), master, *options)
    if not read_as_control_characters(controlled):
        assert result.exit_code == 0, result.output  # names such as Ann_x0007_: plain text
        return
    assert result.exit_code == 2, result.output
    assert re.search(
        r"sheet (Reps|Settings), row \d, column (Name|Value): '.*' contains a control character", result.output
    )


def test_every_rep_gets_a_statement_and_a_template_whatever_their_rep_id_holds(tmp_path):
    ids = {"R1": "A/B", "R2": "A:B"}
    tables = inputs_with(rep_ids=ids)
    extra = pd.DataFrame({"rep_id": ["A\\B", "CON", ".."], "name": ["X", "Y", "Z"], "region": "N", "plan": "Std"})
    tables["reps"] = pd.concat([tables["reps"], extra], ignore_index=True)
    master = build_master(tmp_path / "master.xlsx", tables)
    statements = run("statements", master, "--period", "2024-04", "--out", tmp_path / "st")
    templates = run("templates", master, "--period", "2024-04", "--out", tmp_path / "tp")
    assert (statements.exit_code, templates.exit_code) == (0, 0), statements.output + templates.output
    by_rep = {}
    for path in sorted((tmp_path / "st").iterdir()):
        title = load_workbook(path).active["A1"].value
        by_rep[re.fullmatch(r"Commission statement — .* \((.*)\)", title)[1]] = path.name
    assert sorted(by_rep) == sorted(["A/B", "A:B", "A\\B", "CON", ".."])
    assert len({name.casefold() for name in by_rep.values()}) == 5
    rep_ids = [load_workbook(p)["Instructions"]["B3"].value for p in sorted((tmp_path / "tp").iterdir())]
    assert sorted(rep_ids) == sorted(by_rep)


@pytest.mark.libreoffice
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice missing")
def test_libreoffice_shows_the_names_as_typed(injected, tmp_path):
    from sales_tools.libreoffice import convert

    assert run("templates", injected, "--out", tmp_path / "tp", "--period", "2024-04").exit_code == 0
    template = sorted((tmp_path / "tp").iterdir())[0]
    master, template = convert([injected, template], to="xlsx", outdir=tmp_path / "lo")  # recalculated

    def cell(path, sheet, row, column):
        return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()[row - 1][column - 1]

    assert [cell(master, "Dashboard", r, 2) for r in (11, 12)] == [REP_NAMES["R1"], REP_NAMES["R2"]]
    assert cell(master, "Dashboard", 2, 1).startswith(COMPANY)
    assert cell(template, "Instructions", 4, 2) == REP_NAMES["R1"]
    assert [cell(template, "My customers", r, 2) for r in (5, 6)] == [CUSTOMER_NAMES["C1"], CUSTOMER_NAMES["C2"]]
    assert (
        cell(template, "Orders", 3, 1) == f"Rep R1 {REP_NAMES['R1']}, 2024-04-01 to 2024-04-30"
    )  # our formula, computed
