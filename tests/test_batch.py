"""Batch runs: several repositories in parallel, each printed whole and in input order, one
summary table, the worst exit code; one repository's failure never stops the others."""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import Run, run_cli, snapshot

ROOT = Path(__file__).parent.parent
LEGACY = ROOT / "examples" / "legacy-repo"
MODERN = Path(__file__).parent / "data" / "modern-repo"
# Stale (postgres 14), so that a run parses it, and not YAML.
BROKEN_COMPOSE = "services:\n  web:\n    ports: [80,\n  db: {image: postgres:14}\n"

forked_workers = pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork",
    reason="a monkeypatched function reaches worker processes only when they are forked",
)


def _repos(base: Path) -> list[str]:
    """Four repositories under ``base``, named in this order: legacy (the example), modern
    (nothing to do), broken (an unparseable compose file beside a stale Dockerfile) and
    missing (no such directory). The first three are git repositories."""
    shutil.copytree(LEGACY, base / "legacy")
    shutil.copytree(MODERN, base / "modern")
    (base / "broken").mkdir(parents=True)
    (base / "broken" / "compose.yml").write_text(BROKEN_COMPOSE)
    (base / "broken" / "Dockerfile").write_text("FROM python:3.9-slim\n")
    for name in ("legacy", "modern", "broken"):
        subprocess.run(["git", "init", "-q", str(base / name)], check=True)
    return ["legacy", "modern", "broken", "missing"]


def _tiny(base: Path, **dockerfiles: str) -> None:
    """One small repository per keyword: a directory holding just that Dockerfile."""
    for name, text in dockerfiles.items():
        (base / name).mkdir(parents=True)
        (base / name / "Dockerfile").write_text(text)


def _tree(root: Path) -> dict[str, bytes]:
    return {name: data for name, data in snapshot(root).items() if not name.startswith(".git/")}


def _sections(stdout: str) -> dict[str, str]:
    """Each repository's part of the output, by the path its separator line names."""
    parts = re.split(r"(?m)^# repository: (.*)\n", stdout)
    assert parts[0] == "", "output before the first separator"
    names = parts[1::2]
    assert len(set(names)) == len(names), "a repository printed in two places"
    return dict(zip(names, parts[2::2], strict=True))


def _table(stderr: str) -> dict[str, tuple[int, int, int]]:
    """The summary table: (files changed, warnings, errors) by repository, checking that its
    columns line up."""
    lines = stderr.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("repository  "))
    end = next(i for i, line in enumerate(lines) if re.match(r"\d+ repositories: ", line))
    table = lines[start:end]
    assert len({len(line) for line in table}) == 1, table  # right-aligned numbers: one width
    rows = {}
    for line in table[1:]:
        name, changed, warnings, errors = line.rsplit(None, 3)
        rows[name.rstrip()] = (int(changed), int(warnings), int(errors))
    assert list(rows) == [line.rsplit(None, 3)[0].rstrip() for line in table[1:]]
    return rows


def _alone(repo: Path, *args: str) -> tuple[Run, tuple[int, int, int]]:
    """A run over one repository by itself, and its counts from the summary sentence."""
    result = run_cli(["apply", *args, str(repo.name)], repo.parent)

    def count(pattern: str) -> int:
        match = re.search(pattern, result.stderr.splitlines()[-1])
        return int(match.group(1)) if match else 0

    changed = count(r"(\d+) files? (?:would be )?changed")
    return result, (changed, count(r"(\d+) warnings?"), count(r"(\d+) failed"))


def _diagnostics(stderr: str) -> list[str]:
    return [
        line
        for line in stderr.splitlines()
        if ": warning: " in line or ": note: " in line or "error: " in line
    ]


def test_dry_run_prints_each_repository_whole_in_input_order_and_writes_nothing(
    tmp_path: Path,
) -> None:
    names = _repos(tmp_path)
    before = {name: snapshot(tmp_path / name) for name in names[:3]}
    result = run_cli(["apply", "--dry-run", "-j", "2", *names], tmp_path)
    assert result.exit_code == 2  # broken and missing: errors outrank pending changes
    assert {name: snapshot(tmp_path / name) for name in names[:3]} == before
    sections = _sections(result.stdout)
    # Modern and missing print no diff, and broken none either: a repository is written whole
    # or not at all, and the dry run's diff is what would be written.
    assert list(sections) == ["legacy"]
    legacy_alone, _ = _alone(tmp_path / "legacy", "--dry-run")
    assert sections["legacy"] == legacy_alone.stdout
    # Diagnostics come grouped by repository, in input order, as each would print alone.
    diagnostics = _diagnostics(result.stderr)
    legacy_lines = _diagnostics(legacy_alone.stderr)  # run from here, so also legacy/...
    assert legacy_lines and all(line.startswith("legacy/") for line in legacy_lines)
    assert diagnostics[: len(legacy_lines)] == legacy_lines
    rest = diagnostics[len(legacy_lines) :]
    assert [line.split(":")[0] for line in rest] == [
        "broken/Dockerfile",
        "broken/compose.yml",
        "error",
    ]
    assert "not written: compose.yml failed" in rest[0]
    assert rest[2] == "error: missing: no such file or directory"
    # Not a terminal: no progress line.
    assert "\r" not in result.stderr
    assert "[1/4]" not in result.stderr


