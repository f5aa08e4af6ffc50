"""The repository's facts, gathered once before any migration runs: each project's Python
claims, the lockfiles that record them, and the inputs of its workflows and composite actions
that feed a Python version.

A project is a folder with a ``pyproject.toml``, a ``setup.py``, or a ``setup.cfg`` that
describes a package (``[metadata]`` or ``[options]``); a file belongs to the nearest one at or
above it. A project whose ``requires-python`` (or ``python_requires``) rules out the target Python
(``">=3.11,<3.12"``) cannot run it: every file of that project that names its Python stays
where it is, so that the repository never says two things at once (a Dockerfile on 3.12 that
``uv run`` refuses).

A lockfile (``uv.lock``, ``poetry.lock``, ``pdm.lock``) locks the projects of its folder and
below that have no lock of their own (a uv workspace's members): when their claim moves, the
lock must be made again.
"""

from __future__ import annotations

import posixpath
import sys
from collections.abc import Collection, Iterable, Mapping
from dataclasses import field
from typing import TYPE_CHECKING

from modernize.kinds import LOCK_COMMANDS, LOCKFILES, PROJECT_FILES
from modernize.records import record

if TYPE_CHECKING:
    from packaging.version import Version


@record(frozen=True)
class Claim:
    """One Python requirement of a project, and what this run makes of it."""

    #: Where it is written: ``requires-python`` or ``[tool.poetry.dependencies] python``.
    key: str
    #: As written.
    before: str
    #: After the run (the same when it does not move).
    after: str


@record(frozen=True)
class Project:
    """One Python project of the repository (a folder with its own pyproject.toml, setup.cfg
    or setup.py): what it claims, and whether it can move to the target."""

    #: Its folder, relative to the run's root ("" for the root itself).
    folder: str
    #: Its Python requirements, ``requires-python`` first.
    claims: tuple[Claim, ...] = ()
    #: Why the project cannot move to the target Python, or "".
    held: str = ""
    #: The requirement that holds it back, as written (``requires-python '>=3.10,<3.12'``).
    bound: str = ""
    #: The comment that keeps its claim where it is (its text), or "".
    kept_by: str = ""
    #: The name of the file that describes it: ``pyproject.toml``, else ``setup.cfg``, else
    #: ``setup.py``.
    described_by: str = "pyproject.toml"

    @property
    def described_at(self) -> str:
        """The path of the file that describes it (relative to the run's root)."""
        return posixpath.join(self.folder, self.described_by)

    def claim(self, keys: Iterable[str]) -> Claim | None:
        """The first of its claims written at one of ``keys`` (in the order of ``keys``)."""
        for key in keys:
            for claim in self.claims:
                if claim.key == key:
                    return claim
        return None


