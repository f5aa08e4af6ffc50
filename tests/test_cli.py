"""The command-line contract: exit codes, diagnostics, selection, listing."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import Run, run_cli, snapshot

README = Path(__file__).parent.parent / "README.md"

STALE_COMPOSE = 'version: "3.8"\nservices:\n  db:\n    image: postgres:14\n'


def _repo(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return tmp_path


def _assert_same_run(one: Run, other: Run) -> None:
    """The two runs exited alike and printed the same, byte for byte."""
    assert (one.exit_code, one.stdout, one.stderr) == (other.exit_code, other.stdout, other.stderr)


def test_readme_migration_table_is_the_generated_one(tmp_path: Path) -> None:
    """The README's table is ``modernize list --format markdown``, byte for byte."""
    listed = run_cli(["list", "--format", "markdown"], tmp_path)
    assert listed.exit_code == 0
    table = (
        README.read_text().split("<!-- migrations:start -->\n")[1].split("<!-- migrations:end")[0]
    )
    assert table == listed.stdout, "regenerate it: modernize list --format markdown"
    rows = [line.split(None, 2) for line in run_cli(["list"], tmp_path).stdout.splitlines()]
    documented = re.findall(r"^\| (\d{4}) \| `([a-z0-9-]+)` \|", table, re.M)
    assert documented == [(row[0], row[1]) for row in rows]
    # Every migration has its own section in the reference the README links.
    reference = (README.parent / "docs" / "migrations.md").read_text()
    for _, ident in documented:
        assert f"\n## `{ident}`\n" in reference


def test_the_standards_table_is_the_generated_one(tmp_path: Path) -> None:
    """The documented table of standards is ``modernize standards --format markdown``:
    generated from the standards and the shipped knowledge, byte for byte."""
    listed = run_cli(["standards", "--format", "markdown"], tmp_path)
    assert listed.exit_code == 0
    page = README.parent / "docs" / "configuration.md"
    table = page.read_text().split("<!-- standards:start -->\n")[1].split("<!-- standards:end")[0]
    assert table == listed.stdout, "regenerate it: modernize standards --format markdown"


def test_dry_run_exit_codes(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {"docker-compose.yml": STALE_COMPOSE})
    pending = run_cli(["apply", "--dry-run", "."], repo)
    assert pending.exit_code == 1
    assert pending.stdout.startswith("--- a/docker-compose.yml\n+++ b/docker-compose.yml\n")
    assert run_cli(["apply", "."], repo).exit_code == 0
    assert run_cli(["apply", "--dry-run", "."], repo).exit_code == 0


@pytest.mark.parametrize(
    ("broken", "line"),
    [
        pytest.param(
            "services:\n  web:\n    ports: [80,\n  db: {image: postgres:14}\n",
            5,
            id="unclosed-flow-sequence",
        ),
        pytest.param("services:\n  db:\n\timage: postgres:14\n", 3, id="tab-indentation"),
        pytest.param(
            "services:\n  db:\n\t# pinned for the extension\n    image: postgres:14\n",
            3,
            id="tab-before-a-comment",
        ),
    ],
)
def test_an_unparseable_file_is_an_error_and_holds_the_repository_back(
    tmp_path: Path, broken: str, line: int
) -> None:
    """A repository is written whole or not at all; ``--partial`` writes the files that
    passed."""
    repo = _repo(tmp_path, {"docker-compose.yml": STALE_COMPOSE, "compose.broken.yml": broken})
    broken_before = (repo / "compose.broken.yml").read_bytes()
    for args in (["apply", "--dry-run"], ["apply"]):
        result = run_cli(args, repo)
        assert result.exit_code == 2
        assert result.stdout == ""  # the dry run's diff is the plan: nothing
        assert len(result.errors) == 2
        assert result.errors[0].startswith(f"compose.broken.yml:{line}: error: invalid YAML")
        assert result.errors[1] == (
            "docker-compose.yml:1: error: not written: compose.broken.yml failed, and a "
            "repository is written whole or not at all; fix it, or pass --partial to write the "
            "files that passed"
        )
        assert (repo / "docker-compose.yml").read_text() == STALE_COMPOSE
    partial = run_cli(["apply", "--partial"], repo)
    assert partial.exit_code == 2
    assert len(partial.errors) == 1
    assert (repo / "compose.broken.yml").read_bytes() == broken_before
    assert b"postgres:16" in (repo / "docker-compose.yml").read_bytes()


