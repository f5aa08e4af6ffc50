"""INI files as tox, setuptools and mypy read them: Python's ``configparser`` with its default
rules, located to the character.

``configparser`` reads the data (the proof compares what it reads); a scanner that follows the
same rules finds where each setting's value is written, line by line, so that an edit replaces
a span of the text. The rules: a line whose first non-blank character is ``#`` or ``;`` is a
comment; ``[name]`` starts a section; ``key = value`` or ``key: value`` starts a setting; a
line indented deeper than its setting's key continues the value (a blank line inside a value
is kept in it, trailing ones are not). A value's lines are joined with newlines, each with its
surrounding blanks taken off. The section ``[DEFAULT]`` is read as any other: its settings are
not copied into the others' data.
"""

from __future__ import annotations

import configparser
import re
from collections.abc import Hashable, Iterator
from functools import cached_property
from typing import TYPE_CHECKING

from modernize.errors import ParseError
from modernize.lazy import lazy_pattern
from modernize.model import DataPath
from modernize.records import record

if TYPE_CHECKING:
    from modernize.formats import datatree
    from modernize.formats.datatree import LeafSource

_SECTION = lazy_pattern(r"\[(?P<name>.+)\]")
_OPTION = lazy_pattern(r"(?P<key>.*?)\s*(?P<delimiter>[=:])\s*(?P<value>.*)$")
#: Never the name of a section, so that ``[DEFAULT]`` is read as an ordinary one.
_NO_DEFAULT = "\x00"


@record(frozen=True)
class Setting:
    """One ``key = value`` of a section, where it is written."""

    section: str
    #: As written (without the blanks around it).
    key: str
    #: The offset of its key.
    start: int
    #: The ``(start, end)`` spans of its value's lines, blanks taken off; a blank line inside
    #: the value is an empty span; the first is empty when the value starts on the next line.
    lines: tuple[tuple[int, int], ...]

    @property
    def end(self) -> int:
        """The offset just past its value's last character."""
        return max(end for _start, end in self.lines)

    def value(self, text: str) -> str:
        """Its value as ``configparser`` reads it."""
        return "\n".join(text[start:end] for start, end in self.lines).rstrip()

    def items(self, text: str) -> Iterator[tuple[int, int]]:
        """The spans of its value's words separated by commas, blanks and lines: the entries
        of a list such as ``envlist = py310, py311`` (written on one line or several)."""
        for line_start, line_end in self.lines:
            for match in re.finditer(r"[^,\s]+", text[line_start:line_end]):
                yield line_start + match.start(), line_start + match.end()


def scan(text: str) -> list[Setting]:
    """Every setting of ``text``, in order (a key set twice appears twice)."""
    found: list[Setting] = []
    section: str | None = None
    current: tuple[str, str, int, list[tuple[int, int]]] | None = None
    indent = -1
    position = 0
    for line in text.split("\n"):  # as configparser reads a string: lines end at \n only
        start = position
        position += len(line) + 1
        stripped = line.strip()
        if stripped.startswith(("#", ";")):
            continue
        if not stripped:
            if current is not None:
                current[3].append((start, start))
            continue
        first = len(line) - len(line.lstrip())
        lead = start + first
        if current is not None and first > indent:
            current[3].append((lead, lead + len(stripped)))
            continue
        if current is not None:
            found.append(_setting(*current))
            current = None
        indent = first
        header = _SECTION.match(stripped)
        if header is not None:
            section = header["name"]
            continue
        option = _OPTION.match(stripped)
        if section is None or option is None:
            continue  # configparser rejects it: ``parse`` reports it
        value_start = lead + option.start("value")
        value_end = value_start + len(option["value"].rstrip())
        current = (section, option["key"], lead, [(value_start, value_end)])
    if current is not None:
        found.append(_setting(*current))
    return found


def _setting(section: str, key: str, start: int, lines: list[tuple[int, int]]) -> Setting:
    while len(lines) > 1 and lines[-1][0] == lines[-1][1]:
        lines.pop()  # trailing blank lines are not part of the value
    return Setting(section, key, start, tuple(lines))


