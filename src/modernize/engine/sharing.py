"""One object for each equal value an outcome keeps: most of a large run's edits replace the
same few versions (``3.10`` by ``3.12`` in a thousand files) at the same few lines, its
warnings repeat the same few messages, and its files' advice the same few settings.

Each outcome is held until the run prints it, so equal texts made once a file each grew a
large run's memory with every file: 12,000 edit summaries held 26 distinct texts. Each
process that plans files shares them; a worker's chunk pickles a shared object once, so the
chunks cross to the main process smaller, and it holds one copy a chunk; an edit summary and
a file's advice are shared again as they are unpickled, so it holds one copy a run.
"""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")

#: The most distinct values kept of each type: a run whose texts are all different stops
#: sharing them rather than hold each one twice, and values of one type that never repeat
#: (advice with a hit at a different line in each file) leave the others room.
MOST_SHARED = 4096

#: The values kept, by their type.
_shared: dict[type, dict[object, object]] = {}


def shared(value: T) -> T:
    """``value``, or the equal value of its type this process was given first (a string, a
    tuple of strings and tuples, a frozen record); a value that cannot be hashed is kept as
    it is."""
    table = _shared.get(type(value))
    if table is None:
        table = _shared[type(value)] = {}
    try:
        kept = table.get(value)
    except TypeError:
        return value
    if kept is not None:
        return kept  # type: ignore[return-value]
    if len(table) < MOST_SHARED:
        table[value] = value
    return value
