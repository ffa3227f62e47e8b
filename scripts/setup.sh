#!/usr/bin/env bash
# Set up everything on a fresh Linux machine with Python 3.11+: a virtual environment
# in .venv with the package and its test extra, and LibreOffice (for the tests that
# recalculate workbooks and render PDFs) when it is missing and we may install it, with
# a CJK font (fonts-noto-cjk) so the Chinese edition's PDFs and pictures show Chinese.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"
has_cjk_font() { command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh | grep -q .; }
if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1 || ! has_cjk_font; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq --no-install-recommends libreoffice-calc poppler-utils \
      fonts-noto-cjk >/dev/null
  else
    echo "LibreOffice (soffice), pdftotext or a CJK font (fonts-noto-cjk) is missing: the tests that need" \
      "LibreOffice will be skipped, and Chinese PDFs show boxes." >&2
  fi
fi
