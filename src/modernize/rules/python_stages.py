"""The python stages of a Dockerfile: which share files, and the interpreter paths inside them.

A stage that copies from, mounts from or is built on another python stage must move with it
(two Pythons' files would mix); the paths and commands that name the old minor
(``/usr/local/lib/python3.10``, ``pip3.10``) follow the stage that moved.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from modernize.authoring import Document, Edit, InPlace

if TYPE_CHECKING:
    from modernize.formats.dockerfile import Dockerfile

Links = dict[int, list[tuple[int, str]]]


def stage_links(
    dockerfile: Dockerfile,
    python_stages: set[int],
    stage_labels: dict[int, str],
    parents: dict[int, int],
) -> Links:
    """For each python stage, the python stages it shares files with (``COPY --from``,
    ``RUN --mount=…,from=``, ``FROM <stage>``: ``parents``), each with how, seen from the
    first stage."""
    model = dockerfile.stages
    edges = [(child, parent, "base") for child, parent in parents.items()]
    for stage in model.stages:
        for index in stage.indexes[1:]:
            for how, reference in dockerfile.instructions[index].read_from():
                read = model.find(reference)
                if read is not None and read.number != stage.number:
                    edges.append((stage.number, read.number, how))
    links: Links = {}
    for reader, source, how in edges:
        if reader in python_stages and source in python_stages:
            reads, is_read = LINK_WORDS[how]
            links.setdefault(reader, []).append((source, f"{reads} {stage_labels[source]}"))
            links.setdefault(source, []).append((reader, f"{is_read} {stage_labels[reader]}"))
    return links


#: How a stage relates to a linked one, seen from each end.
LINK_WORDS = {
    "copy": ("it copies from", "its files are copied into"),
    "mount": ("it mounts files from", "its files are mounted into"),
    "base": ("it is built on", "it is the base of"),
}


def path_to(start: int, targets: set[int], links: Links, stage_labels: dict[int, str]) -> str:
    """How ``start`` is linked to the nearest stage in ``targets`` ('' when it is not)."""
    first_hop: dict[int, str] = {start: ""}
    queue = [start]
    for stage in queue:
        for neighbour, how in sorted(links.get(stage, [])):
            if neighbour in first_hop:
                continue
            first_hop[neighbour] = first_hop[stage] or how
            if neighbour in targets:
                if first_hop[stage]:
                    return f"{first_hop[neighbour]}, which is linked to {stage_labels[neighbour]}"
                return how
            queue.append(neighbour)
    return ""


@functools.cache
def _path_pattern(old_minor: str) -> re.Pattern[str]:
    """The names an image gives its interpreter's minor: ``python3.10``, ``python3.10-config``,
    ``pip3.10``, ``libpython3.10.so.1.0``, ``libpython3.10.a``; as a word, a path component, a
    value after ``=`` or a command in ``$(…)``. ``python3.100``, ``mypython3.10x`` and
    ``python3.10.4`` are other names."""
    minor = re.escape(old_minor)
    return re.compile(
        rf"""
        (?: (?<=/) | (?<![^\s"'=(`;&|]) )
        (?: python | pip | libpython ) (?P<minor>{minor})
        (?: (?<=python{minor}) -config | (?<=libpython{minor}) \. (?: so (?:\.[0-9]+)* | a ) )?
        (?= [/\s"':)`;&|] | $ )
        """,
        re.VERBOSE,
    )


def follow_interpreter_paths(
    document: Document, bumped: dict[int, str], new_minor: str
) -> Iterator[Edit]:
    """Interpreter paths and commands naming the old minor, in the stages that moved
    (``bumped``: stage number -> the minor it moved from) become ``new_minor``.

    COPY/ADD sources are paths of the build context (or of the ``--from`` stage): they follow
    only when they come from a stage that moved; the destination follows its own stage.
    """
    text = document.text
    model = document.dockerfile.stages
    for index, instruction in enumerate(document.dockerfile.instructions):
        if instruction.name == "FROM":
            continue
        holding = model.holding(index)
        stage = -1 if holding is None else holding.number
        spans: list[tuple[int, int, str]] = []
        if instruction.name in ("COPY", "ADD"):
            words = [w for w in instruction.words if not w.text.startswith("--")]
            source_stage = None
            for how, source in instruction.read_from():
                if how == "copy":
                    found = model.find(source)
                    source_stage = None if found is None else found.number
            if words and stage in bumped:
                spans.append((words[-1].start, words[-1].end, bumped[stage]))
            if source_stage in bumped:
                spans += [(w.start, w.end, bumped[source_stage]) for w in words[:-1]]
        elif stage in bumped:
            spans = [(start, end, bumped[stage]) for start, end in instruction.segments]
            spans += [(start, end, bumped[stage]) for start, end in instruction.heredoc_bodies]
        for start, end, old_minor in spans:
            if text.find(old_minor, start, end) < 0:
                continue  # every name the pattern finds holds the minor
            for match in _path_pattern(old_minor).finditer(text, start, end):
                yield Edit(
                    match.start("minor"),
                    match.end("minor"),
                    new_minor,
                    declares=(InPlace(("instruction", index)),),
                )
