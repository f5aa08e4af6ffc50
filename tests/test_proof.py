"""The proof: the edited data must be the original data with exactly the declared operations
applied.

Two kinds of test. Table tests give the proof an edit with its declaration, right or wrong,
and say what it must conclude. The mutation test takes every edit the migrations make on the
golden fixtures, breaks it on purpose in the ways real bugs broke edits (a span cut short at
its first line, a span running into the next line, a replacement typed wrong, a replacement
lost), and shows the proof refusing each broken edit of each kind -- or, where a break happens
to change nothing a parser sees, that the data really is what the correct edit gives.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

from modernize.engine.edits import apply_edits, normalise, trim_unchanged_lines
from modernize.engine.planning import collect
from modernize.engine.proving import VerificationError, prove
from modernize.errors import EditConflictError, ParseError
from modernize.formats.document import YAML_KINDS, Document
from modernize.model import (
    Edit,
    InPlace,
    InsertItem,
    Operation,
    RemoveItem,
    RemoveKey,
    Rewrite,
    SetValue,
)
from modernize.registry import Context, Migration, load_migrations
from modernize.workspace.config import Overrides, resolve
from modernize.workspace.files import classify, read_source

FIXTURES = Path(__file__).parent / "fixtures"


@cache
def _setup() -> tuple[Context, tuple[Migration, ...]]:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / ".git").mkdir()
        resolved = resolve(Path(tmp), Overrides(), tmp)
    return Context(resolved.targets), tuple(load_migrations())  # the opt-in ones too


def _document(relative: str, kind: str, text: str) -> Document:
    document = Document(relative, kind, text)
    document.parse()
    return document


def _accepts(original: Document, edits: list[Edit]) -> tuple[bool, str]:
    """Whether the proof lets ``edits`` through, and the text they make."""
    try:
        edits = normalise(edits)  # as the engine gives them to the proof
        new_text = apply_edits(original.text, edits)
    except EditConflictError:
        return False, ""
    try:
        updated = _document(original.path, original.kind, new_text)
    except ParseError:  # the re-parse refuses it before the proof is asked
        return False, new_text
    try:
        prove(original, updated, edits)
    except VerificationError:
        return False, new_text
    return True, new_text


# -- table tests ----------------------------------------------------------------------------

WORKFLOW = (
    "jobs:\n"
    "  test:\n"
    "    strategy:\n"
    "      matrix:\n"
    "        python-version:\n"
    "          - 3.12\n"
    "          - >-\n"
    "            3.9\n"
    "    runs-on: ubuntu-latest  # a comment\n"
)
MATRIX = (0, "jobs", "test", "strategy", "matrix", "python-version")


def _span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def test_removing_a_block_scalar_entry_whole_is_accepted() -> None:
    original = _document(".github/workflows/ci.yml", "workflow", WORKFLOW)
    start, end = _span(WORKFLOW, "          - >-\n            3.9\n")
    accepted, _ = _accepts(original, [Edit(start, end, "", (RemoveItem((*MATRIX, 1)),))])
    assert accepted


def test_removing_only_the_first_line_of_a_block_scalar_entry_is_refused() -> None:
    """The defect the proof let through: the orphaned ``3.9`` joins the entry above it."""
    original = _document(".github/workflows/ci.yml", "workflow", WORKFLOW)
    start, end = _span(WORKFLOW, "          - >-\n")
    accepted, new_text = _accepts(original, [Edit(start, end, "", (RemoveItem((*MATRIX, 1)),))])
    assert yaml.safe_load(new_text)["jobs"]["test"]["strategy"]["matrix"]["python-version"] == [
        "3.12 3.9"
    ]
    assert not accepted


def test_a_value_set_to_something_else_than_declared_is_refused() -> None:
    original = _document(".github/workflows/ci.yml", "workflow", WORKFLOW)
    start, end = _span(WORKFLOW, "ubuntu-latest")
    path = (0, "jobs", "test", "runs-on")
    assert _accepts(
        original, [Edit(start, end, "ubuntu-24.04", (SetValue(path, "ubuntu-24.04"),))]
    )[0]
    assert not _accepts(
        original, [Edit(start, end, "ubuntu-22.04", (SetValue(path, "ubuntu-24.04"),))]
    )[0]


def test_a_change_outside_every_declared_path_is_refused() -> None:
    original = _document(".github/workflows/ci.yml", "workflow", WORKFLOW)
    start, end = _span(WORKFLOW, "ubuntu-latest")
    assert not _accepts(original, [Edit(start, end, "macos-latest", (InPlace(MATRIX),))])[0]


def test_an_edit_that_declares_nothing_may_change_no_data() -> None:
    original = _document(".github/workflows/ci.yml", "workflow", WORKFLOW)
    start, end = _span(WORKFLOW, "# a comment")
    assert _accepts(original, [Edit(start, end, "# another comment")])[0]
    start, end = _span(WORKFLOW, "ubuntu-latest")
    assert not _accepts(original, [Edit(start, end, "ubuntu-24.04")])[0]


PYPROJECT = (
    "[project]\n"
    'name = "demo"\n'
    "classifiers = [\n"
    '    "Programming Language :: Python :: 3.12",\n'
    '    """Programming Language ::\n'
    'Python :: 3.9""",\n'
    "]\n"
)


