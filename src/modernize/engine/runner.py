"""``apply`` over one repository or many: each PATH is run the same way, and comes back as its
outcomes and the text to print (diagnostics, diffs); never prints.

A batch is several repositories. They are spread over worker processes, and each one comes back
as its text, so the command line prints every repository whole, in input order, however the
runs interleaved. A repository's failure (a missing path, a bad configuration, an unparseable
file, a bug, even a worker process that dies) is that repository's error and never stops the
others. Outside a batch (one directory, or the files a hook names) every PATH is resolved
first, and a bad configuration stops the run before anything is written.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from modernize.errors import ModernizeError
from modernize.model import Outcome
from modernize.records import record
from modernize.render.diagnostics import error_line, error_text
from modernize.render.quoting import shown
from modernize.render.report import RootResult
from modernize.render.run import FileText
from modernize.workspace.changelog import targets_text
from modernize.workspace.config import Overrides

if TYPE_CHECKING:
    from modernize.advice.advising import AdviceAhead
    from modernize.engine.repository import ConfiguredBelow
    from modernize.workspace.config import Resolved
    from modernize.workspace.spool import Spool


@record(frozen=True)
class ApplySettings:
    """Everything ``apply`` does to each repository, the same for all of them."""

    overrides: Overrides
    dry_run: bool
    output_format: str = "diff"
    #: For the report: verify each repository after writing.
    verify_after: bool = False
    #: For the report: keep the run's decisions about each repository as a whole.
    decisions: bool = False
    changelog: bool = False
    #: Worker processes for the files of one repository.
    jobs: int = 1
    #: Also describe each file considered (on the repository's stderr).
    verbose: bool = False
    #: A batch: diffs relative to each repository, whose verbose settings line names it.
    batch: bool = True
    #: Outside a batch, several PATHs: diffs name the files as the user named them.
    several: bool = False
    #: Write the files that passed when another file of the repository failed.
    partial: bool = False
    #: Keep each changed file's new bytes (``RepoRun.updated``): a text given on standard
    #: input is printed migrated.
    keep_text: bool = False
    #: Make each file's advice for the upgrade hazards where it is planned: the run counts them,
    #: or ``advise`` reads them from its outcomes.
    advise: bool = False


@record
class RepoRun:
    """One repository's run: what to print, and the counts for the summary."""

    root: str
    result: RootResult
    #: Said on stderr before the files: the settings (a batch's --verbose), or why nothing
    #: was looked at, or the error that stopped the repository.
    preface: str = ""
    #: Each file as printed: a list in a batch, else rendered as read (``RenderedFiles``).
    files: Iterable[FileText] = field(default_factory=list)
    #: The changelog's diff (a batch's --dry-run), and the error of a changelog not written.
    changelog_diff: str = ""
    changelog_error: str = ""
    changed: int = 0
    unchanged: int = 0
    warnings: int = 0
    #: Files that failed, a changelog that could not be written, or the repository itself.
    errors: int = 0
    #: The targets the changelog entry names ("Python 3.12, postgres 16").
    targets_text: str = ""
    #: --verbose: each file considered, as named, with the seconds it took.
    timings: list[tuple[str, float]] = field(default_factory=list)
    #: With ``keep_text``: each changed file's new bytes, by its path relative to the root.
    updated: dict[str, bytes] = field(default_factory=dict)

    @property
    def stdout(self) -> str:
        return "".join(file.diff_text() for file in self.files) + self.changelog_diff

    @property
    def says_nothing(self) -> bool:
        """Nothing to print, on either stream (without reading a spooled diff back)."""
        return not (
            self.preface
            or self.changelog_diff
            or self.changelog_error
            or any(file.stderr or file.diff for file in self.files)
        )

    @property
    def stderr(self) -> str:
        return self.preface + "".join(file.stderr for file in self.files) + self.changelog_error


def read_repository_list(text: str, base: str) -> tuple[list[str], list[tuple[int, str]]]:
    """The paths a ``--repos-from`` list names, and the lines that cannot name one (by line
    number, with why): one path a line, surrounding whitespace, blank lines and lines starting
    with ``#`` ignored; a relative path is taken relative to ``base`` (the list's directory,
    ``""`` for the current one). Paths are joined, never normalised: folding ``link/..`` as text
    would name another directory when ``link`` is a symbolic link."""
    roots = []
    problems = []
    for number, line in enumerate(text.split("\n"), 1):
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        if "\0" in entry:  # no file name holds one, and every system call refuses it
            problems.append((number, "a path cannot contain a NUL byte"))
            continue
        roots.append(entry if os.path.isabs(entry) or not base else os.path.join(base, entry))
    return roots, problems


