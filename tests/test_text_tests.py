"""The text tests that let ``apply`` pass over a file unparsed never miss anything.

Each migration's ``touches(text, context)`` may say no only when its ``migrate`` yields
nothing for that text. Checked here on every fixture, corpus and example file, under the
default targets and a few others (the generated files of test_properties check it too).
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from packaging.version import Version

from modernize.errors import ParseError
from modernize.formats.document import Document
from modernize.registry import Context, load_migrations
from modernize.targets import DEFAULT_ACTIONS, Targets
from modernize.workspace.files import classify

TESTS = Path(__file__).parent
TREES = [TESTS / "fixtures", TESTS / "corpus", TESTS / "data", TESTS.parent / "examples"]
TARGETS = [
    Targets(python=Version(python), postgres=postgres, actions=DEFAULT_ACTIONS, redis=redis)
    for python, postgres, redis in (
        ("3.12", 16, 7),
        ("3.13", 17, 8),
        ("3.10", 18, 6),
        ("3.14", 15, 9),
    )
]


def _files() -> list[tuple[Path, str]]:
    found = []
    for tree in TREES:
        for path in sorted(tree.rglob("*")):
            kind = classify(path.as_posix())
            if kind is not None and path.is_file():
                found.append((path, kind))
    return found


FILES = _files()


def test_there_are_files_of_every_kind_a_text_test_serves() -> None:
    kinds = {kind for _, kind in FILES}
    for migration in load_migrations():
        if migration.touches is not None:
            assert migration.kinds & kinds, migration.id


#: Each test of it runs once for every file of ``FILES``.
EACH_FILE = pytest.mark.parametrize(
    ("path", "kind"), FILES, ids=[str(path.relative_to(TESTS.parent)) for path, _ in FILES]
)


def _utf8(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None


def _text_of(path: Path) -> str:
    """The file's text as ``apply`` reads it (no BOM); a file not in UTF-8 is skipped."""
    text = _utf8(path)
    if text is None:
        pytest.skip("not UTF-8")
    return text.removeprefix("\ufeff")


@EACH_FILE
def test_a_text_test_never_misses(path: Path, kind: str) -> None:
    text = _text_of(path)
    document = Document(path.name, kind, text)
    try:
        document.parse()
    except ParseError:
        pytest.skip("does not parse")
    for targets in TARGETS:
        context = Context(targets)
        for migration in load_migrations():
            if kind in migration.kinds and not migration.may_touch(text, context):
                found = list(migration.migrate(document, context))
                assert found == [], (migration.id, targets)


def _still_built(image: str, version: str, frozen: str) -> str:
    """A variant of ``image`` ``version`` still built, of the same kind as ``frozen`` (one no
    longer built), as the knowledge has it now."""
    from modernize.rules.variants import check_variant

    check = check_variant(image, version, f"-{frozen}")
    assert check is not None and check.status == "frozen" and check.choices, check
    return check.choices[-1]


_SEARCHED = [
    "image: postgres:16-alpine postgres:14\nPOSTGRES_DB: x postgresql://a:16/b",
    "postgrespostgres:16 timescaledb/timescaledb-ha:pg16 postgis/postgis:16-3.4:16-bullseye",
    "FROM PYTHON:3.12-SLIM-BULLSEYE\nFROM python:3.12:3.12-bookworm python:3.12.4-alpine3.18",
    "python:3.12python:3.12-slim-bullseye,python:3.12-trixie :3.12 x:3.12-a",
    'x: "a\\b" "c" y:"d\\e" [ "f\\ docker-compose up a/docker-compose docker-compose.yml',
    "=docker-compose docker-composedocker-compose PYTHON:${PY}-slim ::python:3",
    "",
]


def _texts() -> list[str]:
    read = (_utf8(path) for path, _kind in FILES)
    return [*_SEARCHED, *(text for text in read if text is not None)]


