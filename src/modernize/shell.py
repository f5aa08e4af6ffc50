"""Find a command word in shell-like text (Makefile recipes, workflow ``run:`` scripts)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

_BINARY_CHECK = re.compile(r"(?:\bwhich|\bcommand\s+-v|\btype|\bhash)\s+$")
# What ends one command and starts the next; a script given to a shell (``bash -c "…"``) starts
# a command too.
_SEPARATOR = re.compile(
    r"(?:;|&&|\|\||\||\(|`|\{|\$\(|\b(?:ba|da|k|z)?sh[ \t]+-[a-z]*c[a-z]*[ \t]+[\"'])"
)
_WRAPPERS = frozenset({"sudo", "exec", "time", "nohup", "env", "shell", "then", "do", "else"})
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=\S*$")


def in_command_position(before: str) -> bool:
    """Whether a word after ``before`` (the text before it on its line) is the command run:
    not an argument such as ``pip install docker-compose`` or ``chmod +x docker-compose``."""
    parts = _SEPARATOR.split(before)
    words = parts[-1].split()
    if len(parts) == 1 and words:
        words[0] = words[0].lstrip("@+-\"'")  # make's recipe prefixes, a YAML quote
        if not words[0]:
            words = words[1:]
    return all(word in _WRAPPERS or _ASSIGNMENT.match(word) for word in words)


@dataclass(frozen=True)
class CommandUse:
    start: int
    end: int
    binary_check: bool  # ``which docker-compose`` asks for the program, not the command


def comment_start(line: str) -> int:
    """Where a shell comment starts in ``line`` (``len(line)`` when there is none)."""
    quote = ""
    previous = " "
    for position, char in enumerate(line):
        if quote:
            if char == quote and previous != "\\":
                quote = ""
        elif char in "'\"" and previous != "\\":
            quote = char
        elif char == "#" and previous in " \t;&|(":
            return position
        previous = char
    return len(line)


@functools.cache
def command_word(word: str) -> re.Pattern[str]:
    """``word`` standing alone: not part of a file name (``docker-compose.yml``), a path
    (``…/cli-plugins/docker-compose``) or a longer word (``docker-compose-up``)."""
    return re.compile(rf"(?<![\w./]){re.escape(word)}(?![\w.=-])")


def command_uses(text: str, word: str, start: int, end: int) -> Iterator[CommandUse]:
    """Uses of ``word`` as a command between ``start`` and ``end``, comments excluded.

    A use is the word standing alone: not part of a file name (``docker-compose.yml``), a path
    (``…/cli-plugins/docker-compose``), or a longer word (``docker-compose-up``).
    """
    pattern = command_word(word)
    position = start
    while position < end:
        newline = text.find("\n", position, end)
        line_end = end if newline < 0 else newline
        line = text[position:line_end]
        code_end = position + comment_start(line)
        for match in pattern.finditer(text, position, code_end):
            before = text[position : match.start()]
            if _BINARY_CHECK.search(before):
                yield CommandUse(match.start(), match.end(), True)
            elif in_command_position(before):
                yield CommandUse(match.start(), match.end(), False)
        position = line_end + 1
