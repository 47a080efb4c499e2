"""``mlhub.yaml``: the datasets a project needs, validated against ``schemas/``.

Errors point at the place: ``mlhub.yaml:9:16: datasets[2].if_exists: 'resum' is not one of
'resume', 'skip', 'overwrite'``. The normalised manifest (defaults applied, short forms
expanded) is hashed into the lock, which makes "is the lock stale?" an offline question.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import xxhash
import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from .exceptions import ConfigError

DEFAULT_TARGET = "data"
LOCK_NAME = "mlhub.lock"
Position = tuple[int, int]  # 1-based line and column
JsonPath = tuple[str | int, ...]


@cache
def schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped in ``schemas/`` (``manifest`` or ``lock``)."""
    text = resources.files("mlhub_sync").joinpath(f"schemas/{name}.schema.json").read_text()
    value: dict[str, Any] = json.loads(text)
    return value


@dataclass(frozen=True)
class DatasetSpec:
    """One entry of ``datasets:``, defaults applied."""

    id: str
    types: tuple[str, ...] | None
    collections: tuple[str, ...] | None
    if_exists: str
    extract: bool
    where: str  # "mlhub.yaml:7:5", for errors found later (at lock time)

    def select(self) -> dict[str, list[str]]:
        """The collection filter as the lock records it (empty: every collection)."""
        if self.types:
            return {"types": list(self.types)}
        if self.collections:
            return {"collections": list(self.collections)}
        return {}

    def normalised(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "select": self.select(),
            "if_exists": self.if_exists,
            "extract": self.extract,
        }


@dataclass(frozen=True)
class Manifest:
    path: Path
    api_url: str | None
    profile: str | None
    target: Path
    datasets: tuple[DatasetSpec, ...]

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(LOCK_NAME)

    def normalised(self) -> dict[str, Any]:
        """What the lock depends on; ``profile`` and ``target`` change no lock entry."""
        return {
            "version": 1,
            "api_url": self.api_url,
            "datasets": [d.normalised() for d in self.datasets],
        }

    def hash(self) -> str:
        canonical = json.dumps(self.normalised(), sort_keys=True, separators=(",", ":"))
        return f"xxh3_128:{xxhash.xxh3_128_hexdigest(canonical.encode())}"

    def dataset(self, dataset_id: str) -> DatasetSpec:
        for spec in self.datasets:
            if spec.id == dataset_id:
                return spec
        raise ConfigError(f"{self.path}: no dataset {dataset_id!r} in datasets")


class _Positions:
    """Where each value (and each mapping key) of a YAML document starts."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.values: dict[JsonPath, Position] = {}
        self.keys: dict[JsonPath, Position] = {}

    def collect(self, node: yaml.Node, path: JsonPath = ()) -> None:
        self.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in node.value:
                key = key_node.value
                here = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                if key in seen:
                    raise ConfigError(
                        f"{self.source}:{here[0]}:{here[1]}: {render_path(path) or 'top level'}: "
                        f"duplicate key {key!r}; keep one"
                    )
                seen.add(key)
                child = (*path, key)
                self.keys[child] = here
                self.collect(value_node, child)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.collect(item, (*path, index))

    def of(self, path: JsonPath, key: bool = False) -> Position:
        """The closest known position for ``path`` (walking up to its parents)."""
        table = self.keys if key else self.values
        for end in range(len(path), -1, -1):
            if path[:end] in table:
                return table[path[:end]]
            table = self.values
        return (1, 1)


def render_path(path: JsonPath) -> str:
    """``("datasets", 2, "if_exists")`` → ``datasets[2].if_exists``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def parse_yaml(path: Path, source: str) -> tuple[Any, _Positions]:
    """YAML → (data, positions); syntax errors and duplicate keys as ``file:line:col``."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{source} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {source}: {exc}") from None
    positions = _Positions(source)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        if node is not None:
            positions.collect(node)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"
        raise ConfigError(f"{source}:{where}: invalid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: invalid YAML: {exc}") from None
    return data, positions


def _describe(error: ValidationError, positions: _Positions, source: str) -> str:
    path: JsonPath = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list(error.schema.get("properties", {}))
        extra = next(k for k in error.instance if k not in allowed)
        line, column = positions.of((*path, extra), key=True)
        message = f"unknown key {extra!r} (allowed: {', '.join(allowed)})"
        return f"{source}:{line}:{column}: {render_path(path) or 'top level'}: {message}"
    line, column = positions.of(path)
    if error.validator == "enum":
        message = f"{error.instance!r} is not one of " + ", ".join(
            repr(v) for v in error.validator_value
        )
    elif error.validator == "not" and isinstance(error.instance, dict):
        message = "give either 'types' or 'collections', not both"
    elif error.validator == "pattern" and path and path[-1] == "api_url":
        message = f"{error.instance!r} is not an http(s) URL"
    elif error.validator in ("pattern", "not") and isinstance(error.instance, str):
        message = f"{error.instance!r} is not a valid id (letters, digits, '.', '_', '-'; no '..')"
    elif error.validator == "oneOf":
        message = f"expected a dataset id or a mapping with 'id', found {error.instance!r}"
    elif error.validator == "const":
        message = f"must be {error.validator_value!r}, found {error.instance!r}"
    else:
        message = error.message
    return f"{source}:{line}:{column}: {render_path(path) or 'top level'}: {message}"


def _deepest(error: ValidationError) -> ValidationError:
    """For ``oneOf`` (an id or an object), the error of the branch the value was meant for."""
    while error.validator == "oneOf" and error.context:
        wrong_type = {
            e.relative_schema_path[0]
            for e in error.context
            if e.validator == "type" and not e.relative_path
        }
        meant = [e for e in error.context if e.relative_schema_path[0] not in wrong_type]
        if not meant:
            break
        error = best_match(meant)
    return error


def validate(data: Any, schema_name: str, positions: _Positions, source: str) -> None:
    """Raise ``ConfigError`` for the most relevant schema violation, with its position."""
    validator = Draft202012Validator(schema(schema_name))
    errors = list(validator.iter_errors(data))
    if errors:
        first = _deepest(best_match(errors))
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ConfigError(_describe(first, positions, source) + more)


def load_manifest(path: Path) -> Manifest:
    """Read and check ``mlhub.yaml``; everything wrong is a one-line ``ConfigError``."""
    source = str(path)
    data, positions = parse_yaml(path, source)
    if data is None:
        raise ConfigError(f"{source} is empty; it needs at least 'version: 1' and 'datasets:'")
    validate(data, "manifest", positions, source)
    defaults = data.get("defaults") or {}
    specs: list[DatasetSpec] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(data["datasets"]):
        item = {"id": entry} if isinstance(entry, str) else entry
        line, column = positions.of(("datasets", index))
        where = f"{source}:{line}:{column}"
        if item["id"] in seen:
            raise ConfigError(
                f"{where}: datasets[{index}]: dataset {item['id']!r} is already listed as "
                f"datasets[{seen[item['id']]}]; list each dataset once"
            )
        seen[item["id"]] = index
        specs.append(
            DatasetSpec(
                id=item["id"],
                types=tuple(item["types"]) if "types" in item else None,
                collections=tuple(item["collections"]) if "collections" in item else None,
                if_exists=item.get("if_exists", defaults.get("if_exists", "resume")),
                extract=bool(item.get("extract", defaults.get("extract", False))),
                where=where,
            )
        )
    return Manifest(
        path=path,
        api_url=data.get("api_url"),
        profile=data.get("profile"),
        target=(path.parent / data.get("target", DEFAULT_TARGET)),
        datasets=tuple(specs),
    )
