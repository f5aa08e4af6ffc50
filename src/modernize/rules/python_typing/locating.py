"""What the rewrite finds with ``ast`` (Python's own parser, in C): character offsets of
nodes, the typing imports, the candidate subscripts and the names a module binds."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence

from modernize.formats.document import quiet_compiler
from modernize.lazy import lazy_pattern
from modernize.rules.python_typing.names import BUILTINS, UNIONS

_LINE_END = lazy_pattern(r"\r\n|\r|\n")


class Positions:
    """Character offsets of ast nodes (whose columns count UTF-8 bytes)."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Python's line ends only: str.splitlines would also break at a form feed or \u2028,
        # and the line numbers would drift from the parser's.
        self.starts = [0] + [match.end() for match in _LINE_END.finditer(text)]
        if self.starts[-1] != len(text):
            self.starts.append(len(text))
        self.lines = [text[a:b] for a, b in zip(self.starts, self.starts[1:], strict=False)]

    def offset(self, line: int, column: int) -> int:
        text = self.lines[line - 1] if line - 1 < len(self.lines) else ""
        if not text.isascii():
            column = len(text.encode("utf-8")[:column].decode("utf-8", errors="replace"))
        return self.starts[line - 1] + column

    def span(self, node: ast.stmt | ast.expr) -> tuple[int, int]:
        assert node.end_lineno is not None and node.end_col_offset is not None
        return (
            self.offset(node.lineno, node.col_offset),
            self.offset(node.end_lineno, node.end_col_offset),
        )

    def line_span(self, first: int, last: int) -> tuple[int, int]:
        """From the start of line ``first`` to the end of line ``last`` (1-based, inclusive)."""
        return self.starts[first - 1], self.starts[min(last, len(self.lines))]


def replaced(text: str, spans: Sequence[tuple[int, int, str]]) -> str:
    """``text`` with each (start, end, replacement) applied; the spans are sorted, disjoint."""
    pieces: list[str] = []
    position = 0
    for start, end, replacement in spans:
        pieces.append(text[position:start])
        pieces.append(replacement)
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def typing_imports(
    statements: list[ast.stmt],
) -> Iterator[tuple[ast.Import | ast.ImportFrom, list[ast.stmt]]]:
    """Statements importing from ``typing`` (at module level, and in ``if``/``try`` blocks),
    each with the block it belongs to."""
    for statement in statements:
        if isinstance(statement, ast.ImportFrom):
            if (
                statement.module == "typing"
                and statement.level == 0
                and not any(alias.name == "*" for alias in statement.names)
            ):
                yield statement, statements
        elif isinstance(statement, ast.Import):
            if any(alias.name == "typing" for alias in statement.names):
                yield statement, statements
        elif isinstance(statement, ast.If):
            yield from typing_imports(statement.body)
            yield from typing_imports(statement.orelse)
        elif isinstance(statement, _TRY_TYPES):  # try, and try with except*: the same fields
            yield from typing_imports(getattr(statement, "body", []))
            for handler in getattr(statement, "handlers", []):
                yield from typing_imports(handler.body)
            yield from typing_imports(getattr(statement, "orelse", []))
            yield from typing_imports(getattr(statement, "finalbody", []))


_TRY_TYPES: tuple[type[ast.stmt], ...] = (ast.Try, getattr(ast, "TryStar", ast.Try))


def scan(
    tree: ast.Module,
    names: dict[str, str],
    modules: set[str],
    typing_statements: set[int],
    shadowed: set[str] | frozenset[str] = frozenset(),
) -> tuple[list[tuple[ast.Subscript, ast.AST, bool]], set[str]]:
    """One walk of the tree: the candidate subscripts not inside another one, each as (node,
    parent, inside an annotation), and every name the module binds other than by its typing
    imports (conservatively: in any scope)."""
    found: list[tuple[ast.Subscript, ast.AST, bool]] = []
    bound: set[str] = set()
    stack: list[tuple[ast.AST, ast.AST, bool]] = [(tree, tree, False)]
    while stack:
        node, parent, in_annotation = stack.pop()
        kind = type(node)
        if kind is ast.Subscript:
            value = node.value  # type: ignore[attr-defined]
            if (type(value) is ast.Name and value.id in names) or (
                type(value) is ast.Attribute
                and type(value.value) is ast.Name
                and value.value.id in modules
                and (value.attr in UNIONS or value.attr in BUILTINS)
                and value.attr not in shadowed
            ):
                found.append((node, parent, in_annotation))  # type: ignore[arg-type]
                continue
        elif kind is ast.Name:
            if type(node.ctx) is not ast.Load:  # type: ignore[attr-defined]
                bound.add(node.id)  # type: ignore[attr-defined]
        elif kind is ast.alias:
            if id(parent) not in typing_statements:
                local = node.asname or node.name  # type: ignore[attr-defined]
                bound.add(local.split(".")[0])
            continue
        elif kind is ast.arg:
            bound.add(node.arg)  # type: ignore[attr-defined]
        elif kind is ast.Global or kind is ast.Nonlocal:
            bound.update(node.names)  # type: ignore[attr-defined]
        else:
            for attribute in ("name", "rest"):  # def, class, except, match captures, type params
                value = getattr(node, attribute, None)
                if isinstance(value, str):
                    bound.add(value)
        for field in node._fields:
            value = getattr(node, field, None)
            annotation = (
                in_annotation
                or field == "returns"
                or (field == "annotation" and (kind is ast.arg or kind is ast.AnnAssign))
            )
            if isinstance(value, list):
                stack.extend(
                    (child, node, annotation) for child in value if isinstance(child, ast.AST)
                )
            elif isinstance(value, ast.AST):
                stack.append((value, node, annotation))
    found.sort(key=lambda item: (item[0].lineno, item[0].col_offset))
    return found, bound


def needs_parentheses(node: ast.expr, parent: ast.AST, code: str) -> bool:
    """Whether ``X | Y`` replacing ``node`` must be parenthesised to keep its meaning."""
    if isinstance(parent, ast.Attribute | ast.UnaryOp | ast.Await):
        return True
    if isinstance(parent, ast.Call) and parent.func is node:
        return True
    if isinstance(parent, ast.Subscript) and parent.value is node:
        return True
    if isinstance(parent, ast.BinOp) and not isinstance(parent.op, ast.BitOr):
        return True
    if "\n" in code:  # a line break outside brackets ends the expression
        try:
            with quiet_compiler():
                compile(code, "<annotation>", "eval")
        except SyntaxError:
            return True
    return False


def has_future_annotations(tree: ast.Module) -> bool:
    return any(
        isinstance(statement, ast.ImportFrom)
        and statement.module == "__future__"
        and any(alias.name == "annotations" for alias in statement.names)
        for statement in tree.body
    )
