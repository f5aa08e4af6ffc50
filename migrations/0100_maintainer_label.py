"""Replace the deprecated ``MAINTAINER`` instruction with a ``maintainer`` label.

What: ``MAINTAINER Name <mail>`` becomes ``LABEL maintainer="Name <mail>"`` at the same place,
the keyword's case following the original (``maintainer x`` becomes ``label maintainer="x"``).
The value is written as one double-quoted string with ``"``, ``$`` and the file's escape
character (the backslash, or the backtick an ``# escape`` directive names) escaped by that escape
character, so the label holds exactly the text MAINTAINER had. A value that is exactly one
quoted string (``"Name <mail>"``, or ``'Name <mail>'``, whose content is literal) was the
author's quoting: its content is the value. Anything else, such as ``"Jane" Doe "x"``, is the
value whole, quotes included. When the same build stage (from its ``FROM`` to the next) already
sets a ``maintainer`` label, the ``MAINTAINER`` line is removed instead. Labels are decided per
stage: one set in another stage, even a stage this one is built ``FROM``, does not count, and
the converted line then sets the stage's own label, as its ``MAINTAINER`` meant to.

Why: ``MAINTAINER`` has been deprecated since Docker 1.13; linters flag it and the OCI image
metadata lives in labels.

Example::

    FROM python:3.12-slim                      FROM python:3.12-slim
    MAINTAINER Jane Doe <jane@example.org>  ->  LABEL maintainer="Jane Doe <jane@example.org>"

Comment lines inside a ``MAINTAINER``'s continuation are kept, above the label (or in place of
the removed lines); blank lines there carry nothing and go.

Refuses: a ``MAINTAINER`` with no value (Docker rejects the line: there is nothing to keep) is
reported and left, whatever labels its stage has. Heredoc bodies and comments that mention
MAINTAINER are never touched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from modernize.authoring import Context, Document, Edit, Notice, RemoveItem, SetValue, line_removals
from modernize.lazy import lazy_pattern

if TYPE_CHECKING:
    from modernize.formats.dockerfile import Instruction

ID = "maintainer-label"
TITLE = "Replace the deprecated MAINTAINER instruction with LABEL maintainer=…"
KINDS = ("dockerfile", "dockerfile-content")
CODE = "M010"
#: What a pending change is, as ``verify`` reports it.
FINDING = "deprecated MAINTAINER instruction"

_MAINTAINER_LABEL = lazy_pattern(r"""^["']?maintainer["']?=""", re.IGNORECASE)


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    instructions = document.dockerfile.instructions
    if not any(instruction.name == "MAINTAINER" for instruction in instructions):
        return
    stages = document.dockerfile.stages
    labelled_stages = {
        stages.holding(index)
        for index, instruction in enumerate(instructions)
        if instruction.name == "LABEL"
        and any(_MAINTAINER_LABEL.match(word.text) for word in instruction.words)
    }
    removed: dict[tuple[int, int], int] = {}  # whole lines of a MAINTAINER to drop -> index
    for index, instruction in enumerate(instructions):
        if instruction.name != "MAINTAINER":
            continue
        # Decided before the stage's labels: whether this stage has a maintainer label may be
        # this very run's doing (a valued MAINTAINER next to it), and a second run must decide
        # the same.
        if not instruction.words:
            yield Notice(
                instruction.start,
                "MAINTAINER without a value: Docker rejects this line; not changed: give it a "
                "value or remove it",
            )
        elif stages.holding(index) in labelled_stages:
            edit = _removal(document, index)
            if edit is None:
                removed[_whole_lines(document, instruction)] = index
            else:
                yield edit
        else:
            yield _label(document, index)
    # All at once: the last line of a file without a final newline takes the newline before it,
    # which may end the line removed just above it.
    for start, end in line_removals(document.text, removed):
        inside = tuple(
            RemoveItem(("instruction", index))
            for (line_start, line_end), index in removed.items()
            if start <= line_start and line_end <= end
        )
        yield Edit(start, end, "", declares=inside)


def _whole_lines(document: Document, instruction: Instruction) -> tuple[int, int]:
    lines = document.lines
    return lines.line_start(instruction.start), lines.line_end(instruction.end)


def _removal(document: Document, index: int) -> Edit | None:
    """A MAINTAINER whose stage has a maintainer label goes; with comment lines inside its
    continuation, they stay in its place (this edit), else its lines go with the other
    removals (None)."""
    text = document.text
    instruction = document.dockerfile.instructions[index]
    comments = _comment_lines(document, instruction)
    if not comments:
        return None
    whole_lines = _whole_lines(document, instruction)
    if whole_lines[1] == len(text) and not text.endswith("\n"):
        comments = comments.rstrip("\r\n")  # the file still ends without a newline
    return Edit(*whole_lines, comments, declares=(RemoveItem(("instruction", index)),))


def _label(document: Document, index: int) -> Edit:
    """The MAINTAINER at ``index`` as a ``LABEL maintainer="…"`` line."""
    text = document.text
    instruction = document.dockerfile.instructions[index]
    if len(instruction.segments) == 1:
        value = text[instruction.words[0].start : instruction.words[-1].end]
    else:
        value = " ".join(word.text for word in instruction.words)
    escape = document.dockerfile.escape
    literal = _quoted_string(value, escape)
    label_value = _double_quoted(value if literal is None else literal, escape)
    keyword = "label" if instruction.keyword.islower() else "LABEL"
    argument = f"maintainer={label_value}"
    # Comment lines inside the continuation go above the label, as they were written.
    comments = _comment_lines(document, instruction)
    line_start = document.lines.line_start(instruction.start)
    start = line_start if comments else instruction.start
    indent = text[line_start : instruction.start] if comments else ""
    return Edit(
        start,
        instruction.end,
        f"{comments}{indent}{keyword} {argument}",
        declares=(
            SetValue(("instruction", index, "name"), "LABEL"),
            SetValue(("instruction", index, "words"), tuple(argument.split())),
        ),
    )


def _comment_lines(document: Document, instruction: Instruction) -> str:
    """The comment lines inside an instruction's continuation, each with its newline."""
    lines = document.lines
    kept: list[str] = []
    position = lines.line_end(instruction.start)
    while position < instruction.end:
        line_end = lines.line_end(position)
        if document.text[position:line_end].lstrip().startswith("#"):
            kept.append(document.text[position:line_end])
        position = line_end
    return "".join(kept)


def _quoted_string(value: str, escape: str) -> str | None:
    """What ``value`` says when it is exactly one quoted string (the author's quoting), else None.

    Read as a LABEL value would be: in double quotes the escape character makes a following
    ``"``, ``$`` or escape character literal and is kept before anything else; in single quotes
    every character is literal. ``"Jane" Doe "x"`` is three words, not one string.
    """
    if len(value) < 2 or value[0] != value[-1] or value[0] not in "\"'":
        return None
    inner = value[1:-1]
    if value[0] == "'":
        return None if "'" in inner else inner
    literal: list[str] = []
    position = 0
    while position < len(inner):
        character = inner[position]
        if character == '"':
            return None
        if character == escape:
            if position + 1 == len(inner):
                return None  # the closing quote is escaped: the string does not end there
            following = inner[position + 1]
            literal.append(following if following in ('"', "$", escape) else character + following)
            position += 2
            continue
        literal.append(character)
        position += 1
    return "".join(literal)


def _double_quoted(literal: str, escape: str) -> str:
    """``literal`` as one double-quoted LABEL value, in the file's escape character.

    Inside double quotes only ``"``, ``$`` and the escape character itself mean something, so
    each gets the escape character before it (``$`` too: LABEL expands variables, MAINTAINER did
    not). When the backtick is the escape character, a backslash is an ordinary character and is
    not doubled.
    """
    escaped = "".join(
        escape + character if character in ('"', "$", escape) else character
        for character in literal
    )
    return f'"{escaped}"'


_MAINTAINER_LINE = lazy_pattern(r"^\s*maintainer(?!\S)", re.IGNORECASE | re.MULTILINE)


def touches(text: str, context: Context) -> bool:
    """An instruction starts a line (after blanks): no such line, no MAINTAINER."""
    return _MAINTAINER_LINE.search(text) is not None
