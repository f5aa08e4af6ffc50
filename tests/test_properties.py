"""Generated Dockerfiles, compose files and workflows: every edit is safe, exact and final.

The generators assemble files line by line from what real repositories contain (see the survey
in the project notes): comments everywhere, both quote styles, 1-4 space indents, flow and block
collections, anchors and merge keys, a leading ``---``, CRLF newlines, a BOM, a missing final
newline, continuations with comment lines, heredocs, build arguments, stale and current versions.
Every generated file is valid for its format; the properties below must hold for all of them:

1. the run never fails (no exception, status ``changed`` or ``unchanged``);
2. the output parses again;
3. only lines holding something a migration changes differ; the BOM, the newline of every line,
   the final-newline status, own-line comments and trailing comments of kept lines are kept;
4. a second run on the output changes nothing;
5. a dry run writes nothing, and its diff applied with ``git apply`` gives exactly what
   ``apply`` writes.

``python -m pytest --hypothesis-profile=long --timeout 0 tests/test_properties.py`` is the release
check.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from modernize.engine.planning import RunOptions, plan_file
from modernize.formats import dockerfile
from modernize.formats.document import Document
from modernize.model import Outcome
from modernize.registry import Context, Migration
from modernize.workspace.config import Overrides, resolve
from modernize.workspace.files import Candidate, classify
from tests.helpers import run_cli

SETTINGS = settings(
    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
BOM = "\ufeff"
#: Files at most this long also go through the command line and ``git apply`` (a subprocess).
CLI_CHECK_MAX_CHARS = 900

Draw = Callable[[st.SearchStrategy[Any]], Any]

# ---------------------------------------------------------------------------------------------
# Building blocks shared by the generators
# ---------------------------------------------------------------------------------------------

COMMENT_BODIES = [
    "TODO: bump this",
    "based on python:3.9-slim",
    "uses: actions/checkout@v3",
    "image: postgres:14-alpine",
    "version: '3.8'",
    "docker-compose up -d",
    "python-version: 3.10",
    '- "3.7"',
    "ARG PYTHON_VERSION=3.9",
    "python3.10 -m pip install",
    "été, naïve, ünïcode",
    "keep",
    "",
]
PY_MINORS = list(range(8, 15))  # 3.8 .. 3.14; the default target is 3.12
STALE_PY = r"3\.(?:8|9|10|11)(?![\d])"
_TRAILING = re.compile(r"# (?P<tag>\[t\d+\]).*$")


@dataclass
class Case:
    """One generated file, and what the generator knows about it."""

    kind: str
    path: str
    lines: list[str]
    newline: str
    bom: bool
    final_newline: bool
    trailing: dict[str, bool] = field(default_factory=dict)  # comment -> may vanish with its line
    frozen: list[str] = field(default_factory=list)  # lines that must survive unchanged
    #: The Dockerfile's build stages (1 for the first FROM) that already have a maintainer label.
    labelled_stages: frozenset[int] = frozenset()

    @property
    def text(self) -> str:
        body = self.newline.join(self.lines)
        return body + self.newline if self.final_newline else body

    @property
    def data(self) -> bytes:
        return ((BOM if self.bom else "") + self.text).encode("utf-8")


class Comments:
    """Draws own-line and trailing comments; every trailing comment carries a unique tag."""

    def __init__(self, draw: Draw) -> None:
        self.draw = draw
        self.count = 0
        self.vanishing: set[str] = set()
        self.frozen: list[str] = []  # lines (stripped) no migration may touch

    def body(self) -> str:
        text = self.draw(st.sampled_from(COMMENT_BODIES))
        return "#" + (self.draw(st.sampled_from([" ", "", "  "])) if text else "") + text

    def own_line(self, col: int) -> str:
        return " " * col + self.body()

    def trail(self, may_vanish: bool = False) -> str:
        """A trailing comment (or nothing); the ones that may go with their line are noted."""
        if self.draw(st.integers(0, 3)) != 0:
            return ""
        self.count += 1
        tag = f"[t{self.count}]"
        if may_vanish:
            self.vanishing.add(tag)
        text = f"# {tag} {self.draw(st.sampled_from(COMMENT_BODIES))}".rstrip()
        return self.draw(st.sampled_from([" ", "  ", "   "])) + text

    def placed(self, lines: list[str]) -> dict[str, bool]:
        """The trailing comments the file holds (a drawn comment may go unused)."""
        found = {}
        for line in lines:
            match = _TRAILING.search(line)
            if match:
                found[match.group()] = match["tag"] in self.vanishing
        return found


def quote(draw: Draw, value: str, plain: bool = True) -> str:
    styles = ['"', "'", ""] if plain else ['"', "'"]
    mark = draw(st.sampled_from(styles))
    return f"{mark}{value}{mark}"


def python_tag(draw: Draw, minor: int | None = None) -> str:
    minor = draw(st.sampled_from(PY_MINORS)) if minor is None else minor
    patch = draw(st.sampled_from(["", "", "", f".{draw(st.integers(0, 19))}"]))
    variant = draw(
        st.sampled_from(["", "-slim", "-alpine", "-slim-bookworm", "-bookworm", "-slim-bullseye"])
    )
    return f"3.{minor}{patch}{variant}"


def postgres_image(draw: Draw) -> str:
    shape = draw(st.integers(0, 11))
    if shape == 0:
        return draw(
            st.sampled_from(
                [
                    "postgres",
                    "postgres:latest",
                    "postgis/postgis:14-3.3",
                    "bitnami/postgresql:13",
                    "postgres:${PG_VERSION:-14}",
                ]
            )
        )
    prefix = draw(st.sampled_from(["", "", "", "library/", "docker.io/library/", "docker.io/"]))
    major = draw(st.integers(12, 18))
    minor = draw(st.sampled_from(["", "", "", f".{draw(st.integers(1, 24))}"]))
    variant = draw(st.sampled_from(["", "", "-alpine", "-bookworm", "-alpine3.20"]))
    return f"{prefix}postgres:{major}{minor}{variant}"


# ---------------------------------------------------------------------------------------------
# A tiny block-YAML writer: the generators describe a tree, the writer lays it out as text
# ---------------------------------------------------------------------------------------------


@dataclass
class Map:
    entries: list[Entry]
    quiet: bool = False  # no own-line comments or blank lines inside


@dataclass
class Seq:
    items: list[Item]
    quiet: bool = False


@dataclass
class Block:
    """A block scalar as a list item: ``- >-`` then its text on the next line."""

    indicator: str
    text: str


@dataclass
class Item:
    value: str | Map | Block
    comment: str = ""


@dataclass
class Literal:
    indicator: str
    lines: list[str]


@dataclass
class MultiLineFlow:
    lines: list[str]  # between "[" and "]", each on its own line


@dataclass
class Entry:
    key: str
    value: str | Map | Seq | Literal | MultiLineFlow
    comment: str = ""
    anchor: str = ""


class Writer:
    def __init__(self, draw: Draw, comments: Comments, unit: int, compact: bool) -> None:
        self.draw = draw
        self.comments = comments
        self.unit = unit
        self.compact = compact
        self.out: list[str] = []

    def noise(self, col: int) -> None:
        choice = self.draw(st.integers(0, 11))
        if choice == 0:
            self.out.append(self.comments.own_line(col))
        elif choice == 1:
            self.out.append(self.comments.own_line(0))
        elif choice == 2:
            self.out.append("")

    def mapping(self, node: Map, col: int, first_prefix: str | None = None, quiet: bool = False):
        quiet = quiet or node.quiet
        for position, entry in enumerate(node.entries):
            if position == 0 and first_prefix is not None:
                prefix = first_prefix
            else:
                if not quiet:
                    self.noise(col)
                prefix = " " * col
            head = f"{prefix}{entry.key}:"
            anchor = f" {entry.anchor}" if entry.anchor else ""
            value = entry.value
            if isinstance(value, str):
                trailing = entry.comment or self.draw(st.sampled_from(["", "", "", "", " "]))
                self.out.append(head + (f" {value}" if value else "") + trailing)
            elif isinstance(value, Map):
                self.out.append(head + anchor + entry.comment)
                self.mapping(value, col + self.unit, quiet=quiet)
            elif isinstance(value, Seq):
                self.out.append(head + anchor + entry.comment)
                self.sequence(value, col if self.compact else col + self.unit, quiet)
            elif isinstance(value, Literal):
                self.out.append(f"{head} {value.indicator}{entry.comment}")
                inner = " " * (col + self.unit)
                self.out.extend(inner + line if line else "" for line in value.lines)
            else:
                self.out.append(f"{head} [{entry.comment}")
                self.out.extend(" " * (col + self.unit) + line for line in value.lines)
                self.out.append(" " * col + "]")

    def sequence(self, node: Seq, col: int, quiet: bool) -> None:
        quiet = quiet or node.quiet
        for item in node.items:
            if not quiet:
                self.noise(col)
            prefix = " " * col + "- "
            if isinstance(item.value, Map):
                self.mapping(item.value, col + 2, first_prefix=prefix, quiet=quiet)
            elif isinstance(item.value, Block):
                self.out.append(prefix + item.value.indicator + item.comment)
                self.out.append(" " * (col + 2) + item.value.text)
            else:
                self.out.append(prefix + item.value + item.comment)


def _finish(
    draw: Draw,
    kind: str,
    path: str,
    lines: list[str],
    comments: Comments,
    final_newline: bool | None = None,
    **extra: Any,
) -> Case:
    drawn = draw(st.integers(0, 3)) != 0
    return Case(
        kind=kind,
        path=path,
        lines=lines,
        newline=draw(st.sampled_from(["\n", "\n", "\r\n"])),
        bom=draw(st.integers(0, 4)) == 0,
        final_newline=drawn if final_newline is None else final_newline,
        trailing=comments.placed(lines),
        frozen=comments.frozen,
        **extra,
    )


def _yaml_header(draw: Draw, comments: Comments) -> list[str]:
    """Comment header and/or a leading document marker."""
    lines = [comments.own_line(0) for _ in range(draw(st.integers(0, 2)))]
    if draw(st.booleans()):
        marker = "---" + draw(st.sampled_from(["", "", " # document start"]))
        lines.insert(draw(st.integers(0, len(lines))), marker)
    return lines


# ---------------------------------------------------------------------------------------------
# Dockerfiles
# ---------------------------------------------------------------------------------------------

STAGE_NAMES = ["builder", "build", "runtime", "base", "python", "deps"]


@st.composite
def dockerfiles(draw: Draw) -> Case:
    comments = Comments(draw)
    lower = draw(st.integers(0, 4)) == 0

    def kw(word: str) -> str:
        return word.lower() if lower else word

    lines: list[str] = []
    frozen = comments.frozen
    heredocs = 0
    labelled_stages: set[int] = set()

    def noise() -> None:
        for _ in range(draw(st.integers(0, 2))):
            if draw(st.integers(0, 2)) == 0:
                lines.append("")
            else:
                lines.append(comments.own_line(draw(st.sampled_from([0, 0, 2]))))

    def emit(chunk: list[str]) -> bool:
        """Add one instruction's lines."""
        lines.extend(chunk)
        return True

    if draw(st.booleans()):
        lines.append(
            draw(
                st.sampled_from(
                    ["# syntax=docker/dockerfile:1", "# syntax = docker/dockerfile:1.4"]
                )
            )
        )
    noise()
    arg_name = draw(st.sampled_from(["PYTHON_VERSION", "PY", "PYTHON_VERSION"]))
    arg_mode = draw(st.sampled_from(["none", "none", "plain", "quoted", "bare"]))
    if arg_mode == "plain":
        emit([f"{kw('ARG')} {arg_name}={python_tag(draw).split('-')[0]}"])
    elif arg_mode == "quoted":
        emit([f"{kw('ARG')} {arg_name}={quote(draw, python_tag(draw), plain=False)}"])
    elif arg_mode == "bare":
        lines.append(f"{kw('ARG')} {arg_name}")
    debian = arg_mode != "none" and draw(st.booleans())
    if debian:
        lines.append(f"{kw('ARG')} DEBIAN_BASE=bookworm")
    stages: list[str] = []
    for stage in range(1, draw(st.integers(1, 3)) + 1):
        noise()
        flags = draw(st.sampled_from(["", "", "--platform=$BUILDPLATFORM "]))
        shape = draw(st.integers(0, 9))
        if shape <= 4:
            prefix = draw(st.sampled_from(["", "", "", "library/", "docker.io/library/"]))
            image = f"{prefix}python:{python_tag(draw)}"
        elif shape <= 6 and arg_mode != "none":
            variable = draw(st.sampled_from([f"${{{arg_name}}}", f"${arg_name}"]))
            suffix = draw(
                st.sampled_from(["", "-slim", "-alpine"] + (["-slim-${DEBIAN_BASE}"] * debian))
            )
            image = f"python:{variable}{suffix}"
        elif shape == 7 and stages:
            image = draw(st.sampled_from(stages))
        elif shape == 8 and draw(st.integers(0, 2)) == 0:
            image = "python:3.10-slim@sha256:" + "ab" * 32
        else:
            image = draw(
                st.sampled_from(
                    [
                        "node:20-alpine",
                        "ubuntu:22.04",
                        "tiangolo/uvicorn-gunicorn:python3.10-slim",
                        "ghcr.io/astral-sh/uv:python3.11-bookworm-slim",
                        "python",
                        "python:3-slim",
                        "python:latest",
                    ]
                )
            )
        free = [n for n in STAGE_NAMES if n not in stages]
        named = draw(st.booleans())
        name = draw(st.sampled_from(free))
        sep = draw(st.sampled_from([" ", " ", "  "]))
        keyword = draw(st.sampled_from(["AS", "as"]))
        split = draw(st.integers(0, 5)) == 0  # FROM split over a continuation
        for attempt in (named, True):  # a name makes a repeated FROM line unique
            stage_part = f"{sep}{keyword}{sep}{name}" if attempt else ""
            if split:
                chunk = [f"{kw('FROM')} {flags}\\", f"    {image}{stage_part}"]
            else:
                chunk = [f"{kw('FROM')}{sep}{flags}{image}{stage_part}"]
            if emit(chunk):
                break
        if not attempt:
            name = ""
        for _instruction in range(draw(st.integers(1, 4))):
            noise()
            chunk: list[str] = []
            what = draw(st.integers(0, 13))
            minor = draw(st.sampled_from(PY_MINORS))
            if what == 0:
                chunk.append(f"{kw('RUN')} pip install --no-cache-dir -r requirements.txt")
            elif what == 1:
                chunk.append(f"{kw('RUN')} python3.{minor} -m pip install --upgrade pip")
            elif what in (2, 3):
                indent = draw(st.sampled_from([" ", "  ", "    ", "\t"]))
                tail = draw(st.sampled_from([" \\", " \\", "\\", "  \\", " \\ "]))
                pieces = draw(
                    st.lists(
                        st.sampled_from(
                            [
                                "&& apt-get install -y --no-install-recommends gcc",
                                f"&& python3.{minor} -m compileall /app",
                                "&& pip install -r requirements.txt",
                                "&& rm -rf /var/lib/apt/lists/*",
                            ]
                        ),
                        min_size=1,
                        max_size=3,
                    )
                )
                chunk.append(f"{kw('RUN')} apt-get update{tail}")
                for position, piece in enumerate(pieces):
                    if draw(st.integers(0, 2)) == 0:
                        chunk.append(comments.own_line(draw(st.sampled_from([0, len(indent)]))))
                    last = position == len(pieces) - 1
                    chunk.append(indent + piece + ("" if last else tail))
            elif what in (4, 5):
                heredocs += 1
                opener = draw(
                    st.sampled_from(
                        [
                            "RUN <<EOF",
                            "RUN <<EOT bash",
                            "RUN --mount=type=cache,target=/root/.cache <<EOF",
                            "RUN <<-EOF",
                            "RUN <<'EOF'",
                            "COPY <<EOF /app/start.sh",
                        ]
                    )
                )
                delimiter = "EOT" if "EOT" in opener else "EOF"
                lead = "\t" if "<<-" in opener and draw(st.booleans()) else ""
                chunk.append(kw(opener.split(" ")[0]) + opener[opener.index(" ") :])
                for _body in range(draw(st.integers(1, 4))):
                    body_minor = draw(st.sampled_from(PY_MINORS))
                    choice = draw(st.integers(0, 5))
                    if choice == 0:
                        line = f"FROM python:3.{body_minor} AS heredoc{heredocs}x{len(chunk)}"
                        frozen.append(line)
                        chunk.append(line)
                        continue
                    body = [
                        "set -eux",
                        "pip install -r requirements.txt",
                        f"python3.{body_minor} -m pip install --upgrade pip",
                        'echo "docker-compose is not used here"',
                        "# install the app",
                    ][choice - 1]
                    chunk.append(lead + body)
                chunk.append(lead + delimiter)
            elif what == 6 and stages:
                path = f"/usr/local/lib/python3.{minor}/site-packages"
                chunk.append(f"{kw('COPY')} --from={stages[-1]} {path} {path}")
            elif what == 7:
                chunk.append(
                    kw("ENV")
                    + draw(
                        st.sampled_from(
                            [
                                " PYTHONDONTWRITEBYTECODE=1",
                                " PATH /opt/venv/bin:$PATH",
                                " PYTHON_VERSION_PREV=3.10.12",
                                f" PATH=/usr/local/lib/python3.{minor}/bin:$PATH",
                                f" {arg_name}=3.{minor}",
                            ]
                        )
                    )
                )
            elif what == 8:
                chunk.append(
                    draw(
                        st.sampled_from(
                            [
                                kw("WORKDIR") + " /app",
                                kw("USER") + " app",
                                kw("EXPOSE") + " 8000",
                                kw("ENTRYPOINT") + ' ["/docker-entrypoint.sh"]',
                                kw("HEALTHCHECK") + " CMD curl -f http://localhost:8000/ || exit 1",
                            ]
                        )
                    )
                )
            elif what == 9:
                chunk.append(
                    kw("CMD")
                    + draw(
                        st.sampled_from([' ["python", "-m", "app"]', f" python3.{minor} app.py"])
                    )
                )
            elif what == 10:
                value = draw(
                    st.sampled_from(
                        [
                            "Jane Doe <jane@example.org>",
                            '"Jane Doe <jane@example.org>"',
                            'Jo "JD" Doe',
                            "ops@example.org",
                        ]
                    )
                )
                chunk.append(f"{kw('MAINTAINER')} {value}")
            elif what == 11:
                if stage in labelled_stages or draw(st.booleans()):
                    labelled_stages.add(stage)
                chunk.append(
                    kw("LABEL")
                    + (
                        ' maintainer="Jane Doe"'
                        if stage in labelled_stages
                        else ' org.opencontainers.image.source="https://example.org"'
                    )
                )
            elif what == 12:
                chunk.append(f"{kw('RUN')} echo done # not a comment: python3.{minor}")
            else:
                chunk.append(f"{kw('ARG')} {arg_name}=3.{minor}")  # a stage's own argument
            emit(chunk)
        if name:
            stages.append(name)
    return _finish(
        draw,
        "dockerfile",
        draw(st.sampled_from(["Dockerfile", "Dockerfile.prod", "app.dockerfile"])),
        lines,
        comments,
        labelled_stages=frozenset(labelled_stages),
    )


