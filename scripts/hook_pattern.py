"""Write the pre-commit hooks' ``files`` pattern in .pre-commit-hooks.yaml from the table of file
kinds (``modernize.kinds.hook_files_pattern``), after a kind is added or changed.

``python scripts/hook_pattern.py`` rewrites the pattern in place; ``--check`` only exits 1 when
the file holds another one (the tests compare the two as well).
"""

from __future__ import annotations

import sys
from pathlib import Path

from modernize.kinds import hook_files_pattern

HOOKS_FILE = Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml"
#: The line that opens the pattern, a YAML block scalar anchored for the second hook.
OPENING = "  files: &modernize-files |\n"
INDENT = "    "


def with_pattern(text: str, pattern: str) -> str:
    """``text`` (the hooks file) with the block after ``OPENING``, up to the first blank line,
    replaced by ``pattern``."""
    head, found, rest = text.partition(OPENING)
    if not found:
        raise SystemExit(f"{HOOKS_FILE.name}: no line {OPENING.strip()!r}")
    _old, blank, tail = rest.partition("\n\n")
    block = "".join(f"{INDENT}{line}\n" for line in pattern.splitlines())
    return head + OPENING + block + blank.removeprefix("\n") + tail


def main(argv: list[str]) -> int:
    text = HOOKS_FILE.read_text(encoding="utf-8")
    wanted = with_pattern(text, hook_files_pattern())
    if wanted == text:
        return 0
    if "--check" in argv:
        print(f"{HOOKS_FILE.name}: the files pattern is stale; run {Path(__file__).name}")
        return 1
    HOOKS_FILE.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