def _searches() -> list[tuple[str, int, re.Pattern[str]]]:
    """Each pattern a text test tries only where its needle is, with the needle and where the
    needle is in a match."""
    from modernize.formats.shell import command_word
    from modernize.rules.textcheck import _YAML_ESCAPE
    from modernize.rules.variants import _at_version

    base_image = importlib.import_module("modernize.migrations.0010_python_base_image")
    found = [
        (f":{version}", len(name), _at_version(name, version))
        for name, version in (("python", "3.12"), ("postgres", "16"), ("postgres", "14"))
    ]
    found.append((":", len("python"), base_image._PYTHON_TAG))
    found.append(('"', 0, _YAML_ESCAPE))
    found.append(("docker-compose", 0, command_word("docker-compose")))
    return found


def test_the_matches_found_where_the_needle_is_are_the_ones_the_search_finds() -> None:
    from modernize.rules.textcheck import matches_where

    for needle, offset, pattern in _searches():
        for text in _texts():
            found = matches_where(text, needle, offset, pattern)
            assert [m.span() for m in found] == [m.span() for m in pattern.finditer(text)]


class _TargetsOnly:
    """A context with the targets and nothing else: what a text test may read."""

    def __init__(self, targets: Targets) -> None:
        self.targets = targets


@EACH_FILE
def test_a_text_test_reads_only_the_targets(path: Path, kind: str) -> None:
    # The workers give files the text tests while the tree is walked, before the survey.
    text = _text_of(path)
    for migration in load_migrations():
        if kind in migration.kinds and migration.touches is not None:
            for targets in TARGETS:
                bare = migration.touches(text, _TargetsOnly(targets))  # type: ignore[arg-type]
                assert bare is migration.may_touch(text, Context(targets)), migration.id


@pytest.mark.parametrize(
    ("text", "name", "version", "expected"),
    [
        ("FROM python:3.12-slim-bullseye\n", "python", "3.12", True),
        ("FROM python:3.12.4-slim-bullseye AS app\n", "python", "3.12", True),
        ("image: postgres:16.4-alpine3.20\n", "postgres", "16", True),
        ("FROM PYTHON:3.12-SLIM-BULLSEYE\n", "python", "3.12", True),
        # Zeros before a number: the tag's parser reads 3.012 as 3.12.
        ("FROM python:3.012-slim-bullseye\n", "python", "3.12", True),
        ("FROM python:03.12-windowsservercore-ltsc2022\n", "python", "3.12", True),
        ("image: postgres:016-bullseye\n", "postgres", "16", True),
        ("image: postgres:0016-alpine\n", "postgres", "16", False),
        ("FROM python:3.12-windowsservercore-ltsc2022\n", "python", "3.12", True),
        ("FROM python:3.12-slim-${DEBIAN_RELEASE}\n", "python", "3.12", True),
        ("image: python:3.12-{{ .Values.variant }}\n", "python", "3.12", True),
        # Spelled otherwise than its value: an escape, or a line joined by a backslash.
        ('image: "python:3.12-slim-\\x62ullseye"\n', "python", "3.12", True),
        ('image: "python:3.12-slim\\x2dbullseye"\n', "python", "3.12", True),
        ('image: "python:3.12-slim-\\\n    bullseye"\n', "python", "3.12", True),
        # A release still built: no advice, unless more than the variant may follow it (a
        # quote, a digest), which only the parsed tag tells.
        (
            f"FROM python:3.12-{_still_built('python', '3.12', 'slim-bullseye')}\n",
            "python",
            "3.12",
            False,
        ),
        (
            f"FROM python:3.12.4-{_still_built('python', '3.12', 'bullseye')} AS app\n",
            "python",
            "3.12",
            False,
        ),
        (
            f"image: postgres:16-{_still_built('postgres', '16', 'alpine3.20')}\n",
            "postgres",
            "16",
            False,
        ),
        (
            f'image: "postgres:16-{_still_built("postgres", "16", "bullseye")}"\n',
            "postgres",
            "16",
            True,
        ),
        (
            f"FROM python:3.12-{_still_built('python', '3.12', 'bullseye')}@sha256:0123abcd\n",
            "python",
            "3.12",
            True,
        ),
        # A variant that pins no release follows the image's default one: always built.
        ("FROM python:3.12-slim\nFROM python:3.12-alpine AS tools\n", "python", "3.12", False),
        ('image: "postgres:16-alpine"\n', "postgres", "16", False),
        ("FROM python:3.12-slim@sha256:0123abcd\n", "python", "3.12", False),
        # Never built for the version: advice is for a variant no longer built.
        ("FROM python:3.12-slim-buster\n", "python", "3.12", False),
        # Another version's variant is another test's.
        ("FROM python:3.11-slim-bullseye\n", "python", "3.12", False),
        ("FROM python:3.12\n", "python", "3.12", False),
    ],
)
def test_the_variant_test_says_yes_only_to_a_variant_that_may_no_longer_be_built(
    text: str, name: str, version: str, expected: bool
) -> None:
    from modernize.rules.variants import may_name_variant_at

    assert may_name_variant_at(text, name, version) is expected


