"""Move the Python versions of GitHub workflows and composite actions to the target.

What, in ``.github/workflows/*.yml`` and composite ``action.yml`` files:

- ``python-version:`` inputs of ``actions/setup-python`` steps and ``PYTHON_VERSION``-style
  ``env`` values (workflow, job and step level; a key that says it holds the Python version:
  ``PYTHON_VERSION``, ``PYTHON``, ``PY_VER``, ``DEFAULT_PYTHON``, ``PYTHON_DEFAULT_VERSION``,
  ``PYTHON_TARGET_VERSION``…, see ``pythontags.names_python_version``) below the target become
  the target minor, always written quoted (``"3.12"``): unquoted ``3.10`` is the number 3.1 in
  YAML. A quoted value keeps its quote character.
- ``strategy.matrix`` lists of Python versions (keys ``python-version``, ``python``,
  ``python_version``, ``python-versions``, ``py``): entries below the target are dropped; when no
  entry at or above it remains, the target is added after the last remaining entry. Block and
  flow style are kept. ``exclude`` entries naming a dropped version are removed (a list left
  with no entry goes with its key). ``include`` entries are read as GitHub reads them: one
  whose axis values all match joins those jobs, any other is a job of its own. An entry that
  joins the jobs of a dropped version goes with them (warned when it added keys such as
  ``coverage: true``); an entry whose values name its version (``toxenv: py310``) goes with
  the axis values that name it (the ``toxenv`` axis loses ``py310``); a job of its own
  (``{name: Development Versions, python: '3.10', tox: tests-dev}``), or an entry that sets the
  Python of the jobs it joins, moves to the target, its ``name`` with it, unless the same job
  is there already.
  Rule for special entries: ``pypy…`` entries are PyPy's own versions and are always kept and
  never counted; free-threaded entries (``3.13t``) are dropped like their version when below the
  target and otherwise kept, but never count as the entry at or above it.
- Inputs that feed a Python version (``rules.workflow_inputs``: an input a setup-python step,
  a ``PYTHON_VERSION``-style ``env`` value or a matrix axis names, ``${{ inputs.python }}``):
  the ``default`` of ``on.workflow_call``/``on.workflow_dispatch`` inputs and of a composite
  action's ``inputs``, a ``workflow_dispatch`` choice's ``options`` (like a matrix list), and
  the ``with:`` values that steps and jobs pass to a local composite action
  (``uses: ./.github/actions/setup``) or reusable workflow
  (``uses: ./.github/workflows/tests.yml``) for such an input. A Python-looking ``with:``
  value (``python-version: "3.10"``) passed to an action or workflow outside the repository, or
  to a local one the run did not read, is reported: whether it sets the Python is not known.
- Job ``container:`` and ``services:`` python images follow the ``python-base-image`` rule.

A job that works in the folder of a project that cannot run the target (its
``working-directory``, or a ``with:`` value passed to the workflow it calls, names the folder)
keeps its Python, as that project's own files do (``modernize.survey``).

Why: CI that still tests 3.10 beside a 3.12 image tests a state that is not shipped.

Example::

    python-version: ["3.9", "3.10", "3.11", "3.12"]   ->   python-version: ["3.12"]
    - uses: actions/setup-python@v5                      - uses: actions/setup-python@v5
      with:                                               with:
        python-version: 3.10                      ->        python-version: "3.12"

Refuses: values from expressions (``${{ … }}``), ``python-version-file``, multi-line flow lists
and block scalars (``python-version: |``) naming a version below the target (both reported),
digest-pinned images (reported) and anything at or above the target are left. A matrix
is changed whole or not at all: when one part of it is refused, the rest is left too (and
reported), so that its axes, ``include`` and ``exclude`` never disagree. Refused as well: a
matrix whose Python versions come from ``include`` entries only, none of which would keep or
move to a Python at or above the target (an entry for the target needs the other keys of its
run, which cannot be guessed), and a job of its own that, moved, would join the target's jobs.
A comment that may explain a pin (``# Pinned to 3.10: the abi3 floor``) keeps the value it
stands beside, and its matrix or its step's name with it (``rules.pin_comments``).

Names: a setup-python step's ``name`` that states the version it sets (``Set up Python 3.11``)
moves with it; any other job or step name that states a version its job no longer runs is
warned about.
"""

