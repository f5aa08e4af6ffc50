"""Find what the hazards name in the files around the code: commands in Dockerfiles, Makefiles
and CI steps, pinned requirements, postgres init scripts, settings and environments.

Each scanner reads text only, with its comments blanked out first (``#`` for the line-based
and YAML kinds, ``--`` and ``/* */`` for SQL), so that a commented-out setting or command is
never reported. Which hits hold for a jump is decided by the hazards table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from modernize.advice.hazards import FIRST_SUPPORTING, PINS_KNOWN_ON, Hit, first_supporting
from modernize.kinds import ADVISED
from modernize.lazy import lazy_pattern

if TYPE_CHECKING:
    from packaging.specifiers import Specifier
    from packaging.version import Version

_SETUP_PY = lazy_pattern(
    # The interpreter, by name or path (/usr/local/bin/python, venv/bin/python3.10).
    r"(?<![\w/.-])(?:(?:[\w.~-]*/)*python(?:3(?:\.\d+)?)?|\$\(PYTHON\)|\$\{PYTHON\}|\$PYTHON)"
    # Options before the script, some with a value (-W error); never -m or -c, which name
    # what runs instead (python -m flake8 setup.py).
    r"[ \t]+(?:-(?![mc]\b)[A-Za-z]+(?:[ \t]+(?!(?:\./)?setup\.py)[^-\s]\S*)?[ \t]+)*"
    r"(?:\./)?setup\.py\b"
    # The exec form of a Dockerfile: RUN ["python", "setup.py", "install"].
    r"|\[[ \t]*\"(?:[\w./~-]*/)?python(?:3(?:\.\d+)?)?\"[ \t]*,[ \t]*\"(?:\./)?setup\.py\""
)
_HASH_COMMENT = lazy_pattern(r"(?:^|(?<=[ \t]))#[^\n]*", re.MULTILINE)
#: SQL comments, and the strings they must not be looked for in (``'a -- b'``).
_SQL_COMMENT = lazy_pattern(r"'(?:[^']|'')*'|--[^\n]*|/\*.*?\*/", re.DOTALL)
_REMOVED_SETTING = lazy_pattern(r"\b(vacuum_defer_cleanup_age|promote_trigger_file)\b")
_MD5 = lazy_pattern(
    r"\b(?:(?P<env>POSTGRES_HOST_AUTH_METHOD)[\"']?(?:[ \t]*[:=][ \t]*|[ \t]+)[\"']?md5\b"
    r"|(?P<setting>password_encryption)[ \t]*(?:=|[ \t]|\bTO\b)[ \t]*[\"']?md5\b"
    r"|(?P<initdb>POSTGRES_INITDB_ARGS)\b[^\n]*?(?P<auth>--auth(?:-host|-local)?[= ]md5)\b"
    r"|name:[ \t]*[\"']?(?P<named>POSTGRES_HOST_AUTH_METHOD)[\"']?[ \t]*\r?\n[ \t]*"
    r"(?:-[ \t]+)?value:[ \t]*[\"']?md5\b)",
    re.IGNORECASE,
)
_HBA_MD5 = lazy_pattern(r"^[ \t]*(?:host\w*|local)\b[^\n]*[ \t]md5(?=[ \t]|\r?$)", re.MULTILINE)
_CREATEROLE = lazy_pattern(r"\bCREATEROLE\b", re.IGNORECASE)
_IDENT = r"(?:\"[^\"]+\"|[A-Za-z_][\w$]*)"


def blank(text: str, pattern: re.Pattern[str]) -> str:
    """``text`` with what ``pattern`` matches replaced by spaces (newlines kept): offsets and
    lines stay where they were. A match that is a quoted string stays as it is."""

    def spaces(match: re.Match[str]) -> str:
        found = match.group()
        return found if found.startswith("'") else re.sub(r"[^\n]", " ", found)

    return pattern.sub(spaces, text)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def scan(
    kind: str,
    relative: str,
    text: str,
    python: str | None = None,
    python_from: str | None = None,
) -> list[Hit]:
    """The hits in one file of ``kind``; its pins' too with ``python`` (the target) and
    ``python_from`` (what the repository runs), which ``pins`` finds otherwise."""
    hits: list[Hit] = []
    reads = ADVISED.get(kind, frozenset())
    # Most files name none of the words: they are not scanned at all.
    lowered = text.lower()
    commands = "commands" in reads and "setup.py" in lowered
    server = "server" in reads and any(word in lowered for word in _SERVER_WORDS)
    if commands or server:
        code_text = blank(text, _SQL_COMMENT if kind == "sql" else _HASH_COMMENT)
        if commands:
            hits += _setup_py_commands(code_text)
        if server:
            hits += _server_settings(kind, relative, code_text)
            if kind == "sql":
                hits += _createrole(code_text)
    if python is not None and python_from is not None:
        hits += pins(kind, text, python, python_from)
    return hits


def names_pins(kind: str, text: str) -> bool:
    """Whether the file of ``kind`` may pin a package of the pins table."""
    return "requirements" in ADVISED.get(kind, frozenset()) and bool(_PINNED.search(text.lower()))


def pins(kind: str, text: str, python: str, python_from: str) -> list[Hit]:
    """The pins of a requirements file or pyproject too old for ``python``, the target, that
    were not already too old for ``python_from``."""
    if not names_pins(kind, text):
        return []
    if kind == "pyproject":
        return list(_pyproject_pins(text, python, python_from))
    return list(_requirement_pins(text, python, python_from))


#: What a file must name for a server hazard to be in it.
_SERVER_WORDS = ("md5", "createrole", "vacuum_defer_cleanup_age", "promote_trigger_file")
#: What a file must name for a pin of the table to be in it.
_PINNED = lazy_pattern("|".join(sorted(FIRST_SUPPORTING)))


#: A YAML line whose value is words for people, not a command (a step's ``name:``).
_PROSE_KEY = lazy_pattern(r"[ \t]*(?:-[ \t]+)?(?:name|description|title|displayName)[ \t]*:")


def _setup_py_commands(text: str) -> Iterator[Hit]:
    for match in _SETUP_PY.finditer(text):
        start = text.rfind("\n", 0, match.start()) + 1
        if _PROSE_KEY.match(text, start):
            continue
        yield Hit("A006", _line(text, match.start()), f"`{match.group()}`")


def _server_settings(kind: str, relative: str, text: str) -> Iterator[Hit]:
    for match in _REMOVED_SETTING.finditer(text):
        yield Hit("A014", _line(text, match.start()), f"setting {match.group(1)}")
    for match in _MD5.finditer(text):
        if match["initdb"]:
            detail = f"{match['initdb']} {match['auth']}"
        else:
            detail = f"{match['env'] or match['setting'] or match['named']} md5"
        yield Hit("A015", _line(text, match.start()), detail)
    if kind == "postgres-conf" and relative.rsplit("/", 1)[-1].startswith("pg_hba"):
        for match in _HBA_MD5.finditer(text):
            yield Hit("A015", _line(text, match.start()), "pg_hba.conf method md5")


def _createrole(text: str) -> Iterator[Hit]:
    for match in _CREATEROLE.finditer(text):
        yield Hit("A013", _line(text, match.start()), "CREATEROLE")
    for match in _MD5_PASSWORD.finditer(text):
        yield Hit("A015", _line(text, match.start()), "MD5-hashed password")


_WS = r"[ \t\r\n]+"
_NAME = lazy_pattern(_IDENT)
_CONNECT = lazy_pattern(rf"^[ \t]*\\(?:c|connect)[ \t]+(?P<database>{_IDENT})", re.MULTILINE)
_GRANT_SCHEMA = lazy_pattern(
    rf"\bGRANT{_WS}(?P<privileges>[^;]*?){_WS}ON{_WS}SCHEMA{_WS}(?P<schemas>[^;]*?){_WS}TO"
    rf"{_WS}(?P<roles>[^;]*)",
    re.IGNORECASE,
)
_SCHEMA_OWNER = lazy_pattern(
    rf"\bALTER{_WS}SCHEMA{_WS}public{_WS}OWNER{_WS}TO{_WS}(?P<owner>{_IDENT})", re.IGNORECASE
)
_DATABASE_OWNER = lazy_pattern(
    rf"\b(?:CREATE|ALTER){_WS}DATABASE{_WS}(?P<database>{_IDENT})[^;]*?\bOWNER"
    rf"(?:{_WS}TO{_WS}|[ \t\r\n]*=[ \t\r\n]*|{_WS})(?P<owner>{_IDENT})",
    re.IGNORECASE,
)
_SUPERUSER = lazy_pattern(
    rf"\b(?:CREATE|ALTER){_WS}(?:ROLE|USER){_WS}(?P<role>{_IDENT})[^;]*?\bSUPERUSER\b",
    re.IGNORECASE,
)
_GRANT_DATABASE = lazy_pattern(
    rf"\bGRANT{_WS}(?P<privileges>[^;]*?){_WS}ON{_WS}DATABASE{_WS}(?P<databases>[^;]*?){_WS}TO"
    rf"{_WS}(?P<roles>[^;]*)",
    re.IGNORECASE,
)
_MD5_PASSWORD = lazy_pattern(r"\bPASSWORD[ \t\r\n]+'md5[0-9a-f]{32}'", re.IGNORECASE)


def _names(text: str) -> list[str]:
    """The identifiers of a list (``a, "B c"``) up to a clause that ends it (``WITH …``,
    ``GRANTED BY …``)."""
    found = []
    for match in re.finditer(rf"{_IDENT}|,", text):
        word = match.group()
        if word == ",":
            continue
        if word.upper() in ("WITH", "GRANTED"):
            break
        found.append(word)
    return found


def _key(name: str) -> str:
    """How postgres compares a name: a quoted one as written, a bare one folded to lower."""
    return name[1:-1] if name.startswith('"') else name.lower()


def grant_hits(
    scripts: Sequence[tuple[str, str]], entry_database: str = "postgres"
) -> Iterator[tuple[str, Hit]]:
    """A012 for the init scripts of one folder (``(path, text)``, in the order the entrypoint
    runs them: by name): each grant of a database to a role that is no superuser, does not own
    the database, and is not given CREATE (or ALL) on its schema ``public``, nor is PUBLIC,
    by any of the scripts (connected to that database: the entrypoint runs them connected to
    ``entry_database``, its ``POSTGRES_DB``, until a ``\\connect``)."""
    superusers: set[str] = set()
    owners: set[tuple[str, str]] = set()
    creators: set[tuple[str, str]] = set()  # (database, role); role "public" for everyone
    grants: list[tuple[str, int, str, str, str]] = []
    for path, raw in scripts:
        text = blank(raw, _SQL_COMMENT)
        connects = [(m.start(), _key(m["database"])) for m in _CONNECT.finditer(text)]

        def database_at(offset: int, connects: list[tuple[int, str]] = connects) -> str:
            current = _key(entry_database)
            for start, database in connects:
                if start < offset:
                    current = database
            return current

        superusers.update(_key(m["role"]) for m in _SUPERUSER.finditer(text))
        owners.update(
            (_key(m["database"]), _key(m["owner"])) for m in _DATABASE_OWNER.finditer(text)
        )
        for match in _GRANT_SCHEMA.finditer(text):
            privileges = match["privileges"].upper()
            schemas = {_key(name) for name in _names(match["schemas"])}
            if "public" in schemas and ("CREATE" in privileges or "ALL" in privileges):
                database = database_at(match.start())
                creators.update((database, _key(role)) for role in _names(match["roles"]))
        for match in _SCHEMA_OWNER.finditer(text):
            creators.add((database_at(match.start()), _key(match["owner"])))
        for match in _GRANT_DATABASE.finditer(text):
            privileges = match["privileges"].upper()
            if "ALL" not in privileges and "CREATE" not in privileges:
                continue  # CONNECT, TEMP: a role that only reads creates nothing
            line = _line(text, match.start())
            for database in _names(match["databases"]):
                for role in _names(match["roles"]):
                    grants.append((path, line, database, role, _key(role)))
    for path, line, database, role, role_key in grants:
        database_key = _key(database)
        if role_key in ("public",) or role_key in superusers:
            continue
        if (database_key, role_key) in owners or {
            (database_key, role_key),
            (database_key, "public"),
        } & creators:
            continue
        yield (
            path,
            Hit(
                "A012",
                line,
                f"role {role} is granted database {database} but not schema public, where "
                "postgres 15 no longer lets every role create: make it the database's owner, "
                f"or GRANT CREATE ON SCHEMA public TO {role} in that database",
                whole=True,
            ),
        )


_REQUIREMENT_LINE = lazy_pattern(r"^[ \t]*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?P<rest>[^\n]*)$")


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """pip's lines: a backslash at the end joins the next (its number is the first's)."""
    pending, first = "", 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not pending:
            first = number
        if line.endswith("\\") and not _HASH_COMMENT.search(line):
            pending += line[:-1] + " "
            continue
        yield first, pending + line
        pending = ""
    if pending:
        yield first, pending


def _requirement_pins(text: str, python: str, python_from: str) -> Iterator[Hit]:
    for number, line in _logical_lines(text):
        body = re.split(r"[ \t]--hash", _HASH_COMMENT.sub("", line))[0].strip()
        if not body or body.startswith(("-", ".", "/")) or "://" in body:
            continue
        hit = _pin_hit(body, number, python, python_from)
        if hit is not None:
            yield hit


def _pyproject_pins(text: str, python: str, python_from: str) -> Iterator[Hit]:
    """The pins of ``[project]`` dependencies and extras and of ``[dependency-groups]``, each
    at the line of its own string (a pin written twice is two)."""
    from modernize.formats.toml import tomllib  # type: ignore[attr-defined]

    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError):
        return
    project = data.get("project")
    requirements: list[object] = []
    if isinstance(project, dict):
        requirements += _strings(project.get("dependencies"))
        extras = project.get("optional-dependencies")
        if isinstance(extras, dict):
            for value in extras.values():
                requirements += _strings(value)
    groups = data.get("dependency-groups")
    if isinstance(groups, dict):
        for value in groups.values():
            requirements += _strings(value)
    wanted = {requirement for requirement in requirements if isinstance(requirement, str)}
    code = blank(text, _HASH_COMMENT)
    for match in _TOML_STRING.finditer(code) if wanted else ():
        requirement = match.group(2)
        if requirement in wanted:
            hit = _pin_hit(requirement, _line(code, match.start()), python, python_from)
            if hit is not None:
                yield hit
    yield from _poetry_pins(data, code, python, python_from)


def _poetry_pins(
    data: dict[str, object], code: str, python: str, python_from: str
) -> Iterator[Hit]:
    """Poetry's dependency tables: ``numpy = "1.24.4"`` (a bare version is exact), ``"==…"``,
    or ``{version = "…"}``; each at the line of its key."""
    from packaging.utils import canonicalize_name

    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    if not isinstance(poetry, dict):
        return
    tables = [poetry.get("dependencies"), poetry.get("dev-dependencies")]
    groups = poetry.get("group")
    if isinstance(groups, dict):
        tables += [g.get("dependencies") for g in groups.values() if isinstance(g, dict)]
    for table in tables:
        if not isinstance(table, dict):
            continue
        for name, value in table.items():
            if canonicalize_name(name) not in FIRST_SUPPORTING:
                continue
            version = value.get("version") if isinstance(value, dict) else value
            if not isinstance(version, str):
                continue
            pin = version.strip()
            pin = pin if pin.startswith("==") else f"=={pin}" if _BARE.fullmatch(pin) else ""
            key = _poetry_key(code, name, version)
            if pin and key is not None:
                hit = _pin_hit(f"{name}{pin}", _line(code, key.start()), python, python_from)
                if hit is not None:
                    yield hit


_BARE = lazy_pattern(r"\d+(?:\.\d+)*")


def _poetry_key(code: str, name: str, version: str) -> re.Match[str] | None:
    """The line that gives ``name`` this ``version`` (a package in two groups is at two)."""
    key = rf"^[ \t]*[\"']?{re.escape(name)}[\"']?[ \t]*=[^\n]*{re.escape(version)}"
    return re.search(key, code, re.MULTILINE)


#: A basic or literal TOML string on one line (a requirement has no escapes).
_TOML_STRING = lazy_pattern(r"([\"'])([^\"'\n\\]*)\1")


def _strings(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


#: The platforms a marker may name (not the one advise runs on): a pin holds for the target
#: when it holds on any of them.
_PLATFORMS = tuple(
    {
        "sys_platform": sys_platform,
        "platform_system": system,
        "os_name": os_name,
        "platform_machine": machine,
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
    }
    for sys_platform, system, os_name in (
        ("linux", "Linux", "posix"),
        ("win32", "Windows", "nt"),
        ("darwin", "Darwin", "posix"),
    )
    for machine in ("x86_64", "aarch64", "AMD64", "arm64")
)


def _pin_hit(text: str, number: int, python: str, python_from: str) -> Hit | None:
    """A011 when ``text`` requires a package the table knows at releases that all come before
    its first release with wheels for the newest table Python in the jump: a pin (``==``,
    ``===``, ``~=``) or an upper bound (``<``, ``<=``) below it."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name
    from packaging.version import Version

    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        return None
    name = canonicalize_name(requirement.name)
    known = first_supporting(name, python)
    if known is None or Version(known[0]) <= Version(python_from):
        return None
    if requirement.marker is not None and not any(
        requirement.marker.evaluate(
            {**platform, "python_version": python, "python_full_version": f"{python}.0"}
        )
        for platform in _PLATFORMS
    ):
        return None  # not installed on the target, wherever it runs
    minor, release = known
    capping = next(
        (str(spec) for spec in requirement.specifier if _caps_below(spec, Version(release))), ""
    )
    if not capping:
        return None
    return Hit(
        "A011",
        number,
        f"{name}{capping} has no release with wheels for Python {minor}: require {release} or "
        f"later, the first that has them (as known on {PINS_KNOWN_ON})",
        whole=True,
    )


