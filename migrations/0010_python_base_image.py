"""Move ``FROM python:X.Y`` base images below the target to the target Python.

What: in Dockerfiles, ``FROM [--flags] [registry/][library/]python:X.Y[-variant] [AS name]`` with
X.Y below the target gets the target's X.Y, keeping the variant suffix, flags, keyword casing and
spacing. A patch pin (``3.10.13-slim``) becomes the minor tag (``3.12-slim``): the tool cannot know
offline which patch release is current. When the tag comes from a build argument
(``ARG PYTHON_VERSION=3.10`` … ``FROM python:${PYTHON_VERSION}-slim``), the argument's default is
raised instead of the FROM line. Paths and commands elsewhere in the same Dockerfile that name the
old interpreter (``/usr/local/lib/python3.10/site-packages``, ``python3.10 -m pip``) follow, so the
image still works.

Why: a base image behind the rest of the repository (CI, pyproject) is a broken state; the old
minor's path in a ``COPY --from`` would copy nothing into the new image.

Example::

    ARG PYTHON_VERSION=3.10                      ARG PYTHON_VERSION=3.12
    FROM python:${PYTHON_VERSION}-slim AS build  FROM python:${PYTHON_VERSION}-slim AS build
    FROM python:3.10-slim                    ->  FROM python:3.12-slim
    COPY --from=build /usr/local/lib/python3.10/site-packages /usr/local/lib/python3.10/...
    (both paths become python3.12)

Refuses (leaves the line and warns): digest pins (``@sha256:…``); Python 2 tags; variants naming
a distribution release with no image for the target in the dated table it ships
(``-slim-buster``, ``-alpine3.15``) or a variant it does not know; templated tags it cannot
resolve to a build-argument default. Tags at or above the target, floating tags (``3``,
``3-slim``, ``latest``) and stage names (``FROM python AS build`` after a stage called
``python``) are left silently. Heredoc bodies and comments are never edited.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from modernize.document import Document
from modernize.formats.dockerfile import Instruction
from modernize.images import is_official, parse_image
from modernize.model import Edit, Notice
from modernize.pythontags import TagDecision, decide_python_tag
from modernize.registry import Context, findings_of

ID = "python-base-image"
TITLE = "Move python base images (FROM python:X.Y) to the target Python"
KINDS = ("dockerfile",)

_VARIABLE = re.compile(r"\$(?:\{(?P<braced>\w+)\}|(?P<plain>\w+))")
_VARIABLE_AT_START = re.compile(r"^\$(?:\{(?P<braced>\w+)\}|(?P<plain>\w+))(?P<rest>.*)$")


@dataclass(frozen=True)
class _ArgDefault:
    instruction: int
    value: str
    start: int  # offset of the value in the text (quotes excluded)


def _substitute(text: str, arguments: dict[str, _ArgDefault | None]) -> str:
    """Replace ``${NAME}``/``$NAME`` by the build argument's default where it has one."""

    def value(match: re.Match[str]) -> str:
        default = arguments.get(match["braced"] or match["plain"])
        return default.value if default is not None else match.group()

    return _VARIABLE.sub(value, text)


def _global_args(instructions: list[Instruction], text: str) -> dict[str, _ArgDefault | None]:
    """Build arguments declared before the first FROM (the only ones FROM can use)."""
    found: dict[str, _ArgDefault | None] = {}
    for index, instruction in enumerate(instructions):
        if instruction.name == "FROM":
            break
        if instruction.name != "ARG":
            continue
        for word in instruction.words:
            name, equals, value = word.text.partition("=")
            if not equals:
                found.setdefault(name, None)
                continue
            start = word.start + len(name) + 1
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value, start = value[1:-1], start + 1
            found[name] = _ArgDefault(index, value, start)
    return found


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    dockerfile = document.dockerfile
    instructions = dockerfile.instructions
    arguments = _global_args(instructions, document.text)
    stages: set[str] = set()
    old_minors: set[str] = set()
    for index, instruction in enumerate(instructions):
        if instruction.name != "FROM":
            continue
        plain = [word for word in instruction.words if not word.text.startswith("--")]
        if not plain:
            continue
        image = plain[0]
        if len(plain) >= 3 and plain[1].text.lower() == "as":
            stage_name = plain[2].text.lower()
        else:
            stage_name = ""
        if image.text.lower() in stages:
            stages.add(stage_name)
            continue
        stages.add(stage_name)
        # Several FROM lines fed by one build argument yield the same edit; the engine merges
        # identical edits.
        for result in _from_image(image.text, image.start, index, arguments, context):
            if isinstance(result, TagDecision):
                old_minors.add(result.old_minor)
            else:
                yield result
    if old_minors:
        yield from _follow_paths(document, old_minors, context)


