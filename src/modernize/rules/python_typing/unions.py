"""The libcst side of the rewrite: each candidate expression, parsed on its own, gets its
built-in spelling (``list[int]``, ``int | None``)."""

from __future__ import annotations

import ast
import functools
import keyword
from collections.abc import Sequence
from typing import Any

import libcst as cst

from modernize.lazy import lazy_pattern
from modernize.rules.python_typing.locating import Positions, needs_parentheses
from modernize.rules.python_typing.names import BUILTINS, UNIONS


@functools.cache
def _empty_module(newline: str) -> Any:
    return cst.Module(body=[], default_newline=newline)


class Modernizer(cst.CSTTransformer):
    """Rewrites the typing spellings of one expression; notes the names it rewrote."""

    def __init__(self, names: dict[str, str], modules: set[str], future_annotations: bool) -> None:
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

    def leave_Await(self, original_node: cst.Await, updated_node: cst.Await) -> cst.BaseExpression:
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
        elements = self._union_operands(name, original_node, updated_node)
        if elements is None:
            return updated_node
        result = _union(elements)
        self._note(local)
        if updated_node.lpar:
            result = result.with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)
        return result

    def _union_operands(
        self, name: str, original_node: cst.Subscript, updated_node: cst.Subscript
    ) -> list[cst.BaseExpression] | None:
        """The operands of the union that ``Optional[...]`` or ``Union[...]`` means, or None
        when it must keep its typing spelling."""
        elements: list[cst.BaseExpression] = []
        for subscript_element in updated_node.slice:
            index = subscript_element.slice
            if not isinstance(index, cst.Index) or index.star is not None:
                return None
            elements.append(index.value)
        if "#" in cst.Module(body=[]).code_for_node(original_node):
            return None  # a comment inside the brackets has nowhere to go
        if len(elements) == 1 and isinstance(elements[0], cst.Tuple):
            return None  # Union[(A, B)]: its brackets hold a tuple
        strings = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)
        if any(isinstance(e, strings) for e in elements):
            # "Node" | None fails when evaluated: at definition time without postponed
            # annotations, by typing.get_type_hints with them. A postponed annotation
            # needs no quotes, so there a quoted name loses them; anything else stays.
            if not (self.future_annotations and self.annotation_depth):
                return None
            unquoted = [_unquoted(e) if isinstance(e, strings) else e for e in elements]
            if any(e is None for e in unquoted):
                return None
            elements = [e for e in unquoted if e is not None]
        if name == "Optional":
            if len(elements) != 1:
                return None
            elements = [elements[0], cst.Name("None")]
        if all(_is_none(atom) for atom in _leftmost(elements)[:2]):
            return None  # None | None fails when evaluated
        return elements


#: Operands that bind more loosely than ``|``: they keep their meaning in parentheses.
_LOOSE = (cst.IfExp, cst.Lambda, cst.NamedExpr, cst.BooleanOperation, cst.Comparison)


def _union(elements: list[cst.BaseExpression]) -> cst.BaseExpression:
    """``A | B | ...`` of ``elements``, those that bind more loosely in parentheses."""
    elements = [
        element.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        if (
            isinstance(element, _LOOSE)
            or (isinstance(element, cst.UnaryOperation) and isinstance(element.operator, cst.Not))
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
    return result


def _grouped(expression: Any) -> Any:
    """``expression`` in parentheses when it is a union without them (one this migration
    built: the source cannot hold one there unparenthesised)."""
    if (
        isinstance(expression, cst.BinaryOperation)
        and isinstance(expression.operator, cst.BitOr)
        and not expression.lpar
    ):
        return expression.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return expression


_DOTTED_NAME = lazy_pattern(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")


def _unquoted(string: Any) -> Any:
    """The name a string forward reference holds (``"Node"``, ``"models.Node"``), as an
    expression; None for anything else."""
    value = string.evaluated_value if isinstance(string, cst.SimpleString) else None
    if not isinstance(value, str) or not _DOTTED_NAME.fullmatch(value):
        return None
    if any(keyword.iskeyword(part) for part in value.split(".")):
        return None
    return cst.parse_expression(value)


def _leftmost(elements: Sequence[cst.BaseExpression]) -> list[cst.BaseExpression]:
    """The operands of the union ``elements`` make, in the order ``|`` applies them (a nested
    union rewritten before, without parentheses, joins the chain)."""
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
    return isinstance(expression, cst.Name) and expression.value == "None"


def rewritten_expressions(
    text: str,
    positions: Positions,
    found: list[tuple[ast.Subscript, ast.AST, bool]],
    modernizer: Modernizer,
) -> list[tuple[int, int, str]]:
    """The (start, end, replacement) of each ``found`` subscript that changes, each parsed and
    rewritten on its own."""
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
        if isinstance(updated, cst.BinaryOperation) and needs_parentheses(node, parent, code):
            code = f"({code})"
        rewrites.append((start, end, code))
    return rewrites
