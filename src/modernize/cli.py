"""The command line: the only module that imports click or prints."""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, TypeVar

import click

from modernize import __version__
from modernize.errors import ModernizeError

if TYPE_CHECKING:
    from modernize.engine.planning import RunOptions
    from modernize.engine.runner import RepoRun
    from modernize.model import Finding, Outcome
    from modernize.registry import Migration
    from modernize.render.report import RootResult
    from modernize.standards.validators import Checked
    from modernize.workspace.config import Overrides, Resolved

EXIT_OK = 0
EXIT_PENDING = 1
EXIT_ERROR = 2
#: 128 + SIGPIPE: what a shell reports for a tool whose reader went away (``| head -1``).
EXIT_BROKEN_PIPE = 141

EPILOG = """\b
Examples:
  modernize apply --dry-run              show the diff for this repository
  modernize apply                        write the changes
  modernize apply --only postgres-major --postgres 17 services/
  modernize apply --dry-run --repos-from repos.txt   many repositories in parallel
  modernize list                         the migrations, in the order they run

\b
Exit codes: 0 nothing to do or everything written (verify: no error found);
1 changes pending with --dry-run (verify: errors found, unparseable files included);
2 errors of apply (unparseable or unreadable files, failed verification) and bad
options. A batch exits with the worst of its repositories.
"""


VERIFY_EPILOG = """\b
Examples:
  modernize verify                       the findings for this repository
  modernize verify --strict .            fail on standards too (warnings become errors)
  modernize verify --format sarif . > modernize.sarif

\b
Exit codes: 0 no errors; 1 errors (stale files, or any finding with --strict);
2 bad options or configuration, or a check that failed on a file (E002, please report).
"""

COMPLETION_EPILOG = """\b
Shell completion (bash; for zsh or fish use zsh_source or fish_source):
  eval "$(_MODERNIZE_COMPLETE=bash_source modernize)"
"""


