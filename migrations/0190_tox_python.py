"""Move the Python environments of ``tox.ini`` (and of the ``[tox:tox]`` settings of a
``setup.cfg``, of ``tox.toml`` and of a pyproject's ``[tool.tox]``) to the target.

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

The envlist and the map move together (a pin comment that keeps one keeps both). In tox's
TOML (``tox.toml``, ``[tool.tox]``), ``env_list`` entries that are one Python (``"3.10"``,
``"py310"``) go and the target's joins unless it is there, and ``base_python`` of
``env_run_base`` and of each ``env`` moves; an entry that combines its Python with other
factors, and a ``legacy_tox_ini`` string, are reported.

Why: CI that runs ``tox`` on the target finds no environment for it, or still creates 3.10
environments (``skip_missing_interpreters`` hides it); tox-gh-actions runs nothing on a runner
whose Python the map does not name.

Example::

    [tox]                                   [tox]
    envlist = py{310,311,312}, lint   ->    envlist = py312, lint
    [testenv:lint]                          [testenv:lint]
    basepython = python3.10           ->    basepython = python3.12

Refuses (reported at its line): an envlist entry that cannot be read (nested braces, two
Python factors, ``py310{-cov,}``), a list continued with a backslash, a ``basepython`` that is
not one version (a substitution ``{env:PY:python3.10}``, a path), and a map line that would go
but is written on the key's own line. Noted, not changed: a ``[testenv:py310]`` section (its
name says which Python it runs) and a factor condition that only environments below the target
read (``py310: tomli``). Read as tox reads it: a ``#`` after a blank starts a comment, and a
comment beside a value may explain its pin. Left silently: ``py3``, ``pypy3``, environments at
or above the target. A project that cannot run the target keeps its files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from modernize.authoring import Context, Document, Edit, InPlace, Notice, SetValue, line_removals
from modernize.lazy import lazy_pattern
from modernize.rules import tox_envs
from modernize.rules.versions import Minor, below, minor_below

if TYPE_CHECKING:
    from packaging.version import Version

    from modernize.formats.ini import Setting

ID = "tox-python"
TITLE = "Move tox.ini's envlist, basepython and gh-actions map to the target"
KINDS = ("tox", "setup-cfg", "tox-toml", "pyproject")
#: It moves a file's Python: a file whose project cannot run the target stays.
MOVES = "python"
CODE = "M020"
#: What a pending change is, as ``verify`` reports it.
FINDING = "tox environment Python below the target"

#: tox reads ``env_list`` first.
_ENVLIST_KEYS = ("env_list", "envlist")
_BASE_KEYS = ("basepython", "base_python")
#: ``(section, key)`` of the maps from a runner's Python to the environments it runs.
_MAPS = (("gh-actions", "python"), ("gh", "python"))
_MAP_LINE = lazy_pattern(r"(?P<key>[^:=\s]+)\s*[:=]\s*(?P<envs>.*)")
_MAP_KEY = lazy_pattern(r"([0-9]+)\.([0-9]+)")
#: An entry that may name a Python, which is reported when it cannot be read.
_UNREAD_PYTHON = lazy_pattern(r"py|[0-9]\.[0-9]")
#: tox takes a ``#`` after a blank (or starting the line) to the line's end as a comment.
_COMMENT = lazy_pattern(r"(?:^|(?<=\s))(?<!\\)#")
#: A factor condition that starts a line of a testenv setting: ``py310,py311: numpy<2``.
_CONDITION = lazy_pattern(r"(?P<condition>[!\w.{},\-]+):\s")
#: Envlist and map edits are made together, or not at all.
_GROUP = 0


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    if document.format == "toml":
        yield from _toml(document, context)
        return
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
    for map_section, key in _MAPS:
        setting = ini.find(map_section, key)
        if setting is not None:
            together += _map(document, setting, target)
    for result in together:
        yield replace(result, group=_GROUP) if isinstance(result, Edit) else result
    reported: set[str] = set()
    for setting in ini.settings:
        if not setting.section.startswith("testenv"):
            continue
        old_section = _old_section(setting.section, target)
        if old_section and setting.section not in reported:
            reported.add(setting.section)
            yield _section_notice(document, setting, old_section, target)
        if setting.key.lower() in _BASE_KEYS and not old_section:
            yield from _base_python(document, setting, target)
        else:
            yield from _conditions(document, setting, target)


def _content(text: str, start: int, end: int) -> int:
    """Where the value of the line ``text[start:end]`` ends for tox: before its comment."""
    match = _COMMENT.search(text, start, end)
    return end if match is None else len(text[start : match.start()].rstrip()) + start


def _continued(document: Document, setting: Setting) -> Notice | None:
    """A refusal when a line of the value ends with ``\\`` (tox joins it with the next)."""
    for start, end in setting.lines:
        if document.text[start : _content(document.text, start, end)].endswith("\\"):
            return Notice(
                start,
                f"{setting.key} continues a line with a backslash: not changed; write one entry "
                "a line and run again",
            )
    return None


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
    refusal = _continued(document, setting)
    if refusal is not None:
        if _UNREAD_PYTHON.search(setting.value(text)):
            yield refusal
        return
    lines = []
    for start, end in setting.lines:
        content = _content(text, start, end)
        lines.append((start, end, content, _items(text, start, content)))
    entries: dict[tuple[int, int], tox_envs.Entry] = {}
    for _start, _end, _content_end, spans in lines:
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
            if entry is not None:
                entries[span] = entry
    # Each combination of other factors runs the target once moved: where one entry of it
    # runs the target already, or else in the first entry of it that loses a Python.
    satisfied = {
        tox_envs.signature(entry) for entry in entries.values() if tox_envs.runs(entry, target)
    }
    new_texts: dict[tuple[int, int], str | None] = {}
    for span, entry in entries.items():
        if not tox_envs.loses(entry, target):
            continue
        key = tox_envs.signature(entry)
        new_texts[span] = tox_envs.moved_entry(entry, target, key not in satisfied)
        satisfied.add(key)
    if not new_texts:
        return
    edits: list[Edit] = []
    removals: list[tuple[int, int]] = []
    new_lines: list[str] = []
    for number, (start, end, content, spans) in enumerate(lines):
        if not any(span in new_texts for span in spans):
            new_lines.append(text[start:end])
            continue
        kept: list[tuple[int, str]] = []
        for index, span in enumerate(spans):
            new = new_texts[span] if span in new_texts else text[span[0] : span[1]]
            if new is not None:
                kept.append((index, new))
        if not kept:
            if number == 0 or content < end:  # the key's line, or a line with a comment
                edits.append(Edit(_after_blanks(text, spans[0][0], number), content, ""))
                new_lines.append(text[content:end].strip())
            else:
                removals.append((document.lines.line_start(start), document.lines.line_end(start)))
            continue
        rebuilt = ""
        for position, (index, piece) in enumerate(kept):
            rebuilt += piece
            if position + 1 < len(kept):
                rebuilt += text[spans[index][1] : spans[index + 1][0]]
        edits.append(Edit(spans[0][0], spans[-1][1], rebuilt))
        new_lines.append(text[start : spans[0][0]] + rebuilt + text[spans[-1][1] : end])
    edits += [Edit(start, end, "") for start, end in line_removals(text, removals)]
    value = "\n".join(new_lines).rstrip()
    declares = (SetValue((setting.section, setting.key), value),)
    for edit in edits:
        yield replace(edit, declares=declares)


def _after_blanks(text: str, start: int, number: int) -> int:
    """Where an emptied line's removal starts: on the key's line, with the blanks after the
    delimiter; on a continuation line, at its first entry."""
    if number:
        return start
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    return start


def _map(document: Document, setting: Setting, target: Version) -> Iterator[Edit | Notice]:
    text = document.text
    refusal = _continued(document, setting)
    if refusal is not None:
        yield refusal
        return
    rows = []
    for number, (start, end) in enumerate(setting.lines):
        content = _content(text, start, end)
        match = _MAP_LINE.fullmatch(text, start, content) if start < content else None
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
    removals: list[tuple[int, int]] = []
    moving: list[str] = []
    for number, start, end, match, minor in olds:
        assert match is not None and minor is not None
        envs = _items(text, match.start("envs"), match.end("envs"))
        read: list[tox_envs.Entry | bool | None] = []
        for env_start, env_end in envs:
            try:
                read.append(tox_envs.read_entry(text[env_start:env_end]))
            except tox_envs.Unreadable:
                read.append(True)  # names a Python in a way not read here: goes with its line
        if keep_as_target is not None and number == keep_as_target[0]:
            key_start, key_end = match.span("key")
            edits.append(Edit(key_start, key_end, f"{target.major}.{target.minor}"))
            line = text[start:key_start] + f"{target.major}.{target.minor}"
            cursor = key_end
            written: set[str] = set()
            for (s, e), entry in zip(envs, read, strict=True):
                new = text[s:e]
                if isinstance(entry, tox_envs.Entry) and tox_envs.loses(entry, target):
                    new = tox_envs.moved_entry(entry, target, True) or ""
                if new in written:  # ``py311, py310`` both become ``py312``: once
                    edits.append(Edit(cursor, e, ""))
                    cursor = e
                    continue
                written.add(new)
                line += text[cursor:s] + new
                if new != text[s:e]:
                    edits.append(Edit(s, e, new))
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
        removals.append((document.lines.line_start(start), document.lines.line_end(start)))
        del new_lines[number]
    onto = keep_as_target or next(row for row in rows if row[4] == wanted)
    if moving and onto[3] is not None:
        present = {text[s:e] for s, e in _items(text, onto[3].start("envs"), onto[3].end("envs"))}
        added = [env for env in dict.fromkeys(moving) if env not in present]
        if added:
            end = onto[3].end("envs")
            edits.append(Edit(end, end, "".join(f", {env}" for env in added)))
            line = new_lines[onto[0]]
            cut = len(line) - (onto[2] - end)
            new_lines[onto[0]] = line[:cut] + "".join(f", {env}" for env in added) + line[cut:]
    edits += [Edit(start, end, "") for start, end in line_removals(text, removals)]
    value = "\n".join(new_lines[number] for number in sorted(new_lines)).rstrip()
    declares = (SetValue((setting.section, setting.key), value),)
    for result in edits:
        yield replace(result, declares=declares) if isinstance(result, Edit) else result


def _entry_or_none(written: str) -> tox_envs.Entry | None:
    try:
        return tox_envs.read_entry(written)
    except tox_envs.Unreadable:
        return None


def _old_section(section: str, target: Version) -> str:
    """The environment of a ``[testenv:py310]`` section whose Python is below the target."""
    name = section.partition(":")[2].strip()
    entry = _entry_or_none(name) if name and "{" not in name else None
    return name if entry is not None and tox_envs.loses(entry, target) else ""


def _section_notice(document: Document, setting: Setting, name: str, target: Version) -> Notice:
    header = document.text.rfind("[", 0, setting.start)
    return Notice(
        max(header, 0),
        f"[{setting.section}] configures {name}, whose Python is below {target.major}."
        f"{target.minor}: not changed (its name says which Python it runs); rename it, or "
        "remove it if the envlist no longer has it",
        advisory=True,
    )


def _conditions(document: Document, setting: Setting, target: Version) -> Iterator[Notice]:
    """A note at each line of a testenv setting that only environments below the target
    read (``py310: numpy<2``)."""
    text = document.text
    for start, end in setting.lines:
        match = _CONDITION.match(text, start, end)
        if match is None:
            continue
        minors = tox_envs.python_factors(match["condition"])
        negated = "!" in match["condition"]
        if minors and not negated and all(below(*minor, target) for minor in minors):
            yield Notice(
                start,
                f"{match['condition']}: applies only to environments below "
                f"{target.major}.{target.minor}, which the envlist no longer runs: remove or "
                "move it by hand",
                advisory=True,
            )


def _base_python(document: Document, setting: Setting, target: Version) -> Iterator[Edit | Notice]:
    text = document.text
    start, end = setting.lines[0]
    content = _content(text, start, end)
    value = text[start:content]
    minor: Minor | None = tox_envs.factor_minor(value)
    if len(setting.lines) == 1 and minor is not None:
        if below(*minor, target):
            new = tox_envs.factor_for(value, target)
            yield Edit(
                start,
                content,
                new,
                declares=(SetValue((setting.section, setting.key), new + text[content:end]),),
            )
        return
    if minor_below(setting.value(text), target):
        reason = "is given through a substitution" if "{" in value else "is not one version"
        yield Notice(
            setting.start,
            f"{setting.key} {setting.value(text)!r} {reason}: not changed; move its Python by hand",
        )


def _toml(document: Document, context: Context) -> Iterator[Edit | Notice]:
    """tox's own TOML: ``tox.toml`` at its top, a pyproject under ``[tool.tox]``."""
    from modernize.authoring import toml
    from modernize.rules.version_lists import toml_version_array_edits

    base: tuple[str, ...] = () if document.kind == "tox-toml" else ("tool", "tox")
    located = document.toml.located
    target = context.targets.python
    legacy = located.get((*base, "legacy_tox_ini"))
    if legacy is not None and _UNREAD_PYTHON.search(document.text[legacy.start : legacy.end]):
        text = document.text[legacy.start : legacy.end]
        if minor_below(text, target) or re.search(r"py3[0-9]", text):
            yield Notice(
                legacy.start,
                "legacy_tox_ini is a tox.ini written inside a string: not changed; move its "
                f"Python environments to {context.targets.python_minor} by hand (or move it to "
                "tox.ini, which this tool reads)",
            )
    env_list = located.get((*base, "env_list"))
    if env_list is not None:
        items = toml.strings_in(document.text, env_list)
        lost = [
            item
            for item in items
            if (entry := _entry_or_none(item.value)) and tox_envs.loses(entry, target)
        ]
        combined = [item for item in lost if tox_envs.factor_minor(item.value) is None]
        for item in combined:
            yield Notice(
                item.start,
                f"env_list entry {item.value!r} combines its Python with other factors: not "
                "changed; move it by hand",
            )
        plain = [item for item in lost if item not in combined]
        if plain:
            spelling = tox_envs.factor_for(plain[0].value, target)

            def minor_of(item: toml.StringItem) -> Minor | None:
                return tox_envs.factor_minor(item.value)

            for result in toml_version_array_edits(
                document, env_list, minor_of, spelling, target, always_add=False
            ):
                yield replace(result, group=_GROUP) if isinstance(result, Edit) else result
    for path, value in located.items():
        if path[: len(base)] != base or path[-1:] != ("base_python",):
            continue
        rest = path[len(base) :]
        if not (rest == ("env_run_base", "base_python") or (len(rest) == 3 and rest[0] == "env")):
            continue
        name = str(rest[1]) if rest[0] == "env" else ""
        entry = _entry_or_none(name) if name else None
        if entry is not None and tox_envs.loses(entry, target):
            yield Notice(
                value.start,
                f"[env.{name}] is for a Python below {context.targets.python_minor} (its name "
                "says which Python it runs): its base_python stays; rename it, or remove it if "
                "env_list no longer has it",
                advisory=True,
            )
            continue
        items = toml.strings_in(document.text, value)
        if document.text[value.start : value.end].lstrip().startswith("["):
            # A list of Pythons to try in order: those below the target go, the target joins.
            minors = [tox_envs.factor_minor(item.value) for item in items]
            old = [
                item
                for item, minor in zip(items, minors, strict=True)
                if minor and below(*minor, target)
            ]
            if old:
                spelling = tox_envs.factor_for(old[0].value, target)
                yield from toml_version_array_edits(
                    document,
                    value,
                    lambda item: tox_envs.factor_minor(item.value),
                    spelling,
                    target,
                    always_add=True,
                )
            continue
        for item in items[:1]:
            minor = tox_envs.factor_minor(item.value)
            if minor is not None and below(*minor, target):
                new = tox_envs.factor_for(item.value, target)
                start = item.start + len(item.quote)
                yield Edit(start, item.end - len(item.quote), new, declares=(InPlace(path),))


