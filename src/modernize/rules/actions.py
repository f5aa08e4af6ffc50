"""What the shipped knowledge says about moving one ``uses:`` step to a new major: which
release a commit SHA is, the newest release of a major, and whether the step's inputs let it
go that far.

A step passes inputs (its ``with:`` keys); each major's ``action.yml`` lists the inputs it
accepts. An input a newer major renamed is renamed with the move (``RENAMED_INPUTS``); one a
newer major dropped holds the step at the newest major that still accepts it. Where the data
does not know a major, nothing is checked: the move is what the targets say, as before there
was data.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import field
from types import MappingProxyType

from packaging.version import InvalidVersion, Version

from modernize.data import ActionRelease, knowledge
from modernize.records import record

#: Inputs a major renamed, as the action's release notes say: from that major on, the old
#: name is not accepted and the new one does what it did.
RENAMED_INPUTS: Mapping[str, Mapping[int, Mapping[str, str]]] = MappingProxyType(
    {
        "codecov/codecov-action": MappingProxyType(
            {5: MappingProxyType({"file": "files", "plugin": "plugins"})}
        ),
    }
)


def _version(release: ActionRelease) -> Version | None:
    try:
        return Version(release.tag)
    except InvalidVersion:
        return None


def _parts(release: ActionRelease) -> int:
    return release.tag.count(".") + 1


@functools.cache
def release_of_sha(action: str, sha: str) -> ActionRelease | None:
    """The release tag a commit is, the most specific of them (``v4.1.1`` over ``v4``)."""
    tagged = [release for release in knowledge().releases(action) if release.sha == sha.lower()]
    return max(tagged, key=_specificity) if tagged else None


def _specificity(release: ActionRelease) -> tuple[int, Version]:
    return (_parts(release), _version(release) or Version("0"))


@functools.cache
def newest_release(action: str, major: int) -> ActionRelease | None:
    """The newest final release of ``major`` (``v7.0.1``; ``v7`` when only the major tag is
    known), None when the data knows no release of it."""
    candidates = [
        (version, release)
        for release in knowledge().releases(action)
        if release.major == major
        and (version := _version(release)) is not None
        and not version.is_prerelease
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda pair: (pair[0], _parts(pair[1])))[1]


def inputs_of(action: str, major: int) -> frozenset[str] | None:
    """The inputs the newest release of ``major`` accepts; None when the data does not know it."""
    release = newest_release(action, major)
    return None if release is None else release.inputs


def renamed(action: str, name: str, since: int, until: int) -> str:
    """The name input ``name`` has at major ``until``, for a step written for ``since``."""
    for major, renames in sorted(RENAMED_INPUTS.get(action, {}).items()):
        if since < major <= until:
            name = renames.get(name, name)
    return name


@record(frozen=True)
class Held:
    """An input that keeps a step below its target: no major above ``newest`` accepts it."""

    name: str
    #: The newest major that accepts it (at or below the step's own major: the step stays).
    newest: int


@record(frozen=True)
class Move:
    """Where one step goes: ``major`` (None: it stays), the inputs renamed on the way
    (old name to new), and the inputs that held it below the target."""

    major: int | None
    renames: Mapping[str, str] = field(default_factory=dict)
    held: Sequence[Held] = ()


def decide_move(action: str, current: int, target: int, inputs: Iterable[str]) -> Move:
    """The newest major from ``current + 1`` to ``target`` that accepts every input the step
    passes (an input its own major does not accept is not counted: the action ignores it)."""
    action = action.lower()
    own = inputs_of(action, current)
    passed = [name for name in inputs if own is None or name in own]
    known = {major: inputs_of(action, major) for major in range(current + 1, target + 1)}
    if known.get(target) is None:
        return Move(target)
    passed_set = set(passed)

    def accepts(major: int) -> bool:
        accepted = known[major]
        if accepted is None:
            return False
        names = [renamed(action, name, current, major) for name in passed]
        # A rename onto a name the step also passes would give the key twice.
        clash = any(
            new != old and new in passed_set for old, new in zip(passed, names, strict=True)
        )
        return not clash and all(name in accepted for name in names)

    chosen = next((major for major in range(target, current, -1) if accepts(major)), None)
    held: list[Held] = []
    if chosen != target:
        for name in passed:
            majors = [
                major
                for major, accepted in known.items()
                if accepted is not None and renamed(action, name, current, major) in accepted
            ]
            newest = max(majors, default=current)
            if newest < target:
                held.append(Held(name, newest))
    if chosen is None:
        return Move(None, held=held)
    renames = {
        name: new for name in passed if (new := renamed(action, name, current, chosen)) != name
    }
    return Move(chosen, renames, held)
