"""A setuptools project's Python claim: in ``setup.cfg``, ``[options] python_requires`` and the
``Programming Language :: Python :: X.Y`` lines of ``[metadata] classifiers``; in ``setup.py``,
the same two keyword arguments of its ``setup(...)`` call, located with ``ast`` (never run).

Read once for the migration that edits it and for the repository survey that decides from it,
as ``rules.python_claims`` does for a pyproject (the requirement is planned by the same
``plan_claim``: both files must agree).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING

from modernize.lazy import lazy_pattern
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
_CLASSIFIER = lazy_pattern(r"Programming Language :: Python :: ([0-9]+)\.([0-9]+)")


def _requires(document: Document) -> Setting | None:
    """``python_requires`` (setuptools also reads ``python-requires``)."""
    return document.ini.find(*REQUIRES) or document.ini.find("options", "python-requires")


def setup_cfg_requirement(text: str) -> tuple[bool, str | None]:
    """Whether a ``setup.cfg`` describes a package (it has ``[metadata]`` or ``[options]``,
    rather than only configuring tools: ``[flake8]``, ``[mypy]``), and its ``python_requires``
    (blanks around it taken off, as setuptools reads it; None: none, or unreadable). A file
    that does not parse is a package whose claim is not read: it is reported where it is
    planned."""
    from modernize.errors import ModernizeError
    from modernize.formats.document import Document

    if "[metadata]" not in text and "[options]" not in text:
        return False, None
    document = Document("setup.cfg", "setup-cfg", text)
    try:
        sections = document.ini.sections
        setting = _requires(document)
    except ModernizeError:
        return True, None
    if "metadata" not in sections and "options" not in sections:
        return False, None
    return True, None if setting is None else setting.value(text).strip()


def setup_claim_results(document: Document, targets: Targets) -> ClaimResults:
    """The claim's edits and refusals, whether the requirement holds the project back, and the
    comment that keeps the claim (``rules.pin_comments``)."""
    from modernize.rules.pin_comments import stopping_comment

    ini = document.ini
    results: list[Edit | Notice] = []
    setting = _requires(document)
    if setting is not None:
        value = setting.value(document.text).strip()
        plan = plan_claim(value, targets.python)
        written = [(start, end) for start, end in setting.lines if start < end]
        if "\n" in value or plan.refusal:
            refusal = plan.refusal or f"python_requires {value!r} spans lines: not changed"
            results.append(Notice(setting.start, refusal, advisory=plan.unreadable))
            if plan.holds:
                return ClaimResults(results, True)
        elif written:
            start = written[0][0]
            path = (setting.section, setting.key)
            results += [
                Edit(start + begin, start + end, new, declares=(InPlace(path),))
                for begin, end, new in plan.raises
            ]
    classifiers = ini.find("metadata", "classifiers") or ini.find("metadata", "classifier")
    if classifiers is not None:
        value = classifiers.value(document.text).strip()
        if value.startswith("file:"):
            if any(isinstance(result, Edit) for result in results):
                results.append(
                    Notice(
                        classifiers.start,
                        f"the classifiers are read from {value[5:].strip()}: remove the Python "
                        f"classifiers below {targets.python_minor} there by hand",
                        advisory=True,
                    )
                )
        else:
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
    if rows[0][1] < rows[0][2]:
        yield Notice(
            rows[0][1],
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
        # The line ending of the line above, which every value line after the key's has.
        newline = "\r\n" if text[line_start - 2 : line_start] == "\r\n" else "\n"
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


def setup_calls(tree: ast.Module) -> list[dict[str, ast.expr]]:
    """The keyword arguments of each ``setup(...)`` call of the module (``setup`` or
    ``setuptools.setup``), outer calls first."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name == "setup":
            keywords: dict[str, ast.expr] = {}
            for keyword in node.keywords:
                if keyword.arg is not None:
                    keywords[keyword.arg] = keyword.value
                else:
                    keywords["**"] = keyword.value  # ``setup(**metadata)``
            found.append(keywords)
    return found


def is_setup_script(tree: ast.Module) -> bool:
    """Whether the module imports setuptools (or distutils) and calls ``setup`` with keyword
    arguments: a Sphinx extension's ``def setup(app)`` is not a package."""
    imports = any(
        isinstance(node, (ast.Import, ast.ImportFrom))
        and any(
            (getattr(node, "module", None) or alias.name).split(".")[0]
            in ("setuptools", "distutils")
            for alias in node.names
        )
        for node in ast.walk(tree)
    )
    return imports and any(setup_calls(tree))


def _resolved(value: ast.expr, bindings: dict[str, list[ast.expr]]) -> ast.expr:
    """``value``, or what the name it is was bound to once at the module's top."""
    if isinstance(value, ast.Name):
        bound = bindings.get(value.id, [])
        if len(bound) == 1:
            return bound[0]
    return value