def test_each_repository_section_applies_with_git_apply_in_that_repository(
    tmp_path: Path,
) -> None:
    names = _repos(tmp_path / "batch")
    result = run_cli(["apply", "--dry-run", *names], tmp_path / "batch")
    _repos(tmp_path / "reference")
    assert run_cli(["apply", "legacy", "broken"], tmp_path / "reference").exit_code == 2
    assert (tmp_path / "reference" / "broken" / "Dockerfile").read_text() == (
        "FROM python:3.9-slim\n"
    )
    sections = _sections(result.stdout)
    assert sections
    for name, section in sections.items():
        patch = tmp_path / f"{name}.diff"
        patch.write_bytes(f"# repository: {name}\n{section}".encode())  # separator included
        subprocess.run(["git", "apply", str(patch)], cwd=tmp_path / "batch" / name, check=True)
        assert _tree(tmp_path / "batch" / name) == _tree(tmp_path / "reference" / name)
        assert _tree(tmp_path / "batch" / name) != _tree(tmp_path / "reference" / "modern")


def test_apply_migrates_every_good_repository_despite_the_broken_ones(tmp_path: Path) -> None:
    names = _repos(tmp_path / "batch")
    shutil.copytree(LEGACY, tmp_path / "reference")
    assert run_cli(["apply"], tmp_path / "reference").exit_code == 0
    modern_before = _tree(tmp_path / "batch" / "modern")
    broken = tmp_path / "batch" / "broken"
    result = run_cli(["apply", "-j", "2", *names], tmp_path / "batch")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert _tree(tmp_path / "batch" / "legacy") == _tree(tmp_path / "reference")
    assert _tree(tmp_path / "batch" / "modern") == modern_before
    assert (broken / "Dockerfile").read_text() == "FROM python:3.9-slim\n"  # held back
    assert (broken / "compose.yml").read_text() == BROKEN_COMPOSE
    rows = _table(result.stderr)
    assert rows["broken"] == (0, 0, 2)
    assert rows["missing"] == (0, 0, 1)
    assert not list((tmp_path / "batch").rglob(".modernize-*.tmp"))


def test_summary_table_counts_each_repository_as_a_run_of_its_own(tmp_path: Path) -> None:
    names = _repos(tmp_path)
    result = run_cli(["apply", "--dry-run", "-j", "2", *names], tmp_path)
    rows = _table(result.stderr)
    assert list(rows) == names
    for name in names:
        assert rows[name] == _alone(tmp_path / name, "--dry-run")[1], name
    assert rows["modern"] == (0, 0, 0)
    assert rows["legacy"][0] > 0 and rows["legacy"][2] == 0
    assert result.stderr.splitlines()[-1].startswith("4 repositories: 7 files would be changed")
    header = result.stderr.splitlines()[-len(names) - 2]
    assert header == "repository  would change  warnings  errors"


@pytest.mark.parametrize(
    ("names", "dry_run", "expected"),
    [
        (["current", "current2"], True, 0),
        (["current", "stale"], True, 1),
        (["stale", "current"], False, 0),
        (["stale", "broken"], True, 2),
        (["current", "missing"], True, 2),
        (["missing", "stale"], False, 2),
    ],
)
def test_exit_code_is_the_worst_of_all(
    tmp_path: Path, names: list[str], dry_run: bool, expected: int
) -> None:
    _tiny(tmp_path, stale="FROM python:3.9\n", current="FROM python:3.12\n")
    _tiny(tmp_path, current2="FROM python:3.13\n", broken="FROM python:3.9\n")
    (tmp_path / "broken" / "compose.yml").write_text(BROKEN_COMPOSE)
    result = run_cli(["apply", *(["--dry-run"] * dry_run), "-j", "2", *names], tmp_path)
    assert result.exit_code == expected, result.stderr