def _split_ids(values: Sequence[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


F = TypeVar("F", bound=Callable[..., Any])
#: Prefixed to a target's name for its flag's parameter: the option names stay apart from the
#: command's own (``--only``, ``--quiet``) whatever a target is called.
_TARGET_PREFIX = "target_"


def _selection_options(function: F) -> F:
    """--only, --skip and a flag per target (``targets.TARGETS``): shared by apply and verify.

    The command receives the targets as one ``targets`` mapping, a name to the flag's text."""
    from modernize.targets import TARGETS

    options = [
        click.option("--only", multiple=True, metavar="ID[,ID...]", help="Only these migrations."),
        click.option("--skip", multiple=True, metavar="ID[,ID...]", help="Not these migrations."),
        *(
            click.option(
                spec.flag, _TARGET_PREFIX + spec.name, metavar=spec.metavar, help=spec.help
            )
            for spec in TARGETS
        ),
    ]
    for option in reversed(options):
        function = option(function)

    @functools.wraps(function)
    def gathered(*args: Any, **kwargs: Any) -> Any:
        flags = [name for name in kwargs if name.startswith(_TARGET_PREFIX)]
        given = {name.removeprefix(_TARGET_PREFIX): kwargs.pop(name) for name in flags}
        targets = {name: text for name, text in given.items() if text}
        return function(*args, targets=targets, **kwargs)

    return gathered  # type: ignore[return-value]


def _colour_option(function: F) -> F:
    return click.option(
        "--color",
        "color",
        type=click.Choice(["auto", "always", "never"]),
        default="auto",
        show_default=True,
        help="Colour the output: auto is a terminal without NO_COLOR set.",
    )(function)


def _colour(choice: str) -> bool:
    from modernize.render.colour import wants_colour

    return wants_colour(choice, sys.stdout.isatty(), os.environ)


def _echo_diff(diff: str, colour: bool) -> None:
    if colour:
        from modernize.render.colour import colour_diff

        click.echo(colour_diff(diff), nl=False, color=True)
    else:
        click.echo(diff, nl=False)


def _check_verbosity(quiet: bool, verbose: bool) -> None:
    if quiet and verbose:
        raise click.UsageError("-q/--quiet and -v/--verbose cannot be used together")


def _say_settings(resolved: Sequence[tuple[str, Resolved]]) -> None:
    """--verbose: each distinct configuration once (a hook names many files under one)."""
    from modernize.render.verbose import describe_settings

    said = set()
    for _root, plan in resolved:
        line = describe_settings(plan)
        if line not in said:
            said.add(line)
            click.echo(line, err=True)


def _say_not_considered(root: str, outcome_count: int, kinds: frozenset[str]) -> None:
    """--verbose: a file named as PATH that nothing looked at."""
    if outcome_count == 0 and Path(root).is_file():
        from modernize.render.verbose import why_not_considered

        click.echo(why_not_considered(root, kinds), err=True)


def _overrides(targets: Mapping[str, str], only: Sequence[str], skip: Sequence[str]) -> Overrides:
    """The flags that override each PATH's configuration."""
    from modernize.workspace.config import Overrides

    return Overrides(
        targets=dict(targets), only=tuple(_split_ids(only)), skip=tuple(_split_ids(skip))
    )


def _resolve_all(paths: Sequence[str], overrides: Overrides) -> list[tuple[str, Resolved]]:
    """Targets and migrations for each PATH (configuration, then flags); exit 2 on errors."""
    from modernize.errors import ConfigError
    from modernize.registry import load_migrations
    from modernize.render.diagnostics import error_line
    from modernize.workspace.config import resolve
    from modernize.workspace.files import FOLDER_LEAVES, folder_leaves_its_repository

    resolved = []
    try:
        migrations = load_migrations()
        for root in paths or (".",):
            if folder_leaves_its_repository(Path(root)):
                raise ModernizeError(f"{root}: {FOLDER_LEAVES}")
            resolved.append((root, resolve(Path(root), overrides, root, migrations)))
    except ConfigError as error:
        click.echo(error_line(error), err=True)
        sys.exit(EXIT_ERROR)
    except ModernizeError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_ERROR)
    return resolved


class _Jobs(click.IntRange):
    """A number of processes, in ASCII digits: ``int`` also reads a full-width 3 (U+FF13)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from modernize.targets import ascii_number

        if isinstance(value, str) and not ascii_number(value.strip()):
            self.fail(f"{value!r} is not a whole number in the digits 0-9", param, ctx)
        return super().convert(value, param, ctx)


class _Commands(click.Group):
    """The commands; one whose reader goes away (``modernize … | head -1``) stops quietly."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:  # --help and --version print while the command line is parsed
            return super().make_context(*args, **kwargs)
        except BrokenPipeError:
            _reader_gone()

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            _reader_gone()
        except OSError as error:
            # The files' own writes report their errors; what gets here is the output (a full
            # disk, /dev/full): one line and exit 2, not a traceback and not exit 1.
            if error.errno not in _OUTPUT_ERRORS:
                raise
            _output_failed(error)


#: The errors of a write to the output that end the run with exit 2.
_OUTPUT_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


def _output_failed(error: OSError) -> NoReturn:
    _to_null_device(sys.stdout)
    with contextlib.suppress(Exception):
        click.echo(f"modernize: error: cannot write the output: {error.strerror}", err=True)
    sys.exit(EXIT_ERROR)


def _reader_gone() -> NoReturn:
    """Stop as a shell's tools do when the reader of their output goes away: no traceback, exit
    141. What is still buffered goes to the null device, so the flush at exit cannot fail."""
    _to_null_device(sys.stdout, sys.stderr)
    sys.exit(EXIT_BROKEN_PIPE)


def _to_null_device(*streams: TextIO) -> None:
    """Point the descriptors of ``streams`` at the null device: what is still buffered for
    them goes nowhere, and the flush at exit cannot fail."""
    null = os.open(os.devnull, os.O_WRONLY)
    for stream in streams:
        with contextlib.suppress(Exception):  # not a file (a test's capture): nothing to flush
            os.dup2(null, stream.fileno())
    os.close(null)


@click.group(
    cls=_Commands,
    epilog=EPILOG + "\n" + COMPLETION_EPILOG,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, "--version", prog_name="modernize")
def cli() -> None:
    """Bring a repository's infrastructure files up to date, byte-exact outside each edit.

    Dockerfiles, compose files, GitHub Actions workflows and more are rewritten in place;
    every edited file is re-parsed and checked before it is written.
    """


@cli.command("apply", epilog=EPILOG)
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--repos-from",
    metavar="FILE",
    type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=str),
    help="Also every repository listed in FILE, one path a line (# comments; - is stdin).",
)
@click.option("--dry-run", is_flag=True, help="Write nothing; print the unified diff instead.")
@_selection_options
@click.option("-q", "--quiet", is_flag=True, help="Print no summary, table or progress.")
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Also print each file considered, with its kind and what happened, and timings.",
)
@click.option(
    "-j",
    "--jobs",
    type=_Jobs(min=1),
    default=lambda: os.cpu_count() or 1,
    show_default="number of cores",
    help="Worker processes: repositories of a batch in parallel, files of a large repository.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["diff", "json"]),
    default="diff",
    show_default=True,
    help="The unified diff (with --dry-run), or the changes as JSON: planned with --dry-run, "
    "else written.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write a markdown record of the run (changes, manual steps, verification) here.",
)
@click.option(
    "--changelog",
    is_flag=True,
    help="Add an entry under ## [Unreleased] in each repository's CHANGELOG.md.",
)
@_colour_option
def apply_command(
    paths: tuple[str, ...],
    repos_from: str | None,
    dry_run: bool,
    only: tuple[str, ...],
    skip: tuple[str, ...],
    targets: Mapping[str, str],
    quiet: bool,
    verbose: bool,
    jobs: int,
    output_format: str,
    report_path: Path | None,
    changelog: bool,
    color: str,
) -> None:
    """Migrate the repositories or files at PATHS (default: the current directory).

    Several repositories (PATHS that are not files, or --repos-from) make a batch: they run in
    parallel, each one's diff follows a "# repository: PATH" line, and a table sums them up at
    the end. PATHS that include files (what a pre-commit hook passes) are one run.
    """
    from modernize.engine.runner import distinct, without_nested

    _check_verbosity(quiet, verbose)
    overrides = _overrides(targets, only, skip)
    roots = list(paths)
    list_errors = 0
    if repos_from is not None:
        listed, list_errors = _read_repos_from(repos_from)
        roots += listed
    batch = repos_from is not None or (
        len(roots) > 1 and not any(os.path.isfile(root) for root in roots)
    )
    roots, duplicates = distinct(roots)
    for warning in duplicates:
        click.echo(warning, err=True)
    if batch:
        _apply_batch(
            roots,
            overrides,
            dry_run=dry_run,
            quiet=quiet,
            verbose=verbose,
            jobs=jobs,
            output_format=output_format,
            report_path=report_path,
            changelog=changelog,
            color=color,
            list_errors=list_errors,
        )
    from modernize.engine.planning import RunOptions, run
    from modernize.registry import Context
    from modernize.render import quoting
    from modernize.render.diff import unified_diff_from_spans
    from modernize.render.report import RootResult
    from modernize.render.verbose import describe_outcome, timing_summary
    from modernize.workspace.files import display_path

    started = time.perf_counter()
    roots, nested = without_nested(roots)
    for warning in nested:
        click.echo(warning, err=True)
    failed = 0
    missing = [root for root in roots if not os.path.lexists(root)]
    for root in missing:
        click.echo(f"error: {quoting.shown(root)}: no such file or directory", err=True)
        failed += 1
    existing = [root for root in roots if root not in missing]
    resolved = _resolve_all(existing, overrides) if existing or not roots else []
    if verbose:
        _say_settings(resolved)
    plans: list[tuple[str, RunOptions]] = [
        (
            root,
            RunOptions(
                Context(plan.targets),
                tuple(plan.migrations),
                not dry_run,
                plan.exclude,
                plan.exclude_base,
            ),
        )
        for root, plan in resolved
    ]

    if changelog:
        _check_changelogs([root for root, _plan in plans])
    colour = _colour(color)
    timings: list[tuple[str, float]] = []
    changed = unchanged = warnings = 0
    results: list[RootResult] = []
    for root, options in plans:
        outcomes = run(Path(root), options, jobs)
        remaining = []
        if not dry_run and report_path is not None:
            from modernize.standards.checking import verify_tree

            remaining = verify_tree(
                Path(root),
                list(options.migrations),
                options.context,
                exclude=options.exclude,
                exclude_base=options.exclude_base,
            )
        results.append(RootResult(root, outcomes, remaining))
        run_order = [migration.id for migration in options.migrations]
        if verbose:
            kinds = frozenset(kind for m in options.migrations for kind in m.kinds)
            _say_not_considered(root, len(outcomes), kinds)
        for outcome in outcomes:
            shown = display_path(root, outcome.path)
            named = quoting.shown(shown)  # in diagnostics, a name that breaks no line
            if verbose:
                click.echo(describe_outcome(named, outcome, run_order, dry_run), err=True)
                timings.append((named, outcome.seconds))
            if outcome.status == "skipped":
                warnings += 1
                click.echo(f"{named}:1: warning: {quoting.escaped(outcome.reason)}", err=True)
                continue
            if outcome.status == "failed" and outcome.reason:
                click.echo(f"{named}:1: error: {quoting.escaped(outcome.reason)}", err=True)
            for finding in outcome.findings:
                if finding.severity == "warning":
                    warnings += 1
                message = quoting.escaped(finding.message)
                click.echo(f"{named}:{finding.line}: {finding.severity}: {message}", err=True)
            if outcome.status == "failed":
                failed += 1
            elif outcome.status == "changed":
                changed += 1
                if dry_run and output_format == "diff":
                    diff_path = _diff_path(root, outcome.path, shown, len(plans) > 1)
                    bom_length = 1 if outcome.bom else 0
                    diff = unified_diff_from_spans(
                        diff_path,
                        outcome.original.decode("utf-8")[bom_length:],
                        outcome.updated.decode("utf-8")[bom_length:],
                        outcome.spans,
                        outcome.bom,
                    )
                    _echo_diff(diff, colour)
            else:
                unchanged += 1
    results += [RootResult(root, (), (), "no such file or directory") for root in missing]
    if changelog and changed:
        failed += _write_changelogs(results, plans, dry_run, colour, output_format == "diff")
    if verbose:
        click.echo(timing_summary(timings, time.perf_counter() - started), err=True)
    _finish(
        results, dry_run, output_format, report_path, quiet, (changed, unchanged, warnings, failed)
    )


