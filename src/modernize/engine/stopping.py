"""A stop the user asked for (Ctrl-C, SIGTERM): recorded here, acted on where it is safe.

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
