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
from tests.helpers import run_cli, sarif_schema

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
        "annotations": "true",
        "sarif-file": "",
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
    assert steps[-1]["env"] == {
        "PYTHON": "${{ steps.python.outputs.python-path }}",
        "MODERNIZE_ARGS": "${{ inputs.args }}",
        "MODERNIZE_PATH": "${{ inputs.path }}",
        "MODERNIZE_ANNOTATIONS": "${{ inputs.annotations }}",
        "MODERNIZE_SARIF_FILE": "${{ inputs.sarif-file }}",
    }
    outputs = action["outputs"]
    assert isinstance(outputs, dict)
    assert outputs["exit-code"]["value"] == "${{ steps.run.outputs.exit-code }}"


def _run_action_script(
    repo: Path,
    tmp_path: Path,
    args: str | None = None,
    path: str | None = None,
    **inputs: str,
) -> tuple[int, str, str]:
    """The script as the action's last step runs it; returns (status, summary, outputs).
    ``inputs`` are the other inputs (``sarif_file="x"`` is ``MODERNIZE_SARIF_FILE``)."""
    status, summary, outputs, _ = _run_with_log(repo, tmp_path, args, path, **inputs)
    return status, summary, outputs


def _run_with_log(
    repo: Path,
    tmp_path: Path,
    args: str | None = None,
    path: str | None = None,
    **inputs: str,
) -> tuple[int, str, str, str]:
    """As ``_run_action_script``, with the step log's standard output last."""
    summary = tmp_path / "summary.md"
    outputs = tmp_path / "outputs.txt"
    summary.write_text("earlier step\n")  # the summary file is shared: append, never replace
    outputs.write_text("")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("MODERNIZE_") and key != "NO_COLOR"
    }
    env.update(GITHUB_STEP_SUMMARY=str(summary), GITHUB_OUTPUT=str(outputs))
    if args is not None:
        env["MODERNIZE_ARGS"] = args
    if path is not None:
        env["MODERNIZE_PATH"] = path
    env.update({f"MODERNIZE_{name.upper()}": value for name, value in inputs.items()})
    completed = subprocess.run(
        [sys.executable, str(SCRIPT)], cwd=repo, env=env, capture_output=True, text=True
    )
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n")
    summary_text = text.removeprefix("earlier step\n")
    return completed.returncode, summary_text, outputs.read_text(), completed.stdout


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


_ANNOTATION = re.compile(r"^::(error|warning|notice) file=([^,]+),line=(\d+),title=(\w+)::", re.M)


def test_stale_lines_are_annotated_by_default(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo / "service")
    status, summary, _, log = _run_with_log(
        repo, tmp_path, "apply --dry-run --python 3.12", "service"
    )
    assert status == 1  # the apply's status: pending changes
    expected = run_cli(["verify", "--python", "3.12", "--format", "github", "service"], repo)
    assert expected.stdout and expected.stdout in log
    found = _ANNOTATION.findall(log)
    assert ("error", "service/Dockerfile", "3", "M001") in found  # named from the workspace
    assert not _ANNOTATION.search(summary)  # the summary holds the diff alone

    status, _, _, log = _run_with_log(
        repo, tmp_path, "apply --dry-run", "service", annotations="false"
    )
    assert status == 1
    assert not _ANNOTATION.search(log)


def test_verify_with_the_github_format_is_not_annotated_twice(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    _, _, _, log = _run_with_log(repo, tmp_path, "verify --no-external --format github")
    lines = _ANNOTATION.findall(log)
    assert lines and len(lines) == len(set(lines))


def test_the_sarif_file_input_writes_sarif_that_the_schema_accepts(tmp_path: Path) -> None:
    import json

    import jsonschema

    schema = sarif_schema()
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    status, summary, outputs = _run_action_script(
        repo, tmp_path, "verify --no-external --ignore DF", sarif_file="results/modernize.sarif"
    )
    assert status == 1 and outputs == "exit-code=1\n"
    assert "**Checks failing** (exit 1)." in summary
    log = json.loads((repo / "results" / "modernize.sarif").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    (run,) = log["runs"]
    expected = json.loads(
        run_cli(
            ["verify", "--no-external", "--ignore", "DF", "--format", "sarif", "."], repo
        ).stdout
    )
    assert run["results"] == expected["runs"][0]["results"]
    assert {result["ruleId"] for result in run["results"]} >= {"M001", "M004"}
    assert not any(result["ruleId"].startswith("DF") for result in run["results"])

    # After an apply, the SARIF is verify's with the same target: what apply left is in it
    # (the managed database to upgrade by hand), what it moved is not.
    assert run_cli(["apply", "."], repo).exit_code == 0
    status, _, _ = _run_action_script(repo, tmp_path, "apply --dry-run", sarif_file="clean.sarif")
    assert status == 0
    clean = json.loads((repo / "clean.sarif").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(clean)
    after = json.loads(run_cli(["verify", "--format", "sarif", "."], repo).stdout)
    assert clean["runs"][0]["results"] == after["runs"][0]["results"]
    assert {result["ruleId"] for result in clean["runs"][0]["results"]} & {"M001", "M004"} == set()


def test_a_sarif_file_that_cannot_be_written_fails_the_step(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    assert run_cli(["apply", "."], repo).exit_code == 0
    (repo / "taken").write_text("a file, not a folder\n")
    status, summary, outputs = _run_action_script(repo, tmp_path, sarif_file="taken/out.sarif")
    assert status == 2 and outputs == "exit-code=2\n"
    assert "Nothing to change." in summary  # the run itself was fine
    status, _, _ = _run_action_script(repo, tmp_path, "list", sarif_file="out.sarif")
    assert status == 2
    assert not (repo / "out.sarif").exists()


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


def test_the_extra_runs_keep_the_target_and_selection_of_args(script: ModuleType) -> None:
    assert script.verify_args(["apply", "--dry-run"]) == ["verify"]
    assert script.verify_args(
        [
            "apply",
            "--diff",
            "--python",
            "3.13",
            "--only=python-base-image",
            "-j",
            "2",
            "--format",
            "json",
            "--exclude",
            "docs/**",
            "--report",
            "r.md",
        ]
    ) == ["verify", "--python", "3.13", "--only=python-base-image", "--exclude", "docs/**"]
    assert script.verify_args(
        ["verify", "--strict", "--format", "text", "-o", "x.txt", "--select", "DF", "--color=never"]
    ) == ["verify", "--strict", "--select", "DF"]
    assert script.verify_args(["list"]) is None
    assert script.verify_args([]) is None


def test_the_readme_workflow_uploads_what_the_action_writes(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, re.S)
    (workflow,) = [block for block in blocks if "upload-sarif" in block]
    steps = yaml.safe_load(workflow)["jobs"]["modernize"]["steps"]
    ours = next(step for step in steps if step["uses"].startswith("OWNER/repo-modernize@"))
    upload = next(step for step in steps if "upload-sarif" in step["uses"])
    inputs = _action()["inputs"]
    assert isinstance(inputs, dict)
    assert set(ours["with"]) <= set(inputs)
    assert upload["with"]["sarif_file"] == ours["with"]["sarif-file"]
    assert upload["if"] == "always()"  # the findings are uploaded when the check failed
    assert yaml.safe_load(workflow)["permissions"]["security-events"] == "write"
    # Its actions are the majors modernize itself asks for: verify finds nothing to raise.
    repo = tmp_path / "repo"
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".github" / "workflows" / "modernize.yml").write_text(workflow)
    checked = run_cli(["verify", "--no-external", "--select", "M", "."], repo)
    assert checked.exit_code == 0, checked.stdout
