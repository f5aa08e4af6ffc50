"""Unified diffs with git-style headers that ``git apply`` and ``patch -p1`` accept."""

from __future__ import annotations

import difflib

NO_NEWLINE = "\\ No newline at end of file\n"


def split_lines(text: str) -> list[str]:
    """Lines with their endings, split at ``\n`` only (``str.splitlines`` also splits at
    form feeds and Unicode separators, which would corrupt the patch)."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def unified_diff(relative_path: str, before: bytes, after: bytes, new_file: bool = False) -> str:
    old = split_lines(before.decode("utf-8"))
    new = split_lines(after.decode("utf-8"))
    out: list[str] = []
    source = "/dev/null" if new_file else f"a/{relative_path}"
    for line in difflib.unified_diff(old, new, source, f"b/{relative_path}"):
        out.append(line if line.endswith("\n") else line + "\n" + NO_NEWLINE)
    return "".join(out)
