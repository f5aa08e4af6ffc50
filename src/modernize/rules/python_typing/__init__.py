"""The rewrite behind the python-typing migration: old ``typing`` spellings to built-in syntax.

Located with ``ast`` (offsets in the original text, ``locating``) and rewritten expression by
expression with libcst (``unions``; the imports that lose names: ``pruning``), loaded only when
a file holds a candidate; the migration's docstring says what changes and when it refuses.

Its modules are imported by name (``rewriting.rewrite_spans``, ``names.ABC_ALIASES``): listing
the migrations loads the names only.
"""
