"""JSON with comments (``//``, ``/* */``) and trailing commas, as VS Code reads
``devcontainer.json`` and pyright reads ``pyrightconfig.json``, located to the character.

A scanner walks the text once and records where each string value is written (its path of
object keys and array indexes); the data is read by Python's ``json`` from the text with its
comments and trailing commas blanked out (the same length, so offsets hold), and the proof
compares that data.
"""

from __future__ import annotations

import json
from collections.abc import Hashable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from modernize.errors import ParseError
from modernize.lazy import lazy_pattern
from modernize.model import DataPath
from modernize.records import record

if TYPE_CHECKING:
    from modernize.formats import datatree
    from modernize.formats.datatree import LeafSource

_STRING = lazy_pattern(r'"(?:[^"\\\n]|\\.)*"')
_SCALAR = lazy_pattern(r"-?[0-9][0-9.eE+\-]*|true|false|null")


@record(frozen=True)
class JsonString:
    """A string value: its content spans ``start:end`` (inside the quotes)."""

    path: DataPath
    value: str
    start: int
    end: int
    #: An object's key, not a value.
    is_key: bool = False


def _blank(text: str) -> str:
    """``text`` with its comments and trailing commas replaced by spaces (newlines kept)."""
    out = list(text)
    index, length = 0, len(text)
    last_comma: int | None = None
    while index < length:
        char = text[index]
        if char == '"':
            match = _STRING.match(text, index)
            if match is None:
                return text  # json reports where
            index = match.end()
            last_comma = None
            continue
        if text.startswith("//", index):
            end = text.find("\n", index)
            end = length if end < 0 else end
            out[index:end] = " " * (end - index)
            index = end
            continue
        if text.startswith("/*", index):
            end = text.find("*/", index + 2)
            if end < 0:
                raise ParseError("invalid JSON: a /* comment is never closed", _line(text, index))
            end += 2
            out[index:end] = [c if c in "\r\n" else " " for c in text[index:end]]
            index = end
            continue
        if char == ",":
            last_comma = index
        elif char in "}]":
            if last_comma is not None:
                out[last_comma] = " "
            last_comma = None
        elif not char.isspace():
            last_comma = None
        index += 1
    return "".join(out)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _strings(blanked: str) -> list[JsonString]:
    """Every string value of the (blanked) text with its path."""
    found: list[JsonString] = []
    stack: list[list[Any]] = []  # [container kind, current key or index, awaiting key]
    index, length = 0, len(blanked)
    while index < length:
        char = blanked[index]
        if char.isspace() or char in ",:":
            if char == "," and stack and stack[-1][0] == "array":
                stack[-1][1] += 1
            elif char == "," and stack:
                stack[-1][2] = True
            index += 1
            continue
        if char in "{[":
            stack.append(["object", None, True] if char == "{" else ["array", 0, False])
            index += 1
            continue
        if char in "}]":
            stack.pop()
            index += 1
            continue
        if char == '"':
            match = _STRING.match(blanked, index)
            assert match is not None
            if stack and stack[-1][0] == "object" and stack[-1][2]:
                stack[-1][1] = json.loads(match.group())
                stack[-1][2] = False
                path = tuple(frame[1] for frame in stack)
                found.append(
                    JsonString(path, stack[-1][1], index + 1, match.end() - 1, is_key=True)
                )
            else:
                path = tuple(frame[1] for frame in stack)
                found.append(
                    JsonString(path, json.loads(match.group()), index + 1, match.end() - 1)
                )
            index = match.end()
            continue
        scalar = _SCALAR.match(blanked, index)
        index = scalar.end() if scalar else index + 1
    return found


class JsoncDocument:
    """The parsed file; also its data model for the proof (``datatree.DataModel``), whose paths
    are object keys and array indexes."""

    def __init__(self, text: str, data: Any, blanked: str) -> None:
        self.text = text
        self.data_tree = data
        self.blanked = blanked

    @cached_property
    def strings(self) -> dict[DataPath, JsonString]:
        """The string values by path."""
        return {string.path: string for string in self.all_strings if not string.is_key}

    @cached_property
    def all_strings(self) -> list[JsonString]:
        """Every string, keys included, in order."""
        return _strings(self.blanked)

    def data(self) -> dict[DataPath, Hashable]:
        from modernize.formats.datatree import flatten

        return flatten(self.tree())

    def tree(self) -> datatree.Node:
        from modernize.formats.datatree import Branch, Leaf

        def made(value: Any) -> datatree.Node:
            if isinstance(value, dict):
                return Branch("object", {key: made(child) for key, child in value.items()})
            if isinstance(value, list):
                return Branch("array", [made(child) for child in value])
            return Leaf((type(value).__name__, repr(value)))

        return made(self.data_tree)

    def leaf_source(self, path: DataPath, start: int, end: int) -> tuple[DataPath, LeafSource]:
        from modernize.errors import ProofError
        from modernize.formats.datatree import LeafSource, shown

        string = self.strings.get(path)
        if string is None or self.text[string.start : string.end] != string.value:
            raise ProofError(f"{shown(path)} is not a string this tool can edit in place")
        if not string.start <= start <= end <= string.end:
            raise ProofError(f"the edit at offset {start} is not inside {shown(path)}")
        return path, LeafSource(string.value, [(string.start, string.end, 0)])

    def leaf(self, path: DataPath | None, old: Hashable, value: str, in_place: bool) -> Hashable:
        return ("str", repr(value))

    def branch(self, old: datatree.Node, values: tuple[str, ...]) -> datatree.Node:
        from modernize.formats.datatree import Branch, Leaf

        return Branch("array", [Leaf(("str", repr(value))) for value in values])


def parse(text: str) -> JsoncDocument:
    """The file read as JSON with comments and trailing commas (raises ParseError)."""
    blanked = _blank(text)
    try:
        data = json.loads(blanked) if blanked.strip() else {}
    except json.JSONDecodeError as error:
        raise ParseError(f"invalid JSON: {error.msg}", error.lineno) from error
    except RecursionError as error:
        raise ParseError("invalid JSON: nested too deeply") from error
    return JsoncDocument(text, data, blanked)
