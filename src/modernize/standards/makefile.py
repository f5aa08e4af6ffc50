"""MK rules: the standard targets exist, and ``ci`` runs lint, type-check and tests.

They hold for the project's own Makefile only (not ``docs/Makefile`` or ``*.mk`` files), with
the targets of the files it includes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from modernize.errors import ReadError
from modernize.formats.document import Document
from modernize.formats.shell import comment_start
from modernize.lazy import lazy_pattern
from modernize.standards import Violation
from modernize.targets import Targets
from modernize.workspace.files import read_source

PROJECT_MAKEFILES = frozenset({"GNUmakefile", "makefile", "Makefile"})
_INCLUDE = lazy_pattern(r"^ *(?:-|s)?include[ \t]+([^#\r\n]*)", re.MULTILINE)
_RULE = lazy_pattern(r"^([A-Za-z0-9_.%/-]+(?:[ \t]+[A-Za-z0-9_.%/-]+)*)[ \t]*::?(?!=)(.*)$")
_VARIABLE = lazy_pattern(
    r"^(?:(?:export|override)[ \t]+)*([A-Za-z0-9_.-]+)[ \t]*(\+=|\?=|:::=|::=|:=|=)(.*)$",
    re.MULTILINE,
)
_REFERENCE = lazy_pattern(r"\$[({]([A-Za-z0-9_.-]+)[)}]")
# An ``echo`` command and its text, quoted parts whole, up to the next command: it runs nothing.
_ECHO = lazy_pattern(
    r"""(?:^|(?<=[;&|(]))[ \t]*[@+-]*echo\b(?:[^;&|'"]|'[^']*'|"(?:\\.|[^"\\])*")*"""
)
REQUIRED = ("help", "install", "lint", "test")
_NEEDS = {
    "lint": re.compile(r"\blint\b|\bruff\s+check\b|\bflake8\b|\bpylint\b"),
    "type-check": re.compile(r"\bmypy\b|\bpyright\b|\btype-?check\b|\btypes\b"),
    "tests": re.compile(r"\btests?\b|\bpytest\b"),
}


def _targets(text: str) -> dict[str, tuple[int, str]]:
    """Target name -> (offset, prerequisites and recipe text).

    Prerequisites given through a variable of this Makefile are expanded; recipe comments and
    ``echo`` text are left out, as they run nothing."""
    variables = _variables(text)
    found: dict[str, tuple[int, str]] = {}
    current: list[str] = []
    position = 0
    for line in text.splitlines(keepends=True):
        if line.startswith("\t"):
            for name in current:
                offset, body = found[name]
                found[name] = (offset, body + " " + _commands(line.strip()))
        elif line.strip() and not line.lstrip().startswith("#"):
            match = _RULE.match(line.rstrip("\r\n"))
            current = []
            if match and not line.startswith((" ", ".")):
                prerequisites, _, recipe = match.group(2).split("#")[0].partition(";")
                added = f"{_expanded(prerequisites, variables)} {_commands(recipe)}"
                for name in match.group(1).split():
                    offset, body = found.get(name, (position, ""))
                    found[name] = (offset, f"{body} {added}")
                    current.append(name)
        position += len(line)
    return found


def _variables(text: str) -> dict[str, str]:
    """Variable name -> value, for the assignments ``=``, ``:=``, ``::=``, ``?=`` and ``+=``."""
    variables: dict[str, str] = {}
    for match in _VARIABLE.finditer(re.sub(r"\\\r?\n", " ", text)):
        name, operator, value = match.group(1), match.group(2), match.group(3).split("#")[0]
        if operator == "+=":
            variables[name] = f"{variables.get(name, '')} {value}"
        elif operator != "?=" or name not in variables:
            variables[name] = value
    return variables


def _expanded(text: str, variables: dict[str, str], depth: int = 0) -> str:
    """``text`` with ``$(NAME)`` and ``${NAME}`` replaced by their values, in turn expanded."""
    if depth > 10:  # a variable that refers to itself
        return text
    return _REFERENCE.sub(
        lambda match: _expanded(variables.get(match.group(1), ""), variables, depth + 1), text
    )


def _commands(recipe: str) -> str:
    """What a recipe line runs: without its shell comment and the text of its ``echo``s."""
    return _ECHO.sub(" ", recipe[: comment_start(recipe)])


def _runs(targets: dict[str, tuple[int, str]], name: str, seen: set[str]) -> str:
    """The recipe and prerequisite text of a target, prerequisites' own recipes included."""
    if name in seen or name not in targets:
        return ""
    seen.add(name)
    body = targets[name][1]
    return body + " " + " ".join(_runs(targets, word, seen) for word in body.split())


def _included_texts(text: str, directory: Path, seen: set[str]) -> Iterator[str]:
    """The text of each file that ``text`` includes and that exists, then of the files those
    include. Names are read from ``directory``, where make runs; a name with a variable in it
    is not followed."""
    for match in _INCLUDE.finditer(text):
        for name in match.group(1).split():
            if "$" in name or Path(name).is_absolute() or name in seen:
                continue
            seen.add(name)
            try:
                included = read_source(directory / name).text
            except ReadError:
                continue
            yield included
            yield from _included_texts(included, directory, seen)


def check(document: Document, targets: Targets, directory: Path) -> Iterator[Violation]:
    """The MK rules for the project's Makefile, which is in ``directory``."""
    found = _targets(document.text)
    for included in _included_texts(document.text, directory, set()):
        for name, (_, body) in _targets(included).items():
            offset, own = found.get(name, (0, ""))  # an offset in this file, not the included
            found[name] = (offset, f"{own} {body}")
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        yield Violation(0, "MK001", f"missing targets: {', '.join(missing)}")
    if "ci" not in found:
        yield Violation(0, "MK002", "no `ci` target that runs lint, type-check and tests")
        return
    text = (
        _runs(found, "ci", set())
        + " "
        + " ".join(word for word in found["ci"][1].split() if word in found)
    )
    absent = [need for need, pattern in _NEEDS.items() if not pattern.search(text)]
    if absent:
        yield Violation(found["ci"][0], "MK002", f"`ci` does not run: {', '.join(absent)}")
