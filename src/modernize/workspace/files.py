"""Find candidate files and read them once (``workspace.writing`` writes them back).

Reading keeps everything a byte-exact write needs: the UTF-8 BOM, the newline style (it stays in
the text: nothing is translated) and whether the file ends with a newline (likewise).
"""

from __future__ import annotations

import contextlib
import functools
import operator
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from modernize.errors import ModernizeError, ReadError, TooLarge, UnsuitableFile
from modernize.kinds import (
    CONTENT_KINDS,
    KNOWN_KINDS,
    KindOfName,
    Remembered,
    classify,
    kinds_of_names_in,
    name_pattern,
)
from modernize.lazy import lazy_pattern
from modernize.records import record
from modernize.workspace import reading
from modernize.workspace.ignore import PatternList
from modernize.workspace.ignore_files import IgnoreRules, repository_top, unusable_ignore_file
from modernize.workspace.reading import read_regular_file
from modernize.workspace.writing import TEMP_PREFIX, TEMP_SUFFIX

BOM = "\ufeff"
MAX_FILE_BYTES = reading.MAX_FILE_BYTES
SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", ".venv", "venv", "node_modules", ".tox", ".nox"})

_BARE_CR = lazy_pattern(r"\r(?!\n)")


def display_path(root_argument: str, relative: str) -> str:
    """How to show a file found under the PATH the user gave: relative to the current
    directory when PATH is ``.``, the PATH itself when it is not a directory (a file, and also a
    dangling link or a FIFO the run passes over), else PATH/relative."""
    return displayer(root_argument)(relative)


def displayer(root_argument: str) -> Callable[[str], str]:
    """``display_path`` for the files found under one PATH, which is looked at once."""
    if root_argument in (".", "./", ""):
        return _as_found
    if not os.path.isdir(root_argument):
        return lambda _relative: root_argument
    return functools.partial(os.path.join, root_argument)


def _as_found(relative: str) -> str:
    return relative


@record(frozen=True, slots=True)
class Candidate:
    """A file to consider: ``location``, its path as the walk found it (``path`` makes it a
    Path: most files never need one), and ``relative``, POSIX-style and relative to the root
    given."""

    location: str
    relative: str
    kind: str
    skip_reason: str = ""

    @property
    def path(self) -> Path:
        return Path(self.location)


def discover(
    root: Path,
    kinds: frozenset[str],
    exclude: Sequence[str] = (),
    exclude_base: Path | None = None,
    trees: list[str] | None = None,
    configured: list[str] | None = None,
) -> Iterator[Candidate]:
    """Yield the files under ``root`` (or ``root`` itself) whose kind is in ``kinds``.

    A folder below ``root`` that holds a ``.github`` folder of its own is another project's
    tree (a vendored copy, a subtree): its workflows never run, and nothing in it is this
    repository's to change. It is not walked, unless it is ``root`` itself; ``trees``, when
    given, gets the relative path of each one passed over.

    A folder below ``root`` with a configuration of its own (a ``.modernize.toml``, or a
    pyproject.toml with a ``[tool.modernize]`` table) is not walked either: its files take its
    settings, so it is run as a PATH of its own (``configured_trees_below``); ``configured``,
    when given, gets the relative path of each.

    ``exclude`` patterns are relative to ``exclude_base`` (the configuration file's
    directory), or to ``root`` when it is not given; they hold for a file named as ``root``
    too, so a hook that passes every file of a repository still leaves them alone.

    Symbolic links are never followed into directories. A linked file is skipped: when its
    target is inside the root, the target is visited under its own name; when it is outside,
    writing through it would change a file outside the repository, so it is reported.
    """
    excluded = PatternList(exclude) if exclude else None
    if not root.is_dir():
        prefix = _relative_to_base(root.parent.resolve() / root.name, exclude_base)
        if excluded is not None and prefix is not None and excluded.ignores_path(prefix, False):
            return
        kind = classify(root.resolve().as_posix() if not root.is_symlink() else root.name)
        if kind in kinds:
            if root.is_symlink():
                reason = "a symbolic link; not written through (name its target instead)"
                yield Candidate(str(root), root.name, kind, reason)
            elif _outside_its_repository(root):
                reason = (
                    "a folder on its path is a symbolic link out of the repository; "
                    "not read or written"
                )
                yield Candidate(str(root), root.name, kind, reason)
            else:
                yield Candidate(str(root), root.name, kind)
        return
    # A PATH that is a link to a folder is followed when the folder is in the repository the
    # link is named in (or is a repository itself); one that leads out of it is not, as the
    # walk would never follow it and as a file named through it is not read.
    if folder_leaves_its_repository(root):
        raise ModernizeError(f"{root}: {FOLDER_LEAVES}")
    resolved_root = root.resolve()
    prefix = _relative_to_base(resolved_root, exclude_base)
    if excluded is not None and prefix is None:
        excluded = None  # a root outside the configuration's directory: its patterns say nothing
    if excluded is not None and prefix and excluded.ignores_path(prefix, True):
        return  # the root lies in an excluded directory
    # Kinds are told by name, except workflows: by the names of the two folders above.
    above = resolved_root.parts[-2:]
    rules = IgnoreRules(excluded=excluded, excluded_prefix=prefix + "/" if prefix else "")
    rules = rules.with_repository_rules(resolved_root)
    seen = _PassedOver(trees, configured)
    names = _Names(name_pattern(kinds).fullmatch)
    yield from _walk(str(root), "", above, kinds, names, rules, resolved_root, seen)


