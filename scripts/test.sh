#!/usr/bin/env bash
# Set up (idempotent), check the format and lint (ruff), and run the test suite at both
# ends of what pyproject.toml allows:
#   1. the whole suite on the newest versions (.venv);
#   2. the calculation, workbook, import, statement, UDF and macro tests on the oldest
#      supported set, xlwings Lite's pandas 2.2.3 and numpy 2.0.2 (.venv-oldest,
#      pinned by scripts/oldest.txt).
# With arguments, only (1) runs, with them passed to pytest.  pytest's exit 5 (no
# tests ran) is a failure here, as is any other non-zero exit.  Each run lists its 20
# slowest tests (where the time goes: the suite should take about 10 minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

run_pytest() {
  set +e
  "$@"
  local rc=$?
  set -e
  [ "$rc" = 5 ] && echo "pytest collected no tests: failing" >&2
  return "$rc"
}

echo "== ruff: format and lint"
.venv/bin/ruff format --check --quiet .
.venv/bin/ruff check --quiet .

echo "== newest versions: $(.venv/bin/python scripts/versions.py)"
newest=0
run_pytest .venv/bin/python -m pytest -n 2 --durations=20 "$@" || newest=$?
[ $# -eq 0 ] || exit "$newest"

PY=${PYTHON:-python3}
[ -x .venv-oldest/bin/python ] || "$PY" -m venv .venv-oldest
.venv-oldest/bin/python -m pip install -q --upgrade pip
.venv-oldest/bin/python -m pip install -q -c scripts/oldest.txt -e ".[test]"
echo "== oldest supported versions: $(.venv-oldest/bin/python scripts/versions.py)"
# LibreOffice's own recalculation and the installed xlwings' VBA bytes do not depend on
# these versions; everything that computes, reads or writes a table does.
oldest=0
run_pytest .venv-oldest/bin/python -m pytest -n 2 --durations=20 -m "not libreoffice" \
  --ignore=tests/excel/test_xlsm.py --ignore=tests/test_benchmarks_smoke.py || oldest=$?
[ "$newest" = 0 ] || exit "$newest"
exit "$oldest"
