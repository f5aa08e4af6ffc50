"""python-typing keeps meaning: generated annotations evaluate to the same types after it.

Each generated module binds typing constructs at runtime (module level, defaults, function
annotations evaluated at definition) through every spelling the migration reads: bare names,
``typing.X``, ``t.X`` and name aliases. The rewritten module must compile, run, change nothing
on a second pass, and give every value the same type structure (origin and arguments, unions
as sets), so ``Optional[int]`` and ``int | None`` compare equal while a wrong precedence or a
lost argument does not.
"""

from __future__ import annotations

import collections.abc
import importlib.util
import types
import typing
from typing import Any

from hypothesis import given, reject, settings
from hypothesis import strategies as st

typing_migration = importlib.import_module("modernize.migrations.0110_python_typing")
from modernize.rules.python_typing.rewriting import rewrite  # noqa: E402

HEADER = (
    "import typing\n"
    "import typing as t\n"
    "from typing import Callable, Dict, FrozenSet, Iterable, List, Optional, Set, Tuple, "
    "Type, Union\n"
    "from typing import Dict as StrMap, Optional as Maybe\n"
)
LEAVES = ["int", "str", "None", "bytes", "float"]
SPELLINGS = {
    "Optional": ["Optional", "typing.Optional", "t.Optional", "Maybe"],
    "Union": ["Union", "typing.Union", "t.Union"],
    "List": ["List", "typing.List", "t.List"],
    "Dict": ["Dict", "typing.Dict", "t.Dict", "StrMap"],
    "Set": ["Set", "t.Set"],
    "FrozenSet": ["FrozenSet", "typing.FrozenSet"],
    "Tuple": ["Tuple", "t.Tuple"],
    "Type": ["Type", "typing.Type"],
    "Iterable": ["Iterable"],
    "Callable": ["Callable"],
}


def _expression(depth: int) -> st.SearchStrategy[str]:
    leaf = st.sampled_from(LEAVES)
    if depth == 0:
        return leaf
    inner = _expression(depth - 1)

    def spelled(name: str) -> st.SearchStrategy[str]:
        return st.sampled_from(SPELLINGS[name])

    space = st.sampled_from(["", " ", "\n    "])
    return st.one_of(
        leaf,
        st.builds(lambda n, x: f"{n}[{x}]", spelled("Optional"), inner),
        st.builds(
            lambda n, xs, s: f"{n}[{s}{', '.join(xs)}{s}]",
            spelled("Union"),
            st.lists(inner, min_size=2, max_size=3),
            space,
        ),
        st.builds(lambda n, x: f"{n}[{x}]", spelled("List"), inner),
        st.builds(lambda n, k, v: f"{n}[{k}, {v}]", spelled("Dict"), leaf, inner),
        st.builds(lambda n, x: f"{n}[{x}]", spelled("Set"), leaf),
        st.builds(lambda n, x: f"{n}[{x}]", spelled("FrozenSet"), leaf),
        st.builds(lambda n, x: f"{n}[{x}, ...]", spelled("Tuple"), inner),
        st.builds(lambda n, x: f"{n}[{x}]", spelled("Type"), st.sampled_from(["int", "str"])),
        st.builds(lambda n, x: f"{n}[{x}]", spelled("Iterable"), inner),
        st.builds(lambda n, a, r: f"{n}[[{a}], {r}]", spelled("Callable"), inner, inner),
        st.builds(lambda x: f"({x})", inner),
    )


@st.composite
def modules(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A module binding each generated expression in a place that evaluates it."""
    lines = [HEADER]
    names = []
    for index in range(draw(st.integers(1, 4))):
        expression = draw(_expression(3))
        place = draw(st.sampled_from(["assign", "annotation", "attribute"]))
        name = f"value{index}"
        names.append(name)
        if place == "assign":
            lines.append(f"{name} = {expression}\n")
        elif place == "annotation":
            lines.append(f"def _f{index}(x: {expression}) -> {expression}: ...\n")
            lines.append(f"{name} = _f{index}.__annotations__['x']\n")
        elif expression.endswith("]"):  # under an attribute: a union needs its parentheses
            lines.append(f"{name} = {expression}.__args__\n")
            names[-1] = f"args:{name}"
        else:
            lines.append(f"{name} = {expression}\n")
    return "".join(lines), names


def _shape(value: Any) -> Any:
    """The structure of a type: origin and arguments; a union as a set of its members."""
    if value is None:  # typing turns None into NoneType, the built-in generics keep it
        return type(None)
    if isinstance(value, (list, tuple)):
        return tuple(_shape(item) for item in value)
    origin = typing.get_origin(value)
    arguments = typing.get_args(value)
    if origin is typing.Union or origin is types.UnionType:
        members = frozenset(_shape(argument) for argument in arguments)
        # typing deduplicates list[None] with list[NoneType]; the built-in generics do not.
        return next(iter(members)) if len(members) == 1 else ("union", members)
    if origin is None:
        return value
    if origin is collections.abc.Callable and arguments and isinstance(arguments[0], list):
        return ("callable", _shape(arguments[0]), _shape(arguments[1]))
    return (origin, _shape(arguments))


def _values(source: str, names: list[str]) -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    exec(compile(source, "<generated>", "exec", dont_inherit=True), namespace)
    values = {}
    for name in names:
        if name.startswith("args:"):
            # A set: typing caches unions (their order depends on history), and deduplicates
            # list[NoneType] with itself where list[None] and list[NoneType] stay two members.
            values[name] = frozenset(_shape(argument) for argument in namespace[name[5:]])
        else:
            values[name] = _shape(namespace[name])
    return values


@settings(deadline=None)
@given(modules())
def test_rewritten_annotations_mean_the_same_types(case: tuple[str, list[str]]) -> None:
    source, names = case
    if "[None]" in source:
        # list[None] and list[NoneType] are two objects at runtime where typing makes one, so a
        # union of them keeps two members after the rewrite: equal types, unequal objects.
        reject()
    try:
        before = _values(source, names)
    except (AttributeError, TypeError):  # Optional[None] is NoneType, which has no __args__
        reject()
    rewritten = rewrite(source)
    if rewritten is None:  # nothing to do is a valid answer only when nothing is old
        assert not typing_migration._may_hold_candidates(source.replace(HEADER, ""))
        return
    assert rewrite(rewritten) is None, "a second run changed it again"
    assert _values(rewritten, names) == before
