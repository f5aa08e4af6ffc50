"""Run migrations over files and return typed per-file outcomes; never prints."""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from modernize.engine import stopping
from modernize.engine.edits import (
    apply_edits,
    keep_comment_columns,
    normalise,
    trim_unchanged_lines,
)
from modernize.engine.proving import verify
from modernize.engine.sharing import shared
from modernize.errors import (
    EditConflictError,
    ModernizeError,
    ParseError,
    ReadError,
    VerificationError,
)
from modernize.formats.document import Document
from modernize.kinds import (
    ADVISED,
    COMMENTED_KINDS,
    CONTENT_KINDS,
    INPUT_KINDS,
    PROJECT_FILES,
    SURVEYED_KINDS,
    content_test,
)
from modernize.lazy import lazy_pattern
from modernize.model import Edit, EditSummary, Finding, Notice, Outcome
from modernize.records import record
from modernize.registry import Context, Migration
from modernize.workspace.files import (
    Candidate,
    SourceText,
    discover,
    is_given,
    project_trees_below,
    read_source,
)
from modernize.workspace.writing import write_atomically, write_problem

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from modernize.advice.advising import AdviceAhead
    from modernize.engine.workers import EarlyPlans
    from modernize.workspace.spool import Spool

TEMPLATE = lazy_pattern(r"\{%|(?<!\$)\{\{")


@record(frozen=True)
class RunOptions:
    """How one repository's files are planned: the context, the migrations, and what the run
    keeps, writes and renders."""

    context: Context
    migrations: tuple[Migration, ...]
    write: bool
    exclude: tuple[str, ...] = ()
    exclude_base: Path | None = None
    #: Write the files that passed even when another file of the run failed; by default a
    #: run writes all its files or none.
    partial: bool = False
    #: Render each changed file's diff hunks where it is planned (``Outcome.hunks``): in the
    #: worker processes when there are any, instead of one after the other in the main one.
    hunks: bool = False
    #: Keep a changed file's bytes as read and as migrated in its outcome (``original`` and
    #: ``updated``): a run that writes needs them, and so does a diff not rendered where the
    #: file was planned. A file that is not changed never keeps its bytes.
    keep_bytes: bool = True
    #: Make each file's advice for the upgrade hazards where it is planned (``Outcome.advice``),
    #: of its text as read ("read": the run writes nothing) or as the run leaves it on the
    #: disk ("written"); "": none (the run counts no hazards).
    advise: Literal["", "read", "written"] = ""


#: The finding codes of apply's own errors, as verify gives them: the file cannot be read or
#: parsed (E001); the migrated text failed verification or could not be written (E002).
UNPARSEABLE = "E001"
NOT_WRITTEN = "E002"


def _notice_to_finding(document: Document, notice: Notice, codes: Mapping[str, str]) -> Finding:
    """``codes``: each migration's finding code by its ID, the code verify reports it under."""
    return Finding(
        document.path,
        document.line_of(notice.offset),
        shared(notice.message),
        notice.severity,
        notice.migration,
        codes.get(notice.migration, ""),
        shared(notice.facts),
    )


def collect(
    document: Document, migrations: Sequence[Migration], context: Context
) -> tuple[list[Edit], list[Notice]]:
    """Every edit and notice the migrations produce for one document version."""
    edits: list[Edit] = []
    notices: list[Notice] = []
    for migration in migrations:
        if document.kind not in migration.kinds:
            continue
        for result in migration.results(document, context):
            if isinstance(result, Edit):
                edits.append(replace(result, migration=migration.id))
            else:
                notices.append(replace(result, migration=migration.id))
    return edits, notices


def _rerun(document: Document, migrations: Sequence[Migration], context: Context) -> list[Edit]:
    """The edits a second invocation would make on ``document``: it gives every migration the
    text test first, as the first run did, and those whose test fails would yield nothing."""
    rerun = [m for m in migrations if m.may_touch(document.text, context)]
    return collect(document, rerun, context)[0]