_DIGEST = "sha256:" + "0" * 64

#: Dockerfiles whose python tag comes from a build argument, and whether the text test says
#: yes under the default targets: it judges the tag with the argument's default only when the
#: text leaves no doubt about that default.
ARGUMENT_FED = [
    ("ARG PYTHON_VERSION=3.12\nFROM python:${PYTHON_VERSION}-slim\n", False),
    ('ARG PYTHON_VERSION="3.12"\nFROM python:$PYTHON_VERSION-slim AS app\n', False),
    (
        "# syntax=docker/dockerfile:1\nARG PYTHON_VERSION=3.13.1\nfrom python:${PYTHON_VERSION}\n",
        False,
    ),
    (
        "ARG PYTHON_VERSION=3.12\nFROM python:${PYTHON_VERSION}\n"
        "FROM python:${PYTHON_VERSION}-alpine\n",
        False,
    ),
    ("ARG PYTHON_VERSION=3.10\nFROM python:${PYTHON_VERSION}-slim\n", True),
    ("ARG PYTHON_VERSION=2.7\nFROM python:${PYTHON_VERSION}-slim\n", True),
    ("ARG PYTHON_VERSION=3.12\nFROM python:${PYTHON_VERSION}-slim-bullseye\n", True),
    # No default, or one declared after the first FROM (a FROM line cannot use it).
    ("ARG PYTHON_VERSION\nFROM python:${PYTHON_VERSION}-slim\n", True),
    ("FROM python:${PYTHON_VERSION}-slim\nARG PYTHON_VERSION=3.12\n", True),
    ("FROM python:3.12 AS base\nARG PYTHON_VERSION=3.12\nFROM python:${PYTHON_VERSION}\n", True),
    # Two defaults, or a mention that gives none: the parser says which counts.
    ("ARG PYTHON_VERSION=3.12\nARG PYTHON_VERSION=3.10\nFROM python:${PYTHON_VERSION}\n", True),
    ("ARG PYTHON_VERSION=3.10\nARG PYTHON_VERSION=3.12\nFROM python:${PYTHON_VERSION}\n", True),
    (
        "# PYTHON_VERSION comes from CI\nARG PYTHON_VERSION=3.12\nFROM python:$PYTHON_VERSION\n",
        True,
    ),
    # Not a plain version, or more templated than the argument.
    ("ARG PYTHON_VERSION=3.12-slim\nFROM python:${PYTHON_VERSION}\n", True),
    ("ARG PYTHON_VERSION=3.12\nFROM python:${PYTHON_VERSION}-${VARIANT}\n", True),
    ("ARG PY=3.12\nFROM python:${PY:-3.10}\n", True),
    ("ARG MINOR=12\nFROM python:3.${MINOR}-slim\n", True),
    (f"ARG PYTHON_VERSION=3.12\nFROM python:${{PYTHON_VERSION}}@{_DIGEST}\n", True),
    # Lines joined above the first FROM: the parser reads them, not this test.
    ("ARG PYTHON_VERSION=3.12 \\\n    OTHER=3.10\nFROM python:${PYTHON_VERSION}\n", True),
    (
        "ARG OTHER=1 \\\nFROM python:3.12\n"
        "ARG PYTHON_VERSION=3.12\nFROM python:${PYTHON_VERSION}\n",
        True,
    ),
    ("# escape=`\nARG PYTHON_VERSION=3.12 `\n  OTHER=1\nFROM python:${PYTHON_VERSION}\n", True),
    (
        "ARG PYTHON_VERSION=3.12 \\ \nFROM scratch\n"
        "ARG PYTHON_VERSION=3.10\nFROM python:$PYTHON_VERSION\n",
        True,
    ),
    ("# escape=` \nARG PY=3.12 ` \nFROM scratch\nARG PY=3.10\nFROM python:${PY}-slim\n", True),
    # A mention that is no ARG, or a FROM the parser reads otherwise than this test.
    ("# PYTHON_VERSION=3.12\nFROM python:${PYTHON_VERSION}-slim\n", True),
    ("LABEL PYTHON_VERSION=3.12\nFROM python:${PYTHON_VERSION}-slim\n", True),
    ("ARG PY=3.12\nRUN <<EOF\nFROM scratch\nEOF\nARG PY=3.10\nFROM python:${PY}-slim\n", True),
    ("ARG PY=3.12\nFROM.x\nARG PY=3.10\nFROM python:${PY}-slim\n", True),
    ("\x0cFROM scratch\nARG PY=3.12\nFROM python:${PY}-slim\n", True),
    ("\xa0FROM scratch\nARG PY=3.12\nFROM python:${PY}-slim\n", True),
]


