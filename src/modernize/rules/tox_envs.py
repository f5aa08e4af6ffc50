"""tox environment names and the Python they run: ``py310``, ``py3.10``, ``3.10``,
``py310-django42``, and brace groups of them (``py{39,310,311}``, ``py3{10,11}-lint``).

An environment name is factors joined by ``-``; its Python factor says which interpreter tox
creates it with. An entry of an ``envlist`` may write several environments at once with brace
groups, which tox expands into every combination. Moving an ``envlist`` to a target drops the
environments below it, and keeps each other combination of factors: when every Python of
``py310-django42`` and ``py311-django42`` goes, ``py312-django42`` takes their place.
"""

from __future__ import annotations

import re

from packaging.version import Version

from modernize.lazy import lazy_pattern
from modernize.records import record
from modernize.rules.versions import Minor, below

#: A whole Python factor: ``py310``, ``py3.10``, ``python3.10``, ``3.10``, ``py3``.
_FACTOR = lazy_pattern(
    r"(?P<prefix>py|python|)(?P<major>[23])(?P<dot>\.?)(?P<minor>[0-9]{1,2})$"
    r"|(?P<bare_prefix>py)(?P<bare_major>[23])$"
)
#: A brace group whose entries complete a Python factor: ``py{39,310}``, ``py3{10,11}``,
#: ``{py310,py311,lint}``.
_GROUP = lazy_pattern(r"(?P<before>[^{}]*)\{(?P<entries>[^{}]*)\}(?P<after>[^{}]*)")


@record(frozen=True)
class Entry:
    """One entry of an envlist, split around its Python part."""

    #: The text before the Python part (``""``, or ``lint-`` in ``lint-py310``).
    head: str
    #: The Python part's alternatives as written (blanks taken off), with the minor each runs
    #: (None: not a Python, as ``lint`` in ``{py310,lint}``); one when it is not a group.
    alternatives: tuple[tuple[str, Minor | None], ...]
    #: What completes each alternative into a factor: the text before the brace group inside
    #: the factor (``py`` in ``py{39,310}``); "" when the Python part is not a group.
    stem: str
    #: The text after the Python part (``-django{42,50}``).
    tail: str
    #: Whether the Python part is a brace group, and what separates its alternatives.
    grouped: bool = False
    separator: str = ","


def factor_minor(factor: str) -> Minor | None:
    """The Python minor a factor runs (``py310``: (3, 10)); None when it names none."""
    match = _FACTOR.match(factor)
    if match is None or match["minor"] is None:
        return None
    if not match["dot"] and match["prefix"] == "":
        return None  # ``310`` alone is not a Python factor
    return int(match["major"]), int(match["minor"])


def factor_for(spelling: str, target: Version) -> str:
    """A factor for ``target`` in the spelling of ``spelling`` (``py310`` gives ``py312``,
    ``3.10`` gives ``3.12``)."""
    match = _FACTOR.match(spelling)
    assert match is not None and match["minor"] is not None
    return f"{match['prefix']}{target.major}{match['dot']}{target.minor}"


class Unreadable(ValueError):
    """An entry whose Python part cannot be read (nested braces, two Python parts)."""


def read_entry(text: str) -> Entry | None:
    """``text`` split around its one Python part, or None when it has none (``lint``, ``py3``);
    raises ``Unreadable``."""
    factors = _split_factors(text)
    if factors is None:
        raise Unreadable(text)
    found: list[Entry] = []
    offset = 0
    for factor in factors:
        head, tail = text[:offset], text[offset + len(factor) :]
        offset += len(factor) + 1
        if "{" not in factor:
            minor = factor_minor(factor)
            if minor is not None:
                found.append(Entry(head, ((factor, minor),), "", tail))
            continue
        group = _GROUP.fullmatch(factor)
        if group is None:
            raise Unreadable(text)
        entries = [entry.strip() for entry in group["entries"].split(",")]
        read = [
            (entry, factor_minor(group["before"] + entry + group["after"])) for entry in entries
        ]
        if factor_minor(group["before"]) is not None:
            raise Unreadable(text)  # ``py310{-cov,}``: the group is not the Python part
        if not any(minor is not None for _entry, minor in read):
            continue
        if group["after"] or any(not entry for entry in entries):
            raise Unreadable(text)  # ``py{3,4}0``, ``py{310,}``: not worth reading
        separator = ", " if ", " in group["entries"] else ","
        found.append(Entry(head, tuple(read), group["before"], tail, True, separator))
    if len(found) > 1:
        raise Unreadable(text)
    return found[0] if found else None


def _split_factors(text: str) -> list[str] | None:
    """``text``'s factors: split at each ``-`` outside braces (None: braces unbalanced)."""
    factors, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char == "{":
            depth += 1
            if depth > 1:
                return None
        elif char == "}":
            depth -= 1
            if depth < 0:
                return None
        elif char == "-" and depth == 0:
            factors.append(text[start:index])
            start = index + 1
    if depth:
        return None
    factors.append(text[start:])
    return factors


def loses(entry: Entry, target: Version) -> bool:
    """Whether some Python of the entry is below ``target``."""
    return any(minor is not None and below(*minor, target) for _w, minor in entry.alternatives)


def runs(entry: Entry, target: Version) -> bool:
    """Whether the entry, once moved, runs ``target`` (an alternative of it is the target)."""
    wanted = (target.major, target.minor)
    return any(minor == wanted for _written, minor in entry.alternatives)


def moved_entry(entry: Entry, target: Version, add_target: bool) -> str | None:
    """The entry with its Pythons below ``target`` taken out and, when ``add_target``, the
    target's in the first one's place (in its spelling); None when nothing is left of it."""
    alternatives: list[str] = []
    for written, minor in entry.alternatives:
        if minor is None or not below(*minor, target):
            alternatives.append(written)
        elif add_target:
            full = factor_for(f"{entry.stem}{written}", target)
            alternatives.append(full[len(entry.stem) :])
            add_target = False
    alternatives = list(dict.fromkeys(alternatives))
    if not alternatives:
        return None  # nothing left: the entry's environments go
    if len(alternatives) == 1:
        python = f"{entry.stem}{alternatives[0]}"
    else:
        python = f"{entry.stem}{{{entry.separator.join(alternatives)}}}"
    return f"{entry.head}{python}{entry.tail}"


def signature(entry: Entry) -> tuple[str, str]:
    """What the entry is besides its Python: two entries of one signature differ only in the
    interpreter."""
    return entry.head, entry.tail


def python_factors(condition: str) -> list[Minor]:
    """The Python minors a factor condition names (``py310,py311: …``, ``!py310-lint: …``)."""
    found = []
    for factor in re.split(r"[,{}!\-\s]+", condition):
        minor = factor_minor(factor)
        if minor is not None:
            found.append(minor)
    return found
