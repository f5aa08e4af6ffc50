"""``-`` as PATH: one file read from standard input as the file ``--stdin-filename`` names, as
editors call formatters. The text is migrated (or checked) with the settings found above that
name and printed; nothing in the repository is written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from modernize.cli import cli
from tests.helpers import run_cli, snapshot

STALE = b"FROM python:3.10-slim\r\n# the runtime image\r\nRUN pip install flask"
MIGRATED = b"FROM python:3.12-slim\r\n# the runtime image\r\nRUN pip install flask"


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "services" / "api").mkdir(parents=True)
    return repo


def _run(args: list[str], cwd: Path, given: bytes) -> tuple[int, bytes, str]:
    """The command with ``given`` on standard input: (status, stdout bytes, stderr)."""
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, args, input=given, catch_exceptions=False)
    finally:
        os.chdir(previous)
    return result.exit_code, result.stdout_bytes, result.stderr_bytes.decode()


def test_apply_prints_the_migrated_text_byte_for_byte_and_writes_nothing(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    before = snapshot(repo)
    for given, expected in (
        (STALE, MIGRATED),
        (b"\xef\xbb\xbf" + STALE, b"\xef\xbb\xbf" + MIGRATED),
    ):
        status, out, err = _run(
            ["apply", "-", "--stdin-filename", "services/api/Dockerfile"], repo, given
        )
        assert (status, out) == (0, expected), err  # CRLF, BOM, no final newline: all kept
    assert snapshot(repo) == before  # the named file need not exist, and is not made


def test_a_text_with_nothing_to_change_comes_back_as_it_went_in(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    for name, given in (
        ("Dockerfile", MIGRATED),
        ("README.md", b"FROM python:3.10-slim\n"),  # a kind no migration reads
    ):
        status, out, _ = _run(["apply", "-", "--stdin-filename", name], repo, given)
        assert (status, out) == (0, given)
        status, out, _ = _run(["apply", "--check", "-", "--stdin-filename", name], repo, given)
        assert (status, out) == (0, b"")


def test_diff_and_check_are_those_of_the_file_on_disk(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    on_disk = tmp_path / "on-disk"
    (on_disk / ".git").mkdir(parents=True)
    (on_disk / "services" / "api").mkdir(parents=True)
    (on_disk / "services" / "api" / "Dockerfile").write_bytes(STALE)
    expected = run_cli(["apply", "--diff", "services/api/Dockerfile"], on_disk)
    assert expected.exit_code == 1 and expected.stdout

    status, out, err = _run(
        ["apply", "--diff", "-", "--stdin-filename", "services/api/Dockerfile"], repo, STALE
    )
    assert status == 1
    assert out.decode() == expected.stdout
    assert "1 file would be changed" in err
    status, out, _ = _run(
        ["apply", "--check", "-", "--stdin-filename", "services/api/Dockerfile"], repo, STALE
    )
    assert (status, out) == (1, b"")


def test_the_settings_are_those_found_above_the_name(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / "pyproject.toml").write_text('[tool.modernize]\npython = "3.11"\n')
    (repo / "services" / "api" / ".modernize.toml").write_text('python = "3.13"\n')
    given = b"FROM python:3.10-slim\n"
    _, out, _ = _run(["apply", "-", "--stdin-filename", "Dockerfile"], repo, given)
    assert out == b"FROM python:3.11-slim\n"
    _, out, _ = _run(["apply", "-", "--stdin-filename", "services/api/Dockerfile"], repo, given)
    assert out == b"FROM python:3.13-slim\n"
    _, out, _ = _run(
        ["apply", "--python", "3.12", "-", "--stdin-filename", "services/api/Dockerfile"],
        repo,
        given,
    )
    assert out == b"FROM python:3.12-slim\n"


def test_verify_names_the_findings_by_the_given_name(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / "services" / "api" / "Dockerfile").write_bytes(MIGRATED)  # on disk: current
    status, out, err = _run(
        ["verify", "-", "--stdin-filename", "services/api/Dockerfile", "--select", "M"],
        repo,
        STALE,
    )
    assert status == 1, err
    assert out.decode() == (
        "services/api/Dockerfile:1: error M001 python base image below the target; "
        "would become: FROM python:3.12-slim\n"
    )
    assert "1 error, 0 warnings, 0 notes." in err
    status, out, _ = _run(
        ["verify", "-", "--stdin-filename", "services/api/Dockerfile", "--select", "M"],
        repo,
        MIGRATED,
    )
    assert (status, out) == (0, b"")


def test_a_file_that_fails_is_an_error_and_its_text_comes_back_unchanged(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    broken = b"on: push\njobs: [unclosed\n"
    status, out, err = _run(
        ["apply", "-", "--stdin-filename", ".github/workflows/ci.yml"], repo, broken
    )
    assert status == 2
    assert out == broken  # an editor that replaces its buffer loses nothing
    assert err.startswith(".github/workflows/ci.yml:")
    assert ": error: " in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["apply", "-"], "name it with --stdin-filename PATH"),
        (["verify", "-"], "name it with --stdin-filename PATH"),
        (["apply", "--stdin-filename", "Dockerfile"], "give - as PATH"),
        (["verify", "--stdin-filename", "Dockerfile", "."], "give - as PATH"),
        (["apply", "-", "Makefile", "--stdin-filename", "Dockerfile"], "with other PATHs"),
        (["apply", "-", "--stdin-filename", "services"], "a folder, not a file"),
        (["apply", "-", "--stdin-filename", "Dockerfile", "--changelog"], "no --repos-from"),
    ],
)
def test_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    repo = _repo(tmp_path)
    (repo / "services" / "Makefile").write_text("all:\n")
    status, out, err = _run(args, repo / "services" if "Makefile" in args else repo, STALE)
    assert status == 2
    assert message in err
    assert out == b""


def test_an_editor_pipes_a_buffer_through_the_installed_command(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    completed = subprocess.run(
        [sys.executable, "-m", "modernize", "apply", "-", "--stdin-filename", "Dockerfile"],
        cwd=repo,
        input=STALE,
        capture_output=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == MIGRATED
    assert sorted(path.name for path in repo.iterdir()) == [".git", "services"]
