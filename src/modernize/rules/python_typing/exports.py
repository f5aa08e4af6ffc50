"""Which typing imports the rewrite leaves unused must stay: those other modules may import
from this one."""

from __future__ import annotations

import ast


def import_reasons(
    tree: ast.Module, unused: set[str], imported: frozenset[str] | None
) -> dict[str, str]:
    """Of the ``unused`` typing imports, those to keep for other modules, each with why."""
    from modernize.rules.importers import EVERY_NAME

    if imported is None:
        return {name: "the repository's other files could not be surveyed" for name in unused}
    exported = _exported(tree)
    reasons: dict[str, str] = {}
    for name in sorted(unused):
        if exported is None or name in exported:
            reasons[name] = "the module exports it (__all__, or an import as itself)"
        elif name in imported:
            reasons[name] = "another module of the repository imports it from here"
        elif EVERY_NAME in imported:
            reasons[name] = "another module of the repository imports * from here"
    return reasons


def _exported(tree: ast.Module) -> set[str] | None:
    """The names the module says it exports: those its ``__all__`` lists (assigned, added to,
    extended) and those it imports as themselves (``from typing import List as List``);
    None when ``__all__`` is computed and could hold any name."""
    names: set[str] = set()
    for node in ast.walk(tree):
        value: ast.expr | None = None
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                value = node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "__all__"
        ):
            value = ast.Tuple(elts=list(node.args), ctx=ast.Load())
        elif isinstance(node, ast.alias) and node.asname == node.name:
            names.add(node.name)
        if value is None:
            continue
        listed = _listed_strings(value)
        if listed is None:
            return None
        names |= listed
    return names


def _listed_strings(value: ast.expr) -> set[str] | None:
    """The strings of a literal list, tuple or set of them (or of a sum of such), else None."""
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return {value.value}
    if isinstance(value, ast.List | ast.Tuple | ast.Set):
        out: set[str] = set()
        for element in value.elts:
            inner = _listed_strings(element)
            if inner is None:
                return None
            out |= inner
        return out
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
        left, right = _listed_strings(value.left), _listed_strings(value.right)
        return None if left is None or right is None else left | right
    return None
