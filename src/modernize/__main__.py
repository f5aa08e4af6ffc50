"""``python -m modernize``: the same command line as the ``modernize`` script.

``python -m`` puts the working directory first on the module search path, and the working
directory is often the repository being migrated. That entry goes before anything else is
imported, so that a repository's own ``click/``, ``yaml/`` or ``__future__.py`` never runs.
(Python's ``-m`` itself has imported a few standard modules before this file runs --
``functools``, ``types``, ``warnings`` and the like -- and would find a repository's
``modernize/``; both come from the working directory then: to run in a repository you do not
trust, use the ``modernize`` script or ``python -I -m modernize``.)
"""

import os
import sys

# os and sys are loaded before the search path is; nothing else may be imported above this.
# (-P and -I leave the working directory off the path; there is nothing to take away then.)
_ADDED_BY_PYTHON = not (getattr(sys.flags, "safe_path", False) or sys.flags.isolated)
if __name__ == "__main__" and _ADDED_BY_PYTHON and sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

from modernize.entry import main  # noqa: E402 (after the search path is made safe)

# The guard matters: worker processes started by "spawn" (macOS, Windows) import this module.
if __name__ == "__main__":
    main()