def test_a_multi_line_toml_string_loses_all_its_lines_or_the_edit_is_refused() -> None:
    original = _document("pyproject.toml", "pyproject", PYPROJECT)
    whole = _span(PYPROJECT, '    """Programming Language ::\nPython :: 3.9""",\n')
    first = _span(PYPROJECT, '    """Programming Language ::\n')
    remove = (RemoveItem(("project", "classifiers", 1)),)
    assert _accepts(original, [Edit(*whole, "", remove)])[0]
    assert not _accepts(original, [Edit(*first, "", remove)])[0]


def test_removing_a_key_must_remove_the_key_and_nothing_else() -> None:
    compose = 'version: "3.8"\nservices:\n  web:\n    image: nginx\n'
    original = _document("docker-compose.yml", "compose", compose)
    assert _accepts(original, [Edit(0, 15, "", (RemoveKey((0, "version")),))])[0]
    # Taking the next line with it removes data nobody declared.
    assert not _accepts(original, [Edit(0, 25, "", (RemoveKey((0, "version")),))])[0]


def test_an_inserted_item_must_be_the_declared_value_at_the_declared_place() -> None:
    original = _document(".github/workflows/ci.yml", "workflow", WORKFLOW)
    at = WORKFLOW.index("          - >-")
    insert = (InsertItem((*MATRIX, 1), "3.13"),)
    assert _accepts(original, [Edit(at, at, '          - "3.13"\n', insert)])[0]
    assert not _accepts(original, [Edit(at, at, '          - "3.14"\n', insert)])[0]
    assert not _accepts(
        original, [Edit(at, at, '          - "3.13"\n', (InsertItem((*MATRIX, 0), "3.13"),))]
    )[0]


def test_a_python_edit_may_rewrite_only_its_declared_lines() -> None:
    source = "from typing import List\n\nx: List[int] = []\ny = 1\n"
    original = _document("app.py", "python", source)
    start, end = _span(source, "List[int]")
    assert _accepts(original, [Edit(start, end, "list[int]", (Rewrite(("line", 2)),))])[0]
    start, end = _span(source, "y = 1")
    assert not _accepts(original, [Edit(start, end, "y = 2", (Rewrite(("line", 2)),))])[0]


def test_a_top_level_complex_key_does_not_make_removing_version_fail() -> None:
    compose = 'version: "3.8"\n? [a, b]\n: pair\nservices:\n  web:\n    image: nginx\n'
    original = _document("docker-compose.yml", "compose", compose)
    assert _accepts(original, [Edit(0, 15, "", (RemoveKey((0, "version")),))])[0]


# -- the mutation test ----------------------------------------------------------------------

Mutator = Callable[[str, Edit], "Edit | None"]


def _cut_to_first_line(text: str, edit: Edit) -> Edit | None:
    """The defect of block scalars and multi-line strings: only the first line goes."""
    newline = text.find("\n", edit.start, edit.end)
    if newline < 0 or newline + 1 >= edit.end:
        return None
    return replace(edit, end=newline + 1)


