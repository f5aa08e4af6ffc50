"""Everything a migration imports to declare itself and say what it would change.

A migration is a module ``migrations/NNNN_<slug>.py`` with module-level declarations that the
registry checks when it loads: ``ID`` (a stable slug), ``TITLE``, ``KINDS`` (rows of the table of
file kinds), ``CODE`` (its finding code, ``M`` and three digits, unique), ``FINDING`` (what a
pending change is, for ``verify``; or a ``check`` of its own), a docstring in four parts (what,
why, an example, when it refuses), ``migrate(document, context)`` yielding ``Edit`` and
``Notice`` values, and optionally ``touches(text, context)`` and ``ENABLED_BY_DEFAULT``.

The parsers ``yamldoc``, ``toml``, ``compose_volumes``, ``makefile`` and ``shell`` are imported
from here as they are used: listing the migrations loads none of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from modernize.engine.edits import absorb_newline_removals, line_removals
from modernize.formats.document import Document
from modernize.lazy import lazy_import
from modernize.model import (
    DataPath,
    Edit,
    InPlace,
    InsertItem,
    Notice,
    Operation,
    RemoveItem,
    RemoveKey,
    RenameKey,
    Rewrite,
    SetValue,
)
from modernize.records import record
from modernize.targets import Targets

if TYPE_CHECKING:
    from modernize.formats import compose_volumes, makefile, shell, toml, yamldoc
    from modernize.rules.importers import Importers
    from modernize.survey import Survey
else:  # executed when a file is parsed, not when a migration is listed
    compose_volumes = lazy_import("modernize.formats.compose_volumes")
    makefile = lazy_import("modernize.formats.makefile")
    shell = lazy_import("modernize.formats.shell")
    toml = lazy_import("modernize.formats.toml")
    yamldoc = lazy_import("modernize.formats.yamldoc")


@record(frozen=True)
class Context:
    """What a migration may know besides the document: the targets, what the other Python
    files of the repository import from each one, and the survey of the repository's projects
    (None: not known)."""

    targets: Targets
    importers: Importers | None = None
    survey: Survey | None = None


__all__ = [
    "Context",
    "DataPath",
    "Document",
    "Edit",
    "InPlace",
    "InsertItem",
    "Notice",
    "Operation",
    "RemoveItem",
    "RemoveKey",
    "RenameKey",
    "Rewrite",
    "SetValue",
    "Targets",
    "absorb_newline_removals",
    "compose_volumes",
    "line_removals",
    "makefile",
    "shell",
    "toml",
    "yamldoc",
]
