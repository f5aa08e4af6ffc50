"""The one rule that moves an official image's tag to a target: python, postgres, redis.

``decide_image`` reads one image reference as text and says what to do: nothing (not the image,
untagged, ``latest``, a floating tag, at or above the target), replace the version of its tag
(the variant suffix kept: ``3.10-slim-bookworm`` -> ``3.12-slim-bookworm``, ``14.11-alpine3.20``
-> ``16-alpine3.20``), or refuse with a warning: a templated tag, someone else's build of the
same software, a digest pin, a variant never built for the target or no longer built (the
shipped knowledge says which, for python and postgres; a dated table for redis). A tag already at
the target on a variant no longer built gets advice, not a refusal.
Each image differs only in its version rule (a Python minor, a postgres or redis major) and its
look-alikes. ``yaml_image`` turns the decision into an in-place edit of a YAML scalar, and
``yaml_image_nodes`` is where images live in the YAML kinds (compose, workflow).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

from modernize.lazy import lazy_pattern
from modernize.records import record
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
from modernize.rules.variants import (
    check_variant,
    frozen_advice,
    frozen_refusal,
    unknown_refusal,
)
from modernize.rules.versions import major_below
from modernize.targets import REDIS_TABLE_DATE, Targets

if TYPE_CHECKING:
    from modernize.formats.document import Document
    from modernize.formats.yamldoc import Node, ScalarNode
    from modernize.model import Edit, Notice


@record(frozen=True)
class TagDecision:
    """Replace ``length`` characters at ``tag_start`` of the value by ``replacement`` (``old``
    is the tag as it was), or leave the value and report ``refusal``."""

    tag_start: int = 0
    length: int = 0
    replacement: str = ""
    old: VersionTag | None = None
    refusal: str = ""
    #: A refusal about a value the tool cannot see through (a template), not a stale one.
    advisory: bool = False

    @property
    def old_minor(self) -> str:
        """``X.Y`` of the tag moved from (a python tag)."""
        numbers = self.old.numbers if self.old else ()
        return ".".join(str(number) for number in numbers[:2])


#: The version part of the rule: what a tag becomes for the targets (with ``tag_start`` left 0),
#: given the reference as written, its tag and the tag's parsed version; None when it is not
#: below the target.
VersionRule = Callable[[str, str, VersionTag, Targets], "TagDecision | None"]


@record(frozen=True)
class OfficialImage:
    """A Docker Official Image whose tags start with its version."""

    name: str
    version_rule: VersionRule
    #: The target as refusals name it ("3.12", "16").
    target_text: Callable[[Targets], str]
    #: Names of other builds of the same software (``bitnami/postgresql``,
    #: ``redis/redis-stack-server``): an image whose name (the last part of its path, split at
    #: ``-``, ``_`` and ``.``) has one of these words is reported below the target, never
    #: edited; a companion tool's (``redis_exporter``, ``redis-commander``) is not.
    look_alikes: tuple[str, ...] = ()

    def is_look_alike(self, repository: str) -> bool:
        words = set(_NAME_PARTS.split(repository.rsplit("/", 1)[-1].lower()))
        return bool(words & set(self.look_alikes)) and not words & _COMPANIONS


_NAME_PARTS = lazy_pattern(r"[-_.]")
#: Words that name a tool for a database or cache, not a build of it.
_COMPANIONS = frozenset({"exporter", "commander", "insight", "admin", "ui", "backup", "operator"})


def major_image(
    name: str,
    releases: Mapping[int, frozenset[str]] | None,
    target: Callable[[Targets], int],
    look_alikes: tuple[str, ...] = (),
) -> OfficialImage:
    """An image whose tags start with a major (postgres, redis): a tag below the target major
    becomes the target major, its variant kept when it is built for that major. ``releases``
    is a table of the distribution releases with a published image per major, for an image the
    shipped knowledge has no data for (redis); None: the knowledge decides (postgres)."""

    def version_rule(
        value: str, tag: str, parsed: VersionTag, targets: Targets
    ) -> TagDecision | None:
        major = target(targets)
        if releases is None and parsed.numbers[0] == major and not parsed.prerelease:
            return _frozen_at_target(value, name, str(major), parsed.suffix)
        if not major_below(parsed.numbers[0], major):
            return None
        refusal = (
            _table_refusal(value, name, major, parsed.suffix, releases)
            if releases is not None
            else _knowledge_refusal(value, name, str(major), parsed.suffix)
        )
        if refusal:
            return TagDecision(refusal=refusal)
        length = len(parsed.version) + len(parsed.prerelease)
        return TagDecision(length=length, replacement=str(major), old=parsed)

    return OfficialImage(name, version_rule, lambda targets: str(target(targets)), look_alikes)


def _table_refusal(
    value: str, name: str, major: int, suffix: str, releases: Mapping[int, frozenset[str]]
) -> str:
    release = distro_release(suffix)
    if unknown_variant_parts(suffix) or (
        release is not None and release not in releases.get(major, frozenset())
    ):
        return (
            f"{value}: no {name}:{major}{suffix} image is known to be published "
            f"(table of {REDIS_TABLE_DATE}); not changed"
        )
    return ""


def _knowledge_refusal(value: str, name: str, major: str, suffix: str) -> str:
    check = check_variant(name, major, suffix)
    if unknown_variant_parts(suffix) or (check is not None and check.status == "unknown"):
        return unknown_refusal(
            value,
            name,
            major,
            suffix,
            check if check is not None and check.status == "unknown" else None,
        )
    if check is not None and check.status == "frozen":
        return frozen_refusal(value, name, major, check)
    return ""


def _frozen_at_target(value: str, name: str, major: str, suffix: str) -> TagDecision | None:
    """Advice for a tag already at the target major whose variant is no longer built."""
    check = check_variant(name, major, suffix)
    if check is None or check.status != "frozen" or unknown_variant_parts(suffix):
        return None
    return TagDecision(refusal=frozen_advice(value, name, major, check), advisory=True)


def templated_refusal(value: str, image: OfficialImage) -> str:
    """The one wording for an image whose tag is a variable or template."""
    return f"{image.name} image {value!r} has a templated tag; not changed"


def digest_refusal(reference: str, image: OfficialImage, targets: Targets) -> str:
    """The one wording for an image pinned by digest (``reference``: the image as written,
    without its digest)."""
    return (
        f"{reference} is pinned by digest; not changed (the digest of a {image.name} "
        f"{image.target_text(targets)} image cannot be known offline)"
    )


def decide_image(value: str, image: OfficialImage, targets: Targets) -> TagDecision | None:
    """What to do with the image reference ``value`` for ``image``; None when there is nothing
    to do or say."""
    if is_templated(value):
        if has_templated_tag(value, image.name):
            return TagDecision(refusal=templated_refusal(value, image), advisory=True)
        return None
    ref = parse_image(value)
    if ref is None or ref.tag is None:
        return None
    parsed = parse_version_tag(ref.tag)
    decision = image.version_rule(value, ref.tag, parsed, targets) if parsed else None
    if decision is None:
        return None
    if not is_official(ref, image.name):
        # Advice about a variant holds for the official image only.
        if image.is_look_alike(ref.repository) and not decision.advisory:
            return TagDecision(
                refusal=f"{value} is not the official {image.name} image; its tags are not "
                f"guessed at: move it to {image.name} {image.target_text(targets)} by hand"
            )
        return None
    if decision.advisory:
        return decision
    if ref.digest is not None:
        return TagDecision(refusal=digest_refusal(value.split("@")[0], image, targets))
    if decision.refusal:
        return decision
    return TagDecision(ref.tag_start, decision.length, decision.replacement, decision.old)


def yaml_image(
    document: Document,
    node: Node,
    image: OfficialImage,
    targets: Targets,
    expressions_followed: bool = False,
) -> tuple[Edit | Notice, TagDecision] | None:
    """The edit or refusal for an image given as a YAML scalar (a compose service's ``image``,
    a workflow job's ``container`` or service image), with the decision it came from; None when
    there is nothing to do. ``expressions_followed``: a GitHub expression (``${{
    matrix.python-version }}``) names a value the caller moves where it is set, so it is not
    reported."""
    from modernize.model import Notice

    value = str(node.value)
    if expressions_followed and is_templated(value) and "${{" in value:
        return None
    decision = decide_image(value, image, targets)
    if decision is None:
        return None
    if decision.refusal:
        notice = Notice(node.start_mark.index, decision.refusal, advisory=decision.advisory)
        return notice, decision
    edit = yaml_tag_edit(document, node, decision.tag_start, decision.length, decision.replacement)
    return edit, decision


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


def yaml_services(document: Document) -> Iterator[tuple[str, Node]]:
    """Every service of a compose file (``services:``) or of a workflow (each job's service
    containers), with its name."""
    from modernize.formats import yamldoc

    for root in document.yaml.roots:
        if document.kind == "workflow":
            jobs = yamldoc.items(yamldoc.get(root, "jobs"))
            mappings = [yamldoc.get(job, "services") for _name, job in jobs]
        else:
            mappings = [yamldoc.get(root, "services")]
        for mapping in mappings:
            yield from yamldoc.items(mapping)


def yaml_image_nodes(document: Document) -> Iterator[ScalarNode]:
    """Every image scalar of a compose file (services, ``x-`` blocks, anchors: any mapping's
    ``image``), of a workflow (job ``container:`` images and service containers), or of
    another CI system's configuration (``CI_KINDS``: any mapping's ``image`` or its ``name``,
    Azure's ``container``, the entries of a GitLab ``services`` list)."""
    from modernize.formats import yamldoc
    from modernize.kinds import CI_KINDS

    if document.kind in CI_KINDS:
        found: set[int] = set()
        for _path, node in document.yaml.walk():
            if not isinstance(node, yamldoc.MappingNode):
                continue
            candidates: list[yamldoc.Node | None] = []
            for key in ("image", "container"):
                value = yamldoc.get(node, key)
                candidates.append(
                    yamldoc.get(value, "name")
                    if key == "image" and isinstance(value, yamldoc.MappingNode)
                    else value
                )
            services = yamldoc.get(node, "services")
            if isinstance(services, yamldoc.SequenceNode):
                for entry in services.value:
                    candidates.append(
                        yamldoc.get(entry, "name")
                        if isinstance(entry, yamldoc.MappingNode)
                        else entry
                    )
            for candidate in candidates:
                if isinstance(candidate, yamldoc.ScalarNode) and id(candidate) not in found:
                    found.add(id(candidate))
                    yield candidate
        return

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


_TAG_START = lazy_pattern(r":([0-9]+|[$\{])")


@functools.cache
def _name_runs(name: str, look_alikes: tuple[str, ...]) -> re.Pattern[str]:
    """The runs that start with a name, in a case-folded text: a search for exact words, four
    times faster than one that ignores case (which is what searching case-folded text does)."""
    words = "|".join(re.escape(word) for word in _folded_names(name, look_alikes))
    return re.compile(rf"(?:{words})\S*")


@functools.cache
def _folded_names(name: str, look_alikes: tuple[str, ...]) -> tuple[str, ...]:
    """The image's name and look-alikes, case-folded, each once."""
    return tuple(dict.fromkeys(word.casefold() for word in (name, *look_alikes)))


#: The last text folded, and its folding: the text tests of several migrations (postgres,
#: redis) fold the same file's text in turn.
_LAST_FOLDED = [("", "")]


def _casefolded(text: str) -> str:
    """``text.casefold()`` (one pair read and written whole: threads may share it)."""
    last = _LAST_FOLDED[0]
    if last[0] is not text:
        last = (text, text.casefold())
        _LAST_FOLDED[0] = last
    return last[1]


def may_name_major_below(text: str, image: OfficialImage, target: int) -> bool:
    """The text test for ``decide_image`` with a major image: False only when no image in
    ``text`` can be ``image`` (or a look-alike) with a tag below ``target`` or a templated one.
    The tag follows the name within the same run of non-blank characters; every colon in the
    run is tried."""
    if yaml_escapes(text):
        return True
    folded = _casefolded(text)
    if not any(word in folded for word in _folded_names(image.name, image.look_alikes)):
        return False  # a substring test: much faster than the search, and most files say no
    for run in _name_runs(image.name, image.look_alikes).finditer(folded):
        for tag in _TAG_START.finditer(run.group()):
            if not tag[1].isdigit() or major_below(tag[1], target):
                return True
    return False
