"""apply --report, --changelog and --dry-run --format json."""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from modernize.model import Finding
from modernize.render.report import (
    CHANGELOG_HEADER,
    RootResult,
    add_changelog_entry,
    markdown_report,
)
from tests.helpers import run_cli, snapshot

ROOT = Path(__file__).parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "whole-repository"


def _legacy(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "examples" / "legacy-repo", repo)
    return repo


def test_report_records_changes_manual_steps_and_verification(tmp_path: Path) -> None:
    repo = _legacy(tmp_path)
    report = tmp_path / "report.md"
    assert run_cli(["apply", "--report", str(report)], repo).exit_code == 0
    text = report.read_text()
    assert "- Files changed: 7\n" in text
    assert "| dockerfile | 1 | 5 |" in text
    assert "| `Dockerfile` | maintainer-label (1), python-base-image (4) |" in text
    assert (
        "| `docker-compose.yml` | compose-python (1), compose-version-key (1), "
        "postgres-major (1) |" in text
    )
    # The data volume and the managed database are manual steps, as a checklist; the Render
    # patch pin moved to the newest patch release the knowledge has.
    assert "- [ ] `docker-compose.yml:33`: service 'db' keeps its postgres data" in text
    assert "- [ ] `render.yaml:19`: managed database uses postgres 14" in text
    assert "  - line 11, render-python: `3.10.13` → `3.12.13`\n" in text
    assert "`modernize verify` after writing: 1 error(s)" in text


def test_report_counts_verification_findings_as_verify_does() -> None:
    remaining = [
        Finding("Dockerfile", 1, "stale", "error", code="M001"),
        Finding("Dockerfile", 2, "root", "warning", code="DF001"),
        Finding("Dockerfile", 3, "hadolint cannot parse it", "note", code="V000"),
    ]
    text = markdown_report([RootResult(".", (), remaining)], dry_run=False)
    assert "`modernize verify` after writing: 1 error(s), 1 warning(s), 1 note(s).\n" in text
    assert "- note `Dockerfile:3` V000: hadolint cannot parse it" in text


def test_dry_run_report_says_verification_was_not_run_and_writes_nothing(tmp_path: Path) -> None:
    repo = _legacy(tmp_path)
    before = snapshot(repo)
    report = tmp_path / "report.md"
    assert run_cli(["apply", "--dry-run", "--report", str(report)], repo).exit_code == 1
    assert snapshot(repo) == before
    assert "- Files to change: 7 (dry run)\n" in report.read_text()
    assert "Not run: this was a dry run" in report.read_text()


def test_dry_run_json_lists_planned_edits_with_lines(tmp_path: Path) -> None:
    repo = _legacy(tmp_path)
    result = run_cli(["apply", "--dry-run", "--format", "json"], repo)
    assert result.exit_code == 1
    planned = json.loads(result.stdout)
    by_path = {entry["path"]: entry for entry in planned["files"]}
    compose = by_path["docker-compose.yml"]
    assert compose["status"] == "changed"
    assert {
        "migration": "compose-version-key",
        "line": 2,
        "before": 'version: "3.8"\n',
        "after": "",
    } in compose["edits"]
    assert any("dump and restore" in finding["message"] for finding in compose["findings"])
    assert [finding["line"] for finding in by_path["render.yaml"]["findings"]] == [11, 19]


def test_dry_run_json_findings_carry_the_codes_verify_gives_them(tmp_path: Path) -> None:
    repo = _legacy(tmp_path)
    (repo / "compose.broken.yml").write_text("services:\n  web: [\n")
    planned = json.loads(run_cli(["apply", "--dry-run", "--format", "json"], repo).stdout)
    assert planned["version"] == 1 and planned["dry_run"] is True
    found = [
        (entry["path"], finding["line"], finding["code"])
        for entry in planned["files"]
        for finding in entry["findings"]
    ]
    assert ("compose.broken.yml", 3, "E001") in found
    assert ("docker-compose.yml", 33, "M003") in found  # postgres-major's data-volume warning
    # The files the broken one holds back say so; verify knows nothing of a run's writes.
    held = {(path, line, code) for path, line, code in found if line == 1 and code == "E002"}
    assert ("Dockerfile", 1, "E002") in held
    verified = json.loads(run_cli(["verify", "--no-external", "--format", "json"], repo).stdout)
    assert set(found) - held <= {(f["path"], f["line"], f["code"]) for f in verified["findings"]}