def _apply_batch(
    roots: list[str],
    overrides: Overrides,
    *,
    dry_run: bool,
    quiet: bool,
    verbose: bool,
    jobs: int,
    output_format: str,
    report_path: Path | None,
    changelog: bool,
    color: str,
    list_errors: int = 0,
) -> NoReturn:
    """Several repositories: in parallel, each printed whole in input order, then a table.
    ``list_errors`` counts the lines of --repos-from that named no repository (already said)."""
    from modernize.engine.runner import SECTION_PREFIX, ApplySettings, run_batch, summary_table
    from modernize.render.quoting import shown
    from modernize.workspace.config import check_overrides

    try:
        check_overrides(overrides)
    except ModernizeError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_ERROR)
    settings = ApplySettings(
        overrides,
        dry_run,
        output_format,
        verify_after=report_path is not None,
        changelog=changelog,
        verbose=verbose,
    )
    colour = _colour(color)
    progress = _Progress(not quiet and sys.stderr.isatty())
    runs = []
    for repo in run_batch(roots, settings, jobs, progress.update):
        runs.append(repo)
        progress.clear()
        if repo.stdout:  # where one repository's diff starts; patch skips the line
            click.echo(f"{SECTION_PREFIX}{shown(repo.root)}")
        _echo_diff(repo.stdout, colour)
        click.echo(repo.stderr, err=True, nl=False)
        progress.draw()
    progress.clear()
    if not quiet:
        click.echo(summary_table(runs, dry_run), err=True, nl=False)
    counts = (
        sum(repo.changed for repo in runs),
        sum(repo.unchanged for repo in runs),
        sum(repo.warnings for repo in runs),
        sum(repo.errors for repo in runs) + list_errors,
    )
    results = [repo.result for repo in runs]
    _finish(results, dry_run, output_format, report_path, quiet, counts, len(runs))


