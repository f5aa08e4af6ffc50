"""Call Compose V2 as ``docker compose`` instead of the retired ``docker-compose`` binary.

What: in Makefile recipe lines (also a recipe after ``;`` on the rule line), in Makefile
variables whose value runs the command (``COMPOSE ?= docker-compose``, target-specific ones too),
and in workflow and composite-action ``run:`` scripts, the command ``docker-compose`` becomes
``docker compose``, also at the start of a quoted script given to a shell (``bash -c "…"``),
and after what runs the command after it: reserved words (``if``, ``while !``, ``until``,
``then``, ``!``), assignments, and ``sudo -E``, ``env X=1``, ``timeout 60``, ``xargs -r``,
``nohup``, ``exec``, ``nice``, ``time`` and ``command`` with their options. Make's
``@``/``-`` prefixes, tabs and everything around the word stay. Whether the word is the
command is decided on the command line the shell reads: lines joined by a trailing backslash,
and a ``run:`` value after YAML folding (plain and quoted values over several lines, ``>``), so
``pip install \\`` then ``docker-compose``, or ``run: pip install`` then ``docker-compose``,
installs a package and is kept, while ``docker-compose \\`` then ``up -d`` still becomes
``docker compose``.

Why: Compose V1 (the Python ``docker-compose`` binary) is end-of-life and absent from current
runners and Docker installs; V2 is the ``docker compose`` plugin.

Example::

    up:                                        up:
    \t@docker-compose -f docker-compose.yml up   ->  \t@docker compose -f docker-compose.yml up

Refuses: a line that tests for the binary (``which docker-compose``, ``command -v
docker-compose``, ``type``/``hash``) is left and reported: it needs rewriting by hand (for
example as ``docker compose version``). A ``run:`` value spelled with escapes (``\\"`` in double
quotes, ``''`` in single quotes) cannot be edited in place: its uses are reported and left.
Never touched: file names (``docker-compose.yml``), paths (``…/cli-plugins/docker-compose``),
longer words (``docker-compose-up``), target lines, job and step names, comments, and the
arguments of a command (the package an installer is given).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from modernize.authoring import (
    Context,
    DataPath,
    Document,
    Edit,
    InPlace,
    Notice,
    makefile,
    shell,
    yamldoc,
)
from modernize.rules.textcheck import matches_where

ID = "compose-v2-cli"
TITLE = "Call `docker compose` instead of `docker-compose` in Makefiles and workflow scripts"
KINDS = ("makefile", "workflow", "action")
CODE = "M006"
#: What a pending change is, as ``verify`` reports it.
FINDING = "docker-compose (Compose V1) command"

OLD = "docker-compose"
NEW = "docker compose"
BINARY_CHECK = (
    "this line tests for the standalone docker-compose binary; not changed: rewrite it by hand "
    "(for example `docker compose version`)"
)
ESCAPED = (
    "this run: value is written with escapes, which cannot be edited in place; not changed: "
    "write `docker compose` here by hand"
)


def _edits(
    document: Document, script: shell.Script, declared: DataPath | None
) -> Iterator[Edit | Notice]:
    """The edits and refusals for the uses in ``script``; each edit declares ``declared``, or
    when that is None (a Makefile) the line it is on."""
    uses = list(shell.command_uses(script, OLD))
    # A command line that tests for the binary is left whole, other uses on it included.
    checked_lines = {use.line for use in uses if use.binary_check}
    for use in uses:
        if use.binary_check:
            yield Notice(use.start, BINARY_CHECK)
        elif use.line not in checked_lines:
            path = ("line", document.line_of(use.start) - 1) if declared is None else declared
            yield Edit(use.start, use.end, NEW, declares=(InPlace(path),))


def _makefile_script(text: str) -> shell.Script:
    """The recipe lines and variable values of a Makefile, one after the other as the shell
    reads them (a backslash continues a line); rule lines and comments are left out."""
    parts: list[str] = []
    segments: list[tuple[int, int, int]] = []
    length = 0
    for line in makefile.lines(text):
        if line.kind != "other":
            segments.append((line.code_start, line.end, length))
            parts.append(text[line.code_start : line.end])
            length += line.end - line.code_start + 1
    return shell.Script("\n".join(parts), tuple(segments))


def _run_edits(
    document: Document, run: yamldoc.ScalarNode, path: DataPath
) -> Iterator[Edit | Notice]:
    """The ``run:`` value as the shell gets it (folded lines joined), mapped to where it is
    spelled. A value spelled with escapes (``\\"`` or ``''`` in a quoted string) cannot be
    edited in place: its uses, read from its text on one line, are reported instead."""
    segments = yamldoc.scalar_segments(document.text, run)
    if segments is not None:
        yield from _edits(document, shell.Script(str(run.value), tuple(segments)), path)
        return
    start, end = run.start_mark.index, run.end_mark.index
    spelled = shell.Script(re.sub(r"[\r\n]", " ", document.text[start:end]), ((start, end, 0),))
    for use in shell.command_uses(spelled, OLD):
        yield Notice(use.start, BINARY_CHECK if use.binary_check else ESCAPED)


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    if OLD not in document.text:
        return
    if document.kind == "makefile":
        yield from _edits(document, _makefile_script(document.text), None)
        return
    for path, node in document.yaml.walk():
        run = yamldoc.get(node, "run") if isinstance(node, yamldoc.MappingNode) else None
        if isinstance(run, yamldoc.ScalarNode) and OLD in str(run.value):
            yield from _run_edits(document, run, (*path, "run"))


def touches(text: str, context: Context) -> bool:
    """Every change and refusal here is a use of the word found in the text itself."""
    # Tried only where the word is: the search starts with a lookbehind, so it would try
    # every character of the text.
    return any(matches_where(text, OLD, 0, shell.command_word(OLD)))
