"""A setuptools project's Python claim: in ``setup.cfg``, ``[options] python_requires`` and the
``Programming Language :: Python :: X.Y`` lines of ``[metadata] classifiers``; in ``setup.py``,
the same two keyword arguments of its ``setup(...)`` call, located with ``ast`` (never run).

Read once for the migration that edits it and for the repository survey that decides from it,
as ``rules.python_claims`` does for a pyproject (the requirement is planned by the same
``plan_claim``: both files must agree).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from modernize.model import Edit, InPlace, Notice, SetValue
from modernize.rules.python_claims import ClaimResults, plan_claim
from modernize.rules.versions import below

if TYPE_CHECKING:
    from modernize.formats.document import Document
    from modernize.formats.ini import Setting
    from modernize.targets import Targets

#: Where setup.cfg writes its Python requirement, and the name the survey gives it.
REQUIRES = ("options", "python_requires")
REQUIRES_NAME = "[options] python_requires"
#: The name the survey gives a setup.py's requirement.
SETUP_PY_NAME = "python_requires"
_CLASSIFIER = re.compile(r"Programming Language :: Python :: ([0-9]+)\.([0-9]+)")


def is_project(text: str) -> bool:
    """Whether a ``setup.cfg`` describes a package (it has ``[metadata]`` or ``[options]``),
    rather than only configuring tools (``[flake8]``, ``[mypy]``)."""
    return re.search(r"^\[(?:metadata|options)\][ \t]*\r?$", text, re.MULTILINE) is not None


def requirement(text: str) -> str | None:
    """The ``python_requires`` of a setup.cfg as written, or None (none, or unreadable)."""
    from modernize.errors import ParseError
    from modernize.formats import ini

    try:
        setting = ini.parse(text).find(*REQUIRES)
    except ParseError:
        return None
    return None if setting is None else setting.value(text)


def setup_claim_results(document: Document, targets: Targets) -> ClaimResults:
    """The claim's edits and refusals, whether the requirement holds the project back, and the
    comment that keeps the claim (``rules.pin_comments``)."""
    from modernize.rules.pin_comments import stopping_comment

    ini = document.ini
    results: list[Edit | Notice] = []
    setting = ini.find(*REQUIRES)
    if setting is not None:
        value = setting.value(document.text)
        plan = plan_claim(value, targets.python)
        if "\n" in value or plan.refusal:
            refusal = plan.refusal or f"python_requires {value!r} spans lines: not changed"
            results.append(Notice(setting.start, refusal, advisory=plan.unreadable))
            if plan.holds:
                return ClaimResults(results, True)
        else:
            start = setting.lines[0][0]
            path = (setting.section, setting.key)
            results += [
                Edit(start + begin, start + end, new, declares=(InPlace(path),))
                for begin, end, new in plan.raises
            ]
    classifiers = ini.find("metadata", "classifiers")
    if classifiers is not None:
        results += classifier_edits(document, classifiers, targets)
    edits = [result for result in results if isinstance(result, Edit)]
    explained = stopping_comment(document, edits, targets) if edits else ""
    return ClaimResults(results, False, explained, edits[0].start if edits else 0)


def classifier_edits(
    document: Document, setting: Setting, targets: Targets
) -> Iterator[Edit | Notice]:
    """The classifier lines below the target go; when one went and the target's is missing,
    it is written before the first later version's line, else in the last removed line's
    place, with that line's indentation."""
    text = document.text
    target = targets.python
    wanted = f"Programming Language :: Python :: {targets.python_minor}"
    rows = []
    for number, (start, end) in enumerate(setting.lines):
        match = _CLASSIFIER.fullmatch(text, start, end)
        minor = (int(match[1]), int(match[2])) if match else None
        rows.append((number, start, end, minor))
    old = [row for row in rows if row[3] is not None and below(*row[3], target)]
    if not old:
        return
    if old[0][0] == 0:
        yield Notice(
            old[0][1],
            "a classifier on the key's own line: not changed; write one classifier a line "
            "and run again",
        )
        return
    needs = not any(text[start:end] == wanted for _n, start, end, _m in rows)
    newer = (target.major, target.minor)
    later = next((row for row in rows if row[3] is not None and row[3] > newer), None)
    gone = {row[0] for row in old}
    replaced = None
    edits: list[Edit] = []
    if needs and later is None:  # the target's line takes the last removed one's place
        replaced = old[-1][0]
        gone.discard(replaced)
        edits.append(Edit(old[-1][1], old[-1][2], wanted))
    for number, start, _end, _minor in old:
        if number in gone:
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", start)
            edits.append(Edit(line_start, len(text) if line_end < 0 else line_end + 1, ""))
    if needs and later is not None:  # before the first later version's line
        line_start = text.rfind("\n", 0, later[1]) + 1
        newline = "\r\n" if text[later[2] : later[2] + 2] == "\r\n" else "\n"
        indent = text[text.rfind("\n", 0, old[0][1]) + 1 : old[0][1]]
        edits.append(Edit(line_start, line_start, f"{indent}{wanted}{newline}"))
    values: list[str] = []
    for number, start, end, _minor in rows:
        if needs and later is not None and number == later[0]:
            values.append(wanted)
        if number not in gone:
            values.append(wanted if number == replaced else text[start:end])
    declares = (SetValue((setting.section, setting.key), "\n".join(values).rstrip()),)
    for edit in edits:
        yield Edit(edit.start, edit.end, edit.replacement, declares=declares)


