"""Equal texts of different outcomes are one object: a large run holds every outcome until it
prints, and most of its edits and warnings repeat a few texts."""

from __future__ import annotations

import pickle
import tempfile
from pathlib import Path

import pytest

from modernize.engine import sharing
from modernize.engine.planning import RunOptions, plan_file
from modernize.model import Outcome
from modernize.registry import Context
from modernize.workspace.config import Overrides, resolve
from modernize.workspace.files import Candidate

_COMPOSE = """\
version: "3.8"
services:
  db:
    image: postgres:14
    volumes:
      - pgdata:/var/lib/postgresql/data
volumes:
  pgdata: {}
"""


@pytest.fixture(autouse=True)
def _fresh_sharing(monkeypatch: pytest.MonkeyPatch) -> None:
    # What other tests shared fills the bounded tables; these tests ask for identity.
    monkeypatch.setattr(sharing, "_shared", {})


def _options() -> RunOptions:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / ".git").mkdir()
        resolved = resolve(Path(tmp), Overrides(), tmp)
    return RunOptions(Context(resolved.targets), tuple(resolved.migrations), write=False)


def _planned(root: Path, relative: str, options: RunOptions) -> Outcome:
    return plan_file(Candidate(str(root / relative), relative, "compose"), options)


def test_two_files_with_the_same_edits_and_warnings_hold_one_copy_of_each_text(
    tmp_path: Path,
) -> None:
    options = _options()
    outcomes = []
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        # Each file's text is read on its own: equal slices of it are different objects.
        (tmp_path / name / "compose.yaml").write_text(_COMPOSE)
        relative = f"{name}/compose.yaml"
        outcomes.append(_planned(tmp_path, relative, options))
    first, second = outcomes
    assert first.status == second.status == "changed"
    assert [e.before for e in first.edits] == [e.before for e in second.edits]
    assert len(first.edits) == 2
    for one, other in zip(first.edits, second.edits, strict=True):
        assert one is other  # the same edit at the same line: one summary
    (warning,) = first.findings
    assert "pg_upgrade" in warning.message
    assert warning.message is second.findings[0].message
    assert warning.facts is second.findings[0].facts
    assert warning.path != second.findings[0].path


def test_a_chunk_of_outcomes_pickles_each_shared_text_once(tmp_path: Path) -> None:
    options = _options()
    outcomes = []
    for n in range(20):
        relative = f"svc{n}/compose.yaml"
        (tmp_path / relative).parent.mkdir()
        (tmp_path / relative).write_text(_COMPOSE)
        outcomes.append(_planned(tmp_path, relative, options))
    message = outcomes[0].findings[0].message
    assert pickle.dumps(outcomes).count(message.encode()) == 1


def test_equal_edit_summaries_from_two_chunks_are_one_object_once_unpickled(
    tmp_path: Path,
) -> None:
    options = _options()
    (tmp_path / "compose.yaml").write_text(_COMPOSE)
    planned = _planned(tmp_path, "compose.yaml", options)
    # Two chunks from a worker, each unpickled on its own: no pickle memo between them.
    first, second = (pickle.loads(pickle.dumps(planned)) for _ in range(2))
    assert first == second == planned and first is not second
    assert first.edits and all(a is b for a, b in zip(first.edits, second.edits, strict=True))


def test_sharing_stops_taking_new_values_at_its_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sharing, "_shared", {})
    monkeypatch.setattr(sharing, "MOST_SHARED", 2)
    one = "".join(["3.", "10"])
    assert sharing.shared(one) is one
    assert sharing.shared("".join(["3.", "10"])) is one
    two = "".join(["3.", "12"])
    assert sharing.shared(two) is two
    three = "".join(["3.", "13"])
    assert sharing.shared(three) is three
    again = "".join(["3.", "13"])
    assert sharing.shared(again) is again  # not kept: the bound was reached
    assert len(sharing._shared[str]) == 2
    assert sharing.shared(("old", "14")) == ("old", "14")
    assert len(sharing._shared[tuple]) == 1  # each type has its own room


def test_values_of_one_type_that_never_repeat_leave_the_others_room(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sharing, "_shared", {})
    monkeypatch.setattr(sharing, "MOST_SHARED", 3)
    for line in range(10):
        sharing.shared(("A001", line))
    text = "".join(["3.", "10"])
    assert sharing.shared(text) is text
    assert sharing.shared("".join(["3.", "10"])) is text


def test_a_value_that_cannot_be_hashed_is_kept_as_it_is() -> None:
    facts = [("old", "14")]
    assert sharing.shared(facts) is facts
