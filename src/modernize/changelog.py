"""The CHANGELOG.md that ``apply --changelog`` adds the run's entry to: where it is, and the
update (or its diff, with ``--dry-run``). The entry's text is ``report``'s.

A changelog that cannot be read, or is not UTF-8 text, is found before any file is written
(``check_changelog``): a repository is migrated with its entry, or not at all.
"""

from __future__ import annotations

import os
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


class ChangelogError(ModernizeError):
    """A CHANGELOG.md that cannot be read, or is not UTF-8 text."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: error: {message}")
        self.path, self.line, self.message = path, line, message


def shown_path(path: Path) -> str:
    """``path`` as diagnostics name files: relative to the current directory when inside it."""
    relative = os.path.relpath(path)
    return str(path) if relative.startswith(os.pardir) else relative


def read_changelog(path: Path) -> bytes | None:
    """The bytes of the changelog at ``path``, None when there is none; ChangelogError when it
    cannot be read or is not UTF-8 text (the entry is written as UTF-8 into the text)."""
    if not path.exists() and not path.is_symlink():
        return None
    try:
        data = path.read_bytes()
    except OSError as error:
        message = f"cannot read the changelog: {error.strerror}"
        raise ChangelogError(shown_path(path), 1, message) from error
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        message = (
            f"not UTF-8 text (byte 0x{data[error.start]:02x}); "
            "convert it to UTF-8 to add the entry with --changelog"
        )
        raise ChangelogError(shown_path(path), line, message) from error
    return data


def check_changelog(root: str) -> ChangelogError | None:
    """Why the changelog of PATH ``root`` cannot take the entry, None when it can."""
    try:
        read_changelog(changelog_directory(root) / "CHANGELOG.md")
    except ChangelogError as error:
        return error
    return None


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
    try:
        original = read_changelog(path)  # checked before the run; it may have changed since
    except ChangelogError as error:
        return "", f"{error}\n"
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
        return "", f"{shown_path(path)}:1: error: cannot update changelog: {error}\n"
    return "", ""
