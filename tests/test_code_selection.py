"""Choosing findings by code (``--select``, ``--ignore``, ``per-file-ignores``), as ruff does,
and the ways findings are printed: severities in text, GitHub annotations, ``--output``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from modernize.codes import Layer, Selection, UnknownCode, check_selectors
from tests.helpers import run_cli, sarif_schema

# A root Dockerfile and one under docker/dev: each stale (M001) and missing USER and
# HEALTHCHECK (DF001, DF002).
STALE = 'FROM python:3.10-slim\nCMD ["python"]\n'


def _repo(tmp_path: Path, config: str = "") -> Path:
    repo = tmp_path / "repo"
    (repo / "docker" / "dev").mkdir(parents=True)
    (repo / ".git").mkdir()
    (repo / "Dockerfile").write_text(STALE)
    (repo / "docker" / "dev" / "Dockerfile").write_text(STALE)
    if config:
        (repo / "pyproject.toml").write_text("[tool.modernize]\n" + config)
    return repo


def _codes(stdout: str) -> list[tuple[str, str]]:
    """(path, code) of each text finding."""
    found = re.findall(r"^(\S+):\d+: (?:error|warning|note) (\S+) ", stdout, re.M)
    return sorted(found)


def _verify(repo: Path, *args: str) -> list[tuple[str, str]]:
    result = run_cli(["verify", "--no-external", *args], repo)
    assert result.exit_code in (0, 1), result.stderr
    return _codes(result.stdout)


def test_every_code_is_reported_by_default(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    assert _verify(repo) == sorted(
        (path, code)
        for path in ("Dockerfile", "docker/dev/Dockerfile")
        for code in ("DF001", "DF002", "M001")
    )


def test_select_and_ignore_take_codes_and_their_starts(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    assert {code for _path, code in _verify(repo, "--select", "DF")} == {"DF001", "DF002"}
    kept = _verify(repo, "--select", "DF,M001", "--ignore", "DF002")
    assert {code for _path, code in kept} == {"DF001", "M001"}
    # Repeated options add up; codes are read in any case.
    kept = _verify(repo, "--select", "df001", "--select", "M001")
    assert {code for _path, code in kept} == {"DF001", "M001"}
    assert _verify(repo, "--ignore", "ALL") == []


def test_the_more_specific_selector_wins(tmp_path: Path) -> None:
    repo = _repo(tmp_path, 'ignore = ["DF"]\nselect = ["ALL", "DF001"]\n')
    assert {code for _path, code in _verify(repo)} == {"DF001", "M001"}


def test_the_command_line_comes_after_the_configuration(tmp_path: Path) -> None:
    repo = _repo(tmp_path, 'ignore = ["DF001"]\n')
    assert {code for _path, code in _verify(repo)} == {"DF002", "M001"}
    # A command-line select replaces the configuration's selection, then its ignore holds.
    assert {code for _path, code in _verify(repo, "--select", "DF001")} == {"DF001"}
    assert {code for _path, code in _verify(repo, "--ignore", "M")} == {"DF002"}


def test_per_file_ignores_hold_for_the_files_their_patterns_match(tmp_path: Path) -> None:
    repo = _repo(tmp_path, 'per-file-ignores = { "docker/dev/**" = ["DF001", "M"] }\n')
    found = _verify(repo)
    assert ("Dockerfile", "DF001") in found
    assert ("Dockerfile", "M001") in found
    assert ("docker/dev/Dockerfile", "DF001") not in found
    assert ("docker/dev/Dockerfile", "M001") not in found
    assert ("docker/dev/Dockerfile", "DF002") in found
    # The same answer when the file is named alone, as a pre-commit hook names it, and from
    # inside its folder (the patterns are relative to the configuration's directory).
    alone = run_cli(["verify", "--no-external", "docker/dev/Dockerfile"], repo)
    assert _codes(alone.stdout) == [("docker/dev/Dockerfile", "DF002")]
    inside = run_cli(["verify", "--no-external", "Dockerfile"], repo / "docker" / "dev")
    assert _codes(inside.stdout) == [("Dockerfile", "DF002")]


def test_apply_still_migrates_what_verify_is_told_to_ignore(tmp_path: Path) -> None:
    repo = _repo(tmp_path, 'ignore = ["M001"]\n')
    assert run_cli(["apply"], repo).exit_code == 0
    assert (repo / "Dockerfile").read_text().startswith("FROM python:3.12-slim")


@pytest.mark.parametrize(
    ("config", "line", "message"),
    [
        ('select = ["XY"]\n', 2, "tool.modernize.select: unknown code 'XY'"),
        ('ignore = "DF001"\n', 2, "tool.modernize.ignore: must be a list of codes"),
        (
            'python = "3.12"\n[tool.modernize.per-file-ignores]\n"a/**" = ["QQ1"]\n',
            4,
            "tool.modernize.per-file-ignores: unknown code 'QQ1'",
        ),
        ('per-file-ignores = { "a/**" = "DF001" }\n', 2, "must map to a list of codes"),
    ],
)
def test_a_bad_code_in_the_configuration_is_an_error_at_its_line(
    tmp_path: Path, config: str, line: int, message: str
) -> None:
    repo = _repo(tmp_path, config)
    result = run_cli(["verify", "--no-external"], repo)
    assert result.exit_code == 2
    assert f"pyproject.toml:{line}: error: " in result.stderr
    assert message in result.stderr


def test_an_unknown_code_on_the_command_line_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli(["verify", "--select", "DF,XX9"], _repo(tmp_path))
    assert result.exit_code == 2
    assert "--select: unknown code 'XX9' (`modernize rules` lists the codes)" in result.stderr


def test_skipping_a_code_says_how_to_ignore_it(tmp_path: Path) -> None:
    result = run_cli(["verify", "--skip", "DF001"], _repo(tmp_path))
    assert result.exit_code == 2
    assert "use --ignore DF001" in result.stderr
    result = run_cli(["apply", "--only", "M001"], _repo(tmp_path / "b"))
    assert result.exit_code == 2
    assert "'M001' is the code of migration 'python-base-image'" in result.stderr


def test_only_limits_verify_to_those_migrations_unless_select_names_more(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    assert {code for _p, code in _verify(repo, "--only", "python-base-image")} == {"M001"}
    both = _verify(repo, "--only", "python-base-image", "--select", "M001,DF002")
    assert {code for _p, code in both} == {"M001", "DF002"}


def test_advise_takes_the_same_selection(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "Dockerfile").write_text("FROM python:3.10-slim\n")
    (repo / "compat.py").write_text("import imp\nimport distutils\n")
    found = run_cli(["advise", "--color", "never", "."], repo)
    assert {code for _p, code in _codes(found.stdout)} == {"A001"}
    ignored = run_cli(["advise", "--ignore", "A001", "."], repo)
    assert ignored.exit_code == 0
    assert ignored.stdout == ""


def test_an_internal_error_is_never_dropped() -> None:
    everything_ignored = Selection((Layer(ignore=("ALL",)),), (("**", ("E",)),))
    assert not everything_ignored.reports("E001")
    assert everything_ignored.reports("E002")
    assert everything_ignored.reports_in("E002", "any/file")


def test_hadolint_codes_can_be_selected() -> None:
    assert check_selectors(["dl3008", "SC"], ["DF001"]) == ("DL3008", "SC")
    with pytest.raises(UnknownCode):
        check_selectors(["DF9"], ["DF001"])
    with pytest.raises(UnknownCode):
        check_selectors(["D-F"], ["DF001"])


def test_text_output_names_each_severity_and_the_summary_counts_notes(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    result = run_cli(["verify", "--no-external", "--color", "never"], repo)
    lines = result.stdout.splitlines()
    assert "Dockerfile:1: error M001 python base image below the target" in result.stdout
    assert "Dockerfile:1: warning DF001 " in result.stdout
    assert all(re.match(r"\S+:\d+: (error|warning|note) [A-Z]+\d+ ", line) for line in lines)
    assert result.stderr == "2 errors, 4 warnings, 0 notes.\n"


def test_verify_prints_github_annotations(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    result = run_cli(["verify", "--no-external", "--format", "github", "--ignore", "DF002"], repo)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "::warning file=Dockerfile,line=1,title=DF001::the final stage runs as root: add a "
        "non-root USER",
        "::error file=Dockerfile,line=1,title=M001::python base image below the target; would "
        "become: FROM python:3.12-slim",
        "::warning file=docker/dev/Dockerfile,line=1,title=DF001::the final stage runs as root: "
        "add a non-root USER",
        "::error file=docker/dev/Dockerfile,line=1,title=M001::python base image below the "
        "target; would become: FROM python:3.12-slim",
    ]


@pytest.mark.parametrize("output_format", ["json", "sarif", "text", "github"])
def test_output_writes_the_findings_to_a_file(tmp_path: Path, output_format: str) -> None:
    repo = _repo(tmp_path)
    printed = run_cli(["verify", "--no-external", "--format", output_format], repo)
    target = tmp_path / "out" / "findings"
    target.parent.mkdir()
    written = run_cli(
        ["verify", "--no-external", "--format", output_format, "--output", str(target)], repo
    )
    assert written.exit_code == printed.exit_code == 1
    assert written.stdout == ""
    assert target.read_text() == printed.stdout
    assert written.stderr == printed.stderr  # the summary still goes to stderr
    if output_format in ("json", "sarif"):
        json.loads(target.read_text())
    assert list(target.parent.iterdir()) == [target]  # no temporary file left beside it


def test_output_to_a_folder_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    result = run_cli(["verify", "--output", str(tmp_path / "no" / "such")], _repo(tmp_path))
    assert result.exit_code == 2
    assert "cannot write the output" in result.stderr


@pytest.mark.parametrize("command", ["verify", "advise"])
def test_sarif_output_is_valid_sarif_with_every_rule_explained(
    tmp_path: Path, command: str
) -> None:
    import jsonschema

    schema = sarif_schema()
    repo = _repo(tmp_path)
    (repo / "compat.py").write_text("import imp\n")
    target = tmp_path / "modernize.sarif"
    result = run_cli([command, "--format", "sarif", "--output", str(target), "."], repo)
    assert result.exit_code == 1, result.stderr
    log = json.loads(target.read_text())
    jsonschema.Draft4Validator(schema).validate(log)
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert "informationUri" not in driver  # no published page to point at yet
    assert run["results"]
    rules = driver["rules"]
    for found in run["results"]:
        rule = rules[found["ruleIndex"]]
        assert rule["id"] == found["ruleId"]
        assert rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["help"]["markdown"]


def test_rules_lists_every_code_and_rule_explains_each(tmp_path: Path) -> None:
    listed = run_cli(["rules"], tmp_path)
    assert listed.exit_code == 0
    codes = [line.split()[0] for line in listed.stdout.splitlines()[:-1]]
    assert codes[:4] == ["E001", "E002", "V000", "V001"]
    assert {"M001", "M006", "DF001", "CP002", "RD001", "MK002", "A001", "A018"} <= set(codes)
    assert len(codes) == len(set(codes))
    for code in codes:
        explained = run_cli(["rule", code.lower()], tmp_path)
        assert explained.exit_code == 0, code
        assert explained.stdout.startswith(code)
        assert len(explained.stdout.splitlines()) > 3, code
    as_json = json.loads(run_cli(["rules", "--format", "json"], tmp_path).stdout)
    assert [entry["code"] for entry in as_json] == codes
    assert run_cli(["rule", "DF001"], tmp_path).stdout.count("Fix: ") == 1
    assert "Example:" in run_cli(["rule", "DF001"], tmp_path).stdout
