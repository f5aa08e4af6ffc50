"""Move the Python of dev containers to the target.

What, in ``.devcontainer/devcontainer.json`` (also ``.devcontainer.json`` and
``.devcontainer/<name>/devcontainer.json``; JSON with comments and trailing commas, kept):

- ``image``: the dev containers Python image (``mcr.microsoft.com/devcontainers/python``)
  tagged ``3.10``, ``3.10-bookworm``, ``1-3.10-bookworm`` moves its Python to the target and
  keeps the image version and Debian release; an official ``python:3.10-slim`` image follows
  the same rule as a Dockerfile's;
- the Python feature's (``ghcr.io/devcontainers/features/python``) ``version`` below the
  target becomes the target;
- a ``build.args`` entry named ``VARIANT`` or named for the Python version (``PYTHON_VERSION``)
  whose value starts with a version below the target (``3.10-bullseye``) moves its version.

Why: a dev container on the old Python runs the code on another interpreter than CI and
production, and the editor's tools check it against the old standard library.

Example::

    "image": "mcr.microsoft.com/devcontainers/python:1-3.10-bookworm"
        ->   "mcr.microsoft.com/devcontainers/python:1-3.12-bookworm"

Refuses (reported): a dev containers image, or a ``VARIANT``, on a Debian release other than
bookworm or trixie (which releases the image builds for newer Pythons is not in the shipped
knowledge), an image version pinned past its major (``1.1.2-3.10-bookworm``), a digest pin, a
build argument with a patch release, an official python image whose variant is not known to
exist for the target, a string written with escapes, and a value with a variable
(``${localEnv:PY}``) naming an old version. A feature ``version`` with a patch release
(``3.10.4``) becomes the target's newest release in the shipped knowledge, with a note. Left
silently: ``latest``, ``os-provided``, versions at or above the target. A comment that may
explain the pin keeps it; a project that cannot run the target keeps its dev container.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from modernize.authoring import Context, Document, Edit, InPlace, Notice, Targets
from modernize.lazy import lazy_pattern
from modernize.rules.pythontags import PYTHON, names_python_version
from modernize.rules.releases import newest_release, release_note
from modernize.rules.variants import may_name_variant_at
from modernize.rules.versions import below, minor_below

if TYPE_CHECKING:
    from modernize.formats.jsonc import JsonString

ID = "devcontainer-python"
TITLE = "Move devcontainer.json's Python image, feature and build argument to the target"
KINDS = ("devcontainer",)
#: It moves a file's Python: a file whose project cannot run the target stays.
MOVES = "python"
CODE = "M024"
#: What a pending change is, as ``verify`` reports it.
FINDING = "dev container Python below the target"

_DEVCONTAINER_IMAGES = (
    "mcr.microsoft.com/devcontainers/python",
    "mcr.microsoft.com/vscode/devcontainers/python",
)
#: A dev containers Python tag: ``[image version-]3.10[-debian]``.
_TAG = lazy_pattern(
    r"(?P<lead>(?:[0-9]+(?:\.[0-9]+)*-)?)(?P<major>3)\.(?P<minor>[0-9]+)(?P<debian>-[a-z]+)?"
)
_DEBIAN_MOVES = ("", "-bookworm", "-trixie")
_FEATURE = lazy_pattern(r"ghcr\.io/devcontainers/features/python(?::[0-9.]+)?")
#: A version at the start of a value (``3.10``, ``3.10-bullseye``).
_LEADING = lazy_pattern(r"(?P<major>3)\.(?P<minor>[0-9]+)(?=$|[-.][a-z])")


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    strings = document.jsonc.strings
    targets = context.targets
    for path, string in strings.items():
        if document.text[string.start : string.end] != string.value:
            if minor_below(string.value, targets.python) and _relevant(path):
                yield Notice(
                    string.start,
                    f"{string.value!r} is written with escapes: not changed; write it plainly, "
                    "or move it by hand",
                )
            continue
        if "${" in string.value:
            if minor_below(string.value, targets.python) and _relevant(path):
                yield Notice(
                    string.start,
                    f"{string.value!r} is given through a variable: not changed; move its "
                    "Python where the variable is set",
                    advisory=True,
                )
            continue
        if path == ("image",):
            yield from _image(document, string.value, string.start, targets)
        elif (
            len(path) == 3
            and path[0] == "features"
            and isinstance(path[1], str)
            and _FEATURE.fullmatch(path[1])
            and path[2] == "version"
        ):
            match = re.fullmatch(r"(3)\.([0-9]+)(\.[0-9]+)?", string.value)
            if match and below(match[1], match[2], targets.python):
                if match[3]:
                    yield from _patch_release(string, path, targets)
                else:
                    yield _edit(string.start, string.end, targets.python_minor, path)
        elif len(path) == 2 and path[0] == "features" and isinstance(path[1], str):
            # The short form: ``"ghcr.io/devcontainers/features/python:1": "3.10"``.
            if _FEATURE.fullmatch(path[1]):
                match = re.fullmatch(r"(3)\.([0-9]+)", string.value)
                if match and below(match[1], match[2], targets.python):
                    yield _edit(string.start, string.end, targets.python_minor, path)
        elif (
            len(path) == 3
            and path[:2] == ("build", "args")
            and isinstance(path[2], str)
            and (path[2].upper() == "VARIANT" or names_python_version(path[2]))
        ):
            match = _LEADING.match(string.value)
            patch = re.fullmatch(r"(3)\.([0-9]+)\.[0-9]+", string.value)
            if patch and below(patch[1], patch[2], targets.python):
                yield Notice(
                    string.start,
                    f"{path[2]} {string.value!r} names a patch release: not changed; which "
                    f"{targets.python_minor} release the image it builds from has is not known "
                    "here: set it by hand",
                )
                continue
            if match and below(match["major"], match["minor"], targets.python):
                debian = string.value[match.end() :]
                if debian not in _DEBIAN_MOVES:
                    yield Notice(
                        string.start,
                        f"{path[2]} {string.value!r}: whether the image it builds from is made "
                        f"for Python {targets.python_minor} on {debian[1:]} is not known here: "
                        f"not changed; pick a {targets.python_minor} variant by hand",
                    )
                    continue
                new = targets.python_minor
                yield _edit(string.start, string.start + match.end(), new, path)


def _patch_release(
    string: JsonString, path: tuple[object, ...], targets: Targets
) -> Iterator[Edit | Notice]:
    """A feature ``version`` with a patch release: the target's newest known one."""
    release = newest_release(targets)
    if release is None:
        yield Notice(
            string.start,
            f"version {string.value}: no {targets.python_minor} release is known to this "
            "release of modernize: not changed; set one by hand",
        )
        return
    yield _edit(string.start, string.end, release, path)
    yield release_note(string.start, f"version {string.value}", release, targets)


