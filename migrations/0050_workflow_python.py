"""Move the Python versions of GitHub workflows and composite actions to the target.

What, in ``.github/workflows/*.yml`` and composite ``action.yml`` files:

- ``python-version:`` inputs of ``actions/setup-python`` steps and ``PYTHON_VERSION``-style
  ``env`` values (workflow, job and step level; keys ``PYTHON_VERSION``, ``PYTHON``,
  ``PY_VERSION``, ``DEFAULT_PYTHON``, ``DEFAULT_PYTHON_VERSION``, ``PYTHON_DEFAULT_VERSION``)
  below the target become the target minor, always written quoted (``"3.12"``): unquoted
  ``3.10`` is the number 3.1 in YAML. A quoted value keeps its quote character.
- ``strategy.matrix`` lists of Python versions (keys ``python-version``, ``python``,
  ``python_version``, ``python-versions``, ``py``): entries below the target are dropped; when no
  entry at or above it remains, the target is added after the last remaining entry. Block and
  flow style are kept. ``include``/``exclude`` entries naming a dropped version are removed (a
  list left with no entry goes with its key).
  Rule for special entries: ``pypy…`` entries are PyPy's own versions and are always kept and
  never counted; free-threaded entries (``3.13t``) are dropped like their version when below the
  target and otherwise kept, but never count as the entry at or above it.
- Job ``container:`` and ``services:`` python images follow the ``python-base-image`` rule.

Why: CI that still tests 3.10 beside a 3.12 image tests a state that is not shipped.

Example::

    python-version: ["3.9", "3.10", "3.11", "3.12"]   ->   python-version: ["3.12"]
    - uses: actions/setup-python@v5                      - uses: actions/setup-python@v5
      with:                                               with:
        python-version: 3.10                      ->        python-version: "3.12"

Refuses: values from expressions (``${{ … }}``), ``python-version-file``, multi-line flow lists
and block scalars (``python-version: |``) naming a version below the target (both reported),
digest-pinned images (reported) and anything at or above the target are left. A
matrix whose Python versions come from ``include`` entries only, none of which would keep a
Python at or above the target, is left whole and reported: an entry for the target needs the
other keys of its run, which cannot be guessed.
"""

from __future__ import annotations

from collections.abc import Iterator

from modernize.authoring import (
    Context,
    Document,
    Edit,
    Notice,
    Operation,
    RemoveItem,
    RemoveKey,
    SetValue,
    Targets,
    absorb_newline_removals,
    line_removals,
    yamldoc,
)
from modernize.rules.imagetags import yaml_image_nodes
from modernize.rules.pythontags import PYTHON_VERSION_KEYS, yaml_python_image
from modernize.rules.textcheck import yaml_escapes
from modernize.rules.variants import may_name_variant_at
from modernize.rules.versions import claim_below, minor_below

ID = "workflow-python"
TITLE = "Move workflow Python versions (setup-python, env, matrices, images) to the target"
KINDS = ("workflow", "action")
#: It moves a file's Python: a file whose project cannot run the target stays.
MOVES = "python"
CODE = "M005"
#: What a pending change is, as ``verify`` reports it.
FINDING = "workflow Python version below the target"

_MATRIX_KEYS = frozenset({"python-version", "python", "python_version", "python-versions", "py"})


def _below(value: str, targets: Targets) -> bool | None:
    """True/False for a version below/at-or-above the target; None for anything else."""
    # A free-threaded build (``3.13t``) is its version's.
    return claim_below(value.strip().removesuffix("t"), targets.python)


def _runs_target(value: str, targets: Targets) -> bool:
    """Whether a matrix entry runs a regular CPython at or above the target. ``pypy…`` entries
    are PyPy's own versions and free-threaded ``3.13t`` builds run beside the regular one:
    neither stands for the target."""
    value = value.strip()
    return _below(value, targets) is False and not value.lower().endswith("t")


def _quoted_target(node: yamldoc.ScalarNode, targets: Targets, quote: str = '"') -> str:
    return f"{node.style or quote}{targets.python_minor}{node.style or quote}"


def _version_edit(
    document: Document, node: yamldoc.Node | None, targets: Targets
) -> Iterator[Edit | Notice]:
    if not isinstance(node, yamldoc.ScalarNode):
        return
    if node.style in ("|", ">"):
        # setup-python reads one version a line; a block scalar is never edited in place.
        if any(_below(version, targets) for version in str(node.value).split()):
            yield Notice(
                node.start_mark.index,
                "a block scalar lists Python versions below the target; not changed: "
                "edit it by hand",
            )
        return
    if not _below(str(node.value), targets):
        return
    span = yamldoc.scalar_span(document.text, node)
    if span is None:
        return
    start, end = span
    declares = (SetValue(document.yaml.path_of(node), targets.python_minor),)
    if node.style in ("'", '"'):
        yield Edit(start, end, targets.python_minor, declares=declares)
    else:
        yield Edit(start, end, _quoted_target(node, targets), declares=declares)


def _steps(root: yamldoc.Node) -> Iterator[yamldoc.Node]:
    for _name, job in yamldoc.items(yamldoc.get(root, "jobs")):
        steps = yamldoc.get(job, "steps")
        if isinstance(steps, yamldoc.SequenceNode):
            yield from steps.value
    steps = yamldoc.get(yamldoc.get(root, "runs"), "steps")
    if isinstance(steps, yamldoc.SequenceNode):
        yield from steps.value


