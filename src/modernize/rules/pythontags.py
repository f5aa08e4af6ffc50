"""Decisions about python image tags, shared by every migration that moves one."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from modernize.rules.images import distro_release, parse_version_tag, unknown_variant_parts
from modernize.targets import DATED_TABLE, PYTHON_DISTRO_RELEASES, Targets

if TYPE_CHECKING:
    from modernize.formats.document import Document
    from modernize.formats.yamldoc import Node, ScalarNode
    from modernize.model import Edit, Notice

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


def digest_refusal(reference: str, targets: Targets) -> str:
    """The one wording for a python image pinned by digest (``reference``: the image as
    written, without its digest)."""
    return (
        f"{reference} is pinned by digest; not changed (the digest of a python "
        f"{targets.python_minor} image cannot be known offline)"
    )


def yaml_python_image(
    document: Document, node: ScalarNode, targets: Targets, expressions_followed: bool = False
) -> Iterator[Edit | Notice]:
    """The python-image rule for an image given as a YAML value (a compose service's
    ``image``, a workflow job's ``container`` or service image): the tag moves to the target,
    its variant kept; a digest pin, a templated tag, an unpublished variant and a value that
    cannot be edited in place are left and reported. ``expressions_followed``: a GitHub
    expression (``${{ matrix.python-version }}``) names a value the caller moves where it is
    set, so it is not reported."""
    from modernize.model import Notice
    from modernize.rules.images import has_templated_tag, is_official, is_templated, parse_image

    value = str(node.value)
    offset = node.start_mark.index
    if is_templated(value):
        if expressions_followed and "${{" in value:
            return
        if has_templated_tag(value, "python"):
            yield Notice(
                offset, f"python image {value!r} has a templated tag; not changed", advisory=True
            )
        return
    ref = parse_image(value)
    if ref is None or ref.tag is None or not is_official(ref, "python"):
        return
    decision = decide_python_tag(ref.tag, targets)
    if decision is None:
        return
    if ref.digest is not None:
        yield Notice(offset, digest_refusal(value.split("@")[0], targets))
        return
    if decision.refusal:
        yield Notice(offset, decision.refusal)
        return
    yield yaml_tag_edit(
        document, node, ref.tag_start, decision.replace_length, decision.replacement
    )


def yaml_tag_edit(
    document: Document, node: Node, tag_start: int, length: int, replacement: str
) -> Edit | Notice:
    """The edit that replaces ``length`` characters of an image's tag (at ``tag_start`` in the
    value) in a YAML scalar, in place; a notice when the scalar is spelled so that its text is
    not its value (escapes, folding)."""
    from modernize.formats import yamldoc
    from modernize.model import Edit, InPlace, Notice

    span = yamldoc.scalar_span(document.text, node)
    if span is None:
        return Notice(
            node.start_mark.index,
            f"{node.value} is written in a form that cannot be edited in place",
        )
    start = span[0] + tag_start
    return Edit(
        start, start + length, replacement, declares=(InPlace(document.yaml.path_of(node)),)
    )