def distinct(roots: Sequence[str]) -> tuple[list[str], list[str]]:
    """The roots with later spellings of the same directory dropped (two runs over one tree
    would race to write its files), and a warning for each one dropped."""
    seen: dict[str, str] = {}
    kept: list[str] = []
    warnings: list[str] = []
    for root in roots:
        key = os.path.realpath(root)
        if key in seen:
            same = shown(seen[key])
            warnings.append(f"warning: {shown(root)}: the same repository as {same}; run once")
            continue
        seen[key] = root
        kept.append(root)
    return kept, warnings


def without_nested(roots: Sequence[str]) -> tuple[list[str], list[str]]:
    """The roots without those inside another root that is a directory (one run over a tree
    and another over a file in it would plan the file twice), and a warning for each."""
    directories = [(root, os.path.realpath(root)) for root in roots if os.path.isdir(root)]
    kept: list[str] = []
    warnings: list[str] = []
    for root in roots:
        if not os.path.lexists(root):  # a missing path is its own error, reported later
            kept.append(root)
            continue
        real = os.path.realpath(root)
        outer = next(
            (
                name
                for name, directory in directories
                if directory != real and real.startswith(directory.rstrip(os.sep) + os.sep)
            ),
            None,
        )
        if outer is None:
            kept.append(root)
        else:
            warnings.append(
                f"warning: {shown(root)}: inside {shown(outer)}, which is also named; run once"
            )
    return kept, warnings


def run_repository(root: str, settings: ApplySettings) -> RepoRun:
    """Resolve the configuration of ``root``, apply, and render the diff and diagnostics.

    Never raises: whatever goes wrong becomes this repository's error.
    """
    try:
        return _run_repository(root, settings)
    except Exception as error:  # a bug must not take the other repositories down
        message = f"internal error: {type(error).__name__}: {error}"
        return _failed(root, f"error: {shown(root)}: {message}", message)


def _failed(root: str, line: str, message: str) -> RepoRun:
    return RepoRun(root, RootResult(root, (), (), message), preface=line + "\n", errors=1)


def _run_repository(root: str, settings: ApplySettings) -> RepoRun:
    from modernize.workspace.config import resolve

    path = Path(root)
    if not path.exists():
        message = "no such file or directory"
        return _failed(root, f"error: {shown(root)}: {message}", message)
    if path.is_dir():
        try:
            with os.scandir(path):
                pass
        except OSError as error:
            message = f"cannot read the directory: {error.strerror}"
            return _failed(root, f"error: {shown(root)}: {message}", message)
    try:
        plan = resolve(path, settings.overrides, root)
    except ModernizeError as error:
        return _failed(root, error_line(error), error_text(error))
    if settings.changelog:  # before any file is written: the repository fails whole
        from modernize.workspace.changelog import check_changelog

        problem = check_changelog(root)
        if problem is not None:
            return _failed(root, error_line(problem), error_text(problem))
    return run_resolved(root, plan, settings)


def run_resolved(
    root: str,
    plan: Resolved,
    settings: ApplySettings,
    configured: ConfiguredBelow | None = None,
    spool: Spool | None = None,
) -> RepoRun:
    """Apply to ``root``, whose settings are ``plan``, and render its diffs and diagnostics.
    ``configured`` is told the folders below ``root`` with settings of their own, found by the
    run's walk before anything is written (see ``repository.run``); when there are any, the
    run is one of several PATHs. With ``spool``, the diffs are kept there until they are
    printed (``FileText.spooled``): the run is printed in this process."""
    from modernize.engine.planning import RunOptions
    from modernize.engine.repository import run
    from modernize.registry import Context

    options = RunOptions(
        Context(plan.targets),
        tuple(plan.migrations),
        not settings.dry_run,
        plan.exclude,
        plan.exclude_base,
        settings.partial,
        hunks=settings.dry_run and settings.output_format == "diff",
        # A dry run's diffs are rendered where each file is planned; its bytes are not needed.
        keep_bytes=not settings.dry_run or settings.keep_text,
        advise=("read" if settings.dry_run else "written") if settings.advise else "",
    )
    decisions: list[str] | None = [] if settings.decisions else None
    below: list[str] = []

    def passed_over(trees: list[str]) -> None:
        below.extend(trees)
        assert configured is not None
        configured(trees)

    ahead: list[AdviceAhead] = []
    if not options.hunks:
        spool = None
    outcomes = run(
        Path(root),
        options,
        settings.jobs,
        decisions,
        passed_over if configured else None,
        ahead,
        spool,
    )
    if below:
        settings = replace(settings, several=True)
    remaining = []
    if settings.verify_after and not settings.dry_run:
        from modernize.standards.checking import verify_tree

        remaining = verify_tree(
            Path(root),
            plan.migrations,
            options.context,
            exclude=plan.exclude,
            exclude_base=plan.exclude_base,
        )
    # Taken first: rendering lets go of each outcome's bytes.
    updated: dict[str, bytes] = {}
    if settings.keep_text:
        updated = {o.path: o.updated for o in outcomes if o.status == "changed"}
    repo = _render(root, outcomes, settings, [migration.id for migration in plan.migrations])
    if settings.verbose:
        repo.preface = _verbose_preface(root, plan, settings, len(outcomes))
    repo.updated = updated
    repo.result = RootResult(
        root, outcomes, remaining, decisions=decisions or (), ahead=ahead[0] if ahead else None
    )
    repo.targets_text = targets_text(plan.targets)  # the entry is added by ``run_batch``
    return repo


