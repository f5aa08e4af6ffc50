"""The ignore files that hold for a walk: the repository's ``.git/info/exclude`` (found
through a linked worktree's or a submodule's ``.git`` file too) and the ``.gitignore`` files
above the walk's root and on the way down, each read as ``workspace.ignore`` patterns."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from modernize.errors import UnsuitableFile
from modernize.workspace.ignore import PatternList
from modernize.workspace.reading import read_regular_file

#: Ignore files may be large (generated ones are); past this size one is not read.
MAX_IGNORE_BYTES = 64 * 1024 * 1024


def repository_top(directory: Path) -> Path | None:
    """The top of the git repository ``directory`` (resolved) is in: the nearest folder at or
    above it holding ``.git``; None outside a repository."""
    return next(
        (folder for folder in (directory, *directory.parents) if (folder / ".git").exists()), None
    )


class IgnoreRules:
    """The ignore files that hold for a walk, each applied to the paths below its directory:
    the repository's ``.git/info/exclude`` and the ``.gitignore`` files of the folders above
    the walk's root (up to the repository's top), then those met on the way down."""

    def __init__(
        self,
        rules: tuple[tuple[str, str, PatternList], ...] = (),
        excluded: PatternList | None = None,
        excluded_prefix: str = "",
    ) -> None:
        # (base, prefix, patterns): the rule holds for walk paths below ``base`` (relative to
        # the walk's root, "" for all), matched as ``prefix`` + the path below ``base``.
        self.rules = rules
        self.excluded = excluded  # the user's ``exclude`` patterns: no .gitignore re-includes
        self.excluded_prefix = excluded_prefix  # the walk's root, relative to their base

    def extended(self, directory: str, relative_dir: str) -> IgnoreRules:
        patterns = _read_patterns(os.path.join(directory, ".gitignore"))
        if patterns is None:
            return self
        return IgnoreRules(
            (*self.rules, (relative_dir, "", patterns)), self.excluded, self.excluded_prefix
        )

    def with_repository_rules(self, root: Path) -> IgnoreRules:
        """These rules, after the ones above ``root`` (a resolved directory) in its git
        repository. The root itself is walked even when they would ignore it: it was named."""
        top = repository_top(root)
        if top is None:
            return self  # not in a git repository: only the walk's own .gitignore files
        # The folders above the root, up to the repository's top.
        above = [directory for directory in root.parents if top in (directory, *directory.parents)]

        def prefix(directory: Path) -> str:
            inside = root.relative_to(directory).as_posix()
            return "" if inside == "." else inside + "/"

        rules: list[tuple[str, str, PatternList]] = []
        exclude = _read_patterns(_info_exclude(top))
        if exclude is not None:
            rules.append(("", prefix(top), exclude))
        for directory in reversed(above):
            patterns = _read_patterns(os.path.join(directory, ".gitignore"))
            if patterns is not None:
                rules.append(("", prefix(directory), patterns))
        return IgnoreRules((*rules, *self.rules), self.excluded, self.excluded_prefix)

    def in_nested_repository(self, directory: str, relative_dir: str) -> IgnoreRules:
        """The rules below a folder with its own ``.git``: another repository, where only its
        own ignore files hold (and the user's ``exclude`` patterns)."""
        exclude = _read_patterns(_info_exclude(Path(directory)))
        rules = ((relative_dir, "", exclude),) if exclude is not None else ()
        return IgnoreRules(rules, self.excluded, self.excluded_prefix)

    def ignored(self, relative: str, is_dir: bool) -> bool:
        """The last matching pattern decides, deeper .gitignore files last (``!`` re-includes)."""
        if self.excluded is not None and self.excluded.ignores(
            self.excluded_prefix + relative, is_dir
        ):
            return True
        decision = False
        for base, prefix, spec in self.rules:
            if base:
                if not relative.startswith(base + "/"):
                    continue
                sub = relative[len(base) + 1 :]
            else:
                sub = relative
            result = spec.decision(prefix + sub, is_dir)
            if result is not None:
                decision = result
        return decision


def _info_exclude(top: Path) -> str:
    """The ``info/exclude`` file of the repository whose top is ``top``. A linked worktree or
    a submodule has a ``.git`` file naming its git directory (``gitdir: …``), and a linked
    worktree's ``commondir`` names the directory that holds ``info/exclude``."""
    git = top / ".git"
    if not git.is_file():
        return str(git / "info" / "exclude")
    try:
        line = _read_text(git).strip()
        git_dir = top / line.removeprefix("gitdir:").strip()
        common = git_dir / "commondir"
        if common.is_file():
            git_dir = git_dir / _read_text(common).strip()
    except (OSError, UnsuitableFile):
        return str(git / "info" / "exclude")
    return str(git_dir / "info" / "exclude")


def _read_text(path: str | Path) -> str:
    return read_regular_file(path, MAX_IGNORE_BYTES).decode("utf-8-sig", errors="replace")


def unusable_ignore_file(entry: os.DirEntry[str]) -> str | None:
    """Why the ``.gitignore`` at ``entry`` cannot be read for its rules, or None."""
    try:
        info = entry.stat()  # links followed, as git reads a linked one outside a worktree
    except OSError as error:
        return f"ignore file cannot be read ({error.strerror}); its folder is not walked"
    if not stat.S_ISREG(info.st_mode):
        return "ignore file that is not a regular file; its folder is not walked"
    if info.st_size > MAX_IGNORE_BYTES:
        return "ignore file over 64 MiB; its folder is not walked"
    return None


def _read_patterns(path: str) -> PatternList | None:
    """The patterns of an ignore file, or None when it is missing, unreadable or empty. A
    malformed pattern matches nothing; the others hold."""
    try:
        patterns = PatternList(_read_text(path).split("\n"))
    except (OSError, UnsuitableFile):
        return None
    return patterns if patterns.patterns else None
