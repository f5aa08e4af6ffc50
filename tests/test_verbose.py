"""-v/--verbose: per-file information on stderr; -q and -v together are a usage error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import run_cli

FILES = {
    "Dockerfile": "FROM python:3.10\nMAINTAINER Jane <j@example.org>\n",
    "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n",
    "notes.txt": "not an infrastructure file\n",
    "legacy/Dockerfile": "FROM python:3.9\n",
    ".modernize.toml": 'exclude = ["legacy/"]\n',
}
TIMING = r"\[\d+\.\d ms\]"


def _repo(tmp_path: Path) -> Path:
    for name, text in FILES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (tmp_path / "Dockerfile.bin").write_bytes(b"FROM python:3.10\n\0binary")
    return tmp_path


def _lines(stderr: str, pattern: str) -> list[str]:
    return [line for line in stderr.splitlines() if re.fullmatch(pattern, line)]


def test_apply_verbose_names_each_file_its_kind_and_the_migrations(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    quiet_run = run_cli(["apply", "--dry-run"], repo)
    result = run_cli(["apply", "--dry-run", "-v"], repo)
    assert result.exit_code == 1
    assert result.stdout == quiet_run.stdout  # stdout (the diff) is unchanged
    stderr = result.stderr
    assert _lines(
        stderr,
        rf"Dockerfile \(dockerfile\): would be changed by python-base-image, maintainer-label "
        rf"{TIMING}",
    )
    assert _lines(stderr, rf"docker-compose\.yml \(compose\): unchanged {TIMING}")
    assert _lines(
        stderr, rf"Dockerfile\.bin \(dockerfile\): skipped: binary file; skipped {TIMING}"
    )
    assert "legacy/" not in stderr.replace("exclude legacy/", "")  # excluded: never considered
    assert _lines(
        stderr,
        r"configuration \.modernize\.toml: python 3\.12, postgres 16, redis 7; "
        r"exclude legacy/; "
        r"migrations python-base-image, .*",
    )
    assert _lines(stderr, r"3 files considered in \d+\.\d\d s; slowest .+ \(\d+\.\d ms\)\.")
    # Without -v none of it: the warnings and the summary line only.
    assert "considered" not in quiet_run.stderr and "(dockerfile)" not in quiet_run.stderr
    written = run_cli(["apply", "--verbose", "Dockerfile"], repo)
    assert _lines(written.stderr, rf"Dockerfile \(dockerfile\): changed by .+ {TIMING}")


def test_named_files_nothing_looks_at_are_explained(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    result = run_cli(["apply", "-v", "notes.txt", "legacy/Dockerfile"], repo)
    assert "notes.txt: not considered: not a kind of file modernize reads" in result.stderr
    assert "legacy/Dockerfile: not considered: excluded by the configuration" in result.stderr
    only = run_cli(["apply", "-v", "--only", "compose-version-key", "Dockerfile"], repo)
    assert "Dockerfile: not considered: no selected migration reads dockerfile files" in only.stderr
    assert (repo / "Dockerfile").read_text() == FILES["Dockerfile"]


def test_verify_verbose_counts_the_findings_of_each_file(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    result = run_cli(["verify", "--no-external", "-v"], repo)
    assert result.exit_code == 1
    counts: dict[str, int] = {}
    for line in result.stdout.splitlines():
        path = line.split(":")[0]
        counts[path] = counts.get(path, 0) + 1
    assert counts["Dockerfile"] >= 2
    for path, count in counts.items():
        kind = "compose" if path.endswith(".yml") else "dockerfile"
        noun = "finding" if count == 1 else "findings"
        assert _lines(result.stderr, rf"{re.escape(path)} \({kind}\): {count} {noun} {TIMING}")
    assert _lines(result.stderr, r"docker-compose\.yml \(compose\): \d+ findings? " + TIMING)
    assert "validators: off (--no-external)" in result.stderr
    assert _lines(result.stderr, r"3 files considered in \d+\.\d\d s; slowest .+\.")


@pytest.mark.parametrize("command", [["apply", "--dry-run"], ["verify"]])
def test_quiet_and_verbose_together_are_a_usage_error(tmp_path: Path, command: list[str]) -> None:
    repo = _repo(tmp_path)
    for flags in (["-q", "-v"], ["--quiet", "--verbose"]):
        result = run_cli([*command, *flags], repo)
        assert result.exit_code == 2
        assert result.stdout == ""
        assert "-q/--quiet and -v/--verbose cannot be used together" in result.stderr
    assert (repo / "Dockerfile").read_text() == FILES["Dockerfile"]


def test_the_validators_line_says_which_run() -> None:
    from modernize.render.verbose import describe_validators

    assert describe_validators(None) == "validators: off (--no-external)"
    assert describe_validators({"check-jsonschema": False, "hadolint": False}) == (
        "validators: none installed (pip install '.[validate]' in a checkout of modernize)"
    )
    assert describe_validators({"check-jsonschema": True, "hadolint": False}) == (
        "validators: check-jsonschema"
    )


def test_another_projects_tree_is_passed_over_unless_named_and_verbose_says_why(
    tmp_path: Path,
) -> None:
    """A folder below PATH holding its own ``.github`` is a vendored copy or a subtree: its
    workflows never run here, and it is not this repository's to change."""
    vendored = tmp_path / "vendor" / "lib"
    (vendored / ".github" / "workflows").mkdir(parents=True)
    (vendored / ".github" / "workflows" / "ci.yml").write_text(
        "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v3\n"
    )
    (vendored / "Dockerfile").write_text("FROM python:3.10\n")
    (tmp_path / "Dockerfile").write_text("FROM python:3.10\n")
    quiet = run_cli(["apply", "--dry-run", "."], tmp_path)
    assert [line for line in quiet.stdout.splitlines() if line.startswith("+++")] == [
        "+++ b/Dockerfile"
    ]
    assert "vendor" not in quiet.stderr
    verbose = run_cli(["apply", "--dry-run", "-v", "."], tmp_path)
    assert "vendor/lib/: not considered: it holds a .github folder of its own" in verbose.stderr
    checked = run_cli(["verify", "-v", "."], tmp_path)
    assert "vendor/lib/: not considered" in checked.stderr
    assert "vendor/lib/Dockerfile" not in checked.stdout
    named = run_cli(["apply", "--dry-run", "vendor/lib"], tmp_path)
    assert sorted(line for line in named.stdout.splitlines() if line.startswith("+++")) == [
        "+++ b/.github/workflows/ci.yml",
        "+++ b/Dockerfile",
    ]
