"""``modernize list``: the migrations in run order, as text or as the README's table."""

from __future__ import annotations

from collections.abc import Sequence

from modernize.registry import Migration


def migration_lines(migrations: Sequence[Migration], markdown: bool = False) -> list[str]:
    """One line per migration (number, ID, title, file kinds), after a header for markdown."""
    if markdown:
        lines = ["| # | ID | code | what it does | files |", "|---|---|---|---|---|"]
        for migration in migrations:
            kinds = ", ".join(sorted(migration.kinds))
            optional = "" if migration.enabled_by_default else " (opt-in)"
            title = migration.title.replace("|", "\\|") + optional
            lines.append(
                f"| {migration.number:04d} | `{migration.id}` | {migration.code} | {title} "
                f"| {kinds} |"
            )
        return lines
    width = max((len(m.id) for m in migrations), default=0)
    lines = []
    for migration in migrations:
        kinds = ", ".join(sorted(migration.kinds))
        optional = "" if migration.enabled_by_default else " (opt-in)"
        title = f"{migration.title}{optional}"
        lines.append(f"{migration.number:04d}  {migration.id:<{width}}  {title}  [{kinds}]")
    return lines
