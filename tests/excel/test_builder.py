import time

import pandas as pd
import pytest
from excel_data import normalized, refreshed_both_ways
from openpyxl import load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from sales_tools.errors import WorkbookError
from sales_tools.excel.builder import BUILD_TIME, build_master, write_computed
from sales_tools.excel.reader import read_tables
from sales_tools.schema import COMPUTED_TABLES, INPUT_TABLES, SETTINGS, TABLES


@pytest.fixture
def empty_master(tmp_path):
    return load_workbook(build_master(tmp_path / "m.xlsx"))


def _validation(ws, column_letter):
    """The validation covering row 2 of a column."""
    for dv in ws.data_validations.dataValidation:
        if f"{column_letter}2" in dv.sqref:
            return dv
    return None


def test_every_schema_table_is_an_excel_table_on_its_own_sheet(empty_master):
    wb = empty_master
    assert wb.sheetnames == ["Dashboard"] + [t.sheet for t in INPUT_TABLES] + [t.sheet for t in COMPUTED_TABLES]
    for t in TABLES.values():
        ws = wb[t.sheet]
        (xl,) = ws.tables.values()
        assert xl.displayName == t.excel_name
        assert [c.name for c in xl.tableColumns] == t.headers == [c.value for c in ws[1]]
        # an empty table still has one (blank) data row, or Excel reports a repair;
        # Settings holds a row per schema setting
        last = len(SETTINGS) + 1 if t.name == "settings" else 2
        assert xl.ref.endswith(f"{last}") and xl.autoFilter.ref == xl.ref


def test_settings_are_filled_with_the_schema_defaults(empty_master):
    ws = empty_master["Settings"]
    assert [r[0].value for r in ws.iter_rows(min_row=2)] == list(SETTINGS)
    assert ws["B3"].value == "USD"


def test_columns_carry_formats_and_validation(empty_master):
    orders = empty_master["Orders"]
    assert orders["C2"].number_format == "yyyy-mm-dd" and orders["I2"].number_format == "#,##0.00"
    rep = _validation(orders, "D")  # rep_id: a lookup into the Reps table
    assert rep.type == "list" and rep.formula1 == "lst_reps_rep_id" and not rep.allow_blank
    qty = _validation(orders, "G")
    assert (qty.type, qty.operator, qty.formula1) == ("decimal", "between", "0")
    line = _validation(orders, "B")
    assert (line.type, line.formula1) == ("whole", "1")
    date = _validation(orders, "C")
    assert (date.type, date.formula1, date.formula2) == ("date", "DATE(2000,1,1)", "DATE(2099,12,31)")
    size = _validation(empty_master["Customers"], "D")
    assert size.formula1 == '"Small,Medium,Large,Enterprise"'
    reps = empty_master.defined_names["lst_reps_rep_id"].attr_text
    assert reps == "OFFSET('Reps'!$A$2,0,0,MAX(1,COUNTA('Reps'!$A:$A)-1),1)"
    plan = _validation(empty_master["Reps"], "F")
    assert plan.prompt == "Commission plan name from the Plan sheet" and plan.showInputMessage


def test_sheets_are_frozen_wide_and_print_landscape(empty_master):
    ws = empty_master["Customers"]
    assert ws.freeze_panes == "B2"
    assert ws.column_dimensions["B"].width == 30
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws["A1"].font.bold


def test_data_round_trips_with_real_dates(tmp_path, small_inputs):
    path = build_master(tmp_path / "m.xlsx", small_inputs)
    cell = load_workbook(path)["Orders"]["C2"]
    assert cell.is_date and cell.value == pd.Timestamp("2024-01-05")
    back = read_tables(path, ["orders", "reps"])
    expected = small_inputs["orders"].reindex(columns=TABLES["orders"].names)  # unit_cost blank
    pd.testing.assert_frame_equal(back["orders"].reset_index(drop=True), expected, check_dtype=False)
    assert back["reps"]["start_date"].tolist() == small_inputs["reps"]["start_date"].tolist()


