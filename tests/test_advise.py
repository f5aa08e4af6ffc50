"""``modernize advise``: golden cases per hazard, and the command's channels.

``tests/fixtures/advise/<code>/<case>/`` holds ``input/`` (a small repository), ``expected.txt``
(what ``advise`` prints on stdout, one hazard a line) and, optionally, ``args.txt`` (flags).
Each hazard has a case that finds it (``hit…``), one that looks alike but is not it
(``miss…``), and one whose jump does not reach it (``outside…``).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from modernize.advice.hazards import BY_CODE, HAZARDS
from tests.helpers import run_cli, snapshot

ADVICE = Path(__file__).parent / "fixtures" / "advise"
CASES = sorted(path.parent for path in ADVICE.glob("*/*/input"))
#: Whole small repositories, as a new user would try the command on theirs: every hazard
#: present is reported once, and nothing else.
TRYOUT = "tryout"


def _args(case: Path) -> list[str]:
    extra = (case / "args.txt").read_text().split() if (case / "args.txt").exists() else []
    return [*extra, "."]


def _copy(case: Path, tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(case / "input", repo, symlinks=True)
    return repo


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.parent.name}/{c.name}")
def test_advise_prints_the_expected_hazards(case: Path, tmp_path: Path) -> None:
    repo = _copy(case, tmp_path)
    before = snapshot(repo)
    result = run_cli(["advise", "--color", "never", *_args(case)], repo)
    expected = (case / "expected.txt").read_text()
    assert result.stdout == expected, result.stderr
    assert result.exit_code == (1 if expected else 0), result.stderr
    assert snapshot(repo) == before  # advise never writes
    if case.parent.name == TRYOUT:
        return
    if case.name.startswith("hit"):
        assert f": warning {case.parent.name} " in expected
    else:
        assert f" {case.parent.name} " not in expected


def test_every_hazard_has_a_hit_a_look_alike_and_a_case_outside_its_range() -> None:
    for hazard in HAZARDS:
        names = [case.name for case in CASES if case.parent.name == hazard.code]
        for kind in ("hit", "miss", "outside"):
            assert any(name.startswith(kind) for name in names), (hazard.code, kind, names)
    assert {case.parent.name for case in CASES} <= {*BY_CODE, TRYOUT}


def _legacy_repo(root: Path) -> Path:
    """A small repository on Python 3.10 and postgres 14 with one hazard of each component
    and a data volume."""
    (root / "app").mkdir(parents=True)
    (root / "db").mkdir()
    (root / ".python-version").write_text("3.10\n")
    (root / "app" / "compat.py").write_text("import imp\n")
    (root / "db" / "init.sql").write_text("CREATE ROLE app LOGIN CREATEROLE;\n")
    (root / "compose.yaml").write_text(
        "services:\n"
        "  db:\n"
        "    image: postgres:14\n"
        "    volumes:\n"
        "      - pgdata:/var/lib/postgresql/data\n"
        "volumes:\n"
        "  pgdata:\n"
    )
    return root


def test_text_output_reads_the_jump_and_ends_with_a_count(tmp_path: Path) -> None:
    repo = _legacy_repo(tmp_path / "repo")
    result = run_cli(["advise", "."], repo)
    assert result.exit_code == 1
    codes = [line.split()[2] for line in result.stdout.splitlines()]
    assert codes == ["A001", "A018", "A013"]
    assert "Python 3.10 → 3.12; postgres 14 → 16." in result.stderr
    assert "3 upgrade hazards" in result.stderr


def test_json_and_github_formats(tmp_path: Path) -> None:
    repo = _legacy_repo(tmp_path / "repo")
    found = json.loads(run_cli(["advise", "--format", "json", "."], repo).stdout)
    assert [(f["path"], f["line"], f["code"]) for f in found["findings"]] == [
        ("app/compat.py", 1, "A001"),
        ("compose.yaml", 5, "A018"),
        ("db/init.sql", 1, "A013"),
    ]
    lines = run_cli(["advise", "--format", "github", "."], repo).stdout.splitlines()
    assert lines[0].startswith("::warning file=app/compat.py,line=1,title=A001::import imp")
    assert all(line.startswith("::warning file=") for line in lines)


def test_github_annotations_escape_what_the_runner_reads() -> None:
    from modernize.model import Finding
    from modernize.render.reporting import github_annotations

    (line,) = github_annotations([Finding("a,b:c.py", 3, "100% sure\nnext", "warning", "", "A1")])
    assert line == "::warning file=a%2Cb%3Ac.py,line=3,title=A1::100%25 sure%0Anext"


def test_sarif_names_every_hazard_with_its_help(tmp_path: Path) -> None:
    repo = _legacy_repo(tmp_path / "repo")
    sarif = json.loads(run_cli(["advise", "--format", "sarif", "."], repo).stdout)
    (run,) = sarif["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [hazard.code for hazard in HAZARDS]
    for rule, hazard in zip(rules, HAZARDS, strict=True):
        assert rule["fullDescription"]["text"] == hazard.explanation
        assert hazard.fix in rule["help"]["text"] and hazard.source in rule["help"]["markdown"]
        assert rule["helpUri"] == hazard.source
    assert [(r["ruleId"], rules[r["ruleIndex"]]["id"], r["level"]) for r in run["results"]] == [
        ("A001", "A001", "warning"),
        ("A018", "A018", "warning"),
        ("A013", "A013", "warning"),
    ]


@pytest.mark.parametrize("hazard", HAZARDS, ids=lambda h: h.code)
def test_rule_explains_every_code(hazard: object, tmp_path: Path) -> None:
    from modernize.advice.hazards import Hazard

    assert isinstance(hazard, Hazard)
    result = run_cli(["rule", hazard.code.lower()], tmp_path)
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{hazard.code} {hazard.name}\n")
    assert hazard.source in result.stdout
    assert " ".join(hazard.fix.split()[:3]) in " ".join(result.stdout.split())


def test_rule_explains_migration_and_standard_codes_and_refuses_others(tmp_path: Path) -> None:
    assert run_cli(["rule", "M001"], tmp_path).stdout.startswith("M001 python-base-image\n")
    assert run_cli(["rule", "DF001"], tmp_path).stdout.startswith("DF001 (warning)\n")
    unknown = run_cli(["rule", "A999"], tmp_path)
    assert unknown.exit_code == 2
    assert "no rule has the code 'A999'" in unknown.stderr


def test_the_documented_hazard_table_is_the_generated_one(tmp_path: Path) -> None:
    page = (Path(__file__).parent.parent / "docs" / "advise.md").read_text()
    table = page.split("<!-- hazards:start -->\n")[1].split("<!-- hazards:end")[0]
    assert table == run_cli(["hazards", "--format", "markdown"], tmp_path).stdout
    for hazard in HAZARDS:
        assert hazard.source.startswith("https://")


def test_apply_names_the_hazards_and_the_command_that_lists_them(tmp_path: Path) -> None:
    repo = _legacy_repo(tmp_path / "repo")
    planned = run_cli(["apply", "--dry-run", "."], repo)
    assert "3 upgrade hazards: run `modernize advise`." in planned.stderr
    written = run_cli(["apply", "."], repo)
    command = "modernize advise --from-python 3.10 --from-postgres 14"
    # After writing, the volume has moved: its path was apply's own warning.
    assert f"2 upgrade hazards: run `{command}`." in written.stderr
    again = run_cli(["advise", "--from-python", "3.10", "--from-postgres", "14", "."], repo)
    assert [line.split()[2] for line in again.stdout.splitlines()] == ["A001", "A013"]
    assert run_cli(["advise", "."], repo).exit_code == 0  # nothing moves any more


def test_apply_counts_only_the_hazards_its_selection_reports(tmp_path: Path) -> None:
    """``ignore`` and ``per-file-ignores`` hold for the count as for ``advise``."""
    repo = _legacy_repo(tmp_path / "repo")
    (repo / "pyproject.toml").write_text('[tool.modernize.per-file-ignores]\n"app/**" = ["A001"]\n')
    assert "2 upgrade hazards: run `modernize advise`." in (
        run_cli(["apply", "--dry-run", "."], repo).stderr
    )
    (repo / "pyproject.toml").write_text('[tool.modernize]\nignore = ["A"]\n')
    assert "upgrade hazard" not in run_cli(["apply", "--dry-run", "."], repo).stderr


def test_apply_says_nothing_of_hazards_when_none_hold(tmp_path: Path) -> None:
    (tmp_path / ".python-version").write_text("3.10\n")
    (tmp_path / "app.py").write_text("import importlib\n")
    result = run_cli(["apply", "--dry-run", "."], tmp_path)
    assert result.exit_code == 1
    assert "hazard" not in result.stderr


@pytest.mark.parametrize(
    ("flag", "value"), [("--from-python", "3"), ("--from-python", "3.x"), ("--from-postgres", "x")]
)
def test_a_malformed_from_version_is_a_usage_error(flag: str, value: str, tmp_path: Path) -> None:
    result = run_cli(["advise", flag, value, "."], tmp_path)
    assert result.exit_code == 2
    assert flag in result.stderr


def test_a_project_held_below_the_target_makes_no_jump(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM python:3.10-slim\n")
    for name, bound in (("old", ">=3.10,<3.12"), ("new", ">=3.10")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "pyproject.toml").write_text(
            f'[project]\nname = "{name}"\nversion = "1"\nrequires-python = "{bound}"\n'
        )
        (tmp_path / name / "compat.py").write_text("import imp\n")
    result = run_cli(["advise", "."], tmp_path)
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == ["new/compat.py"]


@pytest.mark.parametrize(
    ("path", "text", "jump"),
    [
        ("tox.ini", "[tox]\nenvlist = py{38,39,310}\n", "Python 3.8 → 3.12"),
        ("ruff.toml", 'target-version = "py39"\n', "Python 3.9 → 3.12"),
        (
            ".github/workflows/ci.yml",
            "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    strategy:\n"
            "      matrix:\n        include:\n          - python-version: '3.10'\n"
            "            django: '3.2'\n    steps:\n      - uses: actions/setup-python@v5\n"
            "        with:\n          python-version: ${{ matrix.python-version }}\n",
            "Python 3.10 → 3.12",
        ),
    ],
)
def test_the_jump_is_read_from_every_way_an_edit_names_python(
    path: str, text: str, jump: str, tmp_path: Path
) -> None:
    (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / path).write_text(text)
    (tmp_path / "compat.py").write_text("import imp\n")
    result = run_cli(["advise", "."], tmp_path)
    assert jump in result.stderr
    assert result.stdout.startswith("compat.py:1: warning A001 ")


def test_a_file_that_is_not_python_3_is_passed_over_with_a_note(tmp_path: Path) -> None:
    (tmp_path / ".python-version").write_text("3.10\n")
    (tmp_path / "old.py").write_text("import imp\nprint 'hi'\n")
    (tmp_path / "latin.py").write_bytes(b"# -*- coding: latin-1 -*-\nimport imp\ns = '\xe9'\n")
    (tmp_path / "dump.sql").write_bytes(b"-- big\n" + b"x" * (6 * 1024 * 1024))
    result = run_cli(["advise", "."], tmp_path)
    assert result.exit_code == 1  # the hazard; a file too large is passed over as apply does
    assert "old.py:2: note: not Python 3" in result.stderr
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == ["latin.py"]


def test_a_path_named_twice_is_advised_once(tmp_path: Path) -> None:
    repo = _legacy_repo(tmp_path / "repo")
    result = run_cli(["advise", ".", "."], repo)
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 3
    assert "the same repository" in result.stderr


def test_files_named_by_a_hook_make_one_jump(tmp_path: Path) -> None:
    repo = _legacy_repo(tmp_path / "repo")
    named = [".python-version", "app/compat.py"]
    assert run_cli(["advise", *named], repo).stdout.startswith("app/compat.py:1: warning A001 ")
    planned = run_cli(["apply", "--dry-run", *named], repo)
    assert "1 upgrade hazard: run `modernize advise .python-version app/compat.py`." in (
        planned.stderr
    )


def test_the_command_apply_names_keeps_the_selection(tmp_path: Path) -> None:
    repo = _legacy_repo(tmp_path / "repo")
    planned = run_cli(["apply", "--dry-run", "--only", "postgres-major"], repo)
    assert "run `modernize advise --only postgres-major`." in planned.stderr
    again = run_cli(["advise", "--only", "postgres-major"], repo)
    assert [line.split()[2] for line in again.stdout.splitlines()] == ["A018", "A013"]


def test_a_project_above_the_path_holds_its_files_back(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "setup.cfg").write_text("[options]\npython_requires = >=3.8,<3.12\n")
    (tmp_path / "old" / "pkg").mkdir()
    (tmp_path / "old" / "pkg" / "x.py").write_text("import imp\n")
    result = run_cli(["advise", "--from-python", "3.10", "old/pkg"], tmp_path)
    assert result.stdout == ""


def test_an_uncertain_data_warning_gives_no_upgrade_path(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        "services:\n  base:\n    image: alpine\n  db:\n    extends: base\n    image: postgres:14\n"
    )
    assert run_cli(["advise", "."], tmp_path).stdout == ""


@pytest.mark.parametrize(
    ("flag", "value"),
    [("--from-python", "3.12"), ("--from-python", "3.14"), ("--from-postgres", "16")],
)
def test_a_from_version_not_below_the_target_is_refused(
    flag: str, value: str, tmp_path: Path
) -> None:
    result = run_cli(["advise", flag, value, "."], tmp_path)
    assert result.exit_code == 2
    assert "not below the target" in result.stderr


def test_from_versions_are_shown_as_the_jump_reads_them(tmp_path: Path) -> None:
    result = run_cli(["advise", "--from-python", "3.09", "--from-postgres", "9.6", "."], tmp_path)
    assert "Python 3.9 → 3.12; postgres 9.6 → 16." in result.stderr


def test_a_volume_two_services_share_gets_one_upgrade_path(tmp_path: Path) -> None:
    services = "".join(
        f"  {name}:\n    image: postgres:14\n    volumes:\n"
        "      - pgdata:/var/lib/postgresql/data\n"
        for name in ("a", "b")
    )
    (tmp_path / "compose.yaml").write_text(f"services:\n{services}volumes:\n  pgdata:\n")
    result = run_cli(["advise", "."], tmp_path)
    assert [line.split(":")[:3] for line in result.stdout.splitlines()] == [
        ["compose.yaml", "5", " warning A018 postgres 14 data moves to 16"]
    ]