from __future__ import annotations

import bisect
import posixpath
from collections.abc import Iterator
from dataclasses import replace

from modernize.authoring import (
    Context,
    Document,
    Edit,
    Notice,
    Targets,
    absorb_newline_removals,
    yamldoc,
)
from modernize.rules.imagetags import yaml_image_nodes
from modernize.rules.pythontags import names_python_version, yaml_python_image
from modernize.rules.textcheck import yaml_escapes
from modernize.rules.variants import may_name_variant_at
from modernize.rules.versions import below, minor_below
from modernize.rules.workflow_inputs import (
    MATRIX_KEYS,
    callee,
    callers,
    declared_inputs,
    env_mappings,
    is_setup_python,
    python_inputs,
    steps,
    steps_of,
)
from modernize.rules.workflow_matrix import matrix_results, name_edits
from modernize.rules.yaml_python import (
    python_below,
    python_value_edit,
    python_version_list,
)
from modernize.survey import Survey

ID = "workflow-python"
TITLE = "Move workflow Python versions (setup-python, env, matrices, images) to the target"
KINDS = ("workflow", "action")
#: It moves a file's Python: a file whose project cannot run the target stays.
MOVES = "python"
CODE = "M005"
#: What a pending change is, as ``verify`` reports it.
FINDING = "workflow Python version below the target"


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    results = list(_migrate(document, context))
    yield from (result for result in results if isinstance(result, Notice))
    edits = [result for result in results if isinstance(result, Edit)]
    held = context.survey.python_held(document.path) if context.survey else ""
    if not held:
        edits, notices = _held_jobs(document, edits, context)
        yield from notices
        yield from _stale_names(document, edits, context.targets)
    # At the end of a file without a final newline, a removed list takes the newline before
    # it, which can end the edit just above: join the two.
    yield from absorb_newline_removals(document.text, edits)


def _migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    targets = context.targets
    known = context.survey.inputs if context.survey else {}
    fed = known.get(document.path) or python_inputs(document.yaml.roots, known)
    for root in document.yaml.roots:
        for step in steps(root):
            if is_setup_python(step):
                yield from _setup_python(document, step, targets)
        for name, declaration in declared_inputs(root):
            if name.lower() in fed:
                yield from _input_declaration(document, declaration, targets)
            else:
                yield from _unknown_input(name, declaration, targets)
        for uses, given in callers(root):
            yield from _passed_inputs(document, uses, given, context)
        for env in env_mappings(root):
            for key, value in yamldoc.items(env):
                if names_python_version(key):
                    yield from python_value_edit(document, value, targets)
        for _name, job in yamldoc.items(yamldoc.get(root, "jobs")):
            yield from matrix_results(
                document, yamldoc.get(yamldoc.get(job, "strategy"), "matrix"), targets
            )
    for node in yaml_image_nodes(document):
        yield from yaml_python_image(document, node, targets, expressions_followed=True)


