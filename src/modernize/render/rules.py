"""What ``modernize rule CODE`` prints: a code's explanation, as ``ruff rule`` gives one."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from modernize.advice.hazards import Hazard
    from modernize.registry import Migration
    from modernize.standards import Rule


def applies_to(hazard: Hazard) -> str:
    """The releases a hazard holds for, in words."""
    name = "Python" if hazard.component == "python" else "postgres"
    if not hazard.since:
        return f"any move to a newer {name}"
    return f"a move to {name} {hazard.since} or later, from an older one"


def hazard_help(hazard: Hazard, markdown: bool = False) -> str:
    """A hazard's explanation: what, why, what to do, and its source."""
    if markdown:
        return (
            f"**{hazard.code} {hazard.name}**: {hazard.summary}\n\n{hazard.explanation}\n\n"
            f"**Fix:** {hazard.fix}\n\n**Applies to:** {applies_to(hazard)}.\n\n"
            f"**Source:** <{hazard.source}>"
        )
    return (
        f"{hazard.explanation}\n\nFix: {hazard.fix}\n\nApplies to: {applies_to(hazard)}.\n\n"
        f"Source: {hazard.source}"
    )


def rule_text(code: str, migrations: Sequence[Migration]) -> str | None:
    """The explanation of ``code`` (an advise hazard, a migration's M code or a standard),
    wrapped for a terminal; None for a code no rule has."""
    from modernize.advice.hazards import BY_CODE
    from modernize.standards import RULES

    wanted = code.upper()
    hazard = BY_CODE.get(wanted)
    if hazard is not None:
        body = "\n\n".join(map(_wrapped, hazard_help(hazard).split("\n\n")))
        return f"{hazard.code} {hazard.name}\n\n{_wrapped(hazard.summary)}\n\n{body}\n"
    for migration in migrations:
        if migration.code == wanted:
            return (
                f"{migration.code} {migration.id}\n\n{migration.title}\n\n{migration.doc.strip()}\n"
            )
    rule = RULES.get(wanted)
    if rule is not None:
        return (
            f"{rule.code} ({rule.severity})\n\n{_wrapped(rule.summary)}\n\n{standard_help(rule)}\n"
        )
    return None


def standard_help(rule: Rule, markdown: bool = False) -> str:
    """A standard's (or a check's) explanation: why it matters, an example that breaks it,
    and what to do."""
    parts = []
    if markdown:
        parts.append(rule.explanation)
        if rule.example:
            parts.append(f"Example:\n\n```\n{rule.example}\n```")
        parts.append(f"**Fix:** {rule.fix}")
        return "\n\n".join(parts)
    parts.append(_wrapped(rule.explanation))
    if rule.example:
        parts.append("Example:\n\n" + textwrap.indent(rule.example, "    "))
    parts.append(_wrapped(f"Fix: {rule.fix}"))
    return "\n\n".join(parts)


def migration_help(migration: Migration) -> str:
    """A migration's explanation: its docstring."""
    return migration.doc.strip()


def _wrapped(paragraph: str) -> str:
    # A URL or a command stays whole, to be copied.
    return textwrap.fill(paragraph, 88, break_long_words=False, break_on_hyphens=False)
