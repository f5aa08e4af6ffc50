"""The container: the image runs as any uid, and compose mounts the repository it is given.

There is no Docker daemon to build the image with, so the write path of ``docker run -u
"$(id -u):$(id -g)" -v "$PWD:/repo"`` is run without one: the package laid out as the wheel
installs it, in a folder every user can read, is run by a system Python as an unprivileged uid
that has no passwd entry and no home, with the environment the Dockerfile's final stage sets,
on a repository that uid owns (as a bind mount is owned by the user who runs the container).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parent.parent
#: A uid and gid that no account has: what ``-u "$(id -u):$(id -g)"`` gives the image.
UID = GID = 48_213
#: What the package needs at run time, besides itself (libcst: the opt-in python-typing only).
RUNTIME = ("click", "yaml", "_yaml", "packaging")


def _final_stage(dockerfile: str) -> list[str]:
    """The instructions of the last stage, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", dockerfile)
    lines = [line.strip() for line in joined.splitlines()]
    instructions = [line for line in lines if line and not line.startswith("#")]
    last_from = max(i for i, line in enumerate(instructions) if line.upper().startswith("FROM "))
    return instructions[last_from:]


def _image_env() -> dict[str, str]:
    """The ``ENV`` of the final stage (``KEY=value`` pairs)."""
    env: dict[str, str] = {}
    for line in _final_stage((ROOT / "Dockerfile").read_text(encoding="utf-8")):
        if line.upper().startswith("ENV "):
            env.update(pair.split("=", 1) for pair in line[4:].split())
    return env


