"""Find a command word in shell-like text (Makefile recipes, workflow ``run:`` scripts)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_BINARY_CHECK = re.compile(r"(?:\bwhich|\bcommand\s+-v|\btype|\bhash)\s+$")


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


def command_uses(text: str, word: str, start: int, end: int) -> Iterator[CommandUse]:
    """Uses of ``word`` as a command between ``start`` and ``end``, comments excluded.

    A use is the word standing alone: not part of a file name (``docker-compose.yml``), a path
    (``…/cli-plugins/docker-compose``), or a longer word (``docker-compose-up``).
    """
    pattern = re.compile(rf"(?<![\w./]){re.escape(word)}(?![\w.-])")
    position = start
    while position < end:
        newline = text.find("\n", position, end)
        line_end = end if newline < 0 else newline
        line = text[position:line_end]
        code_end = position + comment_start(line)
        for match in pattern.finditer(text, position, code_end):
            before = text[position : match.start()]
            # A hyphen before the word only counts as make's ``-`` (ignore errors) prefix.
            if before.endswith("-") and before.strip(" \t@+-"):
                continue
            yield CommandUse(match.start(), match.end(), bool(_BINARY_CHECK.search(before)))
        position = line_end + 1
