"""Move the Python of CI systems other than GitHub Actions to the target.

What:

- images (GitLab CI ``image:`` and ``services:``, CircleCI ``docker: - image:``, Azure
  Pipelines ``container:``, Bitbucket Pipelines ``image:``): an official ``python:3.10-slim``
  follows the Dockerfile rule (variants checked against the shipped knowledge); CircleCI's
  ``cimg/python:3.10`` (and ``3.10-node``) moves its minor, the form that image publishes for
  every minor;
- variables named for the Python version (GitLab and Azure ``variables:``: ``PYTHON_VERSION``,
  ``PY_VER``, Azure's ``python.version``), and CircleCI's ``python/default`` executor ``tag``;
- matrices: GitLab ``parallel: matrix`` and CircleCI ``matrix: parameters`` lists of Python
  versions lose those below the target and gain the target's unless they run it;
- Azure's ``UsePythonVersion@0`` ``versionSpec`` (``3.10``, ``3.10.x``);
- Travis CI's ``python:`` (a version or a list, at the top and in ``jobs: include:``).

Why: CI that tests the old Python while the images and the package moved approves code that
the new interpreter never ran; and a CI job on an image that no longer gets security fixes.

Example::

    .gitlab-ci.yml:  image: python:3.10-slim        ->  image: python:3.12-slim
    .travis.yml:     python: ["3.10", "3.11"]       ->  python: ["3.12"]

Refuses (reported): a ``cimg/python`` tag with a patch release (``3.10.13``: which patch the
image publishes for the target is not in the shipped knowledge), an Azure matrix entry below the
target (remove it by hand: its name is a decision), values given through variables
(``$PYTHON_VERSION``), and what the Dockerfile rule refuses. Postgres images here are moved by
``postgres-major``. A comment that may explain the pin keeps it; a project that cannot run the
target keeps its CI.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from modernize.authoring import Context, Document, Edit, InPlace, Notice, Targets, yamldoc
from modernize.kinds import CI_KINDS
from modernize.rules.imagetags import yaml_image_nodes
from modernize.rules.pythontags import names_python_version, yaml_python_image
from modernize.rules.variants import may_name_variant_at
from modernize.rules.version_lists import VersionList, version_list_edits
from modernize.rules.versions import below, minor_below
from modernize.rules.yaml_python import python_below, python_value_edit, runs_target

ID = "ci-python"
TITLE = "Move the Python of GitLab CI, CircleCI, Azure, Bitbucket and Travis to the target"
KINDS = ("gitlab-ci", "circleci", "azure-pipelines", "bitbucket-pipelines", "travis")
#: It moves a file's Python: a file whose project cannot run the target stays.
MOVES = "python"
CODE = "M025"
#: What a pending change is, as ``verify`` reports it.
FINDING = "CI Python below the target"

_CIMG = re.compile(r"(?:docker\.io/)?cimg/python:(?P<major>3)\.(?P<minor>[0-9]+)(?P<rest>\S*)")
_SPEC = re.compile(r"(?P<major>3)\.(?P<minor>[0-9]+)(?P<x>\.x)?")


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    targets = context.targets
    if document.kind in CI_KINDS:
        for image in yaml_image_nodes(document):
            yield from _image(document, image, targets)
    for _path, node in document.yaml.walk():
        if not isinstance(node, yamldoc.MappingNode):
            continue
        if document.kind in ("gitlab-ci", "azure-pipelines"):
            yield from _variables(document, yamldoc.get(node, "variables"), targets)
        if document.kind == "gitlab-ci":
            parallel = yamldoc.get(node, "parallel")
            for entry in _sequence(yamldoc.get(parallel, "matrix")):
                yield from _axes(document, entry, targets)
        elif document.kind == "circleci":
            yield from _axes(
                document, yamldoc.get(yamldoc.get(node, "matrix"), "parameters"), targets
            )
            name = yamldoc.get(node, "name")
            if isinstance(name, yamldoc.ScalarNode) and str(name.value).startswith("python/"):
                yield from python_value_edit(document, yamldoc.get(node, "tag"), targets)
        elif document.kind == "azure-pipelines":
            yield from _azure(document, node, targets)
        elif document.kind == "travis":
            yield from _travis(document, node, targets)


def _sequence(node: yamldoc.Node | None) -> list[yamldoc.Node]:
    return list(node.value) if isinstance(node, yamldoc.SequenceNode) else []


def _image(
    document: Document, node: yamldoc.ScalarNode, targets: Targets
) -> Iterator[Edit | Notice]:
    value = str(node.value)
    cimg = _CIMG.fullmatch(value)
    if cimg is None:
        yield from yaml_python_image(document, node, targets)
        return
    if not below(cimg["major"], cimg["minor"], targets.python):
        return
    if re.match(r"\.[0-9]", cimg["rest"]):
        yield Notice(
            node.start_mark.index,
            f"{value}: which {targets.python_minor} patch release cimg/python publishes is not "
            f"known here: not changed; pick a cimg/python:{targets.python_minor}.x tag by hand "
            f"(or cimg/python:{targets.python_minor})",
        )
        return
    span = yamldoc.scalar_span(document.text, node)
    if span is None or document.text[span[0] : span[1]] != value:
        return
    start = span[0] + cimg.start("major")
    end = span[0] + cimg.end("minor")
    yield Edit(start, end, targets.python_minor, declares=(InPlace(document.yaml.path_of(node)),))


def _variables(
    document: Document, variables: yamldoc.Node | None, targets: Targets
) -> Iterator[Edit | Notice]:
    if isinstance(variables, yamldoc.MappingNode):
        for key, value in yamldoc.items(variables):
            if _python_named(key):
                yield from python_value_edit(document, _value_of(value), targets)
    for entry in _sequence(variables):  # Azure: - name: python.version / value: '3.10'
        name = yamldoc.get(entry, "name")
        if isinstance(name, yamldoc.ScalarNode) and _python_named(str(name.value)):
            yield from python_value_edit(document, yamldoc.get(entry, "value"), targets)


def _value_of(node: yamldoc.Node) -> yamldoc.Node | None:
    """A GitLab variable's value: the scalar, or the ``value`` of its mapping."""
    return yamldoc.get(node, "value") if isinstance(node, yamldoc.MappingNode) else node


