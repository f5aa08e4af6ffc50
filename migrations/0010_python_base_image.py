"""Move ``FROM python:X.Y`` base images below the target to the target Python.

What: in Dockerfiles, ``FROM [--flags] [registry/][library/]python:X.Y[-variant] [AS name]`` with
X.Y below the target gets the target's X.Y, keeping the variant suffix, flags, keyword casing and
spacing. The registry may be Docker Hub or a mirror of it: a first path component with a ``.`` or
a ``:`` or ``localhost`` (``localhost:5000/python``, ``mirror.gcr.io/library/python``), or a
build argument before ``library/python`` (``${REGISTRY}/library/python``). A patch pin
(``3.10.13-slim``) becomes the minor tag (``3.12-slim``): the tool cannot know offline which patch
release is current. When the tag comes from a build argument
(``ARG PYTHON_VERSION=3.10`` … ``FROM python:${PYTHON_VERSION}-slim``), the argument's default is
raised instead of the FROM line. Paths and commands elsewhere in the same Dockerfile that name the
old interpreter (``/usr/local/lib/python3.10/site-packages``, ``python3.10 -m pip``, ``pip3.10``,
``python3.10-config``, ``libpython3.10.so.1.0``) follow, so the image still works. Python stages
linked by ``COPY --from=<stage>``, ``RUN --mount=…,from=<stage>`` or ``FROM <stage>`` move
together or not at all.

Why: a base image behind the rest of the repository (CI, pyproject) is a broken state; the old
minor's path in a ``COPY --from`` would copy nothing into the new image, and packages built for
one minor and copied into another minor's interpreter do not import.

Example::

    ARG PYTHON_VERSION=3.10                      ARG PYTHON_VERSION=3.12
    FROM python:${PYTHON_VERSION}-slim AS build  FROM python:${PYTHON_VERSION}-slim AS build
    FROM python:3.10-slim                    ->  FROM python:3.12-slim
    COPY --from=build /usr/local/lib/python3.10/site-packages /usr/local/lib/python3.10/...
    (both paths become python3.12)

Refuses (leaves the line and warns): digest pins (``@sha256:…``); Python 2 tags; variants naming a
distribution release that the shipped knowledge has no image of for the target (``-slim-buster``,
``-alpine3.15``), or one no longer built for it (``-slim-bullseye``: the warning names its last
build date and the variants still built), or a variant it does not know; templated tags it cannot
resolve to a build-argument default. A refused stage holds back every python stage linked to it,
directly or through other stages, each with a warning naming the stage that stayed (a
``COPY --from`` of another image, or of a stage that is not python, does not link). A tag at the
target on a variant no longer built gets advice (not an error). Tags at or above the target,
floating tags (``3``, ``3-slim``, ``latest``), stage names (``FROM python AS build`` after a stage
called ``python``) and other publishers' images under an organisation (``ghcr.io/acme/python``,
``${ORG}/python``) are left silently. A comment above a FROM line that may explain the pin
(``# Stays on 3.10 until the solver builds``) keeps the stage, and the stages that move with it
(linked, built on it, fed by the same build argument); one that only restates it (``# Python
3.10 base image``) is updated with it (``rules.pin_comments``). Heredoc bodies and other
comments are never edited.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import field, replace
from typing import TYPE_CHECKING

from modernize.authoring import Context, Document, Edit, InPlace, Notice
from modernize.lazy import lazy_pattern
from modernize.records import record
from modernize.rules.images import is_official, is_templated, parse_image
from modernize.rules.python_stages import (
    Links,
    follow_interpreter_paths,
    path_to,
    stage_links,
)
from modernize.rules.pythontags import decide_python_tag, digest_refusal, templated_refusal
from modernize.rules.textcheck import matches_where
from modernize.rules.variants import may_name_variant_at
from modernize.rules.versions import below

if TYPE_CHECKING:
    from modernize.formats.dockerfile import Dockerfile, Word
    from modernize.rules.imagetags import TagDecision

ID = "python-base-image"
TITLE = "Move python base images (FROM python:X.Y) to the target Python"
KINDS = ("dockerfile", "dockerfile-content")
#: It moves a file's Python: a file whose project cannot run the target stays.
MOVES = "python"
CODE = "M001"
#: What a pending change is, as ``verify`` reports it.
FINDING = "python base image below the target"

_VARIABLE = lazy_pattern(r"\$(?:\{(?P<braced>\w+)\}|(?P<plain>\w+))")
_VARIABLE_AT_START = lazy_pattern(r"^\$(?:\{(?P<braced>\w+)\}|(?P<plain>\w+))(?P<rest>.*)$")


@record(frozen=True)
class _ArgDefault:
    """The default value of a build argument, by its instruction and its offset in the text."""

    instruction: int
    value: str
    start: int  # offset of the value in the text (quotes excluded)


def _substitute(text: str, arguments: dict[str, _ArgDefault | None]) -> str:
    """Replace ``${NAME}``/``$NAME`` by the build argument's default where it has one."""

    def value(match: re.Match[str]) -> str:
        default = arguments.get(match["braced"] or match["plain"])
        return default.value if default is not None else match.group()

    return _VARIABLE.sub(value, text)


