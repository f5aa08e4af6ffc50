"""Deterministic synthetic repositories for ``benchmarks/bench.py``.

``stale_monorepo`` builds the throughput tree: per service a multi-stage Dockerfile, a compose
file with a postgres data volume and anchors, and a workflow, all below the default targets,
plus plain source files. ``current_monorepo`` builds the no-op tree: the same kinds of files,
already at the targets, among many more plain files. The same seed gives the same bytes.
"""

from __future__ import annotations

import random
from pathlib import Path

# The current tree is at the standard this release of modernize holds.
from modernize.targets import DEFAULT_ACTIONS

OLD_PYTHONS = ("3.8", "3.9", "3.10", "3.11")
OLD_POSTGRES = ("12", "13", "14", "15")
VARIANTS = ("-slim", "-slim-bookworm", "", "-bookworm")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="")


def stale_dockerfile(rng: random.Random, name: str) -> str:
    python = rng.choice(OLD_PYTHONS)
    variant = rng.choice(VARIANTS)
    return f"""\
# syntax=docker/dockerfile:1
# {name}: build stage
ARG PYTHON_VERSION={python}
FROM python:${{PYTHON_VERSION}}{variant} AS builder
MAINTAINER Platform Team <platform@example.org>
WORKDIR /src
COPY requirements.txt .
RUN pip install --no-cache-dir --prefix=/install -r requirements.txt \\
    && rm -rf /root/.cache
COPY . .
RUN python -m compileall -q app

FROM python:{python}{variant} AS runtime
COPY --from=builder /install /usr/local
COPY --from=builder /src/app /app
RUN useradd --create-home app
USER app
ENV PYTHONUNBUFFERED=1
EXPOSE 8000
HEALTHCHECK CMD python{python} -c "import urllib.request; urllib.request.urlopen('http://localhost:8000/health')"
CMD ["python", "-m", "app"]
"""


def stale_compose(rng: random.Random, name: str) -> str:
    postgres = rng.choice(OLD_POSTGRES)
    return f"""\
# Local development stack for {name}
version: "3.8"

x-common: &common
  restart: unless-stopped
  environment: &env
    LOG_LEVEL: info
    DATABASE_URL: postgres://app:app@db:5432/{name}

services:
  app:
    <<: *common
    build: .
    ports:
      - "8000:8000"
    depends_on:
      - db
  worker:
    <<: *common
    build: .
    command: ["python", "-m", "app.worker"]
    environment:
      <<: *env
      QUEUE: default
  db:
    image: postgres:{postgres}-alpine
    environment:
      POSTGRES_USER: app
      POSTGRES_PASSWORD: app
      POSTGRES_DB: {name}
    volumes:
      - pgdata:/var/lib/postgresql/data
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U app"]
      interval: 5s

volumes:
  pgdata: {{}}
"""


def stale_workflow(rng: random.Random, name: str) -> str:
    python = rng.choice(OLD_PYTHONS)
    postgres = rng.choice(OLD_POSTGRES)
    checkout = rng.choice(("v2", "v3"))
    setup = rng.choice(("v3", "v4"))
    return f"""\
name: {name}
on:
  push:
    paths: ["services/{name}/**"]
  pull_request:

env:
  PYTHON_VERSION: {python}

jobs:
  test:
    runs-on: ubuntu-latest
    services:
      db:
        image: postgres:{postgres}
        env:
          POSTGRES_PASSWORD: test
    strategy:
      matrix:
        python-version: ["{python}", "3.11", "3.12"]
    steps:
      - uses: actions/checkout@{checkout}
      - uses: actions/setup-python@{setup}
        with:
          python-version: ${{{{ matrix.python-version }}}}
      - uses: actions/cache@v3
        with:
          path: ~/.cache/pip
          key: pip-${{{{ hashFiles('services/{name}/requirements.txt') }}}}
      - run: pip install -r services/{name}/requirements.txt
      - run: docker-compose -f services/{name}/docker-compose.yml up -d db
      - run: python -m pytest services/{name}
"""