def _verbose_preface(root: str, plan: Resolved, settings: ApplySettings, considered: int) -> str:
    """A batch names each repository's settings; outside one, the settings are said once for
    all PATHs, and a file named as PATH that nothing looked at is said why."""
    from modernize.render.verbose import describe_settings, trees_passed_over, why_not_considered
    from modernize.workspace.files import project_trees_below

    trees = project_trees_below(Path(root), plan.exclude, plan.exclude_base)
    passed_over = "".join(line + "\n" for line in trees_passed_over(root, trees))
    if settings.batch:
        return f"{shown(root)}: {describe_settings(plan)}\n{passed_over}"
    if considered == 0 and Path(root).is_file():
        kinds = frozenset(kind for migration in plan.migrations for kind in migration.kinds)
        return why_not_considered(root, kinds) + "\n"
    return passed_over


def _render(
    root: str, outcomes: Sequence[Outcome], settings: ApplySettings, run_order: Sequence[str]
) -> RepoRun:
    """The run's counts, and each outcome's diagnostics and diff, in order. Outside a batch the
    files are rendered as they are printed (``RenderedFiles``); a batch's repository comes back
    from its worker rendered. An outcome lets go of its bytes and spans here, and of its hunks
    unless its diff is still to print (the report and JSON need none of them). A file with
    nothing to say and no diff adds nothing (most files of a large run)."""
    from modernize.engine.held import Present, let_go

    repo = RepoRun(root, RootResult(root, outcomes))
    files = RenderedFiles(root, outcomes, settings, run_order)
    # A batch's files are rendered now (each diff in the list: a batch has no spool).
    repo.files = list(files) if settings.batch else files
    diffs = settings.dry_run and settings.output_format == "diff" and not settings.batch
    for outcome in outcomes:
        if outcome.status == "skipped":
            repo.warnings += 1
        else:
            repo.warnings += sum(1 for f in outcome.findings if f.severity == "warning")
        if outcome.status == "failed":
            repo.errors += 1
        elif outcome.status == "changed":
            repo.changed += 1
        elif outcome.status != "skipped":
            repo.unchanged += 1
        let_go(outcome, diffs)
    if isinstance(outcomes, Present):
        outcomes.rendered(diffs)  # the same, of each one read back from the disk
    if settings.verbose:
        repo.timings = [(shown(files.display(o.path)), o.seconds) for o in outcomes]
    return repo


class RenderedFiles:
    """A run's files as printed (``FileText``), rendered from its outcomes each time they are
    read: a large dry run holds no diagnostics or diff headers of its thousands of files, only
    the one being printed (its hunks wait in the spool). How each file is named is settled when
    the run ends, as it was then (the PATH looked at, a text given on standard input known as
    given), however much later the files are read."""

    def __init__(
        self,
        root: str,
        outcomes: Sequence[Outcome],
        settings: ApplySettings,
        run_order: Sequence[str],
    ) -> None:
        from modernize.render.run import diff_paths
        from modernize.workspace.files import displayer

        self._outcomes, self._settings, self._run_order = outcomes, settings, run_order
        #: Each file's name as shown, from its path relative to the root.
        self.display = displayer(root)
        self._diff_path = diff_paths(root, settings.several)

    def __iter__(self) -> Iterator[FileText]:
        from modernize.render.run import outcome_diagnostics, outcome_diff
        from modernize.render.verbose import describe_outcome

        settings, display, diff_path = self._settings, self.display, self._diff_path
        diffs = settings.dry_run and settings.output_format == "diff"
        for outcome in self._outcomes:
            diffed = diffs and outcome.status == "changed"
            if settings.verbose or diffed or outcome.findings or outcome.status in _SAYS_WHY:
                displayed = display(outcome.path)
                named = shown(displayed)  # in diagnostics, a name that breaks no line
                said = ""
                if settings.verbose:
                    described = describe_outcome(named, outcome, self._run_order, settings.dry_run)
                    said = described + "\n"
                said += outcome_diagnostics(named, outcome)
                diff, spooled = "", None
                if diffed:
                    path = outcome.path
                    if not settings.batch:
                        path = diff_path(outcome.path, displayed)
                    diff, spooled = outcome_diff(outcome, path)
                if said or diff:
                    yield FileText(said, diff, spooled)


