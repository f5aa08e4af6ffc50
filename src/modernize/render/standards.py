"""``modernize standards``: each dated standard's targets, as text or as the README's table.

Each action's major is shown with the newest release of it the knowledge holds and the runtime
that release declares, so the table says why a major is the one chosen.
"""

from __future__ import annotations

from collections.abc import Sequence

from modernize.targets import Standard


def _release(action: str, major: int) -> str:
    from modernize.rules.actions import newest_release

    release = newest_release(action, major)
    if release is None:
        return "not in the knowledge"
    return f"{release.tag}, {release.using or 'no runtime'}, {release.date}"


def standard_lines(
    standards: Sequence[Standard], default: str, as_of: str, markdown: bool = False
) -> list[str]:
    """Every standard, oldest first; the default one marked; ``as_of`` the date of the
    shipped knowledge the releases come from."""
    if markdown:
        return _table(standards, default)
    lines: list[str] = []
    for standard in standards:
        mark = " (the default)" if standard.name == default else ""
        lines.append(f"{standard.name}{mark}: {standard.summary}")
        lines.append(
            f"  python {standard.python}, postgres {standard.postgres}, redis {standard.redis}"
        )
        width = max(map(len, standard.actions), default=0)
        for action, major in standard.actions.items():
            shown = _release(action, major)
            lines.append(f"  {action:<{width}}  v{major:<3} ({shown})")
    lines.append(f"Knowledge of {as_of}.")
    return lines


def _table(standards: Sequence[Standard], default: str) -> list[str]:
    """One row per target, one column per standard (the README's table); each action major
    with its newest release the knowledge holds and the runtime that release declares."""
    names = [
        f"{standard.name} (default)" if standard.name == default else standard.name
        for standard in standards
    ]
    lines = ["| target | " + " | ".join(names) + " |", "|---|" + "---|" * len(standards)]
    for name in ("python", "postgres", "redis"):
        values = " | ".join(str(standard.value(name)) for standard in standards)
        lines.append(f"| {name} | {values} |")
    actions = list(dict.fromkeys(action for standard in standards for action in standard.actions))
    for action in actions:
        cells = []
        for standard in standards:
            major = standard.actions.get(action)
            shown = _release(action, major).rsplit(", ", 1)[0] if major else ""
            cells.append(f"v{major} ({shown})" if major else "")
        lines.append(f"| `{action}` | " + " | ".join(cells) + " |")
    return lines
