"""The standard every migration moves a repository to, in one table.

``TARGETS`` has a row per target that a flag and a ``[tool.modernize]`` key set: the command
line's options, the configuration's keys and their checks, the ``--verbose`` settings line and
the changelog entry's wording are all derived from it, so a new target is a row here and the
typed field of ``Targets`` that migrations read. The per-action majors are a table of their own
(``actions``, configuration only: one key holding a mapping, merged into the defaults).

Migrations read targets from the context they are given, never from here directly, so flags and
``[tool.modernize]`` can override any of them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import field, fields
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from packaging.version import Version

from modernize.lazy import lazy_pattern
from modernize.records import record

_ASCII_NUMBER = lazy_pattern("[0-9]{1,9}")  # longer than any version or count: not taken

#: The seed upgrade's action majors: the ``2025-12`` standard.
_ACTIONS_2025_12: Mapping[str, int] = MappingProxyType(
    {
        "actions/checkout": 4,
        "actions/setup-python": 5,
        "actions/cache": 4,
        "actions/upload-artifact": 4,
        "actions/download-artifact": 4,
        "docker/build-push-action": 6,
        "docker/setup-buildx-action": 3,
        "docker/setup-qemu-action": 3,
        "docker/login-action": 3,
        "docker/metadata-action": 5,
        "codecov/codecov-action": 4,
    }
)
#: The newest major of each action the knowledge holds (all on node24, or composite).
_ACTIONS_2026_12: Mapping[str, int] = MappingProxyType(
    {
        "actions/checkout": 7,
        "actions/setup-python": 7,
        "actions/cache": 5,
        "actions/upload-artifact": 7,
        "actions/download-artifact": 8,
        "docker/build-push-action": 7,
        "docker/setup-buildx-action": 4,
        "docker/setup-qemu-action": 4,
        "docker/login-action": 4,
        "docker/metadata-action": 6,
        "codecov/codecov-action": 5,
    }
)


@record(frozen=True)
class Standard:
    """A named, dated set of targets. A released standard never changes: a repository that
    pins one (``standard = "2025-12"``) gets the same edits from every later modernize."""

    name: str
    #: What moved it, for ``modernize standards``.
    summary: str
    python: Version
    postgres: int
    redis: int
    actions: Mapping[str, int]

    def value(self, name: str) -> Any:
        return getattr(self, name)


#: Every standard this release knows, oldest first; the last is the default.
STANDARDS: tuple[Standard, ...] = (
    Standard(
        "2025-12",
        "the seed upgrade: the action majors of 2025 (node20)",
        Version("3.12"),
        16,
        7,
        _ACTIONS_2025_12,
    ),
    Standard(
        "2026-12",
        "the action majors on node24 (GitHub removed node20 in 2026-09)",
        Version("3.12"),
        16,
        7,
        _ACTIONS_2026_12,
    ),
)
DEFAULT_STANDARD = STANDARDS[-1]
#: Standard major of each action; a ``uses:`` ref below it is raised to it.
DEFAULT_ACTIONS: Mapping[str, int] = DEFAULT_STANDARD.actions


def standard_named(name: str) -> Standard:
    """The standard called ``name``; UsageError naming the known ones for any other."""
    from modernize.errors import UsageError

    for standard in STANDARDS:
        if standard.name == name.strip():
            return standard
    known = ", ".join(standard.name for standard in STANDARDS)
    raise UsageError(
        f"standard {name!r} is not one this release knows ({known}): choose one of those, "
        f"or a newer modernize"
    )


#: Distribution releases named in official redis image tags (``redis:7-bookworm``,
#: ``redis:8-alpine3.22``) known to have had an image of a given major, as of
#: ``REDIS_TABLE_DATE``; a major missing here takes plain variants (``alpine``) only. (The
#: shipped knowledge has no redis data; python and postgres variants come from it.) A tag that
#: names a release missing here is never written: the migration leaves it and warns.
REDIS_TABLE_DATE = "2026-11"
REDIS_DISTRO_RELEASES: Mapping[int, frozenset[str]] = MappingProxyType(
    {
        6: frozenset({"bullseye", "bookworm", "alpine3.20"}),
        7: frozenset({"bullseye", "bookworm"}) | {f"alpine3.{n}" for n in range(18, 22)},
        8: frozenset({"bookworm", "trixie"}) | {f"alpine3.{n}" for n in range(21, 24)},
    }
)


def ascii_number(text: str) -> bool:
    """Whether ``text`` is a number written in ASCII digits: ``str.isdigit`` (and ``\\d``) also
    take a superscript 2 (U+00B2) and a full-width 3 (U+FF13), which ``int`` and ``Version``
    then refuse or read as 3."""
    return _ASCII_NUMBER.fullmatch(text) is not None


T = TypeVar("T")


@record(frozen=True)
class TargetSpec(Generic[T]):
    """One target: its name is the ``Targets`` field, the configuration key and the flag
    (``--NAME``)."""

    name: str
    #: How help texts and the changelog entry name it ("Python", "postgres").
    title: str
    default: T
    #: Text from a flag or the configuration to the value; UsageError when malformed.
    parse: Callable[[str], T]
    #: The value as the ``--verbose`` line and the changelog entry show it.
    show: Callable[[T], str]
    metavar: str
    #: What a configuration value must be, as the error for one of another type says it.
    config_type: str
    #: The TOML types a configuration value may have (``str``, or an integer too).
    config_types: tuple[type, ...]
    #: What the flag's help adds after "Target TITLE (DEFAULT)".
    note: str = ""

    @property
    def flag(self) -> str:
        return f"--{self.name}"

    @property
    def help(self) -> str:
        note = f": {self.note}" if self.note else ""
        return f"Target {self.title} ({self.show(self.default)}){note}."

    def config_text(self, value: object) -> str | None:
        """A configuration value as the text ``parse`` reads; None when its type is wrong."""
        if isinstance(value, bool) or not isinstance(value, self.config_types):
            return None
        return str(value)


def parse_python_target(value: str) -> Version:
    """``X.Y`` only: a target is a minor version, never a patch release."""
    from modernize.errors import UsageError

    parts = value.strip().split(".")
    if len(parts) != 2 or not all(map(ascii_number, parts)):
        raise UsageError(f"python target must look like 3.12, not {value!r}")
    if parts[0] != "3":
        raise UsageError(
            f"python target {value.strip()} is not a Python 3 minor: modernize moves a "
            "repository between Python 3 minors (a move from Python 2 is a port); choose one "
            "such as 3.12"
        )
    version = Version(value.strip())
    _refuse_unknown("python", f"{version.major}.{version.minor}", (3, 8))
    return version


def _refuse_unknown(image: str, version: str, lowest: tuple[int, ...]) -> None:
    """A target the shipped knowledge has no released image for is refused: its tags, its
    variants and its releases cannot be known offline."""
    from modernize.data import knowledge
    from modernize.errors import UsageError

    shipped = knowledge()
    known = sorted(
        (tuple(int(part) for part in name.split(".")), name)
        for name, entry in shipped.images.get(image, {}).items()
        if entry.release
        and len(name.split(".")) == len(lowest)
        and all(map(ascii_number, name.split(".")))
    )
    choices = [name for numbers, name in known if numbers >= lowest]
    if version not in choices:
        span = f"{choices[0]} to {choices[-1]}" if choices else "none"
        raise UsageError(
            f"{image} target {version} is not one this release knows ({span}, knowledge of "
            f"{shipped.as_of}): choose one of those, or a newer modernize"
        )


def _major_parser(name: str, lowest: int, example: int, known_image: bool) -> Callable[[str], int]:
    def parse(value: str) -> int:
        from modernize.errors import UsageError

        text = value.strip()
        if not ascii_number(text) or not lowest <= int(text) <= 99:
            message = f"{name} target must be a major version such as {example}, not {value!r}"
            raise UsageError(message)
        if known_image:
            _refuse_unknown(name, str(int(text)), (lowest,))
        return int(text)

    return parse


def _minor(version: Version) -> str:
    return f"{version.major}.{version.minor}"


def major_target(
    name: str,
    default: int,
    lowest: int,
    *,
    title: str = "",
    note: str = "",
    known_image: bool = False,
) -> TargetSpec[int]:
    """A target that is a major version from ``lowest`` to 99 (an image's major tag);
    ``known_image``: only a major the shipped knowledge has a released image for."""
    return TargetSpec(
        name,
        title=title or name,
        default=default,
        parse=_major_parser(name, lowest, default, known_image),
        show=str,
        metavar="N",
        config_type=f"a major version such as {default}",
        config_types=(int, str),
        note=note,
    )


PYTHON = TargetSpec(
    "python",
    title="Python",
    default=DEFAULT_STANDARD.python,
    parse=parse_python_target,
    show=_minor,
    metavar="X.Y",
    # A string: TOML reads 3.10 unquoted as the number 3.1.
    config_type='a string such as "3.12"',
    config_types=(str,),
)
STANDARD = TargetSpec(
    "standard",
    title="standard",
    default=DEFAULT_STANDARD.name,
    parse=lambda text: standard_named(text).name,
    show=str,
    metavar="YYYY-MM",
    config_type=f'a standard such as "{DEFAULT_STANDARD.name}"',
    config_types=(str,),
    note="the dated set the other targets default to; modernize standards lists them",
)
POSTGRES = major_target("postgres", DEFAULT_STANDARD.postgres, lowest=9, known_image=True)
REDIS = major_target("redis", DEFAULT_STANDARD.redis, lowest=1)

#: Every target a flag and a configuration key set, in the order help and settings list them.
TARGETS: tuple[TargetSpec[Any], ...] = (PYTHON, POSTGRES, REDIS)
#: The targets whose jump ``advise`` reads (and may be given: ``--from-python``,
#: ``--from-postgres``).
JUMP_TARGETS = ("python", "postgres")


def settings() -> tuple[TargetSpec[Any], ...]:
    """Every row a flag and a configuration key set: the standard, then each target."""
    # Looked up when called, not imported by name elsewhere: a test widens the table.
    return (STANDARD, *TARGETS)


@record(frozen=True)
class Targets:
    """The targets one PATH resolved to: a typed field per row of ``TARGETS`` (what migrations
    read), and the action majors."""

    python: Version = PYTHON.default
    postgres: int = POSTGRES.default
    actions: Mapping[str, int] = field(default_factory=lambda: DEFAULT_ACTIONS)
    redis: int = REDIS.default
    standard: str = DEFAULT_STANDARD.name

    @property
    def python_minor(self) -> str:
        return _minor(self.python)

    def value(self, spec: TargetSpec[Any]) -> Any:
        return getattr(self, spec.name)

    def __reduce__(self) -> tuple[object, ...]:
        # Worker processes started afresh (spawn, forkserver: macOS and Windows, and Linux from
        # Python 3.14) get the targets pickled; a read-only mapping cannot be, a dict can.
        values = {each.name: getattr(self, each.name) for each in fields(self)}
        return (_targets, (type(self), {**values, "actions": dict(self.actions)}))


def _targets(cls: type[Targets], values: dict[str, Any]) -> Targets:
    return cls(**{**values, "actions": MappingProxyType(values["actions"])})


def make_targets(values: Mapping[str, Any], actions: Mapping[str, int]) -> Targets:
    """The targets with ``values`` (a row's name to its value) over the defaults."""
    return Targets(**{**values, "actions": MappingProxyType(dict(actions))})


def resolve_targets(
    given: Mapping[str, str], overrides: Mapping[str, int] | None = None
) -> Targets:
    """The targets from texts a flag or a configuration key gave (a row's name to its text):
    the standard they name (the default one when none), each target given over its value
    there, and ``overrides`` over the standard's action majors."""
    standard = standard_named(given["standard"]) if given.get("standard") else DEFAULT_STANDARD
    values: dict[str, Any] = {"standard": standard.name}
    for spec in TARGETS:
        text = given.get(spec.name)
        if text:
            values[spec.name] = spec.parse(text)
        elif hasattr(standard, spec.name):
            values[spec.name] = standard.value(spec.name)
        else:
            values[spec.name] = spec.default
    return make_targets(values, {**standard.actions, **(overrides or {})})
