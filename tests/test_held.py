"""A run's outcomes past the bound held in memory go to the spool and come back as they were:
the run prints, writes and reports the same whichever way they were held."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from modernize.advice.advising import NO_ADVICE, FileAdvice
from modernize.engine import held as held_module
from modernize.engine.held import HeldOutcomes, Present, let_go
from modernize.model import EditSummary, Finding, Outcome
from modernize.workspace.spool import Spool, Spooled
from tests.helpers import run_cli, snapshot


def _outcome(number: int) -> Outcome:
    path = f"svc{number}/Dockerfile"
    return Outcome(
        path,
        "dockerfile",
        "changed" if number % 3 else "unchanged",
        findings=(Finding(path, 2, f"warning {number}", "warning", "base-image"),),
        edits=(EditSummary("base-image", 1, "3.10", "3.12"),) if number % 3 else (),
        seconds=number / 1000,
        advice=FileAdvice(pinned=f"numpy=={number}\n") if number % 2 else NO_ADVICE,
    )


def _copy(outcome: Outcome) -> Outcome:
    return pickle.loads(pickle.dumps(outcome))  # type: ignore[no-any-return]


@pytest.fixture
def small_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    """Groups of three outcomes, two groups remembered as read: a walk in order goes back to
    groups it read before."""
    monkeypatch.setattr(held_module, "PICKLED_TOGETHER", 3)
    monkeypatch.setattr(held_module, "GROUPS_READ", 2)


@pytest.mark.usefixtures("small_groups")
def test_outcomes_past_the_bound_come_back_from_the_spool_as_they_were_stored() -> None:
    diffs = Spool()
    held = HeldOutcomes(diffs, most=4)
    for _ in range(20):
        held.append()
    expected: dict[int, Outcome] = {}
    diff_texts: dict[int, str] = {}
    # Stored out of the walk's order, as the workers' chunks come back; some places stay empty.
    for index in [19, 0, 7, 3, 18, 1, 12, 5, 9, 16, 2, 11, 14]:
        outcome = _outcome(index)
        if outcome.status == "changed":
            diff_texts[index] = outcome.hunks = f"@@ -1 +1 @@\n-{index}\n+{index + 1}\n"
        expected[index] = _copy(outcome)
        held[index] = outcome
    assert held.spilled
    for index in range(20):
        got = held[index]
        if index not in expected:
            assert got is None
            continue
        assert got is not None
        if index in diff_texts:
            assert isinstance(got.hunks, Spooled) and got.hunks.text() == diff_texts[index]
            got.hunks = expected[index].hunks  # kept where it was made; the rest as it was
        else:
            assert got.hunks is None
        assert got == expected[index]
        assert got.advice == expected[index].advice
    assert [o.path for o in held if o is not None] == [expected[i].path for i in sorted(expected)]
    assert bytes(held.statuses) == bytes(
        held_module.STATUS_CODES[expected[i].status] if i in expected else 0 for i in range(20)
    )
    # The no-advice value is the one value it is, read back too.
    assert all(o.advice is NO_ADVICE for o in held if o is not None and o.advice == NO_ADVICE)


@pytest.mark.usefixtures("small_groups")
def test_an_outcome_read_back_is_a_copy_and_stored_again_when_it_changes() -> None:
    held = HeldOutcomes(most=2)
    for index in range(8):
        held.append(_outcome(index))
    assert held.spilled
    first = held[1]
    assert first is not None
    first.status = "failed"
    assert held[1] is not None and held[1].status == "changed"  # changed, not stored
    held[1] = first
    assert held[1] is not None and held[1].status == "failed"
    assert held.statuses[1] == held_module.STATUS_CODES["failed"]


@pytest.mark.usefixtures("small_groups")
def test_the_outcomes_present_are_a_sequence_and_go_to_another_process_as_a_list() -> None:
    diffs = Spool()
    held = HeldOutcomes(diffs, most=3)
    for index in range(10):
        outcome = _outcome(index)
        outcome.original = outcome.updated = b"FROM python:3.10\n"
        if outcome.status == "changed":
            outcome.hunks = "@@ -1 +1 @@\n"
        held.append(outcome if index != 4 else None)
    present = held.present()
    assert isinstance(present, Present) and len(present) == 9
    paths = [f"svc{n}/Dockerfile" for n in range(10) if n != 4]
    assert [o.path for o in present] == paths
    assert present[4].path == "svc5/Dockerfile" and present[-1].path == "svc9/Dockerfile"
    assert [o.path for o in present[2:4]] == paths[2:4]
    # Once rendered, what is read back lets go of what the rendering let go of.
    present.rendered(True)
    read = list(present)
    assert all(not o.original and not o.updated for o in read if o.hunks is not None)
    assert [o.hunks is not None for o in read] == [o.status == "changed" for o in read]
    # As a batch's repository is rendered: those held let go here, those spooled when read.
    for outcome in present:
        let_go(outcome, False)
    present.rendered(False)
    sent = pickle.loads(pickle.dumps(present))
    assert isinstance(sent, list) and [o.path for o in sent] == paths
    assert all(o.hunks is None and not o.original for o in sent)


def test_a_run_that_holds_every_outcome_gets_a_list() -> None:
    held = HeldOutcomes(most=100)
    for index in range(10):
        held.append(_outcome(index) if index % 2 else None)
    assert not held.spilled
    present = held.present()
    assert isinstance(present, list) and len(present) == 5


def _repo(root: Path, failing: bool = False) -> Path:
    files = {f"svc{n:02d}/Dockerfile": "FROM python:3.10-slim\n" for n in range(90)}
    files.update({f"svc{n:02d}/requirements.txt": "requests==2.31.0\n" for n in range(0, 90, 3)})
    files["with bom/Dockerfile"] = "\ufeffFROM python:3.10\r\nRUN true\r\n"
    files["db/docker-compose.yml"] = (
        "version: '3.8'\nservices:\n  db:\n    image: postgres:14\n    volumes:\n"
        "      - pgdata:/var/lib/postgresql/data\nvolumes:\n  pgdata: {}\n"
    )
    files["pyproject.toml"] = '[project]\nname = "x"\nrequires-python = ">=3.10"\n'
    if failing:
        files["svc45/compose.yaml"] = "services: {db: {image: postgres:14}}\nservices: {}\n"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return root


@pytest.mark.usefixtures("small_groups")
@pytest.mark.parametrize("failing", [False, True], ids=["passing", "one-file-fails"])
@pytest.mark.parametrize(
    "args",
    [
        ["apply", "--dry-run"],
        ["apply", "--dry-run", "-j", "2"],
        ["apply", "--dry-run", "--format", "json"],
        ["apply", "--dry-run", "--report", "-"],
        ["apply"],
        ["apply", "-j", "2", "--partial"],
    ],
    ids=lambda args: " ".join(args[1:]) or "write",
)
def test_a_run_is_the_same_whether_its_outcomes_were_held_or_spooled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], failing: bool
) -> None:
    held_repo = _repo(tmp_path / "held", failing)
    spooled_repo = tmp_path / "spooled"
    shutil.copytree(held_repo, spooled_repo)
    held = run_cli(args, held_repo)
    spills: list[int] = []
    real_spill = HeldOutcomes._spill

    def spill(self: HeldOutcomes) -> None:
        spills.append(len(self))
        real_spill(self)

    monkeypatch.setattr(HeldOutcomes, "_spill", spill)
    monkeypatch.setattr(held_module, "HELD_AT_MOST", 5)
    spooled = run_cli(args, spooled_repo)
    assert spills  # the run did hold its outcomes on disk
    assert held.exit_code in (0, 1, 2)
    assert (spooled.exit_code, spooled.stdout, spooled.stderr) == (
        held.exit_code,
        held.stdout,
        held.stderr,
    )
    assert snapshot(spooled_repo) == snapshot(held_repo)
    if failing and args == ["apply"]:
        assert "not written: svc45/compose.yaml failed" in held.stderr
        assert snapshot(held_repo) == snapshot(_repo(tmp_path / "fresh", failing))


def test_outcomes_that_cannot_be_read_back_before_any_write_stop_the_run_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    repo = _repo(tmp_path / "repo")
    before = snapshot(repo)
    real_read = Spool.read_bytes
    reads: list[int] = []

    def read_bytes(spool: Spool, offset: int, size: int) -> bytes:
        reads.append(offset)
        if len(reads) > 3:  # the disk loses the file midway
            raise spool._lost("Input/output error")
        return real_read(spool, offset, size)

    monkeypatch.setattr(held_module, "HELD_AT_MOST", 5)
    monkeypatch.setattr(held_module, "PICKLED_TOGETHER", 2)
    monkeypatch.setattr(Spool, "read_bytes", read_bytes)
    result = run_cli(["apply", "-j", "1"], repo)  # one process: the first reads are the writes'
    assert result.exit_code == 2
    assert "cannot read the files' outcomes back from the run's temporary file" in result.stderr
    assert "nothing was written" in result.stderr
    assert snapshot(repo) == before


@pytest.mark.parametrize("when", ["midway", "after"])
def test_outcomes_lost_once_files_are_written_say_how_many_were(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    """The spool's file can still fail after the check made before the writes (the write reads
    each outcome again, and the printing after it): the error says what was written."""
    from modernize.engine import repository
    from modernize.workspace import spool as spool_module

    repo = _repo(tmp_path / "repo")
    before = snapshot(repo)
    written: list[Path] = []
    real_write = repository.write_outcome
    real_read = Spool.read_bytes

    def write_outcome(outcome: Outcome, path: Path) -> None:
        written.append(path)
        real_write(outcome, path)

    def read_bytes(spool: Spool, offset: int, size: int) -> bytes:
        lost = written if when == "midway" else len(written) == 93
        if lost and spool._holding == "the files' outcomes":
            raise spool._lost("Input/output error")
        return real_read(spool, offset, size)

    monkeypatch.setattr(held_module, "HELD_AT_MOST", 5)
    monkeypatch.setattr(held_module, "GROUPS_READ", 1)  # each read goes to the file
    monkeypatch.setattr(spool_module, "READ_AT_ONCE", 1)
    monkeypatch.setattr(repository, "write_outcome", write_outcome)
    monkeypatch.setattr(Spool, "read_bytes", read_bytes)
    result = run_cli(["apply", "-j", "1"], repo)
    changed = [path for path, data in snapshot(repo).items() if before.get(path) != data]
    assert result.exit_code == 2
    assert "nothing was written" not in result.stderr
    said = f"{len(changed)} of the 93 changed files were written, the others not"
    if when == "after":
        assert len(changed) == 93
        said = "the 93 changed files were written"
    assert "cannot read the files' outcomes back from the run's temporary file " in result.stderr
    assert f"(Input/output error); {said}: run again" in result.stderr


def _with_bytes(held: HeldOutcomes, count: int, twice: bool = False) -> None:
    """``count`` outcomes of 4,000 bytes each into ``held``; with ``twice``, each stored again
    (as a write held back stores it)."""
    for index in range(count):
        held.append()
        outcome = _outcome(index)
        outcome.original, outcome.updated = b"a" * 2_000, b"b" * 2_000
        held[index] = outcome
        if twice:
            held[index] = outcome


def test_outcomes_that_hold_many_bytes_go_to_the_spool_sooner() -> None:
    """A run that writes keeps each changed file's bytes in its outcome: past a bound of bytes
    the outcomes go to the spool however few they are, and come back with their bytes; one
    stored again counts once."""
    held = HeldOutcomes(most=100, most_bytes=10_000)
    _with_bytes(held, 7)
    assert held.spilled  # each third outcome took it past 10,000 bytes
    assert list(held._held) == [6]  # the one since the last spill: 4,000 bytes
    first = held[0]
    assert first is not None and (first.original, first.updated) == (b"a" * 2_000, b"b" * 2_000)
    again = HeldOutcomes(most=100, most_bytes=10_000)
    _with_bytes(again, 2, twice=True)
    assert not again.spilled and again._held_bytes == 8_000
    unchanged = HeldOutcomes(most=100, most_bytes=10_000)
    for index in range(50):
        unchanged.append(_outcome(index))  # no bytes held: never spilled
    assert not unchanged.spilled
