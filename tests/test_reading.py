"""reading.read_regular_file: regular files only, never more than the limit."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from modernize.workspace import reading
from modernize.workspace.reading import NotRegularFile, TooLarge, read_regular_file


def test_a_regular_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 3000)
    assert read_regular_file(path, 3000) == b"x" * 3000


def test_a_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 11)
    with pytest.raises(TooLarge, match="larger than 10 bytes"):
        read_regular_file(path, 10)


def test_a_file_that_grows_past_the_limit_while_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """fstat said small; the reads say otherwise: the bytes read decide."""
    path = tmp_path / "f"
    path.write_bytes(b"x" * 5)
    real_fstat = os.fstat

    def grown(descriptor: int) -> os.stat_result:
        info = real_fstat(descriptor)
        path.write_bytes(b"x" * 50)
        return info

    monkeypatch.setattr(reading.os, "fstat", grown)
    with pytest.raises(TooLarge):
        read_regular_file(path, 10)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []
    reader = threading.Thread(
        target=lambda: outcome.append(_raised(lambda: read_regular_file(fifo))), daemon=True
    )
    reader.start()
    reader.join(timeout=10)
    if reader.is_alive():  # unblock the reader before failing
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("reading a FIFO waited for a writer")
    assert isinstance(outcome[0], NotRegularFile)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_file_swapped_for_a_fifo_after_the_check_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The open file is checked again: a swap between the check and the open still fails,
    and the non-blocking open does not wait for a writer meanwhile."""
    path = tmp_path / "f"
    path.write_bytes(b"x")
    real_open = os.open

    def swapped(name: str, flags: int) -> int:
        os.unlink(name)
        os.mkfifo(name)
        return real_open(name, flags)

    monkeypatch.setattr(reading.os, "open", swapped)
    with pytest.raises(NotRegularFile):
        read_regular_file(path)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_a_device_or_a_link_to_one_is_refused(tmp_path: Path, device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    (tmp_path / "link").symlink_to(device)
    for path in (Path(device), tmp_path / "link"):
        with pytest.raises(NotRegularFile):
            read_regular_file(path)


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NotRegularFile):
        read_regular_file(tmp_path)


def test_a_missing_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_regular_file(tmp_path / "missing")


def _raised(call: Callable[[], object]) -> BaseException:
    try:
        call()
    except BaseException as error:
        return error
    return AssertionError("nothing raised")


@pytest.mark.parametrize("size", [0, 300, 4096, 70_000, 1024 * 1024 + 10])
def test_a_file_is_read_asking_for_what_it_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    """A read allocates the bytes it asks for: a small file is not read with a megabyte asked
    for, twice; a file read whole takes its size and one read more to see its end."""
    data = bytes(range(256)) * (size // 256) + bytes(size % 256)
    path = tmp_path / "file"
    path.write_bytes(data)
    asked: list[int] = []
    real_read = os.read

    def recording(descriptor: int, length: int) -> bytes:
        asked.append(length)
        return real_read(descriptor, length)

    monkeypatch.setattr(reading.os, "read", recording)
    assert read_regular_file(path) == data
    assert asked[0] == min(size + 1, 1024 * 1024) or (size < 4096 and asked[0] == 4096)
    assert all(length <= max(size + 1, 4096) for length in asked)
    assert len(asked) <= 3
