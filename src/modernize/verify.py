"""Prove a file's edits before anything is written.

After the edits: the text must parse again, its parsed data may differ from the original only
under the paths the edits declared, and running the same migrations on it must yield no edit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from modernize.document import Document
from modernize.errors import ModernizeError, ParseError
from modernize.model import Edit


class VerificationError(ModernizeError):
    """The edited text failed one of the checks; the file is not written."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def verify(
    original: Document,
    updated: Document,
    edits: Sequence[Edit],
    rerun: Callable[[Document], list[Edit]],
) -> None:
    try:
        updated.parse(complete=True)
    except ParseError as error:
        raise VerificationError(
            f"verification failed: the edited file does not parse ({error.message}"
            + (f", line {error.line}" if error.line else "")
            + ")",
            error.line,
        ) from error
    declared = {path for edit in edits for path in edit.declares}
    undeclared = original.undeclared_changes(updated, declared)
    if undeclared:
        shown = ", ".join(".".join(str(part) for part in path) for path in undeclared[:3])
        raise VerificationError(
            f"verification failed: data changed outside the declared edits at {shown}"
        )
    again = rerun(updated)
    if again:
        first = again[0]
        line = updated.line_of(first.start)
        raise VerificationError(
            f"verification failed: a second run would change line {line} again "
            f"({first.migration}); not idempotent",
            line,
        )
