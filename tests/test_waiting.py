"""What ``engine.waiting.Waiting`` gives back of the files it holds, and how little it holds."""

from __future__ import annotations

import os
import tracemalloc
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from modernize.engine.waiting import PackedPaths, Waiting
from modernize.workspace.files import Candidate, SourceText


def _found(root: str, count: int) -> list[Candidate]:
    return [
        Candidate(os.path.join(root, f"svc{n:05d}/Dockerfile"), f"svc{n:05d}/Dockerfile", "docker")
        for n in range(count)
    ]


def test_each_file_comes_back_as_it_was_added() -> None:
    """Candidates, places (with gaps: files that could not be read have none here) and texts;
    a candidate whose location is not the root's and its relative path, or that carries a
    reason to pass it over, comes back whole."""
    found = _found("/srv/repo", 3)
    named = Candidate("../elsewhere/Dockerfile", "Dockerfile", "docker")
    linked = Candidate("/srv/repo/link.yml", "link.yml", "compose", "a symbolic link")
    odd_prefix = Candidate("/srv/other/x/compose.yml", "x/compose.yml", "compose")
    text = SourceText("FROM python:3.10\n", True)
    tasks = [
        (0, found[0], None),
        (2, found[1], text),
        (3, named, None),
        (7, linked, None),
        (8, odd_prefix, None),
        (9, found[2], None),
    ]
    waiting = Waiting(tasks)
    assert len(waiting) == len(tasks)
    assert [waiting[position] for position in range(len(waiting))] == tasks
    assert waiting[1][2] is text
    assert [waiting.place(p) for p in range(len(waiting))] == [0, 2, 3, 7, 8, 9]
    assert waiting.kind(3) == "compose" and waiting.relative(4) == "x/compose.yml"


def test_a_root_named_as_found_keeps_its_locations() -> None:
    """``.`` as the root: the walk's locations are ``./`` and the relative path."""
    found = _found(".", 2)
    waiting = Waiting((n, candidate, None) for n, candidate in enumerate(found))
    assert [waiting[n][1] for n in range(2)] == found
    assert waiting[0][1].location == "./svc00000/Dockerfile"


def test_a_file_let_go_of_is_not_held() -> None:
    """``hand_on`` lets go of the text only; ``let_go`` of the file's path too."""
    found = _found("/r", 2)
    texts = [SourceText(f"FROM python:3.1{n}\n", False) for n in range(2)]
    watched = [weakref.ref(text) for text in texts]
    waiting = Waiting((n, found[n], texts[n]) for n in range(2))
    del texts
    waiting.hand_on(0)
    assert watched[0]() is None and waiting[0] == (0, found[0], None)
    waiting.let_go(1)
    assert watched[1]() is None and waiting.relative(1) == ""
    with pytest.raises(AssertionError, match="let go of"):
        waiting[1]
    waiting.clear()
    assert len(waiting) == 0


def test_only_keeps_the_files_asked_for_in_that_order() -> None:
    found = _found("/r", 4)
    text = SourceText("x: 1\n", False)
    linked = Candidate("/r/l.yml", "l.yml", "compose", "a symbolic link")
    waiting = Waiting([(0, found[0], None), (1, found[1], text), (2, linked, None)])
    waiting.append(5, found[3], None)
    kept = waiting.only([3, 1, 2])
    assert [kept[n] for n in range(3)] == [
        (5, found[3], None),
        (1, found[1], text),
        (2, linked, None),
    ]
    assert kept.relative(0) is waiting.relative(3)  # the same string, not a copy
    kept.append(6, Candidate("/r/a/compose.yml", "a/compose.yml", "compose"), None)
    assert waiting.kind(0) == "docker" and kept.kind(3) == "compose"


def test_a_file_waiting_costs_a_few_bytes() -> None:
    """The tuple, candidate and two path strings each file was held as cost ~330 bytes; here,
    past the bound, it is its place, its kind and its path packed with its neighbours'."""
    count = 20_000
    root = "/srv/a/rather/long/root/of/a/monorepo"
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        waiting = Waiting((n, candidate, None) for n, candidate in enumerate(_each(root, count)))
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(waiting) == count and waiting.relative(5) == "svc00005/Dockerfile"
    assert waiting[count - 1][1] == next(_each(root, count, count - 1))
    assert held / count < 32


