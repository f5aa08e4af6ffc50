"""Locate TOML keys and values by offset; tomllib (tomli) gives the data for verification.

The scanner knows just enough TOML to find ``key = value`` pairs under their table headers and
the extent of every value (strings of all four kinds, arrays and inline tables spanning lines,
comments). It never rewrites anything.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Hashable, Iterable, Iterator
from functools import cached_property
from typing import TYPE_CHECKING, Any

from modernize.errors import ParseError
from modernize.lazy import lazy_pattern
from modernize.model import DataPath
from modernize.records import record

if TYPE_CHECKING:
    from modernize.formats import datatree
    from modernize.formats.datatree import LeafSource

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_KEY = lazy_pattern(rf"[ \t]*({_KEY_PART}(?:[ \t]*\.[ \t]*{_KEY_PART})*)[ \t]*=[ \t]*")
_HEADER = lazy_pattern(
    rf"[ \t]*(\[\[?)[ \t]*({_KEY_PART}(?:[ \t]*\.[ \t]*{_KEY_PART})*)[ \t]*\]\]?"
)
_SPLIT_KEY = lazy_pattern(rf"{_KEY_PART}")


@record(frozen=True)
class Value:
    """A located value: ``text[start:end]`` is its exact source."""

    path: tuple[str, ...]
    start: int
    end: int


@record(frozen=True)
class StringItem:
    """A string inside an array (or a string value): content span excludes the quotes."""

    value: str
    start: int  # of the opening quote
    end: int  # after the closing quote
    quote: str


def _key_parts(key: str) -> tuple[str, ...]:
    parts = []
    for match in _SPLIT_KEY.finditer(key):
        part = match.group()
        if part[0] == '"' and "\\" in part:
            part = _basic_key(part)
        elif part[0] in "\"'":
            part = part[1:-1]
        parts.append(part)
    return tuple(parts)


def _basic_key(part: str) -> str:
    """A quoted key with escapes (``"\\u006dodernize"``), as TOML reads it."""
    try:
        return next(iter(tomllib.loads(f"{part} = 0")))
    except tomllib.TOMLDecodeError:
        return part[1:-1]


def _string_end(text: str, start: int) -> int:
    """Offset after the string literal starting at ``start``."""
    for quote in ('"""', "'''"):
        if text.startswith(quote, start):
            end = text.find(quote, start + 3)
            while end >= 0 and quote == '"""' and _escaped(text, end):
                end = text.find(quote, end + 1)
            if end < 0:
                raise ParseError("unterminated multi-line string", text.count("\n", 0, start) + 1)
            end += 3
            while text.startswith(quote[0], end):  # up to two quotes may close the string
                end += 1
            return end
    quote = text[start]
    position = start + 1
    while position < len(text) and text[position] not in "\n":
        if quote == '"' and text[position] == "\\":
            position += 2
            continue
        if text[position] == quote:
            return position + 1
        position += 1
    raise ParseError("unterminated string", text.count("\n", 0, start) + 1)


