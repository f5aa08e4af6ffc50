"""What the new versions break: one row per hazard, with the release it lands in and its source.

A hazard applies to a jump from the version a repository runs to the target when it lands in
that range (after the version the repository runs, at or before the target). A new Python or
postgres release adds rows here; the scanners (``python_code``, ``infra``) find what each row
names, and nothing else decides which rows hold.

The requirement pins table (``FIRST_SUPPORTING``) is dated: it names, for a few well-known
packages, the first release that ships wheels for each Python, read from PyPI's release files
as of ``PINS_KNOWN_ON``. A package not in it is never guessed about.
"""

from __future__ import annotations

import functools
from typing import Literal

from packaging.version import Version

from modernize.records import record

Component = Literal["python", "postgres"]

_PY312 = "https://docs.python.org/3/whatsnew/3.12.html#removed"
_PY313 = "https://docs.python.org/3/whatsnew/3.13.html#removed-modules-and-apis"
_PY314 = "https://docs.python.org/3/whatsnew/3.14.html#removed"
_PG15 = "https://www.postgresql.org/docs/release/15.0/"
_PG16 = "https://www.postgresql.org/docs/release/16.0/"
_PG18 = "https://www.postgresql.org/docs/release/18.0/"


@record(frozen=True)
class Hazard:
    """An upgrade hazard: what breaks in a release, why, and what to do."""

    #: Stable, never reused: ``A001``.
    code: str
    #: A slug that says what it is (for the README and SARIF's rule name).
    name: str
    component: Component
    #: The release it lands in: ``3.12``, or a postgres major ``15``; "" for every release
    #: (what holds depends on the hit: a pin's package, a volume's majors).
    since: str
    #: One line: what breaks.
    summary: str
    #: A paragraph: what changed and why it matters here.
    explanation: str
    #: What to do.
    fix: str
    #: Where it is written: the release notes section.
    source: str
    #: What the scanner looks for (module names, method names, settings), when a row needs a
    #: list of its own.
    names: tuple[str, ...] = ()

    def lands_in(self, since: str | None, target: str) -> bool:
        """Whether it lands after ``since`` (the version the repository runs; None: not known,
        so it does not apply) and at or before ``target``."""
        if since is None:
            return False
        if not self.since:
            return _order(since) < _order(target)
        return _order(since) < _order(self.since) <= _order(target)


@record(frozen=True, slots=True)
class Hit:
    """What a scanner found in one file: a hazard's code, the 1-based line, and what is there
    (``import distutils``), as the message starts."""

    code: str
    line: int
    detail: str
    #: The detail says what breaks and what to do by itself (a pin's first good release, a
    #: volume's upgrade path): the hazard's summary and fix are not added.
    whole: bool = False


#: The TestCase aliases removed in 3.12 (A003), each with the name to call instead.
TESTCASE_ALIASES = {
    "failUnless": "assertTrue",
    "failIf": "assertFalse",
    "failUnlessEqual": "assertEqual",
    "failIfEqual": "assertNotEqual",
    "failUnlessAlmostEqual": "assertAlmostEqual",
    "failIfAlmostEqual": "assertNotAlmostEqual",
    "failUnlessRaises": "assertRaises",
    "assert_": "assertTrue",
    "assertEquals": "assertEqual",
    "assertNotEquals": "assertNotEqual",
    "assertAlmostEquals": "assertAlmostEqual",
    "assertNotAlmostEquals": "assertNotAlmostEqual",
    "assertRegexpMatches": "assertRegex",
    "assertRaisesRegexp": "assertRaisesRegex",
    "assertNotRegexpMatches": "assertNotRegex",
    "assertDictContainsSubset": "assertLessEqual(expected.items(), actual.items())",
}


@functools.lru_cache(maxsize=1024)
def _order(text: str) -> Version:
    """``text`` as a version to compare (a run compares the same few thousands of times)."""
    return Version(text)


