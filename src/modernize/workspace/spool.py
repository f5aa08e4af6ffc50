"""The diffs of a run, kept on disk until they are printed.

A dry run prints no diff before every file is planned (one file that fails holds the whole
repository back, and then no diff is shown for any), so a large run's diffs would all be held
in memory at once: a tenth of its memory on a 2,800-service tree. Each one goes to an unnamed
temporary file as its outcome is stored (written some tens of kilobytes at a time), and is
read back, one at a time, as it is printed. The file has no name (the system deletes it when
the run ends, however it ends) and lies in the system's temporary directory, never in the
repository. Where there is none to use, or it fills up, the diffs not written stay in memory,
as they did before: the run is the same, only larger.
"""

from __future__ import annotations

import os
from typing import IO

#: How many bytes of texts are gathered before they are written to the file.
WRITTEN_AT_ONCE = 1 << 16


class Spool:
    """Texts kept one after another in a temporary file, each read back by its place."""

    def __init__(self) -> None:
        self._file: IO[bytes] | None = None
        #: The bytes in the file; the texts after them are ``_pending``, in memory.
        self._written = 0
        self._pending = bytearray()
        #: No file could be made or written: every text from now on stays in memory.
        self._in_memory = False

    def keep(self, text: str) -> Spooled:
        """Keep ``text``: it is read back with ``Spooled.text``."""
        data = text.encode("utf-8", "surrogatepass")
        spooled = Spooled(self, self._written + len(self._pending), len(data))
        self._pending += data
        if len(self._pending) >= WRITTEN_AT_ONCE and not self._in_memory:
            self._write()
        return spooled

    def _write(self) -> None:
        """Write the pending texts to the file (made at the first write). A file that cannot be
        made or written leaves them, and every text kept after them, in memory."""
        try:
            if self._file is None:
                self._file = _unnamed_file()
            self._file.seek(self._written)
            view = memoryview(self._pending)
            while view:
                count = self._file.write(view)
                view = view[count or 0 :]
        except OSError:
            self._in_memory = True
            return
        self._written += len(self._pending)
        self._pending = bytearray()

    def read(self, offset: int, size: int) -> str:
        if offset >= self._written:
            start = offset - self._written
            data = bytes(self._pending[start : start + size])
        else:
            assert self._file is not None
            self._file.seek(offset)
            data = self._file.read(size)
        if len(data) != size:
            raise OSError(f"the run's temporary file lost its diffs ({len(data)} of {size} bytes)")
        return data.decode("utf-8", "surrogatepass")


def _unnamed_file() -> IO[bytes]:
    """An unbuffered temporary file in the system's temporary directory (a write either lands
    or fails there and then); never in the current directory, which ``tempfile`` falls back
    to when no other can be written, and which may be the repository."""
    import tempfile

    directory = tempfile.gettempdir()
    if os.path.realpath(directory) == os.path.realpath(os.getcwd()):
        raise OSError("no temporary directory but the current one")
    return tempfile.TemporaryFile(buffering=0, dir=directory)


class Spooled:
    """A text in a ``Spool``. It stays in the process that kept it: it does not pickle."""

    __slots__ = ("offset", "size", "spool")

    def __init__(self, spool: Spool, offset: int, size: int) -> None:
        self.spool, self.offset, self.size = spool, offset, size

    def text(self) -> str:
        return self.spool.read(self.offset, self.size)

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a spooled text is read where it was kept; send its text instead")
