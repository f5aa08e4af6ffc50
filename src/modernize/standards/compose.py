"""CP rules: database and cache services have healthchecks, and databases keep data in named
volumes. (A redis below its target major is redis-major's finding, M013.)"""

from __future__ import annotations

from collections.abc import Iterator

from modernize.formats.compose_volumes import mounts
from modernize.formats.document import Document
from modernize.formats.yamldoc import (
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    effective,
    get,
)
from modernize.rules.images import parse_image
from modernize.rules.imagetags import yaml_services
from modernize.standards import Violation
from modernize.targets import Targets

#: Image name -> data directory inside the container (None for caches).
DATABASES: dict[str, str | None] = {
    "postgres": "/var/lib/postgresql",
    "postgis": "/var/lib/postgresql",
    "mysql": "/var/lib/mysql",
    "mariadb": "/var/lib/mysql",
    "mongo": "/data/db",
    "redis": None,
    "valkey": None,
    "memcached": None,
}


def _image_name(service: Node) -> tuple[str, Node | None]:
    image = effective(service, "image")
    if not isinstance(image, ScalarNode):
        return "", None
    ref = parse_image(str(image.value))
    return ("" if ref is None else ref.repository.rsplit("/", 1)[-1]), image


def check(document: Document, targets: Targets) -> Iterator[Violation]:
    for name, service in yaml_services(document):
        if not isinstance(service, MappingNode):
            continue
        image_name, image = _image_name(service)
        if image_name not in DATABASES or image is None:
            continue
        where = image.start_mark.index
        if not _has_healthcheck(effective(service, "healthcheck")):
            yield Violation(where, "CP001", f"service {name!r} ({image_name}) has no healthcheck")
        data_dir = DATABASES[image_name]
        if (
            data_dir is not None
            and not _named_volume_at(effective(service, "volumes"), data_dir)
            and not _tmpfs_at(effective(service, "tmpfs"), data_dir)
        ):
            yield Violation(
                where,
                "CP002",
                f"service {name!r} keeps its {image_name} data outside a named volume "
                f"(mount one at {data_dir})",
            )


def _has_healthcheck(healthcheck: Node | None) -> bool:
    """A healthcheck that runs: not absent, ``disable: true`` or ``test: ["NONE"]``."""
    if not isinstance(healthcheck, MappingNode):
        return healthcheck is not None
    disable = get(healthcheck, "disable")
    if isinstance(disable, ScalarNode) and str(disable.value).lower() == "true":
        return False
    test = get(healthcheck, "test")
    first = test.value[0] if isinstance(test, SequenceNode) and test.value else test
    return not (isinstance(first, ScalarNode) and first.value == "NONE")


def _tmpfs_at(tmpfs: Node | None, data_dir: str) -> bool:
    """A tmpfs at the data directory: a deliberately throw-away database (tests)."""
    paths = tmpfs.value if isinstance(tmpfs, SequenceNode) else [tmpfs]
    return any(
        isinstance(path, ScalarNode) and str(path.value).split(":")[0].startswith(data_dir)
        for path in paths
    )


def _named_volume_at(volumes: Node | None, data_dir: str) -> bool:
    return any(
        mount.kind == "volume" and mount.source and mount.is_at(data_dir)
        for mount in mounts(volumes)
    )