# ---------------------------------------------------------------------------------------------
# Compose files
# ---------------------------------------------------------------------------------------------


def _scalar_list(draw: Draw, values: list[str], comments: Comments) -> str | Seq:
    if draw(st.booleans()):
        return "[" + ", ".join(quote(draw, v, plain=False) for v in values) + "]"
    return Seq([Item(quote(draw, v, plain=False), comments.trail()) for v in values])


@st.composite
def compose_files(draw: Draw) -> Case:
    comments = Comments(draw)
    unit = draw(st.integers(1, 4))
    writer = Writer(draw, comments, unit, compact=draw(st.booleans()))
    t = comments.trail
    top: list[Entry] = []
    common = draw(st.booleans())
    if common:
        top.append(
            Entry(
                "x-common",
                Map([Entry("restart", "unless-stopped", t())]),
                t(),
                anchor="&common",
            )
        )
    pg_block = draw(st.booleans())
    if pg_block:
        top.append(
            Entry(
                "x-postgres",
                Map(
                    [
                        Entry("image", quote(draw, postgres_image(draw)), t()),
                        Entry("environment", "{POSTGRES_PASSWORD: example}", t()),
                    ]
                ),
                t(),
                anchor="&postgres",
            )
        )
    services: list[Entry] = []
    db: list[Entry] = []
    if pg_block:
        merge = "[*postgres, *common]" if common and draw(st.booleans()) else "*postgres"
        db.append(Entry("<<", merge, t()))
    elif common:
        db.append(Entry("<<", "*common", t()))
    pg_anchor = False
    if not pg_block or draw(st.booleans()):
        pg_anchor = draw(st.booleans())
        value = quote(draw, postgres_image(draw))
        db.append(Entry("image", ("&pg " if pg_anchor else "") + value, t()))
    if draw(st.booleans()):
        if draw(st.booleans()):
            environment: str | Map | Seq = Map(
                [
                    Entry("POSTGRES_PASSWORD", quote(draw, "example"), t()),
                    Entry("PGDATA", "/var/lib/postgresql/data/pgdata", t()),
                ]
            )
        else:
            environment = Seq(
                [Item("POSTGRES_PASSWORD=example", t()), Item("PGDATA=/var/lib/postgresql/data")]
            )
        db.append(Entry("environment", environment, t()))
    if draw(st.booleans()):
        mounts: list[Item] = [Item("pgdata:/var/lib/postgresql/data", t())]
        if draw(st.booleans()):
            mounts.append(Item(quote(draw, "./initdb:/docker-entrypoint-initdb.d:ro"), t()))
        if draw(st.booleans()):
            mounts = [
                Item(
                    Map(
                        [
                            Entry("type", "volume", t()),
                            Entry("source", "pgdata", t()),
                            Entry("target", "/var/lib/postgresql/data", t()),
                        ]
                    )
                )
            ]
        db.append(Entry("volumes", Seq(mounts), t()))
    if draw(st.booleans()):
        db.append(Entry("ports", _scalar_list(draw, ["5432:5432"], comments), t()))
    if draw(st.booleans()):
        db.append(
            Entry(
                "healthcheck",
                Map(
                    [
                        Entry("test", '["CMD-SHELL", "pg_isready -U postgres"]', t()),
                        Entry("interval", "10s", t()),
                    ]
                ),
                t(),
            )
        )
    if not db:
        db.append(Entry("image", "postgres", t()))
    services.append(Entry("db", Map(db), t()))
    if pg_anchor and draw(st.booleans()):
        services.append(Entry("db-replica", Map([Entry("image", "*pg", t())]), t()))
    if draw(st.booleans()):
        web: list[Entry] = []
        if draw(st.booleans()):
            build = [Entry("context", ".", t()), Entry("dockerfile", "Dockerfile")]
            if draw(st.booleans()):
                version = f"3.{draw(st.sampled_from(PY_MINORS))}"
                if draw(st.booleans()):
                    arguments: Map | Seq = Map(
                        [
                            Entry("PYTHON_VERSION", quote(draw, version), t()),
                            Entry("APP_ENV", "dev", t()),
                        ]
                    )
                else:
                    arguments = Seq(
                        [
                            Item(quote(draw, f"PYTHON_VERSION={version}"), t()),
                            Item("APP_ENV=dev", t()),
                        ]
                    )
                build.append(Entry("args", arguments, t()))
            web.append(Entry("build", Map(build)))
        else:
            web.append(Entry("build", ".", t()))
        web.append(Entry("image", quote(draw, f"python:{python_tag(draw)}"), t()))
        web.append(
            Entry(
                "command",
                draw(
                    st.sampled_from(
                        ["python manage.py runserver 0.0.0.0:8000", '["python", "-m", "app"]']
                    )
                ),
                t(),
            )
        )
        web.append(Entry("depends_on", _scalar_list(draw, ["db"], comments), t()))
        if draw(st.booleans()):
            web.append(
                Entry("labels", Map([Entry("version", quote(draw, "2", plain=False), t())]), t())
            )
        if draw(st.booleans()):
            web.append(Entry("ports", "!reset []", t()))
        services.append(Entry("web", Map(web), t()))
    if draw(st.booleans()):
        worker = [Entry("image", quote(draw, "redis:6-alpine"), t())]
        if common:
            worker.insert(0, Entry("<<", "*common", t()))
        services.append(Entry("cache", Map(worker), t()))
    top.append(Entry("services", Map(services), t()))
    if draw(st.booleans()):
        volume = draw(st.sampled_from(["", "{}", "driver"]))
        top.append(
            Entry(
                "volumes",
                Map(
                    [
                        Entry(
                            "pgdata",
                            Map([Entry("driver", "local")]) if volume == "driver" else volume,
                            t(),
                        )
                    ]
                ),
                t(),
            )
        )
    if draw(st.booleans()):
        top.insert(0, Entry("name", "myproject", t()))
    if draw(st.integers(0, 3)) != 0:
        key = draw(st.sampled_from(["version", "version", '"version"', "'version'"]))
        number = draw(st.sampled_from(["3.8", "3", "2.4", "3.9"]))
        value = quote(draw, number) + draw(st.sampled_from(["", "", " "]))
        top.insert(draw(st.integers(0, len(top))), Entry(key, value, t(may_vanish=True)))
    lines = _yaml_header(draw, comments)
    writer.out = lines
    writer.mapping(Map(top), 0)
    name = draw(
        st.sampled_from(["docker-compose.yml", "compose.yaml", "docker-compose.override.yml"])
    )
    return _finish(draw, "compose", name, writer.out, comments)


