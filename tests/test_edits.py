"""The edit splicer: exact spans, nothing else touched, overlaps rejected."""

from __future__ import annotations

import difflib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modernize.document import kept_outside
from modernize.edits import LineIndex, apply_edits
from modernize.errors import EditConflictError
from modernize.model import Edit

CASES = [
    ("abc", [], "abc"),
    ("abc", [Edit(1, 2, "X")], "aXc"),
    ("abc", [Edit(0, 0, ">")], ">abc"),
    ("abc", [Edit(3, 3, "<")], "abc<"),
    ("a\r\nb\r\n", [Edit(3, 4, "B")], "a\r\nB\r\n"),
    ("abcdef", [Edit(4, 6, ""), Edit(0, 1, "Z")], "Zbcd"),
    ("abc", [Edit(1, 2, "X"), Edit(1, 2, "X")], "aXc"),  # identical edits merge
    ("abc", [Edit(1, 1, "<"), Edit(1, 2, "X")], "a<Xc"),
]


@pytest.mark.parametrize(("text", "edits", "expected"), CASES)
def test_apply_edits_table(text: str, edits: list[Edit], expected: str) -> None:
    assert apply_edits(text, edits) == expected


@pytest.mark.parametrize(
    "edits",
    [
        [Edit(0, 2, "x"), Edit(1, 3, "y")],
        [Edit(1, 1, "a"), Edit(1, 1, "b")],
        [Edit(0, 3, "x"), Edit(1, 2, "y")],
        [Edit(2, 9, "x")],
    ],
)
def test_overlapping_or_out_of_range_edits_are_rejected(edits: list[Edit]) -> None:
    with pytest.raises(EditConflictError):
        apply_edits("abcdef", edits)


@st.composite
def text_and_edits(draw: st.DrawFn) -> tuple[str, list[Edit]]:
    text = draw(st.text(alphabet="ab \t\r\n\ufeff#:é", max_size=60))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8, unique=True)))
    edits = []
    for start, end in zip(cuts[::2], cuts[1::2], strict=False):
        edits.append(Edit(start, end, draw(st.text(alphabet="xyz\n", max_size=5))))
    return text, draw(st.permutations(edits))


@given(text_and_edits())
def test_text_outside_edits_is_unchanged(case: tuple[str, list[Edit]]) -> None:
    text, edits = case
    result = apply_edits(text, edits)
    ordered = sorted(edits, key=lambda e: e.start)
    # Rebuild by hand from the gaps between edits: every gap must appear verbatim.
    position, rebuilt = 0, []
    for edit in ordered:
        rebuilt.append(text[position : edit.start])
        rebuilt.append(edit.replacement)
        position = edit.end
    rebuilt.append(text[position:])
    assert result == "".join(rebuilt)
    assert apply_edits(text, []) == text


@given(st.text(alphabet="ab\r\n", max_size=40))
def test_line_index_agrees_with_counting_newlines(text: str) -> None:
    index = LineIndex(text)
    for offset in range(len(text) + 1):
        assert index.line_of(offset) == text.count("\n", 0, offset) + 1


def _apply_patch(original: str, patch: str) -> str:
    """A minimal unified-diff applier (one file), strict about context lines."""
    import re

    old = original.split("\n")
    old_lines = [line + "\n" for line in old[:-1]] + ([old[-1]] if old[-1] else [])
    out: list[str] = []
    position = 0
    lines = patch.split("\n")[2:]
    index = 0
    while index < len(lines) and lines[index]:
        header = re.match(r"@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@", lines[index])
        assert header, lines[index]
        start = int(header[1]) - (1 if header[2] != "0" else 0)
        out += old_lines[position:start]
        position = start
        index += 1
        while index < len(lines) and lines[index] and lines[index][0] in " -+\\":
            kind, body = lines[index][0], lines[index][1:]
            no_newline = index + 1 < len(lines) and lines[index + 1].startswith("\\")
            text = body if no_newline else body + "\n"
            if kind == " ":
                assert old_lines[position] == text
                out.append(text)
                position += 1
            elif kind == "-":
                assert old_lines[position] == text
                position += 1
            elif kind == "+":
                out.append(text)
            index += 2 if no_newline else 1
    out += old_lines[position:]
    return "".join(out)


