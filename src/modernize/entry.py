"""The ``modernize`` script and ``python -m modernize`` start here.

Loading the command line (click, the migrations) takes a noticeable fraction of a second; a
Ctrl-C in that time would otherwise end in a ``KeyboardInterrupt`` traceback. Nothing has been
read or written yet, so until the command line installs its own handlers a stop simply exits.

Worker processes (``spawn`` and ``forkserver`` start Python afresh, with ``-c``) inherit
``PYTHONSAFEPATH``: they never put the working directory, which may be the repository, on their
module search path.

A standard stream that is closed (``modernize … >&-``) is opened on the null device first: the
output goes nowhere, as a shell's tools do it, instead of a crash, and no file opened later can
take its descriptor and receive what was meant for the terminal.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from typing import NoReturn


def _stop_while_loading(signal_number: int, _frame: object) -> None:
    os.write(2, b"modernize: interrupted before it started; nothing was changed\n")
    os._exit(128 + signal_number)


def _open_closed_standard_streams() -> None:
    for descriptor, name, mode in ((0, "stdin", "r"), (1, "stdout", "w"), (2, "stderr", "w")):
        try:
            os.fstat(descriptor)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != descriptor:
                os.dup2(null, descriptor)
                os.close(null)
        if getattr(sys, name) is None:
            setattr(sys, name, open(descriptor, mode, encoding="utf-8", closefd=False))  # noqa: SIM115


def main() -> None:
    _defer_inspect()
    _open_closed_standard_streams()
    os.environ["PYTHONSAFEPATH"] = "1"
    signal.signal(signal.SIGINT, _stop_while_loading)
    signal.signal(signal.SIGTERM, _stop_while_loading)
    from modernize.quick import settled

    code = settled(sys.argv[1:])  # a hook's files, all current: no command line to load
    if code is not None:
        sys.exit(code)
    _command_line()


def _defer_inspect() -> None:
    """``inspect`` (with ``ast``, ``dis`` and ``tokenize``) is imported by ``dataclasses`` and
    click, which use it only for what a run rarely does (a signature shown in a docstring):
    executing it was a tenth of a pre-commit hook's run. In this process it is loaded when one
    of its attributes is first read."""
    from modernize.lazy import deferred_module

    deferred_module("inspect")


def tune_collector() -> None:
    """Once the modules are loaded: what they made lives as long as the process, so the cyclic
    collector stops looking at it, and it runs less often. A run makes many small objects that
    are freed by reference counting anyway; collecting every 700 allocations was a fifth of the
    time on a big file and a few percent otherwise."""
    import gc

    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


def _command_line() -> None:
    """The command line, under handlers that stop a run safely: the workers stop too, each
    file is as it was or fully migrated, and the exit code is 128 + the signal's number."""
    from modernize.cli import cli
    from modernize.engine import stopping
    from modernize.errors import Interrupted

    tune_collector()
    main_process = os.getpid()

    def interrupt(signum: int, _frame: object) -> None:
        if os.getpid() != main_process:
            os._exit(1)  # a worker forked before it set its own handler: it has written nothing
        if not stopping.requested:  # once only: a second Ctrl-C must not interrupt the stopping
            stopping.request(signum)
            raise Interrupted(signum)

    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    try:
        try:
            cli(prog_name="modernize")
        finally:
            # Done, or stopping: a signal from now on changes nothing (and, ignored, it
            # cannot kill the interpreter while it shuts down either).
            for late in (signal.SIGINT, signal.SIGTERM):
                signal.signal(late, signal.SIG_IGN)
    except Interrupted:
        pass
    except SystemExit:
        if not stopping.requested:
            raise
    if stopping.requested:  # also when the exception was lost on its way (see stopping)
        _stopped(stopping.requested)


def _stopped(signal_number: int) -> NoReturn:
    from modernize.engine.stopping import stop_children

    stop_children(timeout=2.0)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    message = "modernize: interrupted; each file is as it was or fully migrated"
    with contextlib.suppress(Exception):
        print(message, file=sys.stderr, flush=True)
    # Now: no exit handler waits for the worker pools' queued work. 128 + the signal's number,
    # as shells report a process a signal stopped (130 for Ctrl-C).
    os._exit(128 + signal_number)
