"""The calculation core imports neither xlwings nor openpyxl."""

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[1] / "sales_tools" / "core"
FORBIDDEN = {"xlwings", "openpyxl"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted(CORE.glob("*.py")), ids=lambda p: p.name)
def test_core_module_imports_no_excel_library(path):
    assert not imported_modules(path) & FORBIDDEN


def test_purity_check_catches_a_forbidden_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import openpyxl\nfrom xlwings import Book\n")
    assert imported_modules(bad) & FORBIDDEN == {"openpyxl", "xlwings"}
