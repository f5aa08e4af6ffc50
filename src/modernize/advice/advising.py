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

import dataclasses
import posixpath
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packaging.version import Version

from modernize.advice.hazards import BY_CODE, Hit
from modernize.engine.sharing import shared
from modernize.lazy import lazy_pattern
from modernize.model import Finding
from modernize.records import record
from modernize.targets import JUMP_TARGETS as JUMP_TARGETS

if TYPE_CHECKING:
    from modernize.model import Outcome
    from modernize.targets import Targets

POSTGRES_MIGRATION = "postgres-major"
#: The hazards found at postgres-major's data warnings: once the images have moved, there are
#: none (apply printed those warnings when it wrote).
VOLUME_CODES = frozenset({"A016", "A017", "A018"})

#: A Python minor as an edit's text names it: ``3.10``, ``python3.9``, ``py3.9``, a tox or
#: ruff factor ``py39``/``py310``, and each of a tox brace group ``py{38,39,310}``.
_PYTHON_NAMED = lazy_pattern(
    r"(?<![\d.])3\.(\d{1,2})(?!\d)|(?<![a-z])(?:py|cp|python)3(\d{1,2})\b"
    r"|(?<![a-z])py\{(?P<group>[\d, ]+)\}"
)
#: Below this minor, a number in an edit is not a Python this release moves from (a Django
#: ``3.2`` beside the Python in a matrix's entry).
_OLDEST_PYTHON = (3, 6)
#: A postgres major as an edit's text names it: ``14``, ``14-alpine``; before 10, ``9.6``.
_MAJOR = lazy_pattern(r"(?<![\d.])(9\.\d|\d{2})(?![\d])")


@record(frozen=True)
class Jump:
    """From the versions a repository runs to the targets; None: not known (nothing moves)."""

    python_from: str | None
    python_to: str
    #: ``14``; before 10 a major was two numbers (``9.6``).
    postgres_from: str | None
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


@record(frozen=True)
class TreeAdvice:
    """What ``advise_tree`` found: the hazards, the files that could not be read (an error:
    path, line, why) and the Python files that do not parse, passed over (a note)."""

    findings: list[Finding]
    unread: list[tuple[str, int, str]]
    passed_over: list[tuple[str, int, str]]


def _pythons_named(text: str) -> Iterable[tuple[int, int]]:
    for match in _PYTHON_NAMED.finditer(text):
        if match["group"]:
            for factor in match["group"].replace(" ", "").split(","):
                if factor.startswith("3") and len(factor) > 1:
                    yield 3, int(factor[1:])
        else:
            yield 3, int(match.group(1) or match.group(2))


def jump_of(
    outcomes: Iterable[Outcome],
    moving: frozenset[str],
    targets: Targets,
    given: Mapping[str, str],
) -> Jump:
    """The jump the edits of ``outcomes`` make (``moving``: the IDs of the migrations that move
    Python); ``given`` versions (``python``, ``postgres``) win."""
    target = (targets.python.major, targets.python.minor)
    pythons: set[tuple[int, int]] = set()
    majors: set[str] = set()
    # Each text an edit replaced, looked at once: most edits of a tree replace the same few.
    python_texts: set[str] = set()
    postgres_texts: set[str] = set()
    for outcome in outcomes:
        for edit in outcome.edits:
            if edit.migration in moving:
                python_texts.add(edit.before)
            elif edit.migration == POSTGRES_MIGRATION:
                postgres_texts.add(edit.before)
    for before in python_texts:
        pythons.update(_pythons_named(before))
    for before in postgres_texts:
        found = _MAJOR.search(before)
        if found is not None:
            majors.add(found.group(1))
    below = [minor for minor in pythons if _OLDEST_PYTHON <= minor < target]
    python_from = "{}.{}".format(*min(below)) if below else None
    old_majors = [major for major in majors if Version(major) < Version(str(targets.postgres))]
    postgres_from = min(old_majors, key=Version) if old_majors else None
    if given.get("python"):
        python_from = given["python"]
    if given.get("postgres"):
        postgres_from = given["postgres"]
    return Jump(python_from, targets.python_minor, postgres_from, targets.postgres)


