"""Where the official postgres image keeps its data, by major.

Up to 17 the image declares its volume at ``/var/lib/postgresql/data``, which is also
``PGDATA``. From 18 it declares the volume at ``/var/lib/postgresql`` and keeps the data in
``/var/lib/postgresql/<major>/docker``, so that ``pg_upgrade --link`` can see an old and a new
cluster in one volume; an 18 container refuses to start over a mount at the old path.
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from modernize.formats.yamldoc import Node

#: The first major whose image declares its volume at /var/lib/postgresql.
NEW_LAYOUT = 18
OLD_VOLUME = "/var/lib/postgresql/data"
NEW_VOLUME = "/var/lib/postgresql"
#: What every warning about data written by an older major says to do.
UPGRADE_STEP = "dump and restore it (pg_dumpall) or run pg_upgrade"
#: Both, as a mount's target may name them.
DATA_VOLUMES = (OLD_VOLUME, NEW_VOLUME)


def volume(major: int) -> str:
    """The folder the image of ``major`` declares as its volume (where a named volume goes)."""
    return NEW_VOLUME if major >= NEW_LAYOUT else OLD_VOLUME


def data_directory(major: int) -> str:
    """The image's default ``PGDATA`` for ``major``."""
    return f"{NEW_VOLUME}/{major}/docker" if major >= NEW_LAYOUT else OLD_VOLUME


def tag_major(tag: str | None) -> int | None:
    """The major an image tag names (``16``, ``16.4-alpine``, PostGIS ``16-3.4``), or None
    (no tag, ``latest``, ``alpine``, a variable)."""
    match = re.match(r"(\d+)(?=$|[.-])", tag or "")
    return int(match.group(1)) if match else None


def keeps_data(mount: str, major: int, pgdata: str = "") -> bool:
    """Whether a volume mounted at ``mount`` holds the data of a container of ``major``
    (its ``PGDATA`` if set): the data is at or below the mount, and the image's own volume does
    not lie between them (a mount above it is shadowed by the anonymous volume the image
    declares, and the data lands there)."""
    data = posixpath.normpath(pgdata or data_directory(major))
    mount = posixpath.normpath(mount)
    declared = volume(major)
    if not _at_or_below(data, mount):
        return False
    return not (
        mount != declared and _at_or_below(declared, mount) and _at_or_below(data, declared)
    )


def _at_or_below(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def pgdata_note(pgdata: str) -> str:
    """What a data warning adds when ``PGDATA`` sets the data directory."""
    return f" (PGDATA {pgdata})" if pgdata else ""


def data_facts(
    old: str, target: int, mount: str = "", pgdata: str = "", volume: str = "", moved: bool = False
) -> tuple[tuple[str, str], ...]:
    """What a data warning is about, for ``advise``: the majors, where the data is mounted and
    kept (``PGDATA``), the named volume, and whether the mount is where an 18 image no longer
    keeps its data."""
    facts = {"old": old, "target": str(target), "mount": mount, "pgdata": pgdata}
    facts |= {"volume": volume, "moved": "yes" if moved else ""}
    return tuple((name, value) for name, value in facts.items() if value)


def service_pgdata(service: Node) -> str:
    """The ``PGDATA`` a compose service sets in its ``environment`` (mapping or list), or ""."""
    from modernize.formats import yamldoc

    environment = yamldoc.effective(service, "environment")
    if isinstance(environment, yamldoc.MappingNode):
        value = yamldoc.get(environment, "PGDATA")
        return str(value.value) if isinstance(value, yamldoc.ScalarNode) else ""
    if isinstance(environment, yamldoc.SequenceNode):
        for entry in environment.value:
            if isinstance(entry, yamldoc.ScalarNode) and str(entry.value).startswith("PGDATA="):
                return str(entry.value).split("=", 1)[1]
    return ""
