"""Plain data shared by the engine, the formats and the migrations."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import field
from typing import TYPE_CHECKING, Literal

from modernize.records import record

if TYPE_CHECKING:
    from modernize.advice.advising import FileAdvice
    from modernize.workspace.spool import Spooled

#: A location inside a file's parsed data, e.g. ("services", "db", "image") for YAML
#: or ("instruction", 3) for a Dockerfile. A declared path covers everything below it.
DataPath = tuple[Hashable, ...]

Severity = Literal["note", "warning", "error"]


@record(frozen=True)
class InPlace:
    """The edit rewrites text inside the source of one scalar value at ``path`` (or, for a
    Dockerfile instruction or a file of lines, of one value under ``path``): that value becomes
    its source with the edit applied, and nothing else changes."""

    path: DataPath


@record(frozen=True)
class SetValue:
    """The value at ``path`` becomes ``value``: a string (quoted or not in the source, it
    reads as a string), or a tuple of strings for a list (a Dockerfile instruction's words)."""

    path: DataPath
    value: str | tuple[str, ...]


@record(frozen=True)
class RemoveItem:
    """The list element at ``path`` (its last part is the index) goes; later ones move up."""

    path: DataPath


@record(frozen=True)
class InsertItem:
    """A string ``value`` goes into the list at ``path[:-1]``, before the element that was at
    index ``path[-1]`` (the list's length: at the end)."""

    path: DataPath
    value: str


@record(frozen=True)
class RemoveKey:
    """The mapping key at ``path`` goes, with its value."""

    path: DataPath


@record(frozen=True)
class RenameKey:
    """The mapping key at ``path`` becomes ``new``; its value stays as it is."""

    path: DataPath
    new: str


@record(frozen=True)
class Rewrite:
    """Anything at or under ``path`` may change. Only for Python source, whose data is its
    lines (``("line", n)``); every other kind declares exact operations."""

    path: DataPath


#: What an edit does to the file's data, for the proof to replay on the original data.
Operation = InPlace | SetValue | RemoveItem | InsertItem | RemoveKey | RenameKey | Rewrite


@record(frozen=True)
class Edit:
    """Replace ``text[start:end]`` of the original text with ``replacement``.

    ``declares`` lists the data operations the edit performs (none: it changes no data, as a
    comment edit). The proof applies them to the original file's data and requires the edited
    file to parse to exactly that.
    """

    start: int
    end: int
    replacement: str
    declares: tuple[Operation, ...] = ()
    migration: str = ""
    #: Edits of one group are made together or not at all (a matrix; a step's Python and the
    #: name that states it): when one is held back, so are the others. None: on its own.
    group: int | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid edit span {self.start}..{self.end}")
        for operation in self.declares:
            if not isinstance(operation, Operation):
                raise TypeError(f"an edit declares operations, not {operation!r}")


@record(frozen=True)
class Notice:
    """A warning (or error) about one place in one file. ``offset`` is into the text."""

    offset: int
    message: str
    severity: Severity = "warning"
    migration: str = ""
    #: True when the notice does not mean "still below the standard" (a data-volume reminder,
    #: a value the tool cannot see through). ``verify`` reports the others as errors.
    advisory: bool = False
    #: What the notice is about, for a reader other than a person (``advise`` reads a data
    #: warning's majors, mount and volume here): ``(name, value)`` pairs.
    facts: tuple[tuple[str, str], ...] = ()


@record(frozen=True, slots=True)
class Finding:
    """A notice resolved to a file and 1-based line, ready for reporting."""

    path: str
    line: int
    message: str
    severity: Severity = "warning"
    migration: str = ""
    code: str = ""
    #: The notice's ``facts``.
    facts: tuple[tuple[str, str], ...] = ()


@record(frozen=True, slots=True)
class EditSummary:
    """One applied edit as reported to the user (line numbers in the original file)."""

    migration: str
    line: int
    before: str
    after: str

    def __reduce__(self) -> tuple[object, ...]:
        # The same few edits recur across a monorepo's files: one object for each, in the
        # process that unpickles them as in the one that made them (``sharing.shared``).
        return _shared_summary, (self.migration, self.line, self.before, self.after)


#: ``sharing.shared``, bound when the first edit summary is unpickled: an import statement at
#: each one was most of what unpickling one costs, and ``modernize list`` needs no sharing.
_share: Callable[[EditSummary], EditSummary] | None = None


def _shared_summary(migration: str, line: int, before: str, after: str) -> EditSummary:
    global _share
    if _share is None:
        from modernize.engine.sharing import shared

        _share = shared
    return _share(EditSummary(migration, line, before, after))


@record(slots=True)
class Outcome:
    """What happened to one file; see ``status``."""

    path: str
    kind: str
    status: Literal["changed", "unchanged", "skipped", "failed"]
    original: bytes = b""
    updated: bytes = b""
    findings: tuple[Finding, ...] = ()
    edits: tuple[EditSummary, ...] = ()
    reason: str = ""
    #: (old_start, old_end, new_start, new_end) character offsets into the original and updated
    #: texts (without the BOM), for building the diff without a diff algorithm.
    spans: tuple[tuple[int, int, int, int], ...] = ()
    bom: bool = False
    #: The hunks of the file's diff (``render.run.outcome_hunks``), when the process that
    #: planned it rendered them (a worker does, for a dry run's diff), or where this process
    #: keeps them on disk until they are printed (``repository.run``'s spool); None otherwise.
    hunks: str | Spooled | None = None
    #: Wall-clock time spent on the file (read, migrate, verify, write), for ``--verbose``.
    seconds: float = 0.0
    #: What the file gives the upgrade hazards (``advising.FileAdvice``), as it is on the disk
    #: once the run is done, when the process that planned it made that; None otherwise (the
    #: hazards read the file again). Not compared: made or not, it is the same file.
    advice: FileAdvice | None = field(default=None, compare=False)
