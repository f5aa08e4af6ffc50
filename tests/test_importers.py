"""The survey of what a repository's Python files import from one another, and python-typing
keeping an import another file needs when only one file is named."""

from __future__ import annotations

from pathlib import Path

import pytest

from modernize.rules.importers import EVERY_NAME, imported_names
from tests.helpers import run_cli

# (the importing file, its source, the file imported from, the names taken from it)
SURVEYED = [
    ("pkg/api.py", "from .core import Tuple, List as L\n", "pkg/core.py", {"Tuple", "List"}),
    ("pkg/__init__.py", "from .core import *\n", "pkg/core.py", {EVERY_NAME}),
    ("src/pkg/api.py", "from .core import Tuple\n", "src/pkg/core.py", {"Tuple"}),
    ("src/pkg/sub/api.py", "from ..core import Dict\n", "src/pkg/core.py", {"Dict"}),
    ("app.py", "from pkg.core import Tuple\n", "src/pkg/core.py", {"Tuple"}),
    ("app.py", "import pkg.core\nx = pkg.core.Tuple\n", "src/pkg/core.py", {"Tuple"}),
    ("app.py", "import pkg.core as c\nx = c.Set\n", "src/pkg/core.py", {"Set"}),
    ("app.py", "from pkg import core\nx = core.Type\n", "src/pkg/core.py", {"Type"}),
    ("pkg/api.py", "from . import core\nx = core.Union\n", "pkg/core.py", {"Union"}),
    ("app.py", "def f():\n    from pkg.core import Optional\n", "pkg/core.py", {"Optional"}),
    ("pkg/__init__.py", "from .core import List\n", "pkg/core/__init__.py", {"List"}),
]


@pytest.mark.parametrize(("importer", "source", "imported", "names"), SURVEYED)
def test_the_survey_finds_the_names_taken(
    importer: str, source: str, imported: str, names: set[str]
) -> None:
    found = imported_names({importer: source, imported: "from typing import List\n"})
    assert found.get(imported) == names


def test_a_relative_import_means_the_file_beside_it_only() -> None:
    sources = {"a/api.py": "from .core import Tuple\n", "a/core.py": "", "b/core.py": ""}
    assert imported_names(sources) == {"a/core.py": frozenset({"Tuple"})}


CORE = (
    "from typing import List, Tuple\n\nNAMES: List[str] = []\n\n"
    "def pair() -> Tuple[int, int]:\n    return (1, 2)\n"
)
MODERN = CORE.replace("List[", "list[").replace("-> Tuple", "-> tuple")


def _package(repo: Path) -> Path:
    package = repo / "src" / "shapes"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "core.py").write_text(CORE)
    (package / "api.py").write_text("from .core import Tuple\n")
    return package / "core.py"


def test_one_file_named_in_a_repository_keeps_what_others_import(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    core = _package(tmp_path)
    result = run_cli(["apply", "--only", "python-typing", "src/shapes/core.py"], tmp_path)
    assert result.exit_code == 0, result.stderr
    assert core.read_text() == MODERN.replace("List, ", "")
    assert result.warnings == [
        "src/shapes/core.py:1: warning: Tuple stays imported from typing, though the uses here"
        " are rewritten: another module of the repository imports it from here; remove the"
        " import when nothing takes the name from here"
    ]


def test_one_file_outside_any_repository_keeps_its_imports(tmp_path: Path) -> None:
    core = _package(tmp_path)
    result = run_cli(["apply", "--only", "python-typing", "core.py"], core.parent)
    assert result.exit_code == 0, result.stderr
    assert core.read_text() == MODERN
    assert [line.split(": warning: ")[1] for line in result.warnings] == [
        "List and Tuple stay imported from typing, though the uses here are rewritten:"
        " the repository's other files could not be surveyed; remove the import when nothing"
        " takes the name from here"
    ]


@pytest.mark.parametrize(
    "importer",
    [
        'print "a Python 2 line"\nfrom pkg.core import Tuple\n',
        "type Alias = int  # newer syntax than some Pythons read\nfrom .core import Tuple\n",
        "import pkg.core\nprint 'x'\n",
    ],
)
def test_an_importer_that_does_not_parse_keeps_every_name_of_what_it_imports(
    importer: str,
) -> None:
    found = imported_names(
        {"pkg/__init__.py": "", "pkg/core.py": "from typing import Tuple\n", "pkg/c.py": importer}
    )
    if _parses(importer):
        pytest.skip("this Python reads the syntax")
    assert EVERY_NAME in found.get("pkg/core.py", frozenset())


def _parses(text: str) -> bool:
    try:
        compile(text, "x.py", "exec")
    except SyntaxError:
        return False
    return True


def test_a_stub_imports_but_is_no_module() -> None:
    found = imported_names(
        {
            "pkg/__init__.py": "",
            "pkg/core.py": "from typing import Set\n",
            "pkg/core.pyi": "from typing import Set as Set\n",
            "pkg/d.pyi": "from .core import Set\n",
        }
    )
    assert found["pkg/core.py"] == frozenset({"Set"})
    assert "pkg/core.pyi" not in found


def test_a_stub_in_the_repository_is_surveyed(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    core = tmp_path / "pkg" / "core.py"
    core.write_text("from typing import Set\n\n\ndef f(e: Set[int]) -> None:\n    pass\n")
    (tmp_path / "pkg" / "d.pyi").write_text("from .core import Set\n")
    result = run_cli(["apply", "--only", "python-typing", "."], tmp_path)
    assert result.exit_code == 0, result.stderr
    assert core.read_text().startswith("from typing import Set\n")
    assert "e: set[int]" in core.read_text()
