"""Unified diffs with git-style headers that ``git apply`` and ``patch -p1`` accept; a file
name git would quote is quoted as git does (``--- "a/x\\ty"``)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from modernize.formats import line_starts
from modernize.render.quoting import git_quoted

BOM = "\ufeff"
NO_NEWLINE = "\\ No newline at end of file\n"


def header_name(prefix: str, relative_path: str) -> str:
    """The name in a ``---``/``+++`` line as git writes it: quoted when git would, and followed
    by a TAB when it holds a space (which tells ``patch`` where the name ends)."""
    name = git_quoted(prefix + relative_path)
    return name + "\t" if " " in name else name


def split_lines(text: str) -> list[str]:
    """Lines with their endings, split at ``\n`` only (``str.splitlines`` also splits at
    form feeds and Unicode separators, which would corrupt the patch)."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def unified_diff(relative_path: str, before: bytes, after: bytes, new_file: bool = False) -> str:
    import difflib  # here: a run that shows no diff never needs it

    old = split_lines(before.decode("utf-8"))
    new = split_lines(after.decode("utf-8"))
    out: list[str] = []
    source = "/dev/null" if new_file else header_name("a/", relative_path)
    for line in difflib.unified_diff(old, new, source, header_name("b/", relative_path)):
        out.append(line if line.endswith("\n") else line + "\n" + NO_NEWLINE)
    return "".join(out)


Span = tuple[int, int, int, int]  # old_start, old_end, new_start, new_end (character offsets)
CONTEXT = 3


def _starts(text: str) -> list[int]:
    starts = line_starts(text)
    if len(starts) > 1 and starts[-1] == len(text):
        starts.pop()  # no line starts after the final newline
    return starts


def _line_regions(before: str, after: str, spans: Sequence[Span]) -> list[Span]:
    """Grow the changed spans to whole lines on both sides, merging spans that share a line.

    Text between spans is the same on both sides, so growing a region over it moves both ends
    by the same amount; a region that reaches the next span absorbs it."""
    regions: list[Span] = []
    ordered = sorted(spans)
    index = 0
    while index < len(ordered):
        old_start, old_end, new_start, new_end = ordered[index]
        index += 1
        back = old_start - (before.rfind("\n", 0, old_start) + 1)
        old_start, new_start = old_start - back, new_start - back
        while True:
            old_done = old_end in (0, len(before)) or before[old_end - 1] == "\n"
            new_done = new_end in (0, len(after)) or after[new_end - 1] == "\n"
            if old_done and new_done:
                break
            if old_end == len(before):  # the rest of both texts is the same last line
                new_end = len(after)
                break
            newline = before.find("\n", old_end)
            target = len(before) if newline < 0 else newline + 1
            if index < len(ordered) and ordered[index][0] < target:
                old_end, new_end = ordered[index][1], ordered[index][3]  # absorb the next span
                index += 1
                continue
            old_end, new_end = target, new_end + target - old_end
        if old_end == len(before):
            new_end = len(after)
        regions.append((old_start, old_end, new_start, new_end))
    return regions


def _line_index(starts: list[int], line_count: int, text: str, position: int) -> int:
    if position >= len(text):
        return line_count
    return bisect.bisect_right(starts, position) - 1


def _range(start: int, stop: int) -> str:
    length = stop - start
    if length == 1:
        return f"{start + 1}"
    return f"{start + (1 if length else 0)},{length}"


def _emit(out: list[str], prefix: str, line: str) -> None:
    out.append(prefix + line if line.endswith("\n") else prefix + line + "\n" + NO_NEWLINE)


#: A region of more lines than this is shown whole: matching its lines would cost their square.
_MATCHED_REGION_LINES = 2000


def _changed_lines(
    old: list[str], new: list[str], o1: int, o2: int, n1: int, n2: int
) -> list[tuple[int, int, int, int]]:
    """The old lines ``o1:o2`` rewritten as the new lines ``n1:n2``, as the runs of lines that
    really change: a line the edit kept (a comment between dropped entries) is context, not
    removed and added again."""
    if max(o2 - o1, n2 - n1) > _MATCHED_REGION_LINES:
        return [(o1, o2, n1, n2)]
    if o2 - o1 <= 1 and n2 - n1 <= 1:  # one line, most edits: nothing to match
        return [] if old[o1:o2] == new[n1:n2] else [(o1, o2, n1, n2)]
    import difflib

    matcher = difflib.SequenceMatcher(None, old[o1:o2], new[n1:n2], autojunk=False)
    return [
        (o1 + i1, o1 + i2, n1 + j1, n1 + j2)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def unified_diff_from_spans(
    relative_path: str, before: str, after: str, spans: Sequence[Span], bom: bool = False
) -> str:
    """The unified diff of ``before`` -> ``after`` built from the known changed spans: linear
    in the file size, where a general diff algorithm is quadratic on files of many alike lines
    (a compose file of hundreds of services)."""
    return with_headers(relative_path, diff_hunks(before, after, spans, bom))


def with_headers(relative_path: str, hunks: str) -> str:
    """The diff of one file from its hunks, headed by its name; empty without hunks."""
    return headers(relative_path) + hunks if hunks else ""


def headers(relative_path: str) -> str:
    """The two lines that head the diff of one file, naming it."""
    old, new = header_name("a/", relative_path), header_name("b/", relative_path)
    return f"--- {old}\n+++ {new}\n"


def diff_hunks(before: str, after: str, spans: Sequence[Span], bom: bool = False) -> str:
    """The hunks of ``unified_diff_from_spans``, without the headers that name the file: what a
    worker process renders before the path the diff is shown under is known."""
    groups: list[list[int]] = []
    if bom:  # the BOM is part of the first line; spans count from after it
        before, after = BOM + before, BOM + after
        spans = [(a + 1, b + 1, c + 1, d + 1) for a, b, c, d in spans]
    old, new = split_lines(before), split_lines(after)
    old_starts, new_starts = _starts(before), _starts(after)
    for old_start, old_end, new_start, new_end in _line_regions(before, after, spans):
        o1 = _line_index(old_starts, len(old), before, old_start)
        o2 = _line_index(old_starts, len(old), before, old_end)
        n1 = _line_index(new_starts, len(new), after, new_start)
        n2 = _line_index(new_starts, len(new), after, new_end)
        if groups and o1 <= groups[-1][1]:
            group = groups[-1]
            group[1], group[3] = max(group[1], o2), max(group[3], n2)
        else:
            groups.append([o1, o2, n1, n2])
    groups = [list(changed) for group in groups for changed in _changed_lines(old, new, *group)]
    out: list[str] = []
    index = 0
    while index < len(groups):
        last = index
        while last + 1 < len(groups) and groups[last + 1][0] - groups[last][1] <= 2 * CONTEXT:
            last += 1
        first_group, last_group = groups[index], groups[last]
        old_from = max(0, first_group[0] - CONTEXT)
        old_to = min(len(old), last_group[1] + CONTEXT)
        new_from = first_group[2] - (first_group[0] - old_from)
        new_to = last_group[3] + (old_to - last_group[1])
        out.append(f"@@ -{_range(old_from, old_to)} +{_range(new_from, new_to)} @@\n")
        position = old_from
        for o1, o2, n1, n2 in groups[index : last + 1]:
            for line in old[position:o1]:
                _emit(out, " ", line)
            for line in old[o1:o2]:
                _emit(out, "-", line)
            for line in new[n1:n2]:
                _emit(out, "+", line)
            position = o2
        for line in old[position:old_to]:
            _emit(out, " ", line)
        index = last + 1
    return "".join(out)
