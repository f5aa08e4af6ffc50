"""Cheap text tests that let a migration pass over a file without parsing it.

Each test may say yes when the parse would find nothing (the file is then parsed as usual);
it must never say no when the parse could find something. The version tests are in
``rules.versions``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from modernize.lazy import lazy_pattern

# A double-quoted YAML scalar with an escape (``"postgr\x65s:14"``, or a line joined by a
# backslash) spells its value differently from the text: words cannot be searched for. The
# backslash of such a scalar follows its opening quote with no quote in between, and the
# opening quote starts a node: it begins a line or follows a space or a flow indicator
# (``[``, ``{``, ``,``, or ``:`` after a quoted key). A quote after a word (a Dockerfile's
# ``LABEL a="b"``, or the closing quote of ``"b"``) opens no YAML scalar.
_YAML_ESCAPE = lazy_pattern(r'(?<![^\s\[{,:])"[^"]*\\')


def yaml_escapes(text: str) -> bool:
    """Whether a double-quoted YAML scalar in ``text`` may hold an escape."""
    return "\\" in text and any(matches_where(text, '"', 0, _YAML_ESCAPE))


def matches_where(
    text: str, needle: str, offset: int, pattern: re.Pattern[str], overlapping: bool = False
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, for a pattern whose every match has ``needle`` at
    ``offset`` characters from its start (after a name of that many characters, each of which
    a pattern that ignores case matches one for one): the pattern is tried only there. A
    search tries every character of the text; ``str.find`` finds the needle many times faster.
    As the search's, no match overlaps the one before, unless ``overlapping``: then a match
    may start inside the one before (``python:5000/python:3.10``, a registry named python)."""
    end = 0
    at = text.find(needle)
    while at >= 0:
        start = at - offset
        if start >= end:
            match = pattern.match(text, start)
            if match is not None:
                end = start if overlapping else match.end()
                yield match
        at = text.find(needle, at + 1)
