"""A workflow job's ``strategy.matrix`` moved to the target Python as one whole: the Python
axis loses the versions below the target (gaining the target when none at or above it stays),
``include`` entries are read as GitHub reads them (an entry joins the jobs whose axis values
it matches, or is a job of its own), the values of other axes that stand for a dropped
version go with it, and ``exclude`` entries for dropped versions go. The rules are
``workflow-python``'s (its docstring); all of a matrix's edits are one ``Edit.group``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import field, replace

from modernize.authoring import (
    Document,
    Edit,
    Notice,
    Operation,
    RemoveItem,
    RemoveKey,
    SetValue,
    Targets,
    line_removals,
    yamldoc,
)
from modernize.records import record
from modernize.rules.workflow_inputs import MATRIX_KEYS
from modernize.rules.yaml_python import (
    python_below,
    python_value_edit,
    python_version_list,
    runs_target,
)


def matrix_results(
    document: Document, matrix: yamldoc.Node | None, targets: Targets
) -> Iterator[Edit | Notice]:
    """The matrix's edits, all or none: when one part of it cannot be changed (a refusal), none
    is, so that its axes and its include and exclude entries never disagree. Its edits are one
    group (``Edit.group``): what holds one back holds them all."""
    if not isinstance(matrix, yamldoc.MappingNode):
        return
    group = matrix.start_mark.index
    results = [
        replace(result, group=group) if isinstance(result, Edit) else result
        for result in _matrix_changes(document, matrix, targets)
    ]
    refusals = [result for result in results if isinstance(result, Notice) and not result.advisory]
    if not refusals:
        yield from results
        return
    yield from refusals
    if any(isinstance(result, Edit) for result in results):
        yield Notice(
            matrix.start_mark.index,
            "the rest of this matrix is not changed either, so that its versions, include and "
            "exclude entries stay coherent: change it by hand",
        )


@record
class _IncludePlan:
    """What becomes of a matrix's ``include`` entries that name a Python below the target."""

    #: Entries that go (their job tests a version that goes).
    remove: list[int] = field(default_factory=list)
    #: Edits that move an entry to the target (its version, and its ``name`` that states it).
    moves: list[Edit] = field(default_factory=list)
    #: Values of other axes that stood for a dropped version (``toxenv: py310``): they go too.
    axis_values: dict[str, set[str]] = field(default_factory=dict)
    #: Warnings about entries that go (the keys they added to jobs that go).
    notices: list[Notice] = field(default_factory=list)
    #: Why the matrix cannot be changed, or "", and where (the ``include`` key when 0).
    refusal: str = ""
    refusal_at: int = 0


def _matrix_changes(
    document: Document, matrix: yamldoc.MappingNode, targets: Targets
) -> Iterator[Edit | Notice]:
    # Loaded with the first matrix, not when the migrations are listed.
    from modernize.rules.version_lists import VersionList, version_list_edits

    axes = {
        key: value
        for key, value in yamldoc.items(matrix)
        if key not in ("include", "exclude") and isinstance(value, yamldoc.SequenceNode)
    }
    plan = _include_plan(document, yamldoc.get(matrix, "include"), axes, targets)
    if plan.refusal:
        include_key = yamldoc.key_node(matrix, "include")
        at = plan.refusal_at or (include_key.start_mark.index if include_key else 0)
        yield Notice(at, plan.refusal)
        return
    yield from plan.notices
    for key, value in axes.items():
        if key.lower() in MATRIX_KEYS:
            yield from version_list_edits(
                document,
                value,
                python_version_list(targets),
            )
    for key, gone in plan.axis_values.items():
        values = axes[key].value
        if all(isinstance(v, yamldoc.ScalarNode) and str(v.value) in gone for v in values):
            yield Notice(
                axes[key].start_mark.index,
                f"every {key!r} value of this matrix stands for a Python below the target; "
                f"not changed: add the entries for {targets.python_minor} by hand",
            )
            return
        yield from version_list_edits(
            document,
            axes[key],
            VersionList(gone.__contains__, lambda _value: True, ""),
        )
    yield from plan.moves
    spans: list[tuple[int, int]] = []
    declares: list[Operation] = []
    for name in ("include", "exclude"):
        entries = yamldoc.get(matrix, name)
        if not isinstance(entries, yamldoc.SequenceNode):
            continue
        doomed = [
            index
            for index, entry in enumerate(entries.value)
            if (name == "include" and index in plan.remove)
            or (name == "exclude" and _names_below(entry, targets))
            or any(
                isinstance(value, yamldoc.ScalarNode) and str(value.value) in plan.axis_values[key]
                for key, value in yamldoc.items(entry)
                if key in plan.axis_values
            )
        ]
        for result in _drop_entries(document, yamldoc.key_node(matrix, name), entries, doomed):
            if isinstance(result, Notice):
                yield result
            else:
                spans.extend(result[0])
                declares.extend(result[1])
    # Both lists' removals in one pass: when both end the file and it has no final newline,
    # the newline the last removal takes is the one the removal before it already takes.
    for start, end in line_removals(document.text, spans):
        yield Edit(start, end, "", declares=tuple(declares))


