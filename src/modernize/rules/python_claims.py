"""What becomes of a project's Python requirement (``requires-python``, Poetry's ``python``)
when the target moves: which lower bounds are raised, or why the claim cannot move.

One reading serves the pyproject migration, which edits the claim, and the repository survey,
which holds back every file of a project whose claim cannot move: both must agree, or a second
run would undo the first's decision.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import field
from typing import TYPE_CHECKING

from modernize.lazy import lazy_pattern
from modernize.model import Edit, InPlace, Notice
from modernize.records import record
from modernize.rules.versions import Minor, below, release_minor, target_minor

if TYPE_CHECKING:
    from packaging.version import Version

    from modernize.formats import toml
    from modernize.formats.document import Document
    from modernize.registry import Context
    from modernize.targets import Targets

#: Where a pyproject writes its Python requirements, in the order they are read.
REQUIREMENT_PATHS = (("project", "requires-python"), ("tool", "poetry", "dependencies", "python"))

_CLAUSE = lazy_pattern(
    r"^(?P<lead>\s*)(?P<op>===|>=|<=|==|!=|~=|>|<|\^|~|=)?(?P<gap>\s*)"
    r"(?P<version>[0-9]+(?:\.[0-9]+)*)(?P<star>\.\*)?\s*$"
)
_LOWER_OPS = frozenset({">=", ">", "~=", "^", "~", "==", "=", "===", None})
#: The word a refusal uses when an upper bound or exclusion rules the target out.
EXCLUDES = "excludes"


@record(frozen=True)
class ClaimPlan:
    """What moving a requirement to the target means."""

    #: ``(start, end, replacement)`` spans inside the requirement's text, when it moves.
    raises: list[tuple[int, int, str]] = field(default_factory=list)
    #: Why it does not move ("" when it moves or is already at the target).
    refusal: str = ""
    #: Whether the refusal is only that the requirement could not be read.
    unreadable: bool = False
    #: Whether the requirement allows no release of the target (a project that cannot run it).
    holds: bool = False


def plan_claim(content: str, python: Version) -> ClaimPlan:
    """The plan for the requirement ``content`` (the string's text) and the target ``python``."""
    target = target_minor(python)
    matches = []
    for clause in re.finditer(r"[^,]+", content):
        match = _CLAUSE.match(clause.group())
        if match is None:
            return ClaimPlan(
                refusal=f"Python requirement {content!r} not understood; not changed",
                unreadable=True,
            )
        matches.append((clause.start(), match))
    raises: list[tuple[int, int, str]] = []
    for offset, match in matches:
        op, version = match["op"], match["version"]
        if match["star"] and "." not in version:
            continue  # ``==3.*``: every 3.x, no lower bound to raise
        if op in _LOWER_OPS and below(*release_minor(version), python):
            if op in ("==", "=", "===", None) and not match["star"]:
                return ClaimPlan(
                    refusal=f"Python requirement {content!r} pins an exact version; not changed",
                    holds=True,
                )
            start = offset + match.start("op" if op == ">" else "version")
            end = offset + match.end("version")
            replacement = python_minor_text(python)
            if op == ">":
                replacement = f">={match['gap']}{replacement}"
            raises.append((start, end, replacement))
    excluded = any(_excludes(match, target) for _, match in matches)
    if excluded and raises:
        return ClaimPlan(
            refusal=(
                f"Python requirement {content!r} {EXCLUDES} {python_minor_text(python)}; "
                "nothing in this file changed: raise its upper bound by hand first"
            ),
            holds=True,
        )
    return ClaimPlan(raises=raises, holds=excluded)


def python_minor_text(python: Version) -> str:
    return f"{python.major}.{python.minor}"


def _excludes(clause: re.Match[str], target: Minor) -> bool:
    """Whether a clause rules out the target minor or any of its patch releases."""
    op, minor = clause["op"], release_minor(clause["version"])
    if op in ("<", "<="):
        return minor <= target  # "<=3.12" means "<=3.12.0": 3.12.1 is out
    if op == "!=":
        return bool(clause["star"]) and minor == target
    if op == "~=" and clause["version"].count(".") >= 2:
        return minor != target  # "~=3.10.1" means ">=3.10.1, ==3.10.*"
    return False


def floor(content: str) -> Minor | None:
    """The lowest Python minor a requirement allows (``">=3.10, <4"``: 3.10; Poetry's
    ``"^3.10"``: 3.10), or None when it has no lower bound or cannot be read."""
    found: list[Minor] = []
    for clause in re.finditer(r"[^,]+", content):
        match = _CLAUSE.match(clause.group())
        if match is None:
            return None
        op = match["op"]
        if op in _LOWER_OPS:
            found.append(release_minor(match["version"]))
    return max(found) if found else None


def requirement_results(document: Document, targets: Targets) -> tuple[list[Edit | Notice], bool]:
    """The edits or refusals of a pyproject's Python requirements, and whether one holds the
    project back."""

    located = document.toml.located
    results: list[Edit | Notice] = []
    held = False
    for path in REQUIREMENT_PATHS:
        if path in located:
            found, holds = _specifier(document, located[path], targets)
            results += found
            held = held or holds
    return results, held


def _specifier(
    document: Document, value: toml.Value, targets: Targets
) -> tuple[list[Edit | Notice], bool]:
    """The edits or refusal of one requirement, and whether it holds the project back."""
    from modernize.formats import toml

    items = toml.strings_in(document.text, value)
    if len(items) != 1:
        return [], False
    item = items[0]
    plan = plan_claim(item.value, targets.python)
    if plan.refusal:
        return [Notice(item.start, plan.refusal, advisory=plan.unreadable)], plan.holds
    content_start = item.start + len(item.quote)
    edits: list[Edit | Notice] = [
        Edit(content_start + start, content_start + end, new, declares=(InPlace(value.path),))
        for start, end, new in plan.raises
    ]
    return edits, plan.holds


_CLASSIFIER = lazy_pattern(r"^Programming Language :: Python :: ([0-9]+)\.([0-9]+)$")
#: Where a pyproject lists its classifiers.
CLASSIFIER_PATHS = (("project", "classifiers"), ("tool", "poetry", "classifiers"))


@record(frozen=True)
class ClaimResults:
    """What becomes of a pyproject's Python claim as a whole: its requirements and its
    classifiers (edits and refusals), whether a requirement holds the project back, and the
    comment that keeps the claim where it is ("" when none), with where the claim starts."""

    results: list[Edit | Notice]
    held: bool
    explained: str = ""
    explained_at: int = 0

    def staying(self, what: str) -> list[Notice] | None:
        """When the claim stays where it is (the project cannot run the target, or a comment
        keeps it), the notices to give in place of every edit of the file, ``what`` naming the
        settings that stay with it; None when it moves."""
        if not (self.held or self.explained):
            return None
        notices = [result for result in self.results if isinstance(result, Notice)]
        if self.explained:
            notices.append(
                Notice(
                    self.explained_at,
                    f"not changed: the comment {self.explained!r} may explain this claim: its "
                    f"{what} stay; if it no longer holds, change them (and the comment) by hand",
                    advisory=True,
                )
            )
        return notices


def claim_results(document: Document, targets: Targets) -> ClaimResults:
    """The pyproject's claim, read once for the migration that edits it and for the survey
    that decides from it. A comment that may explain the pin of a requirement or a classifier
    keeps the whole claim (``rules.pin_comments``)."""
    from modernize.rules.pin_comments import stopping_comment

    results, held = requirement_results(document, targets)
    if held:
        return ClaimResults(results, held)
    located = document.toml.located
    for path in CLASSIFIER_PATHS:
        if path in located:
            results += _classifiers(document, located[path], targets)
    edits = [result for result in results if isinstance(result, Edit)]
    explained = stopping_comment(document, edits, targets) if edits else ""
    return ClaimResults(results, held, explained, edits[0].start if edits else 0)


def _classifiers(
    document: Document, value: toml.Value, targets: Targets
) -> Iterator[Edit | Notice]:
    from modernize.rules.version_lists import toml_version_array_edits

    def classifier_minor(item: toml.StringItem) -> Minor | None:
        match = _CLASSIFIER.match(item.value)
        return (int(match[1]), int(match[2])) if match else None

    yield from toml_version_array_edits(
        document,
        value,
        classifier_minor,
        f"Programming Language :: Python :: {targets.python_minor}",
        targets.python,
        always_add=False,
    )


def held_by_project(
    results: list[Edit | Notice], document: Document, context: Context
) -> Iterator[Edit | Notice]:
    """``results`` of a file whose project another of its files may hold back (a setup.cfg
    beside a pyproject): held, each line it would edit is one warning naming the claim, and
    nothing changes (``registry.held_with_its_project``)."""
    from modernize.registry import held_with_its_project

    return held_with_its_project(lambda _document, _context: iter(results), document, context)
