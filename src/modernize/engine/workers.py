"""Worker processes: the files of a large repository, and the repositories of a batch.

Each file is still read, verified and written by exactly one process, and each repository is
run by exactly one. A worker that dies (killed, out of memory, a crash in an extension) takes
its pool with it; what it was doing is then an error of its own, never the others'. Starting,
stopping and orphaned workers are ``stopping``'s business.
"""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
import sys
from collections import deque
from collections.abc import Callable, Generator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Literal, TypeVar

from modernize.engine import stopping
from modernize.errors import Interrupted
from modernize.registry import Context
from modernize.workspace.files import Candidate, SourceText

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor
    from pathlib import Path

    from modernize.advice.advising import AdviceAhead
    from modernize.engine.held import Places
    from modernize.engine.planning import RunOptions
    from modernize.engine.waiting import Waiting
    from modernize.model import Outcome
    from modernize.registry import Migration

Task = TypeVar("Task")
Result = TypeVar("Result")

_worker_options: RunOptions | None = None
#: The pickled context ``_worker_options`` holds, as the parent sent it.
_worker_context = b""
#: The fewest files a chunk of ``plan_in_workers`` holds: fewer would cost more to send than
#: to plan.
_LEAST_CHUNK = 8
#: The most files a chunk of ``plan_in_workers`` holds: a worker holds a chunk's outcomes, their
#: diffs rendered, until it sends them back all at once, and this process takes them in at
#: once too. A share of a 2,800-service tree was 2,800 files, 1.5 MB of outcomes sent back.
_MOST_CHUNK = 256
#: The most files this process plans between two looks at the workers' chunks: a worker whose
#: queue ran dry while this process planned a whole share would wait for it.
_MOST_BETWEEN_LOOKS = 16
#: The files this worker read and tested before the survey that a text test let through, by
#: location: their text, and the migrations whose test passed.
#: The plan gives them to the workers first, so this worker is likely to plan them without
#: reading and testing them again (``_plan_in_worker``); any other process just reads them.
_held: dict[str, tuple[SourceText, Sequence[Migration]]] = {}
_held_bytes = 0
#: The most bytes of files' texts a worker holds (on the 700-service stale tree it holds
#: 0.4-0.7 MB).
_MOST_HELD_BYTES = 1_000_000
#: The most files ``EarlyPlans`` has sent that have not come back: on the 700-service stale
#: tree the workers plan some 1,200 files while the tree is walked and surveyed.
_MOST_EARLY_SENT = 2048
#: What ``_plan_before_survey_in_worker`` sends back for a file it holds.
HELD = "held"
#: How often a batch's wait for its repositories looks whether a stop was asked for.
_POLL_SECONDS = 0.25


def _start_worker(
    parent_pid: int,
    migration_ids: tuple[str, ...],
    context: Context,
    write: bool,
    hunks: bool,
    keep_bytes: bool,
    advise: Literal["", "read", "written"] = "",
    kinds: frozenset[str] = frozenset(),
) -> None:
    """Set the worker up: it stops with its parent, and it finds the run's migrations by ID
    in its own registry (each is a module of ``modernize.migrations``, imported once per
    process), so only their IDs are sent to it. The survey's context comes with each chunk:
    the pool starts while the tree is still being walked, before the survey is made. Meanwhile
    the worker imports the migrations of ``kinds`` (those of the files found so far)."""
    from modernize.engine.planning import RunOptions
    from modernize.entry import tune_collector
    from modernize.registry import import_modules, load_migrations

    global _worker_options
    stopping.die_with_parent(parent_pid)
    chosen = tuple(m for m in load_migrations() if m.id in migration_ids)
    # A module that fails to import fails again at its first call, where the file's error is.
    with contextlib.suppress(Exception):
        import_modules(m for m in chosen if m.kinds & kinds)
    # Workers get candidates, not a tree; they render the diffs' hunks when the run shows them,
    # and make each file's advice for the hazards when the run counts them.
    _worker_options = RunOptions(
        context, chosen, write, hunks=hunks, keep_bytes=keep_bytes, advise=advise
    )
    tune_collector()


