"""python-typing never breaks a module: what ran before the rewrite runs after it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

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
