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
from collections.abc import Iterator, Sequence
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
_CANDIDATE = re.compile(r"\b(?:Optional|Union|List|Dict|Set|FrozenSet|Tuple|Type)\s*\[")
# With a name or module alias (``List as L``, ``import typing as t``) any subscript may be one.
_ALIASED = re.compile(r"\bfrom\s+typing\s+import\s*\(?[^)]*?\bas\b|\bimport\s+typing\s+as\b")


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    target = context.targets.python
    # A cheap text test first: libcst is slow to import and to parse.
    text = document.text
    if (target.major, target.minor) < (3, 10) or "typing" not in text:
        return
    # The second run of the verification pass mostly stops here, before libcst parses.
    if not _CANDIDATE.search(text) and not _ALIASED.search(text):
        return
    new_text = rewrite(document.text)
    if new_text is None or new_text == document.text:
        return
    yield from _line_edits(document.text, new_text)


def rewrite(text: str) -> str | None:
    """The rewritten module text, or None when libcst cannot parse it.

    One libcst transform does the rewrite; finding the imports, the names the module rebinds,
    the names still used and pruning the imports work on statements and text only, since
    each further walk of the whole tree would cost as much as the parse.
    """
    import libcst as cst

    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError:
        return None
    import_lines = list(_typing_import_lines(module.body))
    names: dict[str, str] = {}
    modules: set[str] = set()
    for line in import_lines:
        for small in line.body:
            if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                for alias in small.names:
                    if _alias_name(alias) in UNIONS or _alias_name(alias) in BUILTINS:
                        names[_local_name(alias)] = _alias_name(alias)
            elif isinstance(small, cst.Import):
                for alias in small.names:
                    if isinstance(alias.name, cst.Name) and alias.name.value == "typing":
                        modules.add(_local_name(alias))
    outside_imports = _without(module, text, import_lines)
    for local in list(names) + list(modules):
        if _rebinds(outside_imports, local):
            names.pop(local, None)
            modules.discard(local)
    if not names and not modules:
        return None
    modernizer = _visitors().Modernizer(names, modules, _has_future_annotations(module))
    updated = module.visit(modernizer)
    if not modernizer.rewritten and not modernizer.modules_used:
        return None
    new_outside = _without(updated, updated.code, list(_typing_import_lines(updated.body)))
    unused_names = {n for n in modernizer.rewritten if not re.search(rf"\b{n}\b", new_outside)}
    unused_modules = {n for n in modernizer.modules_used if not re.search(rf"\b{n}\b", new_outside)}
    if unused_names or unused_modules:
        body = _pruned_block(list(updated.body), unused_names, unused_modules)
        updated = updated.with_changes(body=body)
    return str(updated.code)


def _typing_import_lines(statements: Sequence[cst.CSTNode]) -> Iterator[cst.SimpleStatementLine]:
    """Statement lines importing from ``typing`` (at module level, and in ``if``/``try``)."""
    import libcst as cst

    for statement in statements:
        if isinstance(statement, cst.SimpleStatementLine):
            if any(_is_typing_import(small) for small in statement.body):
                yield statement
        elif isinstance(statement, (cst.If, cst.Try, cst.Else, cst.ExceptHandler, cst.Finally)):
            yield from _typing_import_lines(_block(statement))
            for child in _children(statement):
                yield from _typing_import_lines([child])


def _is_typing_import(small: cst.CSTNode) -> bool:
    import libcst as cst

    if isinstance(small, cst.ImportFrom):
        return isinstance(small.module, cst.Name) and small.module.value == "typing"
    if isinstance(small, cst.Import):
        return any(isinstance(a.name, cst.Name) and a.name.value == "typing" for a in small.names)
    return False


def _block(statement: cst.CSTNode) -> list[cst.CSTNode]:
    import libcst as cst

    body = getattr(statement, "body", None)
    if isinstance(body, (cst.IndentedBlock, cst.SimpleStatementSuite)):
        return list(body.body)
    return []


def _children(statement: cst.CSTNode) -> list[cst.CSTNode]:
    """The else/elif/except/finally parts of a compound statement."""
    found: list[cst.CSTNode] = []
    for attribute in ("orelse", "finalbody"):
        part = getattr(statement, attribute, None)
        if part is not None:
            found.append(part)
    found.extend(getattr(statement, "handlers", ()))
    return found


def _without(module: cst.Module, text: str, lines: Sequence[cst.CSTNode]) -> str:
    """The module's text with the given statements' text cut out."""
    for line in lines:
        text = text.replace(module.code_for_node(line), "\n", 1)
    return text


def _rebinds(text: str, name: str) -> bool:
    """Whether the text seems to bind ``name`` other than by a typing import (conservative:
    a false alarm only leaves the name alone)."""
    escaped = re.escape(name)
    pattern = (
        rf"\b(?:def|class|as|for|import|global|nonlocal)\s+{escaped}\b"
        rf"|\b{escaped}\s*(?:=(?!=)|:(?!\s*\])|,\s*\**\w|\bin\b)"
        rf"|[(,*]\s*{escaped}\s*[,)=:]"
    )
    return re.search(pattern, text) is not None


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
        body.append(small.with_changes(names=kept))
    if not changed:
        return line
    if not body:
        return None
    body[-1] = body[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
    return line.with_changes(body=body)


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

    return SimpleNamespace(Modernizer=Modernizer)


def check(document: Document, context: Context) -> Iterator[Notice]:
    yield from findings_of(migrate, document, context, "old typing spelling")
