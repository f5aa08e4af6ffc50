"""Move the python entry of asdf's ``.tool-versions`` and of mise's ``mise.toml`` to the target.

What: in ``.tool-versions``, the ``python`` line's versions below the target go, and when no
CPython version at or above it is left, the target takes the place of the first one that went
(``python 3.10.13 3.11.9`` becomes ``python 3.12.13``); other tools' lines are never read. In
``mise.toml`` (``.mise.toml``, ``mise.local.toml``), ``[tools] python`` as a string, a list of
strings or an inline table's ``version`` follows the same rule. A version written as a patch
release becomes the target's newest patch release in the shipped knowledge (asdf installs exact
releases), with a note naming its date; one written as a minor (``3.10``) becomes the target
minor.

Why: these files choose the interpreter of every developer and CI job that runs
``asdf install`` or ``mise install``; left behind they run a Python the image and CI no longer
test.

Example::

    .tool-versions:  python 3.10.13 3.11.9   ->  python 3.12.13
    mise.toml:       python = "3.10"         ->  python = "3.12"

Refuses: a patch release when the shipped knowledge has no release of the target (reported),
and a python entry written in a form it cannot read (a list holding inline tables,
``python = [{ version = "3.10" }, "3.11"]``: reported). Left
silently: ``system``, ``pypy…``, ``miniconda…``, ``ref:``/``path:`` versions, prefixes such as
``latest:3.10`` and versions at or above the target. A comment that may explain the pin keeps it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from modernize.authoring import (
    Context,
    Document,
    Edit,
    InPlace,
    Notice,
    SetValue,
    Targets,
    toml,
)
from modernize.lazy import lazy_pattern
from modernize.rules.releases import newest_release, release_note
from modernize.rules.versions import below, minor_below

ID = "tool-versions-python"
TITLE = "Move the python entry of .tool-versions and mise.toml to the target"
KINDS = ("tool-versions", "mise")
#: It moves a file's Python: a file whose project cannot run the target stays.
MOVES = "python"
CODE = "M016"
#: What a pending change is, as ``verify`` reports it.
FINDING = "asdf or mise Python below the target"

#: A CPython version as asdf and mise write it: ``3.10`` or ``3.10.13``.
_CPYTHON = lazy_pattern(r"(?P<major>[0-9]+)\.(?P<minor>[0-9]+)(?P<patch>\.[0-9]+)?")
#: The python line of ``.tool-versions``: the tool, then its versions, then a comment.
_LINE = lazy_pattern(r"^[ \t]*python(?P<versions>(?:[ \t]+[^\s#]+)+)[ \t]*(?:#.*)?$")
_WORD = lazy_pattern(r"[^\s#]+")


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    if document.kind == "tool-versions":
        yield from _tool_versions(document, context.targets)
    else:
        yield from _mise(document, context.targets)


def _tool_versions(document: Document, targets: Targets) -> Iterator[Edit | Notice]:
    lines = document.lines
    for number in range(1, len(lines.starts) + 1):
        line = lines.line_text(number)
        match = _LINE.match(line)
        if match is None:
            continue
        start = lines.starts[number - 1] + match.start("versions")
        words = [
            (start + word.start(), start + word.end(), word[0])
            for word in _WORD.finditer(match["versions"])
        ]
        declares = (InPlace(("line", number - 1)),)
        yield from _moved(words, targets, declares, separator=" ")
        return  # asdf reads the first python line


def _mise(document: Document, targets: Targets) -> Iterator[Edit | Notice]:
    located = document.toml.located
    for path in (("tools", "python"), ("tools", "python", "version")):
        value = located.get(path)
        if value is None:
            continue
        written = document.text[value.start : value.end]
        if written.lstrip().startswith("{"):
            yield from _inline_version(document, value, targets)
            return
        if written.lstrip().startswith("["):
            yield from _mise_list(document, value, targets)
            return
        items = toml.strings_in(document.text, value)
        if len(items) == 1:
            item = items[0]
            word = (item.start + len(item.quote), item.end - len(item.quote), item.value)
            yield from _moved([word], targets, (InPlace(path),), separator="")
        return


def _mise_list(document: Document, value: toml.Value, targets: Targets) -> Iterator[Edit | Notice]:
    """``python = ["3.10.14", "3.11.9"]``: the versions below the target go, and the target
    (in the form of the first that went) comes when no CPython at or above it stays."""
    from modernize.rules.version_lists import toml_version_array_edits

    def minor_of(item: toml.StringItem) -> tuple[int, int] | None:
        match = _CPYTHON.fullmatch(item.value)
        return (int(match["major"]), int(match["minor"])) if match else None

    written = document.text[value.start : value.end]
    if "{" in written:
        if minor_below(written, targets.python):
            yield Notice(
                value.start,
                "a list of python versions with inline tables is not a form this tool reads; "
                f"not changed: move it to {targets.python_minor} by hand",
            )
        return
    items = toml.strings_in(document.text, value)
    first = next((item.value for item in items if _below(item.value, targets)), None)
    if first is None:
        return
    new = _target_form(first, targets)
    if new is None:
        yield _no_release(value.start, first, targets)
        return
    yield from toml_version_array_edits(document, value, minor_of, new, targets.python, True)


#: ``version = "3.10"`` inside an inline table (``{ version = "3.10", virtualenv = ".venv" }``).
_INLINE_VERSION = lazy_pattern(
    r"(?<![\w-])version[ \t]*=[ \t]*(?P<quote>[\"'])(?P<value>[^\"'\n]*)(?P=quote)"
)


def _inline_version(
    document: Document, value: toml.Value, targets: Targets
) -> Iterator[Edit | Notice]:
    match = _INLINE_VERSION.search(document.text, value.start, value.end)
    if match is None:
        return
    word = (match.start("value"), match.end("value"), match["value"])
    results = list(_moved([word], targets, (), separator=""))
    for result in results:
        if isinstance(result, Edit):
            path = (*value.path, "version")
            yield replace(result, declares=(SetValue(path, result.replacement),))
        else:
            yield result


def _moved(
    words: list[tuple[int, int, str]],
    targets: Targets,
    declares: tuple[InPlace, ...] | tuple[()],
    separator: str,
) -> Iterator[Edit | Notice]:
    """The versions ``words`` (start, end, text) lose those below the target; the target
    takes the place of the first that goes unless a CPython at or above it stays."""
    below_at = [index for index, (_s, _e, word) in enumerate(words) if _below(word, targets)]
    if not below_at:
        return
    first = words[below_at[0]][2]
    new = _target_form(first, targets)
    if new is None:
        yield _no_release(words[below_at[0]][0], first, targets)
        return
    gone = set(below_at)
    runs_target = any(
        _below(word, targets) is False
        for index, (_s, _e, word) in enumerate(words)
        if index not in gone
    )
    result = []
    for index, (_s, _e, word) in enumerate(words):
        if index not in gone:
            result.append(word)
        elif index == below_at[0] and not runs_target:
            result.append(new)
    start, end = words[0][0], words[-1][1]
    yield Edit(start, end, separator.join(result), declares=declares)
    if not runs_target and new != targets.python_minor:
        yield release_note(words[below_at[0]][0], f"python {first}", new, targets)


def _no_release(offset: int, first: str, targets: Targets) -> Notice:
    return Notice(
        offset,
        f"python {first} is an exact release and no {targets.python_minor} release is known "
        "to this release of modernize: not changed; set one by hand",
    )


def _below(word: str, targets: Targets) -> bool | None:
    """True/False for a CPython version below / at or above the target; None for others."""
    match = _CPYTHON.fullmatch(word)
    if match is None:
        return None
    return below(match["major"], match["minor"], targets.python)


def _target_form(word: str, targets: Targets) -> str | None:
    """The target in the form of ``word``: a minor, or the newest known patch release."""
    match = _CPYTHON.fullmatch(word)
    if match is None or match["patch"] is None:
        return targets.python_minor
    return newest_release(targets)


def touches(text: str, context: Context) -> bool:
    return "python" in text
