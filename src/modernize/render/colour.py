"""ANSI colour for a terminal: when to use it, and the coloured diff and findings.

Colour is only ever added around a line's text, before its newline; removing every
``ESC [ … m`` sequence gives back the plain output byte for byte (which stays what
``git apply`` reads).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from modernize.lazy import lazy_pattern
from modernize.model import Finding
from modernize.render.diff import split_lines

BOLD = "\x1b[1m"
RED = "\x1b[31m"
GREEN = "\x1b[32m"
YELLOW = "\x1b[33m"
CYAN = "\x1b[36m"
RESET = "\x1b[0m"

_HUNK_HEADER = lazy_pattern(r"^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@")


def wants_colour(choice: str, is_terminal: bool, environ: Mapping[str, str]) -> bool:
    """``--color auto|always|never``. Auto colours a terminal only, and never when
    ``NO_COLOR`` is set to anything but the empty string (no-color.org) or ``TERM`` is
    ``dumb``; ``FORCE_COLOR`` or ``CLICOLOR_FORCE`` set to anything but the empty string or
    ``0`` colours a pipe too (force-color.org, bixense.com/clicolors), though ``NO_COLOR``
    still wins. ``always`` and ``never`` win over all of them."""
    if choice != "auto":
        return choice == "always"
    if environ.get("NO_COLOR"):
        return False
    if any(environ.get(name, "") not in ("", "0") for name in ("FORCE_COLOR", "CLICOLOR_FORCE")):
        return True
    if environ.get("TERM") == "dumb":
        return False
    return is_terminal


def paint(text: str, style: str) -> str:
    return f"{style}{text}{RESET}" if style and text else text


def finding_text(finding: Finding, colour: bool = False) -> str:
    """A finding as ``verify`` prints it, ``path:line: SEVERITY CODE message`` (the severity
    error, warning or note, so that plain output still tells them apart); in colour, the
    location is bold and the severity and code red for an error, yellow for a warning, cyan
    for a note."""
    location = f"{finding.path}:{finding.line}:"
    label = f"{finding.severity} {finding.code}"
    if colour:
        location = paint(location, BOLD)
        label = paint(label, {"error": RED, "warning": YELLOW, "note": CYAN}[finding.severity])
    return f"{location} {label} {finding.message}"


def colour_diff(diff: str) -> str:
    """A unified diff with file headers bold, hunk headers cyan, removals red and additions
    green. Lines inside a hunk are told apart by the hunk header's line counts, not by their
    first characters alone: removing the line ``-- note`` prints ``--- note``, which is no
    file header."""
    out: list[str] = []
    old_left = new_left = 0
    for line in split_lines(diff):
        body = line.rstrip("\r\n")
        ending = line[len(body) :]
        style = ""
        if old_left > 0 or new_left > 0:
            marker = body[:1]
            if marker == "-":
                old_left -= 1
                style = RED
            elif marker == "+":
                new_left -= 1
                style = GREEN
            elif marker == " ":
                old_left -= 1
                new_left -= 1
            # "\ No newline at end of file" counts for neither side and stays plain.
        elif hunk := _HUNK_HEADER.match(body):
            old_left = int(hunk.group(1) or "1")
            new_left = int(hunk.group(2) or "1")
            style = CYAN
        elif body.startswith(("--- ", "+++ ")):
            style = BOLD
        out.append(paint(body, style) + ending)
    return "".join(out)


def finding_lines(findings: Sequence[Finding], colour: bool = False) -> list[str]:
    """``verify``'s text output: each finding on a line, its path and message made printable."""
    from dataclasses import replace

    from modernize.render.quoting import printable, shown

    made = [replace(f, path=shown(f.path), message=printable(f.message)) for f in findings]
    return [finding_text(finding, colour) for finding in made]