@given(text_and_edits(), st.booleans())
def test_diff_from_spans_reproduces_the_edited_text(
    case: tuple[str, list[Edit]], bom: bool
) -> None:
    from modernize.diff import unified_diff_from_spans
    from modernize.edits import normalise

    text, edits = case
    text = text.replace("\ufeff", "").replace("\r", "")
    edits = [e for e in edits if e.end <= len(text)]
    new = apply_edits(text, edits)
    spans, delta = [], 0
    for edit in normalise(edits):
        start = edit.start + delta
        spans.append((edit.start, edit.end, start, start + len(edit.replacement)))
        delta += len(edit.replacement) - (edit.end - edit.start)
    patch = unified_diff_from_spans("f", text, new, spans, bom)
    prefix = "\ufeff" if bom else ""
    if prefix + text == prefix + new:
        return
    assert _apply_patch(prefix + text, patch) == prefix + new


def _difflib_changed(old: str, new: str) -> set[int]:
    matcher = difflib.SequenceMatcher(None, old.splitlines(), new.splitlines(), autojunk=False)
    return {
        index
        for tag, i1, i2, _j1, _j2 in matcher.get_opcodes()
        if tag != "equal"
        for index in range(i1, max(i2, i1 + 1))
    }


POOL = ["", "a", "b", "    ],", "        ...,"]


@st.composite
def declared_edits(draw: st.DrawFn) -> tuple[str, str, set[int]]:
    """A text of (often repeated) lines, and a copy where only some declared lines were
    replaced by any number of lines, repeated ones included."""
    old = draw(st.lists(st.sampled_from(POOL), max_size=30))
    declared = {index for index in range(len(old) + 1) if draw(st.booleans())}
    new: list[str] = []
    for index in range(len(old) + 1):
        if index in declared:
            new.extend(draw(st.lists(st.sampled_from([*POOL, "new"]), max_size=3)))
        elif index < len(old):
            new.append(old[index])
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    return (
        "".join(f"{line}{ending}" for line in old),
        "".join(f"{line}{ending}" for line in new),
        declared,
    )


@given(declared_edits())
def test_kept_outside_accepts_every_change_of_declared_lines(
    case: tuple[str, str, set[int]],
) -> None:
    old, new, declared = case
    assert kept_outside(old, new, declared)


@given(declared_edits())
def test_kept_outside_accepts_whatever_a_line_diff_accepts(
    case: tuple[str, str, set[int]],
) -> None:
    old, new, _declared = case
    assert kept_outside(old, new, _difflib_changed(old, new))


@given(st.integers(1, 30), st.data())
def test_kept_outside_rejects_a_changed_undeclared_line(count: int, data: st.DataObject) -> None:
    old = [f"line {n}" for n in range(count)]
    changed = data.draw(st.integers(0, count - 1))
    declared = {n for n in range(count) if n != changed and data.draw(st.booleans())}
    new = [f"edited {n}" if n in declared else line for n, line in enumerate(old)]
    new[changed] = data.draw(st.sampled_from(["", "line 0", f"other {changed}"]))
    if new[changed] == old[changed]:
        return
    assert not kept_outside("\n".join(old), "\n".join(new), declared)


def test_kept_outside_needs_the_first_and_last_runs_in_place() -> None:
    assert kept_outside("a\nb\nc", "a\nX\nY\nc", {1})
    assert not kept_outside("a\nb\nc", "X\na\nc", {1})  # a line inserted before "a"
    assert not kept_outside("a\nb\nc", "a\nc\nX", {1})  # after "c"
    assert kept_outside("a\nb", "a\nb\nX", {2})  # an insertion after the last line
    assert not kept_outside("a\nb", "a", set())
