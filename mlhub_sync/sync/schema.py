"""Validation of manifests and locks against the JSON Schemas in ``schemas/`` — one home for
every structural rule.

Two engines over the same schema. The fast one is Python generated from the schema by
fastjsonschema's code generator (``_schema_manifest.py``, ``_schema_lock.py``: a 10,000-archive
lock validates in milliseconds, with no import or compile cost at run time; jsonschema alone
took longer to import than an in-sync ``apply`` may take). Only when it says "invalid" does
``jsonschema`` run, for the most relevant error and its path, which we turn into
``file:line:column: path: message``. After editing a schema, regenerate with
``python -m mlhub_sync.sync.schema`` (the code-quality test checks they match).
"""

from __future__ import annotations

import copy
import importlib
import json
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..exceptions import ConfigError

if TYPE_CHECKING:
    from .yamlio import Document, JsonPath


SCHEMA_FOLDER = Path(__file__).resolve().parent.parent / "schemas"  # shipped in the wheel


@cache
def schema_text(name: str) -> str:
    """A JSON Schema shipped in ``schemas/`` (``manifest`` or ``lock``), as written."""
    return (SCHEMA_FOLDER / f"{name}.schema.json").read_text()


@cache
def schema(name: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(schema_text(name))
    return value


SCHEMAS = ("manifest", "lock")
GENERATED_HEADER = """\
# Generated from schemas/{name}.schema.json by `python -m mlhub_sync.sync.schema`; do not edit.
# fastjsonschema's code generator wrote the validator; the exceptions below replace its import,
# so validating needs no third-party package at run time.
# ruff: noqa
# mypy: ignore-errors


class JsonSchemaValueException(ValueError):
    def __init__(self, message, value=None, name=None, definition=None, rule=None):
        super().__init__(message)


JsonSchemaValuesException = JsonSchemaValueException
"""


def is_valid(data: Any, name: str) -> bool:
    """The generated validator's verdict (no message: ``explain`` finds one when needed)."""
    module = importlib.import_module(f"._schema_{name}", __package__)
    try:
        module.validate(data)
    except module.JsonSchemaValueException:
        return False
    return True


def generated(name: str) -> str:
    """The source of ``_schema_<name>.py``, from the schema as it is now (needs fastjsonschema,
    a development dependency)."""
    import fastjsonschema

    code = fastjsonschema.compile_to_code(copy.deepcopy(schema(name)))
    code = code.replace(
        "from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException\n", ""
    )
    # Documents come from YAML and JSON: numbers are int or float, never Decimal (whose import
    # would cost an in-sync apply more than validating a 1,000-archive lock).
    code = code.replace("from decimal import Decimal\n", "Decimal = float\n")
    entry = re.search(r"^def (validate\w*)\(", code, re.MULTILINE)
    assert entry is not None, "fastjsonschema generated no validator"
    return f"{GENERATED_HEADER.format(name=name)}\n{code.rstrip()}\n\n\nvalidate = {entry[1]}\n"


def validate(document: Document, name: str) -> None:
    """Raise ``ConfigError`` for the most relevant violation of schema ``name``, located."""
    if is_valid(document.data, name):
        return
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
    from .yamlio import render_path

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
        first, second = error.validator_value.get("required", ["types", "collections"])[:2]
        message = f"give either {first!r} or {second!r}, not both"
    elif error.validator == "pattern" and path and path[-1] in ("api_url", "endpoint"):
        message = f"{error.instance!r} is not an http(s) URL"
    elif error.validator == "pattern" and path and path[-1] in ("source", "url"):
        message = (
            f"{error.instance!r} is not a source: use az://ACCOUNT/CONTAINER/PREFIX/, "
            "s3://BUCKET/PREFIX/, stac+https://HOST/PATH/catalog.json or https://… in files:"
        )
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
        wrong_shape = {  # a mapping branch whose keys the value does not have at all
            e.relative_schema_path[0]
            for e in meant
            if e.validator in ("required", "additionalProperties") and not e.relative_path
        }
        meant = [e for e in meant if e.relative_schema_path[0] not in wrong_shape] or meant
        if not meant:
            break
        error = best_match(meant)
    return error


if __name__ == "__main__":  # regenerate the fast validators after a schema changed
    for kind in SCHEMAS:
        Path(__file__).with_name(f"_schema_{kind}.py").write_text(generated(kind))