def setup_keywords(tree: ast.Module) -> dict[str, ast.expr]:
    """The keyword arguments of the module's ``setup(...)`` calls (``setup`` or
    ``setuptools.setup``; the last one given wins)."""
    found: dict[str, ast.expr] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name != "setup":
            continue
        for keyword in node.keywords:
            if keyword.arg is not None:
                found[keyword.arg] = keyword.value
    return found


def setup_py_claim_results(document: Document, targets: Targets) -> ClaimResults:
    """As ``setup_claim_results``, for a setup.py."""
    from modernize.rules import python_literals
    from modernize.rules.pin_comments import stopping_comment

    keywords = setup_keywords(document.python)
    results: list[Edit | Notice] = []
    requires = keywords.get("python_requires")
    if requires is not None:
        literal = python_literals.plain_string(document, requires)
        if literal is None:
            start, _end = python_literals.span(document, requires)
            results.append(
                Notice(
                    start,
                    "python_requires is not a plain string here: not changed; raise its lower "
                    f"bound to {targets.python_minor} where it is set",
                )
            )
        else:
            plan = plan_claim(literal.value, targets.python)
            if plan.refusal:
                results.append(Notice(literal.start, plan.refusal, advisory=plan.unreadable))
                if plan.holds:
                    return ClaimResults(results, True)
            results += [
                python_literals.rewrite(document, literal.start + begin, literal.start + end, new)
                for begin, end, new in plan.raises
            ]
    classifiers = keywords.get("classifiers")
    if isinstance(classifiers, (ast.List, ast.Tuple)):
        results += _py_classifiers(document, classifiers, targets)
    edits = [result for result in results if isinstance(result, Edit)]
    explained = stopping_comment(document, edits, targets) if edits else ""
    return ClaimResults(results, False, explained, edits[0].start if edits else 0)


def _classifier_minor(value: str) -> tuple[int, int] | None:
    match = _CLASSIFIER.fullmatch(value)
    return (int(match[1]), int(match[2])) if match else None


def _py_classifiers(
    document: Document, node: ast.List | ast.Tuple, targets: Targets
) -> Iterator[Edit | Notice]:
    from modernize.rules import python_literals

    entries = [python_literals.plain_string(document, element) for element in node.elts]
    readable = [entry for entry in entries if entry is not None]
    wanted = f"Programming Language :: Python :: {targets.python_minor}"
    new = python_literals.moved_versions(readable, _classifier_minor, wanted, targets.python)
    if not new:
        return
    edits = (
        python_literals.list_edits(document, readable, new, isinstance(node, ast.Tuple))
        if len(readable) == len(entries)
        else None
    )
    if edits is None:
        yield Notice(
            readable[min(new)].start,
            "the classifiers list is not one plain string a line, nor on one line: not "
            f"changed; remove the classifiers below {targets.python_minor} by hand",
        )
        return
    yield from edits


def setup_py_requirement(text: str) -> str | None:
    """The ``python_requires`` string of a setup.py, or None (none, not a plain string, or
    the file does not parse): for the survey."""
    from modernize.errors import ParseError
    from modernize.formats.document import Document
    from modernize.rules import python_literals

    document = Document("setup.py", "setup-py", text)
    try:
        requires = setup_keywords(document.python).get("python_requires")
    except ParseError:
        return None
    literal = python_literals.plain_string(document, requires) if requires is not None else None
    return None if literal is None else literal.value
