"""The rewrite behind the python-typing migration: old ``typing`` spellings to built-in syntax.

Located with ``ast`` (offsets in the original text) and rewritten expression by expression with
libcst, loaded only when a file holds a candidate; the migration's docstring says what changes
and when it refuses.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterator, Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from modernize.formats.document import parse_python, quiet_compiler

if TYPE_CHECKING:
    import libcst as cst

BUILTINS = {
    "List": "list",
    "Dict": "dict",
    "Set": "set",
    "FrozenSet": "frozenset",
    "Tuple": "tuple",
    "Type": "type",
}
UNIONS = frozenset({"Optional", "Union"})
#: typing's deprecated aliases of ``collections.abc`` classes, generic there since Python 3.9.
#: Moving the import is the whole change: every use of the name keeps working.
ABC_ALIASES = frozenset(
    {
        "AsyncGenerator",
        "AsyncIterable",
        "AsyncIterator",
        "Awaitable",
        "Callable",
        "Collection",
        "Container",
        "Coroutine",
        "Generator",
        "ItemsView",
        "Iterable",
        "Iterator",
        "KeysView",
        "Mapping",
        "MappingView",
        "MutableMapping",
        "MutableSequence",
        "MutableSet",
        "Reversible",
        "Sequence",
        "ValuesView",
    }
)


def rewrite(text: str) -> str | None:
    """The rewritten module text, or None when there is nothing to do or it does not parse."""
    try:
        tree = parse_python(text)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    spans = rewrite_spans(text, tree)
    return None if spans is None else _replaced(text, spans)


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
    positions = _Positions(text)
    imports = list(_typing_imports(tree.body))
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
    if not names and not modules and not moved:
        return None
    typing_statements = {id(statement) for statement, _body in imports}
    try:
        found, bound = _scan(tree, names, modules, typing_statements)
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
            found, bound = _scan(tree, names, modules, typing_statements, shadowed)
    except RecursionError:
        return None
    if moved:
        # A class built on typing's alias (``class Box(Iterable[T])``) is a typing.Generic with
        # type parameters; on collections.abc's it is not: those names stay typing's.
        moved -= {
            base.value.id
            for node in ast.walk(tree)
            if isinstance(node, ast.ClassDef)
            for base in node.bases
            if isinstance(base, ast.Subscript) and isinstance(base.value, ast.Name)
        }
    if not found and not moved:
        return None
    import libcst as cst

    modernizer = _visitors().Modernizer(names, modules, _has_future_annotations(tree))
    modernizer.shadowed = shadowed
    rewrites: list[tuple[int, int, str]] = []
    for node, parent, in_annotation in found:
        start, end = positions.span(node)
        segment = text[start:end]
        try:
            expression = cst.parse_expression(segment)
        except cst.ParserSyntaxError:
            continue
        modernizer.annotation_depth = 1 if in_annotation else 0
        updated = expression.visit(modernizer)
        # libcst writes the line breaks it keeps inside the expression with the module's
        # newline: the file's own, not always "\n".
        code = _empty_module("\r\n" if "\r\n" in segment else "\n").code_for_node(updated)
        if code == segment:
            continue
        if isinstance(updated, cst.BinaryOperation) and _needs_parentheses(node, parent, code):
            code = f"({code})"
        rewrites.append((start, end, code))
    if not rewrites and not moved:
        return None
    import_spans = [(*positions.span(statement), "\n") for statement, _body in imports]
    new_outside = _replaced(text, sorted(import_spans + rewrites))
    unused_names = {n for n in modernizer.rewritten if not re.search(rf"\b{n}\b", new_outside)}
    unused_modules = {n for n in modernizer.modules_used if not re.search(rf"\b{n}\b", new_outside)}
    if unused_names or unused_modules:
        reasons = _import_reasons(tree, unused_names | unused_modules, imported)
        unused_names -= set(reasons)
        unused_modules -= set(reasons)
        if kept is not None:
            for statement, _body in imports:
                for alias in statement.names:
                    local = alias.asname or alias.name
                    if local in reasons:
                        offset = positions.offset(statement.lineno, statement.col_offset)
                        kept.append((offset, local, reasons.pop(local)))
    prunes: list[tuple[int, int, str]] = []
    if unused_names or unused_modules or moved:
        prunes = _prunes(
            text, positions, imports, unused_names | moved, unused_modules, moved, rewrites
        )
    spans = sorted(rewrites + prunes)
    return spans or None


def _import_reasons(
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


@functools.cache
def _empty_module(newline: str) -> Any:
    import libcst as cst

    return cst.Module(body=[], default_newline=newline)


_LINE_END = re.compile(r"\r\n|\r|\n")
_PHYSICAL_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


class _Positions:
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


def _replaced(text: str, spans: Sequence[tuple[int, int, str]]) -> str:
    """``text`` with each (start, end, replacement) applied; the spans are sorted, disjoint."""
    pieces: list[str] = []
    position = 0
    for start, end, replacement in spans:
        pieces.append(text[position:start])
        pieces.append(replacement)
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _typing_imports(
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
            yield from _typing_imports(statement.body)
            yield from _typing_imports(statement.orelse)
        elif isinstance(statement, _TRY_TYPES):  # try, and try with except*: the same fields
            yield from _typing_imports(getattr(statement, "body", []))
            for handler in getattr(statement, "handlers", []):
                yield from _typing_imports(handler.body)
            yield from _typing_imports(getattr(statement, "orelse", []))
            yield from _typing_imports(getattr(statement, "finalbody", []))


_TRY_TYPES: tuple[type[ast.stmt], ...] = (ast.Try, getattr(ast, "TryStar", ast.Try))


def _scan(
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


def _needs_parentheses(node: ast.expr, parent: ast.AST, code: str) -> bool:
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


def _prunes(
    text: str,
    positions: _Positions,
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
    import libcst as cst

    prunes: dict[tuple[int, int], tuple[int, int, str]] = {}
    # Per block: the statements removed whole, and where a "pass" would go if that is all.
    emptied: dict[int, tuple[list[ast.stmt], list[ast.stmt], tuple[int, int], str]] = {}
    typing_ids = {id(statement) for statement, _body in imports}
    for statement, body in imports:
        local_names = {alias.asname or alias.name for alias in statement.names}
        is_from = isinstance(statement, ast.ImportFrom)
        if not local_names & (unused_names if is_from else unused_modules):
            continue
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
        try:
            module = cst.parse_module(f"if 1:\n{snippet}" if indent else snippet)
        except cst.ParserSyntaxError:
            continue
        newline = "\r\n" if snippet.endswith("\r\n") or "\r\n" in text[:200] else "\n"
        abc = [
            alias.name if alias.asname is None else f"{alias.name} as {alias.asname}"
            for sibling in group
            if isinstance(sibling, ast.ImportFrom) and id(sibling) in typing_ids
            for alias in sibling.names
            if (alias.asname or alias.name) in moved
        ]
        header = f"{indent}from collections.abc import {', '.join(abc)}{newline}" if abc else ""
        head_node: Any = module.body[0] if module.body else None
        block = head_node.body if indent and head_node is not None else None
        statements = list(block.body) if block is not None else list(module.body)
        kept = _pruned_block(statements, unused_names, unused_modules)
        if not kept:
            ending = snippet[len(snippet.rstrip("\r\n")) :]
            # Comments on lines of their own stay (at the statement's indent); one at the end
            # of a removed line goes with it. An import holds no string a "#" could be in.
            comments = "".join(
                indent + line.lstrip(" \t\x0c")
                for line in _PHYSICAL_LINE.findall(snippet)
                if line.lstrip(" \t\x0c").startswith("#")
            )
            replacement, moved_here = comments + header, bool(header)
            header = ""
            if not ending:  # the last line of a file without a final newline
                replacement = replacement.rstrip("\r\n")
            if indent and not moved_here:
                removed, whole, _key, _pass = emptied.setdefault(
                    id(body), ([], body, (first, last), f"{comments}{indent}pass{ending}")
                )
                removed.extend(group)
        elif block is not None:
            changed = module.with_changes(
                body=[head_node.with_changes(body=block.with_changes(body=kept))]
            )
            replacement = changed.code.split("\n", 1)[1]
        else:
            replacement = module.with_changes(body=kept).code
        prunes[(first, last)] = (start, end, header + replacement)
    for removed, whole, key, filler in emptied.values():
        if len({id(statement) for statement in removed}) == len(whole):
            start, end, _nothing = prunes[key]
            prunes[key] = (start, end, filler)  # the block keeps a statement
    return list(prunes.values())


def _pruned_block(
    statements: list[cst.CSTNode], unused_names: set[str], unused_modules: set[str]
) -> list[Any]:
    import libcst as cst

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
    import libcst as cst

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


def _has_future_annotations(tree: ast.Module) -> bool:
    return any(
        isinstance(statement, ast.ImportFrom)
        and statement.module == "__future__"
        and any(alias.name == "annotations" for alias in statement.names)
        for statement in tree.body
    )


def _is_typing_import(small: cst.CSTNode) -> bool:
    import libcst as cst

    if isinstance(small, cst.ImportFrom):
        return isinstance(small.module, cst.Name) and small.module.value == "typing"
    if isinstance(small, cst.Import):
        return any(isinstance(a.name, cst.Name) and a.name.value == "typing" for a in small.names)
    return False


def _alias_name(alias: cst.ImportAlias) -> str:
    import libcst as cst

    name = alias.name
    return name.value if isinstance(name, cst.Name) else ""


def _local_name(alias: cst.ImportAlias) -> str:
    import libcst as cst

    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return _alias_name(alias)


@functools.cache
def _visitors() -> Any:
    """The libcst visitor classes, defined on first use (libcst is imported lazily)."""
    import libcst as cst

    class Modernizer(cst.CSTTransformer):
        def __init__(
            self, names: dict[str, str], modules: set[str], future_annotations: bool
        ) -> None:
            self.names = names
            self.modules = modules
            self.future_annotations = future_annotations
            self.annotation_depth = 0
            self.rewritten: set[str] = set()
            self.modules_used: set[str] = set()
            self.shadowed: set[str] = set()  # typing names whose built-in the module rebinds

        def visit_Annotation(self, node: cst.Annotation) -> None:
            self.annotation_depth += 1

        def leave_Annotation(
            self, original_node: cst.Annotation, updated_node: cst.Annotation
        ) -> cst.Annotation:
            self.annotation_depth -= 1
            return updated_node

        def _typing_name(self, value: cst.BaseExpression) -> tuple[str, str] | None:
            if isinstance(value, cst.Name) and value.value in self.names:
                return self.names[value.value], value.value
            if (
                isinstance(value, cst.Attribute)
                and isinstance(value.value, cst.Name)
                and value.value.value in self.modules
                and (value.attr.value in UNIONS or value.attr.value in BUILTINS)
                and value.attr.value not in self.shadowed
            ):
                return value.attr.value, "module:" + value.value.value
            return None

        def _note(self, local: str) -> None:
            if local.startswith("module:"):
                self.modules_used.add(local[7:])
            else:
                self.rewritten.add(local)

        # A union built inside an expression that binds tighter than ``|`` gets parentheses.
        def leave_Attribute(
            self, original_node: cst.Attribute, updated_node: cst.Attribute
        ) -> cst.BaseExpression:
            return updated_node.with_changes(value=_grouped(updated_node.value))

        def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
            return updated_node.with_changes(func=_grouped(updated_node.func))

        def leave_UnaryOperation(
            self, original_node: cst.UnaryOperation, updated_node: cst.UnaryOperation
        ) -> cst.BaseExpression:
            return updated_node.with_changes(expression=_grouped(updated_node.expression))

        def leave_Await(
            self, original_node: cst.Await, updated_node: cst.Await
        ) -> cst.BaseExpression:
            return updated_node.with_changes(expression=_grouped(updated_node.expression))

        def leave_BinaryOperation(
            self, original_node: cst.BinaryOperation, updated_node: cst.BinaryOperation
        ) -> cst.BaseExpression:
            if isinstance(updated_node.operator, cst.BitOr):
                return updated_node
            return updated_node.with_changes(
                left=_grouped(updated_node.left), right=_grouped(updated_node.right)
            )

        def leave_Subscript(
            self, original_node: cst.Subscript, updated_node: cst.Subscript
        ) -> cst.BaseExpression:
            updated_node = updated_node.with_changes(value=_grouped(updated_node.value))
            found = self._typing_name(updated_node.value)
            if found is None:
                return updated_node
            name, local = found
            if name in BUILTINS:
                self._note(local)
                return updated_node.with_changes(value=cst.Name(BUILTINS[name]))
            elements: list[cst.BaseExpression] = []
            for subscript_element in updated_node.slice:
                index = subscript_element.slice
                if not isinstance(index, cst.Index) or index.star is not None:
                    return updated_node
                elements.append(index.value)
            if "#" in cst.Module(body=[]).code_for_node(original_node):
                return updated_node  # a comment inside the brackets has nowhere to go
            if len(elements) == 1 and isinstance(elements[0], cst.Tuple):
                return updated_node  # Union[(A, B)]: its brackets hold a tuple
            strings = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)
            if any(isinstance(e, strings) for e in elements):
                # "Node" | None fails when evaluated: at definition time without postponed
                # annotations, by typing.get_type_hints with them. A postponed annotation
                # needs no quotes, so there a quoted name loses them; anything else stays.
                if not (self.future_annotations and self.annotation_depth):
                    return updated_node
                unquoted = [_unquoted(e) if isinstance(e, strings) else e for e in elements]
                if any(e is None for e in unquoted):
                    return updated_node
                elements = [e for e in unquoted if e is not None]
            if name == "Optional":
                if len(elements) != 1:
                    return updated_node
                elements = [elements[0], cst.Name("None")]
            if all(_is_none(atom) for atom in _leftmost(elements)[:2]):
                return updated_node  # None | None fails when evaluated
            # An operand that binds more loosely than ``|`` keeps its meaning in parentheses.
            loose = (cst.IfExp, cst.Lambda, cst.NamedExpr, cst.BooleanOperation, cst.Comparison)
            elements = [
                element.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
                if (
                    isinstance(element, loose)
                    or (
                        isinstance(element, cst.UnaryOperation)
                        and isinstance(element.operator, cst.Not)
                    )
                )
                and not element.lpar
                else element
                for element in elements
            ]
            result = elements[0]
            for operand in elements[1:]:
                result = cst.BinaryOperation(
                    left=result,
                    operator=cst.BitOr(
                        whitespace_before=cst.SimpleWhitespace(" "),
                        whitespace_after=cst.SimpleWhitespace(" "),
                    ),
                    right=operand,
                )
            self._note(local)
            if updated_node.lpar:
                result = result.with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)
            return result

    return SimpleNamespace(Modernizer=Modernizer)


def _grouped(expression: Any) -> Any:
    """``expression`` in parentheses when it is a union without them (one this migration
    built: the source cannot hold one there unparenthesised)."""
    import libcst as cst

    if (
        isinstance(expression, cst.BinaryOperation)
        and isinstance(expression.operator, cst.BitOr)
        and not expression.lpar
    ):
        return expression.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return expression


_DOTTED_NAME = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")


def _unquoted(string: Any) -> Any:
    """The name a string forward reference holds (``"Node"``, ``"models.Node"``), as an
    expression; None for anything else."""
    import keyword

    import libcst as cst

    value = string.evaluated_value if isinstance(string, cst.SimpleString) else None
    if not isinstance(value, str) or not _DOTTED_NAME.fullmatch(value):
        return None
    if any(keyword.iskeyword(part) for part in value.split(".")):
        return None
    return cst.parse_expression(value)


def _leftmost(elements: Sequence[cst.BaseExpression]) -> list[cst.BaseExpression]:
    """The operands of the union ``elements`` make, in the order ``|`` applies them (a nested
    union rewritten before, without parentheses, joins the chain)."""
    import libcst as cst

    atoms: list[cst.BaseExpression] = []
    for element in elements:
        if (
            isinstance(element, cst.BinaryOperation)
            and isinstance(element.operator, cst.BitOr)
            and not element.lpar
        ):
            atoms.extend(_leftmost([element.left, element.right]))
        else:
            atoms.append(element)
    return atoms


def _is_none(expression: cst.BaseExpression) -> bool:
    import libcst as cst

    return isinstance(expression, cst.Name) and expression.value == "None"
