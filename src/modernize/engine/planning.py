"""Plan one file: read it, run the migrations over it, prove the edits and return its typed
outcome; never prints. The run over a whole tree is ``repository``'s."""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from modernize.engine.edits import (
    apply_edits,
    keep_comment_columns,
    normalise,
    trim_unchanged_lines,
)
from modernize.engine.proving import verify
from modernize.engine.sharing import shared
from modernize.errors import (
    EditConflictError,
    ModernizeError,
    ParseError,
    ReadError,
    VerificationError,
)
from modernize.formats.document import Document
from modernize.kinds import ADVISED, COMMENTED_KINDS, CONTENT_KINDS, content_test
from modernize.lazy import lazy_pattern
from modernize.model import Edit, EditSummary, Finding, Notice, Outcome
from modernize.records import record
from modernize.registry import Context, Migration
from modernize.workspace.files import Candidate, SourceText, is_given, read_source
from modernize.workspace.writing import write_atomically

if TYPE_CHECKING:
    from modernize.engine.repository import Surveyed

TEMPLATE = lazy_pattern(r"\{%|(?<!\$)\{\{")


@record(frozen=True)
class RunOptions:
    """How one repository's files are planned: the context, the migrations, and what the run
    keeps, writes and renders."""

    context: Context
    migrations: tuple[Migration, ...]
    write: bool
    exclude: tuple[str, ...] = ()
    exclude_base: Path | None = None
    #: Write the files that passed even when another file of the run failed; by default a
    #: run writes all its files or none.
    partial: bool = False
    #: Render each changed file's diff hunks where it is planned (``Outcome.hunks``): in the
    #: worker processes when there are any, instead of one after the other in the main one.
    hunks: bool = False
    #: Keep a changed file's bytes as read and as migrated in its outcome (``original`` and
    #: ``updated``): a run that writes needs them, and so does a diff not rendered where the
    #: file was planned. A file that is not changed never keeps its bytes.
    keep_bytes: bool = True
    #: Make each file's advice for the upgrade hazards where it is planned (``Outcome.advice``),
    #: of its text as read ("read": the run writes nothing) or as the run leaves it on the
    #: disk ("written"); "": none (the run counts no hazards).
    advise: Literal["", "read", "written"] = ""


#: The finding codes of apply's own errors, as verify gives them: the file cannot be read or
#: parsed (E001); the migrated text failed verification or could not be written (E002).
UNPARSEABLE = "E001"
NOT_WRITTEN = "E002"


def _notice_to_finding(document: Document, notice: Notice, codes: Mapping[str, str]) -> Finding:
    """``codes``: each migration's finding code by its ID, the code verify reports it under."""
    return Finding(
        document.path,
        document.line_of(notice.offset),
        shared(notice.message),
        notice.severity,
        notice.migration,
        codes.get(notice.migration, ""),
        shared(notice.facts),
    )


def collect(
    document: Document, migrations: Sequence[Migration], context: Context
) -> tuple[list[Edit], list[Notice]]:
    """Every edit and notice the migrations produce for one document version."""
    edits: list[Edit] = []
    notices: list[Notice] = []
    for migration in migrations:
        if document.kind not in migration.kinds:
            continue
        for result in migration.results(document, context):
            if isinstance(result, Edit):
                edits.append(replace(result, migration=migration.id))
            else:
                notices.append(replace(result, migration=migration.id))
    return edits, notices


def _rerun(document: Document, migrations: Sequence[Migration], context: Context) -> list[Edit]:
    """The edits a second invocation would make on ``document``: it gives every migration the
    text test first, as the first run did, and those whose test fails would yield nothing."""
    rerun = [m for m in migrations if m.may_touch(document.text, context)]
    return collect(document, rerun, context)[0]


def keeping_comment_columns(document: Document, edits: list[Edit]) -> tuple[list[Edit], Document]:
    """The edits to make, and the text they make: widened over the spaces before aligned
    trailing comments so that these stay in their columns, unless that changes the file's data
    (a ``#`` inside a block scalar or a multi-line string is no comment)."""
    plain = document.with_text(apply_edits(document.text, edits))
    if document.kind not in COMMENTED_KINDS:  # trailing comments: YAML and TOML
        return edits, plain
    aligned = keep_comment_columns(document.text, edits)
    if aligned == normalise(edits):
        return edits, plain
    widened = document.with_text(apply_edits(document.text, aligned))
    try:
        if plain.changed_paths(widened):
            return edits, plain
    except ParseError:
        return edits, plain  # the verification reports what the edits themselves broke
    return aligned, widened


def plan_file(candidate: Candidate, options: RunOptions) -> Outcome:
    """Read, migrate and verify one file; write it when ``options.write`` is set."""
    started = time.perf_counter()
    source = read_candidate(candidate)
    if isinstance(source, Outcome):
        source.seconds = time.perf_counter() - started
        return source
    outcome = plan_source(candidate, source, options)
    outcome.seconds = time.perf_counter() - started  # the read included
    return outcome


