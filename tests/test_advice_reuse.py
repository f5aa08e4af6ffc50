"""The hazards' advice of a file, made where the file is planned (``Outcome.advice``), is the
advice ``advise_tree`` makes when it reads the file itself: on every fixture, as read by a dry
run and as left by a run that writes."""

from __future__ import annotations

import pickle
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from modernize import api
from modernize.advice import advising
from modernize.advice.advising import (
    NO_ADVICE,
    FileAdvice,
    Jump,
    advise_tree,
    file_advice,
)
from modernize.advice.hazards import Hit
from modernize.engine import planning, repository, sharing, workers
from modernize.engine.held import HeldOutcomes
from modernize.model import Outcome

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted({*FIXTURES.glob("*/*/input"), *FIXTURES.glob("advise/*/*/input")})
#: A jump wide enough for nearly every hazard to hold.
JUMP = Jump("3.6", "3.13", "9.6", 18)


def _case_id(case: Path) -> str:
    return case.parent.relative_to(FIXTURES).as_posix()


def _outcomes(repo: Path, dry_run: bool) -> list[Outcome]:
    report = api.apply(
        [str(repo)], api.ApplyOptions(dry_run=dry_run, output_format="json", partial=True)
    )
    return [outcome for result in report.results for outcome in result.outcomes]


def _read_again(outcomes: list[Outcome]) -> list[Outcome]:
    return [replace(outcome, advice=None) for outcome in outcomes]


