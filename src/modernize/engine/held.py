"""The outcomes of a run, each in the place of its file in the walk's order, held in memory up
to a bound and past it on disk.

Nothing is written before every file is planned (a file that fails holds the whole repository
back), and nothing is printed before then either, so a run holds every file's outcome until
its end: some half a kilobyte each, 30 MB on a 90,000-file tree, and a run that writes keeps
each changed file's bytes in its outcome too. Past ``HELD_AT_MOST`` outcomes in memory, or
``HELD_BYTES_AT_MOST`` bytes of files and diffs in them, those held are pickled to a ``Spool``
of their own (an unnamed temporary file), in the walk's order and a few dozen to a pickle, and
only where each one lies is kept; each is read back when it is asked for (a copy: what changes
in it is stored again). A smaller run never touches the disk for them. What the end of the run
needs of every file without reading them back (each one's status) is kept beside them.
"""

from __future__ import annotations

import dataclasses
import pickle
from array import array
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, overload

from modernize.model import Outcome
from modernize.workspace.spool import Spool, Spooled

if TYPE_CHECKING:
    from typing import TypeAlias

    #: A run's outcomes by place: ``HeldOutcomes``, or a list (what holds a few files).
    Places: TypeAlias = "HeldOutcomes | list[Outcome | None]"

#: How many outcomes are held in memory before they go to the spool, and how many bytes of
#: files (as read and as migrated, which a run that writes keeps in each changed file's
#: outcome until it is written) and diffs they may hold: 16,384 outcomes of a real run held
#: 30 MB of them.
HELD_AT_MOST = 16384
HELD_BYTES_AT_MOST = 8 << 20

#: How many outcomes go to the spool as one pickle (they share their strings there), and how
#: many such groups are kept as they were read last: the outcomes of one group lie in the
#: walk's order, but between them may lie those of other groups.
PICKLED_TOGETHER = 64
GROUPS_READ = 16

#: Each status, as ``HeldOutcomes.statuses`` holds it (0: no outcome in that place).
STATUS_CODES = {"changed": 1, "unchanged": 2, "skipped": 3, "failed": 4}


class HeldOutcomes:
    """Each place of the walk's order and its outcome, or None (not planned, or nothing to
    plan). Setting an outcome keeps its diff in ``diffs`` (when there is one) and may send
    the outcomes held to the spool; one read back is a copy: an outcome changed after it was
    stored is set again. Unless the held outcomes went to the spool (``spilled``), what is
    read is the object stored."""

    def __init__(
        self, diffs: Spool | None = None, most: int | None = None, most_bytes: int | None = None
    ) -> None:
        #: Where each diff rendered goes as its outcome is stored (none: held in the outcome).
        self._diffs = diffs
        #: Where the outcomes go, made at the first that does: a file of its own, so that
        #: reading the outcomes and their diffs in turn reads each file in order.
        self._spool: Spool | None = None
        self._most = HELD_AT_MOST if most is None else most
        self._most_bytes = HELD_BYTES_AT_MOST if most_bytes is None else most_bytes
        #: The bytes the outcomes in ``_memory`` hold (``_weight``).
        self._held_bytes = 0
        self._memory: list[Outcome | None] = []
        #: Where the group of each outcome sent to the spool lies in it (-1: not sent), and
        #: the outcome's place in the group; each group's size, by where it lies.
        self._offsets = array("q")
        self._within = array("H")
        self._group_sizes: dict[int, int] = {}
        #: The groups read last, by offset, each as its outcomes' fields.
        self._read_groups: dict[int, list[tuple[object, ...]]] = {}
        #: The places whose outcomes are in ``_memory``, each with its weight (``_weight``)
        #: as it was stored.
        self._held: dict[int, int] = {}
        #: Each place's status (``STATUS_CODES``).
        self.statuses = bytearray()
        self.spilled = False
        #: Once the run is rendered, what each outcome read back lets go of (``let_go``):
        #: None, nothing; else whether its diff is still to print.
        self._printing: bool | None = None
        #: What the run has written, for the error of an outcome that cannot be read back.
        self._done = "nothing was written"

    def append(self, outcome: Outcome | None = None) -> None:
        """A place for the next file in the walk's order, with its outcome when it has one."""
        self._memory.append(None)
        self._offsets.append(-1)
        self._within.append(0)
        self.statuses.append(0)
        if outcome is not None:
            self[len(self._memory) - 1] = outcome

    def __len__(self) -> int:
        return len(self._memory)

    def __setitem__(self, index: int, outcome: Outcome) -> None:
        if self._diffs is not None and isinstance(outcome.hunks, str) and outcome.hunks:
            outcome.hunks = self._diffs.keep(outcome.hunks)
        self._memory[index] = outcome
        self._offsets[index] = -1
        self.statuses[index] = STATUS_CODES[outcome.status]
        weight = _weight(outcome)
        self._held_bytes += weight - self._held.get(index, 0)  # stored again: the new weight
        self._held[index] = weight
        if len(self._held) > self._most or self._held_bytes > self._most_bytes:
            self._spill()

    def __getitem__(self, index: int) -> Outcome | None:
        outcome = self._memory[index]
        if outcome is None and self._offsets[index] >= 0:
            return self._read(index)
        return outcome

    def __iter__(self) -> Iterator[Outcome | None]:
        for index in range(len(self._memory)):
            yield self[index]

    def present(self) -> Sequence[Outcome]:
        """The outcomes, in order, without the empty places: a list unless some went to the
        spool (then each is read back as it is asked for)."""
        if not self.spilled:
            return [outcome for outcome in self._memory if outcome is not None]
        places = array("q", (index for index, code in enumerate(self.statuses) if code))
        return Present(self, places)

    def _spill(self) -> None:
        spool = self._spool
        if spool is None:
            spool = self._spool = Spool("the files' outcomes")
            spool.done = self._done
        self.spilled = True
        held = sorted(self._held)  # read back in the walk's order, a group at a time
        for start in range(0, len(held), PICKLED_TOGETHER):
            group = held[start : start + PICKLED_TOGETHER]
            fields = []
            for index in group:
                outcome = self._memory[index]
                assert outcome is not None
                self._memory[index] = None
                fields.append(_fields(outcome))
            # One pickle for the group: the strings its outcomes share are pickled once.
            data = pickle.dumps(fields, pickle.HIGHEST_PROTOCOL)
            offset = spool.keep_bytes(data)
            self._group_sizes[offset] = len(data)
            for within, index in enumerate(group):
                self._offsets[index], self._within[index] = offset, within
        self._held.clear()
        self._held_bytes = 0

    def _read(self, index: int) -> Outcome:
        offset = self._offsets[index]
        group = self._read_groups.get(offset)
        if group is None:
            assert self._spool is not None
            group = pickle.loads(self._spool.read_bytes(offset, self._group_sizes[offset]))
            if len(self._read_groups) >= GROUPS_READ:
                del self._read_groups[next(iter(self._read_groups))]  # the oldest read
            self._read_groups[offset] = group
        fields = list(group[self._within[index]])
        hunks = fields[_HUNKS]
        if isinstance(hunks, tuple):
            assert self._diffs is not None
            fields[_HUNKS] = Spooled(self._diffs, *hunks)
        outcome = Outcome(*fields)
        if self._printing is not None:
            let_go(outcome, self._printing)
        return outcome

    def wrote(self, count: int, total: int) -> None:
        """``count`` of the ``total`` changed files are written (or failed to be)."""
        if count < total:
            self._done = f"{count} of the {total} changed files were written, the others not"
        else:
            self._done = f"the {total} changed files were written"
        if self._spool is not None:
            self._spool.done = self._done

    def rendered(self, diffs: bool) -> None:
        """The run is rendered: each outcome read back from now on lets go of what the
        rendering lets go of in those held (``let_go``)."""
        self._printing = diffs


