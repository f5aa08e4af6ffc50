"""Python literals located with ``ast`` and edited as text: a string constant's content, and a
list of strings that loses some entries and gains one (``setup.py`` classifiers, a nox
session's ``python=[...]``). The source is never executed.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from modernize.model import Edit, Rewrite
from modernize.records import record
from modernize.rules.versions import Minor, below

if TYPE_CHECKING:
    from packaging.version import Version

    from modernize.formats.document import Document


@record(frozen=True)
class PyString:
    """A plain string constant: its content spans ``start:end`` of the text, as written."""

    value: str
    start: int
    end: int
    #: The span of the whole literal, quotes included.
    outer: tuple[int, int]


def offset(document: Document, line: int, column: int) -> int:
    """The text offset of ``ast``'s ``(lineno, col_offset)``, whose column counts UTF-8 bytes."""
    start = document.lines.starts[line - 1]
    text = document.lines.line_text(line)
    return start + len(text.encode("utf-8")[:column].decode("utf-8", "replace"))


def span(document: Document, node: ast.expr) -> tuple[int, int]:
    assert node.end_lineno is not None and node.end_col_offset is not None
    return (
        offset(document, node.lineno, node.col_offset),
        offset(document, node.end_lineno, node.end_col_offset),
    )


def plain_string(document: Document, node: ast.expr) -> PyString | None:
    """``node`` as a one-line string written without prefix or escapes, or None."""
    if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
        return None
    start, end = span(document, node)
    written = document.text[start:end]
    for quote in ('"""', "'''", '"', "'"):
        if written.startswith(quote) and written.endswith(quote) and len(written) >= 2 * len(quote):
            inner = written[len(quote) : len(written) - len(quote)]
            if inner == node.value and "\\" not in inner and "\n" not in inner:
                return PyString(node.value, start + len(quote), end - len(quote), (start, end))
    return None


def rewrite(document: Document, start: int, end: int, new: str) -> Edit:
    """An edit of Python source, declared as a rewrite of the lines it touches."""
    first = document.line_of(start) - 1
    last = document.line_of(max(start, end - 1)) - 1
    return Edit(
        start, end, new, declares=tuple(Rewrite(("line", n)) for n in range(first, last + 1))
    )


def list_edits(
    document: Document, entries: list[PyString], new: dict[int, str | None], tuple_: bool = False
) -> Iterator[Edit] | None:
    """Edits that give each entry ``i`` of a list of strings the content ``new[i]`` (None: the
    entry goes; absent: it stays). A list on one line is written anew between its first and
    last entries, keeping the separators; a list of one entry a line loses whole lines. None
    when the layout is neither (nothing is edited). A ``tuple_`` left with one entry keeps a
    comma after it, or it would be a string in parentheses."""
    text = document.text
    lines = {document.line_of(entry.outer[0]) for entry in entries}
    if len(lines) == 1:
        return _one_line(text, document, entries, new, tuple_)
    if len(lines) != len(entries):
        return None
    for entry in entries:
        line = document.lines.line_text(document.line_of(entry.outer[0]))
        before = line[: entry.outer[0] - document.lines.line_start(entry.outer[0])]
        after = text[entry.outer[1] : document.lines.line_start(entry.outer[0]) + len(line)]
        if before.strip() or not re.fullmatch(r",?[ \t]*(?:#.*)?", after.strip()):
            return None  # another entry or a bracket shares its line (a comment may follow)
    return _by_lines(text, document, entries, new)


def _one_line(
    text: str, document: Document, entries: list[PyString], new: dict[int, str | None], tuple_: bool
) -> Iterator[Edit]:
    kept = [index for index in range(len(entries)) if new.get(index, "") is not None]
    rebuilt = ""
    for position, index in enumerate(kept):
        entry = entries[index]
        content = new.get(index)
        if content is None:
            rebuilt += text[entry.outer[0] : entry.outer[1]]
        else:
            rebuilt += (
                text[entry.outer[0] : entry.start] + content + text[entry.end : entry.outer[1]]
            )
        if position + 1 < len(kept):
            rebuilt += text[entry.outer[1] : entries[index + 1].outer[0]]
    if tuple_ and len(kept) == 1 and not text[entries[-1].outer[1] :].lstrip().startswith(","):
        rebuilt += ","
    yield rewrite(document, entries[0].outer[0], entries[-1].outer[1], rebuilt)


def _by_lines(
    text: str, document: Document, entries: list[PyString], new: dict[int, str | None]
) -> Iterator[Edit]:
    for index, entry in enumerate(entries):
        if index not in new:
            continue
        content = new[index]
        if content is not None:
            yield rewrite(document, entry.start, entry.end, content)
            continue
        line_start = document.lines.line_start(entry.outer[0])
        line_end = document.lines.line_end(entry.outer[0])
        yield rewrite(document, line_start, line_end, "")


def moved_versions(
    entries: list[PyString], minor_of: Callable[[str], Minor | None], wanted: str, target: Version
) -> dict[int, str | None]:
    """What becomes of a list of versions (``list_edits``'s ``new``): the entries below the
    target go and, unless a kept one is ``wanted`` already, ``wanted`` takes the last removed
    one's place (so that a list in version order stays in order)."""
    gone = [
        index
        for index, entry in enumerate(entries)
        if (minor := minor_of(entry.value)) is not None and below(*minor, target)
    ]
    if not gone:
        return {}
    new: dict[int, str | None] = dict.fromkeys(gone)
    if not any(entry.value == wanted for index, entry in enumerate(entries) if index not in new):
        new[gone[-1]] = wanted
    return new


def module_bindings(tree: ast.Module) -> dict[str, list[ast.expr]]:
    """What each name is bound to at the module's top (``NAME = …``), every time."""
    found: dict[str, list[ast.expr]] = {}
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Name):
                value = getattr(node, "value", None)
                top = node in tree.body and not isinstance(node, ast.AugAssign)
                found.setdefault(target.id, []).append(value if top and value else target)
    return found
