"""One version of one file's text, parsed at most once per format it is read as."""

from __future__ import annotations

import bisect
import contextlib
import warnings
from collections.abc import Hashable, Iterator, Sequence
from functools import cached_property
from typing import TYPE_CHECKING

from modernize.formats import line_starts
from modernize.kinds import YAML_KINDS as YAML_KINDS
from modernize.kinds import format_of
from modernize.model import DataPath

if TYPE_CHECKING:
    import ast

    from modernize.formats import datatree
    from modernize.formats.dockerfile import Dockerfile
    from modernize.formats.ini import IniDocument
    from modernize.formats.jsonc import JsoncDocument
    from modernize.formats.toml import TomlDocument
    from modernize.formats.yamldoc import YamlDocument


@contextlib.contextmanager
def quiet_compiler() -> Iterator[None]:
    """Keep the warnings Python's compiler gives about the code it reads (an invalid escape
    sequence ``"\\d"``, ``is`` with a literal) from stderr: they are about the repository's
    source, not about the run, and would come out twice, outside the ``path:line:`` format."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        warnings.simplefilter("ignore", DeprecationWarning)  # SyntaxWarning before 3.12
        yield


def parse_python(text: str, path: str = "<unknown>") -> ast.Module:
    """Python's syntax tree of ``text`` (raises what ``ast.parse`` raises), quietly."""
    import ast  # a run of no Python file needs none of it

    with quiet_compiler():
        return ast.parse(text, path)


class LineIndex:
    """Maps character offsets to 1-based line numbers (any of \\n, \\r\\n ends a line)."""

    def __init__(self, text: str) -> None:
        self.starts: Sequence[int] = line_starts(text)
        self.text = text

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def line_start(self, offset: int) -> int:
        return self.starts[self.line_of(offset) - 1]

    def line_end(self, offset: int) -> int:
        """Offset just past the newline that ends the line holding ``offset`` (or text end)."""
        line = self.line_of(offset)
        return self.starts[line] if line < len(self.starts) else len(self.text)

    def line_text(self, line: int) -> str:
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")


class Document:
    """What a migration receives: the text, its kind, and cached parses of it."""

    def __init__(self, path: str, kind: str, text: str) -> None:
        self.path = path
        self.kind = kind
        self.text = text
        #: The format the kind is parsed as (``modernize.kinds``).
        self.format = format_of(kind)

    @cached_property
    def lines(self) -> LineIndex:
        return LineIndex(self.text)

    @cached_property
    def yaml(self) -> YamlDocument:
        from modernize.formats import yamldoc

        return yamldoc.parse(self.text)

    @cached_property
    def dockerfile(self) -> Dockerfile:
        from modernize.formats import dockerfile

        return dockerfile.parse(self.text)

    @cached_property
    def toml(self) -> TomlDocument:
        from modernize.formats import toml

        return toml.parse(self.text)

    @cached_property
    def ini(self) -> IniDocument:
        from modernize.formats import ini

        return ini.parse(self.text)

    @cached_property
    def jsonc(self) -> JsoncDocument:
        from modernize.formats import jsonc

        return jsonc.parse(self.text)

    def line_of(self, offset: int) -> int:
        return self.lines.line_of(offset)

    @cached_property
    def python(self) -> ast.Module:
        """The module's syntax tree (Python's own parser; raises ParseError)."""
        from modernize.errors import ParseError

        try:
            return parse_python(self.text, self.path)
        except SyntaxError as error:
            raise ParseError(f"invalid Python: {error.msg}", error.lineno) from error
        except (ValueError, RecursionError, MemoryError) as error:  # null bytes, deep nesting
            raise ParseError(f"invalid Python: {error}") from error

    def parse(self, *, complete: bool = False) -> None:
        """Parse as this kind's format (raising ParseError), so errors surface before migrating.

        ``complete`` compiles Python source even when its tree was already built: the check for
        edited text. Dockerfiles, Makefiles and version files have nothing to check: their
        scanners accept any text, so they are scanned only when a migration reads them.
        """
        if self.format == "yaml":
            _ = self.yaml
        elif self.format == "toml":
            _ = self.toml
        elif self.format == "ini":
            _ = self.ini
        elif self.format == "jsonc":
            _ = self.jsonc
        elif self.format == "python":
            if "python" in self.__dict__ and not complete:
                return  # the tree is built: the text parses
            from modernize.errors import ParseError

            # Compiling is faster than building a tree, and also finds what only the compiler
            # rejects (``return`` outside a function); a migration builds the tree if it needs it.
            try:
                with quiet_compiler():
                    compile(self.text, self.path, "exec", dont_inherit=True)
            except SyntaxError as error:
                raise ParseError(f"invalid Python: {error.msg}", error.lineno) from error
            except (ValueError, RecursionError, MemoryError) as error:
                raise ParseError(f"invalid Python: {error}") from error

    @cached_property
    def model(self) -> datatree.DataModel | None:
        """The file's data model for the proof; None for Python source, whose edits are
        proven line by line (``undeclared_changes``)."""
        if self.format == "yaml":
            return self.yaml
        if self.format == "toml":
            return self.toml
        if self.format == "dockerfile":
            return self.dockerfile
        if self.format == "ini":
            return self.ini
        if self.format == "jsonc":
            return self.jsonc
        if self.format == "python":
            return None
        return Lines(self.text, self.lines)

    def with_text(self, text: str) -> Document:
        return Document(self.path, self.kind, text)

    def changed_paths(self, other: Document) -> set[DataPath]:
        """Data paths whose parsed value differs between this version and ``other``."""
        if self.format == "yaml":
            before, after = self.yaml.data(), other.yaml.data()
            return {
                path for path in before.keys() | after.keys() if before.get(path) != after.get(path)
            }
        if self.format in ("toml", "ini", "jsonc"):
            old, new = self.model.data(), other.model.data()  # type: ignore[union-attr]
            return {path for path in old.keys() | new.keys() if old.get(path) != new.get(path)}
        if self.format == "dockerfile":
            changed: set[DataPath] = set()
            if self.dockerfile.directives != other.dockerfile.directives:
                changed.add(("directive",))
            old_data, new_data = self.dockerfile.data(), other.dockerfile.data()
            if len(old_data) == len(new_data):
                # Edits that keep every instruction compare position by position: aligning
                # them could pair an edited FROM with an identical one elsewhere.
                changed.update(
                    ("instruction", index)
                    for index, (old, new) in enumerate(zip(old_data, new_data, strict=True))
                    if old != new
                )
                return changed
            import difflib

            matcher = difflib.SequenceMatcher(None, old_data, new_data, autojunk=False)
            for tag, i1, i2, _j1, _j2 in matcher.get_opcodes():
                if tag != "equal":
                    changed.update(("instruction", index) for index in range(i1, max(i2, i1 + 1)))
            return changed
        import difflib

        old_lines = self.text.splitlines()
        new_lines = other.text.splitlines()
        line_matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
        return {
            ("line", index)
            for tag, i1, i2, _j1, _j2 in line_matcher.get_opcodes()
            if tag != "equal"
            for index in range(i1, max(i2, i1 + 1))
        }

    def undeclared_changes(self, other: Document, declared: set[DataPath]) -> list[DataPath]:
        """The data paths that differ between this version and ``other`` outside ``declared``
        (a path is covered by itself or any prefix of it)."""
        if self.format == "python" and ("line",) not in declared and () not in declared:
            lines = {path[1] for path in declared if len(path) == 2 and path[0] == "line"}
            if kept_outside(self.text, other.text, {n for n in lines if isinstance(n, int)}):
                return []
        return sorted(
            (path for path in self.changed_paths(other) if not _covered(path, declared)),
            key=repr,
        )


