"""Move the Python versions a ``pyproject.toml`` claims to the target.

What:

- ``[project] requires-python`` and Poetry's ``[tool.poetry.dependencies] python``: a lower
  bound below the target is raised to it and every other clause, space and quote stays
  (``">=3.10,<4"`` becomes ``">=3.12,<4"``, ``"^3.10"`` becomes ``"^3.12"``, ``">3.9"`` becomes
  ``">=3.12"``). The specifier is edited as text: re-serialising it would reorder clauses.
- ``Programming Language :: Python :: X.Y`` classifiers below the target are removed; when one
  was removed and the target's is missing, it is added in version order (before the first later
  version, in the removed entries' place), in the style of the lines around it.
- ``[tool.ruff] target-version``, ``[tool.black] target-version`` (entries below the target
  dropped, the target added when none at or above remains), ``[tool.mypy] python_version`` and
  ``[tool.pyright] pythonVersion``.

Why: a package that claims 3.10 while its images and CI run 3.12 is tested on one version and
promises another; linters target the wrong syntax.

Example::

    requires-python = ">=3.10,<4"       ->   requires-python = ">=3.12,<4"
    target-version = ["py310", "py311"] ->   target-version = ["py312"]

Refuses (leaves and warns): a specifier whose upper bound or exclusion rules out the target or
any of its patch releases (``">=3.10,<3.12"``, ``">=3.10,<=3.12"``, which stops at 3.12.0, and
``"~=3.10.1"``, which means ``==3.10.*``), then changing nothing in the file, not even its other
requirement; exact pins without a wildcard, and specifiers it cannot read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from modernize.authoring import (
    Context,
    Document,
    Edit,
    InPlace,
    Notice,
    SetValue,
    Targets,
    toml,
)
from modernize.rules.versions import Minor, below, release_minor, target_minor

ID = "pyproject-python"
TITLE = "Move pyproject.toml Python claims (requires-python, classifiers, tool targets)"
KINDS = ("pyproject",)
CODE = "M007"
#: What a pending change is, as ``verify`` reports it.
FINDING = "pyproject Python claim below the target"

_CLAUSE = re.compile(
    r"^(?P<lead>\s*)(?P<op>===|>=|<=|==|!=|~=|>|<|\^|~|=)?(?P<gap>\s*)"
    r"(?P<version>[0-9]+(?:\.[0-9]+)*)(?P<star>\.\*)?\s*$"
)
_CLASSIFIER = re.compile(r"^Programming Language :: Python :: ([0-9]+)\.([0-9]+)$")
_PY_TAG = re.compile(r"^py([0-9])([0-9]+)$")
EXCLUDES = "excludes"
_LOWER_OPS = frozenset({">=", ">", "~=", "^", "~", "==", "=", "===", None})


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    from modernize.rules.version_lists import toml_version_array_edits

    text = document.text
    located = toml.locate(text)
    targets = context.targets
    path: tuple[str, ...]
    requirements = [
        result
        for path in (("project", "requires-python"), ("tool", "poetry", "dependencies", "python"))
        if path in located
        for result in _specifier(document, located[path], targets)
    ]
    if any(isinstance(result, Notice) and EXCLUDES in result.message for result in requirements):
        # The project is not ready for the target: change none of its claims, not even a
        # requirement that could be raised on its own.
        yield from (result for result in requirements if isinstance(result, Notice))
        return
    yield from requirements
    for path in (("project", "classifiers"), ("tool", "poetry", "classifiers")):
        if path in located:
            yield from _classifiers(document, located[path], targets)
    ruff = located.get(("tool", "ruff", "target-version"))
    if ruff is not None:
        for item in toml.strings_in(text, ruff)[:1]:
            match = _PY_TAG.match(item.value)
            if match and below(match[1], match[2], targets.python):
                yield _replace_content(
                    item, f"py{targets.python.major}{targets.python.minor}", ruff
                )
    black = located.get(("tool", "black", "target-version"))
    if black is not None:

        def black_minor(item: toml.StringItem) -> Minor | None:
            match = _PY_TAG.match(item.value)
            return (int(match[1]), int(match[2])) if match else None

        yield from toml_version_array_edits(
            document,
            black,
            black_minor,
            f"py{targets.python.major}{targets.python.minor}",
            targets.python,
            always_add=True,
        )
    for path in (("tool", "mypy", "python_version"), ("tool", "pyright", "pythonVersion")):
        value = located.get(path)
        if value is not None:
            yield from _plain_version(document, value, targets)


def _replace_content(item: toml.StringItem, new: str, value: toml.Value) -> Edit:
    start = item.start + len(item.quote)
    return Edit(start, item.end - len(item.quote), new, declares=(SetValue(value.path, new),))


def _plain_version(document: Document, value: toml.Value, targets: Targets) -> Iterator[Edit]:
    source = document.text[value.start : value.end]
    items = toml.strings_in(document.text, value)
    bare = source.strip()
    if items:
        version = items[0].value
    elif re.match(r"^[0-9]+\.[0-9]+$", bare):
        version = bare  # a TOML float: 3.10 is read as 3.1, so the result is written quoted
    else:
        return
    claim = re.match(r"^([0-9]+)\.([0-9]+)(\.[0-9]+)?$", version)
    if not claim or not below(claim[1], claim[2], targets.python):
        return
    if items:
        yield _replace_content(items[0], targets.python_minor, value)
    else:
        yield Edit(
            value.start,
            value.end,
            f'"{targets.python_minor}"',
            declares=(SetValue(value.path, targets.python_minor),),
        )


def _specifier(document: Document, value: toml.Value, targets: Targets) -> Iterator[Edit | Notice]:
    items = toml.strings_in(document.text, value)
    if len(items) != 1:
        return
    item = items[0]
    content = item.value
    content_start = item.start + len(item.quote)
    edits: list[Edit] = []
    clauses = [(m.start(), m.group()) for m in re.finditer(r"[^,]+", content)]
    for offset, clause in clauses:
        match = _CLAUSE.match(clause)
        if match is None:
            yield Notice(
                item.start,
                f"Python requirement {content!r} not understood; not changed",
                advisory=True,
            )
            return
        op, version = match["op"], match["version"]
        if op in _LOWER_OPS and below(*release_minor(version), targets.python):
            if op in ("==", "=", "===", None) and not match["star"]:
                yield Notice(
                    item.start,
                    f"Python requirement {content!r} pins an exact version; not changed",
                )
                return
            start = content_start + offset + match.start("op" if op == ">" else "version")
            end = content_start + offset + match.end("version")
            replacement = targets.python_minor
            if op == ">":
                replacement = f">={match['gap']}{targets.python_minor}"
            edits.append(Edit(start, end, replacement, declares=(InPlace(value.path),)))
    if not edits:
        return
    for _offset, clause in clauses:
        match = _CLAUSE.match(clause)
        assert match is not None
        if _excludes(match, target_minor(targets.python)):
            yield Notice(
                item.start,
                f"Python requirement {content!r} {EXCLUDES} {targets.python_minor}; nothing in "
                "this file changed: raise its upper bound by hand first",
            )
            return
    yield from edits


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


_REQUIRES = re.compile(r"""requires-python["']?[ \t]*=[ \t]*(["'])([^"'\n]*)\1""")
_CLASSIFIER_TEXT = re.compile(r"Programming Language :: Python :: ([0-9]+)\.([0-9]+)")
_PY_TAG_TEXT = re.compile(r"py([0-9])([0-9]+)")
_PLAIN_VERSION = re.compile(
    r"""(?:python_version|pythonVersion)["']?[ \t]*=[ \t]*["']?([0-9]+)\.([0-9]+)"""
)


def touches(text: str, context: Context) -> bool:
    """Whether a claim below the target (or a requirement this migration cannot read) may be
    here. Escapes, multi-line strings and Poetry tables are left to the parse."""
    if "\\" in text or '"""' in text or "'''" in text or "poetry" in text:
        return True
    target = context.targets.python
    requirements = list(_REQUIRES.finditer(text))
    if len(requirements) != text.count("requires-python"):
        return True
    for requirement in requirements:
        for clause in requirement[2].split(","):
            match = _CLAUSE.match(clause)
            if match is None:
                return True
            if match["op"] in _LOWER_OPS and below(*release_minor(match["version"]), target):
                return True
    for pattern in (_CLASSIFIER_TEXT, _PY_TAG_TEXT, _PLAIN_VERSION):
        if any(below(m[1], m[2], target) for m in pattern.finditer(text)):
            return True
    return False
