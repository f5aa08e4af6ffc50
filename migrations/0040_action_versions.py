"""Raise pinned GitHub Action majors below the standard to the standard major.

What: in workflows and composite ``action.yml`` files, ``uses: owner/name@vN`` (or ``@vN.x.y``)
for an action in the standard table with N below its standard major becomes ``@vM``: for example
docker/build-push-action v6, actions/checkout v4, actions/setup-python v5, actions/cache v4,
docker/setup-buildx-action v3, codecov/codecov-action v4 (``modernize list`` and the README give
the whole table; ``[tool.modernize] actions`` overrides it). Quoting and trailing comments stay.

Why: old majors run on retired Node runtimes and miss fixes; the standard is one consistent set.

Example::

    - uses: docker/build-push-action@v5        ->   - uses: docker/build-push-action@v6
    - uses: actions/checkout@v3.5.2            ->   - uses: actions/checkout@v4

Refuses: a ref pinned to a commit SHA is left as it is (the SHA of the new major cannot be known
offline) and reported with its file and line, unless its version comment already shows the
standard major or newer. Never downgrades; branch refs, local actions (``./…``), ``docker://``
images and actions outside the table are left silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from modernize.document import Document
from modernize.lazy import lazy_import
from modernize.model import Edit, Notice
from modernize.registry import Context, findings_of
from modernize.textcheck import yaml_escapes

if TYPE_CHECKING:
    from modernize.formats import yamldoc
else:  # imported when a file is parsed, not when the migration is listed
    yamldoc = lazy_import("modernize.formats.yamldoc")

ID = "action-versions"
TITLE = "Raise GitHub Action majors (uses: owner/name@vN) to the standard"
KINDS = ("workflow", "action")

_VERSION_REF = re.compile(r"^v(?P<major>\d+)(?:\.\d+){0,2}$")
_SHA_REF = re.compile(r"^[0-9a-f]{40}$")
_COMMENT_VERSION = re.compile(r"#.*?\bv?(?P<major>\d+)(?:\.\d+){0,2}\s*$")


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    standards = context.targets.actions
    text = document.text
    for _path, node in document.yaml.walk():
        if not isinstance(node, yamldoc.MappingNode):
            continue
        uses = yamldoc.get(node, "uses")
        if not isinstance(uses, yamldoc.ScalarNode):
            continue
        value = str(uses.value)
        action, at, ref = value.partition("@")
        if not at or action.startswith(("./", "docker://")):
            continue
        # ``actions/cache/restore`` is versioned with ``actions/cache``.
        standard = standards.get("/".join(action.lower().split("/")[:2]))
        if standard is None:
            continue
        version = _VERSION_REF.match(ref)
        if version is not None:
            if int(version["major"]) >= standard:
                continue
            span = yamldoc.scalar_span(text, uses)
            if span is None:
                yield Notice(uses.start_mark.index, f"{value} cannot be edited in place")
                continue
            start = span[0] + len(action) + 1
            yield Edit(
                start,
                start + len(ref),
                f"v{standard}",
                declares=(document.yaml.path_of(uses),),
            )
        elif _SHA_REF.match(ref):
            line_end = document.lines.line_end(uses.end_mark.index)
            comment = _COMMENT_VERSION.search(text, uses.end_mark.index, line_end)
            if comment is not None and int(comment["major"]) >= standard:
                continue
            yield Notice(
                uses.start_mark.index,
                f"{action} is pinned to a commit SHA"
                + (f" (commented as major {comment['major']})" if comment else "")
                + f"; not changed: pin the SHA of {action}@v{standard} by hand",
            )


_VERSION_USE = re.compile(r"@v(\d+)")
_SHA_USE = re.compile(r"@[0-9a-f]{40}")


def touches(text: str, context: Context) -> bool:
    """Only a ref below the standard major of its action, or a commit SHA, gives this
    migration anything to do; the action's name is on the line before its ``@``."""
    if yaml_escapes(text) or _SHA_USE.search(text):
        return True
    standards = context.targets.actions
    for use in _VERSION_USE.finditer(text):
        major = int(use[1])
        before = text[text.rfind("\n", 0, use.start()) + 1 : use.start()].lower()
        if any(major < standard and name in before for name, standard in standards.items()):
            return True
    return False


def check(document: Document, context: Context) -> Iterator[Notice]:
    yield from findings_of(migrate, document, context, "action below the standard major")
