"""Loading migrations: what a migration must declare, and what is checked at load time."""

from __future__ import annotations

from pathlib import Path

import pytest

from modernize.errors import MigrationLoadError
from modernize.formats.document import Document
from modernize.registry import Context, Migration, load_migrations
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


@pytest.mark.parametrize("own_check", [False, True])
def test_verify_passes_a_check_made_from_migrate_over_where_the_text_test_says_no(
    tmp_path: Path, own_check: bool
) -> None:
    """The text test's promise is about ``migrate``: the check made from it has nothing to
    say where the test says no, but a check of the migration's own may."""
    from modernize.standards.checking import verify_file

    touches = '\n\ndef touches(text, context):\n    return "old" in text\n'
    if own_check:
        touches += '\n\ndef check(document, context):\n    yield Notice(0, "checked my way")\n'
    declarations = 'CODE = "M900"' + ("" if own_check else '\nFINDING = "old thing"')
    _write(tmp_path, "0900_gated.py", "gated", declarations, touches)
    migration = next(m for m in load_migrations([tmp_path]) if m.id == "gated")
    assert migration.check_from_migrate is not own_check
    makefile = tmp_path / "Makefile"
    # No "old": the text test says no, though migrate would refuse here (a test that breaks
    # its promise, to show that verify takes the test at its word).
    makefile.write_text("all:\n\techo new\nrefuse:\n")
    context = Context(Targets())
    found, _document = verify_file(makefile, "Makefile", "makefile", [migration], context)
    messages = [f.message for f in found if f.code == "M900"]
    assert messages == (["checked my way"] if own_check else [])
    # A backslash may spell a value otherwise than the test looks for it: every check runs.
    makefile.write_text("all:\n\techo new \\\n\t  done\nrefuse:\n")
    found, _document = verify_file(makefile, "Makefile", "makefile", [migration], context)
    messages = [f.message for f in found if f.code == "M900"]
    assert messages == (["checked my way"] if own_check else ["refused here"])


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


def test_the_manifest_of_the_builtin_migrations_is_current() -> None:
    """What the registry knows of a built-in migration without importing it is what the module
    declares: regenerate it with the script when a migration changes."""
    import subprocess
    import sys

    from modernize.registry import MANIFEST, manifest_text

    command = "python scripts/migration_manifest.py"
    assert MANIFEST.read_text(encoding="utf-8") == manifest_text(), f"regenerate it: {command}"
    script = Path(__file__).parents[1] / "scripts" / "migration_manifest.py"
    checked = subprocess.run([sys.executable, str(script), "--check"], capture_output=True)
    assert checked.returncode == 0, checked.stderr


def _fresh_load(monkeypatch: pytest.MonkeyPatch, manifest: Path) -> list[Migration]:
    from modernize import registry

    monkeypatch.setattr(registry, "MANIFEST", manifest)
    monkeypatch.setattr(registry, "_builtin", None)
    return load_migrations()


def _declared(migration: Migration) -> tuple[object, ...]:
    return (
        migration.number,
        migration.id,
        migration.title,
        migration.kinds,
        migration.enabled_by_default,
        migration.doc,
        migration.source,
        migration.touches is None,
        migration.code,
        migration.moves,
    )


def test_a_migration_whose_file_is_not_the_manifests_is_imported_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A module edited since the manifest was written is imported and validated, as with no
    manifest at all: the manifest never stands for another file."""
    import json

    from modernize import registry

    written = json.loads(registry.MANIFEST.read_text(encoding="utf-8"))
    deferred = _fresh_load(monkeypatch, registry.MANIFEST)
    written["migrations"][1]["digest"] = "0:00000000"
    written["migrations"][1]["title"] = "a title from another version of the file"
    stale = tmp_path / "migrations.json"
    stale.write_text(json.dumps(written), encoding="utf-8")
    mixed = _fresh_load(monkeypatch, stale)
    eager = _fresh_load(monkeypatch, tmp_path / "missing.json")
    assert [_declared(m) for m in deferred] == [_declared(m) for m in mixed]
    assert [_declared(m) for m in deferred] == [_declared(m) for m in eager]
    assert [type(m.migrate).__name__ for m in mixed[:3]] == ["_Deferred", "function", "_Deferred"]
    assert {type(m.migrate).__name__ for m in eager} == {"function"}


def test_a_deferred_migration_runs_as_its_module_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same edits, findings and text test whether the module was imported first or not."""
    text = "FROM python:3.10-slim\nMAINTAINER someone\n"
    context = Context(Targets())
    results = []
    for manifest in (None, Path("missing.json")):
        if manifest is not None:
            migrations = _fresh_load(monkeypatch, manifest)
        else:
            migrations = load_migrations()
        chosen = [m for m in migrations if "dockerfile" in m.kinds]
        document = Document("Dockerfile", "dockerfile", text)
        results.append(
            [
                (
                    m.may_touch(text, context),
                    list(m.results(document, context)),
                    list(m.check(document, context)),
                )
                for m in chosen
            ]
        )
    assert results[0] == results[1]
    assert any(edits for _, edits, _ in results[0])
