"""The files a walk found that are still to be planned, held as small as they can be.

Most files of a stale tree wait for the survey, which needs the whole walk: on a tree of
90,000 files some 70,000 of them waited, each as a tuple of its place, a ``Candidate`` and
the two path strings it holds, ~330 bytes a file (23 MB). Here a file is its relative path
(the string its outcome keeps anyway), a byte for its kind and its place among the run's
outcomes: ~17 bytes beside that string. Where it is is the walk's root and its relative path,
made again when it is asked for; a candidate that says otherwise (a file named as the root, a
link passed over with a reason) is kept whole. So is the text the walk read of a file for the
survey, until the file is planned.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable

from modernize.workspace.files import Candidate, SourceText

#: A file to plan: its place among the run's outcomes, its candidate, the text read of it.
Task = tuple[int, Candidate, SourceText | None]


class Waiting:
    """The files to plan, in the order they were added; each is asked for by its position
    (``self[position]``) and let go of (``let_go``) once it is planned."""

    def __init__(self, tasks: Iterable[Task] = ()) -> None:
        self._places = array("q")
        self._relatives: list[str] = []
        self._kinds = bytearray()
        self._kind_names: list[str] = []
        self._kind_codes: dict[str, int] = {}
        #: What each location begins with, before the relative path (learnt from the first).
        self._prefix: str | None = None
        #: By position: the candidates not made again from their relative path, and the texts.
        self._whole: dict[int, Candidate] = {}
        self._sources: dict[int, SourceText] = {}
        for task in tasks:
            self.append(*task)

    def append(self, place: int, candidate: Candidate, source: SourceText | None) -> None:
        position = len(self._relatives)
        location, relative = candidate.location, candidate.relative
        if self._prefix is None and relative and location.endswith(relative):
            self._prefix = location[: len(location) - len(relative)]
        if candidate.skip_reason or self._prefix is None or location != self._prefix + relative:
            self._whole[position] = candidate
        code = self._kind_codes.get(candidate.kind)
        if code is None:
            code = self._kind_codes[candidate.kind] = len(self._kind_names)
            self._kind_names.append(candidate.kind)
        self._places.append(place)
        self._relatives.append(relative)
        self._kinds.append(code)
        if source is not None:
            self._sources[position] = source

    def __len__(self) -> int:
        return len(self._relatives)

    def __getitem__(self, position: int) -> Task:
        candidate = self._whole.get(position)
        if candidate is None:
            relative = self._relatives[position]
            assert relative, "a file let go of"
            kind = self._kind_names[self._kinds[position]]
            assert self._prefix is not None
            candidate = Candidate(self._prefix + relative, relative, kind)
        return self._places[position], candidate, self._sources.get(position)

    def place(self, position: int) -> int:
        """Where the file at ``position`` goes among the run's outcomes."""
        return self._places[position]

    def relative(self, position: int) -> str:
        """The relative path of the file at ``position``."""
        return self._relatives[position]

    def kind(self, position: int) -> str:
        return self._kind_names[self._kinds[position]]

    def hand_on(self, position: int) -> None:
        """The file at ``position`` is handed on to be planned elsewhere: its text is no longer
        held here."""
        self._sources.pop(position, None)

    def let_go(self, position: int) -> None:
        """The file at ``position`` is planned: nothing of it is held here any more (its path,
        once its outcome goes to disk, is held by nothing)."""
        self._sources.pop(position, None)
        self._whole.pop(position, None)
        self._relatives[position] = ""

    def only(self, positions: Iterable[int]) -> Waiting:
        """The files at ``positions``, in that order (they share this one's strings)."""
        kept = Waiting()
        kept._kind_names, kept._kind_codes = list(self._kind_names), dict(self._kind_codes)
        kept._prefix = self._prefix
        for at, position in enumerate(positions):
            kept._places.append(self._places[position])
            kept._relatives.append(self._relatives[position])
            kept._kinds.append(self._kinds[position])
            if position in self._whole:
                kept._whole[at] = self._whole[position]
            if position in self._sources:
                kept._sources[at] = self._sources[position]
        return kept

    def clear(self) -> None:
        """Let go of every file."""
        self._places = array("q")
        self._relatives = []
        self._kinds = bytearray()
        self._whole.clear()
        self._sources.clear()
