"""Move the Python of standalone tool configurations to the target: ``ruff.toml``, Pipenv's
``Pipfile`` and ``pyrightconfig.json``.

What: ``target-version = "py310"`` at the top of ``ruff.toml`` or ``.ruff.toml`` (ruff's own
file, where the setting has no ``[tool.ruff]`` table) becomes ``"py312"``. In a ``Pipfile``,
``[requires] python_version = "3.10"`` becomes ``"3.12"`` and ``python_full_version =
"3.10.13"`` the target's newest patch release in the shipped knowledge (with a note naming its
date); the ``Pipfile.lock`` records the old one until ``pipenv lock`` makes it again, which a
warning at the Pipfile says. ``pyrightconfig.json``'s ``"pythonVersion": "3.10"`` (also an
execution environment's) becomes ``"3.12"`` (its comments and trailing commas kept).

Why: a linter that targets 3.10 keeps the old syntax; ``pipenv install`` creates its
environment with the Pipfile's Python.

Example::

    ruff.toml:  target-version = "py310"    ->  target-version = "py312"
    Pipfile:    python_version = "3.10"     ->  python_version = "3.12"

Refuses: a ``python_full_version`` when the shipped knowledge has no release of the target
(reported). Left silently: values at or above the target and settings it does not know. A
comment that may explain the pin keeps it; a project that cannot run the target keeps its
files.
"""

from __future__ import annotations

import os.path
from collections.abc import Iterator

from modernize.authoring import Context, Document, Edit, InPlace, Notice, Targets, toml
from modernize.lazy import lazy_pattern
from modernize.rules.releases import newest_release, release_note
from modernize.rules.toml_python import plain_version_edits, replace_content, ruff_target_edits
from modernize.rules.versions import below, minor_below, plain_minor

ID = "tool-configs-python"
TITLE = "Move ruff.toml's target-version, the Pipfile's and pyrightconfig.json's Python"
KINDS = ("ruff-config", "pipfile", "pyright")
#: It moves a file's Python: a file whose project cannot run the target stays.
MOVES = "python"
CODE = "M018"
#: What a pending change is, as ``verify`` reports it.
FINDING = "tool configuration Python below the target"

_FULL = lazy_pattern(r"^([0-9]+)\.([0-9]+)\.[0-9]+$")


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    targets = context.targets
    if document.kind == "pyright":
        for path, string in document.jsonc.strings.items():
            environment = len(path) == 3 and path[0] == "executionEnvironments"
            if path[-1] != "pythonVersion" or not (len(path) == 1 or environment):
                continue
            minor = plain_minor(string.value)
            if minor is not None and below(*minor, targets.python):
                if document.text[string.start : string.end] != string.value:
                    yield Notice(
                        string.start,
                        f"pythonVersion {string.value!r} is written with escapes: not changed; "
                        "write it plainly, or move it by hand",
                    )
                    continue
                new = targets.python_minor
                yield Edit(string.start, string.end, new, declares=(InPlace(path),))
        return
    located = document.toml.located
    if document.kind == "ruff-config":
        value = located.get(("target-version",))
        if value is not None:
            yield from ruff_target_edits(document, value, targets)
        return
    edits: list[Edit | Notice] = []
    short = located.get(("requires", "python_version"))
    if short is not None:
        edits += plain_version_edits(document, short, targets)
    full = located.get(("requires", "python_full_version"))
    if full is not None:
        edits += _full_version(document, full, targets)
    yield from edits
    if any(isinstance(edit, Edit) for edit in edits):
        lock = os.path.basename(document.path) + ".lock"
        yield Notice(
            next(edit.start for edit in edits if isinstance(edit, Edit)),
            f"{lock} records the Python this Pipfile asked for: run `pipenv lock` and commit "
            f"the new {lock}; until then `pipenv install --deploy` refuses it",
            advisory=True,
        )


def _full_version(
    document: Document, value: toml.Value, targets: Targets
) -> Iterator[Edit | Notice]:
    items = toml.strings_in(document.text, value)
    if len(items) != 1:
        return
    match = _FULL.match(items[0].value)
    if match is None or not below(match[1], match[2], targets.python):
        return
    release = newest_release(targets)
    if release is None:
        yield Notice(
            value.start,
            f"python_full_version {items[0].value}: no {targets.python_minor} release is known "
            "to this release of modernize: not changed; set one by hand",
        )
        return
    yield replace_content(items[0], release, value)
    yield release_note(value.start, f"python_full_version {items[0].value}", release, targets)


def touches(text: str, context: Context) -> bool:
    return minor_below(text, context.targets.python) or "py3" in text
