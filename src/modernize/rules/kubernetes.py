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
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from modernize.formats.document import Document
    from modernize.formats.yamldoc import MappingNode, Node, ScalarNode

_CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")


def is_manifest(document: Document) -> bool:
    """Whether one of the file's documents is a Kubernetes object."""
    from modernize.formats import yamldoc

    return any(
        isinstance(yamldoc.get(root, "apiVersion"), yamldoc.ScalarNode)
        and isinstance(yamldoc.get(root, "kind"), yamldoc.ScalarNode)
        for root in document.yaml.roots
    )


@dataclass(frozen=True)
class Container:
    """A container of a manifest: its mapping, its name, and its image scalar."""

    node: MappingNode
    name: str
    image: ScalarNode


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
                    yield Container(entry, label, image)


@dataclass(frozen=True)
class SplitImage:
    """A Helm values image written as ``repository`` and ``tag``."""

    repository: ScalarNode
    tag: ScalarNode
    #: The ``registry`` beside them, as written, or "".
    registry: str = ""


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
            yield SplitImage(repository, tag, written)


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
        if inside or (pgdata and pgdata.rstrip("/").startswith(mount)):
            label = str(name.value) if isinstance(name, yamldoc.ScalarNode) else "?"
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
_TEMPLATE_IMAGE = re.compile(r"""(?m)^[ \t-]*image:[ \t]*["']?(?P<image>[^\s"'{}]+:[^\s"'{}]+)""")


def template_images(text: str) -> Iterator[tuple[int, str]]:
    """The offset and reference of each image a Helm template writes literally."""
    for match in _TEMPLATE_IMAGE.finditer(text):
        yield match.start("image"), match["image"]


def split_reference(image: SplitImage) -> str:
    """The image as one reference: ``registry/repository:tag``."""
    registry = f"{image.registry.rstrip('/')}/" if image.registry else ""
    return f"{registry}{image.repository.value}:{image.tag.value}"
