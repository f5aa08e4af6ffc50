"""How ``workers.plan_in_workers`` shares a repository's files with its workers: what it lets go
of as it goes, and what a pool that breaks leaves behind. The pools here are stand-ins that
answer in this process, so each case is exact."""

from __future__ import annotations

import weakref
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest

from modernize.engine import planning, repository, workers
from modernize.engine.waiting import Waiting
from modernize.model import Outcome
from modernize.registry import Context, load_migrations
from modernize.targets import Targets
from modernize.workspace.files import SourceText


def _setup(tmp_path: Path, count: int, texts: bool = False) -> tuple[planning.RunOptions, Waiting]:
    """``count`` stale Dockerfiles to plan; with ``texts``, each with the text read of it."""
    for n in range(count):
        folder = tmp_path / f"svc{n:03d}"
        folder.mkdir()
        (folder / "Dockerfile").write_text("FROM python:3.10-slim\n")
    migrations = tuple(m for m in load_migrations() if m.id == "python-base-image")
    options = planning.RunOptions(Context(Targets()), migrations, False)
    found = repository.candidates(tmp_path, migrations)
    text = SourceText("FROM python:3.10-slim\n", False) if texts else None
    return options, Waiting(
        (i, c, SourceText(text.text, False) if text else None) for i, c in enumerate(found)
    )


def _names(tasks: Waiting) -> list[str]:
    return [tasks[position][1].relative for position in range(len(tasks))]


class _Pool:
    """Answers each chunk at once with the files it names as unchanged; ``broken`` chunks
    (counted from 0) break the pool instead, as a worker that died does."""

    def __init__(self, broken: frozenset[int] = frozenset()) -> None:
        self.broken, self.sent = broken, 0
        self.chunks: list[list[str]] = []

    def submit(self, _function: object, _context: bytes, chunk: list[Any]) -> Future[object]:
        future: Future[object] = Future()
        if self.sent in self.broken:
            future.set_exception(BrokenProcessPool("a worker died"))
        else:
            planned = [Outcome(c.relative, c.kind, "unchanged") for c, _ in chunk]
            future.set_result(planned)
        self.chunks.append([c.relative for c, _ in chunk])
        self.sent += 1
        return future

    def shutdown(self, **_: object) -> None:
        pass


def test_each_file_is_let_go_of_once_it_is_planned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tasks are emptied, and a file's text is not held once it is planned (or sent to a
    worker): by the last file this process plans, nearly all of them are gone."""
    options, tasks = _setup(tmp_path, 300, texts=True)
    watched = [weakref.ref(tasks[position][2]) for position in range(len(tasks))]
    alive: list[int] = []
    real_plan = planning.plan_given

    def planning_here(*args: Any) -> Outcome:
        alive.append(sum(ref() is not None for ref in watched))
        return real_plan(*args)

    monkeypatch.setattr(planning, "plan_given", planning_here)
    outcomes: list[Outcome | None] = [None] * len(tasks)
    pool = _Pool()
    workers.plan_in_workers(tasks, options, pool, 1, outcomes)  # type: ignore[arg-type]
    assert len(tasks) == 0
    assert None not in outcomes
    first_sent = len(pool.chunks[0]) + len(pool.chunks[1])
    assert alive[0] == 300 - first_sent  # all but the worker's first two chunks, at first
    assert alive[-1] == 1  # the one being planned only, at the end
    assert all(ref() is None for ref in watched)


def test_a_pool_that_breaks_makes_errors_of_the_files_no_one_planned(tmp_path: Path) -> None:
    """The files of the chunk whose worker died, and those no one had taken yet, are errors
    that say so; the files planned here or come back from a worker keep their outcomes (a
    chunk that came back beside the broken one too)."""
    options, tasks = _setup(tmp_path, 200)
    names = _names(tasks)
    pool = _Pool(broken=frozenset({2}))
    outcomes: list[Outcome | None] = [None] * len(tasks)
    workers.plan_in_workers(tasks, options, pool, 1, outcomes)  # type: ignore[arg-type]
    assert None not in outcomes
    by_name = {o.path: o for o in outcomes if o is not None}
    assert sorted(by_name) == sorted(names)
    lost = {name for name, o in by_name.items() if o.status == "failed"}
    assert set(pool.chunks[2]) <= lost
    assert len(pool.chunks) == 4  # two at first, then two more, done at once
    returned = {name for at, chunk in enumerate(pool.chunks) if at != 2 for name in chunk}
    assert all(by_name[name].status == "unchanged" for name in returned)
    planned_here = set(names) - lost - {name for chunk in pool.chunks for name in chunk}
    assert planned_here and all(by_name[name].status == "changed" for name in planned_here)
    for name in lost:
        assert "planning this file died" in by_name[name].findings[0].message


def test_no_chunk_grows_with_the_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A chunk is a share of the files left, but never more than ``_MOST_CHUNK`` of them: what
    a worker holds and sends back at once stays the same on a larger tree. Every file is
    planned once, here or in a worker."""
    options, tasks = _setup(tmp_path, 300)
    names = sorted(_names(tasks))
    monkeypatch.setattr(workers, "_MOST_CHUNK", 16)  # a share of 300 files is 37 at first
    pool = _Pool()
    outcomes: list[Outcome | None] = [None] * len(tasks)
    workers.plan_in_workers(tasks, options, pool, 1, outcomes)  # type: ignore[arg-type]
    assert max(len(chunk) for chunk in pool.chunks) == 16
    assert sorted(o.path for o in outcomes if o is not None) == names
    sent = [name for chunk in pool.chunks for name in chunk]
    assert len(sent) == len(set(sent))


