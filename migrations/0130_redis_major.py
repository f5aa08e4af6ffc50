"""Move the official redis image below the target major to the target major.

What: ``redis:6``, ``redis:6-alpine``, ``"redis:6.2.14-bookworm"`` (also as ``library/redis``,
``docker.io/redis``, ``docker.io/library/redis``, and through a registry mirror:
``localhost:5000/redis``, ``mirror.gcr.io/library/redis``) become the target major with the same
variant suffix and quoting — in compose services, ``x-`` blocks and anchors, and in GitHub
workflow service containers and job ``container:`` images. A minor or patch pin becomes the
major tag (it cannot be known offline which minor is current).

Why: a cache or queue left on an old major misses years of fixes, and ``verify`` holds every
compose and workflow redis to the target. Unlike postgres, no data volume needs a warning:
a redis server loads the RDB snapshots of every older version, and since 7.0 it turns an
old single-file append-only log into its multi-part form when it starts. Only going back is
unsafe (an older server cannot read a newer snapshot), which a version bump never does.

Example::

    services:                              services:
      cache:                                 cache:
        image: redis:6.2-alpine      ->        image: redis:7-alpine
        command: redis-server --appendonly yes  command: redis-server --appendonly yes

Refuses (leaves the value and warns): digest pins; templated tags (``redis:${REDIS_TAG:-6}``);
variants naming a distribution release with no image for the target in the shipped dated table
(``redis:6-buster``); other builds with a major below the target (``bitnami/redis:6.2``,
``redis/redis-stack:6.2.6-v9``, ``ghcr.io/acme/redis:6``): their tags are not guessed at.
Untagged ``redis``, ``latest``, majors at or above the target, forks with their own versions
(``valkey/valkey:7.2``) and tools for redis (``oliver006/redis_exporter:1.62.0``,
``redis/redisinsight:2.50``) are left silently.
"""

from __future__ import annotations

from collections.abc import Iterator
from operator import attrgetter

from modernize.authoring import Context, Document, Edit, Notice
from modernize.rules.imagetags import (
    major_image,
    may_name_major_below,
    yaml_image,
    yaml_image_nodes,
)
from modernize.targets import REDIS_DISTRO_RELEASES

ID = "redis-major"
TITLE = "Move official redis images to the target major"
KINDS = ("compose", "workflow")
CODE = "M013"
#: What a pending change is, as ``verify`` reports it.
FINDING = "redis image below the target major"

REDIS = major_image("redis", REDIS_DISTRO_RELEASES, attrgetter("redis"), look_alikes=("redis",))


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    for node in yaml_image_nodes(document):
        found = yaml_image(document, node, REDIS, context.targets)
        if found is not None:
            yield found[0]


def touches(text: str, context: Context) -> bool:
    """Only an image naming redis (or a look-alike) with a tag below the target, or a templated
    one, gives this migration anything to do."""
    return may_name_major_below(text, REDIS, context.targets.redis)
