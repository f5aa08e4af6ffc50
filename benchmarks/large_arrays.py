"""Time pyproject-python on a pyproject.toml with a very long classifier array.

Usage: python benchmarks/large_arrays.py [--sizes 2000,20000,100000]

For each size the script writes a pyproject.toml whose classifiers name Python 3.8 to 3.12
over and over, times ``modernize apply --dry-run --only pyproject-python`` on it, and, in the
same run, the floor: ``tomllib`` reading the same file once. It prints both, their ratio and,
from one size to the next, how much the time grew against how much the input grew; a linear
migration grows about as much as its input. Nothing here is a test: it only reports.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]


def pyproject(size: int) -> str:
    minors = ["8", "9", "10", "11", "12"]
    lines = [
        "[project]",
        'name = "wide"',
        'requires-python = ">=3.8"',
        "classifiers = [",
    ]
    for number in range(size):
        lines.append(f'    "Programming Language :: Python :: 3.{minors[number % len(minors)]}",')
    lines.append("]")
    return "\n".join(lines) + "\n"


def best_of(repeat: int, action) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,20000,100000")
    parser.add_argument("--repeat", type=int, default=2)
    options = parser.parse_args()
    previous: tuple[int, float] | None = None
    print(f"{'classifiers':>12} {'floor s':>9} {'modernize s':>12} {'ratio':>7} {'growth':>14}")
    for size in (int(part) for part in options.sizes.split(",")):
        with tempfile.TemporaryDirectory() as scratch:
            root = Path(scratch)
            (root / ".git").mkdir()
            path = root / "pyproject.toml"
            path.write_text(pyproject(size))
            floor = best_of(options.repeat, lambda path=path: tomllib.loads(path.read_text()))
            command = [sys.executable, "-m", "modernize", "apply", "--dry-run"]
            command += ["--only", "pyproject-python", str(root)]

            def run(command: list[str] = command, root: Path = root) -> None:
                subprocess.run(command, capture_output=True, check=False, cwd=root)

            seconds = best_of(options.repeat, run)
        growth = ""
        if previous is not None:
            growth = f"x{seconds / previous[1]:.1f} for x{size / previous[0]:.0f}"
        print(f"{size:>12} {floor:>9.3f} {seconds:>12.3f} {seconds / floor:>7.1f} {growth:>14}")
        previous = (size, seconds)


if __name__ == "__main__":
    main()