# ---------------------------------------------------------------------------------------------
# GitHub workflows
# ---------------------------------------------------------------------------------------------

ACTIONS = [
    ("actions/checkout", 2, 4),
    ("actions/cache", 2, 4),
    ("actions/upload-artifact", 2, 4),
    ("docker/build-push-action", 4, 6),
    ("docker/setup-buildx-action", 1, 3),
    ("docker/login-action", 1, 3),
    ("codecov/codecov-action", 2, 4),
]


def _python_value(draw: Draw, minor: int) -> str:
    return quote(draw, f"3.{minor}")


@st.composite
def workflows(draw: Draw) -> Case:
    comments = Comments(draw)
    unit = draw(st.integers(1, 4))
    writer = Writer(draw, comments, unit, compact=draw(st.booleans()))
    t = comments.trail
    top: list[Entry] = [
        Entry("name", draw(st.sampled_from(["CI", "docker-compose tests", "'Tests'"])), t())
    ]
    on_key = draw(st.sampled_from(["on", "on", '"on"', "'on'"]))
    on_shape = draw(st.integers(0, 2))
    if on_shape == 0:
        on_value: str | Map = Map(
            [
                Entry("push", Map([Entry("branches", "[main]", t())]), t()),
                Entry("pull_request", "", t()),
            ]
        )
    elif on_shape == 1:
        on_value = "[push, pull_request]"
    else:
        on_value = "push"
    top.append(Entry(on_key, on_value, t()))
    # Anchored values that matrices may use through aliases. An anchor is named after its
    # value (``&py3-9``: PyYAML takes letters, digits, ``-`` and ``_`` in a name), so a line
    # holding the alias names the version it stands for.
    anchors: list[tuple[str, str]] = []
    if draw(st.integers(0, 2)) == 0:
        minor = draw(st.sampled_from(PY_MINORS))
        anchors.append((f"py3-{minor}", f"3.{minor}"))
        flag = draw(st.sampled_from(["true", "false"]))
        anchors.append((f"flag-{flag}", flag))
        top.append(
            Entry(
                "x-anchors",
                Map(
                    [
                        Entry(
                            f"v{number}",
                            f"&{name} {quote(draw, value) if name.startswith('py') else value}",
                            t(),
                        )
                        for number, (name, value) in enumerate(anchors)
                    ]
                ),
                t(),
            )
        )
    env_keys = ["PYTHON_VERSION", "DEFAULT_PYTHON", "PY_VERSION", "PYTHON"]
    if draw(st.booleans()):
        value = draw(
            st.one_of(
                st.just("${{ vars.PYTHON }}"), st.sampled_from(PY_MINORS).map(lambda m: f"3.{m}")
            )
        )
        value = quote(draw, value) if not value.startswith("$") else value
        top.append(Entry("env", Map([Entry(draw(st.sampled_from(env_keys)), value, t())]), t()))
    jobs: list[Entry] = []
    for job_name in draw(st.sampled_from([["test"], ["test", "build"], ["build"]])):
        job: list[Entry] = []
        if draw(st.booleans()):
            job.append(
                Entry(
                    "name",
                    draw(
                        st.sampled_from(
                            ["Python ${{ matrix.python-version }}", "docker-compose checks"]
                        )
                    ),
                    t(),
                )
            )
        job.append(
            Entry("runs-on", draw(st.sampled_from(["ubuntu-latest", "${{ matrix.os }}"])), t())
        )
        if job_name == "build":
            job.append(Entry("needs", draw(st.sampled_from(["test", "[test]"])), t()))
        if draw(st.integers(0, 3)) == 0:
            image = quote(draw, f"python:{python_tag(draw)}")
            if draw(st.booleans()):
                job.append(Entry("container", image, t()))
            else:
                job.append(
                    Entry(
                        "container",
                        Map([Entry("image", image, t()), Entry("options", "--user root", t())]),
                        t(),
                    )
                )
        if draw(st.booleans()):
            service = [Entry("image", quote(draw, postgres_image(draw)), t())]
            service.append(Entry("env", Map([Entry("POSTGRES_PASSWORD", "postgres", t())]), t()))
            service.append(Entry("ports", _scalar_list(draw, ["5432:5432"], comments), t()))
            job.append(Entry("services", Map([Entry("postgres", Map(service), t())]), t()))
        if draw(st.booleans()):
            job.append(Entry("strategy", _strategy(draw, comments, anchors), t()))
        if draw(st.integers(0, 3)) == 0:
            key = draw(st.sampled_from(env_keys))
            value = quote(draw, f"3.{draw(st.sampled_from(PY_MINORS))}")
            job.append(Entry("env", Map([Entry(key, value, t())]), t()))
        steps = [_step(draw, comments) for _ in range(draw(st.integers(1, 5)))]
        job.append(Entry("steps", Seq(steps), t()))
        if draw(st.integers(0, 2)) == 0:
            job = draw(st.permutations(job))
        jobs.append(Entry(job_name, Map(job), t()))
    top.append(Entry("jobs", Map(jobs), t()))
    writer.out = _yaml_header(draw, comments)
    writer.mapping(Map(top), 0)
    path = ".github/workflows/" + draw(
        st.sampled_from(["ci.yml", "tests.yaml", "docker-publish.yml"])
    )
    return _finish(draw, "workflow", path, writer.out, comments)