class IniDocument:
    """The parsed file; also its data model for the proof (``datatree.DataModel``), whose paths
    are ``(section, key)`` as written."""

    def __init__(self, text: str, data: dict[str, dict[str, str]]) -> None:
        self.text = text
        self.sections = data

    @cached_property
    def settings(self) -> list[Setting]:
        return scan(self.text)

    def find(self, section: str, key: str) -> Setting | None:
        """The setting ``key`` of ``section`` that counts (the last one written), its key
        compared without case as the tools read it; None when there is none."""
        found = None
        for setting in self.settings:
            if setting.section == section and setting.key.lower() == key.lower():
                found = setting
        return found

    def in_section(self, section: str) -> list[Setting]:
        return [setting for setting in self.settings if setting.section == section]

    def data(self) -> dict[DataPath, Hashable]:
        from modernize.formats.datatree import flatten

        return flatten(self.tree())

    def tree(self) -> datatree.Node:
        from modernize.formats.datatree import Branch, Leaf

        return Branch(
            "file",
            {
                name: Branch("section", {key: Leaf(value) for key, value in options.items()})
                for name, options in self.sections.items()
            },
        )

    def leaf_source(self, path: DataPath, start: int, end: int) -> tuple[DataPath, LeafSource]:
        from modernize.errors import ProofError
        from modernize.formats.datatree import LeafSource, shown

        if len(path) == 2:
            section, key = path
            candidates = [
                setting
                for setting in self.settings
                if setting.section == section and setting.key == key
            ]
            value = self.sections.get(str(section), {}).get(str(key))
            if candidates and value is not None and candidates[-1].value(self.text) == value:
                setting = candidates[-1]
                segments = []
                offset = 0
                for line_start, line_end in setting.lines:
                    segments.append((line_start, line_end, offset))
                    offset += line_end - line_start + 1
                if any(s <= start and end <= e for s, e, _ in segments):
                    return path, LeafSource(value, segments)
        raise ProofError(f"the edit at offset {start} is not inside the value of {shown(path)}")

    def leaf(self, path: DataPath | None, old: Hashable, value: str, in_place: bool) -> Hashable:
        return value

    def branch(self, old: datatree.Node, values: tuple[str, ...]) -> datatree.Node:
        from modernize.errors import ProofError

        raise ProofError("an INI value is not a list")


class _Parser(configparser.RawConfigParser):
    """``RawConfigParser``, made faster: at each construction its mapping of converters looks
    for its ``get*`` methods through ``dir()``, a third of the time to read a small file. This
    ``dir()`` gives the ones it finds (a test keeps them in step with the standard library's)."""

    def __dir__(self) -> list[str]:
        return list(_GETTERS)


#: What ``dir()`` of a parser holds that its mapping of converters reads.
_GETTERS = ("getboolean", "getfloat", "getint")


def parse(text: str) -> IniDocument:
    """The file read as ``configparser`` reads it (raises ParseError where it would fail: as
    tox, setuptools and mypy read them, a section or a key written twice is an error, keys
    compared without case)."""
    parser = _Parser(default_section=_NO_DEFAULT, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    try:
        parser.read_string(text)
    except configparser.MissingSectionHeaderError as error:
        message = "invalid INI: a setting before the first [section]"
        if error.line.strip().startswith("["):
            message = f"invalid INI: a section header without its closing ]: {error.line.strip()}"
        raise ParseError(message, error.lineno) from error
    except configparser.ParsingError as error:
        line = error.errors[0][0] if error.errors else None
        message = "invalid INI: a line that is neither a section nor a setting"
        raise ParseError(message, line) from error
    except (configparser.DuplicateSectionError, configparser.DuplicateOptionError) as error:
        raise ParseError(
            f"invalid INI: {error.message.split(': ', 1)[-1]}", error.lineno
        ) from error
    except configparser.Error as error:
        raise ParseError(f"invalid INI: {error.message}") from error
    data = {name: dict(parser.items(name, raw=True)) for name in parser.sections()}
    document = IniDocument(text, data)
    seen: set[tuple[str, str]] = set()
    for setting in document.settings:
        key = (setting.section, setting.key.lower())
        if key in seen:
            line = text.count("\n", 0, setting.start) + 1
            raise ParseError(
                f"invalid INI: the key {setting.key!r} of [{setting.section}] is set twice", line
            )
        seen.add(key)
    return document
