"""Move the Python versions a ``pyproject.toml`` claims to the target.

What:

- ``[project] requires-python`` and Poetry's ``[tool.poetry.dependencies] python``: a lower
  bound below the target is raised to it and every other clause, space and quote stays
  (``">=3.10,<4"`` becomes ``">=3.12,<4"``, ``"^3.10"`` becomes ``"^3.12"``, ``">3.9"`` becomes
  ``">=3.12"``). The specifier is edited as text: re-serialising it would reorder clauses.
- ``Programming Language :: Python :: X.Y`` classifiers below the target are removed; when one
  was removed and the target's is missing, it is added in version order (before the first later
  version, in the removed entries' place), in the style of the lines around it.
- ``[tool.ruff] target-version``, ``[tool.black] target-version`` (entries below the target
  dropped, the target added when none at or above remains), ``[tool.mypy] python_version`` and
  ``[tool.pyright] pythonVersion``.

Why: a package that claims 3.10 while its images and CI run 3.12 is tested on one version and
promises another; linters target the wrong syntax.

Example::

    requires-python = ">=3.10,<4"       ->   requires-python = ">=3.12,<4"
    target-version = ["py310", "py311"] ->   target-version = ["py312"]

Refuses (leaves and warns): a specifier whose upper bound or exclusion rules out the target or
any of its patch releases (``">=3.10,<3.12"``, ``">=3.10,<=3.12"``, which stops at 3.12.0, and
``"~=3.10.1"``, which means ``==3.10.*``), then changing nothing in the file, not even its other
requirement; exact pins without a wildcard, and specifiers it cannot read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from modernize.authoring import (
    Context,
    Document,
    Edit,
    InPlace,
    InsertItem,
    Notice,
    Operation,
    RemoveItem,
    SetValue,
    Targets,
    toml,
)
from modernize.rules.versions import Minor, below, release_minor, target_minor

ID = "pyproject-python"
TITLE = "Move pyproject.toml Python claims (requires-python, classifiers, tool targets)"
KINDS = ("pyproject",)
CODE = "M007"
#: What a pending change is, as ``verify`` reports it.
FINDING = "pyproject Python claim below the target"

_CLAUSE = re.compile(
    r"^(?P<lead>\s*)(?P<op>===|>=|<=|==|!=|~=|>|<|\^|~|=)?(?P<gap>\s*)"
    r"(?P<version>[0-9]+(?:\.[0-9]+)*)(?P<star>\.\*)?\s*$"
)
_CLASSIFIER = re.compile(r"^Programming Language :: Python :: ([0-9]+)\.([0-9]+)$")
_PY_TAG = re.compile(r"^py([0-9])([0-9]+)$")
EXCLUDES = "excludes"
_LOWER_OPS = frozenset({">=", ">", "~=", "^", "~", "==", "=", "===", None})


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    text = document.text
    located = toml.locate(text)
    targets = context.targets
    path: tuple[str, ...]
    requirements = [
        result
        for path in (("project", "requires-python"), ("tool", "poetry", "dependencies", "python"))
        if path in located
        for result in _specifier(document, located[path], targets)
    ]
    if any(isinstance(result, Notice) and EXCLUDES in result.message for result in requirements):
        # The project is not ready for the target: change none of its claims, not even a
        # requirement that could be raised on its own.
        yield from (result for result in requirements if isinstance(result, Notice))
        return
    yield from requirements
    for path in (("project", "classifiers"), ("tool", "poetry", "classifiers")):
        if path in located:
            yield from _classifiers(document, located[path], targets)
    ruff = located.get(("tool", "ruff", "target-version"))
    if ruff is not None:
        for item in toml.strings_in(text, ruff)[:1]:
            match = _PY_TAG.match(item.value)
            if match and below(match[1], match[2], targets.python):
                yield _replace_content(
                    item, f"py{targets.python.major}{targets.python.minor}", ruff
                )
    black = located.get(("tool", "black", "target-version"))
    if black is not None:

        def black_minor(item: toml.StringItem) -> Minor | None:
            match = _PY_TAG.match(item.value)
            return (int(match[1]), int(match[2])) if match else None

        yield from _string_array(
            document,
            black,
            black_minor,
            f"py{targets.python.major}{targets.python.minor}",
            targets,
            always_add=True,
        )
    for path in (("tool", "mypy", "python_version"), ("tool", "pyright", "pythonVersion")):
        value = located.get(path)
        if value is not None:
            yield from _plain_version(document, value, targets)


def _replace_content(item: toml.StringItem, new: str, value: toml.Value) -> Edit:
    start = item.start + len(item.quote)
    return Edit(start, item.end - len(item.quote), new, declares=(SetValue(value.path, new),))


def _plain_version(document: Document, value: toml.Value, targets: Targets) -> Iterator[Edit]:
    source = document.text[value.start : value.end]
    items = toml.strings_in(document.text, value)
    bare = source.strip()
    if items:
        version = items[0].value
    elif re.match(r"^[0-9]+\.[0-9]+$", bare):
        version = bare  # a TOML float: 3.10 is read as 3.1, so the result is written quoted
    else:
        return
    claim = re.match(r"^([0-9]+)\.([0-9]+)(\.[0-9]+)?$", version)
    if not claim or not below(claim[1], claim[2], targets.python):
        return
    if items:
        yield _replace_content(items[0], targets.python_minor, value)
    else:
        yield Edit(
            value.start,
            value.end,
            f'"{targets.python_minor}"',
            declares=(SetValue(value.path, targets.python_minor),),
        )


def _specifier(document: Document, value: toml.Value, targets: Targets) -> Iterator[Edit | Notice]:
    items = toml.strings_in(document.text, value)
    if len(items) != 1:
        return
    item = items[0]
    content = item.value
    content_start = item.start + len(item.quote)
    edits: list[Edit] = []
    clauses = [(m.start(), m.group()) for m in re.finditer(r"[^,]+", content)]
    for offset, clause in clauses:
        match = _CLAUSE.match(clause)
        if match is None:
            yield Notice(
                item.start,
                f"Python requirement {content!r} not understood; not changed",
                advisory=True,
            )
            return
        op, version = match["op"], match["version"]
        if op in _LOWER_OPS and below(*release_minor(version), targets.python):
            if op in ("==", "=", "===", None) and not match["star"]:
                yield Notice(
                    item.start,
                    f"Python requirement {content!r} pins an exact version; not changed",
                )
                return
            start = content_start + offset + match.start("op" if op == ">" else "version")
            end = content_start + offset + match.end("version")
            replacement = targets.python_minor
            if op == ">":
                replacement = f">={match['gap']}{targets.python_minor}"
            edits.append(Edit(start, end, replacement, declares=(InPlace(value.path),)))
    if not edits:
        return
    for _offset, clause in clauses:
        match = _CLAUSE.match(clause)
        assert match is not None
        if _excludes(match, target_minor(targets.python)):
            yield Notice(
                item.start,
                f"Python requirement {content!r} {EXCLUDES} {targets.python_minor}; nothing in "
                "this file changed: raise its upper bound by hand first",
            )
            return
    yield from edits


def _excludes(clause: re.Match[str], target: Minor) -> bool:
    """Whether a clause rules out the target minor or any of its patch releases."""
    op, minor = clause["op"], release_minor(clause["version"])
    if op in ("<", "<="):
        return minor <= target  # "<=3.12" means "<=3.12.0": 3.12.1 is out
    if op == "!=":
        return bool(clause["star"]) and minor == target
    if op == "~=" and clause["version"].count(".") >= 2:
        return minor != target  # "~=3.10.1" means ">=3.10.1, ==3.10.*"
    return False


def _classifiers(
    document: Document, value: toml.Value, targets: Targets
) -> Iterator[Edit | Notice]:
    def classifier_minor(item: toml.StringItem) -> Minor | None:
        match = _CLASSIFIER.match(item.value)
        return (int(match[1]), int(match[2])) if match else None

    yield from _string_array(
        document,
        value,
        classifier_minor,
        f"Programming Language :: Python :: {targets.python_minor}",
        targets,
        always_add=False,
    )


def _string_array(
    document: Document,
    value: toml.Value,
    minor_of: Callable[[toml.StringItem], Minor | None],
    new_value: str,
    targets: Targets,
    always_add: bool,
) -> Iterator[Edit | Notice]:
    """Drop entries below the target from a string array and add the target's entry.

    ``always_add``: add it when no entry at or above the target remains (tool target lists);
    otherwise add it only when it is missing (classifiers, where other entries are unrelated).
    """
    text = document.text
    if not text[value.start : value.end].startswith("["):
        return
    items = _entries(document, value)
    minors = [minor_of(item) for item in items]
    below_at = [
        index
        for index, minor in enumerate(minors)
        if minor is not None and below(*minor, targets.python)
    ]
    if not below_at:
        return
    # Sets and indexes, not list membership: an array may hold many thousands of entries.
    gone = set(below_at)
    kept_versioned_at = [
        index for index, minor in enumerate(minors) if minor is not None and index not in gone
    ]
    if always_add:  # each versioned entry kept is at or above the target
        needs = not kept_versioned_at
    else:
        needs = not any(items[index].value == new_value for index in kept_versioned_at)
    # A multi-line string's quote once: the new entry is one line.
    quote = items[below_at[0]].quote[0]
    array = _Array(value, items, below_at, kept_versioned_at, quote, new_value)
    if "\n" not in text[value.start : value.end]:
        yield _one_line_array_edit(text, array, needs)
        return
    refusal = _multi_line_refusal(document, array)
    if refusal is not None:
        yield refusal
        return
    yield from _multi_line_removals(document, array)
    if needs:
        yield _multi_line_insertion(document, array)


@dataclass(frozen=True)
class _Array:
    """A string array to change: its entries, which go, which versioned ones stay, and the
    entry to add (``quote`` + ``new_value`` + ``quote``)."""

    value: toml.Value
    items: list[toml.StringItem]
    below_at: list[int]
    kept_versioned_at: list[int]
    quote: str
    new_value: str

    @property
    def new_item(self) -> str:
        return f"{self.quote}{self.new_value}{self.quote}"


def _entries(document: Document, value: toml.Value) -> list[toml.StringItem]:
    """The array's string entries, each read as TOML does (a line-ending backslash, an escape),
    not as written."""
    items = toml.strings_in(document.text, value)
    parsed = toml.data_at(document.toml.data_tree, value.path)
    if isinstance(parsed, list) and len(parsed) == len(items):
        items = [
            toml.StringItem(entry, item.start, item.end, item.quote)
            if isinstance(entry, str)
            else item
            for item, entry in zip(items, parsed, strict=True)
        ]
    return items


def _one_line_array_edit(text: str, array: _Array, needs: bool) -> Edit:
    """An array on one line is written anew from its kept entries, the new one in version
    order: before the first later version, else where the first removed entry was."""
    items, path = array.items, array.value.path
    gone = set(array.below_at)
    kept_at = [index for index in range(len(items)) if index not in gone]
    separator = text[items[0].end : items[1].start] if len(items) > 1 else ", "
    pieces = [text[items[index].start : items[index].end] for index in kept_at]
    if array.kept_versioned_at:  # before the first later version
        anchor_index = kept_at.index(array.kept_versioned_at[0])
    else:  # where the first removed entry was
        anchor_index = sum(1 for index in kept_at if index < array.below_at[0])
    declares: tuple[Operation, ...] = tuple(RemoveItem((*path, index)) for index in array.below_at)
    if needs:
        pieces.insert(anchor_index, array.new_item)
        before = kept_at[anchor_index] if anchor_index < len(kept_at) else len(items)
        declares += (InsertItem((*path, before), array.new_value),)
    return Edit(items[0].start, items[-1].end, separator.join(pieces), declares=declares)


def _multi_line_refusal(document: Document, array: _Array) -> Notice | None:
    """Why the entries below the target cannot go as whole lines, if they cannot."""
    text, lines = document.text, document.lines
    for index in array.below_at:
        item = array.items[index]
        line_start = lines.line_start(item.start)
        line_end = lines.line_end(max(item.start, item.end - 1))
        rest = text[item.end : line_end].strip()
        if text[line_start : item.start].strip() or not re.match(r"^,?\s*(#.*)?$", rest):
            return Notice(item.start, "array entry shares its line with another; not changed")
        if not rest.startswith(","):
            # Its comma, if any, is on a later line (after a comment): removing the entry's
            # lines would leave that comma after the one before.
            following = (
                array.items[index + 1].start if index + 1 < len(array.items) else array.value.end
            )
            between = "".join(
                line.split("#", 1)[0] for line in text[line_end:following].splitlines()
            )
            if "," in between:
                return Notice(item.start, "array entry's comma is on a later line; not changed")
    return None


def _multi_line_removals(document: Document, array: _Array) -> Iterator[Edit]:
    lines = document.lines
    for index in array.below_at:
        item = array.items[index]
        # A multi-line string's lines all go: its last line ends the entry.
        yield Edit(
            lines.line_start(item.start),
            lines.line_end(max(item.start, item.end - 1)),
            "",
            declares=(RemoveItem((*array.value.path, index)),),
        )


def _multi_line_insertion(document: Document, array: _Array) -> Edit:
    """The new entry on its own line before ``anchor``: in version order, so before the first
    later version (in the place of the removed entries just above it, which keeps a comment
    above that later version with it), else where the first removed entry was."""
    text, lines = document.text, document.lines
    if array.kept_versioned_at:
        first_later = array.kept_versioned_at[0]
        removed_above = [index for index in array.below_at if index < first_later]
        anchor_at = removed_above[-1] if removed_above else first_later
    else:
        anchor_at = array.below_at[0]
    anchor = array.items[anchor_at]
    insertion = (InsertItem((*array.value.path, anchor_at), array.new_value),)
    # The anchor may span lines (a multi-line string): its comma follows its last line.
    line_start = lines.line_start(anchor.start)
    line_end = lines.line_end(max(anchor.start, anchor.end - 1))
    prefix = text[line_start : anchor.start]
    if prefix.strip():  # a kept entry after ``[`` or another entry on its line
        return Edit(anchor.start, anchor.start, f"{array.new_item}, ", declares=insertion)
    # A later version follows the new entry; else it ends with a comma as the entry it replaces.
    after = text[anchor.end : line_end]
    has_comma = bool(array.kept_versioned_at) or after.lstrip().startswith(",")
    comma = "," if has_comma else ""
    newline = "\r\n" if text[line_start:line_end].endswith("\r\n") else "\n"
    return Edit(
        line_start, line_start, f"{prefix}{array.new_item}{comma}{newline}", declares=insertion
    )


_REQUIRES = re.compile(r"""requires-python["']?[ \t]*=[ \t]*(["'])([^"'\n]*)\1""")
_CLASSIFIER_TEXT = re.compile(r"Programming Language :: Python :: ([0-9]+)\.([0-9]+)")
_PY_TAG_TEXT = re.compile(r"py([0-9])([0-9]+)")
_PLAIN_VERSION = re.compile(
    r"""(?:python_version|pythonVersion)["']?[ \t]*=[ \t]*["']?([0-9]+)\.([0-9]+)"""
)


def touches(text: str, context: Context) -> bool:
    """Whether a claim below the target (or a requirement this migration cannot read) may be
    here. Escapes, multi-line strings and Poetry tables are left to the parse."""
    if "\\" in text or '"""' in text or "'''" in text or "poetry" in text:
        return True
    target = context.targets.python
    requirements = list(_REQUIRES.finditer(text))
    if len(requirements) != text.count("requires-python"):
        return True
    for requirement in requirements:
        for clause in requirement[2].split(","):
            match = _CLAUSE.match(clause)
            if match is None:
                return True
            if match["op"] in _LOWER_OPS and below(*release_minor(match["version"]), target):
                return True
    for pattern in (_CLASSIFIER_TEXT, _PY_TAG_TEXT, _PLAIN_VERSION):
        if any(below(m[1], m[2], target) for m in pattern.finditer(text)):
            return True
    return False
