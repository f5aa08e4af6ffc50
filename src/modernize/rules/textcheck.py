"""Cheap text tests that let a migration pass over a file without parsing it.

Each test may say yes when the parse would find nothing (the file is then parsed as usual);
it must never say no when the parse could find something. The version tests are in
``rules.versions``.
"""

from __future__ import annotations

import re

# A double-quoted YAML scalar with an escape (``"postgr\x65s:14"``, or a line joined by a
# backslash) spells its value differently from the text: words cannot be searched for. The
# backslash of such a scalar follows its opening quote with no quote in between, and the
# opening quote starts a node: it begins a line or follows a space or a flow indicator
# (``[``, ``{``, ``,``, or ``:`` after a quoted key). A quote after a word (a Dockerfile's
# ``LABEL a="b"``, or the closing quote of ``"b"``) opens no YAML scalar.
_YAML_ESCAPE = re.compile(r'(?<![^\s\[{,:])"[^"]*\\')


def yaml_escapes(text: str) -> bool:
    """Whether a double-quoted YAML scalar in ``text`` may hold an escape."""
    return "\\" in text and _YAML_ESCAPE.search(text) is not None
