"""A small Dockerfile scanner that locates instructions and their words by offset.

It understands what real Dockerfiles contain and dockerfile-parse gets wrong: parser directives
(``# syntax=``, ``# escape=``), line continuations with the active escape character, comment and
blank lines inside a continuation, and heredoc bodies (``RUN <<EOF`` … ``EOF``), which are data,
not instructions. CRLF newlines stay in the text and count as two characters, like everywhere else.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Hashable
from dataclasses import field
from functools import cached_property
from typing import TYPE_CHECKING

from modernize.lazy import lazy_pattern
from modernize.model import DataPath
from modernize.records import record

if TYPE_CHECKING:
    from modernize.formats import datatree
    from modernize.formats.datatree import LeafSource

_DIRECTIVE = lazy_pattern(r"#[ \t]*([A-Za-z][\w-]*)[ \t]*=[ \t]*(\S*)[ \t]*$")
_WORD = lazy_pattern(r"\S+")
# A heredoc is a word that starts with ``<<`` (not ``<<<``, a here-string, and not a shift
# such as ``$((1<<N))`` inside a word), as BuildKit reads it.
_HEREDOC = lazy_pattern(r"^<<(-?)([\"']?)([A-Za-z_][A-Za-z0-9_]*)\2")
_KNOWN_DIRECTIVES = frozenset({"syntax", "escape", "check"})
_HEREDOC_KEYWORDS = frozenset({"RUN", "COPY", "ADD"})


@record(frozen=True)
class Word:
    """A word of an instruction, with its span in the file's text."""

    text: str
    start: int
    end: int