def test_json_without_dry_run_records_what_was_written(tmp_path: Path) -> None:
    repo = _legacy(tmp_path)
    planned = json.loads(run_cli(["apply", "--dry-run", "--format", "json"], repo).stdout)
    result = run_cli(["apply", "--format", "json"], repo)
    assert result.exit_code == 0
    written = json.loads(result.stdout)
    assert written["dry_run"] is False
    assert written["files"] == planned["files"]
    assert "FROM python:3.12-slim" in (repo / "Dockerfile").read_text()


def test_dry_run_json_stays_one_document_with_changelog(tmp_path: Path) -> None:
    repo = _legacy(tmp_path)
    result = run_cli(["apply", "--dry-run", "--format", "json", "--changelog"], repo)
    assert result.exit_code == 1
    assert json.loads(result.stdout)["files"]
    assert not (repo / "CHANGELOG.md").exists()


def test_changelog_is_created_with_the_standard_header(tmp_path: Path) -> None:
    repo = _legacy(tmp_path)
    assert run_cli(["apply", "--changelog"], repo).exit_code == 0
    text = (repo / "CHANGELOG.md").read_text()
    assert text.startswith(CHANGELOG_HEADER)
    assert (
        "### Changed\n\n- Modernized infrastructure (Python 3.12, postgres 16, redis 7) in 7 files"
        in text
    )


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            "# Changelog\n\n## [Unreleased]\n\n### Added\n- a thing\n\n## [1.0.0] - 2024-01-01\n",
            "# Changelog\n\n## [Unreleased]\n\n### Changed\n\n- E\n\n### Added\n- a thing\n\n"
            "## [1.0.0] - 2024-01-01\n",
        ),
        (
            "# Changelog\n\n## [Unreleased]\n\n### Changed\n\n- older\n",
            "# Changelog\n\n## [Unreleased]\n\n### Changed\n\n- E\n- older\n",
        ),
        (
            "# Changelog\n\n## [1.0.0] - 2024-01-01\n- first\n",
            "# Changelog\n\n## [Unreleased]\n\n### Changed\n\n- E\n\n"
            "## [1.0.0] - 2024-01-01\n- first\n",
        ),
        (
            "# Changelog\r\n\r\n## [Unreleased]\r\n\r\n### Changed\r\n\r\n- older\r\n",
            "# Changelog\r\n\r\n## [Unreleased]\r\n\r\n### Changed\r\n\r\n- E\r\n- older\r\n",
        ),
        # The heading without brackets, in any case, is the Unreleased section too.
        (
            "# Changelog\n\n## Unreleased\n\n### Changed\n\n- older\n",
            "# Changelog\n\n## Unreleased\n\n### Changed\n\n- E\n- older\n",
        ),
        (
            "# Changelog\n\n## unreleased\n\n## [1.0.0]\n",
            "# Changelog\n\n## unreleased\n\n### Changed\n\n- E\n\n## [1.0.0]\n",
        ),
        # A heading that ends the file, without a final newline.
        (
            "# Changelog\n\n## [Unreleased]",
            "# Changelog\n\n## [Unreleased]\n\n### Changed\n\n- E\n",
        ),
        (
            "# Changelog\r\n\r\n## [Unreleased]\r\n\r\n### Changed",
            "# Changelog\r\n\r\n## [Unreleased]\r\n\r\n### Changed\r\n\r\n- E\r\n",
        ),
        # One blank line before the heading that follows the entry.
        (
            "# Changelog\n\n## [Unreleased]\n\n### Changed\n\n## [1.0.0]\n- first\n",
            "# Changelog\n\n## [Unreleased]\n\n### Changed\n\n- E\n\n## [1.0.0]\n- first\n",
        ),
        (
            "# Changelog\n\n## [Unreleased]\n### Added\n- a thing\n",
            "# Changelog\n\n## [Unreleased]\n\n### Changed\n\n- E\n\n### Added\n- a thing\n",
        ),
        # One blank line between an introduction and a new Unreleased section.
        (
            "# Changelog\n\nAll notable changes.\n",
            "# Changelog\n\nAll notable changes.\n\n## [Unreleased]\n\n### Changed\n\n- E\n",
        ),
        (
            "# Changelog\nAll notable changes.\n## [1.0.0]\n",
            "# Changelog\nAll notable changes.\n\n## [Unreleased]\n\n### Changed\n\n- E\n\n"
            "## [1.0.0]\n",
        ),
        # A byte order mark stays first.
        (
            "\ufeff## [1.0.0]\r\n- first\r\n",
            "\ufeff## [Unreleased]\r\n\r\n### Changed\r\n\r\n- E\r\n\r\n## [1.0.0]\r\n- first\r\n",
        ),
    ],
)
def test_changelog_entry_goes_under_unreleased_and_nothing_else_moves(
    before: str, after: str
) -> None:
    assert add_changelog_entry(before, "- E\n") == after


