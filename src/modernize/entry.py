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

import os
import signal
import sys


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
    _open_closed_standard_streams()
    os.environ["PYTHONSAFEPATH"] = "1"
    signal.signal(signal.SIGINT, _stop_while_loading)
    signal.signal(signal.SIGTERM, _stop_while_loading)
    from modernize.cli import main as command_line

    command_line()
