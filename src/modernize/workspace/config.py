"""``[tool.modernize]`` in pyproject.toml, or a ``.modernize.toml`` with the same keys at top level.

Every key is validated: an unknown key or a malformed value is an error naming the file, line
and key, never silently ignored. Command-line flags win over the file.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from modernize.codes import Layer, Selection
from modernize.errors import ConfigError, ModernizeError, UnsuitableFile
from modernize.lazy import lazy_pattern
from modernize.records import record
from modernize.targets import Targets
from modernize.workspace.reading import read_regular_file

if TYPE_CHECKING:
    from modernize.registry import Migration

#: The keys besides one per target (``targets.TARGETS``), which come first.
OTHER_KEYS = (
    "only",
    "skip",
    "enable",
    "actions",
    "exclude",
    "select",
    "ignore",
    "per-file-ignores",
)
# Matched whole (fullmatch): ``$`` would also let a final newline through, and ``\d`` a ``²``.
_ACTION = lazy_pattern(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
_MAJOR = lazy_pattern(r"v?([0-9]+)")


@record(frozen=True)
class FileConfig:
    """The settings of one configuration file, as it gives them (``source`` is its path as
    shown)."""

    source: str = ""
    #: A target's name to its text, as the file gives it (checked: its row's ``parse`` reads it).
    targets: Mapping[str, str] = field(default_factory=dict)
    only: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()
    enable: tuple[str, ...] = ()
    actions: Mapping[str, int] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    #: Finding codes (or their starts) to report, and not to report (``modernize.codes``).
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    #: A ``.gitignore``-style pattern to the codes not reported for the files it matches.
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()


@record(frozen=True)
class ConfigFile:
    """A configuration file found, read and parsed: ``shown`` is how errors name it."""

    path: Path
    shown: str
    text: str
    data: dict[str, Any]


def find_config(start: Path, shown: Callable[[Path], str] = str) -> ConfigFile | None:
    """The nearest configuration looking upwards from ``start``: a ``.modernize.toml``, or a
    pyproject.toml with a ``tool.modernize`` table. A pyproject.toml without one is passed
    (a package of a monorepo takes the settings of the repository's root); the search stops
    at the repository root (a ``.git`` folder).

    Each file met is parsed, then looked into (``[tool."modernize"]`` and ``[tool]
    modernize = {…}`` are the same table). A ``.modernize.toml`` that cannot be read, is not
    UTF-8 or is not TOML is a ConfigError naming it (``shown`` gives its name), and so is such a
    pyproject.toml unless it plainly holds no ``tool.modernize`` keys: settings are never taken
    for none."""
    directory = start if start.is_dir() else start.parent
    directory = directory.resolve()
    for candidate_dir in (directory, *directory.parents):
        dotfile = candidate_dir / ".modernize.toml"
        if os.path.lexists(dotfile):
            return _parsed(dotfile, shown(dotfile), _read_config(dotfile, shown(dotfile)))
        pyproject = candidate_dir / "pyproject.toml"
        if os.path.lexists(pyproject):
            raw = _read_config(pyproject, shown(pyproject))
            try:
                found = _parsed(pyproject, shown(pyproject), raw)
            except ConfigError:
                # Broken TOML is the pyproject migration's to report, file by file, when the
                # file cannot hold settings of ours.
                if _may_hold_settings(raw.decode("utf-8-sig", errors="replace")):
                    raise
                found = None
            tool = found.data.get("tool") if found is not None else None
            if isinstance(tool, dict) and "modernize" in tool:
                return found
        if (candidate_dir / ".git").exists():
            return None
    return None


def _read_config(path: Path, shown: str) -> bytes:
    try:
        return read_regular_file(path)
    except UnsuitableFile as error:
        raise ConfigError(shown, 1, f"cannot read the configuration: {error}") from error
    except OSError as error:
        message = f"cannot read the configuration: {error.strerror}"
        raise ConfigError(shown, 1, message) from error


def _parsed(path: Path, shown: str, raw: bytes) -> ConfigFile:
    from modernize.errors import ParseError
    from modernize.formats import toml

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        message = f"not UTF-8 (byte {raw[error.start]:#04x}): TOML files are UTF-8"
        raise ConfigError(shown, line, message) from error
    try:
        data = toml.parse(text).data_tree
    except ParseError as error:
        raise ConfigError(shown, error.line or 1, error.message) from error
    return ConfigFile(path, shown, text, data)


def _may_hold_settings(text: str) -> bool:
    """Whether a pyproject.toml that is not valid TOML may have a ``tool.modernize`` table:
    when the tolerant locator finds one, or when the word appears at all (the break may be in
    its very header). Doubt is an error, never the defaults."""
    from modernize.errors import ParseError
    from modernize.formats import toml

    if "modernize" in text:
        return True
    try:
        paths = [*toml.locate(text), *toml.table_headers(text)]
    except ParseError:
        return False  # the locator stops where the TOML breaks; the word is not there
    return any(path[:2] == ("tool", "modernize") for path in paths)


def load_config(
    found: ConfigFile,
    known_ids: frozenset[str] | None = None,
    known_codes: Callable[[], Iterable[str]] | None = None,
) -> FileConfig:
    """The file's settings, checked; ``known_codes`` gives every finding's code, for
    ``select``, ``ignore`` and ``per-file-ignores`` (not checked without it)."""
    from modernize.targets import settings

    table = _Table.of(found)
    known_keys = (*(spec.name for spec in settings()), *OTHER_KEYS)
    for key in table.data:
        if key not in known_keys:
            known = ", ".join(known_keys)
            raise table.fail(key, f"unknown key (known keys: {known})")
    exclude = table.data.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(item, str) for item in exclude):
        raise table.fail("exclude", "must be a list of .gitignore-style patterns")
    for key in ("only", "skip", "enable"):
        for name in table.string_list(key):
            if known_ids is not None and name not in known_ids:
                raise table.fail(key, f"unknown migration ID {name!r} (see `modernize list`)")
    select, ignore, per_file = _code_keys(table, known_codes)
    return FileConfig(
        source=found.shown,
        targets=_targets(table),
        only=table.string_list("only"),
        skip=table.string_list("skip"),
        enable=table.string_list("enable"),
        actions=_actions(table),
        exclude=tuple(exclude),
        select=select,
        ignore=ignore,
        per_file_ignores=per_file,
    )


def _code_keys(
    table: _Table, known_codes: Callable[[], Iterable[str]] | None
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]]:
    """``select``, ``ignore`` and ``per-file-ignores``, each code checked against the known
    ones (read only when the file has one of the keys)."""
    from modernize.codes import UnknownCode, check_selectors

    if not any(key in table.data for key in ("select", "ignore", "per-file-ignores")):
        return (), (), ()
    known = tuple(known_codes()) if known_codes is not None else None

    def checked(key: str, codes: Sequence[str], *inner: str) -> tuple[str, ...]:
        if known is None:
            return tuple(code.upper() for code in codes)
        try:
            return check_selectors(codes, known)
        except UnknownCode as error:
            raise table.fail(key, str(error), *inner) from error

    lists = []
    for key in ("select", "ignore"):
        value = table.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise table.fail(key, 'must be a list of codes such as ["DF", "CP001"]')
        lists.append(checked(key, value))
    per_file_table = table.data.get("per-file-ignores", {})
    if not isinstance(per_file_table, dict):
        raise table.fail("per-file-ignores", 'must be a table such as {"docker/**" = ["DF001"]}')
    per_file = []
    for pattern, codes in per_file_table.items():
        if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
            message = f'"{pattern}" must map to a list of codes such as ["DF001"]'
            raise table.fail("per-file-ignores", message, pattern)
        per_file.append((pattern, checked("per-file-ignores", codes, pattern)))
    return lists[0], lists[1], tuple(per_file)


@record(frozen=True)
class _Table:
    """The ``[tool.modernize]`` table (or a ``.modernize.toml``'s top level) and where its keys
    are written, for errors that name their line."""

    shown: str
    text: str
    prefix: tuple[str, ...]
    data: dict[str, Any]
    located: Mapping[tuple[str, ...], Any]

    @classmethod
    def of(cls, found: ConfigFile) -> _Table:
        from modernize.formats import toml

        prefix: tuple[str, ...] = ()
        table: Any = found.data
        if found.path.name == "pyproject.toml":
            prefix = ("tool", "modernize")
            table = found.data.get("tool", {}).get("modernize", {})
        if not isinstance(table, dict):
            raise ConfigError(found.shown, 1, "[tool.modernize] must be a table")
        return cls(found.shown, found.text, prefix, table, toml.locate(found.text))

    def line_of(self, *key: str) -> int:
        from modernize.formats import toml

        value = self.located.get((*self.prefix, *key))
        if value is not None:
            return self.text.count("\n", 0, value.start) + 1
        # Under ``[tool.modernize]``, or ``modernize = {…}`` inline in ``[tool]``.
        prefix = self.prefix
        table_start = toml.table_headers(self.text).get(prefix) if prefix else None
        if table_start is None and prefix:
            inline = self.located.get(prefix)
            table_start = inline.start if inline is not None else None
        return self.text.count("\n", 0, table_start) + 1 if table_start is not None else 1

    def fail(self, key: str, message: str, *inner: str) -> ConfigError:
        """``inner``: the path below ``key`` of the bad value, for its line."""
        dotted = ".".join((*self.prefix, key))
        written = inner and self.located.get((*self.prefix, key, *inner))
        line = self.line_of(key, *inner) if written else None
        return ConfigError(self.shown, line or self.line_of(key), f"{dotted}: {message}")

    def string_list(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key, [])
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(key, "must be a list of migration IDs")
        return tuple(value)


def _targets(table: _Table) -> dict[str, str]:
    from modernize.targets import settings

    targets: dict[str, str] = {}
    for spec in settings():
        value = table.data.get(spec.name)
        if value is None:
            continue
        given = spec.config_text(value)
        if given is None:
            raise table.fail(spec.name, f"must be {spec.config_type}, not {value!r}")
        try:
            spec.parse(given)
        except ModernizeError as error:
            raise table.fail(spec.name, str(error)) from error
        targets[spec.name] = given
    return targets


def _actions(table: _Table) -> dict[str, int]:
    actions_table = table.data.get("actions", {})
    if not isinstance(actions_table, dict):
        raise table.fail("actions", 'must be a table such as { "actions/checkout" = "v4" }')
    actions: dict[str, int] = {}
    for action, major in actions_table.items():
        match = _MAJOR.fullmatch(str(major)) if isinstance(major, (str, int)) else None
        if not _ACTION.fullmatch(action) or match is None or isinstance(major, bool):
            message = f'{action} = {major!r}: expected "owner/name" = "vN"'
            raise table.fail("actions", message, action)
        actions[action.lower()] = int(match.group(1))
    return actions


@record(frozen=True)
class Overrides:
    """What the command line said; absent or empty means "not given"."""

    #: A target's name to the text of its flag.
    targets: Mapping[str, str] = field(default_factory=dict)
    only: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()
    #: Finding codes to report, and not to report (checked by ``check_overrides``).
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    #: Opt-in migrations to run besides the default set (added to the configuration's).
    enable: tuple[str, ...] = ()
    #: ``--config FILE``: the configuration to use instead of the one found above each PATH.
    config: str | None = None
    #: ``--exclude``: more patterns, read as the configuration's ``exclude``.
    exclude: tuple[str, ...] = ()


def check_overrides(overrides: Overrides) -> None:
    """Raise the error a bad flag would raise for every PATH, once, before any PATH is run."""
    from modernize.registry import load_migrations, select
    from modernize.targets import settings

    for spec in settings():
        if overrides.targets.get(spec.name):
            spec.parse(overrides.targets[spec.name])
    migrations = load_migrations()
    select(migrations, overrides.only, overrides.skip, overrides.enable)
    checked_codes(overrides, migrations)
    if overrides.config is not None:
        given_config(overrides.config)


def given_config(name: str) -> ConfigFile:
    """``--config FILE``: the file read and parsed (a pyproject.toml must have a
    ``[tool.modernize]`` table; any other file holds the keys at its top level)."""
    path = Path(name)
    if not os.path.lexists(path):
        raise ConfigError(name, 1, "cannot read the configuration: no such file")
    found = _parsed(path, name, _read_config(path, name))
    if path.name == "pyproject.toml":
        tool = found.data.get("tool")
        if not isinstance(tool, dict) or "modernize" not in tool:
            raise ConfigError(name, 1, "has no [tool.modernize] table")
    return found


def checked_codes(overrides: Overrides, migrations: Sequence[Migration]) -> Layer:
    """The command line's ``--select`` and ``--ignore``, each code checked (a UsageError
    names the option)."""
    from modernize.codes import UnknownCode, catalogue, check_selectors
    from modernize.errors import UsageError

    if not overrides.select and not overrides.ignore:
        return Layer()
    known = catalogue(migrations)
    checked = []
    for option, codes in (("--select", overrides.select), ("--ignore", overrides.ignore)):
        try:
            checked.append(check_selectors(codes, known))
        except UnknownCode as error:
            raise UsageError(f"{option}: {error}") from error
    return Layer(checked[0], checked[1])


@record(frozen=True)
class Resolved:
    """What a PATH runs with: the targets, the migrations and the exclusions its configuration
    and the options settle on."""

    targets: Targets
    migrations: list[Migration]
    exclude: tuple[str, ...]
    #: The configuration file read, if any.
    config_path: Path | None = None
    #: Which finding codes are reported (``verify`` and ``advise``).
    codes: Selection = field(default_factory=Selection)

    @property
    def exclude_base(self) -> Path | None:
        """The directory ``exclude`` patterns are relative to: the configuration file's."""
        return self.config_path.parent if self.config_path is not None else None


def resolve(
    root: Path,
    overrides: Overrides,
    shown_root: str,
    migrations: list[Migration] | None = None,
) -> Resolved:
    """Targets and migrations for one PATH: defaults, then the config file, then the flags.

    ``migrations`` are all loaded migrations, when the caller already has them (a hook run
    names many files, and loading executes every migration module again)."""
    from modernize.registry import load_migrations, select
    from modernize.targets import resolve_targets, settings

    if migrations is None:
        migrations = load_migrations()
    if overrides.config is not None:
        found: ConfigFile | None = given_config(overrides.config)
    else:
        found = find_config(root, lambda path: _shown(path, root, shown_root))
    config = FileConfig()
    if found is not None:
        from modernize.codes import catalogue

        known = frozenset(migration.id for migration in migrations)
        config = load_config(found, known, functools.partial(catalogue, migrations))
    given = {
        spec.name: text
        for spec in settings()
        if (text := overrides.targets.get(spec.name) or config.targets.get(spec.name))
    }
    targets = resolve_targets(given, config.actions)
    only = overrides.only or config.only
    # ``--only`` names exactly what to run: the file's ``skip`` must not silently empty it.
    skip = overrides.skip or (() if overrides.only else config.skip)
    chosen = select(migrations, only, skip, (*config.enable, *overrides.enable))
    codes = Selection(
        (Layer(config.select, config.ignore), checked_codes(overrides, migrations)),
        config.per_file_ignores,
    )
    return Resolved(
        targets,
        chosen,
        (*config.exclude, *overrides.exclude),
        found.path if found is not None else None,
        codes,
    )


def _shown(found: Path, root: Path, shown_root: str) -> str:
    try:
        relative = found.relative_to((root if root.is_dir() else root.parent).resolve())
    except ValueError:
        return str(found)
    base = shown_root if root.is_dir() else str(Path(shown_root).parent)
    return relative.as_posix() if base in (".", "") else f"{base}/{relative.as_posix()}"
