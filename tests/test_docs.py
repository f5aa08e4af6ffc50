"""The README and the pages of docs/: the generated reference is current, every link leads
somewhere, the README stays short, and nothing points at a package page that does not exist."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from modernize.registry import load_migrations
from modernize.render.reference import COMMAND, migrations_reference

ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"
PAGES = sorted((ROOT / "docs").glob("*.md"))
_LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_the_migration_reference_is_generated_from_the_docstrings() -> None:
    page = (ROOT / "docs" / "migrations.md").read_text(encoding="utf-8")
    assert page == migrations_reference(load_migrations()), f"regenerate it: {COMMAND}"
    for migration in load_migrations():
        first_line = migration.doc.splitlines()[0]
        assert first_line.replace("``", "`") in page  # each docstring is on the page


def test_the_script_checks_and_writes_the_page() -> None:
    script = ROOT / "scripts" / "migration_docs.py"
    checked = subprocess.run([sys.executable, str(script), "--check"], capture_output=True)
    assert checked.returncode == 0, checked.stderr


def test_a_docstring_becomes_markdown() -> None:
    from modernize.render.reference import _markdown

    doc = (
        "Move ``x`` to ``y``.\n\n"
        "What: the ``FROM`` line.\n\n"
        "Example::\n\n"
        "    FROM python:3.10   ->   FROM python:3.12\n\n"
        "Refuses: a ``a`b`` span.\n"
    )
    assert _markdown(doc) == (
        "Move `x` to `y`.\n\n"
        "**What:** the `FROM` line.\n\n"
        "**Example:**\n\n"
        "```text\nFROM python:3.10   ->   FROM python:3.12\n```\n\n"
        "**Refuses:** a `` a`b `` span."
    )


@pytest.mark.parametrize("page", [README, *PAGES], ids=lambda path: path.name)
def test_every_relative_link_leads_to_a_file_that_exists(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    for target in _LINK.findall(text):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        path = target.split("#", 1)[0]
        assert (page.parent / path).exists(), f"{page.name}: {target} leads nowhere"


def test_the_readme_links_every_page_and_stays_short() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) < 300
    for page in PAGES:
        assert f"(docs/{page.name})" in text, page.name


def test_no_text_points_at_a_package_page_that_does_not_exist() -> None:
    for page in [README, *PAGES, ROOT / "CHANGELOG.md", ROOT / "pyproject.toml"]:
        text = page.read_text(encoding="utf-8")
        assert "pypi.org/project" not in text, page.name
    # The commands for a published release are in one place.
    assert README.read_text(encoding="utf-8").count("pipx install repo-modernize") == 1


def test_the_licence_file_is_the_declared_one() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^license = "MIT"$', pyproject, re.M)
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "modernize contributors" in text
