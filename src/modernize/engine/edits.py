"""Splice edits into the original text, last to first, so earlier offsets stay valid."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from itertools import pairwise

from modernize.errors import EditConflictError
from modernize.model import Edit


def normalise(edits: Iterable[Edit]) -> list[Edit]:
    """Sort edits, drop exact duplicates and no-ops, and reject overlaps."""
    unique: dict[tuple[int, int, str], Edit] = {}
    for edit in edits:
        key = (edit.start, edit.end, edit.replacement)
        if key in unique:
            previous = unique[key]
            unique[key] = Edit(
                edit.start,
                edit.end,
                edit.replacement,
                tuple(dict.fromkeys(previous.declares + edit.declares)),
                previous.migration,
                previous.group,
            )
        else:
            unique[key] = edit
    ordered = sorted(unique.values(), key=lambda e: (e.start, e.end))
    for before, after in pairwise(ordered):
        if after.start < before.end or (after.start == before.end == after.end == before.start):
            raise EditConflictError(
                f"edits overlap at offsets {before.start}..{before.end} and "
                f"{after.start}..{after.end} ({before.migration or '?'} / {after.migration or '?'})"
            )
    return ordered


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Return ``text`` with every edit applied; text outside the edited spans is unchanged."""
    ordered = normalise(edits)
    pieces: list[str] = []
    position = len(text)
    for edit in reversed(ordered):
        if edit.end > len(text):
            raise EditConflictError(f"edit {edit.start}..{edit.end} is past the end of the text")
        pieces.append(text[edit.end : position])
        pieces.append(edit.replacement)
        position = edit.start
    pieces.append(text[:position])
    return "".join(reversed(pieces))


def keep_comment_columns(text: str, edits: Iterable[Edit]) -> list[Edit]:
    """Keep aligned trailing comments in their column: when a line's edits change its length,
    the last edit before a comment that follows it after spaces only takes those spaces in, and
    writes as many as keep the ``#`` where it was (one at least). One space before ``#`` is no
    alignment and stays; so do comments after other text, and lines an edit splits or joins."""
    ordered = normalise(edits)
    result: list[Edit] = []
    line_start = -1  # the line whose edits are summed so far
    shift: int | None = 0  # how far they moved the rest of that line; None: not a shift
    for index, edit in enumerate(ordered):
        result.append(edit)
        start = text.rfind("\n", 0, edit.start) + 1
        if start != line_start:
            line_start, shift = start, 0
        if "\n" in text[edit.start : edit.end] or "\n" in edit.replacement:
            line_start, shift = text.rfind("\n", 0, edit.end) + 1, None
            continue
        if shift is None:
            continue
        shift += len(edit.replacement) - (edit.end - edit.start)
        comment = edit.end
        while comment < len(text) and text[comment] == " ":
            comment += 1
        run = comment - edit.end
        if shift == 0 or run < 2 or not text.startswith("#", comment):
            continue
        if index + 1 < len(ordered) and ordered[index + 1].start < comment:
            continue  # another edit owns part of those spaces
        result[-1] = replace(
            edit, end=comment, replacement=edit.replacement + " " * max(1, run - shift)
        )
    return result


def trim_unchanged_lines(text: str, edits: Iterable[Edit]) -> list[Edit]:
    """Each edit without the whole lines its replacement leaves as they were, at either end:
    an edit that rewrites a region of lines (keeping some) shows only the lines that really
    change in a diff. The text the edits make is the same."""
    trimmed: list[Edit] = []
    for edit in edits:
        old = text[edit.start : edit.end].split("\n")
        new = edit.replacement.split("\n")
        if len(old) < 2 and len(new) < 2:
            trimmed.append(edit)
            continue
        old_lines = [line + "\n" for line in old[:-1]] + ([old[-1]] if old[-1] else [])
        new_lines = [line + "\n" for line in new[:-1]] + ([new[-1]] if new[-1] else [])
        head = 0
        while head < min(len(old_lines), len(new_lines)) and old_lines[head] == new_lines[head]:
            head += 1
        tail = 0
        while (
            tail < min(len(old_lines), len(new_lines)) - head
            and old_lines[-1 - tail] == new_lines[-1 - tail]
        ):
            tail += 1
        if not head and not tail:
            trimmed.append(edit)
            continue
        cut_start = sum(len(line) for line in old_lines[:head])
        cut_end = sum(len(line) for line in old_lines[len(old_lines) - tail :])
        kept_end = len(edit.replacement) - sum(
            len(line) for line in new_lines[len(new_lines) - tail :]
        )
        trimmed.append(
            replace(
                edit,
                start=edit.start + cut_start,
                end=edit.end - cut_end,
                replacement=edit.replacement[cut_start:kept_end],
            )
        )
    return trimmed


def line_removals(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge whole-line spans to remove; when the last one ends a file that has no final
    newline, take the newline before it instead, so the file still ends without one."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    if merged and merged[-1][1] == len(text) and not text.endswith("\n") and merged[-1][0] > 0:
        start = merged[-1][0]
        merged[-1][0] = start - (2 if text[start - 2 : start] == "\r\n" else 1)
        if len(merged) > 1 and merged[-2][1] >= merged[-1][0]:
            merged[-2:] = [[merged[-2][0], merged[-1][1]]]
    return [(start, end) for start, end in merged]


def absorb_newline_removals(text: str, edits: Sequence[Edit]) -> list[Edit]:
    """Merge a removal that took the newline before it (see ``line_removals``) into the edit
    just before it, when that edit's replacement ends with that very newline."""
    merged: list[Edit] = []
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if merged and edit.start < merged[-1].end and not edit.replacement:
            previous = merged[-1]
            shared = text[edit.start : previous.end]
            if previous.replacement.endswith(shared):
                merged[-1] = Edit(
                    previous.start,
                    max(previous.end, edit.end),
                    previous.replacement[: len(previous.replacement) - len(shared)],
                    tuple(dict.fromkeys(previous.declares + edit.declares)),
                    previous.migration,
                    previous.group,
                )
                continue
        merged.append(edit)
    return merged
