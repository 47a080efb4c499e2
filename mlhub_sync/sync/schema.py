"""Validation of manifests and locks against the JSON Schemas in ``schemas/`` — one home for
every structural rule.

Two engines over the same schema: ``fastjsonschema`` compiles it to Python (a 10,000-archive
lock validates in milliseconds; jsonschema alone took longer to import than an in-sync
``apply`` may take), and only when that says "invalid" does ``jsonschema`` run, for the most
relevant error and its path, which we turn into ``file:line:column: path: message``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

from ..exceptions import ConfigError
from .yamlio import Document, JsonPath, render_path


@cache
def schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped in ``schemas/`` (``manifest`` or ``lock``)."""
    text = resources.files("mlhub_sync").joinpath(f"schemas/{name}.schema.json").read_text()
    value: dict[str, Any] = json.loads(text)
    return value


@cache
def _compiled(name: str) -> Callable[[Any], Any]:
    import fastjsonschema

    return fastjsonschema.compile(schema(name))


def validate(document: Document, name: str) -> None:
    """Raise ``ConfigError`` for the most relevant violation of schema ``name``, located."""
    import fastjsonschema

    try:
        _compiled(name)(document.data)
        return
    except fastjsonschema.JsonSchemaException:
        pass
    message = explain(document, name)
    if message:
        raise ConfigError(message)


def explain(document: Document, name: str) -> str | None:
    """jsonschema's best error as ``file:line:column: path: message`` (None: valid)."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    errors = list(Draft202012Validator(schema(name)).iter_errors(document.data))
    if not errors:
        return None
    first = _deepest(best_match(errors))
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return _describe(first, document) + more


def _describe(error: Any, document: Document) -> str:
    path: JsonPath = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list(error.schema.get("properties", {}))
        extra = next(k for k in error.instance if k not in allowed)
        message = f"unknown key {extra!r} (allowed: {', '.join(allowed)})"
        where = document.where((*path, extra), key=True)
        return f"{where}: {render_path(path) or 'top level'}: {message}"
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
    return f"{document.where(path)}: {render_path(path) or 'top level'}: {message}"


def _deepest(error: Any) -> Any:
    """For ``oneOf`` (an id or an object), the error of the branch the value was meant for."""
    from jsonschema.exceptions import best_match

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
