"""Find the ordered migrations and validate what each one declares.

Migrations are modules named ``NNNN_<slug>``: the built-in ones are the modules of the
``modernize.migrations`` package (the repository's top-level ``migrations/`` folder, mapped into
the package), found by module discovery; user-supplied ones load from a folder only when the user
names it. Nothing is ever loaded from the repository being migrated.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from modernize.authoring import Context as Context  # re-exported: the engine names it here
from modernize.errors import MigrationLoadError, UsageError
from modernize.kinds import KNOWN_KINDS
from modernize.lazy import lazy_pattern
from modernize.model import Edit, Notice
from modernize.records import record

if TYPE_CHECKING:
    from modernize.formats.document import Document

_FILE_NAME = lazy_pattern(r"^(\d{4})_([a-z0-9_]+)\.py$")
_SLUG = lazy_pattern(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_CODE = lazy_pattern(r"^M[0-9]{3}$")

Result = Edit | Notice
MigrateFunction = Callable[["Document", "Context"], Iterable[Result]]
CheckFunction = Callable[["Document", "Context"], Iterable[Notice]]
#: ``touches(text, context)``: False only when ``migrate`` would yield nothing at all (no edit,
#: no notice) for a document with this text; a cheap text test run before any parsing. It
#: reads only ``context.targets``: the workers of a run give it the files they find while the
#: repository is still being walked, before it is surveyed.
TouchFunction = Callable[[str, "Context"], bool]


@record(frozen=True)
class Migration:
    """A migration as loaded from its module: its identity, the file kinds it reads, its
    functions and what its module declares."""

    number: int
    id: str
    title: str
    kinds: frozenset[str]
    migrate: MigrateFunction
    check: CheckFunction
    enabled_by_default: bool
    doc: str
    source: Path
    touches: TouchFunction | None = None
    #: The stable finding code of this migration's check (``M001``): written in the migration
    #: (``CODE``), never derived from its number, and unique among the loaded migrations.
    code: str = ""
    #: What the migration moves (``MOVES``): "python", a file's Python (in a file whose
    #: project cannot run the target, what it would edit is reported instead); "claim", the
    #: project's own Python claim (it refuses by itself). Either way a comment that explains a
    #: pin stops the edit beside it (see ``results``).
    moves: str = ""
    #: The check is the one made from ``migrate`` and ``FINDING`` (the module has no
    #: ``check()``): it finds nothing where the text test says no, so ``verify`` skips it there.
    check_from_migrate: bool = False

    def results(self, document: Document, context: Context) -> Iterable[Result]:
        """What the migration says about ``document``, held back with its project and by the
        comments that explain a pin."""
        return _heeded(self.migrate, self.moves, document, context)

    def may_touch(self, text: str, context: Context) -> bool:
        """Whether this migration may have anything to say about ``text`` (see TouchFunction)."""
        return self.touches is None or self.touches(text, context)


#: The built-in migrations, loaded once per process (the command line asks more than once).
_builtin: list[Migration] | None = None


def load_migrations(extra_directories: Sequence[Path] = ()) -> list[Migration]:
    """All migrations in run order; raise MigrationLoadError on any malformed script."""
    global _builtin
    if _builtin is None:
        _builtin = _load_package()
    migrations = list(_builtin)
    for directory in extra_directories:
        migrations += _load_directory(directory)
    by_number: dict[int, Migration] = {}
    by_id: dict[str, Migration] = {}
    by_code: dict[str, Migration] = {}
    for migration in migrations:
        if migration.code in by_code:
            raise MigrationLoadError(
                f"{migration.source}: CODE {migration.code!r} is also used by "
                f"{by_code[migration.code].source.name}"
            )
        by_code[migration.code] = migration
        if migration.number in by_number:
            other = by_number[migration.number].source.name
            raise MigrationLoadError(
                f"{migration.source}: number {migration.number:04d} is also used by {other}"
            )
        if migration.id in by_id:
            raise MigrationLoadError(
                f"{migration.source}: ID {migration.id!r} is also used by "
                f"{by_id[migration.id].source.name}"
            )
        by_number[migration.number] = migration
        by_id[migration.id] = migration
    return sorted(migrations, key=lambda m: m.number)


#: What each built-in migration declares, with its file's size and CRC-32, written by
#: ``python scripts/migration_manifest.py`` (a test fails when it is not current). The registry
#: builds the built-in migrations from it and imports a migration's module at the first call of
#: one of its functions: a run over Dockerfiles never imports the workflow migrations. A module
#: whose file is not the one its entry was written from is imported at once, as without one.
MANIFEST = Path(__file__).parent / "data" / "migrations.json"


_PACKAGE = "modernize.migrations"


def _package_files() -> dict[str, str]:
    """The built-in migrations' files by module name, in run order."""
    import modernize.migrations as package

    files = {
        entry[:-3]: os.path.join(folder, entry)
        for folder in reversed(package.__path__)  # the first folder on the path wins
        for entry in os.listdir(folder)
        if _FILE_NAME.match(entry)
    }
    return dict(sorted(files.items()))


