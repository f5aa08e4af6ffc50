"""The composite GitHub Action: action.yml, and the script it runs, run here for real."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from modernize.targets import DEFAULT_ACTIONS
from tests.helpers import run_cli

ROOT = Path(__file__).parent.parent
ACTION = ROOT / "action.yml"
SCRIPT = ROOT / "scripts" / "action_run.py"
EXAMPLE = ROOT / "examples" / "legacy-repo"
CLEAN_WORKFLOW = (
    "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
    "      - uses: actions/checkout@v7\n"
)


def _action() -> dict[str, object]:
    loaded = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_action_yml_is_a_composite_action_with_the_documented_inputs() -> None:
    action = _action()
    inputs = action["inputs"]
    assert isinstance(inputs, dict)
    assert {name: spec["default"] for name, spec in inputs.items()} == {
        "args": "apply --dry-run",
        "path": ".",
        "python-version": "3.12",
    }
    runs = action["runs"]
    assert isinstance(runs, dict)
    assert runs["using"] == "composite"
    steps = runs["steps"]
    uses = [step["uses"] for step in steps if "uses" in step]
    # The action holds itself to the action majors the tool enforces.
    for ref in uses:
        name, _, version = ref.partition("@")
        assert name in DEFAULT_ACTIONS, ref
        assert version == f"v{DEFAULT_ACTIONS[name]}", ref
    assert "actions/setup-python@v7" in uses
    scripts = [step["run"] for step in steps if "run" in step]
    assert any("pip install" in run and '"$GITHUB_ACTION_PATH"' in run for run in scripts)
    referenced = [
        match for run in scripts for match in re.findall(r"\$GITHUB_ACTION_PATH/([\w./-]+)", run)
    ]
    assert referenced == ["scripts/action_run.py"]
    assert all((ROOT / path).is_file() for path in referenced)
    # Inputs reach the scripts through the environment: an input is never pasted into a script.
    assert not any("${{" in run for run in scripts)
    assert {"MODERNIZE_ARGS", "MODERNIZE_PATH"} <= set(steps[-1]["env"])
    outputs = action["outputs"]
    assert isinstance(outputs, dict)
    assert outputs["exit-code"]["value"] == "${{ steps.run.outputs.exit-code }}"


def _run_action_script(
    repo: Path, tmp_path: Path, args: str | None = None, path: str | None = None
) -> tuple[int, str, str]:
    """The script as the action's last step runs it; returns (status, summary, outputs)."""
    summary = tmp_path / "summary.md"
    outputs = tmp_path / "outputs.txt"
    summary.write_text("earlier step\n")  # the summary file is shared: append, never replace
    outputs.write_text("")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("MODERNIZE_ARGS", "MODERNIZE_PATH", "NO_COLOR")
    }
    env.update(GITHUB_STEP_SUMMARY=str(summary), GITHUB_OUTPUT=str(outputs))
    if args is not None:
        env["MODERNIZE_ARGS"] = args
    if path is not None:
        env["MODERNIZE_PATH"] = path
    completed = subprocess.run(
        [sys.executable, str(SCRIPT)], cwd=repo, env=env, capture_output=True, text=True
    )
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n")
    return completed.returncode, text.removeprefix("earlier step\n"), outputs.read_text()


def test_a_stale_repository_fails_with_the_diff_in_the_summary(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    expected_diff = run_cli(["apply", "--dry-run", "."], repo).stdout
    assert expected_diff
    status, summary, outputs = _run_action_script(repo, tmp_path)
    assert status == 1
    assert outputs == "exit-code=1\n"
    assert summary.startswith("### `modernize apply --dry-run .`\n")
    assert "**Changes pending** (exit 1)" in summary
    assert f"```diff\n{expected_diff}```\n" in summary
    assert "<summary>Diagnostics</summary>" in summary
    assert "would be changed" in summary  # the summary line, from stderr
    assert run_cli(["apply", "--dry-run", "."], repo).exit_code == 1  # nothing was written


def test_a_clean_repository_passes(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    assert run_cli(["apply", "."], repo).exit_code == 0
    status, summary, outputs = _run_action_script(repo, tmp_path)
    assert status == 0
    assert outputs == "exit-code=0\n"
    assert "Nothing to change." in summary
    assert "```diff" not in summary


def test_verify_fails_on_findings_and_passes_without(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    status, summary, _ = _run_action_script(repo, tmp_path, "verify --no-external")
    assert status == 1
    assert "**Checks failing** (exit 1)." in summary
    findings = run_cli(["verify", "--no-external", "."], repo).stdout
    assert f"```text\n{findings}```\n" in summary
    assert re.search(r"^Dockerfile:\d+: error M001 ", summary, re.M)

    clean = tmp_path / "clean"
    (clean / ".github/workflows").mkdir(parents=True)
    (clean / ".github/workflows/ci.yml").write_text(CLEAN_WORKFLOW)
    status, summary, outputs = _run_action_script(clean, tmp_path, "verify --strict --no-external")
    assert status == 0
    assert outputs == "exit-code=0\n"
    assert "Checks pass." in summary
    assert "```text" not in summary.split("<details>")[0]  # no findings block


def test_path_input_and_errors(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo / "service")
    status, summary, _ = _run_action_script(repo, tmp_path, "apply --dry-run", "service")
    assert status == 1
    assert "--- a/Dockerfile\n" in summary  # relative to the path input
    status, summary, outputs = _run_action_script(repo, tmp_path, "apply --dry-run --python 2.7")
    assert status == 2
    assert outputs == "exit-code=2\n"
    assert "**Error** (exit 2)" in summary
    assert "python target 2.7 is not a Python 3 minor" in summary


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("action_run", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_fence_is_longer_than_any_backticks_inside(script: ModuleType) -> None:
    assert script.fence("a\n", "diff") == "```diff\na\n```\n"
    inner = "+```python\n+x = 1\n+```\n"
    fenced = script.fence(inner, "diff")
    assert fenced == f"````diff\n{inner}````\n"
    assert script.fence("no newline", "text") == "```text\nno newline\n```\n"


def test_a_huge_output_is_cut_at_a_line(script: ModuleType) -> None:
    text = "".join(f"+line {n}\n" for n in range(1000))
    cut = script.truncated(text, 100)
    kept, note = cut.rsplit("…", 1)
    assert text.startswith(kept) and kept.endswith("\n") and len(kept) <= 100
    left = 1000 - kept.count("\n")
    assert note == f" {left} more lines: the full output is in the step log.\n"
    assert script.truncated(text, len(text)) == text
