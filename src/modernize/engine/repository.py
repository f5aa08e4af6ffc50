"""Plan a whole tree: walk it, survey it once, plan every file (here and in workers), and
write what changed, all of it or none; never prints. Each file's own plan is ``planning``'s."""

from __future__ import annotations

import itertools
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from modernize.engine import stopping
from modernize.engine.held import STATUS_CODES, HeldOutcomes
from modernize.engine.planning import (
    NOT_WRITTEN,
    RunOptions,
    plan_before_survey,
    read_candidate,
    write_outcome,
)
from modernize.engine.waiting import PackedPaths, Waiting
from modernize.errors import ReadError
from modernize.kinds import INPUT_KINDS, LOCKFILES, PROJECT_FILES, SURVEYED_KINDS
from modernize.model import Finding, Outcome
from modernize.registry import Context, Migration
from modernize.workspace.files import (
    Candidate,
    discover,
    project_trees_below,
    read_source,
)
from modernize.workspace.writing import write_problem

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from modernize.advice.advising import AdviceAhead
    from modernize.engine.workers import EarlyPlans
    from modernize.workspace.spool import Spool


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


#: This process's GIL switch interval while a pool plans with it. The pool's own thread reads
#: each chunk's outcomes from a pipe a few tens of kilobytes at a time, and waits for the GIL
#: between two reads while this process plans (up to 5 ms by default): a chunk of a few
#: hundred kilobytes kept its worker, blocked on the full pipe, idle for 20-40 ms.
POOL_SWITCH_SECONDS = 0.0005

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
) -> Sequence[Outcome]:
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
    stored, not in memory (``Outcome.hunks`` is then a ``Spooled``). A large run's outcomes
    are kept on disk until they are asked for (``HeldOutcomes``): what comes back is then a
    sequence that reads each one back as it is asked for, a list otherwise.
    """
    held = HeldOutcomes(spool)
    switching = sys.getswitchinterval()
    try:
        paths, surveyed = _plan_all(
            root, replace(options, write=False), jobs, held, configured, ahead, options.write
        )
    finally:
        # As it was before the workers' pool (``_plan_all``); unless another run's pool had
        # lowered it already, which that run puts back.
        if switching != POOL_SWITCH_SECONDS:
            sys.setswitchinterval(switching)
    if decisions is not None:
        decisions += repository_decisions(root, surveyed.options())
    write_planned(held, paths, options.write, options.partial)
    return held.present()


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


def write_planned(held: HeldOutcomes, paths: Sequence[str], write: bool, partial: bool) -> None:
    """Write each changed outcome of ``held`` to its file in ``paths`` (when ``write``: a dry
    run plans the same). A failed file holds back every other one, each with an error saying
    why, unless ``partial``: a repository is migrated whole or not at all. Each outcome this
    changes is stored again; a dry run that fails nowhere reads none back."""
    changed, failed = STATUS_CODES["changed"], STATUS_CODES["failed"]
    statuses = held.statuses
    if write and not partial:
        for index in _places(statuses, changed):
            problem = write_problem(Path(paths[index]))
            if problem is not None:
                outcome = _outcome(held, index)
                finding = Finding(outcome.path, 1, problem, "error", code=NOT_WRITTEN)
                _held_back(held, index, outcome, finding)
    first = statuses.find(failed)
    if first >= 0 and not partial:
        count = statuses.count(failed)
        others = _outcome(held, first).path + (f" and {count - 1} more" if count > 1 else "")
        message = (
            f"not written: {others} failed, and a repository is written whole or not at all; "
            "fix it, or pass --partial to write the files that passed"
        )
        for index in _places(statuses, changed):
            outcome = _outcome(held, index)
            finding = Finding(outcome.path, 1, message, "error", code=NOT_WRITTEN)
            _held_back(held, index, outcome, finding)
        return
    to_write = _places(statuses, changed) if write else []
    if held.spilled:
        for index in to_write:
            _outcome(held, index)  # each can be read back (else the run stops) before any write
    for count, index in enumerate(to_write, 1):
        stopping.check()
        outcome = _outcome(held, index)
        try:
            write_outcome(outcome, Path(paths[index]))
        finally:
            held.wrote(count, len(to_write))
            if outcome.status != "changed":
                outcome.advice = None  # made of the text it was not given: read the file
                held[index] = outcome


def _places(statuses: bytearray, code: int) -> list[int]:
    """The places of ``statuses`` that hold ``code``."""
    return [index for index, each in enumerate(statuses) if each == code]


def _outcome(held: HeldOutcomes, index: int) -> Outcome:
    outcome = held[index]
    assert outcome is not None
    return outcome


def _held_back(held: HeldOutcomes, index: int, outcome: Outcome, finding: Finding) -> None:
    """A changed file not written: failed, with ``finding`` saying why."""
    outcome.status = "failed"
    outcome.findings += (finding,)
    outcome.advice = None  # made of the text it was not given: read the file
    held[index] = outcome


def _plan_all(
    root: Path,
    options: RunOptions,
    jobs: int,
    outcomes: HeldOutcomes,
    configured: ConfiguredBelow | None = None,
    ahead: list[AdviceAhead] | None = None,
    writing: bool = True,
) -> tuple[PackedPaths, Surveyed]:
    """Every file's outcome, into ``outcomes`` in the walk's order, planned here or in a
    worker; returns where each file is, and the run's survey (made, or to be made). A run
    that does not write gets no paths (each is ``""``): it holds one path a file already.

    Only the files the survey reads are read here first (the projects' files, the workflows
    whose inputs it follows, the Python modules whose imports it maps); each is planned from
    that text. Every other file is read where it is planned, here or in a worker: each file is
    read once, and this process never holds the whole tree's text. With one process, the
    survey is made when a file that some text test lets through is planned: a pre-commit
    hook's current files never make it."""
    from modernize.rules.workflow_inputs import may_declare_inputs

    ids = {migration.id for migration in options.migrations}
    surveyed_kinds = INPUT_KINDS if "workflow-python" in ids else frozenset()
    if any("python" in migration.kinds for migration in options.migrations):
        surveyed_kinds |= {"python"}
    #: The files to plan (all but those that cannot be read), each read where it is planned
    #: unless the survey read it first.
    tasks = Waiting()
    #: Where each file is (``Candidate.location``), for writing it.
    paths = PackedPaths()
    #: The Python modules read, by resolved path, for the survey of their importers.
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

            kinds = frozenset(tasks.kind(position) for position in range(len(tasks)))
            pool = file_pool(options, jobs - 1, kinds)
            sys.setswitchinterval(POOL_SWITCH_SECONDS)  # until ``run`` has the plan
            early = EarlyPlans(pool, tasks, outcomes)
            early.more()

    trees: list[str] | None = [] if configured is not None else None
    try:
        found = candidates(root, options.migrations, options.exclude, options.exclude_base, trees)
        for candidate in found:
            stopping.check()
            start_pool()
            paths.append(candidate.location if writing else "")
            if typing and candidate.kind == "python":
                threshold = 8
            name = candidate.relative.rsplit("/", 1)[-1]
            if candidate.kind not in surveyed_kinds and name not in PROJECT_FILES:
                # Read where it is planned; the survey needs a lockfile's name only.
                if name in LOCKFILES:
                    relative_texts.append((candidate.relative, ""))
                tasks.append(len(outcomes), candidate, None)
                outcomes.append()
                if early is not None:
                    early.more()
                continue
            started = time.perf_counter()
            source = read_candidate(candidate)
            if isinstance(source, Outcome):
                source.seconds = time.perf_counter() - started
                outcomes.append(source)
                continue
            if candidate.kind == "python":  # what the importers' survey reads (``surveyed``)
                texts[candidate.path.resolve()] = source.text
            if candidate.kind in INPUT_KINDS and not may_declare_inputs(source.text):
                # Known by its path: its text is held for its plan only (``Waiting``).
                relative_texts.append((candidate.relative, ""))
            else:
                relative_texts.append((candidate.relative, source.text))
            tasks.append(len(outcomes), candidate, source)
            outcomes.append()
            if early is not None:
                early.more()
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
        for position in range(len(tasks)):
            stopping.check()
            index, candidate, read = tasks[position]
            tasks.let_go(position)  # the file is held by what is planned of it only
            outcome = plan_before_survey(candidate, options, read, surveyed)
            if outcome is not None:
                outcomes[index] = outcome
        tasks.clear()
    else:
        from modernize.engine.workers import plan_in_workers

        if early is not None:
            try:
                early.collect()
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
        from modernize.engine.workers import AdviceAheadWalk

        walked, statuses = tasks, outcomes.statuses  # none read back
        held = early.held if early is not None else set()

        def left(in_held: bool) -> Iterator[int]:
            for at in range(len(walked)):
                place = walked.place(at)
                if not statuses[place] and (place in held) == in_held:
                    yield at

        # The files planned early are let go of. Those a worker holds, read and tested, go
        # last: the workers plan from the back, so that worker is likely to be given them.
        try:
            tasks = walked.only(itertools.chain(left(False), left(True)))
        except BaseException:  # a text that cannot be read back, or a stop
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        walked.clear()  # the early plan holds it too
        del walked, held
        walk = None
        if ahead is not None and options.advise:
            walk = AdviceAheadWalk(pool, root, options, outcomes)
        told = walk.planned if walk is not None else None
        plan_in_workers(tasks, options, pool, jobs - 1, outcomes, told)
        made = walk.made() if walk is not None else None
        if ahead is not None and made is not None:
            ahead.append(made)
    return paths, surveyed


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
