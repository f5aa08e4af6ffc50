"""Move the Python of a conda environment file to the target.

What: in ``environment.yml`` (or ``.yaml``), the ``python`` entry of ``dependencies`` with one
version below the target moves to it in the same form: ``python=3.10`` becomes ``python=3.12``,
``python>=3.10`` becomes ``python>=3.12``, ``python 3.10.*`` becomes ``python 3.12.*``, a
bound with a patch (``python>=3.10.0``, ``python~=3.10.0``) the target's first release
(``3.12.0``); an exact release (``python==3.10.13``, ``python=3.10.13``) becomes the target's
newest patch release in the shipped knowledge, with a note naming its date. A channel prefix
(``conda-forge::python``) is kept. The ``pip:`` list is never read.

Why: ``conda env create`` builds the environment with that Python; left behind, developers and
documentation builds run a Python the image and CI no longer test.

Example::

    dependencies:                       dependencies:
      - python=3.10             ->        - python=3.12
      - numpy>=1.26                       - numpy>=1.26

Refuses: a specification with several clauses or alternatives (``python>=3.10,<3.12``,
``python 3.10|3.11``: reported), and an exact release when no release of the target is known.
Left silently: versions at or above the target, ``python`` with no version, other packages. A
comment that may explain the pin keeps it; a project that cannot run the target keeps its file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from modernize.authoring import Context, Document, Edit, InPlace, Notice, Targets, yamldoc
from modernize.lazy import lazy_pattern
from modernize.rules.releases import newest_release, release_note
from modernize.rules.textcheck import yaml_escapes
from modernize.rules.versions import below, minor_below

ID = "conda-python"
TITLE = "Move the python dependency of conda environment files to the target"
KINDS = ("conda",)
#: It moves a file's Python: a file whose project cannot run the target stays.
MOVES = "python"
CODE = "M019"
#: What a pending change is, as ``verify`` reports it.
FINDING = "conda environment Python below the target"

#: ``[channel::]python`` then a version specification.
_ENTRY = lazy_pattern(
    r"^(?:[\w.-]+::)?python(?P<operator>[ \t]*(?:==|>=|>|=|~=|[ \t])[ \t]*)"
    r"(?P<version>(?P<major>[0-9]+)\.(?P<minor>[0-9]+)(?P<rest>(?:\.[0-9]+|\.\*)?))"
    r"(?P<more>.*)$"
)


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    targets = context.targets
    for root in document.yaml.roots:
        dependencies = yamldoc.get(root, "dependencies")
        if not isinstance(dependencies, yamldoc.SequenceNode):
            continue
        for entry in dependencies.value:
            if isinstance(entry, yamldoc.ScalarNode):
                yield from _entry(document, entry, targets)


def _entry(
    document: Document, entry: yamldoc.ScalarNode, targets: Targets
) -> Iterator[Edit | Notice]:
    value = str(entry.value)
    match = _ENTRY.match(value)
    if match is None or not below(match["major"], match["minor"], targets.python):
        return
    if match["more"].strip():
        yield Notice(
            entry.start_mark.index,
            f"{value!r} has several clauses or alternatives; not changed: move it to "
            f"{targets.python_minor} by hand",
        )
        return
    new = _new_version(match, targets)
    if new is None:
        yield Notice(
            entry.start_mark.index,
            f"{value!r} is an exact release and no {targets.python_minor} release is known to "
            "this release of modernize: not changed; set one by hand",
        )
        return
    span = yamldoc.scalar_span(document.text, entry)
    if span is None or document.text[span[0] : span[1]] != value:
        yield Notice(
            entry.start_mark.index,
            f"{value!r} is written with escapes; not changed: write {new} by hand",
        )
        return
    start = span[0] + match.start("version")
    yield Edit(
        start,
        span[0] + match.end("version"),
        new,
        declares=(InPlace(document.yaml.path_of(entry)),),
    )
    if new not in (targets.python_minor, f"{targets.python_minor}.*", f"{targets.python_minor}.0"):
        yield release_note(start, f"python {match['version']}", new, targets)


def _new_version(match: re.Match[str], targets: Targets) -> str | None:
    """The target in the entry's form: ``3.12``, ``3.12.*``; for a bound with a patch
    (``>=3.10.0``, ``~=3.10.0``) the target's first release (``3.12.0``); for an exact release
    (``==3.10.13``, ``=3.10.13``, ``3.10.13``) the newest known one."""
    rest = match["rest"]
    if not rest:
        return targets.python_minor
    if rest == ".*":
        return f"{targets.python_minor}.*"
    if match["operator"].strip() in (">=", ">", "~="):
        return f"{targets.python_minor}.0"
    return newest_release(targets)


def touches(text: str, context: Context) -> bool:
    return yaml_escapes(text) or minor_below(text, context.targets.python)
