#!/usr/bin/env bash
# Set up (idempotent) and run the whole test suite.  pytest's exit 5 (no tests ran)
# is a failure here, as is any other non-zero exit.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
set +e
.venv/bin/python -m pytest -n 2 "$@"
rc=$?
set -e
[ "$rc" = 5 ] && echo "pytest collected no tests: failing" >&2
exit "$rc"
