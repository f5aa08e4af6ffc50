"""The floors ``benchmarks/bench.py`` measures modernize against: no migration, only I/O.

    python benchmarks/baseline.py parse ROOT   the floor: walk ROOT, read every candidate file
                                               and parse it once with the parsers modernize
                                               itself uses: PyYAML's C composer (libyaml) for
                                               YAML, tomllib for pyproject.toml, configparser
                                               for tox.ini, modernize's own Dockerfile scanner
    python benchmarks/baseline.py ruamel ROOT  the same with ruamel.yaml's round-trip composer
                                               for YAML (a second reference: a tool that
                                               round-trips with ruamel pays this)
    python benchmarks/baseline.py ls ROOT      ``git ls-files`` in ROOT, then read every
                                               candidate file (no parsing)
    python benchmarks/baseline.py two ROOT N   the parsing of the floor N times over, in one
                                               process and then shared by two (POSIX: fork);
                                               prints both times in seconds: what two
                                               processes can gain on this machine

Candidates are the files modernize's default migrations read, by the same names. One process,
as a straightforward script would be.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

_COMPOSE = re.compile(r"^(docker-)?compose([.-][\w.-]+)?\.ya?ml$")
_SKIPPED = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", ".tox", ".nox"}


def kind_of(relative: str) -> str | None:
    parts = relative.split("/")
    name = parts[-1]
    lower = name.lower()
    if name in ("Dockerfile", "Containerfile") or name.startswith("Dockerfile."):
        return "dockerfile"
    if name == "tox.ini":
        return "ini"
    if name in ("README.md", "NOTICE"):
        return "text"  # read for notes, or to be passed over
    if lower.endswith((".yml", ".yaml")):
        if _COMPOSE.match(name) or parts[-3:-1] == [".github", "workflows"]:
            return "yaml"
        if "k8s" in parts:
            return "yaml"  # a Kubernetes manifest
        if "config" in parts:
            return "text"  # YAML that may be a manifest: read, passed over
        if lower in ("action.yml", "action.yaml", "render.yaml", "render.yml"):
            return "yaml"
        return None
    if name in ("Makefile", "makefile", "GNUmakefile") or lower.endswith(".mk"):
        return "text"
    if name == "pyproject.toml":
        return "toml"
    if name in (".python-version", "runtime.txt"):
        return "text"
    return None


def walk(root: Path) -> list[str]:
    found = []
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d not in _SKIPPED)
        base = os.path.relpath(directory, root)
        for name in sorted(files):
            found.append(name if base == "." else f"{base}/{name}".replace(os.sep, "/"))
    return found


def parsers(ruamel: bool = False) -> dict[str, Callable[[str], object]]:
    """Each candidate kind's parse, with the parsers modernize itself uses."""
    import configparser

    from modernize.formats import dockerfile

    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib
    if ruamel:
        from ruamel.yaml import YAML

        compose = YAML(typ="rt").compose
    else:
        import yaml as pyyaml

        loader = getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader)

        def compose(text: str) -> object:
            return pyyaml.compose(text, Loader=loader)

    def ini(text: str) -> object:
        configparser.RawConfigParser(interpolation=None).read_string(text)
        return None

    return {
        "yaml": compose,
        "dockerfile": dockerfile.parse,
        "toml": tomllib.loads,
        "ini": ini,
        "text": lambda text: None,
    }


def read_candidates(root: Path) -> Iterator[tuple[str, str]]:
    """``(kind, text)`` of each candidate under ``root``, read as the walk finds it."""
    for relative in walk(root):
        kind = kind_of(relative)
        if kind is not None:
            yield kind, (root / relative).read_text(encoding="utf-8")


def parse_all(root: Path, ruamel: bool = False) -> int:
    parse = parsers(ruamel)
    parsed = 0
    for kind, text in read_candidates(root):
        parse[kind](text)
        parsed += 1
    return parsed


def two_processes(root: Path, rounds: int) -> tuple[float, float]:
    """The machine's ceiling for two processes on this kind of work: the floor's parsing of
    every candidate (read once beforehand), ``rounds`` times over, in one process and then
    shared by two (this one and a forked child, as ``-j 2`` shares a run), in seconds."""
    parse = parsers()
    texts = list(read_candidates(root))

    def work(share: list[tuple[str, str]]) -> None:
        for _ in range(rounds):
            for kind, text in share:
                parse[kind](text)

    started = time.perf_counter()
    work(texts)
    one = time.perf_counter() - started
    started = time.perf_counter()
    child = os.fork()
    if child == 0:  # the child takes every other file
        work(texts[1::2])
        os._exit(0)
    work(texts[0::2])
    os.waitpid(child, 0)
    return one, time.perf_counter() - started


def list_and_read(root: Path) -> int:
    listing = subprocess.run(
        ["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True
    ).stdout.decode("utf-8")
    read = 0
    for relative in listing.split("\0"):
        if relative and kind_of(relative) is not None:
            (root / relative).read_bytes()
            read += 1
    return read


def main() -> None:
    mode, root = sys.argv[1], Path(sys.argv[2])
    if mode == "two":
        one, two = two_processes(root, int(sys.argv[3]))
        print(f"{one:.4f} {two:.4f}")
        return
    if mode in ("parse", "ruamel"):
        count = parse_all(root, ruamel=mode == "ruamel")
    else:
        count = list_and_read(root)
    print(f"{count} files", file=sys.stderr)


if __name__ == "__main__":
    main()
