"""The files a walk found that are still to be planned, held as small as they can be.

Most files of a stale tree wait for the survey, which needs the whole walk: on a tree of
90,000 files some 70,000 of them waited, each as a tuple of its place, a ``Candidate`` and
the two path strings it holds, ~330 bytes a file (23 MB). Here a file is its relative path, a
byte for its kind and its place among the run's outcomes. Where it is is the walk's root and
its relative path, made again when it is asked for; a candidate that says otherwise (a file
named as the root, a link passed over with a reason) is kept whole.

Past ``PATHS_HELD_AT_MOST`` files, the relative paths are packed ``PACKED_TOGETHER`` to a
compressed string (a tree's paths share most of their characters: ~4 bytes a path instead of
~80), unpacked again a group at a time as they are asked for. The texts the walk read for the
survey are held until their file is planned, up to ``TEXTS_HELD_AT_MOST`` bytes; the others
wait in a ``Spool`` (a temporary file) and are read back when their file is asked for: the
same text, never the file read again.
"""

from __future__ import annotations

import bisect
import sys
import zlib
from array import array
from collections.abc import Iterable, Sequence
from typing import overload

from modernize.workspace.files import Candidate, SourceText
from modernize.workspace.spool import Spool

#: A file to plan: its place among the run's outcomes, its candidate, the text read of it.
Task = tuple[int, Candidate, SourceText | None]

#: How many files' paths are held as strings before they are packed, how many go to a pack,
#: and how many packs are held unpacked as they were read last (the plan reads them in order
#: from both ends).
PATHS_HELD_AT_MOST = 16384
PACKED_TOGETHER = 256
PACKS_READ = 4

#: How many bytes of the texts read for the survey are held in memory (the rest are spooled).
TEXTS_HELD_AT_MOST = 2_000_000

#: A file's kind byte once it is let go of.
_LET_GO = 255


class Waiting:
    """The files to plan, in the order they were added; each is asked for by its position
    (``self[position]``) and let go of (``let_go``) once it is planned."""

    def __init__(self, tasks: Iterable[Task] = ()) -> None:
        self._places = array("q")
        self._kinds = bytearray()
        self._kind_names: list[str] = []
        self._kind_codes: dict[str, int] = {}
        self._relatives = PackedPaths()
        #: What each location begins with, before the relative path (learnt from the first).
        self._prefix: str | None = None
        #: By position: the candidates not made again from their relative path, and the texts
        #: held.
        self._whole: dict[int, Candidate] = {}
        self._sources: dict[int, SourceText] = {}
        self._texts_held = 0
        #: The texts spooled: the positions of their files, in order, where each lies in
        #: ``_spool``, its size (-1 once let go of) and whether the file began with a BOM.
        self._spooled_at = array("q")
        self._spooled_offsets = array("q")
        self._spooled_sizes = array("q")
        self._spooled_boms = bytearray()
        self._spool: Spool | None = None
        for task in tasks:
            self.append(*task)

    def append(self, place: int, candidate: Candidate, source: SourceText | None) -> None:
        position = len(self._kinds)
        location, relative = candidate.location, candidate.relative
        if self._prefix is None and relative and location.endswith(relative):
            self._prefix = location[: len(location) - len(relative)]
        if candidate.skip_reason or self._prefix is None or location != self._prefix + relative:
            self._whole[position] = candidate
        code = self._kind_codes.get(candidate.kind)
        if code is None:
            code = self._kind_codes[candidate.kind] = len(self._kind_names)
            assert code < _LET_GO, "more kinds than a byte holds"
            self._kind_names.append(candidate.kind)
        self._places.append(place)
        self._kinds.append(code)
        self._relatives.append(relative)
        if source is not None:
            self._keep(position, source)

    def _keep(self, position: int, source: SourceText) -> None:
        size = sys.getsizeof(source.text)
        if self._texts_held + size <= TEXTS_HELD_AT_MOST:
            self._sources[position] = source
            self._texts_held += size
            return
        if self._spool is None:
            self._spool = Spool("the texts read for the survey")
        spooled = self._spool.keep(source.text)
        self._spooled_at.append(position)
        self._spooled_offsets.append(spooled.offset)
        self._spooled_sizes.append(spooled.size)
        self._spooled_boms.append(source.bom)

    def __len__(self) -> int:
        return len(self._kinds)

    def __getitem__(self, position: int) -> Task:
        return self._places[position], self.candidate(position), self._source(position)

    def candidate(self, position: int) -> Candidate:
        """The candidate of the file at ``position`` (its text is not read back)."""
        candidate = self._whole.get(position)
        if candidate is None:
            relative = self.relative(position)
            assert relative, "a file let go of"
            kind = self._kind_names[self._kinds[position]]
            assert self._prefix is not None
            candidate = Candidate(self._prefix + relative, relative, kind)
        return candidate

    def _source(self, position: int) -> SourceText | None:
        source = self._sources.get(position)
        if source is not None:
            return source
        at = self._spooled_index(position)
        if at < 0:
            return None
        assert self._spool is not None
        text = self._spool.read(self._spooled_offsets[at], self._spooled_sizes[at])
        return SourceText(text, bool(self._spooled_boms[at]))

    def _spooled_index(self, position: int) -> int:
        """Where the spooled text of the file at ``position`` is in the ``_spooled`` arrays, or
        -1 when it has none (or no longer)."""
        at = bisect.bisect_left(self._spooled_at, position)
        if at < len(self._spooled_at) and self._spooled_at[at] == position:
            return at if self._spooled_sizes[at] >= 0 else -1
        return -1

    def place(self, position: int) -> int:
        """Where the file at ``position`` goes among the run's outcomes."""
        return self._places[position]

    def relative(self, position: int) -> str:
        """The relative path of the file at ``position`` ("" once it is let go of)."""
        return "" if self._kinds[position] == _LET_GO else self._relatives[position]

    def kind(self, position: int) -> str:
        return self._kind_names[self._kinds[position]]

    def hand_on(self, position: int) -> None:
        """The file at ``position`` is handed on to be planned elsewhere: its text is no longer
        held here."""
        source = self._sources.pop(position, None)
        if source is not None:
            self._texts_held -= sys.getsizeof(source.text)
        elif self._spooled_at:
            at = self._spooled_index(position)
            if at >= 0:
                self._spooled_sizes[at] = -1

    def let_go(self, position: int) -> None:
        """The file at ``position`` is planned: nothing of it is held here any more (its path,
        once its outcome goes to disk, is held by nothing)."""
        self.hand_on(position)
        self._whole.pop(position, None)
        kind = self._kinds[position]
        if kind == _LET_GO:
            return
        self._kinds[position] = _LET_GO
        self._relatives.forget(position)

    def only(self, positions: Iterable[int]) -> Waiting:
        """The files at ``positions``, in that order (their texts read back, if spooled, and
        spooled again as they are added)."""
        kept = Waiting()
        for position in positions:
            place, candidate, source = self[position]
            kept.append(place, candidate, source)
        return kept

    def clear(self) -> None:
        """Let go of every file."""
        self._places = array("q")
        self._kinds = bytearray()
        self._relatives = PackedPaths()
        self._whole.clear()
        self._sources.clear()
        self._texts_held = 0
        self._spooled_at, self._spooled_offsets = array("q"), array("q")
        self._spooled_sizes, self._spooled_boms = array("q"), bytearray()
        self._spool = None


