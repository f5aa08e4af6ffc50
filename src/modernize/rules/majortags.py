"""The one rule for moving an official image's major tag to a target (postgres, redis).

``decide_major_tag`` reads one image reference as text and says what to do: nothing (not the
image, untagged, ``latest``, at or above the target), replace the version of its tag with the
target major (the variant suffix kept: ``14.11-alpine3.20`` -> ``16-alpine3.20``), or refuse
with a warning (a digest pin, a templated tag, a variant with no published image for the target
in the dated table, someone else's build of the same software). ``yaml_major_tag`` turns the
decision into an in-place edit of a YAML scalar; ``yaml_image_nodes`` is where images live in
the YAML kinds these migrations read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from modernize.rules.images import (
    VersionTag,
    distro_release,
    has_templated_tag,
    is_official,
    is_templated,
    parse_image,
    parse_version_tag,
    unknown_variant_parts,
)
from modernize.rules.textcheck import yaml_escapes
from modernize.targets import DATED_TABLE

if TYPE_CHECKING:
    from modernize.formats.document import Document
    from modernize.formats.yamldoc import Node
    from modernize.model import Edit, Notice


@dataclass(frozen=True)
class OfficialImage:
    """A Docker Official Image whose tags start with its major version."""

    name: str
    #: Distribution releases with a published image per major (``POSTGRES_DISTRO_RELEASES``).
    releases: Mapping[int, frozenset[str]]
    #: Words in a repository path naming another build of the same software
    #: (``bitnami/postgresql``): below the target, those are reported, never edited.
    look_alikes: tuple[str, ...] = ()


@dataclass(frozen=True)
class MajorTagDecision:
    """Replace ``length`` characters at ``tag_start`` of the value by ``replacement`` (``old``
    is the tag as it was), or leave the value and report ``refusal``."""

    tag_start: int = 0
    length: int = 0
    replacement: str = ""
    old: VersionTag | None = None
    refusal: str = ""
    #: A refusal about a value the tool cannot see through (a template), not a stale one.
    advisory: bool = False


def decide_major_tag(value: str, image: OfficialImage, target: int) -> MajorTagDecision | None:
    """What to do with the image reference ``value`` for ``image`` at major ``target``; None
    when there is nothing to do or say."""
    name = image.name
    if is_templated(value):
        if has_templated_tag(value, name):
            return MajorTagDecision(
                refusal=f"{name} image {value!r} has a templated tag; not changed", advisory=True
            )
        return None
    ref = parse_image(value)
    if ref is None or ref.tag is None:
        return None
    parsed = parse_version_tag(ref.tag)
    # Majors are integers: 9 is below 16, whatever the text says.
    if parsed is None or parsed.numbers[0] >= target:
        return None
    if not is_official(ref, name):
        if any(word in ref.repository for word in image.look_alikes):
            return MajorTagDecision(
                refusal=f"{value} is not the official {name} image; its tags are not guessed "
                f"at: move it to {name} {target} by hand"
            )
        return None
    if ref.digest is not None:
        return MajorTagDecision(
            refusal=f"{value.split('@')[0]} is pinned by digest; not changed (the digest of a "
            f"{name} {target} image cannot be known offline)"
        )
    release = distro_release(parsed.suffix)
    if unknown_variant_parts(parsed.suffix) or (
        release is not None and release not in image.releases.get(target, frozenset())
    ):
        return MajorTagDecision(
            refusal=f"{value}: no {name}:{target}{parsed.suffix} image is known to be published "
            f"(table of {DATED_TABLE}); not changed"
        )
    return MajorTagDecision(
        tag_start=ref.tag_start,
        length=len(parsed.version) + len(parsed.prerelease),
        replacement=str(target),
        old=parsed,
    )


def yaml_major_tag(
    document: Document, node: Node, image: OfficialImage, target: int
) -> tuple[Edit | Notice, VersionTag | None] | None:
    """The edit or refusal for an image given as a YAML scalar, and the tag it moved from
    (None for a refusal); None when there is nothing to do."""
    from modernize.model import Notice
    from modernize.rules.pythontags import yaml_tag_edit

    decision = decide_major_tag(str(node.value), image, target)
    if decision is None:
        return None
    if decision.refusal:
        notice = Notice(node.start_mark.index, decision.refusal, advisory=decision.advisory)
        return notice, None
    edit = yaml_tag_edit(document, node, decision.tag_start, decision.length, decision.replacement)
    return edit, decision.old


def yaml_image_nodes(document: Document) -> Iterator[Node]:
    """Every image scalar of a compose file (services, ``x-`` blocks, anchors: any mapping's
    ``image``) or of a workflow (job ``container:`` images and service containers)."""
    from modernize.formats import yamldoc

    if document.kind == "compose":
        seen: set[int] = set()
        for _path, node in document.yaml.walk():
            image = yamldoc.get(node, "image") if isinstance(node, yamldoc.MappingNode) else None
            # An anchored image scalar reached through aliases is still one value.
            if isinstance(image, yamldoc.ScalarNode) and id(image) not in seen:
                seen.add(id(image))
                yield image
        return
    for root in document.yaml.roots:
        for _job_name, job in yamldoc.items(yamldoc.get(root, "jobs")):
            container = yamldoc.get(job, "container")
            if not isinstance(container, yamldoc.ScalarNode):
                container = yamldoc.get(container, "image")
            if isinstance(container, yamldoc.ScalarNode):
                yield container
            for _name, service in yamldoc.items(yamldoc.get(job, "services")):
                image = yamldoc.get(service, "image")
                if isinstance(image, yamldoc.ScalarNode):
                    yield image


_TAG_START = re.compile(r":([0-9]+|[$\{])")


def may_name_major_below(text: str, image: OfficialImage, target: int) -> bool:
    """The text test for ``decide_major_tag``: False only when no image in ``text`` can be
    ``image`` (or a look-alike) with a tag below ``target`` or a templated one. The tag follows
    the name within the same run of non-blank characters; every colon in the run is tried."""
    if yaml_escapes(text):
        return True
    words = "|".join(re.escape(word) for word in (image.name, *image.look_alikes))
    for run in re.finditer(rf"(?:{words})\S*", text, re.IGNORECASE):
        for tag in _TAG_START.finditer(run.group()):
            if not tag[1].isdigit() or int(tag[1]) < target:
                return True
    return False