def keeping_comment_columns(document: Document, edits: list[Edit]) -> tuple[list[Edit], Document]:
    """The edits to make, and the text they make: widened over the spaces before aligned
    trailing comments so that these stay in their columns, unless that changes the file's data
    (a ``#`` inside a block scalar or a multi-line string is no comment)."""
    plain = document.with_text(apply_edits(document.text, edits))
    if document.kind not in COMMENTED_KINDS:  # trailing comments: YAML and TOML
        return edits, plain
    aligned = keep_comment_columns(document.text, edits)
    if aligned == normalise(edits):
        return edits, plain
    widened = document.with_text(apply_edits(document.text, aligned))
    try:
        if plain.changed_paths(widened):
            return edits, plain
    except ParseError:
        return edits, plain  # the verification reports what the edits themselves broke
    return aligned, widened


def plan_file(candidate: Candidate, options: RunOptions) -> Outcome:
    """Read, migrate and verify one file; write it when ``options.write`` is set."""
    started = time.perf_counter()
    source = _read(candidate)
    if isinstance(source, Outcome):
        source.seconds = time.perf_counter() - started
        return source
    outcome = plan_source(candidate, source, options)
    outcome.seconds = time.perf_counter() - started  # the read included
    return outcome


def plan_before_survey(
    candidate: Candidate,
    options: RunOptions,
    read: SourceText | None = None,
    surveyed: Surveyed | None = None,
    hold: Callable[[SourceText, Sequence[Migration]], None] | None = None,
) -> Outcome | None:
    """The outcome of a file that no migration's text test lets through, known before the
    repository is surveyed; None when a test passes (or fails with an error): the file is
    planned once the survey is made, here and now with ``surveyed`` (which makes it, the first
    time: a run with one process). A text test reads only the targets (``TouchFunction``),
    and a file that none lets through is only parsed, so its outcome is the one the plan would
    give it. ``read``: the file's text, when it was read already (for the survey). ``hold``
    is given the text of a file left for the plan and the migrations whose test passed (a
    worker keeps them for its plan)."""
    started = time.perf_counter()
    source = _read(candidate) if read is None else read
    if isinstance(source, Outcome):
        source.seconds = time.perf_counter() - started
        return source
    targets_only = replace(options, context=Context(options.context.targets))
    touching: Sequence[Migration] | None
    try:
        touching = _touching(candidate, source, targets_only)
    except Exception:
        touching = None  # the plan reports what went wrong in the migration
    if touching is not None and not touching:
        outcome = plan_source(candidate, source, options, touching=())
    elif surveyed is None:
        if hold is not None and touching is not None:
            hold(source, touching)
        return None
    else:
        outcome = plan_source(candidate, source, surveyed.options(), touching)
    outcome.seconds = time.perf_counter() - started  # the read included
    return outcome


def _read(candidate: Candidate) -> SourceText | Outcome:
    """The file's text, or the outcome of a file that cannot be read (or is not to be)."""
    outcome = Outcome(candidate.relative, candidate.kind, "unchanged")
    if candidate.skip_reason:
        outcome.status = "skipped"
        outcome.reason = candidate.skip_reason
        return outcome
    try:
        return read_source(candidate.location)
    except ReadError as error:
        if candidate.kind in CONTENT_KINDS:
            return outcome  # told by its content, which cannot be read: not this tool's
        outcome.status = "skipped" if error.skip else "failed"
        outcome.reason = str(error)
        return outcome


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic collector waits while one file is planned. Planning a big file makes
    millions of objects that live until it is done, and a collection passes over all of them
    (a fifth of the time on a 40,000-line workflow, and more than linear in it); what the file
    left behind is collected after it, while there is little else alive."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def plan_source(
    candidate: Candidate,
    source: SourceText,
    options: RunOptions,
    touching: Sequence[Migration] | None = None,
) -> Outcome:
    """Migrate and verify one file's text, read from ``candidate``; write it when
    ``options.write`` is set. ``touching``: the migrations whose text test passes, when they
    are known. The outcome's ``seconds`` is the time this took."""
    started = time.perf_counter()
    with _collector_paused():
        outcome = _plan_source(candidate, source, options, touching)
    if options.advise and candidate.kind in ADVISED:
        _advise(outcome, candidate, source, options.advise == "written")
    if outcome.status != "changed" or not options.keep_bytes:
        # Held for every file of the run until it is reported, they would be the run's memory;
        # the spans are for a diff, rendered by now if the run shows one.
        outcome.original = outcome.updated = b""
        outcome.spans = []
    outcome.seconds = time.perf_counter() - started
    return outcome


