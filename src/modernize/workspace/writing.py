"""Write files whole or not at all: a temporary file beside the target, then a rename (or a
link, for a new file), so that a crash or a stop leaves each file as it was or fully written.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from modernize.errors import ModernizeError, UnsuitableFile
from modernize.workspace.reading import read_regular_file

TEMP_PREFIX = ".modernize-"
TEMP_SUFFIX = ".tmp"


def write_atomically(path: Path, expected_current: bytes, data: bytes) -> None:
    """Replace ``path`` with ``data`` via a temporary file and a rename, keeping its mode.

    Refuses when the file no longer holds ``expected_current`` (it changed since it was read).
    """
    if path.is_symlink():
        raise ModernizeError("refusing to write through a symbolic link")
    try:
        # At most one byte more than expected: a file that grew has changed.
        current = read_regular_file(path, len(expected_current))
    except UnsuitableFile:
        current = None
    except OSError as error:
        raise ModernizeError(f"cannot re-read file before writing: {error.strerror}") from error
    if current != expected_current:
        raise ModernizeError("file changed on disk since it was read; not written")
    problem = write_problem(path)
    if problem is not None:
        raise ModernizeError(problem)
    info = path.stat()
    mode = stat.S_IMODE(info.st_mode)
    global _temporary_file
    try:
        temp_name = _write_temporary_file(path.parent, data, mode, (info.st_uid, info.st_gid))
        os.replace(temp_name, path)
    except BaseException as error:
        discard_temporary_file()
        if isinstance(error, OSError):
            raise ModernizeError(f"cannot write file: {error.strerror}") from error
        raise
    finally:
        _temporary_file = None


def write_problem(path: Path) -> str | None:
    """Why ``path`` cannot be replaced (``write_atomically``), or None: asked of every file
    of a repository before the first is written, so that one that cannot be written holds
    back the others instead of failing after them."""
    try:
        if path.is_symlink():
            return "refusing to write through a symbolic link"
        info = path.stat()
        directory = path.parent.stat()
    except OSError as error:
        return f"cannot write file: {error.strerror}"
    if info.st_nlink > 1:
        return f"file has {info.st_nlink} hard links; replacing it would split them; not written"
    # Mode bits first, not access() alone: a run as root must still leave read-only files be.
    if not stat.S_IMODE(info.st_mode) & 0o222:
        return "file is read-only; not written"
    if not stat.S_IMODE(directory.st_mode) & 0o222:
        return "its directory is read-only; not written"
    # The new text goes to a temporary file beside it, then is renamed over it.
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return "cannot write file: permission denied (its directory is not writable by this user)"
    return None


def create_atomically(path: Path, data: bytes) -> None:
    """Create the new file ``path`` holding ``data``, whole or not at all: written to a temporary
    file beside it, then linked to its name, which must still be free (a file, or a link, that
    appeared there meanwhile is never replaced or written through). Mode as a new file gets."""
    global _temporary_file
    umask = os.umask(0)
    os.umask(umask)
    try:
        try:
            temp_name = _write_temporary_file(path.parent, data, 0o666 & ~umask)
            os.link(temp_name, path, follow_symlinks=False)
        finally:
            discard_temporary_file()
    except FileExistsError as error:
        raise ModernizeError(
            "a file of that name appeared since the run began; not written"
        ) from error
    except OSError as error:
        raise ModernizeError(f"cannot write file: {error.strerror}") from error
    finally:
        _temporary_file = None


def replace_output_file(path: Path, data: bytes) -> None:
    """Write an output of the run (``--report FILE``) whole or not at all: a temporary file
    beside it, renamed over it, so that a crash leaves the previous file as it was. A symbolic
    link is written through, as an ordinary write would; an existing file keeps its mode.
    Raises OSError, or ModernizeError when no temporary file can be made there."""
    global _temporary_file
    try:
        info = path.stat()
        mode = stat.S_IMODE(info.st_mode)
        if not stat.S_ISREG(info.st_mode):  # /dev/stdout, a pipe: nothing to rename over
            with open(path, "wb") as stream:
                stream.write(data)
            return
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    target = Path(os.path.realpath(path))
    try:
        os.replace(_write_temporary_file(target.parent, data, mode), target)
    except BaseException:
        discard_temporary_file()
        raise
    finally:
        _temporary_file = None


def _write_temporary_file(
    directory: Path, data: bytes, mode: int, owner: tuple[int, int] | None = None
) -> str:
    """A new temporary file in ``directory`` holding ``data`` (on disk) with ``mode`` and, when
    it can be given, ``owner`` (user and group IDs): its name."""
    descriptor, temp_name = _create_temporary_file(directory)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    if owner is not None and hasattr(os, "chown") and owner != (os.getuid(), os.getgid()):
        # Keep the owner (a root container on a bind-mounted repository); without the right
        # to, the file is still written, owned by the user running the tool. Before the mode:
        # changing the owner clears the set-user-ID and set-group-ID bits.
        with contextlib.suppress(OSError):
            os.chown(temp_name, *owner)
    os.chmod(temp_name, mode)
    return temp_name


def _create_temporary_file(directory: Path) -> tuple[int, str]:
    """Create a new file next to the one to replace; its name is recorded (for
    ``discard_temporary_file``) before it exists, so that no moment leaves it unrecorded."""
    global _temporary_file
    for _attempt in range(100):
        name = os.path.join(directory, f"{TEMP_PREFIX}{os.urandom(6).hex()}{TEMP_SUFFIX}")
        _temporary_file = name
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            return os.open(name, flags, 0o600), name
        except FileExistsError:
            continue
        except OSError as error:
            _temporary_file = None
            raise ModernizeError(f"cannot write in its directory: {error.strerror}") from error
    _temporary_file = None
    raise ModernizeError("cannot write in its directory: no free temporary name")


#: The temporary file ``write_atomically`` is writing, for a process told to stop at once.
_temporary_file: str | None = None


def discard_temporary_file() -> None:
    """Remove the temporary file being written, if any (before ``os._exit``: a process that
    stops in the middle of a write leaves the file it was replacing as it was, and no litter).
    """
    if _temporary_file is not None:
        with contextlib.suppress(OSError):
            os.unlink(_temporary_file)
