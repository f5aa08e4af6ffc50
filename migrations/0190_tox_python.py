"""Move the Python environments of ``tox.ini`` (and of the ``[tox:tox]`` settings of a
``setup.cfg``) to the target.

What:

- ``[tox] envlist`` (or ``env_list``): the environments below the target go, brace groups
  included (``py{39,310,311,312}`` becomes ``py312``, ``py3{10,11}-lint`` becomes
  ``py312-lint``); when every Python of a combination of other factors goes, the target's
  environment takes the first one's place (``py310, py311, lint`` becomes ``py312, lint``;
  ``py310-django42, py311-django50`` becomes ``py312-django42, py312-django50``). Lists on one
  line or one entry a line keep their layout; a line left empty goes.
- ``basepython`` / ``base_python`` of a ``[testenv…]`` section below the target
  (``python3.10``, ``py310``, ``3.10``) becomes the target in the same spelling.
- The ``[gh-actions] python`` map of tox-gh-actions (and ``[gh] python`` of tox-gh), which
  names the environments each runner Python runs: a line for a Python below the target goes
  when the target has a line of its own, and the environments it ran that name no Python
  (``lint``) join the target's line; else the newest such line becomes the target's
  (``3.11: py311, lint`` becomes ``3.12: py312, lint``).

The envlist and the map move together (a pin comment that keeps one keeps both).

Why: CI that runs ``tox`` on the target finds no environment for it, or still creates 3.10
environments (``skip_missing_interpreters`` hides it); tox-gh-actions runs nothing on a runner
whose Python the map does not name.

Example::

    [tox]                                   [tox]
    envlist = py{310,311,312}, lint   ->    envlist = py312, lint
    [testenv:lint]                          [testenv:lint]
    basepython = python3.10           ->    basepython = python3.12

Refuses (reported at its line): an envlist entry that cannot be read (nested braces, two
Python factors), a ``basepython`` given through a substitution (``{env:PY:python3.10}``), and a
map line that would go but is written on the key's own line (``python = 3.10: py310``). Left
silently: ``py3``, ``pypy3``, environments at or above the target. A comment that may explain
the pin keeps it; a project that cannot run the target keeps its files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from modernize.authoring import Context, Document, Edit, Notice, SetValue
from modernize.rules import tox_envs
from modernize.rules.versions import Minor, below, minor_below

if TYPE_CHECKING:
    from packaging.version import Version

    from modernize.formats.ini import Setting

ID = "tox-python"
TITLE = "Move tox.ini's envlist, basepython and gh-actions map to the target"
KINDS = ("tox", "setup-cfg")
#: It moves a file's Python: a file whose project cannot run the target stays.
MOVES = "python"
CODE = "M020"
#: What a pending change is, as ``verify`` reports it.
FINDING = "tox environment Python below the target"

_ENVLIST_KEYS = ("envlist", "env_list")
_BASE_KEYS = ("basepython", "base_python")
#: ``(section, key)`` of the maps from a runner's Python to the environments it runs.
_MAPS = (("gh-actions", "python"), ("gh", "python"))
_MAP_LINE = re.compile(r"(?P<key>[^:=\s]+)\s*[:=]\s*(?P<envs>.*)")
_MAP_KEY = re.compile(r"([0-9]+)\.([0-9]+)")
#: An entry that may name a Python, which is reported when it cannot be read.
_UNREAD_PYTHON = re.compile(r"py|[0-9]\.[0-9]")
#: Envlist and map edits are made together, or not at all.
_GROUP = 0


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    ini = document.ini
    target = context.targets.python
    # setup.cfg holds tox's settings in ``[tox:tox]`` (and only then is it read for them).
    section = "tox" if document.kind == "tox" else "tox:tox"
    if document.kind != "tox" and not any(s.section == section for s in ini.settings):
        return
    together: list[Edit | Notice] = []
    for key in _ENVLIST_KEYS:
        setting = ini.find(section, key)
        if setting is not None:
            together += _envlist(document, setting, target)
            break
    for section, key in _MAPS:
        setting = ini.find(section, key)
        if setting is not None:
            together += _map(document, setting, target)
    for result in together:
        yield replace(result, group=_GROUP) if isinstance(result, Edit) else result
    for setting in ini.settings:
        if setting.section.startswith("testenv") and setting.key.lower() in _BASE_KEYS:
            yield from _base_python(document, setting, target)


def _items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of the comma-separated entries of ``text[start:end]`` (commas inside braces
    do not separate)."""
    spans, depth, begin = [], 0, start
    for index in range(start, end + 1):
        char = text[index] if index < end else ","
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == "," and depth <= 0:
            word = text[begin:index]
            if word.strip():
                lead = len(word) - len(word.lstrip())
                spans.append((begin + lead, begin + len(word.rstrip())))
            begin = index + 1
    return spans