#: Whether this process has planned a file that changes, in a run that makes the hazards'
#: advice: from then on it makes the advice of every file it plans. A run that changes nothing
#: counts no hazards, and its files are not scanned for them.
_changes_seen = False


def _advise(outcome: Outcome, candidate: Candidate, source: SourceText, written: bool) -> None:
    """Give ``outcome`` the advice of its file as it will be on the disk: migrated when
    ``written`` and it changes (``write_planned`` takes it back from a file not written)."""
    global _changes_seen
    changed = outcome.status == "changed"
    _changes_seen = _changes_seen or changed
    if not _changes_seen or is_given(candidate.location):
        return  # a text given on standard input is not the file the hazards read
    from modernize.advice.advising import file_advice

    raw = outcome.updated if written and changed else source.raw
    outcome.advice = file_advice(candidate.kind, candidate.relative, raw)


def _plan_source(
    candidate: Candidate,
    source: SourceText,
    options: RunOptions,
    touching: Sequence[Migration] | None,
) -> Outcome:
    outcome = Outcome(candidate.relative, candidate.kind, "unchanged")
    outcome.original = outcome.updated = source.raw
    migrations = [m for m in options.migrations if candidate.kind in m.kinds]
    document = Document(candidate.relative, candidate.kind, source.text)
    try:
        # Only migrations whose text test passes run on the first version; the second run
        # of the verification pass runs them all, as a second invocation would.
        if touching is None:
            touching = _touching(candidate, source, options)
        if not touching and candidate.kind in CONTENT_KINDS:
            return outcome  # told by its content: nothing here is this tool's
        document.parse()  # even with nothing to change: bad input is reported, not passed over
        if not touching:
            return outcome
        edits, notices = collect(document, touching, options.context)
        codes = {migration.id: migration.code for migration in touching}
        outcome.findings = sorted(
            (_notice_to_finding(document, n, codes) for n in notices),
            key=lambda f: f.line,
        )
        if not edits:
            return outcome
        edits = trim_unchanged_lines(document.text, edits)
        declared = normalise(edits)  # an edit made for two reasons once, declaring both
        edits, updated = keeping_comment_columns(document, edits)
        new_text = updated.text
        if new_text == document.text:
            return outcome
        # The proof replays the operations the migrations declared; the spaces taken in
        # before aligned comments change no data (``keeping_comment_columns`` checks it).
        verify(document, updated, declared, lambda d: _rerun(d, migrations, options.context))
    except ParseError as error:
        return _unparseable(outcome, document, error)
    except (VerificationError, EditConflictError) as error:
        outcome.status = "failed"
        line = getattr(error, "line", None) or 1
        outcome.findings.append(
            Finding(candidate.relative, line, str(error), "error", code=NOT_WRITTEN)
        )
        return outcome
    except Exception as error:  # a bug in a migration must not stop the other files
        outcome.status = "failed"
        message = f"internal error in a migration: {type(error).__name__}: {error}; not written"
        outcome.findings.append(Finding(candidate.relative, 1, message, "error", code=NOT_WRITTEN))
        return outcome
    _changed(outcome, source, document, edits, new_text)
    if options.hunks:
        from modernize.render.run import outcome_hunks

        outcome.hunks = outcome_hunks(outcome)
    if options.write:
        _write(outcome, candidate.path)
    return outcome


def _unparseable(outcome: Outcome, document: Document, error: ParseError) -> Outcome:
    """A file that does not parse fails, unless it is a template (a YAML one is skipped) or of a
    kind told by its content (passed over: it is not this tool's)."""
    if document.kind in CONTENT_KINDS:
        return outcome  # told by its content, and it does not parse: not this tool's
    if document.format == "yaml" and TEMPLATE.search(document.text):
        outcome.status = "skipped"
        outcome.reason = "a template (Jinja or similar), not YAML; skipped"
        return outcome
    outcome.status = "failed"
    outcome.findings.append(
        Finding(document.path, error.line or 1, error.message, "error", code=UNPARSEABLE)
    )
    return outcome


