"""CP rules: database and cache services have healthchecks, and databases keep data in named
volumes. (A redis below its target major is redis-major's finding, M013.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

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
from modernize.rules import postgres_data
from modernize.rules.images import parse_image
from modernize.rules.imagetags import yaml_services
from modernize.standards import Violation
from modernize.targets import Targets

#: Image name -> data directory inside the container (None for caches; postgres and PostGIS,
#: built on it, by major: ``modernize.rules.postgres_data``).
POSTGRES_IMAGES = frozenset({"postgres", "postgis"})
DATABASES: dict[str, str | None] = {
    "postgres": postgres_data.NEW_VOLUME,
    "postgis": postgres_data.NEW_VOLUME,
    "mysql": "/var/lib/mysql",
    "mariadb": "/var/lib/mysql",
    "mongo": "/data/db",
    "redis": None,
    "valkey": None,
    "memcached": None,
}


def _image_name(service: Node) -> tuple[str, Node | None, str | None]:
    """The image's name (its path's last part), its node, and its tag."""
    image = effective(service, "image")
    if not isinstance(image, ScalarNode):
        return "", None, None
    ref = parse_image(str(image.value))
    if ref is None:
        return "", image, None
    return ref.repository.rsplit("/", 1)[-1], image, ref.tag


def check(document: Document, targets: Targets, directory: Path) -> Iterator[Violation]:
    for name, service in yaml_services(document):
        if not isinstance(service, MappingNode):
            continue
        image_name, image, tag = _image_name(service)
        if image_name not in DATABASES or image is None:
            continue
        where = image.start_mark.index
        if not _has_healthcheck(effective(service, "healthcheck")):
            yield Violation(where, "CP001", f"service {name!r} ({image_name}) has no healthcheck")
        data_dir = DATABASES[image_name]
        if data_dir is None or _tmpfs_at(effective(service, "tmpfs"), data_dir):
            continue
        volumes = effective(service, "volumes")
        if image_name in POSTGRES_IMAGES:
            advice = _postgres_advice(service, volumes, postgres_data.tag_major(tag))
            if advice:
                yield Violation(
                    where, "CP002", f"service {name!r} keeps its {image_name} data {advice}"
                )
        elif not _named_volume_at(volumes, data_dir):
            yield Violation(
                where,
                "CP002",
                f"service {name!r} keeps its {image_name} data outside a named volume "
                f"(mount one at {data_dir})",
            )


def _postgres_advice(service: Node, volumes: Node | None, major: int | None) -> str:
    """Where a postgres service's data is, when not in a named volume ("" when it is): the
    image of ``major`` (either layout when the tag names none) with the service's PGDATA."""
    pgdata = postgres_data.service_pgdata(service)
    majors = (
        [major] if major is not None else [postgres_data.NEW_LAYOUT - 1, postgres_data.NEW_LAYOUT]
    )
    named = [mount for mount in mounts(volumes) if mount.kind == "volume" and mount.source]
    if any(postgres_data.keeps_data(m.target, each, pgdata) for m in named for each in majors):
        return ""
    if major is None:
        return (
            "outside a named volume (mount one at "
            f"{postgres_data.OLD_VOLUME} for postgres {postgres_data.NEW_LAYOUT - 1} and "
            f"before, at {postgres_data.NEW_VOLUME} from {postgres_data.NEW_LAYOUT}; the tag "
            "names no major)"
        )
    wanted = pgdata or postgres_data.volume(major)
    misplaced = [m for m in named if m.target.rstrip("/") in postgres_data.DATA_VOLUMES]
    if misplaced and not pgdata:
        return (
            f"outside its named volume: {misplaced[0].describe()} is mounted at "
            f"{misplaced[0].target}, but postgres {major} keeps its data in "
            f"{postgres_data.data_directory(major)} (mount it at {wanted})"
        )
    return f"outside a named volume (mount one at {wanted})"


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
