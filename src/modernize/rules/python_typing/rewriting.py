"""The rewrite: the spans that modernise a module, and the text-to-text form."""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from modernize.formats.document import parse_python
from modernize.rules.python_typing.exports import import_reasons
from modernize.rules.python_typing.locating import (
    Positions,
    has_future_annotations,
    replaced,
    scan,
    typing_imports,
)
from modernize.rules.python_typing.names import ABC_ALIASES, BUILTINS, UNIONS

if TYPE_CHECKING:
    from modernize.rules.python_typing.unions import Modernizer

#: A typing import statement, with the block it belongs to.
_Import = tuple[ast.Import | ast.ImportFrom, list[ast.stmt]]
_Span = tuple[int, int, str]


def rewrite(text: str) -> str | None:
    """The rewritten module text, or None when there is nothing to do or it does not parse."""
    try:
        tree = parse_python(text)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    spans = rewrite_spans(text, tree)
    return None if spans is None else replaced(text, spans)


def rewrite_spans(
    text: str,
    tree: ast.Module,
    imported: frozenset[str] | None = frozenset(),
    kept: list[tuple[int, str, str]] | None = None,
) -> list[tuple[int, int, str]] | None:
    """The (start, end, replacement) spans that modernise the module, sorted, or None.

    A typing import the rewrite leaves unused stays when other modules may import the name
    from this one: the module exports it (``__all__``, ``from typing import X as X``), or it
    is among ``imported``, the names other files of the repository import from this one
    (``importers.EVERY_NAME`` for a star import; None when they cannot be known: every
    import stays). Each such name is added to ``kept`` as (offset, name, why).

    Python's own parser (``ast``, in C) finds the typing imports, the names the module
    rebinds and the subscripts to rewrite; libcst then rewrites only those expressions and the
    import statements to prune, each parsed on its own: a whole-module libcst parse would cost
    a hundred times more than the rest of the work.
    """
    positions = Positions(text)
    imports = list(typing_imports(tree.body))
    names, modules, moved = _imported_names(imports)
    if not names and not modules and not moved:
        return None
    try:
        found, shadowed = _candidates(tree, imports, names, modules, moved)
    except RecursionError:
        return None
    if moved:
        moved -= _generic_bases(tree)
    if not found and not moved:
        return None
    # libcst is loaded only now: most modules never get here.
    from modernize.rules.python_typing.unions import Modernizer, rewritten_expressions

    modernizer = Modernizer(names, modules, has_future_annotations(tree))
    modernizer.shadowed = shadowed
    rewrites = rewritten_expressions(text, positions, found, modernizer)
    if not rewrites and not moved:
        return None
    unused_names, unused_modules = _unused_imports(
        text, tree, positions, imports, rewrites, modernizer, imported, kept
    )
    prunes: list[_Span] = []
    if unused_names or unused_modules or moved:
        from modernize.rules.python_typing.pruning import import_prunes

        prunes = import_prunes(
            text, positions, imports, unused_names | moved, unused_modules, moved, rewrites
        )
    spans = sorted(rewrites + prunes)
    return spans or None


def _imported_names(imports: list[_Import]) -> tuple[dict[str, str], set[str], set[str]]:
    """What the typing imports bind: the names to rewrite (local name to typing's), the local
    names of the ``typing`` module, and those of ``collections.abc`` aliases (to move)."""
    names: dict[str, str] = {}
    modules: set[str] = set()
    moved: set[str] = set()  # local names of collections.abc aliases imported from typing
    for statement, _body in imports:
        if isinstance(statement, ast.ImportFrom):
            for alias in statement.names:
                if alias.name in UNIONS or alias.name in BUILTINS:
                    names[alias.asname or alias.name] = alias.name
                elif alias.name in ABC_ALIASES:
                    moved.add(alias.asname or alias.name)
        else:
            for alias in statement.names:
                if alias.name == "typing":
                    modules.add(alias.asname or alias.name)
    return names, modules, moved


def _candidates(
    tree: ast.Module,
    imports: list[_Import],
    names: dict[str, str],
    modules: set[str],
    moved: set[str],
) -> tuple[list[tuple[ast.Subscript, ast.AST, bool]], set[str]]:
    """The subscripts to rewrite (as ``scan`` finds them) and the typing names whose built-in
    the module binds; the names the module binds again are dropped from ``names``,
    ``modules`` and ``moved``. Raises RecursionError on a tree too deep to walk."""
    typing_statements = {id(statement) for statement, _body in imports}
    found, bound = scan(tree, names, modules, typing_statements)
    rebound = bound & (set(names) | modules | moved)
    # A built-in the module binds somewhere (a method ``list``, a field ``type``) may not be
    # the built-in where the annotation is evaluated: its typing spelling stays.
    shadowed = {name for name, builtin in BUILTINS.items() if builtin in bound}
    rebound |= {local for local, name in names.items() if name in shadowed}
    if rebound or shadowed:  # a name the module rebinds is not typing's everywhere
        for local in rebound:
            names.pop(local, None)
            modules.discard(local)
            moved.discard(local)
        found, bound = scan(tree, names, modules, typing_statements, shadowed)
    return found, shadowed


def _generic_bases(tree: ast.Module) -> set[str]:
    """The names subscripted in a class's bases.

    A class built on typing's alias (``class Box(Iterable[T])``) is a typing.Generic with
    type parameters; on collections.abc's it is not: those names stay typing's."""
    return {
        base.value.id
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        for base in node.bases
        if isinstance(base, ast.Subscript) and isinstance(base.value, ast.Name)
    }


def _unused_imports(
    text: str,
    tree: ast.Module,
    positions: Positions,
    imports: list[_Import],
    rewrites: list[_Span],
    modernizer: Modernizer,
    imported: frozenset[str] | None,
    kept: list[tuple[int, str, str]] | None,
) -> tuple[set[str], set[str]]:
    """The typing names and module names no longer used once ``rewrites`` are made, less
    those kept for other modules (each added to ``kept`` with why)."""
    import_spans = [(*positions.span(statement), "\n") for statement, _body in imports]
    new_outside = replaced(text, sorted(import_spans + rewrites))
    unused_names = {n for n in modernizer.rewritten if not re.search(rf"\b{n}\b", new_outside)}
    unused_modules = {n for n in modernizer.modules_used if not re.search(rf"\b{n}\b", new_outside)}
    if unused_names or unused_modules:
        reasons = import_reasons(tree, unused_names | unused_modules, imported)
        unused_names -= set(reasons)
        unused_modules -= set(reasons)
        if kept is not None:
            for statement, _body in imports:
                for alias in statement.names:
                    local = alias.asname or alias.name
                    if local in reasons:
                        offset = positions.offset(statement.lineno, statement.col_offset)
                        kept.append((offset, local, reasons.pop(local)))
    return unused_names, unused_modules
