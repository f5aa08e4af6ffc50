"""Process lifecycle: a stop the user asked for (Ctrl-C, SIGTERM), recorded here and acted on
where it is safe; and workers that stop with their parent.

The main process's signal handler records the signal and raises ``Interrupted``. CPython
prints and drops an exception raised where it cannot propagate (a finaliser, a fork hook,
interpreter shutdown), so the record is what counts: the loops of a run ``check`` it, and the
command line looks at it once more before it exits.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time

from modernize.errors import Interrupted

#: The number of the signal that asked for the stop, or 0.
requested = 0


def request(signal_number: int) -> None:
    """Record the stop. From now on, what tearing the worker pools down prints (an exception
    in a pool's thread, or one CPython could not raise) is of no use to the user: silenced."""
    global requested
    requested = signal_number
    import threading

    threading.excepthook = _quiet
    sys.unraisablehook = _quiet


def _quiet(_arguments: object) -> None:
    pass


def check() -> None:
    """Raise ``Interrupted`` when a stop was asked for."""
    if requested:
        raise Interrupted(requested)


def stop_children(timeout: float) -> None:
    """Send SIGTERM to this process's worker processes (a signal sent to one process does not
    reach its children) and give them ``timeout`` seconds to remove the file each may be
    writing and exit; a worker stops its own workers the same way."""
    if "multiprocessing" not in sys.modules:
        return  # no worker was ever started
    import multiprocessing
    import signal

    children = multiprocessing.active_children()
    for child in children:
        if child.pid:
            with contextlib.suppress(OSError):
                os.kill(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for child in children:
        child.join(max(0.0, deadline - time.monotonic()))


_parent_pid = 0


def die_with_parent(parent_pid: int) -> None:
    """A worker must not go on writing after its parent (``parent_pid``) was killed (Linux;
    elsewhere the worker stops at its next task, when it finds the parent gone)."""
    import signal

    global _parent_pid
    _parent_pid = parent_pid
    # Ctrl-C reaches every process of the terminal's group; the parent, interrupted, sends
    # SIGTERM, and so does a process pool when another worker stopped. Either way a worker
    # stops at once, without a traceback, and leaves no temporary file behind.
    signal.signal(signal.SIGINT, _stop_worker)
    signal.signal(signal.SIGTERM, _stop_worker)
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    # A parent killed before the line above left no one to send the signal: the tasks it
    # queued must not be picked up by an orphan.
    exit_if_orphaned()


def _stop_worker(_signal: int, _frame: object) -> None:
    import signal

    from modernize.workspace.writing import discard_temporary_file

    for stopping_signal in (signal.SIGINT, signal.SIGTERM):  # stopping already
        signal.signal(stopping_signal, signal.SIG_IGN)
    discard_temporary_file()
    stop_children(timeout=1.0)  # a batch worker's own pool, when it has one
    os._exit(1)


def exit_if_orphaned() -> None:
    """In a worker: exit when the run that started it is gone."""
    if not _parent_pid or os.getppid() == _parent_pid:
        return
    # A worker of a forkserver is the server's child, not the run's: the run must be gone
    # (no such process, or one of another user that took its number, or one that has exited
    # and is not yet reaped: a parent killed while it was starting this worker is a zombie
    # until its own parent waits for it, and a signal of 0 still reaches a zombie).
    try:
        os.kill(_parent_pid, 0)
    except OSError:
        os._exit(1)
    if _exited(_parent_pid):
        os._exit(1)


def _exited(pid: int) -> bool:
    """Whether ``pid`` is a process that has exited but is not yet reaped (Linux; elsewhere
    False)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            # ``pid (name) state …``: the name may hold spaces and parentheses.
            state = stat.read().rpartition(b")")[2].split()[:1]
    except OSError:
        return False
    return state in ([b"Z"], [b"X"])
