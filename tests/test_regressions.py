"""Cases the property tests found, kept as plain examples."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import run_cli


def test_an_edited_from_equal_to_another_from_is_not_misaligned(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(
        "FROM python:3.8 AS a\nRUN python3.8 -V\nFROM python:3.12\nRUN python3.8 -V\n"
    )
    result = run_cli(["apply"], tmp_path)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "Dockerfile").read_text() == (
        "FROM python:3.12 AS a\nRUN python3.12 -V\nFROM python:3.12\nRUN python3.8 -V\n"
    )


def test_removed_matrix_lists_at_the_end_of_a_file_without_final_newline(tmp_path: Path) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    text = (
        "on: push\njobs:\n  t:\n    runs-on: x\n    strategy:\n      matrix:\n"
        '        python-version:\n          - "3.9"\n          - "3.12"\n'
        '        include:\n          - python-version: "3.9"\n            os: b'
    )
    (workflows / "ci.yml").write_text(text)
    result = run_cli(["apply"], tmp_path)
    assert result.exit_code == 0, result.stderr
    assert (workflows / "ci.yml").read_text() == (
        "on: push\njobs:\n  t:\n    runs-on: x\n    strategy:\n      matrix:\n"
        '        python-version:\n          - "3.12"'
    )


def test_include_and_exclude_both_removed_at_the_end_of_a_file_without_final_newline(
    tmp_path: Path,
) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    kept = (
        "on: push\njobs:\n  t:\n    runs-on: x\n    strategy:\n      matrix:\n"
        '        python-version: ["3.9", "3.12"]\n'
    )
    removed = (
        '        include:\n          - python-version: "3.9"\n            os: b\n'
        '        exclude:\n          - {python-version: "3.9", os: c}'
    )
    (workflows / "ci.yml").write_text(kept + removed)
    result = run_cli(["apply"], tmp_path)
    assert result.exit_code == 0, result.stderr  # the two removals used to overlap (exit 2)
    assert (workflows / "ci.yml").read_text() == kept.replace('"3.9", ', "").removesuffix("\n")
