"""Edit a YAML list of versions in place: drop the entries below a target, add the target's.

A workflow matrix's ``python-version: ["3.9", "3.10"]`` or its ``- "3.9"`` lines: the entries
below the target go (with every line of an entry that spans lines), the target's entry follows
the last kept one in the list's own quoting, and comments and blank lines between entries stay.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from modernize.authoring import (
    DataPath,
    Document,
    Edit,
    InsertItem,
    Notice,
    Operation,
    RemoveItem,
    line_removals,
    yamldoc,
)


@dataclass(frozen=True)
class VersionList:
    """What a list of versions is moved by: which entries go (below the target), which
    already run the target, and the target's own entry, as text."""

    below: Callable[[str], bool]
    runs_target: Callable[[str], bool]
    target: str


def version_list_edits(
    document: Document, sequence: yamldoc.SequenceNode, rule: VersionList
) -> Iterator[Edit | Notice]:
    """A YAML list of versions (``[3.9, "3.10"]`` or ``- "3.9"`` lines) loses its entries
    below the target and gains the target's entry unless a kept one runs it; refused (with a
    notice) when an entry is an alias, shares its line, or the flow list spans lines."""
    entries = sequence.value
    if not entries or not all(isinstance(entry, yamldoc.ScalarNode) for entry in entries):
        return
    below = [entry for entry in entries if rule.below(str(entry.value))]
    if not below:
        return
    kept = [entry for entry in entries if entry not in below]
    needs_target = not any(rule.runs_target(str(entry.value)) for entry in kept)
    quote = "'" if any(entry.style == "'" for entry in entries) else '"'
    new_entry = f"{quote}{rule.target}{quote}"
    path = document.yaml.path_of(sequence)
    if any(document.yaml.path_of(entry) != (*path, index) for index, entry in enumerate(entries)):
        # An entry given through an alias (``- *oldest``): its node, and its marks, are the
        # anchor's, elsewhere in the file.
        yield Notice(
            sequence.start_mark.index,
            "a list of Python versions with an entry given through an alias; not changed",
        )
        return
    declares: tuple[Operation, ...] = tuple(
        RemoveItem((*path, index)) for index, entry in enumerate(entries) if entry in below
    )
    change = _ListChange(sequence, path, below, kept, new_entry if needs_target else None)
    if sequence.flow_style:
        yield from _flow_list_edit(document, change, declares, rule.target)
    else:
        yield from _block_list_edits(document, change, declares, rule.target)


@dataclass(frozen=True)
class _ListChange:
    """A list of versions at ``path`` losing the entries ``below`` and, unless ``new_entry``
    is None, gaining the target's entry."""

    sequence: yamldoc.SequenceNode
    path: DataPath
    below: list[yamldoc.Node]
    kept: list[yamldoc.Node]
    new_entry: str | None


def _flow_list_edit(
    document: Document, change: _ListChange, declares: tuple[Operation, ...], target: str
) -> Iterator[Edit | Notice]:
    """A ``[…]`` list on one line is written anew: kept entries, then the target's."""
    text, sequence, entries = document.text, change.sequence, change.sequence.value
    start, end = sequence.start_mark.index, sequence.end_mark.index
    if "\n" in text[start:end]:
        yield Notice(start, "a multi-line flow list of Python versions; not changed")
        return
    first, last = entries[0], entries[-1]
    separator = (
        text[entries[0].end_mark.index : entries[1].start_mark.index] if len(entries) > 1 else ", "
    )
    pieces = [text[e.start_mark.index : e.end_mark.index] for e in change.kept]
    if change.new_entry is not None:
        pieces.append(change.new_entry)
        declares += (InsertItem((*change.path, len(entries)), target),)
    yield Edit(
        first.start_mark.index, last.end_mark.index, separator.join(pieces), declares=declares
    )


def _block_list_edits(
    document: Document, change: _ListChange, declares: tuple[Operation, ...], target: str
) -> Iterator[Edit | Notice]:
    """A ``- …`` list: the lines from the first entry to the last are rewritten as one edit,
    dropped entries' lines go, the target's line follows the anchor, comments and blank lines
    stay."""
    text, lines, entries = document.text, document.lines, change.sequence.value
    for entry in change.below:
        line_start = lines.line_start(entry.start_mark.index)
        if text[line_start : entry.start_mark.index].strip() != "-":
            yield Notice(entry.start_mark.index, "list entry shares its line; not changed")
            return
    # An entry may span lines (a block scalar, a folded plain scalar): all of them go.
    last_lines = {
        id(entry): lines.line_of(
            max(
                yamldoc.text_end(document.yaml, entry, (*change.path, index), 0) - 1,
                entry.start_mark.index,
            )
        )
        for index, entry in enumerate(entries)
    }
    region_start = lines.line_start(entries[0].start_mark.index)
    region_end = lines.line_end(lines.starts[last_lines[id(entries[-1])] - 1])
    dropped_lines = {
        number
        for entry in change.below
        for number in range(lines.line_of(entry.start_mark.index), last_lines[id(entry)] + 1)
    }
    anchor = change.kept[-1] if change.kept else change.below[-1]
    anchor_line = last_lines[id(anchor)] if change.new_entry is not None else None
    if change.new_entry is not None:  # on the line after the anchor's
        after_anchor = entries.index(anchor) + 1
        declares += (InsertItem((*change.path, after_anchor), target),)
    prefix = text[lines.line_start(anchor.start_mark.index) : anchor.start_mark.index]
    out: list[str] = []
    number = lines.line_of(region_start)
    position = region_start
    while position < region_end:
        line_end = lines.line_end(position)
        line = text[position:line_end]
        if number not in dropped_lines:
            out.append(line)
        if number == anchor_line:
            newline = "\r\n" if line.endswith("\r\n") else "\n"
            if out and not out[-1].endswith("\n"):
                out[-1] += newline
            out.append(f"{prefix}{change.new_entry}{newline}")
        position, number = line_end, number + 1
    rewritten = "".join(out)
    if not text[region_start:region_end].endswith("\n"):
        rewritten = rewritten.rstrip("\r\n")
    if not rewritten and region_start > 0 and region_end == len(text):
        for start, end in line_removals(text, [(region_start, region_end)]):
            yield Edit(start, end, "", declares=declares)
    else:
        yield Edit(region_start, region_end, rewritten, declares=declares)