def _plan_in_worker(
    context: bytes, tasks: list[tuple[Candidate, SourceText | None]]
) -> list[Outcome]:
    """Plan a chunk in ``context`` (pickled once by the parent, unpickled once here)."""
    from modernize.engine.planning import plan_given, plan_source

    global _worker_options, _worker_context
    assert _worker_options is not None
    stopping.exit_if_orphaned()
    if context != _worker_context:
        _worker_options = replace(_worker_options, context=pickle.loads(context))
        _worker_context = context
    planned = []
    for candidate, source in tasks:
        held = _held.pop(candidate.location, None) if source is None else None
        if held is None:
            planned.append(plan_given(candidate, source, _worker_options))
            continue
        kept, touching = held
        planned.append(plan_source(candidate, kept, _worker_options, touching))
    return planned


def _plan_before_survey_in_worker(
    tasks: list[tuple[int, Candidate, SourceText | None]],
) -> list[Outcome | float | str | None]:
    """``plan_before_survey`` for each of a chunk of files found while the tree is walked. An
    outcome that only says the file is unchanged comes back as its seconds, which is all that
    needs to cross between processes (``EarlyPlans`` makes it again as it takes the chunk in).
    A file left for the plan that this worker read is held for it, while they fit
    (``_MOST_HELD_BYTES``), and comes back as ``HELD``."""
    from modernize.engine.planning import plan_before_survey

    assert _worker_options is not None
    stopping.exit_if_orphaned()
    planned: list[Outcome | float | str | None] = []
    for _, candidate, read in tasks:
        hold = None if read is not None else functools.partial(_hold, candidate)
        outcome = plan_before_survey(candidate, _worker_options, read, hold=hold)
        if outcome is not None and outcome == _unchanged(
            candidate.relative, candidate.kind, outcome.seconds
        ):
            planned.append(outcome.seconds)
        elif outcome is None and candidate.location in _held:
            planned.append(HELD)
        else:
            planned.append(outcome)
    return planned


def _hold(candidate: Candidate, source: SourceText, touching: Sequence[Migration]) -> None:
    """Keep the file's text and the migrations whose test passed for its plan, if they fit."""
    global _held_bytes
    size = sys.getsizeof(source.text)  # 1 to 4 bytes a character
    if _held_bytes + size <= _MOST_HELD_BYTES:
        _held[candidate.location] = (source, tuple(touching))
        _held_bytes += size


def _advice_ahead_in_worker(
    root: Path,
    exclude: tuple[str, ...],
    exclude_base: Path | None,
    planned: frozenset[str],
    lacking: frozenset[str],
) -> AdviceAhead:
    from modernize.advice.advising import advice_ahead

    stopping.exit_if_orphaned()
    return advice_ahead(root, exclude, exclude_base, planned, lacking)


def _unchanged(relative: str, kind: str, seconds: float) -> Outcome:
    from modernize.model import Outcome

    return Outcome(relative, kind, "unchanged", seconds=seconds)