def test_dry_run_changelog_is_shown_as_a_diff_not_written(tmp_path: Path) -> None:
    repo = _legacy(tmp_path)
    result = run_cli(["apply", "--dry-run", "--changelog"], repo)
    assert "--- /dev/null\n+++ b/CHANGELOG.md\n" in result.stdout
    assert not (repo / "CHANGELOG.md").exists()


LATIN1_CHANGELOG = "# Changelog\n\n- Première version.\n".encode("latin-1")


@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]])
def test_a_changelog_that_is_not_utf8_is_an_error_before_anything_is_written(
    tmp_path: Path, dry_run: list[str]
) -> None:
    repo = _legacy(tmp_path)
    (repo / "CHANGELOG.md").write_bytes(LATIN1_CHANGELOG)
    before = snapshot(repo)
    result = run_cli(["apply", "--changelog", *dry_run], repo)
    assert result.exit_code == 2
    assert result.stderr.startswith("CHANGELOG.md:3: error: not UTF-8 text"), result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert snapshot(repo) == before


def _project_with_a_service(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n")
    for service in ("svc", "web"):
        (repo / service).mkdir()
        (repo / service / "Dockerfile").write_text("FROM python:3.9\n")
    return repo


def test_the_changelog_of_a_subfolder_is_its_projects(tmp_path: Path) -> None:
    repo = _project_with_a_service(tmp_path)
    dry = run_cli(["apply", "--dry-run", "--changelog", "svc"], repo)
    assert dry.stdout.startswith("--- a/Dockerfile\n")  # relative to PATH, the changelog too
    assert "--- a/../CHANGELOG.md\n+++ b/../CHANGELOG.md\n" in dry.stdout
    assert run_cli(["apply", "--changelog", "svc"], repo).exit_code == 0
    assert not (repo / "svc" / "CHANGELOG.md").exists()
    assert "## [Unreleased]\n\n### Changed\n\n- Modernized" in (repo / "CHANGELOG.md").read_text()
    # A subfolder that is a project of its own (its pyproject.toml) has its own changelog.
    (repo / "web" / "pyproject.toml").write_text('[project]\nname = "web"\n')
    assert run_cli(["apply", "--changelog", "web"], repo).exit_code == 0
    assert (repo / "web" / "CHANGELOG.md").read_text().startswith(CHANGELOG_HEADER)


def test_a_batch_of_subfolders_adds_to_their_projects_changelog_one_after_another(
    tmp_path: Path,
) -> None:
    repo = _project_with_a_service(tmp_path)
    result = run_cli(["apply", "--changelog", "-j", "2", "svc", "web"], repo)
    assert result.exit_code == 0, result.stderr
    entries = [
        line for line in (repo / "CHANGELOG.md").read_text().splitlines() if line[:2] == "- "
    ]
    assert len(entries) == 2
    assert not (repo / "svc" / "CHANGELOG.md").exists()


def test_a_changelog_that_is_a_link_is_never_written_through(tmp_path: Path) -> None:
    """Checked before anything is written: the link (here to a file outside the repository that
    does not exist yet) is an error, and the repository is left as it was."""
    outside = tmp_path / "outside"
    outside.mkdir()
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "Dockerfile").write_text("FROM python:3.10\n")
    (repo / "CHANGELOG.md").symlink_to(outside / "CHANGELOG.md")
    result = run_cli(["apply", "--changelog", "."], repo)
    assert result.exit_code == 2
    assert "CHANGELOG.md:1: error: a symbolic link; not written through" in result.stderr
    assert list(outside.iterdir()) == []
    assert (repo / "Dockerfile").read_text() == "FROM python:3.10\n"