class PackedPaths(Sequence[str]):
    """Paths in order: strings up to ``PATHS_HELD_AT_MOST`` of them, and past that
    ``PACKED_TOGETHER`` to a group joined by NUL (which no path holds) and compressed, unpacked
    again a group at a time as they are asked for."""

    def __init__(self) -> None:
        self._groups: list[list[str] | bytes] = []
        #: How many groups, from the first, are packed, and the last ones unpacked again.
        self._packed = 0
        self._unpacked: dict[int, list[str]] = {}
        self._count = 0

    def append(self, path: str) -> None:
        groups = self._groups
        if not groups or len(groups[-1]) == PACKED_TOGETHER:
            if self._count >= PATHS_HELD_AT_MOST:
                self._pack()
            groups.append([])
        last = groups[-1]
        assert isinstance(last, list)
        last.append(path)
        self._count += 1

    def _pack(self) -> None:
        """Pack the groups that are whole (each but the one being filled)."""
        for at in range(self._packed, len(self._groups)):
            group = self._groups[at]
            assert isinstance(group, list)
            self._groups[at] = zlib.compress("\0".join(group).encode("utf-8", "surrogatepass"), 1)
        self._packed = len(self._groups)

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[at] for at in range(self._count)[index]]
        if not 0 <= index < self._count:
            raise IndexError(index)
        at, within = divmod(index, PACKED_TOGETHER)
        group = self._groups[at]
        if isinstance(group, list):
            return group[within]
        unpacked = self._unpacked.get(at)
        if unpacked is None:
            text = zlib.decompress(group).decode("utf-8", "surrogatepass")
            if len(self._unpacked) >= PACKS_READ:
                del self._unpacked[next(iter(self._unpacked))]  # the oldest read
            unpacked = self._unpacked[at] = text.split("\0")
        return unpacked[within]

    def forget(self, index: int) -> None:
        """The path at ``index`` is no longer needed: not held as a string of its own (it reads
        "" from now on, or, packed, as it was)."""
        group = self._groups[index // PACKED_TOGETHER]
        if isinstance(group, list):
            group[index % PACKED_TOGETHER] = ""
