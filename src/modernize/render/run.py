"""How an ``apply`` run reads as text: each file's diagnostics and diff, the summary line, and
a batch's section lines and table. The command line prints what these return."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from modernize.model import Outcome
from modernize.records import record
from modernize.render.diagnostics import located
from modernize.render.quoting import shown

if TYPE_CHECKING:
    from modernize.workspace.spool import Spooled

#: The line before each repository's diff in a batch; patch and git apply skip it.
SECTION_PREFIX = "# repository: "


@record(frozen=True)
class FileText:
    """One file of a run as printed: its stderr lines (each ending in a newline), its diff
    (``diff_text``)."""

    stderr: str
    #: The diff; its headers only when its hunks are ``spooled``.
    diff: str = ""
    spooled: Spooled | None = None

    def diff_text(self) -> str:
        """The whole diff (its hunks read back from the spool, when they wait there)."""
        return self.diff if self.spooled is None else self.diff + self.spooled.text()


def outcome_diagnostics(named: str, outcome: Outcome) -> str:
    """A file's warnings and errors, ``named`` as diagnostics name it: a skipped file's reason
    only, else why it failed and each finding."""
    if outcome.status == "skipped":
        return located(named, 1, "warning", outcome.reason) + "\n"
    lines = []
    if outcome.status == "failed" and outcome.reason:
        lines.append(located(named, 1, "error", outcome.reason))
    for finding in outcome.findings:
        lines.append(located(named, finding.line, finding.severity, finding.message))
    return "".join(line + "\n" for line in lines)


def outcome_diff(outcome: Outcome, path: str) -> tuple[str, Spooled | None]:
    """The diff of one changed file, its headers naming ``path`` (its hunks as the process that
    planned it rendered them, when it did); when its hunks are spooled, its headers and them."""
    from modernize.render.diff import headers, with_headers

    hunks = outcome.hunks if outcome.hunks is not None else outcome_hunks(outcome)
    if isinstance(hunks, str):
        return with_headers(path, hunks), None
    return headers(path), hunks


def outcome_hunks(outcome: Outcome) -> str:
    """The hunks of one changed file's diff, without its headers."""
    from modernize.render.diff import diff_hunks

    bom_length = 1 if outcome.bom else 0
    return diff_hunks(
        outcome.original.decode("utf-8")[bom_length:],
        outcome.updated.decode("utf-8")[bom_length:],
        outcome.spans,
        outcome.bom,
    )


def diff_paths(root: str, several: bool) -> Callable[[str, str], str]:
    """The path in a file's diff headers outside a batch, from its path relative to PATH and
    as the user named it (``named``): relative to PATH when it is the only directory; else as
    named, relative to the current directory (a hook passes files from the repository root),
    except a lone file outside it, which is shown by its name. A text given on standard input
    is shown by the name it is given. (PATH is looked at once, not for each file.)"""
    from modernize.workspace.files import is_given

    if not several and not Path(root).is_file() and not is_given(root):
        return lambda relative, _named: relative

    def path(_relative: str, named: str) -> str:
        normal = os.path.normpath(named)
        if not several and (os.path.isabs(normal) or normal.split(os.sep)[0] == os.pardir):
            return Path(root).name
        return normal

    return path


def section_line(root: str) -> str:
    """The line before a batch repository's diff."""
    return f"{SECTION_PREFIX}{shown(root)}"


def summary_line(
    counts: tuple[int, int, int, int], dry_run: bool, repositories: int | None = None
) -> str:
    """``changed, unchanged, warnings, failed`` as the line that ends a run."""
    changed, unchanged, warnings, failed = counts
    verb = "would be changed" if dry_run else "changed"
    parts = [f"{changed} file{'s' * (changed != 1)} {verb}"]
    parts.append(f"{unchanged} unchanged")
    if failed:
        parts.append(f"{failed} failed")
    if warnings:
        parts.append(f"{warnings} warning{'s' * (warnings != 1)}")
    prefix = f"{repositories} repositories: " if repositories is not None else ""
    return prefix + ", ".join(parts) + "."


def summary_table(rows: Sequence[tuple[str, int, int, int]], dry_run: bool) -> str:
    """One aligned line per repository (``root, changed, warnings, errors``)."""
    header = ("repository", "would change" if dry_run else "changed", "warnings", "errors")
    table = [header] + [
        (shown(root), str(changed), str(warnings), str(errors))
        for root, changed, warnings, errors in rows
    ]
    widths = [max(len(row[column]) for row in table) for column in range(len(header))]
    lines = []
    for row in table:
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells).rstrip() + "\n")
    return "".join(lines)


def findings_summary(errors: int, warnings: int, notes: int = 0) -> str:
    """The line that ends ``verify``."""
    return (
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}, "
        f"{notes} note{'s' * (notes != 1)}."
    )


def hazards_line(count: int, command: str) -> str:
    """What ``apply`` adds when what it changed brings upgrade hazards."""
    return f"{count} upgrade hazard{'s' * (count != 1)}: run `{command}`."


def hazards_summary(count: int) -> str:
    """The line that ends ``advise``."""
    if not count:
        return "No upgrade hazards."
    return f"{count} upgrade hazard{'s' * (count != 1)}: `modernize rule CODE` explains each."
