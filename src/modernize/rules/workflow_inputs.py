"""Where a GitHub workflow or composite action sets a Python version, and which of its inputs
feed one.

A Python version is set by an ``actions/setup-python`` step's ``python-version``, by a
``PYTHON_VERSION``-style ``env`` value (workflow, job or step level) and by the entries of a
job's ``strategy.matrix`` Python axis. An input feeds a Python version when one of those values
names it in an expression (``${{ inputs.python-version }}``, ``${{ github.event.inputs.py }}``):
its ``default`` and, for a ``workflow_dispatch`` choice, its ``options`` are Python versions,
and so are the values a caller passes it with ``with:``.

Inputs are declared under ``on.workflow_call.inputs`` and ``on.workflow_dispatch.inputs`` of a
workflow, and under ``inputs`` of a composite action (``action.yml``). A caller names a local
callee by its path from the repository's top: ``uses: ./.github/actions/setup`` (a folder with
an ``action.yml`` or ``action.yaml``) in a step, ``uses: ./.github/workflows/build.yml`` in a
job.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator, Mapping

from modernize.authoring import yamldoc  # imported when first used
from modernize.lazy import lazy_pattern
from modernize.rules.pythontags import names_python_version

#: The keys of a matrix axis that lists Python versions.
MATRIX_KEYS = frozenset({"python-version", "python", "python_version", "python-versions", "py"})

#: ``${{ … }}`` expressions, and the inputs one names.
_EXPRESSION = lazy_pattern(r"\$\{\{(.*?)\}\}", re.DOTALL)
_INPUT = lazy_pattern(r"(?<![\w.-])(?:github\.event\.)?inputs\.([A-Za-z_][A-Za-z0-9_-]*)")
#: The inputs of a workflow that declares none: one set for all of them (each ``frozenset()``
#: is an object of its own, 216 bytes; 2.4 MB for a tree of 11,200 workflows).
_NO_INPUTS: frozenset[str] = frozenset()


def steps(root: yamldoc.Node) -> Iterator[yamldoc.Node]:
    """Every step of the workflow's jobs, or of the composite action."""
    for _name, job in yamldoc.items(yamldoc.get(root, "jobs")):
        yield from steps_of(job)
    yield from steps_of(yamldoc.get(root, "runs"))


def steps_of(job: yamldoc.Node | None) -> Iterator[yamldoc.Node]:
    """The steps of one job (or of a composite action's ``runs``)."""
    found = yamldoc.get(job, "steps")
    if isinstance(found, yamldoc.SequenceNode):
        yield from found.value


def env_mappings(root: yamldoc.Node) -> Iterator[yamldoc.Node | None]:
    """The ``env`` mappings of the workflow, its jobs and every step."""
    yield yamldoc.get(root, "env")
    for _name, job in yamldoc.items(yamldoc.get(root, "jobs")):
        yield yamldoc.get(job, "env")
    for step in steps(root):
        yield yamldoc.get(step, "env")


def is_setup_python(step: yamldoc.Node) -> bool:
    uses = yamldoc.get(step, "uses")
    return isinstance(uses, yamldoc.ScalarNode) and str(uses.value).lower().startswith(
        "actions/setup-python@"
    )


def python_values(root: yamldoc.Node) -> Iterator[yamldoc.Node]:
    """The nodes that set a Python version (see the module docstring)."""
    for step in steps(root):
        if is_setup_python(step):
            node = yamldoc.get(yamldoc.get(step, "with"), "python-version")
            if node is not None:
                yield node
    for env in env_mappings(root):
        for key, value in yamldoc.items(env):
            if names_python_version(key):
                yield value
    for _name, job in yamldoc.items(yamldoc.get(root, "jobs")):
        matrix = yamldoc.get(yamldoc.get(job, "strategy"), "matrix")
        for key, value in yamldoc.items(matrix):
            if key.lower() in MATRIX_KEYS:
                yield value
                if isinstance(value, yamldoc.SequenceNode):
                    yield from value.value


def inputs_named(node: yamldoc.Node) -> set[str]:
    """The inputs the expressions of a scalar node name, lower-cased: GitHub reads input
    names without regard to case (``inputs.PY`` is the input ``py``)."""
    if not isinstance(node, yamldoc.ScalarNode):
        return set()
    return {
        name.lower()
        for expression in _EXPRESSION.findall(str(node.value))
        for name in _INPUT.findall(expression)
    }