def _python_values(entry: yamldoc.Node) -> list[tuple[str, yamldoc.ScalarNode]]:
    """The entry's Python keys with plain values."""
    return [
        (key, value)
        for key, value in yamldoc.items(entry)
        if key.lower() in MATRIX_KEYS and isinstance(value, yamldoc.ScalarNode)
    ]


def _names_below(entry: yamldoc.Node, targets: Targets) -> bool:
    return any(python_below(str(value.value), targets) for _key, value in _python_values(entry))


def _matches(entry: yamldoc.Node, axis_values: dict[str, set[str]], *, python: bool = True) -> bool:
    """Whether each of the entry's axis keys (its Python keys too, unless ``python`` is
    false) has a value of that axis: the entry then joins the jobs it matches."""
    return all(
        isinstance(value, yamldoc.ScalarNode) and str(value.value) in axis_values[key]
        for key, value in yamldoc.items(entry)
        if key in axis_values and (python or key.lower() not in MATRIX_KEYS)
    )


def _stands_for(value: str, version: str) -> bool:
    """Whether ``value`` (not a Python key's) names the Python ``version`` (``3.10``): as
    ``3.10``, or as a tox or wheel tag (``py310``, ``py3.10``, ``cp310``)."""
    major, _, minor = version.partition(".")
    pattern = (
        rf"(?<![\w.])(?:py|cp|python)-?{major}\.?{minor}(?!\d)|(?<![\d.]){major}\.{minor}(?!\d)"
    )
    return re.search(pattern, value, re.IGNORECASE) is not None


def _include_plan(
    document: Document,
    include: yamldoc.Node | None,
    axes: dict[str, yamldoc.SequenceNode],
    targets: Targets,
) -> _IncludePlan:
    """Each ``include`` entry below the target, read as GitHub reads it: an entry whose every
    axis key has a value of that axis joins the jobs it matches, any other makes a job of its
    own.

    An entry whose other values name its version (``toxenv: py310``) tests it, and goes with
    the axis values that name it. An entry that joins jobs of a Python axis value that goes,
    goes with them (a warning names the keys it added, which no job has any more). An entry
    that sets the Python of the jobs it joins, or is a job of its own, moves to the target
    (unless that job is there already); one that would join the target's jobs after the move
    instead of staying a job of its own is refused. A matrix whose Python comes from
    ``include`` alone and would keep none at or above the target is refused."""
    plan = _IncludePlan()
    entries = include.value if isinstance(include, yamldoc.SequenceNode) else []
    axis_values = {
        key: {str(v.value) for v in value.value if isinstance(v, yamldoc.ScalarNode)}
        for key, value in axes.items()
    }
    python_axis = any(key.lower() in MATRIX_KEYS for key in axes)
    present = {
        _signature(entry)
        for entry in entries
        if any(runs_target(str(value.value), targets) for _key, value in _python_values(entry))
    }
    kept_jobs = len(present)
    doomed = 0
    for index, entry in enumerate(entries):
        below = [
            (key, value)
            for key, value in _python_values(entry)
            if python_below(str(value.value), targets)
        ]
        if not below:
            continue
        doomed += 1
        version = ".".join(str(below[0][1].value).strip().split(".")[:2])
        others = [(k, v) for k, v in yamldoc.items(entry) if k.lower() not in MATRIX_KEYS]
        naming = [
            (key, str(value.value))
            for key, value in others
            if key != "name"
            and isinstance(value, yamldoc.ScalarNode)
            and _stands_for(str(value.value), version)
        ]
        if naming:
            plan.remove.append(index)
            for key, value in naming:
                if key in axes:
                    plan.axis_values.setdefault(key, set()).add(value)
            continue
        joins = _matches(entry, axis_values)
        sets_python = not any(key in axes for key, _value in below)
        added = [key for key, _value in others if key not in axes and key != "name"]
        if joins and not sets_python:
            plan.remove.append(index)
            if added:
                plan.notices.append(
                    Notice(
                        entry.start_mark.index,
                        f"this include entry added {_listed(added)} to the {version} jobs, "
                        "which go; it goes with them: if the jobs of "
                        f"{targets.python_minor} need it, add it to them",
                        advisory=True,
                    )
                )
            continue
        signature = _signature(entry)
        if signature is not None and signature in present:
            plan.remove.append(index)
            continue
        # Its Python is an axis's: moved to the target (a value of that axis after the edit,
        # kept or added), it joins the target's jobs when its other axis values match.
        if not sets_python and _matches(entry, axis_values, python=False):
            if not added:
                # Moved, it would be the target's jobs themselves: nothing of its own is lost.
                plan.remove.append(index)
                continue
            plan.refusal = (
                f"this include entry is a job of its own for {version}; moved to "
                f"{targets.python_minor} it would join the {targets.python_minor} jobs of the "
                "matrix instead; this matrix is not changed: decide by hand"
            )
            plan.refusal_at = entry.start_mark.index
            return plan
        present.add(signature)
        kept_jobs += 1
        for _key, node in below:
            plan.moves.extend(
                e for e in python_value_edit(document, node, targets) if isinstance(e, Edit)
            )
        plan.moves.extend(name_edits(document, yamldoc.get(entry, "name"), version, targets))
    if doomed and not python_axis and not kept_jobs:
        plan.refusal = (
            "this matrix's include entries would keep no Python at or above the target; "
            f"not changed: add an entry for {targets.python_minor} by hand "
            "(its other keys cannot be guessed)"
        )
    return plan