class EarlyPlans:
    """The files the workers plan while this process still walks the tree and surveys it:
    the files of ``waiting`` are sent as they are found, in chunks of ``size``, to be read
    (unless the survey read them already), given the text tests and parsed
    (``plan_before_survey``), and each outcome made is put in ``outcomes``. Most files of a
    repository are done then; the others are planned with the survey, as without it. No more
    than ``_MOST_EARLY_SENT`` files are sent and not back at once: the walk is faster than the
    workers, and what is sent is held whole (its candidates, in the pool's queue) until a
    worker takes it; the others wait in ``waiting``, as small as they can be, for the plan."""

    def __init__(
        self, pool: ProcessPoolExecutor, waiting: Waiting, outcomes: Places, size: int = 32
    ) -> None:
        self.pool, self.waiting, self.outcomes, self.size = pool, waiting, outcomes, size
        #: The position in ``waiting`` of the first file not sent.
        self.next = 0
        #: Each chunk sent, oldest first, as its future and the positions of its files.
        self.sent: deque[tuple[Future[list[Outcome | float | str | None]], range]] = deque()
        self.unanswered = 0
        #: The places of the files a worker holds for the plan (``HELD``).
        self.held: set[int] = set()

    def more(self) -> None:
        """Take in the chunks answered, oldest first, and send the files found since the last
        chunk sent, a whole chunk at a time, while few enough are unanswered."""
        while self.sent and self.sent[0][0].done():
            self._take(*self.sent.popleft())
        while (
            len(self.waiting) - self.next >= self.size
            and self.unanswered + self.size <= _MOST_EARLY_SENT
        ):
            self._send(self.next + self.size)

    def flush(self) -> None:
        """Send the last files found, if there is room for them."""
        self.more()
        if self.next < len(self.waiting) and self.unanswered + self.size <= _MOST_EARLY_SENT:
            self._send(min(len(self.waiting), self.next + self.size))

    def _send(self, end: int) -> None:
        waiting, positions = self.waiting, range(self.next, end)
        chunk = [waiting[position] for position in positions]
        self.sent.append((self.pool.submit(_plan_before_survey_in_worker, chunk), positions))
        self.next = end
        self.unanswered += len(positions)

    def _take(self, future: Future[list[Outcome | float | str | None]], positions: range) -> None:
        self.unanswered -= len(positions)
        if future.cancelled():
            return
        try:
            planned = future.result()
        except Exception:
            return  # planned again with the others, where the death is reported
        waiting, outcomes = self.waiting, self.outcomes
        for position, outcome in zip(positions, planned, strict=True):
            place = waiting.place(position)
            if isinstance(outcome, float):
                relative, kind = waiting.relative(position), waiting.kind(position)
                outcomes[place] = _unchanged(relative, kind, outcome)
            elif isinstance(outcome, str):  # HELD
                self.held.add(place)
                continue
            elif outcome is not None:
                outcomes[place] = _named(outcome, waiting.relative(position))
            else:
                continue
            waiting.let_go(position)

    def collect(self) -> None:
        """Put each early outcome in ``outcomes``. The chunks no worker has started are
        cancelled: their files are planned with the others, by this process too, instead of
        waiting for a worker. A chunk whose worker died is planned again with them (the plan
        reports that death)."""
        for future, _ in reversed(self.sent):
            future.cancel()
        while self.sent:
            self._take(*self.sent.popleft())


def _named(outcome: Outcome, relative: str) -> Outcome:
    """``outcome``, come back from a worker, named by its file's ``relative`` path, the string
    this process holds already, instead of a copy of it (one a file of a large run)."""
    if outcome.path == relative:
        outcome.path = relative
    return outcome


def file_pool(
    options: RunOptions, workers: int, kinds: frozenset[str] = frozenset()
) -> ProcessPoolExecutor:
    """The pool of ``workers`` processes for a repository's files, started before the survey
    (its context goes with each chunk): forked while the tree is still being walked, they hold
    less of this process's memory, and they are ready when the plan starts, the migrations of
    ``kinds`` (the kinds of the files found so far) imported."""
    from concurrent.futures import ProcessPoolExecutor

    ids = tuple(migration.id for migration in options.migrations)
    pool = ProcessPoolExecutor(
        max_workers=workers,
        initializer=_start_worker,
        initargs=(
            os.getpid(),
            ids,
            options.context,
            options.write,
            options.hunks,
            options.keep_bytes,
            options.advise,
            kinds,
        ),
    )
    # The processes themselves, now (a pool forks its workers at the first task otherwise).
    pool.submit(os.getpid)
    return pool


