"""Edits of ``mlhub.yaml`` as text, so the user's comments and layout survive (a YAML round
trip would drop every comment): ``add`` appends one entry to ``datasets:``.

Pure functions on strings; the caller validates the result by loading it as a manifest and
writes it atomically only then.
"""

from __future__ import annotations

import json
import re

from ..exceptions import ConfigError

SKELETON = """\
# mlhub-sync project: the datasets this project needs.
#   mlhub-sync add ref_african_crops_kenya_02   # an old MLHub id, from the built-in catalogue
#   mlhub-sync apply                            # lock what changed, then download, verified
# Commit mlhub.yaml and mlhub.lock; the target folder is git-ignored.
version: 1
target: {target}
datasets: []
"""

_DATASETS = re.compile(r"^datasets:[ \t]*(?P<rest>.*?)[ \t]*(?:#.*)?$", re.MULTILINE)
_ITEM = re.compile(r"^(?P<indent>[ \t]*)- ", re.MULTILINE)


def entry(dataset_id: str, source: str | None) -> list[str]:
    """The new entry's lines, without indentation: ``- ID`` or ``- id: ID`` + ``source:``."""
    if source is None:
        return [f"- {json.dumps(dataset_id)}" if _needs_quotes(dataset_id) else f"- {dataset_id}"]
    return [f"- id: {json.dumps(dataset_id)}", f"  source: {json.dumps(source)}"]


def add_entry(text: str, dataset_id: str, source: str | None = None) -> str:
    """``text`` with the dataset appended to its top-level ``datasets:`` list (block or flow
    style, or a new list when there is none)."""
    lines = entry(dataset_id, source)
    found = _DATASETS.search(text)
    if found is None:
        tail = "" if text.endswith("\n") or not text else "\n"
        return text + tail + "datasets:\n" + "".join(f"  {line}\n" for line in lines)
    rest = found.group("rest")
    if rest.startswith("[") and rest.endswith("]"):
        inner = rest[1:-1].strip()
        if source is None and inner:
            item = lines[0][2:]
            replaced = f"[{inner}, {item}]"
            start, end = found.span("rest")
            return text[:start] + replaced + text[end:]
        if inner:
            raise ConfigError(
                "datasets: is a one-line list; write it as one entry per line to add a "
                "dataset with a source"
            )
        start, end = found.span("rest")
        block = "".join(f"\n  {line}" for line in lines)
        return text[:start].rstrip(" \t") + block + text[end:]
    if rest:
        raise ConfigError("datasets: must be a list (one `- id` per line, or [id, id])")
    return _append_block(text, found.end(), lines)


def _append_block(text: str, after: int, lines: list[str]) -> str:
    """Append after the last item of the block list that starts at ``after``."""
    body = text[after:]
    indent, last_end = "  ", 0
    position = 0
    for line in body.splitlines(keepends=True)[1:] if body.startswith("\n") else []:
        position += len(line)
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not line[0].isspace() and not line.startswith("-"):
            break  # the next top-level key
        item = _ITEM.match(line)
        if item is not None:
            indent = item.group("indent")
        last_end = position
    insert = after + 1 + last_end if body.startswith("\n") else after
    if insert > len(text):
        insert = len(text)
    prefix = "" if insert == 0 or text[insert - 1] == "\n" else "\n"
    added = "".join(f"{indent}{line}\n" for line in lines)
    return text[:insert] + prefix + added + text[insert:]


def _needs_quotes(value: str) -> bool:
    return not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", value)