def _run_into_next_line(text: str, edit: Edit) -> Edit | None:
    """A span measured too far: it runs on to the end of the next line that holds text."""
    newline = text.find("\n", max(edit.end - 1, edit.start))
    while newline >= 0:
        following = text.find("\n", newline + 1)
        if following < 0:
            return None
        if text[newline + 1 : following].strip():
            return replace(edit, end=following + 1)
        newline = following
    return None


def _typo(text: str, edit: Edit) -> Edit | None:
    """A replacement written wrong: its last digit or letter is doubled."""
    body = edit.replacement.rstrip()
    for position in range(len(body) - 1, -1, -1):
        if body[position].isalnum():
            character = body[position]
            return replace(
                edit,
                replacement=edit.replacement[:position] + character + edit.replacement[position:],
            )
    return None


def _lose_replacement(text: str, edit: Edit) -> Edit | None:
    """A replacement dropped: the old text goes and nothing takes its place."""
    if not edit.replacement.strip():
        return None
    return replace(edit, replacement="\n" if edit.replacement.endswith("\n") else "")


MUTATORS: dict[str, Mutator] = {
    "cut to first line": _cut_to_first_line,
    "run into next line": _run_into_next_line,
    "typo": _typo,
    "lost replacement": _lose_replacement,
}


#: The mutators that change what an edit writes rather than where.
_VALUE_MUTATORS = frozenset({"typo", "lost replacement"})


def _independent_data(kind: str, text: str) -> Any:
    """The data as another parser reads it, to judge a broken edit the proof let through;
    None where there is no other parser, or it refuses the text (PyYAML takes no TAB after a
    value, which the project's reader allows)."""
    try:
        if kind in YAML_KINDS:
            return list(yaml.safe_load_all(text))
        if kind == "pyproject":
            return tomllib.loads(text)
        if kind == "python":  # within its declared lines a rewrite may change anything
            return None
    except (yaml.YAMLError, tomllib.TOMLDecodeError):
        return None
    return None


