"""python-typing keeps what other modules import: generated packages whose modules take
typing names from one another.

Each generated package has modules that import typing names, use them (so that the rewrite
has work to do), and may list some in ``__all__`` or import them as themselves; later modules
take names from earlier ones by relative and absolute imports, star imports and module
attributes, from a flat or a ``src/`` layout. After apply, every name imported from a module
of the package is still bound there, the package still imports, and a second run changes
nothing.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import run_cli, snapshot

NAMES = ("Dict", "FrozenSet", "List", "Optional", "Set", "Tuple", "Type", "Union")
USES = {
    "Dict": "Dict[str, int]",
    "FrozenSet": "FrozenSet[int]",
    "List": "List[int]",
    "Optional": "Optional[int]",
    "Set": "Set[str]",
    "Tuple": "Tuple[int, ...]",
    "Type": "Type[int]",
    "Union": "Union[int, str]",
}
WAYS = ("relative", "absolute", "star", "attribute", "submodule")


@dataclass(frozen=True)
class Module:
    imported: tuple[str, ...]  # typing names it imports
    used: tuple[str, ...]  # those it also uses in annotations
    listed: tuple[str, ...]  # those its __all__ lists
    as_themselves: tuple[str, ...]  # those it imports as ``X as X``
    takes: tuple[tuple[int, str, str], ...]  # (earlier module, way, name) it imports


@st.composite
def packages(draw: st.DrawFn) -> tuple[bool, list[Module]]:
    count = draw(st.integers(min_value=2, max_value=4))
    modules: list[Module] = []
    for index in range(count):
        imported = tuple(sorted(draw(st.sets(st.sampled_from(NAMES), min_size=1, max_size=4))))
        subset = st.sets(st.sampled_from(imported))
        used = tuple(sorted(draw(subset) | {imported[0]}))
        listed = tuple(sorted(draw(subset)))
        as_themselves = tuple(sorted(draw(subset) - set(listed)))
        takes: list[tuple[int, str, str]] = []
        for earlier in range(index):
            for _ in range(draw(st.integers(min_value=0, max_value=2))):
                way = draw(st.sampled_from(WAYS))
                name = draw(st.sampled_from(modules[earlier].imported))
                takes.append((earlier, way, name))
        modules.append(Module(imported, used, listed, as_themselves, tuple(takes)))
    return draw(st.booleans()), modules


def _source(index: int, module: Module) -> str:
    lines = []
    plain = [name for name in module.imported if name not in module.as_themselves]
    if plain:
        lines.append(f"from typing import {', '.join(plain)}")
    lines += [f"from typing import {name} as {name}" for name in module.as_themselves]
    taken: dict[str, int] = {}
    for earlier, way, name in module.takes:
        local = f"{name}_{earlier}_{len(taken)}"
        taken[local] = earlier
        if way == "relative":
            lines.append(f"from .m{earlier} import {name} as {local}")
        elif way == "absolute":
            lines.append(f"from pkg.m{earlier} import {name} as {local}")
        elif way == "star":
            lines.append(f"from .m{earlier} import *")
        elif way == "attribute":
            lines += [f"import pkg.m{earlier}", f"{local} = pkg.m{earlier}.{name}"]
        else:
            lines += [f"from . import m{earlier}", f"{local} = m{earlier}.{name}"]
    if module.listed:
        lines.append(f"__all__ = {list(module.listed)!r}")
    for name in module.used:
        lines.append(f"value_{name.lower()}_{index}: {USES[name]} = None  # type: ignore")
    return "\n".join(lines) + "\n"


def _bound(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names if a.name != "*")
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def _taken(tree: ast.Module) -> list[tuple[int, str]]:
    """(module index, name) for every name this module takes from another of the package."""
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.lstrip(".") != "":
            module = node.module.split(".")[-1]
            if module.startswith("m") and module[1:].isdigit():
                out += [(int(module[1:]), a.name) for a in node.names]
        elif isinstance(node, ast.Attribute) and node.attr[:1].isupper():
            value = node.value
            if isinstance(value, ast.Attribute):
                value = ast.Name(id=value.attr)
            if isinstance(value, ast.Name) and value.id.startswith("m") and value.id[1:].isdigit():
                out.append((int(value.id[1:]), node.attr))
    return out


def _imports_cleanly(top: Path, count: int) -> bool:
    statement = "; ".join(f"import pkg.m{index}" for index in range(count))
    result = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(top)!r}); {statement}"],
        capture_output=True,
        check=False,
        timeout=60,
    )
    return result.returncode == 0


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(packages())
def test_every_imported_name_is_still_bound(package: tuple[bool, list[Module]]) -> None:
    src_layout, modules = package
    with tempfile.TemporaryDirectory() as folder:
        repo = Path(folder)
        top = repo / "src" if src_layout else repo
        (top / "pkg").mkdir(parents=True)
        (top / "pkg" / "__init__.py").write_text("")
        for index, module in enumerate(modules):
            (top / "pkg" / f"m{index}.py").write_text(_source(index, module))
        assert _imports_cleanly(top, len(modules))
        before = {
            index: _bound(ast.parse((top / "pkg" / f"m{index}.py").read_text()))
            for index in range(len(modules))
        }
        result = run_cli(["apply", "-q", "--only", "python-typing", "."], repo)
        assert result.exit_code == 0, result.stderr
        after = {
            index: ast.parse((top / "pkg" / f"m{index}.py").read_text())
            for index in range(len(modules))
        }
        for index, tree in after.items():
            for earlier, name in _taken(tree):
                if name == "*":
                    assert before[earlier] <= _bound(after[earlier]), f"m{earlier} lost names"
                else:
                    assert name in _bound(after[earlier]), f"m{index} takes {name} from m{earlier}"
        assert _imports_cleanly(top, len(modules))
        rewritten = snapshot(repo)
        again = run_cli(["apply", "--dry-run", "-q", "--only", "python-typing", "."], repo)
        assert again.exit_code == 0, again.stdout + again.stderr
        assert snapshot(repo) == rewritten
