"""The Dockerfile scanner: (source, instructions as (KEYWORD, arguments, heredoc bodies))."""

from __future__ import annotations

import pytest

from modernize.formats.dockerfile import parse

CASES = [
    ("FROM python:3.12\n", [("FROM", "python:3.12", ())]),
    ("from  python:3.12  as  build", [("FROM", "python:3.12 as build", ())]),
    (
        "RUN a \\\n    # comment inside\n\n    && b\nCMD x\n",
        [("RUN", "a && b", ()), ("CMD", "x", ())],
    ),
    ("RUN a \\\r\n  b\r\nUSER app\r\n", [("RUN", "a b", ()), ("USER", "app", ())]),
    (
        "RUN <<EOF\nFROM python:3.9\nEOF\nFROM python:3.10\n",
        [("RUN", "<<EOF", ("FROM python:3.9\n",)), ("FROM", "python:3.10", ())],
    ),
    (
        "RUN <<-'END' bash\n\techo hi\n\tEND\nUSER x\n",
        [("RUN", "<<-'END' bash", ("\techo hi\n",)), ("USER", "x", ())],
    ),
    (
        "COPY <<A <<B /dst/\na\nA\nb\nB\nUSER x\n",
        [("COPY", "<<A <<B /dst/", ("a\n", "b\n")), ("USER", "x", ())],
    ),
    (
        "# escape=`\nRUN dir C:\\ `\n  /w\nFROM x\n",
        [("RUN", "dir C:\\ /w", ()), ("FROM", "x", ())],
    ),
    ("# syntax = docker/dockerfile:1\n# a comment\nFROM a", [("FROM", "a", ())]),
    ("  \t\n# only comments\n", []),
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_instructions(source: str, expected: list[tuple[str, str, tuple[str, ...]]]) -> None:
    assert parse(source).data() == expected


def test_directives_only_at_the_top() -> None:
    parsed = parse("# syntax=docker/dockerfile:1\n# escape=`\nFROM a\n# escape=\\\n")
    assert parsed.directives == {"syntax": "docker/dockerfile:1", "escape": "`"}
    assert parsed.escape == "`"
    assert parse("FROM a\n# escape=`\n").directives == {}


def test_word_offsets_point_into_the_text() -> None:
    source = "FROM --platform=$BUILDPLATFORM \\\n   python:3.10-slim AS build\n"
    parsed = parse(source)
    for word in parsed.instructions[0].words:
        assert source[word.start : word.end] == word.text
    assert [w.text for w in parsed.instructions[0].words] == [
        "--platform=$BUILDPLATFORM",
        "python:3.10-slim",
        "AS",
        "build",
    ]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("COPY --from=build /a /b\n", [("copy", "build")]),
        ("COPY --chown=app --FROM=0 /a /b\n", [("copy", "0")]),
        ("COPY --from=ghcr.io/astral-sh/uv /uv /bin/\n", [("copy", "ghcr.io/astral-sh/uv")]),
        (
            "RUN --mount=type=bind,from=build,source=/w,target=/w \\\n  pip install /w/*\n",
            [("mount", "build")],
        ),
        ("RUN --mount=type=cache,target=/root/.cache pip install x\n", []),
        # A flag of the command, not of the instruction.
        ("RUN docker run --mount=type=bind,from=build x\n", []),
        ("COPY src/ --from=build/\n", []),
    ],
)
def test_read_from(source: str, expected: list[tuple[str, str]]) -> None:
    assert parse(source).instructions[0].read_from() == expected
