"""The one writer of error lines: ``path:line: error: message``, or ``error: message``."""

from __future__ import annotations

from modernize.errors import LocatedError, ModernizeError


def located(path: str, line: int, severity: str, message: str) -> str:
    """A diagnostic at a place in a file, as compilers and linters write one."""
    return f"{path}:{line}: {severity}: {message}"


def error_line(error: ModernizeError) -> str:
    """How an error is told: at its place in a file when it has one."""
    if isinstance(error, LocatedError):
        return located(error.path, error.line, "error", error.message)
    return f"error: {error}"
