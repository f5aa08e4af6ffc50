"""Files named on the command line, as a pre-commit hook passes them from the repository root."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.helpers import run_cli

STALE_COMPOSE = 'version: "3.8"\nservices:\n  db:\n    image: postgres:14\n'
CONFIG = '[tool.modernize]\npython = "3.13"\nexclude = ["legacy/", "svc/vendored.Dockerfile"]\n'


def _repo(tmp_path: Path) -> Path:
    files = {
        "pyproject.toml": CONFIG,
        "docker-compose.yml": STALE_COMPOSE,
        "svc/Dockerfile": "FROM python:3.10\n",
        "svc/vendored.Dockerfile": "FROM python:3.10\n",
        "legacy/Dockerfile": "FROM python:3.9\n",
        "notes.txt": "not an infrastructure file\n",
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_a_file_in_a_subdirectory_is_shown_as_named_and_its_diff_applies(
    tmp_path: Path,
) -> None:
    repo = _repo(tmp_path)
    result = run_cli(["apply", "--dry-run", "svc/Dockerfile"], repo)
    assert result.exit_code == 1
    assert result.stdout.startswith("--- a/svc/Dockerfile\n+++ b/svc/Dockerfile\n")
    # The configuration above the file is found: its target, not the default.
    assert "+FROM python:3.13\n" in result.stdout
    (tmp_path / "change.diff").write_text(result.stdout)
    subprocess.run(["git", "apply", str(tmp_path / "change.diff")], cwd=repo, check=True)
    assert (repo / "svc/Dockerfile").read_text() == "FROM python:3.13\n"


def test_a_lone_file_outside_the_current_directory_is_shown_by_its_name(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    result = run_cli(["apply", "--dry-run", "../docker-compose.yml"], repo / "svc")
    assert result.stdout.startswith("--- a/docker-compose.yml\n")


def test_excluded_files_are_left_even_when_named(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    named = ["docker-compose.yml", "svc/Dockerfile", "svc/vendored.Dockerfile"]
    result = run_cli(["apply", *named, "legacy/Dockerfile", "notes.txt"], repo)
    assert result.exit_code == 0, result.stderr
    assert "2 files changed, 0 unchanged." in result.stderr
    assert (repo / "svc/Dockerfile").read_text() == "FROM python:3.13\n"
    assert (repo / "svc/vendored.Dockerfile").read_text() == "FROM python:3.10\n"
    assert (repo / "legacy/Dockerfile").read_text() == "FROM python:3.9\n"
    found = run_cli(
        ["verify", "--no-external", "legacy/Dockerfile", "svc/vendored.Dockerfile"], repo
    )
    assert found.exit_code == 0
    assert found.stdout == ""


@pytest.mark.parametrize("command", ["apply --dry-run", "verify --no-external"])
def test_exclude_patterns_are_relative_to_the_configuration_not_to_path(
    tmp_path: Path, command: str
) -> None:
    repo = _repo(tmp_path)
    (repo / "svc/legacy").mkdir()
    (repo / "svc/legacy/Dockerfile").write_text("FROM python:3.9\n")
    # "svc/vendored.Dockerfile" has a slash: anchored at the configuration's directory.
    result = run_cli([*command.split(), "svc"], repo)
    assert "vendored" not in result.stdout
    assert "legacy" not in result.stdout  # "legacy/" has no inner slash: it matches anywhere
    assert "Dockerfile" in result.stdout


def test_verify_names_each_file_as_given(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    result = run_cli(["verify", "--no-external", "svc/Dockerfile", "docker-compose.yml"], repo)
    assert result.exit_code == 1
    paths = {line.split(":")[0] for line in result.stdout.splitlines()}
    assert paths == {"svc/Dockerfile", "docker-compose.yml"}


def test_many_files_load_the_migrations_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import modernize.registry

    real = modernize.registry.load_migrations
    calls = []

    def counting() -> list[modernize.registry.Migration]:
        calls.append(1)
        return real()

    monkeypatch.setattr(modernize.registry, "load_migrations", counting)
    repo = _repo(tmp_path)
    for index in range(10):
        (repo / f"s{index}").mkdir()
        (repo / f"s{index}/Dockerfile").write_text("FROM python:3.13\n")
    names = [f"s{index}/Dockerfile" for index in range(10)]
    result = run_cli(["apply", "--dry-run", *names], repo)
    assert result.exit_code == 0
    assert "10 unchanged" in result.stderr
    assert len(calls) == 1


def _git_apply_check(repo: Path, diff: str) -> subprocess.CompletedProcess[str]:
    subprocess.run(["git", "init", "-q", "."], cwd=repo, check=True)
    return subprocess.run(
        ["git", "apply", "--check", "-"], cwd=repo, input=diff, text=True, capture_output=True
    )


def test_a_path_named_twice_or_inside_another_is_planned_once(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    result = run_cli(
        ["apply", "--dry-run", ".", "svc/Dockerfile", "docker-compose.yml", "./."], repo
    )
    assert result.exit_code == 1
    assert result.stdout.count("+++ b/svc/Dockerfile\n") == 1
    assert result.stdout.count("+++ b/docker-compose.yml\n") == 1
    assert "warning: svc/Dockerfile: inside ., which is also named; run once" in result.stderr
    assert _git_apply_check(repo, result.stdout).returncode == 0
    assert "2 files would be changed" in result.stderr


def test_files_named_as_paths_share_one_changelog_entry(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / "CHANGELOG.md").write_text("# Changelog\n")
    dry = run_cli(
        ["apply", "--dry-run", "--changelog", "svc/Dockerfile", "docker-compose.yml"], repo
    )
    assert dry.stdout.count("+++ b/CHANGELOG.md\n") == 1  # the project's, not svc/'s
    assert _git_apply_check(repo, dry.stdout).returncode == 0
    written = run_cli(["apply", "--changelog", "svc/Dockerfile", "docker-compose.yml"], repo)
    assert written.exit_code == 0
    assert not (repo / "svc" / "CHANGELOG.md").exists()
    entries = [
        line for line in (repo / "CHANGELOG.md").read_text().splitlines() if line[:2] == "- "
    ]
    assert len(entries) == 1 and "2 files" in entries[0]


def test_a_missing_path_is_in_the_report(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    result = run_cli(["apply", "--dry-run", "--report", "r.md", "svc/Dockerfile", "gone"], repo)
    assert result.exit_code == 2
    assert "error: gone: no such file or directory" in result.stderr
    report = (repo / "r.md").read_text()
    assert "- Errors: 1" in report and "`gone`: no such file or directory" in report
