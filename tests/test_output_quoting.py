"""File names with TABs, newlines, quotes, backslashes or bytes that are not UTF-8: quoted in diff
headers as git quotes them (so that ``git apply`` takes the patch), printable in text, valid in
JSON, percent-encoded in SARIF URIs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from modernize.render.diff import header_name
from modernize.render.quoting import escaped, git_quoted, printable, shown, uri_path
from tests.helpers import run_cli, snapshot

STALE = "FROM python:3.9-slim\n"
# Folder names that git quotes, each holding a stale Dockerfile; one is not UTF-8.
AWKWARD = ["tab\there", "new\nline", 'say "hi"', "back\\slash", "café", "my app"]
NOT_UTF8 = os.fsdecode(b"latin\xe9")

needs_bytes_names = pytest.mark.skipif(
    sys.platform in ("darwin", "win32"), reason="the file system takes only Unicode names"
)


def _repository(root: Path, names: list[str]) -> Path:
    root.mkdir()
    for name in names:
        (root / name).mkdir()
        (root / name / "Dockerfile").write_text(STALE)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


@pytest.mark.parametrize(
    ("name", "quoted"),
    [
        ("a/Dockerfile", "a/Dockerfile"),
        ("a/my app/Dockerfile", "a/my app/Dockerfile"),
        ("a/tab\there", '"a/tab\\there"'),
        ("a/new\nline", '"a/new\\nline"'),
        ('a/say "hi"', '"a/say \\"hi\\""'),
        ("a/back\\slash", '"a/back\\\\slash"'),
        ("a/café", '"a/caf\\303\\251"'),
        ("a/\x01\x7f", '"a/\\001\\177"'),
        (os.fsdecode(b"a/x\xff"), '"a/x\\377"'),
    ],
)
def test_git_quoted_is_gits_quote_c_style(name: str, quoted: str) -> None:
    assert git_quoted(name) == quoted


def test_git_quoted_quotes_exactly_the_bytes_git_does() -> None:
    """Every byte alone, and every character up to U+07FF: left as it is only when each of its
    bytes is printable ASCII other than a quote or backslash (the rule of ``quote_c_style``)."""
    names = [os.fsdecode(bytes([byte])) for byte in range(256)] + [chr(c) for c in range(0x800)]
    for character in names:
        name = f"a/{character}b"
        data = os.fsencode(name)
        plain = all(32 <= byte < 127 and byte not in (34, 92) for byte in data)
        quoted = git_quoted(name)
        assert (quoted == name) is plain, repr(name)
        if not plain:
            assert quoted.startswith('"a/') and quoted.endswith('b"'), repr(name)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Dockerfile", "Dockerfile"),
        ("café/Dockerfile", "café/Dockerfile"),
        ("tab\there", '"tab\\there"'),
        ("new\nline", '"new\\nline"'),
        ("back\\slash", '"back\\\\slash"'),
        (os.fsdecode(b"x\xff"), '"x\\377"'),
        ("bidi\u202eevil", '"bidi\\342\\200\\256evil"'),
    ],
)
def test_shown_is_printable_and_keeps_printable_unicode(name: str, text: str) -> None:
    assert shown(name) == text


def test_a_header_name_with_a_space_ends_with_a_tab_as_gits_does() -> None:
    assert header_name("a/", "my app/Dockerfile") == "a/my app/Dockerfile\t"
    assert header_name("a/", "tab\there") == '"a/tab\\there"'


def test_escaped_never_leaves_a_lone_surrogate() -> None:
    assert escaped("café\tok") == "café\tok"
    assert escaped(os.fsdecode(b"a\\b\xff")) == "a\\\\b\\xff"
    assert uri_path(os.fsdecode(b"my app/x\xff/Dockerfile")) == "my%20app/x%FF/Dockerfile"


def _git_apply_check(repository: Path, patch: str) -> None:
    """``git apply --check`` of ``patch`` in ``repository``, then the patch applied."""
    (repository.parent / "patch.diff").write_bytes(patch.encode("utf-8"))
    for check in (["--check"], []):
        subprocess.run(
            ["git", "apply", *check, str(repository.parent / "patch.diff")],
            cwd=repository,
            check=True,
        )


@pytest.mark.parametrize("names", [AWKWARD, pytest.param([NOT_UTF8], marks=needs_bytes_names)])
def test_git_apply_takes_the_dry_run_diff_of_awkward_names(
    tmp_path: Path, names: list[str]
) -> None:
    repository = _repository(tmp_path / "repo", names)
    reference = tmp_path / "reference"
    shutil.copytree(repository, reference)
    assert run_cli(["apply"], reference).exit_code == 0
    result = run_cli(["apply", "--dry-run"], repository)
    assert result.exit_code == 1
    for name in names:
        assert f"--- {header_name('a/', f'{name}/Dockerfile')}\n" in result.stdout
    _git_apply_check(repository, result.stdout)
    assert snapshot(repository) == snapshot(reference)


def test_git_writes_the_same_headers(tmp_path: Path) -> None:
    repository = _repository(tmp_path / "repo", AWKWARD)
    subprocess.run(["git", "add", "-A"], cwd=repository, check=True)
    patch = run_cli(["apply", "--dry-run"], repository).stdout
    assert run_cli(["apply"], repository).exit_code == 0
    theirs = subprocess.run(
        ["git", "-c", "core.quotePath=true", "diff"],
        cwd=repository,
        check=True,
        capture_output=True,
    ).stdout.decode("utf-8")

    def headers(diff: str) -> list[str]:
        return sorted(line for line in diff.splitlines() if line.startswith(("--- ", "+++ ")))

    assert headers(patch) == headers(theirs)


@needs_bytes_names
def test_verify_prints_awkward_names_in_every_format(tmp_path: Path) -> None:
    repository = _repository(tmp_path / "repo", ["tab\there", NOT_UTF8])
    text = run_cli(["verify", "--no-external", "."], repository)
    assert text.exit_code == 1
    assert '"tab\\there/Dockerfile":1: error M001' in text.stdout
    assert '"latin\\351/Dockerfile":1: error M001' in text.stdout
    as_json = run_cli(["verify", "--no-external", "--format", "json", "."], repository)
    assert as_json.exit_code == 1
    paths = {finding["path"] for finding in json.loads(as_json.stdout)["findings"]}
    assert paths == {"tab\there/Dockerfile", "latin\\xe9/Dockerfile"}
    assert "\\udc" not in as_json.stdout
    sarif = run_cli(["verify", "--no-external", "--format", "sarif", "."], repository)
    assert sarif.exit_code == 1
    uris = {
        location["physicalLocation"]["artifactLocation"]["uri"]
        for result in json.loads(sarif.stdout)["runs"][0]["results"]
        for location in result["locations"]
    }
    assert uris == {"tab%09here/Dockerfile", "latin%E9/Dockerfile"}


@needs_bytes_names
def test_apply_report_and_json_show_a_name_that_is_not_utf8(tmp_path: Path) -> None:
    repository = _repository(tmp_path / "repo", [NOT_UTF8, "tab\there"])
    report = tmp_path / "report.md"
    report.write_text("the previous report\n")
    result = run_cli(["apply", "--report", str(report), "--format", "json"], repository)
    assert result.exit_code == 0
    written = report.read_text(encoding="utf-8")
    assert '| `"latin\\351/Dockerfile"` | python-base-image (1) |' in written
    assert '| `"tab\\there/Dockerfile"` | python-base-image (1) |' in written
    paths = {entry["path"] for entry in json.loads(result.stdout)["files"]}
    assert paths == {"latin\\xe9/Dockerfile", "tab\there/Dockerfile"}


def test_batch_section_lines_quote_the_repository_path(tmp_path: Path) -> None:
    for name in ("tab\tone", "plain"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "Dockerfile").write_text(STALE)
    result = run_cli(["apply", "--dry-run", "tab\tone", "plain"], tmp_path)
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if line.startswith("# repository:")]
    assert lines == ['# repository: "tab\\tone"', "# repository: plain"]
    table = [line.split()[0] for line in result.stderr.splitlines()[1:3]]
    assert table == ['"tab\\tone"', "plain"]


@pytest.mark.parametrize(
    ("text", "shown_as"),
    [
        ("plain, with a\ttab", "plain, with a\ttab"),
        ("a back\\slash alone", "a back\\slash alone"),
        ("clear \x1b[2J\x1b[H here", "clear \\x1b[2J\\x1b[H here"),
        ("bell\x07, return\r, newline\n", "bell\\x07, return\\x0d, newline\\x0a"),
        ("DEL\x7f and CSI\x9b", "DEL\\x7f and CSI\\x9b"),
        ("back\\slash and \x1b", "back\\\\slash and \\x1b"),
        (os.fsdecode(b"latin\xe9 \\"), "latin\\xe9 \\\\"),
        ("café ✓", "café ✓"),
    ],
)
def test_printable_escapes_what_a_terminal_would_act_on(text: str, shown_as: str) -> None:
    assert printable(text) == shown_as
    if "\x1b" not in text and not any(0x7F <= ord(c) <= 0x9F or ord(c) < 32 for c in text):
        assert printable(text) == escaped(text)  # nothing but surrogates: the same form


def test_a_files_escape_sequences_quoted_in_a_message_reach_no_terminal(tmp_path: Path) -> None:
    """A message that quotes a file's text (verify's MAINTAINER label, apply's README note)
    shows its control characters escaped, coloured or not: the file cannot clear the screen
    or rewrite a line of the report."""
    (tmp_path / "Dockerfile").write_text("FROM python:3.12-slim\nMAINTAINER Bob \x1b[2J\x07\n")
    (tmp_path / "README.md").write_text("Requires Python 3.10 \x1b[31mred\x1b[0m.\n")
    for flags in ([], ["--color", "always"]):
        verified = run_cli(["verify", *flags, "Dockerfile"], tmp_path).stdout
        assert 'LABEL maintainer="Bob \\x1b[2J\\x07"' in verified
        assert "\x07" not in verified and "\x1b[2J" not in verified
    note = run_cli(["apply", "--dry-run", "--color", "always", "."], tmp_path).stderr
    assert "Requires Python 3.10 \\x1b[31mred\\x1b[0m." in note
    assert "\x1b" not in note


def test_a_configuration_key_quoted_in_an_error_reaches_no_terminal(tmp_path: Path) -> None:
    """A configuration error that quotes a key shows the key's control characters escaped."""
    (tmp_path / "Dockerfile").write_text(STALE)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.modernize]\nper-file-ignores = {"x\\u001b[2J\\u0007" = 1}\n'
    )
    for command in (["apply", "--dry-run", "."], ["verify", "."]):
        result = run_cli(command, tmp_path)
        assert result.exit_code == 2
        assert 'pyproject.toml:2: error: tool.modernize.per-file-ignores: "x\\x1b[2J\\x07"' in (
            result.stderr
        )
        assert "\x07" not in result.stderr and "\x1b" not in result.stderr


@needs_bytes_names
def test_verbose_lines_show_names_and_patterns_printable(tmp_path: Path) -> None:
    """``-v`` names another project's tree and the exclude patterns printably too."""
    (tmp_path / "Dockerfile").write_text(STALE)
    (tmp_path / "pyproject.toml").write_text('[tool.modernize]\nexclude = ["x\\u0007"]\n')
    (tmp_path / "vend\x07or" / ".github").mkdir(parents=True)
    said = run_cli(["apply", "--dry-run", "-v", "."], tmp_path).stderr
    assert "\x07" not in said
    assert '"vend\\aor"/: not considered' in said
    assert "; exclude x\\x07;" in said