def test_the_image_runs_as_a_non_root_user_that_any_uid_can_replace() -> None:
    stage = _final_stage((ROOT / "Dockerfile").read_text(encoding="utf-8"))
    users = [line.split()[1] for line in stage if line.upper().startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert 'ENTRYPOINT ["modernize"]' in stage
    assert "WORKDIR /repo" in stage
    env = _image_env()
    # A uid without a passwd entry has "/" as its home, which it cannot write.
    assert env["HOME"] == "/tmp"
    assert env["PYTHONDONTWRITEBYTECODE"] == "1"


def test_compose_mounts_the_repository_it_is_given() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    service = compose["services"]["modernize"]
    assert service["working_dir"] == "/repo"
    assert service["volumes"] == ["${REPO:-.}:/repo"]
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert 'run --rm -u "$(id -u):$(id -g)" modernize' in text


def _unprivileged(*command: str) -> list[str]:
    return [
        "setpriv",
        f"--reuid={UID}",
        f"--regid={GID}",
        "--clear-groups",
        "--inh-caps=-all",
        *command,
    ]


def _system_python() -> str:
    """A Python that an unprivileged uid can run (the one running the tests may live in a
    home only root can enter)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("needs root, to run the command as another uid")
    if shutil.which("setpriv") is None:
        pytest.skip("needs setpriv (util-linux)")
    check = "import sys; sys.exit(sys.version_info < (3, 10))"
    for candidate in ("/usr/bin/python3", "/usr/local/bin/python3", sys.executable):
        if not os.path.exists(candidate):
            continue
        probe = subprocess.run(
            _unprivileged(candidate, "-I", "-c", check), capture_output=True, check=False
        )
        if probe.returncode == 0:
            return candidate
    pytest.skip("no Python 3.10+ that an unprivileged user may run")


@pytest.fixture(scope="module")
def installed() -> Iterator[tuple[str, Path]]:
    """A system Python and a folder every user can read holding the package as the wheel lays
    it out (the migrations inside it) and what it needs to run."""
    python = _system_python()
    site = Path(tempfile.mkdtemp(prefix="modernize-site-"))
    try:
        site.chmod(0o755)
        skip = shutil.ignore_patterns("__pycache__")
        shutil.copytree(ROOT / "src" / "modernize", site / "modernize", ignore=skip)
        for script in (ROOT / "migrations").glob("*.py"):
            shutil.copy(script, site / "modernize" / "migrations" / script.name)
        same_abi = subprocess.run(
            [python, "-I", "-c", "import sys; print(sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip() == str(sys.version_info[:2])
        for name in RUNTIME:
            spec = importlib.util.find_spec(name)
            if spec is None or (name == "_yaml" and not same_abi):
                continue  # PyYAML runs without its C loader
            locations = spec.submodule_search_locations
            if locations:
                shutil.copytree(next(iter(locations)), site / name, ignore=skip)
            elif spec.origin:
                shutil.copy(spec.origin, site)
        for path in [site, *site.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        yield python, site
    finally:
        shutil.rmtree(site, ignore_errors=True)


def _run_as_the_user(
    installed: tuple[str, Path], repo: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    """``modernize ARGS`` in ``repo`` as the image runs it under ``-u UID:GID``."""
    python, site = installed
    program = (
        f"import runpy, sys; sys.path.insert(0, {str(site)!r}); "
        "runpy.run_module('modernize', run_name='__main__', alter_sys=True)"
    )
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "NO_COLOR": "1", **_image_env()}
    return subprocess.run(
        _unprivileged(
            "env", "-i", *(f"{k}={v}" for k, v in env.items()), python, "-I", "-c", program, *args
        ),
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def mounted() -> Iterator[Path]:
    """A repository owned by the unprivileged uid, in a folder it can enter."""
    base = Path(tempfile.mkdtemp(prefix="modernize-mount-"))
    repo = base / "repo"
    try:
        (repo / ".github" / "workflows").mkdir(parents=True)
        (repo / "Dockerfile").write_text("FROM python:3.10-slim\nRUN pip install flask\n")
        (repo / "Dockerfile").chmod(0o640)
        (repo / ".github" / "workflows" / "ci.yml").write_text(
            "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - uses: actions/setup-python@v4\n        with:\n"
            "          python-version: '3.10'\n"
        )
        for path in [base, *base.rglob("*")]:
            os.chown(path, UID, GID)
        yield repo
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_an_unprivileged_uid_writes_the_repository_it_owns(
    installed: tuple[str, Path], mounted: Path
) -> None:
    pending = _run_as_the_user(installed, mounted, "apply", "--dry-run", ".")
    assert pending.returncode == 1, pending.stderr
    assert "+FROM python:3.12-slim" in pending.stdout

    written = _run_as_the_user(installed, mounted, "apply", ".")
    assert written.returncode == 0, written.stderr
    assert (mounted / "Dockerfile").read_text().startswith("FROM python:3.12-slim\n")
    assert "actions/setup-python@v7" in (mounted / ".github/workflows/ci.yml").read_text()
    for path in (mounted / "Dockerfile", mounted / ".github/workflows/ci.yml"):
        info = path.stat()
        assert (info.st_uid, info.st_gid) == (UID, GID)  # still the user's own files
    assert (mounted / "Dockerfile").stat().st_mode & 0o777 == 0o640
    leftovers = [path.name for path in mounted.rglob("*") if ".modernize" in path.name]
    assert leftovers == []
    assert not list(mounted.rglob("__pycache__"))
    again = _run_as_the_user(installed, mounted, "verify", "--no-external", "--select", "M", ".")
    assert again.returncode == 0, again.stdout + again.stderr


def test_a_file_the_user_cannot_write_stops_the_repository_whole(
    installed: tuple[str, Path], mounted: Path
) -> None:
    locked = mounted / "docker"
    locked.mkdir()
    (locked / "Dockerfile").write_text("FROM python:3.10\n")
    locked.chmod(0o755)  # root's folder and file: readable, not writable by the user
    before = (mounted / "Dockerfile").read_bytes()
    result = _run_as_the_user(installed, mounted, "apply", ".")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert re.search(r"^docker/Dockerfile(:\d+)?: error: .*ermission denied", result.stderr, re.M)
    assert (mounted / "Dockerfile").read_bytes() == before  # nothing half-done
    assert (locked / "Dockerfile").read_text() == "FROM python:3.10\n"