@pytest.fixture
def advising_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file planned gets its advice, as after this process planned a change."""
    monkeypatch.setattr(planning, "_changes_seen", True)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
@pytest.mark.parametrize("dry_run", [True, False], ids=["read", "written"])
@pytest.mark.usefixtures("advising_on")
def test_the_advice_made_where_a_file_is_planned_is_the_advice_of_reading_it(
    case: Path, dry_run: bool, tmp_path: Path
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(case, repo, symlinks=True)
    outcomes = _outcomes(repo, dry_run)
    made = advise_tree(repo, (), None, outcomes, JUMP)
    assert made == advise_tree(repo, (), None, _read_again(outcomes), JUMP)


@pytest.mark.usefixtures("advising_on")
def test_a_written_file_is_advised_as_written(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "docker-compose.yml").write_text(
        'version: "3.8"\nservices:\n  db:\n    image: postgres:14\n    environment:\n'
        "      POSTGRES_HOST_AUTH_METHOD: md5\n"
    )
    outcomes = _outcomes(repo, dry_run=False)
    assert [outcome.status for outcome in outcomes] == ["changed"]
    (found,) = [f for f in advise_tree(repo, (), None, outcomes, JUMP).findings if f.code == "A015"]
    assert found.line == 5  # the version line is gone
    assert advise_tree(repo, (), None, outcomes, JUMP) == advise_tree(
        repo, (), None, _read_again(outcomes), JUMP
    )


@pytest.mark.usefixtures("advising_on")
def test_a_file_whose_advice_was_made_is_not_read_again(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "advise" / "tryout" / "django-310-postgres-14" / "input", repo)
    outcomes = _outcomes(repo, dry_run=True)
    advised = [outcome.path for outcome in outcomes if outcome.advice is not None]
    expected = advise_tree(repo, (), None, outcomes, JUMP)
    assert len(advised) >= 5 and expected.findings
    for path in advised:  # made empty: the hazards can only come from the advice
        (repo / path).write_text("")
    assert advise_tree(repo, (), None, outcomes, JUMP) == expected
    assert advise_tree(repo, (), None, _read_again(outcomes), JUMP) != expected


def test_a_run_that_changes_nothing_makes_no_advice(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(planning, "_changes_seen", False)
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "whole-repository" / "every-kind-at-310-tryout" / "expected", repo)
    outcomes = _outcomes(repo, dry_run=True)
    assert outcomes and all(outcome.status == "unchanged" for outcome in outcomes)
    assert all(outcome.advice is None for outcome in outcomes)
    assert planning._changes_seen is False


def test_a_changed_file_not_written_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text("FROM python:3.10\n")
    changed = Outcome("Dockerfile", "dockerfile", "changed", b"x", b"y", advice=NO_ADVICE)
    failed = Outcome("compose.yaml", "compose", "failed")
    held = HeldOutcomes()
    held.append(changed)
    held.append(failed)
    repository.write_planned(held, [str(path), str(tmp_path / "compose.yaml")], True, False)
    stored = held[0]
    assert stored is not None and stored.status == "failed" and stored.advice is None
    assert path.read_text() == "FROM python:3.10\n"


def test_advice_crosses_between_processes_whole() -> None:
    assert pickle.loads(pickle.dumps(NO_ADVICE)) is NO_ADVICE
    advice = file_advice("dockerfile", "Dockerfile", b"FROM python:3.10\nRUN python setup.py x\n")
    assert advice.hits == (Hit("A006", 2, "`python setup.py`"),)
    assert pickle.loads(pickle.dumps(advice)) == advice
    assert file_advice("dockerfile", "Dockerfile", b"FROM python:3.10\0") is NO_ADVICE
    pinned = file_advice("requirements", "requirements.txt", b"numpy==1.21.0\n")
    assert pinned == FileAdvice(pinned="numpy==1.21.0\n")


def test_advice_without_a_text_is_one_value_once_unpickled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sharing, "_shared", {})  # other tests' values leave it room
    # Two compose files with the same settings: the process that reads both keeps one.
    raw = b"services:\n  db:\n    environment:\n      POSTGRES_DB: app\n"
    first, second = (file_advice("compose", "compose.yml", raw) for _ in range(2))
    assert first.entry == (("POSTGRES_DB", "app"),) and first is second
    # As does the process that unpickles them from two chunks (no pickle memo between them).
    made = [FileAdvice(entry=(("POSTGRES_DB", "".join(["ap", "p"])),)) for _ in range(2)]
    assert made[0] is not made[1]
    there = [pickle.loads(pickle.dumps(advice)) for advice in made]
    assert there[0] == first and there[0] is there[1]
    # One that holds a file's text is not kept: it is its own file's.
    pinned = file_advice("requirements", "requirements.txt", b"numpy==1.21.0\n")
    again = [pickle.loads(pickle.dumps(pinned)) for _ in range(2)]
    assert again[0] == pinned and again[0] is not again[1]


def _parallel_repo(root: Path) -> Path:
    """Enough files that change for a worker process, files that no text test lets through
    (planned before the survey), and files of kinds no migration reads (requirements)."""
    for n in range(70):
        service = root / f"svc{n:02d}"
        service.mkdir(parents=True)
        (service / "Dockerfile").write_text("FROM python:3.10-slim\nRUN python setup.py install\n")
        (service / "requirements.txt").write_text("numpy==1.21.0\n")
        (service / "compose.yml").write_text(
            "services:\n  db:\n    image: postgres:16\n"
            "    volumes: [pgdata:/var/lib/postgresql/data]\n"
            "volumes:\n  pgdata: {}\n"
        )
    return root


def test_with_a_worker_the_hazards_count_reads_only_files_planned_without_advice(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A worker walks for the hazards while the files are planned, making the advice of the
    files of kinds the plan does not read and of those planned before the survey; the workers
    make it for the changed files they plan. At the end, the tree is not walked again, and only
    a file planned unchanged before its process saw a change is read again."""
    repo = _parallel_repo(tmp_path / "repo")
    report = api.apply(
        [str(repo)], api.ApplyOptions(dry_run=True, output_format="json", jobs=2, partial=True)
    )
    (result,) = report.results
    outcomes = list(result.outcomes)
    assert result.ahead is not None and report.hazards > 0
    assert [path for path, _kind, _made in result.ahead.found][:2] == [
        "svc00/requirements.txt",
        "svc01/requirements.txt",
    ]
    assert all(o.advice is not None for o in outcomes if o.status == "changed")
    expected = advise_tree(repo, (), None, _read_again(outcomes), JUMP)
    serial = api.apply(
        [str(repo)], api.ApplyOptions(dry_run=True, output_format="json", jobs=1, partial=True)
    )
    assert serial.results[0].ahead is None and serial.hazards == report.hazards

    read: list[str] = []
    real = advising._advice_of

    def read_again(location: str, kind: str, relative: str) -> FileAdvice | str:
        read.append(relative)
        return real(location, kind, relative)

    monkeypatch.setattr(advising, "_advice_of", read_again)
    monkeypatch.setattr(advising, "walk_advised", None)  # not walked again
    assert advise_tree(repo, (), None, outcomes, JUMP, result.ahead) == expected
    assert set(read) <= {o.path for o in outcomes if o.advice is None}