def _caps_below(specifier: Specifier, release: Version) -> bool:
    """Whether every version ``specifier`` allows comes before ``release``."""
    from packaging.version import InvalidVersion, Version

    text = specifier.version
    try:
        bound = Version(text.removesuffix(".*"))
    except InvalidVersion:
        return False
    operator = specifier.operator
    if operator in ("==", "===") and not text.endswith(".*"):
        return bound < release
    if operator == "==":  # a prefix: ==1.24.* allows 1.24.x only
        parts = bound.release
        return release.release[: len(parts)] > parts
    if operator == "<":
        return bound <= release
    if operator == "<=":
        return bound < release
    if operator == "~=":  # ~=1.24.3 allows >=1.24.3, ==1.24.*
        prefix = bound.release[:-1]
        return release.release[: len(prefix)] > prefix
    return False


_ENTRY_DATABASE = lazy_pattern(
    r"\b(?P<name>POSTGRES_DB|POSTGRES_USER)[\"']?(?:[ \t]*[:=][ \t]*|[ \t]+)[\"']?"
    r"(?P<value>[A-Za-z_][\w$]*)"
)


def entry_settings(text: str) -> tuple[tuple[str, str], ...]:
    """Each ``POSTGRES_DB`` and ``POSTGRES_USER`` value a server file sets, in order."""
    return tuple((match["name"], match["value"]) for match in _ENTRY_DATABASE.finditer(text))


def entry_database(settings: Iterable[tuple[str, str]]) -> str:
    """The database the official image's entrypoint runs init scripts in: ``POSTGRES_DB`` as
    the files set it first (``entry_settings``, file after file), else ``POSTGRES_USER`` (its
    default), else ``postgres``."""
    found: dict[str, str] = {}
    for name, value in settings:
        found.setdefault(name, value)
    return found.get("POSTGRES_DB") or found.get("POSTGRES_USER") or "postgres"
