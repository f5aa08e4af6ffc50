"""What must never happen to a user's files: lost bytes, half writes, writes outside the repo."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from modernize import registry
from modernize.errors import ModernizeError
from modernize.formats.document import Document
from modernize.model import Edit, Notice
from modernize.registry import Context, Migration
from modernize.workspace import files
from modernize.workspace.writing import write_atomically
from tests.helpers import run_cli, snapshot

COMPOSE = b'version: "3"\nservices:\n  db:\n    image: postgres:14\n'


def _write(root: Path, name: str, data: bytes) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_apply_keeps_the_file_mode(tmp_path: Path) -> None:
    path = _write(tmp_path, "docker-compose.yml", COMPOSE)
    path.chmod(0o640)
    assert run_cli(["apply"], tmp_path).exit_code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert path.read_bytes() == b"services:\n  db:\n    image: postgres:16\n"
    assert [p.name for p in tmp_path.iterdir()] == ["docker-compose.yml"]  # no temp files left


def test_a_file_changed_since_it_was_read_is_not_overwritten(tmp_path: Path) -> None:
    path = _write(tmp_path, "Dockerfile", b"FROM python:3.10\n")
    path.write_bytes(b"FROM python:3.11\n")  # someone else edited it meanwhile
    with pytest.raises(ModernizeError, match="changed on disk"):
        write_atomically(path, b"FROM python:3.10\n", b"FROM python:3.12\n")
    assert path.read_bytes() == b"FROM python:3.11\n"


def test_symlink_to_outside_the_repository_is_never_written_through(tmp_path: Path) -> None:
    outside = _write(tmp_path, "outside/docker-compose.yml", COMPOSE)
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "docker-compose.yml").symlink_to(outside)
    result = run_cli(["apply"], repo)
    assert result.exit_code == 0
    assert outside.read_bytes() == COMPOSE
    assert (repo / "docker-compose.yml").is_symlink()
    assert result.warnings == [
        "docker-compose.yml:1: warning: symbolic link to a file outside the repository; not written"
    ]


def test_a_symlinked_directory_out_of_the_repository_is_not_walked(tmp_path: Path) -> None:
    outside = _write(tmp_path, "outside/Dockerfile", b"FROM python:3.10\n")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "vendor").symlink_to("../outside")
    _write(repo, "Dockerfile", b"FROM python:3.10\n")
    result = run_cli(["apply", "."], repo)
    assert result.exit_code == 0, result.stderr
    assert outside.read_bytes() == b"FROM python:3.10\n"
    assert (repo / "Dockerfile").read_bytes() == b"FROM python:3.12\n"


@pytest.mark.parametrize("git", [True, False], ids=["in-git", "no-git"])
@pytest.mark.parametrize("command", ["apply", "verify"])
def test_a_named_file_through_a_linked_folder_out_of_the_repository_is_never_touched(
    tmp_path: Path, git: bool, command: str
) -> None:
    """The walk refuses ``vendor/Dockerfile`` when ``vendor`` links out of the repository;
    naming the file must not write (or read) it either."""
    outside = _write(tmp_path, "outside/Dockerfile", b"FROM python:3.10\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    if git:
        (repo / ".git").mkdir()
    (repo / "vendor").symlink_to("../outside")
    inside = _write(repo, "app/Dockerfile", b"FROM python:3.10\n")
    result = run_cli([command, "vendor/Dockerfile", "app/Dockerfile"], repo)
    assert outside.read_bytes() == b"FROM python:3.10\n"
    if command == "apply":
        assert result.exit_code == 0, result.stderr
        assert inside.read_bytes() == b"FROM python:3.12\n"
        assert [line.split(": warning: ")[0] for line in result.warnings] == ["vendor/Dockerfile:1"]
        assert "symbolic link out of the repository" in result.warnings[0]
    else:  # not read, so never reported stale: said to be out of reach instead
        assert "app/Dockerfile:1:" in result.stdout
        vendor = [line for line in result.stdout.splitlines() if "vendor/" in line]
        assert vendor == [
            "vendor/Dockerfile:1: warning E001 a folder on its path is a symbolic link out of the "
            "repository; not read or written"
        ]


@pytest.mark.parametrize("name", ["vendor", "vendor/", "vendor/sub"])
@pytest.mark.parametrize("command", ["apply", "verify"])
def test_a_linked_folder_out_of_the_repository_named_as_path_is_refused(
    tmp_path: Path, name: str, command: str
) -> None:
    """Naming the linked folder itself (or a folder under it) is refused as naming a file
    through it is: exit 2 before anything is read, the outside file untouched."""
    outside = _write(tmp_path, "outside/sub/Dockerfile", b"FROM python:3.10\n")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "vendor").symlink_to("../outside")
    result = run_cli([command, name], repo)
    assert result.exit_code == 2, result.stderr
    assert "leads out of its repository" in result.stderr
    assert outside.read_bytes() == b"FROM python:3.10\n"


def test_a_link_to_another_repository_named_as_path_is_walked(tmp_path: Path) -> None:
    other = tmp_path / "other"
    (other / ".git").mkdir(parents=True)
    real = _write(other, "Dockerfile", b"FROM python:3.10\n")
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "other").symlink_to("../other")
    result = run_cli(["apply", "other"], tmp_path / "work")
    assert result.exit_code == 0, result.stderr
    assert real.read_bytes() == b"FROM python:3.12\n"


def test_a_named_file_through_a_linked_folder_inside_the_repository_is_migrated(
    tmp_path: Path,
) -> None:
    (tmp_path / ".git").mkdir()
    real = _write(tmp_path, "services/api/Dockerfile", b"FROM python:3.10\n")
    (tmp_path / "api").symlink_to("services/api")
    result = run_cli(["apply", "api/Dockerfile"], tmp_path)
    assert result.exit_code == 0 and result.warnings == [], result.stderr
    assert real.read_bytes() == b"FROM python:3.12\n"


def test_symlink_inside_the_repository_is_left_a_link(tmp_path: Path) -> None:
    real = _write(tmp_path, "deploy/docker-compose.yml", COMPOSE)
    (tmp_path / "docker-compose.yml").symlink_to("deploy/docker-compose.yml")
    result = run_cli(["apply"], tmp_path)
    assert result.exit_code == 0 and result.warnings == []
    assert (tmp_path / "docker-compose.yml").is_symlink()
    assert b"postgres:16" in real.read_bytes()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"FROM python:3.10\n# caf\xe9\n", "not UTF-8"),
        (b"FROM python:3.10\n\x00\x01", "binary file"),
    ],
)
def test_files_that_are_not_utf8_text_are_skipped_with_a_warning(
    tmp_path: Path, data: bytes, reason: str
) -> None:
    _write(tmp_path, "Dockerfile", data)
    _write(tmp_path, "app/Dockerfile", b"FROM python:3.10\n")
    result = run_cli(["apply"], tmp_path)
    assert result.exit_code == 0
    assert (tmp_path / "Dockerfile").read_bytes() == data
    assert len(result.warnings) == 1 and reason in result.warnings[0]
    assert (tmp_path / "app/Dockerfile").read_bytes() == b"FROM python:3.12\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_is_never_read(tmp_path: Path) -> None:
    """Reading a FIFO waits for a writer that never comes: the run would hang. It runs in a
    subprocess, so that a hang is a timeout and not a stalled test run."""
    fifo = tmp_path / "Dockerfile"
    os.mkfifo(fifo)
    (tmp_path / ".git").mkdir()
    stale = _write(tmp_path, "app/Dockerfile", b"FROM python:3.10\n")
    apply = [sys.executable, "-m", "modernize", "apply"]
    for paths in (["."], ["Dockerfile", "app/Dockerfile"]):
        stale.write_bytes(b"FROM python:3.10\n")
        result = subprocess.run(
            [*apply, *paths],
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, (paths, result.stderr)
        assert stale.read_bytes() == b"FROM python:3.12\n", paths
        assert stat.S_ISFIFO(fifo.stat().st_mode)
    # Named as a PATH, it is a candidate, and skipped with a warning.
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert warnings == ["Dockerfile:1: warning: not a regular file"]
    assert warnings[0].split(":")[0].endswith("Dockerfile")


def test_a_directory_named_like_a_file_is_walked_not_read(tmp_path: Path) -> None:
    _write(tmp_path, "Dockerfile/Dockerfile", b"FROM python:3.10\n")
    result = run_cli(["apply"], tmp_path)
    assert result.exit_code == 0
    assert (tmp_path / "Dockerfile/Dockerfile").read_bytes() == b"FROM python:3.12\n"


def test_a_migrated_file_is_replaced_by_a_rename_never_written_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file written in place is half old, half new when the run dies in the middle of the
    write: the new text goes to a new file beside it, which is renamed over it."""
    dockerfile = _write(tmp_path, "Dockerfile", b"FROM python:3.10\n")
    compose = _write(tmp_path, "deploy/docker-compose.yml", COMPOSE)
    opened_for_writing: list[str] = []
    renamed: list[tuple[str, str]] = []
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_TRUNC | os.O_CREAT
    real_os_open, real_io_open, real_replace, real_rename = os.open, io.open, os.replace, os.rename

    def os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & write_flags:
            opened_for_writing.append(os.path.realpath(path))
        return real_os_open(path, flags, *args, **kwargs)

    def io_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if not isinstance(file, int) and set(mode) & set("wax+"):  # not os.fdopen's
            opened_for_writing.append(os.path.realpath(file))
        return real_io_open(file, mode, *args, **kwargs)

    def replace(source: Any, target: Any, *args: Any, **kwargs: Any) -> None:
        renamed.append((os.path.realpath(source), os.path.realpath(target)))
        real_replace(source, target, *args, **kwargs)

    def rename(source: Any, target: Any, *args: Any, **kwargs: Any) -> None:
        renamed.append((os.path.realpath(source), os.path.realpath(target)))
        real_rename(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(io, "open", io_open)
    monkeypatch.setattr("builtins.open", io_open)
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "rename", rename)
    result = run_cli(["apply"], tmp_path)
    monkeypatch.undo()

    assert result.exit_code == 0, result.stderr
    assert dockerfile.read_bytes() == b"FROM python:3.12\n"
    assert b"postgres:16" in compose.read_bytes()
    migrated = {os.path.realpath(dockerfile), os.path.realpath(compose)}
    assert not migrated & set(opened_for_writing)
    temporary_by_target = {target: source for source, target in renamed}
    assert temporary_by_target.keys() == migrated
    for target, temporary in temporary_by_target.items():
        assert os.path.dirname(temporary) == os.path.dirname(target)
        assert os.path.basename(temporary).startswith(files.TEMP_PREFIX)
    inside = [path for path in opened_for_writing if path.startswith(str(tmp_path.resolve()))]
    assert sorted(inside) == sorted(temporary_by_target.values())


