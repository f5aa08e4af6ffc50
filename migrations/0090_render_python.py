"""Move ``PYTHON_VERSION`` in Render blueprints to the target; report old managed postgres.

What: in ``render.yaml``, an ``envVars`` entry (of a service or an ``envVarGroups`` group) with
``key: PYTHON_VERSION`` and a literal ``value`` ``X.Y`` below the target gets the target minor,
written quoted (``"3.12"``; unquoted ``3.10`` is the number 3.1 in YAML).
``databases[*].postgresMajorVersion`` below the postgres target is reported, not edited: a managed
database is not upgraded by changing a field, and the field must follow the upgrade done in
Render, not precede it.

Why: Render picks the service's Python from ``PYTHON_VERSION``; left behind it builds with a
different interpreter from the image and CI.

Example::

    envVars:                          envVars:
      - key: PYTHON_VERSION             - key: PYTHON_VERSION
        value: "3.10"          ->         value: "3.12"

Refuses: a patch pin (``3.10.13``) is reported, not edited. Unlike an image tag, this value must
be a full version (Render's documentation asks for one such as ``3.13.5``), so the minor alone
would not do, and which patch release is current cannot be known offline. Values from
``fromService``, ``fromGroup``, ``generateValue`` or ``sync: false`` are not literal and are left;
``postgresMajorVersion`` is only reported, and so is one that is not a whole number in ASCII
digits (``"²"``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from modernize.authoring import Context, Document, Edit, Notice, SetValue, yamldoc
from modernize.rules.textcheck import yaml_escapes
from modernize.rules.versions import below, major_below

ID = "render-python"
TITLE = "Move PYTHON_VERSION in render.yaml to the target (reports old managed postgres)"
KINDS = ("render",)
CODE = "M009"
#: What a pending change is, as ``verify`` reports it.
FINDING = "render PYTHON_VERSION below the target"

_VERSION = re.compile(r"^([0-9]+)\.([0-9]+)(\.[0-9]+)?$")
_MAJOR = re.compile(r"[0-9]+")


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
                match = _VERSION.match(str(value.value))
                if not match or not below(match[1], match[2], targets.python):
                    continue
                if match[3] is not None:
                    yield Notice(
                        value.start_mark.index,
                        f"PYTHON_VERSION {value.value} is below {targets.python_minor}: not "
                        f"changed; Render needs a full version here ({targets.python_minor}.x), "
                        "and the current patch release cannot be known offline: set it by hand, "
                        f"or remove it and write {targets.python_minor} in .python-version",
                    )
                    continue
                span = yamldoc.scalar_span(document.text, value)
                if span is None:
                    continue
                quote = value.style or '"'
                start, end = span
                if value.style:
                    replacement = targets.python_minor
                else:
                    replacement = f"{quote}{targets.python_minor}{quote}"
                yield Edit(
                    start,
                    end,
                    replacement,
                    declares=(SetValue(document.yaml.path_of(value), targets.python_minor),),
                )
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


def touches(text: str, context: Context) -> bool:
    return "PYTHON_VERSION" in text or "postgresMajorVersion" in text or yaml_escapes(text)
