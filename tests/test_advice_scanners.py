"""The scanners of ``advise``, as (source, what they find) tables: codes with their lines."""

from __future__ import annotations

import pytest

from modernize.advice import infra, python_code

PYTHON_CASES = [
    ("import imp\n", [("A001", 1)]),
    ("import distutils.core as core\n", [("A001", 1)]),
    ("from asyncore import dispatcher\n", [("A001", 1)]),
    ("import importlib\nimportlib.import_module('smtpd')\n", [("A001", 2)]),
    ("from importlib import import_module as load\nload('cgi')\n", [("A002", 2)]),
    ("__import__('telnetlib')\n", [("A002", 1)]),
    ("import lib2to3.pgen2\n", [("A002", 1)]),
    ("import importlib\nname = 'imp'\nimportlib.import_module(name)\n", []),
    ("try:\n    import imp\nexcept ImportError:\n    imp = None\n", []),
    ("try:\n    import imp\nexcept (AttributeError, ModuleNotFoundError):\n    pass\n", []),
    ("try:\n    import imp\nexcept KeyError:\n    pass\n", [("A001", 2)]),
    ("import sys\nif sys.version_info < (3, 12):\n    import imp\n", []),
    ("from .imp import x\nimport impish\n", []),
    ("class T:\n    def t(self):\n        self.assertEquals(1, 1)\n", [("A003", 3)]),
    ("class T:\n    def t(self):\n        self.failUnless(True)\n", [("A003", 3)]),
    ("np.testing.assert_(True)\nmock.assertEquals(1)\n", []),
    (
        "class T:\n    def assertEquals(self, a, b): ...\n    def t(self):\n"
        "        self.assertEquals(1, 1)\n",
        [],
    ),
    ("import ssl\nssl.wrap_socket(sock)\n", [("A004", 2)]),
    ("import ssl as s\ns.match_hostname(cert, 'h')\n", [("A004", 2)]),
    ("from ssl import wrap_socket\n", [("A004", 1)]),
    ("import ssl\nctx = ssl.create_default_context()\nctx.wrap_socket(sock)\n", []),
    ("import pkg_resources\n", [("A005", 1)]),
    ("from pkg_resources import get_distribution\n", [("A005", 1)]),
    ("import asyncio\nloop = asyncio.get_event_loop()\n", [("A007", 2)]),
    ("from asyncio import get_event_loop\nget_event_loop()\n", [("A007", 2)]),
    ("import asyncio\nclass C:\n    loop = asyncio.get_event_loop()\n", [("A007", 3)]),
    ("import asyncio\ndef f():\n    return asyncio.get_event_loop()\n", []),
    ("import asyncio\nasync def f():\n    asyncio.get_event_loop()\n", []),
    ("import ast\nisinstance(n, ast.Str)\n", [("A008", 2)]),
    ("from ast import Num\n", [("A008", 1)]),
    ("import ast\nisinstance(n, ast.Constant)\nmyast.Num\n", []),
    ("import multiprocessing\nmultiprocessing.Pool(2)\n", [("A009", 2)]),
    ("import multiprocessing as mp\nmp.Process(target=f)\n", [("A009", 2)]),
    ("from multiprocessing import Pool\nPool()\n", [("A009", 2)]),
    ("import multiprocessing\nmultiprocessing.get_context('spawn').Pool()\n", []),
    ("import tarfile\nwith tarfile.open(p) as t:\n    t.extractall('d')\n", [("A010", 3)]),
    ("import tarfile\nt = tarfile.open(p)\nt.extract('m')\n", [("A010", 3)]),
    ("import tarfile\ntarfile.open(p).extractall()\n", [("A010", 2)]),
    ("import tarfile\nwith tarfile.open(p) as t:\n    t.extractall('d', filter='data')\n", []),
    ("import zipfile\nwith zipfile.ZipFile(p) as z:\n    z.extractall('d')\n", []),
    (
        "class T:\n    def t(self):\n        self.assertEquals(1, 1)\n"
        "    def assertEquals(self, a, b): ...\n",
        [],
    ),
    (
        "class F:\n    def failUnless(self, v): ...\nclass T:\n    def t(self):\n"
        "        self.failUnless(1)\n",
        [("A003", 5)],
    ),
    ("import ast, sys\nif sys.version_info < (3, 8):\n    X = (ast.Num, ast.Str)\n", []),
    ("import ast\nX = (ast.Str, ast.Bytes)\n", [("A008", 2), ("A008", 2)]),
    (
        "import tarfile, zipfile\ndef a(p):\n    with tarfile.open(p) as x:\n"
        "        x.extractall('d', filter='data')\ndef b(p):\n    with zipfile.ZipFile(p) as x:\n"
        "        x.extractall('d')\n",
        [],
    ),
    ("import tarfile\nt = tarfile.open(p)\nt = open(p)\nt.extractall()\n", []),
    (
        "try:\n    import asyncio\n    asyncio.get_event_loop()\nexcept Exception:\n    pass\n",
        [("A007", 3)],
    ),
    ("import asyncio\ndef f(loop=asyncio.get_event_loop()):\n    pass\n", [("A007", 2)]),
    ("import asyncio\n@register(asyncio.get_event_loop())\ndef f():\n    pass\n", [("A007", 2)]),
    ("from concurrent.futures import ProcessPoolExecutor\nProcessPoolExecutor()\n", [("A009", 2)]),
    ("import concurrent.futures\nconcurrent.futures.ProcessPoolExecutor(mp_context=c)\n", []),
    ("import multiprocessing\nmultiprocessing.get_context().Process()\n", [("A009", 2)]),
    ("if args.version:\n    import smtpd\n", [("A001", 2)]),
    (
        "import asyncio\nasyncio.set_event_loop(asyncio.new_event_loop())\n"
        "loop = asyncio.get_event_loop()\n",
        [],
    ),
    ("print 'python 2'\nimport imp\n", None),
]


