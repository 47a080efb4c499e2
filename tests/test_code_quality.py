"""Lint, format and type checks run with the suite, so CI enforces them."""

from __future__ import annotations

import subprocess
import sys

import pytest
from support import REPO


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "."],
        ["mypy"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_code_quality(command: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", *command], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("kind", ["manifest", "lock"])
def test_generated_validators_match_the_schemas(kind: str) -> None:
    """``_schema_*.py`` are generated from ``schemas/``: regenerate after editing a schema."""
    from mlhub_sync.sync import schema

    generated = REPO / "mlhub_sync" / "sync" / f"_schema_{kind}.py"
    assert generated.read_text() == schema.generated(kind), (
        "run `python -m mlhub_sync.sync.schema` to regenerate"
    )
