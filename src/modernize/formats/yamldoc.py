"""Locate nodes of a YAML file by character offset, using a YAML composer only.

Nothing here constructs Python objects or dumps YAML: the composed node graph gives exact
character offsets (``start_mark.index``/``end_mark.index``), and edits are spliced into the
original text. The composer is PyYAML's libyaml binding (about 40 times faster than
ruamel.yaml's pure-Python one, with the same character offsets); its pure-Python composer is
the fallback. Migrations take the node classes from here, so the backend stays swappable.
Every walk visits each node once, so an alias is never expanded (a "billion laughs" document
costs no more than its text). Where a scalar's value is spelled in the text (quotes, block
scalars, folded lines) is ``formats.yaml_scalars``, re-exported here.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import field
from typing import TYPE_CHECKING

import yaml
from yaml.error import MarkedYAMLError, YAMLError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from modernize.errors import ParseError
from modernize.formats.yaml_scalars import scalar_segments as scalar_segments
from modernize.formats.yaml_scalars import scalar_span as scalar_span
from modernize.lazy import lazy_pattern
from modernize.model import DataPath
from modernize.records import record

if TYPE_CHECKING:
    from modernize.formats import datatree
    from modernize.formats.datatree import LeafSource

MERGE_KEY = "<<"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
STR_TAG = "tag:yaml.org,2002:str"
SEQ_TAG = "tag:yaml.org,2002:seq"
_STANDARD_TAGS = "tag:yaml.org,2002:"
_RESOLVER = yaml.resolver.Resolver()


def _implicit_tag(value: str) -> str:
    """The tag a plain scalar with this text resolves to (``3.10`` is a float)."""
    return str(_RESOLVER.resolve(ScalarNode, value, (True, False)))  # type: ignore[no-untyped-call]


__all__ = ["MappingNode", "Node", "ScalarNode", "SequenceNode"]


@record
class YamlDocument:
    """All documents of one YAML file, with the data path of every node (first sighting).

    It is also the file's data model for the proof (``datatree.DataModel``): the path
    of a node is the document's number, then a key or an index per level.
    """

    text: str
    roots: list[Node]
    _paths: dict[int, DataPath] = field(default_factory=dict)
    _nodes: dict[DataPath, Node] = field(default_factory=dict)
    _walked: bool = False
    _every: list[tuple[DataPath, Node]] | None = None

    def walk(self) -> Iterator[tuple[DataPath, Node]]:
        """Every node once, depth first, with its data path; aliases are not re-entered. The
        walk is made once: several migrations look for images or keys in the same file."""
        if self._every is None:
            seen: set[int] = set()
            self._every = [
                pair
                for number, root in enumerate(self.roots)
                for pair in _walk(root, (number,), seen)
            ]
        return iter(self._every)

    def _index(self) -> None:
        if not self._walked:
            for path, found in self.walk():
                self._paths[id(found)] = path
                self._nodes[path] = found
            self._walked = True

    def path_of(self, node: Node) -> DataPath:
        self._index()
        return self._paths[id(node)]

    def node_at(self, path: DataPath) -> Node | None:
        self._index()
        return self._nodes.get(path)

    def data(self) -> dict[DataPath, Hashable]:
        """A flat view of the data: path -> scalar (tag, value) or container marker.

        A node reached a second time (through an alias) is recorded as a reference to the path
        where it was first seen, so comparing two versions never expands aliases either.
        """
        from modernize.formats.datatree import flatten

        return flatten(self.tree())

    def tree(self) -> datatree.Node:
        """The data as a fresh tree of the proof's nodes; an aliased node is one object."""
        from modernize.formats.datatree import Branch, Leaf

        made: dict[int, datatree.Node] = {}
        pending: list[Node] = []

        def made_for(node: Node) -> datatree.Node:
            known = made.get(id(node))
            if known is not None:
                return known
            built: datatree.Node
            if isinstance(node, ScalarNode):
                built = Leaf((str(node.tag), node.value))
            elif isinstance(node, MappingNode):
                built = Branch(("mapping", str(node.tag)), {})
                pending.append(node)
            else:
                built = Branch(("sequence", str(node.tag)), [])
                pending.append(node)
            made[id(node)] = built
            return built

        top = Branch("documents", [made_for(root) for root in self.roots])
        while pending:
            node = pending.pop()
            branch = made[id(node)]
            assert isinstance(branch, Branch)
            if isinstance(node, MappingNode):
                children = branch.children
                assert isinstance(children, dict)
                for key, (_key_node, value) in zip(_keys(node), node.value, strict=True):
                    children[key] = made_for(value)
            else:
                branch.children = [made_for(item) for item in node.value]
        return top

    def leaf_source(self, path: DataPath, start: int, end: int) -> tuple[DataPath, LeafSource]:
        from modernize.errors import ProofError
        from modernize.formats.datatree import LeafSource, shown

        node = self.node_at(path)
        if not isinstance(node, ScalarNode):
            raise ProofError(f"{shown(path)} is not a single value")
        segments = scalar_segments(self.text, node)
        if segments is None:
            raise ProofError(f"{shown(path)} is written in a form that cannot be edited in place")
        return path, LeafSource(str(node.value), segments)

    def leaf(self, path: DataPath | None, old: Hashable, value: str, in_place: bool) -> Hashable:
        """A string where ``old`` (a ``(tag, value)`` pair, None for a new list element) was.

        A custom tag (``!reset``) stays. Written as a string, the value is a string; edited in
        place, a plain scalar that resolved by its text resolves again (``14`` -> ``16`` is
        still an int), anything else keeps its tag."""
        if not isinstance(old, tuple):
            return (STR_TAG, value)
        tag, old_value = old
        if not str(tag).startswith(_STANDARD_TAGS):
            return (tag, value)
        if in_place:
            node = self.node_at(path) if path is not None else None
            plain = isinstance(node, ScalarNode) and not node.style
            if plain and tag == _implicit_tag(str(old_value)):
                return (_implicit_tag(value), value)
            return (tag, value)
        return (STR_TAG, value)

    def branch(self, old: datatree.Node, values: tuple[str, ...]) -> datatree.Node:
        from modernize.formats.datatree import Branch, Leaf

        return Branch(("sequence", SEQ_TAG), [Leaf((STR_TAG, value)) for value in values])


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


