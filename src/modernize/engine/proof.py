"""Replay the data operations edits declare on the original data, for the proof to compare.

Each file kind gives its data as a tree (``DataModel.tree``): branches (mappings and lists)
and leaves (scalar values). The operations of every edit (``model.Operation``) are applied to
the original file's tree; the edited file must parse to exactly the result. So an edit that
declares "this list element is removed" and also, through a line it left behind, changes the
element above it, fails: the element above is not what the operations say.

A node reached twice (a YAML alias) is one object in the tree, so an operation on it shows
wherever it is used, as an edit of the anchored text does; flattening records the second
sighting as a reference to the first, so comparing never expands aliases.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence
from dataclasses import field

from modernize.errors import ProofError
from modernize.formats.datatree import Branch, DataModel, Leaf, LeafSource, Node, shown
from modernize.model import (
    DataPath,
    Edit,
    InPlace,
    InsertItem,
    Operation,
    RemoveItem,
    RemoveKey,
    RenameKey,
    Rewrite,
    SetValue,
)
from modernize.records import record


def _child(node: Node, key: Hashable) -> Node:
    if isinstance(node, Branch):
        children = node.children
        if isinstance(children, dict):
            if key in children:
                return children[key]
        elif isinstance(key, int) and 0 <= key < len(children):
            return children[key]
    raise ProofError(f"no value at {key!r}")


def _resolve(root: Node, path: DataPath) -> Node:
    node = root
    for key in path:
        node = _child(node, key)
    return node


@record
class _Plan:
    """Every change the operations make, gathered against the original tree's objects."""

    leaf_values: dict[int, tuple[Leaf, Hashable, DataPath]] = field(default_factory=dict)
    replaced: dict[int, tuple[Branch, Hashable, Node]] = field(default_factory=dict)
    removed_keys: list[tuple[Branch, Hashable]] = field(default_factory=list)
    renamed_keys: list[tuple[Branch, Hashable, str]] = field(default_factory=list)
    removed_items: dict[int, tuple[Branch, set[int]]] = field(default_factory=dict)
    inserted: dict[int, tuple[Branch, dict[int, list[Node]]]] = field(default_factory=dict)

    def set_leaf(self, leaf: Leaf, value: Hashable, path: DataPath) -> None:
        known = self.leaf_values.get(id(leaf))
        if known is not None and known[1] != value:
            raise ProofError(f"two edits declare different values for {shown(path)}")
        self.leaf_values[id(leaf)] = (leaf, value, path)


def expected_tree(model: DataModel, edits: Sequence[Edit]) -> Node:
    """The original data with every declared operation applied. ``edits`` are normalised
    (``edits.normalise``): an edit made for two reasons is one edit that declares both."""
    root = model.tree()
    plan = _Plan()
    in_place: dict[DataPath, tuple[LeafSource, list[Edit]]] = {}
    for edit in edits:
        for operation in edit.declares:
            if isinstance(operation, InPlace):
                leaf_path, source = model.leaf_source(operation.path, edit.start, edit.end)
                in_place.setdefault(leaf_path, (source, []))[1].append(edit)
            else:
                _gather(model, root, operation, plan)
    for leaf_path, (source, leaf_edits) in in_place.items():
        leaf = _resolve(root, leaf_path)
        if not isinstance(leaf, Leaf):
            raise ProofError(f"{shown(leaf_path)} is not a single value")
        new = _splice(source, leaf_edits, leaf_path)
        plan.set_leaf(leaf, model.leaf(leaf_path, leaf.value, new, in_place=True), leaf_path)
    for leaf, value, _path in plan.leaf_values.values():
        leaf.value = value
    for parent, key, node in plan.replaced.values():
        if isinstance(parent.children, dict):
            parent.children[key] = node
        else:
            assert isinstance(key, int)
            parent.children[key] = node
    for parent, key in plan.removed_keys:
        assert isinstance(parent.children, dict)
        parent.children.pop(key, None)
    for parent, key, new in plan.renamed_keys:
        assert isinstance(parent.children, dict)
        if new in parent.children:
            raise ProofError(f"a key is renamed to {new!r}, which its mapping already has")
        parent.children[new] = parent.children.pop(key)
    for key in plan.removed_items.keys() | plan.inserted.keys():
        sequence = (plan.removed_items.get(key) or plan.inserted[key])[0]
        gone = plan.removed_items.get(key, (sequence, set()))[1]
        added = plan.inserted.get(key, (sequence, {}))[1]
        old = sequence.children
        assert isinstance(old, list)
        rebuilt: list[Node] = []
        for index in range(len(old) + 1):
            rebuilt.extend(added.get(index, ()))
            if index < len(old) and index not in gone:
                rebuilt.append(old[index])
        sequence.children = rebuilt
    return root


