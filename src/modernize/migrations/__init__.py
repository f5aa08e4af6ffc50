"""The built-in migrations, ``NNNN_<slug>`` modules of this package.

Their files live in the repository's top-level ``migrations/`` folder: a wheel maps that folder
into this package, and in a source checkout (an editable install, or ``src`` on the path) the
package's search path names the folder too, so ``modernize.migrations.0010_python_base_image``
imports the same way everywhere: for the registry, for tests and in worker processes.
"""

from __future__ import annotations

from pathlib import Path

_here = Path(__file__).resolve().parent
_checkout = _here.parents[2] / "migrations"
if _here.parents[1].name == "src" and _checkout.is_dir() and not any(_here.glob("[0-9]*.py")):
    __path__.append(str(_checkout))
