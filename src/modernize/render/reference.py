"""The migration reference, ``docs/migrations.md``: generated from the migrations themselves.

Each migration's docstring is its documentation (what it changes, why, an example, what it
refuses); this module turns the docstrings into one Markdown page, so that the page cannot say
what the code does not. ``scripts/migration_docs.py`` writes it, and a test fails when the page
in the repository is not what it prints.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence

from modernize.lazy import lazy_pattern
from modernize.registry import Migration
from modernize.render.listing import migration_lines

#: The command that writes the page (the test that checks it says so).
COMMAND = "python scripts/migration_docs.py"

_LABEL = lazy_pattern(r"^(What|Why|Example|Examples|Refuses|Never touched|Also|Note)(::?)")
_INLINE = lazy_pattern(r"``(.+?)``", re.S)


def _inline(text: str) -> str:
    """reST inline literals (````x````) as Markdown code spans."""

    def span(match: re.Match[str]) -> str:
        code = match.group(1)
        return f"`` {code} ``" if "`" in code else f"`{code}`"

    return _INLINE.sub(span, text)


def _markdown(doc: str) -> str:
    """A migration docstring as Markdown: paragraphs, labels in bold, ``::`` blocks fenced."""
    lines = textwrap.dedent(doc).strip("\n").splitlines()
    # The first line may sit right after the quotes, unindented: dedent the rest on its own.
    if len(lines) > 1:
        lines = [lines[0], *textwrap.dedent("\n".join(lines[1:])).splitlines()]
    out: list[str] = []
    paragraph: list[str] = []
    position = 0

    def flush() -> None:
        if paragraph:
            text = _inline(" ".join(line.strip() for line in paragraph))
            out.append(_LABEL.sub(lambda m: f"**{m.group(1)}:**", text))
            paragraph.clear()

    while position < len(lines):
        line = lines[position]
        position += 1
        if not line.strip():
            flush()
            continue
        if line.startswith((" ", "\t")) and not paragraph:
            paragraph.append(line)  # an indented paragraph reads as any other
            continue
        paragraph.append(line)
        if line.rstrip().endswith("::"):
            paragraph[-1] = line.rstrip()[:-1]  # "Example::" reads "Example:"
            flush()
            block: list[str] = []
            while position < len(lines) and (
                not lines[position].strip() or lines[position].startswith((" ", "\t"))
            ):
                block.append(lines[position])
                position += 1
            code = textwrap.dedent("\n".join(block)).strip("\n").expandtabs(4)
            fence = "````" if "```" in code else "```"
            out.append(f"{fence}text\n{code}\n{fence}")
    flush()
    return "\n\n".join(out)


def migrations_reference(migrations: Sequence[Migration]) -> str:
    """The whole page: the table ``modernize list --format markdown`` prints, then a section
    per migration in run order."""
    parts = [
        "# Migrations",
        "<!-- Generated from the migrations' docstrings by `" + COMMAND + "`: edit those, "
        "then run it. A test checks that this page is current. -->",
        "Every migration in run order. `code` is its finding code in `modernize verify` "
        "(`modernize rule CODE` prints the same text); `files` are the kinds of file it "
        "reads. The opt-in ones run with `--enable ID` or `enable = [...]` in the "
        "configuration.",
        "\n".join(migration_lines(migrations, markdown=True)),
    ]
    for migration in migrations:
        default = "on by default" if migration.enabled_by_default else "opt-in (`--enable`)"
        kinds = ", ".join(f"`{kind}`" for kind in sorted(migration.kinds))
        parts.append(f"## `{migration.id}`")
        parts.append(f"{migration.number:04d} · `{migration.code}` · {default} · files: {kinds}")
        parts.append(_markdown(migration.doc))
    return "\n\n".join(parts) + "\n"
