"""How fast modernize is next to doing nothing but the I/O: ratios measured side by side.

Usage:
    python benchmarks/bench.py [startup|throughput|noop|memory ...] [--repeat N] [--keep DIR]

With no benchmark named, all four run. Each one times modernize and its baseline in the same
run, interleaved (baseline, tool, baseline, tool, ...), and keeps the best of ``--repeat``
runs of each, so a machine loaded by other work skews both alike. It prints every figure, the
ratio and PASS or MISS against the goal. Nothing here is a test: it only reports.

- startup: ``modernize --version`` and ``modernize list`` against ``python -c "import click"``.
  Goal: at most 2x.
- throughput: ``modernize apply --dry-run`` on a generated monorepo of 700 stale services
  (a multi-stage Dockerfile, a compose file with a data volume and anchors, and a workflow each,
  plus plain source files) against ``benchmarks/baseline.py parse``, which reads every candidate
  file and parses it once (ruamel.yaml round-trip compose for YAML). Goal: at most 1.0x.
- noop: ``modernize apply --dry-run`` on a generated 50,000-file tree where nothing needs
  changing against ``benchmarks/baseline.py ls`` (``git ls-files``, then read every candidate
  file). Goal: at most 1.5x.
- memory: peak resident memory of ``modernize apply --dry-run`` on the throughput tree, the
  whole process tree (the tool and its worker processes): /proc is polled every few
  milliseconds and the RSS of the process and all its descendants summed. Goal: at most 150 MB.

The package and the migrations are compiled to bytecode first, as a wheel install would have
them (an editable checkout under PYTHONDONTWRITEBYTECODE never gets any).
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import current_monorepo, stale_monorepo  # noqa: E402

GOALS = {"startup": 2.0, "throughput": 1.0, "noop": 1.5}
MEMORY_GOAL_MB = 150.0


def compile_bytecode() -> None:
    import modernize

    package = Path(modernize.__file__).parent
    for directory in (package, package / "migrations", package.parents[1] / "migrations"):
        if directory.is_dir():
            compileall.compile_dir(directory, quiet=1)


def modernize_command() -> list[str]:
    script = Path(sys.executable).parent / "modernize"
    return [str(script)] if script.exists() else [sys.executable, "-m", "modernize"]


def run(argv: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(argv, cwd=cwd, capture_output=True, check=False)


def best_times(commands: dict[str, list[str]], repeat: int) -> dict[str, float]:
    """The best wall time of each command, the commands run in turn ``repeat`` times."""
    best = dict.fromkeys(commands, float("inf"))
    for _ in range(repeat):
        for name, argv in commands.items():
            started = time.perf_counter()
            run(argv)
            best[name] = min(best[name], time.perf_counter() - started)
    return best


def report(
    seconds: dict[str, float], baseline: str, goal: float, reference: frozenset[str] = frozenset()
) -> bool:
    """Print each time and its ratio to the baseline; labels in ``reference`` are shown for
    comparison and not held to the goal."""
    floor = seconds[baseline]
    print(f"  {baseline:42s} {floor * 1000:8.0f} ms")
    passed = True
    for label, value in seconds.items():
        if label == baseline:
            continue
        ratio = value / floor
        if label in reference:
            print(f"  {label:42s} {value * 1000:8.0f} ms  {ratio:5.2f}x  (for reference)")
            continue
        verdict = "PASS" if ratio <= goal else "MISS"
        passed &= ratio <= goal
        print(f"  {label:42s} {value * 1000:8.0f} ms  {ratio:5.2f}x  (goal <= {goal}x) {verdict}")
    return passed


def bench_startup(repeat: int, _work: Path) -> bool:
    tool = modernize_command()
    commands = {
        'python -c "import click"': [sys.executable, "-c", "import click"],
        "modernize --version": [*tool, "--version"],
        "modernize list": [*tool, "list"],
    }
    print(f"startup (best of {repeat})")
    return report(best_times(commands, repeat), 'python -c "import click"', 2.0)


def _summary(result: subprocess.CompletedProcess[bytes]) -> str:
    lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else f"(no output, exit {result.returncode})"


def stale_tree(work: Path) -> Path:
    root = work / "stale"
    if not root.exists():
        count = stale_monorepo(root)
        print(f"  generated {count} files in {root}")
    return root


def current_tree(work: Path) -> Path:
    root = work / "current"
    if not (root / ".git").exists():
        shutil.rmtree(root, ignore_errors=True)
        count = current_monorepo(root)
        subprocess.run(["git", "init", "-q"], cwd=root, check=True)
        subprocess.run(["git", "add", "-A"], cwd=root, check=True)
        print(f"  generated {count} files in {root} (git index built)")
    return root


def bench_throughput(repeat: int, work: Path) -> bool:
    print(f"throughput (best of {repeat})")
    return _against_baseline(stale_tree(work), repeat, "parse", "read + parse once", 1.0)


def bench_noop(repeat: int, work: Path) -> bool:
    print(f"no-op scan (best of {repeat})")
    # For reference, the cost of a run with no file at all: interpreter, imports, migrations.
    empty = work / "empty"
    empty.mkdir(exist_ok=True)
    return _against_baseline(
        current_tree(work), repeat, "ls", "git ls-files + read", 1.5, {"empty folder": empty}
    )


def _against_baseline(
    root: Path,
    repeat: int,
    mode: str,
    what: str,
    goal: float,
    reference: dict[str, Path] | None = None,
) -> bool:
    """``modernize apply --dry-run`` on ``root`` next to ``baseline.py MODE root``, and on
    each folder of ``reference`` for comparison."""
    tool = [*modernize_command(), "apply", "--dry-run", str(root)]
    check = run(tool)
    print(f"  modernize: exit {check.returncode}, {_summary(check)}")
    if check.returncode not in (0, 1):
        print(check.stderr.decode("utf-8", "replace")[:2000])
    baseline = f"baseline.py {mode} ({what})"
    commands = {
        baseline: [sys.executable, str(HERE / "baseline.py"), mode, str(root)],
        "modernize apply --dry-run": [*tool, "-q"],
    }
    extra = {
        f"  the same on an {name}": [*modernize_command(), "apply", "--dry-run", "-q", str(path)]
        for name, path in (reference or {}).items()
    }
    seconds = best_times({**commands, **extra}, repeat)
    return report(seconds, baseline, goal, frozenset(extra))


def _tree_rss(root_pid: int) -> int:
    """The resident bytes of ``root_pid`` and every process below it."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        rss[pid] = int(fields[21]) * page
    total = 0
    for pid in rss:
        ancestor = pid
        while ancestor not in (0, 1, root_pid):
            ancestor = parents.get(ancestor, 0)
        if ancestor == root_pid:
            total += rss[pid]
    return total


