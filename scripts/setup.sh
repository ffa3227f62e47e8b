#!/usr/bin/env bash
# Set up everything on a fresh Linux machine with Python 3.11+: a virtual environment
# in .venv with the package and its test extra, and LibreOffice (for the tests that
# recalculate workbooks and render PDFs) when it is missing and we may install it.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"
if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq --no-install-recommends libreoffice-calc poppler-utils >/dev/null
  else
    echo "LibreOffice (soffice) or pdftotext is missing: the tests that need them will be skipped." >&2
  fi
fi