def _holds(code: str, jump: Jump) -> bool:
    hazard = BY_CODE[code]
    if hazard.component == "python":
        return hazard.lands_in(jump.python_from, jump.python_to)
    return hazard.lands_in(jump.postgres_from, str(jump.postgres_to))


def finding(path: str, hit: Hit) -> Finding:
    hazard = BY_CODE[hit.code]
    message = hit.detail if hit.whole else f"{hit.detail}: {hazard.summary} {hazard.fix}"
    return Finding(path, hit.line, message, "warning", "", hit.code)


@record(frozen=True, slots=True)
class FileAdvice:
    """What one file gives its tree's hazards, read from the text it holds on the disk
    (``file_advice``). The jump decides the rest, once the whole run is planned: which hits
    hold, and the pins (they need the version the repository moves from)."""

    #: Every hit but the pins', in the order the scanners find them.
    hits: tuple[Hit, ...] = ()
    #: The text of a project's file (``pyproject.toml``, ``setup.cfg``…): is it held back?
    project: str | None = None
    #: The ``POSTGRES_DB`` and ``POSTGRES_USER`` values set in a server file, in order.
    entry: tuple[tuple[str, str], ...] = ()
    #: The text of an SQL init script: its grants are read with its folder's other scripts.
    script: str | None = None
    #: The text of a requirements file or pyproject that names a package of the pins table.
    pinned: str | None = None
    #: The Python code sets its multiprocessing start method.
    starts: bool = False
    #: The Python code does not parse: the line and why (a note: passed over).
    passed_over: tuple[int, str] | None = None

    def __reduce__(self) -> tuple[object, ...]:
        # Most files give nothing: one shared value, and a few bytes from a worker.
        if self == NO_ADVICE:
            return _no_advice, ()
        values = tuple(getattr(self, field.name) for field in dataclasses.fields(self))
        if _textless(self):
            return _shared_advice, values
        return FileAdvice, values


NO_ADVICE = FileAdvice()


def _no_advice() -> FileAdvice:
    return NO_ADVICE


def _textless(advice: FileAdvice) -> bool:
    """The advice holds no file's text: the files of a monorepo give the same few settings and
    hits again and again, and each outcome keeps its advice until the run is reported, so
    each process keeps each such value once (``sharing.shared``), made or unpickled."""
    return advice.project is None and advice.script is None and advice.pinned is None


def _shared_advice(*values: Any) -> FileAdvice:
    return shared(FileAdvice(*values))


def file_advice(kind: str, relative: str, raw: bytes | None) -> FileAdvice:
    """What the file of ``kind`` at ``relative`` whose bytes are ``raw`` gives the hazards
    (None: it is passed over as apply and verify pass it over, or is not text)."""
    from modernize.advice import infra, python_code
    from modernize.kinds import ADVISED, PROJECT_FILES, content_test

    if raw is None or b"\0" in raw:
        return NO_ADVICE
    text = _decoded(raw)
    test = content_test(kind)
    if test is not None and not test(text):
        return NO_ADVICE
    found: dict[str, object] = {}
    if relative.rsplit("/", 1)[-1] in PROJECT_FILES:
        found["project"] = text
    reads = ADVISED[kind]
    if "server" in reads and kind != "sql" and "POSTGRES_" in text:
        found["entry"] = infra.entry_settings(text)  # where POSTGRES_DB is set
    if kind == "sql":
        found["script"] = text
    hits: list[Hit] = []
    if "code" in reads:
        try:
            scanned = python_code.scan(raw)
        except python_code.NotPython as error:
            found["passed_over"] = (error.line, f"{error.reason}; not advised")
        else:
            if scanned.sets_start_method:
                found["starts"] = True
            hits += scanned.hits
    if reads - {"code"}:
        hits += infra.scan(kind, relative, text)
        if infra.names_pins(kind, text):
            found["pinned"] = text
    if hits:
        found["hits"] = tuple(hits)
    if not found:
        return NO_ADVICE
    advice = FileAdvice(**found)  # type: ignore[arg-type]
    return shared(advice) if _textless(advice) else advice


