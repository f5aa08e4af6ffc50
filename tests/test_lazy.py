"""``modernize.lazy.lazy_pattern`` against ``re.compile``: the same results, compiled at the
first use only, and every module-level pattern of the package made with it."""

from __future__ import annotations

import ast
import copy
import pickle
import re
import sys
from pathlib import Path

import pytest

from modernize import lazy
from modernize.lazy import lazy_pattern

SOURCE = r"(?P<name>[a-z]+):(?P<tag>[0-9.]+)"
TEXT = "FROM python:3.10 AS base\nFROM postgres:14\n"
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("method", "args"),
    [
        ("search", (TEXT,)),
        ("match", (TEXT,)),
        ("match", ("python:3.10",)),
        ("fullmatch", ("postgres:14",)),
        ("findall", (TEXT,)),
        ("split", (TEXT,)),
        ("sub", (r"\g<name>=\g<tag>", TEXT)),
        ("subn", ("-", TEXT)),
        ("search", (TEXT, 6, 20)),
    ],
)
def test_results_are_those_of_the_compiled_pattern(method: str, args: tuple[object, ...]) -> None:
    lazily, compiled = lazy_pattern(SOURCE, re.I), re.compile(SOURCE, re.I)

    def shown(result: object) -> object:
        if isinstance(result, re.Match):
            return (result.span(), result.groupdict())
        return result

    assert shown(getattr(lazily, method)(*args)) == shown(getattr(compiled, method)(*args))
    # A second call goes to the compiled pattern's own method.
    assert shown(getattr(lazily, method)(*args)) == shown(getattr(compiled, method)(*args))


def test_finditer_and_attributes() -> None:
    lazily, compiled = lazy_pattern(SOURCE), re.compile(SOURCE)
    assert [m.span() for m in lazily.finditer(TEXT)] == [m.span() for m in compiled.finditer(TEXT)]
    assert lazily.groupindex == compiled.groupindex
    assert lazily.groups == 2
    assert lazily.flags == compiled.flags


def test_compiled_at_first_use_only(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, int]] = []
    real = re.compile

    def counting(source: str, flags: int = 0) -> re.Pattern[str]:
        calls.append((source, flags))
        return real(source, flags)

    monkeypatch.setattr(lazy.re, "compile", counting)
    pattern = lazy_pattern("a+b", re.M)
    assert calls == []
    assert pattern.pattern == "a+b"  # known without compiling
    assert calls == []
    assert pattern.search("xaab") is not None
    assert pattern.match("aab") is not None
    assert pattern.sub("-", "aab ab") == "- -"
    assert calls == [("a+b", re.M)]


def test_an_invalid_pattern_fails_at_its_first_use() -> None:
    pattern = lazy_pattern("(unclosed")
    with pytest.raises(re.error):
        pattern.search("text")


def test_pickles_and_copies_as_the_compiled_pattern() -> None:
    pattern = lazy_pattern(SOURCE, re.M)
    restored = pickle.loads(pickle.dumps(pattern))
    assert restored == re.compile(SOURCE, re.M)
    assert copy.deepcopy(pattern).search(TEXT) is not None


def _module_level_compiles(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in tree.body:
        value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
        if (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and value.func.attr == "compile"
            and isinstance(value.func.value, ast.Name)
            and value.func.value.id == "re"
        ):
            found.append(node.lineno)
    return found


def test_no_module_compiles_its_patterns_at_import() -> None:
    """A module's patterns are compiled when used (a pre-commit hook uses a few of them)."""
    files = sorted((ROOT / "src" / "modernize").rglob("*.py"))
    files += sorted((ROOT / "migrations").glob("*.py"))
    assert len(files) > 100
    eager = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in files
        for line in _module_level_compiles(path)
    ]
    assert eager == []


def _module_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> Path:
    """A module ``name`` that counts its executions in the file ``runs``."""
    runs = tmp_path / "runs"
    runs.write_text("")
    (tmp_path / f"{name}.py").write_text(
        f"with open({str(runs)!r}, 'a') as out:\n    out.write('x')\nVALUE = 42\ndef twice(n):\n"
        "    return 2 * n\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)
    return runs


def test_a_deferred_module_runs_at_its_first_attribute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = _module_on_path(tmp_path, monkeypatch, "deferred_probe")
    lazy.deferred_module("deferred_probe")
    import deferred_probe  # type: ignore[import-not-found]

    assert runs.read_text() == ""  # imported, not executed
    assert deferred_probe.VALUE == 42
    from deferred_probe import twice

    assert twice(4) == 8
    assert runs.read_text() == "x"  # once
    assert sys.modules["deferred_probe"] is deferred_probe
    assert "__getattr__" not in vars(deferred_probe)
    with pytest.raises(AttributeError):
        _ = deferred_probe.missing


def test_a_deferred_module_missing_a_name_raises_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = _module_on_path(tmp_path, monkeypatch, "deferred_probe_two")
    lazy.deferred_module("deferred_probe_two")
    import deferred_probe_two  # type: ignore[import-not-found]

    with pytest.raises(AttributeError):
        _ = deferred_probe_two.missing
    assert runs.read_text() == "x"
    assert deferred_probe_two.VALUE == 42


def test_deferring_an_imported_or_unknown_module_does_nothing() -> None:
    before = sys.modules["re"]
    lazy.deferred_module("re")
    assert sys.modules["re"] is before
    lazy.deferred_module("no_such_module_anywhere")
    assert "no_such_module_anywhere" not in sys.modules


def test_a_deferred_module_is_executed_once_by_threads_that_race_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    runs = _module_on_path(tmp_path, monkeypatch, "deferred_probe_three")
    (tmp_path / "deferred_probe_three.py").write_text(
        f"import time\nwith open({str(runs)!r}, 'a') as out:\n    out.write('x')\n"
        "time.sleep(0.2)\nVALUE = 42\n"
    )
    lazy.deferred_module("deferred_probe_three")
    import deferred_probe_three  # type: ignore[import-not-found]

    seen: list[int] = []
    threads = [
        threading.Thread(target=lambda: seen.append(deferred_probe_three.VALUE)) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [42] * 4
    assert runs.read_text() == "x"
