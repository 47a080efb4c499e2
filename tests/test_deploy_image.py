"""The Dockerfile (examples/deploy/), built and run without a Docker engine: its instructions
in a Debian chroot, then its image as documented — non-root, keys from the mounted file, the
HEALTHCHECK passing (tests/deploy/dockerfile_chroot.py says what differs from docker).
Needs root and debootstrap; ``.ci/run`` installs it, and where it is installed
(``MLHUB_TEST_REQUIRE_DEBOOTSTRAP``, set by tests/run.sh) this fails rather than skips."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parent / "deploy" / "dockerfile_chroot.py"


def test_the_dockerfile_builds_and_its_image_serves_as_documented(tmp_path: Path) -> None:
    if os.geteuid() != 0 or shutil.which("debootstrap") is None:
        if os.environ.get("MLHUB_TEST_REQUIRE_DEBOOTSTRAP"):
            pytest.fail("root and debootstrap are required (MLHUB_TEST_REQUIRE_DEBOOTSTRAP)")
        pytest.skip("needs root and debootstrap (.ci/run installs it)")
    image = tmp_path / "image"
    try:
        result = subprocess.run(
            [sys.executable, str(SCRIPT), "--image", str(image)],
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
    finally:
        if image.exists():
            shutil.rmtree(image)  # hundreds of MB, inside this test's own folder
    said = result.stdout + result.stderr
    assert result.returncode == 0, said[-4000:]
    assert "# serving as uid 10001" in said
    assert "# HEALTHCHECK exit 0" in said
    assert "# datasets with the key: 200; an archive without it: 401" in said
    assert "Traceback" not in said and "[ERROR]" not in said, said[-4000:]
