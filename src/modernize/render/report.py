"""Records of an apply run: a markdown report, a changelog entry, and JSON of planned changes."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from modernize.lazy import lazy_pattern
from modernize.model import Finding, Outcome
from modernize.records import record
from modernize.render.quoting import escaped, shown
from modernize.workspace.files import display_path, displayer

if TYPE_CHECKING:
    from modernize.advice.advising import AdviceAhead

CHANGELOG_HEADER = """# Changelog

All notable changes to this project will be documented in this file.

The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/),
and this project adheres to [Semantic Versioning](https://semver.org/spec/v2.0.0.html).

## [Unreleased]
"""


@record(frozen=True)
class RootResult:
    """One PATH of the run: its outcomes (paths relative to it), after writing what verify
    still finds there, and why it could not be run at all (a missing path, bad configuration)."""

    root: str
    outcomes: Sequence[Outcome]
    remaining: Sequence[Finding] = ()
    error: str = ""
    #: What the run decided for the repository as a whole (its projects' claims, lockfiles
    #: to make again, trees passed over), for the report.
    decisions: Sequence[str] = ()
    #: What a worker made of the hazards' files while the tree was planned
    #: (``advising.advice_ahead``), or None: counting the hazards walks the tree again.
    ahead: AdviceAhead | None = None


def _named(root: str, relative: str) -> str:
    """A file's name as the text output shows it (quoted when it would not print)."""
    return shown(display_path(root, relative))


def _manual_steps(findings: Sequence[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.severity == "warning"]


_Changed = list[tuple[RootResult, Outcome]]


def markdown_report(results: Sequence[RootResult], dry_run: bool) -> str:
    changed = [(r, o) for r in results for o in r.outcomes if o.status == "changed"]
    failed = [(r, o) for r in results for o in r.outcomes if o.status == "failed"]
    notes = [(r, f) for r in results for o in r.outcomes for f in _manual_steps(o.findings)]
    examined = sum(len(r.outcomes) for r in results)
    lines = ["# Infrastructure modernization report", "", "## Summary", ""]
    lines.append(f"- Files examined: {examined}")
    lines.append(
        f"- Files to change: {len(changed)} (dry run)"
        if dry_run
        else f"- Files changed: {len(changed)}"
    )
    lines.append(f"- Edits: {sum(len(o.edits) for _, o in changed)}")
    lines.append(f"- Warnings and manual steps: {len(notes)}")
    lines.append(f"- Errors: {len(failed) + sum(1 for r in results if r.error)}")
    if len(results) > 1:
        lines += _repositories(results)
    lines += _decisions(results)
    lines += _changes(changed)
    lines += ["", "## Warnings and manual steps", ""]
    if not notes:
        lines.append("None.")
    for result, finding in notes:
        lines.append(
            f"- [ ] `{_named(result.root, finding.path)}:{finding.line}`: "
            f"{escaped(finding.message)}"
        )
    if failed or any(r.error for r in results):
        lines += _errors(results, failed)
    lines += ["", "## Verification", ""]
    lines += _verification(results, dry_run)
    return "\n".join(lines) + "\n"


def _repositories(results: Sequence[RootResult]) -> list[str]:
    lines = ["", "## Repositories", ""]
    lines += ["| repository | files changed | warnings and manual steps | errors |"]
    lines += ["|---|---|---|---|"]
    for result in results:
        counts = [
            sum(1 for o in result.outcomes if o.status == "changed"),
            sum(len(_manual_steps(o.findings)) for o in result.outcomes),
            sum(1 for o in result.outcomes if o.status == "failed") + bool(result.error),
        ]
        lines.append(f"| `{shown(result.root)}` | " + " | ".join(map(str, counts)) + " |")
    return lines


def _decisions(results: Sequence[RootResult]) -> list[str]:
    """The repository-level decisions, each repository's under its name when there are
    several."""
    lines = ["", "## Repository decisions", ""]
    if not any(result.decisions for result in results):
        lines.append("None: no project, lockfile or other project's tree was found.")
    for result in results:
        if not result.decisions:
            continue
        if len(results) > 1:
            lines += [f"- `{shown(result.root)}`"]
        indent = "  " if len(results) > 1 else ""
        lines += [f"{indent}- {escaped(decision)}" for decision in result.decisions]
    return lines


def _changes(changed: _Changed) -> list[str]:
    lines = ["", "## Changes by file kind", "", "| kind | files | edits |", "|---|---|---|"]
    kinds = Counter(o.kind for _, o in changed)
    for kind, count in sorted(kinds.items()):
        edits = sum(len(o.edits) for _, o in changed if o.kind == kind)
        lines.append(f"| {kind} | {count} | {edits} |")
    lines += ["", "## Files Modified", "", "| file | changes |", "|---|---|"]
    for result, outcome in changed:
        per_migration = Counter(edit.migration for edit in outcome.edits)
        described = ", ".join(f"{name} ({count})" for name, count in sorted(per_migration.items()))
        lines.append(f"| `{_named(result.root, outcome.path)}` | {described} |")
    lines += ["", "### Edits", ""]
    for result, outcome in changed:
        lines.append(f"- `{_named(result.root, outcome.path)}`")
        for edit in outcome.edits:
            before = edit.before.strip() or "(insert)"
            after = edit.after.strip() or "(removed)"
            lines.append(f"  - line {edit.line}, {edit.migration}: `{before}` → `{after}`")
    return lines


def _errors(results: Sequence[RootResult], failed: _Changed) -> list[str]:
    lines = ["", "## Errors (files not written)", ""]
    lines += [f"- `{shown(r.root)}`: {escaped(r.error)}" for r in results if r.error]
    for result, outcome in failed:
        for finding in outcome.findings or [Finding(outcome.path, 1, outcome.reason, "error")]:
            if finding.severity == "error":
                named = _named(result.root, outcome.path)
                lines.append(f"- `{named}:{finding.line}`: {escaped(finding.message)}")
    return lines


def _verification(results: Sequence[RootResult], dry_run: bool) -> list[str]:
    if dry_run:
        return ["Not run: this was a dry run; every planned edit was verified in memory."]
    remaining = [(r, f) for r in results for f in r.remaining]
    # As verify counts them: a note (a validator that could not check a file) is neither.
    severities = Counter(finding.severity for _, finding in remaining)
    notes_count = f", {severities['note']} note(s)" if severities["note"] else ""
    lines = [
        f"`modernize verify` after writing: {severities['error']} error(s), "
        f"{severities['warning']} warning(s){notes_count}."
    ]
    for result, finding in remaining:
        lines.append(
            f"- {finding.severity} `{_named(result.root, finding.path)}:{finding.line}` "
            f"{finding.code}: {escaped(finding.message)}"
        )
    return lines


def changes_json(results: Sequence[RootResult], dry_run: bool = True) -> str:
    """The planned (``dry_run``) or written changes and the findings, file by file."""
    files = []
    for result in results:
        display = displayer(result.root)
        for outcome in result.outcomes:
            if outcome.status == "unchanged" and not outcome.findings:
                continue
            files.append(
                {
                    "path": escaped(display(outcome.path)),
                    "kind": outcome.kind,
                    "status": outcome.status,
                    "edits": [
                        {
                            "migration": edit.migration,
                            "line": edit.line,
                            "before": edit.before,
                            "after": edit.after,
                        }
                        for edit in outcome.edits
                    ],
                    "findings": [
                        {
                            "line": f.line,
                            "code": f.code,
                            "severity": f.severity,
                            "message": escaped(f.message),
                        }
                        for f in outcome.findings
                    ]
                    + (
                        [
                            {  # unreadable or skipped: what verify reports as E001
                                "line": 1,
                                "code": "E001",
                                "severity": "error" if outcome.status == "failed" else "warning",
                                "message": escaped(outcome.reason),
                            }
                        ]
                        if outcome.reason
                        else []
                    ),
                }
            )
    import json

    return json.dumps({"version": 1, "dry_run": dry_run, "files": files}, indent=2)


def changelog_entry(results: Sequence[RootResult], targets_text: str) -> str:
    migrations = sorted({e.migration for r in results for o in r.outcomes for e in o.edits})
    count = sum(1 for r in results for o in r.outcomes if o.status == "changed")
    lines = [
        f"- Modernized infrastructure ({targets_text}) in {count} file{'s' * (count != 1)} "
        f"with modernize: {', '.join(migrations)}."
    ]
    return "\n".join(lines) + "\n"


#: The Unreleased heading, bracketed or not, in any case; it may end the file.
_UNRELEASED = lazy_pattern(r"^##[ \t]+\[?unreleased\b[^\n]*(?:\n|\Z)", re.M | re.I)
_CHANGED = lazy_pattern(r"^###[ \t]+changed\b[^\n]*(?:\n|\Z)", re.M | re.I)
_RELEASE = lazy_pattern(r"^## ", re.M)


def add_changelog_entry(text: str | None, entry: str) -> str:
    """Insert ``entry`` under ``### Changed`` of ``## [Unreleased]`` (created when missing),
    touching nothing else of an existing file: its newline style and byte order mark stay."""
    if text is None or not text.strip():
        return CHANGELOG_HEADER + "\n### Changed\n\n" + entry
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    text = text[len(bom) :]
    newline = "\r\n" if "\r\n" in text else "\n"
    entry = entry.replace("\n", newline)
    unreleased = _UNRELEASED.search(text)
    if unreleased is None:
        first_release = _RELEASE.search(text)
        position = first_release.start() if first_release else len(text)
        block = f"## [Unreleased]{newline}{newline}### Changed{newline}{newline}{entry}"
        return bom + _insert(text, position, block, newline, heading=True)
    next_release = _RELEASE.search(text, unreleased.end())
    section_end = next_release.start() if next_release else len(text)
    changed = _CHANGED.search(text, unreleased.end(), section_end)
    if changed is None:
        block = f"### Changed{newline}{newline}{entry}"
        return bom + _insert(text, unreleased.end(), block, newline, heading=True)
    position = changed.end()
    while text.startswith(("\n", "\r\n"), position):
        position += 1 if text[position] == "\n" else 2
    # An empty Changed section gets the blank line below its heading that a new one would.
    empty = position == len(text) or text.startswith("#", position)
    return bom + _insert(text, position, entry, newline, heading=empty)


def _insert(text: str, position: int, block: str, newline: str, *, heading: bool) -> str:
    """``block`` inserted at ``position``, a blank line before it when it starts with a
    ``heading``, and one after it when a heading follows."""
    before, after = text[:position], text[position:]
    if before and not before.endswith("\n"):  # the last line had no newline
        before += newline
    if heading and before and not before.endswith(("\n\n", "\n\r\n")):
        before += newline
    if after.startswith("#"):
        block += newline
    return before + block + after
