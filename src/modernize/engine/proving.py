"""Prove a file's edits before anything is written.

After the edits: the text must parse again; its parsed data must be exactly the original data
with the operations the edits declare applied (``proof``); and running the same migrations on
it must yield no edit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from modernize.errors import ParseError, ProofError, VerificationError
from modernize.formats.document import Document
from modernize.model import DataPath, Edit, Rewrite


def verify(
    original: Document,
    updated: Document,
    edits: Sequence[Edit],
    rerun: Callable[[Document], list[Edit]],
) -> None:
    """``edits`` made ``updated`` from ``original`` (but for spaces they took in before aligned
    comments, which change no data)."""
    try:
        updated.parse(complete=True)
    except ParseError as error:
        raise VerificationError(
            f"verification failed: the edited file does not parse ({error.message}"
            + (f", line {error.line}" if error.line else "")
            + ")",
            error.line,
        ) from error
    prove(original, updated, edits)
    again = rerun(updated)
    if again:
        first = again[0]
        line = updated.line_of(first.start)
        raise VerificationError(
            f"verification failed: a second run would change line {line} again "
            f"({first.migration}); not idempotent",
            line,
        )


def prove(original: Document, updated: Document, edits: Sequence[Edit]) -> None:
    """Raise VerificationError unless ``updated``'s data is ``original``'s with exactly the
    declared operations applied."""
    from modernize.engine import proof

    model, updated_model = original.model, updated.model
    if model is None or updated_model is None:  # Python source: lines
        declared = {
            operation.path
            for edit in edits
            for operation in edit.declares
            if isinstance(operation, Rewrite)
        }
        _report(original.undeclared_changes(updated, declared), set())
        return
    try:
        expected = proof.expected_tree(model, edits)
    except ProofError as error:
        raise VerificationError(f"verification failed: {error}") from error
    declared = set(proof.declared_paths(edits))
    _report(proof.differences(expected, updated_model.tree()), declared)


def _report(paths: list[DataPath], declared: set[DataPath]) -> None:
    if not paths:
        return
    shown = ", ".join(".".join(str(part) for part in path) for path in paths[:3])
    if any(path[:length] in declared for path in paths for length in range(len(path) + 1)):
        raise VerificationError(
            f"verification failed: the edited data is not what the edits declare at {shown}"
        )
    raise VerificationError(
        f"verification failed: data changed outside the declared edits at {shown}"
    )
