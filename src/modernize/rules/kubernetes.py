"""Images in Kubernetes manifests and Helm charts.

A manifest is told by its content: a YAML document with ``apiVersion`` and ``kind`` at its top.
Its containers (``containers``, ``initContainers``, ``ephemeralContainers`` at any depth: a
Pod, a Deployment's template, a CronJob's job template) name their ``image``. A Helm chart's
``values.yaml`` names images as one string (``image: postgres:14``) or split (``repository:
postgres`` beside ``tag: "14.10"``). A Helm template (``templates/*.yaml``) is not YAML until
Helm renders it: it is read as lines, and an image it names literally is reported, not edited.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from modernize.lazy import lazy_pattern
from modernize.records import record

if TYPE_CHECKING:
    from modernize.formats.document import Document
    from modernize.formats.yamldoc import MappingNode, Node, ScalarNode
    from modernize.model import Edit, Notice
    from modernize.rules.images import VersionTag
    from modernize.rules.imagetags import OfficialImage
    from modernize.targets import Targets

_CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")


def is_manifest(document: Document) -> bool:
    """Whether one of the file's documents is a Kubernetes object."""
    from modernize.formats import yamldoc

    return any(
        isinstance(yamldoc.get(root, "apiVersion"), yamldoc.ScalarNode)
        and isinstance(yamldoc.get(root, "kind"), yamldoc.ScalarNode)
        for root in document.yaml.roots
    )


@record(frozen=True)
class Container:
    """A container of a manifest: its mapping, its name, and its image scalar."""

    node: MappingNode
    name: str
    image: ScalarNode
    #: The pod's volumes that do not outlive it (``emptyDir``), by name.
    scratch_volumes: frozenset[str] = frozenset()


def containers(document: Document) -> Iterator[Container]:
    """Every container of the file's Kubernetes objects."""
    from modernize.formats import yamldoc

    if not is_manifest(document):
        return
    seen: set[int] = set()
    for _path, node in document.yaml.walk():
        if not isinstance(node, yamldoc.MappingNode):
            continue
        for key in _CONTAINER_LISTS:
            entries = yamldoc.get(node, key)
            if not isinstance(entries, yamldoc.SequenceNode):
                continue
            for entry in entries.value:
                image = yamldoc.get(entry, "image")
                if (
                    isinstance(entry, yamldoc.MappingNode)
                    and isinstance(image, yamldoc.ScalarNode)
                    and id(image) not in seen
                ):
                    seen.add(id(image))
                    name = yamldoc.get(entry, "name")
                    label = str(name.value) if isinstance(name, yamldoc.ScalarNode) else "?"
                    yield Container(entry, label, image, _scratch_volumes(node))


def _scratch_volumes(pod: MappingNode) -> frozenset[str]:
    from modernize.formats import yamldoc

    volumes = yamldoc.get(pod, "volumes")
    if not isinstance(volumes, yamldoc.SequenceNode):
        return frozenset()
    names = set()
    for volume in volumes.value:
        name = yamldoc.get(volume, "name")
        if isinstance(name, yamldoc.ScalarNode) and yamldoc.get(volume, "emptyDir") is not None:
            names.add(str(name.value))
    return frozenset(names)


@record(frozen=True)
class SplitImage:
    """A Helm values image written as ``repository`` and ``tag``."""

    repository: ScalarNode
    tag: ScalarNode
    #: The ``registry`` beside them, as written, or "".
    registry: str = ""
    #: A ``digest`` beside them, which the image is pulled by before its tag.
    digest: bool = False


def values_images(document: Document) -> Iterator[ScalarNode | SplitImage]:
    """The images a Helm values file names: an ``image`` string, or a mapping with a
    ``repository`` and a ``tag`` (and the ``registry`` beside them, which tells whether it is
    the official image)."""
    from modernize.formats import yamldoc

    seen: set[int] = set()
    for _path, node in document.yaml.walk():
        if not isinstance(node, yamldoc.MappingNode):
            continue
        image = yamldoc.get(node, "image")
        if isinstance(image, yamldoc.ScalarNode) and id(image) not in seen:
            seen.add(id(image))
            yield image
        repository, tag = yamldoc.get(node, "repository"), yamldoc.get(node, "tag")
        split = isinstance(repository, yamldoc.ScalarNode) and isinstance(tag, yamldoc.ScalarNode)
        if split and id(tag) not in seen:
            assert isinstance(repository, yamldoc.ScalarNode) and isinstance(
                tag, yamldoc.ScalarNode
            )
            seen.add(id(tag))
            registry = yamldoc.get(node, "registry")
            written = str(registry.value) if isinstance(registry, yamldoc.ScalarNode) else ""
            digest = yamldoc.get(node, "digest") is not None
            yield SplitImage(repository, tag, written, digest)


def data_mounts(container: Container, pgdata: str = "") -> Iterator[tuple[Node, str, str]]:
    """The container's volume mounts at the postgres data directory: ``(entry, volume name,
    mount path)``."""
    from modernize.formats import yamldoc
    from modernize.rules.postgres_data import DATA_VOLUMES

    mounts = yamldoc.get(container.node, "volumeMounts")
    if not isinstance(mounts, yamldoc.SequenceNode):
        return
    for entry in mounts.value:
        path = yamldoc.get(entry, "mountPath")
        name = yamldoc.get(entry, "name")
        if not isinstance(path, yamldoc.ScalarNode):
            continue
        mount = str(path.value).rstrip("/")
        inside = mount in DATA_VOLUMES or mount.startswith(DATA_VOLUMES[0] + "/")
        data = pgdata.rstrip("/")
        if inside or (data and (data == mount or data.startswith(mount + "/"))):
            label = str(name.value) if isinstance(name, yamldoc.ScalarNode) else "?"
            if label in container.scratch_volumes:
                continue  # an emptyDir: no data outlives the pod
            yield entry, label, mount


