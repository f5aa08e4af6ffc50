"""Find what the hazards name in the files around the code: commands in Dockerfiles, Makefiles
and CI steps, pinned requirements, postgres init scripts, settings and environments.

Each scanner reads text only, with its comments blanked out first (``#`` for the line-based
and YAML kinds, ``--`` and ``/* */`` for SQL), so that a commented-out setting or command is
never reported. Which hits hold for a jump is decided by the hazards table.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from modernize.advice.hazards import PINS_KNOWN_ON, Hit, first_supporting
from modernize.kinds import ADVISED

_SETUP_PY = re.compile(
    r"(?<![\w/.-])(?:python(?:3(?:\.\d+)?)?|\$\(PYTHON\)|\$\{PYTHON\}|\$PYTHON)"
    # Options before the script, some with a value (-W error); never -m or -c, which name
    # what runs instead (python -m flake8 setup.py).
    r"[ \t]+(?:-(?![mc]\b)[A-Za-z]+(?:[ \t]+(?!(?:\./)?setup\.py)[^-\s]\S*)?[ \t]+)*"
    r"(?:\./)?setup\.py\b"
)
_HASH_COMMENT = re.compile(r"(?:^|(?<=[ \t]))#[^\n]*", re.MULTILINE)
_SQL_COMMENT = re.compile(r"--[^\n]*|/\*.*?\*/", re.DOTALL)
_REMOVED_SETTING = re.compile(r"\b(vacuum_defer_cleanup_age|promote_trigger_file)\b")
_MD5 = re.compile(
    r"\b(?:(?P<env>POSTGRES_HOST_AUTH_METHOD)[\"']?[ \t]*[:=][ \t]*[\"']?md5\b"
    r"|(?P<setting>password_encryption)[ \t]*(?:=|[ \t]|\bTO\b)[ \t]*[\"']?md5\b)",
    re.IGNORECASE,
)
_HBA_MD5 = re.compile(r"^[ \t]*(?:host\w*|local)\b[^\n]*[ \t]md5[ \t]*$", re.MULTILINE)
_CREATEROLE = re.compile(r"\bCREATEROLE\b", re.IGNORECASE)
_IDENT = r"(?:\"[^\"]+\"|[A-Za-z_][\w$]*)"
_GRANT_DATABASE = re.compile(
    rf"\bGRANT\b[^;]*?\bON[ \t\r\n]+DATABASE[ \t\r\n]+(?P<database>{_IDENT})"
    rf"[^;]*?\bTO[ \t\r\n]+(?P<roles>[^;]*)",
    re.IGNORECASE,
)


def blank(text: str, pattern: re.Pattern[str]) -> str:
    """``text`` with what ``pattern`` matches replaced by spaces (newlines kept): offsets and
    lines stay where they were."""
    return pattern.sub(lambda match: re.sub(r"[^\n]", " ", match.group()), text)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def scan(kind: str, relative: str, text: str, python: str, python_from: str | None) -> list[Hit]:
    """The hits in one file of ``kind`` (``python``: the target; ``python_from``: what the
    repository runs, for the pins)."""
    hits: list[Hit] = []
    reads = ADVISED.get(kind, frozenset())
    code_text = blank(text, _SQL_COMMENT if kind == "sql" else _HASH_COMMENT)
    if "commands" in reads:
        hits += _setup_py_commands(code_text)
    if "server" in reads:
        hits += _server_settings(kind, relative, code_text)
    if kind == "sql":
        hits += _roles(code_text)
    if "requirements" in reads and kind != "pyproject" and python_from is not None:
        hits += _requirement_pins(text, python, python_from)
    if kind == "pyproject" and python_from is not None:
        hits += _pyproject_pins(text, python, python_from)
    return hits


#: A YAML line whose value is words for people, not a command (a step's ``name:``).
_PROSE_KEY = re.compile(r"[ \t]*(?:-[ \t]+)?(?:name|description|title|displayName)[ \t]*:")


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
        name = match.group("env") or match.group("setting")
        yield Hit("A015", _line(text, match.start()), f"{name} md5")
    if kind == "postgres-conf" and relative.rsplit("/", 1)[-1].startswith("pg_hba"):
        for match in _HBA_MD5.finditer(text):
            yield Hit("A015", _line(text, match.start()), "pg_hba.conf method md5")


def _unquoted(name: str) -> str:
    return name[1:-1] if name.startswith('"') else name.lower()


def _roles(text: str) -> Iterator[Hit]:
    """A013 at each CREATEROLE; A012 at each grant of a database to a role that neither owns
    it nor is granted CREATE on schema public in the same script."""
    for match in _CREATEROLE.finditer(text):
        yield Hit("A013", _line(text, match.start()), "CREATEROLE")
    owners = {
        (_unquoted(found["database"]), _unquoted(found["owner"]))
        for found in re.finditer(
            rf"\b(?:CREATE|ALTER)[ \t\r\n]+DATABASE[ \t\r\n]+(?P<database>{_IDENT})[^;]*?"
            rf"\bOWNER[ \t\r\n]*(?:TO[ \t\r\n]+|=[ \t\r\n]*)?(?P<owner>{_IDENT})",
            text,
            re.IGNORECASE,
        )
    }
    on_public: set[str] = set()
    for found in re.finditer(
        r"\bGRANT\b[^;]*?\bON[ \t\r\n]+SCHEMA[ \t\r\n]+[^;]*?\bpublic\b[^;]*?\bTO\b(?P<roles>[^;]*)"
        r"|\bALTER[ \t\r\n]+SCHEMA[ \t\r\n]+public[ \t\r\n]+OWNER[ \t\r\n]+TO[ \t\r\n]+"
        rf"(?P<owner>{_IDENT})",
        text,
        re.IGNORECASE,
    ):
        names = found["roles"] or found["owner"] or ""
        on_public.update(_unquoted(name.strip()) for name in names.split(","))
    for match in _GRANT_DATABASE.finditer(text):
        database = _unquoted(match["database"])
        roles = re.split(r"[ \t\r\n]+WITH[ \t\r\n]", match["roles"], flags=re.IGNORECASE)[0]
        for role in (_unquoted(name.strip()) for name in roles.split(",")):
            if not role or role in ("public",) or (database, role) in owners:
                continue
            if role in on_public:
                continue
            yield Hit(
                "A012",
                _line(text, match.start()),
                f"role {role} is granted database {database} but not schema public, where "
                "postgres 15 no longer lets every role create: make it the database's owner, "
                f"or GRANT CREATE ON SCHEMA public TO {role} in that database",
                whole=True,
            )


_REQUIREMENT_LINE = re.compile(r"^[ \t]*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?P<rest>[^\n]*)$")


def _requirement_pins(text: str, python: str, python_from: str) -> Iterator[Hit]:
    for number, line in enumerate(text.splitlines(), start=1):
        body = _HASH_COMMENT.sub("", line).split(" \\")[0].split("\t\\")[0].strip()
        body = re.split(r"[ \t]--hash", body)[0].strip()
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
    if not wanted:
        return
    code = blank(text, _HASH_COMMENT)
    for match in _TOML_STRING.finditer(code):
        requirement = match.group(2)
        if requirement in wanted:
            hit = _pin_hit(requirement, _line(code, match.start()), python, python_from)
            if hit is not None:
                yield hit


#: A basic or literal TOML string on one line (a requirement has no escapes).
_TOML_STRING = re.compile(r"([\"'])([^\"'\n\\]*)\1")


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
    """A011 when ``text`` pins (==) a release of a package the table knows that is older than
    its first release with wheels for the newest table Python in the jump."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name
    from packaging.version import InvalidVersion, Version

    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        return None
    name = canonicalize_name(requirement.name)
    specifiers = list(requirement.specifier)
    if (
        len(specifiers) != 1
        or specifiers[0].operator not in ("==", "===")
        or "*" in str(specifiers[0].version)
    ):
        return None
    if requirement.marker is not None and not any(
        requirement.marker.evaluate(
            {**platform, "python_version": python, "python_full_version": f"{python}.0"}
        )
        for platform in _PLATFORMS
    ):
        return None  # not installed on the target, wherever it runs
    known = first_supporting(name, python)
    if known is None or Version(known[0]) <= Version(python_from):
        return None
    minor, release = known
    try:
        pinned = Version(specifiers[0].version)
    except InvalidVersion:
        return None
    if pinned >= Version(release):
        return None
    return Hit(
        "A011",
        number,
        f"{name}=={pinned} has no wheels for Python {minor}: pin {release} or later, the "
        f"first release that has (as known on {PINS_KNOWN_ON})",
        whole=True,
    )
