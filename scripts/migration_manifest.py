"""Write src/modernize/data/migrations.json, what each built-in migration declares, from the
migrations themselves (``--check``: only say whether it is current, exit 1 when it is not)."""

from __future__ import annotations

import sys

from modernize.registry import MANIFEST, manifest_text


def main(argv: list[str]) -> int:
    text = manifest_text()
    if "--check" in argv:
        current = MANIFEST.is_file() and MANIFEST.read_text(encoding="utf-8") == text
        if not current:
            print(
                f"{MANIFEST.name} is not current: run python scripts/migration_manifest.py",
                file=sys.stderr,
            )
        return 0 if current else 1
    MANIFEST.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
