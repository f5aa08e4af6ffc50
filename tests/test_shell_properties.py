"""Generated multi-line shell commands: compose-v2-cli rewrites the commands, never arguments.

Each case is a list of commands, some installing the ``docker-compose`` package (pip, pipx,
apt-get, apk, brew, uv pip, poetry add, npm), some running ``docker-compose``, some neither,
written over several lines as real scripts are: Makefile recipes and ``run: |`` scripts
continued with a trailing backslash, ``run: >`` folded and plain or double-quoted ``run:``
values whose lines YAML joins with a space. Every word may start a new physical line. The same
layout is rendered twice, once with ``docker compose`` where a command runs it, which is the
exact output expected; so the properties are:

1. the run never fails, and the output is byte for byte the expected rendering (installer
   arguments, comments and every other byte untouched);
2. the output parses (YAML) and each ``run:`` value reads as the expected script;
3. a second run on the output changes nothing.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from modernize.engine.planning import RunOptions, plan_file
from modernize.registry import Context, Migration
from modernize.workspace.config import Overrides, resolve
from modernize.workspace.files import Candidate

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
Draw = Callable[[st.SearchStrategy[Any]], Any]

OLD, NEW = "docker-compose", "docker compose"
#: A command word: the placeholder is the program run, ``docker-compose`` there a package name.
COMMAND = "\0"
INSTALLERS = [
    "pip install",
    "python -m pip install --user",
    "pipx install",
    "sudo apt-get install -y",
    "apk add --no-cache",
    "brew install",
    "uv pip install",
    "poetry add --group dev",
    "npm i -g",
]
PACKAGES = [OLD, f"{OLD}==1.29.2", f"curl {OLD}", f"{OLD} httpie"]
RUNS = [
    f"{COMMAND} up -d",
    f"{COMMAND} -f {OLD}.ci.yml ps",
    f"sudo {COMMAND} pull",
    f"{COMMAND} build web",
    f"{COMMAND} down -v",
]
OTHERS = ["echo done", "make test", f"cp {OLD}.yml backup.yml", "pytest -q"]
STYLES = ["makefile", "literal", "folded", "plain", "double-quoted"]
#: Styles whose line breaks YAML folds into spaces; the others need a backslash to continue.
FOLDING = frozenset({"folded", "plain", "double-quoted"})


@dataclass(frozen=True)
class Layout:
    style: str
    commands: list[list[str]]  # words
    breaks: list[list[bool]]  # before each word: start a new physical line (not a script's first)
    separators: list[str]  # after each command but the last: "newline", "&&" or ";"
    comments: list[bool]  # a trailing comment naming docker-compose (backslash styles only)


@st.composite
def layouts(draw: Draw) -> Layout:
    style = draw(st.sampled_from(STYLES))
    commands: list[list[str]] = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["install", "run", "run", "other"]))
        if kind == "install":
            text = f"{draw(st.sampled_from(INSTALLERS))} {draw(st.sampled_from(PACKAGES))}"
        else:
            text = draw(st.sampled_from(RUNS if kind == "run" else OTHERS))
        commands.append(text.split(" "))
    breaks = [[draw(st.booleans()) for _ in words] for words in commands]
    separators = [draw(st.sampled_from(["newline", "&&", ";"])) for _ in commands[1:]]
    comments = [style not in FOLDING and draw(st.booleans()) for _ in commands]
    return Layout(style, commands, breaks, separators, comments)


def _script_lines(layout: Layout, command: str) -> list[str]:
    """The physical lines of the script, before indentation."""
    folding = layout.style in FOLDING
    # A folded line indented further would keep its newline, so folding styles do not indent.
    continuation, indent = ("", "") if folding else (" \\", "  ")
    lines: list[str] = []
    current = ""
    for number, words in enumerate(layout.commands):
        for position, word in enumerate(words):
            word = command if word == COMMAND else word
            if not current:
                current = word
            elif layout.breaks[number][position] and word[0].isalpha():
                lines.append(current + continuation)
                current = indent + word
            else:
                current = f"{current} {word}"
        separator = layout.separators[number] if number < len(layout.separators) else None
        if separator == "newline" or separator is None:
            if layout.comments[number]:
                current += f"  # {OLD} here"
            lines.append(current)
            if separator is not None and folding:
                lines.append("")  # a blank line: a newline in the folded value
            current = ""
        else:
            current += f" {separator}"
    return lines


def _render(layout: Layout, command: str) -> tuple[str, str]:
    """(path, text) of a file holding the script, with ``command`` for each command word."""
    lines = _script_lines(layout, command)
    if layout.style == "makefile":
        return "Makefile", "stack:\n" + "".join(f"\t{line}\n" for line in lines)
    body = "\n".join(f"          {line}" if line else "" for line in lines)
    header = {"literal": " |\n", "folded": " >\n", "plain": "\n", "double-quoted": ' "\n'}
    end = '"' if layout.style == "double-quoted" else ""
    run = f"      - run:{header[layout.style]}{body}{end}\n"
    workflow = "on: push\njobs:\n  stack:\n    runs-on: ubuntu-latest\n    steps:\n" + run
    return ".github/workflows/stack.yml", workflow


@cache
def _options() -> RunOptions:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / ".git").mkdir()
        resolved = resolve(Path(tmp), Overrides(), tmp)
    migrations: tuple[Migration, ...] = tuple(
        migration for migration in resolved.migrations if migration.id == "compose-v2-cli"
    )
    return RunOptions(Context(resolved.targets), migrations, write=False)


def _migrated(path: str, text: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(text.encode("utf-8"))
        kind = "makefile" if path == "Makefile" else "workflow"
        outcome = plan_file(Candidate(str(file), path, kind), _options())
    assert outcome.status in ("changed", "unchanged"), outcome.reason
    return outcome.updated.decode("utf-8") if outcome.status == "changed" else text


def _run_value(text: str) -> str:
    return str(yaml.safe_load(text)["jobs"]["stack"]["steps"][0]["run"])


@SETTINGS
@given(layouts())
def test_only_commands_change_and_a_second_run_changes_nothing(layout: Layout) -> None:
    path, before = _render(layout, OLD)
    expected = _render(layout, NEW)[1]
    note(before)
    after = _migrated(path, before)
    assert after == expected
    if path != "Makefile":
        assert _run_value(after) == _run_value(expected)
    assert _migrated(path, after) == after


def _layout(style: str, *commands: str, breaks: bool = True) -> Layout:
    words = [command.split(" ") for command in commands]
    return Layout(
        style,
        words,
        [[breaks] * len(each) for each in words],
        ["newline"] * (len(words) - 1),
        [False] * len(words),
    )


def test_the_generator_writes_the_forms_of_the_issue() -> None:
    """A package continued on the next line, in each style, is one of the generated cases."""
    for style in STYLES:
        path, text = _render(_layout(style, f"pip install {OLD}"), OLD)
        assert _migrated(path, text) == text, text
        path, text = _render(_layout(style, f"{COMMAND} up -d"), OLD)
        assert _migrated(path, text) == _render(_layout(style, f"{COMMAND} up -d"), NEW)[1]
