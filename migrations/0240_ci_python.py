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

Also moved: CircleCI and Azure parameters named for the Python version (their ``default``),
and GitLab variables whose value is a python image (``IMAGE: python:3.10-slim``).

Refuses (reported): a ``cimg/python`` tag with a patch release or a digest (which patch the
image publishes for the target is not in the shipped knowledge), an Azure matrix entry below
the target (remove it by hand: its name is a decision), a GitLab matrix entry of one version
below the target when another entry of the same values runs the target (moving it would run
the job twice), matrix ``exclude`` and Travis ``allow_failures`` entries below the target (they
match nothing once the matrix moved), Python-named values in a form not read here
(``3.10-dev``, ``3.10.x`` in GitLab), and what the Dockerfile rule refuses. An image whose tag
is a Python-named variable (``python:${PYTHON_VERSION}``) is moved where the variable is set.
A local file a GitLab configuration includes gets a note: it is not read here. Postgres images
here are moved by ``postgres-major``. A comment that may explain the pin keeps it; a project
that cannot run the target keeps its CI.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from modernize.authoring import Context, Document, Edit, InPlace, Notice, Targets, yamldoc
from modernize.kinds import CI_KINDS
from modernize.lazy import lazy_pattern
from modernize.rules.imagetags import yaml_image_nodes
from modernize.rules.pythontags import names_python_version, yaml_python_image
from modernize.rules.textcheck import yaml_escapes
from modernize.rules.variants import may_name_variant_at
from modernize.rules.version_lists import version_list_edits
from modernize.rules.versions import below, minor_below
from modernize.rules.yaml_python import (
    python_below,
    python_value_edit,
    python_version_list,
    runs_target,
)

ID = "ci-python"
TITLE = "Move the Python of GitLab CI, CircleCI, Azure, Bitbucket and Travis to the target"
KINDS = ("gitlab-ci", "circleci", "azure-pipelines", "bitbucket-pipelines", "travis")
#: It moves a file's Python: a file whose project cannot run the target stays.
MOVES = "python"
CODE = "M025"
#: What a pending change is, as ``verify`` reports it.
FINDING = "CI Python below the target"

_CIMG = lazy_pattern(r"(?:docker\.io/)?cimg/python:(?P<major>3)\.(?P<minor>[0-9]+)(?P<rest>\S*)")
#: A variable's value that is a python image (``python:3.10-slim``, ``docker.io/python:3.10``).
_IMAGE_VALUE = lazy_pattern(r"(?:[\w.-]+/)*(?:library/)?python:[0-9]")
_SPEC = lazy_pattern(r"(?P<major>3)\.(?P<minor>[0-9]+)(?P<x>\.x)?")


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    targets = context.targets
    if document.kind in CI_KINDS:
        for image in yaml_image_nodes(document):
            yield from _image(document, image, targets)
    if document.kind == "travis":
        for root in document.yaml.roots:
            yield from _travis(document, root, targets)
        return
    if document.kind == "gitlab-ci":
        for root in document.yaml.roots:
            yield from _includes(document, yamldoc.get(root, "include"))
    for _path, node in document.yaml.walk():
        if not isinstance(node, yamldoc.MappingNode):
            continue
        if document.kind in ("gitlab-ci", "azure-pipelines"):
            yield from _variables(document, yamldoc.get(node, "variables"), targets)
        if document.kind == "gitlab-ci":
            parallel = yamldoc.get(node, "parallel")
            yield from _entries(document, _sequence(yamldoc.get(parallel, "matrix")), targets)
        elif document.kind == "circleci":
            matrix = yamldoc.get(node, "matrix")
            yield from _axes(document, yamldoc.get(matrix, "parameters"), targets)
            for entry in _sequence(yamldoc.get(matrix, "exclude")):
                yield from _stale_entry(document, entry, targets, "matrix exclude entry")
            yield from _parameters(document, yamldoc.get(node, "parameters"), targets)
            name = yamldoc.get(node, "name")
            if isinstance(name, yamldoc.ScalarNode) and str(name.value).startswith("python/"):
                tag = yamldoc.get(node, "tag")
                if isinstance(tag, yamldoc.ScalarNode) and str(tag.value).count(".") > 1:
                    if python_below(str(tag.value), targets):
                        yield Notice(
                            tag.start_mark.index,
                            f"tag {tag.value}: which {targets.python_minor} patch release "
                            "cimg/python publishes is not known here: not changed; pick one by "
                            f"hand (or {targets.python_minor})",
                        )
                    continue
                yield from _python_value(document, tag, targets, "tag")
        elif document.kind == "azure-pipelines":
            yield from _azure(document, node, targets)


