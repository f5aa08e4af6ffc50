"""``modernize verify``: what is still stale, and which standards a repository misses."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from modernize.engine.planning import TEMPLATE
from modernize.engine.repository import project_files, survey_kinds, with_projects
from modernize.errors import ParseError, ReadError
from modernize.formats.document import Document
from modernize.formats.shell import comment_start
from modernize.kinds import CONTENT_KINDS, content_test
from modernize.kinds import STANDARD_KINDS as STANDARD_KINDS
from modernize.lazy import lazy_pattern
from modernize.model import Finding
from modernize.registry import Context, Migration
from modernize.standards import RULES, Violation, checks_for, makefile
from modernize.workspace.files import discover, read_source

if TYPE_CHECKING:
    from modernize.standards.validators import Checked

# ``modernize: ignore[CODE, …]`` or ``ignore-file[…]``; the list is captured as written, to be
# checked (an unclosed or malformed list silences nothing).
_IGNORE = lazy_pattern(r"modernize:\s*ignore(-file)?(?![\w-])(?:\s*(\[[^\]]*\]?))?")
_CODE = lazy_pattern(r"[A-Z]+[0-9]+")
#: A check that raised on a file: a bug of modernize, reported as a finding so that the other
#: checks and files still run (``verify`` then exits 2).
INTERNAL_ERROR = "E002"


def internal_error(relative: str, error: BaseException, check: str = "") -> Finding:
    """The finding for a ``check`` (a migration's ID, a rule family) that raised ``error`` on
    the file at ``relative``."""
    which = f" ({check})" if check else ""
    return Finding(
        relative,
        1,
        f"internal error checking {relative}{which}: {type(error).__name__}: {error}; "
        "please report",
        "error",
        code=INTERNAL_ERROR,
    )


def verify_file(
    path: Path,
    relative: str,
    kind: str,
    migrations: Iterable[Migration],
    context: Context,
    project_makefile: bool = False,
) -> tuple[list[Finding], Document | None]:
    """The findings for one file, and its document when it parsed. ``project_makefile``: the
    file is the project's own Makefile, the one the MK rules hold for.

    A file that could not be checked (unreadable, not UTF-8, a template, unparseable) is an
    ``E001`` error: ``apply`` may pass over it with a warning, but nothing vouches for it.
    """
    migrations = list(migrations)
    by_content = kind in CONTENT_KINDS
    try:
        text = read_source(path).text
    except ReadError as error:
        return (
            [] if by_content else [Finding(relative, 1, str(error), "error", code="E001")]
        ), None
    if by_content and not _of_its_kind(text, kind, migrations, context):
        return [], None  # told by its content, which says it is not this tool's
    document, unchecked = _parsed(text, relative, kind)
    if document is None:
        return ([] if by_content else unchecked), None
    findings: list[Finding] = []
    # Each check on its own: one that raises loses its findings for this file, not the others'.
    failures: list[Finding] = []
    # A file with a backslash (an escape, a joined line) may spell a value otherwise than a
    # text test looks for it: it gets every check, whatever the text tests say.
    tested = "\\" not in document.text
    for migration in migrations:
        if kind not in migration.kinds:
            continue
        if tested and migration.check_from_migrate and not migration.may_touch(text, context):
            continue  # what the text test passes over, migrate says nothing of
        try:
            findings.extend(
                Finding(
                    relative,
                    document.line_of(notice.offset),
                    notice.message,
                    notice.severity,
                    migration.id,
                    migration.code,
                )
                for notice in list(migration.check(document, context))
            )
        except Exception as error:
            failures.append(internal_error(relative, error, migration.id))
    for standard in _standards(document, path, context, project_makefile):
        try:
            findings.extend(_violations(document, standard))
        except Exception as error:
            failures.append(internal_error(relative, error, f"{kind} standards"))
    # An internal error is never silenced by a ``modernize: ignore`` marker.
    return _unsuppressed(document, findings) + failures, document


def _of_its_kind(text: str, kind: str, migrations: list[Migration], context: Context) -> bool:
    """Whether a file of a kind told by its content is one (as ``apply`` tells it): passing
    the kind's content test and some migration's text test."""
    test = content_test(kind)
    if test is not None and not test(text):
        return False
    return any(kind in m.kinds and m.may_touch(text, context) for m in migrations)


def _parsed(text: str, relative: str, kind: str) -> tuple[Document | None, list[Finding]]:
    """The file's parsed document, or the ``E001`` finding of why it could not be checked."""
    document = Document(relative, kind, text)
    try:
        document.parse()
    except ParseError as error:
        if document.format == "yaml" and TEMPLATE.search(document.text):
            message = "a template (Jinja or similar), not YAML; not checked"
            return None, [Finding(relative, 1, message, "error", code="E001")]
        return None, [Finding(relative, error.line or 1, error.message, "error", code="E001")]
    except Exception as error:  # a bug of the parser: this file only
        return None, [internal_error(relative, error)]
    return document, []


def _standards(
    document: Document, path: Path, context: Context, project_makefile: bool
) -> list[Callable[[], Iterable[Violation]]]:
    """The standards rules of the file's kind (and the MK rules for the project's Makefile)."""
    standards: list[Callable[[], Iterable[Violation]]] = [
        functools.partial(standard, document, context.targets, path.parent)
        for standard in checks_for(document.kind)
    ]
    if project_makefile:
        standards.append(functools.partial(makefile.check, document, context.targets, path.parent))
    return standards


def _violations(document: Document, standard: Callable[[], Iterable[Violation]]) -> list[Finding]:
    return [
        Finding(
            document.path,
            document.line_of(violation.offset),
            violation.message,
            RULES[violation.code].severity,
            code=violation.code,
        )
        for violation in list(standard())
    ]


def _unsuppressed(document: Document, findings: list[Finding]) -> list[Finding]:
    """Drop findings silenced by ``modernize: ignore[CODE]`` on their line or the line above,
    or by ``modernize: ignore-file[CODE]`` anywhere in the file (no codes: every code). The
    marker counts in a ``#`` comment only, not in a quoted string or a command's text."""
    if "modernize:" not in document.text:
        return findings
    file_wide: set[str] = set()
    by_line: dict[int, set[str]] = {}
    for number, line in enumerate(document.text.splitlines(), start=1):
        for match in _IGNORE.finditer(line, comment_start(line)):
            codes = _listed_codes(match.group(2))
            (file_wide if match.group(1) else by_line.setdefault(number, set())).update(codes)

    def silenced(finding: Finding) -> bool:
        for codes in (
            file_wide,
            by_line.get(finding.line, set()),
            by_line.get(finding.line - 1, set()),
        ):
            if "*" in codes or finding.code in codes:
                return True
        return False

    return [finding for finding in findings if not silenced(finding)]


def _listed_codes(listed: str | None) -> set[str]:
    """The codes of a marker's ``[…]`` list, in upper case; ``*`` (every code) without a list,
    none when the list does not parse."""
    if listed is None:
        return {"*"}
    codes = [code.strip().upper() for code in listed.strip("[]").split(",") if code.strip()]
    if not listed.endswith("]") or not codes or not all(map(_CODE.fullmatch, codes)):
        return set()
    return set(codes)


def verify_tree(
    root: Path,
    migrations: list[Migration],
    context: Context,
    strict: bool = False,
    external: bool = True,
    exclude: Sequence[str] = (),
    exclude_base: Path | None = None,
    on_file: Callable[[str, str, float], None] | None = None,
    deferred: list[Checked] | None = None,
) -> list[Finding]:
    """Every finding under ``root``; ``external`` runs the optional validators when installed.

    ``on_file(relative, kind, seconds)`` is told about each file checked (for ``--verbose``).
    With ``deferred``, the files for the validators are added to it instead, so that a caller
    checking many PATHs starts each validator once (``validate``).
    """
    from modernize.rules.importers import surveyed
    from modernize.standards.validators import Checked

    context = surveyed(context, root, migrations)
    kinds = frozenset(kind for m in migrations for kind in m.kinds) | STANDARD_KINDS
    # One walk: the survey's files are among those found (their kind may be no check's).
    surveyed_ones = survey_kinds(migrations)
    walked = list(discover(root, kinds | surveyed_ones, exclude, exclude_base))
    texts = project_files(candidate for candidate in walked if candidate.kind in surveyed_ones)
    context = with_projects(
        context, root, migrations, exclude, exclude_base, texts, covered=surveyed_ones
    )
    findings: list[Finding] = []
    parsed: list[Checked] = []
    for candidate in walked:
        if candidate.kind not in kinds:
            continue
        started = time.perf_counter()
        if candidate.skip_reason:
            # A symbolic link passed over (broken, looping, or leading out of the repository):
            # its target, if any, is checked where it lives, so this is a warning.
            findings.append(
                Finding(candidate.relative, 1, candidate.skip_reason, "warning", code="E001")
            )
        else:
            try:
                found, document = verify_file(
                    candidate.path,
                    candidate.relative,
                    candidate.kind,
                    migrations,
                    context,
                    _is_project_makefile(root, candidate.relative),
                )
            except Exception as error:  # this file only, not the run
                found, document = [internal_error(candidate.relative, error)], None
            findings.extend(found)
            if document is not None:
                parsed.append(Checked(candidate.path, document))
        if on_file is not None:
            on_file(candidate.relative, candidate.kind, time.perf_counter() - started)
    if external and deferred is not None:
        deferred.extend(parsed)
    elif external:
        findings.extend(validate(parsed))
    if strict:
        findings = strictly(findings)
    return sorted(findings, key=lambda f: (f.path, f.line, f.code))


def _is_project_makefile(root: Path, relative: str) -> bool:
    """Whether the file at ``relative`` under PATH ``root`` is the project's own Makefile: at
    the top of PATH, or named as PATH in the current directory (as pre-commit, run from the
    repository's top, names it)."""
    if relative not in makefile.PROJECT_MAKEFILES:
        return False
    return root.is_dir() or root.resolve().parent == Path.cwd().resolve()


def validate(parsed: Sequence[Checked]) -> list[Finding]:
    """The optional validators' findings on these files (their paths: the documents' paths),
    without the suppressed ones."""
    from modernize.standards.validators import run_validators

    documents = {checked.document.path: checked.document for checked in parsed}
    findings: list[Finding] = []
    for finding in run_validators(parsed):
        findings.extend(_unsuppressed(documents[finding.path], [finding]))
    return findings


def strictly(findings: Sequence[Finding]) -> list[Finding]:
    """``--strict``: every warning an error."""
    return [
        replace(finding, severity="error") if finding.severity == "warning" else finding
        for finding in findings
    ]