def test_an_unparseable_file_with_nothing_to_migrate_is_still_an_error(tmp_path: Path) -> None:
    """The text tests spare a file the migrations, never the parse: bad input is reported."""
    broken = "services:\n  web:\n    ports: [80,\n  db: {}\n"
    repo = _repo(tmp_path, {"compose.yml": broken, "Dockerfile": "FROM python:3.10\n"})
    result = run_cli(["apply", "--partial"], repo)
    assert result.exit_code == 2
    assert [line.split(": error: ")[0] for line in result.errors] == ["compose.yml:5"]
    assert (repo / "compose.yml").read_text() == broken
    assert (repo / "Dockerfile").read_text() == "FROM python:3.12\n"  # the others still run
    checked = run_cli(["verify"], repo)
    assert checked.exit_code == 1
    assert "compose.yml:5: error E001 invalid YAML" in checked.stdout


def test_with_worker_processes_files_nothing_would_change_are_still_parsed(
    tmp_path: Path,
) -> None:
    """Enough files to change for worker processes; the parent parses the others meanwhile."""
    files = {f"svc{n:02d}/Dockerfile": "FROM python:3.10-slim\n" for n in range(70)}
    files["broken/compose.yml"] = "services:\n  web: {image: nginx\n"
    files["fine/compose.yml"] = "services:\n  db:\n    image: postgres:16\n"
    repo = _repo(tmp_path, files)
    parallel = run_cli(["apply", "--dry-run", "--partial", "-j", "2"], repo)
    serial = run_cli(["apply", "--dry-run", "--partial", "-j", "1"], repo)
    assert parallel.exit_code == serial.exit_code == 2
    assert [e.split(": error: ")[0] for e in parallel.errors] == ["broken/compose.yml:3"]
    assert parallel.stdout == serial.stdout
    assert parallel.stdout.count("+FROM python:3.12-slim") == 70


def test_diffs_rendered_in_worker_processes_are_the_ones_rendered_here(tmp_path: Path) -> None:
    """Workers render each diff's hunks; the headers, named as the run shows them, are added
    here: a BOM, CRLF, a missing final newline and a name with a space come out the same."""
    files = {f"svc{n:02d}/Dockerfile": "FROM python:3.10-slim\n" for n in range(70)}
    files["with bom/Dockerfile"] = "\ufeffFROM python:3.10\r\nRUN true\r\n"
    files["last/Dockerfile"] = "# base\nFROM python:3.10"
    repo = _repo(tmp_path, files)
    parallel = run_cli(["apply", "--dry-run", "-j", "2"], repo)
    serial = run_cli(["apply", "--dry-run", "-j", "1"], repo)
    assert parallel.exit_code == serial.exit_code == 1
    assert parallel.stdout == serial.stdout
    assert "--- a/with bom/Dockerfile\t\n" in parallel.stdout
    assert "+\ufeffFROM python:3.12\r\n" in parallel.stdout
    assert "+FROM python:3.12\n\\ No newline at end of file\n" in parallel.stdout


def test_worker_processes_read_their_files_and_the_survey_holds_there_too(tmp_path: Path) -> None:
    """Workers read the files they plan; the survey, made here from the projects' files, holds
    a project back in them as it does here, and a file that cannot be read says so alike.
    (The workers plan from the end of the tree, and start before the survey is made.)"""
    files = {f"svc{n:02d}/Dockerfile": "FROM python:3.10-slim\n" for n in range(70)}
    for legacy in ("legacy", "zz-legacy"):
        files[f"{legacy}/Dockerfile"] = "FROM python:3.10\n"
        files[f"{legacy}/pyproject.toml"] = '[project]\nrequires-python = "<3.11"\n'
    repo = _repo(tmp_path, files)
    (repo / "latin" / "Dockerfile").parent.mkdir()
    (repo / "latin" / "Dockerfile").write_bytes(b"FROM python:3.10\n# caf\xe9\n")
    parallel = run_cli(["apply", "--dry-run", "-j", "2"], repo)
    serial = run_cli(["apply", "--dry-run", "-j", "1"], repo)
    _assert_same_run(parallel, serial)
    assert parallel.stdout.count("+FROM python:3.12-slim") == 70
    assert "\nlegacy/Dockerfile:1: warning: not changed: its project's" in parallel.stderr
    assert "\nzz-legacy/Dockerfile:1: warning: not changed: its project's" in parallel.stderr
    assert "latin/Dockerfile:1: warning: not UTF-8" in parallel.stderr


