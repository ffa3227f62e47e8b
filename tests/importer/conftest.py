"""Fixtures for the import tests: a small master, rep templates, filled-in copies."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from import_helpers import PERIOD, fill, orders_rows

from sales_tools.excel.builder import build_master
from sales_tools.excel.templates import build_rep_templates
from sales_tools.sample import generate
from sales_tools.schema import TEMPLATE_FIRST_ROW


@pytest.fixture(scope="session")
def sample():
    return generate()


@pytest.fixture(scope="session")
def pristine_master(tmp_path_factory, sample) -> Path:
    path = tmp_path_factory.mktemp("master") / "master.xlsx"
    return build_master(path, {k: sample[k] for k in ("reps", "customers", "categories")})


@pytest.fixture
def master(tmp_path, pristine_master) -> Path:
    """A fresh copy of a master with reps, customers and categories and no facts."""
    return Path(shutil.copy(pristine_master, tmp_path / "master.xlsx"))


@pytest.fixture(scope="session")
def templates(tmp_path_factory, pristine_master) -> list[Path]:
    return build_rep_templates(pristine_master, tmp_path_factory.mktemp("templates"), PERIOD)


@pytest.fixture(scope="session")
def rep_customers(templates) -> list[str]:
    """Customer IDs on the first template's My customers sheet."""
    ws = openpyxl.load_workbook(templates[0], read_only=True)["My customers"]
    return [r[0] for r in ws.iter_rows(min_row=TEMPLATE_FIRST_ROW, values_only=True) if r[0]]


@pytest.fixture(scope="session")
def xls_template(tmp_path_factory, templates, rep_customers) -> Path:
    """A filled template re-saved by LibreOffice as legacy .xls (one soffice call per session)."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    folder = tmp_path_factory.mktemp("xls")
    filled = fill(templates[0], folder / "R01_xls.xlsx", {"rep_orders": orders_rows(rep_customers, 6)})
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to", "xls",
         "--outdir", str(folder), str(filled)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return folder / "R01_xls.xls"
