"""Locate nodes of a YAML file by character offset, using a YAML composer only.

Nothing here constructs Python objects or dumps YAML: the composed node graph gives exact
character offsets (``start_mark.index``/``end_mark.index``), and edits are spliced into the
original text. The composer is PyYAML's libyaml binding (about 40 times faster than
ruamel.yaml's pure-Python one, with the same character offsets); its pure-Python composer is
the fallback. Migrations take the node classes from here, so the backend stays swappable.
Every walk visits each node once, so an alias is never expanded (a "billion laughs" document
costs no more than its text).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field

import yaml
from yaml.error import MarkedYAMLError, YAMLError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from modernize.errors import ParseError
from modernize.model import DataPath

MERGE_KEY = "<<"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

__all__ = ["MappingNode", "Node", "ScalarNode", "SequenceNode"]


@dataclass
class YamlDocument:
    """All documents of one YAML file, with the data path of every node (first sighting)."""

    text: str
    roots: list[Node]
    _paths: dict[int, DataPath] = field(default_factory=dict)
    _walked: bool = False

    def walk(self) -> Iterator[tuple[DataPath, Node]]:
        """Every node once, depth first, with its data path; aliases are not re-entered."""
        seen: set[int] = set()
        for number, root in enumerate(self.roots):
            yield from _walk(root, (number,), seen)

    def path_of(self, node: Node) -> DataPath:
        if not self._walked:
            self._paths = {id(found): path for path, found in self.walk()}
            self._walked = True
        return self._paths[id(node)]

    def data(self) -> dict[DataPath, Hashable]:
        """A flat view of the data: path -> scalar (tag, value) or container marker.

        A node reached a second time (through an alias) is recorded as a reference to the path
        where it was first seen, so comparing two versions never expands aliases either.
        """
        flat: dict[DataPath, Hashable] = {}
        seen: dict[int, DataPath] = {}
        for number, root in enumerate(self.roots):
            _flatten(root, (number,), seen, flat)
        return flat


def parse(text: str) -> YamlDocument:
    try:
        roots = list(yaml.compose_all(text, Loader=_LOADER))
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = error.problem or error.context or "invalid YAML"
        raise ParseError(f"invalid YAML: {problem}", line) from error
    except YAMLError as error:
        raise ParseError(f"invalid YAML: {error}") from error
    except RecursionError as error:
        raise ParseError("invalid YAML: nested too deeply") from error
    document = YamlDocument(text, [root for root in roots if root is not None])
    try:
        _check_duplicate_keys(document)
    except RecursionError as error:
        raise ParseError("invalid YAML: nested too deeply") from error
    return document


def _check_duplicate_keys(document: YamlDocument) -> None:
    """Raise ParseError at the first line (in the text) where a mapping repeats a key. A loop
    over a stack, not the walk: this runs on every file, and needs no data paths."""
    first: ScalarNode | None = None
    seen: set[int] = set()
    stack: list[Node] = list(document.roots)
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            keys: set[str] = set()
            for key, value in node.value:
                stack.append(value)
                if not isinstance(key, ScalarNode) or key.value == MERGE_KEY:
                    continue
                if key.value in keys and (
                    first is None or key.start_mark.index < first.start_mark.index
                ):
                    first = key
                keys.add(key.value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    if first is not None:
        raise ParseError(f"duplicate key {first.value!r}", first.start_mark.line + 1)


def _key_of(key: Node, position: int) -> Hashable:
    return key.value if isinstance(key, ScalarNode) else ("<complex key>", position)


def _walk(node: Node, path: DataPath, seen: set[int]) -> Iterator[tuple[DataPath, Node]]:
    if id(node) in seen:
        return
    seen.add(id(node))
    yield path, node
    if isinstance(node, MappingNode):
        for position, (key, value) in enumerate(node.value):
            yield from _walk(value, (*path, _key_of(key, position)), seen)
    elif isinstance(node, SequenceNode):
        for position, item in enumerate(node.value):
            yield from _walk(item, (*path, position), seen)


def _flatten(
    node: Node, path: DataPath, seen: dict[int, DataPath], flat: dict[DataPath, Hashable]
) -> None:
    if id(node) in seen:
        flat[path] = ("alias", seen[id(node)])
        return
    seen[id(node)] = path
    if isinstance(node, ScalarNode):
        flat[path] = (str(node.tag), node.value)
    elif isinstance(node, MappingNode):
        flat[path] = ("mapping", str(node.tag))
        for position, (key, value) in enumerate(node.value):
            _flatten(value, (*path, _key_of(key, position)), seen, flat)
    elif isinstance(node, SequenceNode):
        flat[path] = ("sequence", str(node.tag))
        for position, item in enumerate(node.value):
            _flatten(item, (*path, position), seen, flat)


def get(mapping: Node | None, key: str) -> Node | None:
    """The value node of ``key`` in a mapping node (own keys only), or None."""
    if not isinstance(mapping, MappingNode):
        return None
    for key_node, value in mapping.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return value  # type: ignore[no-any-return]
    return None


def key_node(mapping: Node | None, key: str) -> Node | None:
    if not isinstance(mapping, MappingNode):
        return None
    for found, _value in mapping.value:
        if isinstance(found, ScalarNode) and found.value == key:
            return found
    return None


def effective(mapping: Node | None, key: str) -> Node | None:
    """The value of ``key`` after resolving ``<<`` merges (own keys win, then merges in order)."""
    own = get(mapping, key)
    if own is not None or not isinstance(mapping, MappingNode):
        return own
    return _from_merges(mapping, key, set())


def _from_merges(mapping: MappingNode, key: str, visiting: set[int]) -> Node | None:
    if id(mapping) in visiting:
        return None
    visiting.add(id(mapping))
    merged = get(mapping, MERGE_KEY)
    sources: list[Node] = []
    if isinstance(merged, MappingNode):
        sources = [merged]
    elif isinstance(merged, SequenceNode):
        sources = list(merged.value)
    for source in sources:
        if not isinstance(source, MappingNode):
            continue
        found = get(source, key)
        if found is None:
            found = _from_merges(source, key, visiting)
        if found is not None:
            return found
    return None


def merged_items(mapping: Node | None) -> Iterator[tuple[str, Node]]:
    """Like ``items``, with the keys ``<<`` merges in (own keys win, then merges in order)."""
    seen: set[str] = set()
    for key, value in _merged_items(mapping, set()):
        if key not in seen:
            seen.add(key)
            yield key, value


def _merged_items(mapping: Node | None, visiting: set[int]) -> Iterator[tuple[str, Node]]:
    if not isinstance(mapping, MappingNode) or id(mapping) in visiting:
        return
    visiting.add(id(mapping))
    yield from items(mapping)
    merged = get(mapping, MERGE_KEY)
    sources = [merged] if isinstance(merged, MappingNode) else []
    if isinstance(merged, SequenceNode):
        sources = list(merged.value)
    for source in sources:
        yield from _merged_items(source, visiting)


def items(mapping: Node | None) -> Iterator[tuple[str, Node]]:
    """(key, value) pairs of a mapping node with scalar keys, merge keys excluded."""
    if not isinstance(mapping, MappingNode):
        return
    for key_node_, value in mapping.value:
        if isinstance(key_node_, ScalarNode) and key_node_.value != MERGE_KEY:
            yield key_node_.value, value


def scalar_span(text: str, node: Node) -> tuple[int, int] | None:
    """Offsets of a scalar's value inside the source, or None when the source spells it
    differently (escapes, folding, block scalars): such a value is never edited in place."""
    if not isinstance(node, ScalarNode):
        return None
    # The start mark sits before any anchor or tag (``&db postgres:14``, ``!reset x``), so
    # the value is located from its end.
    end = node.end_mark.index
    if node.style in ("'", '"'):
        end -= 1
        if end < 0 or text[end : end + 1] != node.style:
            return None
    elif node.style:  # block scalars; plain is None (pure composer) or "" (libyaml)
        return None
    start = end - len(node.value)
    if start < node.start_mark.index or end > len(text) or text[start:end] != node.value:
        return None
    if node.style and text[start - 1 : start] != node.style:
        return None
    return start, end


def line_of(node: Node) -> int:
    return int(node.start_mark.line) + 1