@record(frozen=True)
class Survey:
    """What a run knows of its repository before any file is planned: its projects, lockfiles
    and the inputs of its local workflows and actions."""

    projects: tuple[Project, ...] = ()
    #: The run's lockfiles, relative to its root.
    locks: tuple[str, ...] = ()
    #: The run's workflows and composite actions that declare inputs, relative to its root,
    #: each with the inputs that feed a Python version (``rules.workflow_inputs``).
    inputs: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def python_inputs(self, uses: str) -> frozenset[str] | None:
        """The inputs that feed a Python version of the local callee ``uses`` names
        (``./.github/actions/setup``); None when the run read no such file."""
        from modernize.rules.workflow_inputs import callee_inputs

        return callee_inputs(uses, self.inputs)

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

    def folder_held(self, folder: str) -> str:
        """Why the project of the files in ``folder`` (relative to the run's root) holds its
        Python, or ""."""
        return self.python_held(posixpath.join(folder, "pyproject.toml"))

    def locked_by(self, lock: str) -> list[Project]:
        """The projects the lockfile ``lock`` locks: its folder's first, then (a ``uv.lock``:
        only uv has workspaces) those below it that have no lock of their own nearer, in path
        order."""
        folder = posixpath.dirname(lock)
        if posixpath.basename(lock) != "uv.lock":
            return [project for project in self.projects if project.folder == folder]
        lock_folders = {posixpath.dirname(path) for path in self.locks}
        found = []
        for project in self.projects:
            if not _within(project.folder, folder):
                continue
            nearest = project.folder
            while nearest not in lock_folders and nearest != folder:
                nearest = posixpath.dirname(nearest)
            if nearest == folder:
                found.append(project)
        # Its own folder's project first, then the members below it.
        return sorted(found, key=lambda project: project.folder != folder)

    def decisions(self, python: str) -> list[str]:
        """What the run decided for the repository as a whole, one sentence each: each
        project's Python claim (moves, already allows ``python``, or held back), and each
        lockfile to make again."""
        said = []
        for project in self.projects:
            moved = [claim for claim in project.claims if claim.after != claim.before]
            if project.held:
                said.append(
                    f"`{project.described_at}`: every file of this project stays: {project.bound} "
                    f"does not allow Python {python}; allow it there first"
                )
            elif project.kept_by:
                said.append(
                    f"`{project.described_at}`: its Python claim stays: the comment "
                    f"{project.kept_by!r} may explain it"
                )
            elif moved:
                changes = "; ".join(
                    f"{claim.key} {claim.before!r} becomes {claim.after!r}" for claim in moved
                )
                said.append(
                    f"`{project.described_at}`: {changes}; its files move to Python {python}"
                )
            elif project.claims:
                said.append(f"`{project.described_at}`: its Python claim stays as it is")
        for lock in self.locks:
            name = posixpath.basename(lock)
            moving = [
                project
                for project in self.locked_by(lock)
                if any(claim.after != claim.before for claim in project.claims)
            ]
            if moving:
                said.append(
                    f"`{lock}`: make it again with `{LOCK_COMMANDS[name]}` in its folder: "
                    f"{moving[0].described_at}'s Python claim moves"
                )
        return said


def _within(path: str, folder: str) -> bool:
    return folder == "" or path == folder or path.startswith(folder + "/")


def survey(
    files: Mapping[str, str],
    python: Version,
    locks: Iterable[str] = (),
    *,
    claims_move: bool | Collection[str] = True,
    inputs: Mapping[str, frozenset[str]] | None = None,
) -> Survey:
    """The survey of a run whose project files are ``files`` (``pyproject.toml``, ``setup.cfg``,
    ``setup.py``: relative path to text) and whose lockfiles are ``locks``, for the target
    ``python`` (a minor).
    ``claims_move``: whether the run moves the claims it can, or the names of the files whose
    claims it moves (``pyproject.toml`` when ``pyproject-python`` runs, ``setup.cfg`` when
    ``setup-cfg-python`` does, ``setup.py`` for ``setup-py-python``);
    ``inputs``: see ``Survey.inputs``."""
    from modernize.rules.python_claims import plan_claim

    by_folder: dict[str, list[tuple[str, str, list[tuple[str, str]]]]] = {}
    for path, text in sorted(files.items()):
        read = _CLAIM_READERS[posixpath.basename(path)](text)
        if read is not None:  # None: it describes no package
            by_folder.setdefault(posixpath.dirname(path), []).append((path, text, read))
    projects = []
    for folder, described in sorted(by_folder.items()):
        described.sort(key=lambda file: PROJECT_FILES.index(posixpath.basename(file[0])))
        held = bound = kept = ""
        claims = []
        for path, text, read in described:
            name = posixpath.basename(path)
            moves = claims_move if isinstance(claims_move, bool) else name in claims_move
            found = []
            for key, before in read:
                plan = plan_claim(before, python)
                if plan.holds and not held:
                    bound = f"{key} {before!r}"
                    held = (
                        f"its project's {path} {key} {before!r} does not allow Python "
                        f"{python.major}.{python.minor}; the project's files move together: "
                        f"allow {python.major}.{python.minor} there first"
                    )
                after = before
                for start, end, new in sorted(plan.raises, reverse=True):
                    after = after[:start] + new + after[end:]
                found.append(Claim(key, before, after if moves else before))
            if moves and not held and not kept:
                kept = _kept_by_comment(path, text, python, found)
            claims += found
        if held or kept:  # a held project's claims stay, even one that could move
            claims = [Claim(c.key, c.before, c.before) for c in claims]
        name = posixpath.basename(described[0][0])
        projects.append(Project(folder, tuple(claims), held, bound, kept, name))
    return Survey(tuple(projects), tuple(sorted(locks)), dict(inputs or {}))