def configured_trees_below(
    root: Path, exclude: Sequence[str] = (), exclude_base: Path | None = None
) -> list[str]:
    """The folders below ``root`` (relative to it) that have a configuration of their own,
    nearest first: each is a PATH of its own (a file there gets the same settings whether the
    walk reaches it or it is named alone). Nested ones are found when their parent runs."""
    if not root.is_dir():
        return []
    configured: list[str] = []
    for _ in discover(root, frozenset(), exclude, exclude_base, configured=configured):
        pass
    return configured


def project_trees_below(
    root: Path, exclude: Sequence[str] = (), exclude_base: Path | None = None
) -> list[str]:
    """The folders below ``root`` that discovery passes over as other projects' trees (a walk
    of its own, for ``--verbose``)."""
    if not root.is_dir():
        return []
    trees: list[str] = []
    for _ in discover(root, frozenset(KNOWN_KINDS), exclude, exclude_base, trees):
        pass
    return trees


#: Why a folder named as PATH is not walked.
FOLDER_LEAVES = (
    "a symbolic link (or a folder under one) that leads out of its repository; not walked: "
    "name its target instead"
)


def folder_leaves_its_repository(root: Path) -> bool:
    """Whether the folder named as PATH is, through a link, outside the repository it is named
    in (a link to another repository is inside its own)."""
    return root.is_dir() and _outside_its_repository(root, top_from=root)


def _outside_its_repository(path: Path, top_from: Path | None = None) -> bool:
    """Whether the file named ``path``, once links are followed, lies outside the repository
    it is named in, as the walk would never reach it: the git repository of its folder as
    named (links in the name not followed), or outside one the current directory when the
    file is named below it. (``vendor/Dockerfile``, with ``vendor`` a link out.) With
    ``top_from`` (a folder named as PATH), the repository is looked for from the folder itself,
    so a link to another repository is inside its own."""
    named = Path(os.path.abspath(path))
    start = named if top_from is not None else named.parent  # a folder: its own repository
    top = repository_top(start)
    if top is None:
        here = Path(os.getcwd())
        top = here if named.is_relative_to(here) else start
    try:
        real = named.resolve(strict=True)
        return not real.is_relative_to(top.resolve(strict=True))
    except (OSError, RuntimeError):
        return False  # a missing file is reported when it is read


def _relative_to_base(path: Path, base: Path | None) -> str | None:
    """``path`` as a POSIX path relative to ``base`` ("" when they are the same, ``path``'s
    name when there is no base), or None when it lies outside ``base``."""
    if base is None:
        return "" if path.is_dir() else path.name
    try:
        relative = path.relative_to(base.resolve()).as_posix()
    except ValueError:
        return None
    return "" if relative == "." else relative


