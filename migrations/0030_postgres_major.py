"""Move the official postgres image below the target major to the target major.

What: ``postgres:14``, ``postgres:14-alpine``, ``"postgres:14.24-bookworm"`` (also as
``library/postgres``, ``docker.io/postgres``, ``docker.io/library/postgres``, and through a
registry mirror: ``localhost:5000/postgres``, ``mirror.gcr.io/library/postgres``, where a first
path component with a ``.``, a ``:`` or ``localhost`` is a registry) become the target major
with the same variant suffix and quoting — in compose services, ``x-`` blocks and anchors, in
GitHub workflow service containers and job ``container:`` images, in the images and services
of GitLab CI, CircleCI, Azure Pipelines and Bitbucket Pipelines (CI containers start empty: no
data warning), and in Dockerfile ``FROM`` lines (a stage built on the postgres image). A minor
or patch pin becomes the major tag (it cannot be known offline which minor is current).

Why: the data is the one thing a version bump can lose. So when a bumped compose service (after
resolving ``<<:`` merges) mounts a named volume or a bind mount at the data directory, the run
warns loudly: that data directory was written by the old major and must be dumped and restored
(or run through pg_upgrade) before the new major can start on it. For a target of 18 or more it
also says that the image's data directory moved (``/var/lib/postgresql/18/docker``; the volume is
declared at ``/var/lib/postgresql``). A Dockerfile built on the postgres image gets the warning at
its FROM line, with the image's data path: its containers keep their data wherever they run; in
its stage (and stages built on it), packages (``postgresql-14-repack``,
``postgresql-server-dev-14``), the server's folders (``/usr/lib/postgresql/14``) and ``PG_MAJOR``
follow the major, as do the folders a ``COPY --from=<that stage>`` copies.

Example::

    services:                              services:
      db:                                    db:
        image: postgres:14-alpine    ->        image: postgres:16-alpine
        volumes:                               volumes:
          - pgdata:/var/lib/postgresql/data      - pgdata:/var/lib/postgresql/data
    (warning: service 'db' keeps its data in volume 'pgdata' … dump/restore or pg_upgrade)

Refuses (leaves the value and warns): digest pins; templated tags (``postgres:${PG:-14}``);
variants naming a distribution release that the shipped knowledge has no image of for the target
(``-alpine3.16``), or one no longer built for it (``-bullseye``: the warning names its last build
date and the releases still built); non-official images with a major below the target
(``postgis/postgis:14-3.3``, ``bitnami/postgresql:14``, ``ghcr.io/acme/postgres:14``, vendor
images): their tags are not guessed at. Untagged ``postgres``, ``latest`` and majors above the
target are left silently; a tag at the target on a variant no longer built gets advice (not an
error) naming the ones still built.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from operator import attrgetter
from typing import TYPE_CHECKING

from modernize.authoring import Context, Document, Edit, InPlace, Notice, compose_volumes, yamldoc
from modernize.lazy import lazy_pattern
from modernize.rules import postgres_data
from modernize.rules.images import VersionTag
from modernize.rules.imagetags import (
    decide_image,
    major_image,
    may_name_major_below,
    yaml_image,
    yaml_image_nodes,
    yaml_services,
)
from modernize.rules.variants import may_name_variant_at

if TYPE_CHECKING:
    from modernize.formats.dockerfile import Instruction

ID = "postgres-major"
TITLE = "Move official postgres images to the target major (warns about data volumes)"
KINDS = (
    "compose",
    "workflow",
    "dockerfile",
    "dockerfile-content",
    "gitlab-ci",
    "circleci",
    "azure-pipelines",
    "bitbucket-pipelines",
    "manifest",
    "helm-values",
    "helm-template",
    "app-engine",
    "aws-sam",
)
CODE = "M003"
#: What a pending change is, as ``verify`` reports it.
FINDING = "postgres image below the target major"

DATA_DIRECTORIES = postgres_data.DATA_VOLUMES
POSTGRES = major_image(
    "postgres",
    None,  # the shipped knowledge says which variants each major is built on
    attrgetter("postgres"),
    look_alikes=("postgres", "postgresql", "postgis", "timescaledb"),
)


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    if document.format == "dockerfile":
        yield from _dockerfile(document, context)
        return
    if document.kind in ("manifest", "helm-values", "helm-template", "app-engine", "aws-sam"):
        yield from _kubernetes(document, context)
        return
    target = context.targets.postgres
    bumped: dict[int, str] = {}
    for node in yaml_image_nodes(document):
        found = yaml_image(document, node, POSTGRES, context.targets)
        if found is None:
            continue
        result, decision = found
        yield result
        if decision.old is not None:
            bumped[id(node)] = _old_major(decision.old)
    if bumped and document.kind in ("compose", "workflow"):
        # A CI system's service containers start empty: no data to carry over.
        yield from _data_warnings(document, bumped, target)


def _kubernetes(document: Document, context: Context) -> Iterator[Edit | Notice]:
    """Kubernetes containers (with the data warning where one mounts the data directory),
    Kustomize images and Helm values (with the data warning: a chart's postgres keeps its
    data in a volume claim), and templates (reported: not YAML until rendered)."""
    from modernize.rules import kubernetes

    target = context.targets.postgres
    for moved in kubernetes.image_results(document, POSTGRES, context.targets):
        yield moved.result
        if moved.old is None:
            continue
        old = _old_major(moved.old)
        container = moved.container
        if container is None:
            where = "a chart's" if moved.chart else "this image's"
            yield Notice(
                moved.node_offset,
                f"{where} postgres keeps its data in a persistent volume: data written by "
                f"postgres {old} cannot be opened by postgres {target}; "
                f"{postgres_data.UPGRADE_STEP} before it is upgraded"
                + _layout_note(postgres_data.OLD_VOLUME, "", target),
                advisory=True,
                facts=postgres_data.data_facts(
                    old,
                    target,
                    postgres_data.OLD_VOLUME,
                    moved=bool(_layout_note(postgres_data.OLD_VOLUME, "", target)),
                ),
            )
            continue
        pgdata = kubernetes.container_pgdata(container)
        for entry, volume, mount in kubernetes.data_mounts(container, pgdata):
            yield Notice(
                entry.start_mark.index,
                f"container {container.name!r} keeps its postgres data in volume "
                f"{volume!r} at {mount}{postgres_data.pgdata_note(pgdata)}: data written by "
                f"postgres {old} cannot be opened by "
                f"postgres {target}; {postgres_data.UPGRADE_STEP} before the new image starts"
                + _layout_note(mount, pgdata, target),
                advisory=True,
                facts=postgres_data.data_facts(
                    old, target, mount, pgdata, volume, bool(_layout_note(mount, pgdata, target))
                ),
            )


def _layout_note(mount: str, pgdata: str, target: int) -> str:
    if target >= postgres_data.NEW_LAYOUT and not pgdata and mount == postgres_data.OLD_VOLUME:
        return (
            f"; postgres {target} images keep their data in "
            f"{postgres_data.data_directory(target)}: mount the volume at "
            f"{postgres_data.volume(target)}"
        )
    return ""


def _dockerfile(document: Document, context: Context) -> Iterator[Edit | Notice]:
    """``FROM postgres:14-alpine``: the tag moves as in compose; the image's containers keep
    their data wherever they are run, so the data warning stands at the FROM line."""
    target = context.targets.postgres
    stages = document.dockerfile.stages.stages
    moved: dict[int, str] = {}  # stage number -> the major it moved from
    for stage in stages:
        word = stage.base
        if stage.parent is not None and stage.parent in moved:
            moved[stage.number] = moved[stage.parent]
        if word is None or stage.parent is not None:
            continue  # FROM <earlier stage> inherits what that stage is
        decision = decide_image(word.text, POSTGRES, context.targets)
        if decision is None:
            continue
        if decision.refusal:
            yield Notice(word.start, decision.refusal, advisory=decision.advisory)
            continue
        start = word.start + decision.tag_start
        yield Edit(
            start,
            start + decision.length,
            decision.replacement,
            declares=(InPlace(("instruction", stage.start)),),
        )
        if decision.old is not None:
            old = _old_major(decision.old)
            moved[stage.number] = old
            yield Notice(
                word.start,
                f"an image built from this stage keeps postgres data at "
                f"{postgres_data.volume(target)} in its volume: data written by postgres {old} "
                f"cannot be opened by postgres {target}; where a container of it has data, "
                f"{postgres_data.UPGRADE_STEP} before the new image starts",
                advisory=True,
                facts=postgres_data.data_facts(old, target),
            )

    names = {stage.name.lower(): stage.number for stage in stages if stage.name is not None}
    for stage in stages:
        if stage.number in moved:
            yield from _follow_major(document, stage.indexes, moved[stage.number], target)
            continue
        # A stage that copies from a moved one copies from the new major's folders.
        for index in stage.indexes:
            source = _copied_from(document.dockerfile.instructions[index])
            number = names.get(source.lower(), int(source) if source.isdigit() else None)
            if number is not None and number in moved:
                yield from _follow_major(document, range(index, index + 1), moved[number], target)


def _copied_from(instruction: Instruction) -> str:
    """The stage a ``COPY --from=<stage>`` copies from, or ""."""
    if instruction.name != "COPY":
        return ""
    for word in instruction.words:
        if word.text.lower().startswith("--from="):
            return word.text.split("=", 1)[1]
    return ""


def _major_names(old: str) -> re.Pattern[str]:
    """What names the server's major in a stage built on the postgres image: Debian's packages
    (``postgresql-14-repack``, ``postgresql-server-dev-14``, ``postgresql-client-14``), the
    server's own folders (``/usr/lib/postgresql/14``) and the image's ``PG_MAJOR``."""
    number = re.escape(old)
    return re.compile(
        rf"(?<![\w.-])postgresql-(?:[a-z0-9]+-)*(?P<package>{number})(?![\w.])"
        rf"|/usr/(?:lib|share)/postgresql/(?P<folder>{number})(?![\w.])"
        rf"|(?<![\w$])PG_MAJOR[ \t]*[= \t][ \t]*(?P<major>{number})(?![\w.])"
    )


def _follow_major(document: Document, indexes: range, old: str, target: int) -> Iterator[Edit]:
    """The names of the old major in the instructions follow the image: an extension built for
    14 does not load in 16, and 16's image has no ``/usr/lib/postgresql/14``."""
    pattern = _major_names(old)
    instructions = document.dockerfile.instructions
    for index in indexes:
        instruction = instructions[index]
        if instruction.name == "FROM":
            continue
        for match in pattern.finditer(document.text, instruction.start, instruction.end):
            group = next(name for name in ("package", "folder", "major") if match[name])
            yield Edit(
                match.start(group),
                match.end(group),
                str(target),
                declares=(InPlace(("instruction", index)),),
            )