def _escaped(text: str, position: int) -> bool:
    backslashes = 0
    while position - backslashes - 1 >= 0 and text[position - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _value_end(text: str, start: int) -> int:
    """Offset after the value starting at ``start`` (comments inside arrays skipped)."""
    depth = 0
    position = start
    while position < len(text):
        char = text[position]
        if char in "\"'":
            position = _string_end(text, position)
            if depth == 0:
                return position
            continue
        if char == "#":
            newline = text.find("\n", position)
            if depth == 0:
                return _trim(text, start, position)
            position = len(text) if newline < 0 else newline
            continue
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return position + 1
        elif char in "\r\n" and depth == 0:
            return _trim(text, start, position)
        position += 1
    return _trim(text, start, position)


def _trim(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " \t":
        end -= 1
    return end


def locate(text: str) -> dict[tuple[str, ...], Value]:
    """Every ``key = value`` of the document by full dotted path (first occurrence wins)."""
    found: dict[tuple[str, ...], Value] = {}
    for is_header, value in _scan(text):
        if not is_header:
            found.setdefault(value.path, value)
    return found


def locate_indexed(text: str) -> dict[tuple[str | int, ...], Value]:
    """As ``locate``, with the index of each array-of-tables element in the path, as the data
    has it: ``[[tool.hatch.envs.test.matrix]]``'s second ``python`` is at ``(…, "matrix", 1,
    "python")``."""
    counts: dict[tuple[str, ...], int] = {}
    found: dict[tuple[str | int, ...], Value] = {}

    def indexed(raw: tuple[str, ...]) -> tuple[str | int, ...]:
        path: list[str | int] = []
        for length in range(1, len(raw) + 1):
            path.append(raw[length - 1])
            if raw[:length] in counts:
                path.append(counts[raw[:length]])
        return tuple(path)

    for is_header, value in _scan(text):
        if is_header:
            if text.startswith("[[", value.start):
                for deeper in [key for key in counts if key[: len(value.path)] == value.path]:
                    if len(deeper) > len(value.path):
                        del counts[deeper]  # a new element starts its own nested arrays
                counts[value.path] = counts.get(value.path, -1) + 1
            continue
        path = indexed(value.path)
        found.setdefault(path, Value(path, value.start, value.end))  # type: ignore[arg-type]
    return found


def table_headers(text: str) -> dict[tuple[str, ...], int]:
    """The offset of each table header (``[a.b]``, ``[[a.b]]``) by its dotted path (first
    occurrence wins)."""
    found: dict[tuple[str, ...], int] = {}
    for is_header, value in _scan(text):
        if is_header:
            found.setdefault(value.path, value.start)
    return found


def _scan(text: str) -> Iterator[tuple[bool, Value]]:
    """Each table header (True) and each ``key = value`` (False), in order; a header's span is
    the header's own, a key's that of its value."""
    table: tuple[str, ...] = ()
    position = 0
    while position < len(text):
        newline = text.find("\n", position)
        line_end = len(text) if newline < 0 else newline
        stripped = text[position:line_end].strip()
        if not stripped or stripped.startswith("#"):
            position = line_end + 1
            continue
        header = _HEADER.match(text, position, line_end)
        if header and not _KEY.match(text, position, line_end):
            table = _key_parts(header.group(2))
            yield True, Value(table, header.start(1), header.end())
            position = line_end + 1
            continue
        key = _KEY.match(text, position, line_end)
        if key is None:
            position = line_end + 1
            continue
        value_start = key.end()
        value_end = _value_end(text, value_start)
        yield False, Value(table + _key_parts(key.group(1)), value_start, value_end)
        after = text.find("\n", value_end)
        position = len(text) if after < 0 else after + 1


def string_spans(text: str, value: Value) -> list[tuple[int, int]]:
    """The (start, end) of every string literal inside ``value``, at any depth (a ``#`` inside
    one is data; any other is a comment)."""
    spans = []
    position = value.start
    while position < value.end:
        char = text[position]
        if char in "\"'":
            end = _string_end(text, position)
            spans.append((position, end))
            position = end
        elif char == "#":
            newline = text.find("\n", position, value.end)
            position = value.end if newline < 0 else newline
        else:
            position += 1
    return spans


def strings_in(text: str, value: Value) -> list[StringItem]:
    """The string literals directly inside an array value, or the value itself if a string."""
    items: list[StringItem] = []
    position = value.start
    depth = 0
    while position < value.end:
        char = text[position]
        if char in "\"'":
            end = _string_end(text, position)
            if depth <= 1:
                quote = (
                    text[position : position + 3] if text.startswith(char * 3, position) else char
                )
                items.append(
                    StringItem(text[position + len(quote) : end - len(quote)], position, end, quote)
                )
            position = end
            continue
        if char == "#":
            newline = text.find("\n", position, value.end)
            position = value.end if newline < 0 else newline
            continue
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        position += 1
    return items


@record
class TomlDocument:
    """The parsed document; also its data model for the proof (``datatree.DataModel``), whose
    paths are keys and array indexes from the top table."""

    text: str
    data_tree: dict[str, Any]

    def data(self) -> dict[DataPath, Hashable]:
        from modernize.formats.datatree import flatten

        return flatten(self.tree())

    def tree(self) -> datatree.Node:
        from modernize.formats.datatree import Branch, Leaf

        def made(value: Any) -> datatree.Node:
            if isinstance(value, dict):
                return Branch("table", {})
            if isinstance(value, list):
                return Branch("array", [])
            return Leaf(_leaf_value(value))

        top = made(self.data_tree)
        pending: list[tuple[Any, datatree.Node]] = [(self.data_tree, top)]
        while pending:  # iterative: arrays may nest deeply
            value, node = pending.pop()
            assert isinstance(node, Branch)
            children = node.children
            pairs = value.items() if isinstance(value, dict) else enumerate(value)
            for key, child in pairs:
                child_node = made(child)
                if isinstance(children, dict):
                    children[key] = child_node
                else:
                    children.append(child_node)
                if isinstance(child_node, Branch):
                    pending.append((child, child_node))
        return top

    @cached_property
    def located(self) -> dict[tuple[str, ...], Value]:
        return locate(self.text)

    def leaf_source(self, path: DataPath, start: int, end: int) -> tuple[DataPath, LeafSource]:
        """A string value, or a string in an array of strings, written as it reads (a literal
        string, or a basic one without escapes)."""
        from modernize.errors import ProofError
        from modernize.formats.datatree import LeafSource, shown

        item: StringItem | None = None
        value = self.located.get(path)  # type: ignore[arg-type]
        if value is not None:
            items = strings_in(self.text, value)
            if len(items) == 1 and (items[0].start, items[0].end) == (value.start, value.end):
                item = items[0]
        elif path and isinstance(path[-1], int):
            array = self.located.get(path[:-1])  # type: ignore[arg-type]
            data = data_at(self.data_tree, path[:-1])
            if array is not None and isinstance(data, list):
                items = strings_in(self.text, array)
                if len(items) == len(data) and 0 <= path[-1] < len(items):
                    item = items[path[-1]]
        data = data_at(self.data_tree, path)
        if item is None or not isinstance(data, str):
            raise ProofError(f"{shown(path)} is not a string this tool can edit in place")
        content_start = item.start + len(item.quote)
        content_end = item.end - len(item.quote)
        if len(item.quote) == 3:  # a newline right after the opening quotes is not content
            for newline in ("\r\n", "\n"):
                if self.text.startswith(newline, content_start):
                    content_start += len(newline)
                    break
        if self.text[content_start:content_end] != data:
            raise ProofError(f"{shown(path)} is written with escapes; not edited in place")
        return path, LeafSource(data, [(content_start, content_end, 0)])

    def leaf(self, path: DataPath | None, old: Hashable, value: str, in_place: bool) -> Hashable:
        return _leaf_value(value)

    def branch(self, old: datatree.Node, values: tuple[str, ...]) -> datatree.Node:
        from modernize.formats.datatree import Branch, Leaf

        return Branch("array", [Leaf(_leaf_value(value)) for value in values])


def _leaf_value(value: Any) -> Hashable:
    return (type(value).__name__, repr(value))


def data_at(tree: Any, path: DataPath) -> Any:
    """The value at ``path`` (keys and array indexes) in parsed TOML data, or None."""
    for key in path:
        in_table = isinstance(tree, dict) and key in tree
        in_array = isinstance(tree, list) and isinstance(key, int) and 0 <= key < len(tree)
        if not (in_table or in_array):
            return None
        tree = tree[key]
    return tree


#: The deepest nesting of arrays and tables read: what the migrations walk recursively stays
#: far from Python's recursion limit, so a file's outcome never depends on how deep the call
#: stack already is (as PyYAML's own fixed limit does for YAML).
MOST_NESTED = 100
_TOO_NESTED = f"invalid TOML: nested more than {MOST_NESTED} deep"


def _nesting(data: object) -> int:
    """How deeply arrays and tables nest in ``data`` (iterative: it may be deeper than the
    stack allows)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Iterable[object] = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, depth + 1)
        stack.extend((child, depth + 1) for child in children)
    return deepest


def parse(text: str) -> TomlDocument:
    try:
        data = tomllib.loads(text)
    except RecursionError as error:
        raise ParseError(_TOO_NESTED, None) from error
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line ([0-9]+)", str(error))
        raise ParseError(
            f"invalid TOML: {error}", int(match.group(1)) if match else None
        ) from error
    except ValueError as error:  # an integer of more digits than Python converts (4,300)
        message = "cannot read this TOML: an integer has more digits than Python reads (4,300)"
        raise ParseError(message, None) from error
    if _nesting(data) > MOST_NESTED:
        raise ParseError(_TOO_NESTED, None)
    return TomlDocument(text, data)
