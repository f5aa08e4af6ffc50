"""The single error hierarchy; the CLI maps every member to exit code 2.

An error that belongs to a place in a file (a configuration key, a changelog line) is a
``LocatedError``: it carries ``path``, ``line`` and ``message`` and leaves the writing of
``path:line: error: message`` to the one formatter that writes every diagnostic
(``render.diagnostics``).
"""

from __future__ import annotations

from collections.abc import Sequence


class ModernizeError(Exception):
    """Base class of every error modernize reports to the user."""


class UsageError(ModernizeError):
    """A flag, option or configuration value is not acceptable."""


class MigrationLoadError(ModernizeError):
    """A migration script is missing a name, malformed, or numbered twice."""


class LocatedError(ModernizeError):
    """An error at ``line`` (1-based) of the file ``path`` names, as diagnostics name it."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(message)
        self.path, self.line, self.message = path, line, message


class ConfigError(LocatedError):
    """A configuration file that cannot be read or parsed, or holds a bad key or value."""


class ChangelogError(LocatedError):
    """A CHANGELOG.md that cannot be read, or is not UTF-8 text."""


class ErrorList(ModernizeError):
    """Several errors found together, each told on a line of its own."""

    def __init__(self, errors: Sequence[LocatedError]) -> None:
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = tuple(errors)


class ParseError(ModernizeError):
    """A file could not be parsed; ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class ReadError(ModernizeError):
    """A file that cannot be read as text: ``skip`` marks the ones to pass over with a warning."""

    def __init__(self, message: str, skip: bool = False) -> None:
        super().__init__(message)
        self.skip = skip


class UnsuitableFile(ModernizeError):
    """A file that is not read: not a regular file, or larger than the limit."""


class NotRegularFile(UnsuitableFile):
    def __init__(self) -> None:
        super().__init__("not a regular file")


class TooLarge(UnsuitableFile):
    def __init__(self, limit: int) -> None:
        mib = 1024 * 1024
        size = f"{limit // mib} MiB" if limit >= mib and limit % mib == 0 else f"{limit} bytes"
        super().__init__(f"larger than {size}")


class EditConflictError(ModernizeError):
    """Two edits of one file overlap."""


class ProofError(ModernizeError):
    """The edits declare something that cannot be applied to the original data."""


class VerificationError(ModernizeError):
    """The edited text failed one of the checks; the file is not written."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class Interrupted(BaseException):
    """Ctrl-C (SIGINT) or SIGTERM in the main process. Not a KeyboardInterrupt, which click
    would turn into exit code 1 ("changes pending" to a script): the command line exits with
    128 + the signal's number instead (130 for Ctrl-C)."""

    def __init__(self, signal: int) -> None:
        super().__init__(signal)
        self.signal = signal
