"""The typing names the python-typing rewrite knows: the built-in generics, the unions and
the aliases of ``collections.abc`` classes."""

from __future__ import annotations

BUILTINS = {
    "List": "list",
    "Dict": "dict",
    "Set": "set",
    "FrozenSet": "frozenset",
    "Tuple": "tuple",
    "Type": "type",
}


UNIONS = frozenset({"Optional", "Union"})


#: typing's deprecated aliases of ``collections.abc`` classes, generic there since Python 3.9.
#: Moving the import is the whole change: every use of the name keeps working.
ABC_ALIASES = frozenset(
    {
        "AsyncGenerator",
        "AsyncIterable",
        "AsyncIterator",
        "Awaitable",
        "Callable",
        "Collection",
        "Container",
        "Coroutine",
        "Generator",
        "ItemsView",
        "Iterable",
        "Iterator",
        "KeysView",
        "Mapping",
        "MappingView",
        "MutableMapping",
        "MutableSequence",
        "MutableSet",
        "Reversible",
        "Sequence",
        "ValuesView",
    }
)