def _weight(outcome: Outcome) -> int:
    """The bytes of ``outcome``'s files and diff."""
    weight = len(outcome.original)
    if outcome.updated is not outcome.original:
        weight += len(outcome.updated)
    if isinstance(outcome.hunks, str):
        weight += len(outcome.hunks)
    return weight


def _fields(outcome: Outcome) -> tuple[object, ...]:
    """``outcome``'s fields in order, its diff kept in a spool as where it lies there."""
    fields = [getattr(outcome, name) for name in _FIELDS]
    hunks = fields[_HUNKS]
    if isinstance(hunks, Spooled):
        fields[_HUNKS] = (hunks.offset, hunks.size)
    return tuple(fields)


_FIELDS = tuple(field.name for field in dataclasses.fields(Outcome))
_HUNKS = _FIELDS.index("hunks")


def let_go(outcome: Outcome, diffs: bool) -> None:
    """What a rendered run no longer needs of ``outcome``: its bytes and spans (but what
    renders a diff still to print, with ``diffs``, when its hunks are not rendered yet), and
    its hunks unless that diff is still to print. The report and JSON need none of them."""
    to_print = diffs and outcome.status == "changed"
    if not to_print or outcome.hunks is not None:
        outcome.original = outcome.updated = b""
        outcome.spans = ()
    if not to_print:
        outcome.hunks = None


class Present(Sequence["Outcome"]):
    """The outcomes of ``held``'s ``places``, in order, each read back as it is asked for."""

    def __init__(self, held: HeldOutcomes, places: array[int]) -> None:
        self._held, self._places = held, places

    def __len__(self) -> int:
        return len(self._places)

    @overload
    def __getitem__(self, index: int) -> Outcome: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Outcome]: ...
    def __getitem__(self, index: int | slice) -> Outcome | Sequence[Outcome]:
        if isinstance(index, slice):
            return [self[place] for place in range(len(self._places))[index]]
        outcome = self._held[self._places[index]]
        assert outcome is not None
        return outcome

    def __iter__(self) -> Iterator[Outcome]:
        held = self._held
        for place in self._places:
            outcome = held[place]
            assert outcome is not None
            yield outcome

    def rendered(self, diffs: bool) -> None:
        """See ``HeldOutcomes.rendered``."""
        self._held.rendered(diffs)

    def __reduce__(self) -> tuple[object, ...]:
        # Sent to another process (a batch's repository), as the list it stands for.
        return list, (list(self),)