def _gather(model: DataModel, root: Node, operation: Operation, plan: _Plan) -> None:
    path = operation.path
    if isinstance(operation, Rewrite):
        raise ProofError(f"an edit of {shown(path)} declares no exact operation")
    if not path:
        raise ProofError("an edit declares an operation on the whole file")
    parent = _resolve(root, path[:-1])
    key = path[-1]
    if isinstance(operation, InsertItem):
        if not isinstance(parent, Branch) or not isinstance(parent.children, list):
            raise ProofError(f"{shown(path[:-1])} is not a list")
        if not isinstance(key, int) or not 0 <= key <= len(parent.children):
            raise ProofError(f"no place {key!r} in {shown(path[:-1])}")
        new_leaf = Leaf(model.leaf(None, None, operation.value, in_place=False))
        plan.inserted.setdefault(id(parent), (parent, {}))[1].setdefault(key, []).append(new_leaf)
        return
    node = _child(parent, key)
    assert isinstance(parent, Branch)
    if isinstance(operation, RemoveItem):
        if not isinstance(parent.children, list):
            raise ProofError(f"{shown(path[:-1])} is not a list")
        assert isinstance(key, int)
        plan.removed_items.setdefault(id(parent), (parent, set()))[1].add(key)
    elif isinstance(operation, RemoveKey):
        if not isinstance(parent.children, dict):
            raise ProofError(f"{shown(path[:-1])} is not a mapping")
        plan.removed_keys.append((parent, key))
    elif isinstance(operation, RenameKey):
        if not isinstance(parent.children, dict):
            raise ProofError(f"{shown(path[:-1])} is not a mapping")
        plan.renamed_keys.append((parent, key, operation.new))
    elif isinstance(operation, SetValue):
        if isinstance(operation.value, tuple):
            plan.replaced[id(node)] = (parent, key, model.branch(node, operation.value))
        elif isinstance(node, Leaf):
            plan.set_leaf(node, model.leaf(path, node.value, operation.value, in_place=False), path)
        else:
            raise ProofError(f"{shown(path)} is not a single value")


def _splice(source: LeafSource, edits: list[Edit], path: DataPath) -> str:
    """The leaf's value with the edits, which lie inside its source, applied."""
    value = source.value
    placed: list[tuple[int, int, str]] = []
    for edit in edits:
        for text_start, text_end, value_start in source.segments:
            if text_start <= edit.start and edit.end <= text_end:
                offset = value_start - text_start
                placed.append((edit.start + offset, edit.end + offset, edit.replacement))
                break
        else:
            raise ProofError(f"an edit at offset {edit.start} is not inside {shown(path)}")
    for start, end, replacement in sorted(placed, reverse=True):
        value = value[:start] + replacement + value[end:]
    return value


def differences(expected: Node, actual: Node) -> list[DataPath]:
    """The paths where two trees differ, in a stable order: a value or marker that differs,
    a key or item only one side has, a node met again (an alias) at another first path. The
    trees are walked side by side, without flattening either. Iterative, as ``flatten``."""
    found: list[DataPath] = []
    seen_before: dict[int, DataPath] = {}
    seen_after: dict[int, DataPath] = {}
    stack: list[tuple[DataPath, Node, Node]] = [((), expected, actual)]
    while stack:
        path, before, after = stack.pop()
        first_before, first_after = seen_before.get(id(before)), seen_after.get(id(after))
        if first_before is not None or first_after is not None:
            if first_before != first_after:
                found.append(path)
            continue
        seen_before[id(before)] = seen_after[id(after)] = path
        if isinstance(before, Leaf) or isinstance(after, Leaf):
            same = isinstance(before, Leaf) and isinstance(after, Leaf)
            if not same or before.value != after.value:  # type: ignore[union-attr]
                found.append(path)
            continue
        if before.marker != after.marker:
            found.append(path)
        old, new = before.children, after.children
        if isinstance(old, dict) and isinstance(new, dict):
            for key in old.keys() | new.keys():
                if key in old and key in new:
                    stack.append(((*path, key), old[key], new[key]))
                else:
                    found.append((*path, key))
        elif isinstance(old, list) and isinstance(new, list):
            for index in range(max(len(old), len(new))):
                if index < len(old) and index < len(new):
                    stack.append(((*path, index), old[index], new[index]))
                else:
                    found.append((*path, index))
        else:
            found.append(path)
    return sorted(found, key=repr)


def declared_paths(edits: Sequence[Edit]) -> Iterator[DataPath]:
    for edit in edits:
        for operation in edit.declares:
            yield operation.path
