#!/usr/bin/env bash
# The main job end to end on the bundled example data, from a fresh clone:
# sets up .venv (once), serves examples/mirror and fetches through it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
exec .venv/bin/python examples/demo.py "$@"
