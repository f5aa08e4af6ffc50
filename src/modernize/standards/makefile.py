"""MK rules: the standard targets exist, and ``ci`` runs lint, type-check and tests."""

from __future__ import annotations

import re
from collections.abc import Iterator

from modernize.document import Document
from modernize.standards import Violation
from modernize.targets import Targets

_RULE = re.compile(r"^([A-Za-z0-9_.%/-]+(?:[ \t]+[A-Za-z0-9_.%/-]+)*)[ \t]*::?(?!=)(.*)$")
REQUIRED = ("help", "install", "lint", "test")
_NEEDS = {
    "lint": re.compile(r"\blint\b|\bruff\s+check\b|\bflake8\b|\bpylint\b"),
    "type-check": re.compile(r"\bmypy\b|\bpyright\b|\btype-?check\b|\btypes\b"),
    "tests": re.compile(r"\btests?\b|\bpytest\b"),
}


def _targets(text: str) -> dict[str, tuple[int, str]]:
    """Target name -> (offset, prerequisites and recipe text)."""
    found: dict[str, tuple[int, str]] = {}
    current: list[str] = []
    position = 0
    for line in text.splitlines(keepends=True):
        if line.startswith("\t"):
            for name in current:
                offset, body = found[name]
                found[name] = (offset, body + " " + line.strip())
        elif line.strip() and not line.lstrip().startswith("#"):
            match = _RULE.match(line.rstrip("\r\n"))
            current = []
            if match and not line.startswith((" ", ".")):
                prerequisites = match.group(2).split("#")[0].split(";")
                for name in match.group(1).split():
                    offset, body = found.get(name, (position, ""))
                    found[name] = (offset, f"{body} {' '.join(prerequisites)}")
                    current.append(name)
        position += len(line)
    return found


def _runs(targets: dict[str, tuple[int, str]], name: str, seen: set[str]) -> str:
    """The recipe and prerequisite text of a target, prerequisites' own recipes included."""
    if name in seen or name not in targets:
        return ""
    seen.add(name)
    body = targets[name][1]
    return body + " " + " ".join(_runs(targets, word, seen) for word in body.split())


def check(document: Document, targets: Targets) -> Iterator[Violation]:
    found = _targets(document.text)
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
