"""Move the Pythons of nox sessions to the target.

What: in a ``noxfile.py``, located with Python's ``ast`` and edited as text (never run), the
``python=`` (or ``py=``) of ``@nox.session(...)`` and the versions of
``@nox.parametrize("python", [...])``:

- a list of versions (``["3.10", "3.11", "3.12"]``) loses those below the target, and the target
  takes the last removed one's place when no kept entry is the target (as a workflow matrix);
- a single version (``"3.10"``) below the target becomes the target;
- a name bound once at the module's top (``PYTHON_VERSIONS = ["3.10", "3.11"]``) is followed:
  its list moves where it is written.

Why: ``nox`` on a machine or runner with only the target finds no interpreter for the old
sessions and skips them (or fails with ``--error-on-missing-interpreters``); the new Python
is never tested.

Example::

    @nox.session(python=["3.10", "3.11", "3.12"])  ->  @nox.session(python=["3.12"])
    @nox.session(python="3.10")                    ->  @nox.session(python="3.12")

Refuses (reported): a Python given another way (a function call, a name bound more than once or
not at the module's top, a comprehension) when it names a version below the target, and a list
whose entries share lines with other text over several lines. Left silently: ``python=False``,
``pypy3.10``, versions at or above the target. A comment that may explain the pin keeps it; a
project that cannot run the target keeps its noxfile.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from modernize.authoring import Context, Document, Edit, Notice
from modernize.rules import python_literals
from modernize.rules.versions import below, minor_below, plain_minor

ID = "nox-python"
TITLE = "Move the Pythons of noxfile.py sessions to the target"
KINDS = ("noxfile",)
#: It moves a file's Python: a file whose project cannot run the target stays.
MOVES = "python"
CODE = "M023"
#: What a pending change is, as ``verify`` reports it.
FINDING = "nox session Python below the target"


def _called(node: ast.expr, name: str) -> bool:
    func = node.func if isinstance(node, ast.Call) else None
    return (isinstance(func, ast.Name) and func.id == name) or (
        isinstance(func, ast.Attribute) and func.attr == name
    )


def _python_values(tree: ast.Module) -> Iterator[ast.expr]:
    """The expressions that give a session its Pythons."""
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for decorator in node.decorator_list:
            if not isinstance(decorator, ast.Call):
                continue
            if _called(decorator, "session"):
                for keyword in decorator.keywords:
                    if keyword.arg in ("python", "py"):
                        yield keyword.value
            elif _called(decorator, "parametrize") and len(decorator.args) >= 2:
                names = decorator.args[0]
                if isinstance(names, ast.Constant) and names.value in ("python", "py"):
                    yield decorator.args[1]
                elif isinstance(names, ast.Constant) and isinstance(names.value, str):
                    split = [name.strip() for name in names.value.split(",")]
                    if "python" in split or "py" in split:
                        # ``("python,django", [("3.10", "4.2"), …])``: tuples are not read.
                        yield ast.Call(ast.Name("unread"), [decorator.args[1]], [])


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    tree = document.python
    bindings = python_literals.module_bindings(tree)
    done: set[int] = set()
    for value in _python_values(tree):
        if isinstance(value, ast.Name):
            bound = bindings.get(value.id, [])
            if len(bound) == 1 and isinstance(bound[0], (ast.List, ast.Tuple, ast.Constant)):
                value = bound[0]
            else:
                named = any(
                    minor_below(ast.unparse(node), context.targets.python) for node in bound
                )
                if named:
                    yield from _unread(document, value, context, f"{value.id} is not bound once")
                continue
        if id(value) in done:
            continue
        done.add(id(value))
        yield from _value_edits(document, value, context)


def _value_edits(document: Document, value: ast.expr, context: Context) -> Iterator[Edit | Notice]:
    targets = context.targets
    if isinstance(value, ast.Constant):
        if not isinstance(value.value, str):
            return  # ``python=False``: no virtualenv
        literal = python_literals.plain_string(document, value)
        minor = plain_minor(value.value)
        if literal is not None and minor is not None and below(*minor, targets.python):
            yield python_literals.rewrite(
                document, literal.start, literal.end, targets.python_minor
            )
        return
    if isinstance(value, (ast.List, ast.Tuple)):
        entries = [python_literals.plain_string(document, element) for element in value.elts]
        readable = [entry for entry in entries if entry is not None]
        new = python_literals.moved_versions(
            readable, plain_minor, targets.python_minor, targets.python
        )
        if not new:
            return
        edits = (
            python_literals.list_edits(document, readable, new, isinstance(value, ast.Tuple))
            if len(readable) == len(entries)
            else None
        )
        if edits is None:
            yield from _unread(document, value, context, "its list is not plain strings a line")
            return
        yield from edits
        return
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id == "unread"
    ):
        why = "it is parametrized together with other arguments"
        yield from _unread(document, value.args[0], context, why)
        return
    yield from _unread(document, value, context, "it is computed")


def _unread(document: Document, value: ast.expr, context: Context, why: str) -> Iterator[Notice]:
    start, end = python_literals.span(document, value)
    if minor_below(document.text[start:end], context.targets.python) or isinstance(value, ast.Name):
        yield Notice(
            start,
            f"a nox session's Python is not read here ({why}): not changed; move it to "
            f"{context.targets.python_minor} by hand if it names an older Python",
        )


def touches(text: str, context: Context) -> bool:
    return "nox" in text and minor_below(text, context.targets.python)
