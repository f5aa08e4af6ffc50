"""One Python version written in a TOML setting, and the edit that moves it: a ruff target
(``target-version = "py310"``) or a plain version (``python_version = "3.10"``, also a bare
TOML float, which 3.10 is read as 3.1: the result is written quoted)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from modernize.authoring import Document, Edit, SetValue, Targets, toml
from modernize.lazy import lazy_pattern
from modernize.rules.versions import below

#: A ruff or black target: ``py310``.
PY_TAG = lazy_pattern(r"^py([0-9])([0-9]+)$")


def ruff_target_edits(document: Document, value: toml.Value, targets: Targets) -> Iterator[Edit]:
    """``target-version = "py310"`` below the target becomes ``"py312"``."""
    for item in toml.strings_in(document.text, value)[:1]:
        match = PY_TAG.match(item.value)
        if match and below(match[1], match[2], targets.python):
            yield replace_content(item, f"py{targets.python.major}{targets.python.minor}", value)


def replace_content(item: toml.StringItem, new: str, value: toml.Value) -> Edit:
    start = item.start + len(item.quote)
    return Edit(start, item.end - len(item.quote), new, declares=(SetValue(value.path, new),))


def plain_version_edits(document: Document, value: toml.Value, targets: Targets) -> Iterator[Edit]:
    source = document.text[value.start : value.end]
    items = toml.strings_in(document.text, value)
    bare = source.strip()
    if items:
        version = items[0].value
    elif re.match(r"^[0-9]+\.[0-9]+$", bare):
        version = bare  # a TOML float: 3.10 is read as 3.1, so the result is written quoted
    else:
        return
    claim = re.match(r"^([0-9]+)\.([0-9]+)(\.[0-9]+)?$", version)
    if not claim or not below(claim[1], claim[2], targets.python):
        return
    if items:
        yield replace_content(items[0], targets.python_minor, value)
    else:
        yield Edit(
            value.start,
            value.end,
            f'"{targets.python_minor}"',
            declares=(SetValue(value.path, targets.python_minor),),
        )
