"""Call Compose V2 as ``docker compose`` instead of the retired ``docker-compose`` binary.

What: in Makefile recipe lines (also a recipe after ``;`` on the rule line), in Makefile
variables whose value runs the command (``COMPOSE ?= docker-compose``, target-specific ones too),
and in workflow and composite-action ``run:`` scripts, the command ``docker-compose`` becomes
``docker compose``, also at the start of a quoted script given to a shell (``bash -c "…"``).
Make's ``@``/``-`` prefixes, tabs and everything around the word stay.

Why: Compose V1 (the Python ``docker-compose`` binary) is end-of-life and absent from current
runners and Docker installs; V2 is the ``docker compose`` plugin.

Example::

    up:                                        up:
    \t@docker-compose -f docker-compose.yml up   ->  \t@docker compose -f docker-compose.yml up

Refuses: a line that tests for the binary (``which docker-compose``, ``command -v
docker-compose``, ``type``/``hash``) is left and reported: it needs rewriting by hand (for
example as ``docker compose version``). Never touched: file names (``docker-compose.yml``), paths
(``…/cli-plugins/docker-compose``), longer words (``docker-compose-up``), target lines, job and
step names, and comments.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from modernize.document import Document
from modernize.formats import makefile
from modernize.lazy import lazy_import
from modernize.model import DataPath, Edit, InPlace, Notice
from modernize.registry import Context, findings_of
from modernize.shell import command_uses, command_word

if TYPE_CHECKING:
    from modernize.formats import yamldoc
else:  # imported when a file is parsed, not when the migration is listed
    yamldoc = lazy_import("modernize.formats.yamldoc")

ID = "compose-v2-cli"
TITLE = "Call `docker compose` instead of `docker-compose` in Makefiles and workflow scripts"
KINDS = ("makefile", "workflow", "action")

OLD = "docker-compose"
NEW = "docker compose"
BINARY_CHECK = (
    "this line tests for the standalone docker-compose binary; not changed: rewrite it by hand "
    "(for example `docker compose version`)"
)


def _edits(document: Document, start: int, end: int, declares: DataPath) -> Iterator[Edit | Notice]:
    uses = list(command_uses(document.text, OLD, start, end))
    # A line that tests for the binary is left whole, other uses on it included.
    checked_lines = {document.line_of(use.start) for use in uses if use.binary_check}
    for use in uses:
        if use.binary_check:
            yield Notice(use.start, BINARY_CHECK)
        elif document.line_of(use.start) not in checked_lines:
            yield Edit(use.start, use.end, NEW, declares=(InPlace(declares),))


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    if OLD not in document.text:
        return
    if document.kind == "makefile":
        for number, line in enumerate(makefile.lines(document.text)):
            if line.kind != "other":
                yield from _edits(document, line.code_start, line.end, ("line", number))
        return
    for path, node in document.yaml.walk():
        run = yamldoc.get(node, "run") if isinstance(node, yamldoc.MappingNode) else None
        if isinstance(run, yamldoc.ScalarNode) and OLD in str(run.value):
            yield from _edits(document, run.start_mark.index, run.end_mark.index, (*path, "run"))


def touches(text: str, context: Context) -> bool:
    """Every change and refusal here is a use of the word found in the text itself."""
    return command_word(OLD).search(text) is not None


def check(document: Document, context: Context) -> Iterator[Notice]:
    yield from findings_of(migrate, document, context, "docker-compose (Compose V1) command")
