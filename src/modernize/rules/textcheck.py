"""Cheap text tests that let a migration pass over a file without parsing it.

Each test may say yes when the parse would find nothing (the file is then parsed as usual);
it must never say no when the parse could find something.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from packaging.version import Version

# A double-quoted YAML scalar with an escape (``"postgr\x65s:14"``, or a line joined by a
# backslash) spells its value differently from the text: words cannot be searched for. The
# backslash of such a scalar follows its opening quote with no quote in between.
_YAML_ESCAPE = re.compile(r'"[^"]*\\')
_MINOR = re.compile(r"([0-9]+)\.([0-9]+)")


def yaml_escapes(text: str) -> bool:
    """Whether a double-quoted YAML scalar in ``text`` may hold an escape."""
    return "\\" in text and _YAML_ESCAPE.search(text) is not None


def below(major: int, minor: int, target: Version) -> bool:
    return (major, minor) < (target.major, target.minor)


def minor_below(text: str, target: Version) -> bool:
    """Whether ``text`` holds a number ``X.Y`` (the start of any version) below ``target``.

    A version written in the file starts after a character that is neither a digit nor a dot,
    and so does a match: every such version is seen.
    """
    return any(below(int(m[1]), int(m[2]), target) for m in _MINOR.finditer(text))