def _strategy(draw: Draw, comments: Comments, anchors: list[tuple[str, str]]) -> Map:
    t = comments.trail
    key = draw(
        st.sampled_from(["python-version", "python-version", "python", "python_version", "py"])
    )
    minors = sorted(draw(st.sets(st.sampled_from(PY_MINORS), min_size=1, max_size=5)))
    values = [f"3.{m}" for m in minors]
    if draw(st.integers(0, 3)) == 0:
        values.append(draw(st.sampled_from(["pypy3.10", "3.13t", "pypy-3.9"])))
    entries = [(value, quote(draw, value)) for value in values]
    shape = draw(st.integers(0, 6))
    if shape <= 2:
        sep = draw(st.sampled_from([", ", ",", " , "]))
        pad = draw(st.sampled_from(["", " "]))
        listing: str | Seq | MultiLineFlow = f"[{pad}{sep.join(text for _, text in entries)}{pad}]"
        comment = t()
    elif shape == 3:
        listing = MultiLineFlow([text + "," for _, text in entries[:-1]] + [entries[-1][1]])
        comment = ""
    else:
        items = []
        for value, text in entries:
            stale = re.fullmatch(STALE_PY, value) is not None
            shape = draw(st.integers(0, 5))
            entry: str | Block = text
            if shape == 0:  # a block scalar: its lines all go with the entry
                entry = Block(draw(st.sampled_from([">-", "|-", ">", "|"])), value)
            elif shape == 1 and anchors:  # through an alias: the list is left, reported
                entry = "*" + anchors[0][0]
            items.append(Item(entry, t(may_vanish=stale)))
        listing = Seq(items)
        comment = t()
    matrix = [Entry(key, listing, comment)]
    if draw(st.booleans()):
        matrix.append(Entry("os", "[ubuntu-latest, windows-latest]", t()))
    for name in draw(st.sampled_from([[], [], ["exclude"], ["include"], ["include", "exclude"]])):
        chosen = draw(st.lists(st.sampled_from(values), min_size=1, max_size=3, unique=True))
        items = []
        for value in chosen:
            version = quote(draw, value)
            others = ["os: windows-latest", "experimental: true"]
            if anchors:  # an entry may end in an alias to an anchor far above it
                others.append(f"experimental: *{anchors[1][0]}")
                if value == anchors[0][1]:
                    version = "*" + anchors[0][0]
            other = draw(st.sampled_from(others))
            if draw(st.integers(0, 3)) == 0:
                items.append(Item(f"{{{key}: {version}, {other}}}"))
            else:
                pair = [Entry(key, version), Entry(*other.split(": "))]
                items.append(Item(Map(pair if draw(st.booleans()) else pair[::-1])))
        matrix.append(Entry(name, Seq(items, quiet=True)))
    strategy = [Entry("matrix", Map(matrix), t())]
    if draw(st.booleans()):
        strategy.insert(0, Entry("fail-fast", "false", t()))
    return Map(strategy)


