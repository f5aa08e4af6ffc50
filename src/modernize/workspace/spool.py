"""The diffs of a run, kept on disk until they are printed (and, in a spool of their own, a
large run's outcomes: ``engine.held``).

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
import weakref
from typing import IO

from modernize.errors import ModernizeError

#: How many bytes of texts are gathered before they are written to the file.
WRITTEN_AT_ONCE = 1 << 16

#: How many bytes are read from the file at once, at least.
READ_AT_ONCE = 1 << 18


class Spool:
    """Texts kept one after another in a temporary file, each read back by its place."""

    def __init__(self, holding: str = "the diffs") -> None:
        #: What the texts are, and what the run has written so far, for the error when one
        #: cannot be read back.
        self._holding = holding
        self.done = "nothing was written"
        #: Closed when the spool is let go of (no text of it is left to read).
        self._file: IO[bytes] | None = None
        #: The bytes in the file; the texts after them are ``_pending``, in memory.
        self._written = 0
        self._pending = bytearray()
        #: No file could be made or written: every text from now on stays in memory.
        self._in_memory = False
        #: The file's bytes read last, from ``_window_at``: what is read next is likely there.
        self._window_at = 0
        self._window = b""

    def keep(self, text: str) -> Spooled:
        """Keep ``text``: it is read back with ``Spooled.text``."""
        data = text.encode("utf-8", "surrogatepass")
        return Spooled(self, self.keep_bytes(data), len(data))

    def keep_bytes(self, data: bytes) -> int:
        """Keep ``data``; returns its offset, for ``read_bytes``."""
        offset = self._written + len(self._pending)
        self._pending += data
        if len(self._pending) >= WRITTEN_AT_ONCE and not self._in_memory:
            self._write()
        return offset

    def _write(self) -> None:
        """Write the pending texts to the file (made at the first write). A file that cannot be
        made or written leaves them, and every text kept after them, in memory."""
        try:
            if self._file is None:
                self._file = _unnamed_file()
                weakref.finalize(self, self._file.close)
            self._file.seek(self._written)
            view = memoryview(self._pending)
            while view:
                count = self._file.write(view)
                if not count:
                    raise OSError("the temporary file took none of the bytes")
                view = view[count:]
        except OSError:
            self._in_memory = True
            return
        self._written += len(self._pending)
        self._pending = bytearray()

    def read(self, offset: int, size: int) -> str:
        """The text kept at ``offset``, ``size`` bytes long; a ``ModernizeError`` when the file
        cannot give it back (the run fails, exit 2, rather than print a diff cut short)."""
        return self.read_bytes(offset, size).decode("utf-8", "surrogatepass")

    def read_bytes(self, offset: int, size: int) -> bytes:
        """The bytes kept at ``offset``, ``size`` long (see ``read``). What is read in order
        comes from the file ``READ_AT_ONCE`` bytes at a time."""
        if offset >= self._written:
            start = offset - self._written
            data = bytes(self._pending[start : start + size])
        else:
            start = offset - self._window_at
            if start >= 0 and start + size <= len(self._window):
                return self._window[start : start + size]
            assert self._file is not None
            try:
                self._file.seek(offset)
                read = self._file.read(max(size, READ_AT_ONCE)) or b""
            except OSError as error:
                raise self._lost(error.strerror or str(error)) from error
            self._window_at, self._window = offset, read
            data = read[:size]
        if len(data) != size:
            raise self._lost(f"{len(data)} of {size} bytes came back")
        return data

    def _lost(self, why: str) -> ModernizeError:
        return ModernizeError(
            f"cannot read {self._holding} back from the run's temporary file ({why}); "
            f"{self.done}: run again, or set TMPDIR to another directory"
        )


def _unnamed_file() -> IO[bytes]:
    """An unbuffered temporary file in the system's temporary directory (a write either lands
    or fails there and then); never in the current directory when ``tempfile`` took it as its
    last resort (no other could be written), since it may be the repository. The current
    directory is used when it is a usual temporary directory, or one the environment names."""
    import tempfile

    directory = os.path.realpath(tempfile.gettempdir())
    if directory == os.path.realpath(os.getcwd()):
        named = [os.environ.get(name, "") for name in ("TMPDIR", "TEMP", "TMP")]
        usual = {os.path.realpath(path) for path in (*_USUAL, *named) if path}
        if directory not in usual:
            raise OSError("no temporary directory but the current one")
    return tempfile.TemporaryFile(buffering=0, dir=directory)


#: The temporary directories ``tempfile`` tries after the environment's, on POSIX systems.
_USUAL = ("/tmp", "/var/tmp", "/usr/tmp")


class Spooled:
    """A text in a ``Spool``. It stays in the process that kept it: it does not pickle."""

    __slots__ = ("offset", "size", "spool")

    def __init__(self, spool: Spool, offset: int, size: int) -> None:
        self.spool, self.offset, self.size = spool, offset, size

    def text(self) -> str:
        return self.spool.read(self.offset, self.size)

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a spooled text is read where it was kept; send its text instead")