def _global_args(dockerfile: Dockerfile) -> dict[str, _ArgDefault | None]:
    """Build arguments declared before the first FROM (the only ones FROM can use)."""
    found: dict[str, _ArgDefault | None] = {}
    for index in dockerfile.stages.global_args:
        for word in dockerfile.instructions[index].words:
            name, equals, value = word.text.partition("=")
            if not equals:
                found.setdefault(name, None)
                continue
            start = word.start + len(name) + 1
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value, start = value[1:-1], start + 1
            found[name] = _ArgDefault(index, value, start)
    return found


@record
class _Use:
    """What one FROM line asks for: an edit (of the FROM or of a build-argument default), a
    notice, or both absent; ``argument`` names the build argument carrying the version."""

    index: int
    edit: Edit | None = None
    notice: Notice | None = None
    old_minor: str = ""
    argument: str | None = None
    #: Advice about a tag that stays because it is at the target (its variant is no longer
    #: built): unlike a notice, it holds back no linked stage.
    advice: Notice | None = None


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    """The file's results. The edits of stages that move together (linked, built on one
    another, or fed by one build argument) are one group (``Edit.group``), with the paths that
    follow their Python: a comment that holds one of them back holds them all."""
    survey = _survey(document.dockerfile, context)
    if all(
        use.edit is None and use.notice is None and use.advice is None
        for use in survey.uses.values()
    ):
        return  # every python image is as it should be: nothing else follows from them
    links = stage_links(document.dockerfile, survey.python_stages(), survey.labels, survey.parents)
    together = _together(survey, links)
    results = list(_results(document, context, survey, links))
    results = list(_kept_above_argument_fed(document, survey, together, results))
    starts = _stage_starts(document)
    for result in results:
        if isinstance(result, Edit):
            result = replace(result, group=_group_of(starts, survey, together, result))
        yield result


def _kept_above_argument_fed(
    document: Document,
    survey: _Survey,
    together: dict[int, int],
    results: list[Edit | Notice],
) -> Iterator[Edit | Notice]:
    """A FROM line whose tag comes from a build argument moves where the argument is set,
    far from a comment above the FROM line that may explain the pin: that comment keeps the
    argument, and the stages that move with it, too."""
    from modernize.rules.pin_comments import explaining_comment_above

    kept: dict[int, str] = {}  # group -> the comment
    for number, use in survey.uses.items():
        if use.argument and use.edit is not None and use.old_minor:
            major, minor = use.old_minor.split(".")[:2]
            image = survey.images[number]
            body = explaining_comment_above(document, image.start, {(int(major), int(minor))})
            if body:
                kept.setdefault(together.get(number, number), body)
                yield Notice(
                    image.start,
                    f"not changed: the comment {body!r} may explain this pin (the tag comes "
                    f"from build argument {use.argument}, which stays); if it no longer holds, "
                    "change the value (and the comment) by hand",
                    advisory=True,
                )
    if not kept:
        yield from results
        return
    starts = _stage_starts(document)
    for result in results:
        if isinstance(result, Edit) and _group_of(starts, survey, together, result) in kept:
            continue
        yield result


def _stage_starts(document: Document) -> list[tuple[int, int]]:
    """(offset of its FROM line, number) of each stage, in order."""
    return [
        (document.dockerfile.instructions[stage.start].start, stage.number)
        for stage in document.dockerfile.stages.stages
    ]


def _group_of(
    starts: list[tuple[int, int]], survey: _Survey, together: dict[int, int], edit: Edit
) -> int | None:
    """The group of the stage an edit belongs to (a build argument's: of the stages it feeds)."""
    at = bisect.bisect_right(starts, (edit.start, len(starts))) - 1
    stage = starts[at][1] if at >= 0 else None
    if stage is None:  # a build argument's default, before any FROM
        stage = next(
            (
                number
                for number, use in survey.uses.items()
                if use.edit is not None and use.edit.start == edit.start
            ),
            None,
        )
    return together.get(stage) if stage is not None else None


