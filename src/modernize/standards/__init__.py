"""Standards checks for ``modernize verify`` that are not migrations.

Each rule has a stable code. A rule applies only where its subject exists: a repository without
a database or render.yaml never fails for them. No rule repeats a migration's finding: what a
migration would change is that migration's code (``M013`` for a stale redis).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from modernize.kinds import BY_NAME
from modernize.model import Severity

if TYPE_CHECKING:
    from pathlib import Path

    from modernize.formats.document import Document
    from modernize.targets import Targets


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    summary: str


@dataclass(frozen=True)
class Violation:
    offset: int
    code: str
    message: str


RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule("E001", "error", "The file could not be checked (unreadable or unparseable)."),
        Rule("DF001", "warning", "The final Dockerfile stage runs as root (no non-root USER)."),
        Rule("DF002", "warning", "The final Dockerfile stage has no HEALTHCHECK."),
        Rule("DF003", "warning", "Dependencies are installed in a single-stage Dockerfile."),
        Rule("CP001", "warning", "A compose database or cache service has no healthcheck."),
        Rule("CP002", "warning", "A compose database keeps its data outside a named volume."),
        Rule("RD001", "warning", "A render.yaml service does not set autoDeploy."),
        Rule("RD002", "warning", "A render.yaml web service has no healthCheckPath."),
        Rule(
            "MK001", "warning", "The Makefile lacks one of the help, install, lint, test targets."
        ),
        Rule(
            "MK002", "warning", "The Makefile has no ci target running lint, type-check and tests."
        ),
    )
}

#: A kind's rules: its document, the run's targets, and the folder the file is in (the rules
#: of a Dockerfile read the ``action.yml`` beside it).
Check = Callable[["Document", "Targets", "Path"], Iterator[Violation]]


def checks_for(kind: str) -> list[Check]:
    """The rules for every file of ``kind``; the MK rules are not among them, as they hold for
    the project's own Makefile only (``makefile.check``). A kind whose row in
    ``modernize.kinds`` says ``standards="each"`` has a module of its name here."""
    found = BY_NAME.get(kind)
    if found is None or found.standards != "each":
        return []
    module = importlib.import_module(f"modernize.standards.{kind}")
    check: Check = module.check
    return [check]