def _env_mappings(root: yamldoc.Node) -> Iterator[yamldoc.Node]:
    yield yamldoc.get(root, "env")  # type: ignore[misc]
    for _name, job in yamldoc.items(yamldoc.get(root, "jobs")):
        yield yamldoc.get(job, "env")  # type: ignore[misc]
    for step in _steps(root):
        yield yamldoc.get(step, "env")  # type: ignore[misc]


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    results = list(_migrate(document, context))
    yield from (result for result in results if isinstance(result, Notice))
    edits = [result for result in results if isinstance(result, Edit)]
    # At the end of a file without a final newline, a removed list takes the newline before
    # it, which can end the edit just above: join the two.
    yield from absorb_newline_removals(document.text, edits)


def _migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    targets = context.targets
    for root in document.yaml.roots:
        for step in _steps(root):
            uses = yamldoc.get(step, "uses")
            if isinstance(uses, yamldoc.ScalarNode) and str(uses.value).lower().startswith(
                "actions/setup-python@"
            ):
                yield from _version_edit(
                    document, yamldoc.get(yamldoc.get(step, "with"), "python-version"), targets
                )
        for env in _env_mappings(root):
            for key, value in yamldoc.items(env):
                if key.upper() in PYTHON_VERSION_KEYS:
                    yield from _version_edit(document, value, targets)
        for _name, job in yamldoc.items(yamldoc.get(root, "jobs")):
            yield from _matrix(
                document, yamldoc.get(yamldoc.get(job, "strategy"), "matrix"), targets
            )
    for node in yaml_image_nodes(document):
        yield from yaml_python_image(document, node, targets, expressions_followed=True)


def _matrix(
    document: Document, matrix: yamldoc.Node | None, targets: Targets
) -> Iterator[Edit | Notice]:
    # Loaded with the first matrix, not when the migrations are listed.
    from modernize.rules.version_lists import VersionList, version_list_edits

    if not isinstance(matrix, yamldoc.MappingNode):
        return
    include_key = yamldoc.key_node(matrix, "include")
    if include_key is not None and _include_loses_target(
        matrix, yamldoc.get(matrix, "include"), targets
    ):
        yield Notice(
            include_key.start_mark.index,
            "this matrix's include entries would keep no Python at or above the target; "
            f"not changed: add an entry for {targets.python_minor} by hand "
            "(its other keys cannot be guessed)",
        )
        return
    for key, value in yamldoc.items(matrix):
        if key.lower() in _MATRIX_KEYS and isinstance(value, yamldoc.SequenceNode):
            yield from version_list_edits(
                document,
                value,
                VersionList(
                    lambda version: bool(_below(version, targets)),
                    lambda version: _runs_target(version, targets),
                    targets.python_minor,
                ),
            )
    spans: list[tuple[int, int]] = []
    declares: list[Operation] = []
    for name in ("include", "exclude"):
        entries = yamldoc.get(matrix, name)
        if not isinstance(entries, yamldoc.SequenceNode):
            continue
        for result in _drop_entries(document, yamldoc.key_node(matrix, name), entries, targets):
            if isinstance(result, Notice):
                yield result
            else:
                spans.extend(result[0])
                declares.extend(result[1])
    # Both lists' removals in one pass: when both end the file and it has no final newline,
    # the newline the last removal takes is the one the removal before it already takes.
    for start, end in line_removals(document.text, spans):
        yield Edit(start, end, "", declares=tuple(declares))


def _include_loses_target(
    matrix: yamldoc.MappingNode, include: yamldoc.Node | None, targets: Targets
) -> bool:
    """Whether the matrix takes its Python versions from ``include`` alone, and dropping the
    entries below the target would leave none that runs the target: the matrix (or its Python
    axis) would be left empty."""
    if any(key.lower() in _MATRIX_KEYS for key, _value in yamldoc.items(matrix)):
        return False  # the version list keeps or gets an entry for the target
    versions = [
        str(value.value)
        for entry in (include.value if isinstance(include, yamldoc.SequenceNode) else [])
        for key, value in yamldoc.items(entry)
        if key.lower() in _MATRIX_KEYS and isinstance(value, yamldoc.ScalarNode)
    ]
    return any(_below(version, targets) for version in versions) and not any(
        _runs_target(version, targets) for version in versions
    )


def _drop_entries(
    document: Document, key: yamldoc.Node | None, entries: yamldoc.SequenceNode, targets: Targets
) -> Iterator[Notice | tuple[list[tuple[int, int]], list[Operation]]]:
    """Notices, or the whole-line spans to remove with the operations they perform."""
    lines = document.lines
    text = document.text
    path = document.yaml.path_of(entries)
    doomed = [
        index
        for index, entry in enumerate(entries.value)
        if any(
            key.lower() in _MATRIX_KEYS
            and isinstance(value, yamldoc.ScalarNode)
            and _below(str(value.value), targets)
            for key, value in yamldoc.items(entry)
        )
    ]
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


def touches(text: str, context: Context) -> bool:
    """Every change and every refusal here is about a version ``X.Y`` below the target, or
    a python image with a templated tag."""
    if yaml_escapes(text) or minor_below(text, context.targets.python):
        return True
    if may_name_variant_at(text, "python", context.targets.python_minor):
        return True
    return "$" in text and "python:" in text.lower()