def _together(survey: _Survey, links: Links) -> dict[int, int]:
    """Each python stage's group: the first stage of those it moves with."""
    group = {stage: stage for stage in survey.python_stages()}

    def find(stage: int) -> int:
        while group[stage] != stage:
            stage = group[stage]
        return stage

    def join(one: int, other: int) -> None:
        if one in group and other in group:
            first, second = sorted((find(one), find(other)))
            group[second] = first

    for stage, others in links.items():
        for other, _how in others:
            join(stage, other)
    for child, parent in survey.parents.items():
        join(child, parent)
    by_argument: dict[str, int] = {}
    for stage, use in survey.uses.items():
        if use.argument:
            join(stage, by_argument.setdefault(use.argument, stage))
    return {stage: find(stage) for stage in group}


def _results(
    document: Document, context: Context, survey: _Survey, links: Links
) -> Iterator[Edit | Notice]:
    uses = survey.uses
    blocked = _blocked_arguments(survey)
    held = _held_back(uses, links, blocked, survey.labels)
    bumped: dict[int, str] = {}
    reported: set[str] = set()
    for stage_number, use in sorted(uses.items()):
        if use.notice is not None:
            yield use.notice
        if use.advice is not None:
            yield use.advice
        if use.edit is None:
            continue
        if stage_number in held:
            image = survey.images[stage_number]
            yield Notice(
                image.start,
                f"{image.text} not raised to {context.targets.python_minor}: "
                f"{held[stage_number]}, which was not changed (stages that share files must "
                "stay on one Python minor)",
            )
            continue
        if use.argument in blocked:
            if use.argument not in reported:
                reported.add(use.argument)
                yield Notice(
                    use.edit.start,
                    f"build argument {use.argument} not raised to "
                    f"{context.targets.python_minor}: {blocked[use.argument]}",
                )
            continue
        # Several FROM lines fed by one build argument yield the same edit; the engine
        # merges identical edits.
        yield use.edit
        bumped[stage_number] = use.old_minor
    for stage_number, parent in sorted(survey.parents.items()):
        if parent in bumped:
            bumped[stage_number] = bumped[parent]
    if bumped:
        yield from follow_interpreter_paths(document, bumped, context.targets.python_minor)


@record
class _Survey:
    """The stages of a Dockerfile as this migration sees them: the decision for each stage's
    own python base image (``uses``), the stages built on an earlier one (``parents``), which
    stages are python, and the build arguments that feed an image that is not python."""

    images: dict[int, Word] = field(default_factory=dict)
    labels: dict[int, str] = field(default_factory=dict)
    parents: dict[int, int] = field(default_factory=dict)  # FROM <stage>: inherits its Python
    uses: dict[int, _Use] = field(default_factory=dict)
    non_python_arguments: set[str] = field(default_factory=set)

    def python_stages(self) -> set[int]:
        found = set(self.uses)
        for stage, parent in sorted(self.parents.items()):
            if parent in found:
                found.add(stage)
        return found


def _survey(dockerfile: Dockerfile, context: Context) -> _Survey:
    arguments = _global_args(dockerfile)
    survey = _Survey()
    for stage in dockerfile.stages.stages:
        image = stage.base
        if image is None:
            continue
        survey.images[stage.number] = image
        survey.labels[stage.number] = (
            f"stage {stage.name!r}" if stage.name is not None else f"stage {stage.number}"
        )
        if stage.parent is not None:
            survey.parents[stage.number] = stage.parent
            continue
        use = _decide(image.text, image.start, stage.start, arguments, context)
        if use is None:
            survey.non_python_arguments.update(
                m["braced"] or m["plain"] for m in _VARIABLE.finditer(image.text)
            )
        else:
            survey.uses[stage.number] = use
    return survey


def _blocked_arguments(survey: _Survey) -> dict[str, str]:
    """Build arguments that must not be raised, each with why."""
    blocked: dict[str, str] = {}
    for use in survey.uses.values():
        if use.argument and use.notice is not None and not use.notice.advisory:
            blocked.setdefault(use.argument, "another FROM line using it was refused")
    for name in survey.non_python_arguments:
        if any(use.argument == name and use.edit for use in survey.uses.values()):
            blocked.setdefault(name, "it also feeds an image that is not python")
    return blocked


