"""Decisions about python image tags, shared by every migration that moves one."""

from __future__ import annotations

from dataclasses import dataclass

from modernize.images import distro_release, parse_version_tag, unknown_variant_parts
from modernize.targets import DATED_TABLE, PYTHON_DISTRO_RELEASES, Targets

#: Names of a variable that holds the Python version: workflow ``env`` values and compose build
#: arguments with one of these names (in any case) follow the target.
PYTHON_VERSION_KEYS = frozenset(
    {
        "PYTHON_VERSION",
        "PYTHON",
        "PY_VERSION",
        "DEFAULT_PYTHON",
        "DEFAULT_PYTHON_VERSION",
        "PYTHON_DEFAULT_VERSION",
    }
)


@dataclass(frozen=True)
class TagDecision:
    """What to do with one version tag: replace ``text[:length]`` by ``replacement``, or refuse."""

    replace_length: int = 0
    replacement: str = ""
    old_minor: str = ""
    refusal: str = ""


def decide_python_tag(tag: str, targets: Targets) -> TagDecision | None:
    parsed = parse_version_tag(tag)
    if parsed is None or len(parsed.numbers) < 2:
        return None  # floating tags such as 3, 3-slim, latest, slim
    target = targets.python
    major, minor = parsed.numbers[0], parsed.numbers[1]
    if major < 3:
        return TagDecision(
            refusal=f"python:{tag} is Python {major}; moving to {targets.python_minor} "
            "is a port, not a version bump; not changed"
        )
    if (major, minor) >= (target.major, target.minor):
        return None
    new_minor = targets.python_minor
    unknown = unknown_variant_parts(parsed.suffix)
    if unknown:
        return TagDecision(
            refusal=f"python:{tag}: variant {'-'.join(unknown)!r} is not known to exist for "
            f"Python {new_minor}; not changed"
        )
    release = distro_release(parsed.suffix)
    if release is not None and release not in PYTHON_DISTRO_RELEASES.get(new_minor, frozenset()):
        return TagDecision(
            refusal=f"python:{tag}: no python:{new_minor}{parsed.suffix} image is known to be "
            f"published (table of {DATED_TABLE}); not changed, choose a newer variant by hand"
        )
    return TagDecision(
        replace_length=len(parsed.version) + len(parsed.prerelease),
        replacement=new_minor,
        old_minor=f"{major}.{minor}",
    )