def _kept_by_comment(path: str, text: str, python: Version, claims: list[Claim]) -> str:
    """The comment that may explain the pin and so keeps the claims that would move (as the
    pyproject migration reads it), or ""."""
    if all(claim.after == claim.before for claim in claims):
        return ""
    from modernize.errors import ModernizeError
    from modernize.formats.document import Document
    from modernize.rules.python_claims import claim_results
    from modernize.targets import Targets

    name = posixpath.basename(path)
    if name in ("setup.cfg", "setup.py"):
        from modernize.rules.setup_claims import setup_claim_results, setup_py_claim_results

        reader = setup_claim_results if name == "setup.cfg" else setup_py_claim_results
        document = Document(path, "setup-cfg" if name == "setup.cfg" else "setup-py", text)
        try:
            return reader(document, Targets(python=python)).explained
        except ModernizeError:
            return ""  # the file is reported where it is planned
    document = Document(path, "pyproject", text)
    return claim_results(document, Targets(python=python)).explained


#: Where a pyproject writes its Python requirement, as the claims name it.
REQUIRES_PYTHON = "requires-python"
POETRY_PYTHON = "[tool.poetry.dependencies] python"


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
        found.append((REQUIRES_PYTHON, claim))
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    dependencies = poetry.get("dependencies") if isinstance(poetry, dict) else None
    claim = dependencies.get("python") if isinstance(dependencies, dict) else None
    if isinstance(claim, str):
        found.append((POETRY_PYTHON, claim))
    return found


def _setup_claims(text: str) -> list[tuple[str, str]] | None:
    """The Python requirement of a setup.cfg: ``(key, requirement)`` pairs; None when it
    only configures tools (``[flake8]``), and so describes no package."""
    from modernize.rules.setup_claims import REQUIRES_NAME, setup_cfg_requirement

    package, found = setup_cfg_requirement(text)
    if not package:
        return None
    return [] if found is None or "\n" in found else [(REQUIRES_NAME, found)]


def _setup_py_claims(text: str) -> list[tuple[str, str]] | None:
    """The Python requirements of a setup.py: ``(key, requirement)`` pairs; None when it is
    not a setup script (a Sphinx extension's ``setup(app)``)."""
    from modernize.rules.setup_claims import SETUP_PY_NAME, setup_py_requirements

    found = setup_py_requirements(text)
    return None if found is None else [(SETUP_PY_NAME, claim) for claim in found]


#: The files that describe a project (``PROJECT_FILES``), each with the migration that moves
#: its claim.
CLAIMS_MOVED_BY = {
    "pyproject.toml": "pyproject-python",
    "setup.cfg": "setup-cfg-python",
    "setup.py": "setup-py-python",
}
_CLAIM_READERS = {
    "pyproject.toml": _claims,
    "setup.cfg": _setup_claims,
    "setup.py": _setup_py_claims,
}


def project_texts(texts: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The files that describe projects (``PROJECT_FILES``) among ``(relative path, text)``
    pairs."""
    return {path: text for path, text in texts if posixpath.basename(path) in PROJECT_FILES}


def lock_paths(paths: Iterable[str]) -> list[str]:
    """The lockfiles among relative paths."""
    return [path for path in paths if posixpath.basename(path) in LOCKFILES]
