"""Classify Makefile lines: recipe lines, variable assignments, and everything else."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from modernize.lazy import lazy_pattern
from modernize.records import record

_ASSIGNMENT = lazy_pattern(
    r"^[ \t]*(?:(?:export|override|private)[ \t]+)*[^\s:#=]+[ \t]*(?:::=|:::=|:=|\?=|\+=|!=|=)"
)
# A rule line (``target …: prerequisites``, not ``:=``), for the two things that may follow it
# on the same line: a target-specific variable, or a recipe after ``;``.
_RULE = r"^(?![ \t]*#)[^:=#;\t][^:=#;]*::?(?!=)"
_TARGET_ASSIGNMENT = lazy_pattern(
    _RULE
    + r"[ \t]*(?:(?:export|override|private)[ \t]+)*[^\s:#=;]+[ \t]*(?:::=|:::=|:=|\?=|\+=|!=|=)"
)
_INLINE_RECIPE = lazy_pattern(_RULE + r"[^;#]*;")
_DEFINE = lazy_pattern(r"^[ \t]*(?:(?:export|override)[ \t]+)*define\b")
_ENDEF = lazy_pattern(r"^[ \t]*endef\b")


@record(frozen=True)
class MakeLine:
    """A physical line; ``code_start`` is where the part worth scanning begins."""

    kind: Literal["recipe", "assignment", "other"]
    start: int
    end: int  # excludes the newline
    code_start: int


def lines(text: str) -> Iterator[MakeLine]:
    position = 0
    continuing: Literal["recipe", "assignment", "other"] | None = None
    in_define = False
    while position < len(text):
        newline = text.find("\n", position)
        end = len(text) if newline < 0 else newline
        content_end = end - 1 if end > position and text[end - 1] == "\r" else end
        line = text[position:content_end]
        if continuing is not None:
            kind, code_start = continuing, position
        elif in_define:
            kind, code_start = ("other", position) if _ENDEF.match(line) else ("recipe", position)
            in_define = not _ENDEF.match(line)
        elif line.startswith("\t"):
            kind, code_start = "recipe", position + 1
        elif _DEFINE.match(line):
            kind, code_start, in_define = "other", position, True
        else:
            match = _ASSIGNMENT.match(line) or _TARGET_ASSIGNMENT.match(line)
            recipe = None if match else _INLINE_RECIPE.match(line)
            if match and not line.lstrip().startswith("#"):
                kind, code_start = "assignment", position + match.end()
            elif recipe:  # ``target: prerequisites ; recipe``
                kind, code_start = "recipe", position + recipe.end()
            else:
                kind, code_start = "other", position
        yield MakeLine(kind, position, content_end, code_start)
        continuing = kind if line.endswith("\\") else None
        position = end + 1