def _candidate(entry: os.DirEntry[str], relative: str, kind: str, root: Path) -> Candidate | None:
    if entry.is_symlink():
        if kind in CONTENT_KINDS:
            return None  # told by its content: a link is not read for it
        try:
            target = Path(entry.path).resolve(strict=True)
        except (OSError, RuntimeError):
            return Candidate(
                entry.path, relative, kind, "broken or looping symbolic link; not followed"
            )
        if not target.is_relative_to(root):
            return Candidate(
                entry.path,
                relative,
                kind,
                "symbolic link to a file outside the repository; not written",
            )
        return None  # the target is visited under its own name
    if not entry.is_file(follow_symlinks=False):
        return None
    return Candidate(entry.path, relative, kind)


_BY_NAME = operator.attrgetter("name")


def _walk(
    directory: str,
    relative_dir: str,
    above: tuple[str, ...],
    kinds: frozenset[str],
    names: _Names,
    rules: IgnoreRules,
    root: Path,
    seen: _PassedOver,
) -> Iterator[Candidate]:
    """Depth first, each folder's entries in name order. The folders being walked are a stack
    of their own, not the call stack: a tree thousands of folders deep is walked like any."""
    stack = [_folder(directory, relative_dir, above, kinds, names, rules, root, seen)]
    while stack:
        found = next(stack[-1], None)
        if found is None:
            stack.pop()
        elif isinstance(found, Candidate):
            yield found
        else:
            path, relative, names_above, folder_rules = found
            stack.append(
                _folder(path, relative, names_above, kinds, names, folder_rules, root, seen)
            )


class _Names:
    """A walk's tests of file names: whether a name may be of one of its kinds (``passes``),
    then its kind in a folder (``kinds_in``). A tree's names repeat, and testing them is most
    of a walk's own time."""

    def __init__(self, fullmatch: Callable[[str], object]) -> None:
        self.passes = Remembered(lambda name: fullmatch(name) is not None)
        self._kinds: dict[KindOfName, Remembered] = {}

    def kinds_in(self, above: tuple[str, ...]) -> Remembered:
        """The kind of each name in a folder whose path ends in ``above``."""
        rule = kinds_of_names_in(above)
        found = self._kinds.get(rule)
        if found is None:
            found = self._kinds[rule] = Remembered(rule)
        return found


@record(frozen=True)
class _PassedOver:
    """Where a walk notes the folders it does not walk: other projects' trees, and folders
    with a configuration of their own."""

    trees: list[str] | None = None
    configured: list[str] | None = None


#: The names of a configuration file (``workspace.config``).
_CONFIG_NAMES = frozenset({".modernize.toml", "pyproject.toml"})


def _has_own_configuration(directory: str, entries: Sequence[os.DirEntry[str]]) -> bool:
    """Whether a folder holds a configuration: a ``.modernize.toml``, or a pyproject.toml with
    a ``tool.modernize`` table (one that cannot be read is ``workspace.config``'s error)."""
    names = [entry.name for entry in entries if entry.name in _CONFIG_NAMES]
    if not names:
        return False
    if ".modernize.toml" in names:
        return True
    try:
        text = read_regular_file(Path(directory) / "pyproject.toml")
    except (OSError, UnsuitableFile):
        return False
    if b"modernize" not in text:
        return False
    from modernize.workspace.config import find_config

    found = find_config(Path(directory))
    return found is not None and found.path.parent == Path(directory).resolve()


#: A folder to walk: its path, its path relative to the walk's root, the names of the two
#: folders above its entries, and the ignore rules that hold in it.
_Subfolder = tuple[str, str, tuple[str, ...], IgnoreRules]


