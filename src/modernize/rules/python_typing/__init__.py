"""The rewrite behind the python-typing migration: old ``typing`` spellings to built-in syntax.

Located with ``ast`` (offsets in the original text, ``locating``) and rewritten expression by
expression with libcst (``unions``; the imports that lose names: ``pruning``), loaded only when
a file holds a candidate; the migration's docstring says what changes and when it refuses.
"""

from __future__ import annotations

from modernize.rules.python_typing.names import ABC_ALIASES, BUILTINS, UNIONS
from modernize.rules.python_typing.rewriting import rewrite, rewrite_spans

__all__ = ["ABC_ALIASES", "BUILTINS", "UNIONS", "rewrite", "rewrite_spans"]