def _old_major(old: VersionTag) -> str:
    # Before 10, a postgres major was two numbers: 9.6 data is not 9.5 data.
    major = old.numbers[0]
    return f"{major}.{old.numbers[1]}" if major < 10 and len(old.numbers) > 1 else str(major)


def _data_warnings(document: Document, bumped: dict[int, str], target: int) -> Iterator[Notice]:
    for service_name, service in yaml_services(document):
        image = yamldoc.effective(service, "image")
        if image is None or id(image) not in bumped:
            continue
        old = bumped[id(image)]
        if yamldoc.effective(service, "extends") is not None:
            yield Notice(
                image.start_mark.index,
                f"service {service_name!r} extends another service, whose volumes are "
                f"not checked here: if it keeps postgres {old} data, "
                f"{postgres_data.UPGRADE_STEP} before postgres {target} starts",
                advisory=True,
            )
        for volume in compose_volumes.mounts(yamldoc.effective(service, "volumes")):
            if volume.kind == "tmpfs":
                continue  # in memory: no data outlives the container
            entry, source, mount = volume.entry, volume.describe(), volume.target
            pgdata = postgres_data.service_pgdata(service)
            where = _data_mount(mount, pgdata)
            if where is None:
                continue
            moved = ""
            # An explicit PGDATA keeps the data where it was, whatever the image's default.
            if (
                target >= postgres_data.NEW_LAYOUT
                and not pgdata
                and mount.rstrip("/") == postgres_data.OLD_VOLUME
            ):
                moved = (
                    f"; postgres {target} images keep their data in "
                    f"{postgres_data.data_directory(target)} and declare the volume at "
                    f"{postgres_data.volume(target)}: mount it there"
                )
            yield Notice(
                entry.start_mark.index,
                f"service {service_name!r} keeps its postgres data in {source} at "
                f"{mount}{postgres_data.pgdata_note(pgdata)}: data written by postgres {old} "
                "cannot be opened by postgres "
                f"{target}; {postgres_data.UPGRADE_STEP} before the new image starts{moved}",
                advisory=True,
                facts=postgres_data.data_facts(
                    old,
                    target,
                    mount,
                    pgdata,
                    volume.source if volume.kind == "volume" else "",
                    bool(moved),
                ),
            )


def _data_mount(mount: str, pgdata: str) -> str | None:
    normalised = mount.rstrip("/")
    if normalised in DATA_DIRECTORIES or normalised.startswith(DATA_DIRECTORIES[0] + "/"):
        return normalised
    if pgdata and (pgdata.rstrip("/") == normalised or pgdata.startswith(normalised + "/")):
        return normalised
    return None


def touches(text: str, context: Context) -> bool:
    """Only an image naming postgres (or a look-alike) with a tag below the target, or a
    templated one, gives this migration anything to do."""
    target = context.targets.postgres
    return (
        may_name_major_below(text, POSTGRES, target)
        or may_name_variant_at(text, "postgres", str(target))
        # A Helm chart's values may split the image: ``repository: postgres`` and ``tag: 14``.
        or _SPLIT_REPOSITORY.search(text) is not None
        # A Kustomization sets images by name: ``name: postgres`` and ``newTag: "14"``.
        or ("newTag" in text and "postgres" in text)
    )


_SPLIT_REPOSITORY = lazy_pattern(
    r"repository:[ \t]*[\"']?(?:[\w.:-]+/)*postgres[\"']?[ \t]*$", re.M
)
