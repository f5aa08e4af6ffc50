"""Every finding's code, and which of them a run reports: ``select``, ``ignore`` and
``per-file-ignores``, as ruff reads them.

A code names one rule: ``E001``/``E002`` (a file not checked, an internal error), ``V000``/
``V001`` (the optional validators), a migration's ``M`` code, a standard's (``DF001``) and an
advise hazard's (``A001``). A selector is a code or the start of one (``DF``, ``CP00``), or
``ALL``. The configuration's ``select`` and ``ignore`` apply first, then the command line's;
within each, the more specific selector wins (``ignore = ["DF"]`` with ``select = ["DF001"]``
keeps DF001), and at the same length ``ignore`` wins. A ``select`` replaces what came before
it; an ``ignore`` removes from it. ``per-file-ignores`` then drops codes for the files its
patterns (``.gitignore`` syntax, relative to the configuration's directory) match.

E002 is never dropped: an internal error is a bug to report, not a finding to silence.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

from modernize.lazy import lazy_pattern
from modernize.records import record

if TYPE_CHECKING:
    from modernize.model import Finding
    from modernize.registry import Migration
    from modernize.workspace.ignore import PatternList

#: The code that no selection drops.
UNSILENCEABLE = "E002"
#: The codes of hadolint (``DL3008``) and of the ShellCheck it runs (``SC2086``), reported
#: as they are when hadolint is installed: their own documentation lists them.
EXTERNAL_PREFIXES = ("DL", "SC")
_SELECTOR = lazy_pattern(r"[A-Z]+[0-9]*")


@record(frozen=True)
class Code:
    """One finding code: where it comes from, how severe it is, and its one-line summary."""

    code: str
    #: ``check`` (E/V), ``migration``, ``standard`` or ``hazard``.
    family: str
    severity: str
    summary: str


def catalogue(migrations: Sequence[Migration]) -> dict[str, Code]:
    """Every code, in the order ``modernize rules`` lists them: the checks of files, the
    migrations' codes in run order, the standards, the hazards."""
    from modernize.advice.hazards import HAZARDS
    from modernize.standards import RULES

    codes: dict[str, Code] = {}
    checks = [rule for code, rule in RULES.items() if code[0] in "EV"]
    standards = [rule for code, rule in RULES.items() if code[0] not in "EV"]
    for rule in checks:
        codes[rule.code] = Code(rule.code, "check", rule.severity, rule.summary)
    for migration in migrations:
        summary = f"{migration.id}: {migration.title}"
        codes[migration.code] = Code(migration.code, "migration", "error", summary)
    for rule in standards:
        codes[rule.code] = Code(rule.code, "standard", rule.severity, rule.summary)
    for hazard in HAZARDS:
        codes[hazard.code] = Code(hazard.code, "hazard", "warning", hazard.summary)
    return codes


class UnknownCode(ValueError):
    """A selector that names no code."""

    def __init__(self, selector: str) -> None:
        super().__init__(f"unknown code {selector!r} (`modernize rules` lists the codes)")


def check_selectors(selectors: Iterable[str], known: Iterable[str]) -> tuple[str, ...]:
    """``selectors`` in upper case, each checked to name at least one known code
    (UnknownCode otherwise)."""
    known = tuple(known)
    checked = []
    for selector in selectors:
        wanted = selector.strip().upper()
        if not wanted:
            continue
        named = any(code.startswith(wanted) for code in known) or (
            wanted.startswith(EXTERNAL_PREFIXES)
        )
        if wanted != "ALL" and (not _SELECTOR.fullmatch(wanted) or not named):
            raise UnknownCode(selector.strip())
        checked.append(wanted)
    return tuple(checked)


@record(frozen=True)
class Layer:
    """One source's ``select`` (empty: it selects nothing anew) and ``ignore``."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


def _length(selectors: Sequence[str], code: str) -> int:
    """The length of the longest selector matching ``code`` (``ALL`` the shortest); -1 for
    none."""
    best = -1
    for selector in selectors:
        if selector == "ALL":
            best = max(best, 0)
        elif code.startswith(selector):
            best = max(best, len(selector))
    return best


@record(frozen=True)
class Selection:
    """Which codes a run reports: its layers in order, then the per-file ignores."""

    layers: tuple[Layer, ...] = ()
    #: A ``.gitignore``-style pattern to the codes dropped for the files it matches, relative
    #: to ``base`` (the configuration's directory).
    per_file: tuple[tuple[str, tuple[str, ...]], ...] = ()
    _compiled: list[tuple[PatternList, tuple[str, ...]]] = field(
        default_factory=list, compare=False, repr=False
    )

    def __bool__(self) -> bool:
        return any(layer.select or layer.ignore for layer in self.layers) or bool(self.per_file)

    def reports(self, code: str) -> bool:
        """Whether ``code`` is reported anywhere (the per-file ignores aside)."""
        if code == UNSILENCEABLE:
            return True
        kept = True
        for layer in self.layers:
            chosen, dropped = _length(layer.select, code), _length(layer.ignore, code)
            if chosen > dropped:
                kept = True
            elif dropped >= 0 or layer.select:
                kept = False
        return kept

    def reports_in(self, code: str, relative: str | None) -> bool:
        """Whether ``code`` is reported for the file at ``relative`` (a POSIX path relative
        to the configuration's directory; None: outside it, where no per-file ignore holds)."""
        if not self.reports(code):
            return False
        if code == UNSILENCEABLE or relative is None or not self.per_file:
            return True
        for patterns, codes in self._patterns():
            if _length(codes, code) >= 0 and patterns.ignores_path(relative, False):
                return False
        return True

    def _patterns(self) -> list[tuple[PatternList, tuple[str, ...]]]:
        from modernize.workspace.ignore import PatternList

        if not self._compiled:
            self._compiled.extend((PatternList([p]), codes) for p, codes in self.per_file)
        return self._compiled


def selected(findings: Sequence[Finding], codes: Selection, base: Path | None) -> list[Finding]:
    """The ``findings`` (each at its path as shown, relative to the current directory) whose
    codes ``codes`` reports; ``base`` is the configuration's directory."""
    if not codes:
        return list(findings)
    kept = []
    for finding in findings:
        relative = None
        if base is not None and codes.per_file:
            located = Path(finding.path)
            located = located.parent.resolve() / located.name
            with contextlib.suppress(ValueError):
                relative = located.relative_to(base.resolve()).as_posix()
        if codes.reports_in(finding.code, relative):
            kept.append(finding)
    return kept
