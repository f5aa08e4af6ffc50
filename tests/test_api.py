"""The Python API: the same results as the command line, reports that own their exit code,
and errors raised as ModernizeError subclasses that carry their place."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from modernize import api
from modernize.engine.runner import RepoRun
from modernize.errors import ChangelogError, ConfigError, LocatedError, ModernizeError
from modernize.render.diagnostics import error_line
from modernize.render.report import RootResult
from tests.helpers import run_cli, snapshot

EXAMPLE = Path(__file__).parent.parent / "examples" / "legacy-repo"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(EXAMPLE, tmp_path / "repo")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "repo"


def test_apply_dry_run_is_the_diff_and_exit_code_of_the_command_line(repo: Path) -> None:
    report = api.apply(["repo"], api.ApplyOptions(dry_run=True))
    cli = run_cli(["apply", "--dry-run", "-j", "1", "repo"], repo.parent)
    assert not report.batch
    assert "".join(r.stdout for r in report.repositories) == cli.stdout
    assert "".join(r.stderr for r in report.repositories) in cli.stderr
    assert report.exit_code == cli.exit_code == 1
    assert report.changed > 0 and report.failed == 0
    summary = f"{report.changed} files would be changed, {report.unchanged} unchanged"
    assert cli.stderr.splitlines()[-1].startswith(summary)


def test_a_runs_files_are_rendered_again_each_time_they_are_read(repo: Path) -> None:
    # Outside a batch the files are rendered as they are read, not held: reading them again
    # (the exit code asks whether anything was said, the printer prints them) gives them all.
    report = api.apply(["repo"], api.ApplyOptions(dry_run=True))
    (run,) = report.repositories
    first = [(file.stderr, file.diff_text()) for file in run.files]
    assert any(diff for _, diff in first)
    assert not run.says_nothing
    assert [(file.stderr, file.diff_text()) for file in run.files] == first
    assert run.stdout == "".join(diff for _, diff in first)


def test_a_given_texts_diff_keeps_its_name_once_apply_has_returned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its files are rendered when they are read; the name a given text is shown by is settled
    # while it is given (it names no file on the disk).
    monkeypatch.chdir(tmp_path)
    options = api.ApplyOptions(
        dry_run=True, stdin=b"FROM python:3.9-slim\n", stdin_filename="sub/dir/Dockerfile"
    )
    report = api.apply(["-"], options)
    assert report.repositories[0].stdout.startswith(
        "--- a/sub/dir/Dockerfile\n+++ b/sub/dir/Dockerfile\n"
    )
    cli = run_cli(
        ["apply", "--diff", "-", "--stdin-filename", "sub/dir/Dockerfile"],
        tmp_path,
        stdin="FROM python:3.9-slim\n",
    )
    assert cli.stdout == report.repositories[0].stdout


def test_a_batch_repository_holds_each_diff_once(repo: Path) -> None:
    from modernize.engine.runner import ApplySettings, run_repository
    from modernize.workspace.config import Overrides

    run = run_repository(str(repo), ApplySettings(Overrides(), dry_run=True, batch=True))
    assert isinstance(run.files, list)
    assert any(file.diff for file in run.files)
    assert all(outcome.hunks is None for outcome in run.result.outcomes)


def test_apply_writes_what_the_command_line_writes(repo: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(EXAMPLE, other)
    report = api.apply(["repo"], api.ApplyOptions())
    assert report.exit_code == run_cli(["apply", "other"], tmp_path).exit_code == 0
    assert snapshot(repo) == snapshot(other) != snapshot(EXAMPLE)
    again = api.apply(["repo"], api.ApplyOptions(dry_run=True))
    assert (again.changed, again.exit_code) == (0, 0)


def test_apply_json_results_are_the_command_lines(repo: Path) -> None:
    from modernize.render.report import changes_json

    report = api.apply(["repo"], api.ApplyOptions(dry_run=True, output_format="json"))
    cli = run_cli(["apply", "--dry-run", "--format", "json", "repo"], repo.parent)
    assert json.loads(changes_json(report.results, dry_run=True)) == json.loads(cli.stdout)
    assert all(file.diff == "" for r in report.repositories for file in r.files)


def test_a_batch_reports_each_repository_and_the_listener_hears_them_in_order(
    repo: Path, tmp_path: Path
) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "second")
    heard: list[str] = []

    class Recorder(api.Listener):
        def ready(self, run: RepoRun, batch: bool) -> None:
            assert batch
            heard.append(run.root)

    report = api.apply(["repo", "second", "missing"], api.ApplyOptions(dry_run=True), Recorder())
    assert report.batch
    assert heard == [r.root for r in report.repositories] == ["repo", "second", "missing"]
    assert report.repositories[0].stdout == report.repositories[1].stdout  # relative paths
    assert report.repositories[2].errors == 1
    assert report.exit_code == 2  # an error wins over changes pending


def test_verify_findings_and_exit_code_are_the_command_lines(repo: Path) -> None:
    report = api.verify(["repo"], api.VerifyOptions(external=False))
    cli = run_cli(["verify", "--no-external", "--format", "json", "repo"], repo.parent)
    printed = json.loads(cli.stdout)["findings"]
    assert [(f.path, f.line, f.code, f.severity) for f in report.findings] == [
        (f["path"], f["line"], f["code"], f["severity"]) for f in printed
    ]
    assert report.exit_code == cli.exit_code == 1
    assert report.errors == json.loads(cli.stdout)["summary"]["errors"]


def test_a_bad_configuration_is_raised_with_its_place(repo: Path) -> None:
    (repo / ".modernize.toml").write_text('python = "3.12"\ncolour = "red"\n')
    with pytest.raises(ConfigError) as raised:
        api.apply(["repo"], api.ApplyOptions(dry_run=True))
    error = raised.value
    assert isinstance(error, LocatedError) and isinstance(error, ModernizeError)
    assert (error.path, error.line) == ("repo/.modernize.toml", 2)
    assert "colour" in error.message and error.path not in str(error)
    cli = run_cli(["apply", "--dry-run", "repo"], repo.parent)
    assert cli.exit_code == 2
    assert cli.stderr == error_line(error) + "\n"
    with pytest.raises(ConfigError):
        api.verify(["repo"], api.VerifyOptions())


def test_a_changelog_that_cannot_take_the_entry_is_raised_before_any_write(repo: Path) -> None:
    (repo / "CHANGELOG.md").write_bytes(b"# Changelog\n\xff\n")
    before = snapshot(repo)
    with pytest.raises(ChangelogError) as raised:
        api.apply(["repo"], api.ApplyOptions(changelog=True))
    assert raised.value.path == "repo/CHANGELOG.md" and raised.value.line == 2
    assert snapshot(repo) == before


def test_migrations_are_the_list_commands(tmp_path: Path) -> None:
    listed = run_cli(["list"], tmp_path).stdout.splitlines()
    assert [line.split()[1] for line in listed] == [m.id for m in api.migrations()]


@pytest.mark.parametrize(
    ("dry_run", "changed", "errors", "expected"),
    [
        (True, 0, 0, 0),
        (True, 3, 0, 1),
        (False, 3, 0, 0),
        (True, 3, 1, 2),
        (False, 0, 1, 2),
    ],
)
def test_the_run_report_owns_the_exit_code(
    dry_run: bool, changed: int, errors: int, expected: int
) -> None:
    run = RepoRun("repo", RootResult("repo", ()), changed=changed, errors=errors)
    report = api.RunReport(dry_run, batch=False, repositories=[run])
    assert report.exit_code == expected
    assert api.RunReport(dry_run, batch=True, errors_before=1).exit_code == 2


def test_the_verify_report_owns_the_exit_code() -> None:
    from modernize.model import Finding

    def finding(severity: str, code: str) -> Finding:
        return Finding("Dockerfile", 1, "message", severity, code=code)

    assert api.VerifyReport().exit_code == 0
    assert api.VerifyReport([finding("warning", "DF001")]).exit_code == 0
    assert api.VerifyReport([finding("error", "M001")]).exit_code == 1
    assert api.VerifyReport([finding("error", "E002")]).exit_code == 2