HAZARDS: tuple[Hazard, ...] = (
    Hazard(
        "A001",
        "removed-modules-3-12",
        "python",
        "3.12",
        "A standard-library module removed in Python 3.12 is imported.",
        "Python 3.12 removed distutils (PEP 632), imp, asynchat, asyncore and smtpd. An "
        "import of any of them raises ModuleNotFoundError on 3.12 (distutils only keeps "
        "working where setuptools is installed and provides its copy).",
        "Use setuptools or packaging/sysconfig/shutil for distutils, importlib for imp, asyncio "
        "for asynchat and asyncore, aiosmtpd for smtpd; or fall back in an except ImportError.",
        _PY312,
        ("distutils", "imp", "asynchat", "asyncore", "smtpd"),
    ),
    Hazard(
        "A002",
        "removed-modules-3-13",
        "python",
        "3.13",
        "A standard-library module removed in Python 3.13 is imported.",
        "Python 3.13 removed the 'dead batteries' of PEP 594 (aifc, audioop, cgi, cgitb, "
        "chunk, crypt, imghdr, mailcap, msilib, nis, nntplib, ossaudiodev, pipes, sndhdr, spwd, "
        "sunau, telnetlib, uu, xdrlib) and lib2to3. An import of any of them raises "
        "ModuleNotFoundError on 3.13.",
        "Replace the module (PEP 594 names a successor for each: email.message for cgi's "
        "header parsing, shlex.quote for pipes.quote, hashlib or bcrypt for crypt), or depend "
        "on a maintained backport from PyPI such as legacy-cgi.",
        _PY313,
        (
            "aifc",
            "audioop",
            "cgi",
            "cgitb",
            "chunk",
            "crypt",
            "imghdr",
            "lib2to3",
            "mailcap",
            "msilib",
            "nis",
            "nntplib",
            "ossaudiodev",
            "pipes",
            "sndhdr",
            "spwd",
            "sunau",
            "telnetlib",
            "uu",
            "xdrlib",
        ),
    ),
    Hazard(
        "A003",
        "unittest-aliases",
        "python",
        "3.12",
        "A unittest.TestCase alias removed in Python 3.12 is called.",
        "Python 3.12 removed the long-deprecated TestCase aliases (assertEquals, failUnless, "
        "assertRegexpMatches, …) and assertDictContainsSubset. A test that calls one fails "
        "with AttributeError, so the suite stops testing what it did.",
        "Call the current name: assertEqual, assertTrue, assertRegex, assertRaisesRegex, "
        "assertNotRegex, assertAlmostEqual, and so on.",
        _PY312,
        tuple(TESTCASE_ALIASES),
    ),
    Hazard(
        "A004",
        "ssl-wrap-socket",
        "python",
        "3.12",
        "ssl.wrap_socket or ssl.match_hostname, removed in Python 3.12, is used.",
        "Python 3.12 removed the module-level ssl.wrap_socket() (deprecated since 3.7) and "
        "ssl.match_hostname(). Calling either raises AttributeError.",
        "Create an ssl.SSLContext (ssl.create_default_context()) and call its wrap_socket(); "
        "hostname checking is the context's check_hostname.",
        _PY312,
        ("wrap_socket", "match_hostname"),
    ),
    Hazard(
        "A005",
        "setuptools-not-in-venv",
        "python",
        "3.12",
        "pkg_resources is imported, but a Python 3.12 virtual environment has no setuptools.",
        "From Python 3.12, venv and ensurepip no longer install setuptools, so pkg_resources "
        "(part of setuptools) is missing unless something installs setuptools; setuptools 82 "
        "and later no longer ship pkg_resources at all.",
        "Use importlib.metadata (versions, entry points) and importlib.resources (package "
        "data); until then, declare setuptools<82 as a runtime dependency.",
        _PY312,
        ("pkg_resources",),
    ),
    Hazard(
        "A006",
        "setup-py-command",
        "python",
        "3.12",
        "A setup.py command runs where a Python 3.12 environment has no setuptools.",
        "A Dockerfile, Makefile or workflow step that runs `python setup.py …` needs "
        "setuptools installed in that environment; from Python 3.12 a new virtual environment "
        "has none, and setuptools has deprecated running setup.py as a command.",
        "Build with `python -m build` and install with `pip install .` (both read the "
        "project's build backend).",
        _PY312,
    ),
    Hazard(
        "A007",
        "asyncio-get-event-loop",
        "python",
        "3.14",
        "asyncio.get_event_loop() is called at module level, which raises from Python 3.14.",
        "From Python 3.14, asyncio.get_event_loop() raises RuntimeError when no event loop is "
        "running or set, instead of creating one; at a module's top level none is.",
        "Run the coroutine with asyncio.run(), or create the loop with asyncio.new_event_loop() "
        "and asyncio.set_event_loop().",
        _PY314,
        ("get_event_loop",),
    ),
    Hazard(
        "A008",
        "ast-constant-nodes",
        "python",
        "3.14",
        "ast.Num, ast.Str, ast.Bytes, ast.NameConstant or ast.Ellipsis, removed in 3.14, is used.",
        "Python 3.14 removed the node classes deprecated since 3.8; every literal is an "
        "ast.Constant. Code that names them raises AttributeError.",
        "Use ast.Constant and test the type of its value.",
        _PY314,
        ("Num", "Str", "Bytes", "NameConstant", "Ellipsis"),
    ),
    Hazard(
        "A009",
        "multiprocessing-forkserver",
        "python",
        "3.14",
        "multiprocessing starts processes without choosing a start method; 3.14's default on "
        "Linux is forkserver.",
        "From Python 3.14 the default start method on Linux is forkserver, not fork: a child "
        "no longer inherits the parent's globals, and what it is given must pickle. A Process "
        "or Pool started without set_start_method or get_context changes behaviour.",
        "Make the target and its arguments picklable and set state up in the child, or choose "
        "the method: multiprocessing.get_context('fork') (where fork is safe).",
        "https://docs.python.org/3/library/multiprocessing.html#contexts-and-start-methods",
        ("Process", "Pool"),
    ),
    Hazard(
        "A010",
        "tarfile-extraction-filter",
        "python",
        "3.14",
        "A tar archive is extracted without filter=; 3.14's default filter is 'data'.",
        "From Python 3.14 TarFile.extract and extractall use the 'data' filter by default: "
        "absolute paths, links out of the destination, device files and some permissions are "
        "refused or changed where they were extracted as written before.",
        "Pass filter='data' (what 3.14 does) and test it, or filter='tar' or "
        "'fully_trusted' for an archive that needs it.",
        "https://docs.python.org/3/library/tarfile.html#tarfile-extraction-filter",
        ("extract", "extractall"),
    ),
    Hazard(
        "A011",
        "pinned-release-without-wheels",
        "python",
        "",
        "A requirement allows only releases without wheels for the target Python.",
        "A requirement pinned (==, ~=) or capped (<, <=) below the first release that ships "
        "wheels for the target Python builds from source there (a compiler and the C "
        "libraries it needs, libpq-dev for psycopg2) or fails to install. Only the packages of "
        "a short dated table are known (read from each one's release files on PyPI, "
        "pypi.org/project/<name>/#files); nothing is fetched.",
        "Raise the pin or the bound to the release named, or later, with the upgrade.",
        "https://pypi.org/",
    ),
    Hazard(
        "A012",
        "public-schema-create",
        "postgres",
        "15",
        "A role is given a database but not the public schema, where 15 revokes CREATE.",
        "Postgres 15 revoked CREATE on schema public from PUBLIC, and the public schema is "
        "owned by the database owner. An init script that creates a role and grants it a "
        "database it does not own leaves that role unable to create tables in public.",
        "Make the role the database's owner (CREATE DATABASE … OWNER role), or GRANT CREATE "
        "(or ALL) ON SCHEMA public TO the role, connected to that database.",
        _PG15,
    ),
    Hazard(
        "A013",
        "createrole-restricted",
        "postgres",
        "16",
        "A role is given CREATEROLE, which postgres 16 restricts.",
        "From postgres 16, a CREATEROLE role can change or drop only the roles it has ADMIN "
        "OPTION on (those it created), not every non-superuser role as before.",
        "GRANT the roles it must manage to it WITH ADMIN OPTION, or let it create them.",
        _PG16,
        ("CREATEROLE",),
    ),
    Hazard(
        "A014",
        "removed-settings-16",
        "postgres",
        "16",
        "A server setting removed in postgres 16 is set.",
        "Postgres 16 removed vacuum_defer_cleanup_age and promote_trigger_file. A server whose "
        "configuration or command line sets either refuses to start.",
        "Drop the setting: use hot_standby_feedback or replication slots for "
        "vacuum_defer_cleanup_age, and pg_ctl promote or pg_promote() for promote_trigger_file.",
        _PG16,
        ("vacuum_defer_cleanup_age", "promote_trigger_file"),
    ),
    Hazard(
        "A015",
        "md5-passwords",
        "postgres",
        "18",
        "MD5 password authentication is configured; postgres 18 deprecates it.",
        "Postgres 18 deprecates MD5 password authentication: setting an MD5 password warns, "
        "and a later major will remove it. The default has been scram-sha-256 since 14.",
        "Use scram-sha-256 (POSTGRES_HOST_AUTH_METHOD, password_encryption, pg_hba.conf) and "
        "set each password again so that it is stored as SCRAM.",
        _PG18,
        ("md5",),
    ),
    Hazard(
        "A016",
        "data-checksums-default",
        "postgres",
        "18",
        "A data volume moves to postgres 18, whose new clusters have data checksums on.",
        "From postgres 18, initdb enables data checksums by default. pg_upgrade needs the old "
        "and new clusters to agree, so a cluster made before 18 without checksums cannot be "
        "upgraded into a default 18 cluster.",
        "Make the new cluster with initdb --no-data-checksums for pg_upgrade (the image's "
        "POSTGRES_INITDB_ARGS=--no-data-checksums), or turn "
        "checksums on in the old one with pg_checksums first); a dump and restore is not "
        "affected.",
        _PG18,
    ),
    Hazard(
        "A017",
        "data-directory-moved-18",
        "postgres",
        "18",
        "A data volume is mounted at /var/lib/postgresql/data, which the 18 image no longer uses.",
        "From 18 the official image keeps its data in /var/lib/postgresql/<major>/docker and "
        "declares the volume at /var/lib/postgresql; a container of 18 refuses to start over a "
        "mount at the old path.",
        "Mount the volume at /var/lib/postgresql, or set PGDATA to keep the old path.",
        "https://github.com/docker-library/postgres/pull/1259",
    ),
    Hazard(
        "A018",
        "data-volume-upgrade-path",
        "postgres",
        "",
        "A data volume holds data of an older postgres major: the upgrade path.",
        "A postgres major cannot open a data directory written by an older major. The data "
        "must be carried over before the new image starts on the volume: dumped and restored, "
        "or converted by pg_upgrade, which needs the binaries of both majors.",
        "Either dump with the old image and restore into the new one on an empty volume, or "
        "run pg_upgrade from a container that holds both majors' binaries.",
        "https://www.postgresql.org/docs/current/upgrading.html",
    ),
)

BY_CODE: dict[str, Hazard] = {hazard.code: hazard for hazard in HAZARDS}

#: When the pins table was read.
PINS_KNOWN_ON = "2026-12"

#: A package's first release with wheels for each Python (from its release files on PyPI).
FIRST_SUPPORTING: dict[str, dict[str, str]] = {
    "numpy": {"3.12": "1.26.0", "3.13": "2.1.0", "3.14": "2.3.2"},
    "pandas": {"3.12": "2.1.1", "3.13": "2.2.3", "3.14": "2.3.3"},
    "psycopg2": {"3.12": "2.9.9", "3.13": "2.9.10", "3.14": "2.9.11"},
    "psycopg2-binary": {"3.12": "2.9.9", "3.13": "2.9.10", "3.14": "2.9.11"},
}


def first_supporting(package: str, python: str) -> tuple[str, str] | None:
    """The newest Python of the table at or below ``python`` for ``package``, and its first
    release for it; None when the table knows nothing for that package."""
    known = FIRST_SUPPORTING.get(package)
    if not known:
        return None
    below = [minor for minor in known if _order(minor) <= _order(python)]
    if not below:
        return None
    newest = max(below, key=_order)
    return newest, known[newest]
