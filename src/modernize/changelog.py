"""The CHANGELOG.md that ``apply --changelog`` adds the run's entry to: where it is, and the
update (or its diff, with ``--dry-run``). The entry's text is ``report``'s."""

from __future__ import annotations

from pathlib import Path

from modernize.errors import ModernizeError
from modernize.report import RootResult
from modernize.targets import Targets


def changelog_directory(root: str) -> Path:
    """Where the CHANGELOG.md of a PATH lives: the directory itself; for a file, the nearest
    directory above it that holds a CHANGELOG.md, a pyproject.toml or .git (the project the
    file belongs to: a hook passes files), else the file's own directory."""
    path = Path(root)
    if path.is_dir():
        return path
    for directory in path.resolve().parents:
        if any(
            (directory / marker).exists() for marker in ("CHANGELOG.md", "pyproject.toml", ".git")
        ):
            return directory
    return path.parent


def update_changelog(
    result: RootResult, targets: Targets, dry_run: bool, shown: str = "CHANGELOG.md"
) -> tuple[str, str]:
    """Add the run's entry to the CHANGELOG.md of ``result``'s repository (see
    ``changelog_directory``). Returns the diff (with ``dry_run``, which writes nothing; its
    headers name ``shown``) and an error line, each empty when there is none."""
    from modernize.diff import unified_diff
    from modernize.files import write_atomically
    from modernize.report import add_changelog_entry, changelog_entry

    path = changelog_directory(result.root) / "CHANGELOG.md"
    entry = changelog_entry([result], f"Python {targets.python_minor}, postgres {targets.postgres}")
    original = path.read_bytes() if path.exists() else None
    before = original.decode("utf-8") if original is not None else None
    updated = add_changelog_entry(before, entry).encode("utf-8")
    if dry_run:
        return unified_diff(shown, original or b"", updated, original is None), ""
    try:
        if original is None:
            path.write_bytes(updated)
        else:
            write_atomically(path, original, updated)
    except (OSError, ModernizeError) as error:
        return "", f"{path}:1: error: cannot update changelog: {error}\n"
    return "", ""
