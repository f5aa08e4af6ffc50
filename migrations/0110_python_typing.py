"""Opt-in: move typing annotations to the target's built-in syntax (PEP 604 and PEP 585).

What, in Python source, for targets 3.10 and above: ``Optional[X]`` becomes ``X | None``,
``Union[A, B]`` becomes ``A | B``, and ``List``, ``Dict``, ``Set``, ``FrozenSet``, ``Tuple``,
``Type`` become ``list``, ``dict``, ``set``, ``frozenset``, ``tuple``, ``type`` — written bare,
as ``typing.X``, through a module alias (``import typing as t``) or a name alias. ``typing``
imports the rewrite leaves unused are removed; imports still used, and unrelated ones, stay,
and so do those other modules may take from this one: a name ``__all__`` lists, one imported
as itself (``from typing import List as List``), or one another Python file of the repository
imports from here (``from .core import List``, ``from .core import *``, ``core.List``), which
an advisory warning then names.
typing's aliases of ``collections.abc`` classes imported by name (``from typing import
Callable, Iterable``) are imported from ``collections.abc`` instead, on a line of their own
just before; their uses do not change. Only the rewritten expressions and import lines change:
libcst reproduces them, everything else is not touched.

Why: the old spellings are deprecated aliases; linters flag them and new code uses the
built-ins. Off by default because it touches many files: enable it with
``--only python-typing`` or ``[tool.modernize] enable = ["python-typing"]``.

Example::

    from typing import List, Optional          def first(items: list[str]) -> str | None:
    def first(items: List[str]) -> Optional[str]:   ...

Refuses (leaves the expression as it is): an ``Optional``/``Union`` with a string operand
(``Optional["Node"]``) — ``"Node" | None`` fails when evaluated — except in an annotation of a
module with ``from __future__ import annotations``, where a quoted name loses its quotes
(``Node | None``); an ``Optional``/``Union`` whose brackets hold a comment (the brackets, and
so the comment's place, go away), or a tuple, or two ``None`` first; any typing name the module
binds again (``List = list``, a parameter ``Type``), and any whose built-in it binds (a method
``list``, a field ``type``).
``collections.abc`` aliases written ``typing.Iterable`` are left (the module would need a new
``import collections.abc``), and so are ``AbstractSet`` (``collections.abc.Set`` under another
name) and ``DefaultDict`` and its like (not ``collections.abc``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from modernize.authoring import Context, Document, Edit, Notice, Rewrite
from modernize.lazy import lazy_pattern
from modernize.rules.python_typing.names import ABC_ALIASES

ID = "python-typing"
TITLE = "Typing annotations to built-in syntax: Optional and Union to unions, List to list"
KINDS = ("python", "setup-py", "noxfile")
#: It moves a file's Python: a file whose project cannot run the target stays.
MOVES = "python"
CODE = "M011"
#: What a pending change is, as ``verify`` reports it.
FINDING = "old typing spelling"
ENABLED_BY_DEFAULT = False

_SPELLINGS = "Optional|Union|List|Dict|Set|FrozenSet|Tuple|Type"
# ``Optional[``, ``typing.Optional[`` and ``t.Optional[`` (``import typing as t``) all match.
_CANDIDATE = lazy_pattern(rf"\b(?:{_SPELLINGS})\s*\[")
# A name alias (``from typing import List as L``) is looked for by its own name.
_NAME_ALIAS = lazy_pattern(rf"\b(?:{_SPELLINGS})\s+as\s+(\w+)")
_ABC_IMPORT = lazy_pattern(
    rf"\bfrom\s+typing\s+import\b[^;)]*?\b(?:{'|'.join(sorted(ABC_ALIASES))})\b"
)


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    target = context.targets.python
    # A cheap text test first: most files never reach the parse, let alone libcst.
    text = document.text
    if (target.major, target.minor) < (3, 10) or "typing" not in text:
        return
    # The second run of the verification pass mostly stops here too.
    if not _may_hold_candidates(text):
        return
    importers = context.importers
    imported = None if importers is None else importers.imported_from(document.path)
    from modernize.rules.python_typing.rewriting import rewrite_spans  # with the first candidate

    kept: list[tuple[int, str, str]] = []
    for start, end, replacement in rewrite_spans(text, document.python, imported, kept) or ():
        first = document.lines.line_of(start) - 1
        last = document.lines.line_of(max(start, end - 1)) - 1
        yield Edit(
            start,
            end,
            replacement,
            declares=tuple(Rewrite(("line", index)) for index in range(first, last + 1)),
        )
    grouped: dict[tuple[int, str], list[str]] = {}
    for offset, local, reason in kept:
        grouped.setdefault((offset, reason), []).append(local)
    for (offset, reason), locals_kept in sorted(grouped.items()):
        subject = (
            f"{locals_kept[0]} stays"
            if len(locals_kept) == 1
            else f"{', '.join(locals_kept[:-1])} and {locals_kept[-1]} stay"
        )
        yield Notice(
            offset,
            f"{subject} imported from typing, though the uses here are rewritten: {reason}; "
            "remove the import when nothing takes the name from here",
            advisory=True,
        )


def _may_hold_candidates(text: str) -> bool:
    """A text test that never misses a rewrite the parse would find (barring a comment
    between a name and its bracket)."""
    if _CANDIDATE.search(text) or _ABC_IMPORT.search(text):
        return True
    return any(re.search(rf"\b{alias}\s*\[", text) for alias in set(_NAME_ALIAS.findall(text)))


def touches(text: str, context: Context) -> bool:
    """The same text test ``migrate`` starts with."""
    target = context.targets.python
    return (
        (target.major, target.minor) >= (3, 10) and "typing" in text and _may_hold_candidates(text)
    )