def _envlist(document: Document, setting: Setting, target: Version) -> Iterator[Edit | Notice]:
    text = document.text
    lines = [(start, end, _items(text, start, end)) for start, end in setting.lines]
    # Which combinations of other factors run the target already.
    entries: dict[tuple[int, int], tox_envs.Entry] = {}
    satisfied: set[tuple[str, str]] = set()
    wanted = (target.major, target.minor)
    for _start, _end, spans in lines:
        for span in spans:
            written = text[span[0] : span[1]]
            try:
                entry = tox_envs.read_entry(written)
            except tox_envs.Unreadable:
                if _UNREAD_PYTHON.search(written):
                    yield Notice(
                        span[0],
                        f"envlist entry {written!r} cannot be read here: not changed; "
                        "move its Python by hand",
                    )
                continue
            if entry is None:
                continue
            entries[span] = entry
            _moved, emptied = tox_envs.moved_entry(entry, target)
            if not emptied and tox_envs.runs(entry, wanted):
                satisfied.add(tox_envs.signature(entry))
    new_texts: dict[tuple[int, int], str | None] = {}
    for span, entry in entries.items():
        moved, emptied = tox_envs.moved_entry(entry, target)
        if emptied:
            key = tox_envs.signature(entry)
            if key in satisfied:
                new_texts[span] = None
            else:
                satisfied.add(key)
                new_texts[span] = tox_envs.for_target(entry, target)
        elif moved is not None:
            new_texts[span] = moved
    if not new_texts:
        return
    edits: list[Edit] = []
    new_lines: list[str] = []
    for number, (start, end, spans) in enumerate(lines):
        changed = [span for span in spans if span in new_texts]
        if not changed:
            new_lines.append(text[start:end])
            continue
        kept: list[tuple[int, str]] = []
        for index, span in enumerate(spans):
            new = new_texts[span] if span in new_texts else text[span[0] : span[1]]
            if new is not None:
                kept.append((index, new))
        if not kept:
            if number == 0:
                edits.append(Edit(_after_delimiter(text, start), spans[-1][1], ""))
                new_lines.append("")
            else:
                line_start = text.rfind("\n", 0, start) + 1
                line_end = text.find("\n", end)
                edits.append(Edit(line_start, len(text) if line_end < 0 else line_end + 1, ""))
            continue
        rebuilt = ""
        for position, (index, piece) in enumerate(kept):
            rebuilt += piece
            if position + 1 < len(kept):
                rebuilt += text[spans[index][1] : spans[index + 1][0]]
        edits.append(Edit(spans[0][0], spans[-1][1], rebuilt))
        new_lines.append(text[start : spans[0][0]] + rebuilt + text[spans[-1][1] : end])
    value = "\n".join(new_lines).rstrip()
    declares = (SetValue((setting.section, setting.key), value),)
    for edit in edits:
        yield replace(edit, declares=declares)


def _after_delimiter(text: str, start: int) -> int:
    """Where the blanks before ``start`` begin (a value emptied on its key's line)."""
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    return start