def test_advice_made_ahead_is_the_advice_made_at_the_end(tmp_path: Path) -> None:
    """In the walk's order, whatever the names (a folder sorts by its name, before a file
    whose name it begins); a link not followed is passed over."""
    repo = _parallel_repo(tmp_path / "repo")
    (repo / "a").mkdir()
    (repo / "a" / "requirements.txt").write_text("numpy==1.21.0\n")
    (repo / "a.b").mkdir()
    (repo / "a.b" / "Dockerfile").write_text("FROM python:3.10\nRUN python setup.py x\n")
    (repo / "a-c" / "k8s").mkdir(parents=True)
    (repo / "a-c" / "Dockerfile").symlink_to(tmp_path / "elsewhere")
    (repo / "a-c" / "requirements.txt").write_bytes(b"numpy==1.21.0\n")
    planned = frozenset({"dockerfile", "compose"})
    plan = [
        Outcome(path, kind, "unchanged", advice=None if path == "svc03/Dockerfile" else NO_ADVICE)
        for path, kind, _made in advising.walk_advised(repo, (), None)
        if kind in planned
    ]
    plan.insert(0, Outcome("a-c/Dockerfile", "dockerfile", "skipped"))
    lacking = frozenset({"svc03/Dockerfile", "svc04/Dockerfile"})
    ahead = advising.advice_ahead(repo, (), None, planned, lacking)
    assert ahead.passed == {"a-c/Dockerfile"}
    assert set(ahead.lacking) == lacking
    assert ahead.lacking["svc03/Dockerfile"] == file_advice(
        "dockerfile", "svc03/Dockerfile", (repo / "svc03" / "Dockerfile").read_bytes()
    )
    walked = list(advising._ahead(plan, ahead))
    paths = [path for path, _kind, _made in walked]
    again = [path for path, _kind, _made in advising.walk_advised(repo, (), None)]
    assert paths == [path for path in again if not path.endswith(".txt") or path in paths]
    assert paths[:3] == ["a/requirements.txt", "a-c/requirements.txt", "a.b/Dockerfile"]
    assert advise_tree(repo, (), None, plan, JUMP, ahead) == advise_tree(repo, (), None, plan, JUMP)


@pytest.mark.parametrize("compose", ['version: "3.8"\n', ""], ids=["changes", "current"])
def test_with_a_worker_a_run_that_moves_no_version_walks_nothing_ahead(
    compose: str, tmp_path: Path
) -> None:
    """A worker walks for the hazards only once a file moves a version: a run that changes
    nothing, or changes only what names no version, counts none."""
    repo = tmp_path / "repo"
    for n in range(70):
        (repo / f"svc{n:02d}").mkdir(parents=True)
        (repo / f"svc{n:02d}" / "compose.yml").write_text(
            compose + "services:\n  db:\n    image: postgres:16\n"
        )
        (repo / f"svc{n:02d}" / "requirements.txt").write_text("numpy==1.21.0\n")
    report = api.apply([str(repo)], api.ApplyOptions(dry_run=True, jobs=2, partial=True))
    (result,) = report.results
    assert report.changed == (70 if compose else 0)
    assert result.ahead is None and report.hazards == 0


def test_the_advice_made_ahead_for_planned_files_goes_to_their_outcomes() -> None:
    advice = file_advice("dockerfile", "a/Dockerfile", b"FROM python:3.10\nRUN python setup.py x\n")
    made = Outcome("b/Dockerfile", "dockerfile", "unchanged", advice=NO_ADVICE)
    outcomes: list[Outcome | None] = [
        Outcome("a/Dockerfile", "dockerfile", "unchanged"),
        Outcome("c/Dockerfile", "dockerfile", "failed"),
        made,
        None,
    ]
    lacking = {"a/Dockerfile": advice, "c/Dockerfile": "cannot read file: gone"}
    lacking["b/Dockerfile"] = FileAdvice(pinned="x")
    ahead = advising.AdviceAhead([], frozenset(), lacking)
    kept = workers._with_lacking(ahead, outcomes)
    assert kept.lacking == {} and kept.found == [] and not kept.passed
    assert outcomes[0] is not None and outcomes[0].advice == advice
    assert outcomes[1] is not None and outcomes[1].advice is None  # read again, to say why
    assert made.advice is NO_ADVICE  # its own advice stands