def _python_named(key: str) -> bool:
    return names_python_version(key) or key.lower() in ("python.version", "python-version")


def _axes(
    document: Document, entry: yamldoc.Node | None, targets: Targets
) -> Iterator[Edit | Notice]:
    """A matrix entry's axes named for the Python version: lists lose old versions."""
    for key, value in yamldoc.items(entry):
        if not _python_named(key):
            continue
        if isinstance(value, yamldoc.SequenceNode):
            group = value.start_mark.index
            for result in version_list_edits(
                document,
                value,
                VersionList(
                    lambda version: bool(python_below(version, targets)),
                    lambda version: runs_target(version, targets),
                    targets.python_minor,
                ),
            ):
                yield replace(result, group=group) if isinstance(result, Edit) else result
        else:
            yield from python_value_edit(document, value, targets)


def _azure(
    document: Document, node: yamldoc.MappingNode, targets: Targets
) -> Iterator[Edit | Notice]:
    task = yamldoc.get(node, "task")
    if isinstance(task, yamldoc.ScalarNode) and str(task.value).startswith("UsePythonVersion@"):
        spec = yamldoc.get(yamldoc.get(node, "inputs"), "versionSpec")
        if isinstance(spec, yamldoc.ScalarNode):
            match = _SPEC.fullmatch(str(spec.value))
            if match and match["x"] and below(match["major"], match["minor"], targets.python):
                span = yamldoc.scalar_span(document.text, spec)
                if span is not None and document.text[span[0] : span[1]] == str(spec.value):
                    path = document.yaml.path_of(spec)
                    yield Edit(
                        span[0],
                        span[0] + match.end("minor"),
                        targets.python_minor,
                        declares=(InPlace(path),),
                    )
            else:
                yield from python_value_edit(document, spec, targets)
    strategy = yamldoc.get(node, "strategy")
    for name, entry in yamldoc.items(yamldoc.get(strategy, "matrix")):
        for key, value in yamldoc.items(entry):
            if (
                _python_named(key)
                and isinstance(value, yamldoc.ScalarNode)
                and python_below(str(value.value), targets)
            ):
                yield Notice(
                    value.start_mark.index,
                    f"the matrix entry {name!r} runs Python {value.value}: not changed; remove it "
                    f"by hand (and add one for {targets.python_minor} if none runs it)",
                )


def _travis(
    document: Document, node: yamldoc.MappingNode, targets: Targets
) -> Iterator[Edit | Notice]:
    python = yamldoc.get(node, "python")
    if isinstance(python, yamldoc.SequenceNode):
        group = python.start_mark.index
        for result in version_list_edits(
            document,
            python,
            VersionList(
                lambda version: bool(python_below(version, targets)),
                lambda version: runs_target(version, targets),
                targets.python_minor,
            ),
        ):
            yield replace(result, group=group) if isinstance(result, Edit) else result
    elif python is not None:
        yield from python_value_edit(document, python, targets)


def touches(text: str, context: Context) -> bool:
    targets = context.targets
    return (
        minor_below(text, targets.python)
        or "py3" in text
        or may_name_variant_at(text, "python", targets.python_minor)
    )
