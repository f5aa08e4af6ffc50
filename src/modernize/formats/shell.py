"""Find a command word in shell-like text (Makefile recipes, workflow ``run:`` scripts).

Command position is decided on the logical command line, as the shell reads it: the lines a
trailing backslash joins, and a YAML ``run:`` value after folding (``run: pip install`` then
``docker-compose`` on the next line is one command, ``pip install docker-compose``).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterator

from modernize.lazy import lazy_pattern
from modernize.records import record

_BINARY_CHECK = lazy_pattern(r"(?:\bwhich|\bcommand\s+-v|\btype|\bhash)\s+$")
# What ends one command and starts the next; a script given to a shell (``bash -c "…"``) starts
# a command too. ``{`` is the reserved word only before a blank (``xargs -I {}`` is a word).
_SEPARATOR = lazy_pattern(
    r"(?:;|&&|\|\||\||\(|`|\{(?=\s)|\$\(|\b(?:ba|da|k|z)?sh[ \t]+-[a-z]*c[a-z]*[ \t]+[\"'])"
)
#: Words after which the next word is a command: the shell's reserved words that start or
#: continue a command, and make's ``$(shell …)``.
_KEYWORDS = frozenset({"if", "then", "elif", "else", "while", "until", "do", "!", "shell"})
_ASSIGNMENT = lazy_pattern(r"^[A-Za-z_][A-Za-z0-9_]*=\S*$")


@record(frozen=True)
class _Prefix:
    """A command that runs the command after it: its options that take a separate argument,
    and how many operands come before the command (``timeout 60 …``: one)."""

    with_argument: frozenset[str] = frozenset()
    operands: int = 0


_PREFIXES = {
    "sudo": _Prefix(
        frozenset({"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-T", "-U"})
        | frozenset({"--user", "--group", "--chdir", "--host", "--prompt", "--role", "--type"})
        | frozenset({"--other-user", "--close-from", "--command-timeout"})
    ),
    "env": _Prefix(frozenset({"-u", "-C", "-S", "--unset", "--chdir", "--split-string"})),
    "timeout": _Prefix(frozenset({"-s", "-k", "--signal", "--kill-after"}), operands=1),
    "xargs": _Prefix(
        frozenset({"-a", "-d", "-E", "-I", "-L", "-n", "-P", "-s"})
        | frozenset({"--arg-file", "--delimiter", "--max-lines", "--max-args"})
        | frozenset({"--max-procs", "--max-chars", "--process-slot-var"})
    ),
    "nice": _Prefix(frozenset({"-n", "--adjustment"})),
    "nohup": _Prefix(),
    "exec": _Prefix(frozenset({"-a"})),
    "command": _Prefix(),  # ``command -v`` asks for the program: a binary check, told first
    "time": _Prefix(frozenset({"-f", "-o", "--format", "--output"})),
}


def in_command_position(before: str) -> bool:
    """Whether a word after ``before`` (the text before it on its command line) is the command run:
    not an argument such as ``pip install docker-compose`` or ``chmod +x docker-compose``.

    The command may follow reserved words (``if``, ``while !``, ``then``), assignments
    (``COMPOSE_FILE=x``), and commands that run the command after them with their options and
    operands (``sudo -E``, ``env -u X Y=1``, ``timeout -s KILL 60``, ``xargs -r -n 1``,
    ``nohup``, ``exec``, ``nice -n 5``, ``time``)."""
    parts = _SEPARATOR.split(before)
    words = parts[-1].split()
    if len(parts) == 1 and words:
        words[0] = words[0].lstrip("@+-\"'")  # make's recipe prefixes, a YAML quote
        if not words[0]:
            words = words[1:]
    position = 0
    while position < len(words):
        word = words[position]
        position += 1
        if word in _KEYWORDS or _ASSIGNMENT.match(word):
            continue
        prefix = _PREFIXES.get(word)
        if prefix is None:
            return False  # an argument of some other command
        while position < len(words) and words[position].startswith("-"):
            option = words[position]
            position += 1
            if option == "--":
                break
            if "=" not in option and option in prefix.with_argument:
                position += 1
        position += prefix.operands
    return position == len(words)


@record(frozen=True)
class CommandUse:
    """Where a shell script runs a command (its span), and whether it only asks for the
    program."""

    start: int
    end: int
    binary_check: bool  # ``which docker-compose`` asks for the program, not the command
    line: int  # the number of its command line in the script


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


@record(frozen=True)
class Script:
    """Shell text as the shell reads it, and where each part of it is spelled in the document.

    ``segments`` are ``(document_start, document_end, text_start)``, in order: the document's
    text between the two offsets reads unchanged at ``text_start`` in ``text`` (as
    ``yamldoc.scalar_segments`` gives them for a ``run:`` value). Text outside every segment,
    the spaces and newlines that YAML folding or the lines between Makefile recipe lines leave,
    is read but never edited.
    """

    text: str
    segments: tuple[tuple[int, int, int], ...]

    @classmethod
    def spelled(cls, document: str, start: int, end: int) -> Script:
        """The document's text between ``start`` and ``end``, read as it is written."""
        return cls(document[start:end], ((start, end, 0),))

    def located(self, start: int, end: int) -> int | None:
        """The document offset of ``text[start:end]``, or None when it is not spelled there
        in one piece."""
        index = bisect.bisect_right([segment[2] for segment in self.segments], start) - 1
        if index < 0:
            return None
        document_start, document_end, text_start = self.segments[index]
        if end - text_start > document_end - document_start:
            return None
        return document_start + start - text_start


