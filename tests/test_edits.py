"""The edit splicer: exact spans, nothing else touched, overlaps rejected."""

from __future__ import annotations

import difflib
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modernize.engine.edits import apply_edits, keep_comment_columns
from modernize.errors import EditConflictError
from modernize.formats.document import LineIndex, kept_outside
from modernize.model import Edit, SetValue

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


def _at(text: str, old: str, new: str, occurrence: int = 0) -> Edit:
    """An edit replacing the ``occurrence``-th ``old`` of ``text`` by ``new``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(old, start + 1)
    return Edit(start, start + len(old), new)


# (text, [(old, new, occurrence)], expected): aligned trailing comments keep their column.
COLUMN_CASES = [
    (
        "  - uses: actions/checkout@v3.5.2        # note\n",
        [("v3.5.2", "v4", 0)],
        "  - uses: actions/checkout@v4            # note\n",
    ),
    ("PYTHON_VERSION: 3.10   # x\n", [("3.10", '"3.12"', 0)], 'PYTHON_VERSION: "3.12" # x\n'),
    # Cannot stay: one space is the least.
    ("a: 3.10  # x\n", [("3.10", '"3.12"', 0)], 'a: "3.12" # x\n'),
    ("a: 3.10 # x\n", [("3.10", '"3.12"', 0)], 'a: "3.12" # x\n'),  # one space: no alignment
    ("a: 3\n", [("3", '"3.12"', 0)], 'a: "3.12"\n'),  # no comment
    ('a: "3.10"   # x\n', [("3.10", "3.12.1", 0)], 'a: "3.12.1"   # x\n'),  # a quote between
    ("a: 3.10\t  # x\n", [("3.10", "3", 0)], "a: 3\t  # x\n"),  # a tab between
    ("a: 3.10   x  # y\n", [("3.10", "3", 0)], "a: 3   x  # y\n"),  # a word between
    # Every edit of the line counts, not only the last one before the comment.
    (
        "k: 3.9, 3.10    # x\r\n",
        [("3.9", "3.12", 0), ("3.10", "3.11", 0)],
        "k: 3.12, 3.11   # x\r\n",
    ),
    # Only the comment's own line; lines are apart (CRLF too).
    (
        "a: 1.0      # x\r\nb: 2.0      # y\r\n",
        [("1.0", "1", 0), ("2.0", "20.0", 0)],
        "a: 1        # x\r\nb: 20.0     # y\r\n",
    ),
    # An edit that spans lines is not a change of one line's length: left.
    ("a: |\n  x\nb: 1   # y\n", [("x\nb: 1", "x\nb: 100", 0)], "a: |\n  x\nb: 100   # y\n"),
]


@pytest.mark.parametrize(("text", "changes", "expected"), COLUMN_CASES)
def test_aligned_trailing_comments_keep_their_column(
    text: str, changes: list[tuple[str, str, int]], expected: str
) -> None:
    edits = [_at(text, old, new, occurrence) for old, new, occurrence in changes]
    assert apply_edits(text, keep_comment_columns(text, edits)) == expected


def test_comment_columns_never_widen_over_another_edit() -> None:
    text = "a: 3.10    # x\n"
    edits = [Edit(3, 7, "3"), Edit(9, 14, "")]  # the second takes two spaces and the comment
    assert keep_comment_columns(text, edits) == edits
    # One in the spaces is the last edit before the comment: that one is widened.
    widened = keep_comment_columns(text, [Edit(3, 7, "3"), Edit(9, 9, "!")])
    assert apply_edits(text, widened) == "a: 3  !    # x\n"


def test_comment_columns_keep_what_an_edit_declares() -> None:
    text = "a: 3.10    # x\n"
    edit = Edit(3, 7, "3", declares=(SetValue(("a",), "3"),), migration="m")
    (widened,) = keep_comment_columns(text, [edit])
    assert (widened.declares, widened.migration) == ((SetValue(("a",), "3"),), "m")
    assert (widened.start, widened.end, widened.replacement) == (3, 11, "3       ")


@pytest.mark.parametrize(
    ("kind", "text", "old", "new", "expected"),
    [
        ("compose", "a: 3.10   # x\n", "3.10", '"3.12"', 'a: "3.12" # x\n'),
        ("pyproject", "a = 3.10   # x\n", "3.10", '"3.12"', 'a = "3.12" # x\n'),
        # A ``#`` inside a string or a block scalar is data, not a comment: left.
        ("compose", 'a: "3.10   # x"\n', "3.10", "3.12.1", 'a: "3.12.1   # x"\n'),
        (
            "workflow",
            "run: |\n  tox -e py39   # x\n",
            "py39",
            "py312",
            "run: |\n  tox -e py312   # x\n",
        ),
        (
            "pyproject",
            'a = """\n3.10   # x\n"""\n',
            "3.10",
            "3.12.1",
            'a = """\n3.12.1   # x\n"""\n',
        ),
        # Dockerfiles and Makefiles: a ``#`` after an instruction or in a recipe is not a comment.
        ("makefile", "t:\n\tpy39   # x\n", "py39", "py312", "t:\n\tpy312   # x\n"),
        ("dockerfile", "RUN tox -e py39   # x\n", "py39", "py312", "RUN tox -e py312   # x\n"),
    ],
)
def test_comment_columns_only_for_comments_of_yaml_and_toml(
    kind: str, text: str, old: str, new: str, expected: str
) -> None:
    from modernize.engine.planning import keeping_comment_columns
    from modernize.formats.document import Document

    document = Document("f", kind, text)
    edits, updated = keeping_comment_columns(document, [_at(text, old, new)])
    assert updated.text == apply_edits(text, edits) == expected


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