#: Script lines that name docker-compose as a package or a path, never as the command to run.
SCRIPT_FROZEN = [
    "pip install docker-compose",
    "sudo apt-get install -y docker-compose",
    "curl -L https://example.org/docker-compose-Linux -o /usr/local/bin/docker-compose",
    "chmod +x /usr/local/bin/docker-compose",
]
SCRIPT_LINES = [
    "docker-compose up -d",
    "docker-compose up -d",
    "docker-compose -f docker-compose.yml run --rm web pytest",
    "docker-compose build && docker-compose up -d",
    'echo "$(docker-compose version)"',
    "which docker-compose",
    'echo "using docker-compose.yml"',
    "python -m pip install -r requirements.txt",
    "echo done  # docker-compose v1",
    "# start the stack",
    "",
    *SCRIPT_FROZEN,
]


def _step(draw: Draw, comments: Comments) -> Item:
    t = comments.trail
    shape = draw(st.integers(0, 6))
    entries: list[Entry] = []
    if draw(st.booleans()):
        entries.append(
            Entry(
                "name", draw(st.sampled_from(["Set up", "Start docker-compose stack", "Test"])), t()
            )
        )
    if shape == 0:
        action, low, high = draw(st.sampled_from(ACTIONS))
        ref = f"{action}@v{draw(st.integers(low, high))}" + draw(st.sampled_from(["", "", ".1.2"]))
        if draw(st.integers(0, 5)) == 0:
            ref = f"{action}@{'8f4b7f84864484a7bf31766abe9204da3cbe65b3'}"
        elif draw(st.integers(0, 7)) == 0:
            ref = f"{action}@main"
        entries.append(Entry("uses", quote(draw, ref), t()))
        if draw(st.booleans()):
            entries.append(Entry("with", Map([Entry("fetch-depth", "0", t())]), t()))
    elif shape in (1, 2):
        entries.append(
            Entry("uses", quote(draw, f"actions/setup-python@v{draw(st.integers(2, 5))}"), t())
        )
        value = draw(
            st.one_of(
                st.just("${{ matrix.python-version }}"),
                st.sampled_from(PY_MINORS).map(lambda m: f"3.{m}"),
                st.just("3.x"),
            )
        )
        value = value if value.startswith("$") else quote(draw, value)
        settings_ = [Entry("python-version", value, t())]
        if draw(st.booleans()):
            settings_.append(Entry("cache", "pip", t()))
        entries.append(Entry("with", Map(settings_), t()))
    elif shape == 3:
        command = draw(
            st.sampled_from(
                [
                    "docker-compose up -d",
                    "docker-compose -f docker-compose.yml build",
                    "pytest",
                    '"docker-compose run --rm web pytest"',
                ]
            )
        )
        entries.append(Entry("run", command, t()))
    elif shape == 4:
        script = draw(
            st.lists(
                st.sampled_from(SCRIPT_LINES),
                min_size=1,
                max_size=4,
            )
        )
        if not script[0]:
            script[0] = "true"
        while not script[-1]:
            script.pop()
        comments.frozen.extend(line for line in script if line in SCRIPT_FROZEN)
        entries.append(Entry("run", Literal(draw(st.sampled_from(["|", "|-", ">-"])), script), t()))
    elif shape == 5:
        entries.append(
            Entry("uses", quote(draw, f"docker/build-push-action@v{draw(st.integers(4, 6))}"), t())
        )
        entries.append(
            Entry(
                "with",
                Map([Entry("push", "false", t()), Entry("tags", "user/app:latest", t())]),
                t(),
            )
        )
    else:
        entries.append(Entry("run", "pytest", t()))
        key = draw(st.sampled_from(["PYTHON_VERSION", "DEFAULT_PYTHON"]))
        entries.append(
            Entry(
                "env",
                Map([Entry(key, _python_value(draw, draw(st.sampled_from(PY_MINORS))), t())]),
                t(),
            )
        )
    if draw(st.integers(0, 3)) == 0 and len(entries) > 1:
        entries = entries[1:] + entries[:1]
    return Item(Map(entries))


