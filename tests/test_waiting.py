"""What ``engine.waiting.Waiting`` gives back of the files it holds, and how little it holds."""

from __future__ import annotations

import os
import tracemalloc
import weakref

import pytest

from modernize.engine.waiting import Waiting
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
    found = _found("/work/repo", 3)
    named = Candidate("../elsewhere/Dockerfile", "Dockerfile", "docker")
    linked = Candidate("/work/repo/link.yml", "link.yml", "compose", "a symbolic link")
    odd_prefix = Candidate("/work/other/x/compose.yml", "x/compose.yml", "compose")
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


def test_a_file_waiting_costs_a_few_bytes_beside_its_path() -> None:
    """The tuple, candidate and location string each file was held as cost ~330 bytes beside
    its relative path; here it is its place, its kind and a list's slot."""
    count = 20_000
    found = _found("/work/a/rather/long/root/of/a/monorepo", count)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        waiting = Waiting((n, candidate, None) for n, candidate in enumerate(found))
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(waiting) == count and waiting.relative(5) is found[5].relative
    assert held / count < 32
