"""The diffs of a run, kept on disk until they are printed.

A dry run prints no diff before every file is planned (one file that fails holds the whole
repository back, and then no diff is shown for any), so a large run's diffs would all be held
in memory at once: a tenth of its memory on a 2,800-service tree. Each one is written to an
unnamed temporary file as its outcome is stored, and read back, one at a time, as it is
printed. The file has no name (the system deletes it when the run ends, however it ends) and
lies outside the repository.
"""

from __future__ import annotations

from typing import IO


class Spool:
    """Texts written one after another to a temporary file, each read back by its place."""

    def __init__(self) -> None:
        self._file: IO[bytes] | None = None
        self._end = 0
        #: Whether the file's position is at its end (no text was read since the last write):
        #: texts are written one after another, buffered, without a seek each.
        self._at_end = True

    def keep(self, text: str) -> Spooled:
        """Write ``text`` to the spool: it is read back with ``Spooled.text``."""
        if self._file is None:
            import tempfile

            self._file = tempfile.TemporaryFile()  # noqa: SIM115 (open as long as the spool)
        elif not self._at_end:
            self._file.seek(self._end)
            self._at_end = True
        data = text.encode("utf-8", "surrogatepass")
        self._file.write(data)
        spooled = Spooled(self, self._end, len(data))
        self._end += len(data)
        return spooled

    def read(self, offset: int, size: int) -> str:
        assert self._file is not None
        self._at_end = False
        self._file.seek(offset)
        data = self._file.read(size)
        if len(data) != size:
            raise OSError(f"the run's temporary file lost its diffs ({len(data)} of {size} bytes)")
        return data.decode("utf-8", "surrogatepass")


class Spooled:
    """A text in a ``Spool``. It stays in the process that wrote it: it does not pickle."""

    __slots__ = ("offset", "size", "spool")

    def __init__(self, spool: Spool, offset: int, size: int) -> None:
        self.spool, self.offset, self.size = spool, offset, size

    def text(self) -> str:
        return self.spool.read(self.offset, self.size)

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a spooled text is read where it was written; send its text instead")
