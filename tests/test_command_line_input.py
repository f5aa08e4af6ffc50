"""Odd input to the command line is an error message and an exit code, never a traceback:
digits that are not ASCII, a NUL byte in a repository list, closed standard streams and a
reader that goes away."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from modernize.targets import ascii_number
from tests.helpers import run_cli

STALE = "FROM python:3.10\n"
# Escaped: a superscript 2, and full-width 1, 2 and 3, which str.isdigit() and \d accept.
SUPERSCRIPT_2 = "\u00b2"
WIDE_1, WIDE_2, WIDE_3 = "\uff11", "\uff12", "\uff13"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", True),
        ("0", True),
        ("", False),
        (SUPERSCRIPT_2, False),
        (WIDE_3, False),
        ("1" + WIDE_2, False),
        ("\u0663", False),  # ARABIC-INDIC DIGIT THREE
        ("12\n", False),
        ("-1", False),
        ("+1", False),
    ],
)
def test_ascii_number(text: str, expected: bool) -> None:
    assert ascii_number(text) is expected


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--python", f"3.{SUPERSCRIPT_2}", "error: python target must look like 3.12"),
        ("--python", f"{WIDE_3}.{WIDE_1}{WIDE_2}", "error: python target must look like 3.12"),
        ("--python", f"3.1{WIDE_2}", "error: python target must look like 3.12"),
        ("--postgres", SUPERSCRIPT_2, "error: postgres target must be a major version"),
        ("--postgres", f"1{WIDE_3}", "error: postgres target must be a major version"),
        ("--redis", WIDE_3, "error: redis target must be a major version"),
        ("-j", WIDE_3, "Error: Invalid value for '-j' / '--jobs':"),
        ("--jobs", SUPERSCRIPT_2, "Error: Invalid value for '-j' / '--jobs':"),
    ],
)
def test_digits_that_are_not_ascii_are_a_usage_error(
    tmp_path: Path, option: str, value: str, message: str
) -> None:
    (tmp_path / "Dockerfile").write_text(STALE)
    # run_cli lets any exception through: a traceback fails the test.
    result = run_cli(["apply", "--dry-run", option, value, "."], tmp_path)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_ascii_jobs_still_work(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(STALE)
    assert run_cli(["apply", "--dry-run", "-j", "2", "."], tmp_path).exit_code == 1


def test_a_nul_byte_in_a_repository_list_is_an_error_for_that_line_only(tmp_path: Path) -> None:
    for name in ("first", "second"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "Dockerfile").write_text(STALE)
    (tmp_path / "repos.txt").write_text("first\n# a comment\nbro\0ken\n\nsecond\n")
    result = run_cli(["apply", "--dry-run", "--repos-from", "repos.txt"], tmp_path)
    assert result.exit_code == 2
    assert result.errors == ["repos.txt:3: error: a path cannot contain a NUL byte"]
    assert result.stdout.count("+FROM python:3.12\n") == 2  # both repositories still ran
    assert "2 repositories: 2 files would be changed, 0 unchanged, 1 failed." in result.stderr

    (tmp_path / "only.txt").write_text("\0\n")
    alone = run_cli(["apply", "--dry-run", "--repos-from", "only.txt"], tmp_path)
    assert alone.exit_code == 2
    assert alone.stderr == "only.txt:1: error: a path cannot contain a NUL byte\n"


def _closing(descriptor: int) -> Callable[[], None]:
    return lambda: os.close(descriptor)


def _modernize(args: list[str], cwd: Path, **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "modernize", *args], cwd=cwd, check=False, **kwargs
    )


def test_a_closed_standard_stream_is_the_null_device(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(STALE)
    no_stdout = _modernize(
        ["apply", "--dry-run", "."], tmp_path, stderr=subprocess.PIPE, preexec_fn=_closing(1)
    )
    assert no_stdout.stderr.decode() == "1 file would be changed, 0 unchanged.\n"
    assert no_stdout.returncode == 1
    no_stderr = _modernize(
        ["apply", "--dry-run", "."], tmp_path, stdout=subprocess.PIPE, preexec_fn=_closing(2)
    )
    assert no_stderr.returncode == 1
    assert no_stderr.stdout.decode().startswith("--- a/Dockerfile\n")
    no_stdin = _modernize(
        ["apply", "--dry-run", "--repos-from", "-"],
        tmp_path,
        capture_output=True,
        preexec_fn=_closing(0),
    )
    assert no_stdin.stderr.decode() == "error: -: lists no repositories\n"
    assert no_stdin.returncode == 2


@pytest.mark.parametrize(
    "args",
    [
        ["apply", "--dry-run", "."],
        ["apply", "--dry-run", "--format", "json", "."],
        ["verify", "--no-external", "."],
        ["list"],
        ["--help"],
        ["--version"],
    ],
)
def test_a_reader_that_goes_away_stops_the_run_quietly_with_141(
    tmp_path: Path, args: list[str]
) -> None:
    (tmp_path / "Dockerfile").write_text(STALE)
    reading, writing = os.pipe()
    os.close(reading)  # as `| head -1` does once it has its line
    try:
        completed = _modernize(args, tmp_path, stdout=writing, stderr=subprocess.PIPE)
    finally:
        os.close(writing)
    assert completed.stderr == b""
    assert completed.returncode == 141


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args",
    [
        ["apply", "--dry-run", "."],
        ["apply", "--dry-run", "--format", "json", "."],
        ["verify", "."],
        ["verify", "--format", "sarif", "."],
        ["list"],
    ],
    ids=" ".join,
)
def test_output_to_a_full_disk_is_one_error_line_and_exit_2(
    tmp_path: Path, args: list[str]
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "Dockerfile").write_text("FROM python:3.10\n")
    with open("/dev/full", "w") as full:
        completed = subprocess.run(
            [sys.executable, "-I", "-m", "modernize", *args],
            cwd=tmp_path,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert completed.returncode == 2, completed.stderr
    assert "Traceback" not in completed.stderr
    assert "cannot write the output: No space left on device" in completed.stderr


def test_an_integer_too_long_to_read_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    """Python converts at most 4,300 digits to an int: in the configuration that is an error
    naming the file, in another pyproject an error for that file only."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "Dockerfile").write_text("FROM python:3.10\n")
    (tmp_path / "pyproject.toml").write_text("[tool.other]\nn = " + "1" * 5000 + "\n")
    for command, code in ((["apply", "--dry-run", "."], 2), (["verify", "."], 1)):
        result = run_cli(command, tmp_path)  # verify: an unreadable file is a finding, E001
        assert result.exit_code == code, result.stderr
        assert "more digits than Python reads" in result.stdout + result.stderr
    result = run_cli(["apply", "--dry-run", "--python", "3." + "1" * 5000, "."], tmp_path)
    assert result.exit_code == 2 and "python target must look like 3.12" in result.stderr
    (tmp_path / "pyproject.toml").write_text("[tool.modernize]\npostgres = " + "1" * 5000 + "\n")
    result = run_cli(["apply", "--dry-run", "."], tmp_path)
    assert result.exit_code == 2, result.stderr
    assert "pyproject.toml:" in result.stderr
