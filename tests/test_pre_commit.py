"""The pre-commit hooks, run by pre-commit itself on temporary git repositories.

pre-commit builds the hook's virtualenv by pip-installing this project (from a temporary git
repository holding the working tree), so these tests take a few seconds each and need the
package index. The environment is built once for the module and shared through PRE_COMMIT_HOME;
``try-repo`` always builds its own, so only one test uses it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from modernize.workspace.files import classify
from tests.helpers import run_cli, snapshot

pytest.importorskip("pre_commit", reason="pre-commit is not installed (the test extra has it)")

ROOT = Path(__file__).parent.parent
HOOKS_FILE = ROOT / ".pre-commit-hooks.yaml"
README = ROOT / "README.md"
PROJECT_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "src", "migrations")
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
}
STALE = {
    "Dockerfile": "FROM python:3.10-slim\nMAINTAINER Jane <j@example.org>\n",
    "deploy/docker-compose.yml": 'version: "3.8"\nservices:\n  db:\n    image: postgres:14\n',
    "legacy/Dockerfile": "FROM python:3.8\n",
    "pyproject.toml": '[project]\nname = "app"\n\n[tool.modernize]\nexclude = ["legacy/"]\n',
    "notes.md": "FROM python:3.8 is not a Dockerfile line here\n",
}


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **GIT_IDENTITY}
    completed = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return completed.stdout


def _target(path: Path) -> Path:
    """A git repository with stale files, all staged (pre-commit reads the index)."""
    for name, text in STALE.items():
        file = path / name
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text)
    _git(path, "init", "-q")
    _git(path, "add", "-A")
    return path


def _pre_commit(cwd: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PRE_COMMIT")}
    env.update(GIT_IDENTITY, PRE_COMMIT_HOME=str(home), NO_COLOR="1")
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args, "--color", "never"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """This working tree as a one-commit git repository (pre-commit clones hooks from git)."""
    repo = tmp_path_factory.mktemp("hooks")
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, repo / name)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "hooks under test")
    yield repo, _git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def _readme_config(repo: Path, rev: str) -> str:
    """The README's .pre-commit-config.yaml, pointed at the repository under test."""
    blocks = re.findall(r"```yaml\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    config = next(block for block in blocks if "id: modernize-verify" in block)
    loaded = yaml.safe_load(config)
    assert [hook["id"] for hook in loaded["repos"][0]["hooks"]] == [
        "modernize",
        "modernize-verify",
    ]
    loaded["repos"][0].update(repo=str(repo), rev=rev)
    return yaml.safe_dump(loaded)


def test_the_hook_rewrites_the_files_then_passes(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    repo = _target(tmp_path / "repo")
    (repo / ".pre-commit-config.yaml").write_text(_readme_config(*hook_repo))
    _git(repo, "add", "-A")
    # What the hook must produce: modernize on a copy, in this process.
    expected = tmp_path / "expected"
    shutil.copytree(repo, expected, ignore=shutil.ignore_patterns(".git"))
    assert run_cli(["apply", "."], expected).exit_code == 0

    first = _pre_commit(repo, pre_commit_home, "run", "--all-files")
    assert first.returncode == 1, first.stdout + first.stderr
    assert re.search(r"^modernize\.+Failed$", first.stdout, re.M), first.stdout
    assert "- files were modified by this hook" in first.stdout
    assert "2 files changed, 1 unchanged." in first.stdout  # legacy/ excluded, notes.md unread
    # The rewritten files are what modernize writes; the excluded file is untouched.
    worktree = {path: data for path, data in snapshot(repo).items() if not path.startswith(".git/")}
    assert worktree == snapshot(expected)
    assert (repo / "legacy/Dockerfile").read_text() == STALE["legacy/Dockerfile"]
    assert (repo / "Dockerfile").read_text() != STALE["Dockerfile"]
    # The rewritten files pass modernize verify (warnings only, for missed standards).
    assert re.search(r"^modernize verify\.+Passed$", first.stdout, re.M), first.stdout

    second = _pre_commit(repo, pre_commit_home, "run", "--all-files")
    assert second.returncode == 0, second.stdout + second.stderr
    assert re.search(r"^modernize\.+Passed$", second.stdout, re.M)


MONOREPO = {
    "pyproject.toml": '[tool.modernize]\npython = "3.11"\n',
    "packages/api/pyproject.toml": '[project]\nname = "api"\n',
    "packages/api/Dockerfile": "FROM python:3.9-slim\n",
    "packages/web/pyproject.toml": '[project]\nname = "web"\n\n[tool.modernize]\npython = "3.13"\n',
    "packages/web/Dockerfile": "FROM python:3.9-slim\n",
    "packages/web/deploy/Dockerfile": "FROM python:3.9-slim\n",
}


def test_the_hook_gives_each_file_of_a_monorepo_its_nearest_configuration(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    """pre-commit names each file alone: each takes the nearest [tool.modernize] above it, as
    it does when `modernize apply .` walks the whole repository."""
    repo = tmp_path / "repo"
    for name, text in MONOREPO.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    _git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(_readme_config(*hook_repo))
    _git(repo, "add", "-A")
    expected = tmp_path / "expected"
    shutil.copytree(repo, expected, ignore=shutil.ignore_patterns(".git"))
    assert run_cli(["apply", "."], expected).exit_code == 0
    assert (expected / "packages/api/Dockerfile").read_text() == "FROM python:3.11-slim\n"
    assert (expected / "packages/web/Dockerfile").read_text() == "FROM python:3.13-slim\n"
    assert (expected / "packages/web/deploy/Dockerfile").read_text() == "FROM python:3.13-slim\n"

    first = _pre_commit(repo, pre_commit_home, "run", "--all-files")
    assert first.returncode == 1, first.stdout + first.stderr
    worktree = {path: data for path, data in snapshot(repo).items() if not path.startswith(".git/")}
    assert worktree == snapshot(expected)
    # verify agrees, named file by file (the hook) and walked (`verify .`).
    assert re.search(r"^modernize verify\.+Passed$", first.stdout, re.M), first.stdout
    assert run_cli(["verify", "--select", "M", "."], repo).exit_code == 0


def test_try_repo_verify_fails_on_a_stale_file(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    repo = _target(tmp_path / "repo")
    before = snapshot(repo)
    result = _pre_commit(
        repo, pre_commit_home, "try-repo", str(hook_repo[0]), "modernize-verify", "--all-files"
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"^modernize verify\.+Failed$", result.stdout, re.M), result.stdout
    # Each finding names the file as pre-commit passed it, from the repository root.
    assert re.search(r"^Dockerfile:1: error M001 ", result.stdout, re.M), result.stdout
    assert re.search(r"^deploy/docker-compose\.yml:\d+: error M002 ", result.stdout, re.M)
    assert "legacy/" not in result.stdout  # excluded by the repository's configuration
    assert snapshot(repo) == before


def _hook_files_pattern() -> str:
    hooks = yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))
    patterns = {hook["files"] for hook in hooks}
    assert len(patterns) == 1
    return patterns.pop()


DIRECTORIES = ["", "svc/", ".github/", ".github/workflows/", "a/.github/workflows/", "workflows/"]
NAMES = [
    "Dockerfile", "Dockerfile.dev", "Dockerfile.", "dockerfile", "app.dockerfile", "X.DOCKERFILE",
    "Containerfile", "Containerfile.prod", "MyDockerfile", "Dockerfile-old",
    "docker-compose.yml", "docker-compose.override.yaml", "compose.yml", "compose-dev.yaml",
    "compose.yml.bak", "Compose.yml", "docker-compose.json", "mycompose.yml",
    "ci.yml", "ci.YAML", ".yml", "ci.yml.disabled", "action.yml", "Action.YAML", "action.json",
    "render.yaml", "RENDER.yml", "renders.yaml", "values.yaml",
    "Makefile", "makefile", "GNUmakefile", "MAKEFILE", "rules.mk", "rules.MK", "Makefile.am",
    "pyproject.toml", "pyproject.toml.orig", ".python-version", "python-version", "runtime.txt",
    "requirements.txt", "app.py", "APP.PY", "app.pyi", "setup.cfg", "README.md",
]  # fmt: skip


@pytest.mark.parametrize("directory", DIRECTORIES)
def test_hook_files_pattern_selects_exactly_what_modernize_reads(directory: str) -> None:
    pattern = re.compile(_hook_files_pattern())
    for name in NAMES:
        path = directory + name
        assert (pattern.search(path) is not None) == (classify(path) is not None), path