def touches(text: str, context: Context) -> bool:
    """Only tox's settings give this migration anything to do, and in them a Python below the
    target, or an entry or value it cannot read (which it reports whatever its Python)."""
    if not (
        "[tox:tox]" in text
        or "[tox]" in text
        or "[testenv" in text
        or "[gh" in text
        or "env_list" in text
        or "base_python" in text
        or "legacy_tox_ini" in text
    ):
        return False
    target = context.targets.python
    if minor_below(text, target):
        return True
    if '"' in text or "'" in text:
        return True  # tox's TOML (its strings are quoted), or a quote in INI: read by migrate
    if "{" in text or "}" in text or "\\" in text:
        return True  # a brace group, a substitution or a joined line: read by the migration
    for factor in _FACTOR_LIKE.finditer(text):
        if below(factor[1], factor[2], target):
            return True
    return _two_pythons(text)


#: Where a Python factor may be (``py310``, ``python3.10``, ``py3.1``…), more often than one is.
_FACTOR_LIKE = lazy_pattern(r"py(?:thon)?([23])\.?([0-9]{1,2})")
_WORDS = lazy_pattern(r"[\s=]+")


def _two_pythons(text: str) -> bool:
    """Whether an entry of a list may hold two Python factors (``py312-py313``), which cannot
    be read and is reported: on any line, an item between commas of which two parts between
    dashes hold a word that is a factor (counted generously: a comment stays in its line's
    last item, and the key before ``=`` and blanks inside a part are words apart)."""
    for line in text.split("\n"):
        if "-" not in line:
            continue
        for item in line.split(","):
            parts = item.split("-")
            factors = sum(
                any(tox_envs.factor_minor(word) is not None for word in _WORDS.split(part))
                for part in parts
            )
            if factors > 1:
                return True
    return False
