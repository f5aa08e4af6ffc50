"""The import statements that lose names, rewritten line by line with libcst."""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import Any

import libcst as cst

from modernize.lazy import lazy_pattern
from modernize.rules.python_typing.locating import Positions

_PHYSICAL_LINE = lazy_pattern(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def import_prunes(
    text: str,
    positions: Positions,
    imports: list[tuple[ast.Import | ast.ImportFrom, list[ast.stmt]]],
    unused_names: set[str],
    unused_modules: set[str],
    moved: set[str],
    rewrites: Sequence[tuple[int, int, str]],
) -> list[tuple[int, int, str]]:
    """Replacements for the physical lines of the import statements that lose names.

    libcst parses just those lines (inside an ``if`` when indented) and drops the names;
    a block left empty gets ``pass``. The ``moved`` names are imported from
    ``collections.abc`` on a line of their own just before. Lines shared with a statement of
    another block (``if TYPE_CHECKING: from typing import List``), or holding an expression
    rewritten on its own (``from typing import List; x: List[int]``), are left alone.
    """
    prunes: dict[tuple[int, int], tuple[int, int, str]] = {}
    # Per block: the statements removed whole, and where a "pass" would go if that is all.
    emptied: dict[int, tuple[list[ast.stmt], list[ast.stmt], tuple[int, int], str]] = {}
    typing_ids = {id(statement) for statement, _body in imports}
    for statement, body in imports:
        local_names = {alias.asname or alias.name for alias in statement.names}
        is_from = isinstance(statement, ast.ImportFrom)
        if not local_names & (unused_names if is_from else unused_modules):
            continue
        first, last, group = _shared_lines(statement, body)
        if (first, last) in prunes:
            continue
        start, end = positions.line_span(first, last)
        if any(start <= rewrite_start < end for rewrite_start, _end, _code in rewrites):
            continue
        head = min(group, key=lambda item: (item.lineno, item.col_offset))
        indent = text[start : positions.offset(head.lineno, head.col_offset)]
        if indent.strip():
            continue
        snippet = text[start:end]
        newline = "\r\n" if snippet.endswith("\r\n") or "\r\n" in text[:200] else "\n"
        header = _abc_import(group, typing_ids, moved, indent, newline)
        pruned = _pruned_snippet(snippet, indent, header, unused_names, unused_modules)
        if pruned is None:
            continue
        replacement, filler = pruned
        if filler is not None:
            removed, _whole, _key, _pass = emptied.setdefault(
                id(body), ([], body, (first, last), filler)
            )
            removed.extend(group)
        prunes[(first, last)] = (start, end, replacement)
    for removed, whole, key, filler in emptied.values():
        if len({id(statement) for statement in removed}) == len(whole):
            start, end, _nothing = prunes[key]
            prunes[key] = (start, end, filler)  # the block keeps a statement
    return list(prunes.values())


def _shared_lines(
    statement: ast.Import | ast.ImportFrom, body: list[ast.stmt]
) -> tuple[int, int, list[ast.stmt]]:
    """The first and last line of ``statement`` and of the statements of its block that share
    a line with it (``import os; from typing import List``), and those statements."""
    assert statement.end_lineno is not None
    first, last = statement.lineno, statement.end_lineno
    group: list[ast.stmt] = []
    grown = True
    while grown:
        grown = False
        for sibling in body:
            end_line = sibling.end_lineno or sibling.lineno
            if sibling.lineno <= last and end_line >= first and sibling not in group:
                group.append(sibling)
                first, last = min(first, sibling.lineno), max(last, end_line)
                grown = True
    return first, last, group


def _abc_import(
    group: list[ast.stmt], typing_ids: set[int], moved: set[str], indent: str, newline: str
) -> str:
    """The ``from collections.abc import ...`` line for the ``moved`` names the typing imports
    of ``group`` bring, or "" when they bring none."""
    abc = [
        alias.name if alias.asname is None else f"{alias.name} as {alias.asname}"
        for sibling in group
        if isinstance(sibling, ast.ImportFrom) and id(sibling) in typing_ids
        for alias in sibling.names
        if (alias.asname or alias.name) in moved
    ]
    return f"{indent}from collections.abc import {', '.join(abc)}{newline}" if abc else ""


def _pruned_snippet(
    snippet: str, indent: str, header: str, unused_names: set[str], unused_modules: set[str]
) -> tuple[str, str | None] | None:
    """The replacement for the lines ``snippet`` (``header`` first) and, when their
    statements all go from an indented block, the ``pass`` line to put there instead should
    the whole block go; None when libcst cannot parse them."""
    try:
        module = cst.parse_module(f"if 1:\n{snippet}" if indent else snippet)
    except cst.ParserSyntaxError:
        return None
    head_node: Any = module.body[0] if module.body else None
    block = head_node.body if indent and head_node is not None else None
    statements = list(block.body) if block is not None else list(module.body)
    kept = _pruned_block(statements, unused_names, unused_modules)
    if kept and block is not None:
        changed = module.with_changes(
            body=[head_node.with_changes(body=block.with_changes(body=kept))]
        )
        return header + changed.code.split("\n", 1)[1], None
    if kept:
        return header + module.with_changes(body=kept).code, None
    ending = snippet[len(snippet.rstrip("\r\n")) :]
    # Comments on lines of their own stay (at the statement's indent); one at the end
    # of a removed line goes with it. An import holds no string a "#" could be in.
    comments = "".join(
        indent + line.lstrip(" \t\x0c")
        for line in _PHYSICAL_LINE.findall(snippet)
        if line.lstrip(" \t\x0c").startswith("#")
    )
    replacement = comments + header
    if not ending:  # the last line of a file without a final newline
        replacement = replacement.rstrip("\r\n")
    filler = f"{comments}{indent}pass{ending}" if indent and not header else None
    return replacement, filler


def _pruned_block(
    statements: list[cst.CSTNode], unused_names: set[str], unused_modules: set[str]
) -> list[Any]:
    out: list[Any] = []
    for statement in statements:
        if isinstance(statement, cst.SimpleStatementLine):
            pruned = _pruned_line(statement, unused_names, unused_modules)
            if pruned is not None:
                out.append(pruned)
        elif isinstance(statement, (cst.If, cst.Try)) and isinstance(
            statement.body, cst.IndentedBlock
        ):
            inner = _pruned_block(list(statement.body.body), unused_names, unused_modules)
            if not inner:
                inner = [cst.SimpleStatementLine(body=[cst.Pass()])]
            out.append(statement.with_changes(body=statement.body.with_changes(body=inner)))
        else:
            out.append(statement)
    return out


def _pruned_line(
    line: cst.SimpleStatementLine, unused_names: set[str], unused_modules: set[str]
) -> cst.SimpleStatementLine | None:
    body: list[Any] = []
    changed = False
    for small in line.body:
        if isinstance(small, cst.ImportFrom) and _is_typing_import(small):
            names = [] if isinstance(small.names, cst.ImportStar) else list(small.names)
            kept = [a for a in names if _local_name(a) not in unused_names]
        elif isinstance(small, cst.Import):
            names = list(small.names)
            kept = [
                a
                for a in names
                if not (
                    isinstance(a.name, cst.Name)
                    and a.name.value == "typing"
                    and _local_name(a) in unused_modules
                )
            ]
        else:
            body.append(small)
            continue
        if len(kept) == len(names):
            body.append(small)
            continue
        changed = True
        if not kept:
            continue
        last_had_comma = not isinstance(names[-1].comma, cst.MaybeSentinel)
        parenthesized = isinstance(small, cst.ImportFrom) and small.lpar is not None
        if not (parenthesized and last_had_comma):
            kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        elif kept[-1] is not names[-1]:
            # The new last name's line keeps its comment; the closing bracket keeps its place.
            our_comma, their_comma = kept[-1].comma, names[-1].comma
            if (
                isinstance(our_comma, cst.Comma)
                and isinstance(their_comma, cst.Comma)
                and isinstance(our_comma.whitespace_after, cst.ParenthesizedWhitespace)
                and isinstance(their_comma.whitespace_after, cst.ParenthesizedWhitespace)
            ):
                spacing = our_comma.whitespace_after.with_changes(
                    indent=their_comma.whitespace_after.indent,
                    last_line=their_comma.whitespace_after.last_line,
                )
                kept[-1] = kept[-1].with_changes(
                    comma=our_comma.with_changes(whitespace_after=spacing)
                )
        body.append(small.with_changes(names=kept))
    if not changed:
        return line
    if not body:
        return None
    body[-1] = body[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
    return line.with_changes(body=body)


def _is_typing_import(small: cst.CSTNode) -> bool:
    if isinstance(small, cst.ImportFrom):
        return isinstance(small.module, cst.Name) and small.module.value == "typing"
    if isinstance(small, cst.Import):
        return any(isinstance(a.name, cst.Name) and a.name.value == "typing" for a in small.names)
    return False


def _alias_name(alias: cst.ImportAlias) -> str:
    name = alias.name
    return name.value if isinstance(name, cst.Name) else ""


def _local_name(alias: cst.ImportAlias) -> str:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return _alias_name(alias)
