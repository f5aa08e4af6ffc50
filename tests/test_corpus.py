"""The realistic corpus: many small repositories of infrastructure files, plus odd inputs.

Every repository under ``tests/corpus/`` is copied and run through ``apply --dry-run``,
``apply``, a second dry run and ``verify``. Nothing is compared with expected output: the
checks are the invariants every run must keep on real files.

- no traceback; exit codes and summary lines that agree with the diagnostics printed, each
  of which reads ``path:line: error:`` or ``path:line: warning:``;
- a dry run writes nothing, and its diff is exactly what ``apply`` then writes;
- every line outside the diff's hunks is byte-identical, no comment line is edited, and each
  file keeps its BOM, its newline style and its final newline (or the lack of one);
- every changed YAML or TOML file still parses; a file reported with an error is untouched;
- a second run has nothing left to change, and ``verify`` agrees (only refusals remain);
- a file that does not parse is reported with its line, never edited.
"""

from __future__ import annotations

import difflib
import re
import shutil
import sys
from pathlib import Path, PurePosixPath

import pytest
from ruamel.yaml import YAML

from tests.helpers import Run, run_cli, snapshot

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CORPUS = Path(__file__).parent / "corpus"
REPOS = sorted(path.name for path in CORPUS.iterdir() if path.is_dir() and path.name != "odd")
# Each directory under odd/ is its own small repository of broken or unusual input.
ODD = sorted(f"odd/{path.name}" for path in (CORPUS / "odd").iterdir() if path.is_dir())

# Cases that fail because of a known bug in the tool, with the bug. Keep this empty when possible.
KNOWN_BUGS: dict[str, str] = {}

DIAGNOSTIC = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<level>error|warning): \S")
SUMMARY = re.compile(r"^(\d+) files? (?:would be )?changed, (\d+) unchanged(?:, (\d+) failed)?")
PENDING = re.compile(r"would (?:become|be removed)")
HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
NO_NEWLINE = "\\ No newline at end of file"
BOM = b"\xef\xbb\xbf"
YAML_SUFFIXES = (".yml", ".yaml")


def _cases() -> list[object]:
    return [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[name]))
        if name in KNOWN_BUGS
        else name
        for name in REPOS + ODD
    ]


# -- reading the CLI's output ------------------------------------------------------------------