@given(text_and_edits())
def test_comment_columns_change_only_the_spaces_before_a_hash(
    case: tuple[str, list[Edit]],
) -> None:
    import re

    text, edits = case
    aligned = keep_comment_columns(text, edits)
    plain, widened = apply_edits(text, edits), apply_edits(text, aligned)
    assert re.sub(" +#", " #", widened) == re.sub(" +#", " #", plain)
    assert len(aligned) == len(edits)


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
    from modernize.engine.edits import normalise
    from modernize.render.diff import unified_diff_from_spans

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


@given(text_and_edits())
def test_diff_from_spans_shows_only_lines_that_change(case: tuple[str, list[Edit]]) -> None:
    """Inside an edited span, a line the edit keeps is context: each run of removed lines is
    never followed by an added run that starts or ends with the same line."""
    from modernize.engine.edits import normalise
    from modernize.render.diff import unified_diff_from_spans

    text, edits = case
    text = text.replace("\ufeff", "").replace("\r", "")
    edits = [e for e in edits if e.end <= len(text)]
    new = apply_edits(text, edits)
    spans, delta = [], 0
    for edit in normalise(edits):
        start = edit.start + delta
        spans.append((edit.start, edit.end, start, start + len(edit.replacement)))
        delta += len(edit.replacement) - (edit.end - edit.start)
    body = [line for line in unified_diff_from_spans("f", text, new, spans).split("\n")[2:]]
    runs: list[tuple[str, list[str]]] = []
    for line in body:
        if line.startswith("\\") and runs and runs[-1][1]:
            runs[-1][1][-1] += " (no newline)"  # a different line from one that ends in one
        elif line[:1] in ("-", "+"):
            if runs and runs[-1][0] == line[0]:
                runs[-1][1].append(line[1:])
            else:
                runs.append((line[0], [line[1:]]))
        else:
            runs.append((" ", []))
    for (kind, removed), (next_kind, added) in itertools.pairwise(runs):
        if kind == "-" and next_kind == "+":
            assert removed[0] != added[0] and removed[-1] != added[-1], body


def test_a_kept_comment_between_dropped_entries_is_context() -> None:
    from modernize.render.diff import unified_diff_from_spans

    before = "m:\n  - '3.9'\n  # the newest\n  - '3.11'\n  - '3.13'\n"
    after = "m:\n  # the newest\n  - '3.13'\n"
    start = before.index("  - '3.9'")
    end = before.index("  - '3.13'")
    patch = unified_diff_from_spans("f", before, after, [(start, end, start, start + 15)])
    assert patch.splitlines()[3:] == [
        " m:",
        "-  - '3.9'",
        "   # the newest",
        "-  - '3.11'",
        "   - '3.13'",
    ]


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


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        ("", [0]),
        ("\n", [0, 1]),
        ("a", [0]),
        ("a\nb", [0, 2]),
        ("a\r\nb\r\n", [0, 3, 6]),
        ("a\rb\n\n", [0, 4, 5]),  # a lone CR ends no line
    ],
)
def test_line_starts_are_one_past_each_newline(text: str, starts: list[int]) -> None:
    from modernize.formats import line_starts
    from modernize.formats.document import LineIndex

    assert line_starts(text) == starts
    index = LineIndex(text)
    assert [index.line_of(offset) for offset in starts] == list(range(1, len(starts) + 1))
