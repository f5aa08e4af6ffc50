"""Move the Python claims of a ``setup.py`` to the target.

What: in the ``setup(...)`` call of a ``setup.py`` (``setup`` or ``setuptools.setup``), located
with Python's ``ast`` and edited as text (the file is never run):

- ``python_requires=">=3.10"``: a lower bound below the target is raised to it and every other
  clause stays, as ``pyproject-python`` raises ``requires-python`` (the same reading);
- ``classifiers=[...]``: the ``Programming Language :: Python :: X.Y`` strings below the target
  go, and the target's takes the last removed one's place when it is missing.

Why: the metadata ``pip`` reads promises a Python the project no longer tests, and
``pip install`` on the target may pick an older release of it, or refuse it.

Example::

    python_requires=">=3.10",                    ->  python_requires=">=3.12",
    "Programming Language :: Python :: 3.10",    ->  "Programming Language :: Python :: 3.12",

A name bound once at the module's top (``REQUIRES = ">=3.10"``) is followed to its value, and
every ``setup(...)`` call is read (one that rules the target out holds the file). A ``setup.py``
that does not import setuptools (or distutils) and call ``setup`` with keywords, such as a
Sphinx extension's ``def setup(app)``, is not a package and is left.

Refuses (leaves and warns): a requirement whose upper bound or exclusion rules out the target,
or an exact pin (nothing in the file changes, and the survey holds the project's other files
back), a requirement or classifier list that is not a plain literal (a variable, an f-string:
reported), and a list whose entries share lines with other text in several lines. A comment
that may explain the claim keeps it; a project that another file holds back (a pyproject's
``requires-python``) keeps its setup.py too.
"""

from __future__ import annotations

from collections.abc import Iterator

from modernize.authoring import Context, Document, Edit, Notice
from modernize.rules.python_claims import held_by_project
from modernize.rules.setup_claims import setup_py_claim_results

ID = "setup-py-python"
TITLE = "Move setup.py's python_requires and Python classifiers to the target"
KINDS = ("setup-py",)
CODE = "M022"
#: It moves a project's own claim: a comment that explains a pin stops the edit beside it.
MOVES = "claim"
#: What a pending change is, as ``verify`` reports it.
FINDING = "setup.py Python claim below the target"


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    claim = setup_py_claim_results(document, context.targets)
    staying = claim.staying("requirement and classifiers")
    if staying is not None:
        yield from staying
        return
    # Another file of the project (its pyproject.toml) may hold it back.
    yield from held_by_project(claim.results, document, context)


def touches(text: str, context: Context) -> bool:
    return ("python_requires" in text or "Programming Language" in text) and "setup" in text
