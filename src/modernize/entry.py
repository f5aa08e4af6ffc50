"""The ``modernize`` script and ``python -m modernize`` start here.

Loading the command line (click, the migrations) takes a noticeable fraction of a second; a
Ctrl-C in that time would otherwise end in a ``KeyboardInterrupt`` traceback. Nothing has been
read or written yet, so until the command line installs its own handlers a stop simply exits.

Worker processes (``spawn`` and ``forkserver`` start Python afresh, with ``-c``) inherit
``PYTHONSAFEPATH``: they never put the working directory, which may be the repository, on their
module search path.
"""

from __future__ import annotations

import os
import signal


def _stop_while_loading(signal_number: int, _frame: object) -> None:
    os.write(2, b"modernize: interrupted before it started; nothing was changed\n")
    os._exit(128 + signal_number)


def main() -> None:
    os.environ["PYTHONSAFEPATH"] = "1"
    signal.signal(signal.SIGINT, _stop_while_loading)
    signal.signal(signal.SIGTERM, _stop_while_loading)
    from modernize.cli import main as command_line

    command_line()
