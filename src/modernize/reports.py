"""The reports of the API's commands: what a run did, what the command line prints of it, and
the exit code it means (the report owns it: 0 nothing to do or done, 1 changes pending in a
dry run or errors found by verify, 2 errors)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import TYPE_CHECKING

from modernize.records import record

if TYPE_CHECKING:
    from modernize.engine.runner import RepoRun
    from modernize.model import Finding
    from modernize.registry import Migration
    from modernize.render.report import RootResult

EXIT_OK = 0
EXIT_PENDING = 1
EXIT_ERROR = 2


@record
class RunReport:
    """What ``apply`` did: each repository's run and results, and what the run as a whole says."""

    dry_run: bool
    #: Several repositories, each printed whole after a section line, then a table.
    batch: bool
    repositories: list[RepoRun] = field(default_factory=list)
    #: Per PATH, for the JSON and the markdown report (a missing PATH included).
    results: list[RootResult] = field(default_factory=list)
    #: Diagnostic lines said before the runs.
    notes: list[str] = field(default_factory=list)
    #: Errors of no repository's: missing PATHs, lines of the list that name none.
    errors_before: int = 0
    #: Outside a batch: each shared changelog's diff and error line (see ``add_shared_changelogs``).
    changelogs: list[tuple[str, str]] = field(default_factory=list)
    #: The error line of a markdown report that could not be written.
    report_error: str = ""
    #: Outside a batch: the upgrade hazards of what changed, and the command that lists them.
    hazards: int = 0
    advise_command: str = ""
    seconds: float = 0.0
    #: A text given on standard input (``-``): that text migrated, or as it came.
    text: bytes | None = None

    @property
    def changed(self) -> int:
        return sum(repo.changed for repo in self.repositories)

    @property
    def unchanged(self) -> int:
        return sum(repo.unchanged for repo in self.repositories)

    @property
    def warnings(self) -> int:
        return sum(repo.warnings for repo in self.repositories)

    @property
    def failed(self) -> int:
        changelogs = sum(1 for _diff, error in self.changelogs if error)
        repositories = sum(repo.errors for repo in self.repositories)
        return self.errors_before + repositories + changelogs + bool(self.report_error)

    @property
    def counts(self) -> tuple[int, int, int, int]:
        """``changed, unchanged, warnings, failed``."""
        return self.changed, self.unchanged, self.warnings, self.failed

    @property
    def timings(self) -> list[tuple[str, float]]:
        return [timing for repo in self.repositories for timing in repo.timings]

    @property
    def exit_code(self) -> int:
        """2 on any error; 1 when changes are pending (``dry_run``); else 0."""
        if self.failed:
            return EXIT_ERROR
        return EXIT_PENDING if self.dry_run and self.changed else EXIT_OK

    @property
    def silent(self) -> bool:
        """Nothing to print but the summary line: one run (not a batch) that changes nothing
        and says nothing, no note, diff, diagnostic, warning or error, not even of a file
        skipped."""
        return not (
            self.batch
            or self.notes
            or self.changelogs
            or self.report_error
            or self.hazards
            or self.text is not None
            or self.changed
            or self.warnings
            or self.failed
            or not all(repo.says_nothing for repo in self.repositories)
        )


@record
class VerifyReport:
    """What ``verify`` found, and what ``--verbose`` says about it."""

    findings: list[Finding] = field(default_factory=list)
    #: The migrations of the last PATH (SARIF names their rules).
    migrations: list[Migration] = field(default_factory=list)
    #: With ``uris``: each finding's path to a URI relative to its repository.
    uris: dict[str, str] = field(default_factory=dict)
    #: --verbose: the distinct settings lines, which validators are installed (None: not
    #: run), the files checked (as shown, kind, seconds) and files nothing looked at.
    settings: list[str] = field(default_factory=list)
    validators: Mapping[str, bool] | None = None
    checked: list[tuple[str, str, float]] = field(default_factory=list)
    not_considered: list[str] = field(default_factory=list)
    seconds: float = 0.0
    #: Diagnostic lines of PATHs that could not be checked (one that does not exist): each
    #: makes the exit code 2.
    problems: list[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for finding in self.findings if finding.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for finding in self.findings if finding.severity == "warning")

    @property
    def notes(self) -> int:
        return sum(1 for finding in self.findings if finding.severity == "note")

    @property
    def exit_code(self) -> int:
        """2 when a check failed on a file (every other result is in, but a check that broke
        is not a pass); 1 on any error finding; else 0."""
        from modernize.standards.checking import INTERNAL_ERROR

        if self.problems or any(finding.code == INTERNAL_ERROR for finding in self.findings):
            return EXIT_ERROR
        return EXIT_PENDING if self.errors else EXIT_OK


@record
class AdviseReport:
    """What ``advise`` found: the hazards of each repository's jump, how each jump was read,
    and the errors of files that could not be read for it."""

    findings: list[Finding] = field(default_factory=list)
    #: Warnings said before the run (a PATH named twice).
    notes: list[str] = field(default_factory=list)
    #: One line per PATH: the versions it moves from and to.
    jumps: list[str] = field(default_factory=list)
    #: Diagnostic lines of files the run could not read (each makes the exit code 2).
    errors: list[str] = field(default_factory=list)
    #: With ``uris``: each finding's path to a URI relative to its repository.
    uris: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        """2 when a file could not be read; 1 when a hazard holds; else 0."""
        if self.errors:
            return EXIT_ERROR
        return EXIT_PENDING if self.findings else EXIT_OK