def _changed(
    outcome: Outcome,
    source: SourceText,
    document: Document,
    edits: Sequence[Edit],
    new_text: str,
) -> None:
    """Record in ``outcome`` the text ``edits`` made: its bytes, spans and edit summaries."""
    outcome.status = "changed"
    outcome.updated = source.encode(new_text)
    outcome.bom = source.bom
    delta = 0
    for edit in normalise(edits):
        new_start = edit.start + delta
        outcome.spans.append((edit.start, edit.end, new_start, new_start + len(edit.replacement)))
        delta += len(edit.replacement) - (edit.end - edit.start)
    outcome.edits = [
        EditSummary(
            edit.migration,
            document.line_of(edit.start),
            shared(document.text[edit.start : edit.end]),
            shared(edit.replacement),
        )
        for edit in sorted(edits, key=lambda e: e.start)
    ]


def _write(outcome: Outcome, path: Path) -> None:
    """Replace the file ``outcome`` planned (its text as read: ``outcome.original``)."""
    try:
        write_atomically(path, outcome.original, outcome.updated)
    except ModernizeError as error:
        outcome.status = "failed"
        outcome.findings.append(Finding(outcome.path, 1, str(error), "error", code=NOT_WRITTEN))


def candidates(
    root: Path,
    migrations: Iterable[Migration],
    exclude: Sequence[str] = (),
    exclude_base: Path | None = None,
    configured: list[str] | None = None,
) -> Iterator[Candidate]:
    """The files under ``root`` of the kinds ``migrations`` read; ``configured``, when given,
    gets the folders passed over for their own configuration (see ``discover``)."""
    kinds = frozenset(kind for migration in migrations for kind in migration.kinds)
    yield from discover(root, kinds, exclude, exclude_base, configured=configured)


#: Below this many candidate files, worker processes cost more than they save.
PARALLEL_THRESHOLD = 64


#: Told the folders below a run's root that have a configuration of their own, once the walk
#: is done and before any file is written or reported (workers may have read and parsed some
#: by then, see ``EarlyPlans``); what it raises stops the run.
ConfiguredBelow = Callable[[list[str]], None]


def run(
    root: Path,
    options: RunOptions,
    jobs: int = 1,
    decisions: list[str] | None = None,
    configured: ConfiguredBelow | None = None,
    ahead: list[AdviceAhead] | None = None,
    spool: Spool | None = None,
) -> list[Outcome]:
    """Process every candidate under ``root``; outcomes come back in path order.

    Every file is read, given the cheap text tests and parsed (bad input is reported either
    way); those some migration may change are migrated and verified too. With ``jobs`` above 1
    and enough files, ``jobs - 1`` worker processes share the work with this one: started while
    the tree is walked, they plan the files found that no text test lets through before the
    survey is made (``EarlyPlans``), and the rest with this process once it is. The whole run
    is planned before anything is written: with
    ``options.write``, the changed files are then written here, all of them, or none when a file
    failed (unless ``options.partial``). With ``decisions``, what the plan decided for the
    repository as a whole is added to it (see ``repository_decisions``). ``configured`` is told
    the folders the walk passed over for their own configuration (none: an empty list).
    ``ahead``, when given, gets what a worker made of the hazards' files while the files that
    may change were planned (``advising.advice_ahead``; ``options.advise``), if one did.
    With ``spool``, each diff rendered (``options.hunks``) is kept there as its outcome is
    stored, not in memory (``Outcome.hunks`` is then a ``Spooled``).
    """
    keep = _spooling(spool)
    planned, surveyed = _plan_all(
        root, replace(options, write=False), jobs, keep, configured, ahead
    )
    if decisions is not None:
        decisions += repository_decisions(root, surveyed.options())
    write_planned(planned, options.write, options.partial)
    return [outcome for outcome, _ in planned]


def _spooling(spool: Spool | None) -> Callable[[Outcome], None]:
    """What each outcome stored goes through: its diff to ``spool``, when there is one."""
    if spool is None:
        return lambda _outcome: None

    def keep(outcome: Outcome) -> None:
        if isinstance(outcome.hunks, str) and outcome.hunks:
            outcome.hunks = spool.keep(outcome.hunks)

    return keep