#: The statuses whose diagnostics say why (a reason), with or without findings.
_SAYS_WHY = frozenset({"skipped", "failed"})


def _add_changelog(repo: RepoRun, settings: ApplySettings) -> None:
    """Add the run's entry to the repository's CHANGELOG.md, or its diff with --dry-run
    (its headers relative to the repository, as the other diffs are)."""
    from modernize.workspace.changelog import changelog_directory, relative_header, update_changelog

    path = changelog_directory(repo.root) / "CHANGELOG.md"
    header = relative_header(path, repo.root)
    diff, error = update_changelog(path, [repo.result], repo.targets_text, settings.dry_run, header)
    if settings.output_format == "diff":  # JSON output must stay one JSON document
        repo.changelog_diff = diff
    if error:
        repo.changelog_error = error
        repo.errors += 1


def add_shared_changelogs(
    runs: Sequence[RepoRun], settings: ApplySettings
) -> list[tuple[str, str]]:
    """Outside a batch: add the run's entry to each changed PATH's CHANGELOG.md, once for the
    PATHs that share one (the files a hook names share their project's). Returns each one's
    diff (with --dry-run, unless the output is JSON, one document) and error line."""
    from modernize.workspace.changelog import changelog_directory, relative_header, update_changelog

    groups: dict[Path, tuple[Path, str, list[Outcome]]] = {}
    for repo in runs:
        if not repo.changed:
            continue
        directory = changelog_directory(repo.root)
        group = groups.setdefault(directory.resolve(), (directory, repo.targets_text, []))
        group[2].extend(repo.result.outcomes)
    single_directory = len(runs) == 1 and Path(runs[0].root).is_dir()
    written = []
    for directory, targets, outcomes in groups.values():
        path = directory / "CHANGELOG.md"
        if single_directory:  # headers relative to PATH, like the diffs
            header = relative_header(path, runs[0].root)
        else:  # relative to the current directory, like the diffs
            relative = os.path.relpath(path.resolve())
            header = relative if not relative.startswith(os.pardir) else "CHANGELOG.md"
        merged = RootResult(str(directory), outcomes)
        diff, error = update_changelog(path, [merged], targets, settings.dry_run, header)
        written.append((diff if settings.output_format == "diff" else "", error))
    return written


Progress = Callable[[int, int, RepoRun], None]


def run_batch(
    roots: Sequence[str], settings: ApplySettings, jobs: int, progress: Progress | None = None
) -> Iterator[RepoRun]:
    """Run every repository, ``jobs`` worker processes in all; yield the runs in input order,
    each as soon as it and every one before it are done. ``progress(done, total, run)`` is
    called as each finishes, in whatever order that is.

    With ``--changelog``, each changed repository's entry is added here, in this process,
    one repository after another: PATHs inside one project share its changelog, and
    workers writing it at once would race.
    """
    # Closed here, not when collected: stopped early, the workers are dealt with at once.
    with contextlib.closing(_run_all(roots, settings, jobs, progress)) as runs:
        for repo in runs:
            if settings.changelog and repo.changed:
                _add_changelog(repo, settings)
            yield repo


def _run_all(
    roots: Sequence[str], settings: ApplySettings, jobs: int, progress: Progress | None
) -> Generator[RepoRun, None, None]:
    """``run_batch`` without the changelogs.

    The processes are shared out so that they never exceed ``jobs``: with more repositories
    than jobs, each repository's files are planned in its own worker, one at a time; with
    fewer, each gets its share of processes for its files.
    """
    total = len(roots)
    workers = max(1, min(jobs, total))
    settings = replace(settings, jobs=max(1, jobs // workers))
    if workers == 1:
        for index, root in enumerate(roots):
            repo = run_repository(root, settings)
            if progress is not None:
                progress(index + 1, total, repo)
            yield repo
        return
    # Worker processes only for a batch: a single repository never imports their machinery.
    from modernize.engine.workers import each_in_workers

    finished: dict[int, RepoRun] = {}  # done, waiting for the ones before them to be printed
    next_index = 0
    results = each_in_workers(_run_root, [(root, settings) for root in roots], workers, _died)
    with contextlib.closing(results):  # stopped early: the pool is dealt with at once
        for done, (index, repo) in enumerate(results, 1):
            finished[index] = repo
            if progress is not None:
                progress(done, total, repo)
            while next_index in finished:
                yield finished.pop(next_index)
                next_index += 1


def _run_root(task: tuple[str, ApplySettings]) -> RepoRun:
    return run_repository(*task)


def _died(task: tuple[str, ApplySettings]) -> RepoRun:
    root = task[0]
    message = "the worker process running it died (killed, or out of memory?)"
    return _failed(root, f"error: {shown(root)}: {message}", message)
