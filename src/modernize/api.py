"""The Python API: ``apply``, ``verify``, ``advise`` and ``migrations``, one function per command.

The command line, the GitHub Action and the pre-commit hook need nothing else. Each command
takes its PATHs and an options dataclass and returns a report holding what the command line
prints (per-repository outcomes, diffs, diagnostics, findings, counts) and the exit code it
means. Nothing here prints or imports click; an error that stops a whole run is raised, as a
``ModernizeError`` (a ``LocatedError`` when it is at a line of a file).

    from modernize import api

    report = api.apply(["services/web"], api.ApplyOptions(dry_run=True, targets={"python": "3.13"}))
    print(report.changed, report.exit_code)       # files that would change; 1 if any
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from modernize.errors import ErrorList, LocatedError, ModernizeError
from modernize.records import record

if TYPE_CHECKING:
    from modernize.engine.runner import ApplySettings, RepoRun
    from modernize.model import Finding
    from modernize.registry import Migration
    from modernize.reports import EXIT_ERROR as EXIT_ERROR
    from modernize.reports import EXIT_OK as EXIT_OK
    from modernize.reports import EXIT_PENDING as EXIT_PENDING
    from modernize.reports import AdviseReport as AdviseReport
    from modernize.reports import RunReport as RunReport
    from modernize.reports import VerifyReport as VerifyReport
    from modernize.standards.validators import Checked
    from modernize.targets import Standard
    from modernize.workspace.config import Overrides, Resolved


_FROM_REPORTS = frozenset(
    {"EXIT_ERROR", "EXIT_OK", "EXIT_PENDING", "RunReport", "VerifyReport", "AdviseReport"}
)


def __getattr__(name: str) -> object:
    """The report types, offered here too, loaded with the first run (``modernize list`` and
    ``--version`` need none of them)."""
    if name in _FROM_REPORTS:
        from modernize import reports

        return getattr(reports, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@record(frozen=True)
class Selection:
    """What both commands take: which migrations, and the targets (the defaults are the
    command line's)."""

    #: Migration IDs to run, or not to run (they win over the configuration's).
    only: Sequence[str] = ()
    skip: Sequence[str] = ()
    #: Target names to their text, as the flags give them: ``{"python": "3.13"}``.
    targets: Mapping[str, str] = field(default_factory=dict)
    verbose: bool = False
    #: Finding codes, or their starts (``DF``), to report and not to report (``verify`` and
    #: ``advise``; after the configuration's ``select`` and ``ignore``, as ruff reads them).
    select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    #: Opt-in migrations to run besides the default set.
    enable: Sequence[str] = ()
    #: The configuration file to use instead of the one found above each PATH.
    config: str | None = None
    #: More ``exclude`` patterns (``.gitignore`` syntax, read as the configuration's are).
    exclude: Sequence[str] = ()
    #: A file's text, given instead of PATHs (``-``): read as the file at ``stdin_filename``,
    #: which need not exist, with the settings found above it. Nothing is written: ``apply``
    #: puts the migrated text in the report's ``text``.
    stdin: bytes | None = None
    stdin_filename: str | None = None


@record(frozen=True)
class ApplyOptions(Selection):
    """What ``apply`` does; the defaults are the command line's."""

    dry_run: bool = False
    #: Worker processes in all.
    jobs: int = 1
    #: ``"json"`` builds no diff (the report's results are the changes).
    output_format: str = "diff"
    #: Also every repository listed in this file, one path a line (``-``: standard input).
    repos_from: str | None = None
    #: Write a markdown record of the run here (and verify each repository after writing).
    report_path: Path | None = None
    changelog: bool = False
    #: Write the files that passed even when another file of the same repository failed (by
    #: default a repository is written whole or not at all).
    partial: bool = False
    #: Count the upgrade hazards of what changed (``advise``'s own planning run does not).
    hazards: bool = True
    #: Make each file's advice for the upgrade hazards where it is planned: ``advise``'s own
    #: planning run reads them from its outcomes (``Outcome.advice``).
    advice: bool = False


@record(frozen=True)
class VerifyOptions(Selection):
    """What ``verify`` does; the defaults are the command line's."""

    strict: bool = False
    #: Run the optional validators (check-jsonschema, hadolint) when installed.
    external: bool = True
    #: Give each finding's path as a URI relative to its repository (SARIF).
    uris: bool = False


@record(frozen=True)
class AdviseOptions(Selection):
    """What ``advise`` does; the defaults are the command line's."""

    #: The versions the repositories ran before, by target (``{"python": "3.10", "postgres":
    #: "14"}``): needed once ``apply`` has written, when the repositories name the targets.
    versions_from: Mapping[str, str] = field(default_factory=dict)
    jobs: int = 1
    #: Give each finding's path as a URI relative to its repository (SARIF).
    uris: bool = False


class Listener(Protocol):
    """Told about a run as it goes, for a caller that shows it live (subclass it, or give any
    object with these methods); by default, nothing. Whatever it is told is in the report
    too."""

    def said(self, line: str) -> None:
        """A diagnostic line known before any repository runs (a path named twice, missing)."""
        return None

    def finished(self, done: int, total: int, repo: RepoRun) -> None:
        """A repository of a batch is done (in whatever order they finish)."""
        return None

    def ready(self, repo: RepoRun, batch: bool) -> None:
        """A repository's run, in input order, as soon as every one before it is ready; in a
        ``batch``, or one of the PATHs of a single run."""
        return None


class _Quiet(Listener):
    """The listener of a caller that shows nothing live."""


def migrations(extra_directories: Sequence[Path] = ()) -> list[Migration]:
    """Every migration in run order (the built-in ones, then those in ``extra_directories``);
    MigrationLoadError on a malformed one."""
    from modernize import registry

    return registry.load_migrations(extra_directories)


def standards() -> tuple[Standard, ...]:
    """Every dated standard this release knows, oldest first (the last is the default)."""
    from modernize.targets import STANDARDS

    return STANDARDS


def _split_ids(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _overrides(options: Selection) -> Overrides:
    """The options that override each PATH's configuration (IDs may be comma-separated)."""
    from modernize.workspace.config import Overrides

    targets = {name: text for name, text in options.targets.items() if text}
    return Overrides(
        targets=targets,
        only=_split_ids(options.only),
        skip=_split_ids(options.skip),
        select=_split_ids(options.select),
        ignore=_split_ids(options.ignore),
        enable=_split_ids(options.enable),
        config=options.config,
        exclude=tuple(options.exclude),
    )


def _verify_overrides(options: VerifyOptions) -> Overrides:
    """``verify``'s overrides: ``--only`` without ``--select`` limits the findings to those
    migrations' codes (and the files not checked), leaving the standards out."""
    overrides = _overrides(options)
    if not overrides.only or overrides.select:
        return overrides
    from modernize import registry

    codes = [m.code for m in registry.load_migrations() if m.id in overrides.only]
    return replace(overrides, select=("E", *codes))


def _selected(findings: Sequence[Finding], plan: Resolved) -> list[Finding]:
    from modernize.codes import selected

    return selected(findings, plan.codes, plan.exclude_base)


def _resolve_all(
    paths: Sequence[str], overrides: Overrides, below: bool = True
) -> list[tuple[str, Resolved]]:
    """Targets and migrations for each PATH (configuration, then flags), or the error; with
    ``below``, also for each folder under a PATH with a configuration of its own (found by a
    walk of its own), just after that PATH."""
    from modernize import registry
    from modernize.workspace.config import resolve
    from modernize.workspace.files import (
        FOLDER_LEAVES,
        configured_trees_below,
        display_path,
        folder_leaves_its_repository,
    )

    loaded = registry.load_migrations()  # once: a hook names many files
    resolved = []
    pending = list(paths or (".",))
    while pending:
        root = pending.pop(0)
        if folder_leaves_its_repository(Path(root)):
            raise ModernizeError(f"{root}: {FOLDER_LEAVES}")
        plan = resolve(Path(root), overrides, root, loaded)
        resolved.append((root, plan))
        if not below:
            continue
        # A folder below with settings of its own is not walked with this PATH (discovery
        # passes over it): it runs as a PATH of its own, just after this one, so that each
        # file takes the nearest configuration above it.
        trees = configured_trees_below(Path(root), plan.exclude, plan.exclude_base)
        pending[:0] = [display_path(root, tree) for tree in trees]
    return resolved


def _settings_lines(resolved: Sequence[tuple[str, Resolved]]) -> list[str]:
    """--verbose: each distinct configuration once (a hook names many files under one)."""
    from modernize.render.verbose import describe_settings

    return list(dict.fromkeys(describe_settings(plan) for _root, plan in resolved))


def _read_repos_from(name: str, report: RunReport, listener: Listener) -> list[str]:
    """The paths listed in ``name`` (relative ones are relative to its directory; ``-`` is
    standard input, relative to the current directory). A line that names none is an error of
    its own, and the others still run; a list that names none stops the run."""
    from modernize.engine.runner import read_repository_list
    from modernize.render.diagnostics import error_line

    base = "" if name == "-" else os.path.dirname(name)
    try:
        text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ModernizeError(f"{name}: cannot read the repository list: {error}") from error
    roots, problems = read_repository_list(text, base)
    located = [LocatedError(name, line, message) for line, message in problems]
    if not roots:
        # An empty list is more likely a broken step before this one than intended.
        raise ErrorList(located) if located else ModernizeError(f"{name}: lists no repositories")
    for problem in located:
        _say(report, listener, error_line(problem))
    report.errors_before += len(located)
    return roots


def _say(report: RunReport, listener: Listener, line: str) -> None:
    report.notes.append(line)
    listener.said(line)


def apply(
    paths: Sequence[str], options: ApplyOptions, listener: Listener | None = None
) -> RunReport:
    """Migrate the repositories or files at ``paths`` (none: the current directory).

    Several repositories (``paths`` that are not files, or ``repos_from``) make a batch: each
    one's errors, a bad configuration included, are its own. Otherwise every PATH is resolved
    first, and a bad configuration or changelog stops the run (raised) before any write.
    """
    from modernize.engine.runner import ApplySettings, distinct

    started = time.perf_counter()
    listener = listener or _Quiet()
    from modernize.reports import RunReport

    report = RunReport(options.dry_run, batch=False)
    if options.stdin is not None:
        return _apply_given(paths, options, report, listener, started)
    roots = list(paths)
    if options.repos_from is not None:
        roots += _read_repos_from(options.repos_from, report, listener)
    report.batch = options.repos_from is not None or (
        len(roots) > 1 and not any(os.path.isfile(root) for root in roots)
    )
    roots, duplicates = distinct(roots)
    for warning in duplicates:
        _say(report, listener, warning)
    settings = ApplySettings(
        _overrides(options),
        options.dry_run,
        options.output_format,
        verify_after=options.report_path is not None,
        decisions=options.report_path is not None,
        changelog=options.changelog,
        verbose=options.verbose,
        batch=report.batch,
        partial=options.partial,
        # Only a run of the repositories together counts the hazards.
        advise=(options.hazards or options.advice) and not report.batch,
    )
    if report.batch:
        _apply_batch(roots, settings, options.jobs, report, listener)
    else:
        _apply_together(roots, settings, options.jobs, report, listener, options.hazards)
    report.seconds = time.perf_counter() - started
    if options.report_path is not None:
        report.report_error = _write_report(options.report_path, report)
    return report


def _given_name(paths: Sequence[str], options: Selection) -> str:
    """The file name a text given on standard input is read as; the usage errors of ``-``."""
    from modernize.errors import UsageError

    if list(paths) not in ([], ["-"]):
        raise UsageError("- (standard input) cannot be given with other PATHs")
    if not options.stdin_filename:
        raise UsageError(
            "- reads a file from standard input: name it with --stdin-filename PATH "
            "(its name tells what kind of file it is, and where its settings are)"
        )
    if os.path.isdir(options.stdin_filename):
        raise UsageError(f"--stdin-filename {options.stdin_filename}: a folder, not a file")
    return options.stdin_filename


def _apply_given(
    paths: Sequence[str],
    options: ApplyOptions,
    report: RunReport,
    listener: Listener,
    started: float,
) -> RunReport:
    """``apply`` to a text given on standard input: planned as the file it names, never
    written; ``report.text`` is the text migrated (or as it came, when nothing changed)."""
    from modernize.engine.runner import ApplySettings
    from modernize.errors import UsageError
    from modernize.workspace.files import given_text

    name = _given_name(paths, options)
    if options.repos_from is not None or options.report_path is not None or options.changelog:
        raise UsageError("- (standard input) takes no --repos-from, --report or --changelog")
    assert options.stdin is not None
    settings = ApplySettings(
        _overrides(options),
        dry_run=True,
        output_format="diff" if options.dry_run and options.output_format == "diff" else "json",
        verbose=options.verbose,
        batch=False,
        keep_text=True,
    )
    with given_text(Path(name), options.stdin):
        _apply_together([name], settings, 1, report, listener, hazards=False)
    changed = [text for repo in report.repositories for text in repo.updated.values()]
    report.text = changed[0] if changed else options.stdin
    report.seconds = time.perf_counter() - started
    return report


def _apply_batch(
    roots: Sequence[str],
    settings: ApplySettings,
    jobs: int,
    report: RunReport,
    listener: Listener,
) -> None:
    """Several repositories, in parallel, each run whole and reported in input order."""
    from modernize.engine.runner import run_batch
    from modernize.workspace.config import check_overrides

    check_overrides(settings.overrides)  # a bad flag is every repository's: said once
    for repo in run_batch(roots, settings, jobs, listener.finished):
        report.repositories.append(repo)
        report.results.append(repo.result)
        listener.ready(repo, True)


def _apply_together(
    roots: Sequence[str],
    settings: ApplySettings,
    jobs: int,
    report: RunReport,
    listener: Listener,
    hazards: bool,
) -> None:
    """One repository, or the files a hook names: resolved first, then run one after another
    (each with every job), and their changelogs written once per project. A single folder's
    subfolders with settings of their own are resolved when its walk has found them, still
    before any file is written."""
    from modernize.engine.runner import add_shared_changelogs, run_resolved, without_nested
    from modernize.render.report import RootResult
    from modernize.workspace.files import display_path
    from modernize.workspace.spool import Spool

    roots, nested = without_nested(roots)
    for warning in nested:
        _say(report, listener, warning)
    missing = [root for root in roots if not _exists(root)]
    for line in _missing_lines(missing):
        _say(report, listener, line)
    report.errors_before += len(missing)
    existing = [root for root in roots if root not in missing]
    named = existing if roots else ["."]
    # One folder: the folders below it with settings of their own are found by its run's own
    # walk, before anything is written, instead of by a walk of their own first.
    one_folder = len(named) == 1 and os.path.isdir(named[0])
    resolved = _resolve_all(named, settings.overrides, below=not one_folder) if named else []

    def resolved_first(plans: Sequence[tuple[str, Resolved]]) -> None:
        """Say the settings and check the changelogs, before any file is written."""
        if settings.verbose:
            for line in _settings_lines(plans):
                _say(report, listener, line)
        if settings.changelog:
            _check_changelogs([root for root, _plan in plans])

    def found_below(trees: list[str]) -> None:
        """The one folder's walk is done: the folders below it with settings of their own
        (and theirs) run after it; a bad configuration among them stops the run here."""
        root = resolved[0][0]
        if trees:
            shown = [display_path(root, tree) for tree in trees]
            resolved.extend(_resolve_all(shown, settings.overrides))
        resolved_first(resolved)

    if not one_folder:
        resolved_first(resolved)
    settings = replace(settings, jobs=jobs)
    # One for all the PATHs (a hook names hundreds of files): it holds one open file at most.
    spool = Spool()
    index = 0
    while index < len(resolved):
        root, plan = resolved[index]
        found = found_below if one_folder and index == 0 else None
        several = replace(settings, several=len(resolved) > 1)
        repo = run_resolved(root, plan, several, found, spool)
        report.repositories.append(repo)
        report.results.append(repo.result)
        listener.ready(repo, False)
        index += 1
    settings = replace(settings, several=len(resolved) > 1)
    report.results += [RootResult(root, (), (), "no such file or directory") for root in missing]
    if settings.changelog and report.changed:
        report.changelogs = add_shared_changelogs(report.repositories, settings)
    if report.changed and hazards:
        from modernize.advice.command import count_hazards

        report.hazards, report.advise_command = count_hazards(
            resolved, report.results, settings.overrides, report.dry_run
        )


def _missing_lines(missing: Sequence[str]) -> list[str]:
    """What every command says of a PATH that does not exist (and then runs the others)."""
    from modernize.render.quoting import shown

    return [f"error: {shown(root)}: no such file or directory" for root in missing]


def _exists(root: str) -> bool:
    """Whether the PATH exists, or is the name of a text given on standard input."""
    from modernize.workspace.files import is_given

    return os.path.lexists(root) or is_given(root)


def _existing(paths: Sequence[str]) -> tuple[list[str], list[str]]:
    """``paths`` that exist, and the lines for those that do not."""
    missing = [root for root in paths if not _exists(root)]
    return [root for root in paths if root not in missing], _missing_lines(missing)


def _check_changelogs(roots: Sequence[str]) -> None:
    """Raise before anything is written when a changelog cannot take the entry."""
    from modernize.render.diagnostics import error_line
    from modernize.workspace.changelog import check_changelog

    problems = [problem for problem in map(check_changelog, roots) if problem is not None]
    distinct = list({error_line(problem): problem for problem in problems}.values())
    if len(distinct) == 1:
        raise distinct[0]
    if distinct:
        raise ErrorList(distinct)


def _write_report(path: Path, report: RunReport) -> str:
    """Write the markdown record of the run; the error line when it cannot be written."""
    from modernize.render.diagnostics import located
    from modernize.render.report import markdown_report
    from modernize.workspace.writing import replace_output_file

    try:
        replace_output_file(path, markdown_report(report.results, report.dry_run).encode("utf-8"))
    except (OSError, ModernizeError) as error:
        reason = error.strerror if isinstance(error, OSError) else str(error)
        return located(str(path), 1, "error", f"cannot write report: {reason}")
    return ""


def verify(paths: Sequence[str], options: VerifyOptions) -> VerifyReport:
    """What is still stale, and which standards the repositories at ``paths`` miss."""
    started = time.perf_counter()
    from modernize.reports import VerifyReport

    report = VerifyReport()
    if options.stdin is not None:
        from modernize.workspace.files import given_text

        name = _given_name(paths, options)
        # The validators read files from the disk: a given text is checked without them.
        given = replace(options, stdin=None, stdin_filename=None, external=False)
        with given_text(Path(name), options.stdin):
            return verify([name], given)
    existing, report.problems = _existing(paths)
    if paths and not existing:
        report.seconds = time.perf_counter() - started
        return report
    resolved = _resolve_all(existing, _verify_overrides(options))
    if options.verbose:
        from modernize.standards.validators import available

        report.settings = _settings_lines(resolved)
        report.validators = available() if options.external else None
    # Several PATHs (a hook names every file): each validator starts once for all of them.
    deferred: list[tuple[Checked, Resolved]] | None = [] if len(resolved) > 1 else None
    for root, plan in resolved:
        report.migrations = plan.migrations
        _verify_root(root, plan, options, report, deferred)
    if deferred:
        from modernize.standards.checking import strictly, validate

        plans = {item.document.path: plan for item, plan in deferred}
        validated = [
            kept
            for finding in validate([item for item, _plan in deferred])
            for kept in _selected([finding], plans[finding.path])
        ]
        report.findings.extend(strictly(validated) if options.strict else validated)
        report.findings.sort(key=lambda f: (f.path, f.line, f.code))
    report.seconds = time.perf_counter() - started
    return report


def _verify_root(
    root: str,
    plan: Resolved,
    options: VerifyOptions,
    report: VerifyReport,
    deferred: list[tuple[Checked, Resolved]] | None,
) -> None:
    """Check one PATH into ``report``; its files for the validators go to ``deferred`` when
    several PATHs share them."""
    from modernize.registry import Context
    from modernize.render.reporting import sarif_uris
    from modernize.standards.checking import STANDARD_KINDS, verify_tree
    from modernize.workspace.files import displayer

    checked_before = len(report.checked)
    for_validators: list[Checked] | None = None if deferred is None else []
    found = verify_tree(
        Path(root),
        plan.migrations,
        Context(plan.targets),
        options.strict,
        options.external,
        plan.exclude,
        plan.exclude_base,
        on_file=functools.partial(_note_checked, report.checked, displayer(root)),
        deferred=for_validators,
    )
    display = displayer(root)
    shown = [replace(finding, path=display(finding.path)) for finding in found]
    report.findings.extend(_selected(shown, plan))
    if deferred is not None and for_validators:
        deferred.extend((_shown_as(root, item), plan) for item in for_validators)
    if options.uris:
        uri = sarif_uris(root)
        relatives = [f.path for f in found] + [c.document.path for c in for_validators or ()]
        report.uris.update((display(relative), uri(relative)) for relative in relatives)
    if options.verbose:
        from modernize.render.verbose import trees_passed_over
        from modernize.workspace.files import project_trees_below

        trees = project_trees_below(Path(root), plan.exclude, plan.exclude_base)
        report.not_considered.extend(trees_passed_over(root, trees))
    if options.verbose and len(report.checked) == checked_before and Path(root).is_file():
        from modernize.render.verbose import why_not_considered

        kinds = frozenset(k for m in plan.migrations for k in m.kinds) | STANDARD_KINDS
        report.not_considered.append(why_not_considered(root, kinds))


def _shown_as(root: str, item: Checked) -> Checked:
    """The file with its document named by its display path (unique across PATHs)."""
    import copy

    from modernize.standards.validators import Checked
    from modernize.workspace.files import display_path

    document = copy.copy(item.document)  # keeps the parses already made
    document.path = display_path(root, item.document.path)
    return Checked(item.path, document)


def _note_checked(
    into: list[tuple[str, str, float]],
    display: Callable[[str], str],
    relative: str,
    kind: str,
    seconds: float,
) -> None:
    into.append((display(relative), kind, seconds))


def advise(paths: Sequence[str], options: AdviseOptions) -> AdviseReport:
    """What the versions the repositories at ``paths`` move to break in them (see
    ``modernize.advice``): each hazard at its file and line."""
    from modernize.advice.command import advise_resolved, versions_from
    from modernize.engine.runner import distinct
    from modernize.reports import AdviseReport

    started = time.perf_counter()
    roots, duplicates = distinct(list(paths))
    roots, missing = _existing(roots)
    if paths and not roots:
        return AdviseReport(notes=duplicates, errors=missing)
    resolved = _resolve_all(roots, _overrides(options))
    given = versions_from(options.versions_from, resolved)
    planned = apply(
        roots,
        ApplyOptions(
            dry_run=True,
            output_format="json",
            only=options.only,
            skip=options.skip,
            enable=options.enable,
            config=options.config,
            exclude=options.exclude,
            targets=options.targets,
            jobs=options.jobs,
            # Each file stands for itself: none is held back because another could not be.
            partial=True,
            hazards=False,
            advice=True,
        ),
    )
    report = AdviseReport(notes=duplicates, errors=missing)
    report.errors += [note for note in planned.notes if note not in duplicates]
    advise_resolved(report, resolved, planned.results, given, options.uris)
    report.seconds = time.perf_counter() - started
    return report