@pytest.mark.parametrize("jobs", [1, 2])
def test_outcomes_keep_bytes_only_where_they_are_still_needed(tmp_path: Path, jobs: int) -> None:
    """A file not changed keeps no bytes in its outcome; a changed one keeps them for a run
    that writes, and not for a dry run whose diff is already rendered."""
    from modernize.engine.planning import RunOptions
    from modernize.engine.repository import run
    from modernize.registry import Context
    from modernize.workspace.config import Overrides, resolve

    files = {f"svc{n:02d}/Dockerfile": "FROM python:3.10-slim\n" for n in range(70)}
    files["current/Dockerfile"] = "FROM python:3.12-slim\n"
    repo = _repo(tmp_path, files)
    resolved = resolve(repo, Overrides(), str(repo))
    base = RunOptions(Context(resolved.targets), tuple(resolved.migrations), write=False)
    kept = run(repo, base, jobs)
    slim = run(repo, RunOptions(**{**vars(base), "hunks": True, "keep_bytes": False}), jobs)
    changed = [outcome for outcome in kept if outcome.status == "changed"]
    assert len(changed) == 70
    assert all(outcome.original and outcome.updated for outcome in changed)
    current = [o for o in [*kept, *slim] if o.path == "current/Dockerfile"]
    assert [(o.status, o.original, o.updated) for o in current] == [("unchanged", b"", b"")] * 2
    assert all(not outcome.original and not outcome.updated for outcome in slim)
    assert all(
        o.hunks and "+FROM python:3.12-slim" in o.hunks
        for o in slim
        if o.path != "current/Dockerfile"
    )


def test_duplicate_keys_are_an_error(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {"compose.yml": "services: {db: {image: postgres:14}}\nservices: {}\n"})
    result = run_cli(["apply", "--dry-run"], repo)
    assert result.exit_code == 2
    assert result.errors == ["compose.yml:2: error: duplicate key 'services'"]


def test_the_first_duplicate_key_in_the_text_is_the_one_reported(tmp_path: Path) -> None:
    # Nested so that the first repeat in the text is neither the first nor the last one a
    # traversal of the mappings meets.
    text = (
        "m:\n  child:\n    z: 1\n    z: 2\n    deeper:\n      q: 1\n      q: 2\n"
        "  y: 1\n  y: 2\nn:\n  w: 1\n  w: 2\n"
    )
    repo = _repo(tmp_path, {"compose.yml": text})
    result = run_cli(["apply", "--dry-run"], repo)
    assert result.errors == ["compose.yml:4: error: duplicate key 'z'"]


def test_only_and_skip_select_migrations(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {"docker-compose.yml": STALE_COMPOSE})
    only = run_cli(["apply", "--dry-run", "--only", "postgres-major"], repo)
    assert "-    image: postgres:14" in only.stdout
    assert '-version: "3.8"' not in only.stdout
    skipped = run_cli(["apply", "--dry-run", "--skip", "postgres-major,action-versions"], repo)
    assert '-version: "3.8"' in skipped.stdout
    assert "+    image: postgres:16" not in skipped.stdout


def test_unknown_migration_and_bad_targets_exit_2(tmp_path: Path) -> None:
    repo = _repo(tmp_path, {"docker-compose.yml": STALE_COMPOSE})
    before = snapshot(repo)
    for args in (
        ["--only", "nope"],
        ["--python", "3"],
        ["--python", "2.7"],
        ["--postgres", "x"],
        ["--redis", "x"],
    ):
        result = run_cli(["apply", *args], repo)
        assert result.exit_code == 2, args
        assert result.stderr.startswith("error: "), args
    assert snapshot(repo) == before