def plain_files(rng: random.Random, name: str, count: int) -> dict[str, str]:
    """Source files no default migration reads (Python is opt-in, the rest never read)."""
    files: dict[str, str] = {"README.md": f"# {name}\n\nRun `make up`.\n"}
    files["requirements.txt"] = "fastapi==0.110.0\nuvicorn==0.29.0\npsycopg==3.1.18\n"
    suffixes = (".py", ".py", ".py", ".json", ".md", ".ts", ".txt", ".sql")
    index = 0
    while len(files) < count:
        suffix = suffixes[index % len(suffixes)]
        body = "\n".join(
            f"line {rng.randrange(10**6)} of {name}" for _ in range(rng.randint(5, 40))
        )
        files[f"app/module_{index // 50}/file_{index}{suffix}"] = body + "\n"
        index += 1
    return files


STALE_TOX = """\
[tox]
envlist = py{310,311,312}, lint

[testenv:lint]
basepython = python3.10
commands = ruff check .
"""

STALE_MANIFEST = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {name}-db
spec:
  template:
    spec:
      containers:
        - name: app
          image: python:3.10-slim
        - name: db
          image: postgres:14
          volumeMounts:
            - name: data
              mountPath: /var/lib/postgresql/data
"""

STALE_README = """\
# {name}

Requires Python 3.10 or later.

    python3.10 -m venv .venv
"""

CURRENT_TOX = """\
[tox]
envlist = py312, py313, lint

[testenv:lint]
basepython = python3.12
"""

CURRENT_MANIFEST = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  template:
    spec:
      containers:
        - name: app
          image: python:3.12-slim
"""

CURRENT_README = """\
# {name}

Requires Python 3.12 or later.
"""

#: Files of the kinds told by their content, that name no version: the prefilter passes them.
UNVERSIONED_YAML = "settings:\n  retries: 3\n  log_level: info\n"
UNVERSIONED_NOTICE = "This service is part of the monorepo; see the top README.\n"


def _content_kinds(base: Path, name: str, current: bool) -> int:
    """Files of the kinds the repository-wide claims added: tox.ini, a Kubernetes manifest,
    a README, and two told by their content that name no version (a YAML file, a file without
    a dot). Returns how many."""
    _write(base / "tox.ini", CURRENT_TOX if current else STALE_TOX)
    manifest = CURRENT_MANIFEST if current else STALE_MANIFEST
    _write(base / "k8s" / "deploy.yaml", manifest.format(name=name))
    _write(base / "README.md", (CURRENT_README if current else STALE_README).format(name=name))
    _write(base / "config" / "settings.yaml", UNVERSIONED_YAML)
    _write(base / "NOTICE", UNVERSIONED_NOTICE)
    return 5


def stale_monorepo(
    root: Path, services: int = 700, plain_per_service: int = 4, seed: int = 1
) -> int:
    """The throughput tree; returns the number of files written."""
    rng = random.Random(seed)
    written = 0
    _write(root / ".gitignore", "__pycache__/\n*.pyc\n.venv/\n")
    for number in range(services):
        name = f"svc-{number:04d}"
        base = root / "services" / name
        _write(base / "Dockerfile", stale_dockerfile(rng, name))
        _write(base / "docker-compose.yml", stale_compose(rng, name))
        _write(root / ".github" / "workflows" / f"{name}.yml", stale_workflow(rng, name))
        written += 3 + _content_kinds(base, name, current=False)
        for relative, text in plain_files(rng, name, plain_per_service).items():
            _write(base / relative, text)
            written += 1
    return written + 1


CURRENT_DOCKERFILE = """\
# syntax=docker/dockerfile:1
FROM python:3.12-slim AS builder
WORKDIR /src
COPY requirements.txt .
RUN pip install --no-cache-dir --prefix=/install -r requirements.txt
COPY . .

FROM python:3.12-slim
LABEL maintainer="Platform Team <platform@example.org>"
COPY --from=builder /install /usr/local
COPY --from=builder /src/app /app
USER nobody
HEALTHCHECK CMD python -c "import urllib.request as r; r.urlopen('http://localhost:8000/')"
CMD ["python", "-m", "app"]
"""

