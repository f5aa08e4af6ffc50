"""The command line: the only module that imports click or prints."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from modernize import __version__
from modernize.errors import ModernizeError

if TYPE_CHECKING:
    from modernize.batch import RepoRun
    from modernize.config import Resolved
    from modernize.model import Finding
    from modernize.registry import Migration

EXIT_OK = 0
EXIT_PENDING = 1
EXIT_ERROR = 2

EPILOG = """\b
Examples:
  modernize apply --dry-run              show the diff for this repository
  modernize apply                        write the changes
  modernize apply --only postgres-major --postgres 17 services/
  modernize apply --dry-run --repos-from repos.txt   many repositories in parallel
  modernize list                         the migrations, in the order they run

\b
Exit codes: 0 nothing to do or everything written; 1 changes pending (--dry-run);
2 errors (unparseable or unreadable files, failed verification, bad options).
"""


def _split_ids(values: Sequence[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


F = TypeVar("F", bound=Callable[..., Any])


def _selection_options(function: F) -> F:
    """--only, --skip, --python, --postgres: shared by apply and verify."""
    for option in reversed(
        [
            click.option(
                "--only", multiple=True, metavar="ID[,ID...]", help="Only these migrations."
            ),
            click.option(
                "--skip", multiple=True, metavar="ID[,ID...]", help="Not these migrations."
            ),
            click.option("--python", "python_target", metavar="X.Y", help="Target Python (3.12)."),
            click.option(
                "--postgres", "postgres_target", metavar="N", help="Target postgres (16)."
            ),
        ]
    ):
        function = option(function)
    return function


def _resolve_all(
    paths: Sequence[str],
    python_target: str | None,
    postgres_target: str | None,
    only: Sequence[str],
    skip: Sequence[str],
) -> list[tuple[str, Resolved]]:
    """Targets and migrations for each PATH (configuration, then flags); exit 2 on errors."""
    from modernize.config import ConfigError, Overrides, resolve

    overrides = Overrides(
        python_target, postgres_target, tuple(_split_ids(only)), tuple(_split_ids(skip))
    )
    resolved = []
    try:
        for root in paths or (".",):
            resolved.append((root, resolve(Path(root), overrides, root)))
    except ConfigError as error:
        click.echo(str(error), err=True)
        sys.exit(EXIT_ERROR)
    except ModernizeError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_ERROR)
    return resolved


@click.group(epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
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
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
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
    help="With --dry-run: the unified diff, or the planned changes as JSON.",
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
def apply_command(
    paths: tuple[str, ...],
    repos_from: str | None,
    dry_run: bool,
    only: tuple[str, ...],
    skip: tuple[str, ...],
    python_target: str | None,
    postgres_target: str | None,
    quiet: bool,
    jobs: int,
    output_format: str,
    report_path: Path | None,
    changelog: bool,
) -> None:
    """Migrate the repositories or files at PATHS (default: the current directory).

    Several repositories (or --repos-from) make a batch: they run in parallel, each one's
    diff follows a "# repository: PATH" line, and a table sums them up at the end.
    """
    from modernize.batch import SECTION_PREFIX, ApplySettings, distinct, run_batch, summary_table
    from modernize.config import Overrides, check_overrides

    roots = list(paths)
    if repos_from is not None:
        roots += _read_repos_from(repos_from)
    batch = len(roots) > 1 or repos_from is not None
    overrides = Overrides(
        python_target, postgres_target, tuple(_split_ids(only)), tuple(_split_ids(skip))
    )
    try:
        check_overrides(overrides)
    except ModernizeError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_ERROR)
    roots, duplicates = distinct(roots or ["."])
    for warning in duplicates:
        click.echo(warning, err=True)
    settings = ApplySettings(
        overrides,
        dry_run,
        output_format,
        verify_after=report_path is not None,
        changelog=changelog,
    )
    progress = _Progress(batch and not quiet and sys.stderr.isatty())
    runs = []
    for repo in run_batch(roots, settings, jobs, progress.update):
        runs.append(repo)
        progress.clear()
        if repo.stdout and batch:  # where one repository's diff starts; patch skips the line
            click.echo(f"{SECTION_PREFIX}{repo.root}")
        click.echo(repo.stdout, nl=False)
        click.echo(repo.stderr, err=True, nl=False)
        progress.draw()
    progress.clear()
    results = [repo.result for repo in runs]
    changed = sum(repo.changed for repo in runs)
    failed = sum(repo.errors for repo in runs)
    if dry_run and output_format == "json":
        from modernize.report import changes_json

        click.echo(changes_json(results))
    if report_path is not None:
        from modernize.report import markdown_report

        try:
            report_path.write_text(markdown_report(results, dry_run), encoding="utf-8")
        except OSError as error:
            click.echo(f"{report_path}:1: error: cannot write report: {error.strerror}", err=True)
            failed += 1
    if not quiet:
        if batch:
            click.echo(summary_table(runs, dry_run), err=True, nl=False)
        unchanged = sum(repo.unchanged for repo in runs)
        warnings = sum(repo.warnings for repo in runs)
        verb = "would be changed" if dry_run else "changed"
        parts = [f"{changed} file{'s' * (changed != 1)} {verb}"]
        parts.append(f"{unchanged} unchanged")
        if failed:
            parts.append(f"{failed} failed")
        if warnings:
            parts.append(f"{warnings} warning{'s' * (warnings != 1)}")
        repositories = f"{len(runs)} repositories: " if batch else ""
        click.echo(repositories + ", ".join(parts) + ".", err=True)
    if failed:
        sys.exit(EXIT_ERROR)
    if dry_run and changed:
        sys.exit(EXIT_PENDING)
    sys.exit(EXIT_OK)


def _read_repos_from(name: str) -> list[str]:
    """The paths listed in --repos-from FILE; relative ones are relative to FILE's directory
    (to the current directory for ``-``, standard input)."""
    from modernize.batch import read_repository_list

    base = "" if name == "-" else os.path.dirname(name)
    try:
        text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        click.echo(f"error: {name}: cannot read the repository list: {error}", err=True)
        sys.exit(EXIT_ERROR)
    roots = read_repository_list(text, base)
    if not roots:  # an empty list is more likely a broken step before this one than intended
        click.echo(f"error: {name}: lists no repositories", err=True)
        sys.exit(EXIT_ERROR)
    return roots


class _Progress:
    """`[12/300] repo` on one line of a terminal's stderr, redrawn in place; off otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.line = ""

    def update(self, done: int, total: int, repo: RepoRun) -> None:
        self.line = f"[{done}/{total}] {repo.root}"
        self.draw()

    def draw(self) -> None:
        if self.enabled and self.line:
            import shutil

            width = shutil.get_terminal_size().columns - 1  # a wrapped line cannot be redrawn
            click.echo("\r\x1b[K" + self.line[:width], err=True, nl=False)

    def clear(self) -> None:
        if self.enabled and self.line:
            click.echo("\r\x1b[K", err=True, nl=False)


