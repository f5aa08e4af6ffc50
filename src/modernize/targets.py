"""The standard every migration moves a repository to, in one table.

Migrations read targets from the context they are given, never from here directly, so flags and
``[tool.modernize]`` can override any of them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from packaging.version import Version

_ASCII_NUMBER = re.compile("[0-9]{1,9}")  # longer than any version or count: not taken

DEFAULT_PYTHON = Version("3.12")
DEFAULT_POSTGRES = 16
DEFAULT_REDIS = 7

#: Standard major of each action; a ``uses:`` ref below it is raised to it.
DEFAULT_ACTIONS: Mapping[str, int] = MappingProxyType(
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

_WINDOWS = frozenset({"ltsc2022", "ltsc2025", "1809"})

#: Distribution releases named in image tags (``3.12-slim-bookworm``, ``16-alpine3.20``) that
#: have published images for a given Python minor / postgres major, as of 2026-11. A tag that
#: names a release missing here is never written: the migration leaves it and warns.
DATED_TABLE = "2026-11"
_DEBIAN_SINCE_BULLSEYE = frozenset({"bullseye", "bookworm", "trixie"})
PYTHON_DISTRO_RELEASES: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "3.11": _DEBIAN_SINCE_BULLSEYE | _WINDOWS | {f"alpine3.{n}" for n in range(17, 23)},
        "3.12": _DEBIAN_SINCE_BULLSEYE | _WINDOWS | {f"alpine3.{n}" for n in range(18, 23)},
        "3.13": _DEBIAN_SINCE_BULLSEYE | _WINDOWS | {f"alpine3.{n}" for n in range(19, 23)},
        "3.14": frozenset({"bookworm", "trixie", "alpine3.21", "alpine3.22"}) | _WINDOWS,
    }
)
POSTGRES_DISTRO_RELEASES: Mapping[int, frozenset[str]] = MappingProxyType(
    {
        15: _DEBIAN_SINCE_BULLSEYE | {f"alpine3.{n}" for n in range(18, 23)},
        16: _DEBIAN_SINCE_BULLSEYE | {f"alpine3.{n}" for n in range(18, 23)},
        17: _DEBIAN_SINCE_BULLSEYE | {f"alpine3.{n}" for n in range(19, 23)},
        18: frozenset({"bookworm", "trixie", "alpine3.21", "alpine3.22"}),
    }
)


@dataclass(frozen=True)
class Targets:
    python: Version = DEFAULT_PYTHON
    postgres: int = DEFAULT_POSTGRES
    actions: Mapping[str, int] = field(default_factory=lambda: DEFAULT_ACTIONS)
    redis: int = DEFAULT_REDIS

    @property
    def python_minor(self) -> str:
        return f"{self.python.major}.{self.python.minor}"

    def __reduce__(self) -> tuple[object, ...]:
        # Worker processes started afresh (spawn, forkserver: macOS and Windows, and Linux from
        # Python 3.14) get the targets pickled; a read-only mapping cannot be, a dict can.
        return (_targets, (self.python, self.postgres, dict(self.actions), self.redis))


def _targets(python: Version, postgres: int, actions: dict[str, int], redis: int) -> Targets:
    return Targets(python, postgres, MappingProxyType(actions), redis)


def ascii_number(text: str) -> bool:
    """Whether ``text`` is a number written in ASCII digits: ``str.isdigit`` (and ``\\d``) also
    take a superscript 2 (U+00B2) and a full-width 3 (U+FF13), which ``int`` and ``Version``
    then refuse or read as 3."""
    return _ASCII_NUMBER.fullmatch(text) is not None


def parse_python_target(value: str) -> Version:
    """``X.Y`` only: a target is a minor version, never a patch release."""
    from modernize.errors import UsageError

    parts = value.strip().split(".")
    if len(parts) != 2 or not all(map(ascii_number, parts)) or parts[0] != "3":
        raise UsageError(f"python target must look like 3.12, not {value!r}")
    return Version(value.strip())


def parse_postgres_target(value: str) -> int:
    from modernize.errors import UsageError

    text = value.strip()
    if not ascii_number(text) or not 9 <= int(text) <= 99:
        raise UsageError(f"postgres target must be a major version such as 16, not {value!r}")
    return int(text)


def parse_redis_target(value: str) -> int:
    from modernize.errors import UsageError

    text = value.strip()
    if not ascii_number(text) or not 1 <= int(text) <= 99:
        raise UsageError(f"redis target must be a major version such as 7, not {value!r}")
    return int(text)