CURRENT_COMPOSE = """\
x-common: &common
  restart: unless-stopped

services:
  app:
    <<: *common
    build: .
    depends_on: [db]
  db:
    image: postgres:16-alpine
    volumes:
      - pgdata:/var/lib/postgresql/data
    healthcheck:
      test: ["CMD-SHELL", "pg_isready"]

volumes:
  pgdata: {}
"""

CURRENT_WORKFLOW = """\
name: {name}
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python-version: ["3.12", "3.13"]
    steps:
      - uses: actions/checkout@v{checkout}
      - uses: actions/setup-python@v{setup}
        with:
          python-version: ${{{{ matrix.python-version }}}}
      - run: docker compose -f services/{name}/docker-compose.yml up -d db
      - run: python -m pytest services/{name}
"""

CURRENT_MAKEFILE = """\
.PHONY: help install lint test ci up
help:
\t@echo "make install lint test ci up"
install:
\tpip install -e .
lint:
\truff check .
test:
\tpython -m pytest
ci: lint test
up:
\tdocker compose up -d
"""

CURRENT_PYPROJECT = """\
[project]
name = "{name}"
version = "1.0.0"
requires-python = ">=3.12"
classifiers = ["Programming Language :: Python :: 3.12"]

[tool.ruff]
target-version = "py312"
"""


def current_monorepo(root: Path, files: int = 50_000, services: int = 250, seed: int = 2) -> int:
    """The no-op tree: ``services`` services with a Dockerfile, compose file, Makefile,
    pyproject.toml and workflow each, all current, padded with plain files to ``files``."""
    rng = random.Random(seed)
    _write(root / ".gitignore", "__pycache__/\n*.pyc\n.venv/\nnode_modules/\n")
    written = 1
    per_service = (files - written) // services
    for number in range(services):
        name = f"svc-{number:04d}"
        base = root / "services" / name
        _write(base / "Dockerfile", CURRENT_DOCKERFILE)
        _write(base / "docker-compose.yml", CURRENT_COMPOSE)
        _write(base / "Makefile", CURRENT_MAKEFILE)
        _write(base / "pyproject.toml", CURRENT_PYPROJECT.format(name=name))
        workflow = CURRENT_WORKFLOW.format(
            name=name,
            checkout=DEFAULT_ACTIONS["actions/checkout"],
            setup=DEFAULT_ACTIONS["actions/setup-python"],
        )
        _write(root / ".github" / "workflows" / f"{name}.yml", workflow)
        written += 5 + _content_kinds(base, name, current=True)
        count = per_service - 10 if number < services - 1 else files - written
        for relative, text in plain_files(rng, name, count).items():
            _write(base / relative, text)
        written += count
    return written


def big_compose(services: int) -> str:
    """One compose file of ``services`` stale services (python and postgres images, a data
    volume each), for the big-file benchmark."""
    lines = ['version: "3.8"', "services:"]
    for number in range(services):
        if number % 2:
            lines += [
                f"  db{number}:",
                "    image: postgres:14-alpine",
                "    volumes:",
                f"      - data{number}:/var/lib/postgresql/data",
            ]
        else:
            lines += [f"  app{number}:", "    image: python:3.10-slim", "    command: [python]"]
    lines.append("volumes:")
    lines += [f"  data{number}: {{}}" for number in range(1, services, 2)]
    return "\n".join(lines) + "\n"


def big_workflow(lines: int) -> str:
    """One workflow of about ``lines`` lines: jobs with old action majors and Pythons."""
    out = ["name: big", "on: [push]", "jobs:"]
    number = 0
    while len(out) < lines:
        out += [
            f"  job{number}:",
            "    runs-on: ubuntu-latest",
            "    steps:",
            "      - uses: actions/checkout@v3",
            "      - uses: actions/setup-python@v4",
            "        with:",
            "          python-version: '3.10'",
            f"      - run: docker-compose run --rm test{number}",
        ]
        number += 1
    return "\n".join(out) + "\n"
