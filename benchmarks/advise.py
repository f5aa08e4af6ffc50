"""How long ``modernize advise`` takes on a Django-style repository of a few hundred Python files.

Usage:
    python benchmarks/advise.py [--files N] [--repeat N]

The repository is generated: a project on Python 3.10 and postgres 14 (pyproject, Dockerfile,
compose file with a data volume, requirements, init SQL) with N Python modules of about 120
lines each (models, views, tests), a few of which hold hazards. It times, interleaved and best
of ``--repeat``:

- the floor: a process that imports what any run needs (click, yaml) and reads and
  ``ast``-parses every Python file once: what reading the code costs at the least;
- ``modernize advise``.

With ``--words``, every module also imports ``asyncio`` and ``ssl`` (common in real code), so
that the word filter lets every file through to ``ast``: the worst case.

Goal: under one second for 300 files, and at most 3x the floor. Nothing here is a test: it
only reports.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_SECONDS = 1.0
GOAL_RATIO = 3.0

_MODULE = '''"""Module {index} of the shop: models, views and helpers."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from decimal import Decimal

log = logging.getLogger(__name__)

{hazard}


@dataclass
class Item{index}:
    name: str
    price: Decimal
    tags: list[str] = field(default_factory=list)

    def as_json(self) -> str:
        return json.dumps({{"name": self.name, "price": str(self.price), "tags": self.tags}})

    def discounted(self, percent: int) -> Decimal:
        if not 0 <= percent <= 100:
            raise ValueError(percent)
        return self.price * (100 - percent) / 100

'''
_FUNCTION = '''
def helper_{index}_{number}(items: list[Item{index}], limit: int = 10) -> list[str]:
    """Names of the cheapest items, at most ``limit``."""
    ranked = sorted(items, key=lambda item: item.price)
    names = []
    for item in ranked[:limit]:
        log.debug("item %s", item.name)
        names.append(item.name.title())
    return names
'''
_HAZARDS = ("import imp", "from distutils.util import strtobool", "import pkg_resources")


def generate(root: Path, files: int, words: bool = False) -> None:
    (root / "shop").mkdir(parents=True)
    (root / "db").mkdir()
    (root / "pyproject.toml").write_text(
        '[project]\nname = "shop"\nversion = "1.0"\nrequires-python = ">=3.10"\n'
        'dependencies = ["django>=4.2", "psycopg2-binary==2.9.5"]\n'
    )
    (root / "Dockerfile").write_text(
        "FROM python:3.10-slim\nCOPY . /app\nRUN pip install /app\nUSER nobody\n"
    )
    (root / "compose.yaml").write_text(
        "services:\n  db:\n    image: postgres:14\n    volumes:\n"
        "      - pgdata:/var/lib/postgresql/data\nvolumes:\n  pgdata:\n"
    )
    (root / "db" / "init.sql").write_text(
        "CREATE USER shop PASSWORD 'x';\nCREATE DATABASE shop;\n"
        "GRANT ALL ON DATABASE shop TO shop;\n"
    )
    (root / "requirements.txt").write_text("numpy==1.24.4\nrequests==2.31.0\n")
    for index in range(files):
        hazard = _HAZARDS[index // 100 % len(_HAZARDS)] if index % 100 == 0 else ""
        body = _MODULE.format(index=index, hazard=hazard)
        if words:
            body = body.replace("import json\n", "import asyncio\nimport json\nimport ssl\n", 1)
        body += "".join(_FUNCTION.format(index=index, number=n) for n in range(8))
        folder = root / "shop" / f"app{index // 50}"
        folder.mkdir(exist_ok=True)
        (folder / f"module_{index}.py").write_text(body)


_FLOOR = """
import ast, os, sys
import click, yaml
for folder, _dirs, names in os.walk(sys.argv[1]):
    for name in names:
        if name.endswith(".py"):
            with open(os.path.join(folder, name), encoding="utf-8") as file:
                ast.parse(file.read())
"""


def _time(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--words", action="store_true", help="every module names a hazard word")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "shop"
        generate(root, options.files, options.words)
        floor_command = [sys.executable, "-c", _FLOOR, str(root)]
        tool_command = [sys.executable, "-m", "modernize", "advise", "-j", "1", "."]
        found = subprocess.run(tool_command, cwd=root, capture_output=True, text=True)
        floors, tools = [], []
        for _ in range(options.repeat):
            floors.append(_time(floor_command, root))
            tools.append(_time(tool_command, root))
    floor, tool = min(floors), min(tools)
    ratio = tool / floor
    verdict = "PASS" if tool < GOAL_SECONDS and ratio <= GOAL_RATIO else "MISS"
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"{options.files} Python files; advise found {len(found.stdout.splitlines())} hazards")
    print(f"floor (import click, yaml; read and ast-parse every file): {floor * 1000:.0f} ms")
    print(f"modernize advise: {tool * 1000:.0f} ms = {ratio:.2f}x the floor")
    print(f"goal: under {GOAL_SECONDS:.0f} s and at most {GOAL_RATIO:.0f}x: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
