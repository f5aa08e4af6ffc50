"""Standards checks for ``modernize verify`` that are not migrations.

Each rule has a stable code. A rule applies only where its subject exists: a repository without
a database or render.yaml never fails for them. No rule repeats a migration's finding: what a
migration would change is that migration's code (``M013`` for a stale redis).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from modernize.kinds import BY_NAME
from modernize.model import Severity
from modernize.records import record

if TYPE_CHECKING:
    from pathlib import Path

    from modernize.formats.document import Document
    from modernize.targets import Targets


@record(frozen=True)
class Rule:
    """A standard a file is checked against: its code, severity, summary and how to meet it."""

    code: str
    severity: Severity
    summary: str
    #: What the rule checks and why it matters (``modernize rule CODE``, SARIF's
    #: ``fullDescription``).
    explanation: str = ""
    #: A short file that breaks it.
    example: str = ""
    #: What to do.
    fix: str = ""


@record(frozen=True)
class Violation:
    """A standard broken at ``offset`` of a file's text, with the message to report."""

    offset: int
    code: str
    message: str


RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule(
            "E001",
            "error",
            "The file could not be checked (unreadable or unparseable).",
            "A file of a kind modernize reads could not be read, decoded as UTF-8 or parsed, or "
            "is a template (Jinja or similar) rather than the format itself. Nothing vouches for "
            "it: apply passes over it with a warning and verify reports it. A symbolic link that "
            "is broken, loops or leads out of the repository is a warning of this code.",
            "",
            "Fix the syntax error at the line given, or exclude the file (`exclude` in "
            "[tool.modernize]) when it is not meant to be read as it stands.",
        ),
        Rule(
            "E002",
            "error",
            "A check failed on the file: an internal error of modernize.",
            "A migration's check or a standard raised an exception on this file. Its findings "
            "for the file are lost; the other checks and files still ran, and verify exits 2. "
            "It cannot be silenced.",
            "",
            "Report it with the file (or a file that shows the same error) and the message.",
        ),
        Rule(
            "V000",
            "note",
            "An optional validator could not parse the file (not checked).",
            "check-jsonschema or hadolint, when installed, read the file and could not parse it, "
            "so it was not checked against its schema or rules.",
            "",
            "Run the validator on the file to see why, or pass --no-external.",
        ),
        Rule(
            "V001",
            "error",
            "The file does not match its JSON schema (check-jsonschema).",
            "check-jsonschema, when installed, validates workflows, compose files and other "
            "files with a published schema; this file breaks its schema at the line given.",
            "",
            "Correct the value the message names; the schema says what is allowed there.",
        ),
        Rule(
            "DF001",
            "warning",
            "The final Dockerfile stage runs as root (no non-root USER).",
            "A process that runs as root inside a container is root on the host's kernel: an "
            "escape or a writable mount gives it the host. It holds for images that are "
            "deployed; not for a devcontainer's or a container action's Dockerfile, nor over an "
            "official image that drops to its own user (postgres, redis).",
            'FROM python:3.12-slim\nCOPY . /app\nCMD ["python", "/app/main.py"]',
            "Create a user and switch to it in the final stage: `RUN useradd --uid 10001 app` "
            "then `USER 10001`.",
        ),
        Rule(
            "DF002",
            "warning",
            "The final Dockerfile stage has no HEALTHCHECK.",
            "Without a HEALTHCHECK, Docker and compose only know that the process runs, not "
            "that it serves: `depends_on: condition: service_healthy` cannot wait for it.",
            'FROM python:3.12-slim\nCMD ["gunicorn", "app:app"]',
            "Add `HEALTHCHECK CMD curl -fsS http://localhost:8000/health || exit 1` (or a probe "
            "of your own); a one-shot tool silences it with `# modernize: ignore[DF002]`.",
        ),
        Rule(
            "DF003",
            "warning",
            "Dependencies are installed in a single-stage Dockerfile.",
            "Installing dependencies in the one stage that ships keeps compilers, caches and "
            "build tools in the image: it is larger, slower to pull and has more to patch.",
            "FROM python:3.12\nCOPY . /app\nRUN pip install -r /app/requirements.txt",
            "Build in a first stage (`FROM python:3.12 AS build`, `pip wheel` or a virtual "
            "environment) and copy only the result into a slim final stage.",
        ),
        Rule(
            "CP001",
            "warning",
            "A compose database or cache service has no healthcheck.",
            "The services that depend on a database start as soon as its container does, "
            "before it accepts connections, unless it has a healthcheck they can wait for.",
            "services:\n  db:\n    image: postgres:16",
            'Add `healthcheck: {test: ["CMD-SHELL", "pg_isready -U postgres"]}` and '
            "`depends_on: {db: {condition: service_healthy}}` to the services that use it.",
        ),
        Rule(
            "CP002",
            "warning",
            "A compose database keeps its data outside a named volume.",
            "Data in the container's own layer is lost with the container; a bind mount ties "
            "it to one host path and its ownership. The message names the image's data path "
            "(for postgres 18 and later, /var/lib/postgresql).",
            "services:\n  db:\n    image: postgres:16",
            'Mount a named volume at the data path: `volumes: ["db-data:/var/lib/postgresql/'
            'data"]` and declare `db-data:` under the top-level `volumes:`.',
        ),
        Rule(
            "RD001",
            "warning",
            "A render.yaml service does not set autoDeploy.",
            "Whether a push deploys is then the dashboard's setting, not the repository's: the "
            "blueprint does not say what happens on merge.",
            "services:\n  - type: web\n    name: api",
            "Set `autoDeploy: true` (or `autoDeployTrigger: commit`, or `false` to deploy by "
            "hand) on the service.",
        ),
        Rule(
            "RD002",
            "warning",
            "A render.yaml web service has no healthCheckPath.",
            "Without a health check path, Render routes traffic to a new deploy as soon as its "
            "port opens, and cannot hold back a deploy that fails to serve.",
            "services:\n  - type: web\n    name: api\n    autoDeploy: true",
            "Set `healthCheckPath: /health` (a path that answers 200 when the service is ready).",
        ),
        Rule(
            "MK001",
            "warning",
            "The Makefile lacks one of the help, install, lint, test targets.",
            "The project's own Makefile is where a newcomer looks for how to set up, check and "
            "test; the four targets are the shared vocabulary. Targets of included files count.",
            "test:\n\tpytest",
            "Add the missing targets (the message lists them), even as one-line wrappers.",
        ),
        Rule(
            "MK002",
            "warning",
            "The Makefile has no ci target running lint, type-check and tests.",
            "CI and a developer should run the same checks: a `ci` target that runs lint, the "
            "type checker and the tests makes `make ci` the one command for both.",
            "ci: test",
            "Add `ci: lint typecheck test` (with the targets that run ruff, mypy and pytest or "
            "your equivalents).",
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
