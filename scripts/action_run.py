"""Run modernize for the composite GitHub Action (action.yml) and report in the job summary.

``modernize $MODERNIZE_ARGS $MODERNIZE_PATH`` runs with this interpreter; its output goes to the
step log as usual and, fenced, to the job summary (``$GITHUB_STEP_SUMMARY``). The exit status is
modernize's own, so the step fails while changes are pending (``apply --dry-run`` exits 1), when
``verify`` finds errors (1) and on any error (2). ``exit-code`` is also set as a step output.

The inputs arrive in the environment, never pasted into a shell script, so no input can inject
a command. ``MODERNIZE_ARGS`` is split like a shell command line (quotes work, nothing expands).

modernize runs isolated (``python -I``), in the workspace but never importing from it: the
checked-out repository may hold a ``modernize/``, ``click/`` or ``yaml/`` of its own.
"""

from __future__ import annotations

import itertools
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

DEFAULT_ARGS = "apply --dry-run"
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
    formats = [value for flag, value in itertools.pairwise(args) if flag == "--format"]
    formats += [arg.split("=", 1)[1] for arg in args if arg.startswith("--format=")]
    if formats and formats[-1] in ("json", "sarif"):
        language = "json"
    else:
        language = "diff" if command == "apply" else "text"
    parts = [
        f"### `{shlex.join(['modernize', *args, path])}`\n",
        verdict(command, "--dry-run" in args, status) + "\n",
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


def main() -> int:
    args = shlex.split(os.environ.get("MODERNIZE_ARGS") or DEFAULT_ARGS)
    path = os.environ.get("MODERNIZE_PATH") or "."
    completed = subprocess.run(
        [sys.executable, "-I", "-X", "utf8", "-m", "modernize", *args, path],
        capture_output=True,
        check=False,
    )
    stdout = completed.stdout.decode("utf-8", errors="replace")
    stderr = completed.stderr.decode("utf-8", errors="replace")
    sys.stdout.write(stdout)
    sys.stderr.write(stderr)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        with Path(summary_file).open("a", encoding="utf-8") as handle:
            handle.write(summary(args, path, completed.returncode, stdout, stderr))
    output_file = os.environ.get("GITHUB_OUTPUT")
    if output_file:
        with Path(output_file).open("a", encoding="utf-8") as handle:
            handle.write(f"exit-code={completed.returncode}\n")
    return completed.returncode


if __name__ == "__main__":
    sys.exit(main())
