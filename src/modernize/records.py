"""``record``: this package's ``dataclasses.dataclass``, at a fraction of its import cost.

``dataclass`` compiles up to six methods for each frozen class while its module is imported,
about 0.9 ms a class; a run makes some eighty such classes before it reads a file, a third of a
pre-commit hook's own time. A ``record`` is a dataclass all the same (``dataclasses.fields``,
``replace``, ``asdict`` and ``is_dataclass`` see it as one), made with no method compiled:
``__repr__`` and the frozen ``__setattr__`` and ``__delattr__`` are shared by every record, and
``__init__``, ``__eq__`` and ``__hash__`` are compiled at their first call (a run instantiates
half the classes it imports, and compares or hashes few). A class without a docstring gets
its ``__init__`` at once: its docstring shows the signature, as dataclass writes it. Each
record compares, hashes and prints its fields, in order, as ``dataclass`` would.

What ``record`` takes of ``dataclass``: fields with a default or a ``field(default_factory=...)``
(and ``repr=False``, ``compare=False``), ``frozen``, ``slots``, a ``__post_init__`` without
init-only variables, a record that subclasses a record. Anything else (a field's ``init``,
``hash`` or ``kw_only``, an ``InitVar``, a class that writes one of these methods itself) is
refused when the class is made, not silently done otherwise. Differences left: a record's
``__repr__`` does not guard against a record that contains itself, and assigning to a frozen
record is refused whatever the attribute.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

__all__ = ["record"]

T = TypeVar("T")

_object_setattr = object.__setattr__
_OWN = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__")
_FIELD_OPTIONS = {"init": True, "hash": None, "kw_only": False}


def _record(cls: type[T] | None = None, /, *, frozen: bool = False, slots: bool = False) -> Any:
    """``dataclass(cls, frozen=frozen, slots=slots)``, as the module's docstring says."""

    def make(cls: type[T]) -> type[T]:
        return _make(cls, frozen, slots)

    return make if cls is None else make(cls)


def _repr(self: Any) -> str:
    values = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._record_shown)
    return f"{self.__class__.__qualname__}({values})"


def _eq(self: Any, other: Any) -> Any:
    return _compiled(type(self), "__eq__")(self, other)


def _hash(self: Any) -> int:
    return _compiled(type(self), "__hash__")(self)  # type: ignore[no-any-return]


def _compiled(cls: type, name: str) -> Callable[..., Any]:
    """``cls.__eq__`` or ``cls.__hash__`` as dataclass writes it, made at its first call (most
    classes are never compared or hashed in a run) and put in the class in place of the
    shared one that made it."""
    compared = cls._record_compared  # type: ignore[attr-defined]
    mine = "".join(f"self.{field}," for field in compared)
    theirs = "".join(f"other.{field}," for field in compared)
    if name == "__eq__":
        source = (
            "def __eq__(self, other):\n"
            "    if other.__class__ is self.__class__:\n"
            f"        return ({mine}) == ({theirs})\n"
            "    return NotImplemented\n"
        )
    else:
        source = f"def __hash__(self):\n    return hash(({mine}))\n"
    function: Callable[..., Any] = _function(cls, name, source, {})
    setattr(cls, name, function)
    return function


def _function(cls: type, name: str, source: str, scope: dict[str, Any]) -> Any:
    """The method ``name`` of ``cls`` that ``source`` defines (with ``scope`` as its globals)."""
    exec(source, scope)  # made from the names of the class's own fields
    function = scope[name]
    function.__qualname__ = f"{cls.__qualname__}.{name}"
    function.__module__ = cls.__module__
    return function


def _frozen_setattr(self: object, name: str, value: object) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: object, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def _getstate(self: Any) -> list[object]:
    return [getattr(self, name) for name in self._record_fields]


def _setstate(self: Any, state: list[object]) -> None:
    for name, value in zip(self._record_fields, state, strict=True):
        _object_setattr(self, name, value)


