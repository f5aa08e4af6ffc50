"""The one writer of error lines: ``path:line: error: message``, or ``error: message``."""

from __future__ import annotations

from modernize.errors import ErrorList, LocatedError, ModernizeError


def located(path: str, line: int, severity: str, message: str) -> str:
    """A diagnostic at a place in a file, as compilers and linters write one."""
    return f"{path}:{line}: {severity}: {message}"


def error_line(error: ModernizeError) -> str:
    """How an error is told: at its place in a file when it has one. Its message may quote the
    file (a configuration key): a control character in it is shown escaped (``printable``)."""
    from modernize.render.quoting import printable

    if isinstance(error, LocatedError):
        return located(error.path, error.line, "error", printable(error.message))
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