def _from_image(
    reference: str,
    offset: int,
    index: int,
    arguments: dict[str, _ArgDefault | None],
    context: Context,
) -> Iterator[Edit | Notice | TagDecision]:
    whole = _VARIABLE_AT_START.match(reference)
    if whole and not whole["rest"]:
        # FROM ${BASE_IMAGE}: the whole reference is a build argument.
        name = whole["braced"] or whole["plain"]
        default = arguments.get(name)
        if default is not None and "$" not in default.value:
            yield from _from_image(default.value, default.start, default.instruction, {}, context)
        return
    ref = parse_image(reference)
    if ref is None or not is_official(ref, "python") or ref.tag is None:
        return
    tag_offset = offset + ref.tag_start
    if ref.digest is not None:
        decision = decide_python_tag(ref.tag, context.targets) if "$" not in ref.tag else None
        if decision is not None:
            yield Notice(
                offset,
                f"python:{ref.tag} is pinned by digest; not changed (the digest of a "
                f"{context.targets.python_minor} image cannot be known offline)",
            )
        return
    variable = _VARIABLE_AT_START.match(ref.tag)
    if variable:
        name = variable["braced"] or variable["plain"]
        if name not in arguments:
            yield Notice(
                offset,
                f"python tag {ref.tag!r} uses {name}, which is not a build "
                "argument declared before FROM; not changed",
                advisory=True,
            )
            return
        default = arguments[name]
        if default is None:
            yield Notice(
                offset,
                f"python tag {ref.tag!r} comes from build argument {name}, "
                "which has no default; not changed",
                advisory=True,
            )
            return
        decision = decide_python_tag(
            default.value + _substitute(variable["rest"], arguments), context.targets
        )
        if decision is not None and decision.refusal:
            yield Notice(default.start, decision.refusal)
        elif decision is not None:
            yield Edit(
                default.start,
                default.start + decision.replace_length,
                decision.replacement,
                declares=(("instruction", default.instruction),),
            )
            yield decision
        return
    if "$" in ref.tag:
        yield Notice(offset, f"python tag {ref.tag!r} is templated; not changed", advisory=True)
        return
    decision = decide_python_tag(ref.tag, context.targets)
    if decision is None:
        return
    if decision.refusal:
        yield Notice(offset, decision.refusal)
        return
    yield Edit(
        tag_offset,
        tag_offset + decision.replace_length,
        decision.replacement,
        declares=(("instruction", index),),
    )
    yield decision


def _follow_paths(document: Document, old_minors: set[str], context: Context) -> Iterator[Edit]:
    """Interpreter paths and commands naming an old minor, outside FROM lines and comments."""
    alternatives = "|".join(re.escape(minor) for minor in sorted(old_minors))
    pattern = re.compile(
        rf"(?:(?<=/)|(?<![^\s\"'=]))python(?P<minor>{alternatives})(?![\d.]*\d)(?=[/\s\"':]|$)"
    )
    text = document.text
    for index, instruction in enumerate(document.dockerfile.instructions):
        if instruction.name == "FROM":
            continue
        for start, end in (*instruction.segments, *instruction.heredoc_bodies):
            for match in pattern.finditer(text, start, end):
                yield Edit(
                    match.start("minor"),
                    match.end("minor"),
                    context.targets.python_minor,
                    declares=(("instruction", index),),
                )


def check(document: Document, context: Context) -> Iterator[Notice]:
    yield from findings_of(migrate, document, context, "python base image below the target")