def repository_decisions(root: Path, options: RunOptions) -> list[str]:
    """The run's decisions about the repository as a whole (its ``options.context`` has the
    survey): each project's Python claim, the lockfiles to make again, and the folders passed
    over as other projects' trees."""
    survey = options.context.survey
    said = survey.decisions(options.context.targets.python_minor) if survey else []
    said += [
        f"`{tree}/`: not migrated: it holds a .github folder of its own, so it is another "
        "project's tree (a vendored copy or a subtree); name it as a PATH to migrate it"
        for tree in project_trees_below(root, options.exclude, options.exclude_base)
    ]
    return said


def write_planned(
    planned: Sequence[tuple[Outcome, str | Path]], write: bool, partial: bool
) -> None:
    """Write each changed outcome to its file (when ``write``: a dry run plans the same). A
    failed file holds back every other one, each with an error saying why, unless
    ``partial``: a repository is migrated whole or not at all."""
    changed = [(outcome, path) for outcome, path in planned if outcome.status == "changed"]
    try:
        _write_changed(planned, changed, write, partial)
    finally:
        for outcome, _ in changed:
            if outcome.status != "changed":
                outcome.advice = None  # made of the text it was not given: read the file


def _write_changed(
    planned: Sequence[tuple[Outcome, str | Path]],
    changed: list[tuple[Outcome, str | Path]],
    write: bool,
    partial: bool,
) -> None:
    if write and not partial:
        for outcome, path in changed:
            problem = write_problem(Path(path))
            if problem is not None:
                outcome.status = "failed"
                outcome.findings.append(
                    Finding(outcome.path, 1, problem, "error", code=NOT_WRITTEN)
                )
        changed = [(outcome, path) for outcome, path in changed if outcome.status == "changed"]
    failed = [outcome.path for outcome, _ in planned if outcome.status == "failed"]
    if failed and not partial:
        others = f"{failed[0]}" + (f" and {len(failed) - 1} more" if len(failed) > 1 else "")
        for outcome, _ in changed:
            outcome.status = "failed"
            outcome.findings.append(
                Finding(
                    outcome.path,
                    1,
                    f"not written: {others} failed, and a repository is written whole or not at "
                    "all; fix it, or pass --partial to write the files that passed",
                    "error",
                    code=NOT_WRITTEN,
                )
            )
        return
    for outcome, path in changed if write else ():
        stopping.check()
        _write(outcome, Path(path))


