"""The organisation-wide example workflow: held to the tool's own standard, and its scripts run
here as the runner would run them (checkout, install and artifact transfer stood in for)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from modernize.engine.runner import read_repository_list
from modernize.targets import DEFAULT_ACTIONS
from tests.helpers import run_cli

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "org-wide"
WORKFLOW = EXAMPLE / ".github" / "workflows" / "modernize-org.yml"
LEGACY = ROOT / "examples" / "legacy-repo"
MODERN = Path(__file__).parent / "data" / "modern-repo"


def _workflow() -> dict[str, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _step(job: str, step_id: str) -> dict[str, Any]:
    found = [step for step in _workflow()["jobs"][job]["steps"] if step.get("id") == step_id]
    assert len(found) == 1, (job, step_id)
    step: dict[str, Any] = found[0]
    return step


def _run_step(step: dict[str, Any], cwd: Path, env: dict[str, str]) -> int:
    """Run a ``run:`` step the way the runner does, for its two shells here."""
    script = cwd / ".step"
    script.write_text(step["run"], encoding="utf-8")
    shell = step.get("shell", _workflow()["defaults"]["run"]["shell"])
    command = {
        "bash": ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        "python3 {0}": [sys.executable, str(script)],
    }[shell]
    tools = os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])
    return subprocess.run(command, cwd=cwd, env={**os.environ, "PATH": tools, **env}).returncode


def test_the_example_passes_verify_strict_and_verify_really_reads_it(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "org")
    result = run_cli(["verify", "--strict", "."], tmp_path / "org")
    assert result.exit_code == 0, result.stdout
    assert result.stdout == ""
    # Not vacuous: the file is read as a workflow, so an old action major is caught.
    copy = tmp_path / "org" / ".github" / "workflows" / "modernize-org.yml"
    copy.write_text(copy.read_text().replace("download-artifact@v8", "download-artifact@v3"))
    stale = run_cli(["verify", "--strict", "."], tmp_path / "org")
    assert stale.exit_code == 1
    assert "modernize-org.yml" in stale.stdout and " M004 " in stale.stdout


def test_the_example_uses_the_standard_majors_a_matrix_and_merged_artifacts() -> None:
    jobs = _workflow()["jobs"]
    used = [step["uses"] for job in jobs.values() for step in job["steps"] if "uses" in step]
    assert used
    for reference in used:
        action, major = reference.split("@")
        assert major == f"v{DEFAULT_ACTIONS[action]}", reference
    plan = jobs["plan"]
    assert plan["strategy"]["fail-fast"] is False
    assert plan["strategy"]["matrix"]["repository"] == (
        "${{ fromJSON(needs.list.outputs.repositories) }}"
    )
    checkout = plan["steps"][0]
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"]["repository"] == "${{ matrix.repository }}"
    assert checkout["with"]["token"] == "${{ secrets.MODERNIZE_TOKEN }}"
    assert "--dry-run --report" in _step("plan", "plan")["run"]
    download = jobs["summary"]["steps"][0]
    assert download["uses"].startswith("actions/download-artifact@")
    assert download["with"]["merge-multiple"] is True
    assert set(jobs["summary"]["needs"]) == {"list", "plan"}


def test_the_example_scripts_list_plan_and_summarise(tmp_path: Path) -> None:
    # list: repos.txt is read as `modernize apply --repos-from` reads a list.
    listing = tmp_path / "list"
    listing.mkdir()
    shutil.copy(EXAMPLE / "repos.txt", listing / "repos.txt")
    output = tmp_path / "list.out"
    assert _run_step(_step("list", "list"), listing, {"GITHUB_OUTPUT": str(output)}) == 0
    key, _, value = output.read_text().strip().partition("=")
    repositories = json.loads(value)
    assert key == "repositories"
    assert read_repository_list((EXAMPLE / "repos.txt").read_text(), "") == (repositories, [])
    assert len(repositories) == 3

    # plan, once per repository: stale, current and broken stand-ins for the checkouts.
    orders, billing, website = repositories
    sources = {orders: LEGACY, billing: MODERN, website: None}
    reports = tmp_path / "reports"  # what download-artifact with merge-multiple produces
    reports.mkdir()
    expected_status = {orders: 0, billing: 0, website: 1}  # the step fails on errors only
    for repository, source in sources.items():
        job = tmp_path / repository.replace("/", "_")
        if source is not None:
            shutil.copytree(source, job / "repo")
        else:
            (job / "repo").mkdir(parents=True)
            (job / "repo" / "Dockerfile").write_text("FROM python:3.9\n")
            (job / "repo" / "compose.yml").write_text(
                "services:\n  web:\n    image: postgres:14\n    ports: [80,\n"
            )
        outputs = job / "step.out"
        env = {"REPOSITORY": repository, "GITHUB_OUTPUT": str(outputs)}
        assert _run_step(_step("plan", "plan"), job, env) == expected_status[repository]
        name = repository.replace("/", "--")
        assert outputs.read_text() == f"artifact=report-{name}\n"
        assert sorted(p.name for p in (job / "out").iterdir()) == [
            f"{name}.{suffix}" for suffix in ("diff", "log", "md", "status")
        ]
        for file in (job / "out").iterdir():
            shutil.copy(file, reports / file.name)
    # The plan's diff is the tool's own dry run of the repository, ready for git apply there.
    diff = (reports / f"{orders.replace('/', '--')}.diff").read_text()
    assert diff == run_cli(["apply", "--dry-run", "."], tmp_path / "my-org_orders" / "repo").stdout
    files_changed = diff.count("\n+++ b/")

    # summary: one table over the listed repositories, one of which never reported.
    summary = tmp_path / "step-summary.md"
    env = {
        "REPOSITORIES": json.dumps([*repositories, "my-org/gone"]),
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    assert _run_step(_step("summary", "summary"), tmp_path, env) == 0
    text = (tmp_path / "summary.md").read_text()
    assert summary.read_text() == text
    rows = [line for line in text.splitlines() if line.startswith("| my-org/")]
    assert rows[0].startswith(f"| {orders} | changes pending | {files_changed} | ")
    assert rows[0].endswith(" | 0 |")
    assert rows[1] == f"| {billing} | up to date | 0 | 0 | 0 |"
    # The broken compose file holds the Dockerfile back: two errors, nothing to change.
    assert rows[2] == f"| {website} | errors | 0 | 0 | 2 |"
    assert rows[3] == "| my-org/gone | no report: see its job | | | |"
    assert f"<details><summary>{orders}</summary>" in text
    assert "### Infrastructure modernization report" in text