@pytest.mark.parametrize(("source", "expected"), PYTHON_CASES)
def test_python_code(source: str, expected: list[tuple[str, int]] | None) -> None:
    if expected is None:
        with pytest.raises(python_code.NotPython) as raised:
            python_code.scan(source.encode())
        assert raised.value.line == 1 and raised.value.reason.startswith("not Python 3")
        return
    scanned = python_code.scan(source.encode())
    assert [(hit.code, hit.line) for hit in scanned.hits] == expected


def test_a_coding_declaration_is_honoured() -> None:
    source = "# -*- coding: latin-1 -*-\nimport imp\nname = 'caf\xe9'\n".encode("latin-1")
    assert [hit.code for hit in python_code.scan(source).hits] == ["A001"]


def test_a_start_method_chosen_anywhere_is_seen() -> None:
    for source in (
        "import multiprocessing\nmultiprocessing.set_start_method('spawn')\n",
        "from multiprocessing import set_start_method\n",
    ):
        assert python_code.scan(source.encode()).sets_start_method


INFRA_CASES = [
    ("dockerfile", "Dockerfile", "RUN python setup.py install\n", [("A006", 1)]),
    ("makefile", "Makefile", "dist:\n\t$(PYTHON) setup.py sdist\n", [("A006", 2)]),
    ("workflow", "ci.yml", "    - run: python3 -W error setup.py test\n", [("A006", 1)]),
    ("dockerfile", "Dockerfile", "# RUN python setup.py install\nRUN python -m build\n", []),
    ("makefile", "Makefile", "x:\n\tpython setup_env.py\n", []),
    ("dockerfile", "Dockerfile", "RUN /usr/local/bin/python setup.py install\n", [("A006", 1)]),
    ("dockerfile", "Dockerfile", 'RUN ["python", "setup.py", "install"]\n', [("A006", 1)]),
    ("makefile", "Makefile", "lint:\n\t$(PYTHON) -m flake8 setup.py src\n", []),
    ("workflow", "ci.yml", "      - name: Build (python setup.py is gone)\n", []),
    ("compose", "compose.yaml", "command: postgres -c promote_trigger_file=/t\n", [("A014", 1)]),
    ("postgres-conf", "postgresql.conf", "vacuum_defer_cleanup_age = 0\n", [("A014", 1)]),
    ("postgres-conf", "postgresql.conf", "#vacuum_defer_cleanup_age = 0\n", []),
    ("compose", "compose.yaml", "  POSTGRES_HOST_AUTH_METHOD: md5\n", [("A015", 1)]),
    ("compose", "compose.yaml", "  - POSTGRES_HOST_AUTH_METHOD=md5\n", [("A015", 1)]),
    ("compose", "compose.yaml", "  POSTGRES_HOST_AUTH_METHOD: scram-sha-256\n", []),
    ("postgres-conf", "postgresql.conf", "password_encryption = 'md5'\n", [("A015", 1)]),
    ("postgres-conf", "pg_hba.conf", "host all all 0.0.0.0/0 md5\n", [("A015", 1)]),
    ("postgres-conf", "pg_hba.conf", "host all all 0.0.0.0/0 scram-sha-256\n", []),
    ("sql", "init.sql", "ALTER ROLE ops CREATEROLE;\n", [("A013", 1)]),
    ("sql", "init.sql", "ALTER ROLE ops NOCREATEROLE;\n-- CREATEROLE\n", []),
    ("requirements", "requirements.txt", "numpy==1.24.4\n", [("A011", 1)]),
    ("requirements", "requirements.txt", "numpy==1.26.0\nnumpy>=1.20\n", []),
    (
        "requirements",
        "r.txt",
        "numpy<1.26\npandas~=1.5.0\nnumpy==1.24.*\n",
        [("A011", 1), ("A011", 2), ("A011", 3)],
    ),
    ("requirements", "r.txt", "numpy<=1.26.0\npandas~=2.1\nnumpy!=1.26.0\nnumpy==1.*\n", []),
    ("requirements", "requirements.txt", "pandas==1.5.3 \\\n    --hash=sha256:ab\n", [("A011", 1)]),
    ("requirements", "requirements.txt", "psycopg2==2.9.5; python_version<'3.12'\n", []),
    ("requirements", "r.txt", "psycopg2==2.9.5; sys_platform == 'win32'\n", [("A011", 1)]),
    ("requirements", "r.txt", "psycopg2 \\\n    ==2.8.6\n", [("A011", 1)]),
    ("requirements-folder", "requirements/base.txt", "numpy==1.24.4\n", [("A011", 1)]),
    ("requirements", "requirements.txt", "# numpy==1.24.4\n-r base.txt\nrequests==2.0\n", []),
    (
        "pyproject",
        "pyproject.toml",
        '[project]\nname = "x"\ndependencies = [\n  "psycopg2-binary==2.9.5",\n]\n',
        [("A011", 4)],
    ),
    (
        "pyproject",
        "pyproject.toml",
        '[project]\n# "numpy==1.24.4" until the rewrite\ndependencies = ["numpy==1.24.4"]\n'
        '[project.optional-dependencies]\nx = ["numpy==1.24.4"]\n',
        [("A011", 3), ("A011", 5)],
    ),
    (
        "pyproject",
        "pyproject.toml",
        '[tool.poetry.dependencies]\npython = "^3.10"\npandas = "1.3.0"\nnumpy = "^1.24"\n'
        '[tool.poetry.group.db.dependencies]\npsycopg2 = {version = "==2.9.5"}\n',
        [("A011", 3), ("A011", 6)],
    ),
]