def _split_keep(data: bytes) -> list[bytes]:
    """Lines with their endings, split at ``\\n`` only."""
    parts = data.split(b"\n")
    lines = [part + b"\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def parse_diff(text: str) -> dict[str, list[str]]:
    """The body lines (hunk headers and ``' '``/``-``/``+`` lines) of each file in a diff."""
    files: dict[str, list[str]] = {}
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    current: list[str] | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        following = lines[index + 1] if index + 1 < len(lines) else ""
        # A file header; a removed line that starts with "-- " is not followed by "+++ ".
        if line.startswith("--- ") and following.startswith("+++ "):
            assert following.startswith("+++ b/"), f"malformed diff header: {following!r}"
            path = following[len("+++ b/") :]
            assert path not in files, f"{path} appears twice in the diff"
            current = files[path] = []
            index += 2
            continue
        assert current is not None, f"diff text before any file header: {line!r}"
        assert line[:1] in {"@", " ", "-", "+", "\\"}, f"unexpected diff line {line!r}"
        current.append(line)
        index += 1
    return files


def changed_line_count(body: list[str]) -> int:
    return sum(1 for line in body if line[:1] in {"-", "+"})


def apply_hunks(original: bytes, body: list[str]) -> bytes:
    """Apply one file's unified-diff body to ``original``; fail on any context mismatch."""
    old = _split_keep(original)
    out: list[bytes] = []
    position = 0
    entries: list[tuple[str, bytes]] = []
    for line in body:
        if line == NO_NEWLINE:
            kind, content = entries[-1]
            assert content.endswith(b"\n")
            entries[-1] = (kind, content[:-1])
        elif line.startswith("@@"):
            entries.append(("@", line.encode("utf-8")))
        else:
            entries.append((line[0], line[1:].encode("utf-8") + b"\n"))
    for kind, content in entries:
        if kind == "@":
            match = HUNK.match(content.decode("utf-8"))
            assert match, f"malformed hunk header {content!r}"
            start, count = int(match[1]), int(match[2] or "1")
            begin = start - 1 if count else start
            assert begin >= position, "hunks out of order"
            out.extend(old[position:begin])
            position = begin
        elif kind == "+":
            out.append(content)
        else:
            assert position < len(old), "diff context runs past the end of the file"
            assert old[position] == content, (
                f"diff line {content!r} does not match original line {old[position]!r}"
            )
            if kind == " ":
                out.append(content)
            position += 1
    out.extend(old[position:])
    return b"".join(out)


def diagnostics(run: Run) -> list[re.Match[str]]:
    """Every warning and error line, each checked to be ``path:line: level: message``."""
    found = []
    for line in run.stderr.splitlines():
        if ": error:" in line or ": warning:" in line:
            match = DIAGNOSTIC.match(line)
            assert match, f"diagnostic not in the form path:line: level: message: {line!r}"
            found.append(match)
    return found


def error_paths(run: Run) -> set[str]:
    return {match["path"] for match in diagnostics(run) if match["level"] == "error"}


def assert_no_traceback(run: Run) -> None:
    assert "Traceback" not in run.stdout and "Traceback" not in run.stderr, run.stderr


def check_summary(run: Run, changed: int) -> None:
    """The summary line counts the changed files and the files with errors."""
    last = run.stderr.splitlines()[-1] if run.stderr else ""
    match = SUMMARY.match(last)
    assert match, f"no summary line: {last!r}"
    assert int(match[1]) == changed, last
    assert int(match[3] or 0) == len(error_paths(run)), last


def comment_lines(data: bytes) -> list[bytes]:
    """Full-line comments (YAML, TOML, Dockerfile, Makefile and shell all use ``#``)."""
    return sorted(line.strip() for line in data.split(b"\n") if line.lstrip().startswith(b"#"))


# -- what a file is ----------------------------------------------------------------------------


def newline_style(data: bytes) -> tuple[bool, bool, bool, bool]:
    """(BOM, has CRLF, has a bare LF, ends with a newline)."""
    crlf = data.count(b"\r\n")
    return (data.startswith(BOM), crlf > 0, data.count(b"\n") > crlf, data.endswith(b"\n"))


def is_yaml_kind(relative: str) -> bool:
    """Files the tool reads as YAML: compose files, workflows, actions, render blueprints."""
    path = PurePosixPath(relative)
    name = path.name
    if not name.endswith(YAML_SUFFIXES):
        return False
    stem = name.rsplit(".", 1)[0]
    if stem.startswith(("docker-compose", "compose")) or stem in {"action", "render"}:
        return True
    return path.parent.name == "workflows" and path.parent.parent.name == ".github"


def parse_error(relative: str, data: bytes, construct: bool = False) -> str | None:
    """Why a YAML or TOML file does not parse, or None (also for other kinds of file)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None  # not text: the tool skips it
    try:
        if PurePosixPath(relative).name == "pyproject.toml":
            tomllib.loads(text)
        elif is_yaml_kind(relative):
            yaml = YAML(typ="rt")
            # Composing checks the syntax; constructing also rejects duplicate keys.
            list(yaml.load_all(text) if construct else yaml.compose_all(text))
    except Exception as error:  # the parsers raise many different error types
        return f"{type(error).__name__}: {error}"
    return None


# -- the checks ----------------------------------------------------------------------------------


def check_changes(before: dict[str, bytes], after: dict[str, bytes], diff: str) -> None:
    """The dry run's diff, applied to ``before``, gives exactly ``after``: nothing more."""
    bodies = parse_diff(diff)
    assert set(after) == set(before), "apply created or removed files"
    changed = {path for path in before if after[path] != before[path]}
    assert changed == set(bodies), "the files apply wrote differ from the files in the diff"
    for path in sorted(changed):
        old, new = before[path], after[path]
        assert apply_hunks(old, bodies[path]) == new, f"{path}: written bytes differ from diff"
        matcher = difflib.SequenceMatcher(None, old.split(b"\n"), new.split(b"\n"), False)
        touched = sum(
            (i2 - i1) + (j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
        )
        assert touched <= changed_line_count(bodies[path]), f"{path}: lines changed outside hunks"
        assert newline_style(new) == newline_style(old), f"{path}: BOM or newlines changed"
        assert comment_lines(new) == comment_lines(old), f"{path}: a comment line was edited"
        assert parse_error(path, new) is None, f"{path} no longer parses"


@pytest.mark.parametrize("name", _cases())
def test_corpus_repository(name: str, tmp_path: Path) -> None:
    repo = tmp_path / PurePosixPath(name).name
    shutil.copytree(CORPUS / name, repo)
    original = snapshot(repo)

    dry = run_cli(["apply", "--dry-run"], repo)
    assert_no_traceback(dry)
    assert snapshot(repo) == original, "a dry run wrote files"
    dry_errors = error_paths(dry)
    assert dry.exit_code in (0, 1, 2), dry.stderr
    assert (dry.exit_code == 2) == bool(dry_errors), dry.stderr
    if not dry_errors:
        assert (dry.exit_code == 1) == bool(dry.stdout), dry.stderr
    for path in dry_errors:
        assert path in original, f"error reported for a path that is not a file: {path}"
    # A failed verification is the safety net catching a migration's bad edit.
    assert "verification failed" not in dry.stderr, dry.stderr
    check_summary(dry, len(parse_diff(dry.stdout)))

    applied = run_cli(["apply"], repo)
    assert_no_traceback(applied)
    assert applied.exit_code in (0, 2), applied.stderr
    assert (applied.exit_code == 2) == bool(error_paths(applied)), applied.stderr
    assert error_paths(applied) == dry_errors, "apply and its dry run disagree on errors"
    after = snapshot(repo)
    check_changes(original, after, dry.stdout)
    check_summary(applied, sum(after[path] != original[path] for path in original))
    for path in dry_errors:
        assert after[path] == original[path], f"{path} was reported as an error but changed"

    again = run_cli(["apply", "--dry-run"], repo)
    assert_no_traceback(again)
    assert again.stdout == "", "a second run still has changes (not idempotent)"
    assert again.exit_code == (2 if error_paths(again) else 0), again.stderr
    assert snapshot(repo) == after

    verified = run_cli(["verify", "--no-external"], repo)
    assert_no_traceback(verified)
    assert verified.exit_code in (0, 1), verified.stdout + verified.stderr
    # What apply could change, it changed: verify only has refusals and standards left.
    pending = [line for line in verified.stdout.splitlines() if PENDING.search(line)]
    assert pending == [], "verify still sees changes after apply"
    assert snapshot(repo) == after


def test_odd_inputs_are_reported_and_left_alone(tmp_path: Path) -> None:
    """A file that does not parse is named with a line number, and never edited."""
    repo = tmp_path / "odd"
    shutil.copytree(CORPUS / "odd", repo)
    original = snapshot(repo)
    broken = {
        path: reason
        for path, data in original.items()
        if (reason := parse_error(path, data, construct=True)) is not None
    }
    assert len(broken) >= 8, sorted(broken)  # the corpus keeps its broken inputs

    # Each case its own PATH: a case holding a ``.github`` folder is another project's tree
    # to a run over all of them.
    cases = sorted(path.name for path in repo.iterdir() if path.is_dir())
    for args in (["apply", "--dry-run"], ["apply"]):
        run = run_cli([*args, *cases], repo)
        assert_no_traceback(run)
        reported = {match["path"] for match in diagnostics(run)}
        for path, reason in sorted(broken.items()):
            assert path in reported, f"{path} does not parse ({reason}) but was not reported"
            assert path not in run.stdout, f"{path} does not parse but is in the diff"
    after = snapshot(repo)
    for path in broken:
        assert after[path] == original[path], f"{path} does not parse but was changed"
    assert after["binary/Dockerfile.binary"] == original["binary/Dockerfile.binary"]
    assert after["latin1/Dockerfile"] == original["latin1/Dockerfile"]


def test_corpus_shape() -> None:
    """The corpus stays large and keeps its byte-level oddities."""
    files = [path for path in CORPUS.rglob("*") if path.is_file()]
    assert len(files) >= 170
    assert len(REPOS) >= 25
    assert not any(part == ".git" for path in files for part in path.parts)
    styles = [newline_style(path.read_bytes()) for path in files]
    assert sum(style[0] for style in styles) >= 5  # BOM
    assert sum(style[1] for style in styles) >= 5  # CRLF
    assert sum(not style[3] for style in styles) >= 8  # no final newline


def test_verify_runs_the_validators_on_odd_inputs(tmp_path: Path) -> None:
    """With the optional validators installed, odd inputs still give findings, not a crash."""
    repo = tmp_path / "odd"
    shutil.copytree(CORPUS / "odd", repo)
    original = snapshot(repo)
    result = run_cli(["verify"], repo)
    assert_no_traceback(result)
    assert result.exit_code in (0, 1), result.stdout + result.stderr
    assert " E001 " in result.stdout  # the unparseable files are named
    assert snapshot(repo) == original


def test_a_path_ignored_by_the_repositorys_gitignore_is_left_alone(tmp_path: Path) -> None:
    """quartz-deploy ignores stacks/local/; a stale compose file there is neither read nor
    written. (It is created here: git would not keep an ignored file in the corpus.)"""
    repo = tmp_path / "quartz-deploy"
    shutil.copytree(CORPUS / "quartz-deploy", repo)
    local = repo / "stacks" / "local" / "docker-compose.yml"
    local.parent.mkdir(parents=True)
    stale = b'version: "3.8"\nservices:\n  scratch-db:\n    image: postgres:11\n'
    local.write_bytes(stale)
    dry = run_cli(["apply", "--dry-run"], repo)
    applied = run_cli(["apply"], repo)
    for run in (dry, applied):
        assert_no_traceback(run)
        assert "stacks/local" not in run.stdout + run.stderr
    assert local.read_bytes() == stale
