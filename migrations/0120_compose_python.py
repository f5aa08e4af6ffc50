"""Move the Python of compose files to the target: python images and version build arguments.

What, in compose files (services, ``x-`` blocks and anchors alike):

- ``image:`` values naming the official python image, on Docker Hub or a registry mirror
  (``localhost:5000/python``, ``mirror.gcr.io/library/python``), follow the
  ``python-base-image`` rule: ``python:3.10-slim`` becomes ``python:3.12-slim``, the variant
  kept; a patch tag moves to the target minor; a variant not known to exist for the target is
  left, with a warning. Images under an organisation (``ghcr.io/acme/python``) are left.
- ``build.args`` values that set the Python version (a key that says it holds it, as in
  workflows: ``PYTHON_VERSION``, ``PYTHON``, ``PY_VER``, ``PYTHON_TARGET_VERSION``…), in the
  mapping form or the ``- KEY=VALUE`` list form, below the target become the target minor. A
  mapping value is written quoted (``"3.12"``): unquoted, ``3.10`` is the number 3.1 in YAML,
  which is what compose would pass.

Why: a build argument given in the compose file wins over the Dockerfile's ``ARG`` default, so a
Dockerfile moved to 3.12 still builds 3.10 through ``docker compose build``; a service running
``python:3.10`` beside 3.12 images runs a Python that is not shipped anywhere else.

Example::

    services:                                    services:
      api:                                         api:
        build:                                       build:
          context: .                                   context: .
          args:                            ->          args:
            PYTHON_VERSION: 3.10                         PYTHON_VERSION: "3.12"
      worker:                                      worker:
        image: python:3.10-slim                      image: python:3.12-slim

Refuses (leaves the value and warns): digest pins, templated values (``${PY:-3.10}``), variants
with no image known for the target, Python 2. Values at or above the target are left silently.
"""

from __future__ import annotations

from collections.abc import Iterator

from modernize.authoring import Context, Document, Edit, InPlace, Notice, SetValue, Targets, yamldoc
from modernize.lazy import lazy_pattern
from modernize.rules.imagetags import yaml_image_nodes
from modernize.rules.pythontags import names_python_version, yaml_python_image
from modernize.rules.textcheck import yaml_escapes
from modernize.rules.variants import may_name_variant_at
from modernize.rules.versions import below, minor_below

ID = "compose-python"
TITLE = "Move compose python images and Python-version build arguments to the target"
KINDS = ("compose",)
#: It moves a file's Python: a file whose project cannot run the target stays.
MOVES = "python"
CODE = "M012"
#: What a pending change is, as ``verify`` reports it.
FINDING = "compose python image or build argument below the target"

_VERSION = lazy_pattern(r"([0-9]+)\.([0-9]+)(?:\.[0-9]+)?")


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    targets = context.targets
    for image in yaml_image_nodes(document):
        yield from yaml_python_image(document, image, targets)
    seen: set[int] = set()  # a node reached through aliases is one value, edited once
    for _path, node in document.yaml.walk():
        if not isinstance(node, yamldoc.MappingNode):
            continue
        arguments = yamldoc.effective(yamldoc.effective(node, "build"), "args")
        if arguments is None or id(arguments) in seen:
            continue
        seen.add(id(arguments))
        if isinstance(arguments, yamldoc.MappingNode):
            for key, value in yamldoc.merged_items(arguments):
                if (
                    names_python_version(key)
                    and isinstance(value, yamldoc.ScalarNode)
                    and id(value) not in seen
                ):
                    seen.add(id(value))
                    yield from _argument(document, value, str(value.value), 0, targets)
        elif isinstance(arguments, yamldoc.SequenceNode):
            for entry in arguments.value:
                if not isinstance(entry, yamldoc.ScalarNode):
                    continue
                name, equals, version = str(entry.value).partition("=")
                if equals and names_python_version(name.strip()):
                    yield from _argument(document, entry, version, len(name) + 1, targets)


def _argument(
    document: Document, node: yamldoc.ScalarNode, value: str, skip: int, targets: Targets
) -> Iterator[Edit | Notice]:
    """The version in ``value``, which starts ``skip`` characters into the scalar ``node``
    (after ``KEY=`` in the list form)."""
    offset = node.start_mark.index
    if "$" in value:
        if minor_below(value, targets.python):
            yield Notice(
                offset,
                f"build argument {str(node.value)!r} is templated; not changed",
                advisory=True,
            )
        return
    match = _VERSION.fullmatch(value.strip())
    if match is None:
        return
    major, minor = int(match[1]), int(match[2])
    if not below(major, minor, targets.python):
        return
    if major < 3:
        yield Notice(
            offset,
            f"build argument {str(node.value)!r} is Python {major}; moving to "
            f"{targets.python_minor} is a port, not a version bump; not changed",
        )
        return
    span = yamldoc.scalar_span(document.text, node)
    if span is None:
        message = f"build argument {str(node.value)!r} is written in a form that cannot be edited"
        yield Notice(offset, f"{message} in place")
        return
    start = span[0] + skip + (len(value) - len(value.lstrip()))
    end = start + len(value.strip())
    replacement = targets.python_minor
    if skip == 0 and not node.style:
        replacement = f'"{replacement}"'  # unquoted, the version would be a number
    path = document.yaml.path_of(node)
    # A plain value is written anew, quoted; a quoted one or the list form's ``KEY=version``
    # is edited inside.
    operation = (
        SetValue(path, targets.python_minor) if skip == 0 and not node.style else InPlace(path)
    )
    yield Edit(start, end, replacement, declares=(operation,))


def touches(text: str, context: Context) -> bool:
    """A python image or a Python-version argument below the target (or a templated one)
    needs the word python (or ``py``, as in ``PY_VER``) and a version below the target, or a
    template."""
    lower = text.lower()
    if "py" not in lower:
        return False
    return (
        "$" in text
        or yaml_escapes(text)
        or minor_below(text, context.targets.python)
        or may_name_variant_at(text, "python", context.targets.python_minor)
    )