def _fake(migrate: registry.MigrateFunction) -> Migration:
    return Migration(
        number=9000,
        id="fake",
        title="fake",
        kinds=frozenset({"compose"}),
        migrate=migrate,
        check=lambda document, context: iter(()),
        enabled_by_default=True,
        doc="fake",
        source=Path("fake.py"),
    )


def _undeclared_change(document: Document, context: Context) -> Iterator[Edit | Notice]:
    start = document.text.find("14")
    if start >= 0:
        yield Edit(start, start + 2, "16")  # declares no data change


def _crashes(document: Document, context: Context) -> Iterator[Edit | Notice]:
    raise RuntimeError("boom")
    yield  # pragma: no cover


def _not_idempotent(document: Document, context: Context) -> Iterator[Edit | Notice]:
    yield Edit(0, 0, "# touched\n")


def _breaks_parsing(document: Document, context: Context) -> Iterator[Edit | Notice]:
    yield Edit(0, 0, "services: [\n")


@pytest.mark.parametrize(
    ("migrate", "message"),
    [
        (_undeclared_change, "data changed outside the declared edits at 0.services.db.image"),
        (_not_idempotent, "a second run would change line 1 again"),
        (_breaks_parsing, "the edited file does not parse"),
        (_crashes, "internal error in a migration: RuntimeError: boom"),
    ],
)
def test_a_file_that_fails_verification_is_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, migrate: registry.MigrateFunction, message: str
) -> None:
    monkeypatch.setattr(registry, "load_migrations", lambda: [_fake(migrate)])
    _write(tmp_path, "docker-compose.yml", COMPOSE)
    _write(tmp_path, "compose.other.yml", b"services: {}\n")
    before = snapshot(tmp_path)
    result = run_cli(["apply"], tmp_path)
    assert result.exit_code == 2
    assert snapshot(tmp_path)["docker-compose.yml"] == before["docker-compose.yml"]
    assert any(message in line for line in result.errors), result.errors
    assert all(
        line.split(":")[0] in ("docker-compose.yml", "compose.other.yml") for line in result.errors
    )


