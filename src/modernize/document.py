"""One version of one file's text, parsed at most once per format it is read as."""

from __future__ import annotations

import ast
import difflib
from functools import cached_property
from typing import TYPE_CHECKING

from modernize.edits import LineIndex
from modernize.model import DataPath

if TYPE_CHECKING:
    from modernize.formats.dockerfile import Dockerfile
    from modernize.formats.toml import TomlDocument
    from modernize.formats.yamldoc import YamlDocument

YAML_KINDS = frozenset({"compose", "workflow", "action", "render"})


class Document:
    """What a migration receives: the text, its kind, and cached parses of it."""

    def __init__(self, path: str, kind: str, text: str) -> None:
        self.path = path
        self.kind = kind
        self.text = text

    @cached_property
    def lines(self) -> LineIndex:
        return LineIndex(self.text)

    @cached_property
    def yaml(self) -> YamlDocument:
        from modernize.formats import yamldoc

        return yamldoc.parse(self.text)

    @cached_property
    def dockerfile(self) -> Dockerfile:
        from modernize.formats import dockerfile

        return dockerfile.parse(self.text)

    @cached_property
    def toml(self) -> TomlDocument:
        from modernize.formats import toml

        return toml.parse(self.text)

    def line_of(self, offset: int) -> int:
        return self.lines.line_of(offset)

    @cached_property
    def python(self) -> ast.Module:
        """The module's syntax tree (Python's own parser; raises ParseError)."""
        from modernize.errors import ParseError

        try:
            return ast.parse(self.text, self.path)
        except SyntaxError as error:
            raise ParseError(f"invalid Python: {error.msg}", error.lineno) from error
        except (ValueError, RecursionError, MemoryError) as error:  # null bytes, deep nesting
            raise ParseError(f"invalid Python: {error}") from error

    def parse(self, *, complete: bool = False) -> None:
        """Parse as this kind's format (raising ParseError), so errors surface before migrating.

        ``complete`` also compiles Python source, which finds what only the compiler rejects
        (``return`` outside a function): the check for edited text.
        """
        if self.kind in YAML_KINDS:
            _ = self.yaml
        elif self.kind == "dockerfile":
            _ = self.dockerfile
        elif self.kind == "pyproject":
            _ = self.toml
        elif self.kind == "python":
            tree = self.python
            if complete:
                from modernize.errors import ParseError

                try:
                    compile(tree, self.path, "exec", dont_inherit=True)
                except SyntaxError as error:
                    raise ParseError(f"invalid Python: {error.msg}", error.lineno) from error
                except (ValueError, RecursionError, MemoryError) as error:
                    raise ParseError(f"invalid Python: {error}") from error

    def with_text(self, text: str) -> Document:
        return Document(self.path, self.kind, text)

    def changed_paths(self, other: Document) -> set[DataPath]:
        """Data paths whose parsed value differs between this version and ``other``."""
        if self.kind in YAML_KINDS:
            before, after = self.yaml.data(), other.yaml.data()
            return {
                path for path in before.keys() | after.keys() if before.get(path) != after.get(path)
            }
        if self.kind == "pyproject":
            old, new = self.toml.data(), other.toml.data()
            return {path for path in old.keys() | new.keys() if old.get(path) != new.get(path)}
        if self.kind == "dockerfile":
            changed: set[DataPath] = set()
            if self.dockerfile.directives != other.dockerfile.directives:
                changed.add(("directive",))
            old_data, new_data = self.dockerfile.data(), other.dockerfile.data()
            if len(old_data) == len(new_data):
                # Edits that keep every instruction compare position by position: aligning
                # them could pair an edited FROM with an identical one elsewhere.
                changed.update(
                    ("instruction", index)
                    for index, (old, new) in enumerate(zip(old_data, new_data, strict=True))
                    if old != new
                )
                return changed
            matcher = difflib.SequenceMatcher(None, old_data, new_data, autojunk=False)
            for tag, i1, i2, _j1, _j2 in matcher.get_opcodes():
                if tag != "equal":
                    changed.update(("instruction", index) for index in range(i1, max(i2, i1 + 1)))
            return changed
        return {("line", index) for index in changed_lines(self.text, other.text)}


#: How far ahead ``changed_lines`` looks for the two texts to agree again.
RESYNC_WINDOW = 64


def changed_lines(old: str, new: str) -> set[int]:
    """Indexes of the old text's lines that a line diff reports changed (a deletion or an
    insertion counts against the old line at that place).

    Edits are few and local, so a walk that re-synchronises on the nearest two agreeing lines
    is linear; where it finds no agreement within the window, difflib decides the rest.
    """
    a, b = old.splitlines(), new.splitlines()
    changed: set[int] = set()
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            i += 1
            j += 1
            continue
        step = _resync(a, b, i, j)
        if step is None:
            matcher = difflib.SequenceMatcher(None, a[i:], b[j:], autojunk=False)
            for tag, i1, i2, _j1, _j2 in matcher.get_opcodes():
                if tag != "equal":
                    changed.update(range(i + i1, i + max(i2, i1 + 1)))
            return changed
        skip_old, skip_new = step
        changed.update(range(i, i + max(skip_old, 1)))
        i += skip_old
        j += skip_new
    if i < len(a) or j < len(b):
        changed.update(range(i, max(len(a), i + 1)))
    return changed


def _resync(a: list[str], b: list[str], i: int, j: int) -> tuple[int, int] | None:
    """The smallest (skip in a, skip in b) after which both agree again (or both end)."""
    for distance in range(1, 2 * RESYNC_WINDOW + 1):
        for skip_old in range(max(0, distance - RESYNC_WINDOW), min(distance, RESYNC_WINDOW) + 1):
            skip_new = distance - skip_old
            x, y = i + skip_old, j + skip_new
            if x > len(a) or y > len(b):
                continue
            if x == len(a) or y == len(b):
                if x == len(a) and y == len(b):
                    return skip_old, skip_new
                continue
            if a[x] == b[y]:
                return skip_old, skip_new
    return None