def _held_back(
    uses: dict[int, _Use], links: Links, blocked: dict[str, str], stage_labels: dict[int, str]
) -> dict[int, str]:
    """Stages whose edit must wait, each with why: a stage linked, directly or through other
    stages, to a python stage that stays below the target would mix two Pythons' files.

    A held-back stage fed by a build argument blocks that argument (``blocked`` grows), which
    may hold back more stages, so this runs until nothing changes.
    """
    held: dict[int, str] = {}
    while True:
        staying = {
            stage
            for stage, use in uses.items()
            if use.notice is not None
            or (use.edit is not None and (use.argument in blocked or stage in held))
        }
        grown = False
        for stage, use in sorted(uses.items()):
            if use.edit is None or stage in staying:
                continue
            why = path_to(stage, staying, links, stage_labels)
            if why:
                held[stage] = why
                grown = True
        for stage in held:
            argument = uses[stage].argument
            if argument and argument not in blocked:
                blocked[argument] = f"{stage_labels[stage]}, which uses it, was held back"
                grown = True
        if not grown:
            return held


def _decide(
    reference: str,
    offset: int,
    index: int,
    arguments: dict[str, _ArgDefault | None],
    context: Context,
    argument: str | None = None,
) -> _Use | None:
    """The decision for one FROM image reference; None when it is not the python image.

    The YAML kinds call ``imagetags.decide_image``; a FROM line cannot, because its tag may
    come from a build argument whose default is what moves (``FROM python:${PY}-slim``): the
    same steps (templated, official, digest, the version rule, the same wordings) run here on
    the tag once its arguments are substituted."""
    whole = _VARIABLE_AT_START.match(reference)
    if whole and not whole["rest"]:
        # FROM ${BASE_IMAGE}: the whole reference is a build argument.
        name = whole["braced"] or whole["plain"]
        default = arguments.get(name)
        if default is None or "$" in default.value:
            return None
        return _decide(default.value, default.start, default.instruction, {}, context, name)
    ref = parse_image(reference)
    if ref is None or not is_official(ref, "python") or ref.tag is None:
        return None
    variable = _VARIABLE_AT_START.match(ref.tag)
    if ref.digest is not None:
        return _pinned_use(
            reference, ref.tag, variable, offset, index, arguments, context, argument
        )
    if variable:
        return _argument_use(reference, ref.tag, variable, offset, index, arguments, context)
    if is_templated(ref.tag):
        return _Use(index, notice=_templated(reference, offset))
    decision = decide_python_tag(ref.tag, context.targets)
    if decision is None:
        return _Use(index, argument=argument)
    if decision.refusal:
        return _refused(index, offset, decision, argument)
    tag_offset = offset + ref.tag_start
    edit = Edit(
        tag_offset,
        tag_offset + decision.length,
        decision.replacement,
        declares=(InPlace(("instruction", index)),),
    )
    return _Use(index, edit=edit, old_minor=decision.old_minor, argument=argument)


def _refused(index: int, offset: int, decision: TagDecision, argument: str | None) -> _Use:
    notice = Notice(offset, decision.refusal, advisory=decision.advisory)
    if decision.advisory:
        return _Use(index, argument=argument, advice=notice)
    return _Use(index, notice=notice, argument=argument)


def _templated(reference: str, offset: int) -> Notice:
    return Notice(offset, templated_refusal(reference), advisory=True)


def _pinned_use(
    reference: str,
    tag: str,
    variable: re.Match[str] | None,
    offset: int,
    index: int,
    arguments: dict[str, _ArgDefault | None],
    context: Context,
    argument: str | None,
) -> _Use:
    """A digest pin is never moved: refused when its tag is below the target."""
    if variable:
        default = arguments.get(variable["braced"] or variable["plain"])
        tag = default.value + variable["rest"] if default is not None else ""
    decision = decide_python_tag(tag, context.targets) if "$" not in tag else None
    if decision is None:
        return _Use(index)
    if decision.advisory:
        return _Use(index, advice=Notice(offset, decision.refusal, advisory=True))
    return _Use(
        index,
        notice=Notice(offset, digest_refusal(reference.split("@")[0], context.targets)),
        argument=(variable["braced"] or variable["plain"]) if variable else argument,
    )