@pytest.mark.parametrize(("text", "expected"), ARGUMENT_FED)
def test_an_argument_fed_tag_is_judged_with_its_default_only_beyond_doubt(
    text: str, expected: bool
) -> None:
    _check_text_test("python-base-image", Document("Dockerfile", "dockerfile", text), expected)


def _check_text_test(migration_id: str, document: Document, expected: bool) -> None:
    """The migration's text test says ``expected`` of the document under the default targets,
    and under every target set it says no only where the migration finds nothing."""
    (migration,) = [m for m in load_migrations() if m.id == migration_id]
    document.parse()
    assert migration.may_touch(document.text, Context(TARGETS[0])) is expected
    for targets in TARGETS:
        context = Context(targets)
        if not migration.may_touch(document.text, context):
            assert list(migration.migrate(document, context)) == [], targets


#: tox settings, and whether the text test says yes under the default targets: a Python
#: below the target, or an entry or value the migration cannot read (it reports those at any
#: Python), says yes.
TOX_SETTINGS = [
    ("[tox]\nenvlist = py312, lint\n[testenv:lint]\nbasepython = python3.12\n", False),
    ("[tox]\nenvlist =\n    py312-django42\n    lint\n", False),
    ("[tox]\nenvlist = py3, pypy3, 3.12-lint\n", False),
    ("[gh-actions]\npython =\n    3.12: py312, lint\n", False),
    ("[tox:tox]\nenvlist = py312\n", False),
    ("[tox]\nenvlist = py311, py312\n", True),
    ("[tox]\nenvlist = py27\n", True),
    ("[testenv:py310]\ncommands = pytest\n", True),
    ("[testenv]\ndeps =\n    py310: tomli\n", True),
    ("[testenv]\nbasepython = python3.11\n", True),
    ("[gh-actions]\npython =\n    3.11: py311\n    3.12: py312\n", True),
    # Read by the migration: a brace group, a substitution, a joined line, tox's TOML.
    ("[tox]\nenvlist = py{312,313}\n", True),
    ("[testenv]\nbasepython = {env:PY:python3.12}\n", True),
    ("[tox]\nenvlist = py312, \\\n  lint\n", True),
    ('[tox]\nenv_list = ["py312"]\n', True),
    # Two Pythons in one entry cannot be read, whichever they are: reported (the test below
    # checks that the migration says so for these last seven).
    ("[tox]\nenvlist = py312-py313\n", True),
    ("[tox]\nenvlist = lint, 3.12-py312\n", True),
    ("[tox]\nenvlist = py312-x y-py313\n", True),
    ("[tox]\nenvlist = py312-py313  # both\n", True),
    ("[tox]\nenvlist = lint#x, py312-py313\n", True),
    ("[tox:tox]\nenvlist = lint#x, py314-py315\n", True),
    # A quote: read by the migration (two Pythons written as versions, here).
    ("[tox]\nenvlist = 3.14-3.15\n\n[testenv]\ndescription = it's\n", True),
]


@pytest.mark.parametrize(("text", "expected"), TOX_SETTINGS)
def test_the_tox_test_says_no_only_where_the_migration_finds_nothing(
    text: str, expected: bool
) -> None:
    name, kind = ("setup.cfg", "setup-cfg") if "[tox:tox]" in text else ("tox.ini", "tox")
    _check_text_test("tox-python", Document(name, kind, text), expected)


