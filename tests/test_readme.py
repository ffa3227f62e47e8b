"""The README's two commands are the ones CI and a new user run, and its examples hold."""

import doctest
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def bash_blocks(text: str) -> list[str]:
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", text, re.S)]


def test_readme_opens_with_the_set_up_and_test_commands():
    setup, tests = bash_blocks(README)[:2]
    assert setup == "bash scripts/setup.sh && .venv/bin/sales-tools demo"
    assert tests == "bash scripts/test.sh"
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line and not line.startswith("#")]
    assert ci[-1] == tests  # CI runs exactly the README's test command, last


def test_the_test_script_fails_when_pytest_collects_nothing():
    script = (ROOT / "scripts" / "test.sh").read_text()
    assert '[ "$rc" = 5 ]' in script and 'return "$rc"' in script


def test_readme_python_examples_run():
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(
        parser.get_doctest(README.replace("\n```", "\n\n```"), {}, "README", "README.md", 0)
    )  # a fence ends an example
    assert runner.summarize(verbose=False).failed == 0
    assert runner.summarize(verbose=False).attempted >= 3
