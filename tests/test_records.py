"""``modernize.records.record`` against ``dataclasses.dataclass``: the same class declared both
ways makes objects that construct, compare, hash, print, copy, pickle and refuse assignment
alike; what ``record`` does not take is refused when the class is made."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
from dataclasses import field
from typing import Any, ClassVar

import pytest

from modernize.records import record

# Module level, so that pickle finds them by name.


@record(frozen=True)
class FrozenR:
    """A frozen record with a default and a factory."""

    name: str
    count: int = 0
    tags: tuple[str, ...] = field(default_factory=tuple)
    LIMIT: ClassVar[int] = 3


@dataclasses.dataclass(frozen=True)
class FrozenD:
    """The same as a dataclass."""

    name: str
    count: int = 0
    tags: tuple[str, ...] = field(default_factory=tuple)
    LIMIT: ClassVar[int] = 3


@record
class MutableR:
    """A mutable record: a factory gives each object its own list."""

    items: list[int] = field(default_factory=list)


@dataclasses.dataclass
class MutableD:
    """The same as a dataclass."""

    items: list[int] = field(default_factory=list)


@record(frozen=True, slots=True)
class SlottedR:
    """One field, frozen and slotted."""

    value: object


@dataclasses.dataclass(frozen=True, slots=True)
class SlottedD:
    """The same as a dataclass."""

    value: object


@record(slots=True)
class MutableSlottedR:
    """Mutable and slotted."""

    a: int
    b: str = "x"


@dataclasses.dataclass(slots=True)
class MutableSlottedD:
    """The same as a dataclass."""

    a: int
    b: str = "x"


@record(frozen=True)
class EmptyR:
    """No field at all."""


@dataclasses.dataclass(frozen=True)
class EmptyD:
    """The same as a dataclass."""


@record(frozen=True)
class BaseR:
    """A record a record subclasses."""

    first: int
    second: str = "two"


@record(frozen=True)
class ChildR(BaseR):
    """Its fields come after its base's."""

    third: float = 3.0


@dataclasses.dataclass(frozen=True)
class BaseD:
    """The same as a dataclass."""

    first: int
    second: str = "two"


@dataclasses.dataclass(frozen=True)
class ChildD(BaseD):
    """The same as a dataclass."""

    third: float = 3.0


@record(frozen=True)
class CheckedR:
    """A record with a ``__post_init__``."""

    low: int
    high: int

    def __post_init__(self) -> None:
        if self.low > self.high:
            raise ValueError("low above high")


@record(frozen=True)
class CacheR:
    """A field left out of comparison, hash and repr (a cache of the others)."""

    key: str
    cache: list[int] = field(default_factory=list, compare=False, repr=False)


@dataclasses.dataclass(frozen=True)
class CacheD:
    """The same as a dataclass."""

    key: str
    cache: list[int] = field(default_factory=list, compare=False, repr=False)


@record(frozen=True)
class PlainR:
    a: int
    b: str = "x"


@dataclasses.dataclass(frozen=True)
class PlainD:
    a: int
    b: str = "x"


# (record class, dataclass, positional arguments of several objects: equal and unequal ones)
PAIRS: list[tuple[type, type, list[tuple[Any, ...]]]] = [
    (FrozenR, FrozenD, [("a",), ("a", 0), ("a", 1), ("b", 0, ("x",)), ("a", 0, ())]),
    (MutableR, MutableD, [(), ([1],), ([1, 2],)]),
    (SlottedR, SlottedD, [(1,), (1.0,), ("1",), (None,), (float("nan"),)]),
    (MutableSlottedR, MutableSlottedD, [(1,), (1, "x"), (2, "y")]),
    (EmptyR, EmptyD, [()]),
    (ChildR, ChildD, [(1,), (1, "two", 3.0), (1, "two", 4.0), (2, "one")]),
    (CacheR, CacheD, [("a",), ("a", [1]), ("b", [1])]),
    (PlainR, PlainD, [(1,), (1, "y")]),
]
IDS = [pair[0].__name__ for pair in PAIRS]
PAIRS_OF_CLASSES = [(made, twin) for made, twin, _ in PAIRS]


def _as_dataclass_repr(text: str, made: type, twin: type) -> str:
    return text.replace(made.__qualname__ + "(", twin.__qualname__ + "(")


