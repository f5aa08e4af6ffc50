"""Time the opt-in ``python-typing`` migration against pyupgrade and ruff, side by side.

Usage: python benchmarks/typing_benchmark.py [--package click] [--repeat 3]

Each tool runs on its own fresh copy of an installed package's source, in the same run, and the
script prints the best wall time of each and the ratios. Needs pyupgrade and ruff installed
(``pip install pyupgrade ruff``). Nothing here is a test: it only reports.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def source_of(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise SystemExit(f"package {package!r} is not installed")
    return Path(spec.origin).parent


def timed(command: list[str], source: Path, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as scratch:
            copy = Path(scratch) / source.name
            shutil.copytree(source, copy)
            files = [str(path) for path in copy.rglob("*.py")]
            argv = [part if part != "{files}" else "" for part in command]
            if "{files}" in command:
                argv = [part for part in command if part != "{files}"] + files
            else:
                argv = [part.replace("{dir}", str(copy)) for part in command]
            started = time.perf_counter()
            subprocess.run(argv, capture_output=True, check=False)
            best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", default="click")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    source = source_of(args.package)
    # A wheel install compiles bytecode; an editable checkout may not have it yet.
    import modernize

    for directory in (
        Path(modernize.__file__).parent,
        Path(modernize.__file__).parents[2] / "migrations",
    ):
        if directory.is_dir():
            compileall.compile_dir(directory, quiet=1)
    count = len(list(source.rglob("*.py")))
    bin_dir = Path(sys.executable).parent
    tools = {
        "modernize python-typing": [
            sys.executable,
            "-m",
            "modernize",
            "apply",
            "-q",
            "--only",
            "python-typing",
            "{dir}",
        ],
        "pyupgrade --py312-plus": [str(bin_dir / "pyupgrade"), "--py312-plus", "{files}"],
        "ruff --select UP --fix": [
            str(bin_dir / "ruff"),
            "check",
            "--select",
            "UP",
            "--fix",
            "--no-cache",
            "--target-version",
            "py312",
            "--exit-zero",
            "--isolated",
            "{dir}",
        ],
    }
    print(f"{args.package}: {count} files from {source}, best of {args.repeat}")
    times = {name: timed(command, source, args.repeat) for name, command in tools.items()}
    for name, seconds in times.items():
        print(f"  {name:28s} {seconds:7.3f} s")
    ours = times["modernize python-typing"]
    print(f"  ratio modernize / pyupgrade: {ours / times['pyupgrade --py312-plus']:.2f}")
    print(f"  ratio modernize / ruff UP:   {ours / times['ruff --select UP --fix']:.2f}")


if __name__ == "__main__":
    main()
