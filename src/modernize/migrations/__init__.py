"""The built-in migrations, ``NNNN_<slug>`` modules of this package.

Their files live in the repository's top-level ``migrations/`` folder: a wheel maps that folder
into this package, and in a source checkout (an editable install, or ``src`` on the path) the
package's search path names the folder too, so ``modernize.migrations.0010_python_base_image``
imports the same way everywhere: for the registry, for tests and in worker processes.
"""

from __future__ import annotations

import os

_here = os.path.dirname(os.path.realpath(__file__))
_package = os.path.dirname(_here)
_checkout = os.path.join(os.path.dirname(os.path.dirname(_package)), "migrations")
if (
    os.path.basename(os.path.dirname(_package)) == "src"
    and os.path.isdir(_checkout)
    and not any(name[:1].isdigit() and name.endswith(".py") for name in os.listdir(_here))
):
    __path__.append(_checkout)
