"""Run modernize for the composite GitHub Action (action.yml) and report in the job summary.

``modernize $MODERNIZE_ARGS $MODERNIZE_PATH`` runs with this interpreter; its output goes to the
step log as usual and, fenced, to the job summary (``$GITHUB_STEP_SUMMARY``). The exit status is
modernize's own, so the step fails while changes are pending (``apply --dry-run`` exits 1), when
``verify`` finds errors (1) and on any error (2). ``exit-code`` is also set as a step output.

Two more runs of ``modernize verify`` may follow, with the options the two commands share
(target, selection, configuration): with ``$MODERNIZE_ANNOTATIONS`` true (the default) one
prints ``--format github`` workflow commands, which GitHub shows as annotations at the stale
lines of a pull request; with ``$MODERNIZE_SARIF_FILE`` set one writes SARIF 2.1.0 there, for
``github/codeql-action/upload-sarif``. Their findings do not change the step's exit status; a
SARIF file that could not be written does (exit 2), since the upload after it would fail.

The inputs arrive in the environment, never pasted into a shell script, so no input can inject
a command. ``MODERNIZE_ARGS`` is split like a shell command line (quotes work, nothing expands).

modernize runs isolated (``python -I``), in the workspace but never importing from it: the
checked-out repository may hold a ``modernize/``, ``click/`` or ``yaml/`` of its own.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

DEFAULT_ARGS = "apply --dry-run"
#: The options of ``apply`` that ``verify`` takes too, each with a value: the run that
#: annotates or writes SARIF after an ``apply`` keeps the same target and selection.
SHARED_OPTIONS = frozenset(
    (
        "--only",
        "--skip",
        "--enable",
        "--config",
        "--exclude",
        "--standard",
        "--python",
        "--postgres",
        "--redis",
    )
)
#: ``verify``'s options that choose where and how findings are printed: the extra runs set
#: their own.
OUTPUT_OPTIONS = frozenset(("--format", "--output", "-o", "--color"))
DRY_RUN = frozenset(("--dry-run", "--diff", "--check"))
FALSE = frozenset(("", "0", "false", "no", "off"))
#: GitHub drops a step summary over 1 MiB; the output is cut well below that.
SUMMARY_LIMIT = 512 * 1024


def fence(text: str, language: str) -> str:
    """A fenced code block that no run of backticks inside ``text`` can close early."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    body = text if text.endswith("\n") else text + "\n"
    return f"{ticks}{language}\n{body}{ticks}\n"


def truncated(text: str, limit: int = SUMMARY_LIMIT) -> str:
    """``text`` cut at a line boundary to at most ``limit`` characters, saying how much is left."""
    if len(text) <= limit:
        return text
    kept = text[: text.rfind("\n", 0, limit) + 1]
    left = text.count("\n", len(kept)) + (not text.endswith("\n"))
    return kept + f"… {left} more lines: the full output is in the step log.\n"


def verdict(command: str, dry_run: bool, status: int) -> str:
    if status == 2:
        return "**Error** (exit 2): modernize could not finish; see the diagnostics."
    if command == "verify":
        return "**Checks failing** (exit 1)." if status else "Checks pass."
    if status == 1:
        return "**Changes pending** (exit 1): run `modernize apply` and commit the result."
    return "Nothing to change." if dry_run else "Done (exit 0)."


def summary(args: list[str], path: str, status: int, stdout: str, stderr: str) -> str:
    command = next((arg for arg in args if not arg.startswith("-")), "")
    if output_format(args) in ("json", "sarif"):
        language = "json"
    else:
        language = "diff" if command == "apply" else "text"
    parts = [
        f"### `{shlex.join(['modernize', *args, path])}`\n",
        verdict(command, bool(DRY_RUN.intersection(args)), status) + "\n",
    ]
    if stdout.strip():
        parts.append(fence(truncated(stdout), language))
    if stderr.strip():
        parts.append(
            "<details><summary>Diagnostics</summary>\n\n"
            + fence(truncated(stderr), "text")
            + "\n</details>\n"
        )
    return "\n".join(parts) + "\n"


