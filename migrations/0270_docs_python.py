"""Report documentation lines that state an old Python in a command or a requirement.

What: in README files (``README``, ``README.md``, ``README.rst`` anywhere) and the Markdown and
reStructuredText pages of a ``docs`` folder, a line whose command or requirement names a Python
below the target is reported as a note at its file and line, never edited:

- commands: ``python3.10 -m venv .venv``, ``py -3.10``, ``--python 3.10``, ``pyenv install
  3.10``, ``uv python install 3.10``, ``conda create … python=3.10``;
- requirements: "requires Python 3.10", "Python 3.10+", "Python 3.10 or later", "Python >=
  3.10".

Why: the code and the infrastructure moved; a contributor who follows the README still sets up
the old interpreter. Prose is a decision of its authors: it is pointed at, not rewritten.

Example::

    README.md:12: note: this line names Python 3.10 in a command: update it by hand if the
    project now runs 3.12 (python3.10 -m venv .venv)

Refuses: nothing is edited. Left silently: changelogs and release notes (``CHANGELOG``,
``HISTORY``, ``NEWS``: they record the past), versions at or above the target, and lines that
mention a version without a command or a requirement. A project that cannot run the target gets
no notes.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from modernize.authoring import Context, Document, Edit, Notice
from modernize.lazy import lazy_pattern
from modernize.rules.versions import below

ID = "docs-python"
TITLE = "Report README and docs lines that state an old Python in a command or requirement"
KINDS = ("readme", "docs-page")
CODE = "M028"
#: What a pending change is, as ``verify`` reports it (notes only: never an error).
FINDING = "documentation names a Python below the target"

_COMMAND = lazy_pattern(
    r"\bpython(?P<a>3\.[0-9]{1,2})\s+-m\b"
    r"|\bpy\s+-(?P<b>3\.[0-9]{1,2})\b"
    r"|--python[= ](?P<c>3\.[0-9]{1,2})\b"
    r"|\bpyenv\s+(?:install|local|global|shell)\s+(?P<d>3\.[0-9]{1,2})\b"
    r"|\buv\s+python\s+(?:install|pin)\s+(?P<e>3\.[0-9]{1,2})\b"
    r"|\bconda\s+create\b.*\bpython=(?P<f>3\.[0-9]{1,2})\b",
    re.IGNORECASE,
)
_REQUIREMENT = lazy_pattern(
    r"\b(?:requires?|required|requirements?|needs?|supports?)\s*:?\s+(?:c?python)\s*"
    r"(?:>=|≥|version\s+)?\s*(?P<a>3\.[0-9]{1,2})\b"
    r"|\bc?python\s*(?:>=|≥)\s*(?P<b>3\.[0-9]{1,2})\b"
    r"|\bc?python\s+(?P<c>3\.[0-9]{1,2})(?:\+|\s+or\s+(?:later|newer|higher|above|greater))",
    re.IGNORECASE,
)
#: Files that record the past.
_HISTORY = lazy_pattern(r"(?i)(?:change(?:s|log)|history|news|release[-_ ]?notes)")


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    if _HISTORY.search(posixpath.basename(document.path)):
        return
    if context.survey is not None and context.survey.python_held(document.path):
        return
    target = context.targets.python
    for number, start in enumerate(document.lines.starts, start=1):
        line = document.lines.line_text(number)
        for pattern, what in ((_COMMAND, "a command"), (_REQUIREMENT, "a requirement")):
            match = pattern.search(line)
            version = next((v for v in match.groups() if v), None) if match else None
            if version is None:
                continue
            major, minor = version.split(".")
            if below(major, minor, target):
                yield Notice(
                    start + line.index(match[0]) if match else start,
                    f"this line names Python {version} in {what}: update it by hand if the "
                    f"project now runs {context.targets.python_minor} ({line.strip()[:80]})",
                    severity="note",
                    advisory=True,
                )
                break


def touches(text: str, context: Context) -> bool:
    return "3." in text and ("ython" in text or "py " in text or "pyenv" in text)
