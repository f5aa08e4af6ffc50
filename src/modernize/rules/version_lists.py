"""Edit a list of versions in place: drop the entries below a target, add the target's.

A workflow matrix's ``python-version: ["3.9", "3.10"]`` or its ``- "3.9"`` lines (YAML), and a
TOML string array of versions (classifiers, ``target-version = ["py39", "py310"]``): the
entries below the target go (with every line of an entry that spans lines), the target's entry
joins in the list's own quoting, and comments and blank lines between entries stay.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from packaging.version import Version

from modernize.authoring import (
    DataPath,
    Document,
    Edit,
    InsertItem,
    Notice,
    Operation,
    RemoveItem,
    line_removals,
    toml,
    yamldoc,
)
from modernize.records import record
from modernize.rules.versions import Minor, below


@record(frozen=True)
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
    if any(yamldoc.anchored(document.text, node) for node in [sequence, *entries]):
        yield Notice(
            sequence.start_mark.index,
            "a list of Python versions that is, or holds, an anchor (&…) other places may use; "
            "not changed: edit it, and the places that use it, by hand",
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


@record(frozen=True)
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


def toml_version_array_edits(
    document: Document,
    value: toml.Value,
    minor_of: Callable[[toml.StringItem], Minor | None],
    new_value: str,
    target: Version,
    always_add: bool,
) -> Iterator[Edit | Notice]:
    """Drop entries below the target from a TOML string array and add the target's entry
    (``new_value``); ``minor_of`` reads the Python minor an entry names, None for others.

    ``always_add``: add it when no entry at or above the target remains (tool target lists);
    otherwise add it only when it is missing (classifiers, where other entries are unrelated).
    """
    text = document.text
    if not text[value.start : value.end].startswith("["):
        return
    items = _entries(document, value)
    minors = [minor_of(item) for item in items]
    below_at = [
        index for index, minor in enumerate(minors) if minor is not None and below(*minor, target)
    ]
    if not below_at:
        return
    # Sets and indexes, not list membership: an array may hold many thousands of entries.
    gone = set(below_at)
    kept_versioned_at = [
        index for index, minor in enumerate(minors) if minor is not None and index not in gone
    ]
    if always_add:  # each versioned entry kept is at or above the target
        needs = not kept_versioned_at
    else:
        needs = not any(items[index].value == new_value for index in kept_versioned_at)
    # A multi-line string's quote once: the new entry is one line.
    quote = items[below_at[0]].quote[0]
    array = _Array(value, items, below_at, kept_versioned_at, quote, new_value)
    if "\n" not in text[value.start : value.end]:
        yield _one_line_array_edit(text, array, needs)
        return
    refusal = _multi_line_refusal(document, array)
    if refusal is not None:
        yield refusal
        return
    yield from _multi_line_removals(document, array)
    if needs:
        yield _multi_line_insertion(document, array)


@record(frozen=True)
class _Array:
    """A string array to change: its entries, which go, which versioned ones stay, and the
    entry to add (``quote`` + ``new_value`` + ``quote``)."""

    value: toml.Value
    items: list[toml.StringItem]
    below_at: list[int]
    kept_versioned_at: list[int]
    quote: str
    new_value: str

    @property
    def new_item(self) -> str:
        return f"{self.quote}{self.new_value}{self.quote}"


def _entries(document: Document, value: toml.Value) -> list[toml.StringItem]:
    """The array's string entries, each read as TOML does (a line-ending backslash, an escape),
    not as written."""
    items = toml.strings_in(document.text, value)
    parsed = toml.data_at(document.toml.data_tree, value.path)
    if isinstance(parsed, list) and len(parsed) == len(items):
        items = [
            toml.StringItem(entry, item.start, item.end, item.quote)
            if isinstance(entry, str)
            else item
            for item, entry in zip(items, parsed, strict=True)
        ]
    return items


def _one_line_array_edit(text: str, array: _Array, needs: bool) -> Edit:
    """An array on one line is written anew from its kept entries, the new one in version
    order: before the first later version, else where the first removed entry was."""
    items, path = array.items, array.value.path
    gone = set(array.below_at)
    kept_at = [index for index in range(len(items)) if index not in gone]
    separator = text[items[0].end : items[1].start] if len(items) > 1 else ", "
    pieces = [text[items[index].start : items[index].end] for index in kept_at]
    if array.kept_versioned_at:  # before the first later version
        anchor_index = kept_at.index(array.kept_versioned_at[0])
    else:  # where the first removed entry was
        anchor_index = sum(1 for index in kept_at if index < array.below_at[0])
    declares: tuple[Operation, ...] = tuple(RemoveItem((*path, index)) for index in array.below_at)
    if needs:
        pieces.insert(anchor_index, array.new_item)
        before = kept_at[anchor_index] if anchor_index < len(kept_at) else len(items)
        declares += (InsertItem((*path, before), array.new_value),)
    return Edit(items[0].start, items[-1].end, separator.join(pieces), declares=declares)


def _multi_line_refusal(document: Document, array: _Array) -> Notice | None:
    """Why the entries below the target cannot go as whole lines, if they cannot."""
    text, lines = document.text, document.lines
    for index in array.below_at:
        item = array.items[index]
        line_start = lines.line_start(item.start)
        line_end = lines.line_end(max(item.start, item.end - 1))
        rest = text[item.end : line_end].strip()
        if text[line_start : item.start].strip() or not re.match(r"^,?\s*(#.*)?$", rest):
            return Notice(item.start, "array entry shares its line with another; not changed")
        if not rest.startswith(","):
            # Its comma, if any, is on a later line (after a comment): removing the entry's
            # lines would leave that comma after the one before.
            following = (
                array.items[index + 1].start if index + 1 < len(array.items) else array.value.end
            )
            between = "".join(
                line.split("#", 1)[0] for line in text[line_end:following].splitlines()
            )
            if "," in between:
                return Notice(item.start, "array entry's comma is on a later line; not changed")
    return None


def _multi_line_removals(document: Document, array: _Array) -> Iterator[Edit]:
    lines = document.lines
    for index in array.below_at:
        item = array.items[index]
        # A multi-line string's lines all go: its last line ends the entry.
        yield Edit(
            lines.line_start(item.start),
            lines.line_end(max(item.start, item.end - 1)),
            "",
            declares=(RemoveItem((*array.value.path, index)),),
        )


def _multi_line_insertion(document: Document, array: _Array) -> Edit:
    """The new entry on its own line before ``anchor``: in version order, so before the first
    later version (in the place of the removed entries just above it, which keeps a comment
    above that later version with it), else where the first removed entry was."""
    text, lines = document.text, document.lines
    if array.kept_versioned_at:
        first_later = array.kept_versioned_at[0]
        removed_above = [index for index in array.below_at if index < first_later]
        anchor_at = removed_above[-1] if removed_above else first_later
    else:
        anchor_at = array.below_at[0]
    anchor = array.items[anchor_at]
    insertion = (InsertItem((*array.value.path, anchor_at), array.new_value),)
    # The anchor may span lines (a multi-line string): its comma follows its last line.
    line_start = lines.line_start(anchor.start)
    line_end = lines.line_end(max(anchor.start, anchor.end - 1))
    prefix = text[line_start : anchor.start]
    if prefix.strip():  # a kept entry after ``[`` or another entry on its line
        return Edit(anchor.start, anchor.start, f"{array.new_item}, ", declares=insertion)
    # A later version follows the new entry; else it ends with a comma as the entry it replaces.
    after = text[anchor.end : line_end]
    has_comma = bool(array.kept_versioned_at) or after.lstrip().startswith(",")
    comma = "," if has_comma else ""
    newline = "\r\n" if text[line_start:line_end].endswith("\r\n") else "\n"
    return Edit(
        line_start, line_start, f"{prefix}{array.new_item}{comma}{newline}", declares=insertion
    )
