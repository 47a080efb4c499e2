#!/usr/bin/env bash
# The test suite, from a fresh clone: sets up .venv (once) and runs pytest on it.
# Extra arguments go to pytest (e.g. tests/run.sh -k ranges -x).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
exec .venv/bin/python -m pytest "$@"