def _load_package() -> list[Migration]:
    files = _package_files()
    manifest = _read_manifest()
    migrations = []
    for stem in files:
        name = f"{_PACKAGE}.{stem}"
        entry = manifest.get(stem)
        if entry is not None and entry.get("digest") == _digest(files[stem]):
            migrations.append(_deferred(entry, name, Path(files[stem]), int(stem[:4])))
            continue
        try:
            loaded = importlib.import_module(name)
        except Exception as error:
            raise MigrationLoadError(f"{name}: failed to import: {error}") from error
        path = Path(loaded.__file__ or stem)
        migrations.append(_validate(loaded, path, int(stem[:4])))
    return migrations


def _read_manifest() -> dict[str, dict[str, object]]:
    """The manifest's entries by module name; none when it is missing or unreadable (every
    module is then imported at once)."""
    import json

    try:
        entries = json.loads(MANIFEST.read_text(encoding="utf-8"))["migrations"]
        return {str(entry["module"]): entry for entry in entries}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _digest(path: str) -> str:
    """The file's size and CRC-32: it tells an edited file from the one an entry was written
    from (``hashlib`` would cost more to import than the whole manifest to read)."""
    import zlib

    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError:
        return ""
    return f"{len(data)}:{zlib.crc32(data):08x}"


class _Deferred:
    """A function of a built-in migration's module, imported at its first call. Pickled, it
    is the same object again in this process (a worker finds its own by the same names)."""

    def __init__(self, module: str, name: str) -> None:
        self.__module__ = module
        self.name = name
        self.function: Callable[..., object] | None = None

    def __call__(self, *args: object) -> object:
        if self.function is None:
            self.load()
        assert self.function is not None
        return self.function(*args)

    def load(self) -> None:
        """Import the function now (a worker does while it waits for its first files)."""
        if self.function is None:
            self.function = getattr(importlib.import_module(self.__module__), self.name)

    def __reduce__(self) -> tuple[Callable[[str, str], _Deferred], tuple[str, str]]:
        return _deferred_function, (self.__module__, self.name)

    def __repr__(self) -> str:
        return f"<{self.__module__}.{self.name}, imported at its first call>"


def import_modules(migrations: Iterable[Migration]) -> None:
    """Import the modules of ``migrations`` that are not yet (a built-in one is imported at the
    first call of one of its functions otherwise)."""
    for migration in migrations:
        for function in (migration.migrate, migration.check, migration.touches):
            if isinstance(function, _Deferred):
                function.load()


@functools.cache
def _deferred_function(module: str, name: str) -> _Deferred:
    return _Deferred(module, name)


def _deferred(entry: Mapping[str, object], module: str, path: Path, number: int) -> Migration:
    """The migration a manifest entry describes; its module is imported when first called."""
    moves = str(entry["moves"])
    migrate: MigrateFunction = _deferred_function(module, "migrate")  # type: ignore[assignment]
    if entry["check"]:
        check: CheckFunction = _deferred_function(module, "check")  # type: ignore[assignment]
    else:
        check = _derived_check(migrate, str(entry["finding"]), moves)
    touches = _deferred_function(module, "touches") if entry["touches"] else None
    kinds = entry["kinds"]
    assert isinstance(kinds, list)
    return Migration(
        number=number,
        id=str(entry["id"]),
        title=str(entry["title"]),
        kinds=frozenset(kinds),
        migrate=migrate,
        check=check,
        enabled_by_default=bool(entry["enabled_by_default"]),
        doc=str(entry["doc"]),
        source=path,
        touches=touches,  # type: ignore[arg-type]
        code=str(entry["code"]),
        moves=moves,
        check_from_migrate=not entry["check"],
    )