@pytest.mark.parametrize(("kind", "name", "source", "expected"), INFRA_CASES)
def test_infra(kind: str, name: str, source: str, expected: list[tuple[str, int]]) -> None:
    hits = infra.scan(kind, name, source, "3.12", "3.10")
    assert [(hit.code, hit.line) for hit in hits] == expected


def test_pins_hold_only_for_a_python_the_jump_reaches() -> None:
    assert infra.scan("requirements", "r.txt", "numpy==2.0.0\n", "3.12", "3.10") == []
    (hit,) = infra.scan("requirements", "r.txt", "numpy==2.0.0\n", "3.13", "3.10")
    assert "2.1.0" in hit.detail


GRANT_CASES = [
    ("CREATE ROLE app;\nCREATE DATABASE d;\nGRANT ALL ON DATABASE d TO app;\n", [("app", 3)]),
    ("CREATE DATABASE d OWNER app;\nGRANT ALL ON DATABASE d TO app;\n", []),
    ("GRANT ALL ON DATABASE d TO app;\n\\c d\nGRANT CREATE ON SCHEMA public TO app;\n", []),
    # Without a \\connect the schema grant is made in the entrypoint's database, not in d.
    ("GRANT ALL ON DATABASE d TO app;\nGRANT CREATE ON SCHEMA public TO app;\n", [("app", 1)]),
    (
        "GRANT ALL ON DATABASE d TO app;\n\\c d\nGRANT USAGE ON SCHEMA public TO app;\n",
        [("app", 1)],
    ),
    ("GRANT ALL ON DATABASE d TO app;\n\\connect d\nGRANT ALL ON SCHEMA public TO PUBLIC;\n", []),
    ("CREATE ROLE boss SUPERUSER;\nGRANT ALL ON DATABASE d TO boss;\n", []),
    ("-- GRANT ALL ON DATABASE d TO app;\nSELECT 'x -- y';\n", []),
    ("SELECT 'x -- y'; GRANT ALL ON DATABASE d TO r;\n", [("r", 1)]),
    ("GRANT CREATE ON DATABASE d TO a, b;\nALTER DATABASE d OWNER TO b;\n", [("a", 1)]),
    ("GRANT CONNECT, TEMP ON DATABASE d TO reader;\n", []),
    ("GRANT ALL ON DATABASE d, e TO a GRANTED BY postgres;\n", [("a", 1), ("a", 1)]),
    ('GRANT ALL ON DATABASE d TO "Weird, Name";\n', [('"Weird, Name"', 1)]),
]


@pytest.mark.parametrize(("source", "expected"), GRANT_CASES)
def test_grants(source: str, expected: list[tuple[str, int]]) -> None:
    found = list(infra.grant_hits([("init.sql", source)]))
    roles = [hit.detail.removeprefix("role ").split(" is granted")[0] for _path, hit in found]
    assert list(zip(roles, [hit.line for _path, hit in found], strict=True)) == expected


def test_a_schema_grant_in_a_later_script_of_the_folder_counts() -> None:
    scripts = [
        ("01-roles.sql", "GRANT ALL ON DATABASE lib TO librarian;\n"),
        ("02-lib.sql", "\\connect lib\nGRANT CREATE ON SCHEMA public TO librarian;\n"),
    ]
    assert list(infra.grant_hits(scripts)) == []


def test_the_entrypoints_database_is_the_one_not_connected_to() -> None:
    script = [
        ("init.sql", "GRANT ALL ON DATABASE shop TO app;\nGRANT CREATE ON SCHEMA public TO app;\n")
    ]
    assert list(infra.grant_hits(script, "shop")) == []
    assert len(list(infra.grant_hits(script, "postgres"))) == 1
