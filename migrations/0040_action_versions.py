"""Raise pinned GitHub Action majors below the standard to the standard major.

What: in workflows and composite ``action.yml`` files, ``uses: owner/name@vN`` (or ``@vN.x.y``)
for an action in the standard table with N below its standard major becomes ``@vM``; with the
default standard (``2026-12``) that is each action's newest major in the shipped knowledge
(actions/checkout v7, actions/setup-python v7, docker/build-push-action v7, …; ``modernize
standards`` and the README give the tables, ``--standard 2025-12`` the seed's, and
``[tool.modernize] actions`` overrides one). Quoting and trailing comments stay; a comment that
is only the old ref's version (``@v2 # v2``, ``# tag=v2``) follows the new ref.

A ref pinned to a commit SHA moves too, to the commit of the newest release of the target major,
when the knowledge knows the pinned commit or its version comment gives the version; the comment
is rewritten in its own spelling (``# v7.0.1``, ``# tag=v7.0.1``, ``# 7.0.1``, ``# ratchet:
owner/name@v7``), and a known pin without a comment gets one.

Before a move, the step's ``with:`` keys are compared with the inputs the new major accepts: a
known rename is made in the same edit (codecov v5: ``file`` -> ``files``, ``plugin`` ->
``plugins``); an input the new major dropped holds the step at the newest major that accepts it,
with a warning at the input. Behaviour changes that inputs cannot show get a warning where they
bite (upload-artifact v4+: a second upload to one name, a matrix job, a hidden path;
download-artifact v4+ without ``name``).

Why: old majors run on retired Node runtimes and miss fixes; the standard is one consistent set.

Example::

    - uses: docker/build-push-action@v5        ->   - uses: docker/build-push-action@v7
    - uses: actions/checkout@v3.5.2            ->   - uses: actions/checkout@v7
    - uses: actions/cache@88522ab… # v3.3.1    ->   - uses: actions/cache@27d5ce7… # v5.0.5

Refuses: a SHA pin whose comment may explain the pin (more than a version), or whose version
disagrees with the commit's known release, is left with a warning giving the new pin to write; a
SHA the knowledge does not know with no version comment is left with a warning (its version
cannot be known offline), and one whose comment shows a major below the standard but whose
target major the knowledge has no commit of is an error in ``verify``. The comment's first
version token counts (``# v4.1.1``, ``# 4.1.1``, ``# tag=v4.1.1``, ``# pin @v4``, ``#
ratchet:actions/checkout@v4``); dates and issue numbers do not. Never downgrades; branch refs,
local actions (``./…``), ``docker://`` images and actions outside the table are left silently.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from packaging.version import Version

from modernize.authoring import (
    Context,
    DataPath,
    Document,
    Edit,
    InPlace,
    Notice,
    RenameKey,
    yamldoc,
)
from modernize.lazy import lazy_pattern
from modernize.records import record
from modernize.rules import actions
from modernize.rules.textcheck import yaml_escapes
from modernize.rules.versions import major_below

ID = "action-versions"
TITLE = "Raise GitHub Action majors (uses: owner/name@vN) to the standard"
KINDS = ("workflow", "action")
CODE = "M004"
#: What a pending change is, as ``verify`` reports it.
FINDING = "action below the standard major"

_VERSION_REF = lazy_pattern(r"^v(?P<major>[0-9]+)(?:\.[0-9]+){0,2}$")
_SHA_REF = lazy_pattern(r"^[0-9a-f]{40}$")
#: A trailing comment: a ``#`` at the start of what follows the value, or after a blank.
_COMMENT = lazy_pattern(r"(?:^|(?<=\s))#(?P<body>[^\r\n]*)")
#: A version token in a comment: ``v3.6.0``, ``v3``, ``3.6.0``, or as pinning tools write it,
#: ``tag=v3.6.0``, ``pin @v4``, ``ratchet:actions/checkout@v4``, ``actions/checkout@v4``. A bare
#: number needs a dot (``# see 1234`` is an issue, ``# 2023-09-15`` a date, neither a version).
_COMMENT_VERSION = lazy_pattern(
    r"(?<![^\s#])"
    r"(?:(?:tag=|pin ?@|(?:ratchet:)?(?P<action>[\w.-]+/[\w./-]+)@|@)"
    r"(?P<tagged>v?[0-9]+(?:\.[0-9]+)*)"
    r"|(?P<plain>v[0-9]+(?:\.[0-9]+)*|[0-9]+(?:\.[0-9]+)+))"
    r"(?:-[0-9A-Za-z][0-9A-Za-z.]*)?"  # a pre-release: v4.0.0-beta.2
    r"(?=[\s,;)]|\.?$)"
)


@record(frozen=True)
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
    steps = [
        (path, node, uses)
        for path, node in document.yaml.walk()
        if isinstance(node, yamldoc.MappingNode)
        and isinstance(uses := yamldoc.get(node, "uses"), yamldoc.ScalarNode)
    ]
    uploads = [
        (_upload_name(node), yamldoc.line_of(uses))
        for _path, node, uses in steps
        if str(uses.value).lower().startswith("actions/upload-artifact@")
    ]
    for path, node, uses in steps:
        action, at, ref = str(uses.value).partition("@")
        if not at or action.startswith(("./", "docker://")):
            continue
        # ``actions/cache/restore`` is versioned with ``actions/cache``.
        name = "/".join(action.lower().split("/")[:2])
        standard = standards.get(name)
        if standard is None:
            continue
        step = _Step(document, path, node, uses, name, standard, uploads)
        if _VERSION_REF.match(ref) is not None:
            yield from _tag_edits(step)
        elif _SHA_REF.match(ref):
            yield from _sha_edits(step)


def _upload_name(step: yamldoc.Node) -> str | None:
    """The artifact name an upload step gives (``artifact`` when it gives none); None when it
    cannot be read offline (an expression, a value that is not text)."""
    name = yamldoc.get(yamldoc.get(step, "with"), "name")
    if name is None:
        return "artifact"
    if not isinstance(name, yamldoc.ScalarNode) or "${{" in str(name.value):
        return None
    return str(name.value)


@record(frozen=True)
class _Step:
    """One ``uses:`` step of an action in the table, with what deciding its move needs."""

    document: Document
    path: DataPath
    node: yamldoc.MappingNode
    uses: yamldoc.ScalarNode
    #: ``owner/name``, lower case.
    action: str
    standard: int
    #: Every upload-artifact step of the file: the name it uploads (None: not known) and line.
    uploads: Sequence[tuple[str | None, int]]

    @property
    def written(self) -> str:
        """The action as the step writes it."""
        return str(self.uses.value).partition("@")[0]

    def inputs(self) -> list[yamldoc.ScalarNode]:
        """The key nodes of the ``with:`` inputs the step passes."""
        return [
            key
            for key, _value in getattr(yamldoc.get(self.node, "with"), "value", ())
            if isinstance(key, yamldoc.ScalarNode) and key.value != "<<"
        ]

    def input_text(self, name: str) -> str | None:
        found = yamldoc.get(yamldoc.get(self.node, "with"), name)
        return str(found.value) if isinstance(found, yamldoc.ScalarNode) else None

    def in_matrix_job(self) -> bool:
        """Whether the step is in a workflow job that runs once per matrix combination."""
        if len(self.path) < 4 or self.path[1] != "jobs":
            return False
        strategy = yamldoc.get(self.document.yaml.node_at(self.path[:3]), "strategy")
        return yamldoc.get(strategy, "matrix") is not None


def _decide(step: _Step, current: int) -> tuple[actions.Move, list[Edit | Notice]]:
    """Where the step goes, with the edits renaming its inputs and the warnings of inputs that
    hold it below the standard."""
    keys = step.inputs()
    move = actions.decide_move(step.action, current, step.standard, [str(k.value) for k in keys])
    found: list[Edit | Notice] = []
    by_name = {str(key.value): key for key in keys}
    with_path = (*step.document.yaml.path_of(step.node), "with")
    for old, new in move.renames.items():
        key = by_name[old]
        span = yamldoc.scalar_span(step.document.text, key)
        if span is None:
            found.append(Notice(key.start_mark.index, f"input {old} cannot be edited in place"))
            return actions.Move(None), found
        found.append(Edit(*span, new, declares=(RenameKey((*with_path, old), new),)))
    for held in move.held:
        stays = f"moved to v{move.major} only" if move.major else f"left at v{current}"
        found.append(
            Notice(
                by_name[held.name].start_mark.index,
                f"{step.written}: input {held.name} is not accepted after v{held.newest}; "
                f"{stays}: drop or replace the input, then move to v{step.standard}",
            )
        )
    return move, found


def _behaviour_warnings(step: _Step, current: int, major: int) -> Iterator[Notice]:
    """What the artifact actions' v4 changed that their inputs do not show, where it bites."""
    if not current < 4 <= major:
        return
    at = step.uses.start_mark.index
    line = yamldoc.line_of(step.uses)
    if step.action == "actions/upload-artifact":
        name = _upload_name(step.node)
        others = [other for known, other in step.uploads if known == name and other != line]
        if name is not None and others:
            yield Notice(
                at,
                f"actions/upload-artifact v4 and later refuse a second upload to the same "
                f"name in one workflow run: {name} is also uploaded at line {others[0]}; give "
                f"each upload its own name",
                advisory=True,
            )
        elif name is not None and step.in_matrix_job():
            yield Notice(
                at,
                f"actions/upload-artifact v4 and later refuse a second upload to the same "
                f"name in one workflow run, and this job uploads {name} once per matrix "
                f"combination: put the matrix values in the name",
                advisory=True,
            )
        path = step.input_text("path") or ""
        if _HIDDEN.search(path) and step.input_text("include-hidden-files") is None:
            yield Notice(
                at,
                "actions/upload-artifact v4 and later leave hidden files out, and path names "
                "one: add include-hidden-files: true if it is wanted",
                advisory=True,
            )
    elif step.action == "actions/download-artifact" and not any(
        step.input_text(name) for name in ("name", "pattern", "artifact-ids")
    ):
        yield Notice(
            at,
            "actions/download-artifact v4 and later, given no name, download every artifact "
            "of the run, each into a folder of its own under path: name the artifact, or add "
            "merge-multiple: true",
            advisory=True,
        )


