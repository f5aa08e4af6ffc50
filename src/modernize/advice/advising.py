"""One repository's hazards: the jump its versions make, then every file the hazards read.

The jump comes from what ``apply`` would do (or did): the oldest Python named by an edit of a
migration that moves Python, and the oldest postgres major an edit of ``postgres-major`` moves
from. Nothing else is guessed: when nothing moves, no hazard of that component holds, unless
the caller names the version the repository came from (after ``apply`` has written, the
repository names the target already).

The postgres data warnings of ``postgres-major`` are reused: each one is a volume whose data
must be carried over, and gets its upgrade path (and the 18 notes) at its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from modernize.advice.hazards import BY_CODE, Hit
from modernize.model import Finding

if TYPE_CHECKING:
    from modernize.model import Outcome
    from modernize.targets import Targets

POSTGRES_MIGRATION = "postgres-major"
#: The targets whose jump is read (and may be given: ``--from-python``, ``--from-postgres``).
JUMP_TARGETS = ("python", "postgres")
#: The hazards found at postgres-major's data warnings: once the images have moved, there are
#: none (apply printed those warnings when it wrote).
VOLUME_CODES = frozenset({"A016", "A017", "A018"})

_PYTHON_NAMED = re.compile(r"(?<![\w.])3\.(\d{1,2})(?![\d])|(?<![a-z])(?:py|cp|python)3(\d{2})\b")
_MAJOR = re.compile(r"(?<![\d.])(\d{1,2})(?![\d])")
_DATA_WARNING = re.compile(r"postgres (?P<old>\d+(?:\.\d+)?) (?:cannot be opened by postgres|data)")


@dataclass(frozen=True)
class Jump:
    """From the versions a repository runs to the targets; None: not known (nothing moves)."""

    python_from: str | None
    python_to: str
    postgres_from: int | None
    postgres_to: int

    def lines(self) -> list[str]:
        """How the jump was read, for the text output."""
        python = (
            f"Python {self.python_from} → {self.python_to}"
            if self.python_from is not None
            else f"Python: nothing moves to {self.python_to} (name the version it ran with "
            "--from-python)"
        )
        postgres = (
            f"postgres {self.postgres_from} → {self.postgres_to}"
            if self.postgres_from is not None
            else f"postgres: nothing moves to {self.postgres_to} (name the major it ran with "
            "--from-postgres)"
        )
        return [f"{python}; {postgres}."]

    @property
    def command(self) -> str:
        """The ``advise`` command that checks this jump once the repository names the
        targets."""
        parts = ["modernize advise"]
        if self.python_from is not None:
            parts.append(f"--from-python {self.python_from}")
        if self.postgres_from is not None:
            parts.append(f"--from-postgres {self.postgres_from}")
        return " ".join(parts)


def _minor_key(text: str) -> tuple[int, int]:
    major, minor = text.split(".")
    return int(major), int(minor)


def jump_of(
    outcomes: Iterable[Outcome],
    moving: frozenset[str],
    targets: Targets,
    given: Mapping[str, str],
) -> Jump:
    """The jump the edits of ``outcomes`` make (``moving``: the IDs of the migrations that move
    Python); ``given`` versions (``python``, ``postgres``) win."""
    target = _minor_key(targets.python_minor)
    pythons: set[tuple[int, int]] = set()
    majors: set[int] = set()
    for outcome in outcomes:
        for edit in outcome.edits:
            if edit.migration in moving:
                for match in _PYTHON_NAMED.finditer(edit.before):
                    pythons.add((3, int(match.group(1) or match.group(2))))
            elif edit.migration == POSTGRES_MIGRATION:
                found = _MAJOR.search(edit.before)
                if found is not None:
                    majors.add(int(found.group(1)))
    below = [minor for minor in pythons if minor < target]
    python_from = "{}.{}".format(*min(below)) if below else None
    old_majors = [major for major in majors if major < targets.postgres]
    postgres_from = min(old_majors) if old_majors else None
    if given.get("python"):
        python_from = given["python"]
    if given.get("postgres"):
        postgres_from = int(given["postgres"])
    return Jump(python_from, targets.python_minor, postgres_from, targets.postgres)


def _holds(code: str, jump: Jump) -> bool:
    hazard = BY_CODE[code]
    if hazard.component == "python":
        return hazard.lands_in(jump.python_from, jump.python_to)
    since = None if jump.postgres_from is None else str(jump.postgres_from)
    return hazard.lands_in(since, str(jump.postgres_to))


def finding(path: str, hit: Hit) -> Finding:
    hazard = BY_CODE[hit.code]
    message = hit.detail if hit.whole else f"{hit.detail}: {hazard.summary} {hazard.fix}"
    return Finding(path, hit.line, message, "warning", "", hit.code)


def advise_tree(
    root: Path,
    exclude: Sequence[str],
    exclude_base: Path | None,
    outcomes: Sequence[Outcome],
    jump: Jump,
) -> list[Finding]:
    """Every hazard of ``jump`` under ``root``, by path (relative to it) and line."""
    from modernize.advice import infra, python_code
    from modernize.errors import ReadError
    from modernize.kinds import ADVISED, content_test
    from modernize.survey import PROJECT_FILES
    from modernize.workspace.files import discover, read_source

    found: list[tuple[str, Hit]] = []
    project_files: dict[str, str] = {}
    starts_chosen = False
    for candidate in discover(root, frozenset(ADVISED), exclude, exclude_base):
        if candidate.skip_reason:
            continue
        try:
            text = read_source(candidate.path).text
        except ReadError:
            continue
        test = content_test(candidate.kind)
        if test is not None and not test(text):
            continue
        if candidate.relative.rsplit("/", 1)[-1] in PROJECT_FILES:
            project_files[candidate.relative] = text
        reads = ADVISED[candidate.kind]
        if "code" in reads:
            scanned = python_code.scan(text)
            if scanned is not None:
                starts_chosen = starts_chosen or scanned.sets_start_method
                found += [(candidate.relative, hit) for hit in scanned.hits]
        if reads - {"code"}:
            hits = infra.scan(
                candidate.kind, candidate.relative, text, jump.python_to, jump.python_from
            )
            found += [(candidate.relative, hit) for hit in hits]
    found += _volume_hits(outcomes, jump)
    held = _held(project_files, jump)
    findings: dict[tuple[str, int, str, str], Finding] = {}
    for path, hit in found:
        if starts_chosen and hit.code == "A009":
            continue  # the repository chooses its start method
        if BY_CODE[hit.code].component == "python" and held(path):
            continue  # its project stays on its Python: no jump
        if _holds(hit.code, jump):
            findings.setdefault((path, hit.line, hit.code, hit.detail), finding(path, hit))
    return sorted(findings.values(), key=lambda f: (f.path, f.line, f.code))


def _held(project_files: Mapping[str, str], jump: Jump) -> Callable[[str], str]:
    """Whether the file at a path belongs to a project that cannot run the target Python (its
    files stay where they are, so its code makes no jump)."""
    from packaging.version import Version

    from modernize.survey import survey

    if not project_files:
        return lambda _path: ""
    return survey(project_files, Version(jump.python_to)).python_held


def _volume_hits(outcomes: Iterable[Outcome], jump: Jump) -> Iterable[tuple[str, Hit]]:
    """The upgrade path of each volume ``postgres-major`` warned about, and what 18 changes."""
    from modernize.rules import postgres_data

    target = jump.postgres_to
    for outcome in outcomes:
        for notice in outcome.findings:
            if notice.migration != POSTGRES_MIGRATION:
                continue
            match = _DATA_WARNING.search(notice.message)
            if match is None or postgres_data.UPGRADE_STEP not in notice.message:
                continue
            old = match["old"]
            old_major = int(old.split(".")[0])
            old_data = postgres_data.data_directory(old_major)
            new_data = postgres_data.data_directory(target)
            if new_data == old_data:  # one path for both: the new cluster is made beside it
                new_cluster = "<an empty folder>"
                where_new = f", and put the new cluster in its place at {new_data}"
            else:
                new_cluster = new_data
                where_new = (
                    f" (the {target} image's data directory, in its volume at "
                    f"{postgres_data.volume(target)})"
                )
            yield (
                outcome.path,
                Hit(
                    "A018",
                    notice.line,
                    f"postgres {old} data moves to {target}: either dump it while the {old} "
                    f"image still runs (pg_dumpall -U <user> > all.sql), then start {target} on "
                    "an empty volume and restore it (psql -U <user> -f all.sql); or, with the "
                    "server stopped, run pg_upgrade where both majors' binaries are: initdb the "
                    f"new cluster at {new_cluster}, then pg_upgrade -b /usr/lib/postgresql/{old}"
                    f"/bin -B /usr/lib/postgresql/{target}/bin -d {old_data} -D {new_cluster}"
                    + where_new,
                    whole=True,
                ),
            )
            if old_major < 18 <= target:
                yield outcome.path, Hit("A016", notice.line, f"postgres {old} data")
                if postgres_data.LAYOUT_MOVED in notice.message:
                    yield (
                        outcome.path,
                        Hit("A017", notice.line, f"mounted at {postgres_data.OLD_VOLUME}"),
                    )
