"""Move ``PYTHON_VERSION`` in Render blueprints to the target; report old managed postgres.

What: in ``render.yaml``, an ``envVars`` entry (of a service or an ``envVarGroups`` group) with
``key: PYTHON_VERSION`` and a literal ``value`` below the target (``3.10``, ``3.10.13``), or the
target minor alone (``3.12``), gets the target's newest patch release in the shipped knowledge
(``3.12.13``), its quotes kept, with a note naming the date of that knowledge.
``databases[*].postgresMajorVersion`` below the postgres target is reported, not edited: a managed
database is not upgraded by changing a field, and the field must follow the upgrade done in
Render, not precede it.

Why: Render picks the service's Python from ``PYTHON_VERSION`` and wants a full version there
(its documentation gives one such as ``3.13.5``); left behind it builds with a different
interpreter from the image and CI.

Example::

    envVars:                          envVars:
      - key: PYTHON_VERSION             - key: PYTHON_VERSION
        value: "3.10"          ->         value: "3.12.13"

Refuses: a patch pin with a comment after it (``3.10.13  # pinned after the wheel trouble``): the
comment may explain the pin, so the value is left and the warning names the release to set by
hand. A patch pin at the target (``3.12.4``) or above it is left: patch releases are not this
tool's business. Values from ``fromService``, ``fromGroup``, ``generateValue`` or ``sync: false``
are not literal and are left; ``postgresMajorVersion`` is only reported, and so is one that is not
a whole number in ASCII digits (``"²"``).
"""

from __future__ import annotations

from collections.abc import Iterator

from modernize.authoring import Context, Document, Edit, Notice, SetValue, yamldoc
from modernize.data import knowledge
from modernize.lazy import lazy_pattern
from modernize.rules.textcheck import yaml_escapes
from modernize.rules.versions import below, major_below
from modernize.targets import Targets

ID = "render-python"
TITLE = "Move PYTHON_VERSION in render.yaml to the target (reports old managed postgres)"
KINDS = ("render",)
#: It moves a file's Python: a file whose project cannot run the target stays.
MOVES = "python"
CODE = "M009"
#: What a pending change is, as ``verify`` reports it.
FINDING = "render PYTHON_VERSION below the target"

_VERSION = lazy_pattern(r"^([0-9]+)\.([0-9]+)(\.[0-9]+)?$")
_MAJOR = lazy_pattern(r"[0-9]+")
#: A comment after a value on its line.
_COMMENT = lazy_pattern(r"[ \t]+#(?P<body>[^\r\n]*)")


def _sequence(node: yamldoc.Node | None) -> list[yamldoc.Node]:
    return list(node.value) if isinstance(node, yamldoc.SequenceNode) else []


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    targets = context.targets
    for root in document.yaml.roots:
        holders = _sequence(yamldoc.get(root, "services")) + _sequence(
            yamldoc.get(root, "envVarGroups")
        )
        for holder in holders:
            for entry in _sequence(yamldoc.get(holder, "envVars")):
                key = yamldoc.get(entry, "key")
                value = yamldoc.get(entry, "value")
                if not isinstance(key, yamldoc.ScalarNode) or key.value != "PYTHON_VERSION":
                    continue
                if not isinstance(value, yamldoc.ScalarNode):
                    continue
                yield from _python_version(document, value, targets)
        for database in _sequence(yamldoc.get(root, "databases")):
            major = yamldoc.get(database, "postgresMajorVersion")
            if not isinstance(major, yamldoc.ScalarNode):
                continue
            if not _MAJOR.fullmatch(str(major.value)):  # ``"²"`` and ``"١٦"`` are no numbers
                yield Notice(
                    major.start_mark.index,
                    f"postgresMajorVersion {str(major.value)!r} is not a postgres major version "
                    "(a whole number such as 16): not checked",
                )
                continue
            if major_below(str(major.value), targets.postgres):
                yield Notice(
                    major.start_mark.index,
                    f"managed database uses postgres {major.value}, below {targets.postgres}: "
                    "not changed; upgrade the database in Render first (its data moves with "
                    "the upgrade), then set postgresMajorVersion to match",
                )


def _python_version(
    document: Document, value: yamldoc.ScalarNode, targets: Targets
) -> Iterator[Edit | Notice]:
    match = _VERSION.match(str(value.value))
    if not match:
        return
    minor = f"{match[1]}.{match[2]}"
    at_target = minor == targets.python_minor
    if not (below(match[1], match[2], targets.python) or (at_target and match[3] is None)):
        return
    known = knowledge().image("python", targets.python_minor)
    offset = value.start_mark.index
    if known is None or known.release is None:
        yield Notice(
            offset,
            f"PYTHON_VERSION {value.value}: Render needs a full version here "
            f"({targets.python_minor}.x), and no {targets.python_minor} release is known to "
            "this release of modernize: set it by hand",
        )
        return
    span = yamldoc.scalar_span(document.text, value)
    if span is None:
        return
    start, end = span
    release = known.release
    line_end = document.text.find("\n", end)
    remark = _COMMENT.match(document.text, end, len(document.text) if line_end < 0 else line_end)
    if match[3] is not None and remark is not None:
        yield Notice(
            offset,
            f"PYTHON_VERSION {value.value} is pinned with a comment that may explain the pin "
            f"(#{remark['body'].rstrip()}); not changed: set {release} by hand",
        )
        return
    yield Edit(
        start,
        end,
        release,  # the span of a quoted value is inside its quotes
        declares=(SetValue(document.yaml.path_of(value), release),),
    )
    yield Notice(
        offset,
        f"PYTHON_VERSION {value.value} -> {release}, the newest {targets.python_minor} release "
        f"in the shipped knowledge (python images of {known.built}); Render needs a full "
        "version here: check whether a newer patch is out",
        severity="note",
        advisory=True,
    )


def touches(text: str, context: Context) -> bool:
    return "PYTHON_VERSION" in text or "postgresMajorVersion" in text or yaml_escapes(text)