def _fixture_files() -> Iterator[tuple[str, Path]]:
    for case in sorted(path.parent for path in FIXTURES.glob("*/*/input")):
        if (case / "args.txt").exists():
            continue  # other targets: the default ones may not touch it, and need not
        for path in sorted((case / "input").rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield case.parent.name, path


def _mutants() -> Iterator[tuple[str, type, str, Document, list[Edit], list[Edit]]]:
    context, migrations = _setup()
    for migration_id, path in _fixture_files():
        relative = "/".join(path.parts[path.parts.index("input") + 1 :])
        kind = classify(relative)
        if kind is None:
            continue
        try:
            text = read_source(path).text
            original = _document(relative, kind, text)
        except Exception:  # an input the fixture shows refused: nothing to mutate
            continue
        chosen = [m for m in migrations if m.id == migration_id and kind in m.kinds]
        edits, _ = collect(original, chosen, context)
        if not edits:
            continue
        edits = trim_unchanged_lines(text, edits)
        for index, edit in enumerate(edits):
            for name, mutate in MUTATORS.items():
                if (
                    name in _VALUE_MUTATORS
                    and edit.declares
                    and all(isinstance(op, (InPlace, Rewrite)) for op in edit.declares)
                ):
                    # An in-place edit declares "this value, with this span replaced by the
                    # replacement": a different replacement declares a different value, and is
                    # a different edit, not a broken one. Its span can be broken.
                    continue
                broken = mutate(text, edit)
                if broken is None or broken == edit:
                    continue
                operations: set[type[Operation]] = {type(op) for op in edit.declares}
                for operation in operations or {type(None)}:
                    yield (
                        f"{relative} ({migration_id}) edit {index}: {name}",
                        operation,
                        name,
                        original,
                        edits,
                        [*edits[:index], broken, *edits[index + 1 :]],
                    )


@cache
def _results() -> tuple[Counter[tuple[type, str]], Counter[tuple[type, str]], tuple[str, ...]]:
    """Every mutant judged once: refusals and tries by (operation, mutator), and the labels of
    broken edits that got through although another parser sees different data."""
    refused: Counter[tuple[type, str]] = Counter()
    tried: Counter[tuple[type, str]] = Counter()
    let_through: list[str] = []
    for label, operation, name, original, edits, broken in _mutants():
        accepted, correct_text = _accepts(original, edits)
        assert accepted, f"{label}: the unbroken edits must pass the proof"
        broken_accepted, broken_text = _accepts(original, broken)
        tried[operation, name] += 1
        if not broken_accepted:
            refused[operation, name] += 1
            continue
        if broken_text == correct_text:
            continue
        expected = _independent_data(original.kind, correct_text)
        if expected is not None and _independent_data(original.kind, broken_text) != expected:
            let_through.append(label)
    return refused, tried, tuple(let_through)


def test_no_broken_edit_that_corrupts_data_gets_past_the_proof() -> None:
    let_through = _results()[2]
    assert not let_through, "broken edits that corrupt data got past the proof:\n" + "\n".join(
        let_through
    )


@pytest.mark.parametrize(
    "operation",
    [InPlace, SetValue, RemoveItem, InsertItem, RemoveKey, Rewrite],
    ids=lambda o: o.__name__,
)
def test_the_proof_refuses_broken_edits_of_each_kind(operation: type) -> None:
    refused, tried, _ = _results()
    count = sum(n for (kind, _name), n in refused.items() if kind is operation)
    attempts = sum(n for (kind, _name), n in tried.items() if kind is operation)
    assert count >= 3, f"{operation.__name__}: {count} of {attempts} broken edits refused"


@pytest.mark.parametrize("name", sorted(MUTATORS))
def test_each_way_of_breaking_an_edit_is_refused(name: str) -> None:
    refused, tried, _ = _results()
    count = sum(n for (_kind, mutator), n in refused.items() if mutator == name)
    attempts = sum(n for (_kind, mutator), n in tried.items() if mutator == name)
    assert count >= 3, f"{name}: {count} of {attempts} broken edits refused"


def _comment_migration(marker: str, touches: Callable[[str, Context], bool] | None) -> Migration:
    """A migration that adds ``+`` after ``marker``, a comment: it declares no data change."""

    def migrate(document: Document, _context: Context) -> Iterator[Edit]:
        at = document.text.find(marker)
        if at != -1:
            yield Edit(at + len(marker), at + len(marker), "+")

    return Migration(
        9000,
        "comment-grows",
        "grow a comment",
        frozenset({"compose"}),
        migrate,
        lambda _document, _context: iter(()),
        True,
        "",
        Path("9000_comment_grows.py"),
        touches,
        "M900",
    )


def _planned(tmp_path: Path, migration: Migration, text: str) -> Any:
    from modernize.engine.planning import RunOptions, plan_file
    from modernize.workspace.files import Candidate

    (tmp_path / "compose.yaml").write_text(text, encoding="utf-8")
    options = RunOptions(_setup()[0], (migration,), write=False)
    return plan_file(Candidate(str(tmp_path / "compose.yaml"), "compose.yaml", "compose"), options)


def test_the_second_run_refuses_a_migration_that_changes_its_own_output(tmp_path: Path) -> None:
    migration = _comment_migration("# grows", lambda text, _context: "# grows" in text)
    outcome = _planned(tmp_path, migration, "services: {}  # grows\n")
    assert outcome.status == "failed"
    assert "a second run would change line 1 again (comment-grows); not idempotent" in (
        outcome.findings[-1].message
    )


def test_the_second_run_gives_each_migration_its_text_test_as_a_second_invocation_would(
    tmp_path: Path,
) -> None:
    # The text test says the migration has nothing to say once ``# once`` is gone; the first
    # edit makes it ``# once+``, which a second invocation would pass over.
    migration = _comment_migration("# once", lambda text, _context: "# once\n" in text)
    outcome = _planned(tmp_path, migration, "services: {}  # once\n")
    assert outcome.status == "changed", outcome.findings
    assert outcome.updated == b"services: {}  # once+\n"