def _held_jobs(
    document: Document, edits: list[Edit], context: Context
) -> tuple[list[Edit], list[Notice]]:
    """A job that works in the folder of a project that cannot run the target (a
    ``working-directory``, or a ``with:`` value passed to the workflow it calls, names the
    folder) keeps its Python: its edits become warnings, one a line, that name the claim."""
    survey = context.survey
    if survey is None or not any(project.held for project in survey.projects):
        return edits, []
    kept, lines = list(edits), set()
    notices: list[Notice] = []
    for root in document.yaml.roots:
        for _key, job in yamldoc.items(yamldoc.get(root, "jobs")):
            held = [
                (folder, why) for folder in _folders(job) if (why := survey.folder_held(folder))
            ]
            if not held:
                continue
            reason = f"this job works in {held[0][0]}: {held[0][1]}"
            notices.extend(_defaults_taken(job, held[0][0], survey, context.targets))
            start, end = job.start_mark.index, job.end_mark.index
            for edit in [edit for edit in kept if start <= edit.start < end]:
                kept.remove(edit)
                if (line := document.line_of(edit.start)) not in lines:
                    lines.add(line)
                    notices.append(Notice(edit.start, f"not changed: {reason}", advisory=True))
    return kept, notices


def _defaults_taken(
    job: yamldoc.Node, folder: str, survey: Survey, targets: Targets
) -> Iterator[Notice]:
    """A held job that calls a local workflow without passing an input that feeds its Python
    takes that input's default, which moves to the target: it must pass its own."""
    uses = yamldoc.get(job, "uses")
    if not isinstance(uses, yamldoc.ScalarNode):
        return
    fed = survey.python_inputs(str(uses.value))
    passed = {key.lower() for key, _value in yamldoc.items(yamldoc.get(job, "with"))}
    for name in sorted((fed or frozenset()) - passed):
        yield Notice(
            uses.start_mark.index,
            f"this job works in {folder}, whose project cannot run {targets.python_minor}, "
            f"and takes {name!r} from the default of {uses.value}, which moves to "
            f"{targets.python_minor}: pass {name} here with the Python that project runs",
        )


def _folders(job: yamldoc.Node) -> Iterator[str]:
    """The repository folders a job names as where it works: ``working-directory`` (its
    defaults and its steps) and the plain values it passes to a workflow it calls."""
    values = [yamldoc.get(yamldoc.get(yamldoc.get(job, "defaults"), "run"), "working-directory")]
    values += [yamldoc.get(step, "working-directory") for step in steps_of(job)]
    values += [value for _key, value in yamldoc.items(yamldoc.get(job, "with"))]
    for value in values:
        if isinstance(value, yamldoc.ScalarNode) and value.style not in ("|", ">"):
            text = str(value.value).strip()
            if text and "${{" not in text and not text.startswith("/") and " " not in text:
                yield posixpath.normpath(text)


def _stale_names(document: Document, edits: list[Edit], targets: Targets) -> Iterator[Notice]:
    """A job's or step's ``name`` that states a version the job's edits move, and that they do
    not rename (``Tests on 3.10 and 3.11`` over a matrix that loses both), is warned about."""
    from modernize.rules.pin_comments import kept_by_comments, versions_named

    # Only the edits a comment does not hold back move a version away.
    edits = [e for e in kept_by_comments(edits, document, targets) if isinstance(e, Edit)]
    edits.sort(key=lambda edit: edit.start)  # each job's are found by bisection, not a scan
    starts = [edit.start for edit in edits]
    text = document.text
    for root in document.yaml.roots:
        for _key, job in yamldoc.items(yamldoc.get(root, "jobs")):
            start, end = job.start_mark.index, job.end_mark.index
            inside = edits[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]
            moved = {
                version
                for edit in inside
                for version in versions_named(text, edit.start, edit.end)
                if below(*version, targets.python)
            }
            if not moved:
                continue
            names = [yamldoc.get(job, "name")]
            names += [yamldoc.get(step, "name") for step in steps_of(job)]
            for name in names:
                if not isinstance(name, yamldoc.ScalarNode):
                    continue
                span = yamldoc.scalar_span(text, name)
                if span is None or any(e.start < span[1] and span[0] < e.end for e in inside):
                    continue
                stated = sorted(set(versions_named(text, *span)) & moved)
                if stated:
                    listed = " and ".join(f"{major}.{minor}" for major, minor in stated)
                    yield Notice(
                        span[0],
                        f"this name states Python {listed}, which this job no longer runs: "
                        "rename it by hand",
                        advisory=True,
                    )


