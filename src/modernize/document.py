"""One version of one file's text, parsed at most once per format it is read as."""

from __future__ import annotations

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

    def parse(self) -> None:
        """Parse as this kind's format (raising ParseError), so errors surface before migrating."""
        if self.kind in YAML_KINDS:
            _ = self.yaml
        elif self.kind == "dockerfile":
            _ = self.dockerfile
        elif self.kind == "pyproject":
            _ = self.toml
        elif self.kind == "python":
            self._compile()

    def _compile(self) -> None:
        from modernize.errors import ParseError

        try:
            compile(self.text, self.path, "exec", dont_inherit=True)
        except SyntaxError as error:
            raise ParseError(f"invalid Python: {error.msg}", error.lineno) from error
        except ValueError as error:  # null bytes
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
        old_lines = self.text.splitlines()
        new_lines = other.text.splitlines()
        line_matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
        return {
            ("line", index)
            for tag, i1, i2, _j1, _j2 in line_matcher.get_opcodes()
            if tag != "equal"
            for index in range(i1, max(i2, i1 + 1))
        }
