"""Move the Python that pre-commit hooks run on and target to the target.

What, in ``.pre-commit-config.yaml``:

- ``default_language_version.python`` and a hook's ``language_version`` below the target
  (``python3.10``, ``3.10``) become the target in the same spelling (``python3.12``);
- pyupgrade's ``--py310-plus`` becomes ``--py312-plus``;
- ruff's and black's ``--target-version py310`` (also ``--target-version=py310`` and black's
  ``-t py310``) becomes ``py312``.

``rev:`` is never changed: moving a hook to a newer release is ``pre-commit autoupdate``'s job,
and it needs the network.

Why: hooks that still rewrite code for 3.10, or run in a 3.10 environment, keep the code base
on the old Python's syntax after the project has moved.

Example::

    default_language_version:              default_language_version:
      python: python3.10             ->      python: python3.12
    - id: pyupgrade                         - id: pyupgrade
      args: [--py310-plus]           ->       args: [--py312-plus]

Refuses: black given several ``--target-version`` values (reported: which to keep is a
decision), a value written with escapes, and a bare ``language_version`` (``3.10``) of a hook
whose language cannot be known here (a remote hook that is not a well-known Python tool:
reported); a hook whose ``language`` is not Python is never read. Left silently: ``python3``,
``default`` and versions at or above the target. A comment that may explain the pin keeps it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from modernize.authoring import Context, Document, Edit, InPlace, Notice, Targets, yamldoc
from modernize.lazy import lazy_pattern
from modernize.rules.textcheck import yaml_escapes
from modernize.rules.versions import below, minor_below

ID = "pre-commit-python"
TITLE = "Move pre-commit's Python (language_version, pyupgrade, ruff and black targets)"
KINDS = ("pre-commit",)
#: It moves a file's Python: a file whose project cannot run the target stays.
MOVES = "python"
CODE = "M017"
#: What a pending change is, as ``verify`` reports it.
FINDING = "pre-commit Python below the target"

#: ``python3.10`` or ``3.10`` (a language_version), whole.
_LANGUAGE = lazy_pattern(r"(?P<prefix>python)?(?P<major>[0-9]+)\.(?P<minor>[0-9]+)")
#: pyupgrade's ``--py310-plus``.
_PYUPGRADE = lazy_pattern(r"--py(?P<major>3)(?P<minor>[0-9]{1,2})-plus")
#: A ruff or black target: ``py310``.
_TAG = lazy_pattern(r"py(?P<major>3)(?P<minor>[0-9]{1,2})")
_TARGET_FLAGS = ("--target-version", "-t")
_BLACK = frozenset({"black", "black-jupyter"})
#: Hooks of well-known Python tools, whose language is Python wherever they come from.
_PYTHON_HOOKS = frozenset(
    {
        "pyupgrade",
        "black",
        "black-jupyter",
        "ruff",
        "ruff-check",
        "ruff-format",
        "flake8",
        "mypy",
        "isort",
        "pylint",
        "bandit",
        "autoflake",
        "docformatter",
        "pydocstyle",
        "codespell",
        "pyproject-fmt",
        "nbqa",
        "blacken-docs",
        "add-trailing-comma",
        "reorder-python-imports",
    }
)
_RUFF = frozenset({"ruff", "ruff-check", "ruff-format"})


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    targets = context.targets
    for root in document.yaml.roots:
        default = yamldoc.get(yamldoc.get(root, "default_language_version"), "python")
        yield from _language(document, default, targets)
        repos = yamldoc.get(root, "repos")
        for repo in repos.value if isinstance(repos, yamldoc.SequenceNode) else []:
            hooks = yamldoc.get(repo, "hooks")
            for hook in hooks.value if isinstance(hooks, yamldoc.SequenceNode) else []:
                yield from _language(
                    document, yamldoc.get(hook, "language_version"), targets, _python_hook(hook)
                )
                yield from _arguments(document, hook, targets)


def _python_hook(hook: yamldoc.Node) -> bool | None:
    """Whether the hook runs in a Python environment: its ``language``, else its id when it is
    a well-known Python tool; None when it cannot be known here (a remote hook's language is
    in its repository's ``.pre-commit-hooks.yaml``)."""
    language = yamldoc.get(hook, "language")
    if isinstance(language, yamldoc.ScalarNode):
        return str(language.value) in ("python", "python_venv")
    hook_id = yamldoc.get(hook, "id")
    if isinstance(hook_id, yamldoc.ScalarNode) and str(hook_id.value) in _PYTHON_HOOKS:
        return True
    return None


def _language(
    document: Document,
    node: yamldoc.Node | None,
    targets: Targets,
    python_hook: bool | None = True,
) -> Iterator[Edit | Notice]:
    """A ``language_version`` below the target. ``python3.10`` is plainly Python; a bare
    ``3.10`` is Python only in a Python hook (Go's ``1.21``, Node's ``20.1`` are not)."""
    if not isinstance(node, yamldoc.ScalarNode):
        return
    match = _LANGUAGE.fullmatch(str(node.value))
    if match is None or not below(match["major"], match["minor"], targets.python):
        return
    if not match["prefix"] and not python_hook:
        if python_hook is None:
            yield Notice(
                node.start_mark.index,
                f"language_version {node.value}: this hook's language is not known here; not "
                f"changed: if it runs Python, write {targets.python_minor} by hand",
                advisory=True,
            )
        return
    yield from _in_place(document, node, match, f"{match['prefix'] or ''}{targets.python_minor}")


def _arguments(document: Document, hook: yamldoc.Node, targets: Targets) -> Iterator[Edit | Notice]:
    hook_id = yamldoc.get(hook, "id")
    args = yamldoc.get(hook, "args")
    if not isinstance(hook_id, yamldoc.ScalarNode) or not isinstance(args, yamldoc.SequenceNode):
        return
    name = str(hook_id.value)
    entries = [entry for entry in args.value if isinstance(entry, yamldoc.ScalarNode)]
    tag = f"py{targets.python.major}{targets.python.minor}"
    if name == "pyupgrade":
        for entry in entries:
            match = _PYUPGRADE.fullmatch(str(entry.value))
            if match and below(match["major"], match["minor"], targets.python):
                yield from _in_place(document, entry, match, f"--{tag}-plus")
        return
    if name not in _BLACK | _RUFF:
        return
    found = list(_target_values(entries))
    stale = [
        (node, match)
        for node, match in found
        if below(match["major"], match["minor"], targets.python)
    ]
    if not stale:
        return
    if name in _BLACK and len(found) > 1:
        yield Notice(
            stale[0][0].start_mark.index,
            f"black is given {len(found)} --target-version values; not changed: keep "
            f"{tag} and those above it by hand",
        )
        return
    for node, match in stale:
        yield from _in_place(document, node, match, tag)


def _target_values(
    entries: list[yamldoc.ScalarNode],
) -> Iterator[tuple[yamldoc.ScalarNode, re.Match[str]]]:
    """Each target a ruff or black hook is given, as the entry that holds it and the match of
    its ``pyXY``: ``--target-version py310`` (two entries), ``--target-version=py310``,
    ``-t py310``, or all in one entry (``--target-version py310``)."""
    for index, entry in enumerate(entries):
        value = str(entry.value)
        for flag in _TARGET_FLAGS:
            if value == flag and index + 1 < len(entries):
                nxt = entries[index + 1]
                match = _TAG.fullmatch(str(nxt.value))
                if match:
                    yield nxt, match
            for joiner in ("=", " "):
                if value.startswith(flag + joiner):
                    match = _TAG.fullmatch(value, len(flag) + 1)
                    if match:
                        yield entry, match


def _in_place(
    document: Document,
    node: yamldoc.ScalarNode,
    match: re.Match[str],
    new: str,
) -> Iterator[Edit | Notice]:
    """Replace what ``match`` matched in ``node``'s value, written the same in the text."""
    span = yamldoc.scalar_span(document.text, node)
    if span is None or document.text[span[0] : span[1]] != str(node.value):
        yield Notice(
            node.start_mark.index,
            f"{node.value!r} is written with escapes or over several lines; not changed: "
            f"write {new} by hand",
        )
        return
    start, end = span[0] + match.start(), span[0] + match.end()
    yield Edit(start, end, new, declares=(InPlace(document.yaml.path_of(node)),))


def touches(text: str, context: Context) -> bool:
    """A file that names a version below the target (``3.10``, ``py310``) or has escapes."""
    return yaml_escapes(text) or minor_below(text, context.targets.python) or "py3" in text
