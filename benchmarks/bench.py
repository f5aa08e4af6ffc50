"""How fast modernize is next to the floor of the same work: ratios measured side by side.

Usage:
    python benchmarks/bench.py [BENCHMARK ...] [--repeat N] [--keep DIR]

With no benchmark named, all of them run. Each one times modernize and its floor in the same
run, interleaved (floor, tool, floor, tool, ...), and keeps the best of ``--repeat`` runs of
each, so a machine loaded by other work skews both alike. It prints every figure, the ratio and
PASS or MISS against the goal. Nothing here is a test: it only reports.

The floor of a run over a tree is ``benchmarks/baseline.py parse``: walk the tree, read every
candidate file and parse it ONCE with the parsers modernize itself uses (PyYAML's C composer,
tomllib, configparser, the Dockerfile scanner). ruamel.yaml's round-trip composer, 28x slower
than libyaml here, is printed beside it for reference only.

- startup: ``modernize --version`` and ``modernize list`` against ``python -c "import click"``.
  Goal: at most 2x.
- throughput: ``apply --dry-run`` on a generated monorepo of 700 stale services at ``-j 1``
  against the floor (goal: at most 3x: the proof needs a second parse, the rest must be nearly
  free), and ``-j 2`` against ``-j 1`` (goal: at least 1.8x faster). For reference beside it:
  how much faster two processes share the floor's parsing than one does, on this machine.
- migrated: the same tree once ``apply`` has written it, nothing left to do. Goal: 1.3x.
- noop: a generated 50,000-file tree where nothing needs changing. Goal: 1.3x the floor
  (``git ls-files`` and a read of every candidate, for reference).
- precommit: ``apply`` on two current files, named as a hook names them, against
  ``python -c "import click, yaml"``. Goal: 1.3x.
- memory: peak resident memory of ``apply --dry-run`` on a 2,800-service tree, the whole
  process tree (the tool and its workers), /proc polled every few milliseconds; the 700-service
  tree is printed beside it (flat beyond: the peak should not grow with the tree). Goal: 120 MB.
- bigfiles: one compose file of 2,000 and 4,000 services, one workflow of 20,000 and 40,000
  lines. Goal: linear, at most 2.1x the time per doubling.
- largetree (only when named: it takes some minutes): the memory's dry run on the 2,800-service
  tree and on one of 11,200 (134,401 files). Goal: flat, read as at most 1.25x the memory for
  four times the tree, and within the 120 MB.

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

from generate import (  # noqa: E402
    CURRENT_COMPOSE,
    CURRENT_DOCKERFILE,
    big_compose,
    big_workflow,
    current_monorepo,
    stale_monorepo,
)

THROUGHPUT_GOAL = 3.0
SPEEDUP_GOAL = 1.8
NOTHING_TO_DO_GOAL = 1.3
PRECOMMIT_GOAL = 1.3
MEMORY_GOAL_MB = 120.0
#: "Flat beyond 2,800 services", read as: four times the tree, at most a quarter more memory.
FLAT_GOAL = 1.25
DOUBLING_GOAL = 2.1


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


def stale_tree(work: Path, services: int = 700) -> Path:
    root = work / ("stale" if services == 700 else f"stale-{services}")
    if not root.exists():
        count = stale_monorepo(root, services)
        print(f"  generated {count} files in {root}")
    return root


def migrated_tree(work: Path) -> Path:
    """The stale tree once ``apply`` has written it."""
    root = work / "migrated"
    if not root.exists():
        shutil.copytree(stale_tree(work), root)
        written = run([*modernize_command(), "apply", "-q", str(root)])
        print(f"  migrated a copy of the stale tree: exit {written.returncode}")
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


def _floors(root: Path) -> dict[str, list[str]]:
    return {
        FLOOR: [sys.executable, str(HERE / "baseline.py"), "parse", str(root)],
        RUAMEL: [sys.executable, str(HERE / "baseline.py"), "ruamel", str(root)],
    }


FLOOR = "floor: walk, read, parse once (libyaml)"
RUAMEL = "  the same with ruamel.yaml round-trip"


def bench_throughput(repeat: int, work: Path) -> bool:
    print(f"throughput (best of {repeat})")
    root = stale_tree(work)
    tool = [*modernize_command(), "apply", "--dry-run", "-q", str(root)]
    check = run([*modernize_command(), "apply", "--dry-run", str(root)])
    print(f"  modernize: exit {check.returncode}, {_summary(check)}")
    one, two = "modernize apply --dry-run -j 1", "modernize apply --dry-run -j 2"
    commands = {**_floors(root), one: [*tool, "-j", "1"], two: [*tool, "-j", "2"]}
    seconds = best_times(commands, repeat)
    passed = report(
        {k: seconds[k] for k in (FLOOR, RUAMEL, one)}, FLOOR, THROUGHPUT_GOAL, frozenset({RUAMEL})
    )
    speedup = seconds[one] / seconds[two]
    verdict = "PASS" if speedup >= SPEEDUP_GOAL else "MISS"
    print(
        f"  {two:42s} {seconds[two] * 1000:8.0f} ms  {speedup:5.2f}x faster than -j 1 "
        f"(goal >= {SPEEDUP_GOAL}x) {verdict}"
    )
    if hasattr(os, "fork"):  # the reference forks its second process
        ceiling = two_process_ceiling(root, repeat)
        print(
            f"  {CEILING:42s} {ceiling:5.2f}x faster than one process (for reference: "
            f"-j 2 gets {speedup / ceiling:.0%} of it)"
        )
    return passed and speedup >= SPEEDUP_GOAL


CEILING = "  the floor's parsing shared by two"


def two_process_ceiling(root: Path, repeat: int) -> float:
    """What two processes gain over one on this machine for the floor's parsing of ``root``
    (``baseline.py two``), the best time of each of ``repeat`` runs: the most ``-j 2`` could
    gain on a workload of this kind, where nothing is serial and nothing crosses between the
    processes."""
    one = two = float("inf")
    for _ in range(repeat):
        times = run([sys.executable, str(HERE / "baseline.py"), "two", str(root), "8"])
        first, second = (float(value) for value in times.stdout.split())
        one, two = min(one, first), min(two, second)
    return one / two


def bench_migrated(repeat: int, work: Path) -> bool:
    print(f"migrated: nothing left to do (best of {repeat})")
    return _against_baseline(migrated_tree(work), repeat, NOTHING_TO_DO_GOAL)


def bench_noop(repeat: int, work: Path) -> bool:
    print(f"no-op scan (best of {repeat})")
    root = current_tree(work)
    # For reference: listing and reading alone, and a run with no file at all.
    empty = work / "empty"
    empty.mkdir(exist_ok=True)
    extra = {
        "  git ls-files + read": [sys.executable, str(HERE / "baseline.py"), "ls", str(root)],
        "  modernize on an empty folder": [
            *modernize_command(),
            "apply",
            "--dry-run",
            "-q",
            str(empty),
        ],
    }
    return _against_baseline(root, repeat, NOTHING_TO_DO_GOAL, extra)


def bench_precommit(repeat: int, work: Path) -> bool:
    print(f"pre-commit: two current files named (best of {repeat})")
    repo = work / "hook"
    if not repo.exists():
        repo.mkdir(parents=True)
        (repo / "Dockerfile").write_text(CURRENT_DOCKERFILE)
        (repo / "docker-compose.yml").write_text(CURRENT_COMPOSE)
        subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    floor = 'python -c "import click, yaml"'
    commands = {
        floor: [sys.executable, "-c", "import click, yaml"],
        "modernize apply Dockerfile docker-compose.yml": [
            *modernize_command(),
            "apply",
            "-q",
            str(repo / "Dockerfile"),
            str(repo / "docker-compose.yml"),
        ],
    }
    return report(best_times(commands, repeat), floor, PRECOMMIT_GOAL)


def bench_bigfiles(repeat: int, work: Path) -> bool:
    print(f"big single files (best of {repeat})")
    passed = True
    for label, make, sizes in (
        ("compose services", big_compose, (2_000, 4_000)),
        ("workflow lines", big_workflow, (20_000, 40_000)),
    ):
        commands = {}
        for size in sizes:
            folder = work / f"big-{make.__name__}-{size}"
            name = "docker-compose.yml" if make is big_compose else ".github/workflows/big.yml"
            if not folder.exists():
                (folder / name).parent.mkdir(parents=True)
                (folder / name).write_text(make(size))
            commands[f"{size:,} {label}"] = [
                *modernize_command(),
                "apply",
                "--dry-run",
                "-q",
                str(folder),
            ]
        seconds = best_times(commands, repeat)
        small, large = (seconds[f"{size:,} {label}"] for size in sizes)
        growth = large / small
        verdict = "PASS" if growth <= DOUBLING_GOAL else "MISS"
        passed &= growth <= DOUBLING_GOAL
        print(
            f"  {label:20s} {sizes[0]:>6,}: {small * 1000:7.0f} ms  {sizes[1]:>6,}: "
            f"{large * 1000:7.0f} ms  {growth:4.2f}x per doubling "
            f"(goal <= {DOUBLING_GOAL}x) {verdict}"
        )
    return passed


def _against_baseline(
    root: Path, repeat: int, goal: float, reference: dict[str, list[str]] | None = None
) -> bool:
    """``modernize apply --dry-run`` on ``root`` next to the floor on it, and the commands of
    ``reference`` for comparison."""
    tool = [*modernize_command(), "apply", "--dry-run", str(root)]
    check = run(tool)
    print(f"  modernize: exit {check.returncode}, {_summary(check)}")
    if check.returncode not in (0, 1):
        print(check.stderr.decode("utf-8", "replace")[:2000])
    commands = {**_floors(root), "modernize apply --dry-run": [*tool, "-q"], **(reference or {})}
    seconds = best_times(commands, repeat)
    return report(seconds, FLOOR, goal, frozenset({RUAMEL, *(reference or {})}))


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


def _dry_run_peaks(repeat: int, work: Path, trees: tuple[int, ...]) -> dict[int, float]:
    """The highest of ``repeat`` peaks of a dry run on each stale tree of ``trees`` services,
    summed over the process tree; each printed with its largest process."""
    peaks = {}
    for services in trees:
        root = stale_tree(work, services)
        argv = [*modernize_command(), "apply", "--dry-run", "-q", str(root)]
        # A fresh process per measurement: RUSAGE_CHILDREN covers that process's children only.
        measure = [sys.executable, str(HERE / "bench.py"), "_memory", "--", *argv]
        summed = largest = 0.0
        for _ in range(repeat):
            output = run(measure).stdout.decode().split()
            summed = max(summed, float(output[0]))
            largest = max(largest, float(output[1]))
        peaks[services] = summed
        print(
            f"  {services:,} services: process tree {summed:6.1f} MB summed RSS (polled /proc), "
            f"largest process {largest:6.1f} MB (ru_maxrss)"
        )
    return peaks


def bench_memory(repeat: int, work: Path) -> bool:
    print(f"memory (highest of {repeat})")
    peaks = _dry_run_peaks(repeat, work, (700, 2_800))
    verdict = "PASS" if peaks[2_800] <= MEMORY_GOAL_MB else "MISS"
    print(
        f"  2,800 services: goal <= {MEMORY_GOAL_MB:.0f} MB {verdict}; "
        f"4x the tree, {peaks[2_800] / peaks[700]:.2f}x the memory"
    )
    return peaks[2_800] <= MEMORY_GOAL_MB


def bench_largetree(repeat: int, work: Path) -> bool:
    """Memory flat beyond 2,800 services: the same dry run on a tree four times as large."""
    print(f"large tree (highest of {repeat})")
    peaks = _dry_run_peaks(repeat, work, (2_800, 11_200))
    ratio = peaks[11_200] / peaks[2_800]
    flat = ratio <= FLAT_GOAL and peaks[11_200] <= MEMORY_GOAL_MB
    print(
        f"  11,200 services: {ratio:.2f}x the memory of 2,800 (goal <= {FLAT_GOAL}x and "
        f"<= {MEMORY_GOAL_MB:.0f} MB) {'PASS' if flat else 'MISS'}"
    )
    return flat


BENCHMARKS: dict[str, Callable[[int, Path], bool]] = {
    "startup": bench_startup,
    "throughput": bench_throughput,
    "migrated": bench_migrated,
    "noop": bench_noop,
    "precommit": bench_precommit,
    "memory": bench_memory,
    "bigfiles": bench_bigfiles,
    "largetree": bench_largetree,
}
#: Run only when named: generating the 134,401-file tree and a dry run of it take minutes.
NAMED_ONLY = frozenset({"largetree"})


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
    chosen = args.benchmarks or [name for name in BENCHMARKS if name not in NAMED_ONLY]
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
