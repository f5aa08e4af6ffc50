"""One Python version written as a YAML scalar (``python-version: 3.10``, ``python: "3.11"``):
whether it is below the target, and the edit that moves it.

Unquoted ``3.10`` is the number 3.1 in YAML, so a moved value is always written quoted; a quoted
one keeps its quote character. A block scalar (``|``, one version a line) is never edited in
place: one that names a version below the target is reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from modernize.authoring import Document, Edit, Notice, SetValue, Targets, yamldoc
from modernize.rules.versions import claim_below

if TYPE_CHECKING:
    from modernize.rules.version_lists import VersionList


def python_below(value: str, targets: Targets) -> bool | None:
    """True/False for a version below/at-or-above the target; None for anything else."""
    # A free-threaded build (``3.13t``) is its version's.
    return claim_below(value.strip().removesuffix("t"), targets.python)


def runs_target(value: str, targets: Targets) -> bool:
    """Whether a matrix entry runs a regular CPython at or above the target. ``pypy…`` entries
    are PyPy's own versions and free-threaded ``3.13t`` builds run beside the regular one:
    neither stands for the target."""
    value = value.strip()
    return python_below(value, targets) is False and not value.lower().endswith("t")


def python_version_list(targets: Targets) -> VersionList:
    """How a YAML list of Python versions moves (a matrix axis, an input's options, a Travis
    ``python:`` list): entries below the target go, the target joins unless a regular CPython
    at it stays."""
    from modernize.rules.version_lists import VersionList

    return VersionList(
        lambda version: bool(python_below(version, targets)),
        lambda version: runs_target(version, targets),
        targets.python_minor,
    )


def quoted_target(node: yamldoc.ScalarNode, targets: Targets, quote: str = '"') -> str:
    return f"{node.style or quote}{targets.python_minor}{node.style or quote}"


def python_value_edit(
    document: Document, node: yamldoc.Node | None, targets: Targets
) -> Iterator[Edit | Notice]:
    if not isinstance(node, yamldoc.ScalarNode):
        return
    if node.style in ("|", ">"):
        # setup-python reads one version a line; a block scalar is never edited in place.
        if any(python_below(version, targets) for version in str(node.value).split()):
            yield Notice(
                node.start_mark.index,
                "a block scalar lists Python versions below the target; not changed: "
                "edit it by hand",
            )
        return
    if not python_below(str(node.value), targets):
        return
    if yamldoc.anchored(document.text, node):
        yield Notice(
            node.start_mark.index,
            f"{node.value} is an anchor (&…) other places may use; not changed: edit it, and "
            "the places that use it, by hand",
        )
        return
    span = yamldoc.scalar_span(document.text, node)
    if span is None:
        return
    start, end = span
    declares = (SetValue(document.yaml.path_of(node), targets.python_minor),)
    if node.style in ("'", '"'):
        yield Edit(start, end, targets.python_minor, declares=declares)
    else:
        yield Edit(start, end, quoted_target(node, targets), declares=declares)