class _BrokenAlready:
    """A pool whose worker died before the plan began (while the early chunks were planned):
    it takes no chunk at all."""

    def submit(self, *_args: object) -> Future[object]:
        raise BrokenProcessPool("a worker died")

    def shutdown(self, **_: object) -> None:
        pass


def test_a_pool_broken_before_the_plan_makes_errors_of_every_file(tmp_path: Path) -> None:
    """No file goes missing: the chunk that could not be sent is still the run's, each of its
    files an error, as is every other file."""
    options, tasks = _setup(tmp_path, 200)
    outcomes: list[Outcome | None] = [None] * len(tasks)
    workers.plan_in_workers(tasks, options, _BrokenAlready(), 1, outcomes)  # type: ignore[arg-type]
    assert None not in outcomes
    assert {o.status for o in outcomes if o is not None} == {"failed"}


def test_the_switch_interval_is_short_while_workers_plan_and_restored_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pool's thread reads the workers' outcomes between this process's files: while a
    pool plans, this process gives up the GIL sooner; once the plan is made, the interval is
    what it was, even when the plan fails."""
    import sys

    options, _ = _setup(tmp_path, repository.PARALLEL_THRESHOLD + 8)
    seen: list[float] = []
    real = workers.plan_in_workers

    def watched(*args: Any) -> None:
        seen.append(sys.getswitchinterval())
        real(*args)

    monkeypatch.setattr(workers, "plan_in_workers", watched)
    before = sys.getswitchinterval()
    outcomes = repository.run(tmp_path, options, jobs=2)
    assert seen == [pytest.approx(repository.POOL_SWITCH_SECONDS)] != [before]
    assert [outcome.status for outcome in outcomes] == ["changed"] * len(outcomes)
    assert sys.getswitchinterval() == before

    def failing(_tasks: object, _options: object, pool: Any, *_args: Any) -> None:
        pool.shutdown()
        raise RuntimeError("a bug")

    monkeypatch.setattr(workers, "plan_in_workers", failing)
    with pytest.raises(RuntimeError):
        repository.run(tmp_path, options, jobs=2)
    assert sys.getswitchinterval() == before


class _Holding:
    """A pool whose chunks are answered when the test says so: each file unchanged, but the
    ones named in ``held`` (a worker holds them) and ``left`` (the plan needs the survey)."""

    def __init__(self, held: frozenset[str] = frozenset(), left: frozenset[str] = frozenset()):
        self.futures: list[tuple[Future[object], list[Any]]] = []
        self.held, self.left = held, left

    def submit(self, _function: object, chunk: list[Any]) -> Future[object]:
        future: Future[object] = Future()
        self.futures.append((future, chunk))
        return future

    def answer(self, count: int) -> None:
        for future, chunk in self.futures[:count]:
            if future.done():
                continue
            future.set_running_or_notify_cancel()
            answers: list[object] = []
            for _, candidate, _ in chunk:
                if candidate.relative in self.held:
                    answers.append(workers.HELD)
                elif candidate.relative in self.left:
                    answers.append(None)
                else:
                    answers.append(0.001)
            future.set_result(answers)

    def sent(self) -> int:
        return sum(len(chunk) for _, chunk in self.futures)


def test_the_early_plan_sends_no_more_than_a_bound_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The walk outruns the workers: what is sent and not answered stays under
    ``_MOST_EARLY_SENT`` files, the others wait as they are; answers are taken in as the walk
    goes, which sends more. At the end, what was answered is stored (a file a worker holds, or
    that waits for the survey, has no outcome yet) and the chunks not started are cancelled."""
    monkeypatch.setattr(workers, "_MOST_EARLY_SENT", 64)
    _, found = _setup(tmp_path, 200)
    pool = _Holding(held=frozenset({"svc070/Dockerfile"}), left=frozenset({"svc071/Dockerfile"}))
    waiting = Waiting()
    outcomes: list[Outcome | None] = []
    early = workers.EarlyPlans(pool, waiting, outcomes, size=8)  # type: ignore[arg-type]
    for position in range(100):
        waiting.append(*found[position])
        outcomes.append(None)
        early.more()
    assert pool.sent() == 64 and early.unanswered == 64
    pool.answer(3)  # 24 files
    for position in range(100, 200):
        waiting.append(*found[position])
        outcomes.append(None)
        early.more()
    assert pool.sent() == 88 and early.unanswered == 64
    assert sum(o is not None for o in outcomes) == 24
    assert waiting.relative(0) == "" and waiting.relative(30) != ""  # let go of once stored
    pool.answer(9)  # the chunks up to svc071 (the ninth of eight files), running or done
    early.collect()
    assert all(future.cancelled() for future, _ in pool.futures[9:])
    stored = {o.path for o in outcomes if o is not None}
    assert stored == {f"svc{n:03d}/Dockerfile" for n in range(72)} - {
        "svc070/Dockerfile",
        "svc071/Dockerfile",
    }
    assert early.held == {70}
    assert all(o.status == "unchanged" for o in outcomes if o is not None)
