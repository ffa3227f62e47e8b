"""Every message the package shows a person goes through `tr`, so a Chinese master never
shows an English sentence: a raw literal handed to an error, echo or alert fails here."""

import ast
import inspect
from pathlib import Path

from sales_tools import errors

PACKAGE = Path(__file__).resolve().parents[2] / "sales_tools"

# What shows its first argument to a person: the package's errors, and the shells' outputs.
ERRORS = {
    name for name, obj in vars(errors).items() if inspect.isclass(obj) and issubclass(obj, errors.SalesToolsError)
}
SHOWN = ERRORS | {
    "InputProblem",
    "ClickException",
    "BadParameter",
    "UsageError",
    "echo",
    "secho",
    "_say",
    "step",
    "alert",
}


def _called(node: ast.Call) -> str:
    return getattr(node.func, "id", getattr(node.func, "attr", ""))


def _raw_words(arg: ast.expr) -> str | None:
    """The English words of a literal or f-string argument (None when it has none or is no literal)."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        text = arg.value
    elif isinstance(arg, ast.JoinedStr):  # f"{sheet}: {reason}" glues translated pieces: fine
        text = "".join(v.value for v in arg.values if isinstance(v, ast.Constant))
    else:
        return None
    return text if any(c.isascii() and c.isalpha() for c in text) else None


def untranslated() -> list[str]:
    """file:line and text of each message shown without `tr`."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _called(node) in SHOWN and node.args:
                words = _raw_words(node.args[0])
                if words is not None:
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {words[:60]!r}")
    return found


def test_every_message_goes_through_tr():
    missing = untranslated()
    assert missing == [], f"{len(missing)} messages are shown without tr(...):\n" + "\n".join(missing)


def test_the_scan_finds_a_raw_message_and_passes_a_translated_one():
    def words(source):
        return _raw_words(ast.parse(source).body[0].value.args[0])

    assert words('InputError(f"Orders: row {row} is empty")') == "Orders: row  is empty"
    assert words('InputError("no rep files")') == "no rep files"
    assert words('InputError(tr("no rep files"))') is None
    assert words('InputError(f"{sheet}: {reason}")') is None
    assert {"InputError", "WorkbookError", "PlanError"} <= ERRORS