def plan_before_survey(
    candidate: Candidate,
    options: RunOptions,
    read: SourceText | None = None,
    surveyed: Surveyed | None = None,
    hold: Callable[[SourceText, Sequence[Migration]], None] | None = None,
) -> Outcome | None:
    """The outcome of a file that no migration's text test lets through, known before the
    repository is surveyed; None when a test passes (or fails with an error): the file is
    planned once the survey is made, here and now with ``surveyed`` (which makes it, the first
    time: a run with one process). A text test reads only the targets (``TouchFunction``),
    and a file that none lets through is only parsed, so its outcome is the one the plan would
    give it. ``read``: the file's text, when it was read already (for the survey). ``hold``
    is given the text of a file left for the plan and the migrations whose test passed (a
    worker keeps them for its plan)."""
    started = time.perf_counter()
    source = read_candidate(candidate) if read is None else read
    if isinstance(source, Outcome):
        source.seconds = time.perf_counter() - started
        return source
    targets_only = replace(options, context=Context(options.context.targets))
    touching: Sequence[Migration] | None
    try:
        touching = _touching(candidate, source, targets_only)
    except Exception:
        touching = None  # the plan reports what went wrong in the migration
    if touching is not None and not touching:
        outcome = plan_source(candidate, source, options, touching=())
    elif surveyed is None:
        if hold is not None and touching is not None:
            hold(source, touching)
        return None
    else:
        outcome = plan_source(candidate, source, surveyed.options(), touching)
    outcome.seconds = time.perf_counter() - started  # the read included
    return outcome


def read_candidate(candidate: Candidate) -> SourceText | Outcome:
    """The file's text, or the outcome of a file that cannot be read (or is not to be)."""
    outcome = Outcome(candidate.relative, candidate.kind, "unchanged")
    if candidate.skip_reason:
        outcome.status = "skipped"
        outcome.reason = candidate.skip_reason
        return outcome
    try:
        return read_source(candidate.location)
    except ReadError as error:
        if candidate.kind in CONTENT_KINDS:
            return outcome  # told by its content, which cannot be read: not this tool's
        outcome.status = "skipped" if error.skip else "failed"
        outcome.reason = str(error)
        return outcome


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic collector waits while one file is planned. Planning a big file makes
    millions of objects that live until it is done, and a collection passes over all of them
    (a fifth of the time on a 40,000-line workflow, and more than linear in it); what the file
    left behind is collected after it, while there is little else alive."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def plan_source(
    candidate: Candidate,
    source: SourceText,
    options: RunOptions,
    touching: Sequence[Migration] | None = None,
) -> Outcome:
    """Migrate and verify one file's text, read from ``candidate``; write it when
    ``options.write`` is set. ``touching``: the migrations whose text test passes, when they
    are known. The outcome's ``seconds`` is the time this took."""
    started = time.perf_counter()
    with _collector_paused():
        outcome = _plan_source(candidate, source, options, touching)
    if options.advise and candidate.kind in ADVISED:
        _advise(outcome, candidate, options.advise == "written")
    if outcome.status != "changed" or not options.keep_bytes:
        # Held for every file of the run until it is reported, they would be the run's memory;
        # the spans are for a diff, rendered by now if the run shows one.
        outcome.original = outcome.updated = b""
        outcome.spans = ()
    outcome.seconds = time.perf_counter() - started
    return outcome


#: Whether this process has planned a file that changes, in a run that makes the hazards'
#: advice: from then on it makes the advice of every file it plans. A run that changes nothing
#: counts no hazards, and its files are not scanned for them.
_changes_seen = False


def _advise(outcome: Outcome, candidate: Candidate, written: bool) -> None:
    """Give ``outcome`` the advice of its file as it will be on the disk: migrated when
    ``written`` and it changes (``write_planned`` takes it back from a file not written); its
    bytes are the outcome's, still held."""
    global _changes_seen
    changed = outcome.status == "changed"
    _changes_seen = _changes_seen or changed
    if not _changes_seen or is_given(candidate.location):
        return  # a text given on standard input is not the file the hazards read
    from modernize.advice.advising import file_advice

    raw = outcome.updated if written and changed else outcome.original
    outcome.advice = file_advice(candidate.kind, candidate.relative, raw)


