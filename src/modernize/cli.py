"""The command line: the only module that imports click or prints.

An adapter: each command turns its options into the API's options dataclass, calls
``modernize.api``, prints the report it gets back, and ``_Commands`` turns the report (its
``exit_code``) or a ``ModernizeError`` (2) into the exit code, in one place.

It is longer than the house limit of about 400 lines for a reason: nearly half of it is click's
option declarations and the printers that write to the terminal, which may live nowhere else;
what a run shows as text is built in ``render/``."""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, TypeVar

import click

from modernize import __version__
from modernize.errors import ModernizeError
from modernize.render.help import COMPLETION_EPILOG, EPILOG, VERIFY_EPILOG

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

    from modernize.api import AdviseReport, RunReport, VerifyReport
    from modernize.engine.runner import RepoRun

#: 128 + SIGPIPE: what a shell reports for a tool whose reader went away (``| head -1``).
EXIT_BROKEN_PIPE = 141

F = TypeVar("F", bound=Callable[..., Any])
#: Prefixed to a target's name for its flag's parameter: the option names stay apart from the
#: command's own (``--only``, ``--quiet``) whatever a target is called.
_TARGET_PREFIX = "target_"


def _selection_options(function: F) -> F:
    """--only, --skip and a flag per target (``targets.TARGETS``): shared by apply and verify.

    The command receives the targets as one ``targets`` mapping, a name to the flag's text."""
    from modernize.targets import settings

    options = [
        click.option(
            "--only",
            multiple=True,
            metavar="ID[,ID...]",
            shell_complete=_complete_ids,
            help="Only these migrations.",
        ),
        click.option(
            "--skip",
            multiple=True,
            metavar="ID[,ID...]",
            shell_complete=_complete_ids,
            help="Not these migrations.",
        ),
        click.option(
            "--enable",
            multiple=True,
            metavar="ID[,ID...]",
            shell_complete=_complete_ids,
            help="Also these opt-in migrations, besides the default set.",
        ),
        click.option(
            "--config",
            "config_path",
            metavar="FILE",
            type=click.Path(dir_okay=False, path_type=str),
            help="Read the settings from FILE (a pyproject.toml's [tool.modernize], or a "
            "file with the same keys at its top) instead of the one found above each PATH.",
        ),
        click.option(
            "--exclude",
            multiple=True,
            metavar="PATTERN",
            help="Also leave out what this .gitignore-style pattern matches (read as the "
            "configuration's exclude: relative to its folder, or to PATH without one).",
        ),
        *(
            click.option(
                spec.flag, _TARGET_PREFIX + spec.name, metavar=spec.metavar, help=spec.help
            )
            for spec in settings()
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return _gathered(function, _TARGET_PREFIX, "targets")


def _stdin_option(function: F) -> F:
    """``--stdin-filename``: the name of the file ``-`` reads from standard input."""
    return click.option(
        "--stdin-filename",
        metavar="PATH",
        help="With - as PATH: read one file from standard input as if it were PATH (its "
        "kind and settings come from that name; it need not exist). Nothing is written.",
    )(function)


def _given(paths: tuple[str, ...]) -> bytes | None:
    """Standard input's bytes when ``-`` is among the PATHs."""
    if "-" not in paths:
        return None
    return sys.stdin.buffer.read()


def _complete_ids(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """The migration IDs, for the shell: after the last comma of what is typed so far."""
    from click.shell_completion import CompletionItem

    from modernize import api

    done, _, last = incomplete.rpartition(",")
    head = f"{done}," if done else ""
    return [
        CompletionItem(head + migration.id, help=migration.title)
        for migration in api.migrations()
        if migration.id.startswith(last)
    ]


def _gathered(function: F, prefix: str, into: str) -> F:
    """``function`` given its parameters named ``prefix<name>`` as one mapping ``into``, a
    name to the flag's text (the flags not given left out)."""

    @functools.wraps(function)
    def gathered(*args: Any, **kwargs: Any) -> Any:
        flags = [name for name in kwargs if name.startswith(prefix)]
        given = {name.removeprefix(prefix): kwargs.pop(name) for name in flags}
        kwargs[into] = {name: text for name, text in given.items() if text}
        return function(*args, **kwargs)

    return gathered  # type: ignore[return-value]


def _colour_option(function: F) -> F:
    return click.option(
        "--color",
        "color",
        type=click.Choice(["auto", "always", "never"]),
        default="auto",
        show_default=True,
        help="Colour the output: auto is a terminal without NO_COLOR set, or any output "
        "with FORCE_COLOR or CLICOLOR_FORCE set.",
    )(function)


def _code_options(function: F) -> F:
    """--select and --ignore: which findings' codes to report, as ruff reads them."""
    function = click.option(
        "--ignore",
        multiple=True,
        metavar="CODE[,CODE...]",
        help="Do not report these codes, or the codes they start (DF, CP001); after the "
        "configuration's ignore.",
    )(function)
    return click.option(
        "--select",
        multiple=True,
        metavar="CODE[,CODE...]",
        help="Report only these codes, or the codes they start (ALL, DF, CP001); "
        "`modernize rules` lists them.",
    )(function)


def _output_option(function: F) -> F:
    return click.option(
        "-o",
        "--output",
        "output_path",
        metavar="FILE",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write the findings to FILE (whole, replacing it) instead of standard output.",
    )(function)


def _print_findings(text: str, output_path: Path | None, colour: bool = False) -> None:
    """The findings, as ``text`` (one per line), to standard output or to ``--output``."""
    if output_path is None:
        click.echo(text, nl=False, color=colour)
        return
    from modernize.errors import UsageError
    from modernize.workspace.writing import replace_output_file

    try:
        replace_output_file(output_path, text.encode("utf-8"))
    except (OSError, ModernizeError) as error:
        reason = error.strerror if isinstance(error, OSError) else str(error)
        raise UsageError(f"{output_path}: cannot write the output: {reason}") from error


def _findings_text(
    output_format: str,
    report: VerifyReport | AdviseReport,
    colour: bool,
    rules: list[dict[str, object]] | None = None,
) -> str:
    """The findings of ``report`` in ``output_format`` (text, json, sarif, github)."""
    from modernize.render import reporting

    if output_format == "json":
        return reporting.findings_json(report.findings) + "\n"
    if output_format == "sarif":
        migrations = getattr(report, "migrations", ())
        return reporting.findings_sarif(report.findings, migrations, report.uris, rules) + "\n"
    if output_format == "github":
        lines = reporting.github_annotations(report.findings)
    else:
        from modernize.render.colour import finding_lines

        lines = finding_lines(report.findings, colour)
    return "".join(line + "\n" for line in lines)


def _jobs_option(help_text: str) -> Callable[[F], F]:
    """``-j N``: processes working at once, the number of cores by default."""
    return click.option(
        "-j",
        "--jobs",
        type=_Jobs(min=1),
        default=lambda: os.cpu_count() or 1,
        show_default="number of cores",
        help=help_text,
    )


def _colour(choice: str) -> bool:
    from modernize.render.colour import wants_colour

    return wants_colour(choice, sys.stdout.isatty(), os.environ)


#: How many characters of diffs are gathered before they are printed.
_PRINTED_AT_ONCE = 1 << 18


def _echo_diffs(diffs: list[str], colour: bool) -> None:
    """Print the diffs (of files, or a batch repository's), each coloured on its own, and
    forget them. A diff is printed as it is, piped or not: click would take the escape
    sequences a file holds out of its lines when the output is not a terminal, and the patch
    would no longer apply."""
    if not diffs:
        return
    if colour:
        from modernize.render.colour import colour_diff

        click.echo("".join(colour_diff(diff) for diff in diffs), nl=False, color=True)
    else:
        click.echo("".join(diffs), nl=False, color=True)
    diffs.clear()


def _check_verbosity(quiet: bool, verbose: bool) -> None:
    if quiet and verbose:
        raise click.UsageError("-q/--quiet and -v/--verbose cannot be used together")


class _Jobs(click.IntRange):
    """A number of processes, in ASCII digits: ``int`` also reads a full-width 3 (U+FF13)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from modernize.targets import ascii_number

        if isinstance(value, str) and not ascii_number(value.strip()):
            self.fail(f"{value!r} is not a whole number in the digits 0-9", param, ctx)
        return super().convert(value, param, ctx)


class _Commands(click.Group):
    """The commands, and the one place a run becomes an exit code: the report's, 2 for a
    ``ModernizeError``; one whose reader goes away (``modernize … | head -1``) stops quietly."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:  # --help and --version print while the command line is parsed
            return super().make_context(*args, **kwargs)
        except BrokenPipeError:
            _exit(_reader_gone())

    def invoke(self, ctx: click.Context) -> Any:
        _exit(self._exit_code(ctx))

    def _exit_code(self, ctx: click.Context) -> int:
        try:
            try:
                report = super().invoke(ctx)
            except ModernizeError as error:
                from modernize.render.diagnostics import error_lines
                from modernize.reports import EXIT_ERROR

                for line in error_lines(error):
                    click.echo(line, err=True)
                return EXIT_ERROR
            return int(getattr(report, "exit_code", 0))
        except BrokenPipeError:
            return _reader_gone()
        except OSError as error:
            # The files' own writes report their errors; what gets here is the output (a full
            # disk, /dev/full): one line and exit 2, not a traceback and not exit 1.
            if error.errno not in _OUTPUT_ERRORS:
                raise
            return _output_failed(error)


def _exit(code: int) -> NoReturn:
    sys.exit(code)


#: The errors of a write to the output that end the run with exit 2.
_OUTPUT_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


def _output_failed(error: OSError) -> int:
    from modernize.reports import EXIT_ERROR

    _to_null_device(sys.stdout)
    with contextlib.suppress(Exception):
        click.echo(f"modernize: error: cannot write the output: {error.strerror}", err=True)
    return EXIT_ERROR


def _reader_gone() -> int:
    """Stop as a shell's tools do when the reader of their output goes away: no traceback, exit
    141. What is still buffered goes to the null device, so the flush at exit cannot fail."""
    _to_null_device(sys.stdout, sys.stderr)
    return EXIT_BROKEN_PIPE


def _to_null_device(*streams: TextIO) -> None:
    """Point the descriptors of ``streams`` at the null device: what is still buffered for
    them goes nowhere, and the flush at exit cannot fail."""
    null = os.open(os.devnull, os.O_WRONLY)
    for stream in streams:
        with contextlib.suppress(Exception):  # not a file (a test's capture): nothing to flush
            os.dup2(null, stream.fileno())
    os.close(null)


def _print_version(ctx: click.Context) -> None:
    """``modernize, version X (knowledge of DATE)``: what it writes depends on both."""
    from modernize.data import knowledge_date

    click.echo(f"modernize, version {__version__} (knowledge of {knowledge_date()})")
    ctx.exit()


@click.group(
    cls=_Commands,
    epilog=EPILOG + "\n" + COMPLETION_EPILOG,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, _param, value: _print_version(ctx) if value else None,
    help="Show the version, and the date its knowledge is current to, and exit.",
)
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
@click.option(
    "--dry-run",
    "--diff",
    "dry_run",
    is_flag=True,
    help="Write nothing; print the unified diff instead.",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing and print no diff: exit 1 when changes are pending (the summary "
    "and any warnings or errors still go to stderr).",
)
@_selection_options
@_stdin_option
@click.option("-q", "--quiet", is_flag=True, help="Print no summary, table or progress.")
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Also print each file considered, with its kind and what happened, and timings.",
)
@_jobs_option(
    "Processes working at once: on the repositories of a batch, or on the files of a large "
    "repository (this one and N-1 workers)."
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
@click.option(
    "--partial",
    is_flag=True,
    help="Write the files that passed even when another file of the repository failed "
    "(by default a repository is written whole or not at all).",
)
@_colour_option
def apply_command(
    paths: tuple[str, ...],
    repos_from: str | None,
    dry_run: bool,
    check: bool,
    only: tuple[str, ...],
    skip: tuple[str, ...],
    enable: tuple[str, ...],
    config_path: str | None,
    exclude: tuple[str, ...],
    targets: Mapping[str, str],
    stdin_filename: str | None,
    quiet: bool,
    verbose: bool,
    jobs: int,
    output_format: str,
    report_path: Path | None,
    changelog: bool,
    partial: bool,
    color: str,
) -> RunReport:
    """Migrate the repositories or files at PATHS (default: the current directory).

    Several repositories (PATHS that are not files, or --repos-from) make a batch: they run in
    parallel, each one's diff follows a "# repository: PATH" line, and a table sums them up at
    the end. PATHS that include files (what a pre-commit hook passes) are one run.

    With - as PATH and --stdin-filename NAME, the text on standard input is migrated as the
    file NAME and printed (the diff with --diff); nothing is written, as formatters do.
    """
    from modernize import api

    _check_verbosity(quiet, verbose)
    if check and output_format != "diff":
        raise click.UsageError("--check prints no changes: it takes no --format")
    if stdin_filename is not None and "-" not in paths:
        raise click.UsageError("--stdin-filename names the file - reads: give - as PATH")
    options = api.ApplyOptions(
        dry_run=dry_run or check,
        only=only,
        skip=skip,
        enable=enable,
        config=config_path,
        exclude=exclude,
        targets=targets,
        jobs=jobs,
        # --check needs no diff: the changes are found, then not printed.
        output_format="json" if check else output_format,
        repos_from=repos_from,
        report_path=report_path,
        changelog=changelog,
        verbose=verbose,
        partial=partial,
        stdin=_given(paths),
        stdin_filename=stdin_filename,
    )
    printer = _ApplyPrinter(_colour(color), not quiet and sys.stderr.isatty(), verbose)
    report = api.apply(paths, options, printer)
    if report.text is not None and not options.dry_run and output_format == "diff":
        stdout = sys.stdout.buffer
        stdout.write(report.text)
        stdout.flush()
    printer.finish(report, "none" if check else output_format, quiet)
    return report


class _ApplyPrinter:
    """Prints an ``apply`` run: each repository as soon as it is ready, then the end."""

    def __init__(self, colour: bool, progress: bool, verbose: bool) -> None:
        self.colour, self.verbose = colour, verbose
        self.progress = _Progress(progress)

    def said(self, line: str) -> None:
        click.echo(line, err=True)

    def finished(self, done: int, total: int, repo: RepoRun) -> None:
        self.progress.update(done, total, repo)

    def ready(self, repo: RepoRun, batch: bool) -> None:
        if batch:  # whole, after the line where its diff starts (patch skips the line)
            from modernize.render.run import section_line

            self.progress.clear()
            if repo.stdout:
                click.echo(section_line(repo.root))
            _echo_diffs([repo.stdout], self.colour)
            click.echo(repo.stderr, err=True, nl=False)
            self.progress.draw()
            return
        click.echo(repo.preface, err=True, nl=False)
        # Each file's diagnostics, then its diff; the diffs between two files' diagnostics are
        # printed together (thousands of files, most with nothing to say), a few hundred
        # thousand characters at a time: a diff kept on disk is read as it is printed.
        diffs: list[str] = []
        gathered = 0
        for file in repo.files:
            if file.stderr:
                _echo_diffs(diffs, self.colour)
                gathered = 0
                click.echo(file.stderr, err=True, nl=False)
            if file.diff:
                diff = file.diff_text()
                diffs.append(diff)
                gathered += len(diff)
                if gathered >= _PRINTED_AT_ONCE:
                    _echo_diffs(diffs, self.colour)
                    gathered = 0
        _echo_diffs(diffs, self.colour)

    def finish(self, report: RunReport, output_format: str, quiet: bool) -> None:
        """The changelogs, the table or the timings, the JSON and the summary line."""
        from modernize.render.run import summary_line, summary_table

        self.progress.clear()
        if report.batch and not quiet:
            rows = [(r.root, r.changed, r.warnings, r.errors) for r in report.repositories]
            click.echo(summary_table(rows, report.dry_run), err=True, nl=False)
        for diff, error in report.changelogs:
            _echo_diffs([diff], self.colour)
            click.echo(error, err=True, nl=False)
        if self.verbose and not report.batch:
            from modernize.render.verbose import timing_summary

            click.echo(timing_summary(report.timings, report.seconds), err=True)
        if output_format == "json":  # like a linter's JSON: the same with or without writing
            from modernize.render.report import changes_json

            click.echo(changes_json(report.results, report.dry_run))
        if report.report_error:
            click.echo(report.report_error, err=True)
        if not quiet:
            if report.hazards:
                from modernize.render.run import hazards_line

                click.echo(hazards_line(report.hazards, report.advise_command), err=True)
            repositories = len(report.repositories) if report.batch else None
            click.echo(summary_line(report.counts, report.dry_run, repositories), err=True)


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


@cli.command("verify", epilog=VERIFY_EPILOG)
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--strict", is_flag=True, help="Treat warnings (standards) as errors.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "sarif", "github"]),
    default="text",
    show_default=True,
    help="How to print the findings (github: workflow annotations).",
)
@_output_option
@_selection_options
@_stdin_option
@_code_options
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
    output_path: Path | None,
    only: tuple[str, ...],
    skip: tuple[str, ...],
    enable: tuple[str, ...],
    config_path: str | None,
    exclude: tuple[str, ...],
    targets: Mapping[str, str],
    stdin_filename: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    no_external: bool,
    quiet: bool,
    verbose: bool,
    color: str,
) -> VerifyReport:
    """Report what is still stale and which standards the repositories at PATHS miss.

    Each finding is `path:line: SEVERITY CODE message`; `modernize rule CODE` explains it.
    --only limits the findings to those migrations' codes (the standards too, unless
    --select names them). Exit 1 if any finding is an error (every finding with --strict),
    0 otherwise. With - as PATH and --stdin-filename NAME, the text on standard input is
    checked as the file NAME (without the external validators, which read files).
    """
    from modernize import api

    _check_verbosity(quiet, verbose)
    if stdin_filename is not None and "-" not in paths:
        raise click.UsageError("--stdin-filename names the file - reads: give - as PATH")
    options = api.VerifyOptions(
        strict=strict,
        only=only,
        skip=skip,
        enable=enable,
        config=config_path,
        exclude=exclude,
        targets=targets,
        select=select,
        ignore=ignore,
        external=not no_external,
        uris=output_format == "sarif",
        verbose=verbose,
        stdin=_given(paths),
        stdin_filename=stdin_filename,
    )
    report = api.verify(paths, options)
    for line in report.problems:
        click.echo(line, err=True)
    if verbose:
        from modernize.render.verbose import verify_lines

        for line in verify_lines(report):
            click.echo(line, err=True)
    colour = output_path is None and _colour(color)
    _print_findings(_findings_text(output_format, report, colour), output_path, colour)
    if not quiet:
        from modernize.render.run import findings_summary

        click.echo(findings_summary(report.errors, report.warnings, report.notes), err=True)
    return report


