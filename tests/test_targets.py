"""The table of targets: every row has its flag on apply and verify, its configuration key, its
place in the --verbose settings and, where a migration moves files to it, in the changelog
entry. A new target is one row (and its typed field): nothing else names the targets."""

from __future__ import annotations

import json
import pickle
import re
import subprocess
import sys
import textwrap
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from modernize.targets import TARGETS, Targets, TargetSpec
from modernize.workspace.changelog import targets_text
from tests.helpers import run_cli

SRC = Path(__file__).resolve().parents[1] / "src" / "modernize"
ROWS = pytest.mark.parametrize("spec", TARGETS, ids=[spec.name for spec in TARGETS])


def _flat(text: str) -> str:
    """Help text as one line: click wraps it to the terminal's width."""
    return " ".join(text.split())


def _settings_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("configuration ")]
    assert len(lines) == 1, stderr
    return lines[0]


def _shown(spec: TargetSpec[Any]) -> str:
    return spec.show(spec.default)


def test_each_row_is_a_field_of_the_targets_with_its_default() -> None:
    names = [spec.name for spec in TARGETS]
    assert len(set(names)) == len(names)
    by_field = {each.name: each for each in fields(Targets)}
    for spec in TARGETS:
        assert by_field[spec.name].default == spec.default
        assert Targets().value(spec) == spec.default
    # The action majors are a table of their own; the standard names the set they came from.
    assert set(by_field) == {*names, "actions", "standard"}


@ROWS
@pytest.mark.parametrize("command", ["apply", "verify"])
def test_each_row_has_its_flag_and_help(
    tmp_path: Path, command: str, spec: TargetSpec[Any]
) -> None:
    result = run_cli([command, "--help"], tmp_path)
    assert result.exit_code == 0
    assert re.search(rf"^\s+{spec.flag} {re.escape(spec.metavar)}\s", result.stdout, re.M)
    assert _flat(spec.help) in _flat(result.stdout)


@ROWS
@pytest.mark.parametrize("command", ["apply", "verify"])
def test_each_row_is_a_configuration_key_shown_in_the_settings_and_overridden_by_its_flag(
    tmp_path: Path, command: str, spec: TargetSpec[Any]
) -> None:
    shown = _shown(spec)
    (tmp_path / ".modernize.toml").write_text(f'{spec.name} = "{shown}"\n')
    result = run_cli([command, "-v"], tmp_path)
    assert result.exit_code == 0, result.stderr
    line = _settings_line(result.stderr)
    assert line.startswith("configuration .modernize.toml: ")
    assert f" {spec.name} {shown}" in line
    # A bad flag is a usage error saying what the target must be (that a flag wins over the
    # file is shown by the made-up row below, which has a second value to give).
    bad = run_cli([command, spec.flag, "not-a-version"], tmp_path)
    assert bad.exit_code == 2
    assert f"{spec.name} target must" in bad.stderr


@ROWS
def test_a_bad_configuration_value_is_refused_naming_its_key(
    tmp_path: Path, spec: TargetSpec[Any]
) -> None:
    config = tmp_path / ".modernize.toml"
    config.write_text(f'skip = []\n{spec.name} = "not-a-version"\n')
    result = run_cli(["apply", "--dry-run"], tmp_path)
    assert result.exit_code == 2
    assert len(result.errors) == 1
    assert result.errors[0].startswith(f".modernize.toml:2: error: {spec.name}: {spec.name} target")
    config.write_text(f"{spec.name} = [1]\n")
    result = run_cli(["apply", "--dry-run"], tmp_path)
    assert result.errors == [
        f".modernize.toml:1: error: {spec.name}: must be {spec.config_type}, not [1]"
    ]


def test_unknown_keys_are_refused_listing_every_target_key(tmp_path: Path) -> None:
    (tmp_path / ".modernize.toml").write_text("nosuch = 1\n")
    result = run_cli(["apply", "--dry-run"], tmp_path)
    assert result.exit_code == 2
    for spec in TARGETS:
        assert re.search(rf"known keys: .*\b{spec.name}\b", result.stderr)


def test_the_changelog_entry_names_every_target(tmp_path: Path) -> None:
    assert targets_text(Targets()) == "Python 3.12, postgres 16, redis 7"
    (tmp_path / "Dockerfile").write_text("FROM python:3.10\n")
    result = run_cli(["apply", "--dry-run", "--changelog"], tmp_path)
    entry = next(line for line in result.stdout.splitlines() if "Modernized" in line)
    for spec in TARGETS:
        assert f"{spec.title} {_shown(spec)}" in entry, entry


