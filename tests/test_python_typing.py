"""python-typing never breaks a module: what ran before the rewrite runs after it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "python-typing"
MODULES = sorted(
    path.relative_to(FIXTURES)
    for path in FIXTURES.glob("*/input/**/*.py")
    if (FIXTURES / str(path.relative_to(FIXTURES)).replace("/input/", "/expected/", 1)).exists()
)


def _runs(path: Path) -> bool:
    result = subprocess.run(
        [sys.executable, "-c", "import runpy, sys; runpy.run_path(sys.argv[1])", str(path)],
        capture_output=True,
        check=False,
        timeout=60,
    )
    return result.returncode == 0


@pytest.mark.parametrize("module", MODULES, ids=str)
def test_a_module_that_ran_before_still_runs(module: Path) -> None:
    before = FIXTURES / module
    after = FIXTURES / str(module).replace("/input/", "/expected/", 1)
    compile(after.read_bytes(), str(after), "exec")
    if not _runs(before):
        pytest.skip("the input needs packages or modules the fixture does not ship")
    assert _runs(after), f"{after} ran before the rewrite and fails after it"


def test_enough_modules_are_really_run() -> None:
    runnable = [module for module in MODULES if _runs(FIXTURES / module)]
    assert len(runnable) >= 8


# Found in review: each input once failed, crashed or changed the program's meaning.
REVIEWED = {
    "form-feed": (
        "from typing import List\n\x0cx: List[int] = []\nyy = List[str]\n",
        "\x0cx: list[int] = []\nyy = list[str]\n",
    ),
    "except-star": (
        "from typing import List\ntry:\n    pass\nexcept* ValueError:\n    pass\n"
        "x: List[int] = []\n",
        "try:\n    pass\nexcept* ValueError:\n    pass\nx: list[int] = []\n",
    ),
    "import-shares-a-line": (
        "from typing import List; x: List[int] = []\n",
        "from typing import List; x: list[int] = []\n",
    ),
    "two-imports-fill-a-block": (
        "import sys\nif sys.version_info >= (3, 8):\n    from typing import List\n"
        "    from typing import Optional\ndef f(a: List[int]) -> Optional[int]: pass\n",
        "import sys\nif sys.version_info >= (3, 8):\n    pass\n"
        "def f(a: list[int]) -> int | None: pass\n",
    ),
    "method-named-list": (
        "from typing import List\nclass Api:\n    def list(self) -> List[int]: ...\n"
        "    def other(self) -> List[str]: ...\n",
        None,
    ),
    "field-named-type": (
        "from typing import Optional, Type\nclass Event:\n    type: str = 'x'\n"
        "    handler: Type[int] = int\n    extra: Optional[int] = None\n",
        "from typing import Type\nclass Event:\n    type: str = 'x'\n"
        "    handler: Type[int] = int\n    extra: int | None = None\n",
    ),
    "union-of-a-tuple": ("from typing import Union\nU = Union[(int, str)]\n", None),
    "generic-base-class": (
        "from typing import Iterable, Iterator, TypeVar\nT = TypeVar('T')\n"
        "class Box(Iterable[T]):\n    def __iter__(self) -> Iterator[T]: ...\n"
        "assert Box.__parameters__ == (T,)\n",
        "from collections.abc import Iterator\nfrom typing import Iterable, TypeVar\n"
        "T = TypeVar('T')\n"
        "class Box(Iterable[T]):\n    def __iter__(self) -> Iterator[T]: ...\n"
        "assert Box.__parameters__ == (T,)\n",
    ),
    "nested-union-under-attribute": (
        "from typing import Optional, List\nx = List[Optional[int].__args__[0]]\n",
        "x = list[(int | None).__args__[0]]\n",
    ),
    "future-annotations-forward-reference": (
        "from __future__ import annotations\nfrom typing import Optional, get_type_hints\n"
        "class Node: pass\ndef f(a: Optional['Node'], b: Optional['list[Node]'] = None): pass\n"
        "hints = get_type_hints(f)\n",
        "from __future__ import annotations\nfrom typing import Optional, get_type_hints\n"
        "class Node: pass\ndef f(a: Node | None, b: Optional['list[Node]'] = None): pass\n"
        "hints = get_type_hints(f)\n",
    ),
}


@pytest.mark.parametrize("case", sorted(REVIEWED), ids=str)
def test_reviewed_inputs(case: str, tmp_path: Path) -> None:
    source, expected = REVIEWED[case]
    (tmp_path / ".git").mkdir()  # a repository: what else imports from module.py is known
    module = tmp_path / "module.py"
    module.write_text(source)
    before_runs = _runs(module)
    result = run_cli(["apply", "-q", "--only", "python-typing", "module.py"], tmp_path)
    assert result.exit_code == 0, result.stderr
    after = module.read_text()
    assert after == (source if expected is None else expected)
    again = run_cli(["apply", "--dry-run", "-q", "--only", "python-typing", "."], tmp_path)
    assert again.exit_code == 0
    assert _runs(module) == before_runs


ONLY_TYPING = ("--only", "python-typing", ".")


@pytest.mark.parametrize("command", ["apply", "verify"])
def test_the_compilers_warnings_about_the_code_stay_off_stderr(
    command: str, tmp_path: Path
) -> None:
    # "\d" is an invalid escape sequence: a SyntaxWarning (a DeprecationWarning before 3.12)
    # each time the file is compiled, shown even under -W always only if not held back.
    (tmp_path / "patterns.py").write_text(
        'import re\nfrom typing import List\n\nDIGITS = re.compile("\\d+")\nfound: List[str] = []\n'
    )
    (tmp_path / "untouched.py").write_text('WORD = "\\w+"\nIS_EMPTY = () is ()\n')
    result = subprocess.run(
        [sys.executable, "-I", "-W", "always", "-m", "modernize", command, *ONLY_TYPING],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode in (0, 1), result.stderr
    assert "Warning" not in result.stderr, result.stderr
    if command == "apply":
        assert "found: list[str] = []" in (tmp_path / "patterns.py").read_text()
