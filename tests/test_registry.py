"""Loading migrations: what a migration must declare, and what is checked at load time."""

from __future__ import annotations

from pathlib import Path

import pytest

from modernize.errors import MigrationLoadError
from modernize.formats.document import Document
from modernize.registry import Context, load_migrations
from modernize.targets import Targets

TEMPLATE = '''"""A test migration: what, why, example, refusals."""

from modernize.authoring import Edit, Notice

ID = "{id}"
TITLE = "A test migration"
KINDS = ("makefile",)
{declarations}


def migrate(document, context):
    start = document.text.find("old")
    if start >= 0:
        yield Edit(start, start + 3, "new")
    if "refuse" in document.text:
        yield Notice(0, "refused here")
{extra}
'''


def _write(folder: Path, name: str, migration_id: str, declarations: str, extra: str = "") -> None:
    folder.mkdir(exist_ok=True)
    text = TEMPLATE.format(id=migration_id, declarations=declarations, extra=extra)
    (folder / name).write_text(text)


def test_every_builtin_migration_declares_a_unique_code() -> None:
    codes = [migration.code for migration in load_migrations()]
    assert len(codes) == len(set(codes)) and all(len(code) == 4 for code in codes)


def test_a_code_taken_by_another_migration_is_refused_at_load_time(tmp_path: Path) -> None:
    """A migration numbered 0125 used to get M012, compose-python's code, silently."""
    _write(tmp_path, "0125_late.py", "late", 'CODE = "M012"\nFINDING = "old thing"')
    with pytest.raises(MigrationLoadError, match="CODE 'M012' is also used by"):
        load_migrations([tmp_path])


@pytest.mark.parametrize("declaration", ['CODE = "M12"', 'CODE = "X900"', 'CODE = "M\uff1900"', ""])
def test_a_missing_or_malformed_code_is_refused(tmp_path: Path, declaration: str) -> None:
    _write(tmp_path, "0900_odd.py", "odd", f'{declaration}\nFINDING = "old thing"')
    with pytest.raises(MigrationLoadError, match="CODE"):
        load_migrations([tmp_path])


def test_a_migration_without_finding_or_check_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "0900_quiet.py", "quiet", 'CODE = "M900"')
    with pytest.raises(MigrationLoadError, match="FINDING"):
        load_migrations([tmp_path])


def test_the_check_is_derived_from_migrate_and_finding(tmp_path: Path) -> None:
    _write(tmp_path, "0900_derived.py", "derived", 'CODE = "M900"\nFINDING = "old thing"')
    migration = next(m for m in load_migrations([tmp_path]) if m.id == "derived")
    document = Document("Makefile", "makefile", "all:\n\techo old\nrefuse:\n")
    document.parse()
    notices = list(migration.check(document, Context(Targets())))
    # A refusal and a pending change, each an error at its place.
    assert [(n.offset, n.message, n.severity) for n in notices] == [
        (0, "refused here", "error"),
        (11, "old thing; would become: echo new", "error"),
    ]
    assert migration.code == "M900"


def test_a_migration_may_still_write_its_own_check(tmp_path: Path) -> None:
    extra = '\n\ndef check(document, context):\n    yield Notice(0, "checked my way")\n'
    _write(tmp_path, "0900_own.py", "own", 'CODE = "M900"', extra)
    migration = next(m for m in load_migrations([tmp_path]) if m.id == "own")
    document = Document("Makefile", "makefile", "all:\n")
    document.parse()
    assert [n.message for n in migration.check(document, Context(Targets()))] == ["checked my way"]


def test_builtin_migrations_are_modules_of_the_package() -> None:
    """Found by module discovery in ``modernize.migrations`` (the top-level folder of a
    checkout, mapped into the package by the wheel), so tests and worker processes import
    them by name, and a pickled function names its module."""
    import importlib
    import pickle

    folder = Path(__file__).parents[1] / "migrations"
    names = sorted(path.stem for path in folder.glob("[0-9]*.py"))
    loaded = load_migrations()
    assert [Path(m.source).stem for m in loaded] == names
    for migration in loaded:
        module = importlib.import_module(f"modernize.migrations.{Path(migration.source).stem}")
        assert migration.id == module.ID
        assert migration.migrate.__module__ == module.__name__
        assert pickle.loads(pickle.dumps(migration.migrate)) is migration.migrate


def test_a_folder_the_user_names_adds_its_migrations_after_the_builtin_ones(
    tmp_path: Path,
) -> None:
    _write(tmp_path, "0990_extra.py", "extra", 'CODE = "M990"\nFINDING = "old text"')
    loaded = load_migrations([tmp_path])
    assert loaded[-1].id == "extra"
    assert loaded[-1].source == tmp_path / "0990_extra.py"
    assert [m.id for m in load_migrations()][-1] != "extra"  # the package alone: not there
