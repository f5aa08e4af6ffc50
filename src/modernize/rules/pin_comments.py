"""Comments that name the Python version an edit moves: a reason to stop, or words to update.

A comment on an edited line (after the value) or in the block of comment lines directly above
it speaks about that value when it names one of the versions the edit moves away from (``3.10``,
``3.10.13``, ``py310``, ``cp310``, ``python3.10``), or, on the edited line itself, any version
below the target (``# keep: the stubs break on 3.11``). Then:

- a comment that only restates the value (``# Python 3.10 base image``, ``# py310``: every
  other word is one of ``_RESTATING``) is updated with it, in its own spelling (``py312``), or
  removed with a line that goes;
- a comment with anything more (``# Pinned to 3.11 explicitly: the abi3 floor``, ``# Pin Ruff
  to Python 3.10``) may explain the pin: the edit, and every edit of its group (``Edit.group``:
  a matrix, a step's version and its name), is not made, and a warning quotes the comment;
- a restating comment that cannot be updated without guessing (it names a patch release, or a
  version the edit does not move, or stays beside values that go) is warned about, and the edit
  is made.

Comments are read as ``#`` (``//`` in JSON with comments) to the end of the line outside the
file's data (see ``_Comments``; in Python source, where its tokenizer finds them); in a
Dockerfile, a file of lines and an INI file other than ``tox.ini`` only whole comment lines are
comments. Python source is read only
for edits that move a version (a setup.py's claim, a nox session): typing edits name none.
"""

from __future__ import annotations

import bisect
import re
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import field, replace
from typing import TYPE_CHECKING

from modernize.lazy import lazy_pattern
from modernize.model import Edit, InPlace, Notice, Operation
from modernize.records import record
from modernize.rules.versions import below

if TYPE_CHECKING:
    from modernize.formats.document import Document
    from modernize.targets import Targets

#: A Python version in prose or a tag: ``3.10``, ``3.10.13``, ``python3.10``, ``py3.10``,
#: ``py310``, ``cp310``. Never part of a longer number or word (``13.10``, ``v3.10``).
_VERSION = lazy_pattern(
    r"(?<![\w.])(?:(?P<prefix>python|py|cp)?3\.(?P<minor>[0-9]{1,2})(?P<patch>(?:\.[0-9]+)*)"
    r"|(?P<tag>py|cp)3(?P<tag_minor>[0-9]{1,2}))(?![0-9])(?!\.[0-9])",
    re.IGNORECASE,
)
#: Words that say nothing beyond the value they stand beside.
_RESTATING = frozenset(
    """
    a an and the this here we is are of on in to for with from via or
    python cpython py cp version versions interpreter runtime image images base tag
    use uses used using set sets setup up install installs installed installing
    run runs running test tests testing build builds building stage
    default target targets targeting env environment matrix job jobs step ci
    docker container official slim alpine bookworm bullseye
    newer later above plus
    ruff black mypy pyright pyupgrade
    """.split()  # noqa: SIM905
)
#: A comment that is a value taken out of the file: a list entry (``- "3.10"``), a key and its
#: value (``python-version: "3.10"``, ``target-version = "py310"``), an instruction or a line
#: of a file of versions (``FROM python:3.10``, ``3.10``).
_COMMENTED_OUT = lazy_pattern(
    r"^(?:-[ \t]+\S+|[\w.-]+[ \t]*[:=][ \t]*\S+|(?:FROM|ARG)[ \t].*"
    r"|(?:python-)?[0-9]+\.[0-9]+\S*)$",
    re.IGNORECASE,
)
#: Plain words of a comment (numbers and version tokens taken out first).
_WORD = lazy_pattern(r"[a-z]+", re.IGNORECASE)


@record(frozen=True)
class Comment:
    """A comment of a file, by its span: on a line of its own, or after what it explains."""

    start: int  # the ``#`` (or ``//``)
    end: int  # the end of the line, newline excluded
    whole_line: bool
    marker: int = 1  # the length of what starts it

    def text(self, source: str) -> str:
        return source[self.start : self.end]

    def body(self, source: str) -> str:
        """Its words, without the ``#`` or ``//``."""
        return source[self.start + self.marker : self.end].strip()