def test_an_entry_with_two_pythons_is_reported_at_any_python() -> None:
    (migration,) = [m for m in load_migrations() if m.id == "tox-python"]
    for text, _expected in TOX_SETTINGS[-7:]:
        name, kind = ("setup.cfg", "setup-cfg") if "[tox:tox]" in text else ("tox.ini", "tox")
        document = Document(name, kind, text)
        document.parse()
        found = list(migration.migrate(document, Context(TARGETS[0])))
        assert [type(result).__name__ for result in found] == ["Notice"], text


def test_the_knowledge_names_variants_in_lower_case() -> None:
    # The variant test looks a tag's variant up in lower case.
    from modernize.data import knowledge

    for versions in knowledge().images.values():
        for version in versions.values():
            for variant in version.variants:
                assert variant == variant.lower(), variant


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('image: "postgr\\x65s:14"\n', True),
        ('  - "postgr\\x65s:14"\n', True),
        ('images: ["redis:7", "postgr\\x65s:14"]\n', True),
        ('{"image":"postgr\\x65s:14"}\n', True),
        ('image: "postgres:\\\n  14"\n', True),
        ('"image": "postgres:14\\t"\n', True),
        # A Dockerfile's quoted label before a line joined by a backslash holds no YAML scalar.
        (
            'LABEL maintainer="Team <team@example.org>"\n'
            "RUN pip install -r requirements.txt \\\n    && rm -rf /root/.cache\n",
            False,
        ),
        ('ENV GREETING="hello"\nRUN echo "$GREETING" \\\n    > /tmp/out\n', False),
        ("image: postgres:14 \\ not quoted\n", False),
    ],
)
def test_a_yaml_escape_is_looked_for_after_a_quote_that_opens_a_scalar(
    text: str, expected: bool
) -> None:
    from modernize.rules.textcheck import yaml_escapes

    assert yaml_escapes(text) is expected


POD = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: app\n      image: {}\n"


@pytest.mark.parametrize(
    ("migration_id", "name", "kind", "text"),
    [
        (
            "postgres-major",
            "docker-compose.yml",
            "compose",
            'services:\n  db:\n    image: "postgr\\x65s:14"\n',
        ),
        ("kubernetes-python", "pod.yaml", "manifest", POD.format('"pyth\\x6fn:3.10-slim"')),
        (
            "kubernetes-python",
            "pod.yaml",
            "manifest",
            POD.format('"python:3.12-slim\\x2dbullseye"'),
        ),
        (
            "ci-python",
            ".gitlab-ci.yml",
            "gitlab-ci",
            'test:\n  image: "python:3.12-slim-\\x62ullseye"\n  script:\n    - pytest\n',
        ),
        (
            "ci-python",
            ".gitlab-ci.yml",
            "gitlab-ci",
            'test:\n  image: "pyth\\x6fn:3.10"\n  script:\n    - pytest\n',
        ),
        (
            "devcontainer-python",
            ".devcontainer.json",
            "devcontainer",
            '{"image": "mcr.microsoft.com/devcontainers/python:3.1\\u0030"}\n',
        ),
        # The name in capitals, and a registry named python before the image.
        ("kubernetes-python", "pod.yaml", "manifest", POD.format("PYTHON:3.10-slim")),
        ("python-base-image", "Dockerfile", "dockerfile", "FROM python:5000/python:3.10\n"),
        ("python-base-image", "Dockerfile", "dockerfile", "FROM mypython:5000/python:3.11\n"),
    ],
)
def test_an_image_spelled_otherwise_still_gets_through_to_its_migration(
    migration_id: str, name: str, kind: str, text: str
) -> None:
    """Its value is what the migration reads; the text spells it otherwise (an escape, capitals,
    a registry named like the image before it). ``apply`` and ``verify`` (which takes the text
    tests too) must not pass the file over."""
    document = Document(name, kind, text)
    document.parse()
    context = Context(TARGETS[0])
    migration = next(m for m in load_migrations() if m.id == migration_id)
    assert list(migration.migrate(document, context)), "the migration has something to say"
    assert migration.may_touch(text, context)
