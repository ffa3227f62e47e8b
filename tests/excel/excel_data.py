"""Data and helpers for the workbook tests: a small hand-made dataset and a normalizer of .xlsx content."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from sales_tools.excel import builder
from sales_tools.excel.sheet_xml import restore_rows


def small_input_tables() -> dict[str, pd.DataFrame]:
    """Two reps, three customers, four order lines: small enough to check by hand."""
    ts = pd.Timestamp
    return {
        "reps": pd.DataFrame(
            {
                "rep_id": ["R1", "R2"],
                "name": ["Ann Lee", "Bo Chan"],
                "region": ["North", "South"],
                "manager": ["M", "M"],
                "start_date": [ts("2020-01-06"), ts("2021-03-01")],
                "plan": ["Std", "Std"],
                "email": ["a@x.com", "b@x.com"],
            }
        ),  # fmt: skip
        "customers": pd.DataFrame(
            {
                "customer_id": ["C1", "C2", "C3"],
                "name": ["Acme", "Beta", "Core"],
                "industry": ["Retail"] * 3,
                "size": ["Small", "Large", "Medium"],
                "region": ["North", "North", "South"],
                "owner_rep": ["R1", "R1", "R2"],
                "created_date": [ts("2023-01-01")] * 3,
            }
        ),  # fmt: skip
        "categories": pd.DataFrame({"category": ["Hardware", "Software"], "description": ["HW", "SW"]}),
        "orders": pd.DataFrame(
            {
                "order_id": ["O1", "O1", "O2", "O3"],
                "line": [1, 2, 1, 1],
                "order_date": [ts("2024-01-05"), ts("2024-01-05"), ts("2024-02-10"), ts("2024-02-11")],
                "rep_id": ["R1", "R1", "R1", "R2"],
                "customer_id": ["C1", "C1", "C2", "C3"],
                "category": ["Hardware", "Software", "Hardware", "Software"],
                "quantity": [2.0, 1.0, 3.0, 1.0],
                "unit_price": [100.0, 50.5, 10.0, 999.99],
                "amount": [200.0, 50.5, 30.0, 999.99],
                "source": ["manual"] * 4,
            }
        ),  # fmt: skip
    }


def small_computed_tables() -> dict[str, pd.DataFrame]:
    """Computed tables for the small inputs, with the numbers worked out by hand."""
    months = [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-02-01")]
    return {
        "attainment": pd.DataFrame(
            {
                "rep_id": ["R1", "R1", "R2", "R2"],
                "name": ["Ann Lee", "Ann Lee", "Bo Chan", "Bo Chan"],
                "region": ["North", "North", "South", "South"],
                "period": months * 2,
                "target": [200.0, 100.0, 0.0, 800.0],
                "actual": [250.5, 30.0, 0.0, 999.99],
                "attainment": [1.2525, 0.3, None, 1.2499875],
                "variance": [50.5, -70.0, None, 199.99],
                "ytd_target": [200.0, 300.0, 0.0, 800.0],
                "ytd_actual": [250.5, 280.5, 0.0, 999.99],
                "ytd_attainment": [1.2525, 0.935, None, 1.2499875],
                "forecast": [250.5, 30.0, 0.0, 999.99],
                "forecast_attainment": [1.2525, 0.3, None, 1.2499875],
            }
        ),  # fmt: skip
        "leaderboard": pd.DataFrame(
            {
                "rank": [1, 2],
                "rep_id": ["R2", "R1"],
                "name": ["Bo Chan", "Ann Lee"],
                "region": ["South", "North"],
                "sales": [999.99, 280.5],
                "attainment": [999.99 / 800, 280.5 / 300],
                "commission": [100.0, 28.05],
                "badge": ["Sales champion", ""],
            }
        ),  # fmt: skip
        "customer_tiers": pd.DataFrame(
            {
                "customer_id": ["C1", "C2", "C3"],
                "name": ["Acme", "Beta", "Core"],
                "tier": ["Bronze", "Bronze", "Silver"],
            }
        ),
        "commission_summary": pd.DataFrame(
            {
                "rep_id": ["R1", "R2"],
                "period": [months[0], months[1]],
                "sales": [250.5, 999.99],
                "target": [200.0, 800.0],
                "total": [25.05, 100.0],
            }
        ),  # fmt: skip
    }


def normalized(path) -> dict:
    """The content of an .xlsx that matters, without what changes between runs (zip dates,
    part order, style ids): per sheet its cell values/formulas and number formats, Excel
    tables, validations, conditional formats, protection, and the defined names."""
    wb = load_workbook(path)
    out = {"sheets": wb.sheetnames, "names": {n: d.attr_text for n, d in sorted(wb.defined_names.items())}}
    for ws in wb.worksheets:
        out[ws.title] = {
            "cells": {c.coordinate: (c.value, c.number_format) for row in ws.iter_rows() for c in row if c.value is not None},
            "tables": {t.displayName: (t.ref, [(c.name, c.calculatedColumnFormula.attr_text if c.calculatedColumnFormula else None) for c in t.tableColumns]) for t in ws.tables.values()},
            "validations": sorted((str(v.sqref), v.type, v.formula1, v.formula2, v.prompt) for v in ws.data_validations.dataValidation),
            "conditional": sorted((str(r.sqref), [x.formula for x in r.rules]) for r in ws.conditional_formatting),
            "state": (ws.sheet_state, ws.protection.sheet, ws.freeze_panes),
        }  # fmt: skip
    return out


def refreshed_both_ways(source, computed, tmp_path, monkeypatch) -> tuple[dict, dict, list[bool]]:
    """`write_computed` on two copies of `source`: as shipped, and with every cell through openpyxl."""
    taken = []
    fast, slow = (Path(shutil.copy(source, tmp_path / name)) for name in ("fast.xlsx", "slow.xlsx"))
    with monkeypatch.context() as m:
        m.setattr(builder, "restore_rows", lambda *a: taken.append(restore_rows(*a)) or taken[-1])
        builder.write_computed(fast, computed)
    with monkeypatch.context() as m:
        m.setattr(builder, "restore_rows", lambda *a: False)  # as when styles did not survive
        builder.write_computed(slow, computed)
    return normalized(fast), normalized(slow), taken
