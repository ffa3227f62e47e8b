import pytest

# The xlwings_*.py helpers run in a subprocess with an xlwings license key set; importing
# them here (for doctests) would fail without one.
collect_ignore_glob = ["xlwings_*.py"]


@pytest.fixture(autouse=True)
def _english_system(monkeypatch):
    """The command line speaks the system's language when nothing else says which: tests pin English
    (tests/cli/test_command_language.py sets Chinese where it means to)."""
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