def _plan_source(
    candidate: Candidate,
    source: SourceText,
    options: RunOptions,
    touching: Sequence[Migration] | None,
) -> Outcome:
    outcome = Outcome(candidate.relative, candidate.kind, "unchanged")
    outcome.original = outcome.updated = source.raw
    migrations = [m for m in options.migrations if candidate.kind in m.kinds]
    document = Document(candidate.relative, candidate.kind, source.text)
    try:
        # Only migrations whose text test passes run on the first version; the second run
        # of the verification pass runs them all, as a second invocation would.
        if touching is None:
            touching = _touching(candidate, source, options)
        if not touching and candidate.kind in CONTENT_KINDS:
            return outcome  # told by its content: nothing here is this tool's
        document.parse()  # even with nothing to change: bad input is reported, not passed over
        if not touching:
            return outcome
        edits, notices = collect(document, touching, options.context)
        codes = {migration.id: migration.code for migration in touching}
        outcome.findings = tuple(
            sorted((_notice_to_finding(document, n, codes) for n in notices), key=lambda f: f.line)
        )
        if not edits:
            return outcome
        edits = trim_unchanged_lines(document.text, edits)
        declared = normalise(edits)  # an edit made for two reasons once, declaring both
        edits, updated = keeping_comment_columns(document, edits)
        new_text = updated.text
        if new_text == document.text:
            return outcome
        # The proof replays the operations the migrations declared; the spaces taken in
        # before aligned comments change no data (``keeping_comment_columns`` checks it).
        verify(document, updated, declared, lambda d: _rerun(d, migrations, options.context))
    except ParseError as error:
        return _unparseable(outcome, document, error)
    except (VerificationError, EditConflictError) as error:
        outcome.status = "failed"
        line = getattr(error, "line", None) or 1
        outcome.findings += (
            Finding(candidate.relative, line, str(error), "error", code=NOT_WRITTEN),
        )
        return outcome
    except Exception as error:  # a bug in a migration must not stop the other files
        outcome.status = "failed"
        message = f"internal error in a migration: {type(error).__name__}: {error}; not written"
        outcome.findings += (Finding(candidate.relative, 1, message, "error", code=NOT_WRITTEN),)
        return outcome
    _changed(outcome, source, document, edits, new_text)
    if options.hunks:
        from modernize.render.run import outcome_hunks

        outcome.hunks = outcome_hunks(outcome)
    if options.write:
        write_outcome(outcome, candidate.path)
    return outcome


def _unparseable(outcome: Outcome, document: Document, error: ParseError) -> Outcome:
    """A file that does not parse fails, unless it is a template (a YAML one is skipped) or of a
    kind told by its content (passed over: it is not this tool's)."""
    if document.kind in CONTENT_KINDS:
        return outcome  # told by its content, and it does not parse: not this tool's
    if document.format == "yaml" and TEMPLATE.search(document.text):
        outcome.status = "skipped"
        outcome.reason = "a template (Jinja or similar), not YAML; skipped"
        return outcome
    outcome.status = "failed"
    outcome.findings += (
        Finding(document.path, error.line or 1, error.message, "error", code=UNPARSEABLE),
    )
    return outcome


def _changed(
    outcome: Outcome,
    source: SourceText,
    document: Document,
    edits: Sequence[Edit],
    new_text: str,
) -> None:
    """Record in ``outcome`` the text ``edits`` made: its bytes, spans and edit summaries."""
    outcome.status = "changed"
    outcome.updated = source.encode(new_text)
    outcome.bom = source.bom
    delta = 0
    spans = []
    for edit in normalise(edits):
        new_start = edit.start + delta
        spans.append((edit.start, edit.end, new_start, new_start + len(edit.replacement)))
        delta += len(edit.replacement) - (edit.end - edit.start)
    outcome.spans = tuple(spans)
    outcome.edits = tuple(
        shared(
            EditSummary(
                edit.migration,
                document.line_of(edit.start),
                shared(document.text[edit.start : edit.end]),
                shared(edit.replacement),
            )
        )
        for edit in sorted(edits, key=lambda e: e.start)
    )


def plan_given(candidate: Candidate, source: SourceText | None, options: RunOptions) -> Outcome:
    """Plan ``candidate`` from ``source``, its text as already read; read it first when None."""
    if source is None:
        return plan_file(candidate, options)
    return plan_source(candidate, source, options)


def lost(candidate: Candidate) -> Outcome:
    outcome = Outcome(candidate.relative, candidate.kind, "failed")
    message = (
        "the worker process planning this file died (killed, or out of memory?); nothing was "
        "written: run again"
    )
    outcome.findings += (Finding(candidate.relative, 1, message, "error", code=NOT_WRITTEN),)
    return outcome


def _touching(candidate: Candidate, source: SourceText, options: RunOptions) -> list[Migration]:
    """The migrations whose text test passes on the file: they may have something to change."""
    test = content_test(candidate.kind)
    if test is not None and not test(source.text):
        return []  # not of its kind after all (an extensionless file that is no Dockerfile)
    return [
        m
        for m in options.migrations
        if candidate.kind in m.kinds and m.may_touch(source.text, options.context)
    ]


def write_outcome(outcome: Outcome, path: Path) -> None:
    """Replace the file ``outcome`` planned (its text as read: ``outcome.original``)."""
    try:
        write_atomically(path, outcome.original, outcome.updated)
    except ModernizeError as error:
        outcome.status = "failed"
        outcome.findings += (Finding(outcome.path, 1, str(error), "error", code=NOT_WRITTEN),)