def test_a_new_changelog_is_created_whole_with_the_usual_mode(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "Dockerfile").write_text("FROM python:3.10\n")
    old_umask = os.umask(0o022)
    try:
        assert run_cli(["apply", "--changelog", "."], tmp_path).exit_code == 0
    finally:
        os.umask(old_umask)
    changelog = tmp_path / "CHANGELOG.md"
    assert changelog.read_text().startswith(CHANGELOG_HEADER)
    assert stat.S_IMODE(changelog.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == [".git", "CHANGELOG.md", "Dockerfile"]


def test_report_is_replaced_whole_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _legacy(tmp_path)
    report = tmp_path / "report.md"
    report.write_text("the previous report\n")

    def fail(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)  # the last step of an atomic write fails
    result = run_cli(["apply", "--dry-run", "--report", str(report)], repo)
    assert result.exit_code == 2
    assert f"{report}:1: error: cannot write report: No space left on device" in result.stderr
    assert report.read_text() == "the previous report\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["repo", "report.md"]
    monkeypatch.undo()
    assert run_cli(["apply", "--dry-run", "--report", str(report)], repo).exit_code == 1
    assert report.read_text().startswith("# Infrastructure modernization report\n")


def test_report_lists_the_repository_level_decisions(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    files = {
        "pyproject.toml": '[project]\nname = "app"\nrequires-python = ">=3.10"\n',
        "uv.lock": 'version = 1\nrequires-python = ">=3.10"\n',
        "tools/pinned/pyproject.toml": '[project]\nrequires-python = ">=3.10,<3.12"\n',
        "tools/pinned/poetry.lock": '[metadata]\npython-versions = ">=3.10,<3.12"\n',
        "tools/modern/pyproject.toml": '[project]\nrequires-python = ">=3.12"\n',
        "vendor/lib/.github/workflows/ci.yml": "on: push\n",
        "vendor/lib/pyproject.toml": '[project]\nname = "lib"\nrequires-python = ">=3.8"\n',
        "Dockerfile": "FROM python:3.10-slim\n",
    }
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    report = tmp_path / "report.md"
    run_cli(["apply", "--dry-run", "--report", str(report), "."], repo)
    text = report.read_text()
    section = text.split("## Repository decisions\n\n", 1)[1].split("\n\n", 1)[0]
    assert section.splitlines() == [
        "- `pyproject.toml`: requires-python '>=3.10' becomes '>=3.12'; its files move to "
        "Python 3.12",
        "- `tools/modern/pyproject.toml`: its Python claim stays as it is",
        "- `tools/pinned/pyproject.toml`: every file of this project stays: requires-python "
        "'>=3.10,<3.12' does not allow Python 3.12; allow it there first",
        "- `uv.lock`: make it again with `uv lock` in its folder: pyproject.toml's Python claim "
        "moves",
        "- `vendor/lib/`: not migrated: it holds a .github folder of its own, so it is another "
        "project's tree (a vendored copy or a subtree); name it as a PATH to migrate it",
    ]


def test_report_says_when_there_is_no_repository_level_decision() -> None:
    text = markdown_report([RootResult(".", ())], dry_run=True)
    assert "## Repository decisions\n\nNone: no project, lockfile" in text


def test_the_try_out_repository_reports_its_decisions(tmp_path: Path) -> None:
    """The whole-repository try-out: two projects (one bounded), a workspace lock, a vendored
    tree with its own .github, a project whose claim a comment keeps."""
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "monorepo-two-projects-tryout" / "input", repo)
    (repo / "tools" / "seed").mkdir(parents=True)
    (repo / "tools" / "seed" / "pyproject.toml").write_text(
        '[project]\nname = "seed"\n# the seed data loader still runs on the 3.10 hosts\n'
        'requires-python = ">=3.10"\n'
    )
    report = tmp_path / "report.md"
    run_cli(["apply", "--dry-run", "--report", str(report), "."], repo)
    section = report.read_text().split("## Repository decisions\n\n", 1)[1].split("\n\n", 1)[0]
    assert section.splitlines() == [
        "- `pyproject.toml`: requires-python '>=3.10' becomes '>=3.12'; its files move to "
        "Python 3.12",
        "- `services/archiver/pyproject.toml`: every file of this project stays: "
        "requires-python '>=3.10,<3.12' does not allow Python 3.12; allow it there first",
        "- `services/ledger/pyproject.toml`: requires-python '>=3.10' becomes '>=3.12'; its "
        "files move to Python 3.12",
        "- `tools/seed/pyproject.toml`: its Python claim stays: the comment 'the seed data "
        "loader still runs on the 3.10 hosts' may explain it",
        "- `uv.lock`: make it again with `uv lock` in its folder: pyproject.toml's Python claim "
        "moves",
        "- `third_party/pdfkit-lite/`: not migrated: it holds a .github folder of its own, so it "
        "is another project's tree (a vendored copy or a subtree); name it as a PATH to migrate "
        "it",
    ]
