"""Say when a lockfile must be made again because its project's Python claim moves.

What: a ``uv.lock``, ``poetry.lock`` or ``pdm.lock`` records the Python requirement of the
project it locks (uv: ``requires-python`` at the top; Poetry: ``python-versions`` in
``[metadata]``; PDM: ``requires_python`` of ``[[metadata.targets]]``). When the run moves that
project's claim (``pyproject-python``), the lock is warned at that line with the command that
makes it again (``uv lock``, ``poetry lock``, ``pdm lock``): the tool cannot lock offline, and
a lock is never edited by hand. A lock whose recorded floor is below its project's claim (one
made before the claim moved) is warned the same way, so ``verify`` reports a lock left stale.
A ``uv.lock`` locks its folder's project and the workspace members below it that have no lock
of their own; a Poetry or PDM lock, its folder's project.

Why: ``uv sync --locked`` and ``poetry install`` refuse a lock that no longer matches its
pyproject, and so does every Dockerfile and workflow step that runs them: the upgrade would
break the build it was meant to modernize.

Example::

    pyproject.toml:  requires-python = ">=3.10"  ->  ">=3.12"
    uv.lock:3: warning: this lock records requires-python '>=3.10' while pyproject.toml's
        requires-python moves to '>=3.12': run `uv lock` in this folder and commit the new lock…

Refuses: nothing to refuse, it never edits. A project held back (its claim cannot allow the
target) keeps its claim, so its lock stays right and is not warned; a lock that records no
claim is warned only when its project's claim moves.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from modernize.authoring import Context, Document, Notice
from modernize.kinds import LOCK_COMMANDS
from modernize.lazy import lazy_pattern

ID = "python-lockfiles"
TITLE = "Warn at uv.lock, poetry.lock and pdm.lock when their project's Python claim moves"
KINDS = ("lockfile",)
CODE = "M014"
#: What a pending change is, as ``verify`` reports it.
FINDING = "lockfile to make again for its project's Python claim"

#: Per lockfile: the key it records its project's claim at, the command that makes it again,
#: what fails until then, and the claims of its project it records, in the order the tool
#: reads them.
_TOOLS = {
    "uv.lock": (
        "requires-python",
        LOCK_COMMANDS["uv.lock"],
        "`uv sync --locked` fails",
        ("requires-python",),
    ),
    "poetry.lock": (
        "python-versions",
        LOCK_COMMANDS["poetry.lock"],
        "`poetry install` refuses the lock",
        ("[tool.poetry.dependencies] python", "requires-python"),
    ),
    "pdm.lock": (
        "requires_python",
        LOCK_COMMANDS["pdm.lock"],
        "`pdm install --check` fails",
        ("requires-python",),
    ),
}
_UV = lazy_pattern(r'^requires-python[ \t]*=[ \t]*"(?P<claim>[^"\n]*)"', re.M)
_POETRY = lazy_pattern(r'^python-versions[ \t]*=[ \t]*"(?P<claim>[^"\n]*)"', re.M)
_PDM = lazy_pattern(r'^requires_python[ \t]*=[ \t]*"(?P<claim>[^"\n]*)"', re.M)


def migrate(document: Document, context: Context) -> Iterator[Notice]:
    from modernize.rules.python_claims import floor

    survey = context.survey
    name = posixpath.basename(document.path)
    if survey is None or name not in _TOOLS:
        return
    recorded_key, command, failure, keys = _TOOLS[name]
    projects = survey.locked_by(document.path)
    recorded = _recorded(name, document.text)
    position, written = (recorded.start("claim"), recorded["claim"]) if recorded else (0, None)
    records = f"records {recorded_key} {written!r}" if written is not None else "was made"
    advice = f"run `{command}` in this folder and commit the new lock; until then {failure}"
    for project in projects:
        claim = project.claim(keys)
        if claim is None:
            continue
        pyproject = _relative(project.described_at, document.path)
        if claim.after != claim.before:
            yield Notice(
                position,
                f"this lock {records} while {pyproject}'s {claim.key} moves from "
                f"{claim.before!r} to {claim.after!r}: {advice}, and so does every "
                "Dockerfile or workflow step that runs it",
            )
            return
    if written is None:
        return
    locked = floor(written)
    for project in projects:
        claim = project.claim(keys)
        wanted = floor(claim.before) if claim is not None else None
        if claim is not None and locked is not None and wanted is not None and locked < wanted:
            pyproject = _relative(project.described_at, document.path)
            yield Notice(
                position,
                f"this lock {records}, older than {pyproject}'s {claim.key} "
                f"{claim.before!r}: {advice}",
            )
            return


def _recorded(name: str, text: str) -> re.Match[str] | None:
    """Where the lock records its project's claim, or None: in the table that holds it only
    (every package of a Poetry or PDM lock records its own Python requirement)."""
    if name == "uv.lock":
        start, pattern = 0, _UV
    elif name == "poetry.lock":
        start, pattern = text.rfind("\n[metadata]\n"), _POETRY
    else:
        start, pattern = text.find("\n[[metadata.targets]]\n"), _PDM
    if start < 0:
        return None
    table_end = re.compile(r"^\[", re.M).search(text, start + 2)
    return pattern.search(text, start, table_end.start() if table_end else len(text))


def _relative(path: str, lock: str) -> str:
    """``path`` as named from the lock's folder (``pyproject.toml``, ``api/pyproject.toml``)."""
    return posixpath.relpath(path, posixpath.dirname(lock) or ".")