def _relevant(path: tuple[object, ...]) -> bool:
    return path == ("image",) or path[:2] == ("build", "args") or path[:1] == ("features",)


def _edit(start: int, end: int, new: str, path: tuple[object, ...]) -> Edit:
    return Edit(start, end, new, declares=(InPlace(path),))


def _image(document: Document, value: str, start: int, targets: Targets) -> Iterator[Edit | Notice]:
    from modernize.rules.imagetags import decide_image

    name, _, tag = value.partition(":")
    if name in _DEVCONTAINER_IMAGES:
        tag, _, digest = tag.partition("@")
        match = _TAG.fullmatch(tag)
        if digest and match and below(match["major"], match["minor"], targets.python):
            yield Notice(
                start,
                f"{value} is pinned by digest; not changed (the digest of its "
                f"{targets.python_minor} image cannot be known offline)",
            )
            return
        if match is None or not below(match["major"], match["minor"], targets.python):
            return
        debian = match["debian"] or ""
        if "." in match["lead"]:
            yield Notice(
                start,
                f"{value}: whether image version {match['lead'][:-1]} was built for Python "
                f"{targets.python_minor} is not known here: not changed; pick a "
                f"{targets.python_minor} tag by hand (1-{targets.python_minor}-bookworm floats "
                "with the image's major)",
            )
            return
        if debian not in _DEBIAN_MOVES:
            yield Notice(
                start,
                f"{value}: whether the dev containers image is built for Python "
                f"{targets.python_minor} on {debian[1:]} is not known here: not changed; pick "
                f"a {targets.python_minor} tag (bookworm or trixie) by hand",
            )
            return
        tag_start = start + len(name) + 1 + len(match["lead"])
        end = tag_start + len(f"{match['major']}.{match['minor']}")
        yield _edit(tag_start, end, targets.python_minor, ("image",))
        return
    decision = decide_image(value, PYTHON, targets)
    if decision is None:
        return
    if decision.refusal:
        yield Notice(start, decision.refusal, advisory=decision.advisory)
        return
    tag_start = start + decision.tag_start
    yield _edit(tag_start, tag_start + decision.length, decision.replacement, ("image",))


def touches(text: str, context: Context) -> bool:
    targets = context.targets
    # A JSON string may spell its value with escapes (``"3\\u002e10"``): parsed to be read.
    return (
        "\\" in text
        or minor_below(text, targets.python)
        or may_name_variant_at(text, "python", targets.python_minor)
    )