@record(frozen=True)
class _Token:
    """A Python version a comment names: its span, its minor version, and how it is written."""

    start: int
    end: int
    minor: tuple[int, int]
    written: str
    patch: bool


def _tokens(text: str, start: int = 0, end: int | None = None) -> list[_Token]:
    found = []
    for match in _VERSION.finditer(text, start, len(text) if end is None else end):
        minor = match["minor"] if match["minor"] is not None else match["tag_minor"]
        found.append(
            _Token(match.start(), match.end(), (3, int(minor)), match[0], bool(match["patch"]))
        )
    return found


def versions_named(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The Python minors ``text[start:end]`` names, in any spelling ``_VERSION`` knows."""
    return [token.minor for token in _tokens(text, start, end)]


class _Comments:
    """Where a file's comments are. A ``#`` starts a comment at the start of a line or after a
    blank, outside the file's data: not inside a YAML scalar or a TOML string as their scanners
    read them, not in a Dockerfile heredoc body (the data spans are read once a file). In a
    file of lines and in a Dockerfile only whole comment lines are comments (a ``#`` after an
    instruction is part of it); in a file of lines, a comment line is data (its edits are
    declared)."""

    def __init__(self, document: Document) -> None:
        # Not the document itself: this is the value of a weak mapping keyed by the document,
        # and a value that held its key would keep every document of the run alive.
        self.lines = document.lines
        #: What starts a comment: ``//`` in JSON with comments, else ``#``.
        self.marker = "//" if document.format == "jsonc" else "#"
        # tox reads a ``#`` after a blank as a comment; configparser itself does not.
        self.trailing = document.format in ("yaml", "toml", "jsonc") or document.kind == "tox"
        #: A text without the marker has no comment: its data spans are never read.
        self.none = self.marker not in document.text
        self.data = [] if self.none else _data_spans(document)
        self.data_starts = [start for start, _end in self.data]
        #: Python source: the column of each line's comment, as Python's tokenizer finds it.
        python = document.format == "python" and not self.none
        self.python = _python_comments(document.text) if python else None

    def at(self, number: int) -> Comment | None:
        """The comment of line ``number``, or None."""
        if self.none:
            return None
        lines = self.lines
        line = lines.line_text(number)
        start = lines.starts[number - 1]
        if self.python is not None:
            column = self.python.get(number)
            if column is None:
                return None
            return Comment(start + column, start + len(line), not line[:column].strip())
        marker = self.marker
        stripped = len(line) - len(line.lstrip(" \t"))
        candidates = [stripped] if line.startswith(marker, stripped) else []
        if self.trailing and not candidates:
            candidates = [
                i
                for i in range(1, len(line))
                if line.startswith(marker, i) and line[i - 1] in " \t"
            ]
        for at in candidates:
            if not self._in_data(start + at):
                whole = not line[:at].strip()
                return Comment(start + at, start + len(line), whole, len(marker))
        return None

    def _in_data(self, offset: int) -> bool:
        index = bisect.bisect_right(self.data_starts, offset) - 1
        return index >= 0 and offset < self.data[index][1]


def _python_comments(text: str) -> dict[int, int]:
    """The column (in characters) of the comment of each line of Python source that has one."""
    import io
    import tokenize

    found: dict[int, int] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                found[token.start[0]] = token.start[1]
    except (tokenize.TokenError, SyntaxError):
        pass  # the comments read so far stand
    return found


def _data_spans(document: Document) -> list[tuple[int, int]]:
    """The spans of the document's text that are data, sorted (see ``_Comments``)."""
    text = document.text
    if document.format == "yaml":
        from modernize.formats import yamldoc

        spans = yamldoc.scalar_token_spans(text)
    elif document.format == "toml":
        from modernize.formats import toml

        spans = [
            span
            for value in document.toml.located.values()
            for span in toml.string_spans(text, value)
        ]
    elif document.format == "jsonc":
        spans = [(string.start - 1, string.end + 1) for string in document.jsonc.all_strings]
    elif document.format == "dockerfile":
        spans = [
            span
            for instruction in document.dockerfile.instructions
            for span in instruction.heredoc_bodies
        ]
    else:
        spans = []
    return sorted(spans)


_BY_DOCUMENT: weakref.WeakKeyDictionary[Document, _Comments] = weakref.WeakKeyDictionary()


def _comments_of(document: Document) -> _Comments:
    """The document's comments, read once however many times its edits are heeded."""
    found = _BY_DOCUMENT.get(document)
    if found is None:
        found = _BY_DOCUMENT[document] = _Comments(document)
    return found


def _comments_about(document: Document, edit: Edit, comments: _Comments) -> list[Comment]:
    """The comments that may speak about the text ``edit`` changes: those on its lines and the
    block of comment lines directly above its first line."""
    text, lines = document.text, document.lines
    first = lines.line_of(edit.start)
    if edit.end > edit.start and text[edit.start : edit.start + 1] in ("\r", "\n"):
        first += 1  # a removal that takes the newline before its line
    last = lines.line_of(max(edit.start, edit.end - 1))
    found = []
    for number in range(first, max(first, last) + 1):
        if number > len(lines.starts):
            break
        comment = comments.at(number)
        if comment is not None:
            found.append(comment)
    number = first - 1
    while number >= 1:
        comment = comments.at(number)
        if comment is None or not comment.whole_line:
            break
        found.append(comment)
        number -= 1
    return found


def _restates(body: str) -> bool:
    """Whether every word of ``body`` (versions taken out) only restates a value."""
    prose = _VERSION.sub(" ", body)
    return all(word.lower() in _RESTATING for word in _WORD.findall(prose))


@record
class _Reading:
    """What the comments around a file's edits decide. Each update and warning keeps the
    indexes of the edits it belongs to: it stands only if one of them is made."""

    stopped: dict[int, Comment] = field(default_factory=dict)  # edit index -> its comment
    updates: dict[int, tuple[Edit | Notice, set[int]]] = field(default_factory=dict)

    def add(self, comment: Comment, made: Edit | Notice, index: int) -> None:
        self.updates.setdefault(comment.start, (made, set()))[1].add(index)


def _read(document: Document, edits: list[Edit], targets: Targets) -> _Reading:
    text, lines = document.text, document.lines
    target = (targets.python.major, targets.python.minor)
    reading = _Reading()
    comments: _Comments | None = None  # read when an edit first moves a version
    for index, edit in enumerate(edits):
        moved = {
            token.minor
            for token in _tokens(text, edit.start, edit.end)
            if below(*token.minor, targets.python)
        }
        if not moved:
            continue
        goes = not edit.replacement.strip() and "\n" in text[edit.start : edit.end]
        replaced = any(token.minor == target for token in _tokens(edit.replacement))
        comments = comments or _comments_of(document)
        for comment in _comments_about(document, edit, comments):
            tokens = _tokens(text, comment.start, comment.end)
            named = [token for token in tokens if token.minor in moved]
            if not named and lines.line_of(comment.start) >= lines.line_of(edit.start):
                # Beside the value, any version below the target may say why it stays
                # (``# keep: the stubs break on 3.11``).
                named = [token for token in tokens if below(*token.minor, targets.python)]
            if not named:
                continue
            body = comment.body(text)
            if _COMMENTED_OUT.match(body):
                continue  # a value taken out (``# - "3.10"``), not words about one
            if not _restates(body):
                reading.stopped.setdefault(index, comment)
                continue
            if comment.start in reading.updates:
                reading.updates[comment.start][1].add(index)
                continue
            around = [other for other in edits if other.start <= comment.start < other.end]
            if around and comment.text(text) not in around[0].replacement:
                continue  # the edit rewrites or removes it
            if around:  # the edit keeps it as it is (a list written anew around its comments)
                reading.add(comment, _by_hand(comment, named[0], body, "around"), index)
                continue
            line_start = lines.line_start(comment.start)
            line_end = lines.line_end(line_start)
            clear = not any(other.start < line_end and line_start < other.end for other in edits)
            # In a file of lines, each line is data: the edit says which it rewrites.
            declares: tuple[Operation, ...] = ()
            if document.format == "lines":
                declares = (InPlace(("line", lines.line_of(comment.start) - 1)),)
            if goes and comment.whole_line and clear:
                reading.add(comment, Edit(line_start, line_end, "", declares), index)
            elif replaced and len(tokens) == 1 and named[0].minor in moved and not named[0].patch:
                update = _updated(text, comment, named[0], targets)
                reading.add(comment, replace(update, declares=declares), index)
            else:
                reading.add(comment, _by_hand(comment, named[0], body, "beside"), index)
    # A comment that stops one edit is never updated for another.
    for comment in reading.stopped.values():
        reading.updates.pop(comment.start, None)
    return reading


def _by_hand(comment: Comment, token: _Token, body: str, where: str) -> Notice:
    """A restating comment that cannot be updated without guessing: said, not changed."""
    major, minor = token.minor
    return Notice(
        comment.start,
        f"this comment names Python {major}.{minor}, which the change {where} it moves: "
        f"update it by hand ({body})",
        advisory=True,
    )


def _updated(text: str, comment: Comment, token: _Token, targets: Targets) -> Edit:
    """``comment`` with the version it names written as the target, in the same spelling."""
    major, minor = targets.python.major, targets.python.minor
    letters = re.match(r"[a-z]*", token.written, re.IGNORECASE)
    prefix = letters[0] if letters else ""
    written = f"{prefix}{major}.{minor}" if "." in token.written else f"{prefix}{major}{minor}"
    return Edit(token.start, token.end, written)


def kept_by_comments(
    results: Iterable[Edit | Notice], document: Document, targets: Targets
) -> Iterator[Edit | Notice]:
    """``results`` with the comments around their edits heeded (see the module docstring)."""
    results = list(results)
    edits = [result for result in results if isinstance(result, Edit)]
    yield from (result for result in results if isinstance(result, Notice))
    if not edits or (
        # Python source: only edits of a version (setup.py's claim) have comments to heed.
        document.format == "python"
        and not any(_tokens(document.text, edit.start, edit.end) for edit in edits)
    ):
        yield from edits
        return
    reading = _read(document, edits, targets)
    groups = {edits[index].group for index in reading.stopped} - {None}
    dropped = set(reading.stopped) | {
        index for index, edit in enumerate(edits) if edit.group is not None and edit.group in groups
    }
    quoted: set[int] = set()
    for index, comment in sorted(reading.stopped.items()):
        if comment.start in quoted:
            continue
        quoted.add(comment.start)
        group = edits[index].group
        others = group is not None and _indexes(edits, group) - set(reading.stopped)
        body = comment.body(document.text)
        yield Notice(
            # At the value below the comment; at the comment when it is inside the edit (a list
            # written anew, whose first line may be far above it).
            max(comment.start, edits[index].start),
            f"not changed: the comment {body!r} may explain this pin; if it no longer holds, "
            "change the value (and the comment) by hand"
            + ("; the changes that go with it are not made either" if others else ""),
            advisory=True,
        )
    yield from (edit for index, edit in enumerate(edits) if index not in dropped)
    for made, owners in reading.updates.values():
        if owners - dropped:
            yield made


def _indexes(edits: list[Edit], group: object) -> set[int]:
    return {index for index, edit in enumerate(edits) if edit.group == group}


def stopping_comment(document: Document, edits: list[Edit], targets: Targets) -> str:
    """The text of the comment that holds back one of ``edits``, or "" (as
    ``kept_by_comments`` reads them)."""
    stopped = _read(document, edits, targets).stopped
    if not stopped:
        return ""
    return stopped[min(stopped)].body(document.text)


def explaining_comment_above(document: Document, offset: int, moved: set[tuple[int, int]]) -> str:
    """The text of a comment in the block directly above the line of ``offset`` that names
    one of the ``moved`` minors and may explain the pin, or "": for a value that moves from
    elsewhere (a FROM line whose tag comes from a build argument)."""
    comments = _comments_of(document)
    number = document.lines.line_of(offset) - 1
    while number >= 1:
        comment = comments.at(number)
        if comment is None or not comment.whole_line:
            return ""
        body = comment.body(document.text)
        named = {token.minor for token in _tokens(document.text, comment.start, comment.end)}
        if named & moved and not _COMMENTED_OUT.match(body) and not _restates(body):
            return body
        number -= 1
    return ""
