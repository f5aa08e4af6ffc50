"""Move ``.python-version`` and ``runtime.txt`` pins to the target Python.

What: the version in ``.python-version`` (its first non-comment line: ``3.10``, ``3.10.4`` or a
pre-release such as ``3.10.0rc1``) and in ``runtime.txt`` (``python-3.10.4``) below the target
becomes the target minor. A patch or pre-release pin moves to the minor, the same rule as
``python-base-image`` tags: the tool cannot know offline which patch release is current, and
pyenv, uv and the buildpacks resolve ``3.12`` to the newest installed or published 3.12. The
rest of the file (comments, further version lines, newlines) keeps its bytes.

Why: these files choose the interpreter for local development and platform builds; left behind
they run a different Python from the image and CI.

Example::

    .python-version:  3.10.4         ->  3.12
    runtime.txt:      python-3.10.4  ->  python-3.12

Refuses (leaves the file and warns): a first version line that starts with a Python version
below the target but is not one version, such as ``3.10.4 3.9.18`` (several versions on one
line), ``3.10-dev``, ``3.10.4/envs/tools`` or an unprefixed ``3.10.4`` in ``runtime.txt``.
Lines after the first, ``pypy…``, ``system``, virtual environment names and versions at or above
the target are left silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from modernize.authoring import Context, Document, Edit, InPlace, Notice
from modernize.lazy import lazy_pattern
from modernize.rules.versions import below

ID = "python-version-files"
TITLE = "Move .python-version and runtime.txt pins to the target Python"
KINDS = ("python-version", "runtime-txt")
#: It moves a file's Python: a file whose project cannot run the target stays.
MOVES = "python"
CODE = "M008"
#: What a pending change is, as ``verify`` reports it.
FINDING = "Python pin below the target"

# X.Y, X.Y.Z and pre-releases such as 3.13.0rc1, as python-base-image reads image tags.
_VERSION = r"(?P<version>(?P<major>[0-9]+)\.(?P<minor>[0-9]+)(?:\.[0-9]+)?(?:(?:a|b|rc)[0-9]+)?)"
_PATTERNS = {
    "python-version": re.compile(rf"^[ \t]*{_VERSION}[ \t]*$"),
    "runtime-txt": re.compile(rf"^[ \t]*python-{_VERSION}[ \t]*$"),
}
_FORMS = {"python-version": "X.Y[.Z]", "runtime-txt": "python-X.Y[.Z]"}
#: A line that starts like a CPython pin but is not one the patterns above read.
_STARTS_LIKE_A_PIN = lazy_pattern(r"^[ \t]*(?:python-)?(?P<major>[0-9]+)\.(?P<minor>[0-9]+)")


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    pattern = _PATTERNS[document.kind]
    text = document.text
    position = 0
    number = 0
    while position < len(text):
        newline = text.find("\n", position)
        end = len(text) if newline < 0 else newline
        content_end = end - 1 if end > position and text[end - 1] == "\r" else end
        line = text[position:content_end]
        if line.strip() and not line.lstrip().startswith("#"):
            match = pattern.match(line)
            unread = None if match else _STARTS_LIKE_A_PIN.match(line)
            if match and _below_target(match, context):
                yield Edit(
                    position + match.start("version"),
                    position + match.end("version"),
                    context.targets.python_minor,
                    declares=(InPlace(("line", number)),),
                )
            elif unread and _below_target(unread, context):
                prefix = "python-" if document.kind == "runtime-txt" else ""
                yield Notice(
                    position + unread.start("major"),
                    f"{line.strip()!r} is not a single {_FORMS[document.kind]} version; "
                    f"not changed: move it to {prefix}{context.targets.python_minor} by hand",
                )
            return  # only the first version line is the pin
        position = end + 1
        number += 1


def _below_target(match: re.Match[str], context: Context) -> bool:
    return below(match["major"], match["minor"], context.targets.python)
