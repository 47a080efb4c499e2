"""Is the data folder kept out of git? Data is fetched by ``apply``, never committed: a 70 GB
target showing up in ``git status`` (or worse, ``git add -A``) is a mistake worth a warning."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path


def work_tree(path: Path) -> Path | None:
    """The git work tree holding ``path`` (a folder with ``.git`` above it), if any."""
    folder = Path(os.path.abspath(path))
    for candidate in (folder, *folder.parents):
        try:
            if (candidate / ".git").exists():
                return candidate
        except OSError:  # a name too long, say: then there is no work tree to speak of
            continue
    return None


def unignored_in_git(target: Path) -> Path | None:
    """The work tree when ``target`` lies inside one and git does not ignore it; else None
    (also when git is not installed or cannot tell)."""
    tree = work_tree(target)
    git = shutil.which("git")
    if tree is None or git is None or Path(os.path.abspath(target)) == tree:
        return None
    try:
        answer = subprocess.run(
            [git, "-C", str(tree), "check-ignore", "-q", "--", os.path.abspath(target) + "/"],
            capture_output=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return tree if answer.returncode == 1 else None