#: A file the hazards read, as their walk finds it: its path relative to the walk's root, its
#: kind, and its advice, or why it cannot be read, or None when it is not made yet.
Walked = tuple[str, str, "FileAdvice | str | None"]


@record(frozen=True)
class AdviceAhead:
    """What a worker made of the hazards' files while a run was planned (``advice_ahead``), so
    that counting the hazards at the end of the run reads none of them again. Only what the
    run's outcomes cannot say is kept: the tree's other files are the outcomes' own."""

    #: The files of the kinds the run does not plan that give the hazards anything (or cannot
    #: be read), in the walk's order.
    found: Sequence[Walked]
    #: The planned files the hazards' walk passes over (a link not followed).
    passed: frozenset[str]
    #: The advice of the files whose outcome had none when the worker was asked (planned
    #: before the survey: no text test let them through), by path.
    lacking: Mapping[str, FileAdvice | str]


def walk_advised(root: Path, exclude: Sequence[str], exclude_base: Path | None) -> Iterator[Walked]:
    """The files under ``root`` the hazards read, in the walk's order (depth first, each
    folder's entries by name), but those a skip reason passes over."""
    from modernize.kinds import ADVISED
    from modernize.workspace.files import discover

    for candidate in discover(root, frozenset(ADVISED), exclude, exclude_base):
        if not candidate.skip_reason:
            yield candidate.relative, candidate.kind, None


def advice_ahead(
    root: Path,
    exclude: Sequence[str],
    exclude_base: Path | None,
    planned: frozenset[str],
    lacking: frozenset[str],
) -> AdviceAhead:
    """The hazards' walk of ``root`` made while a run plans the files of the kinds ``planned``:
    the advice of every file of another kind, and of the planned files at the paths
    ``lacking`` names."""
    from modernize.kinds import ADVISED
    from modernize.workspace.files import discover, displayer

    found: list[Walked] = []
    passed: set[str] = set()
    where = displayer(str(root))  # leads to each file from the current directory
    made: dict[str, FileAdvice | str] = {}
    for candidate in discover(root, frozenset(ADVISED), exclude, exclude_base):
        kind, relative = candidate.kind, candidate.relative
        if kind in planned:
            if candidate.skip_reason:
                passed.add(relative)
            elif relative in lacking:
                made[relative] = _advice_of(where(relative), kind, relative)
        elif not candidate.skip_reason:
            advice = _advice_of(where(relative), kind, relative)
            if advice is not NO_ADVICE:
                found.append((relative, kind, advice))
    return AdviceAhead(found, frozenset(passed), made)


def _advice_of(location: str, kind: str, relative: str) -> FileAdvice | str:
    """The advice of the file at ``location`` as it is on the disk, or why it cannot be read."""
    raw = _read(location)
    return raw if isinstance(raw, str) else file_advice(kind, relative, raw)


def _walk_order(entry: Walked) -> list[str]:
    """Where a file comes in a walk: depth first, each folder's entries by name."""
    return entry[0].split("/")


def _ahead(outcomes: Sequence[Outcome], ahead: AdviceAhead) -> Iterator[Walked]:
    """The hazards' walk, told by the run's outcomes and what a worker found ahead."""
    import heapq

    from modernize.kinds import ADVISED

    planned = (
        (outcome.path, outcome.kind, outcome.advice)
        for outcome in outcomes
        if outcome.kind in ADVISED and outcome.path not in ahead.passed
    )
    return heapq.merge(planned, ahead.found, key=_walk_order)


