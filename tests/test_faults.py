"""Faults: killed runs, files that change underneath, read-only and unreadable files."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from modernize.engine import planning as engine
from modernize.formats.document import Document
from modernize.workspace import files
from tests.helpers import run_cli, snapshot

DOCKERFILE = (
    "# syntax=docker/dockerfile:1\nARG PYTHON_VERSION=3.10\n"
    "FROM python:${{PYTHON_VERSION}}-slim AS build\nRUN pip install --prefix=/install app{n}\n"
    "FROM python:3.10-slim\nCOPY --from=build /install/lib/python3.10/site-packages "
    "/usr/local/lib/python3.10/site-packages\nUSER app\n"
)
COMPOSE = (
    'version: "3.8"\n# service {n}\nx-db: &db\n  image: postgres:14-alpine\n'
    "services:\n  db:\n    <<: *db\n  web:\n    image: nginx:1.27\n"
)


def _make_repo(root: Path, count: int) -> None:
    for n in range(count):
        service = root / f"svc{n:03d}"
        service.mkdir(parents=True)
        (service / "Dockerfile").write_text(DOCKERFILE.format(n=n))
        (service / "docker-compose.yml").write_text(COMPOSE.format(n=n))


def _wait_for_first_write(root: Path, process: subprocess.Popen[bytes]) -> float:
    """Poll the service directories until one changes (a temporary file or a rename)."""
    directories = sorted(path for path in root.iterdir() if path.is_dir())
    before = [path.stat().st_mtime_ns for path in directories]
    while process.poll() is None:
        if any(
            path.stat().st_mtime_ns != was for path, was in zip(directories, before, strict=True)
        ):
            return time.monotonic()
        time.sleep(0.0005)
    return time.monotonic()


def test_sigkill_at_any_moment_leaves_every_file_old_or_new(tmp_path: Path) -> None:
    pristine = tmp_path / "pristine"
    _make_repo(pristine, 150)  # 300 files
    migrated = tmp_path / "migrated"
    shutil.copytree(pristine, migrated)
    assert run_cli(["apply", "-q"], migrated).exit_code == 0
    old, new = snapshot(pristine), snapshot(migrated)
    assert old.keys() == new.keys() and all(old[k] != new[k] for k in old)

    work = tmp_path / "work"
    command = [sys.executable, "-m", "modernize", "apply", "-q", "."]
    shutil.copytree(pristine, work)
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=work, stdout=subprocess.DEVNULL)
    writing = _wait_for_first_write(work, process) - started
    process.wait()
    assert process.returncode == 0
    full_run = time.monotonic() - started
    window = max(full_run - writing, 0.01)
    generator = random.Random(20261127)
    partial_runs = 0
    for attempt in range(8):
        shutil.rmtree(work)
        shutil.copytree(pristine, work)
        process = subprocess.Popen(
            command, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        if attempt % 2:  # anywhere in the run, planning included
            time.sleep(generator.uniform(0.0, full_run))
        else:  # inside the write phase, where a kill can do harm
            _wait_for_first_write(work, process)
            time.sleep(generator.uniform(0.0, window * 0.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        state = snapshot(work)
        stray = [name for name in state if name.rsplit("/", 1)[-1].startswith(files.TEMP_PREFIX)]
        for name in stray:  # a temporary file is never a half-written original
            del state[name]
        assert state.keys() == old.keys()
        for name, data in state.items():
            assert data in (old[name], new[name]), f"{name} is neither original nor migrated"
        if any(state[name] == new[name] for name in state) and state != new:
            partial_runs += 1
        # A later run ignores stray temporary files and finishes the job.
        again = run_cli(["apply", "-q"], work)
        assert again.exit_code == 0, again.stderr
        finished = snapshot(work)
        for name in stray:
            finished.pop(name, None)
        assert finished == new
    assert partial_runs >= 1, "no kill landed in the middle of a run"


def test_a_read_only_file_or_directory_is_an_error_and_nothing_else_changes(
    tmp_path: Path,
) -> None:
    (tmp_path / "Dockerfile").write_text("FROM python:3.10\n")
    (tmp_path / "Dockerfile").chmod(0o444)
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked/Dockerfile").write_text("FROM python:3.10\n")
    (tmp_path / "open").mkdir()
    (tmp_path / "open/Dockerfile").write_text("FROM python:3.10\n")
    (tmp_path / "locked").chmod(0o555)
    try:
        whole = run_cli(["apply"], tmp_path)
        # Asked of every file before the first is written: the writable one is held back.
        assert (tmp_path / "open/Dockerfile").read_text() == "FROM python:3.10\n"
        partial = run_cli(["apply", "--partial"], tmp_path)
    finally:
        (tmp_path / "locked").chmod(0o755)
    unwritable = [
        "Dockerfile:1: error: file is read-only; not written",
        "locked/Dockerfile:1: error: its directory is read-only; not written",
    ]
    assert whole.exit_code == 2
    assert whole.errors == [
        *unwritable,
        "open/Dockerfile:1: error: not written: Dockerfile and 1 more failed, and a repository "
        "is written whole or not at all; fix it, or pass --partial to write the files that "
        "passed",
    ]
    assert partial.exit_code == 2
    assert partial.errors == unwritable
    assert (tmp_path / "Dockerfile").read_text() == "FROM python:3.10\n"
    assert (tmp_path / "locked/Dockerfile").read_text() == "FROM python:3.10\n"
    assert (tmp_path / "open/Dockerfile").read_text() == "FROM python:3.12\n"


def test_an_unreadable_file_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "Dockerfile").write_text("FROM python:3.10\n")
    (tmp_path / "Containerfile").write_text("FROM python:3.10\n")
    real_read = files.read_regular_file

    def read_regular_file(path: Path, limit: int) -> bytes:
        if Path(path).name == "Dockerfile":
            raise PermissionError(13, "Permission denied")
        return real_read(path, limit)

    monkeypatch.setattr(files, "read_regular_file", read_regular_file)
    result = run_cli(["apply", "--partial"], tmp_path)
    assert result.exit_code == 2
    assert result.errors == ["Dockerfile:1: error: cannot read file: Permission denied"]
    assert (tmp_path / "Containerfile").read_bytes() == b"FROM python:3.12\n"


def test_a_file_edited_while_the_run_plans_it_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM python:3.10\n")
    (tmp_path / "Containerfile").write_text("FROM python:3.10\n")
    planned = engine.verify

    def verify_then_edit(original: Document, *rest: Any) -> None:
        planned(original, *rest)
        if original.path == "Dockerfile":  # planned and verified, not yet written
            with dockerfile.open("a") as handle:
                handle.write("USER app\n")

    monkeypatch.setattr(engine, "verify", verify_then_edit)
    result = run_cli(["apply"], tmp_path)
    assert result.exit_code == 2
    assert result.errors == [
        "Dockerfile:1: error: file changed on disk since it was read; not written"
    ]
    assert dockerfile.read_text() == "FROM python:3.10\nUSER app\n"
    assert (tmp_path / "Containerfile").read_text() == "FROM python:3.12\n"


def test_a_file_over_the_size_limit_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 10)
    (tmp_path / "Dockerfile").write_text("FROM python:3.10\n")
    result = run_cli(["apply"], tmp_path)
    assert result.exit_code == 0
    assert len(result.warnings) == 1 and "larger than" in result.warnings[0]
    assert (tmp_path / "Dockerfile").read_text() == "FROM python:3.10\n"


def test_a_symlink_loop_is_reported_not_followed(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").symlink_to("Dockerfile.other")
    (tmp_path / "Dockerfile.other").symlink_to("Dockerfile")
    os.symlink("loop", tmp_path / "loop")
    (tmp_path / "app").mkdir()
    (tmp_path / "app/Dockerfile").write_text("FROM python:3.10\n")
    result = run_cli(["apply"], tmp_path)
    assert result.exit_code == 0
    assert len(result.warnings) == 2 and all("looping" in w for w in result.warnings)
    assert (tmp_path / "app/Dockerfile").read_text() == "FROM python:3.12\n"


def test_a_template_that_is_not_yaml_is_skipped_with_a_warning(tmp_path: Path) -> None:
    template = '{% if db %}\nversion: "3"\nservices:\n  db:\n    image: postgres:14\n{% endif %}\n'
    (tmp_path / "docker-compose.yml").write_text(template)
    result = run_cli(["apply"], tmp_path)
    assert result.exit_code == 0
    assert result.warnings == [
        "docker-compose.yml:1: warning: a template (Jinja or similar), not YAML; skipped"
    ]
    assert (tmp_path / "docker-compose.yml").read_text() == template


def _processes_in(directory: Path) -> list[int]:
    """The processes (other than this one) whose working directory is ``directory``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if os.readlink(entry / "cwd") == str(directory):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize(
    ("how", "exit_code"),
    [("ctrl-c", 130), ("ctrl-c-twice", 130), ("sigterm", 143), ("sigterm-batch", 143)],
)
def test_an_interrupt_stops_the_run_and_its_workers_cleanly(
    tmp_path: Path, how: str, exit_code: int
) -> None:
    """Ctrl-C (SIGINT to every process of the group, as a terminal sends it; twice in a row
    too) or SIGTERM to the main process alone (and in a batch whose repositories have worker
    pools of their own): exit 128 + the signal, no traceback, no worker left running, no
    temporary file left behind, and every file as it was or fully migrated."""
    names = ["a", "b"] if how == "sigterm-batch" else ["."]
    pristine = tmp_path / "pristine"
    for name in names:
        _make_repo(pristine / name, 200)  # 400 files a repository: worker processes write them
    migrated = tmp_path / "migrated"
    shutil.copytree(pristine, migrated)
    for name in names:
        assert run_cli(["apply", "-q", name], migrated).exit_code == 0
    old, new = snapshot(pristine), snapshot(migrated)
    work = (tmp_path / "work").resolve()
    generator = random.Random(how)
    interrupted = 0
    jobs = "4" if how == "sigterm-batch" else "2"  # 2 repositories with 2 processes each
    for _attempt in range(3):
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(pristine, work)
        process = subprocess.Popen(
            [sys.executable, "-m", "modernize", "apply", "-q", "-j", jobs, *names],
            cwd=work,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # a process group of its own, like a terminal's job
        )
        _wait_for_first_write(work / names[0], process)
        time.sleep(generator.uniform(0.0, 0.05))
        if process.poll() is None:
            if how.startswith("ctrl-c"):
                os.killpg(process.pid, signal.SIGINT)
                if how == "ctrl-c-twice":
                    time.sleep(generator.uniform(0.0, 0.003))
                    os.killpg(process.pid, signal.SIGINT)
            else:
                process.send_signal(signal.SIGTERM)
        stderr = process.communicate(timeout=60)[1].decode()
        if process.returncode == 0:
            continue  # finished before the signal: try again
        interrupted += 1
        assert process.returncode == exit_code, stderr
        assert "interrupted" in stderr and "Traceback" not in stderr, stderr
        deadline = time.monotonic() + 5
        while _processes_in(work) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _processes_in(work) == [], "a worker process outlived the run"
        state = snapshot(work)
        assert state.keys() == old.keys(), "a temporary file was left behind"
        assert all(data in (old[name], new[name]) for name, data in state.items())
        for name in names:
            assert run_cli(["apply", "-q", name], work).exit_code == 0
        assert snapshot(work) == new
        break
    assert interrupted, "every run finished before the signal reached it"


