"""The repository's facts, gathered once before any migration runs: each project's Python claim.

A project is a folder with a ``pyproject.toml``; a file belongs to the nearest one at or above
it. A project whose ``requires-python`` rules out the target Python (``">=3.11,<3.12"``) cannot
run it: every file of that project that names its Python stays where it is, so that the
repository never says two things at once (a Dockerfile on 3.12 that ``uv run`` refuses).
"""

from __future__ import annotations

import posixpath
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from packaging.version import Version


@dataclass(frozen=True)
class Project:
    #: Its folder, relative to the run's root ("" for the root itself).
    folder: str
    #: ``requires-python`` as written, or None.
    requires_python: str | None
    #: Why the project cannot move to the target Python, or "".
    held: str = ""


@dataclass(frozen=True)
class Survey:
    projects: tuple[Project, ...] = ()

    def project_of(self, path: str) -> Project | None:
        """The nearest project at or above the file ``path`` (relative to the run's root)."""
        folder = posixpath.dirname(path)
        by_folder = {project.folder: project for project in self.projects}
        while True:
            if folder in by_folder:
                return by_folder[folder]
            if not folder:
                return None
            folder = posixpath.dirname(folder)

    def python_held(self, path: str) -> str:
        """Why the file's project holds its Python where it is, or ""."""
        project = self.project_of(path)
        return project.held if project is not None else ""


def survey(pyprojects: Mapping[str, str], python: Version) -> Survey:
    """The survey of a run whose ``pyproject.toml`` files are ``pyprojects`` (relative path to
    text), for the target ``python`` (a minor)."""
    from modernize.rules.python_claims import plan_claim

    projects = []
    for path, text in sorted(pyprojects.items()):
        folder = posixpath.dirname(path)
        held = ""
        claims = _claims(text)
        for key, claim in claims:
            if plan_claim(claim, python).holds:
                held = (
                    f"its project's {path} {key} {claim!r} does not allow Python "
                    f"{python.major}.{python.minor}; the project's files move together: "
                    f"allow {python.major}.{python.minor} there first"
                )
                break
        projects.append(Project(folder, claims[0][1] if claims else None, held))
    return Survey(tuple(projects))


def _claims(text: str) -> list[tuple[str, str]]:
    """The Python requirements of a pyproject: ``(key, requirement)`` pairs."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib

    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError):
        return []  # the file is reported where it is planned
    found = []
    project = data.get("project")
    claim = project.get("requires-python") if isinstance(project, dict) else None
    if isinstance(claim, str):
        found.append(("requires-python", claim))
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    dependencies = poetry.get("dependencies") if isinstance(poetry, dict) else None
    claim = dependencies.get("python") if isinstance(dependencies, dict) else None
    if isinstance(claim, str):
        found.append(("[tool.poetry.dependencies] python", claim))
    return found


def pyproject_texts(texts: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The ``pyproject.toml`` files among ``(relative path, text)`` pairs."""
    return {path: text for path, text in texts if posixpath.basename(path) == "pyproject.toml"}