def declared_inputs(root: yamldoc.Node) -> Iterator[tuple[str, yamldoc.Node]]:
    """(name, declaration) of every input the workflow or composite action declares."""
    on = yamldoc.get(root, "on")
    for event in ("workflow_call", "workflow_dispatch"):
        yield from yamldoc.items(yamldoc.get(yamldoc.get(on, event), "inputs"))
    if yamldoc.get(root, "runs") is not None:
        yield from yamldoc.items(yamldoc.get(root, "inputs"))


def python_inputs(
    roots: Iterable[yamldoc.Node], known: Mapping[str, frozenset[str]] | None = None
) -> frozenset[str]:
    """The declared inputs (lower-cased) that feed a Python version: named by a Python value,
    or passed on (``with: {python-version: ${{ inputs.py }}}``) to an input of a local callee
    that feeds one, as ``known`` (callee path to its inputs that do) says."""
    found: set[str] = set()
    declared: set[str] = set()
    for root in roots:
        declared.update(name.lower() for name, _node in declared_inputs(root))
        for node in python_values(root):
            found |= inputs_named(node)
        for uses, given in callers(root):
            fed = callee_inputs(str(uses.value), known or {})
            for key, value in yamldoc.items(given):
                if fed is not None and key.lower() in fed:
                    found |= inputs_named(value)
    return frozenset(found & declared)


def callee_inputs(uses: str, known: Mapping[str, frozenset[str]]) -> frozenset[str] | None:
    """The inputs that feed a Python version of the local callee ``uses`` names, as ``known``
    (callee path to those inputs) says; None for a callee outside the repository or unknown."""
    for path in callee(uses):
        if path in known:
            return known[path]
    return None


def callee(uses: str) -> tuple[str, ...]:
    """The repository paths a local ``uses:`` may name (an action's two file names), or ()
    for a callee outside the repository."""
    if not uses.startswith("./"):
        return ()
    path = posixpath.normpath(uses.split("@", 1)[0])
    if path.startswith(".."):
        return ()
    if path.lower().endswith((".yml", ".yaml")) and "/.github/workflows/" in f"/{path}":
        return (path,)
    return (posixpath.join(path, "action.yml"), posixpath.join(path, "action.yaml"))


def callers(root: yamldoc.Node) -> Iterator[tuple[yamldoc.Node, yamldoc.Node]]:
    """(``uses`` node, ``with`` mapping) of every step and job that calls another action or
    workflow with inputs (setup-python excepted: its ``python-version`` is read as such)."""
    for _name, job in yamldoc.items(yamldoc.get(root, "jobs")):
        uses, given = yamldoc.get(job, "uses"), yamldoc.get(job, "with")
        if isinstance(uses, yamldoc.ScalarNode) and isinstance(given, yamldoc.MappingNode):
            yield uses, given
    for step in steps(root):
        uses, given = yamldoc.get(step, "uses"), yamldoc.get(step, "with")
        if (
            isinstance(uses, yamldoc.ScalarNode)
            and isinstance(given, yamldoc.MappingNode)
            and not is_setup_python(step)
        ):
            yield uses, given


def may_declare_inputs(text: str) -> bool:
    """Whether a workflow's or action's text may declare an input: what ``surveyed_inputs``
    reads of one that does not is its path only."""
    return "inputs" in text


def surveyed_inputs(texts: Iterable[tuple[str, str]]) -> dict[str, frozenset[str]]:
    """For each workflow and composite action among ``(relative path, text)`` pairs, the inputs
    that feed a Python version, through any chain of local calls (none for a file that declares
    no input; files that do not parse are left out: they are reported where they are
    planned)."""
    from modernize.errors import ParseError
    from modernize.kinds import INPUT_KINDS, classify

    parsed: dict[str, list[yamldoc.Node]] = {}
    # Every workflow and action the run read is known, those that declare no input with none.
    none: dict[str, frozenset[str]] = {}
    for path, text in texts:
        if classify(path) not in INPUT_KINDS:
            continue
        none[path] = _NO_INPUTS
        if not may_declare_inputs(text):
            continue  # declares none: not parsed here
        try:
            roots = yamldoc.parse(text).roots
        except ParseError:
            continue
        if any(True for root in roots for _ in declared_inputs(root)):
            parsed[path] = roots
    found: dict[str, frozenset[str]] = {path: _NO_INPUTS for path in parsed}
    while True:  # each pass follows the calls one step further; the sets only grow
        grown = {path: python_inputs(roots, found) for path, roots in parsed.items()}
        if grown == found:
            return none | found
        found = grown
