"""Worker processes work however they are started: ``fork`` (Linux up to Python 3.13),
``spawn`` (macOS, Windows) and ``forkserver`` (Linux from Python 3.14). Workers started afresh
get the run's settings pickled, and a forkserver's workers are the server's children, not the
run's: neither may make a worker give up."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
from pathlib import Path

import pytest

from modernize.engine.repository import PARALLEL_THRESHOLD

METHODS = multiprocessing.get_all_start_methods()


def _run(method: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    start = (
        "import multiprocessing, sys\n"
        f"multiprocessing.set_start_method({method!r})\n"
        f"sys.argv[:] = ['modernize', *{list(args)!r}]\n"
        "from modernize.entry import main\n"
        "main()\n"
    )
    return subprocess.run(
        [sys.executable, "-c", start], cwd=cwd, capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize("method", METHODS)
def test_a_parallel_run_plans_every_file(method: str, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    count = PARALLEL_THRESHOLD + 8
    for number in range(count):
        (tmp_path / f"s{number}").mkdir()
        (tmp_path / f"s{number}" / "Dockerfile").write_text("FROM python:3.10\n")
    completed = _run(method, tmp_path, "apply", "--dry-run", "-j", "2", ".")
    assert completed.returncode == 1, completed.stderr
    assert completed.stdout.count("+FROM python:3.12\n") == count
    assert "died" not in completed.stderr


@pytest.mark.parametrize("method", METHODS)
def test_a_parallel_batch_runs_every_repository(method: str, tmp_path: Path) -> None:
    roots = []
    for number in range(3):
        root = tmp_path / f"repo{number}"
        (root / ".git").mkdir(parents=True)
        (root / "Dockerfile").write_text("FROM python:3.10\n")
        roots.append(str(root))
    completed = _run(method, tmp_path, "apply", "--dry-run", "-j", "2", *roots)
    assert completed.returncode == 1, completed.stderr
    assert completed.stdout.count("+FROM python:3.12\n") == 3