def test_targets_pickle_with_every_row() -> None:
    targets = Targets(**{spec.name: spec.default for spec in TARGETS})
    assert pickle.loads(pickle.dumps(targets)) == targets


@pytest.mark.parametrize(
    "module", ["cli.py", "workspace/config.py", "render/verbose.py", "workspace/changelog.py"]
)
def test_nothing_else_lists_the_targets(module: str) -> None:
    text = (SRC / module).read_text()
    if module == "cli.py":
        # The help's examples may show a flag in use; no code names one.
        text = text.replace("--only postgres-major --postgres 17", "")
    if module == "workspace/changelog.py":
        text = text.replace('("Python 3.12, postgres 16, redis 7")', "")
    for spec in TARGETS:
        assert re.search(rf"\b{spec.name}\b", text, re.I) is None, (module, spec.name)


# A row added to the table, with its field, before the command line is imported: the flag, the
# key, the settings line and the changelog entry follow with no other change.
_WIDER = """
import dataclasses, sys
import modernize.targets as targets

fake = targets.major_target("fakedb", 3, lowest=1, title="FakeDB", note="a made-up database")

@dataclasses.dataclass(frozen=True)
class WiderTargets(targets.Targets):
    fakedb: int = 3

targets.Targets = WiderTargets
targets.TARGETS = (*targets.TARGETS, fake)

from modernize.cli import cli
cli(sys.argv[1:])
"""


def _wider(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_WIDER), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_new_target_is_one_row(tmp_path: Path) -> None:
    for command in ("apply", "verify"):
        shown = _flat(_wider([command, "--help"], tmp_path).stdout)
        assert "--fakedb N Target FakeDB (3): a made-up database." in shown
    (tmp_path / "Dockerfile").write_text("FROM python:3.10\n")
    (tmp_path / ".modernize.toml").write_text("fakedb = 4\n")
    result = _wider(["apply", "--dry-run", "-v", "-j", "1", "--changelog"], tmp_path)
    assert result.returncode == 1, result.stderr
    assert ", redis 7, fakedb 4; " in _settings_line(result.stderr)
    assert "(Python 3.12, postgres 16, redis 7, FakeDB 4)" in result.stdout
    flagged = _wider(["verify", "-v", "--fakedb", "5", "--format", "json"], tmp_path)
    assert ", fakedb 5; " in _settings_line(flagged.stderr)
    assert "findings" in json.loads(flagged.stdout)
    (tmp_path / ".modernize.toml").write_text('fakedb = "x"\n')
    refused = _wider(["apply", "--dry-run"], tmp_path)
    assert refused.returncode == 2
    assert ".modernize.toml:1: error: fakedb: fakedb target must be a major version such as 3" in (
        refused.stderr
    )


@pytest.mark.parametrize(
    "flags",
    [
        ["--python", "3.99"],
        ["--python", "3.15"],  # only a release candidate is known
        ["--python", "3.7"],  # below 3.8
        ["--python", "2.7"],
        ["--postgres", "99"],
        ["--postgres", "19"],
    ],
)
def test_a_target_the_knowledge_has_no_image_for_is_refused(
    tmp_path: Path, flags: list[str]
) -> None:
    """Its tags, variants and releases cannot be known offline: exit 2, nothing written."""
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM python:3.10\n")
    (tmp_path / "compose.yaml").write_text("services:\n  db:\n    image: postgres:14\n")
    result = run_cli(["apply", *flags, "."], tmp_path)
    assert result.exit_code == 2
    if flags[1] == "2.7":
        assert "python target 2.7 is not a Python 3 minor" in result.stderr
    else:
        assert f"target {flags[1]} is not one this release knows" in result.stderr
        assert "choose one of those" in result.stderr
    assert dockerfile.read_text() == "FROM python:3.10\n"


def test_a_known_target_from_the_configuration_is_taken_and_an_unknown_one_refused(
    tmp_path: Path,
) -> None:
    (tmp_path / "Dockerfile").write_text("FROM python:3.10\n")
    (tmp_path / ".modernize.toml").write_text('python = "3.14"\n')
    assert "python:3.14" in run_cli(["apply", "--dry-run", "."], tmp_path).stdout
    (tmp_path / ".modernize.toml").write_text('\npython = "3.99"\n')
    refused = run_cli(["apply", "--dry-run", "."], tmp_path)
    assert refused.exit_code == 2
    assert ".modernize.toml:2: error: python: python target 3.99 is not one" in refused.stderr