def _make(cls: type[T], frozen: bool, slots: bool) -> type[T]:
    own = [name for name in _OWN if name in cls.__dict__]
    if own:
        raise TypeError(f"record {cls.__qualname__} defines {', '.join(own)}: use a dataclass")
    # Over a dataclass, dataclass itself checks that both are frozen or neither is (and makes
    # the two methods that refuse assignment); a first dataclass need not pay for them.
    over_dataclass = any(dataclasses.is_dataclass(base) for base in cls.__mro__[1:])
    # dataclass writes the docstring of a class without one from the signature of its
    # ``__init__``, which is made here, later.
    undocumented = not cls.__doc__
    if undocumented:
        cls.__doc__ = "-"
    made: Any = dataclasses.dataclass(
        init=False, repr=False, eq=False, frozen=frozen and over_dataclass, slots=slots
    )(cls)
    fields = dataclasses.fields(made)
    names = tuple(field.name for field in fields)
    for pseudo in made.__dataclass_fields__.values():
        if pseudo.name not in names and "InitVar" in str(pseudo.type):
            raise TypeError(f"record {cls.__qualname__} has an InitVar: use a dataclass")
    for field in fields:
        changed = [key for key, value in _FIELD_OPTIONS.items() if getattr(field, key) != value]
        if changed:
            raise TypeError(
                f"record {cls.__qualname__}: field {field.name!r} sets {', '.join(changed)}:"
                " use a dataclass"
            )
    # What dataclass says of the class is what it is, for a dataclass that subclasses it.
    params = made.__dataclass_params__
    params.init = params.repr = params.eq = True
    params.frozen = frozen
    if undocumented:  # the docstring shows the signature: the real ``__init__`` is needed now
        import inspect

        made.__init__ = _init(made, fields, frozen or slots)

        made.__doc__ = made.__name__ + str(inspect.signature(made)).replace(" -> None", "")
    else:
        made.__init__ = _deferred_init(made, fields, frozen or slots)
    made._record_fields = names
    made._record_shown = tuple(field.name for field in fields if field.repr)
    made._record_compared = tuple(field.name for field in fields if field.compare)
    made.__repr__ = _repr
    made.__eq__ = _eq
    if frozen:
        made.__hash__ = _hash
        if not over_dataclass:
            made.__setattr__ = _frozen_setattr
            made.__delattr__ = _frozen_delattr
        if slots:  # unpickling sets a slot's value with __setattr__ otherwise
            made.__getstate__ = _getstate
            made.__setstate__ = _setstate
    else:
        made.__hash__ = None  # as dataclass does: equal by value, so not hashable by identity
    return made  # type: ignore[no-any-return]


def _deferred_init(
    cls: type, fields: tuple[dataclasses.Field[Any], ...], by_setattr: bool
) -> Callable[..., None]:
    """A stand-in for the class's ``__init__`` that compiles the real one at its first call and
    puts it in the class in its place: compiling is most of what making a record costs, and a
    run instantiates few of the classes it imports."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        init = cls.__dict__["__init__"]
        if init is __init__:  # first call; two threads may both compile: the same function
            init = _init(cls, fields, by_setattr)
            type.__setattr__(cls, "__init__", init)
        init(self, *args, **kwargs)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    __init__.__module__ = cls.__module__
    return __init__


def _init(
    cls: type, fields: tuple[dataclasses.Field[Any], ...], by_setattr: bool
) -> Callable[..., None]:
    """The class's ``__init__``: its fields in order, positional or by keyword."""
    scope: dict[str, Any] = {"_object_setattr": _object_setattr, "_MISSING": dataclasses.MISSING}
    parameters = []
    lines = []
    for field in fields:
        name = field.name
        value = name
        if field.default_factory is not dataclasses.MISSING:
            scope[f"_factory_{name}"] = field.default_factory
            parameters.append(f"{name}=_MISSING")
            value = f"_factory_{name}() if {name} is _MISSING else {name}"
        elif field.default is not dataclasses.MISSING:
            scope[f"_default_{name}"] = field.default
            parameters.append(f"{name}=_default_{name}")
        else:
            parameters.append(name)
        if by_setattr:
            lines.append(f"    _object_setattr(self, {name!r}, {value})")
        else:
            lines.append(f"    self.{name} = {value}")
    if hasattr(cls, "__post_init__"):
        lines.append("    self.__post_init__()")
    source = f"def __init__(self, {', '.join(parameters)}):\n" + ("\n".join(lines) or "    pass")
    init = _function(cls, "__init__", source, scope)
    init.__annotations__ = {**{field.name: field.type for field in fields}, "return": None}
    return init  # type: ignore[no-any-return]


if TYPE_CHECKING:
    from dataclasses import dataclass as record
else:
    record = _record