def _finish(
    results: Sequence[RootResult],
    dry_run: bool,
    output_format: str,
    report_path: Path | None,
    quiet: bool,
    counts: tuple[int, int, int, int],
    repositories: int | None = None,
) -> NoReturn:
    """The JSON, the report, the summary line and the exit code of ``apply``."""
    changed, unchanged, warnings, failed = counts
    if output_format == "json":  # like a linter's JSON: the same with or without writing
        from modernize.render.report import changes_json

        click.echo(changes_json(results, dry_run))
    if report_path is not None:
        from modernize.render.report import markdown_report
        from modernize.workspace.files import replace_output_file

        try:
            replace_output_file(report_path, markdown_report(results, dry_run).encode("utf-8"))
        except (OSError, ModernizeError) as error:
            reason = error.strerror if isinstance(error, OSError) else str(error)
            click.echo(f"{report_path}:1: error: cannot write report: {reason}", err=True)
            failed += 1
    if not quiet:
        verb = "would be changed" if dry_run else "changed"
        parts = [f"{changed} file{'s' * (changed != 1)} {verb}"]
        parts.append(f"{unchanged} unchanged")
        if failed:
            parts.append(f"{failed} failed")
        if warnings:
            parts.append(f"{warnings} warning{'s' * (warnings != 1)}")
        prefix = f"{repositories} repositories: " if repositories is not None else ""
        click.echo(prefix + ", ".join(parts) + ".", err=True)
    if failed:
        sys.exit(EXIT_ERROR)
    if dry_run and changed:
        sys.exit(EXIT_PENDING)
    sys.exit(EXIT_OK)