def manifest_text() -> str:
    """The manifest of the built-in migrations, as ``MANIFEST`` should hold it: each module
    imported and validated, and what the registry needs of it without importing it."""
    import json

    entries = []
    for stem, path in _package_files().items():
        module = importlib.import_module(f"{_PACKAGE}.{stem}")
        loaded = _validate(module, Path(path), int(stem[:4]))
        entries.append(
            {
                "module": stem,
                "digest": _digest(path),
                "id": loaded.id,
                "title": loaded.title,
                "kinds": sorted(loaded.kinds),
                "code": loaded.code,
                "moves": loaded.moves,
                "enabled_by_default": loaded.enabled_by_default,
                "finding": getattr(module, "FINDING", None),
                "check": getattr(module, "check", None) is not None,
                "touches": loaded.touches is not None,
                "doc": loaded.doc,
            }
        )
    return json.dumps({"migrations": entries}, indent=1, ensure_ascii=False) + "\n"


def _load_directory(directory: Path) -> list[Migration]:
    if not directory.is_dir():
        raise MigrationLoadError(f"{directory}: migrations folder not found")
    migrations = []
    for path in sorted(directory.iterdir()):
        match = _FILE_NAME.match(path.name)
        if match:
            migrations.append(_load(path, int(match.group(1))))
    return migrations


def _load(path: Path, number: int) -> Migration:
    module_name = f"modernize_migration_{path.stem}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise MigrationLoadError(f"{path}: cannot be imported")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        del sys.modules[module_name]
        raise MigrationLoadError(f"{path}: failed to import: {error}") from error
    return _validate(module, path, number)


def _validate(module: ModuleType, path: Path, number: int) -> Migration:
    def need(name: str, kind: type | tuple[type, ...]) -> object:
        value = getattr(module, name, None)
        if not isinstance(value, kind):
            raise MigrationLoadError(f"{path}: module-level {name} is missing or not {kind}")
        return value

    migration_id = str(need("ID", str))
    if not _SLUG.match(migration_id):
        raise MigrationLoadError(f"{path}: ID {migration_id!r} is not a lowercase slug")
    title = str(need("TITLE", str))
    kinds = need("KINDS", (tuple, list, frozenset, set))
    assert isinstance(kinds, (tuple, list, frozenset, set))
    unknown = set(kinds) - KNOWN_KINDS
    if not kinds or unknown:
        raise MigrationLoadError(f"{path}: KINDS has unknown kinds {sorted(unknown)}")
    code = str(need("CODE", str))
    if not _CODE.match(code):
        raise MigrationLoadError(f"{path}: CODE {code!r} is not M and three digits (M013)")
    migrate = getattr(module, "migrate", None)
    if not callable(migrate):
        raise MigrationLoadError(f"{path}: migrate() must be defined")
    moves = getattr(module, "MOVES", "")
    if moves not in ("", "python", "claim"):
        raise MigrationLoadError(
            f"{path}: MOVES must be 'python' or 'claim' (or absent), not {moves!r}"
        )
    check = getattr(module, "check", None)
    check_from_migrate = check is None
    if check is None:  # the usual check: every pending change and refusal is a finding
        finding = getattr(module, "FINDING", None)
        if not isinstance(finding, str) or not finding.strip():
            raise MigrationLoadError(
                f"{path}: FINDING (what a pending change is, for verify) or check() is needed"
            )
        check = _derived_check(migrate, finding, moves)
    elif not callable(check):
        raise MigrationLoadError(f"{path}: check must be a function (document, context)")
    if not (module.__doc__ or "").strip():
        raise MigrationLoadError(
            f"{path}: the module docstring (what/why/example/refusals) is missing"
        )
    touches = getattr(module, "touches", None)
    if touches is not None and not callable(touches):
        raise MigrationLoadError(f"{path}: touches must be a function (text, context) -> bool")
    enabled = getattr(module, "ENABLED_BY_DEFAULT", True)
    return Migration(
        number=number,
        id=migration_id,
        title=title,
        kinds=frozenset(kinds),
        migrate=migrate,
        check=check,
        enabled_by_default=bool(enabled),
        doc=(module.__doc__ or "").strip(),
        source=path,
        touches=touches,
        code=code,
        moves=moves,
        check_from_migrate=check_from_migrate,
    )


def held_with_its_project(
    migrate: MigrateFunction, document: Document, context: Context
) -> Iterator[Result]:
    """The results of ``migrate``, a migration that moves a file's Python (``MOVES =
    "python"``): in a file whose project cannot run the target (the survey says why), each line
    it would edit is a warning instead, and nothing changes."""
    reason = context.survey.python_held(document.path) if context.survey else ""
    if not reason:
        yield from migrate(document, context)
        return
    lines: set[int] = set()
    for result in migrate(document, context):
        if not isinstance(result, Edit):
            yield result
        elif (line := document.line_of(result.start)) not in lines:
            lines.add(line)
            # A warning in verify too: the error is the claim's own, at the pyproject.
            yield Notice(result.start, f"not changed: {reason}", advisory=True)


