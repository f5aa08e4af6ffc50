"""The Dockerfile stage model: (source, expected) tables."""

from __future__ import annotations

import pytest

from modernize.formats.dockerfile import parse

# Each stage as (number, FROM index, end index, base, name, parent).
STAGES = [
    ("", []),
    ("ARG V=1\n", []),
    ("FROM python:3.12\nRUN a\n", [(0, 0, 2, "python:3.12", None, None)]),
    (
        "FROM python:3.12 AS build\nRUN a\nFROM build\nCMD x\n",
        [(0, 0, 2, "python:3.12", "build", None), (1, 2, 4, "build", None, 0)],
    ),
    (  # names compare case-insensitively; the AS keyword too
        "FROM python:3.12 as Build\nFROM BUILD AS final\n",
        [(0, 0, 1, "python:3.12", "Build", None), (1, 1, 2, "BUILD", "final", 0)],
    ),
    (  # a FROM names an earlier stage by name only, never by number nor itself
        "FROM a AS one\nFROM 0\nFROM two AS two\n",
        [(0, 0, 1, "a", "one", None), (1, 1, 2, "0", None, None), (2, 2, 3, "two", "two", None)],
    ),
    (  # a later stage of the same name is the one later lines name
        "FROM a AS b\nFROM c AS b\nFROM b\n",
        [(0, 0, 1, "a", "b", None), (1, 1, 2, "c", "b", None), (2, 2, 3, "b", None, 1)],
    ),
    (
        "FROM --platform=$BUILDPLATFORM golang AS go\nFROM --platform=linux/amd64\n",
        [(0, 0, 1, "golang", "go", None), (1, 1, 2, None, None, None)],
    ),
]


@pytest.mark.parametrize(("source", "expected"), STAGES)
def test_stages(source: str, expected: list[tuple[object, ...]]) -> None:
    found = parse(source).stages.stages
    assert [
        (s.number, s.start, s.end, s.base.text if s.base else None, s.name, s.parent) for s in found
    ] == expected


GLOBAL_ARGS = [
    ("ARG A\nARG B=1\nFROM x\nARG C\n", [0, 1]),
    ("# syntax=docker/dockerfile:1\nARG A\nFROM x\n", [0]),
    ("FROM x\nARG A\n", []),
    ("ARG A\n", [0]),
    ("LABEL a=b\nARG A\nFROM x\n", [1]),
]


@pytest.mark.parametrize(("source", "expected"), GLOBAL_ARGS)
def test_global_args(source: str, expected: list[int]) -> None:
    assert parse(source).stages.global_args == expected


SOURCE = "ARG V\nFROM a AS build\nRUN x\nFROM b AS 1\nCOPY --from=build /a /b\nFROM build\n"

FIND = [
    ("build", 0),
    ("BUILD", 0),
    ("0", 0),
    ("1", 1),  # a stage named "1" is stage 1 here too
    ("2", 2),
    ("3", None),
    ("b", None),  # an image, not a stage
]


@pytest.mark.parametrize(("reference", "expected"), FIND)
def test_find(reference: str, expected: int | None) -> None:
    stage = parse(SOURCE).stages.find(reference)
    assert (stage.number if stage else None) == expected


def test_a_name_wins_over_a_number() -> None:
    stages = parse("FROM a AS 1\nFROM b\n").stages
    assert stages.find("1") == stages.stages[0]


HOLDING = [(0, None), (1, 0), (2, 0), (3, 1), (4, 1), (5, 2)]


@pytest.mark.parametrize(("index", "expected"), HOLDING)
def test_holding(index: int, expected: int | None) -> None:
    stage = parse(SOURCE).stages.holding(index)
    assert (stage.number if stage else None) == expected


CHAINS = [
    ("FROM a\n", [0]),
    ("FROM a AS x\nFROM b\n", [1]),
    ("FROM a AS x\nFROM x AS y\nFROM c\nFROM y\n", [0, 1, 3]),
]


@pytest.mark.parametrize(("source", "expected"), CHAINS)
def test_chain(source: str, expected: list[int]) -> None:
    stages = parse(source).stages
    assert [stage.number for stage in stages.chain(stages.stages[-1])] == expected
