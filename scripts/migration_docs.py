"""Write docs/migrations.md from the migrations' docstrings (``--check``: only say whether it
is current, exit 1 when it is not)."""

from __future__ import annotations

import sys
from pathlib import Path

from modernize.registry import load_migrations
from modernize.render.reference import migrations_reference

PAGE = Path(__file__).resolve().parent.parent / "docs" / "migrations.md"


def main(argv: list[str]) -> int:
    text = migrations_reference(load_migrations())
    if "--check" in argv:
        current = PAGE.is_file() and PAGE.read_text(encoding="utf-8") == text
        if not current:
            print(
                f"{PAGE.name} is not current: run python scripts/migration_docs.py", file=sys.stderr
            )
        return 0 if current else 1
    PAGE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
