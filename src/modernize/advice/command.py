"""What ``api.advise`` and ``api.apply`` do with ``advising``: read each PATH's jump from a
planning run's results (one jump for the run), advise on its tree into the report, check the
``--from-…`` versions, and name the ``advise`` command that ``apply`` ends with."""

from __future__ import annotations

import shlex
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from packaging.version import Version

from modernize.advice.advising import VOLUME_CODES, Jump, TreeAdvice, advise_tree, jump_of

if TYPE_CHECKING:
    from modernize.model import Outcome
    from modernize.render.report import RootResult
    from modernize.reports import AdviseReport
    from modernize.workspace.config import Overrides, Resolved


def _jumps(
    resolved: Sequence[tuple[str, Resolved]],
    results: Sequence[RootResult],
    given: Mapping[str, str],
) -> list[tuple[str, Resolved, RootResult | None, Jump]]:
    """Each PATH with its result and the jump of the run (a repository, or the files a hook
    names, make one jump together)."""
    by_root = {result.root: result for result in results}
    # Each result's outcomes in turn, not all in one list: a large run's are read back from
    # the disk one at a time (``HeldOutcomes``).
    every = _Chained([result.outcomes for result in results])
    found = []
    for root, plan in resolved:
        moving = frozenset(m.id for m in plan.migrations if m.moves)
        jump = jump_of(every, moving, plan.targets, given)
        found.append((root, plan, by_root.get(root), jump))
    return found


class _Chained:
    """The outcomes of several sequences, one after another, each time they are iterated."""

    def __init__(self, parts: Sequence[Sequence[Outcome]]) -> None:
        self._parts = parts

    def __iter__(self) -> Iterator[Outcome]:
        for part in self._parts:
            yield from part


def _advice(root: str, plan: Resolved, result: RootResult | None, jump: Jump) -> TreeAdvice:
    """``advise_tree`` of a PATH, with what its run made of it already."""
    outcomes = result.outcomes if result is not None else ()
    ahead = result.ahead if result is not None else None
    return advise_tree(Path(root), plan.exclude, plan.exclude_base, outcomes, jump, ahead)


def advise_resolved(
    report: AdviseReport,
    resolved: Sequence[tuple[str, Resolved]],
    results: Sequence[RootResult],
    given: Mapping[str, str],
    uris: bool,
) -> None:
    """Every PATH's hazards, jump line, unreadable files and notes, into ``report``."""
    from modernize.codes import selected
    from modernize.render.diagnostics import located
    from modernize.render.quoting import shown as name
    from modernize.workspace.files import displayer

    for root, plan, result, jump in _jumps(resolved, results, given):
        display = displayer(root)
        report.errors += failures(root, result.outcomes if result is not None else ())
        prefix = "" if len(resolved) == 1 else f"{name(root)}: "
        report.jumps += [prefix + line for line in jump.lines()]
        advice = _advice(root, plan, result, jump)
        report.errors += [
            located(name(display(path)), line, "error", message)
            for path, line, message in advice.unread
        ]
        report.notes += [
            located(name(display(path)), line, "note", message)
            for path, line, message in advice.passed_over
        ]
        shown = {display(f.path): f.path for f in advice.findings}
        found = [replace(f, path=display(f.path)) for f in advice.findings]
        found = selected(found, plan.codes, plan.exclude_base)
        report.findings += found
        if uris:
            from modernize.render.reporting import sarif_uris

            uri = sarif_uris(root)
            report.uris.update((f.path, uri(shown[f.path])) for f in found)


