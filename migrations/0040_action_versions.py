"""Raise pinned GitHub Action majors below the standard to the standard major.

What: in workflows and composite ``action.yml`` files, ``uses: owner/name@vN`` (or ``@vN.x.y``)
for an action in the standard table with N below its standard major becomes ``@vM``: for example
docker/build-push-action v6, actions/checkout v4, actions/setup-python v5, actions/cache v4,
docker/setup-buildx-action v3, codecov/codecov-action v4 (``modernize list`` and the README give
the whole table; ``[tool.modernize] actions`` overrides it). Quoting and trailing comments stay;
a comment that is only the old ref's version (``@v2 # v2``, ``# tag=v2``) follows the new ref.

Why: old majors run on retired Node runtimes and miss fixes; the standard is one consistent set.

Example::

    - uses: docker/build-push-action@v5        ->   - uses: docker/build-push-action@v6
    - uses: actions/checkout@v3.5.2            ->   - uses: actions/checkout@v4

Refuses: a ref pinned to a commit SHA is left as it is (the SHA of the new major cannot be known
offline) and reported with its file and line when its version comment shows a major below the
standard (an error in ``verify``), or shows no version at all (a warning: the pinned version
cannot be known offline). The comment's first version token counts (``# v4.1.1``, ``# 4.1.1``,
``# tag=v4.1.1``, ``# pin @v4``, ``# ratchet:actions/checkout@v4``); dates and issue numbers do
not. Never downgrades; branch refs, local actions (``./…``), ``docker://`` images and actions
outside the table are left silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from packaging.version import Version

from modernize.authoring import Context, Document, Edit, InPlace, Notice, yamldoc
from modernize.rules.textcheck import yaml_escapes
from modernize.rules.versions import major_below

ID = "action-versions"
TITLE = "Raise GitHub Action majors (uses: owner/name@vN) to the standard"
KINDS = ("workflow", "action")
CODE = "M004"
#: What a pending change is, as ``verify`` reports it.
FINDING = "action below the standard major"

_VERSION_REF = re.compile(r"^v(?P<major>[0-9]+)(?:\.[0-9]+){0,2}$")
_SHA_REF = re.compile(r"^[0-9a-f]{40}$")
#: A trailing comment: a ``#`` at the start of what follows the value, or after a blank.
_COMMENT = re.compile(r"(?:^|(?<=\s))#(?P<body>[^\r\n]*)")
#: A version token in a comment: ``v3.6.0``, ``v3``, ``3.6.0``, or as pinning tools write it,
#: ``tag=v3.6.0``, ``pin @v4``, ``ratchet:actions/checkout@v4``, ``actions/checkout@v4``. A bare
#: number needs a dot (``# see 1234`` is an issue, ``# 2023-09-15`` a date, neither a version).
_COMMENT_VERSION = re.compile(
    r"(?<![^\s#])"
    r"(?:(?:tag=|pin ?@|(?:ratchet:)?(?P<action>[\w.-]+/[\w./-]+)@|@)"
    r"(?P<tagged>v?[0-9]+(?:\.[0-9]+)*)"
    r"|(?P<plain>v[0-9]+(?:\.[0-9]+)*|[0-9]+(?:\.[0-9]+)+))"
    r"(?:-[0-9A-Za-z][0-9A-Za-z.]*)?"  # a pre-release: v4.0.0-beta.2
    r"(?=[\s,;)]|\.?$)"
)


@dataclass(frozen=True)
class CommentVersion:
    """The version a trailing comment gives: its first version token."""

    #: Offsets of the version itself (``v3.6.0`` of ``tag=v3.6.0``) in the text.
    start: int
    end: int
    version: Version
    #: The action an ``owner/name@v4`` token names, as written.
    action: str | None
    #: Whether the token is the whole comment (``# v4``, not ``# v4 for node 20``).
    whole: bool


def comment_version(text: str, start: int, end: int) -> CommentVersion | None:
    """The version in the trailing comment of ``text[start:end]`` (the rest of the line after a
    value); None when there is no comment or it names no version."""
    comment = _COMMENT.search(text, start, end)
    if comment is None:
        return None
    token = _COMMENT_VERSION.search(text, comment.start("body"), comment.end("body"))
    if token is None:
        return None
    group = "tagged" if token["tagged"] else "plain"
    whole = token.end(group) == token.end() and comment["body"].strip() == token.group()
    return CommentVersion(
        token.start(group), token.end(group), Version(token[group]), token["action"], whole
    )


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    standards = context.targets.actions
    for _path, node in document.yaml.walk():
        if not isinstance(node, yamldoc.MappingNode):
            continue
        uses = yamldoc.get(node, "uses")
        if not isinstance(uses, yamldoc.ScalarNode):
            continue
        value = str(uses.value)
        action, at, ref = value.partition("@")
        if not at or action.startswith(("./", "docker://")):
            continue
        # ``actions/cache/restore`` is versioned with ``actions/cache``.
        standard = standards.get("/".join(action.lower().split("/")[:2]))
        if standard is None:
            continue
        if _VERSION_REF.match(ref) is not None:
            yield from _tag_edits(document, uses, standard)
        elif _SHA_REF.match(ref):
            yield from _sha_notice(document, uses, standard)


def _tag_edits(
    document: Document, uses: yamldoc.ScalarNode, standard: int
) -> Iterator[Edit | Notice]:
    """``uses: action@vN`` below the standard becomes ``@vM``, and a comment repeating the ref."""
    text = document.text
    value = str(uses.value)
    action, _at, ref = value.partition("@")
    version = _VERSION_REF.match(ref)
    if version is None or not major_below(version["major"], standard):
        return
    span = yamldoc.scalar_span(text, uses)
    if span is None:
        yield Notice(uses.start_mark.index, f"{value} cannot be edited in place")
        return
    start = span[0] + len(action) + 1
    yield Edit(
        start,
        start + len(ref),
        f"v{standard}",
        declares=(InPlace(document.yaml.path_of(uses)),),
    )
    # ``@v2 # v2``: a comment that only repeats the ref would now contradict it.
    line_end = document.lines.line_end(uses.end_mark.index)
    comment = comment_version(text, uses.end_mark.index, line_end)
    if (
        comment is not None
        and comment.whole
        and comment.version == Version(ref)
        and (comment.action is None or comment.action.lower() == action.lower())
    ):
        yield Edit(comment.start, comment.end, f"v{standard}")


def _sha_notice(document: Document, uses: yamldoc.ScalarNode, standard: int) -> Iterator[Notice]:
    """A commit SHA pin is never moved: its version comment says whether it is stale."""
    action = str(uses.value).partition("@")[0]
    line_end = document.lines.line_end(uses.end_mark.index)
    comment = comment_version(document.text, uses.end_mark.index, line_end)
    if comment is None:
        # Nothing says the pin is stale, nor that it is current: not an error in verify.
        yield Notice(
            uses.start_mark.index,
            f"{action} is pinned to a commit SHA with no version comment; its version "
            f"cannot be known offline: check that it is v{standard} or newer and add "
            f"the version as a comment (# v{standard}.x.y)",
            advisory=True,
        )
    elif major_below(comment.version.major, standard):
        yield Notice(
            uses.start_mark.index,
            f"{action} is pinned to a commit SHA (commented as major "
            f"{comment.version.major}); not changed: pin the SHA of "
            f"{action}@v{standard} by hand",
        )


_VERSION_USE = re.compile(r"@v([0-9]+)")
_SHA_USE = re.compile(r"@[0-9a-f]{40}")


def touches(text: str, context: Context) -> bool:
    """Only a ref below the standard major of its action, or a commit SHA, gives this
    migration anything to do; the action's name is on the line before its ``@``."""
    if yaml_escapes(text) or _SHA_USE.search(text):
        return True
    standards = context.targets.actions
    for use in _VERSION_USE.finditer(text):
        before = text[text.rfind("\n", 0, use.start()) + 1 : use.start()].lower()
        if any(
            major_below(use[1], standard) and name in before for name, standard in standards.items()
        ):
            return True
    return False