def verify_args(args: list[str]) -> list[str] | None:
    """The ``verify`` command line that checks what ``args`` runs on, without its output
    options; ``None`` for a command that is neither ``apply`` nor ``verify``."""
    command = next((arg for arg in args if not arg.startswith("-")), "")
    if command not in ("apply", "verify"):
        return None
    kept = ["verify"]
    wanted = OUTPUT_OPTIONS if command == "verify" else SHARED_OPTIONS
    position = args.index(command) + 1
    while position < len(args):
        arg = args[position]
        name, equals, _ = arg.partition("=")
        takes_value = name in SHARED_OPTIONS or name in OUTPUT_OPTIONS
        width = 2 if takes_value and not equals else 1
        given = args[position : position + width]
        if command == "verify":
            if name not in wanted:
                kept += given
        elif name in wanted:
            kept += given
        position += width
    return kept


def output_format(args: list[str]) -> str | None:
    """The ``--format`` that ``args`` asks for, the last one given; ``None`` without one."""
    formats = [value for flag, value in itertools.pairwise(args) if flag == "--format"]
    formats += [arg.split("=", 1)[1] for arg in args if arg.startswith("--format=")]
    return formats[-1] if formats else None


def prints_annotations(args: list[str]) -> bool:
    """Whether ``args`` itself prints the annotations (``verify --format github``)."""
    return output_format(args) == "github"


def modernize(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-I", "-X", "utf8", "-m", "modernize", *args],
        capture_output=True,
        check=False,
    )


def extra_runs(args: list[str], path: str) -> int:
    """The annotations and the SARIF file, when asked for; 2 when the SARIF file could not be
    written, else 0."""
    checking = verify_args(args)
    sarif_file = os.environ.get("MODERNIZE_SARIF_FILE", "")
    annotations = os.environ.get("MODERNIZE_ANNOTATIONS", "true").strip().lower() not in FALSE
    if checking is None:
        if sarif_file:
            sys.stderr.write(
                f"modernize: sarif-file: {args[0] if args else 'this command'} has no findings "
                "to write; use `apply` or `verify` in args\n"
            )
            return 2
        return 0
    if annotations and not prints_annotations(args):
        annotated = modernize(*checking, "--format", "github", "--quiet", path)
        sys.stdout.write(annotated.stdout.decode("utf-8", errors="replace"))
        if annotated.returncode == 2:
            sys.stderr.write(annotated.stderr.decode("utf-8", errors="replace"))
    if not sarif_file:
        return 0
    with contextlib.suppress(OSError):  # a folder for it, as upload-sarif's examples expect
        Path(sarif_file).parent.mkdir(parents=True, exist_ok=True)
    written = modernize(*checking, "--format", "sarif", "--output", sarif_file, "--quiet", path)
    if written.returncode == 2 or not Path(sarif_file).is_file():
        sys.stderr.write(written.stderr.decode("utf-8", errors="replace"))
        sys.stderr.write(f"modernize: sarif-file: {sarif_file} was not written\n")
        return 2
    return 0


def main() -> int:
    args = shlex.split(os.environ.get("MODERNIZE_ARGS") or DEFAULT_ARGS)
    path = os.environ.get("MODERNIZE_PATH") or "."
    completed = modernize(*args, path)
    stdout = completed.stdout.decode("utf-8", errors="replace")
    stderr = completed.stderr.decode("utf-8", errors="replace")
    sys.stdout.write(stdout)
    sys.stderr.write(stderr)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        with Path(summary_file).open("a", encoding="utf-8") as handle:
            handle.write(summary(args, path, completed.returncode, stdout, stderr))
    status = max(completed.returncode, extra_runs(args, path))
    output_file = os.environ.get("GITHUB_OUTPUT")
    if output_file:
        with Path(output_file).open("a", encoding="utf-8") as handle:
            handle.write(f"exit-code={status}\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