def count_hazards(
    resolved: Sequence[tuple[str, Resolved]],
    results: Sequence[RootResult],
    overrides: Overrides,
    dry_run: bool,
) -> tuple[int, str]:
    """How many upgrade hazards what an ``apply`` run changed brings, and the command that
    lists them (with the versions it came from once written: the files name the targets
    then); ``(0, "")`` for none."""
    count = 0
    jumps = []
    for root, plan, result, jump in _jumps(resolved, results, {}):
        if jump.python_from is None and jump.postgres_from is None:
            continue
        jumps.append(jump)
        found = _advice(root, plan, result, jump).findings
        if plan.codes:  # a selection reads each finding's path as shown
            from modernize.codes import selected
            from modernize.workspace.files import displayer

            display = displayer(root)
            found = [replace(f, path=display(f.path)) for f in found]
            found = selected(found, plan.codes, plan.exclude_base)
        if not dry_run:  # what `advise --from-…` finds again: the volumes moved
            found = [f for f in found if f.code not in VOLUME_CODES]
        count += len(found)
    if not count:
        return 0, ""
    roots = [root for root, _plan in resolved]
    return count, advise_command(roots, overrides, None if dry_run else jumps)


def advise_command(roots: Sequence[str], overrides: Overrides, jumps: Sequence[Jump] | None) -> str:
    """``modernize advise`` with the run's targets, selection and PATHs; after writing, also the
    versions the run moved from (the oldest of its repositories')."""
    from modernize.targets import settings

    parts = ["modernize", "advise"]
    pythons = [jump.python_from for jump in jumps or () if jump.python_from]
    majors = [jump.postgres_from for jump in jumps or () if jump.postgres_from]
    if pythons:
        parts += ["--from-python", min(pythons, key=Version)]
    if majors:
        parts += ["--from-postgres", min(majors, key=Version)]
    for spec in settings():
        if overrides.targets.get(spec.name):
            parts += [spec.flag, overrides.targets[spec.name]]
    # The same migrations decide the jump (``--only postgres-major`` moves no Python).
    if overrides.only:
        parts += ["--only", ",".join(overrides.only)]
    if overrides.skip:
        parts += ["--skip", ",".join(overrides.skip)]
    if overrides.enable:
        parts += ["--enable", ",".join(overrides.enable)]
    if overrides.config is not None:
        parts += ["--config", overrides.config]
    for pattern in overrides.exclude:
        parts += ["--exclude", pattern]
    if list(roots) not in ([], ["."]):
        parts += list(roots)
    return shlex.join(parts)


def versions_from(
    versions: Mapping[str, str], resolved: Sequence[tuple[str, Resolved]]
) -> dict[str, str]:
    """``--from-python`` and ``--from-postgres``, checked (a UsageError when malformed or not
    below a PATH's target) and written as the jump shows them (``3.9``, ``14``, ``9.6``)."""
    import re

    from modernize.errors import UsageError
    from modernize.rules.versions import plain_minor

    given = {name: text.strip() for name, text in versions.items() if text}
    unknown = sorted(set(given) - {"python", "postgres"})
    if unknown:
        raise UsageError(f"no jump is read for {', '.join(unknown)}")
    python, postgres = given.get("python"), given.get("postgres")
    if python is not None:
        minor = plain_minor(python)
        if minor is None or minor[0] != 3:
            raise UsageError(f"--from-python {python!r}: give a Python minor such as 3.10")
        given["python"] = "{}.{}".format(*minor)
    if postgres is not None and not re.fullmatch(r"9\.[0-6]|[1-9]\d", postgres):
        raise UsageError(f"--from-postgres {postgres!r}: give a postgres major such as 14")
    for _root, plan in resolved:
        if python is not None and Version(given["python"]) >= plan.targets.python:
            raise UsageError(
                f"--from-python {python}: not below the target Python {plan.targets.python_minor}"
            )
        if postgres is not None and Version(postgres) >= Version(str(plan.targets.postgres)):
            raise UsageError(
                f"--from-postgres {postgres}: not below the target postgres {plan.targets.postgres}"
            )
    return given


def failures(root: str, outcomes: Sequence[Outcome]) -> list[str]:
    """The error lines of the files the planning run could not read or prove: what they hold
    is not advised on."""
    from modernize.render.diagnostics import located
    from modernize.render.quoting import shown
    from modernize.workspace.files import display_path

    return [
        located(shown(display_path(root, outcome.path)), found.line, "error", found.message)
        for outcome in outcomes
        if outcome.status == "failed"
        for found in outcome.findings
        if found.severity == "error"
    ]
