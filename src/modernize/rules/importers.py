"""What the Python files of a repository import from one another: the survey that tells a
migration which names of a module other modules rely on.

Each file is named by its path, and an import is resolved to the files it may mean: a relative
one (``from .core import Tuple``) against the folders, so that ``src/`` layouts need nothing
special; an absolute one (``from pkg.core import Tuple``, ``import pkg.core`` then
``pkg.core.Tuple``) to every file whose path ends in ``pkg/core.py`` or
``pkg/core/__init__.py``, wherever the package sits. A name may be counted for a module that
does not hold it; one that does is never missed, barring imports by computed names
(``importlib.import_module``, ``getattr``).
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from modernize.lazy import lazy_pattern
from modernize.records import record

if TYPE_CHECKING:
    from modernize.registry import Context, Migration

#: In a module's set of imported names: a star import takes every name it binds.
EVERY_NAME = "*"


@record(frozen=True)
class Importers:
    """Per Python file (its POSIX path under the surveyed folder), the names other files of
    the repository import from it. ``prefix``: the folder the run's paths are relative to, as a
    path under the surveyed one (``""``, or ``"sub/dir/"``)."""

    names: Mapping[str, frozenset[str]] = field(default_factory=dict)
    prefix: str = ""

    def imported_from(self, relative: str) -> frozenset[str]:
        """The names imported from the file at ``relative`` (relative to the run's root);
        ``EVERY_NAME`` among them when a star import takes them all."""
        return self.names.get(self.prefix + relative, frozenset())


def surveyed(
    context: Context,
    root: Path,
    migrations: Iterable[Migration],
    texts: Mapping[Path, str] | None = None,
) -> Context:
    """``context`` with the survey for a run on ``root``, when a migration reads Python."""
    if not any("python" in migration.kinds for migration in migrations):
        return context
    return replace(context, importers=survey_for(root, texts))


def survey_for(root: Path, texts: Mapping[Path, str] | None = None) -> Importers | None:
    """The survey that holds for a run on ``root`` (a folder or a file): of its git
    repository, else of the folder itself; None for a file outside any repository, whose
    importers cannot be known. ``texts``: files already read, by resolved path."""
    from modernize.workspace.ignore_files import repository_top

    resolved = root.resolve()
    folder = resolved if resolved.is_dir() else resolved.parent
    top = repository_top(folder)
    if top is None:
        if not resolved.is_dir():
            return None
        top = folder
    prefix = folder.relative_to(top).as_posix()
    return Importers(survey(top, texts or {}), "" if prefix == "." else prefix + "/")


def survey(top: Path, texts: Mapping[Path, str]) -> dict[str, frozenset[str]]:
    """Per Python file under ``top`` (the ignore rules hold, the user's ``exclude`` does not:
    an excluded file's imports still count), the names the others import from it."""
    from modernize.errors import ReadError
    from modernize.workspace.files import discover, read_source

    sources: dict[str, str] = {}
    for candidate in discover(top, frozenset({"python"})):
        if candidate.skip_reason:
            continue
        text = texts.get(candidate.path.resolve())
        if text is None:
            try:
                text = read_source(candidate.path).text
            except ReadError:
                continue
        if "import" in text:  # a file that imports nothing adds nothing
            sources[candidate.relative] = text
        else:
            sources.setdefault(candidate.relative, "")
    sources.update(_stubs(top))
    return imported_names(sources)


def _stubs(top: Path) -> dict[str, str]:
    """The type stubs (``.pyi``) under ``top`` that import, by POSIX path: they import from
    the modules as code does, though no migration edits them."""
    from modernize.errors import UnsuitableFile
    from modernize.workspace.files import SKIPPED_DIRS
    from modernize.workspace.reading import read_regular_file

    found: dict[str, str] = {}
    pending = [str(top)]  # a stack, not recursion: any depth
    while pending:
        try:
            with os.scandir(pending.pop()) as scan:
                entries = list(scan)
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in SKIPPED_DIRS:
                    pending.append(entry.path)
                continue
            if not entry.name.endswith(".pyi") or not entry.is_file(follow_symlinks=False):
                continue
            path = entry.path
            try:
                text = read_regular_file(path).decode("utf-8", errors="replace")
            except (OSError, UnsuitableFile):
                continue
            if "import" in text:
                found[Path(path).relative_to(top).as_posix()] = text
    return found


def imported_names(sources: Mapping[str, str]) -> dict[str, frozenset[str]]:
    """Per module path of ``sources`` (Python text by POSIX path), the names the others
    import from it."""
    from modernize.formats.document import parse_python

    # Modules are the ``.py`` files; a stub (``.pyi``) only imports from them.
    modules = {_module_key(path): path for path in sources if not path.endswith(".pyi")}
    by_suffix: dict[tuple[str, ...], list[str]] = {}
    for key, path in modules.items():
        parts = tuple(key.split("/")) if key else ()
        for start in range(len(parts)):
            by_suffix.setdefault(parts[start:], []).append(path)
    found: dict[str, set[str]] = {}

    def add(reference: _Reference, names: Iterable[str]) -> None:
        parts, exact = reference
        if exact:
            targets = [modules[key]] if (key := "/".join(parts)) in modules else []
        else:
            targets = by_suffix.get(parts, [])
        for target in targets:
            found.setdefault(target, set()).update(names)

    for path, text in sources.items():
        if not text:
            continue
        try:
            tree = parse_python(text, path)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            # Not Python this interpreter reads (newer syntax, Python 2): its import lines,
            # read as text, keep every name of the modules they name.
            for reference in _imports_by_text(text, _package_parts(path)):
                add(reference, {EVERY_NAME})
            continue
        for reference, names in _imports(tree, _package_parts(path)):
            add(reference, names)
    return {path: frozenset(names) for path, names in found.items()}


#: Where an import leads: module path parts, and whether they are exact (a relative import,
#: resolved from the importing file) or a dotted name that may sit in any folder.
_Reference = tuple[tuple[str, ...], bool]


_IMPORT_LINE = lazy_pattern(
    r"^[ \t]*(?:from[ \t]+(\.*)([\w.]*)[ \t]+import\b"
    r"|import[ \t]+([\w.]+(?:[ \t]*,[ \t]*[\w.]+)*))",
    re.MULTILINE,
)


def _imports_by_text(text: str, package: tuple[str, ...]) -> list[_Reference]:
    """The modules the import lines of a file that does not parse name: ``from .core import``
    and ``import pkg.core`` (each module, and each package above it, as the names may be
    taken from either)."""
    out: list[_Reference] = []
    for match in _IMPORT_LINE.finditer(text):
        dots, module, plain = match.groups()
        if plain is not None:
            for name in plain.split(","):
                parts = tuple(name.strip().split("."))
                out.extend((parts[:length], False) for length in range(1, len(parts) + 1))
        elif dots:
            if len(dots) - 1 > len(package):
                continue
            base = package[: len(package) - (len(dots) - 1)]
            parts = base + (tuple(module.split(".")) if module else ())
            out.extend((parts[:length], True) for length in range(len(base), len(parts) + 1))
        elif module:
            parts = tuple(module.split("."))
            out.extend((parts[:length], False) for length in range(1, len(parts) + 1))
    return out


def _module_key(path: str) -> str:
    """``pkg/core.py`` → ``pkg/core``; ``pkg/__init__.py`` → ``pkg``."""
    key = path.removesuffix(".py")
    if key == "__init__" or key.endswith("/__init__"):
        key = key.removesuffix("__init__").rstrip("/")
    return key


def _package_parts(path: str) -> tuple[str, ...]:
    """The folder of the file at ``path``, the package its relative imports start from."""
    return tuple(path.split("/")[:-1])


def _imports(tree: ast.Module, package: tuple[str, ...]) -> list[tuple[_Reference, set[str]]]:
    """Each module the tree takes names from, with those names (``EVERY_NAME`` for ``*``)."""
    out: list[tuple[_Reference, set[str]]] = []
    bound: dict[str, _Reference] = {}  # a local name bound to a module, scopes ignored
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                if node.level - 1 > len(package):
                    continue  # beyond the top: nothing of this repository
                base = package[: len(package) - (node.level - 1)]
                parts = base + tuple(node.module.split(".") if node.module else ())
                reference: _Reference = (parts, True)
            elif node.module:
                reference = (tuple(node.module.split(".")), False)
            else:
                continue
            names = {alias.name for alias in node.names}
            out.append((reference, names))
            for alias in node.names:
                if alias.name != "*":  # it may be a submodule: ``from pkg import core``
                    bound[alias.asname or alias.name] = (reference[0] + (alias.name,), reference[1])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = tuple(alias.name.split("."))
                if alias.asname:
                    bound[alias.asname] = (parts, False)
                else:
                    bound[parts[0]] = (parts[:1], False)
    if not bound:
        return out
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        chain: list[str] = []
        value: ast.expr = node
        while isinstance(value, ast.Attribute):
            chain.append(value.attr)
            value = value.value
        if not isinstance(value, ast.Name) or value.id not in bound:
            continue
        chain.reverse()
        parts, exact = bound[value.id]
        # ``pkg.core.Tuple``: Tuple of pkg.core, or core of pkg; the survey cannot tell.
        for length, attribute in enumerate(chain):
            out.append(((parts + tuple(chain[:length]), exact), {attribute}))
    return out