def _heeded(
    migrate: MigrateFunction, moves: str, document: Document, context: Context
) -> Iterable[Result]:
    """The results of ``migrate`` (which moves ``moves``, see ``Migration.moves``). A note
    about an edit (``severity="note"`` at the edit's start: the release a pin moved to) goes
    when its edit is not made."""
    if not moves:
        return migrate(document, context)
    from modernize.rules.pin_comments import kept_by_comments

    proposed = list(migrate(document, context))

    def again(_document: Document, _context: Context) -> Iterable[Result]:
        return proposed

    results: Iterable[Result] = proposed
    if moves == "python":
        results = held_with_its_project(again, document, context)
    heeded = list(kept_by_comments(results, document, context.targets))
    made = {document.line_of(result.start) for result in heeded if isinstance(result, Edit)}
    dropped = {
        line
        for result in proposed
        if isinstance(result, Edit) and (line := document.line_of(result.start)) not in made
    }
    # The migration's own advice about an edit (a release it moved to, a lock to make again);
    # the warnings that say why an edit was not made are new here, and stay.
    advice = {id(result) for result in proposed if isinstance(result, Notice) and result.advisory}
    return [
        result
        for result in heeded
        if not (
            isinstance(result, Notice)
            and id(result) in advice
            and document.line_of(result.offset) in dropped
        )
    ]


def _derived_check(migrate: MigrateFunction, finding: str, moves: str) -> CheckFunction:
    def results(document: Document, context: Context) -> Iterable[Result]:
        return _heeded(migrate, moves, document, context)

    def check(document: Document, context: Context) -> Iterator[Notice]:
        return findings_of(results, document, context, finding)

    return check


def select(
    migrations: Sequence[Migration],
    only: Sequence[str] = (),
    skip: Sequence[str] = (),
    enable: Sequence[str] = (),
) -> list[Migration]:
    """The migrations to run: ``only`` (which may name opt-in ones), or the default set plus
    the opt-in ones in ``enable``; minus ``skip``."""
    known = {migration.id for migration in migrations}
    for name in (*only, *skip, *enable):
        if name not in known:
            raise UsageError(_unknown_id(name, migrations))
    if only:
        chosen = [m for m in migrations if m.id in only]
    else:
        chosen = [m for m in migrations if m.enabled_by_default or m.id in enable]
    return [m for m in chosen if m.id not in skip]


def _unknown_id(name: str, migrations: Sequence[Migration]) -> str:
    """What to say of a name that is no migration's ID: a finding's code is selected with
    --select and --ignore; a migration's code stands for its ID."""
    wanted = name.upper()
    for migration in migrations:
        if migration.code == wanted:
            return f"{name!r} is the code of migration {migration.id!r}: name it by its ID"
    if re.fullmatch(r"[A-Z]+[0-9]+", name):
        return (
            f"unknown migration ID {name!r}: to leave out a finding's code, use --ignore "
            f"{wanted} (or `ignore` in [tool.modernize]); `modernize list` lists the IDs"
        )
    return f"unknown migration ID {name!r} (see `modernize list`)"


def findings_of(
    migrate: MigrateFunction, document: Document, context: Context, message: str
) -> Iterator[Notice]:
    """A ``check`` built from ``migrate``: each line a pending edit touches, and every refusal,
    is a finding. Refusals of something below the standard become errors; advisory notices
    (a data-volume reminder, a value the tool cannot see through) stay warnings."""
    from modernize.engine.edits import apply_edits

    edits: list[Edit] = []
    for result in migrate(document, context):
        if isinstance(result, Edit):
            edits.append(result)
        elif result.severity == "warning" and not result.advisory:
            yield replace(result, severity="error")
        else:
            yield result
    lines = document.lines
    by_line: dict[int, list[Edit]] = {}
    for edit in edits:
        by_line.setdefault(lines.line_of(edit.start), []).append(edit)
    for number, line_edits in sorted(by_line.items()):
        start = lines.starts[number - 1]
        end = lines.line_end(start)
        before = document.text[start:end]
        if any(edit.end > end for edit in line_edits):
            detail = "would be rewritten"
        else:
            local = [
                replace(edit, start=edit.start - start, end=edit.end - start) for edit in line_edits
            ]
            after = apply_edits(before, local)
            if not after.strip():
                detail = f"would be removed: {before.strip()}"
            else:
                detail = f"would become: {after.strip()}"
        yield Notice(line_edits[0].start, f"{message}; {detail}", "error")