def test_targets_are_configurable(tmp_path: Path) -> None:
    repo = _repo(
        tmp_path, {"docker-compose.yml": STALE_COMPOSE, "Dockerfile": "FROM python:3.12\n"}
    )
    result = run_cli(["apply", "--dry-run", "--python", "3.13", "--postgres", "17"], repo)
    assert "+    image: postgres:17" in result.stdout
    assert "+FROM python:3.13" in result.stdout


def test_version_and_help(tmp_path: Path) -> None:
    from modernize import __version__
    from modernize.data import knowledge

    shown = run_cli(["--version"], tmp_path).stdout.strip()
    assert shown == f"modernize, version {__version__} (knowledge of {knowledge().as_of})"
    helped = run_cli(["apply", "--help"], tmp_path)
    assert helped.exit_code == 0
    assert "--dry-run" in helped.stdout and "Exit codes" in helped.stdout


def test_path_argument_may_be_a_file_or_a_subdirectory(tmp_path: Path) -> None:
    repo = _repo(
        tmp_path, {"svc/docker-compose.yml": STALE_COMPOSE, "Dockerfile": "FROM python:3.9\n"}
    )
    sub = run_cli(["apply", "--dry-run", "svc"], repo)
    assert sub.stdout.startswith("--- a/docker-compose.yml\n")
    assert "Dockerfile" not in sub.stdout
    single = run_cli(["apply", "--dry-run", "Dockerfile"], repo)
    assert single.stdout.startswith("--- a/Dockerfile\n")
    assert "+FROM python:3.12" in single.stdout


def test_gitignored_and_vendored_directories_are_skipped(tmp_path: Path) -> None:
    repo = _repo(
        tmp_path,
        {
            ".gitignore": "build/\n*.generated.yml\n",
            "build/Dockerfile": "FROM python:3.9\n",
            "node_modules/x/Dockerfile": "FROM python:3.9\n",
            ".venv/Dockerfile": "FROM python:3.9\n",
            "compose.generated.yml": STALE_COMPOSE,
            "app/Dockerfile": "FROM python:3.9\n",
        },
    )
    result = run_cli(["apply", "--dry-run"], repo)
    headers = [line for line in result.stdout.splitlines() if line.startswith("--- ")]
    assert headers == ["--- a/app/Dockerfile"]


def test_ignore_rules_above_a_named_folder_hold_as_they_do_for_the_whole_repository(
    tmp_path: Path,
) -> None:
    """The .gitignore files above a PATH (up to the repository's top) and .git/info/exclude
    hold below it, so `apply sub` skips what `apply .` skips; a folder named on purpose is
    walked even when those rules ignore it."""
    repo = _repo(
        tmp_path,
        {
            ".git/HEAD": "ref: refs/heads/main\n",
            ".git/info/exclude": "# local only\nsub/keep/local/\n",
            ".gitignore": "generated/\n*.legacy.yml\n",
            "sub/.gitignore": "!keep/compose.legacy.yml\n",
            "sub/generated/docker-compose.yml": STALE_COMPOSE,
            "sub/keep/docker-compose.yml": STALE_COMPOSE,
            "sub/keep/compose.legacy.yml": STALE_COMPOSE,
            "sub/keep/other.legacy.yml": STALE_COMPOSE,
            "sub/keep/local/docker-compose.yml": STALE_COMPOSE,
        },
    )

    def changed(path: str) -> list[str]:
        result = run_cli(["apply", "--dry-run", "--only", "postgres-major", path], repo)
        return [line[6:] for line in result.stdout.splitlines() if line.startswith("+++ b/")]

    kept = ["keep/compose.legacy.yml", "keep/docker-compose.yml"]
    assert changed(".") == [f"sub/{name}" for name in kept]
    assert changed("sub") == kept
    assert changed("sub/keep") == [name.removeprefix("keep/") for name in kept]
    assert changed("sub/generated") == ["docker-compose.yml"]


