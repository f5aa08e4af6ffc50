"""Generated pyproject classifier arrays: pyproject-python removes whole entries, never parts.

Each case is a ``[project]`` table whose ``classifiers`` array holds Python version classifiers
(stale and current) and others, each written in one of TOML's string forms: basic, literal,
multi-line basic (ending in a newline, or continued with a line-ending backslash) and
multi-line literal, some with a comment after them or on a line of their own, blank lines
between, a trailing comma or not. The properties:

1. the run never fails, and the output parses;
2. the classifiers are the input's without the stale Python versions, in the same order, with
   the target's added once when one was removed and it was not there already;
3. every other value of the file is unchanged, and every comment that is not on a removed
   entry's line is still there;
4. a second run changes nothing.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from modernize.engine.planning import RunOptions, plan_file
from modernize.registry import Context
from modernize.workspace.config import Overrides, resolve
from modernize.workspace.files import Candidate

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=150)
Draw = Callable[[st.SearchStrategy[Any]], Any]

PYTHON = "Programming Language :: Python :: "
TARGET = PYTHON + "3.12"
STALE = re.compile(r"Programming Language :: Python :: 3\.(?:8|9|10|11)")
OTHERS = [
    "Development Status :: 4 - Beta",
    "License :: OSI Approved :: MIT License",
    "Programming Language :: Python :: 3",
    "Programming Language :: Python :: 3 :: Only",
    "Operating System :: OS Independent",
]
MINORS = ["8", "9", "10", "11", "12", "13"]


def _string(draw: Draw, value: str) -> str:
    """``value`` in one of TOML's string forms; each reads back as ``value`` once stripped."""
    form = draw(st.sampled_from(["basic", "literal", "ml-newline", "ml-backslash", "ml-literal"]))
    if form == "basic":
        return f'"{value}"'
    if form == "literal":
        return f"'{value}'"
    if form == "ml-newline":
        return f'"""{value}\n"""'
    if form == "ml-literal":
        return f"'''{value}'''"
    head, _, tail = value.rpartition(" :: ")
    if not head:
        return f'"""{value}"""'
    return f'"""{head} :: \\\n    {tail}"""'


@st.composite
def pyprojects(draw: Draw) -> tuple[str, list[str]]:
    values = draw(
        st.lists(
            st.one_of(
                st.sampled_from(MINORS).map(lambda minor: PYTHON + "3." + minor),
                st.sampled_from(OTHERS),
            ),
            min_size=1,
            max_size=8,
            unique=True,
        )
    )
    lines = ["[project]", 'name = "generated"', 'requires-python = ">=3.8"', "classifiers = ["]
    for number, value in enumerate(values):
        if draw(st.integers(0, 5)) == 0:
            lines.append(f"    # note {number}")
        if draw(st.integers(0, 6)) == 0:
            lines.append("")
        last = number == len(values) - 1
        comma = "," if not last or draw(st.booleans()) else ""
        comment = f"  # about {number}" if draw(st.integers(0, 3)) == 0 else ""
        lines.extend(f"    {_string(draw, value)}{comma}{comment}".split("\n"))
    lines.append("]")
    lines += ["", "[tool.other]", 'keep = "yes"  # trailing', ""]
    return "\n".join(lines), values


@cache
def _options() -> RunOptions:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / ".git").mkdir()
        resolved = resolve(Path(tmp), Overrides(), tmp)
    chosen = tuple(m for m in resolved.migrations if m.id == "pyproject-python")
    return RunOptions(Context(resolved.targets), chosen, write=False)


def _migrated(text: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "pyproject.toml"
        file.write_bytes(text.encode("utf-8"))
        outcome = plan_file(Candidate(str(file), "pyproject.toml", "pyproject"), _options())
    assert outcome.status in ("changed", "unchanged"), outcome.findings or outcome.reason
    return outcome.updated.decode("utf-8") if outcome.status == "changed" else text


def _expected_classifiers(values: list[str]) -> list[str]:
    kept = [value for value in values if not STALE.fullmatch(value)]
    if len(kept) == len(values) or TARGET in kept:
        return kept
    return sorted([*kept, TARGET], key=lambda v: (not v.startswith(PYTHON + "3."), 0)) and [
        *kept,
        TARGET,
    ]


def _is_subsequence(small: list[str], big: list[str]) -> bool:
    remaining = iter(big)
    return all(any(item == other for other in remaining) for item in small)


@SETTINGS
@given(pyprojects())
def test_whole_entries_go_and_nothing_else_changes(case: tuple[str, list[str]]) -> None:
    before, values = case
    note(before)
    after = _migrated(before)
    note(after)
    data_before, data_after = tomllib.loads(before), tomllib.loads(after)
    got = [value.strip() for value in data_after["project"]["classifiers"]]
    kept = [value for value in values if not STALE.fullmatch(value)]
    # No entry is cut or merged: each is a classifier of the input, or the target's.
    assert set(got) <= {*values, TARGET}
    assert _is_subsequence(kept, got) and all(value in got for value in kept)
    if len(kept) < len(values) and TARGET not in values:
        assert got.count(TARGET) == 1
    else:
        assert TARGET not in got or TARGET in values
    assert not any(STALE.fullmatch(value) for value in got)
    data_before["project"].pop("requires-python"), data_after["project"].pop("requires-python")
    data_before["project"].pop("classifiers"), data_after["project"].pop("classifiers")
    assert data_after == data_before
    removed_lines = set(before.splitlines()) - set(after.splitlines())
    for line in before.splitlines():
        if "#" in line and line not in removed_lines:
            assert line in after.splitlines()
    for line in removed_lines:
        # A line that went held a stale classifier, or part of one, or the old requirement.
        assert (
            STALE.search(line)
            or "requires-python" in line
            or line.strip().startswith(("3.", '"""'))
            or line.rstrip().endswith("\\")
        ), line
    assert _migrated(after) == after
