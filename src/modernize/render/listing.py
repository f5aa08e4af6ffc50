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


def code_lines(migrations: Sequence[Migration], as_json: bool = False) -> list[str]:
    """``modernize rules``: every finding's code with its default severity and summary."""
    from modernize.codes import EXTERNAL_PREFIXES, catalogue

    codes = catalogue(migrations).values()
    if as_json:
        import json

        listed = [
            {"code": c.code, "kind": c.family, "severity": c.severity, "summary": c.summary}
            for c in codes
        ]
        return [json.dumps(listed, indent=2)]
    lines = [f"{c.code:<6} {c.severity:<7}  {c.summary}" for c in codes]
    prefixes = " and ".join(f"{prefix}…" for prefix in EXTERNAL_PREFIXES)
    lines.append(f"{prefixes}: hadolint's and ShellCheck's codes, when hadolint is installed.")
    return lines
