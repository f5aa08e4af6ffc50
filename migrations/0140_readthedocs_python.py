"""Move the Python that Read the Docs builds the documentation with to the target.

What: in a Read the Docs configuration (``.readthedocs.yaml``, ``.readthedocs.yml``,
``readthedocs.yml``), ``build.tools.python`` below the target (``"3.10"``) becomes the target
minor, always quoted (unquoted ``3.10`` is the number 3.1 in YAML); a quoted value keeps its
quote. ``build.os`` naming an image Read the Docs no longer builds on (``ubuntu-20.04``, removed
on 2026-06-01) gets a warning with the images it offers.

Why: documentation built with another Python than the one the project ships imports other
versions of its dependencies, and autodoc documents a different program.

Example::

    build:                          build:
      os: ubuntu-24.04                os: ubuntu-24.04
      tools:                          tools:
        python: "3.10"       ->         python: "3.12"

Refuses: a block scalar naming a version below the target (reported). Left silently: ``"3"``
and other versions that float, ``miniconda``/``mambaforge`` tools, values at or above the
target. An old ``python.version`` below the target, which Read the Docs no longer reads, is
reported. A comment that may explain the pin keeps the value.
"""

from __future__ import annotations

from collections.abc import Iterator

from modernize.authoring import Context, Document, Edit, Notice, yamldoc
from modernize.rules.textcheck import yaml_escapes
from modernize.rules.versions import minor_below
from modernize.rules.yaml_python import python_value_edit

ID = "readthedocs-python"
TITLE = "Move build.tools.python in .readthedocs.yaml to the target"
KINDS = ("readthedocs",)
#: It moves a file's Python: a file whose project cannot run the target stays.
MOVES = "python"
CODE = "M015"
#: What a pending change is, as ``verify`` reports it.
FINDING = "Read the Docs Python below the target"

#: Build images Read the Docs stopped offering, with the day they went (its blog, 2026-03).
_RETIRED_OS = {"ubuntu-20.04": "2026-06-01"}
_OFFERED_OS = "ubuntu-22.04, ubuntu-24.04, ubuntu-lts-latest"


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    for root in document.yaml.roots:
        build = yamldoc.get(root, "build")
        yield from python_value_edit(
            document, yamldoc.get(yamldoc.get(build, "tools"), "python"), context.targets
        )
        image = yamldoc.get(build, "os")
        if isinstance(image, yamldoc.ScalarNode) and str(image.value) in _RETIRED_OS:
            yield Notice(
                image.start_mark.index,
                f"build.os {image.value}: Read the Docs stopped building on it on "
                f"{_RETIRED_OS[str(image.value)]}; choose one it offers ({_OFFERED_OS})",
                advisory=True,
            )
        old = yamldoc.get(yamldoc.get(root, "python"), "version")
        if isinstance(old, yamldoc.ScalarNode) and minor_below(
            str(old.value), context.targets.python
        ):
            yield Notice(
                old.start_mark.index,
                f"python.version {old.value} is a setting Read the Docs no longer reads: not "
                f"changed; set build.os and build.tools.python ({context.targets.python_minor}) "
                "by hand",
            )


def touches(text: str, context: Context) -> bool:
    """Only a file that names a version below the target, or an escape, may need a change."""
    return yaml_escapes(text) or minor_below(text, context.targets.python) or "20.04" in text