def test_a_hard_linked_file_is_not_split(tmp_path: Path) -> None:
    outside = _write(tmp_path, "outside/Dockerfile", b"FROM python:3.10\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    os.link(outside, repo / "Dockerfile")
    result = run_cli(["apply"], repo)
    assert result.exit_code == 2
    assert result.errors == [
        "Dockerfile:1: error: file has 2 hard links; replacing it would split them; not written"
    ]
    assert outside.read_bytes() == b"FROM python:3.10\n"


@pytest.mark.skipif(os.getuid() != 0, reason="changing a file's owner needs root")
def test_the_owner_is_kept(tmp_path: Path) -> None:
    path = _write(tmp_path, "Dockerfile", b"FROM python:3.10\n")
    os.chown(path, 1234, 1234)
    assert run_cli(["apply"], tmp_path).exit_code == 0
    assert (path.stat().st_uid, path.stat().st_gid) == (1234, 1234)
    assert path.read_bytes() == b"FROM python:3.12\n"


@pytest.mark.skipif(os.getuid() != 0, reason="changing a file's owner needs root")
@pytest.mark.parametrize("mode", [0o4755, 0o2755, 0o6750], ids=oct)
def test_set_id_bits_of_a_file_owned_by_another_user_are_kept(tmp_path: Path, mode: int) -> None:
    """Changing a file's owner clears its set-user-ID and set-group-ID bits: the mode must be
    given after the owner, or the file comes back without them."""
    path = _write(tmp_path, "Dockerfile", b"FROM python:3.10\n")
    os.chown(path, 1234, 1234)
    path.chmod(mode)
    assert run_cli(["apply"], tmp_path).exit_code == 0
    info = path.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (1234, 1234, mode)
    assert path.read_bytes() == b"FROM python:3.12\n"


def test_the_temporary_file_gets_its_owner_before_its_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The order, for any user (the test above needs root): chown, then chmod."""
    path = _write(tmp_path, "Dockerfile", b"FROM python:3.10\n")
    path.chmod(0o2755)
    calls: list[str] = []
    real_chmod = os.chmod
    other = (os.getuid() + 1, os.getgid() + 1)
    real_stat = Path.stat

    def owned_by_another(self: Path, **kwargs: Any) -> os.stat_result:
        info = real_stat(self, **kwargs)
        if self != path:
            return info
        fields = list(info)
        fields[stat.ST_UID], fields[stat.ST_GID] = other
        return os.stat_result(fields)

    def chown(name: str, uid: int, gid: int) -> None:
        calls.append("chown")
        assert (uid, gid) == other

    def chmod(name: str, mode: int) -> None:
        calls.append("chmod")
        real_chmod(name, mode)

    monkeypatch.setattr(Path, "stat", owned_by_another)
    monkeypatch.setattr(files.os, "chown", chown)
    monkeypatch.setattr(files.os, "chmod", chmod)
    write_atomically(path, b"FROM python:3.10\n", b"FROM python:3.12\n")
    assert calls == ["chown", "chmod"]
    assert stat.S_IMODE(real_stat(path).st_mode) == 0o2755
    assert path.read_bytes() == b"FROM python:3.12\n"


def test_gitignore_negation_in_a_subdirectory_and_a_malformed_pattern(tmp_path: Path) -> None:
    _write(tmp_path, ".gitignore", b"Dockerfile.*\n!\n")
    _write(tmp_path, "sub/.gitignore", b"!Dockerfile.prod\n")
    _write(tmp_path, "sub/Dockerfile.prod", b"FROM python:3.10\n")
    _write(tmp_path, "sub/Dockerfile.dev", b"FROM python:3.10\n")
    result = run_cli(["apply", "--dry-run"], tmp_path)
    assert result.exit_code == 1, result.stderr
    headers = [line for line in result.stdout.splitlines() if line.startswith("+++ ")]
    assert headers == ["+++ b/sub/Dockerfile.prod"]


def test_paths_inside_the_workflow_folder_and_symlinked_roots_are_found(tmp_path: Path) -> None:
    workflow = (
        b"on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v3\n"
    )
    _write(tmp_path, "real/.github/workflows/ci.yml", workflow)
    (tmp_path / "link").symlink_to("real")
    for path in ("real/.github/workflows", "real/.github/workflows/ci.yml", "link", "link/"):
        result = run_cli(["apply", "--dry-run", path], tmp_path)
        assert result.exit_code == 1, path
        assert "+      - uses: actions/checkout@v7" in result.stdout, path


def test_a_named_path_that_is_a_dangling_link_is_shown_as_named(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").symlink_to("nowhere")
    result = run_cli(["apply", "Dockerfile"], tmp_path)
    assert result.exit_code == 0
    assert [line.split(": warning: ")[0] for line in result.warnings] == ["Dockerfile:1"]


def _special(path: Path, what: str) -> None:
    """Make ``path`` a FIFO, or a link to a device that never ends or waits for input."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if what == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to(what)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and /dev are POSIX")
