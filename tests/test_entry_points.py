"""The ways in: the ``modernize`` script, ``python -m modernize``, help and shell completion."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import run_cli

README = Path(__file__).parent.parent / "README.md"


def _script() -> Path:
    script = Path(sys.executable).parent / "modernize"
    if not script.is_file():
        pytest.skip("the modernize script is not installed beside this interpreter")
    return script


def test_python_dash_m_runs_the_command_line(tmp_path: Path) -> None:
    from modernize import __version__

    (tmp_path / "Dockerfile").write_text("FROM python:3.10\n")
    version = subprocess.run(
        [sys.executable, "-m", "modernize", "--version"], capture_output=True, text=True
    )
    assert version.stdout.startswith(f"modernize, version {__version__} (knowledge of ")
    dry_run = subprocess.run(
        [sys.executable, "-m", "modernize", "apply", "--dry-run", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert dry_run.returncode == 1
    assert dry_run.stdout.startswith("--- a/Dockerfile\n")
    assert "+FROM python:3.12\n" in dry_run.stdout


def test_help_shows_examples_and_completion(tmp_path: Path) -> None:
    top = run_cli(["--help"], tmp_path)
    assert top.exit_code == 0
    assert "Examples:\n    modernize apply --dry-run" in top.stdout
    assert 'eval "$(_MODERNIZE_COMPLETE=bash_source modernize)"' in top.stdout
    verify = run_cli(["verify", "--help"], tmp_path)
    assert "modernize verify --strict ." in verify.stdout


def test_readme_completion_command_prints_a_completion_function() -> None:
    script = _script()
    documented = re.findall(r"_MODERNIZE_COMPLETE=(\w+)_source modernize", README.read_text())
    assert {"bash", "zsh", "fish"} <= set(documented)
    env = {**os.environ, "_MODERNIZE_COMPLETE": "bash_source"}
    printed = subprocess.run([script], env=env, capture_output=True, text=True, check=True)
    assert "_modernize_completion() {" in printed.stdout
    assert "complete -o nosort -F _modernize_completion modernize" in printed.stdout
    zsh = subprocess.run(
        [script], env={**env, "_MODERNIZE_COMPLETE": "zsh_source"}, capture_output=True, text=True
    )
    assert zsh.stdout.startswith("#compdef modernize")


def test_bash_completion_completes_commands_and_options(tmp_path: Path) -> None:
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    script = _script()
    env = {**os.environ, "_MODERNIZE_COMPLETE": "bash_source"}
    source = subprocess.run([script], env=env, capture_output=True, text=True, check=True).stdout
    (tmp_path / "completion.bash").write_text(source)
    # The completion function calls its first argument: the script itself here.
    probe = (
        'source "$1"; COMP_WORDS=($2); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); '
        '_modernize_completion "$0"; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    env = {key: value for key, value in os.environ.items() if key != "_MODERNIZE_COMPLETE"}

    def complete(words: str) -> list[str]:
        completed = subprocess.run(
            [bash, "-c", probe, str(script), str(tmp_path / "completion.bash"), words],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return completed.stdout.split()

    assert complete("modernize ve") == ["verify"]
    assert "--dry-run" in complete("modernize apply --d")
    assert complete("modernize verify --str") == ["--strict"]


def test_the_command_line_freezes_what_loading_made_and_collects_less_often() -> None:
    # The cyclic collector is tuned once the modules are loaded; seen from the exit handler.
    probe = (
        "import atexit, gc, sys\n"
        "import modernize.entry as entry\n"
        "atexit.register(lambda: print(gc.get_threshold()[0], gc.get_freeze_count() > 1000))\n"
        "sys.argv = ['modernize', '--version']\n"
        "entry._command_line()\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.stdout.splitlines()[-1] == "10000 True", result.stdout + result.stderr