class AdviceAheadWalk:
    """The hazards' walk one worker of ``pool`` makes while the plan goes on
    (``advising.advice_ahead``), asked for once a planned file moves a version: the run will
    count the hazards at its end. It makes the advice of the files of kinds the run does not
    plan, and of those ``outcomes`` holds without it when it is asked (the files planned before
    the survey, which no text test let through)."""

    def __init__(
        self,
        pool: ProcessPoolExecutor,
        root: Path,
        options: RunOptions,
        outcomes: Places,
    ) -> None:
        from modernize.advice.advising import POSTGRES_MIGRATION

        self.pool, self.root, self.options, self.outcomes = pool, root, options, outcomes
        self.moving = {m.id for m in options.migrations if m.moves} | {POSTGRES_MIGRATION}
        self.asked = False
        self.future: Future[AdviceAhead] | None = None

    def planned(self, outcome: Outcome) -> None:
        """Told of each outcome the plan stores (``plan_in_workers``)."""
        if self.asked or not any(edit.migration in self.moving for edit in outcome.edits):
            return
        from concurrent.futures.process import BrokenProcessPool

        from modernize.kinds import ADVISED

        self.asked = True
        options = self.options
        planned = frozenset(kind for migration in options.migrations for kind in migration.kinds)
        lacking = frozenset(
            outcome.path
            for outcome in self.outcomes
            if outcome is not None and outcome.advice is None and outcome.kind in ADVISED
        )
        # A pool broken or shut down: the plan says so where it waits for it.
        with contextlib.suppress(BrokenProcessPool, RuntimeError):
            self.future = self.pool.submit(
                _advice_ahead_in_worker,
                self.root,
                options.exclude,
                options.exclude_base,
                planned,
                lacking,
            )

    def made(self) -> AdviceAhead | None:
        """Once the pool is shut down: what the walk made (see ``_with_lacking``); None when
        none was made (nothing moved, or its worker died: the count walks the tree itself)."""
        future = self.future
        if future is None or not future.done() or future.cancelled() or future.exception():
            return None
        return _with_lacking(future.result(), self.outcomes)


def _with_lacking(ahead: AdviceAhead, outcomes: Places) -> AdviceAhead:
    """Give each outcome the advice made ahead for it (a file that cannot be read is read
    again, to say so, when the hazards are counted), stored again; kept, the rest."""
    for index, outcome in enumerate(outcomes):
        if outcome is not None and outcome.advice is None:
            made = ahead.lacking.get(outcome.path)
            if made is not None and not isinstance(made, str):
                outcome.advice = made
                outcomes[index] = outcome
    return replace(ahead, lacking={})