def logical_lines(text: str) -> Iterator[list[tuple[int, int]]]:
    """The command lines of ``text``, each as the ``(start, end)`` pieces of its physical lines.

    A line whose code ends with an odd number of backslashes continues on the next one: the
    shell drops the backslash and the newline, so ``pip install \\`` then ``docker-compose``
    installs a package and ``docker-compose \\`` then ``up`` runs compose. The backslash and any
    ``\\r`` before the newline are left out of the pieces. A backslash inside a comment does not
    continue the line (the comment ends it).
    """
    pieces: list[tuple[int, int]] = []
    position = 0
    while True:
        newline = text.find("\n", position)
        line_end = len(text) if newline < 0 else newline
        if line_end > position and text[line_end - 1] == "\r":
            line_end -= 1
        line = text[position:line_end]
        code = line[: comment_start(line)]
        if len(code) == len(line) and (len(code) - len(code.rstrip("\\"))) % 2 and newline >= 0:
            pieces.append((position, line_end - 1))
        else:
            pieces.append((position, line_end))
            yield pieces
            pieces = []
        if newline < 0:
            return
        position = newline + 1


def command_uses(script: Script, word: str) -> Iterator[CommandUse]:
    """Uses of ``word`` as a command in ``script``, at their document offsets, comments excluded.

    A use is the word standing alone (``command_word``) where its command line runs it: not an
    argument, such as the package of ``pip install \\`` continued by ``docker-compose``. A word
    that a continuation splits, or that is not spelled in the document as the shell reads it,
    is never a use.
    """
    pattern = command_word(word)
    for number, pieces in enumerate(logical_lines(script.text)):
        line = "".join(script.text[start:end] for start, end in pieces)
        if word not in line:
            continue
        lengths = (end - start for start, end in pieces)
        piece_offsets = list(itertools.accumulate(lengths, initial=0))
        for match in pattern.finditer(line, 0, comment_start(line)):
            index = bisect.bisect_right(piece_offsets, match.start()) - 1
            piece_start, piece_end = pieces[index]
            start = piece_start + match.start() - piece_offsets[index]
            if start + len(word) > piece_end:
                continue
            located = script.located(start, start + len(word))
            if located is None:
                continue
            before = line[: match.start()]
            binary_check = _BINARY_CHECK.search(before) is not None
            if binary_check or in_command_position(before):
                yield CommandUse(located, located + len(word), binary_check, number)