def _includes(document: Document, include: yamldoc.Node | None) -> Iterator[Notice]:
    """A note at each local file a GitLab configuration includes: only ``.gitlab-ci.yml`` is
    known by its name, so the jobs an included file defines are not read here."""
    entries = include.value if isinstance(include, yamldoc.SequenceNode) else [include]
    for entry in entries:
        local = entry if isinstance(entry, yamldoc.ScalarNode) else yamldoc.get(entry, "local")
        if isinstance(local, yamldoc.ScalarNode) and "://" not in str(local.value):
            yield Notice(
                local.start_mark.index,
                f"the included {local.value} is not read here (only .gitlab-ci.yml is known by "
                "its name): check the Python it names by hand",
                severity="note",
                advisory=True,
            )


def _sequence(node: yamldoc.Node | None) -> list[yamldoc.Node]:
    return list(node.value) if isinstance(node, yamldoc.SequenceNode) else []


def _python_value(
    document: Document, node: yamldoc.Node | None, targets: Targets, what: str
) -> Iterator[Edit | Notice]:
    """A Python version value: moved when it is one (``3.10``), else reported when it names
    a version below the target in a form not read here (``3.10.4``, ``3.10-slim``)."""
    results = list(python_value_edit(document, node, targets))
    yield from results
    if results or not isinstance(node, yamldoc.ScalarNode):
        return
    value = str(node.value)
    if python_below(value, targets) is None and _NAMES_OLD.search(value) and _old(value, targets):
        yield Notice(
            node.start_mark.index,
            f"{what} {value!r} names a Python below {targets.python_minor} in a form not read "
            "here: not changed; move it by hand",
        )


_NAMES_OLD = lazy_pattern(r"(?<![\w.])(?:py)?3\.?(?P<minor>[0-9]{1,2})(?![0-9])")


def _old(value: str, targets: Targets) -> bool:
    return any(
        below(3, match["minor"], targets.python) and "$" not in value
        for match in _NAMES_OLD.finditer(value)
    )


def _image(
    document: Document, node: yamldoc.ScalarNode, targets: Targets
) -> Iterator[Edit | Notice]:
    value = str(node.value)
    variable = re.search(r"\$\{?(\w+)", value)
    if variable and _python_named(variable[1]):
        return  # ``python:${PYTHON_VERSION}``: moved where the variable is set
    cimg = _CIMG.fullmatch(value)
    if cimg is None:
        yield from yaml_python_image(document, node, targets)
        return
    if not below(cimg["major"], cimg["minor"], targets.python):
        return
    if "@" in cimg["rest"]:
        yield Notice(
            node.start_mark.index,
            f"{value} is pinned by digest; not changed (the digest of a cimg/python "
            f"{targets.python_minor} image cannot be known offline)",
        )
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
            scalar = _value_of(value)
            if _python_named(key):
                yield from _python_value(document, scalar, targets, key)
            elif isinstance(scalar, yamldoc.ScalarNode) and _IMAGE_VALUE.match(str(scalar.value)):
                # ``IMAGE: python:3.10-slim``, used as ``image: $IMAGE``.
                yield from _image(document, scalar, targets)
    for entry in _sequence(variables):  # Azure: - name: python.version / value: '3.10'
        name = yamldoc.get(entry, "name")
        if isinstance(name, yamldoc.ScalarNode) and _python_named(str(name.value)):
            yield from _python_value(
                document, yamldoc.get(entry, "value"), targets, str(name.value)
            )


def _value_of(node: yamldoc.Node) -> yamldoc.Node | None:
    """A GitLab variable's value: the scalar, or the ``value`` of its mapping."""
    return yamldoc.get(node, "value") if isinstance(node, yamldoc.MappingNode) else node


def _python_named(key: str) -> bool:
    return names_python_version(key) or key.lower() in ("python.version", "python-version")


def _axes(
    document: Document, entry: yamldoc.Node | None, targets: Targets, scalars: bool = True
) -> Iterator[Edit | Notice]:
    """A matrix entry's axes named for the Python version: lists lose old versions (and a
    single value moves, when ``scalars``)."""
    for key, value in yamldoc.items(entry):
        if not _python_named(key):
            continue
        if isinstance(value, yamldoc.SequenceNode):
            yield from _version_list(document, value, targets)
        elif scalars:
            yield from _python_value(document, value, targets, key)


def _version_list(
    document: Document, sequence: yamldoc.SequenceNode, targets: Targets
) -> Iterator[Edit | Notice]:
    """A list of Python versions, moved as one group (a comment that keeps one keeps all)."""
    group = sequence.start_mark.index
    for result in version_list_edits(document, sequence, python_version_list(targets)):
        yield replace(result, group=group) if isinstance(result, Edit) else result