def peak_memory(argv: list[str]) -> tuple[float, float]:
    """(peak summed RSS of the process tree, largest single process's maxrss), in MB."""
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(0.003)
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return peak / 2**20, largest


def bench_memory(repeat: int, work: Path) -> bool:
    print(f"memory (highest of {repeat})")
    root = stale_tree(work)
    argv = [*modernize_command(), "apply", "--dry-run", "-q", str(root)]
    # A fresh process per measurement: RUSAGE_CHILDREN covers that process's children only.
    measure = [sys.executable, str(HERE / "bench.py"), "_memory", "--", *argv]
    summed = largest = 0.0
    for _ in range(repeat):
        output = run(measure).stdout.decode().split()
        summed = max(summed, float(output[0]))
        largest = max(largest, float(output[1]))
    verdict = "PASS" if summed <= MEMORY_GOAL_MB else "MISS"
    print(f"  largest single process (ru_maxrss)        {largest:8.1f} MB")
    print(
        f"  process tree, summed RSS (polled /proc)   {summed:8.1f} MB  "
        f"(goal <= {MEMORY_GOAL_MB:.0f} MB) {verdict}"
    )
    return summed <= MEMORY_GOAL_MB


BENCHMARKS: dict[str, Callable[[int, Path], bool]] = {
    "startup": bench_startup,
    "throughput": bench_throughput,
    "noop": bench_noop,
    "memory": bench_memory,
}


def main() -> None:
    if sys.argv[1:2] == ["_memory"]:
        summed, largest = peak_memory(sys.argv[3:])
        print(f"{summed:.1f} {largest:.1f}")
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("benchmarks", nargs="*", metavar="|".join(BENCHMARKS))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="generate the trees here and keep them")
    args = parser.parse_args()
    compile_bytecode()
    print(
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
        f"{time.strftime('%Y-%m-%d')}"
    )
    chosen = args.benchmarks or list(BENCHMARKS)
    unknown = sorted(set(chosen) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark {unknown[0]!r}")
    with tempfile.TemporaryDirectory() as scratch:
        work = args.keep or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        results = {name: BENCHMARKS[name](args.repeat, work) for name in chosen}
    print("summary: " + ", ".join(f"{n} {'PASS' if ok else 'MISS'}" for n, ok in results.items()))


if __name__ == "__main__":
    main()