def _read_repos_from(name: str) -> tuple[list[str], int]:
    """The paths listed in --repos-from FILE (relative ones are relative to FILE's directory, to
    the current directory for ``-``, standard input), and how many lines could not name one:
    each is an error of its own, and the others still run."""
    from modernize.engine.runner import read_repository_list

    base = "" if name == "-" else os.path.dirname(name)
    try:
        text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        click.echo(f"error: {name}: cannot read the repository list: {error}", err=True)
        sys.exit(EXIT_ERROR)
    roots, problems = read_repository_list(text, base)
    for line, message in problems:
        click.echo(f"{name}:{line}: error: {message}", err=True)
    if not roots and not problems:
        # An empty list is more likely a broken step before this one than intended.
        click.echo(f"error: {name}: lists no repositories", err=True)
    if not roots:
        sys.exit(EXIT_ERROR)
    return roots, len(problems)


class _Progress:
    """`[12/300] repo` on one line of a terminal's stderr, redrawn in place; off otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.line = ""

    def update(self, done: int, total: int, repo: RepoRun) -> None:
        from modernize.render.quoting import shown

        self.line = f"[{done}/{total}] {shown(repo.root)}"
        self.draw()

    def draw(self) -> None:
        if self.enabled and self.line:
            import shutil

            width = shutil.get_terminal_size().columns - 1  # a wrapped line cannot be redrawn
            click.echo("\r\x1b[K" + self.line[:width], err=True, nl=False)

    def clear(self) -> None:
        if self.enabled and self.line:
            click.echo("\r\x1b[K", err=True, nl=False)


def _diff_path(root: str, relative: str, shown: str, several: bool) -> str:
    """The path in a file's diff headers: relative to PATH when it is the only directory;
    else as the user named it, relative to the current directory (a hook passes files from
    the repository root), except a lone file outside it, which is shown by its name."""
    if not several and not Path(root).is_file():
        return relative
    named = os.path.normpath(shown)
    if not several and (os.path.isabs(named) or named.split(os.sep)[0] == os.pardir):
        return Path(root).name
    return named


def _check_changelogs(roots: Sequence[str]) -> None:
    """Exit 2 before anything is written when a changelog cannot take the entry."""
    from modernize.render.diagnostics import error_line
    from modernize.workspace.changelog import check_changelog

    problems = dict.fromkeys(error_line(p) for p in map(check_changelog, roots) if p is not None)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(EXIT_ERROR)


def _write_changelogs(
    results: Sequence[RootResult],
    plans: Sequence[tuple[str, RunOptions]],
    dry_run: bool,
    colour: bool = False,
    show_diff: bool = True,
) -> int:
    """Add the run's entry to each changed repository's CHANGELOG.md; return the error count.
    With ``dry_run``, print its diff instead, unless the output is JSON (one document)."""
    from modernize.render.report import RootResult
    from modernize.workspace.changelog import (
        changelog_directory,
        relative_header,
        targets_text,
        update_changelog,
    )

    # Files named as PATHs (a hook's) share their project's changelog: one entry for them all.
    groups: dict[Path, tuple[Path, RunOptions, list[Outcome]]] = {}
    for result, (root, options) in zip(results, plans, strict=True):
        if not any(outcome.status == "changed" for outcome in result.outcomes):
            continue
        directory = changelog_directory(root)
        group = groups.setdefault(directory.resolve(), (directory, options, []))
        group[2].extend(result.outcomes)
    single_directory = len(plans) == 1 and Path(plans[0][0]).is_dir()
    errors = 0
    for directory, options, outcomes in groups.values():
        path = directory / "CHANGELOG.md"
        if single_directory:  # headers relative to PATH, like the diffs
            header = relative_header(path, plans[0][0])
        else:  # relative to the current directory, like the diffs
            relative = os.path.relpath(path.resolve())
            header = relative if not relative.startswith(os.pardir) else "CHANGELOG.md"
        merged = RootResult(str(directory), outcomes)
        targets = targets_text(options.context.targets)
        diff, error = update_changelog(path, [merged], targets, dry_run, header)
        if show_diff:
            _echo_diff(diff, colour)
        if error:
            click.echo(error, err=True, nl=False)
            errors += 1
    return errors


@cli.command("verify", epilog=VERIFY_EPILOG)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=str))
@click.option("--strict", is_flag=True, help="Treat warnings (standards) as errors.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "sarif"]),
    default="text",
    show_default=True,
    help="How to print the findings.",
)
@_selection_options
@click.option(
    "--no-external",
    is_flag=True,
    help="Do not run the optional validators (check-jsonschema, hadolint) even when installed.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print no summary line.")
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Also print each file checked, with its kind and finding count, and timings.",
)
@_colour_option
def verify_command(
    paths: tuple[str, ...],
    strict: bool,
    output_format: str,
    only: tuple[str, ...],
    skip: tuple[str, ...],
    targets: Mapping[str, str],
    no_external: bool,
    quiet: bool,
    verbose: bool,
    color: str,
) -> None:
    """Report what is still stale and which standards the repositories at PATHS miss.

    Each finding is `path:line: CODE message`. Exit 1 if any finding is an error (every
    finding with --strict), 0 otherwise.
    """
    from collections import Counter
    from dataclasses import replace

    from modernize.registry import Context
    from modernize.render.reporting import findings_json, findings_sarif, sarif_uris
    from modernize.standards.checking import INTERNAL_ERROR, STANDARD_KINDS, verify_tree
    from modernize.workspace.files import display_path

    _check_verbosity(quiet, verbose)
    started = time.perf_counter()
    overrides = _overrides(targets, only, skip)
    resolved = _resolve_all(paths, overrides)
    if verbose:
        _say_settings(resolved)
        from modernize.render.verbose import describe_validators
        from modernize.standards.validators import available

        click.echo(describe_validators(None if no_external else available()), err=True)
    findings: list[Finding] = []
    uris: dict[str, str] = {}  # SARIF: each finding's path as a URI relative to its repository
    all_migrations: list[Migration] = []
    checked: list[tuple[str, str, float]] = []
    # Several PATHs (a hook names every file): each validator starts once for all of them.
    deferred: list[Checked] | None = [] if len(resolved) > 1 else None
    for root, plan in resolved:
        all_migrations = plan.migrations
        checked_before = len(checked)
        for_validators: list[Checked] | None = None if deferred is None else []
        found = verify_tree(
            Path(root),
            plan.migrations,
            Context(plan.targets),
            strict,
            not no_external,
            plan.exclude,
            plan.exclude_base,
            on_file=functools.partial(_note_checked, checked, root),
            deferred=for_validators,
        )
        findings.extend(
            replace(finding, path=display_path(root, finding.path)) for finding in found
        )
        if deferred is not None and for_validators:
            deferred.extend(_shown_as(root, item) for item in for_validators)
        if output_format == "sarif":
            uri = sarif_uris(root)
            relatives = [f.path for f in found] + [c.document.path for c in for_validators or ()]
            uris.update((display_path(root, relative), uri(relative)) for relative in relatives)
        if verbose:
            kinds = frozenset(k for m in plan.migrations for k in m.kinds) | STANDARD_KINDS
            _say_not_considered(root, len(checked) - checked_before, kinds)
    if deferred:
        from modernize.standards.checking import strictly, validate

        validated = validate(deferred)
        findings.extend(strictly(validated) if strict else validated)
        findings.sort(key=lambda f: (f.path, f.line, f.code))
    if verbose:
        from modernize.render import quoting
        from modernize.render.verbose import describe_checked, timing_summary

        per_file = Counter(finding.path for finding in findings)
        for shown, kind, seconds in checked:
            named = quoting.shown(shown)
            click.echo(describe_checked(named, kind, per_file[shown], seconds), err=True)
        timings = [(shown, seconds) for shown, _kind, seconds in checked]
        click.echo(timing_summary(timings, time.perf_counter() - started), err=True)
    if output_format == "json":
        click.echo(findings_json(findings))
    elif output_format == "sarif":
        click.echo(findings_sarif(findings, all_migrations, uris))
    else:
        from modernize.render import quoting
        from modernize.render.colour import finding_text

        colour = _colour(color)
        for finding in findings:
            printable = replace(
                finding, path=quoting.shown(finding.path), message=quoting.escaped(finding.message)
            )
            click.echo(finding_text(printable, colour), color=colour)
    errors = sum(1 for finding in findings if finding.severity == "error")
    if not quiet:
        warnings = sum(1 for finding in findings if finding.severity == "warning")
        click.echo(
            f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}.",
            err=True,
        )
    if any(finding.code == INTERNAL_ERROR for finding in findings):
        sys.exit(EXIT_ERROR)  # every other result is printed: a check that broke is not a pass
    sys.exit(EXIT_PENDING if errors else EXIT_OK)


def _shown_as(root: str, item: Checked) -> Checked:
    """The file with its document named by its display path (unique across PATHs)."""
    import copy

    from modernize.standards.validators import Checked
    from modernize.workspace.files import display_path

    document = copy.copy(item.document)  # keeps the parses already made
    document.path = display_path(root, item.document.path)
    return Checked(item.path, document)


def _note_checked(
    into: list[tuple[str, str, float]], root: str, relative: str, kind: str, seconds: float
) -> None:
    from modernize.workspace.files import display_path

    into.append((display_path(root, relative), kind, seconds))


@cli.command("list")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown"]),
    default="text",
    show_default=True,
    help="markdown: the table of the README's Migrations section.",
)
def list_command(output_format: str) -> None:
    """List the migrations in the order they run: number, ID, title, file kinds."""
    from modernize.registry import load_migrations

    try:
        migrations = load_migrations()
    except ModernizeError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_ERROR)
    if output_format == "markdown":
        click.echo("| # | ID | code | what it does | files |")
        click.echo("|---|---|---|---|---|")
        for migration in migrations:
            kinds = ", ".join(sorted(migration.kinds))
            optional = "" if migration.enabled_by_default else " (opt-in)"
            title = migration.title.replace("|", "\\|") + optional
            click.echo(
                f"| {migration.number:04d} | `{migration.id}` | {migration.code} | {title} "
                f"| {kinds} |"
            )
        return
    width = max((len(m.id) for m in migrations), default=0)
    for migration in migrations:
        kinds = ", ".join(sorted(migration.kinds))
        optional = "" if migration.enabled_by_default else " (opt-in)"
        title = f"{migration.title}{optional}"
        click.echo(f"{migration.number:04d}  {migration.id:<{width}}  {title}  [{kinds}]")


def main() -> None:
    import signal

    from modernize.engine import stopping
    from modernize.errors import Interrupted

    main_process = os.getpid()

    def interrupt(signum: int, _frame: object) -> None:
        if os.getpid() != main_process:
            os._exit(1)  # a worker forked before it set its own handler: it has written nothing
        if not stopping.requested:  # once only: a second Ctrl-C must not interrupt the stopping
            stopping.request(signum)
            raise Interrupted(signum)

    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    try:
        try:
            cli(prog_name="modernize")
        finally:
            # Done, or stopping: a signal from now on changes nothing (and, ignored, it
            # cannot kill the interpreter while it shuts down either).
            for late in (signal.SIGINT, signal.SIGTERM):
                signal.signal(late, signal.SIG_IGN)
    except Interrupted:
        pass
    except SystemExit:
        if not stopping.requested:
            raise
    if stopping.requested:  # also when the exception was lost on its way (see stopping)
        _stopped(stopping.requested)


def _stopped(signal_number: int) -> NoReturn:
    from modernize.engine.stopping import stop_children

    stop_children(timeout=2.0)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    message = "modernize: interrupted; each file is as it was or fully migrated"
    with contextlib.suppress(Exception):
        print(message, file=sys.stderr, flush=True)
    # Now: no exit handler waits for the worker pools' queued work. 128 + the signal's number,
    # as shells report a process a signal stopped (130 for Ctrl-C).
    os._exit(128 + signal_number)
