"""A file's data as a tree, as every format gives it for the proof: branches (mappings and
lists) and leaves (scalar values), where each leaf is spelled in the text, and the tree
flattened to paths. The engine's proof (``engine.proof``) replays edits on it; the formats
build it, so it lives with them.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Protocol

from modernize.model import DataPath
from modernize.records import record


class Leaf:
    """A scalar value (its representation is the format's: YAML keeps the tag with it)."""

    __slots__ = ("value",)

    def __init__(self, value: Hashable) -> None:
        self.value = value


class Branch:
    """A mapping (``children`` a dict) or a list (``children`` a list); ``marker`` says which
    and carries what else the format records of it (a YAML tag)."""

    __slots__ = ("children", "marker")

    def __init__(self, marker: Hashable, children: dict[Hashable, Node] | list[Node]) -> None:
        self.marker = marker
        self.children = children


Node = Leaf | Branch


@record(frozen=True)
class LeafSource:
    """Where a leaf's value is spelled in the text: ``(text_start, text_end, value_start)``
    segments, each ``text[text_start:text_end] == value[value_start:…]`` of the same length."""

    value: str
    segments: Sequence[tuple[int, int, int]]


class DataModel(Protocol):
    """What the proof needs of a file kind."""

    def tree(self) -> Node:
        """A fresh tree of the file's data (operations change it)."""
        ...

    def leaf_source(self, path: DataPath, start: int, end: int) -> tuple[DataPath, LeafSource]:
        """The leaf at ``path``, or under it, whose source holds ``text[start:end]``, with that
        source; raise ProofError when there is none."""
        ...

    def leaf(self, path: DataPath | None, old: Hashable, value: str, in_place: bool) -> Hashable:
        """The leaf value a string becomes where ``old`` was, at ``path`` (None: a new list
        element): ``in_place`` when the text was edited inside the old value's source (a YAML
        plain scalar may resolve to another type), else a value written as a string."""
        ...

    def branch(self, old: Node, values: tuple[str, ...]) -> Node:
        """A list of string leaves in place of ``old``."""
        ...


def flatten(root: Node) -> dict[DataPath, Hashable]:
    """Every path of the tree with its leaf value or branch marker; a node seen before is
    ``("alias", first path)``. Iterative: data nests as deep as the parser allows."""
    flat: dict[DataPath, Hashable] = {}
    seen: dict[int, DataPath] = {}
    stack: list[tuple[DataPath, Node]] = [((), root)]
    while stack:
        path, node = stack.pop()
        first = seen.get(id(node))
        if first is not None:
            flat[path] = ("alias", first)
            continue
        seen[id(node)] = path
        if isinstance(node, Leaf):
            flat[path] = node.value
            continue
        flat[path] = node.marker
        children = node.children
        pairs = children.items() if isinstance(children, dict) else enumerate(children)
        stack.extend(reversed([((*path, key), child) for key, child in pairs]))
    return flat


def shown(path: DataPath) -> str:
    return ".".join(str(part) for part in path) or "(the whole file)"
