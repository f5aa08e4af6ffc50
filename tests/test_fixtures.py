"""Golden fixtures: tests/fixtures/<migration-id>/<case>/{input,expected}/, and whole small
repositories run through every default migration in tests/fixtures/whole-repository/.

Each case is (1) applied to a copy and compared byte for byte with expected/, with the exact
warnings and notes of warnings.txt (none when the file is absent); (2) applied again, which must
change nothing; (3) run with --dry-run, which must leave the input untouched, exit 1 exactly
when there are changes, and print a diff that `git apply` turns into expected/; (4) checked with
verify, which must report the migration's code on every file the case changes, and no pending
change in expected/.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import run_cli, snapshot

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(path.parent for path in FIXTURES.glob("*/*/input"))


#: Cases under this directory are whole small repositories run through every default migration.
WHOLE = "whole-repository"


def _args(case: Path) -> list[str]:
    migration_id = case.parent.name
    extra = (case / "args.txt").read_text().split() if (case / "args.txt").exists() else []
    only = [] if migration_id == WHOLE else ["--only", migration_id]
    return [*only, *extra, "."]


def _expected_warnings(case: Path) -> list[str]:
    path = case / "warnings.txt"
    return sorted(path.read_text().splitlines()) if path.exists() else []


def _copy(case: Path, tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copytree(case / "input", target, symlinks=True)
    return target


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.parent.name}/{c.name}")
def test_apply_matches_expected(case: Path, tmp_path: Path) -> None:
    repo = _copy(case, tmp_path, "repo")
    result = run_cli(["apply", *_args(case)], repo)
    assert result.errors == []
    assert result.exit_code == 0, result.stderr
    assert snapshot(repo) == snapshot(case / "expected")
    assert result.diagnostics == _expected_warnings(case)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.parent.name}/{c.name}")
def test_second_apply_changes_nothing(case: Path, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(case / "expected", repo, symlinks=True)
    result = run_cli(["apply", "--dry-run", *_args(case)], repo)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert snapshot(repo) == snapshot(case / "expected")


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.parent.name}/{c.name}")
def test_dry_run_writes_nothing_and_diff_applies(case: Path, tmp_path: Path) -> None:
    repo = _copy(case, tmp_path, "repo")
    before = snapshot(repo)
    result = run_cli(["apply", "--dry-run", *_args(case)], repo)
    assert snapshot(repo) == before
    expected = snapshot(case / "expected")
    assert result.exit_code == (1 if expected != before else 0), result.stderr
    if expected == before:
        assert result.stdout == ""
        return
    patch = tmp_path / "changes.patch"
    patch.write_bytes(result.stdout.encode("utf-8"))
    subprocess.run(["git", "apply", "--whitespace=nowarn", str(patch)], cwd=repo, check=True)
    assert snapshot(repo) == expected


def _findings(case: Path, repo: Path) -> list[dict[str, object]]:
    result = run_cli(["verify", "--format", "json", "--no-external", *_args(case)], repo)
    findings: list[dict[str, object]] = json.loads(result.stdout)["findings"]
    return findings


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.parent.name}/{c.name}")
def test_verify_reports_what_apply_would_change_and_nothing_after(
    case: Path, tmp_path: Path
) -> None:
    """The migration's verify code (``M001`` for 0010, …; any default migration's for a whole
    repository): an error on every file the case changes, and, once migrated, no pending change
    left (refusals may stay reported)."""
    from modernize.registry import load_migrations

    whole = case.parent.name == WHOLE
    codes = {
        m.code
        for m in load_migrations()
        if m.id == case.parent.name or (whole and m.enabled_by_default)
    }
    before, after = snapshot(case / "input"), snapshot(case / "expected")
    changed = {name for name in before if before[name] != after.get(name)}
    found = _findings(case, _copy(case, tmp_path, "input"))
    stale = {f["path"] for f in found if f["code"] in codes and f["severity"] == "error"}
    assert changed <= stale
    migrated = tmp_path / "expected"
    shutil.copytree(case / "expected", migrated, symlinks=True)
    pending = [
        f
        for f in _findings(case, migrated)
        if f["code"] in codes
        and ("would become" in str(f["message"]) or "would be" in str(f["message"]))
    ]
    assert pending == []


def test_every_migration_has_fixtures() -> None:
    from modernize.registry import load_migrations

    for migration in load_migrations():
        cases = list((FIXTURES / migration.id).glob("*/input"))
        assert len(cases) >= 8, f"{migration.id} has fewer than eight golden fixture cases"
        assert any("noop" in case.parent.name for case in cases), f"{migration.id}: no noop case"


#: A line naming Python 3.10 or 3.11, or postgres 14 or 15, in any spelling this tool moves.
_STALE = re.compile(
    r"(?<![\w.])(?:python|py|cp)?3\.?1[01](?![0-9])|postgres(?:ql)?[:-]1[45]\b|python31[01]"
)


def test_the_every_kind_try_out_leaves_no_stale_line_unreported(tmp_path: Path) -> None:
    """One ``apply`` on a repository that holds every kind at 3.10 and postgres 14 leaves no
    line naming an old version that is not reported at its line (by ``apply`` or ``verify``),
    and a second run changes nothing."""
    case = FIXTURES / WHOLE / "every-kind-at-310-tryout"
    repo = _copy(case, tmp_path, "repo")
    applied = run_cli(["apply", "."], repo)
    assert applied.exit_code == 0, applied.stderr
    reported = {(f["path"], f["line"]) for f in _findings(case, repo)}
    reported |= {(line.split(":")[0], int(line.split(":")[1])) for line in applied.diagnostics}
    stale = [
        f"{path.relative_to(repo)}:{number}: {text.strip()}"
        for path in sorted(repo.rglob("*"))
        if path.is_file()
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if _STALE.search(text) and (path.relative_to(repo).as_posix(), number) not in reported
    ]
    assert stale == []
    assert run_cli(["apply", "--dry-run", "."], repo).exit_code == 0
