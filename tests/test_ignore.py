"""The .gitignore matcher, checked against git itself (``git check-ignore``) on generated
patterns and trees, and on the cases real ignore files hold."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modernize.workspace.ignore import PatternList, compile_pattern

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git_ignored(root: Path, lines: list[str], paths: list[str]) -> dict[str, bool]:
    """What git says of each path (which exists under ``root``) with ``lines`` as the
    top-level .gitignore."""
    (root / ".gitignore").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    result = subprocess.run(
        ["git", "check-ignore", "--stdin", "-z", "-v", "--non-matching"],
        cwd=root,
        input="\0".join(paths) + "\0",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    fields = result.stdout.split("\0")
    answers = {}
    for index in range(0, len(fields) - 1, 4):
        source, _, pattern, path = fields[index : index + 4]
        answers[path] = bool(source) and not pattern.startswith("!")
    return answers


def make_tree(root: Path, files: list[str]) -> tuple[list[str], set[str]]:
    """Create ``files`` (dropping any that would be a directory of another), return the
    files and directories made."""
    directories = {
        "/".join(f.split("/")[:end]) for f in files for end in range(1, f.count("/") + 1)
    }
    kept = sorted({f for f in files if f not in directories})
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    for relative in kept:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("", encoding="utf-8")
    return kept, directories


def assert_agrees(root: Path, lines: list[str], files: list[str], directories: set[str]) -> None:
    patterns = PatternList(lines)
    paths = files + sorted(directories)
    expected = git_ignored(root, lines, paths)
    for path in paths:
        mine = patterns.ignores_path(path, path in directories)
        assert mine == expected[path], (lines, path, "git ignores it" if expected[path] else "")


SEGMENT_TOKENS = [
    "a",
    "b",
    ".",
    "*",
    "?",
    "**",
    "[ab]",
    "[!a]",
    "[a-b]",
    "[/a]",
    "[]a]",
    "[[:alpha:]]",
    "\\*",
    "\\",
    "[",
    "x y",
    " ",
    "\\ ",
    "#",
    "!",
    "[z-ab]",
    "[!b-a]",
    "[[:a]",
    "[a[:]b]",
    "[[:nope:]]",
    "\\\\",
    "\\\\ ",
]
segments = st.lists(st.sampled_from(SEGMENT_TOKENS), min_size=1, max_size=3).map("".join)
patterns = st.builds(
    lambda negated, lead, parts, trail: (
        ("!" if negated else "") + ("/" if lead else "") + "/".join(parts) + ("/" if trail else "")
    ),
    st.booleans(),
    st.booleans(),
    st.lists(segments, min_size=1, max_size=3),
    st.booleans(),
)
# No name starts with ":": git reads that as pathspec magic, even from --stdin.
names = st.sampled_from(["a", "b", "ab", "a.b", "ba", ".a", "x y", "*", "c", "[", "\\"])
file_paths = st.lists(names, min_size=1, max_size=4).map("/".join)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lines=st.lists(patterns, min_size=1, max_size=4),
    files=st.lists(file_paths, min_size=1, max_size=12, unique=True),
)
def test_generated_patterns_match_as_git_matches_them(lines: list[str], files: list[str]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        kept, directories = make_tree(root, files)
        assert_agrees(root, lines, kept, directories)


REAL_FILES = [
    "README.md",
    "build/lib/pkg/__init__.py",
    "dist/pkg-1.0.tar.gz",
    "src/pkg/__pycache__/mod.cpython-312.pyc",
    "src/pkg/mod.py",
    "src/pkg/generated/compose.generated.yml",
    "docs/_build/html/index.html",
    "deploy/docker-compose.yml",
    "deploy/docker-compose.override.yml",
    "deploy/local/.env",
    ".env",
    ".env.example",
    "node_modules/left-pad/package.json",
    "frontend/node_modules/x/index.js",
    "logs/2026/app.log",
    "logs/.keep",
    "a/b/c/d.txt",
    "notes #1.txt",
    "!important.txt",
    "trailing .txt",
    "Data/File.CSV",
]
REAL_CASES = [
    ["__pycache__/", "*.py[cod]", "*$py.class"],
    ["/build/", "/dist/", "docs/_build/"],
    ["*.generated.yml", "!keep.generated.yml"],
    [".env", "!.env.example", ".env.*"],
    ["node_modules", "**/node_modules/**"],
    ["logs/*", "!logs/.keep"],
    ["logs/", "!logs/.keep"],
    ["a/**/d.txt", "**/c/"],
    ["\\#*", "\\!important.txt", "notes\\ #1.txt"],
    ["trailing\\ .txt  ", "README.md   "],
    ["*.csv", "[Dd]ata/"],
    ["deploy/**", "!deploy/docker-compose.yml"],
    ["*", "!*/", "!*.yml"],
    ["/*", "!/src"],
    ["# a comment", "", "   ", "!", "/", "[unclosed", "src/[z-a]"],
    ["[[:upper:]]*/", "[[:digit:]][[:digit:]][[:digit:]][[:digit:]]/"],
]


@pytest.mark.parametrize("lines", REAL_CASES, ids=lambda lines: " ".join(lines)[:40])
def test_real_world_patterns_match_as_git_matches_them(tmp_path: Path, lines: list[str]) -> None:
    kept, directories = make_tree(tmp_path, REAL_FILES)
    assert_agrees(tmp_path, lines, kept, directories)


#: Patterns that pathspec 1.1 matches otherwise than git (measured; see ``ignore.py``), with a
#: path git ignores: the reason modernize keeps a matcher of its own.
PATHSPEC_DISAGREES = [
    ("b**/a", "bx/y/a"),
    ("***/a", "x/y/a"),
    ("[[:digit:]]x", "1x"),
    ("[[:alpha:]]", "a"),
    ("[z-a]q", "zq"),
]


@pytest.mark.parametrize(("pattern", "ignored"), PATHSPEC_DISAGREES)
def test_where_pathspec_disagrees_with_git_this_matcher_agrees(
    tmp_path: Path, pattern: str, ignored: str
) -> None:
    files = ["ba/a", "bx/y/a", "b/a", "x/y/a", "a", "1x", "ax", "zq", "aq", "q", "-q"]
    kept, directories = make_tree(tmp_path, files)
    assert_agrees(tmp_path, [pattern], kept, directories)
    assert PatternList([pattern]).ignores_path(ignored, False)


def test_lines_that_hold_no_pattern() -> None:
    for line in ("", "   ", "# comment", "!", "/", "!/", "[abc", "a\\"):
        assert compile_pattern(line) is None, line
    assert compile_pattern("\\#x") is not None
    assert compile_pattern("x\r") == compile_pattern("x")


def test_the_last_matching_pattern_decides() -> None:
    patterns = PatternList(["*.yml", "!keep.yml", "keep.yml/"])
    assert patterns.decision("x/a.yml", False) is True
    assert patterns.decision("x/keep.yml", False) is False
    assert patterns.decision("x/keep.yml", True) is True
    assert patterns.decision("x/a.toml", False) is None
