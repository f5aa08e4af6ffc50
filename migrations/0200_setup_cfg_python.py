"""Move the Python claims of ``setup.cfg`` and ``mypy.ini`` to the target.

What:

- ``setup.cfg`` ``[options] python_requires``: a lower bound below the target is raised to it
  and every other clause stays (``>=3.10, <4`` becomes ``>=3.12, <4``), as ``pyproject-python``
  raises ``requires-python`` (the same reading).
- ``[metadata] classifiers``: the ``Programming Language :: Python :: X.Y`` lines below the
  target go; when one went and the target's is missing, it is written before the first later
  version's line, else in the last removed line's place. setuptools' spellings
  ``python-requires`` and ``classifier`` are read too; classifiers read from a file
  (``file: classifiers.txt``) get a warning to move them there.
- ``[mypy] python_version`` of ``setup.cfg``, ``mypy.ini`` or ``.mypy.ini`` below the target
  becomes the target.

Why: a package whose metadata says 3.10 while its images and CI run 3.12 promises a Python it
no longer tests; mypy checks the code against the old Python's standard library.

Example::

    [options]                              [options]
    python_requires = >=3.10         ->    python_requires = >=3.12
    [mypy]                                 [mypy]
    python_version = 3.10            ->    python_version = 3.12

Refuses (leaves and warns): a ``python_requires`` whose upper bound or exclusion rules out the
target, or an exact pin, then changing nothing in the file: the project cannot run the target,
and the survey holds its other files back too (``modernize.survey``); a requirement it cannot
read is reported and the rest moves. A comment that may explain the claim keeps the
requirement and classifiers (and ``python_version``, whose target would let in what the oldest
Python cannot run). A ``mypy.ini`` stays with its project: when the project cannot run the
target, or a comment keeps its claim.
"""

from __future__ import annotations

from collections.abc import Iterator

from modernize.authoring import Context, Document, Edit, Notice, SetValue
from modernize.rules.python_claims import ClaimResults, held_by_project
from modernize.rules.setup_claims import setup_claim_results
from modernize.rules.versions import below, minor_below, plain_minor

ID = "setup-cfg-python"
TITLE = "Move setup.cfg's python_requires and classifiers, and mypy's python_version"
KINDS = ("setup-cfg", "mypy-ini")
CODE = "M021"
#: It moves a project's own claim: a comment that explains a pin stops the edit beside it.
MOVES = "claim"
#: What a pending change is, as ``verify`` reports it.
FINDING = "setup.cfg or mypy Python below the target"


def migrate(document: Document, context: Context) -> Iterator[Edit | Notice]:
    claim = (
        setup_claim_results(document, context.targets)
        if document.kind == "setup-cfg"
        else ClaimResults([], False)
    )
    staying = claim.staying("requirement, classifiers and mypy python_version all")
    if staying is not None:
        yield from staying
        return
    tools = list(_mypy(document, context))
    if context.survey is not None and context.survey.python_held(document.path):
        # Another file of the project (its pyproject.toml) holds it back.
        yield from held_by_project(claim.results + tools, document, context)
        return
    project = context.survey.project_of(document.path) if context.survey else None
    if project is not None and project.kept_by and tools:
        # The project's claim stays by a comment: mypy keeps checking its oldest Python.
        yield from claim.results
        for edit in (result for result in tools if isinstance(result, Edit)):
            yield Notice(
                edit.start,
                f"not changed: the comment {project.kept_by!r} keeps the project's Python claim "
                f"in {project.described_at}; mypy's python_version stays with it",
                advisory=True,
            )
        return
    yield from claim.results
    yield from tools


def _mypy(document: Document, context: Context) -> Iterator[Edit | Notice]:
    setting = document.ini.find("mypy", "python_version")
    if setting is not None:
        value = setting.value(document.text)
        minor = plain_minor(value)
        if minor is not None and below(*minor, context.targets.python):
            start, end = setting.lines[0]
            new = context.targets.python_minor
            yield Edit(start, end, new, declares=(SetValue((setting.section, setting.key), new),))


def touches(text: str, context: Context) -> bool:
    return minor_below(text, context.targets.python) or "python_requires" in text