def _plan_all(
    root: Path,
    options: RunOptions,
    jobs: int,
    keep: Callable[[Outcome], None],
    configured: ConfiguredBelow | None = None,
    ahead: list[AdviceAhead] | None = None,
) -> tuple[list[tuple[Outcome, str]], Surveyed]:
    """Every file's outcome with its path, and the run's survey (made, or to be made); each
    outcome this process stores, planned here or in a worker, goes through ``keep``.

    Only the files the survey reads are read here first (the projects' files, the workflows
    whose inputs it follows, the Python modules whose imports it maps); each is planned from
    that text. Every other file is read where it is planned, here or in a worker: each file is
    read once, and this process never holds the whole tree's text. With one process, the
    survey is made when a file that some text test lets through is planned: a pre-commit
    hook's current files never make it."""
    ids = {migration.id for migration in options.migrations}
    surveyed_kinds = INPUT_KINDS if "workflow-python" in ids else frozenset()
    if any("python" in migration.kinds for migration in options.migrations):
        surveyed_kinds |= {"python"}
    tasks: list[tuple[int, Candidate, SourceText | None]] = []
    outcomes: list[Outcome | None] = []
    #: Where each file is (``Candidate.location``), for writing it.
    paths: list[str] = []
    texts: dict[Path, str] = {}
    relative_texts: list[tuple[str, str]] = []
    # Python sources are parsed with libcst, slow enough that a few files pay for workers.
    typing = "python-typing" in ids
    threshold = PARALLEL_THRESHOLD
    pool: ProcessPoolExecutor | None = None
    early: EarlyPlans | None = None

    def start_pool() -> None:
        """Start the workers once enough files are found, while the walk goes on: they plan
        the files found so far that the survey does not read, and those found after them
        (``EarlyPlans``), and they are ready when the plan starts."""
        nonlocal pool, early
        if pool is None and jobs > 1 and len(tasks) >= threshold:
            from modernize.engine.workers import EarlyPlans, file_pool

            kinds = frozenset(task[1].kind for task in tasks)
            pool = file_pool(options, jobs - 1, kinds)
            early = EarlyPlans(pool)
            for index, candidate, read in tasks:
                early.add(index, candidate, read)

    trees: list[str] | None = [] if configured is not None else None
    try:
        found = candidates(root, options.migrations, options.exclude, options.exclude_base, trees)
        for candidate in found:
            stopping.check()
            start_pool()
            paths.append(candidate.location)
            if typing and candidate.kind == "python":
                threshold = 8
            name = candidate.relative.rsplit("/", 1)[-1]
            if candidate.kind not in surveyed_kinds and name not in PROJECT_FILES:
                # Read where it is planned; the survey needs its path only (a lockfile's name).
                relative_texts.append((candidate.relative, ""))
                if early is not None:
                    early.add(len(outcomes), candidate, None)
                tasks.append((len(outcomes), candidate, None))
                outcomes.append(None)
                continue
            started = time.perf_counter()
            source = _read(candidate)
            if isinstance(source, Outcome):
                source.seconds = time.perf_counter() - started
                outcomes.append(source)
                continue
            texts[candidate.path.resolve()] = source.text
            relative_texts.append((candidate.relative, source.text))
            if early is not None:
                early.add(len(outcomes), candidate, source)
            tasks.append((len(outcomes), candidate, source))
            outcomes.append(None)
        if configured is not None and trees is not None:
            configured(trees)
        start_pool()
        if early is not None:
            early.flush()  # planned while the survey is made
        surveyed = Surveyed(root, options, texts, relative_texts)
        del texts, relative_texts
        if pool is not None:
            options = surveyed.options()  # the workers are given it
    except BaseException as error:
        if pool is not None:
            # An error (a bad configuration below the root) lets the idle workers go before
            # the run ends, so that no pool is left to shut down at exit; a stop does not wait.
            pool.shutdown(wait=isinstance(error, Exception), cancel_futures=True)
        raise
    if pool is None:
        tasks.reverse()
        while tasks:  # each file's candidate and text let go of once it is planned
            stopping.check()
            index, candidate, read = tasks.pop()
            outcomes[index] = outcome = plan_before_survey(candidate, options, read, surveyed)
            if outcome is not None:
                keep(outcome)
    else:
        from modernize.engine.workers import plan_in_workers

        if early is not None:
            try:
                early.collect(outcomes, keep)
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
        from modernize.engine.workers import AdviceAheadWalk

        left = [task for task in tasks if outcomes[task[0]] is None]
        if early is not None and early.held:
            # The files a worker holds, read and tested, go last: the workers plan from the
            # back, so that worker is likely to be given them.
            held = early.held
            left = [t for t in left if t[0] not in held] + [t for t in left if t[0] in held]
        tasks.clear()  # the files planned early are let go of; the others go with ``left``
        walk = None
        if ahead is not None and options.advise:
            walk = AdviceAheadWalk(pool, root, options, outcomes)
        told = walk.planned if walk is not None else None

        def stored(outcome: Outcome) -> None:
            keep(outcome)
            if told is not None:
                told(outcome)

        plan_in_workers(left, options, pool, jobs - 1, outcomes, stored)
        made = walk.made() if walk is not None else None
        if ahead is not None and made is not None:
            ahead.append(made)
    pairs = zip(outcomes, paths, strict=True)
    return [(outcome, path) for outcome, path in pairs if outcome is not None], surveyed


class Surveyed:
    """The run's options with the survey of its repository, made when first asked for: what
    the Python modules import from one another, and the projects' claims (``with_projects``),
    of the texts the walk read for them."""

    def __init__(
        self,
        root: Path,
        options: RunOptions,
        texts: dict[Path, str],
        relative_texts: list[tuple[str, str]],
    ) -> None:
        self._root = root
        self._before = options
        self._texts: dict[Path, str] | None = texts
        self._relative_texts: list[tuple[str, str]] | None = relative_texts
        self._options: RunOptions | None = None

    def options(self) -> RunOptions:
        if self._options is None:
            from modernize.rules.importers import surveyed

            options, root = self._before, self._root
            # What the repository's modules import from one another, known before any file
            # changes.
            context = surveyed(options.context, root, options.migrations, self._texts)
            context = with_projects(
                context,
                root,
                options.migrations,
                options.exclude,
                options.exclude_base,
                self._relative_texts,
            )
            self._texts = self._relative_texts = None
            self._options = replace(options, context=context)
        return self._options