@pytest.mark.parametrize(("made", "twin", "arguments"), PAIRS, ids=IDS)
def test_a_record_behaves_as_the_same_dataclass(
    made: type, twin: type, arguments: list[tuple[Any, ...]]
) -> None:
    ours = [made(*each) for each in arguments]
    theirs = [twin(*each) for each in arguments]
    assert dataclasses.is_dataclass(made)
    assert [f.name for f in dataclasses.fields(made)] == [f.name for f in dataclasses.fields(twin)]
    assert made.__match_args__ == twin.__match_args__
    if twin.__doc__.startswith(twin.__name__ + "("):  # made from the signature: it had none
        assert made.__doc__ == made.__name__ + twin.__doc__[len(twin.__name__) :]
    for one, their_one in zip(ours, theirs, strict=True):
        assert _as_dataclass_repr(repr(one), made, twin) == repr(their_one)
        assert dataclasses.asdict(one) == dataclasses.asdict(their_one)
        assert dataclasses.astuple(one) == dataclasses.astuple(their_one)
        for other, their_other in zip(ours, theirs, strict=True):
            assert (one == other) == (their_one == their_other)
            assert (one != other) == (their_one != their_other)
        assert one != their_one  # another class: never equal, as between two dataclasses
        assert (one == object()) is False
    hashable = getattr(twin, "__hash__", None) is not None
    assert (getattr(made, "__hash__", None) is not None) == hashable
    if hashable:
        for one, their_one in zip(ours, theirs, strict=True):
            assert hash(one) == hash(their_one)  # both hash the tuple of the fields


@pytest.mark.parametrize(("made", "twin", "arguments"), PAIRS, ids=IDS)
def test_a_record_copies_pickles_and_replaces_as_a_dataclass(
    made: type, twin: type, arguments: list[tuple[Any, ...]]
) -> None:
    for each in arguments:
        one = made(*each)
        for again in (copy.copy(one), copy.deepcopy(one), pickle.loads(pickle.dumps(one))):
            assert type(again) is made
            assert repr(again) == repr(one)  # ``nan`` is not equal to itself
        names = [f.name for f in dataclasses.fields(made)]
        if names:
            changed = dataclasses.replace(one, **{names[0]: each[0] if each else []})
            assert type(changed) is made
            assert dataclasses.astuple(changed) == dataclasses.astuple(
                dataclasses.replace(twin(*each), **{names[0]: each[0] if each else []})
            )


@pytest.mark.parametrize(("made", "twin"), [(FrozenR, FrozenD), (SlottedR, SlottedD)])
def test_a_frozen_record_refuses_assignment_as_a_dataclass(made: type, twin: type) -> None:
    name = dataclasses.fields(made)[0].name
    ours, theirs = made("v"), twin("v")
    for target in (ours, theirs):
        with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field"):
            setattr(target, name, "w")
        with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field"):
            delattr(target, name)
    assert getattr(ours, name) == "v"


def test_a_dataclass_may_subclass_a_record_as_it_subclasses_a_dataclass() -> None:
    for made, twin in PAIRS_OF_CLASSES:
        assert repr(made.__dataclass_params__) == repr(twin.__dataclass_params__)
    for base in (FrozenR, FrozenD):

        @dataclasses.dataclass(frozen=True)
        class Wider(base):  # type: ignore[valid-type,misc]
            """One more field, frozen as its base."""

            extra: int = 1

        assert Wider("a", extra=2) == Wider("a", 0, (), 2) != Wider("a")
        with pytest.raises(dataclasses.FrozenInstanceError):
            Wider("a").extra = 3  # type: ignore[misc]
        with pytest.raises(TypeError, match="cannot inherit non-frozen dataclass from a frozen"):

            @dataclasses.dataclass
            class Thawed(base):  # type: ignore[valid-type,misc]
                """Not frozen, over a frozen base: refused, for either base."""

                extra: int = 1


