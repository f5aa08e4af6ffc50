"""A pre-commit hook's run on files that need no change, made before the command line loads.

``modernize apply FILE...`` on current files prints its summary line and exits 0; loading click
and the command line only to read such arguments was about a third of that run. When the
arguments are ``apply``, files (fewer than a parallel run's threshold) and no flag but
``-q``/``--quiet``, ``--check`` and ``--dry-run``/``--diff``, the run is first made here as a dry
run, told nothing as it goes: it writes nothing, whatever it finds. If every file is current
and the run has nothing to say (``RunReport.silent``), the summary line the command line would
print is printed, and that is the run. Otherwise (a file to change, a warning, an error, a
missing file, a bad configuration) nothing has been printed or written, and the command line
makes the run in full, from the start; the modules it needs are loaded by then.

Anything else (another option, ``-`` for standard input, ``--``, a folder, shell completion) is
the command line's to read, as it always was.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

#: The flags read here, by what they set (``--check`` is a dry run that prints no diff).
_FLAGS = {
    "-q": "quiet",
    "--quiet": "quiet",
    "--check": "dry_run",
    "--dry-run": "dry_run",
    "--diff": "dry_run",
}


def hook_arguments(arguments: Sequence[str]) -> tuple[list[str], set[str]] | None:
    """The files and flags of a hook's ``apply FILE...`` (see the module's docstring), or None
    when the arguments are the command line's to read."""
    if len(arguments) < 2 or arguments[0] != "apply" or os.name == "nt":
        return None  # (click expands wildcards in Windows arguments itself)
    if any(name.startswith("_MODERNIZE_COMPLETE") for name in os.environ):
        return None  # shell completion reads its own variables
    paths: list[str] = []
    flags: set[str] = set()
    for argument in arguments[1:]:
        if argument in _FLAGS:
            flags.add(_FLAGS[argument])
        elif not argument or argument.startswith("-"):
            return None
        else:
            paths.append(argument)
    return (paths, flags) if paths else None


def settled(arguments: Sequence[str]) -> int | None:
    """The exit code of a hook's run that found every file current, its summary printed; None
    when the command line is to make the run (nothing printed or written here)."""
    given = hook_arguments(arguments)
    if given is None:
        return None
    paths, flags = given
    from modernize.engine.repository import PARALLEL_THRESHOLD

    if len(paths) >= PARALLEL_THRESHOLD or not all(os.path.isfile(path) for path in paths):
        return None
    from modernize import api
    from modernize.entry import tune_collector

    tune_collector()
    try:
        report = api.apply(paths, api.ApplyOptions(dry_run=True, output_format="json", jobs=1))
    except Exception:
        return None  # the command line says what went wrong
    if not report.silent:
        return None
    if "quiet" not in flags:
        from modernize.render.run import summary_line

        line = summary_line(report.counts, "dry_run" in flags)
        try:
            sys.stderr.write(line + "\n")
            sys.stderr.flush()
        except OSError:
            return None  # a reader gone, a full disk: the command line's to report
    return report.exit_code