#: Prefixed to a target's name for the parameter of its ``--from-`` flag.
_FROM_PREFIX = "from_"


def _from_options(function: F) -> F:
    """``--from-<target>`` for each target whose jump ``advise`` reads; the command receives
    them as one ``versions_from`` mapping."""
    from modernize.targets import JUMP_TARGETS, settings

    for spec in reversed([spec for spec in settings() if spec.name in JUMP_TARGETS]):
        function = click.option(
            f"--from-{spec.name}",
            _FROM_PREFIX + spec.name,
            metavar=spec.metavar,
            help=f"The {spec.title} the repositories ran before (default: the oldest that "
            "apply would move).",
        )(function)
    return _gathered(function, _FROM_PREFIX, "versions_from")


@cli.command("advise")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "sarif", "github"]),
    default="text",
    show_default=True,
    help="How to print the hazards (github: workflow annotations).",
)
@_output_option
@_selection_options
@_code_options
@_from_options
@_jobs_option("Processes working at once on the planning run.")
@click.option("-q", "--quiet", is_flag=True, help="Print no jump or summary line.")
@_colour_option
def advise_command(
    paths: tuple[str, ...],
    output_format: str,
    output_path: Path | None,
    only: tuple[str, ...],
    skip: tuple[str, ...],
    enable: tuple[str, ...],
    config_path: str | None,
    exclude: tuple[str, ...],
    targets: Mapping[str, str],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    versions_from: Mapping[str, str],
    jobs: int,
    quiet: bool,
    color: str,
) -> AdviseReport:
    """Report what moving to the targets breaks in the repositories at PATHS.

    The jump is read from what apply would move (the oldest version of each target it moves
    from); after apply has written, name those with the --from-… options. Each
    hazard is `path:line: CODE message`; `modernize rule CODE` explains it. Exit 1 if any
    hazard holds, 2 if a file could not be read, 0 otherwise. Nothing is run or fetched.
    """
    from modernize import api

    options = api.AdviseOptions(
        only=only,
        skip=skip,
        enable=enable,
        config=config_path,
        exclude=exclude,
        targets=targets,
        select=select,
        ignore=ignore,
        versions_from=versions_from,
        jobs=jobs,
        uris=output_format == "sarif",
    )
    report = api.advise(paths, options)
    for line in report.notes + report.errors:
        click.echo(line, err=True)
    if not quiet and output_format == "text":
        for line in report.jumps:
            click.echo(line, err=True)
    from modernize.render.reporting import hazard_rules

    colour = output_path is None and _colour(color)
    rules = hazard_rules() if output_format == "sarif" else None
    _print_findings(_findings_text(output_format, report, colour, rules), output_path, colour)
    if not quiet:
        from modernize.render.run import hazards_summary

        click.echo(hazards_summary(len(report.findings)), err=True)
    return report