def test_a_record_takes_keywords_defaults_and_factories_as_a_dataclass() -> None:
    assert FrozenR(count=2, name="n") == FrozenR("n", 2, ())
    assert FrozenR("n").tags == () and FrozenR.LIMIT == 3
    first, second = MutableR(), MutableR()
    first.items.append(1)
    assert second.items == []  # a factory's value is made once per object
    assert MutableR() == MutableR([])
    mutable = MutableSlottedR(1)
    mutable.b = "changed"
    assert mutable == MutableSlottedR(1, "changed")
    assert not hasattr(mutable, "__dict__") and not hasattr(SlottedR(1), "__dict__")
    assert ChildR(1, third=9.0) == ChildR(1, "two", 9.0)
    for call in (lambda: FrozenR(), lambda: FrozenR("a", 1, (), 4), lambda: FrozenR(nope=1)):
        with pytest.raises(TypeError):
            call()
    assert FrozenR.__init__.__qualname__ == "FrozenR.__init__"


def test_equality_and_hash_are_compiled_at_their_first_call_as_dataclass_writes_them() -> None:
    @record(frozen=True)
    class Late:
        """Never compared before this test."""

        a: int
        b: list[int] = field(default_factory=list, compare=False)

    shared_eq, shared_hash = Late.__eq__, Late.__hash__
    assert Late(1, [1]) == Late(1, [2]) and Late(1) != Late(2)
    assert hash(Late(1)) == hash((1,))
    assert Late.__eq__ is not shared_eq and Late.__hash__ is not shared_hash
    assert Late.__eq__.__qualname__.endswith("Late.__eq__")
    assert Late(1) == Late(1, [3]) and hash(Late(3)) == hash((3,))  # the compiled ones


def test_init_is_compiled_at_the_first_call_even_through_a_plain_subclass() -> None:
    @record(frozen=True)
    class Unmade:
        """Never made before this test."""

        a: int
        b: tuple[int, ...] = ()

    class Plain(Unmade):
        pass

    stand_in = Unmade.__init__
    made = Plain(1, (2,))  # the subclass's call compiles its parent's __init__
    assert (made.a, made.b) == (1, (2,))
    assert Unmade.__init__ is not stand_in
    assert Unmade.__init__.__qualname__.endswith(".Unmade.__init__")
    assert str(inspect.signature(Unmade)) == "(a: 'int', b: 'tuple[int, ...]' = ()) -> None"
    assert Unmade(b=(3,), a=2).b == (3,)
    with pytest.raises(TypeError):
        Unmade()


def test_a_record_runs_its_post_init() -> None:
    assert CheckedR(1, 2).high == 2
    with pytest.raises(ValueError, match="low above high"):
        CheckedR(3, 2)
    assert dataclasses.replace(CheckedR(1, 2), low=2) == CheckedR(2, 2)
    with pytest.raises(ValueError, match="low above high"):
        dataclasses.replace(CheckedR(1, 2), low=5)


def test_a_mutable_record_is_not_hashable_and_a_frozen_one_is() -> None:
    with pytest.raises(TypeError, match="unhashable"):
        hash(MutableR())
    assert len({FrozenR("a"), FrozenR("a"), FrozenR("b")}) == 2
    assert {ChildR(1): "x"}[ChildR(1, "two", 3.0)] == "x"


def test_what_a_record_does_not_take_is_refused_when_the_class_is_made() -> None:
    with pytest.raises(TypeError, match="defines __repr__"):

        @record(frozen=True)
        class OwnRepr:
            """Writes a method ``record`` would make."""

            a: int

            def __repr__(self) -> str:
                return "mine"

    for option in ({"init": False, "default": 1}, {"hash": True}, {"kw_only": True}):
        with pytest.raises(TypeError, match="sets"):

            @record
            class FieldOption:
                """A field with an option ``record`` does not take."""

                a: int = field(**option)  # type: ignore[call-overload]

    with pytest.raises(TypeError, match="InitVar"):

        @record
        class WithInitVar:
            """An init-only variable."""

            a: dataclasses.InitVar[int]


def test_the_package_makes_its_classes_as_records() -> None:
    """The classes of the modules a run imports are records (where the cost is), and are still
    dataclasses to whoever uses ``dataclasses`` on them."""
    from modernize import api, model, registry
    from modernize.workspace import files

    for cls in (api.ApplyOptions, model.Edit, model.Finding, registry.Migration, files.Candidate):
        assert dataclasses.is_dataclass(cls)
        assert cls.__repr__ is FrozenR.__repr__
