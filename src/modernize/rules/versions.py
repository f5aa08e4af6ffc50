"""The one comparison behind every "below the target": a Python minor against the Python
target (a ``packaging`` Version), an image major against a major target (an int).

Numbers are read in ASCII digits only, as ``targets.ascii_number`` reads them (``str.isdigit``
also takes a superscript 2), and compared as numbers, never as text: ``3.10`` is not ``3.1``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from modernize.lazy import lazy_pattern
from modernize.targets import ascii_number

if TYPE_CHECKING:
    from packaging.version import Version

#: A Python minor as ``(major, minor)``.
Minor = tuple[int, int]

_CLAIM = lazy_pattern(r"([0-9]+)\.([0-9]+)(?:\.[0-9]+)?")
_RELEASE = lazy_pattern(r"([0-9]+)(?:\.([0-9]+))?(?:\.[0-9]+)*")
_MINOR = lazy_pattern(r"([0-9]+)\.([0-9]+)")


def target_minor(target: Version) -> Minor:
    """The ``(major, minor)`` of the Python target."""
    return (target.major, target.minor)


def below(major: int | str, minor: int | str, target: Version) -> bool:
    """Whether Python ``major.minor`` (numbers, or ASCII digit strings a pattern matched) is
    below the target's minor: any patch release of the target minor is at the target."""
    return (int(major), int(minor)) < target_minor(target)


def python_minor(text: str) -> Minor | None:
    """The minor of a Python version claim that is exactly ``X.Y`` or ``X.Y.Z``; None for
    anything else (``3``, ``3.12t``, ``3.x``, ``pypy3.10``)."""
    match = _CLAIM.fullmatch(text)
    return (int(match[1]), int(match[2])) if match else None


def plain_minor(text: str) -> Minor | None:
    """The minor of a setting that is exactly ``X.Y`` (``python_version = 3.10``); None for
    anything else, a patch release included."""
    match = _MINOR.fullmatch(text)
    return (int(match[1]), int(match[2])) if match else None


def release_minor(text: str) -> Minor:
    """The minor of a release ``X[.Y[.Z…]]`` such as a specifier's version: ``3`` is ``(3, 0)``.

    Raises ValueError for anything else."""
    match = _RELEASE.fullmatch(text)
    if match is None:
        raise ValueError(f"not a release number: {text!r}")
    return (int(match[1]), int(match[2] or 0))


def claim_below(text: str, target: Version) -> bool | None:
    """True/False for an ``X.Y[.Z]`` claim below / at or above the target; None when ``text``
    is not such a claim."""
    minor = python_minor(text)
    return None if minor is None else below(*minor, target)


def minor_below(text: str, target: Version) -> bool:
    """Whether ``text`` holds a number ``X.Y`` (the start of any version) below ``target``.

    A version written in a file starts after a character that is neither a digit nor a dot,
    and so does a match: every such version is seen.
    """
    return any(below(major, minor, target) for major, minor in minors_in(text))


_DIGITS = lazy_pattern(r"[0-9]+")
_ASCII_DIGITS = frozenset("0123456789")


def minors_in(text: str) -> list[tuple[str, str]]:
    """The digits of each ``X.Y`` in ``text`` as ``(X, Y)``, as a search for
    ``([0-9]+)\\.([0-9]+)`` finds them (leftmost, none overlapping the one before). Found from
    each dot with ``str.find``: several times faster than that search, which tries every
    character of the text."""
    found = []
    end = 0
    dot = text.find(".")
    while dot >= 0:
        start = dot
        while start > end and text[start - 1] in _ASCII_DIGITS:
            start -= 1
        after = _DIGITS.match(text, dot + 1) if start < dot else None
        if after is not None:
            found.append((text[start:dot], after.group()))
            end = after.end()
            dot = text.find(".", end)
        else:
            dot = text.find(".", dot + 1)
    return found


def image_major(text: str) -> int | None:
    """The major an image tag or a setting names when it is a whole number in ASCII digits."""
    return int(text) if ascii_number(text) else None


def major_below(major: int | str, target: int) -> bool:
    """Whether a major (a number, or ASCII digits a pattern matched) is below the target."""
    return int(major) < target