def test_a_nested_repository_keeps_its_own_ignore_rules_whichever_path_is_named(
    tmp_path: Path,
) -> None:
    """Below a folder with its own .git, the outer repository's .gitignore no longer holds,
    and the inner one's .git/info/exclude does: as git sees them, from either PATH."""
    repo = _repo(
        tmp_path,
        {
            ".git/HEAD": "ref: refs/heads/main\n",
            ".gitignore": "*.old\n",
            "nested/.git/HEAD": "ref: refs/heads/main\n",
            "nested/.git/info/exclude": "Dockerfile\n",
            "nested/Dockerfile": "FROM python:3.9\n",
            "nested/Dockerfile.old": "FROM python:3.9\n",
        },
    )
    for path, shown in ((".", "nested/Dockerfile.old"), ("nested", "Dockerfile.old")):
        result = run_cli(["apply", "--dry-run", "--only", "python-base-image", path], repo)
        assert [line[6:] for line in result.stdout.splitlines() if line.startswith("+++ b/")] == [
            shown
        ]


def test_a_linked_worktree_reads_info_exclude_from_the_common_git_directory(
    tmp_path: Path,
) -> None:
    main = _repo(
        tmp_path / "main",
        {".git/HEAD": "ref: refs/heads/main\n", ".git/info/exclude": "local/\n"},
    )
    (main / ".git" / "worktrees" / "wt").mkdir(parents=True)
    (main / ".git" / "worktrees" / "wt" / "commondir").write_text("../..\n")
    worktree = _repo(
        tmp_path / "wt",
        {
            ".git": f"gitdir: {main / '.git' / 'worktrees' / 'wt'}\n",
            "svc/Dockerfile": "FROM python:3.9\n",
            "svc/local/Dockerfile": "FROM python:3.9\n",
        },
    )
    result = run_cli(["apply", "--dry-run", "--only", "python-base-image", "."], worktree)
    assert [line for line in result.stdout.splitlines() if line.startswith("+++ b/")] == [
        "+++ b/svc/Dockerfile"
    ]


def test_several_paths_give_one_section_per_path_that_git_apply_accepts_there(
    tmp_path: Path,
) -> None:
    import subprocess

    repo = _repo(
        tmp_path, {"a/Dockerfile": "FROM python:3.9\n", "b/Dockerfile": "FROM python:3.10\n"}
    )
    result = run_cli(["apply", "--dry-run", "a", "b"], repo)
    assert result.exit_code == 1
    sections = re.split(r"(?m)^(?=# repository: )", result.stdout)
    assert sections[0] == ""
    for name, section in zip("ab", sections[1:], strict=True):
        assert section.startswith(f"# repository: {name}\n--- a/Dockerfile\n+++ b/Dockerfile\n")
        (tmp_path / f"{name}.diff").write_text(section)  # the separator line included
        subprocess.run(
            ["git", "apply", str(tmp_path / f"{name}.diff")], cwd=repo / name, check=True
        )
    assert (repo / "a/Dockerfile").read_text() == "FROM python:3.12\n"
    assert (repo / "b/Dockerfile").read_text() == "FROM python:3.12\n"


#: Parsers and machinery a command that parses nothing must not import (start-up time).
HEAVY_MODULES = ("yaml", "libcst", "tomllib", "tomli", "ruamel", "multiprocessing")