def _entries(
    document: Document, entries: list[yamldoc.Node], targets: Targets
) -> Iterator[Edit | Notice]:
    """GitLab ``parallel: matrix`` entries: lists of versions move; of the entries that give
    one version below the target, only the first of each combination of other values moves to
    the target (unless one runs it already), the others are reported: moving them all would
    run the same job twice."""
    runs: set[frozenset[tuple[str, str]]] = set()
    singles: list[tuple[yamldoc.ScalarNode, frozenset[tuple[str, str]]]] = []
    for entry in entries:
        others = frozenset(
            (key, str(value.value))
            for key, value in yamldoc.items(entry)
            if not _python_named(key) and isinstance(value, yamldoc.ScalarNode)
        )
        for key, value in yamldoc.items(entry):
            if not _python_named(key) or not isinstance(value, yamldoc.ScalarNode):
                continue
            if python_below(str(value.value), targets):
                singles.append((value, others))
            elif runs_target(str(value.value), targets):
                runs.add(others)
        yield from _axes(document, entry, targets, scalars=False)
    for value, others in singles:
        if others in runs:
            yield Notice(
                value.start_mark.index,
                f"this matrix entry runs Python {value.value}, and another runs "
                f"{targets.python_minor} with the same values: not changed; remove it by hand",
            )
            continue
        runs.add(others)
        yield from python_value_edit(document, value, targets)


def _stale_entry(
    document: Document, entry: yamldoc.Node, targets: Targets, what: str
) -> Iterator[Notice]:
    """A matrix exclude (or allow-failures) entry for a Python below the target: it matches
    nothing once the matrix moved."""
    for key, value in yamldoc.items(entry):
        named = _python_named(key) or key == "python"
        if (
            named
            and isinstance(value, yamldoc.ScalarNode)
            and python_below(str(value.value), targets)
        ):
            yield Notice(
                value.start_mark.index,
                f"this {what} names Python {value.value}, which the matrix no longer runs: "
                "not changed; remove it by hand",
            )


def _parameters(
    document: Document, parameters: yamldoc.Node | None, targets: Targets
) -> Iterator[Edit | Notice]:
    """CircleCI parameters named for the Python version: their ``default`` moves."""
    for key, parameter in yamldoc.items(parameters):
        if _python_named(key) and isinstance(parameter, yamldoc.MappingNode):
            yield from _python_value(document, yamldoc.get(parameter, "default"), targets, key)


def _azure(
    document: Document, node: yamldoc.MappingNode, targets: Targets
) -> Iterator[Edit | Notice]:
    for entry in _sequence(yamldoc.get(node, "parameters")):  # - name: py / default: '3.10'
        name = yamldoc.get(entry, "name")
        if isinstance(name, yamldoc.ScalarNode) and _python_named(str(name.value)):
            default = yamldoc.get(entry, "default")
            if isinstance(default, yamldoc.SequenceNode):
                yield from _travis_python(document, default, targets)
            else:
                yield from _python_value(document, default, targets, str(name.value))
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
    for label, entry in yamldoc.items(yamldoc.get(strategy, "matrix")):
        for key, value in yamldoc.items(entry):
            if (
                _python_named(key)
                and isinstance(value, yamldoc.ScalarNode)
                and python_below(str(value.value), targets)
            ):
                yield Notice(
                    value.start_mark.index,
                    f"the matrix entry {label!r} runs Python {value.value}: not changed; remove it "
                    f"by hand (and add one for {targets.python_minor} if none runs it)",
                )


def _travis(document: Document, root: yamldoc.Node, targets: Targets) -> Iterator[Edit | Notice]:
    """Travis CI: the top ``python:`` (a version or a list) and its ``jobs``/``matrix``
    ``include`` entries move; ``exclude`` and ``allow_failures`` entries below the target are
    reported (moved, they would drop or excuse the target's jobs)."""
    yield from _travis_python(document, yamldoc.get(root, "python"), targets)
    for name in ("jobs", "matrix"):
        section = yamldoc.get(root, name)
        for entry in _sequence(yamldoc.get(section, "include")):
            yield from _travis_python(document, yamldoc.get(entry, "python"), targets)
        for key in ("exclude", "allow_failures"):
            for entry in _sequence(yamldoc.get(section, key)):
                what = "matrix exclude entry" if key == "exclude" else "allowed failure"
                yield from _stale_entry(document, entry, targets, what)


def _travis_python(
    document: Document, python: yamldoc.Node | None, targets: Targets
) -> Iterator[Edit | Notice]:
    if isinstance(python, yamldoc.SequenceNode):
        yield from _version_list(document, python, targets)
        for entry in python.value:
            if (
                isinstance(entry, yamldoc.ScalarNode)
                and python_below(str(entry.value), targets) is None
            ):
                yield from _python_value(document, entry, targets, "python")
    elif python is not None:
        yield from _python_value(document, python, targets, "python")


def touches(text: str, context: Context) -> bool:
    targets = context.targets
    return (
        yaml_escapes(text)
        or minor_below(text, targets.python)
        or "py3" in text
        or may_name_variant_at(text, "python", targets.python_minor)
        or "include:" in text
    )
