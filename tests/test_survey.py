"""The repository survey: which project a file belongs to, and which projects cannot run the
target Python, read the same way the pyproject migration reads their claims."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from packaging.version import Version

from modernize.rules.python_claims import plan_claim
from modernize.survey import survey
from tests.helpers import run_cli

TARGET = Version("3.12")


def _pyproject(claim: str) -> str:
    return f'[project]\nname = "x"\nrequires-python = "{claim}"\n'


@pytest.mark.parametrize(
    ("claim", "holds"),
    [
        (">=3.10,<3.12", True),  # an upper bound below the target
        ("<=3.12", True),  # stops at 3.12.0
        ("~=3.10.1", True),  # means ==3.10.*
        ("==3.11.4", True),  # an exact pin
        ("<3.12", True),  # no lower bound to raise, still no 3.12
        ("!=3.12.*,>=3.10", True),
        (">=3.10", False),
        ("==3.11.*", False),  # moves to ==3.12.*
        ("==3.*", False),  # every 3.x: nothing to raise, nothing held
        (">=3.10,<4", False),
        (">=3.13", False),  # above the target: nothing to hold
        ("==3.12.1", False),
        ("a lot", False),  # not understood: reported, never guessed
    ],
)
def test_a_project_is_held_exactly_when_its_claim_cannot_allow_the_target(
    claim: str, holds: bool
) -> None:
    found = survey({"pyproject.toml": _pyproject(claim)}, TARGET)
    assert bool(found.python_held("Dockerfile")) is holds
    assert plan_claim(claim, TARGET).holds is holds


def test_a_file_belongs_to_the_nearest_project_at_or_above_it() -> None:
    found = survey(
        {
            "pyproject.toml": _pyproject(">=3.10"),
            "services/meter/pyproject.toml": _pyproject(">=3.10,<3.12"),
        },
        TARGET,
    )
    assert found.python_held("services/meter/docker/Dockerfile").startswith(
        "its project's services/meter/pyproject.toml requires-python '>=3.10,<3.12'"
    )
    assert found.python_held("services/meterish/Dockerfile") == ""
    assert found.python_held("Dockerfile") == ""
    assert survey({}, TARGET).python_held("Dockerfile") == ""


def test_poetrys_python_requirement_holds_its_project_too() -> None:
    text = '[tool.poetry.dependencies]\npython = "^3.10,<3.12"\n'
    held = survey({"svc/pyproject.toml": text}, TARGET).python_held("svc/.python-version")
    assert "[tool.poetry.dependencies] python '^3.10,<3.12'" in held
    assert held.endswith("allow 3.12 there first")


def test_an_unreadable_pyproject_holds_nothing() -> None:
    assert survey({"pyproject.toml": "[project\n"}, TARGET).python_held("Dockerfile") == ""


def test_verify_warns_at_each_held_file_and_fails_at_the_claim(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(_pyproject(">=3.10,<3.12"))
    (tmp_path / "Dockerfile").write_text("FROM python:3.10-slim\n")
    result = run_cli(
        ["verify", "--format", "json", "--only", "python-base-image,pyproject-python", "."],
        tmp_path,
    )
    assert result.exit_code == 1, result.stderr
    found = {(f["path"], f["code"]): f for f in json.loads(result.stdout)["findings"]}
    held = found[("Dockerfile", "M001")]
    assert held["severity"] == "warning"
    assert "not changed: its project's pyproject.toml" in held["message"]
    assert found[("pyproject.toml", "M007")]["severity"] == "error"


def test_a_held_project_changes_nothing_on_a_second_run(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(_pyproject("==3.11.*"))
    (tmp_path / ".python-version").write_text("3.11\n")
    first = run_cli(["apply", "."], tmp_path)
    assert first.exit_code == 0, first.stderr
    assert (tmp_path / ".python-version").read_text() == "3.12\n"
    assert 'requires-python = "==3.12.*"' in (tmp_path / "pyproject.toml").read_text()
    again = run_cli(["apply", "--dry-run", "."], tmp_path)
    assert again.stdout == ""


def test_a_claim_records_what_the_run_makes_of_it() -> None:
    found = survey({"pyproject.toml": _pyproject(">=3.10, <4")}, TARGET)
    (claim,) = found.projects[0].claims
    assert (claim.key, claim.before, claim.after) == ("requires-python", ">=3.10, <4", ">=3.12, <4")
    still = survey({"pyproject.toml": _pyproject(">=3.10")}, TARGET, claims_move=False)
    assert still.projects[0].claims[0].after == ">=3.10"
    held = survey({"pyproject.toml": _pyproject(">=3.10,<3.12")}, TARGET)
    assert held.projects[0].claims[0].after == ">=3.10,<3.12"


def test_a_lock_locks_its_folder_and_the_members_below_without_a_nearer_lock() -> None:
    pyprojects = {
        path: _pyproject(">=3.10")
        for path in (
            "pyproject.toml",
            "packages/a/pyproject.toml",
            "tools/seed/pyproject.toml",
            "tools/seed/plugin/pyproject.toml",
        )
    }
    found = survey(pyprojects, TARGET, ["uv.lock", "tools/seed/uv.lock"])
    assert [p.folder for p in found.locked_by("uv.lock")] == ["", "packages/a"]
    assert [p.folder for p in found.locked_by("tools/seed/uv.lock")] == [
        "tools/seed",
        "tools/seed/plugin",
    ]
    # A lock whose folder has no project locks only the projects below it.
    assert [p.folder for p in found.locked_by("packages/uv.lock")] == ["packages/a"]


@pytest.mark.parametrize(
    ("above", "moves"),
    [
        ("# We still support 3.10 users until the LTS ends\n", False),
        ("# py310\n", True),  # restates the value: it moves, and the comment with it
        ("# the floor\n", True),  # names no version
        ("", True),
    ],
)
def test_a_claim_a_comment_explains_stays_in_the_survey(above: str, moves: bool) -> None:
    text = f'[project]\nname = "x"\n{above}requires-python = ">=3.10"\n'
    (project,) = survey({"pyproject.toml": text}, TARGET).projects
    (claim,) = project.claims
    assert claim.after == (">=3.12" if moves else ">=3.10")
    assert project.held == ""  # the project's other files still move: >=3.10 allows 3.12


def test_a_setup_cfg_that_describes_a_package_is_a_project() -> None:
    held = "[metadata]\nname = x\n[options]\npython_requires = >=3.10,<3.12\n"
    tools_only = "[flake8]\nmax-line-length = 88\n"
    found = survey(
        {"setup.cfg": held, "docs/setup.cfg": tools_only, "lib/setup.cfg": "[options]\n"},
        TARGET,
    )
    assert found.python_held("Dockerfile").startswith(
        "its project's setup.cfg [options] python_requires '>=3.10,<3.12'"
    )
    # Only tools' settings: the root project still holds the files below it.
    assert found.python_held("docs/.python-version")
    # A package with no claim of its own: nothing holds it.
    assert found.python_held("lib/Dockerfile") == ""
    assert [project.described_at for project in found.projects] == ["setup.cfg", "lib/setup.cfg"]


def test_a_folder_s_pyproject_and_setup_cfg_are_one_project_whose_claims_move_by_file() -> None:
    files = {
        "pyproject.toml": _pyproject(">=3.10"),
        "setup.cfg": "[options]\npython_requires = >=3.11\n",
    }
    both = survey(files, TARGET)
    (project,) = both.projects
    assert project.described_at == "pyproject.toml"
    assert [(claim.key, claim.after) for claim in project.claims] == [
        ("requires-python", ">=3.12"),
        ("[options] python_requires", ">=3.12"),
    ]
    only_setup = survey(files, TARGET, claims_move=["setup.cfg"])
    assert [claim.after for claim in only_setup.projects[0].claims] == [">=3.10", ">=3.12"]
    held = survey({**files, "setup.cfg": "[options]\npython_requires = ==3.11.4\n"}, TARGET)
    assert held.projects[0].bound == "[options] python_requires '==3.11.4'"
    assert [claim.after for claim in held.projects[0].claims] == [">=3.10", "==3.11.4"]


def test_a_setup_py_is_a_project_whose_python_requires_is_read_never_run() -> None:
    held = (
        "import sys\nfrom setuptools import setup\nsys.exit(1)\n"
        'REQ = ">=3.10,<3.12"\nsetup(name="x", python_requires=REQ)\n'
    )
    computed = 'import setuptools\nsetuptools.setup(name="y", python_requires=">=" + MINIMUM)\n'
    sphinx = 'def setup(app):\n    app.add_css_file("a.css")\n'
    found = survey(
        {
            "a/setup.py": held,
            "a/docs/setup.py": sphinx,
            "b/setup.py": computed,
            "c/setup.py": "def (:\n",
        },
        TARGET,
    )
    assert found.python_held("a/Dockerfile").startswith(
        "its project's a/setup.py python_requires '>=3.10,<3.12'"
    )
    assert found.python_held("a/docs/Dockerfile")  # a Sphinx extension is not a project
    assert found.python_held("b/Dockerfile") == ""  # not a literal: not read, never guessed
    assert found.python_held("c/Dockerfile") == ""  # does not parse: reported where planned
    assert [project.described_at for project in found.projects] == ["a/setup.py", "b/setup.py"]


def test_the_project_files_are_those_the_survey_reads() -> None:
    from modernize.kinds import PROJECT_FILES
    from modernize.survey import _CLAIM_READERS, CLAIMS_MOVED_BY

    assert tuple(CLAIMS_MOVED_BY) == PROJECT_FILES == tuple(_CLAIM_READERS)


@pytest.mark.parametrize("stale", [False, True])
def test_one_process_surveys_when_a_file_may_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stale: bool
) -> None:
    """With one process, the survey is made once, when the first file that a text test lets
    through is planned, and holds it back as before; a run of current files never makes it
    (a pre-commit hook's), unless the repository's decisions are asked for."""
    import modernize.engine.planning as planning
    import modernize.engine.repository as repository
    from modernize.registry import Context
    from modernize.workspace.config import Overrides, resolve

    claim = ">=3.10,<3.11" if stale else ">=3.12"
    (tmp_path / "pyproject.toml").write_text(
        f'[project]\nname = "x"\nrequires-python = "{claim}"\n', encoding="utf-8"
    )
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "Dockerfile").write_text("FROM python:3.12-slim\n", encoding="utf-8")
    if stale:
        (tmp_path / "b" / "Dockerfile").write_text("FROM python:3.10-slim\n", encoding="utf-8")
        (tmp_path / "c" / "Dockerfile").write_text("FROM python:3.9-slim\n", encoding="utf-8")
    made: list[object] = []
    real = repository.with_projects

    def counted(*args: object, **kwargs: object) -> object:
        made.append(args[1])
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(repository, "with_projects", counted)
    resolved = resolve(tmp_path, Overrides(), str(tmp_path))
    options = planning.RunOptions(
        Context(resolved.targets), tuple(resolved.migrations), write=False
    )
    outcomes = repository.run(tmp_path, options, jobs=1)
    assert len(made) == (1 if stale else 0)
    by_path = {outcome.path: outcome for outcome in outcomes}
    assert by_path["a/Dockerfile"].status == "unchanged"
    assert not by_path["a/Dockerfile"].findings
    if stale:  # held back by its project, which the survey found
        for path in ("b/Dockerfile", "c/Dockerfile"):
            assert by_path[path].status == "unchanged"
            assert [
                f.message.startswith("not changed: its project's") for f in by_path[path].findings
            ] == [True]
    made.clear()
    decisions: list[str] = []
    repository.run(tmp_path, options, jobs=1, decisions=decisions)
    assert len(made) == 1
    assert decisions
