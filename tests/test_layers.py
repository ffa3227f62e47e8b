"""The layers hold: the calculation core loads no Excel library, even indirectly, and the
shells (Excel functions, macros, command line) do not import each other."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sales_tools"
EXCEL_LIBRARIES = ("xlwings", "openpyxl", "python_calamine")
SHELLS = ("sales_tools.cli", "sales_tools.macros", "sales_tools.udfs")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def loaded_by(modules: list[str]) -> set[str]:
    """The Excel libraries in sys.modules after importing `modules` in a fresh interpreter."""
    code = f"import importlib, sys\nfor m in {modules!r}: importlib.import_module(m)\nprint(' '.join(sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return {m.split(".")[0] for m in loaded} & set(EXCEL_LIBRARIES)


def imports(path: Path) -> set[str]:
    """Every module `path` imports, at any depth of the file (function-local imports too)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
    return names


def test_the_core_loads_no_excel_library():
    core = sorted(module_name(p) for p in (PACKAGE / "core").rglob("*.py"))
    assert len(core) > 20 and loaded_by(core) == set()


def test_the_check_sees_an_excel_library_loaded_indirectly():
    assert loaded_by(["sales_tools.excel.builder"]) >= {"openpyxl"}  # it does load openpyxl


@pytest.mark.parametrize("shell", SHELLS)
def test_a_shell_imports_no_other_shell(shell):
    path = PACKAGE / (shell.split(".")[1] + ".py")
    assert not {m for m in imports(path) if m.startswith(SHELLS)} - {shell}