@pytest.mark.parametrize(
    ("name", "what"),
    [
        (".gitignore", "fifo"),
        (".gitignore", "/dev/zero"),
        (".gitignore", "/dev/stdin"),
        ("app/.gitignore", "fifo"),
        (".git/info/exclude", "fifo"),
        (".git/info/exclude", "/dev/zero"),
    ],
)
def test_ignore_files_that_are_not_regular_files_are_never_read(
    tmp_path: Path, name: str, what: str
) -> None:
    """A FIFO waits for a writer, /dev/zero never ends, /dev/stdin waits for the user: none is
    read, and the run finishes. A ``.gitignore`` whose rules cannot be read keeps its whole
    folder out of the run, with a warning naming it; ``info/exclude`` is passed over. In a
    subprocess with a timeout, so that a hang fails the test instead of stalling the suite;
    its standard input is a pipe held open."""
    (tmp_path / ".git").mkdir()
    stale = _write(tmp_path, "app/Dockerfile", b"FROM python:3.10\n")
    _special(tmp_path / name, what)
    read_end, write_end = os.pipe()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "modernize", "apply"],
            cwd=tmp_path,
            stdin=read_end,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        os.close(read_end)
        os.close(write_end)
    assert result.returncode == 0, result.stderr
    if name.endswith(".gitignore"):
        assert stale.read_bytes() == b"FROM python:3.10\n"
        assert f"{name}:1: warning: ignore file that is not a regular file" in result.stderr
    else:
        assert stale.read_bytes() == b"FROM python:3.12\n"


