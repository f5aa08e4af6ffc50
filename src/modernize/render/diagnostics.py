"""The one writer of error lines: ``path:line: error: message``, or ``error: message``."""

from __future__ import annotations

from modernize.errors import ErrorList, LocatedError, ModernizeError


def located(path: str, line: int, severity: str, message: str) -> str:
    """A diagnostic at a place in a file, as compilers and linters write one. The message may
    quote a file (its text, a configuration key): a control character in it is shown escaped
    (``printable``, which leaves a message it made as it is)."""
    from modernize.render.quoting import printable

    return f"{path}:{line}: {severity}: {printable(message)}"


def error_line(error: ModernizeError) -> str:
    """How an error is told: at its place in a file when it has one; its message printable,
    as ``located`` makes it."""
    from modernize.render.quoting import printable

    if isinstance(error, LocatedError):
        return located(error.path, error.line, "error", error.message)
    return f"error: {printable(str(error))}"


def error_text(error: ModernizeError) -> str:
    """An error as a result records it: ``path:line: message`` when it has a place."""
    if isinstance(error, LocatedError):
        return f"{error.path}:{error.line}: {error.message}"
    return str(error)


def error_lines(error: ModernizeError) -> list[str]:
    """Each line an error is told in: one per error of an ``ErrorList``."""
    if isinstance(error, ErrorList):
        return [error_line(each) for each in error.errors]
    return [error_line(error)]