def container_pgdata(container: Container) -> str:
    """The ``PGDATA`` the container's ``env`` sets, or ""."""
    from modernize.formats import yamldoc

    env = yamldoc.get(container.node, "env")
    if not isinstance(env, yamldoc.SequenceNode):
        return ""
    for entry in env.value:
        name, value = yamldoc.get(entry, "name"), yamldoc.get(entry, "value")
        if isinstance(name, yamldoc.ScalarNode) and str(name.value) == "PGDATA":
            return str(value.value) if isinstance(value, yamldoc.ScalarNode) else ""
    return ""


#: An ``image:`` written literally in a line of a template: ``image: postgres:14``.
_TEMPLATE_IMAGE = lazy_pattern(r"""(?m)^[ \t-]*image:[ \t]*["']?(?P<image>[^\s"'{}]+:[^\s"'{}]+)""")


def template_images(text: str) -> Iterator[tuple[int, str]]:
    """The offset and reference of each image a Helm template writes literally."""
    for match in _TEMPLATE_IMAGE.finditer(text):
        yield match.start("image"), match["image"]


def split_reference(image: SplitImage) -> str:
    """The image as one reference: ``registry/repository:tag``."""
    registry = f"{image.registry.rstrip('/')}/" if image.registry else ""
    return f"{registry}{image.repository.value}:{image.tag.value}"


def kustomize_images(document: Document) -> Iterator[SplitImage]:
    """The images a Kustomization sets (``images: - name: postgres  newTag: "14"``; a
    ``newName`` is the repository the tag is for)."""
    from modernize.formats import yamldoc

    for root in document.yaml.roots:
        entries = yamldoc.get(root, "images")
        if not isinstance(entries, yamldoc.SequenceNode):
            continue
        for entry in entries.value:
            name = yamldoc.get(entry, "newName") or yamldoc.get(entry, "name")
            tag = yamldoc.get(entry, "newTag")
            if isinstance(name, yamldoc.ScalarNode) and isinstance(tag, yamldoc.ScalarNode):
                yield SplitImage(name, tag, "", yamldoc.get(entry, "digest") is not None)


def is_template(document: Document) -> bool:
    """Whether the file is a template (Helm's Go templates): a Helm chart's ``templates/``
    file, or any YAML file with ``{{``."""
    return document.kind == "helm-template" or "{{" in document.text


@record(frozen=True)
class Moved:
    """One image found, and what becomes of it: ``result`` (an edit or a refusal), the node
    it is at, the tag it moved from (None: it did not move), and where it was found."""

    result: Edit | Notice
    node_offset: int
    old: VersionTag | None
    container: Container | None = None
    chart: bool = False


def image_results(document: Document, image: OfficialImage, targets: Targets) -> Iterator[Moved]:
    """Every image of ``image``'s kind the file names (a manifest's containers, a Kustomization's
    images, a chart's values), with what the image rule makes of it; a template's literal
    images are reported, never edited."""
    from modernize.model import Notice
    from modernize.rules.imagetags import decide_image, yaml_image

    if is_template(document):
        for offset, reference in template_images(document.text):
            decision = decide_image(reference, image, targets)
            if decision is not None and not decision.advisory:
                notice = Notice(
                    offset,
                    f"{reference}: a template (Helm's, or one with {{{{ }}}}) is not YAML until "
                    f"it is rendered: not changed; move it to {image.name} "
                    f"{image.target_text(targets)} by hand",
                )
                yield Moved(notice, offset, None)
        return
    if document.kind != "helm-values":
        for container in containers(document):
            found = yaml_image(document, container.image, image, targets)
            if found is not None:
                yield Moved(found[0], container.image.start_mark.index, found[1].old, container)
    splits = list(kustomize_images(document)) if document.kind != "helm-values" else []
    if document.kind == "helm-values":
        for value in values_images(document):
            if isinstance(value, SplitImage):
                splits.append(value)
                continue
            found = yaml_image(document, value, image, targets)
            if found is not None:
                yield Moved(found[0], value.start_mark.index, found[1].old, chart=True)
    for split in splits:
        moved = _split_result(document, split, image, targets)
        if moved is not None:
            yield replace(moved, chart=document.kind == "helm-values")


def _split_result(
    document: Document, split: SplitImage, image: OfficialImage, targets: Targets
) -> Moved | None:
    from modernize.formats import yamldoc
    from modernize.model import Edit, Notice, SetValue
    from modernize.rules.imagetags import decide_image, yaml_tag_edit

    reference = split_reference(split)
    decision = decide_image(reference, image, targets)
    offset = split.tag.start_mark.index
    if decision is None:
        return None
    if decision.refusal:
        return Moved(Notice(offset, decision.refusal, advisory=decision.advisory), offset, None)
    if split.digest:
        message = (
            f"{reference} is pulled by the digest beside its tag; not changed (the digest of "
            f"a {image.name} {image.target_text(targets)} image cannot be known offline)"
        )
        return Moved(Notice(offset, message), offset, None)
    new = decision.replacement + str(split.tag.value)[decision.length :]
    if not split.tag.style and re.fullmatch(r"[0-9]+\.[0-9]+", new):
        # Plain ``3.10`` is the number 3.1 in YAML: the moved tag is written quoted.
        span = yamldoc.scalar_span(document.text, split.tag)
        if span is None:
            return None
        path = document.yaml.path_of(split.tag)
        edit = Edit(span[0], span[1], f'"{new}"', declares=(SetValue(path, new),))
        return Moved(edit, offset, decision.old)
    result = yaml_tag_edit(document, split.tag, 0, decision.length, decision.replacement)
    return Moved(result, offset, decision.old)