def test_a_large_gitignore_still_holds(tmp_path: Path) -> None:
    """Git reads an ignore file of any size: one over the 5 MiB of a migrated file holds."""
    (tmp_path / ".git").mkdir()
    ignored = _write(tmp_path, "vendor/Dockerfile", b"FROM python:3.10\n")
    kept = _write(tmp_path, "app/Dockerfile", b"FROM python:3.10\n")
    filler = b"# a generated ignore file, line after line\n" * 150_000
    _write(tmp_path, ".gitignore", b"vendor/\n" + filler)
    assert (tmp_path / ".gitignore").stat().st_size > 5 * 1024 * 1024
    result = run_cli(["apply"], tmp_path)
    assert result.exit_code == 0, result.stderr
    assert ignored.read_bytes() == b"FROM python:3.10\n"
    assert kept.read_bytes() == b"FROM python:3.12\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and /dev are POSIX")
@pytest.mark.parametrize(
    ("name", "args", "error"),
    [
        (
            "CHANGELOG.md",
            ["--changelog"],
            "CHANGELOG.md:1: error: cannot read the changelog: not a regular file",
        ),
        (
            ".modernize.toml",
            [],
            ".modernize.toml:1: error: cannot read the configuration: not a regular file",
        ),
        (
            "pyproject.toml",
            [],
            "pyproject.toml:1: error: cannot read the configuration: not a regular file",
        ),
    ],
)
def test_a_fifo_changelog_or_configuration_is_an_error_not_a_hang(
    tmp_path: Path, name: str, args: list[str], error: str
) -> None:
    (tmp_path / ".git").mkdir()
    stale = _write(tmp_path, "Dockerfile", b"FROM python:3.10\n")
    os.mkfifo(tmp_path / name)
    result = subprocess.run(
        [sys.executable, "-m", "modernize", "apply", *args],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [error]
    assert stale.read_bytes() == b"FROM python:3.10\n"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_configuration_linked_to_dev_zero_is_an_error(tmp_path: Path) -> None:
    (tmp_path / ".modernize.toml").symlink_to("/dev/zero")
    _write(tmp_path, "Dockerfile", b"FROM python:3.10\n")
    result = run_cli(["apply"], tmp_path)
    assert result.exit_code == 2
    assert result.errors == [
        ".modernize.toml:1: error: cannot read the configuration: not a regular file"
    ]


def test_a_tree_a_thousand_folders_deep_is_walked(tmp_path: Path) -> None:
    """The walk once recursed per folder, and died of RecursionError near 990 levels."""
    deep = tmp_path
    for _ in range(1000):
        deep = deep / "d"
        deep.mkdir()
    _write(deep, "Dockerfile", b"FROM python:3.10\n")
    _write(deep, ".gitignore", b"ignored.Dockerfile\n")
    _write(deep, "ignored.Dockerfile", b"FROM python:3.10\n")
    _write(tmp_path, "Dockerfile", b"FROM python:3.10\n")
    try:
        result = run_cli(["apply"], tmp_path)
        assert result.exit_code == 0, result.stderr
        assert (deep / "Dockerfile").read_bytes() == b"FROM python:3.12\n"
        assert (deep / "ignored.Dockerfile").read_bytes() == b"FROM python:3.10\n"
        assert (tmp_path / "Dockerfile").read_bytes() == b"FROM python:3.12\n"
    finally:
        # shutil.rmtree (pytest's clean-up) recurses per folder too: take the tree down here.
        while deep != tmp_path:
            for entry in os.scandir(deep):
                os.unlink(entry.path)
            deep.rmdir()
            deep = deep.parent
