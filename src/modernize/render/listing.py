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


def hazard_lines(markdown: bool = False) -> list[str]:
    """One line per ``advise`` hazard (code, the release it lands in, summary, source), after a
    header for markdown."""
    from modernize.advice.hazards import HAZARDS

    def lands(component: str, since: str) -> str:
        name = "Python" if component == "python" else "postgres"
        return f"{name} {since}" if since else f"{name}, any"

    if markdown:
        lines = ["| code | lands in | what breaks | source |", "|---|---|---|---|"]
        for hazard in HAZARDS:
            summary = hazard.summary.replace("|", "\\|")
            lines.append(
                f"| `{hazard.code}` | {lands(hazard.component, hazard.since)} | {summary} "
                f"| <{hazard.source}> |"
            )
        return lines
    width = max(len(lands(h.component, h.since)) for h in HAZARDS)
    return [
        f"{hazard.code}  {lands(hazard.component, hazard.since):<{width}}  {hazard.summary}"
        for hazard in HAZARDS
    ]