@record
class Instruction:
    """One instruction. ``start``/``end`` span its lines (no final newline, no heredoc bodies)."""

    keyword: str
    keyword_start: int
    start: int
    end: int
    words: list[Word]
    segments: list[tuple[int, int]]
    heredoc_bodies: list[tuple[int, int]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.keyword.upper()

    def argument_text(self) -> str:
        return " ".join(word.text for word in self.words)

    def base_and_stage(self) -> tuple[Word | None, str | None]:
        """For ``FROM [--flags] image [AS name]``: the image word and the stage name as written
        (stage names compare case-insensitively); ``(None, None)`` without an image."""
        plain = [word for word in self.words if not word.text.startswith("--")]
        if not plain:
            return None, None
        named = len(plain) >= 3 and plain[1].text.lower() == "as"
        return plain[0], plain[2].text if named else None

    def flags(self) -> list[Word]:
        """The leading ``--name[=value]`` words (a ``--`` later on belongs to a command)."""
        leading = []
        for word in self.words:
            if not word.text.startswith("--"):
                break
            leading.append(word)
        return leading

    def read_from(self) -> list[tuple[str, str]]:
        """``(how, stage or image)`` for each place the instruction reads files from:
        ``("copy", "build")`` for ``COPY --from=build``, ``("mount", "build")`` for
        ``RUN --mount=type=bind,from=build,…``."""
        found = []
        for word in self.flags():
            flag, _, value = word.text.partition("=")
            if flag.lower() == "--from" and value:
                found.append(("copy", value))
            elif flag.lower() == "--mount":
                for option in value.split(","):
                    key, _, source = option.partition("=")
                    if key.strip().lower() == "from" and source:
                        found.append(("mount", source))
        return found


@record
class Dockerfile:
    """A parsed Dockerfile: its text, escape character, parser directives and instructions."""

    text: str
    escape: str
    directives: dict[str, str]
    instructions: list[Instruction]

    @cached_property
    def stages(self) -> Stages:
        """The build stages, computed once per parse."""
        return stages(self.instructions)

    def data(self) -> list[tuple[str, str, tuple[str, ...]]]:
        """What the file means to a builder, for the verification pass to compare."""
        return [
            (
                instruction.name,
                instruction.argument_text(),
                tuple(self.text[start:end] for start, end in instruction.heredoc_bodies),
            )
            for instruction in self.instructions
        ]

    # The data model for the proof (``datatree.DataModel``): ``("directive",)`` holds the parser
    # directives; ``("instruction", n)`` the n-th instruction, with its ``name``, its
    # ``words`` and its ``heredocs`` bodies. Comment lines inside a continuation carry nothing.

    def tree(self) -> datatree.Node:
        from modernize.formats.datatree import Branch, Leaf

        instructions: list[datatree.Node] = [
            Branch(
                "instruction",
                {
                    "name": Leaf(instruction.name),
                    "words": Branch("words", [Leaf(word.text) for word in instruction.words]),
                    "heredocs": Branch(
                        "heredocs",
                        [Leaf(self.text[start:end]) for start, end in instruction.heredoc_bodies],
                    ),
                },
            )
            for instruction in self.instructions
        ]
        return Branch(
            "dockerfile",
            {
                "directive": Leaf(tuple(sorted(self.directives.items()))),
                "instruction": Branch("instructions", instructions),
            },
        )

    def leaf_source(self, path: DataPath, start: int, end: int) -> tuple[DataPath, LeafSource]:
        """The word or heredoc body of the instruction at ``path`` that holds the span."""
        from modernize.errors import ProofError
        from modernize.formats.datatree import LeafSource, shown

        index = path[1] if len(path) >= 2 and path[0] == "instruction" else None
        if isinstance(index, int) and 0 <= index < len(self.instructions):
            instruction = self.instructions[index]
            spans = [
                (("instruction", index, "words", number), word.start, word.end)
                for number, word in enumerate(instruction.words)
            ]
            spans += [
                (("instruction", index, "heredocs", number), body_start, body_end)
                for number, (body_start, body_end) in enumerate(instruction.heredoc_bodies)
            ]
            for leaf_path, leaf_start, leaf_end in spans:
                if leaf_path[: len(path)] == path and leaf_start <= start and end <= leaf_end:
                    value = self.text[leaf_start:leaf_end]
                    return leaf_path, LeafSource(value, [(leaf_start, leaf_end, 0)])
        raise ProofError(f"no word or heredoc of {shown(path)} holds the edit at offset {start}")

    def leaf(self, path: DataPath | None, old: Hashable, value: str, in_place: bool) -> Hashable:
        return value

    def branch(self, old: datatree.Node, values: tuple[str, ...]) -> datatree.Node:
        from modernize.formats.datatree import Branch, Leaf

        return Branch("words", [Leaf(value) for value in values])


@record(frozen=True)
class Stage:
    """One build stage: its ``FROM`` (instruction ``start``) and what follows, up to the next
    ``FROM`` (instruction ``end``, excluded).

    ``number`` counts the FROM lines from 0 (``COPY --from=0``); ``base`` is the image word and
    ``name`` the ``AS`` name as written (None without them); ``parent`` is the number of the
    earlier stage ``base`` names (``FROM build``), which this stage is built on.
    """

    number: int
    start: int
    end: int
    base: Word | None
    name: str | None
    parent: int | None

    @property
    def indexes(self) -> range:
        """The indexes of its instructions, its FROM first."""
        return range(self.start, self.end)


@record(frozen=True)
class Stages:
    """The build stages of a Dockerfile, and the build arguments declared before the first
    ``FROM`` (``global_args``: instruction indexes), the only ones a FROM line can use."""

    stages: list[Stage]
    global_args: list[int]
    # How ``--from=`` reads a stage: by name (case-insensitive; a later stage of the same name
    # wins), else by number.
    references: dict[str, int]

    def find(self, reference: str) -> Stage | None:
        """The stage a ``COPY --from=`` or ``--mount=…,from=`` value names, if it is one."""
        number = self.references.get(reference.lower())
        return None if number is None else self.stages[number]

    def holding(self, index: int) -> Stage | None:
        """The stage instruction ``index`` belongs to (None before the first FROM)."""
        position = bisect_right(self.stages, index, key=lambda stage: stage.start)
        return self.stages[position - 1] if position else None

    def chain(self, stage: Stage) -> list[Stage]:
        """``stage`` after the earlier stages it is built on (``FROM base``, transitively):
        the stages whose instructions it inherits, parents first."""
        found = [stage]
        while found[0].parent is not None:
            found.insert(0, self.stages[found[0].parent])
        return found


def stages(instructions: list[Instruction]) -> Stages:
    """The build stages of ``instructions``. A FROM names an earlier stage by its name only
    (as BuildKit reads it); the first FROM ends the global build arguments."""
    froms = [index for index, instruction in enumerate(instructions) if instruction.name == "FROM"]
    ends = [*froms[1:], len(instructions)] if froms else []
    before_first = froms[0] if froms else len(instructions)
    global_args = [index for index in range(before_first) if instructions[index].name == "ARG"]
    names: dict[str, int] = {}
    numbers: dict[str, int] = {}
    found: list[Stage] = []
    for number, (start, end) in enumerate(zip(froms, ends, strict=True)):
        base, name = instructions[start].base_and_stage()
        parent = names.get(base.text.lower()) if base is not None else None
        if name is not None:
            names[name.lower()] = number
        if base is not None:
            numbers[str(number)] = number
        found.append(Stage(number, start, end, base, name, parent))
    return Stages(found, global_args, {**numbers, **names})


def _lines(text: str) -> list[tuple[int, int, int]]:
    """(start, content_end, next_start) for each line; content excludes the newline."""
    result = []
    position = 0
    length = len(text)
    while position < length:
        newline = text.find("\n", position)
        next_start = length if newline < 0 else newline + 1
        content_end = length if newline < 0 else newline
        if content_end > position and text[content_end - 1] == "\r":
            content_end -= 1
        result.append((position, content_end, next_start))
        position = next_start
    return result


def parse(text: str) -> Dockerfile:
    lines = _lines(text)
    directives, index = _directives(text, lines)
    escape = "`" if directives.get("escape") == "`" else "\\"
    instructions: list[Instruction] = []
    while index < len(lines):
        start, end, _ = lines[index]
        stripped = text[start:end].lstrip()
        if not stripped or stripped.startswith("#"):
            index += 1
            continue
        instruction, index = _instruction(text, lines, index, escape)
        if instruction.name in _HEREDOC_KEYWORDS:
            index = _read_heredocs(text, lines, index, instruction)
        instructions.append(instruction)
    return Dockerfile(text, escape, directives, instructions)


def _directives(text: str, lines: list[tuple[int, int, int]]) -> tuple[dict[str, str], int]:
    """The parser directives at the top of the file, and the index of the line after them."""
    directives: dict[str, str] = {}
    index = 0
    while index < len(lines):
        start, end, _ = lines[index]
        match = _DIRECTIVE.match(text, start, end)
        # An unknown directive is a comment, and it ends the directives like any comment.
        if (
            not match
            or match.group(1).lower() in directives
            or match.group(1).lower() not in _KNOWN_DIRECTIVES
        ):
            break
        directives[match.group(1).lower()] = match.group(2)
        index += 1
    return directives, index


def _instruction(
    text: str, lines: list[tuple[int, int, int]], index: int, escape: str
) -> tuple[Instruction, int]:
    """The instruction starting on line ``index`` (its continuation lines too, without its
    heredoc bodies), and the index of the line after it."""
    start, end, _ = lines[index]
    content = text[start:end]
    keyword_start = start + len(content) - len(content.lstrip())
    keyword_end = keyword_start
    while keyword_end < end and not text[keyword_end].isspace():
        keyword_end += 1
    keyword = text[keyword_start:keyword_end]
    segments: list[tuple[int, int]] = []
    segment_start = keyword_end
    last_end = end
    while True:
        segment_end, continued = _strip_continuation(text, segment_start, end, escape)
        segments.append((segment_start, segment_end))
        last_end = end
        index += 1
        if not continued:
            break
        # Comment and blank lines inside a continuation belong to the instruction but
        # carry no arguments.
        while index < len(lines):
            start, end, _ = lines[index]
            inner = text[start:end].lstrip()
            if inner and not inner.startswith("#"):
                break
            index += 1
        if index >= len(lines):
            break
        start, end, _ = lines[index]
        segment_start = start
    words = [
        Word(match.group(), match.start(), match.end())
        for seg_start, seg_end in segments
        for match in _WORD.finditer(text, seg_start, seg_end)
    ]
    return Instruction(keyword, keyword_start, keyword_start, last_end, words, segments), index


def _strip_continuation(text: str, start: int, end: int, escape: str) -> tuple[int, bool]:
    """The end of a line's argument text, and whether the line continues on the next one."""
    trimmed = end
    while trimmed > start and text[trimmed - 1] in " \t":
        trimmed -= 1
    if trimmed > start and text[trimmed - 1] == escape:
        return trimmed - 1, True
    return end, False


def _read_heredocs(
    text: str, lines: list[tuple[int, int, int]], index: int, instruction: Instruction
) -> int:
    for word in instruction.words:
        match = _HEREDOC.match(word.text)
        if match is None:
            continue
        strip_tabs = match.group(1) == "-"
        delimiter = match.group(3)
        body_start = lines[index][0] if index < len(lines) else len(text)
        body_end = len(text)
        while index < len(lines):
            start, end, _ = lines[index]
            line = text[start:end]
            if (line.lstrip("\t") if strip_tabs else line) == delimiter:
                body_end = start
                index += 1
                break
            index += 1
        instruction.heredoc_bodies.append((body_start, body_end))
    return index