#: A hidden file or folder in an upload path: ``.coverage``, ``build/.cache``, not ``./dist``.
_HIDDEN = lazy_pattern(r"(?:^|[/\\\s])\.[^./\\\s]")


def _tag_edits(step: _Step) -> Iterator[Edit | Notice]:
    """``uses: action@vN`` below the standard becomes ``@vM``, and a comment repeating the ref."""
    document, uses = step.document, step.uses
    text = document.text
    value = str(uses.value)
    action, _at, ref = value.partition("@")
    version = _VERSION_REF.match(ref)
    if version is None or not major_below(version["major"], step.standard):
        return
    span = yamldoc.scalar_span(text, uses)
    if span is None:
        yield Notice(uses.start_mark.index, f"{value} cannot be edited in place")
        return
    current = int(version["major"])
    move, found = _decide(step, current)
    yield from found
    if move.major is None:
        return
    start = span[0] + len(action) + 1
    yield Edit(
        start,
        start + len(ref),
        f"v{move.major}",
        declares=(InPlace(document.yaml.path_of(uses)),),
    )
    yield from _behaviour_warnings(step, current, move.major)
    # ``@v2 # v2``: a comment that only repeats the ref would now contradict it.
    line_end = document.lines.line_end(uses.end_mark.index)
    comment = comment_version(text, uses.end_mark.index, line_end)
    if (
        comment is not None
        and comment.whole
        and comment.version == Version(ref)
        and (comment.action is None or comment.action.lower() == action.lower())
    ):
        yield Edit(comment.start, comment.end, f"v{move.major}")


