"""A hook's run on current files, settled before the command line loads (``modernize.quick``).

Each case runs the ``modernize`` script's entry in a fresh process and the command line itself
(click's runner, which never takes the short way) on two copies of the same files: the output,
the exit code and the files afterwards must be the same, and click must be loaded exactly when
the short way could not settle the run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from modernize.quick import hook_arguments
from tests.helpers import run_cli, snapshot

CURRENT = {
    "Dockerfile": 'FROM python:3.12-slim\nLABEL maintainer="Jane <j@example.org>"\n',
    "deploy/docker-compose.yml": "services:\n  db:\n    image: postgres:16\n",
    "notes.md": "nothing here names a version\n",
}
STALE_DOCKERFILE = "FROM python:3.10-slim\nMAINTAINER Jane <j@example.org>\n"

#: What the process reports of itself at exit: was click loaded, was ``inspect`` executed.
_PROBE = """
import atexit, json, sys
told = sys.argv.pop(1)
def _told():
    inspect = sys.modules.get("inspect")
    executed = inspect is not None and "signature" in vars(inspect)
    with open(told, "w") as out:
        json.dump({"click": "click" in sys.modules, "inspect": executed}, out)
atexit.register(_told)
from modernize.entry import main
main()
"""


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _script(
    cwd: Path, args: list[str], told: Path
) -> tuple[subprocess.CompletedProcess[str], dict[str, bool]]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("_MODERNIZE")}
    completed = subprocess.run(
        [sys.executable, "-c", _PROBE, str(told), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return completed, json.loads(told.read_text())


def _both(tmp_path: Path, files: dict[str, str], args: list[str]) -> dict[str, bool]:
    """Run ``args`` both ways on two copies of ``files``; assert they agree, and say what the
    script's process loaded."""
    by_script = _tree(tmp_path / "script", files)
    by_cli = _tree(tmp_path / "cli", files)
    completed, loaded = _script(by_script, args, tmp_path / "told.json")
    expected = run_cli(args, by_cli)
    assert (completed.returncode, completed.stdout, completed.stderr) == (
        expected.exit_code,
        expected.stdout,
        expected.stderr,
    )
    assert snapshot(by_script) == snapshot(by_cli)
    return loaded


@pytest.mark.parametrize(
    "flags", [[], ["-q"], ["--quiet"], ["--check"], ["--dry-run"], ["--diff", "-q"]]
)
def test_current_files_are_settled_without_the_command_line(
    tmp_path: Path, flags: list[str]
) -> None:
    args = ["apply", *flags, "Dockerfile", "deploy/docker-compose.yml", "notes.md"]
    loaded = _both(tmp_path, CURRENT, args)
    assert not loaded["click"]
    # From Python 3.12, dataclasses reads every class's annotations with inspect.
    assert loaded["inspect"] is (sys.version_info >= (3, 12))


@pytest.mark.parametrize(
    ("files", "args"),
    [
        # A file to change: written (or its diff printed) by the command line, once.
        ({**CURRENT, "Dockerfile": STALE_DOCKERFILE}, ["apply", "Dockerfile", "notes.md"]),
        ({**CURRENT, "Dockerfile": STALE_DOCKERFILE}, ["apply", "--dry-run", "Dockerfile"]),
        ({**CURRENT, "Dockerfile": STALE_DOCKERFILE}, ["apply", "--check", "-q", "Dockerfile"]),
        # A file it cannot parse.
        (
            {**CURRENT, "deploy/docker-compose.yml": "services: [\n"},
            ["apply", "deploy/docker-compose.yml"],
        ),
        # A missing file, and one named twice.
        (CURRENT, ["apply", "Dockerfile", "gone/Dockerfile"]),
        (CURRENT, ["apply", "Dockerfile", "Dockerfile"]),
        # A configuration it refuses.
        (
            {**CURRENT, "pyproject.toml": '[tool.modernize]\npython = "two"\n'},
            ["apply", "Dockerfile"],
        ),
        # Nested deeper than any recursion may go: refused at a fixed depth, the same
        # however deep the call stack already is (the short way's is shallower).
        (
            {**CURRENT, "pyproject.toml": "[tool.x]\nv = " + "[" * 488 + "]" * 488 + "\n"},
            ["apply", "pyproject.toml"],
        ),
        # A project that holds its Dockerfile back.
        (
            {
                **CURRENT,
                "Dockerfile": "FROM python:3.10-slim\n",
                "pyproject.toml": '[project]\nname = "app"\nrequires-python = ">=3.10,<3.11"\n',
            },
            ["apply", "Dockerfile"],
        ),
    ],
)
def test_anything_but_a_silent_run_is_the_command_lines(
    tmp_path: Path, files: dict[str, str], args: list[str]
) -> None:
    loaded = _both(tmp_path, files, args)
    assert loaded["click"]


