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

Candidates are the files modernize's default migrations read, by the same names. One process,
as a straightforward script would be.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
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


def parse_all(root: Path, ruamel: bool = False) -> int:
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

    parsed = 0
    for relative in walk(root):
        kind = kind_of(relative)
        if kind is None:
            continue
        text = (root / relative).read_text(encoding="utf-8")
        if kind == "yaml":
            compose(text)
        elif kind == "dockerfile":
            dockerfile.parse(text)
        elif kind == "toml":
            tomllib.loads(text)
        elif kind == "ini":
            import configparser

            configparser.RawConfigParser(interpolation=None).read_string(text)
        parsed += 1
    return parsed


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
    if mode in ("parse", "ruamel"):
        count = parse_all(root, ruamel=mode == "ruamel")
    else:
        count = list_and_read(root)
    print(f"{count} files", file=sys.stderr)


if __name__ == "__main__":
    main()
