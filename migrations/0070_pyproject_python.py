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
  dropped, the target added when none at or above remains), ``[tool.mypy] python_version``,
  ``[tool.pyright] pythonVersion``, pylint's ``py-version``, isort's ``py_version = "310"``,
  and Hatch environments' ``python`` (a matrix's ``python`` list loses its versions below the
  target and gains the target's unless it has it).

Why: a package that claims 3.10 while its images and CI run 3.12 is tested on one version and
promises another; linters target the wrong syntax.

Example::

    requires-python = ">=3.10,<4"       ->   requires-python = ">=3.12,<4"
    target-version = ["py310", "py311"] ->   target-version = ["py312"]

Refuses (leaves and warns): a specifier whose upper bound or exclusion rules out the target or
any of its patch releases (``">=3.10,<3.12"``, ``">=3.10,<=3.12"``, which stops at 3.12.0, and
``"~=3.10.1"``, which means ``==3.10.*``), and exact pins without a wildcard (``"==3.11.4"``),
then changing nothing in the file, not even its other requirement or its tool targets: the
project cannot run the target, and the survey holds its other files back too (see
``modernize.survey``); specifiers it cannot read are reported and the rest moves. A setting
beside a comment that may explain its pin (``# Pin Ruff to Python 3.10``) is left, with a
warning quoting it; a comment that only restates it (``# py310``) is updated with it
(``rules.pin_comments``). A requirement a comment keeps (``# We still support 3.10 users``)
keeps the classifiers and tool targets too (a tool target above the floor would let in syntax
its oldest Python cannot run), and its lockfile is not warned.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from modernize.authoring import (
    Context,
    Document,
    Edit,
    Notice,
    SetValue,
    Targets,
    toml,
)
from modernize.lazy import lazy_pattern
from modernize.rules.python_claims import claim_results, held_by_project
from modernize.rules.toml_python import PY_TAG, plain_version_edits, ruff_target_edits
from modernize.rules.versions import Minor, below, plain_minor

ID = "pyproject-python"
TITLE = "Move pyproject.toml Python claims (requires-python, classifiers, tool targets)"
KINDS = ("pyproject",)
CODE = "M007"
#: It moves the project's own claim: a comment that explains a pin stops the edit beside it.
MOVES = "claim"
#: What a pending change is, as ``verify`` reports it.
FINDING = "pyproject Python claim below the target"


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    from modernize.rules.version_lists import toml_version_array_edits

    text = document.text
    located = document.toml.located
    targets = context.targets
    path: tuple[str, ...]
    claim = claim_results(document, targets)
    # A held project changes none of its claims, not even a requirement that could be raised
    # on its own; a claim a comment keeps keeps its classifiers and tool targets: a ruff target
    # above the floor would let in syntax the oldest supported Python cannot run.
    staying = claim.staying("requirement, classifiers and tool targets all")
    if staying is not None:
        yield from staying
        return
    if context.survey is not None and context.survey.python_held(document.path):
        # Another file of the project (its setup.cfg or setup.py) holds it back.
        yield from held_by_project(claim.results, document, context)
        return
    yield from claim.results
    ruff = located.get(("tool", "ruff", "target-version"))
    if ruff is not None:
        yield from ruff_target_edits(document, ruff, targets)
    black = located.get(("tool", "black", "target-version"))
    if black is not None:

        def black_minor(item: toml.StringItem) -> Minor | None:
            match = PY_TAG.match(item.value)
            return (int(match[1]), int(match[2])) if match else None

        yield from toml_version_array_edits(
            document,
            black,
            black_minor,
            f"py{targets.python.major}{targets.python.minor}",
            targets.python,
            always_add=True,
        )
    for path in _PLAIN_TARGETS:
        value = located.get(path)
        if value is not None:
            yield from plain_version_edits(document, value, targets)
    isort = located.get(("tool", "isort", "py_version"))
    if isort is not None:
        yield from _isort(document, isort, targets)
    if "hatch" in text:
        yield from _hatch(document, targets)


#: Tool settings that are one ``X.Y`` version.
_PLAIN_TARGETS = (
    ("tool", "mypy", "python_version"),
    ("tool", "pyright", "pythonVersion"),
    ("tool", "pylint", "main", "py-version"),
    ("tool", "pylint", "MAIN", "py-version"),
    ("tool", "pylint", "MASTER", "py-version"),
    ("tool", "pylint", "master", "py-version"),
)


def _isort(document: Document, value: toml.Value, targets: Targets) -> Iterator[Edit | Notice]:
    """isort's ``py_version = "310"`` (a number is reported: its type is not changed)."""
    source = document.text[value.start : value.end].strip()
    match = re.fullmatch(r"(['\"]?)([23])([0-9]{1,2})\1", source)
    if match is None or not below(match[2], match[3], targets.python):
        return
    new = f"{targets.python.major}{targets.python.minor}"
    if not match[1]:
        yield Notice(
            value.start,
            f'isort py_version {source} is a number: not changed; write py_version = "{new}"',
        )
        return
    start = value.start + document.text[value.start : value.end].index(source) + 1
    yield Edit(start, start + len(source) - 2, new, declares=(SetValue(value.path, new),))


def _hatch(document: Document, targets: Targets) -> Iterator[Edit | Notice]:
    """Hatch environments' ``python`` and their matrices' ``python`` lists."""
    from modernize.rules.version_lists import toml_version_array_edits

    def minor_of(item: toml.StringItem) -> Minor | None:
        return plain_minor(item.value)

    for path, value in toml.locate_indexed(document.text).items():
        if path[:3] != ("tool", "hatch", "envs") or path[-1] != "python":
            continue
        if len(path) == 5:  # [tool.hatch.envs.<name>] python = "3.10"
            yield from plain_version_edits(document, value, targets)
        elif len(path) == 7 and path[4] == "matrix" and isinstance(path[5], int):
            yield from toml_version_array_edits(
                document, value, minor_of, targets.python_minor, targets.python, always_add=False
            )


_REQUIRES = lazy_pattern(r"""requires-python["']?[ \t]*=[ \t]*(["'])([^"'\n]*)\1""")
_CLASSIFIER_TEXT = lazy_pattern(r"Programming Language :: Python :: ([0-9]+)\.([0-9]+)")
_PY_TAG_TEXT = lazy_pattern(r"py([0-9])([0-9]+)")
_PLAIN_VERSION = lazy_pattern(
    r"""(?:python_version|pythonVersion|py-version|python)["']?[ \t]*=[ \t]*"""
    r"""(?:\[[^\]]*?)?["']?([0-9]+)\.([0-9]+)"""
)
_ISORT = lazy_pattern(r"""py_version["']?[ \t]*=[ \t]*["']?([23])([0-9]{1,2})""")


def touches(text: str, context: Context) -> bool:
    """Whether a claim below the target (or a requirement this migration cannot read) may be
    here. Escapes, multi-line strings and Poetry tables are left to the parse."""
    from modernize.rules.python_claims import plan_claim

    if "\\" in text or '"""' in text or "'''" in text or "poetry" in text:
        return True
    target = context.targets.python
    requirements = list(_REQUIRES.finditer(text))
    if len(requirements) != text.count("requires-python"):
        return True
    for requirement in requirements:
        plan = plan_claim(requirement[2], target)
        if plan.raises or plan.refusal:
            return True
    for pattern in (_CLASSIFIER_TEXT, _PY_TAG_TEXT, _PLAIN_VERSION, _ISORT):
        if any(below(m[1], m[2], target) for m in pattern.finditer(text)):
            return True
    return False