_INTERRUPT_WHILE_LOADING = """
import os, signal, sys

MODULE = sys.argv[1]

class InterruptOnImport:
    def find_spec(self, name, path=None, target=None):
        if name == MODULE:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C while the command line still loads
        return None

sys.meta_path.insert(0, InterruptOnImport())
from modernize.entry import main

sys.argv = ["modernize", "apply", "."]
main()
"""


@pytest.mark.parametrize("module", ["click", "modernize.engine.planning"])
def test_an_interrupt_while_the_command_line_loads_exits_quietly(
    tmp_path: Path, module: str
) -> None:
    """The script's entry point stops at once, without a traceback, on a Ctrl-C that arrives
    before the command line has installed its handlers; nothing is written."""
    (tmp_path / "Dockerfile").write_text("FROM python:3.10\n")
    stopped = subprocess.run(
        [sys.executable, "-c", _INTERRUPT_WHILE_LOADING, module],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert stopped.returncode == 130, stopped.stderr
    assert "Traceback" not in stopped.stderr
    assert "interrupted" in stopped.stderr
    assert (tmp_path / "Dockerfile").read_text() == "FROM python:3.10\n"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="lists child processes")
def test_a_worker_that_dies_is_an_error_of_the_files_it_had(tmp_path: Path) -> None:
    """A worker process killed in the middle of a run (out of memory, say) breaks its pool: the
    files whose outcome never came back are errors (exit 2, no traceback), nothing is written
    (workers only plan), and a second run finishes the job."""
    pristine = tmp_path / "pristine"
    _make_repo(pristine, 200)
    migrated = tmp_path / "migrated"
    shutil.copytree(pristine, migrated)
    assert run_cli(["apply", "-q"], migrated).exit_code == 0
    work = tmp_path / "work"
    for _attempt in range(3):
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(pristine, work)
        process = subprocess.Popen(
            [sys.executable, "-m", "modernize", "apply", "-q", "-j", "2", "."],
            cwd=work,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        children: list[str] = []
        while process.poll() is None and not children:
            time.sleep(0.005)
            children = subprocess.run(
                ["pgrep", "-P", str(process.pid)], capture_output=True, text=True, check=False
            ).stdout.split()
        if not children:
            process.communicate(timeout=60)
            continue  # finished first: try again
        time.sleep(0.05)  # planning by now
        try:
            os.kill(int(children[-1]), signal.SIGKILL)
        except ProcessLookupError:  # gone already: the pool finished
            process.communicate(timeout=60)
            continue
        stderr = process.communicate(timeout=60)[1].decode()
        if process.returncode == 0:
            continue
        assert process.returncode == 2, stderr
        assert "Traceback" not in stderr, stderr
        lost = [line for line in stderr.splitlines() if "planning this file died" in line]
        assert lost and len(lost) == len(set(lost)), "a lost file is reported once"
        assert snapshot(work) == snapshot(pristine)
        assert run_cli(["apply", "-q"], work).exit_code == 0
        assert snapshot(work) == snapshot(migrated)
        return
    pytest.fail("every run finished before a worker could be killed")


ORPHAN = """
import os, sys, time
from modernize.engine import stopping

marker = sys.argv[1]
middle = os.fork()
if middle == 0:
    if os.fork() == 0:
        time.sleep(0.5)  # the worker's parent has exited by now, and is not yet reaped
        stopping._parent_pid = int(open(marker + ".pid").read())
        stopping.exit_if_orphaned()
        open(marker, "w").write("still running")
        os._exit(0)
    open(marker + ".pid", "w").write(str(os.getpid()))
    os._exit(0)
time.sleep(1.5)  # the middle process stays a zombie: nobody waits for it yet
os.waitpid(middle, 0)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_worker_whose_parent_exited_but_is_not_reaped_yet_exits(tmp_path: Path) -> None:
    """A parent killed while it starts a worker is a zombie until its own parent waits for it,
    and a signal of 0 still reaches a zombie: the worker must see it as gone, or it waits for
    work for ever, holding the run's output open."""
    marker = tmp_path / "survived"
    subprocess.run([sys.executable, "-c", ORPHAN, str(marker)], check=True, timeout=30)
    time.sleep(0.5)
    assert (tmp_path / "survived.pid").exists()
    assert not marker.exists()


def test_files_told_by_content_are_passed_over_quietly_when_they_are_not_of_their_kind(
    tmp_path: Path,
) -> None:
    # Extensionless files that are no Dockerfile, YAML that is no manifest or does not parse.
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin/tool").write_bytes(b"\x7fELF\x00\x01 FROM python:3.10\n")
    (tmp_path / "bin/release").write_text("#!/bin/sh\necho FROM python:3.10\n")
    (tmp_path / "notes.yml").write_text("{% if a %}\nimage: python:3.10\n{% endif %}\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nimage: python:3.10\n")
    os.symlink("nowhere", tmp_path / "dangling")
    (tmp_path / "docker").mkdir()
    (tmp_path / "docker/base").write_text("# the base image\nFROM python:3.10-slim\n")
    result = run_cli(["apply"], tmp_path)
    assert result.exit_code == 0 and result.warnings == [] and result.errors == []
    assert (tmp_path / "docker/base").read_text() == "# the base image\nFROM python:3.12-slim\n"
    assert (tmp_path / "bin/release").read_text() == "#!/bin/sh\necho FROM python:3.10\n"
    verified = run_cli(["verify"], tmp_path)
    assert verified.exit_code == 0, verified.stdout + verified.stderr