def _folder(
    directory: str,
    relative_dir: str,
    above: tuple[str, ...],
    kinds: frozenset[str],
    names: _Names,
    rules: IgnoreRules,
    root: Path,
    seen: _PassedOver,
) -> Iterator[Candidate | _Subfolder]:
    """The candidates of one folder, and its subfolders to walk, in name order. Most entries
    are neither a folder nor a candidate: they cost a name test and nothing else (no path
    object, no stat)."""
    try:
        with os.scandir(directory) as scan:
            entries = list(scan)
    except OSError:
        return
    entries.sort(key=_BY_NAME)
    for entry in entries:  # in name order: the first few names tell
        if entry.name == ".git" and relative_dir:
            rules = rules.in_nested_repository(directory, relative_dir)
        elif entry.name == ".github" and relative_dir and entry.is_dir(follow_symlinks=False):
            if seen.trees is not None:
                seen.trees.append(relative_dir)
            return  # another project's tree
        elif entry.name >= ".gitignore":
            if entry.name == ".gitignore":
                problem = unusable_ignore_file(entry)
                if problem is not None:
                    # Its rules cannot be known: nothing under the folder is touched.
                    prefix = f"{relative_dir}/" if relative_dir else ""
                    yield Candidate(entry.path, prefix + entry.name, "ignore-file", problem)
                    return
                rules = rules.extended(directory, relative_dir)
            break
    if relative_dir and _has_own_configuration(directory, entries):
        if seen.configured is not None:
            seen.configured.append(relative_dir)
        return  # its own settings: a PATH of its own
    filtered = bool(rules.rules) or rules.excluded is not None
    passes, kind_of = names.passes, names.kinds_in(above)
    prefix = f"{relative_dir}/" if relative_dir else ""
    for entry in entries:
        name = entry.name
        if entry.is_dir(follow_symlinks=False):
            relative = prefix + name
            if (
                name in SKIPPED_DIRS
                or (name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX))
                or (filtered and rules.ignored(relative, True))
            ):
                continue
            yield entry.path, relative, (above[-1], name), rules
            continue
        if not passes[name]:
            continue
        kind = kind_of[name]
        if kind is None or kind not in kinds:
            continue
        if name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX):
            continue
        relative = prefix + name
        if filtered and rules.ignored(relative, False):
            continue
        found = _candidate(entry, relative, kind, root)
        if found is not None:
            yield found


@record(frozen=True)
class SourceText:
    """A decoded file. ``text`` excludes the BOM and keeps every newline as it was."""

    text: str
    bom: bool

    @property
    def raw(self) -> bytes:
        """The file's bytes, made again: a strict UTF-8 decoding gives them back exactly, so a
        file waiting to be planned is held once (its text), not twice."""
        return self.encode(self.text)

    def encode(self, text: str) -> bytes:
        return ((BOM if self.bom else "") + text).encode("utf-8")


#: Texts given in place of files (``-`` as PATH with ``--stdin-filename``), by absolute path.
_GIVEN: dict[str, bytes] = {}


@contextlib.contextmanager
def given_text(path: Path, data: bytes) -> Iterator[None]:
    """Within the block, ``read_source`` reads ``data`` as the file at ``path`` (which need
    not exist): an editor's unsaved buffer, checked as the file it will be saved as."""
    key = os.path.abspath(path)
    _GIVEN[key] = data
    try:
        yield
    finally:
        del _GIVEN[key]


def is_given(path: str | os.PathLike[str]) -> bool:
    """Whether ``path``'s text is given (``given_text``) rather than read from the disk."""
    return bool(_GIVEN) and os.path.abspath(path) in _GIVEN


def read_source(path: str | os.PathLike[str]) -> SourceText:
    """Read and decode one file; raise ReadError when it is not a UTF-8 text file."""
    try:
        given = _GIVEN.get(os.path.abspath(path)) if _GIVEN else None
        raw = read_regular_file(path, MAX_FILE_BYTES) if given is None else given
        if len(raw) > MAX_FILE_BYTES:
            raise TooLarge(MAX_FILE_BYTES)
    except TooLarge as error:
        raise ReadError(f"{error}; skipped", skip=True) from error
    except UnsuitableFile as error:
        raise ReadError(str(error), skip=True) from error
    except OSError as error:
        raise ReadError(f"cannot read file: {error.strerror}") from error
    if b"\0" in raw:
        raise ReadError("binary file; skipped", skip=True)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ReadError(
            f"not UTF-8 (byte {raw[error.start]:#04x} at offset {error.start}); skipped", skip=True
        ) from error
    if _BARE_CR.search(text):
        # Old Mac line endings: a lone CR ends a line for YAML and Python but not for the
        # line-based scanners, which would place edits on the wrong lines.
        raise ReadError(
            "line endings are unsupported: a carriage return without a line feed (old Mac "
            "style); convert the file to LF or CRLF; skipped",
            skip=True,
        )
    bom = text.startswith(BOM)
    return SourceText(text[1:] if bom else text, bom)