def test_attainment_is_a_readable_guarded_table_formula(tmp_path, small_inputs, small_computed):
    ws = load_workbook(build_master(tmp_path / "m.xlsx", small_inputs, small_computed))["Attainment"]
    expected = 'IF(N(tblAttainment[[#This Row],[Target]])>0,tblAttainment[[#This Row],[Actual]]/tblAttainment[[#This Row],[Target]],"")'
    assert ws["G2"].value == "=" + expected and ws["G5"].value == "=" + expected
    column = ws.tables["tblAttainment"].tableColumns[6]
    assert column.name == "Attainment" and column.calculatedColumnFormula.attr_text == expected
    assert ws["E2"].value == 200  # plain values elsewhere
    rules = {str(r.sqref): [x.formula[0] for x in r.rules] for r in ws.conditional_formatting}
    assert rules["G2:G5"] == ["AND(ISNUMBER(G2),G2<0.8)", "AND(ISNUMBER(G2),G2>=0.8,G2<1)", "AND(ISNUMBER(G2),G2>=1)"]


def test_the_champion_row_is_highlighted(tmp_path, small_computed):
    ws = load_workbook(build_master(tmp_path / "m.xlsx", computed=small_computed))["Leaderboard"]
    (rule,) = [r for r in ws.conditional_formatting]
    assert str(rule.sqref) == "A2:I3" and rule.rules[0].formula == ['$I2="Sales champion"']