def _sha_edits(step: _Step) -> Iterator[Edit | Notice]:
    """A commit SHA pin moves to the SHA of the newest release of the standard major, its
    version comment with it, when the data or the comment says which release it is."""
    document, uses = step.document, step.uses
    text, action = document.text, step.written
    sha = str(uses.value).partition("@")[2]
    line_end = document.lines.line_end(uses.end_mark.index)
    comment = comment_version(text, uses.end_mark.index, line_end)
    release = actions.release_of_sha(step.action, sha)
    if release is not None and release.major is not None:
        current = release.major
    elif comment is not None:
        current = comment.version.major
    else:
        # Nothing says the pin is stale, nor that it is current: not an error in verify.
        yield Notice(
            uses.start_mark.index,
            f"{action} is pinned to a commit SHA this release does not know, with no version "
            f"comment; its version cannot be known offline: check that it is "
            f"v{step.standard} or newer and add the version as a comment "
            f"(# v{step.standard}.x.y)",
            advisory=True,
        )
        return
    disagreement = None
    if release is not None and comment is not None and not _names(comment.version, release.tag):
        disagreement = (
            f"{action}: the comment says {text[comment.start : comment.end]}, but the pinned "
            f"commit is {release.tag}"
        )
    if not major_below(current, step.standard):
        if disagreement is not None:
            yield Notice(uses.start_mark.index, disagreement, advisory=True)
        elif comment is None and release is not None and _comment_fits(text, uses, line_end):
            yield Edit(uses.end_mark.index, uses.end_mark.index, f" # {release.tag}")
        return
    move, found = _decide(step, current)
    yield from found
    if move.major is None:
        return
    newest = actions.newest_release(step.action, move.major)
    if newest is None:
        yield Notice(
            uses.start_mark.index,
            f"{action} is pinned to a commit SHA (v{current}); this release knows no commit "
            f"of v{move.major}: pin the SHA of {action}@v{move.major} by hand",
        )
        return
    # A comment that says more than the version explains the pin: a reason to stop.
    foreign = (
        _COMMENT.search(text, uses.end_mark.index, line_end) is not None
        if comment is None
        else not comment.whole
        or (comment.action is not None and comment.action.lower() != action.lower())
    )
    if disagreement is not None or foreign:
        remark = _COMMENT.search(text, uses.end_mark.index, line_end)
        why = disagreement or (
            f"{action} is pinned to a commit SHA (v{current}) with a comment that may explain "
            f"the pin (#{remark['body'] if remark else ''})"
        )
        yield Notice(
            uses.start_mark.index, f"{why}; not changed: pin {newest.sha} # {newest.tag} by hand"
        )
        return
    span = yamldoc.scalar_span(text, uses)
    if span is None:
        yield Notice(uses.start_mark.index, f"{uses.value} cannot be edited in place")
        return
    sha_start = span[1] - len(sha)
    yield Edit(sha_start, span[1], newest.sha, declares=(InPlace(document.yaml.path_of(uses)),))
    yield from _behaviour_warnings(step, current, move.major)
    if comment is not None:
        yield Edit(
            comment.start, comment.end, _spelled(text[comment.start : comment.end], newest.tag)
        )
    elif _comment_fits(text, uses, line_end):
        yield Edit(uses.end_mark.index, uses.end_mark.index, f" # {newest.tag}")


def _names(version: Version, tag: str) -> bool:
    """Whether a comment's version names the tag: ``v4`` and ``4.1`` name ``v4.1.1``."""
    written = version.release
    return (
        Version(tag.lstrip("v")).release[: len(written)] == written if tag[1:2].isdigit() else False
    )


def _spelled(old: str, tag: str) -> str:
    """``tag`` as the old comment wrote its version: with or without ``v``, only the major
    when that was all it gave (``v4`` -> ``v7``, ``4.1.1`` -> ``7.0.1``)."""
    bare = tag.lstrip("v")
    if "." not in old:
        bare = bare.split(".")[0]
    return f"v{bare}" if old.startswith("v") else bare


def _comment_fits(text: str, uses: yamldoc.ScalarNode, line_end: int) -> bool:
    """Whether a comment may follow the value: nothing else is on the rest of its line."""
    return not text[uses.end_mark.index : line_end].strip()


_VERSION_USE = lazy_pattern(r"@v([0-9]+)")
_SHA_USE = lazy_pattern(r"@[0-9a-f]{40}")


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