def _each(root: str, count: int, start: int = 0) -> Iterator[Candidate]:
    for n in range(start, count):
        yield Candidate(f"{root}/svc{n:05d}/Dockerfile", f"svc{n:05d}/Dockerfile", "docker")


def test_past_the_bounds_paths_are_packed_and_texts_spooled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With a bound of a few files and bytes, the same files come back: paths from the packs
    (read in any order, more packs than are held unpacked), texts from the spool (a BOM kept);
    a file let go of is let go of in a pack too, and ``only`` carries spooled texts over."""
    from modernize.engine import waiting as module

    monkeypatch.setattr(module, "PATHS_HELD_AT_MOST", 8)
    monkeypatch.setattr(module, "PACKED_TOGETHER", 4)
    monkeypatch.setattr(module, "TEXTS_HELD_AT_MOST", 200)
    odd = Candidate("/r/caf\udce9/Dockerfile", "caf\udce9/Dockerfile", "docker")  # not UTF-8
    found = [*_found("/r", 40), odd]
    texts = [SourceText(f"FROM python:3.10 # {n}\n" * 3, n % 3 == 0) for n in range(len(found))]
    tasks = [(n * 2, candidate, texts[n]) for n, candidate in enumerate(found)]
    waiting = Waiting(tasks)
    assert waiting._relatives._packed >= 8 and waiting._spool is not None
    for position in [*range(len(tasks) - 1, -1, -1), *range(0, len(tasks), 3)]:
        assert waiting[position] == tasks[position]
    waiting.let_go(1)
    waiting.hand_on(30)
    assert waiting.relative(1) == "" and waiting[30][2] is None
    with pytest.raises(AssertionError, match="let go of"):
        waiting[1]
    kept = waiting.only([40, 30, 2, 39])
    assert [kept[n] for n in range(4)] == [
        tasks[40],
        (60, found[30], None),
        tasks[2],
        tasks[39],
    ]


def test_the_survey_holds_no_text_of_a_workflow_that_declares_no_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workflow without inputs is known to the survey by its path (its text waits for its
    plan only); a reusable one's inputs are still followed from its caller."""
    from modernize.engine import repository
    from tests.helpers import run_cli

    reusable = (
        "on:\n  workflow_call:\n    inputs:\n      python-version: {type: string}\n"
        "jobs:\n  t:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - uses: actions/setup-python@v6\n"
        "        with: {python-version: '${{ inputs.python-version }}'}\n"
    )
    caller = (
        "on: push\njobs:\n  t:\n    uses: ./.github/workflows/reusable.yml\n"
        "    with:\n      python-version: '3.10'\n"
    )
    for name, text in {"reusable.yml": reusable, "ci.yml": caller}.items():
        path = tmp_path / ".github" / "workflows" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    seen: dict[str, str] = {}
    real = repository.Surveyed.__init__

    def watched(self: object, root: Path, options: object, texts: object, pairs: Any) -> None:
        seen.update(pairs)
        real(self, root, options, texts, pairs)  # type: ignore[arg-type]

    monkeypatch.setattr(repository.Surveyed, "__init__", watched)
    run = run_cli(["apply", "--dry-run", "-j", "1"], tmp_path)
    assert seen == {".github/workflows/ci.yml": "", ".github/workflows/reusable.yml": reusable}
    assert "-      python-version: '3.10'\n+      python-version: '3.12'\n" in run.stdout


def test_packed_paths_read_as_a_sequence(monkeypatch: pytest.MonkeyPatch) -> None:
    """Held, packed, read in any order and by slices; one forgotten reads "" until packed."""
    from modernize.engine import waiting as module

    monkeypatch.setattr(module, "PATHS_HELD_AT_MOST", 5)
    monkeypatch.setattr(module, "PACKED_TOGETHER", 3)
    names = [f"/repo/svc{n}/Dockerfile" if n % 4 else "" for n in range(23)]
    paths = PackedPaths()
    for name in names:
        paths.append(name)
    assert len(paths) == 23 and paths._packed == 7  # all but the last group
    assert [paths[n] for n in [22, 0, 13, 7, 21, 1]] == [names[n] for n in [22, 0, 13, 7, 21, 1]]
    assert list(paths) == names and paths[3:9] == names[3:9]
    with pytest.raises(IndexError):
        paths[23]
    paths.forget(22)
    assert paths[22] == ""
