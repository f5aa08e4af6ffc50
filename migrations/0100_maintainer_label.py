"""Replace the deprecated ``MAINTAINER`` instruction with a ``maintainer`` label.

What: ``MAINTAINER Name <mail>`` becomes ``LABEL maintainer="Name <mail>"`` at the same place,
with double quotes and backslashes inside the value escaped and the keyword's case following the
original (``maintainer x`` becomes ``label maintainer="x"``). When the Dockerfile already sets a
``maintainer`` label, the ``MAINTAINER`` line is removed instead.

Why: ``MAINTAINER`` has been deprecated since Docker 1.13; linters flag it and the OCI image
metadata lives in labels.

Example::

    FROM python:3.12-slim                      FROM python:3.12-slim
    MAINTAINER Jane Doe <jane@example.org>  ->  LABEL maintainer="Jane Doe <jane@example.org>"

Refuses: nothing; heredoc bodies and comments that mention MAINTAINER are never touched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from modernize.document import Document
from modernize.edits import line_removals
from modernize.model import Edit, Notice
from modernize.registry import Context, findings_of

ID = "maintainer-label"
TITLE = "Replace the deprecated MAINTAINER instruction with LABEL maintainer=…"
KINDS = ("dockerfile",)

_MAINTAINER_LABEL = re.compile(r"""^["']?maintainer["']?=""", re.IGNORECASE)


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    instructions = document.dockerfile.instructions
    if not any(instruction.name == "MAINTAINER" for instruction in instructions):
        return
    labelled = any(
        instruction.name == "LABEL"
        and any(_MAINTAINER_LABEL.match(word.text) for word in instruction.words)
        for instruction in instructions
    )
    text = document.text
    for index, instruction in enumerate(instructions):
        if instruction.name != "MAINTAINER":
            continue
        declares = (("instruction", index),)
        if labelled:
            whole_lines = (
                document.lines.line_start(instruction.start),
                document.lines.line_end(instruction.end),
            )
            for start, end in line_removals(text, [whole_lines]):
                yield Edit(start, end, "", declares=declares)
            continue
        if not instruction.words:
            continue
        if len(instruction.segments) == 1:
            value = text[instruction.words[0].start : instruction.words[-1].end]
        else:
            value = " ".join(word.text for word in instruction.words)
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        else:
            value = value.replace("\\", "\\\\").replace('"', '\\"')
        # LABEL expands variables where MAINTAINER did not: keep ``$`` literal.
        value = value.replace("$", "\\$")
        keyword = "label" if instruction.keyword.islower() else "LABEL"
        yield Edit(
            instruction.start, instruction.end, f'{keyword} maintainer="{value}"', declares=declares
        )


_MAINTAINER_LINE = re.compile(r"^\s*maintainer(?!\S)", re.IGNORECASE | re.MULTILINE)


def touches(text: str, context: Context) -> bool:
    """An instruction starts a line (after blanks): no such line, no MAINTAINER."""
    return _MAINTAINER_LINE.search(text) is not None


def check(document: Document, context: Context) -> Iterator[Notice]:
    yield from findings_of(migrate, document, context, "deprecated MAINTAINER instruction")
