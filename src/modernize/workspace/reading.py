"""Read a file whole, only when it is a regular file of bounded size.

Every file modernize reads from a repository goes through ``read_regular_file``: candidates,
ignore files, configuration, the changelog. A repository is untrusted input, and a name can
hold anything: a FIFO (reading it waits for a writer that never comes), a link to
``/dev/zero`` (reading it never ends) or to ``/dev/stdin`` (reading it waits for the user).
The path is checked before it is opened, so a device is never opened at all, and the open file
again (``fstat``), so a file swapped for a FIFO in between is still refused; the open is
non-blocking, so that swap cannot make it wait either.
"""

from __future__ import annotations

import os
import stat

from modernize.errors import NotRegularFile, TooLarge

#: Files larger than this are not read: no infrastructure file is this large.
MAX_FILE_BYTES = 5 * 1024 * 1024

_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
)
_CHUNK = 1024 * 1024
#: The least a read asks for (the one that finds the end, or a file that grew meanwhile).
_LEAST_READ = 4096


def read_regular_file(path: str | os.PathLike[str], limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file at ``path`` (links followed).

    Raises UnsuitableFile when it is not a regular file or holds more than ``limit`` bytes,
    and OSError when it cannot be opened or read."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise NotRegularFile
    descriptor = os.open(path, _FLAGS)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile
        if info.st_size > limit:
            raise TooLarge(limit)
        chunks: list[bytes] = []
        remaining = limit + 1  # one byte more tells a file that grew past the limit
        expected = info.st_size + 1  # what it holds and a byte more: its end, seen at once
        while remaining > 0:
            # A read allocates what it asks for: 1 MiB asked twice per small file was a
            # third of the time it took to read one.
            wanted = max(expected - (limit + 1 - remaining), _LEAST_READ)
            chunk = os.read(descriptor, min(remaining, _CHUNK, wanted))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    finally:
        os.close(descriptor)
    if remaining <= 0:
        raise TooLarge(limit)
    return b"".join(chunks)
