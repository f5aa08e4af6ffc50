"""The CHANGELOG.md that ``apply --changelog`` adds the run's entry to: where it is, and the
update (or its diff, with ``--dry-run``). The entry's text is ``report``'s.

A changelog that cannot be read, or is not UTF-8 text, is found before any file is written
(``check_changelog``): a repository is migrated with its entry, or not at all.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from modernize.errors import ChangelogError, ModernizeError, UnsuitableFile
from modernize.render.report import RootResult
from modernize.targets import TARGETS, Targets
from modernize.workspace.reading import read_regular_file


def changelog_directory(root: str) -> Path:
    """Where the CHANGELOG.md of a PATH lives: with the project PATH belongs to, found as its
    configuration is. That is the nearest directory at or above PATH (a file's folder) that
    holds a CHANGELOG.md, a pyproject.toml (the project) or .git (the repository root), else
    PATH's own directory: a subfolder or a file named as PATH (a hook's) shares its project's."""
    path = Path(root)
    start = path if path.is_dir() else path.parent
    resolved = start.resolve()
    for directory in (resolved, *resolved.parents):
        if any(
            (directory / marker).exists() for marker in ("CHANGELOG.md", "pyproject.toml", ".git")
        ):
            return directory
    return start


def targets_text(targets: Targets) -> str:
    """The targets as the entry names them ("Python 3.12, postgres 16, redis 7")."""
    return ", ".join(f"{spec.title} {spec.show(targets.value(spec))}" for spec in TARGETS)


def relative_header(path: Path, root: str) -> str:
    """The changelog's name in a diff whose paths are relative to directory ``root``
    (``../CHANGELOG.md`` for a subfolder's: it is not inside it)."""
    return Path(os.path.relpath(path.resolve(), Path(root).resolve())).as_posix()


def shown_path(path: Path) -> str:
    """``path`` as diagnostics name files: relative to the current directory when inside it,
    quoted when it is not printable (``quoting.shown``)."""
    from modernize.render.quoting import shown

    relative = os.path.relpath(path)
    return shown(str(path) if relative.startswith(os.pardir) else relative)


def read_changelog(path: Path) -> bytes | None:
    """The bytes of the changelog at ``path``, None when there is none; ChangelogError when it
    cannot be read or is not UTF-8 text (the entry is written as UTF-8 into the text)."""
    if path.is_symlink():
        message = (
            "a symbolic link; not written through (add the entry to its target by hand, or "
            "replace the link with the file)"
        )
        raise ChangelogError(shown_path(path), 1, message)
    if not path.exists():
        return None
    try:
        data = read_regular_file(path)
    except UnsuitableFile as error:
        raise ChangelogError(shown_path(path), 1, f"cannot read the changelog: {error}") from error
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
    path: Path, results: Sequence[RootResult], targets: str, dry_run: bool, header: str
) -> tuple[str, str]:
    """Add the entry for ``results`` (their changes, the ``targets`` text) to the changelog at
    ``path``. Returns the diff (with ``dry_run``, which writes nothing; its headers name
    ``header``) and an error line, each empty when there is none."""
    from modernize.render.diff import unified_diff
    from modernize.render.report import add_changelog_entry, changelog_entry
    from modernize.workspace.writing import create_atomically, write_atomically

    entry = changelog_entry(results, targets)
    try:
        original = read_changelog(path)  # checked before the run; it may have changed since
    except ChangelogError as error:
        from modernize.render.diagnostics import error_line

        return "", error_line(error) + "\n"
    before = original.decode("utf-8") if original is not None else None
    updated = add_changelog_entry(before, entry).encode("utf-8")
    if dry_run:
        return unified_diff(header, original or b"", updated, original is None), ""
    try:
        if original is None:
            create_atomically(path, updated)
        else:
            write_atomically(path, original, updated)
    except (OSError, ModernizeError) as error:
        from modernize.render.diagnostics import located

        message = f"cannot update changelog: {error}"
        return "", located(shown_path(path), 1, "error", message) + "\n"
    return "", ""