def _keys(mapping: MappingNode) -> list[Hashable]:
    """The data path part of each key of a mapping: a scalar key's value. A complex key (a
    mapping or list as key) is ``("<complex key>", n)``, the n-th of them, and a repeated
    ``<<`` is ``("<<", n)``: counted among their own kind, so removing another key never
    renames them."""
    keys: list[Hashable] = []
    complex_keys = merges = 0
    for key, _value in mapping.value:
        if not isinstance(key, ScalarNode):
            keys.append(("<complex key>", complex_keys))
            complex_keys += 1
        elif key.value == MERGE_KEY:
            keys.append(MERGE_KEY if not merges else (MERGE_KEY, merges))
            merges += 1
        else:
            keys.append(key.value)
    return keys


def _walk(node: Node, path: DataPath, seen: set[int]) -> Iterator[tuple[DataPath, Node]]:
    if id(node) in seen:
        return
    seen.add(id(node))
    yield path, node
    if isinstance(node, MappingNode):
        for key, (_key_node, value) in zip(_keys(node), node.value, strict=True):
            yield from _walk(value, (*path, key), seen)
    elif isinstance(node, SequenceNode):
        for position, item in enumerate(node.value):
            yield from _walk(item, (*path, position), seen)


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


def scalar_token_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of every scalar as the scanner reads it, keys included, quotes and
    block scalar bodies within: a ``#`` inside one is data, any other that starts a word is a
    comment."""
    return [
        (token.start_mark.index, token.end_mark.index)
        for token in yaml.scan(text, Loader=_LOADER)
        if isinstance(token, yaml.ScalarToken)
    ]


_ANCHOR = lazy_pattern(r"(?:![^\s]*[ \t]+)?&")


def anchored(text: str, node: Node) -> bool:
    """Whether ``node`` is written with an anchor (``&old "3.10"``): other places may use it
    through an alias, so changing it changes them too."""
    return _ANCHOR.match(text, node.start_mark.index) is not None


def line_of(node: Node) -> int:
    return int(node.start_mark.line) + 1


_ANCHOR_NAME_END = lazy_pattern(r"[\s,\[\]{}]|$")


def text_end(document: YamlDocument, node: Node, path: DataPath, start: int) -> int:
    """Offset just past the last character of ``node``'s text where it occurs at ``path``,
    which begins at or after ``start``.

    A node met again through an alias is the anchored node, whose marks are those of the
    anchor, earlier in the file: at such an occurrence (its path is not its first sighting's)
    the text is the ``*name``. A block scalar ends at its last character, not after the blank
    lines its end mark takes in. Only the last child of each level is followed."""
    text = document.text
    floor = start
    while True:
        if document.path_of(node) != path:  # an alias: ``*name`` after ``start``
            star = text.find("*", start)
            if star < 0:
                return max(floor, start)
            name_end = _ANCHOR_NAME_END.search(text, star + 1)
            return max(floor, name_end.start() if name_end else len(text))
        if (
            isinstance(node, ScalarNode)
            or not isinstance(node, (MappingNode, SequenceNode))
            or node.flow_style
            or not node.value
        ):
            end = node.end_mark.index
            if isinstance(node, ScalarNode) and node.style in ("|", ">"):
                while end > node.start_mark.index and text[end - 1] in " \t\r\n":
                    end -= 1
            return max(floor, end)
        if isinstance(node, MappingNode):
            key, value = node.value[-1]
            # A key is a plain scalar in practice; its own end is where its value may begin.
            key_end = key.end_mark.index if isinstance(key, ScalarNode) else start
            floor = max(floor, key_end)
            path = (*path, _keys(node)[-1])
            node, start = value, key_end
        else:
            items = node.value
            previous = (
                text_end(document, items[-2], (*path, len(items) - 2), start)
                if len(items) > 1
                else node.start_mark.index
            )
            path = (*path, len(items) - 1)
            node, start = items[-1], previous