@cli.command("rules")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to print the codes.",
)
def rules_command(output_format: str) -> None:
    """List every finding's code: files not checked (E, V), the migrations' (M), the
    standards' (DF, CP, RD, MK) and advise's hazards (A), with severity and summary.

    `modernize rule CODE` explains one; --select and --ignore (and the configuration's
    select, ignore and per-file-ignores) choose which are reported.
    """
    from modernize import api
    from modernize.render.listing import code_lines

    for line in code_lines(api.migrations(), as_json=output_format == "json"):
        click.echo(line)


@cli.command("rule")
@click.argument("code")
def rule_command(code: str) -> None:
    """Explain a finding's CODE: an advise hazard (A001), a migration's (M001) or a
    standard's (DF001)."""
    from modernize import api
    from modernize.errors import UsageError
    from modernize.render.rules import rule_text

    text = rule_text(code, api.migrations())
    if text is None:
        raise UsageError(f"no rule has the code {code!r}: `modernize rules` lists them")
    click.echo(text, nl=False)


def _table_format_option(section: str) -> Callable[[F], F]:
    """``--format text|markdown`` of a listing whose markdown is a table of the documentation."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "markdown"]),
        default="text",
        show_default=True,
        help=f"markdown: the table in {section}.",
    )


@cli.command("list")
@_table_format_option("the README and docs/migrations.md")
def list_command(output_format: str) -> None:
    """List the migrations in the order they run: number, ID, title, file kinds."""
    from modernize import api
    from modernize.render.listing import migration_lines

    for line in migration_lines(api.migrations(), markdown=output_format == "markdown"):
        click.echo(line)


@cli.command("hazards")
@_table_format_option("docs/advise.md")
def hazards_command(output_format: str) -> None:
    """List the upgrade hazards `advise` knows: code, the release each lands in, what breaks.

    `modernize rule CODE` explains one.
    """
    from modernize.render.listing import hazard_lines

    for line in hazard_lines(markdown=output_format == "markdown"):
        click.echo(line)


@cli.command("standards")
@_table_format_option("docs/configuration.md")
def standards_command(output_format: str) -> None:
    """List the dated standards: each one's targets and action majors, with the newest
    release of each major this release knows.

    Choose one with --standard or `standard = "YYYY-MM"` in [tool.modernize]; the newest is
    the default.
    """
    from modernize import api
    from modernize.data import knowledge_date
    from modernize.render.standards import standard_lines
    from modernize.targets import DEFAULT_STANDARD

    markdown = output_format == "markdown"
    for line in standard_lines(api.standards(), DEFAULT_STANDARD.name, knowledge_date(), markdown):
        click.echo(line)