def _argument_use(
    reference: str,
    tag: str,
    variable: re.Match[str],
    offset: int,
    index: int,
    arguments: dict[str, _ArgDefault | None],
    context: Context,
) -> _Use:
    """A tag that starts with a build argument (``${PYTHON_VERSION}-slim``): its default is
    the one raised."""
    name = variable["braced"] or variable["plain"]
    default = arguments.get(name)
    if name not in arguments or default is None:
        why = (
            "which has no default"
            if name in arguments
            else "which is not a build argument declared before FROM"
        )
        message = f"python tag {tag!r} comes from build argument {name}, {why}; not changed"
        return _Use(index, notice=Notice(offset, message, advisory=True))
    rest = _substitute(variable["rest"], arguments)
    if "$" in default.value + rest:
        return _Use(index, notice=_templated(reference, offset))
    decision = decide_python_tag(default.value + rest, context.targets)
    if decision is None:
        return _Use(index, argument=name)
    if decision.refusal:
        return _refused(index, offset, decision, name)
    edit = Edit(
        default.start,
        default.start + decision.length,
        decision.replacement,
        declares=(InPlace(("instruction", default.instruction)),),
    )
    return _Use(index, edit=edit, old_minor=decision.old_minor, argument=name)


_PYTHON_TAG = lazy_pattern(r"python:(\S*)", re.IGNORECASE)
_TAG_MINOR = lazy_pattern(r"([0-9]+)\.([0-9]+)")
#: The first FROM instruction: the build arguments a FROM line can use are declared above it.
_FIRST_FROM = lazy_pattern(r"^[ \t]*FROM[ \t]", re.IGNORECASE | re.MULTILINE)
#: A line the text test reads above the first FROM: blank, a comment (or a parser
#: directive), or an ARG instruction; anything else leaves the first FROM in doubt.
_ABOVE_FROM = lazy_pattern(r"[ \t]*(?:#.*|(?i:ARG)[ \t].*)?\r?")
#: What follows a build argument in a tag this test resolves: the rest of a plain tag.
_PLAIN_REST = lazy_pattern(r"[\w.-]*")
#: A build argument's default that is a plain version (``3.12``, ``"3.12.4"``).
_PLAIN_DEFAULT = lazy_pattern(r"=([\"']?)([0-9]+\.[0-9]+(?:\.[0-9]+)?)\1(?![^\s])")


def touches(text: str, context: Context) -> bool:
    """Only a python image tag (on a FROM line or in a build argument feeding one) that is
    below the target, Python 2 or templated gives this migration anything to do. A tag that
    starts with a build argument (``${PYTHON_VERSION}-slim``) is judged with its default when
    the text shows that default beyond doubt (see ``_defaulted``)."""
    # Overlapping ones too, as in ``python:5000/python:3.10`` (a registry named python).
    for match in matches_where(text, ":", len("python"), _PYTHON_TAG, overlapping=True):
        tag = match[1]
        templated = "$" in tag or "{" in tag
        if templated:
            defaulted = _defaulted(text, tag)
            if defaulted is None:
                return True
            tag = defaulted
        version = _TAG_MINOR.match(tag)
        # Python 2 is below every target (a target is 3.X).
        if version and below(version[1], version[2], context.targets.python):
            return True
        if templated and may_name_variant_at(
            f"python:{tag}", "python", context.targets.python_minor
        ):
            return True
    return may_name_variant_at(text, "python", context.targets.python_minor)


def _defaulted(text: str, tag: str) -> str | None:
    """``tag`` with the default of the build argument it starts with (``${PYTHON_VERSION}-slim``
    and ``ARG PYTHON_VERSION=3.12`` make ``3.12-slim``), as ``_argument_use`` reads it; None
    unless the text leaves no doubt. Above the first FROM line (where the build arguments a
    FROM can use are declared) only blank lines, comments and ARG instructions may be, with no
    backslash or backtick (an escape, or a line joined to the next), and every mention of the
    argument must be a word of an ARG line that gives it a plain version, at least once;
    nothing else in the tag may be templated."""
    variable = _VARIABLE_AT_START.match(tag)
    if variable is None or _PLAIN_REST.fullmatch(variable["rest"]) is None:
        return None
    first_from = _FIRST_FROM.search(text)
    if first_from is None:
        return None
    above = text[: first_from.start()]
    if "\\" in above or "`" in above:
        return None
    lines = above.split("\n")
    if not all(_ABOVE_FROM.fullmatch(line) for line in lines):
        return None
    name = variable["braced"] or variable["plain"]
    defaults = set()
    for line in lines:
        for mention in re.finditer(rf"(?<![\w$]){name}(?!\w)", line):
            default = _PLAIN_DEFAULT.match(line, mention.end())
            in_a_comment = line.lstrip(" \t").startswith("#")
            a_word = mention.start() > 0 and line[mention.start() - 1] in " \t"
            if default is None or in_a_comment or not a_word:
                return None  # only the parser knows what it means
            defaults.add(default[2])
    if len(defaults) != 1:
        return None  # none, or two that differ: which one counts is for the parser to say
    return defaults.pop() + variable["rest"]
