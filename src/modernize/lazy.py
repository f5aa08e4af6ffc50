"""Modules loaded, and regular expressions compiled, on first use.

A migration module is imported to be listed (``modernize list``) and to have its text test
run; the parser it needs (PyYAML, the TOML scanner) is imported only when a file is parsed.
A module's regular expressions are compiled when one is first used: compiling them all at
import was a third of what a pre-commit hook on two current files spends in this package.
"""

from __future__ import annotations

import _imp
import importlib.util
import re
import sys
from types import ModuleType
from typing import Any, cast


def lazy_import(name: str) -> ModuleType:
    """The module ``name``, executed when one of its attributes is first read."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ImportError(f"no module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module


def deferred_module(name: str) -> None:
    """Put the module ``name`` in ``sys.modules`` unexecuted: an ``import name`` anywhere
    then costs nothing, and the module's code runs, in that same module object, when one of its
    attributes is first read. (A ``LazyLoader`` module would not do: the import statement
    itself reads its ``__spec__``, which executes it.) Nothing happens to a module already
    imported, or one that cannot be found."""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        return
    loader = spec.loader
    module = importlib.util.module_from_spec(spec)

    started = False

    def load(attribute: str) -> Any:
        # PEP 562: called for a name the module does not hold. Under the import lock: a
        # thread that asks while another executes the module waits, then finds it executed.
        nonlocal started
        _imp.acquire_lock()
        try:
            if not started:
                started = True
                try:
                    loader.exec_module(module)
                except BaseException:
                    if sys.modules.get(name) is module:  # as a failed import leaves it
                        del sys.modules[name]
                    raise
                if module.__dict__.get("__getattr__") is load:  # not one the module made
                    del module.__dict__["__getattr__"]
        finally:
            _imp.release_lock()
        try:
            return module.__dict__[attribute]
        except KeyError:
            raise AttributeError(f"module {name!r} has no attribute {attribute!r}") from None

    module.__dict__["__getattr__"] = load
    sys.modules[name] = module


#: What a pattern is used for; each is the compiled pattern's own method once it is compiled.
_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class _Pattern:
    """``re.compile(source, flags)`` until first used; then its methods are the compiled
    pattern's (bound, in the instance: as fast to call as the pattern's own)."""

    def __init__(self, source: str, flags: int) -> None:
        self.pattern = source
        self._flags = flags

    def __getattr__(self, name: str) -> Any:
        compiled = re.compile(self.pattern, self._flags)
        for method in _METHODS:
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)

    def __reduce__(self) -> tuple[Any, tuple[str, int]]:
        return re.compile, (self.pattern, self._flags)

    def __repr__(self) -> str:
        return f"<pattern {self.pattern!r}, compiled at its first use>"


def lazy_pattern(source: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(source, flags)``, compiled when first used: for a module's patterns,
    most of which a run never uses."""
    return cast("re.Pattern[str]", _Pattern(source, flags))
