"""The example repository of the README's quick start: the reviewed diff, then a clean rerun."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.helpers import run_cli, snapshot

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "legacy-repo"
DATA = Path(__file__).parent / "data"


def test_dry_run_prints_the_reviewed_diff_and_warnings(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    result = run_cli(["apply", "--dry-run"], repo)
    assert result.exit_code == 1
    assert result.stdout == (DATA / "legacy-repo.diff").read_text(encoding="utf-8")
    assert result.stderr == (DATA / "legacy-repo.stderr").read_text(encoding="utf-8")
    assert snapshot(repo) == snapshot(EXAMPLE)


def test_the_seed_standard_gives_the_seed_upgrade_of_the_example(tmp_path: Path) -> None:
    """``--standard 2025-12`` writes the seed upgrade's table: every action of the example at
    the seed's major, everything else as the default standard writes it."""
    from modernize.targets import standard_named

    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    result = run_cli(["apply", "--dry-run", "--standard", "2025-12"], repo)
    assert result.exit_code == 1, result.stderr
    golden = (DATA / "legacy-repo-standard-2025-12.diff").read_text(encoding="utf-8")
    assert result.stdout == golden
    # The same warnings; the advise command it names keeps the standard.
    expected = (DATA / "legacy-repo.stderr").read_text(encoding="utf-8")
    expected = expected.replace("advise`", "advise --standard 2025-12`")
    assert result.stderr == expected
    seed = standard_named("2025-12").actions
    moved = re.findall(r"^\+ *- uses: ([\w.-]+/[\w.-]+)@(\S+)(?: # v([0-9]+))?", golden, re.M)
    assert len(moved) == 7
    for action, ref, comment_major in moved:
        major = comment_major or ref.removeprefix("v").split(".")[0]
        assert int(major) == seed[action.lower()], action
    default = (DATA / "legacy-repo.diff").read_text(encoding="utf-8").splitlines()
    differing = [old for old, new in zip(default, golden.splitlines(), strict=True) if old != new]
    assert differing and all("- uses: " in line for line in differing)


def test_apply_then_nothing_left_to_do(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    assert run_cli(["apply"], repo).exit_code == 0
    changed = snapshot(repo)
    assert changed != snapshot(EXAMPLE)
    again = run_cli(["apply", "--dry-run"], repo)
    assert again.exit_code == 0
    assert again.stdout == ""
    assert snapshot(repo) == changed
    # What apply refused (a managed database) stays reported on every run.
    assert [line.split(": warning: ")[0] for line in again.warnings] == ["render.yaml:19"]


def test_a_repository_newer_than_every_target_is_left_byte_identical(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(DATA / "modern-repo", repo)
    before = snapshot(repo)
    for args in (["apply", "--dry-run"], ["apply"]):
        result = run_cli(args, repo)
        assert result.exit_code == 0, result.stderr
        assert result.stdout == ""
        assert result.warnings == []
        assert snapshot(repo) == before


def test_verify_passes_on_the_modern_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(DATA / "modern-repo", repo)
    result = run_cli(["verify"], repo)
    assert result.exit_code == 0, result.stdout
    assert " M0" not in result.stdout  # nothing stale


def test_the_readme_quick_start_command_from_the_repository_root() -> None:
    # `modernize apply --dry-run examples/legacy-repo`: the example is its own project, so the
    # repository's [tool.modernize] does not apply to it.
    result = run_cli(["apply", "--dry-run", "examples/legacy-repo"], ROOT)
    assert result.exit_code == 1
    assert result.stdout == (DATA / "legacy-repo.diff").read_text(encoding="utf-8")