def advise_tree(
    root: Path,
    exclude: Sequence[str],
    exclude_base: Path | None,
    outcomes: Sequence[Outcome],
    jump: Jump,
    ahead: AdviceAhead | None = None,
) -> TreeAdvice:
    """Every hazard of ``jump`` under ``root``, by path (relative to it) and line. A file whose
    outcome holds its advice (``Outcome.advice``, made where it was planned), or whose advice a
    worker made ``ahead``, is not read again; with ``ahead``, the tree is not walked again."""
    from modernize.advice import infra

    # With ``ahead``, each outcome's advice comes with it in the walk (one a file of the tree,
    # once, rather than all of them at once by path).
    known = (
        {outcome.path: outcome.advice for outcome in outcomes if outcome.advice is not None}
        if ahead is None
        else {}
    )
    found: list[tuple[str, Hit]] = []
    unread: list[tuple[str, int, str]] = []
    passed_over: list[tuple[str, int, str]] = []
    project_files: dict[str, str] = {}
    scripts: dict[str, list[tuple[str, str]]] = {}
    entry: list[tuple[str, str]] = []
    starts_chosen = False
    walked = walk_advised(root, exclude, exclude_base) if ahead is None else _ahead(outcomes, ahead)
    from modernize.workspace.files import displayer

    where = displayer(str(root))  # leads to each file from the current directory
    for relative, kind, made in walked:
        advice = known.get(relative)
        if advice is None:
            made = _advice_of(where(relative), kind, relative) if made is None else made
            if isinstance(made, str):
                unread.append((relative, 1, made))
                continue
            advice = made
        if advice is NO_ADVICE:
            continue
        if advice.project is not None:
            project_files[relative] = advice.project
        entry += advice.entry
        if advice.script is not None:
            scripts.setdefault(posixpath.dirname(relative), []).append((relative, advice.script))
        if advice.passed_over is not None:
            passed_over.append((relative, *advice.passed_over))
        starts_chosen = starts_chosen or advice.starts
        found += [(relative, hit) for hit in advice.hits]
        if advice.pinned is not None and jump.python_from is not None:
            pins = infra.pins(kind, advice.pinned, jump.python_to, jump.python_from)
            found += [(relative, hit) for hit in pins]
    found += _volume_hits(outcomes, jump)
    # Read only when there are init scripts: it is a search through every server file.
    database = infra.entry_database(entry) if scripts else ""
    for folder in sorted(scripts):  # each init folder's scripts run in one order
        found += infra.grant_hits(sorted(scripts[folder]), database)
    held = _held(root, project_files, jump)
    findings: dict[tuple[str, int, str, str], Finding] = {}
    for path, hit in found:
        if starts_chosen and hit.code == "A009":
            continue  # the repository chooses its start method
        if BY_CODE[hit.code].component == "python" and held(path):
            continue  # its project stays on its Python: no jump
        if _holds(hit.code, jump):
            findings.setdefault((path, hit.line, hit.code, hit.detail), finding(path, hit))
    ordered = sorted(findings.values(), key=lambda f: (f.path, f.line, f.code))
    return TreeAdvice(ordered, unread, passed_over)


def _read(path: str | Path) -> bytes | str | None:
    """A file's bytes; None when it is passed over as apply and verify pass it over (too large,
    not a regular file, binary); why, when it cannot be read."""
    from modernize.errors import UnsuitableFile
    from modernize.workspace.reading import MAX_FILE_BYTES, read_regular_file

    try:
        raw = read_regular_file(path, MAX_FILE_BYTES)
    except UnsuitableFile:
        return None
    except OSError as error:
        return f"cannot read file: {error.strerror or error}"
    return None if b"\0" in raw else raw