def _listed(keys: list[str]) -> str:
    quoted = [f"{key!r}" for key in keys]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _signature(entry: yamldoc.Node) -> frozenset[tuple[str, str]] | None:
    """What an include entry's job is besides its Python and name, or None when a value is
    not a plain scalar (the entry is then its own)."""
    found = set()
    for key, value in yamldoc.items(entry):
        if key.lower() in MATRIX_KEYS or key == "name":
            continue
        if not isinstance(value, yamldoc.ScalarNode):
            return None
        found.add((key, str(value.value)))
    return frozenset(found)


def name_edits(
    document: Document, node: yamldoc.Node | None, version: str, targets: Targets
) -> Iterator[Edit]:
    """A ``name`` that states ``version`` states the target instead."""
    if not isinstance(node, yamldoc.ScalarNode) or node.style in ("|", ">"):
        return
    span = yamldoc.scalar_span(document.text, node)
    if span is None:
        return
    start, end = span
    pattern = re.compile(rf"(?<![\d.]){re.escape(version)}(?!\d)")
    written = document.text[start:end]
    if pattern.search(written) is None or pattern.search(str(node.value)) is None:
        return
    renamed = pattern.sub(targets.python_minor, str(node.value))
    yield Edit(
        start,
        end,
        pattern.sub(targets.python_minor, written),
        declares=(SetValue(document.yaml.path_of(node), renamed),),
    )


def _drop_entries(
    document: Document,
    key: yamldoc.Node | None,
    entries: yamldoc.SequenceNode,
    doomed: list[int],
) -> Iterator[Notice | tuple[list[tuple[int, int]], list[Operation]]]:
    """Notices, or the whole-line spans to remove with the operations they perform."""
    lines = document.lines
    text = document.text
    path = document.yaml.path_of(entries)
    if not doomed:
        return
    if entries.flow_style:
        yield Notice(entries.start_mark.index, "flow-style include/exclude list; not changed")
        return
    for index in doomed:
        entry = entries.value[index]
        if document.yaml.path_of(entry) != (*path, index):
            # The entry is an alias (``- *base``): its node, and its marks, are the anchor's.
            yield Notice(
                entries.start_mark.index,
                "an include/exclude entry below the target is given through an alias; not changed",
            )
            return
        start = lines.line_start(entry.start_mark.index)
        if text[start : entry.start_mark.index].strip() != "-":
            yield Notice(
                entry.start_mark.index, "include/exclude entry shares its line; not changed"
            )
            return

    def end_of(index: int) -> int:
        """The end of the entry's last line (its last value may be an alias, whose node sits
        at the anchor, earlier in the file)."""
        entry = entries.value[index]
        end = yamldoc.text_end(document.yaml, entry, (*path, index), entry.start_mark.index)
        return lines.line_end(max(end - 1, entry.start_mark.index))

    if len(doomed) == len(entries.value) and key is not None:
        # Nothing would be left: remove the key with its list rather than leave it empty.
        spans = [(lines.line_start(key.start_mark.index), end_of(len(entries.value) - 1))]
        operations: list[Operation] = [RemoveKey(path)]
    else:
        spans = [
            (lines.line_start(entries.value[index].start_mark.index), end_of(index))
            for index in doomed
        ]
        operations = [RemoveItem((*path, index)) for index in doomed]
    yield spans, operations
