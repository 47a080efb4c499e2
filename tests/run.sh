#!/usr/bin/env bash
# The test suite, from a fresh clone: sets up .venv (once) and runs pytest on it.
# Extra arguments go to pytest (e.g. tests/run.sh -k ranges -x).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'

# Azurite, the Azure Blob emulator (tests/emulators.py), from npm into .cache/azurite (once;
# the marker is written only after a complete install, so an interrupted one is resumed).
# Where it is installed, a test that needs it fails rather than skips when it cannot start it.
azurite_dir=.cache/azurite
if [ ! -f "$azurite_dir/installed" ] && command -v npm >/dev/null; then
  mkdir -p "$azurite_dir"
  npm install --prefix "$azurite_dir" --no-audit --no-fund --loglevel=error azurite@3
  touch "$azurite_dir/installed"
fi
if [ -f "$azurite_dir/installed" ]; then
  export MLHUB_TEST_REQUIRE_EMULATORS=1
fi

# nginx (tests/nginx.py): where it is installed, tests that need it fail rather than skip.
if command -v nginx >/dev/null; then
  export MLHUB_TEST_REQUIRE_NGINX=1
fi
# rclone (tests/test_serve_s3.py), and debootstrap as root (tests/test_deploy_image.py), likewise.
if command -v rclone >/dev/null; then
  export MLHUB_TEST_REQUIRE_RCLONE=1
fi
if command -v debootstrap >/dev/null && [ "$(id -u)" = 0 ]; then
  export MLHUB_TEST_REQUIRE_DEBOOTSTRAP=1
fi

exec .venv/bin/python -m pytest "$@"
