"""Rendering helpers for the command line: sizes and aligned tables."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any

import click

from ..units import human_bytes

__all__ = ["human_bytes", "print_json", "table"]


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], right: Sequence[int] = ()) -> None:
    """Print an aligned table; columns whose index is in ``right`` are right-aligned."""
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        line = "  ".join(
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        )
        bold = n == 0 and not os.environ.get("NO_COLOR")  # https://no-color.org
        click.echo(click.style(line.rstrip(), bold=True) if bold else line.rstrip())


def print_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False))