# ---------------------------------------------------------------------------------------------
# The properties
# ---------------------------------------------------------------------------------------------

_DOCKERFILE_STALE = re.compile(
    rf"python:{STALE_PY}|python{STALE_PY}|^\s*arg\s+\w+=[\"']?{STALE_PY}|^\s*maintainer\s",
    re.IGNORECASE,
)
_COMPOSE_STALE = re.compile(
    r"""^["']?version["']?\s*:|postgres:1[2-5](?!\d)|redis:[1-6](?!\d)"""
    rf"|python:{STALE_PY}|PYTHON_VERSION\s*[:=]\s*['\"]?{STALE_PY}"
)
_KEYS = r"(?<![\w-])(?:python-version|python|python_version|py)"
_ENV = r"\b(?:PYTHON_VERSION|PYTHON|PY_VERSION|DEFAULT_PYTHON|PYTHON_DEFAULT_VERSION)"
_WORKFLOW_STALE = re.compile(
    r"@v[1-9](?![\d])|@8f4b7f84864484a7bf31766abe9204da3cbe65b3"  # below the 2026-12 majors
    rf"|{_KEYS}\s*:\s*['\"]?{STALE_PY}"
    rf"|{_KEYS}\s*:\s*\[.*{STALE_PY}"
    rf"|{_KEYS}\s*:\s*\*py3-(?:8|9|10|11)(?![\w-])"
    rf"|{_ENV}\s*:\s*['\"]?{STALE_PY}"
    rf"|^\s*-\s*['\"]?{STALE_PY}"
    rf"|python:{STALE_PY}|postgres:1[2-5](?!\d)|redis:[1-6](?!\d)"
    r"|^(?!\s*(?:-\s*)?name\s*:).*(?<![\w./-])docker-compose(?![\w.-])"
)
STALE = {"dockerfile": _DOCKERFILE_STALE, "compose": _COMPOSE_STALE, "workflow": _WORKFLOW_STALE}
#: The one kind of line a migration adds: the target entry of a matrix list.
ADDED = re.compile(r"""^\s*-\s*(["'])3\.12\1\s*$""")


