"""The command-line habits of black, ruff and pre-commit: ``--diff``, ``--check``,
``--enable``, ``--config``, ``--exclude``, forced colour, completion of migration IDs, and one
message for a PATH that does not exist."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from modernize.render.colour import wants_colour
from tests.helpers import run_cli, snapshot

STALE = "FROM python:3.10-slim\n"


def _repo(tmp_path: Path, name: str = "repo") -> Path:
    repo = tmp_path / name
    (repo / ".git").mkdir(parents=True)
    (repo / "Dockerfile").write_text(STALE)
    (repo / "vendor").mkdir()
    (repo / "vendor" / "Dockerfile").write_text(STALE)
    return repo


def test_diff_is_dry_run(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    diff = run_cli(["apply", "--diff"], repo)
    dry = run_cli(["apply", "--dry-run"], repo)
    assert diff == dry
    assert diff.exit_code == 1
    assert "+FROM python:3.12-slim" in diff.stdout
    assert (repo / "Dockerfile").read_text() == STALE


def test_check_prints_only_the_summary_and_exits_1_while_changes_are_pending(
    tmp_path: Path,
) -> None:
    repo = _repo(tmp_path)
    before = snapshot(repo)
    pending = run_cli(["apply", "--check"], repo)
    assert pending.exit_code == 1
    assert pending.stdout == ""
    assert pending.stderr == "2 files would be changed, 0 unchanged.\n"
    assert snapshot(repo) == before
    assert run_cli(["apply"], repo).exit_code == 0
    done = run_cli(["apply", "--check"], repo)
    assert (done.exit_code, done.stdout) == (0, "")
    refused = run_cli(["apply", "--check", "--format", "json"], repo)
    assert refused.exit_code == 2
    assert "--check prints no changes" in refused.stderr


def test_enable_adds_an_opt_in_migration_to_the_default_set(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / "app.py").write_text("from typing import Optional\nx: Optional[int] = None\n")
    default = run_cli(["apply", "--dry-run"], repo)
    assert "app.py" not in default.stdout
    enabled = run_cli(["apply", "--dry-run", "--enable", "python-typing"], repo)
    assert "+x: int | None = None" in enabled.stdout
    assert "+FROM python:3.12-slim" in enabled.stdout  # the default set still runs
    unknown = run_cli(["apply", "--enable", "no-such-migration"], repo)
    assert unknown.exit_code == 2
    assert "unknown migration ID 'no-such-migration'" in unknown.stderr


def test_config_names_the_settings_file(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / "pyproject.toml").write_text('[tool.modernize]\npython = "3.13"\n')
    settings = tmp_path / "org-settings.toml"
    settings.write_text('python = "3.11"\nexclude = ["vendor/"]\n')
    found = run_cli(["apply", "--dry-run"], repo)
    assert "+FROM python:3.13-slim" in found.stdout
    given = run_cli(["apply", "--dry-run", "--config", str(settings)], repo)
    assert "+FROM python:3.11-slim" in given.stdout
    assert "vendor/Dockerfile" not in given.stdout  # its exclude, relative to its folder…
    # …which is not the repository's: a pattern there matches below its own folder only.
    assert given.stdout.count("+++ ") == 1
    hint = run_cli(["advise", "--config", str(settings)], repo)
    assert hint.exit_code == 0, hint.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "org.toml:1: error: cannot read the configuration: no such file"),
        ('python = "2"\n', "org.toml:1: error: python:"),
        ("[tool.other]\n", "org.toml:1: error: tool: unknown key"),
    ],
)
def test_a_bad_config_file_is_an_error_for_every_command(
    tmp_path: Path, text: str | None, message: str
) -> None:
    repo = _repo(tmp_path)
    if text is not None:
        (repo / "org.toml").write_text(text)
    for command in ("apply", "verify", "advise"):
        result = run_cli([command, "--config", "org.toml"], repo)
        assert result.exit_code == 2, (command, result.stderr)
        assert message in result.stderr, (command, result.stderr)
    assert (repo / "Dockerfile").read_text() == STALE


def test_a_pyproject_without_the_table_is_not_a_config(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    result = run_cli(["verify", "--config", "pyproject.toml"], repo)
    assert result.exit_code == 2
    assert "pyproject.toml:1: error: has no [tool.modernize] table" in result.stderr


def test_exclude_leaves_out_what_it_matches(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    result = run_cli(["apply", "--exclude", "vendor/", "--exclude", "*.md"], repo)
    assert result.exit_code == 0
    assert (repo / "Dockerfile").read_text() == "FROM python:3.12-slim\n"
    assert (repo / "vendor" / "Dockerfile").read_text() == STALE
    found = run_cli(["verify", "--select", "M", "--exclude", "vendor/"], repo)
    assert found.exit_code == 0, found.stdout
    (repo / "pyproject.toml").write_text('[tool.modernize]\nexclude = ["Dockerfile"]\n')
    both = run_cli(["apply", "--dry-run", "--exclude", "vendor/"], repo)
    assert (both.exit_code, both.stdout) == (0, "")  # the file's patterns and the flag's


@pytest.mark.parametrize(
    ("environ", "terminal", "expected"),
    [
        ({}, False, False),
        ({}, True, True),
        ({"FORCE_COLOR": "1"}, False, True),
        ({"FORCE_COLOR": "0"}, False, False),
        ({"FORCE_COLOR": ""}, False, False),
        ({"CLICOLOR_FORCE": "1"}, False, True),
        ({"CLICOLOR_FORCE": "1", "TERM": "dumb"}, False, True),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, True, False),
        ({"TERM": "dumb"}, True, False),
    ],
)
def test_colour_follows_the_environment(
    environ: dict[str, str], terminal: bool, expected: bool
) -> None:
    assert wants_colour("auto", terminal, environ) is expected
    assert wants_colour("never", terminal, {"FORCE_COLOR": "1"}) is False
    assert wants_colour("always", terminal, {"NO_COLOR": "1"}) is True


def test_force_color_colours_a_pipe(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    environ = {**os.environ, "FORCE_COLOR": "1"}
    environ.pop("NO_COLOR", None)
    completed = subprocess.run(
        [sys.executable, "-m", "modernize", "apply", "--dry-run", "."],
        cwd=repo,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 1
    assert "\x1b[32m+FROM python:3.12-slim\x1b[0m" in completed.stdout


def test_the_shell_completes_migration_ids(tmp_path: Path) -> None:
    environ = {
        **os.environ,
        "_MODERNIZE_COMPLETE": "bash_complete",
        "COMP_WORDS": "modernize apply --only python-base-image,compose-v",
        "COMP_CWORD": "3",
    }
    completed = subprocess.run(
        [sys.executable, "-m", "modernize"],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert completed.stdout.splitlines() == [
        "plain,python-base-image,compose-version-key",
        "plain,python-base-image,compose-v2-cli",
    ]


@pytest.mark.parametrize("command", ["apply", "verify", "advise"])
def test_a_path_that_does_not_exist_gets_the_same_message_from_every_command(
    tmp_path: Path, command: str
) -> None:
    repo = _repo(tmp_path)
    result = run_cli([command, "no-such-folder", "Dockerfile"], repo)
    assert result.exit_code == 2
    assert "error: no-such-folder: no such file or directory\n" in result.stderr
    alone = run_cli([command, "no-such-folder"], repo)
    assert alone.exit_code == 2
    assert alone.stderr.startswith("error: no-such-folder: no such file or directory\n")
