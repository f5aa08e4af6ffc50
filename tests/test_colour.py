"""--color: ANSI colour on a terminal only, and plain output byte-identical underneath."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from modernize.render.colour import BOLD, CYAN, GREEN, RED, RESET, colour_diff, wants_colour
from modernize.render.diff import unified_diff
from tests.helpers import run_cli

ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
STALE = {
    "Dockerfile": "FROM python:3.10\nMAINTAINER Jane <j@example.org>\n",
    "docker-compose.yml": 'version: "3.8"\nservices:\n  db:\n    image: postgres:14',
}


def _repo(tmp_path: Path) -> Path:
    for name, text in STALE.items():
        (tmp_path / name).write_text(text)
    return tmp_path


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("a\nb\nc\n", "a\nB\nc\n"),
        # A removed "-- x" line prints as "--- x" and an added "++ y" as "+++ y": not headers.
        ("keep\n-- x\nkeep\n", "keep\n++ y\nkeep\n"),
        ("one\r\ntwo\r\n", "one\r\n2\r\n"),  # CRLF: the colour ends before the newline
        ("no final newline", "no final newline!"),  # "\ No newline at end of file"
        ("".join(f"{n}\n" for n in range(30)), "".join(f"{n}\n" for n in range(30) if n % 9)),
    ],
)
def test_colour_diff_marks_each_line_and_strips_back_to_the_diff(before: str, after: str) -> None:
    diff = unified_diff("f.txt", before.encode(), after.encode())
    coloured = colour_diff(diff)
    assert ESCAPE.sub("", coloured) == diff
    for plain, line in zip(diff.split("\n"), coloured.split("\n"), strict=True):
        plain, line = plain.removesuffix("\r"), line.removesuffix("\r")
        if plain.startswith(("--- a/", "+++ b/")):
            expected = BOLD
        elif plain.startswith("@@ "):
            expected = CYAN
        elif plain.startswith("-"):
            expected = RED
        elif plain.startswith("+"):
            expected = GREEN
        else:
            assert line == plain
            continue
        assert line == f"{expected}{plain}{RESET}", plain


def test_a_removed_line_that_looks_like_a_header_is_red() -> None:
    diff = unified_diff("f", b"-- x\n", b"")
    assert f"{RED}--- x{RESET}\n" in colour_diff(diff)


@pytest.mark.parametrize(
    ("choice", "terminal", "environ", "expected"),
    [
        ("auto", True, {}, True),
        ("auto", False, {}, False),
        ("auto", True, {"NO_COLOR": "1"}, False),
        ("auto", True, {"NO_COLOR": "0"}, False),  # any non-empty value
        ("auto", True, {"NO_COLOR": ""}, True),
        ("auto", True, {"TERM": "dumb"}, False),
        ("always", False, {"NO_COLOR": "1"}, True),
        ("never", True, {}, False),
    ],
)
def test_when_to_colour(
    choice: str, terminal: bool, environ: dict[str, str], expected: bool
) -> None:
    assert wants_colour(choice, terminal, environ) is expected


def test_piped_output_is_plain_and_always_strips_back_to_it(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    plain = run_cli(["apply", "--dry-run"], repo)
    assert plain.exit_code == 1
    assert "\x1b" not in plain.stdout and "\x1b" not in plain.stderr
    assert run_cli(["apply", "--dry-run", "--color", "never"], repo).stdout == plain.stdout
    coloured = run_cli(["apply", "--dry-run", "--color", "always"], repo)
    assert coloured.exit_code == 1
    assert f"{RED}-FROM python:3.10{RESET}\n" in coloured.stdout
    assert f"{GREEN}+FROM python:3.12{RESET}\n" in coloured.stdout
    assert ESCAPE.sub("", coloured.stdout) == plain.stdout
    # The plain output is still a patch git applies.
    (tmp_path / "p.diff").write_text(ESCAPE.sub("", coloured.stdout))
    subprocess.run(["git", "apply", "p.diff"], cwd=repo, check=True)
    assert (repo / "Dockerfile").read_text().startswith("FROM python:3.12\n")


def test_verify_colours_codes_by_severity(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    plain = run_cli(["verify", "--no-external"], repo)
    assert "\x1b" not in plain.stdout
    coloured = run_cli(["verify", "--no-external", "--color", "always"], repo)
    assert f"{RED}error M001{RESET}" in coloured.stdout  # stale: an error
    assert "\x1b[33mwarning DF001" + RESET in coloured.stdout  # a standard: a warning
    assert ESCAPE.sub("", coloured.stdout) == plain.stdout


def _on_a_terminal(repo: Path, args: list[str], environ: dict[str, str]) -> str:
    """Stdout of ``python -m modernize ARGS`` written to a pseudo-terminal."""
    import pty
    import tty

    leader, follower = pty.openpty()
    tty.setraw(follower)  # no newline translation: the bytes as written
    env = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "TERM")}
    process = subprocess.Popen(
        [sys.executable, "-m", "modernize", *args],
        cwd=repo,
        stdout=follower,
        stderr=subprocess.DEVNULL,
        env={**env, **environ},
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the terminal's other side is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait() == 1
    return b"".join(chunks).decode("utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_auto_colours_a_terminal_unless_no_color_is_set(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    piped = run_cli(["apply", "--dry-run"], repo).stdout
    on_terminal = _on_a_terminal(repo, ["apply", "--dry-run"], {})
    assert f"{BOLD}--- a/Dockerfile{RESET}" in on_terminal
    assert ESCAPE.sub("", on_terminal) == piped
    assert _on_a_terminal(repo, ["apply", "--dry-run"], {"NO_COLOR": "1"}) == piped
    assert _on_a_terminal(repo, ["apply", "--dry-run", "--color", "never"], {}) == piped
    forced = _on_a_terminal(repo, ["apply", "--dry-run", "--color", "always"], {"NO_COLOR": "1"})
    assert forced == on_terminal


def test_a_files_own_escape_sequences_stay_in_its_diff_piped_or_not(tmp_path: Path) -> None:
    """A file that holds escape sequences (a script that prints in colour) keeps them in its
    diff's lines, without --color too: taken out, the patch would not apply."""
    (tmp_path / "Dockerfile").write_text(
        'FROM python:3.10-slim\nRUN printf "\x1b[31mred\x1b[0m\\n"\n'
    )
    line = ' RUN printf "\x1b[31mred\x1b[0m\\n"\n'
    for flags in ([], ["--color", "never"]):
        assert line in run_cli(["apply", "--dry-run", *flags], tmp_path).stdout
    piped = subprocess.run(
        [sys.executable, "-m", "modernize", "apply", "--dry-run", "."],
        cwd=tmp_path,
        capture_output=True,
        check=False,
    )
    assert line.encode() in piped.stdout
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "p.diff").write_bytes(piped.stdout)
    subprocess.run(["git", "apply", "p.diff"], cwd=tmp_path, check=True)
    assert (tmp_path / "Dockerfile").read_text().startswith("FROM python:3.12-slim\n")