@cache
def _run_options() -> tuple[Context, tuple[Migration, ...]]:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / ".git").mkdir()
        resolved = resolve(Path(tmp), Overrides(), tmp)
    return Context(resolved.targets), tuple(resolved.migrations)


def _plan(root: Path, relative: str, kind: str, write: bool) -> Any:
    context, migrations = _run_options()
    candidate = Candidate(str(root / relative), relative, kind)
    return plan_file(candidate, RunOptions(context, migrations, write=write))


def _write(root: Path, relative: str, data: bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _code(line: str) -> str:
    return re.sub(r"\s+#.*$", "", line).rstrip()


def _subtree_end(lines: list[str], head: int) -> int:
    """One past the last line of the YAML node that starts on line ``head``."""
    indent = _indent(lines[head])
    opens_sequence = _code(lines[head]).endswith(":")
    end = head + 1
    position = head + 1
    while position < len(lines):
        line = lines[position]
        if not line.strip() or line.lstrip().startswith("#"):
            position += 1
            continue
        deeper = _indent(line) > indent
        compact_item = _indent(line) == indent and opens_sequence and line.lstrip().startswith("- ")
        if not (deeper or compact_item):
            break
        position += 1
        end = position
    return end


def _inside_removed_entry(lines: list[str], index: int, i1: int, i2: int, stale: re.Pattern[str]):
    """A removed line that belongs to a removed YAML node holding a stale value (an
    include/exclude entry naming a dropped Python, or its whole key)."""
    for head in range(index, i1 - 1, -1):
        if head != index and _indent(lines[head]) >= _indent(lines[index]):
            continue
        end = _subtree_end(lines, head)
        if end <= i2 and any(stale.search(lines[i]) for i in range(head, end)):
            return True
    return False


_BLOCK_ENTRY = re.compile(r"^\s*-\s*[>|][-+]?\s*(?:#.*)?$")
_BLOCK_TEXT = re.compile(rf"^\s*{STALE_PY}\s*$")


def _in_stale_block_entry(lines: list[str], index: int, i1: int, i2: int) -> bool:
    """A changed line of a list entry written as a block scalar (``- >-`` then ``3.9``) whose
    text is a stale Python version: both lines go together."""
    if _BLOCK_ENTRY.match(lines[index]):
        return index + 1 < i2 and _BLOCK_TEXT.match(lines[index + 1]) is not None
    return (
        index > i1
        and _BLOCK_TEXT.match(lines[index]) is not None
        and bool(_BLOCK_ENTRY.match(lines[index - 1]))
    )


_STALE_NAMED = re.compile(rf"(?<![\w.]){STALE_PY}")


def _comment_shape(line: str) -> str:
    """A comment line with the Python versions it names written alike."""
    return re.sub(r"(?<![\w.])3\.(?:8|9|10|11|12)(?![\d])", "3.x", line.strip())


def _restating_comment_above(lines: list[str], index: int, i2: int, stale: re.Pattern[str]) -> bool:
    """A comment line naming a stale Python, in the block of comment lines directly above a
    stale line or a line that changes with it (before ``i2``): it is updated (or removed) with
    the value when it only restates it."""
    if not lines[index].lstrip().startswith("#") or not _STALE_NAMED.search(lines[index]):
        return False
    below = index + 1
    while below < len(lines) and lines[below].lstrip().startswith("#"):
        below += 1
    return below < len(lines) and (below < i2 or stale.search(lines[below]) is not None)


def _unexplained(case: Case, lines: list[str], i1: int, i2: int) -> str | None:
    """The first of the changed lines ``i1:i2`` that holds nothing a migration changes."""
    stale = STALE[case.kind]
    for index in range(i1, i2):
        line = lines[index]
        if stale.search(line):
            continue
        if case.kind == "workflow" and _in_stale_block_entry(lines, index, i1, i2):
            continue
        if case.kind != "dockerfile" and _inside_removed_entry(lines, index, i1, i2, stale):
            continue
        if _restating_comment_above(lines, index, i2, stale):
            continue
        # A removed compose ``version:`` takes the blank lines after it when it opened the
        # file or had a blank line on each side.
        if (
            case.kind == "compose"
            and not line.strip()
            and any(stale.search(other) for other in lines[i1:i2])
        ):
            continue
        return f"line {index + 1} changed but holds nothing stale: {line!r}"
    return None


def _slides(lines: list[str], i1: int, i2: int, low: int, high: int) -> list[tuple[int, int]]:
    """Every placement of a deletion of ``i1:i2`` that yields the same text: with repeated
    lines around it, a diff may show either copy as the one removed."""
    found = [(i1, i2)]
    a, b = i1, i2
    while a > low and lines[a - 1] == lines[b - 1]:
        a, b = a - 1, b - 1
        found.append((a, b))
    a, b = i1, i2
    while b < high and lines[a] == lines[b]:
        a, b = a + 1, b + 1
        found.append((a, b))
    return found


def _check_lines(case: Case, before: str, after: str) -> None:
    old = before.split("\n")
    new = after.split("\n")
    old_plain = [line.rstrip("\r") for line in old]
    new_plain = [line.rstrip("\r") for line in new]
    matcher = difflib.SequenceMatcher(None, old_plain, new_plain, autojunk=False)
    opcodes = matcher.get_opcodes()
    if len(old_plain) == len(new_plain):
        # No line added or removed: line n became line n. (A diff may pair a line with an equal
        # one further down and show the changed one as added; in-place edits never add one.)
        paired = [
            ("replace", index, index + 1, index, index + 1)
            for index, (a, b) in enumerate(zip(old_plain, new_plain, strict=True))
            if a != b
        ]
        if all(_unexplained(case, old_plain, i1, i2) is None for _t, i1, i2, _j1, _j2 in paired):
            opcodes = [("equal", 0, 0, 0, 0), *paired]
    # difflib pairs a repeated line with its first copy: ``A A`` -> ``B A`` reads as "B added,
    # second A removed". Matching from the end pairs it with the last copy; one of the two
    # alignments must explain every change.
    try:
        _check_opcodes(case, old_plain, new_plain, opcodes)
    except AssertionError:
        backwards = difflib.SequenceMatcher(
            None, old_plain[::-1], new_plain[::-1], autojunk=False
        ).get_opcodes()
        n, m = len(old_plain), len(new_plain)
        mirrored = [(tag, n - i2, n - i1, m - j2, m - j1) for tag, i1, i2, j1, j2 in backwards]
        _check_opcodes(case, old_plain, new_plain, mirrored[::-1])
    # Newlines: every line keeps the file's style; the final-newline status stays. One case
    # cannot have both: when the lines removed at the end of a file without a final newline
    # follow a blank line, keeping "no final newline" would also take that blank line, which no
    # migration declares; ending the file with the blank line's newline is the byte-minimal edit.
    if after.endswith("\n") != before.endswith("\n"):
        tag, _i1, i2, _j1, _j2 = opcodes[-1]
        forced = tag == "delete" and i2 == len(old_plain) and new_plain[-1] == ""
        assert not before.endswith("\n") and forced, "the final-newline status changed"
    if case.newline == "\r\n":
        assert after.count("\n") == after.count("\r\n"), "a bare LF in a CRLF file"
    else:
        assert "\r" not in after, "a CR in an LF file"
    assert BOM not in after
    # Comments: own-line comments all stay, but for the Python version one names (updated with
    # the value it restates, or gone with the line it stood above); trailing comments stay
    # unless their line went.
    own = Counter(_comment_shape(line) for line in old_plain if line.lstrip().startswith("#"))
    kept = Counter(_comment_shape(line) for line in new_plain if line.lstrip().startswith("#"))
    assert not kept - own, f"comments appeared: {sorted(kept - own)}"
    assert all("3.x" in shape for shape in own - kept), f"comments lost: {sorted(own - kept)}"
    for comment, may_vanish in case.trailing.items():
        count = after.count(comment)
        assert count <= 1 if may_vanish else count == 1, f"trailing comment lost: {comment!r}"
    old_counts = Counter(line.strip() for line in old_plain)
    new_counts = Counter(line.strip() for line in new_plain)
    for line in case.frozen:
        assert new_counts[line] == old_counts[line], (
            f"a line no migration may touch changed: {line!r}"
        )


def _check_opcodes(
    case: Case,
    old_plain: list[str],
    new_plain: list[str],
    opcodes: list[tuple[str, int, int, int, int]],
) -> None:
    for position, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            continue
        if tag == "insert":
            for line in new_plain[j1:j2]:
                assert ADDED.match(line), f"line added without a stale line: {line!r}"
            continue
        placements = [(i1, i2)]
        if tag == "delete":
            low = (
                opcodes[position - 1][1] if position and opcodes[position - 1][0] == "equal" else i1
            )
            following = opcodes[position + 1] if position + 1 < len(opcodes) else None
            high = following[2] if following and following[0] == "equal" else i2
            placements = _slides(old_plain, i1, i2, low, high)
        problems = [_unexplained(case, old_plain, a, b) for a, b in placements]
        assert None in problems, problems[0]


def _check_reparse(case: Case, before: str, after: str) -> None:
    if case.kind == "dockerfile":
        # A MAINTAINER goes where its own stage has a maintainer label, else becomes a LABEL.
        expected = []
        stage = 0
        for name in [i.name for i in dockerfile.parse(before).instructions]:
            if name == "FROM":
                stage += 1
            if name != "MAINTAINER":
                expected.append(name)
            elif stage not in case.labelled_stages:
                expected.append("LABEL")
        assert [i.name for i in dockerfile.parse(after).instructions] == expected
    else:
        roots = [root for root in YAML(typ="rt").compose_all(after) if root is not None]
        assert len(roots) == 1


def _git_apply(tmp: Path, case: Case, patch: str) -> bytes:
    """The input with ``patch`` applied by ``git apply`` outside any repository."""
    plain = tmp / "plain"
    patched = _write(plain, case.path, case.data)
    subprocess.run(
        ["git", "apply", "--whitespace=nowarn", "-"],
        input=patch.encode("utf-8"),
        cwd=plain,
        check=True,
        capture_output=True,
        env={**os.environ, "GIT_CEILING_DIRECTORIES": str(tmp)},
    )
    return patched.read_bytes()


def _fail_on_error(case: Case, outcome: Any) -> None:
    if outcome.status in ("changed", "unchanged"):
        return
    if case.kind != "dockerfile":
        list(YAML(typ="rt").compose_all(case.text))  # a generator bug if this raises
    raise AssertionError(f"{outcome.status}: {outcome.findings or outcome.reason}")


def _check_text_tests(case: Case) -> None:
    """A migration whose text test passes over the file would have found nothing in it."""
    context, migrations = _run_options()
    document = Document(case.path, case.kind, case.text)
    for migration in migrations:
        if case.kind in migration.kinds and not migration.may_touch(case.text, context):
            assert list(migration.migrate(document, context)) == [], migration.id


def check_case(case: Case) -> None:
    assert classify(case.path) == case.kind
    note(f"input:\n{case.data!r}")
    _check_text_tests(case)
    before = case.text
    # Small files take the command-line route (a dry run, then its diff through git apply);
    # the others are dry-run in-process. Either way the dry run must leave the file alone.
    small = len(case.data) <= CLI_CHECK_MAX_CHARS
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        repo = tmp / "repo"
        path = _write(repo, case.path, case.data)
        (repo / ".git").mkdir()  # keeps configuration lookup inside the directory
        if small:
            dry_run = run_cli(["apply", "--dry-run", "-q"], repo)
            if dry_run.errors:
                _fail_on_error(case, Outcome(case.path, case.kind, "failed", reason=dry_run.stderr))
            assert dry_run.exit_code in (0, 1), dry_run.stderr
        else:
            dry = _plan(repo, case.path, case.kind, write=False)
            _fail_on_error(case, dry)
        assert path.read_bytes() == case.data, "the dry run wrote to the file"
        applied = _plan(repo, case.path, case.kind, write=True)
        _fail_on_error(case, applied)
        output = path.read_bytes()
        note(f"output:\n{output!r}")
        assert (applied.status == "changed") == (output != case.data)
        # An outcome keeps the bytes of a changed file only.
        assert output == (applied.updated if applied.status == "changed" else case.data)
        if small:
            if output == case.data:
                assert (dry_run.exit_code, dry_run.stdout) == (0, "")
            else:
                assert dry_run.exit_code == 1
                assert _git_apply(tmp, case, dry_run.stdout) == output
        else:
            assert dry.status == applied.status
            assert (dry.updated if dry.status == "changed" else case.data) == output
        assert output.startswith(BOM.encode()) == case.bom
        after = output.decode("utf-8").removeprefix(BOM)
        _check_reparse(case, before, after)
        _check_lines(case, before, after)
        again = _plan(repo, case.path, case.kind, write=False)
        assert again.status == "unchanged", (again.status, again.findings, again.edits)
        assert path.read_bytes() == output


@SETTINGS
@given(dockerfiles())
def test_dockerfiles(case: Case) -> None:
    check_case(case)


@SETTINGS
@given(compose_files())
def test_compose_files(case: Case) -> None:
    check_case(case)


@SETTINGS
@given(workflows())
def test_workflows(case: Case) -> None:
    check_case(case)
