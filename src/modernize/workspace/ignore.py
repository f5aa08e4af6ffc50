"""Patterns in the syntax of ``.gitignore`` files, matched the way git matches them.

Each pattern becomes one regular expression over a POSIX path relative to the directory the
patterns belong to. The rules (from git's documentation of gitignore):

- blank lines and lines starting with ``#`` match nothing; ``\\#`` and ``\\!`` start a
  pattern with that character; trailing spaces are dropped unless escaped with ``\\``;
- ``!`` negates: a path the pattern matches is included again; the last matching pattern
  decides;
- a trailing ``/`` matches directories only;
- a pattern with a ``/`` at its start or in its middle is relative to the directory; one
  without matches a name at any depth;
- ``*`` matches anything but ``/``, ``?`` one character but ``/``, ``[...]`` a class (``!`` or
  ``^`` negating it, POSIX classes such as ``[:digit:]`` allowed); a leading ``**/`` matches in
  every directory, a trailing ``/**`` everything inside, ``/**/`` zero or more directories;
  other runs of ``*`` are a single ``*`` (with one quirk of git's kept: see ``_translate``).

A pattern git would refuse (a class without its ``]``) matches nothing, and the other patterns
of the file still hold. Directories are matched as the walk meets them, so a file below an
ignored directory is never asked about; ``ignores_path`` asks about every parent as well, for a
path met on its own.

Why a matcher of its own rather than pathspec: not start-up any more (pathspec 1.1.1, measured,
no longer imports asyncio), but agreement with git. Compared with ``git check-ignore
--no-index`` on the same patterns, pathspec 1.1.1 differs where this module agrees: ``b**/a``
(git ignores ``bx/y/a``, pathspec does not; likewise ``***/a`` and ``x/y/a``), POSIX classes
(``[[:digit:]]x`` ignores ``1x`` for git, not for pathspec), and ``[z-a]q``, which git reads
(it ignores ``zq``) while pathspec fails to compile it, losing the whole file's patterns.
``tests/test_ignore.py`` checks those cases against git, with generated patterns besides.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from modernize.records import record

_POSIX_CLASSES = {
    "alnum": "a-zA-Z0-9",
    "alpha": "a-zA-Z",
    "blank": " \\t",
    "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9",
    "graph": "!-~",
    "lower": "a-z",
    "print": " -~",
    "punct": re.escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"),
    "space": " \\t\\n\\r\\f\\v",
    "upper": "A-Z",
    "xdigit": "0-9a-fA-F",
}


class _Refused(Exception):
    """A pattern git would not match anything with."""


@record(frozen=True)
class Pattern:
    """One line of a ``.gitignore``-style list, compiled: ``!`` negates it, a final ``/`` makes it
    match folders only."""

    regex: re.Pattern[str]
    negated: bool
    directories_only: bool


def compile_pattern(line: str) -> Pattern | None:
    """The pattern a line of a .gitignore file holds, or None for a blank line, a comment or
    a pattern that matches nothing."""
    if line.endswith("\r"):
        line = line[:-1]
    if not line or line.startswith("#"):
        return None
    line = _without_trailing_spaces(line)
    negated = line.startswith("!")
    if negated:
        line = line[1:]
    directories_only = line.endswith("/")  # as git reads it: a backslash does not escape it
    if directories_only:
        line = line[:-1]
    if not line:
        return None
    anchored = "/" in line
    line = line.removeprefix("/")
    if not line:
        return None
    try:
        body = _translate(line, anchored)
    except _Refused:
        return None
    prefix = "" if anchored else "(?:.*/)?"
    return Pattern(re.compile(prefix + body, re.DOTALL), negated, directories_only)


def _without_trailing_spaces(line: str) -> str:
    """The line without its trailing spaces, except one escaped by a backslash (which may
    itself be escaped: ``a\\\\ `` loses its space)."""
    last_space = -1
    i = 0
    while i < len(line):
        char = line[i]
        if char == " ":
            if last_space < 0:
                last_space = i
        elif char == "\\":
            i += 1  # the next character is escaped, whatever it is
            last_space = -1
        else:
            last_space = -1
        i += 1
    return line[:last_space] if last_space >= 0 else line


def _translate(pattern: str, anchored: bool) -> str:
    """The pattern (without its ``!``, leading or trailing ``/``) as a regular expression.

    In a pattern with a ``/``, a run of ``*`` at the start, after a ``/`` or after nothing but
    plain characters (git compares that literal prefix first, then matches the rest as a
    pattern of its own) is a ``**``: followed by ``/`` it matches zero or more whole
    directories (``b**/a`` matches ``ba`` and ``bx/y/a``, ``?**/a`` does not), at the end
    everything. Any other run is a ``*``. A class may hold a ``/``; it never matches one."""
    literal_prefix = len(re.split(r"[*?\[\\]", pattern, maxsplit=1)[0])
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            if i + 1 >= len(pattern):
                raise _Refused  # a lone trailing backslash: git matches nothing with it
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        if char == "*":
            run = i
            while i < len(pattern) and pattern[i] == "*":
                i += 1
            double = (
                anchored
                and i - run >= 2
                and (run <= literal_prefix or pattern[run - 1] == "/")
                and (i == len(pattern) or pattern[i] == "/")
            )
            if not double:
                out.append("[^/]*")
            elif i < len(pattern):
                out.append("(?:.*/)?")
                i += 1
            else:
                out.append(".*")
            continue
        if char == "?":
            out.append("[^/]")
        elif char == "[":
            cls, i = _bracket(pattern, i)
            out.append(cls)
            continue
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def _bracket(text: str, start: int) -> tuple[str, int]:
    """The class opening at ``text[start]`` as a regular expression, and the index after it."""
    i = start + 1
    negate = i < len(text) and text[i] in "!^"
    if negate:
        i += 1
    items: list[str] = []
    first = True
    while True:
        if i >= len(text):
            raise _Refused
        char = text[i]
        if char == "]" and not first:
            i += 1
            break
        first = False
        if char == "[" and text.startswith("[:", i):
            # A class name ends at the next "]", which must follow a ":"; without one, the
            # "[" is a member like any other (as git's wildmatch reads it).
            close = text.find("]", i + 2)
            if close == -1:
                raise _Refused
            if close > i + 2 and text[close - 1] == ":":
                name = text[i + 2 : close - 1]
                if name not in _POSIX_CLASSES:
                    raise _Refused  # git matches nothing with an unknown class name
                items.append(_POSIX_CLASSES[name])
                i = close + 1
                continue
            items.append(re.escape("["))
            i += 1
            continue
        if char == "\\":
            i += 1
            if i >= len(text):
                raise _Refused
            char = text[i]
        if text.startswith("-", i + 1) and i + 2 < len(text) and text[i + 2] != "]":
            high = text[i + 2]
            if high == "\\":
                if i + 3 >= len(text):
                    raise _Refused
                high = text[i + 3]
                i += 1
            # Git matches the first character on its own, then the range: a reversed range
            # adds its first character only.
            items.append(
                f"{re.escape(char)}-{re.escape(high)}" if high >= char else re.escape(char)
            )
            i += 3
            continue
        items.append(re.escape(char))
        i += 1
    # A class never matches the separator, whatever it lists.
    if not items:
        return ("[^/]" if negate else "(?!)"), i
    return ("[^/" if negate else "(?!/)[") + "".join(items) + "]", i


class PatternList:
    """The patterns of one file (or of a configuration's ``exclude`` list), in order."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.patterns = tuple(
            pattern for pattern in map(compile_pattern, lines) if pattern is not None
        )
        self._reversed = self.patterns[::-1]

    def decision(self, path: str, is_dir: bool) -> bool | None:
        """True when ``path`` is ignored, False when a ``!`` pattern includes it again, None
        when no pattern speaks of it. The last pattern that matches decides."""
        for pattern in self._reversed:
            if pattern.directories_only and not is_dir:
                continue
            if pattern.regex.fullmatch(path):
                return not pattern.negated
        return None

    def ignores(self, path: str, is_dir: bool) -> bool:
        return bool(self.decision(path, is_dir))

    def ignores_path(self, path: str, is_dir: bool) -> bool:
        """Whether ``path`` or one of its parent directories is ignored: a path met on its
        own, not in a walk that would have passed over an ignored directory."""
        parts = path.split("/")
        for end in range(1, len(parts)):
            if self.ignores("/".join(parts[:end]), True):
                return True
        return self.ignores(path, is_dir)