def _imported_after(args: list[str], wanted: str) -> list[str]:
    """The modules a fresh interpreter has imported once the command line ran ``args``, of
    those whose name ``wanted`` (an expression of ``m``) selects."""
    code = (
        "import sys\n"
        "from modernize.cli import cli\n"
        "try:\n"
        f"    cli({args!r}, prog_name='modernize')\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(sorted(m for m in sys.modules if {wanted}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return list(ast.literal_eval(result.stdout.splitlines()[-1]))


@pytest.mark.parametrize("args", [["--version"], ["list"], ["apply", "--dry-run", "{empty}"]])
def test_commands_that_parse_nothing_import_no_parser(tmp_path: Path, args: list[str]) -> None:
    args = [arg.replace("{empty}", str(tmp_path)) for arg in args]
    assert _imported_after(args, f"m.split('.')[0] in {HEAVY_MODULES!r}") == []


@pytest.mark.parametrize("args", [["--version"], ["list"]])
def test_commands_that_advise_nothing_import_no_advice(args: list[str]) -> None:
    assert _imported_after(args, "m.startswith('modernize.advice')") == []


def test_a_run_imports_only_the_migrations_of_the_kinds_it_meets(tmp_path: Path) -> None:
    """The built-in migrations are known from their manifest; a module is imported when a file
    of one of its kinds is met (``list`` imports none)."""
    (tmp_path / "Dockerfile").write_text("FROM python:3.10-slim\n")
    selected = "m.startswith('modernize.migrations.')"
    dockerfile = _imported_after(["apply", "--dry-run", str(tmp_path)], selected)
    assert dockerfile == [
        "modernize.migrations.0010_python_base_image",
        "modernize.migrations.0030_postgres_major",
        "modernize.migrations.0100_maintainer_label",
    ]
    assert _imported_after(["list"], selected) == []


def test_the_cyclic_collector_waits_while_a_file_is_planned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Paused for each file (even one whose plan fails), enabled again after it."""
    import gc

    from modernize.engine import planning

    seen: list[bool] = []
    real = planning._plan_source

    def recording(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        if len(seen) == 2:
            raise RuntimeError("a plan that fails")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(planning, "_plan_source", recording)
    repo = _repo(tmp_path, {"a/Dockerfile": "FROM python:3.10\n", "b/Dockerfile": "FROM x\n"})
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        run_cli(["apply", "--dry-run", "-j", "1"], repo)
    assert seen == [False, False]
    assert gc.isenabled()


def test_with_j_2_this_process_plans_files_beside_one_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``-j N`` is N processes at work on the files: this one and N-1 workers, and both plan."""
    import os

    from modernize.engine import planning, workers

    pools: list[int] = []
    real_pool, real_plan = workers.file_pool, planning.plan_given
    planned_here: list[int] = []

    def counting_pool(options: object, count: int, *kinds: object) -> object:
        pools.append(count)
        return real_pool(options, count, *kinds)  # type: ignore[arg-type]

    def recording(*args: object) -> object:
        planned_here.append(os.getpid())
        return real_plan(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(workers, "file_pool", counting_pool)
    monkeypatch.setattr(planning, "plan_given", recording)
    files = {f"svc{n:03d}/Dockerfile": "FROM python:3.10-slim\n" for n in range(200)}
    repo = _repo(tmp_path, files)
    result = run_cli(["apply", "--dry-run", "-j", "2"], repo)
    assert result.stdout.count("+FROM python:3.12-slim") == 200
    assert pools == [1]
    # Recorded here only (a worker's calls are its own): some files, not all of them.
    assert 0 < planned_here.count(os.getpid()) < 200


def test_the_workers_plan_early_the_files_no_text_test_lets_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While this process walks the tree and surveys it, the workers read, test and parse the
    files found: those no text test lets through (a file the survey read too) are done then,
    and what they give is what the plan gives (a file that does not parse, one not UTF-8)."""
    import time

    from modernize.engine import repository, workers

    filled: list[int] = []
    real_collect, real_projects = workers.EarlyPlans.collect, repository.with_projects

    def counting(self: workers.EarlyPlans) -> None:
        real_collect(self)  # what was taken in as the walk went, and now
        filled.append(sum(outcome is not None for outcome in self.outcomes))

    def slow_survey(*args: object) -> object:
        time.sleep(1.0)  # time for the worker to plan every file found
        return real_projects(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(workers.EarlyPlans, "collect", counting)
    monkeypatch.setattr(repository, "with_projects", slow_survey)
    files = {f"svc{n:03d}/Dockerfile": "FROM python:3.12-slim\n" for n in range(100)}
    files.update({f"old{n}/Dockerfile": "FROM python:3.10-slim\n" for n in range(3)})
    files["svc050/compose.yml"] = "services:\n  web: {image: nginx\n"
    files["svc060/pyproject.toml"] = '[project]\nrequires-python = ">=3.12"\n'
    repo = _repo(tmp_path, files)
    (repo / "latin" / "Dockerfile").parent.mkdir()
    (repo / "latin" / "Dockerfile").write_bytes(b"FROM python:3.12\n# caf\xe9\n")
    parallel = run_cli(["apply", "--dry-run", "--partial", "-j", "2"], repo)
    assert filled and filled[0] >= 100  # the current files, the broken one and the project
    serial = run_cli(["apply", "--dry-run", "--partial", "-j", "1"], repo)
    _assert_same_run(parallel, serial)
    assert parallel.stdout.count("+FROM python:3.12-slim") == 3
    assert [e.split(": error: ")[0] for e in parallel.errors] == ["svc050/compose.yml:3"]
    assert "latin/Dockerfile:1: warning: not UTF-8" in parallel.stderr


@pytest.mark.parametrize("held", [True, False])
def test_a_worker_plans_the_files_it_read_early_without_reading_them_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, held: bool
) -> None:
    """A file a text test lets through, read by a worker before the survey, is held there for
    the plan; the plan gives such files to the workers first. No process reads a file twice
    (with nothing held, the worker reads again each file it plans), and the output is the
    one process's."""
    import os
    import time

    from modernize.engine import planning, repository, workers

    reads = tmp_path / "reads"
    real_read, real_projects = planning.read_source, repository.with_projects

    def recording_read(path: object) -> object:
        line = f"{os.getpid()} {path}\n".encode()
        descriptor = os.open(reads, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        try:
            os.write(descriptor, line)  # one write: the two processes' lines never mix
        finally:
            os.close(descriptor)
        return real_read(path)  # type: ignore[arg-type]

    def slow_survey(*args: object) -> object:
        time.sleep(1.0)  # time for the worker to read and test every file found
        return real_projects(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(planning, "read_source", recording_read)
    monkeypatch.setattr(repository, "read_source", recording_read)
    monkeypatch.setattr(repository, "with_projects", slow_survey)
    if not held:
        monkeypatch.setattr(workers, "_MOST_HELD_BYTES", 0)
    files = {f"svc{n:03d}/Dockerfile": "FROM python:3.10-slim\n" for n in range(150)}
    repo = _repo(tmp_path / "repo", files)
    parallel = run_cli(["apply", "--dry-run", "-j", "2"], repo)
    lines = reads.read_text().splitlines()
    read_twice = len(lines) - len(set(lines))
    if held:
        assert read_twice == 0
    else:
        assert read_twice > 0
    reads.unlink()
    serial = run_cli(["apply", "--dry-run", "-j", "1"], repo)
    _assert_same_run(parallel, serial)
    assert parallel.stdout.count("+FROM python:3.12-slim") == 150


def test_the_chunks_sent_to_a_worker_shrink_as_the_two_ends_meet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each chunk is a share of what is left: the last one, which this process may wait for
    once it has planned its own, is small."""
    from modernize.engine import workers

    sizes: list[int] = []
    real_pool = workers.file_pool

    def recording_pool(*args: object) -> object:
        pool = real_pool(*args)  # type: ignore[arg-type]
        submit = pool.submit

        def recording(function: object, *given: object) -> object:
            if function is workers._plan_in_worker:
                sizes.append(len(given[1]))  # type: ignore[arg-type]
            return submit(function, *given)  # type: ignore[arg-type]

        pool.submit = recording  # type: ignore[method-assign]
        return pool

    monkeypatch.setattr(workers, "file_pool", recording_pool)
    files = {f"svc{n:03d}/Dockerfile": "FROM python:3.10-slim\n" for n in range(400)}
    result = run_cli(["apply", "--dry-run", "-j", "2"], _repo(tmp_path, files))
    assert result.stdout.count("+FROM python:3.12-slim") == 400
    assert len(sizes) > 2 and sizes == sorted(sizes, reverse=True)
    # The last chunk is sent when a worker takes the one before it, not when the ends meet.
    assert sizes[0] > 4 * workers._LEAST_CHUNK and sizes[-1] <= 2 * workers._LEAST_CHUNK


WORKER_PROBE = """
from modernize.engine.planning import RunOptions
from modernize.engine.workers import file_pool
from modernize.registry import Context, load_migrations
from modernize.targets import Targets


def loaded():
    return sorted(
        m.id for m in load_migrations() if getattr(m.migrate, "function", None) is not None
    )


if __name__ == "__main__":
    migrations = tuple(m for m in load_migrations() if m.enabled_by_default)
    options = RunOptions(Context(Targets()), migrations, False)
    pool = file_pool(options, 1, frozenset({"makefile"}))
    print(loaded(), pool.submit(loaded).result())
    pool.shutdown()
"""


def test_a_worker_imports_the_migrations_of_the_files_found_while_it_waits(
    tmp_path: Path,
) -> None:
    """Started during the walk, a worker imports the migrations of the kinds found so far
    before its first files come, instead of at its first call of each."""
    import subprocess
    import sys

    script = tmp_path / "probe.py"
    script.write_text(WORKER_PROBE)
    found = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=True
    ).stdout
    assert found.strip() == "[] ['compose-v2-cli']"


def test_the_workers_start_while_the_tree_is_walked_before_the_survey(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pool is started once enough files are found, before the survey reads the projects
    (forked then, the workers hold less of this process); a small tree starts none."""
    from modernize.engine import repository, workers

    calls: list[str] = []
    real_pool, real_projects = workers.file_pool, repository.with_projects

    def pool(*args: object) -> object:
        calls.append("pool")
        return real_pool(*args)  # type: ignore[arg-type]

    def projects(*args: object) -> object:
        calls.append("survey")
        return real_projects(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(workers, "file_pool", pool)
    monkeypatch.setattr(repository, "with_projects", projects)
    files = {f"svc{n:03d}/Dockerfile": "FROM python:3.10-slim\n" for n in range(100)}
    result = run_cli(["apply", "--dry-run", "-j", "2"], _repo(tmp_path / "big", files))
    assert result.stdout.count("+FROM python:3.12-slim") == 100
    assert calls == ["pool", "survey"]
    calls.clear()
    few = {f"svc{n:03d}/Dockerfile": "FROM python:3.10-slim\n" for n in range(10)}
    run_cli(["apply", "--dry-run", "-j", "2"], _repo(tmp_path / "small", few))
    assert calls == ["survey"]


def test_a_worker_done_with_its_chunks_gets_the_next_within_a_few_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This process looks at the workers' chunks every few files it plans: a worker that is
    done with what it was given waits for no more than that, not for a whole share. (A pool
    whose worker finishes each chunk at once shows the longest run this process plans alone.)"""
    from concurrent.futures import Future

    from modernize.engine import planning, repository, workers
    from modernize.engine.waiting import Waiting
    from modernize.registry import Context, load_migrations
    from modernize.targets import Targets

    events: list[str] = []

    class AtOnce:
        def submit(self, _function: object, _context: bytes, chunk: list[object]) -> Future[object]:
            events.append("sent")
            future: Future[object] = Future()
            future.set_result([planning.lost(candidate) for candidate, _ in chunk])  # type: ignore[misc]
            return future

        def shutdown(self, **_: object) -> None:
            pass

    real_plan = planning.plan_given

    def planning_here(*args: object) -> object:
        events.append("planned")
        return real_plan(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(planning, "plan_given", planning_here)
    root = _repo(
        tmp_path, {f"svc{n:03d}/Dockerfile": "FROM python:3.10-slim\n" for n in range(600)}
    )
    migrations = tuple(m for m in load_migrations() if m.id == "python-base-image")
    options = planning.RunOptions(Context(Targets()), migrations, False)
    tasks = Waiting((i, c, None) for i, c in enumerate(repository.candidates(root, migrations)))
    outcomes: list[object] = [None] * len(tasks)
    workers.plan_in_workers(tasks, options, AtOnce(), 1, outcomes)  # type: ignore[arg-type]
    assert None not in outcomes
    alone = max(len(run) for run in "".join("s" if e == "sent" else "p" for e in events).split("s"))
    assert events.count("planned") > 2 * workers._MOST_BETWEEN_LOOKS
    assert alone <= workers._MOST_BETWEEN_LOOKS