@cli.command("verify")
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
def verify_command(
    paths: tuple[str, ...],
    strict: bool,
    output_format: str,
    only: tuple[str, ...],
    skip: tuple[str, ...],
    python_target: str | None,
    postgres_target: str | None,
    no_external: bool,
    quiet: bool,
) -> None:
    """Report what is still stale and which standards the repositories at PATHS miss.

    Each finding is `path:line: CODE message`. Exit 1 if any finding is an error (every
    finding with --strict), 0 otherwise.
    """
    from dataclasses import replace

    from modernize.checking import verify_tree
    from modernize.files import display_path
    from modernize.registry import Context
    from modernize.reporting import findings_json, findings_sarif

    findings: list[Finding] = []
    all_migrations: list[Migration] = []
    for root, plan in _resolve_all(paths, python_target, postgres_target, only, skip):
        all_migrations = plan.migrations
        found = verify_tree(
            Path(root),
            plan.migrations,
            Context(plan.targets),
            strict,
            not no_external,
            plan.exclude,
        )
        findings.extend(
            replace(finding, path=display_path(root, finding.path)) for finding in found
        )
    if output_format == "json":
        click.echo(findings_json(findings))
    elif output_format == "sarif":
        click.echo(findings_sarif(findings, all_migrations))
    else:
        for finding in findings:
            click.echo(f"{finding.path}:{finding.line}: {finding.code} {finding.message}")
    errors = sum(1 for finding in findings if finding.severity == "error")
    if not quiet:
        warnings = sum(1 for finding in findings if finding.severity == "warning")
        click.echo(
            f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}.",
            err=True,
        )
    sys.exit(EXIT_PENDING if errors else EXIT_OK)


@cli.command("list")
def list_command() -> None:
    """List the migrations in the order they run: number, ID, title, file kinds."""
    from modernize.registry import load_migrations

    try:
        migrations = load_migrations()
    except ModernizeError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_ERROR)
    width = max((len(m.id) for m in migrations), default=0)
    for migration in migrations:
        kinds = ", ".join(sorted(migration.kinds))
        optional = "" if migration.enabled_by_default else " (opt-in)"
        title = f"{migration.title}{optional}"
        click.echo(f"{migration.number:04d}  {migration.id:<{width}}  {title}  [{kinds}]")


def main() -> None:
    cli(prog_name="modernize")
