"""The README's first command: the demo, run on a copy of examples/ as a fresh clone has it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from support import REPO


def test_the_demo_runs_end_to_end_on_a_fresh_copy(tmp_path: Path) -> None:
    """A copy has new inodes and mtimes, so the mirror's ETags differ from the committed lock's,
    as in every fresh clone: the lock's content digests must carry the day."""
    examples = tmp_path / "examples"
    ignore = shutil.ignore_patterns("data", "digests", "__pycache__")
    shutil.copytree(REPO / "examples", examples, ignore=ignore)
    result = subprocess.run(
        [sys.executable, str(examples / "demo.py")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    data = examples / "project" / "data"
    archives = sorted(p.name for p in data.rglob("*.tar.gz"))
    assert len(archives) == 4, archives
    assert (examples / "project" / "mlhub.lock").read_text() == (
        REPO / "examples" / "project" / "mlhub.lock"
    ).read_text()
