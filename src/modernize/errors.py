"""The single error hierarchy; the CLI maps every member to exit code 2."""

from __future__ import annotations


class ModernizeError(Exception):
    """Base class of every error modernize reports to the user."""


class UsageError(ModernizeError):
    """A flag, option or configuration value is not acceptable."""


class MigrationLoadError(ModernizeError):
    """A migration script is missing a name, malformed, or numbered twice."""


class ParseError(ModernizeError):
    """A file could not be parsed; ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class EditConflictError(ModernizeError):
    """Two edits of one file overlap."""


class Interrupted(BaseException):
    """Ctrl-C (SIGINT) or SIGTERM in the main process. Not a KeyboardInterrupt, which click
    would turn into exit code 1 ("changes pending" to a script): the command line exits with
    128 + the signal's number instead (130 for Ctrl-C)."""

    def __init__(self, signal: int) -> None:
        super().__init__(signal)
        self.signal = signal