@pytest.mark.parametrize(
    "args",
    [
        ["apply", "--only", "python-base-image", "Dockerfile"],
        ["apply", "--jobs", "2", "Dockerfile"],
        ["apply", "Dockerfile", "--"],
        ["apply", "."],
        ["apply", "deploy"],
        ["verify", "Dockerfile"],
    ],
)
def test_other_arguments_are_read_by_the_command_line(tmp_path: Path, args: list[str]) -> None:
    loaded = _both(tmp_path, CURRENT, args)
    assert loaded["click"]


def test_the_arguments_read_before_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("_MODERNIZE_COMPLETE", raising=False)
    assert hook_arguments(["apply", "-q", "a", "--check", "b"]) == (
        ["a", "b"],
        {"quiet", "dry_run"},
    )
    assert hook_arguments(["apply", "--diff", "a"]) == (["a"], {"dry_run"})
    for refused in (
        [],
        ["apply"],
        ["apply", "-q"],
        ["apply", "-", "--stdin-filename", "Dockerfile"],
        ["apply", "-qv", "a"],
        ["apply", "a", ""],
        ["apply", "--only", "x", "a"],
        ["apply", "--", "a"],
        ["--version"],
        ["verify", "a"],
    ):
        assert hook_arguments(refused) is None, refused
    monkeypatch.setenv("_MODERNIZE_COMPLETE", "bash_complete")
    assert hook_arguments(["apply", "a"]) is None


def test_many_files_are_the_command_lines(tmp_path: Path) -> None:
    """As many files as start workers: the run is the command line's, with its workers."""
    files = {f"svc{index:02d}/Dockerfile": CURRENT["Dockerfile"] for index in range(64)}
    loaded = _both(tmp_path, files, ["apply", "-q", *sorted(files)])
    assert loaded["click"]


def test_a_folder_named_like_a_file_is_not_taken_for_one(tmp_path: Path) -> None:
    files = {
        "Dockerfile/inside.txt": "x\n",
        **{k: v for k, v in CURRENT.items() if k != "Dockerfile"},
    }
    loaded = _both(tmp_path, files, ["apply", "Dockerfile"])
    assert loaded["click"]


def test_a_summary_that_cannot_be_written_is_the_command_lines_error(tmp_path: Path) -> None:
    """stderr on a full device: the short way writes nothing more and hands over; the command
    line ends the run as it does any output it cannot write (exit 2)."""
    _tree(tmp_path, CURRENT)
    with open(os.devnull if not os.path.exists("/dev/full") else "/dev/full", "w") as full:
        completed = subprocess.run(
            [sys.executable, "-m", "modernize", "apply", "Dockerfile"],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=full,
            timeout=120,
        )
    expected = 2 if os.path.exists("/dev/full") else 0
    assert completed.returncode == expected


def test_a_configuration_nested_too_deeply_for_the_stack_is_read_alike(tmp_path: Path) -> None:
    """A pyproject.toml above the named file, nested deeper than Python recurses: refused at a
    fixed depth when it is read for settings, not a crash, either way."""
    deep = "[" * 2000 + "]" * 2000
    files = {**CURRENT, "pyproject.toml": f"[tool.x]\nv = {deep}\n"}
    _both(tmp_path, files, ["apply", "Dockerfile"])