def test_dashboard_has_key_figures_charts_and_rep_rows(tmp_path, small_computed):
    path = build_master(tmp_path / "m.xlsx", computed=small_computed)
    ws = load_workbook(path)["Dashboard"]
    assert ws["B3"].value == 2024
    assert [ws.cell(5, c).value for c in range(1, 6)] == [
        "Team sales (net)",
        "Team target",
        "Team attainment",
        "Commission total",
        "Sales champion",
    ]
    team = (
        '"team",tblTargetvariance[Period type],"year",tblTargetvariance[Period],$B$3&"",tblTargetvariance[Target],"<>",'
        'tblTargetvariance[Measure],"revenue"'
    )
    assert ws["A6"].value == (
        f"=IF(COUNTIFS(tblTargetvariance[Level],{team})>0,SUMIFS(tblTargetvariance[Actual],tblTargetvariance[Level],"
        f"{team}),SUMIFS(tblTargetvariance[Actual],tblTargetvariance[Level],{team.replace('team', 'rep', 1)}))"
    )
    assert ws["A7"].value.startswith(f"=IF(COUNTIFS(tblTargetvariance[Level],{team})>0,\"Against the team's own")
    assert ws["D6"].value.startswith("=SUMIFS(tblCommissionsummary[Total]")
    assert [ws["A11"].value, ws["B12"].value] == ["R1", "Bo Chan"]
    assert ws["E11"].value == '=IF(N(C11)>0,D11/C11,"")'
    # openpyxl drops charts on load: count the drawing parts in the file instead
    from zipfile import ZipFile

    charts = [n for n in ZipFile(path).namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 5  # by rep, by month, tier mix, by region, by category


def test_building_twice_gives_the_same_file_byte_for_byte(tmp_path, small_inputs, small_computed, monkeypatch):
    from sales_tools.excel import builder

    monkeypatch.setattr(builder, "BULK_ROWS", 1)  # the sheet-XML rows too
    a = build_master(tmp_path / "a.xlsx", small_inputs, small_computed)
    time.sleep(2)  # zip entries are dated to 2 s: a later build must not differ by its time
    b = build_master(tmp_path / "b.xlsx", small_inputs, small_computed)
    assert a.read_bytes() == b.read_bytes()
    assert load_workbook(a).properties.created == BUILD_TIME


def test_write_computed_replaces_results_and_keeps_the_managers_sheets(tmp_path, small_inputs, small_computed):
    path = build_master(tmp_path / "m.xlsx", small_inputs)
    log = pd.DataFrame({"file": ["a.xlsx"], "rows_read": [3], "status": ["imported"]})
    write_computed(path, {"import_log": log})
    write_computed(path, small_computed)
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "Dashboard" and wb.sheetnames.index("Attainment") == len(INPUT_TABLES) + 3
    assert wb["Attainment"]["A5"].value == "R2" and wb["Import log"]["B2"].value == "a.xlsx"  # log kept
    assert _validation(wb["Orders"], "D").formula1 == "lst_reps_rep_id"
    assert wb["Dashboard"]["A12"].value == "R2"
    back = read_tables(path, ["orders"])["orders"]
    assert back["amount"].sum() == pytest.approx(1280.49)


def test_write_computed_needs_an_existing_workbook(tmp_path):
    with pytest.raises(WorkbookError, match="does not exist"):
        write_computed(tmp_path / "none.xlsx", {})
    (tmp_path / "bad.xlsx").write_text("not a workbook")
    with pytest.raises(WorkbookError, match="bad.xlsx is not a readable .xlsx workbook"):
        write_computed(tmp_path / "bad.xlsx", {})


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    from openpyxl import load_workbook

    from sales_tools.excel.builder import build_master

    customers = pd.DataFrame({"customer_id": ["C1"], "name": ['=HYPERLINK("http://evil","x")'], "size": ["Small"]})
    path = build_master(tmp_path / "m.xlsx", {"customers": customers})
    cell = load_workbook(path)["Customers"]["B2"]
    assert cell.value == '=HYPERLINK("http://evil","x")' and cell.data_type == "s"


def test_long_tables_written_as_sheet_xml_equal_the_cell_by_cell_build(
    tmp_path, small_inputs, small_computed, monkeypatch
):
    from sales_tools.excel import builder

    plain = normalized(build_master(tmp_path / "plain.xlsx", small_inputs, small_computed))
    monkeypatch.setattr(builder, "BULK_ROWS", 1)  # every table of 2+ rows takes the fast path
    assert [n for n, f in {**small_inputs, **small_computed}.items() if builder.bulk_rows(n, f)]
    fast = normalized(build_master(tmp_path / "fast.xlsx", small_inputs, small_computed))
    assert fast == plain  # values, number formats, table ranges, validations


def test_a_refresh_writing_long_tables_as_sheet_xml_equals_the_cell_by_cell_one(
    tmp_path, small_inputs, small_computed, monkeypatch
):
    from sales_tools.excel import builder

    def refreshed(name: str) -> dict:
        path = build_master(tmp_path / name, small_inputs, small_computed)
        write_computed(path, small_computed)  # over tables that are already there
        return normalized(path)

    plain = refreshed("plain.xlsx")
    monkeypatch.setattr(builder, "BULK_ROWS", 1)
    assert [n for n, f in small_computed.items() if builder.bulk_rows(n, f)]
    fast = refreshed("fast.xlsx")
    assert fast == plain


def test_a_refresh_keeps_the_input_rows_as_they_were(tmp_path, small_inputs, small_computed, monkeypatch):
    source = build_master(tmp_path / "m.xlsx", small_inputs, small_computed)
    wb = load_workbook(source)  # what a manager may have done by hand in the input sheets
    wb["Orders"]["I2"].font = Font(bold=True, color="FFC00000")
    wb["Orders"]["I3"] = "=I2*2"
    wb["Orders"].row_dimensions[3].height = 30
    wb.save(source)
    fast, slow, taken = refreshed_both_ways(source, small_computed, tmp_path, monkeypatch)
    assert taken == [True]  # the rows went back as they were, not through openpyxl
    assert fast == slow
    orders = load_workbook(tmp_path / "fast.xlsx")["Orders"]
    assert (orders["I2"].font.b, orders["I2"].font.color.rgb) == (True, "FFC00000")
    assert orders["I3"].value == "=I2*2" and orders.row_dimensions[3].height == 30


def test_control_characters_in_names_are_written_cleaned_by_either_writer(
    tmp_path, small_inputs, small_computed, monkeypatch
):
    """Whatever a master holds (Excel stores a control character as _x0007_), writing it never fails:
    both writers (openpyxl, and the sheet XML for long tables) put U+FFFD in its place."""
    from sales_tools.excel import builder

    reps, tiers = ["Ann\x07 Lee", "\x1b[31mBo"], ["Acme\x00", "Be\tta", "Core\x1f\n2"]
    settings = builder.default_settings()
    settings.loc[settings["setting"] == "company", "value"] = "Acme\x07 Corp"
    inputs = {**small_inputs, "settings": settings, "reps": small_inputs["reps"].assign(name=reps)}
    computed = {
        **small_computed,
        "attainment": small_computed["attainment"].assign(name=[reps[0], reps[0], reps[1], reps[1]]),
        "customer_tiers": small_computed["customer_tiers"].assign(name=tiers),
    }
    plain = build_master(tmp_path / "plain.xlsx", inputs, computed)
    write_computed(plain, computed)  # a refresh
    monkeypatch.setattr(builder, "BULK_ROWS", 1)
    assert builder.bulk_rows("reps", inputs["reps"]) and builder.bulk_rows("customer_tiers", computed["customer_tiers"])
    fast = build_master(tmp_path / "fast.xlsx", inputs, computed)
    for path in (plain, fast):
        wb = load_workbook(path)
        assert [c.value for c in wb["Reps"]["B"][1:]] == ["Ann\ufffd Lee", "\ufffd[31mBo"]
        assert [c.value for c in wb["Customer tiers"]["B"][1:]] == ["Acme\ufffd", "Be\tta", "Core\ufffd\n2"]
        dashboard = wb["Dashboard"]
        assert dashboard["A2"].value.startswith("Acme\ufffd Corp: figures")
        assert [dashboard["B11"].value, dashboard["B12"].value] == ["Ann\ufffd Lee", "\ufffd[31mBo"]
    assert read_tables(fast, ["reps"])["reps"]["name"].tolist() == ["Ann\ufffd Lee", "\ufffd[31mBo"]


def test_every_printed_page_names_the_company_the_sheet_and_its_number(tmp_path, small_inputs, small_computed):
    settings = pd.DataFrame({"setting": ["company"], "value": ["Smith & Sons"], "description": [""]})
    wb = load_workbook(build_master(tmp_path / "m.xlsx", {**small_inputs, "settings": settings}, small_computed))
    for ws in wb.worksheets:
        # "&" doubled: a page header reads "&S" as a code
        assert (ws.oddHeader.left.text, ws.oddHeader.right.text) == ("Smith && Sons", "&A"), ws.title
        assert ws.oddFooter.right.text == "Page &P of &N", ws.title


def test_columns_are_as_wide_as_what_they_show(tmp_path, small_inputs, small_computed):
    ws = load_workbook(build_master(tmp_path / "m.xlsx", small_inputs, small_computed))["Commission summary"]
    summary = small_computed["commission_summary"]
    for j, column in enumerate(TABLES["commission_summary"].columns, start=1):
        width = ws.column_dimensions[get_column_letter(j)].width
        if column.type == "money" and column.name in summary:  # the widest amount as "#,##0.00" shows it, and a margin
            assert width >= max(len(f"{v:,.2f}") for v in summary[column.name].dropna()) + 2
    assert ws.column_dimensions["A"].width < 14  # "Rep ID" and "R01": not the old 14 everywhere


def test_numbers_show_without_a_trailing_point_and_attainment_floors_as_percentages(empty_master):
    assert TABLES["orders"].column("quantity").number_format != "#,##0.##"  # Excel shows 43 as "43."
    rules = empty_master["Plan"].conditional_formatting
    (found,) = [r for cf in rules for r in cf.rules if r.dxf and r.dxf.numFmt]
    assert found.dxf.numFmt.formatCode == "0%" and '"tier_basis"' in found.formula[0] and '"gate"' in found.formula[0]


def test_a_long_table_is_as_wide_as_its_longest_value_and_a_narrow_one_prints_portrait(tmp_path):
    # 1,200 payments (over BULK_ROWS: rows after the first go in as sheet XML); only the last
    # one's method is long: 30 characters + 2 = a column 32 wide
    n = 1200
    payments = pd.DataFrame({"payment_id": [f"P{i}" for i in range(n)], "payment_date": pd.Timestamp("2024-01-05"),
                             "customer_id": "C1", "amount": 10.0, "method": ["Cash"] * (n - 1) + ["M" * 30]})  # fmt: skip
    ws = load_workbook(build_master(tmp_path / "m.xlsx", {"payments": payments}))["Payments"]
    assert ws.column_dimensions["G"].width == 32 and ws.max_row == n + 1
    # 8 columns, about 90 characters: portrait; Activities (19 columns, over 300): landscape
    assert ws.page_setup.orientation == "portrait"
    assert load_workbook(tmp_path / "m.xlsx")["Activities"].page_setup.orientation == "landscape"
