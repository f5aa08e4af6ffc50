"""Opt-in: move typing annotations to the target's built-in syntax (PEP 604 and PEP 585).

What, in Python source, for targets 3.10 and above: ``Optional[X]`` becomes ``X | None``,
``Union[A, B]`` becomes ``A | B``, and ``List``, ``Dict``, ``Set``, ``FrozenSet``, ``Tuple``,
``Type`` become ``list``, ``dict``, ``set``, ``frozenset``, ``tuple``, ``type`` — written bare,
as ``typing.X``, through a module alias (``import typing as t``) or a name alias. ``typing``
imports the rewrite leaves unused are removed; imports still used, and unrelated ones, stay.
Only the rewritten expressions change: libcst reproduces everything else byte for byte.

Why: the old spellings are deprecated aliases; linters flag them and new code uses the
built-ins. Off by default because it touches many files: enable it with
``--only python-typing`` or ``[tool.modernize] enable = ["python-typing"]``.

Example::

    from typing import List, Optional          def first(items: list[str]) -> str | None:
    def first(items: List[str]) -> Optional[str]:   ...

Refuses (leaves the expression as it is): an ``Optional``/``Union`` with a string operand
(``Optional["Node"]``) unless it sits in an annotation of a module with ``from __future__
import annotations`` — elsewhere it is evaluated and ``"Node" | None`` fails at runtime; an
``Optional``/``Union`` whose brackets hold a comment (the brackets, and so the comment's place,
go away). ``collections.abc`` aliases (``typing.Callable``, ``Iterable``) are not rewritten yet.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterator
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from modernize.document import Document
from modernize.model import Edit, Notice
from modernize.registry import Context, findings_of

if TYPE_CHECKING:
    import libcst as cst

ID = "python-typing"
TITLE = "Typing annotations to built-in syntax: Optional and Union to unions, List to list"
KINDS = ("python",)
ENABLED_BY_DEFAULT = False

BUILTINS = {
    "List": "list",
    "Dict": "dict",
    "Set": "set",
    "FrozenSet": "frozenset",
    "Tuple": "tuple",
    "Type": "type",
}
UNIONS = frozenset({"Optional", "Union"})
_CANDIDATE = re.compile(r"\b(?:Optional|Union|List|Dict|Set|FrozenSet|Tuple|Type)\b")


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    target = context.targets.python
    # A cheap text test first: libcst is slow to import and to parse.
    if (target.major, target.minor) < (3, 10) or not _CANDIDATE.search(document.text):
        return
    if "typing" not in document.text:
        return
    new_text = rewrite(document.text)
    if new_text is None or new_text == document.text:
        return
    yield from _line_edits(document.text, new_text)


def rewrite(text: str) -> str | None:
    """The rewritten module text, or None when libcst cannot parse it."""
    import libcst as cst

    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError:
        return None
    visitors = _visitors()
    imports = visitors.TypingImports()
    module.visit(imports)
    for name in imports.rebound:
        imports.names.pop(name, None)
        imports.modules.discard(name)
    if not imports.names and not imports.modules:
        return None
    modernizer = visitors.Modernizer(imports, _has_future_annotations(module))
    updated = module.visit(modernizer)
    if not modernizer.rewritten and not modernizer.modules_used:
        return None
    used = visitors.UsedNames()
    updated.visit(used)
    unused_names = {name for name in modernizer.rewritten if name not in used.names}
    unused_modules = {name for name in modernizer.modules_used if name not in used.names}
    updated = updated.visit(visitors.ImportPruner(unused_names, unused_modules))
    return str(updated.code)


def _line_edits(old: str, new: str) -> Iterator[Edit]:
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    offsets = [0]
    for line in old_lines:
        offsets.append(offsets[-1] + len(line))
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        yield Edit(
            offsets[i1],
            offsets[i2],
            "".join(new_lines[j1:j2]),
            declares=tuple(("line", index) for index in range(i1, max(i2, i1 + 1))),
        )


def _has_future_annotations(module: cst.Module) -> bool:
    import libcst as cst

    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if (
                isinstance(small, cst.ImportFrom)
                and isinstance(small.module, cst.Name)
                and small.module.value == "__future__"
                and not isinstance(small.names, cst.ImportStar)
                and any(_alias_name(alias) == "annotations" for alias in small.names)
            ):
                return True
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

    class TypingImports(cst.CSTVisitor):
        def __init__(self) -> None:
            self.names: dict[str, str] = {}  # local name -> typing name
            self.modules: set[str] = set()  # local names bound to the typing module
            self.rebound: set[str] = set()

        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            if (
                isinstance(node.module, cst.Name)
                and node.module.value == "typing"
                and not isinstance(node.names, cst.ImportStar)
            ):
                for alias in node.names:
                    if _alias_name(alias) in UNIONS or _alias_name(alias) in BUILTINS:
                        self.names[_local_name(alias)] = _alias_name(alias)
            elif not isinstance(node.names, cst.ImportStar):
                for alias in node.names:
                    self.rebound.add(_local_name(alias))  # e.g. voluptuous's own Optional

        def visit_Import(self, node: cst.Import) -> None:
            for alias in node.names:
                if isinstance(alias.name, cst.Name) and alias.name.value == "typing":
                    self.modules.add(_local_name(alias))
                elif alias.asname is not None:
                    self._bound(alias.asname.name)
                elif isinstance(alias.name, cst.Name):
                    self._bound(alias.name)

        # A name bound anywhere else in the module (a parameter called ``Type``, ``List =
        # list``) may shadow the typing import where it is used: such names are left alone.
        def _bound(self, node: cst.CSTNode | None) -> None:
            if isinstance(node, cst.Name):
                self.rebound.add(node.value)
            elif isinstance(node, (cst.Tuple, cst.List)):
                for element in node.elements:
                    self._bound(element.value)
            elif isinstance(node, cst.StarredElement):
                self._bound(node.value)

        def visit_Param(self, node: cst.Param) -> None:
            self._bound(node.name)

        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            self._bound(node.target)

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            self._bound(node.target)

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            self._bound(node.target)

        def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
            self._bound(node.target)

        def visit_For(self, node: cst.For) -> None:
            self._bound(node.target)

        def visit_CompFor(self, node: cst.CompFor) -> None:
            self._bound(node.target)

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            self._bound(node.name)

        def visit_ClassDef(self, node: cst.ClassDef) -> None:
            self._bound(node.name)

        def visit_WithItem(self, node: cst.WithItem) -> None:
            if node.asname is not None:
                self._bound(node.asname.name)

        def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
            if node.name is not None:
                self._bound(node.name.name)

    class Modernizer(cst.CSTTransformer):
        def __init__(self, imports: TypingImports, future_annotations: bool) -> None:
            self.imports = imports
            self.future_annotations = future_annotations
            self.annotation_depth = 0
            self.rewritten: set[str] = set()
            self.modules_used: set[str] = set()

        def visit_Annotation(self, node: cst.Annotation) -> None:
            self.annotation_depth += 1

        def leave_Annotation(
            self, original_node: cst.Annotation, updated_node: cst.Annotation
        ) -> cst.Annotation:
            self.annotation_depth -= 1
            return updated_node

        def _typing_name(self, value: cst.BaseExpression) -> tuple[str, str] | None:
            if isinstance(value, cst.Name) and value.value in self.imports.names:
                return self.imports.names[value.value], value.value
            if (
                isinstance(value, cst.Attribute)
                and isinstance(value.value, cst.Name)
                and value.value.value in self.imports.modules
                and (value.attr.value in UNIONS or value.attr.value in BUILTINS)
            ):
                return value.attr.value, "module:" + value.value.value
            return None

        def _note(self, local: str) -> None:
            if local.startswith("module:"):
                self.modules_used.add(local[7:])
            else:
                self.rewritten.add(local)

        def leave_Subscript(
            self, original_node: cst.Subscript, updated_node: cst.Subscript
        ) -> cst.BaseExpression:
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
            strings = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)
            if any(isinstance(e, strings) for e in elements) and not (
                self.future_annotations and self.annotation_depth
            ):
                return updated_node  # "Node" | None would fail when evaluated
            if name == "Optional":
                if len(elements) != 1:
                    return updated_node
                elements = [elements[0], cst.Name("None")]
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

    class UsedNames(cst.CSTVisitor):
        def __init__(self) -> None:
            self.names: set[str] = set()

        def visit_Import(self, node: cst.Import) -> bool:
            return False

        def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
            return False

        def visit_Name(self, node: cst.Name) -> None:
            self.names.add(node.value)

        def visit_SimpleString(self, node: cst.SimpleString) -> None:
            # A name used only in a string annotation ("Optional[int]") is still used.
            self.names.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", node.value))

    class ImportPruner(cst.CSTTransformer):
        def __init__(self, unused_names: set[str], unused_modules: set[str]) -> None:
            self.unused_names = unused_names
            self.unused_modules = unused_modules

        def _pruned(self, node: cst.BaseSmallStatement) -> cst.BaseSmallStatement | None:
            """The statement without the unused names; None when nothing is left."""
            if isinstance(node, cst.ImportFrom) and isinstance(node.module, cst.Name):
                if node.module.value != "typing" or isinstance(node.names, cst.ImportStar):
                    return node
                kept = [a for a in node.names if _local_name(a) not in self.unused_names]
                names = list(node.names)
            elif isinstance(node, cst.Import):
                kept = [
                    a
                    for a in node.names
                    if not (
                        isinstance(a.name, cst.Name)
                        and a.name.value == "typing"
                        and _local_name(a) in self.unused_modules
                    )
                ]
                names = list(node.names)
            else:
                return node
            if len(kept) == len(names):
                return node
            if not kept:
                return None
            last_had_comma = not isinstance(names[-1].comma, cst.MaybeSentinel)
            parenthesized = isinstance(node, cst.ImportFrom) and node.lpar is not None
            if not (parenthesized and last_had_comma):
                kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            return node.with_changes(names=kept)

        def leave_SimpleStatementLine(
            self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
        ) -> cst.SimpleStatementLine | cst.RemovalSentinel:
            body = []
            changed = False
            for small in updated_node.body:
                pruned = self._pruned(small)
                changed = changed or pruned is not small
                if pruned is not None:
                    body.append(pruned)
            if not changed:
                return updated_node
            if not body:
                return cst.RemoveFromParent()
            body[-1] = body[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
            return updated_node.with_changes(body=body)

    return SimpleNamespace(
        TypingImports=TypingImports,
        Modernizer=Modernizer,
        UsedNames=UsedNames,
        ImportPruner=ImportPruner,
    )


def check(document: Document, context: Context) -> Iterator[Notice]:
    yield from findings_of(migrate, document, context, "old typing spelling")