def _map(document: Document, setting: Setting, target: Version) -> Iterator[Edit | Notice]:
    text = document.text
    rows = []
    for number, (start, end) in enumerate(setting.lines):
        match = _MAP_LINE.fullmatch(text, start, end) if start < end else None
        minor_match = _MAP_KEY.fullmatch(match["key"]) if match else None
        minor = (int(minor_match[1]), int(minor_match[2])) if minor_match else None
        rows.append((number, start, end, match, minor))
    olds = [row for row in rows if row[4] is not None and below(*row[4], target)]
    if not olds:
        return
    wanted = (target.major, target.minor)
    has_target = any(row[4] == wanted for row in rows)
    keep_as_target = None if has_target else max(olds, key=lambda row: row[4] or (0, 0))
    new_lines = {number: text[start:end] for number, start, end, _m, _minor in rows}
    edits: list[Edit | Notice] = []
    moving: list[str] = []
    for number, start, end, match, minor in olds:
        assert match is not None and minor is not None
        envs = _items(text, match.start("envs"), match.end("envs"))
        read = [_entry_or_none(text[s:e]) for s, e in envs]
        if keep_as_target is not None and number == keep_as_target[0]:
            key_start, key_end = match.span("key")
            edits.append(Edit(key_start, key_end, f"{target.major}.{target.minor}"))
            line = text[start:key_start] + f"{target.major}.{target.minor}"
            cursor = key_end
            for (s, e), entry in zip(envs, read, strict=True):
                line += text[cursor:s]
                if entry is not None and tox_envs.moved_entry(entry, target)[0] is not None:
                    new = tox_envs.for_target(entry, target)
                    edits.append(Edit(s, e, new))
                    line += new
                else:
                    line += text[s:e]
                cursor = e
            new_lines[number] = line + text[cursor:end]
            continue
        if number == 0:
            runner = f"{minor[0]}.{minor[1]}"
            edits.append(
                Notice(
                    start,
                    f"the {setting.section} map's {runner} entry shares the key's line: not "
                    "changed; remove it by hand",
                )
            )
            continue
        # What else it ran (``lint``) runs on the target's line from now on.
        moving += [text[s:e] for (s, e), entry in zip(envs, read, strict=True) if entry is None]
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        edits.append(Edit(line_start, len(text) if line_end < 0 else line_end + 1, ""))
        del new_lines[number]
    onto = keep_as_target or next(row for row in rows if row[4] == wanted)
    if moving and onto[3] is not None:
        present = {text[s:e] for s, e in _items(text, onto[3].start("envs"), onto[3].end("envs"))}
        added = [env for env in dict.fromkeys(moving) if env not in present]
        if added:
            end = onto[3].end("envs")
            edits.append(Edit(end, end, "".join(f", {env}" for env in added)))
            new_lines[onto[0]] = new_lines[onto[0]] + "".join(f", {env}" for env in added)
    value = "\n".join(new_lines[number] for number in sorted(new_lines)).rstrip()
    declares = (SetValue((setting.section, setting.key), value),)
    for result in edits:
        yield replace(result, declares=declares) if isinstance(result, Edit) else result


def _entry_or_none(written: str) -> tox_envs.Entry | None:
    try:
        return tox_envs.read_entry(written)
    except tox_envs.Unreadable:
        return None


def _base_python(document: Document, setting: Setting, target: Version) -> Iterator[Edit | Notice]:
    text = document.text
    value = setting.value(text)
    if "\n" in value:
        return
    if "{" in value:
        if minor_below(value, target):
            yield Notice(
                setting.start,
                f"{setting.key} {value!r} is given through a substitution: not changed; "
                "move its Python where it is set",
            )
        return
    minor: Minor | None = tox_envs.factor_minor(value)
    if minor is None or not below(*minor, target):
        return
    new = tox_envs.factor_for(value, target)
    start, end = setting.lines[0]
    yield Edit(start, end, new, declares=(SetValue((setting.section, setting.key), new),))


def touches(text: str, context: Context) -> bool:
    return ("py" in text or minor_below(text, context.targets.python)) and (
        "[tox:tox]" in text or "[tox]" in text or "[testenv" in text or "[gh" in text
    )