def _decoded(raw: bytes) -> str:
    """The text the scanners read: UTF-8 (without a BOM), else Latin-1, which every byte
    decodes as (the scanners look for ASCII words)."""
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _held(root: Path, project_files: dict[str, str], jump: Jump) -> Callable[[str], str]:
    """Whether the file at a path (relative to ``root``) belongs to a project that cannot run
    the target Python (its files stay where they are, so its code makes no jump). The projects
    that enclose ``root`` count too, up to the repository's top."""
    from packaging.version import Version

    from modernize.kinds import PROJECT_FILES
    from modernize.survey import survey
    from modernize.workspace.ignore_files import repository_top

    folder = root.resolve() if root.is_dir() else root.resolve().parent
    top = repository_top(folder) or folder
    prefix = folder.relative_to(top).as_posix() if folder.is_relative_to(top) else ""
    prefix = "" if prefix == "." else prefix
    files = {posixpath.join(prefix, path): text for path, text in project_files.items()}
    above = folder
    while above != top and top in above.parents:
        above = above.parent
        for name in PROJECT_FILES:
            candidate = above / name
            if candidate.is_file():
                raw = _read(candidate)
                if isinstance(raw, bytes):
                    files[candidate.relative_to(top).as_posix()] = _decoded(raw)
    if not files:
        return lambda _path: ""
    held = survey(files, Version(jump.python_to)).python_held
    if root.is_dir():
        return lambda path: held(posixpath.join(prefix, path))
    return lambda _path: held(posixpath.join(prefix, root.name))


def _volume_hits(outcomes: Iterable[Outcome], jump: Jump) -> Iterable[tuple[str, Hit]]:
    """The upgrade path of each volume ``postgres-major`` warned about, and what 18 changes."""
    from modernize.rules import postgres_data

    target = jump.postgres_to
    details: dict[tuple[str, str], str] = {}
    for outcome in outcomes:
        volumes_seen: set[str] = set()
        for notice in outcome.findings:
            facts = dict(notice.facts)
            if notice.migration != POSTGRES_MIGRATION or "old" not in facts:
                continue  # no data known to be kept (a service that extends another: maybe)
            if facts.get("volume"):
                if facts["volume"] in volumes_seen:
                    continue  # one volume, one path: services that share it move it once
                volumes_seen.add(facts["volume"])
            old = facts["old"]
            pgdata = facts.get("pgdata", "")
            # One text for the volumes of one move: a monorepo has thousands alike.
            key = (old, pgdata)
            detail = details.get(key)
            if detail is None:
                detail = details[key] = _upgrade_path(old, target, pgdata)
            yield outcome.path, Hit("A018", notice.line, detail, whole=True)
            if BY_CODE["A016"].lands_in(old, str(target)):
                yield outcome.path, Hit("A016", notice.line, f"postgres {old} data")
                if facts.get("moved"):
                    yield (
                        outcome.path,
                        Hit("A017", notice.line, f"mounted at {postgres_data.OLD_VOLUME}"),
                    )


def _upgrade_path(old: str, target: int, pgdata: str) -> str:
    """What A018 says of a volume whose data postgres ``old`` wrote (at ``pgdata``, when the
    service sets it) and ``target`` is to read."""
    from modernize.rules import postgres_data

    # PGDATA keeps the data where it says, for both majors.
    old_data = pgdata or postgres_data.data_directory(int(old.split(".")[0]))
    new_data = pgdata or postgres_data.data_directory(target)
    if new_data == old_data:  # one path for both: the new cluster is made beside it
        upgrade = (
            f"initdb the new cluster in an empty folder, run pg_upgrade -b "
            f"/usr/lib/postgresql/{old}/bin -B /usr/lib/postgresql/{target}/bin -d "
            f"{old_data} -D <that folder>, and put it in place at {new_data}"
        )
    else:
        upgrade = (
            f"keep the old volume mounted at {old_data}, mount a new empty volume at "
            f"{postgres_data.volume(target)}, initdb {target} there (its data directory "
            f"is {new_data}), run pg_upgrade -b /usr/lib/postgresql/{old}/bin -B "
            f"/usr/lib/postgresql/{target}/bin -d {old_data} -D {new_data}, then give "
            "the service the new volume only"
        )
    return (
        f"postgres {old} data moves to {target}: either dump it while the {old} "
        f"image still runs (pg_dumpall -U <user> > all.sql), then start {target} on "
        "an empty volume and restore it (psql -U <user> -f all.sql); or, with the "
        "server stopped and both majors' binaries in one container (the Debian "
        "images' paths, as in tianon/postgres-upgrade), "
        f"{upgrade}"
    )