def plan_given(candidate: Candidate, source: SourceText | None, options: RunOptions) -> Outcome:
    """Plan ``candidate`` from ``source``, its text as already read; read it first when None."""
    if source is None:
        return plan_file(candidate, options)
    return plan_source(candidate, source, options)


def with_projects(
    context: Context,
    root: Path,
    migrations: Sequence[Migration],
    exclude: Sequence[str],
    exclude_base: Path | None,
    texts: Iterable[tuple[str, str]] | None = None,
    covered: frozenset[str] | None = None,
) -> Context:
    """``context`` with the survey of the run's projects and lockfiles: those among ``texts``
    (``(relative path, text)`` pairs the run read), the others found under ``root`` when the
    run's migrations do not read their kind (a project holds its files back whichever
    migrations run); all found under ``root`` without ``texts``. ``covered``: the kinds
    ``texts`` holds every file of (the run's migrations' kinds by default)."""
    from modernize.rules.workflow_inputs import surveyed_inputs
    from modernize.survey import CLAIMS_MOVED_BY, lock_paths, project_texts, survey

    found = list(texts or ())
    ids = {migration.id for migration in migrations}
    if covered is None:
        covered = frozenset(kind for m in migrations for kind in m.kinds) if texts else frozenset()
    missing = survey_kinds(migrations) - covered
    if missing:
        found += _project_files(root, missing, exclude, exclude_base)
    projects = survey(
        project_texts(found),
        context.targets.python,
        lock_paths(path for path, _ in found),
        # A claim moves only when the migration that moves it runs.
        claims_move=[name for name, moved_by in CLAIMS_MOVED_BY.items() if moved_by in ids],
        inputs=surveyed_inputs(found) if "workflow-python" in ids else None,
    )
    return replace(context, survey=projects)


def survey_kinds(migrations: Iterable[Migration]) -> frozenset[str]:
    """The kinds of the files ``with_projects`` reads for the survey of a run of
    ``migrations``."""
    # The inputs of local workflows and actions matter to the migration that moves their values.
    moves_inputs = any(migration.id == "workflow-python" for migration in migrations)
    return SURVEYED_KINDS | (INPUT_KINDS if moves_inputs else frozenset())


def _project_files(
    root: Path, kinds: frozenset[str], exclude: Sequence[str], exclude_base: Path | None
) -> list[tuple[str, str]]:
    """The readable files that describe projects and the lockfiles (their text not read)
    under ``root`` of ``kinds``."""
    from modernize.workspace.files import discover

    return project_files(discover(root, kinds, exclude, exclude_base))


def project_files(candidates: Iterable[Candidate]) -> list[tuple[str, str]]:
    """``(relative path, text)`` for each readable one of ``candidates`` (a lockfile's text not
    read), for ``with_projects``."""
    found = []
    for candidate in candidates:
        if candidate.skip_reason:
            continue
        if candidate.kind == "lockfile":
            found.append((candidate.relative, ""))
            continue
        try:
            found.append((candidate.relative, read_source(candidate.location).text))
        except ReadError:
            continue  # reported when the file itself is planned or checked
    return found


def lost(candidate: Candidate) -> Outcome:
    outcome = Outcome(candidate.relative, candidate.kind, "failed")
    message = (
        "the worker process planning this file died (killed, or out of memory?); nothing was "
        "written: run again"
    )
    outcome.findings.append(Finding(candidate.relative, 1, message, "error", code=NOT_WRITTEN))
    return outcome


def _touching(candidate: Candidate, source: SourceText, options: RunOptions) -> list[Migration]:
    """The migrations whose text test passes on the file: they may have something to change."""
    test = content_test(candidate.kind)
    if test is not None and not test(source.text):
        return []  # not of its kind after all (an extensionless file that is no Dockerfile)
    return [
        m
        for m in options.migrations
        if candidate.kind in m.kinds and m.may_touch(source.text, options.context)
    ]
