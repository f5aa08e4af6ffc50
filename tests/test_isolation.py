"""Nothing from the repository runs: not through ``python -m``, a validator, a worker process or
the composite action.

A hostile repository holds modules named like the ones modernize and its validators import
(``click/``, ``yaml/``, ``check_jsonschema.py``, even ``modernize/``); each writes a marker file
when imported. Every way of starting modernize runs with that repository as the working
directory, and no marker may appear.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from modernize.standards import validators
from tests.helpers import run_cli

ROOT = Path(__file__).parent.parent
ACTION = ROOT / "action.yml"

#: What the tool, its dependencies, its validators and Python's own start-up could import.
PLANTED = (
    "__future__",
    "check_jsonschema",
    "click",
    "jsonschema",
    "libcst",
    "multiprocessing",
    "packaging",
    "pip",
    "signal",
    "yaml",
)
BAD_WORKFLOW = "on: push\njobs:\n  a:\n    runs-on: x\n    stepz: []\n"
DOCKERFILE = "FROM python:3.10-slim\nRUN apt-get update && apt-get install -y curl\n"

needs_validators = pytest.mark.skipif(
    not all(validators.available().values()), reason="the [validate] extra is not installed"
)


def _hostile_repository(repo: Path, markers: Path, planted: tuple[str, ...] = PLANTED) -> None:
    markers.mkdir()
    for name in planted:
        code = f"open({str(markers / name)!r}, 'w').close()\n"
        if name in ("signal", "__future__", "check_jsonschema"):
            (repo / f"{name}.py").write_text(code)
        else:
            (repo / name).mkdir()
            (repo / name / "__init__.py").write_text(code)
            (repo / name / "__main__.py").write_text(code)
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".github" / "workflows" / "ci.yml").write_text(BAD_WORKFLOW)
    (repo / "Dockerfile").write_text(DOCKERFILE)


def _clean_environment() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}


def _codes(output: str) -> set[str]:
    return {finding["code"] for finding in json.loads(output)["findings"]}


@needs_validators
def test_python_dash_m_verify_with_validators_imports_nothing_from_the_repository(
    tmp_path: Path,
) -> None:
    repo, markers = tmp_path / "repo", tmp_path / "markers"
    repo.mkdir()
    # Not modernize/: `python -m modernize` finds that before any of its own code runs
    # (docs/safety.md says to use the script, or `python -I -m modernize`, in a repository
    # not trusted).
    _hostile_repository(repo, markers)
    completed = subprocess.run(
        [sys.executable, "-m", "modernize", "verify", "--format", "json", "."],
        cwd=repo,
        env=_clean_environment(),
        capture_output=True,
        text=True,
    )
    assert sorted(path.name for path in markers.iterdir()) == []
    assert completed.returncode == 1, completed.stderr
    assert {"V001", "DL3008", "M001"} <= _codes(completed.stdout)  # both validators ran


@needs_validators
def test_the_script_and_its_validators_import_nothing_from_the_repository(
    tmp_path: Path,
) -> None:
    script = Path(sys.executable).parent / "modernize"
    if not script.is_file():
        pytest.skip("the modernize script is not installed beside this interpreter")
    repo, markers = tmp_path / "repo", tmp_path / "markers"
    repo.mkdir()
    _hostile_repository(repo, markers, (*PLANTED, "modernize"))
    env = {**_clean_environment(), "PATH": os.pathsep.join(["", ".", os.environ["PATH"]])}
    completed = subprocess.run(
        [script, "verify", "--format", "json", "."],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    assert sorted(path.name for path in markers.iterdir()) == []
    assert completed.returncode == 1, completed.stderr
    assert {"V001", "DL3008", "M001"} <= _codes(completed.stdout)


def test_hadolint_is_taken_from_absolute_path_entries_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    planted = tmp_path / "bin" / "hadolint"
    planted.parent.mkdir()
    planted.write_text("#!/bin/sh\nexit 0\n")
    planted.chmod(planted.stat().st_mode | stat.S_IXUSR)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python" / "python3"))
    for relative in ("bin", "./bin"):
        monkeypatch.setenv("PATH", os.pathsep.join([relative, "/nonexistent"]))
        assert validators.hadolint_binary() is None
    monkeypatch.chdir(planted.parent)
    monkeypatch.setenv("PATH", os.pathsep.join(["", "."]))
    assert validators.hadolint_binary() is None
    monkeypatch.setenv("PATH", str(planted.parent))
    assert validators.hadolint_binary() == str(planted)


def test_a_validator_runs_isolated_in_an_empty_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", ["", "relative", str(tmp_path), *sys.path])
    assert validators.search_path() == sys.path[3:]
    command = validators.python_module("site")  # `python -m site` prints its sys.path
    assert command[:3] == [sys.executable, "-I", "-c"]
    printed = validators._run(command)
    assert f"    {str(tmp_path)!r},\n" not in printed
    assert f"    {sys.path[3]!r},\n" in printed
    assert validators._run([sys.executable, "-I", "-c", "import os; print(os.listdir())"]) == (
        "[]\n"
    )


@pytest.mark.skipif(sys.version_info < (3, 11), reason="PYTHONSAFEPATH is new in Python 3.11")
def test_spawned_worker_processes_import_nothing_from_the_repository(tmp_path: Path) -> None:
    hostile, markers = tmp_path / "hostile", tmp_path / "markers"
    hostile.mkdir()
    _hostile_repository(hostile, markers)
    for name in ("a", "b"):
        (hostile / name).mkdir()
        (hostile / name / "Dockerfile").write_text("FROM python:3.10\n")
    # The parent starts clean, then works in the repository with workers started afresh
    # ("spawn", as on macOS and Windows): each runs `python -c ...` there.
    start = (
        "import os, sys, multiprocessing\n"
        "sys.path.remove('')\n"
        "multiprocessing.set_start_method('spawn')\n"
        "os.chdir(sys.argv[1])\n"
        "sys.argv[:] = ['modernize', 'apply', '--dry-run', '-j', '2', 'a', 'b']\n"
        "from modernize.entry import main\n"
        "main()\n"
    )
    neutral = tmp_path / "neutral"
    neutral.mkdir()
    completed = subprocess.run(
        [sys.executable, "-c", start, str(hostile)],
        cwd=neutral,
        env=_clean_environment(),
        capture_output=True,
        text=True,
    )
    assert sorted(path.name for path in markers.iterdir()) == []
    assert completed.returncode == 1, completed.stderr
    assert completed.stdout.count("+FROM python:3.12\n") == 2


def _action_steps() -> list[dict[str, object]]:
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    steps = action["runs"]["steps"]
    assert isinstance(steps, list)
    return steps


def test_every_python_the_action_starts_is_isolated() -> None:
    commands = [str(step["run"]) for step in _action_steps() if "run" in step]
    assert commands
    for command in commands:
        assert re.match(r'"\$PYTHON" -I ', command), command
        assert "cd " not in command


def test_the_action_run_as_github_would_imports_nothing_from_the_workspace(
    tmp_path: Path,
) -> None:
    workspace, markers = tmp_path / "workspace", tmp_path / "markers"
    workspace.mkdir()
    _hostile_repository(workspace, markers, (*PLANTED, "modernize"))
    summary, outputs = tmp_path / "summary.md", tmp_path / "outputs.txt"
    inputs = {
        "${{ steps.python.outputs.python-path }}": sys.executable,
        "${{ inputs.args }}": "verify --no-external",
        "${{ inputs.path }}": ".",
        # The extra runs (annotations, SARIF) are isolated too.
        "${{ inputs.annotations }}": "true",
        "${{ inputs.sarif-file }}": "modernize.sarif",
    }
    ran = []
    for step in _action_steps():
        if "run" not in step:
            continue
        env = {
            **os.environ,
            "GITHUB_ACTION_PATH": str(ROOT),
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_OUTPUT": str(outputs),
            # The install step installs nowhere that matters, and from nowhere.
            "PIP_DRY_RUN": "1",
            "PIP_NO_DEPS": "1",
            "PIP_NO_INDEX": "1",
            "PIP_TARGET": str(tmp_path / "target"),
        }
        step_env = step.get("env", {})
        assert isinstance(step_env, dict)
        env.update({name: inputs[value] for name, value in step_env.items()})
        assert step["shell"] == "bash"
        ran.append(
            subprocess.run(
                ["bash", "-c", str(step["run"])], cwd=workspace, env=env, capture_output=True
            )
        )
    assert sorted(path.name for path in markers.iterdir()) == []
    assert len(ran) == 2
    assert ran[-1].returncode == 1, ran[-1].stderr
    assert outputs.read_text() == "exit-code=1\n"
    assert re.search(r"^Dockerfile:\d+: error M001 ", summary.read_text(), re.M)
    assert re.search(
        r"^::error file=Dockerfile,line=\d+,title=M001::", ran[-1].stdout.decode(), re.M
    )
    assert '"ruleId": "M001"' in (workspace / "modernize.sarif").read_text()


@needs_validators
def test_hadolint_still_reads_the_configuration_in_the_working_directory(tmp_path: Path) -> None:
    # hadolint imports nothing: it runs where modernize runs, as before, and reads its config.
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    (tmp_path / ".hadolint.yaml").write_text("ignored:\n  - DL3008\n")
    configured = run_cli(["verify", "--format", "json", "."], tmp_path)
    assert "DL3008" not in _codes(configured.stdout)
    (tmp_path / ".hadolint.yaml").unlink()
    assert "DL3008" in _codes(run_cli(["verify", "--format", "json", "."], tmp_path).stdout)