def setup_py_claim_results(document: Document, targets: Targets) -> ClaimResults:
    """As ``setup_claim_results``, for a setup.py (each of its ``setup(...)`` calls)."""
    from modernize.rules import python_literals
    from modernize.rules.pin_comments import stopping_comment

    tree = document.python
    bindings = python_literals.module_bindings(tree)
    results: list[Edit | Notice] = []
    done: set[int] = set()
    held = False
    for keywords in setup_calls(tree):
        unpacked = keywords.get("**")
        if unpacked is not None and "python_requires" not in keywords:
            start, _end = python_literals.span(document, unpacked)
            old = any(
                below(int(match[1]), int(match[2]), targets.python)
                for match in _CLASSIFIER.finditer(document.text)
            )
            if old or "python_requires" in document.text:
                results.append(
                    Notice(
                        start,
                        "setup() takes its arguments from a mapping here: python_requires and "
                        "classifiers given through it are not read; move them by hand",
                    )
                )
        requires = keywords.get("python_requires")
        if requires is not None:
            found, holds = _py_requirement(document, _resolved(requires, bindings), done, targets)
            results += found
            held = held or holds
        classifiers = keywords.get("classifiers")
        if classifiers is not None:
            results += _py_classifiers(document, _resolved(classifiers, bindings), done, targets)
    if held:
        return ClaimResults([r for r in results if isinstance(r, Notice)], True)
    edits = [result for result in results if isinstance(result, Edit)]
    explained = stopping_comment(document, edits, targets) if edits else ""
    return ClaimResults(results, False, explained, edits[0].start if edits else 0)


def _py_requirement(
    document: Document, node: ast.expr, done: set[int], targets: Targets
) -> tuple[list[Edit | Notice], bool]:
    from modernize.rules import python_literals

    if id(node) in done:
        return [], False
    done.add(id(node))
    literal = python_literals.plain_string(document, node)
    if literal is None:
        start, _end = python_literals.span(document, node)
        return [
            Notice(
                start,
                "python_requires is not a plain string here: not changed; raise its lower "
                f"bound to {targets.python_minor} where it is set",
            )
        ], False
    plan = plan_claim(literal.value, targets.python)
    results: list[Edit | Notice] = []
    if plan.refusal:
        results.append(Notice(literal.start, plan.refusal, advisory=plan.unreadable))
        if plan.holds:
            return results, True
    results += [
        python_literals.rewrite(document, literal.start + begin, literal.start + end, new)
        for begin, end, new in plan.raises
    ]
    return results, False


def _classifier_minor(value: str) -> tuple[int, int] | None:
    match = _CLASSIFIER.fullmatch(value)
    return (int(match[1]), int(match[2])) if match else None


def _py_classifiers(
    document: Document, node: ast.expr, done: set[int], targets: Targets
) -> Iterator[Edit | Notice]:
    from modernize.rules import python_literals

    if id(node) in done:
        return
    done.add(id(node))
    wanted = f"Programming Language :: Python :: {targets.python_minor}"
    if not isinstance(node, (ast.List, ast.Tuple)):
        start, end = python_literals.span(document, node)
        if any(
            below(int(match[1]), int(match[2]), targets.python)
            for match in _CLASSIFIER.finditer(document.text[start:end])
        ):
            yield Notice(
                start,
                "the classifiers are not a list of plain strings here: not changed; remove "
                f"those below {targets.python_minor} by hand",
            )
        return
    entries = [python_literals.plain_string(document, element) for element in node.elts]
    readable = [entry for entry in entries if entry is not None]
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
            "the classifiers share their lines with other text (a comment, another entry, a "
            f"bracket) or are not all plain strings: not changed; remove those below "
            f"{targets.python_minor} by hand",
        )
        return
    yield from edits


def setup_py_requirements(text: str) -> list[str] | None:
    """The ``python_requires`` strings of a setup.py's ``setup(...)`` calls (a name bound once
    at the module's top is followed), or None when it is not a setup script (or does not
    parse): for the survey. A requirement that is not a plain string is left out."""
    from modernize.errors import ParseError
    from modernize.formats.document import Document
    from modernize.rules import python_literals

    document = Document("setup.py", "setup-py", text)
    try:
        tree = document.python
    except ParseError:
        return None
    if not is_setup_script(tree):
        return None
    bindings = python_literals.module_bindings(tree)
    found = []
    for keywords in setup_calls(tree):
        requires = keywords.get("python_requires")
        literal = None
        if requires is not None:
            literal = python_literals.plain_string(document, _resolved(requires, bindings))
        if literal is not None:
            found.append(literal.value)
    return found
