"""Shared test helpers: run the CLI in-process and snapshot file trees."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from modernize.cli import cli


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def warnings(self) -> list[str]:
        return sorted(line for line in self.stderr.splitlines() if ": warning: " in line)

    @property
    def diagnostics(self) -> list[str]:
        """The warnings and notes, sorted together as a fixture's ``warnings.txt`` lists them."""
        return sorted(
            line for line in self.stderr.splitlines() if ": warning: " in line or ": note: " in line
        )

    @property
    def errors(self) -> list[str]:
        return sorted(line for line in self.stderr.splitlines() if ": error: " in line)


def run_cli(args: Sequence[str], cwd: Path, stdin: str | None = None) -> Run:
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)
    finally:
        os.chdir(previous)
    # .stdout normalises CRLF; the diff of a CRLF file must keep its bytes.
    return Run(
        result.exit_code,
        result.stdout_bytes.decode("utf-8"),
        result.stderr_bytes.decode("utf-8") if result.stderr_bytes else "",
    )


def snapshot(root: Path) -> dict[str, bytes]:
    """Every regular file under ``root`` by relative POSIX path, with its bytes."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def sarif_schema() -> dict[str, object]:
    """The OASIS SARIF 2.1.0 schema: from $SARIF_SCHEMA, or a ``shared/data`` folder beside the
    checkout or one of the folders above it; the test is skipped where none holds it (nothing
    is fetched)."""
    import json

    import pytest

    root = Path(__file__).resolve().parent.parent
    candidates = [os.environ.get("SARIF_SCHEMA", "")]
    candidates += [str(up / "shared" / "data" / "sarif-schema-2.1.0.json") for up in root.parents]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            loaded: dict[str, object] = json.loads(Path(candidate).read_text(encoding="utf-8"))
            return loaded
    pytest.skip("no copy of the SARIF 2.1.0 schema here (set SARIF_SCHEMA)")