def test_quiet_prints_diagnostics_but_no_table_and_no_summary(tmp_path: Path) -> None:
    names = _repos(tmp_path)
    result = run_cli(["apply", "--dry-run", "-q", *names], tmp_path)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == _diagnostics(result.stderr)
    assert "error: missing: no such file or directory" in result.stderr
    loud = run_cli(["apply", "--dry-run", *names], tmp_path)
    assert loud.stdout == result.stdout
    assert loud.stderr.startswith(result.stderr)
    assert "repository  " in loud.stderr[len(result.stderr) :]


def test_one_and_two_jobs_give_identical_output(tmp_path: Path) -> None:
    names = _repos(tmp_path)
    (tmp_path / "legacy" / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n")
    args = ["apply", "--dry-run", "--changelog", *names]
    one = run_cli([*args, "-j", "1"], tmp_path)
    two = run_cli([*args, "-j", "2"], tmp_path)
    assert (one.exit_code, one.stdout, one.stderr) == (two.exit_code, two.stdout, two.stderr)
    assert one.exit_code == 2 and "+++ b/CHANGELOG.md" in one.stdout


def test_repos_from_file_relative_to_its_directory_with_comments_and_blank_lines(
    tmp_path: Path,
) -> None:
    _tiny(tmp_path / "work", stale="FROM python:3.9\n", current="FROM python:3.12\n")
    _tiny(tmp_path / "elsewhere", other="FROM python:3.10\n")
    listing = tmp_path / "lists" / "repos.txt"
    listing.parent.mkdir()
    listing.write_text(
        "# the organisation's repositories\n"
        "\n"
        "../work/stale\n"
        "   \n"
        "  # ../work/current   (archived)\n"
        f"{tmp_path / 'elsewhere' / 'other'}\n"
        "../work/gone  \n"
    )
    result = run_cli(["apply", "--dry-run", "--repos-from", "lists/repos.txt"], tmp_path)
    assert result.exit_code == 2  # work/gone does not exist: an error, not a crash
    other = str(tmp_path / "elsewhere" / "other")
    expected_rows = ["lists/../work/stale", other, "lists/../work/gone"]
    assert list(_table(result.stderr)) == expected_rows
    assert list(_sections(result.stdout)) == expected_rows[:2]
    assert "error: lists/../work/gone: no such file or directory" in result.stderr


def test_repos_from_stdin_is_relative_to_the_current_directory(tmp_path: Path) -> None:
    _tiny(tmp_path, stale="FROM python:3.9\n", current="FROM python:3.12\n", first="FROM x\n")
    result = run_cli(
        ["apply", "--dry-run", "first", "--repos-from", "-"],
        tmp_path,
        stdin="# from a pipe\nstale\n\ncurrent\n",
    )
    assert result.exit_code == 1
    assert list(_table(result.stderr)) == ["first", "stale", "current"]
    assert list(_sections(result.stdout)) == ["stale"]
    # One listed repository is still a batch: its separator and its table.
    single = run_cli(["apply", "--dry-run", "--repos-from", "-"], tmp_path, stdin="stale\n")
    assert list(_sections(single.stdout)) == ["stale"]
    assert list(_table(single.stderr)) == ["stale"]


def test_an_empty_repository_list_is_an_error(tmp_path: Path) -> None:
    _tiny(tmp_path, stale="FROM python:3.9\n")
    (tmp_path / "repos.txt").write_text("# nothing yet\n\n")
    result = run_cli(["apply", "--repos-from", "repos.txt", "stale"], tmp_path)
    assert result.exit_code == 2
    assert result.stderr == "error: repos.txt: lists no repositories\n"
    assert (tmp_path / "stale" / "Dockerfile").read_text() == "FROM python:3.9\n"


def test_the_same_repository_twice_runs_once(tmp_path: Path) -> None:
    _tiny(tmp_path, stale="FROM python:3.9\n")
    result = run_cli(["apply", "--dry-run", "stale", "./stale/"], tmp_path)
    assert result.exit_code == 1
    assert list(_sections(result.stdout)) == ["stale"]
    assert "warning: ./stale/: the same repository as stale; run once" in result.stderr


@pytest.mark.parametrize("jobs", ["1", pytest.param("2", marks=forked_workers)])
def test_a_bug_while_running_one_repository_is_its_error_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    import modernize.engine.repository

    real_run = modernize.engine.repository.run

    def run_or_fail(root: Path, *args: object, **kwargs: object) -> object:
        if root.name == "boom":
            raise RuntimeError("a bug")
        return real_run(root, *args, **kwargs)

    monkeypatch.setattr(modernize.engine.repository, "run", run_or_fail)
    _tiny(tmp_path, stale="FROM python:3.9\n", boom="FROM python:3.9\n", last="FROM python:3.9\n")
    result = run_cli(["apply", "-j", jobs, "stale", "boom", "last"], tmp_path)
    assert result.exit_code == 2
    assert "error: boom: internal error: RuntimeError: a bug\n" in result.stderr
    assert _table(result.stderr) == {"stale": (1, 0, 0), "boom": (0, 0, 1), "last": (1, 0, 0)}
    assert (tmp_path / "last" / "Dockerfile").read_text() == "FROM python:3.12\n"
    assert (tmp_path / "boom" / "Dockerfile").read_text() == "FROM python:3.9\n"


@forked_workers
def test_a_worker_process_that_dies_takes_only_its_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import modernize.engine.repository

    real_run = modernize.engine.repository.run

    def run_or_die(root: Path, *args: object, **kwargs: object) -> object:
        if root.name == "crash":
            os._exit(70)  # as if killed: no exception, no result
        return real_run(root, *args, **kwargs)

    monkeypatch.setattr(modernize.engine.repository, "run", run_or_die)
    names = ["a", "crash", "b", "c"]
    _tiny(tmp_path, **{name: "FROM python:3.9\n" for name in names})
    result = run_cli(["apply", "--dry-run", "-j", "2", *names], tmp_path)
    assert result.exit_code == 2
    assert list(_sections(result.stdout)) == ["a", "b", "c"]
    assert _table(result.stderr) == {
        "a": (1, 0, 0),
        "crash": (0, 0, 1),
        "b": (1, 0, 0),
        "c": (1, 0, 0),
    }
    assert "error: crash: the worker process running it died" in result.stderr


def test_a_configuration_error_in_one_repository_is_its_error_only(tmp_path: Path) -> None:
    _tiny(tmp_path, badconf="FROM python:3.9\n", stale="FROM python:3.9\n")
    (tmp_path / "badconf" / "pyproject.toml").write_text("[tool.modernize]\npython = 3.12\n")
    result = run_cli(["apply", "--dry-run", "badconf", "stale"], tmp_path)
    assert result.exit_code == 2
    assert list(_sections(result.stdout)) == ["stale"]
    assert result.errors == [
        "badconf/pyproject.toml:2: error: tool.modernize.python: "
        'must be a string such as "3.12", not 3.12'
    ]
    assert _table(result.stderr)["badconf"] == (0, 0, 1)


def test_an_unreadable_repository_directory_is_its_error_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tiny(tmp_path, locked="FROM python:3.9\n", stale="FROM python:3.9\n")
    real_scandir = os.scandir

    def scandir(path: object = ".") -> object:
        if Path(str(path)).name == "locked":  # a chmod would not stop root, who runs CI here
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = run_cli(["apply", "-j", "1", "locked", "stale"], tmp_path)
    assert result.exit_code == 2
    assert "error: locked: cannot read the directory: Permission denied\n" in result.stderr
    assert (tmp_path / "stale" / "Dockerfile").read_text() == "FROM python:3.12\n"


def test_a_bad_flag_stops_the_batch_before_any_repository(tmp_path: Path) -> None:
    _tiny(tmp_path, stale="FROM python:3.9\n", other="FROM python:3.9\n")
    result = run_cli(["apply", "--python", "3", "stale", "other", "missing"], tmp_path)
    assert result.exit_code == 2
    assert result.stderr == "error: python target must look like 3.12, not '3'\n"
    assert (tmp_path / "stale" / "Dockerfile").read_text() == "FROM python:3.9\n"


def test_report_and_json_cover_every_repository(tmp_path: Path) -> None:
    names = _repos(tmp_path)
    report = tmp_path / "report.md"
    result = run_cli(["apply", "--dry-run", "--report", str(report), *names], tmp_path)
    assert result.exit_code == 2
    text = report.read_text()
    rows = _table(result.stderr)
    # The broken compose file, the Dockerfile it holds back, and the missing repository.
    assert "- Errors: 3\n" in text
    for name in names:
        changed, _, errors = rows[name]
        assert re.search(rf"^\| `{name}` \| {changed} \| \d+ \| {errors} \|$", text, re.M), name
    assert "- `missing`: no such file or directory\n" in text
    assert "| `legacy/Dockerfile` | maintainer-label (1), python-base-image (4) |" in text
    planned = json.loads(
        run_cli(["apply", "--dry-run", "--format", "json", *names], tmp_path).stdout
    )
    paths = [entry["path"] for entry in planned["files"] if entry["status"] == "changed"]
    assert "legacy/Dockerfile" in paths and "broken/Dockerfile" not in paths  # held back
    assert not [path for path in paths if path.startswith("modern/")]


def test_changelog_goes_into_each_changed_repository(tmp_path: Path) -> None:
    _tiny(tmp_path, stale="FROM python:3.9\n", current="FROM python:3.12\n")
    planned = run_cli(["apply", "--dry-run", "--changelog", "stale", "current"], tmp_path)
    sections = _sections(planned.stdout)
    assert list(sections) == ["stale"]
    assert "--- /dev/null\n+++ b/CHANGELOG.md\n" in sections["stale"]
    assert not (tmp_path / "stale" / "CHANGELOG.md").exists()
    assert run_cli(["apply", "--changelog", "stale", "current"], tmp_path).exit_code == 0
    assert "in 1 file with modernize" in (tmp_path / "stale" / "CHANGELOG.md").read_text()
    assert not (tmp_path / "current" / "CHANGELOG.md").exists()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_progress_is_drawn_on_a_terminal(tmp_path: Path, jobs: str) -> None:
    import pty

    names = ["stale", "current", "other"]
    _tiny(tmp_path, stale="FROM python:3.9\n", current="FROM python:3.12\n", other="FROM x\n")
    command = [sys.executable, "-m", "modernize", "apply", "--dry-run", "-j", jobs, *names]
    controller, terminal = pty.openpty()
    try:
        finished = subprocess.run(
            command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=terminal, timeout=60, check=False
        )
    finally:
        os.close(terminal)
    seen = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal side is closed and drained
            break
        if not chunk:
            break
        seen += chunk
    os.close(controller)
    assert finished.returncode == 1
    shown = seen.decode()
    drawn = re.findall(r"\r\x1b\[K\[(\d)/3\] (\w+)", shown)
    assert sorted({int(done) for done, _ in drawn}) == [1, 2, 3]
    assert {name for _, name in drawn} == set(names)
    if jobs == "1":  # one at a time: they finish in input order
        assert list(dict(drawn).values()) == names
    assert shown.endswith("3 repositories: 1 file would be changed, 2 unchanged.\r\n")
    assert "\x1b" not in shown.split("repository  ")[1]  # the line is cleared before the table
    assert "+FROM python:3.12" in finished.stdout.decode()


def test_the_documented_batch_example_is_what_the_tool_prints(tmp_path: Path) -> None:
    page = (ROOT / "docs" / "batch.md").read_text(encoding="utf-8")
    section = page.split("# Batch runs\n")[1].split("\n## ")[0]
    table = re.search(r"```text\n(.*?)```", section, re.S)
    split = re.search(r"```console\n\s*(awk .*?)```", section, re.S)
    assert table is not None and split is not None
    shutil.copytree(LEGACY, tmp_path / "orders")
    shutil.copytree(MODERN, tmp_path / "billing")
    (tmp_path / "website").mkdir()
    (tmp_path / "website" / "compose.yml").write_text(BROKEN_COMPOSE)
    (tmp_path / "website" / "Dockerfile").write_text("FROM python:3.9-slim\n")
    result = run_cli(["apply", "--dry-run", "orders", "billing", "website", "gone"], tmp_path)
    documented = [line.strip() for line in table.group(1).splitlines() if line.strip()]
    assert result.stderr.splitlines()[-len(documented) :] == documented
    (tmp_path / "plan.diff").write_text(result.stdout)
    subprocess.run(["git", "init", "-q", "orders"], cwd=tmp_path, check=True)
    command = split.group(1).replace("\\\n", " ")
    subprocess.run(["bash", "-eo", "pipefail", "-c", command], cwd=tmp_path, check=True)
    dockerfile = (tmp_path / "orders" / "Dockerfile").read_text()
    assert "python:3.12-slim-bookworm as runtime" in dockerfile


def test_a_repository_whose_changelog_is_not_utf8_fails_alone_and_unwritten(
    tmp_path: Path,
) -> None:
    _tiny(tmp_path, latin="FROM python:3.9\n", fine="FROM python:3.9\n")
    (tmp_path / "latin" / "CHANGELOG.md").write_bytes("# Journal\n\né\n".encode("latin-1"))
    result = run_cli(["apply", "--changelog", "latin", "fine"], tmp_path)
    assert result.exit_code == 2
    assert "latin/CHANGELOG.md:3: error: not UTF-8 text" in result.stderr
    assert "internal error" not in result.stderr
    assert (tmp_path / "latin" / "Dockerfile").read_text() == "FROM python:3.9\n"
    assert (tmp_path / "fine" / "Dockerfile").read_text() == "FROM python:3.12\n"
    assert "with modernize" in (tmp_path / "fine" / "CHANGELOG.md").read_text()