def _input_declaration(
    document: Document, declaration: yamldoc.Node, targets: Targets
) -> Iterator[Edit | Notice]:
    """An input that feeds a Python version: its ``default``, and the ``options`` of a
    ``workflow_dispatch`` choice, as one group."""
    from modernize.rules.version_lists import version_list_edits

    results = list(python_value_edit(document, yamldoc.get(declaration, "default"), targets))
    options = yamldoc.get(declaration, "options")
    if isinstance(options, yamldoc.SequenceNode):
        results.extend(
            version_list_edits(
                document,
                options,
                python_version_list(targets),
            )
        )
    if any(isinstance(result, Notice) and not result.advisory for result in results):
        # The default must stay one of the options: all or nothing.
        yield from (result for result in results if isinstance(result, Notice))
        return
    group = declaration.start_mark.index
    for result in results:
        yield replace(result, group=group) if isinstance(result, Edit) else result


def _unknown_input(name: str, declaration: yamldoc.Node, targets: Targets) -> Iterator[Notice]:
    """An input named like a Python version whose default names one below the target, though
    nothing here that sets a Python reads it (it may be passed to an action outside the
    repository, or read through ``fromJSON``): reported, not guessed at."""
    if name.lower() not in MATRIX_KEYS and not names_python_version(name):
        return
    default = yamldoc.get(declaration, "default")
    if isinstance(default, yamldoc.ScalarNode) and minor_below(str(default.value), targets.python):
        yield Notice(
            default.start_mark.index,
            f"not changed: input {name!r} defaults to {default.value}, but nothing here that "
            "sets a Python reads it directly (an action outside the repository, fromJSON): "
            "change it by hand if it sets the Python",
        )


def _passed_inputs(
    document: Document, uses: yamldoc.Node, given: yamldoc.Node, context: Context
) -> Iterator[Edit | Notice]:
    """The ``with:`` values a step or job passes to another action or workflow: those that
    feed the callee's Python version move; a Python-looking one passed to a callee this run
    does not read is reported."""
    called = str(uses.value)
    paths = callee(called)
    fed = context.survey.python_inputs(called) if paths and context.survey else None
    for key, value in yamldoc.items(given):
        if fed is not None:
            if key.lower() in fed:
                yield from python_value_edit(document, value, context.targets)
        elif (
            (key.lower() in MATRIX_KEYS or names_python_version(key))
            and isinstance(value, yamldoc.ScalarNode)
            and python_below(str(value.value), context.targets)
        ):
            where = "which this run did not read" if paths else "outside this repository"
            yield Notice(
                value.start_mark.index,
                f"not changed: {key}: {value.value} is passed to {called}, {where}, whose "
                "inputs cannot be known here: change it by hand if it sets the Python",
            )


def _setup_python(
    document: Document, step: yamldoc.Node, targets: Targets
) -> Iterator[Edit | Notice]:
    """A setup-python step's version, and the step's ``name`` when it states the version it
    sets (``Set up Python 3.11``): one group, made together or not at all."""
    node = yamldoc.get(yamldoc.get(step, "with"), "python-version")
    results = list(python_value_edit(document, node, targets))
    if not any(isinstance(result, Edit) for result in results):
        yield from results
        return
    assert isinstance(node, yamldoc.ScalarNode)
    group = step.start_mark.index
    renamed = name_edits(document, yamldoc.get(step, "name"), str(node.value), targets)
    for result in [*results, *renamed]:
        yield replace(result, group=group) if isinstance(result, Edit) else result


def touches(text: str, context: Context) -> bool:
    """Every change and every refusal here is about a version ``X.Y`` below the target, or
    a python image with a templated tag."""
    if yaml_escapes(text) or minor_below(text, context.targets.python):
        return True
    if may_name_variant_at(text, "python", context.targets.python_minor):
        return True
    return "$" in text and "python:" in text.lower()