def _covered(path: DataPath, declared: set[DataPath]) -> bool:
    return any(path[:length] in declared for length in range(len(path) + 1))


def kept_outside(old: str, new: str, declared: set[int]) -> bool:
    """Whether ``new`` is ``old`` with only the lines at ``declared`` indexes replaced (by any
    number of lines, including none).

    The undeclared lines form runs between declared ones; each must appear whole and in order,
    the first at the start and the last at the end, anything at all in the gaps. Matching every
    run at its earliest place finds such a reading whenever one exists. Lines are coded as
    characters so that ``str.find`` does the searching; linear in practice, where a line diff
    of a large file is not.
    """
    codes: dict[str, str] = {}

    def code(lines: list[str]) -> str:
        return "".join(codes.setdefault(line, chr(0x100 + len(codes))) for line in lines)

    old_lines = old.split("\n")  # lines as LineIndex counts them, which the edits declare
    runs: list[list[str]] = [[]]
    for index, line in enumerate(old_lines):
        if index in declared:
            runs.append([])
        else:
            runs[-1].append(line)
    if len(old_lines) in declared:  # an insertion after the last line
        runs.append([])
    coded = [code(run) for run in runs]
    target = code(new.split("\n"))
    if len(coded) == 1:
        return target == coded[0]
    if not target.startswith(coded[0]):
        return False
    position = len(coded[0])
    for run in coded[1:-1]:
        found = target.find(run, position)
        if found < 0:
            return False
        position = found + len(run)
    return len(target) - len(coded[-1]) >= position and target.endswith(coded[-1])


class Lines:
    """The data model of a file that is its lines (a Makefile, a version file): ``("line",
    n)`` is the n-th line as ``LineIndex`` counts them, with any ``\\r`` it ends with."""

    def __init__(self, text: str, index: LineIndex) -> None:
        self.text = text
        self.index = index

    def tree(self) -> datatree.Node:
        from modernize.formats.datatree import Branch, Leaf

        lines: list[datatree.Node] = [Leaf(line) for line in self.text.split("\n")]
        return Branch("file", {"line": Branch("lines", lines)})

    def leaf_source(
        self, path: DataPath, start: int, end: int
    ) -> tuple[DataPath, datatree.LeafSource]:
        from modernize.errors import ProofError
        from modernize.formats.datatree import LeafSource, shown

        number = self.index.line_of(start) - 1
        leaf_path = ("line", number)
        line_start = self.index.starts[number]
        line_end = self.text.find("\n", line_start)
        line_end = len(self.text) if line_end < 0 else line_end
        if leaf_path[: len(path)] != path or end > line_end:
            raise ProofError(f"the edit at offset {start} is not inside {shown(path)}")
        return leaf_path, LeafSource(self.text[line_start:line_end], [(line_start, line_end, 0)])

    def leaf(self, path: DataPath | None, old: Hashable, value: str, in_place: bool) -> Hashable:
        return value

    def branch(self, old: datatree.Node, values: tuple[str, ...]) -> datatree.Node:
        from modernize.formats.datatree import Branch, Leaf

        return Branch("lines", [Leaf(value) for value in values])
