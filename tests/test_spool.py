"""A dry run keeps each diff on disk from when its file is planned until it is printed, and
prints the same bytes as when it held them all."""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path

import pytest

from modernize import cli
from modernize.engine import repository
from modernize.engine.held import HeldOutcomes
from modernize.workspace import spool as spool_module
from modernize.workspace.spool import Spool
from tests.helpers import run_cli

_TEXTS = [
    "@@ -1 +1 @@\n-FROM python:3.10\n+FROM python:3.12\n",
    "\ufeffFROM python:3.12\r\nRUN true\r\n",
    "é, ü, 中, \U0001f40d\n",
    "\\ No newline at end of file\n",
    "\ud800 a lone surrogate",
    "",
]


@pytest.fixture
def written_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every text kept is written to the file at once."""
    monkeypatch.setattr(spool_module, "WRITTEN_AT_ONCE", 1)


@pytest.mark.parametrize("at_once", [True, False], ids=["written", "gathered"])
def test_a_spool_gives_back_each_text_as_it_was_kept(
    monkeypatch: pytest.MonkeyPatch, at_once: bool
) -> None:
    if at_once:
        monkeypatch.setattr(spool_module, "WRITTEN_AT_ONCE", 1)
    spool = Spool()
    kept = [spool.keep(text) for text in _TEXTS]
    assert [spooled.text() for spooled in reversed(kept)] == _TEXTS[::-1]
    assert [spooled.text() for spooled in kept] == _TEXTS
    assert (spool._file is not None) is at_once


@pytest.mark.usefixtures("written_at_once")
def test_texts_kept_after_others_were_read_back_are_kept_whole() -> None:
    spool = Spool()
    first = spool.keep("one\n")
    assert first.text() == "one\n"
    second = spool.keep("two\n")
    assert (second.text(), first.text()) == ("two\n", "one\n")  # read last: not at the end
    third = spool.keep("three\n")
    assert [s.text() for s in (third, second, first)] == ["three\n", "two\n", "one\n"]


class _FailingFile:
    """A file that takes ``room`` bytes, a few at a time, then has no space left."""

    def __init__(self, room: int) -> None:
        self.data = bytearray()
        self.room = room
        self.position = 0

    def seek(self, position: int) -> None:
        self.position = position

    def write(self, data: memoryview) -> int:
        if len(self.data) >= self.room:
            raise OSError(28, "No space left on device")
        taken = bytes(data[:3])  # a short write: the spool writes the rest after it
        self.data[self.position : self.position + len(taken)] = taken
        self.position += len(taken)
        return len(taken)

    def read(self, size: int) -> bytes:
        return bytes(self.data[self.position : self.position + size])

    def close(self) -> None:
        pass


def _over_failing_file(monkeypatch: pytest.MonkeyPatch, room: int) -> tuple[Spool, _FailingFile]:
    file = _FailingFile(room)
    monkeypatch.setattr(spool_module, "_unnamed_file", lambda: file)
    return Spool(), file


@pytest.mark.usefixtures("written_at_once")
def test_a_file_that_fills_up_leaves_the_texts_after_it_in_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spool, _file = _over_failing_file(monkeypatch, room=100)
    kept = [spool.keep(text) for text in _TEXTS * 3]
    assert 0 < spool._written < 100 and spool._in_memory
    assert [spooled.text() for spooled in kept] == _TEXTS * 3


@pytest.mark.usefixtures("written_at_once")
def test_without_a_temporary_directory_the_texts_stay_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    spool = Spool()
    kept = [spool.keep(text) for text in _TEXTS]
    assert spool._in_memory and spool._file is None
    assert [spooled.text() for spooled in kept] == _TEXTS


@pytest.mark.usefixtures("written_at_once")
def test_the_current_directory_is_never_the_spool_s(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``tempfile`` falls back to the current directory (the repository, often) when no other
    can be written: the texts stay in memory instead."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    opened: list[object] = []
    monkeypatch.setattr(tempfile, "TemporaryFile", lambda *a, **k: opened.append(a))
    spool = Spool()
    assert spool.keep("@@ -1 +1 @@\n").text() == "@@ -1 +1 @@\n"
    assert spool._in_memory and opened == []


@pytest.mark.usefixtures("written_at_once")
def test_the_current_directory_is_the_spool_s_when_the_environment_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    spool = Spool()
    assert spool.keep("@@ -1 +1 @@\n").text() == "@@ -1 +1 @@\n"
    assert spool._file is not None and not spool._in_memory


@pytest.mark.usefixtures("written_at_once")
def test_a_spool_let_go_of_closes_its_file_without_a_warning() -> None:
    import gc
    import warnings

    spool = Spool()
    spool.keep("@@ -1 +1 @@\n")
    file = spool._file
    assert file is not None and not file.closed
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        del spool
        gc.collect()
    assert file.closed


@pytest.mark.usefixtures("written_at_once")
def test_a_diff_that_cannot_be_read_back_is_the_run_s_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from modernize.errors import ModernizeError

    spool, file = _over_failing_file(monkeypatch, room=1000)
    kept = spool.keep("@@ -1 +1 @@\n-a\n+b\n")
    del file.data[4:]  # the disk gave back less than was written
    lost = r"cannot read the diffs back .*\(4 of 18 bytes came back\)"
    with pytest.raises(ModernizeError, match=lost):
        kept.text()


def test_a_spooled_text_is_not_sent_to_another_process() -> None:
    spooled = Spool().keep("@@ -1 +1 @@\n")
    with pytest.raises(TypeError, match="send its text instead"):
        pickle.dumps(spooled)


@pytest.mark.skipif(os.name != "posix", reason="an unnamed temporary file is POSIX's")
@pytest.mark.usefixtures("written_at_once")
def test_a_spool_leaves_no_named_file_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    spool = Spool()
    assert list(tmp_path.iterdir()) == []
    spool.keep("@@ -1 +1 @@\n")
    assert spool._file is not None
    assert list(tmp_path.iterdir()) == []


def _repo(root: Path) -> Path:
    files = {f"svc{n:02d}/Dockerfile": "FROM python:3.10-slim\n" for n in range(150)}
    files["with bom/Dockerfile"] = "\ufeffFROM python:3.10\r\nRUN true\r\n"
    files["last/Dockerfile"] = "# base\nFROM python:3.10"
    files["db/docker-compose.yml"] = (
        "services:\n  db:\n    image: postgres:14\n    volumes:\n"
        "      - pgdata:/var/lib/postgresql/data\nvolumes:\n  pgdata: {}\n"
    )
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return root


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_dry_run_prints_the_diffs_it_kept_on_disk_as_it_would_have_from_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    repo = _repo(tmp_path)
    kept: list[str] = []
    real_keep = Spool.keep

    def keep(spool: Spool, text: str) -> object:
        kept.append(text)
        return real_keep(spool, text)

    monkeypatch.setattr(Spool, "keep", keep)
    spooled = run_cli(["apply", "--dry-run", "-j", jobs], repo)
    # Every changed file's hunks, from this process or a worker, went to the spool.
    assert len(kept) == 153
    assert spooled.exit_code == 1
    assert spooled.stdout.count("+FROM python:3.12-slim\n") == 150
    assert "--- a/with bom/Dockerfile\t\n" in spooled.stdout
    assert "+FROM python:3.12\n\\ No newline at end of file\n" in spooled.stdout
    assert "pg_upgrade" in spooled.stderr

    monkeypatch.setattr(repository, "HeldOutcomes", lambda _spool: HeldOutcomes(None))
    held = run_cli(["apply", "--dry-run", "-j", jobs], repo)
    assert len(kept) == 153
    assert (spooled.exit_code, spooled.stdout, spooled.stderr) == (
        held.exit_code,
        held.stdout,
        held.stderr,
    )


def test_the_diffs_are_printed_a_bounded_amount_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(tmp_path)
    whole = run_cli(["apply", "--dry-run"], repo)
    printed: list[int] = []
    real_echo = cli._echo_diffs

    def echo(diffs: list[str], colour: bool) -> None:
        if diffs:
            printed.append(sum(len(diff) for diff in diffs))
        real_echo(diffs, colour)

    monkeypatch.setattr(cli, "_echo_diffs", echo)
    monkeypatch.setattr(cli, "_PRINTED_AT_ONCE", 500)
    bounded = run_cli(["apply", "--dry-run"], repo)
    assert (bounded.exit_code, bounded.stdout, bounded.stderr) == (
        whole.exit_code,
        whole.stdout,
        whole.stderr,
    )
    assert len(printed) > 5
    longest_diff = max(len(part) for part in whole.stdout.split("--- a/"))
    assert max(printed) < 500 + longest_diff + 50
    assert sum(printed) == len(whole.stdout)


def test_a_batch_sends_each_repository_s_diffs_as_text(tmp_path: Path) -> None:
    """A batch's repositories run in workers and come back whole: nothing is spooled there,
    and the diffs print the same as a run of the repository alone (under its section line)."""
    one = _repo(tmp_path / "one")
    two = _repo(tmp_path / "two")
    alone = run_cli(["apply", "--dry-run", "."], one)
    batch = run_cli(["apply", "--dry-run", "-j", "2", str(one), str(two)], tmp_path)
    assert batch.exit_code == 1
    assert batch.stdout.count(alone.stdout) == 2


@pytest.mark.usefixtures("written_at_once")
def test_the_files_a_hook_names_share_one_spool_and_each_diff_is_read_back_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from modernize.workspace.spool import Spooled

    repo = _repo(tmp_path)
    named = [f"svc{n:02d}/Dockerfile" for n in range(40)]
    opened: list[object] = []
    real_file = tempfile.TemporaryFile

    def temporary_file(*args: object, **kwargs: object) -> object:
        opened.append(args)
        return real_file(*args, **kwargs)  # type: ignore[call-overload]

    read: list[int] = []
    real_text = Spooled.text

    def text(spooled: Spooled) -> str:
        read.append(spooled.offset)
        return real_text(spooled)

    monkeypatch.setattr(tempfile, "TemporaryFile", temporary_file)
    monkeypatch.setattr(Spooled, "text", text)
    result = run_cli(["apply", "--dry-run", *named], repo)
    assert result.exit_code == 1
    assert result.stdout.count("+FROM python:3.12-slim\n") == 40
    assert len(opened) == 1
    assert len(read) == len(set(read)) == 40


@pytest.mark.usefixtures("written_at_once")
def test_a_dry_run_without_a_temporary_directory_prints_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(tmp_path / "repo")
    spooled = run_cli(["apply", "--dry-run"], repo)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    held = run_cli(["apply", "--dry-run"], repo)
    assert held.exit_code == spooled.exit_code == 1
    assert (held.stdout, held.stderr) == (spooled.stdout, spooled.stderr)
