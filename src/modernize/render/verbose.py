"""The lines ``--verbose`` prints (the CLI prints them to stderr): the settings each PATH
resolved to, every file considered and what happened to it, and where the time went."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from modernize.kinds import classify
from modernize.model import Outcome
from modernize.targets import TARGETS
from modernize.workspace.config import Resolved

if TYPE_CHECKING:
    from modernize.reports import VerifyReport


def _milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def describe_settings(plan: Resolved) -> str:
    """Where a PATH's settings come from, and what they are (names and patterns printable)."""
    from modernize.render.quoting import printable, shown

    if plan.config_path is None:
        source = "no configuration file (defaults)"
    else:
        relative = os.path.relpath(plan.config_path)
        named = relative if not relative.startswith(os.pardir) else str(plan.config_path)
        source = f"configuration {shown(named)}"
    targets = ", ".join(f"{spec.name} {spec.show(plan.targets.value(spec))}" for spec in TARGETS)
    ids = ", ".join(migration.id for migration in plan.migrations) or "none"
    excluded = f"; exclude {printable(', '.join(plan.exclude))}" if plan.exclude else ""
    return f"{source}: {targets}{excluded}; migrations {ids}"


def describe_outcome(shown: str, outcome: Outcome, run_order: Sequence[str], dry_run: bool) -> str:
    """One file ``apply`` considered: its kind, what happened, the migrations that changed it."""
    if outcome.status == "changed":
        used = {edit.migration for edit in outcome.edits}
        verb = "would be changed" if dry_run else "changed"
        what = f"{verb} by {', '.join(ident for ident in run_order if ident in used)}"
    elif outcome.status == "skipped":
        what = f"skipped: {outcome.reason}"
    elif outcome.status == "failed":
        what = "failed (see the error above)"
    else:
        what = "unchanged"
    return f"{shown} ({outcome.kind}): {what} [{_milliseconds(outcome.seconds)}]"


def describe_checked(shown: str, kind: str, findings: int, seconds: float) -> str:
    """One file ``verify`` checked."""
    counted = f"{findings} finding{'s' * (findings != 1)}"
    return f"{shown} ({kind}): {counted} [{_milliseconds(seconds)}]"


def describe_validators(available: Mapping[str, bool] | None) -> str:
    """The optional validators ``verify`` runs; ``None`` when they are turned off."""
    if available is None:
        return "validators: off (--no-external)"
    installed = [name for name, present in available.items() if present]
    if not installed:
        return "validators: none installed (pip install '.[validate]' in a checkout of modernize)"
    return f"validators: {', '.join(installed)}"


def why_not_considered(named: str, kinds: Iterable[str]) -> str:
    """A file named as a PATH that no migration or check looked at, and why."""
    kind = classify(Path(named).resolve().as_posix())
    if kind is None:
        why = "not a kind of file modernize reads"
    elif kind not in set(kinds):
        why = f"no selected migration reads {kind} files"
    else:
        why = "excluded by the configuration"
    return f"{named}: not considered: {why}"


def trees_passed_over(root: str, trees: Iterable[str]) -> list[str]:
    """Why each folder of ``trees`` (relative to ``root``), another project's tree, was not
    looked at."""
    from modernize.render.quoting import shown
    from modernize.workspace.files import display_path

    return [
        f"{shown(display_path(root, tree))}/: not considered: it holds a .github folder of its "
        "own, so it is another project's tree (a vendored copy or a subtree) whose workflows "
        "never run here; name it as a PATH to migrate it"
        for tree in trees
    ]


def timing_summary(files: Sequence[tuple[str, float]], total_seconds: float) -> str:
    """How many files took how long, and the slowest of them."""
    line = f"{len(files)} file{'s' * (len(files) != 1)} considered in {total_seconds:.2f} s"
    if files:
        slowest, seconds = max(files, key=lambda item: item[1])
        line += f"; slowest {slowest} ({_milliseconds(seconds)})"
    return line + "."


def verify_lines(report: VerifyReport) -> list[str]:
    """Everything ``verify --verbose`` says: the settings, the validators, the files nothing
    looked at, each file checked with its finding count, and the time taken."""
    from collections import Counter

    from modernize.render import quoting

    lines = [*report.settings, describe_validators(report.validators), *report.not_considered]
    per_file = Counter(finding.path for finding in report.findings)
    for shown, kind, seconds in report.checked:
        lines.append(describe_checked(quoting.shown(shown), kind, per_file[shown], seconds))
    timings = [(shown, seconds) for shown, _kind, seconds in report.checked]
    lines.append(timing_summary(timings, report.seconds))
    return lines
