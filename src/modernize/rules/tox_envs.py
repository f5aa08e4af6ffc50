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
from dataclasses import dataclass

from packaging.version import Version

from modernize.rules.versions import Minor, below

#: A whole Python factor: ``py310``, ``py3.10``, ``python3.10``, ``3.10``, ``py3``.
_FACTOR = re.compile(
    r"(?P<prefix>py|python|)(?P<major>[23])(?P<dot>\.?)(?P<minor>[0-9]{1,2})$"
    r"|(?P<bare_prefix>py)(?P<bare_major>[23])$"
)
#: A brace group whose entries complete a Python factor: ``py{39,310}``, ``py3{10,11}``,
#: ``{py310,py311,lint}``.
_GROUP = re.compile(r"(?P<before>[^{}]*)\{(?P<entries>[^{}]*)\}(?P<after>[^{}]*)")


@dataclass(frozen=True)
class Entry:
    """One entry of an envlist, split around its Python factor."""

    #: The text before the Python part (``""``, or ``lint-`` in ``lint-py310``).
    head: str
    #: The Python part's alternatives as written, with the minor each runs (None: not Python).
    alternatives: tuple[tuple[str, Minor | None], ...]
    #: How a factor is completed from an alternative (``py`` + ``310``): the text before the
    #: brace group inside the factor; "" when the Python part is not a brace group.
    stem: str
    #: The text after the Python part (``-django{42,50}``).
    tail: str
    #: Whether the Python part is a brace group.
    grouped: bool


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
                found.append(Entry(head, ((factor, minor),), "", tail, False))
            continue
        group = _GROUP.fullmatch(factor)
        if group is None:
            raise Unreadable(text)
        entries = group["entries"].split(",")
        read = [
            (entry, factor_minor(group["before"] + entry + group["after"])) for entry in entries
        ]
        if not any(minor is not None for _entry, minor in read):
            continue
        if group["after"]:
            raise Unreadable(text)  # ``py{3,4}0`` is not worth reading
        found.append(Entry(head, tuple(read), group["before"], tail, True))
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


def moved_entry(entry: Entry, target: Version) -> tuple[str | None, bool]:
    """The entry with its alternatives below ``target`` taken out: ``(text, emptied)``;
    ``text`` None when nothing is taken out, ``emptied`` when nothing is left of its Python
    part (the caller drops it, or writes it for the target)."""
    kept = [
        (written, minor)
        for written, minor in entry.alternatives
        if minor is None or not below(*minor, target)
    ]
    if len(kept) == len(entry.alternatives):
        return None, False
    if not kept:
        return "", True
    if len(kept) == 1:
        python = f"{entry.stem}{kept[0][0]}"
    else:
        python = f"{entry.stem}{{{','.join(written for written, _minor in kept)}}}"
    return f"{entry.head}{python}{entry.tail}", False


def for_target(entry: Entry, target: Version) -> str:
    """The entry written for ``target`` alone: ``py{310,311}-lint`` gives ``py312-lint``."""
    spelling = next(
        f"{entry.stem}{written}" for written, minor in entry.alternatives if minor is not None
    )
    return f"{entry.head}{factor_for(spelling, target)}{entry.tail}"


def runs(entry: Entry, minor: Minor) -> bool:
    return any(found == minor for _written, found in entry.alternatives)


def signature(entry: Entry) -> tuple[str, str]:
    """What the entry is besides its Python: two entries of one signature differ only in the
    interpreter."""
    return entry.head, entry.tail