def plan_in_workers(
    tasks: Waiting,
    options: RunOptions,
    pool: ProcessPoolExecutor,
    workers: int,
    outcomes: Places,
    planned: Callable[[Outcome], None] | None = None,
) -> None:
    """Plan each file of ``tasks`` into its place in ``outcomes`` in this process and the
    ``workers`` of ``pool`` (a worker reads a file whose text was not read), telling
    ``planned`` of each outcome as it comes; the pool is shut down by the time this returns or
    raises. ``tasks`` is emptied: each file is let go of once it is planned (its text once it
    is sent to a worker), so that this process does not hold the whole walk as well as the
    outcomes.

    The tasks are taken in chunks: this process plans them from the front, the workers from
    the back, so all finish at about the same time whatever each file costs, and only the
    workers' outcomes cross between processes. Each chunk is a share of what is left, so the
    chunks shrink as the two ends meet: the last one, which the others may wait for, is
    small. No chunk holds more than ``_MOST_CHUNK`` files, so that what crosses at once does
    not grow with the tree. This process looks at the workers' chunks every few files it
    plans, and gives each worker its next chunk as soon as it takes the one queued."""
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    from modernize.engine.planning import lost, plan_given

    front, back = 0, len(tasks)  # the files at front..back are not taken yet
    #: The positions of the files of each chunk a worker has.
    sent: dict[Future[list[Outcome]], range] = {}
    context = pickle.dumps(options.context)

    def share() -> int:
        return min(_MOST_CHUNK, max(_LEAST_CHUNK, (back - front) // ((workers + 1) * 4)))

    def send() -> None:
        """Keep each worker one chunk ahead (a chunk queued behind the one it plans)."""
        nonlocal back
        while len(sent) < 2 * workers and back > front:
            positions = range(max(front, back - share()), back)
            chunk = [tasks[position][1:] for position in positions]
            # Submitted first: a pool already broken raises here, and the chunk's files are
            # still waiting, to be made errors with the others.
            future = pool.submit(_plan_in_worker, context, chunk)
            for position in positions:
                tasks.hand_on(position)
            sent[future] = positions
            back = positions.start

    def receive(timeout: float | None) -> None:
        done, _ = wait(sent, timeout=timeout, return_when=FIRST_COMPLETED)
        broken: BaseException | None = None
        for future in done:
            try:
                planned_there = future.result()
            except BrokenProcessPool as error:
                broken = error  # the chunks that did come back are stored first
                continue
            for position, outcome in zip(sent.pop(future), planned_there, strict=True):
                outcomes[tasks.place(position)] = _named(outcome, tasks.relative(position))
                tasks.let_go(position)
            if planned is not None:  # once the chunk is stored whole
                for outcome in planned_there:
                    planned(outcome)
        if broken is not None:
            raise broken

    try:
        send()
        while front < back:
            start = front
            front = min(back, front + min(share(), _MOST_BETWEEN_LOOKS))
            for position in range(start, front):
                stopping.check()
                index, candidate, source = tasks[position]
                tasks.let_go(position)
                outcome = outcomes[index] = plan_given(candidate, source, options)
                if planned is not None:
                    planned(outcome)
            if any(future.done() for future in sent):
                receive(0)
                send()
        while sent:
            stopping.check()
            receive(_POLL_SECONDS)
    except BrokenProcessPool:
        # A worker died (killed, out of memory) and took the pool with it. The files whose
        # outcome never came back are errors that say so, and hold the repository back (workers
        # only plan: nothing is written until every file is planned); a second run finishes
        # the job. (Unless the user stopped the run, and the workers with it, before this
        # process heard of it.)
        pool.shutdown(wait=False, cancel_futures=True)
        stopping.check()
        unplanned = [position for positions in sent.values() for position in positions]
        unplanned += range(front, back)
        for position in unplanned:
            index = tasks.place(position)
            if outcomes[index] is None:
                outcomes[index] = lost(tasks.candidate(position))
        tasks.clear()
        return
    except BaseException:
        # Interrupted, or failed: the queued files are dropped, not waited for. A file a
        # worker is writing is still replaced whole or not at all.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    tasks.clear()
    pool.shutdown()


def each_in_workers(
    run: Callable[[Task], Result],
    tasks: Sequence[Task],
    workers: int,
    died: Callable[[Task], Result],
) -> Generator[tuple[int, Result], None, None]:
    """``run(task)`` for every task in ``workers`` processes; yield ``(index, result)`` as each
    finishes, in whatever order that is. A task whose worker died runs again alone, and
    ``died(task)`` is its result if that worker dies too."""
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    crashed: list[int] = []
    pool = ProcessPoolExecutor(
        max_workers=workers, initializer=stopping.die_with_parent, initargs=(os.getpid(),)
    )
    try:
        futures: dict[Future[Result], int] = {
            pool.submit(run, task): index for index, task in enumerate(tasks)
        }
        pending = set(futures)
        while pending:
            # A bounded wait: a stop whose exception CPython dropped (raised inside the pool's
            # own bookkeeping, say) is still seen here, instead of waiting for ever on a task
            # the dropped exception kept from being sent.
            done, pending = wait(pending, timeout=_POLL_SECONDS, return_when=FIRST_COMPLETED)
            stopping.check()
            for future in done:
                try:
                    result = future.result()
                except BrokenProcessPool:
                    crashed.append(futures[future])
                    continue
                yield futures[future], result
    except Interrupted:
        # Ctrl-C: tasks not started are dropped and running ones are not waited for
        # (they stop with this process); every file is written whole or not at all.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    except BaseException:
        # Stopped early: by an error (while printing, say), tasks not started are dropped
        # and running ones finish, as every write is atomic anyway; by an interrupt that
        # reached the caller (the printing loop) instead, nothing is waited for.
        pool.shutdown(wait=not stopping.requested, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    # Which task a dead worker was running is unknown, so each unfinished one runs again in a
    # process of its own, where a second death can only be its own. (Files a first attempt
    # wrote count as unchanged the second time: the tree is right, its counts may be low.)
    for index in sorted(crashed):
        yield index, _alone(run, tasks[index], died)


def _alone(run: Callable[[Task], Result], task: Task, died: Callable[[Task], Result]) -> Result:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(
        max_workers=1, initializer=stopping.die_with_parent, initargs=(os.getpid(),)
    ) as alone:
        try:
            return alone.submit(run, task).result()
        except BrokenProcessPool:
            return died(task)
