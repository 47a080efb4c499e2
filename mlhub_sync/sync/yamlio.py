"""YAML in and out: libyaml's C parser and emitter when present (8 times faster here than the
pure-Python ones), each document parsed once, bounded in size and depth, aliases refused.

Parsing keeps the node tree, so an error found later (by the schema) can still be reported as
``file:line:column`` without a second parse; positions are looked up only when needed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from ..exceptions import ConfigError

Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Dumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
MAX_DEPTH = 32  # our documents nest five levels; deeper is a mistake or an attack
# A lock of 100,000 archives is about 1.5 million parser events; a file list is one event.
MAX_EVENTS = 3_000_000
Position = tuple[int, int]  # 1-based line and column
JsonPath = tuple[str | int, ...]


class Document:
    """A parsed YAML document: its data, and where each of its parts was written."""

    def __init__(self, source: str, data: Any, root: yaml.Node | None) -> None:
        self.source = source
        self.data = data
        self._root = root

    def position(self, path: JsonPath, key: bool = False) -> Position:
        """Where the value at ``path`` starts (``key``: its mapping key), or the closest
        enclosing value's position when the path does not reach that far."""
        node, found = self._root, (1, 1)
        if node is None:
            return found
        found = _mark(node)
        for depth, part in enumerate(path):
            child = _child(node, part)
            if child is None:
                return found
            key_node, node = child
            last = depth == len(path) - 1
            found = _mark(key_node if (key and last and key_node is not None) else node)
        return found

    def where(self, path: JsonPath, key: bool = False) -> str:
        line, column = self.position(path, key)
        return f"{self.source}:{line}:{column}"


def _mark(node: yaml.Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node | None, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == part:
                return key_node, value_node
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return None, node.value[part]
    return None


def parse(raw: bytes, source: str, max_events: int = MAX_EVENTS) -> Document:
    """Parse YAML bytes from ``source``; every problem is a one-line ``ConfigError``.

    Before any node is built, the parser's events are counted (in bounded memory): a small
    document of many tiny nodes (``[a,a,a,…]``) would otherwise take gigabytes as a tree.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{source}: not UTF-8 text (byte {exc.start})") from None
    loader = Loader(text)
    try:
        _count_events(text, source, max_events)
        root = loader.get_single_node()
        if root is not None:
            _check_tree(root, source)
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"
        raise ConfigError(f"{source}:{where}: invalid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: invalid YAML: {exc}") from None
    except ValueError as exc:  # a value the constructor refuses: a 5,000-digit integer, say
        raise ConfigError(f"{source}: a value cannot be read: {str(exc)[:120]}") from None
    finally:
        loader.dispose()
    return Document(source, data, root)


def _count_events(text: str, source: str, limit: int) -> None:
    counter = Loader(text)
    try:
        count = 0
        while counter.check_event():
            counter.get_event()  # type: ignore[no-untyped-call]
            count += 1
            if count > limit:
                raise ConfigError(
                    f"{source}: more than {limit:,} YAML values; far beyond any real document "
                    "of this kind, so it is refused"
                )
    finally:
        counter.dispose()


def _check_tree(root: yaml.Node, source: str) -> None:
    """No aliases, no duplicate keys, no nesting deeper than ``MAX_DEPTH`` — iteratively, so a
    hostile document cannot exhaust the stack or, through aliases, the memory."""
    seen: set[int] = set()
    for node, depth, path in _walk(root):
        if id(node) in seen:
            line, column = _mark(node)
            raise ConfigError(
                f"{source}:{line}:{column}: YAML anchors and aliases (&name, *name) are not "
                "allowed here; write the value out"
            )
        seen.add(id(node))
        if depth > MAX_DEPTH:
            line, column = _mark(node)
            raise ConfigError(f"{source}:{line}:{column}: nested more than {MAX_DEPTH} levels deep")
        if isinstance(node, yaml.MappingNode):
            keys: set[object] = set()
            for key_node, _ in node.value:
                if key_node.value in keys:
                    line, column = _mark(key_node)
                    raise ConfigError(
                        f"{source}:{line}:{column}: {render_path(path) or 'top level'}: "
                        f"duplicate key {key_node.value!r}; keep one"
                    )
                if isinstance(key_node, yaml.ScalarNode):
                    keys.add(key_node.value)


def _walk(root: yaml.Node) -> Iterator[tuple[yaml.Node, int, JsonPath]]:
    stack: list[tuple[yaml.Node, int, JsonPath]] = [(root, 0, ())]
    while stack:
        node, depth, path = stack.pop()
        yield node, depth, path
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                stack.append((value_node, depth + 1, (*path, str(key_node.value))))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                stack.append((item, depth + 1, (*path, index)))


def render_path(path: JsonPath) -> str:
    """``("datasets", 2, "if_exists")`` → ``datasets[2].if_exists``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def dump(data: Any) -> str:
    """Block-style YAML, keys in the order given (deterministic: locks diff line by line)."""
    return yaml.dump(
        data,
        Dumper=Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
