"""Which inputs of a workflow or composite action feed a Python version, and where a local
``uses:`` points."""

from __future__ import annotations

import pytest

from modernize.rules.workflow_inputs import callee, surveyed_inputs

_REUSABLE = """\
on:
  workflow_call:
    inputs:
      python-version: {type: string, default: "3.10"}
      marker: {type: string}
  workflow_dispatch:
    inputs:
      py: {type: choice, options: ["3.11", "3.12"]}
jobs:
  test:
    runs-on: ubuntu-24.04
    env:
      PYTHON_VERSION: ${{ github.event.inputs.py }}
    steps:
      - uses: actions/setup-python@v6
        with:
          python-version: ${{ inputs.python-version || '3.12' }}
      - run: pytest -m "${{ inputs.marker }}"
"""

_ACTION = """\
inputs:
  python: {default: "3.10"}
  extras: {default: dev}
runs:
  using: composite
  steps:
    - uses: actions/setup-python@v6
      with: {python-version: "${{ inputs.python }}"}
    - run: pip install ".[${{ inputs.extras }}]"
      shell: bash
"""


def test_surveyed_inputs_are_those_a_python_version_names() -> None:
    found = surveyed_inputs(
        [
            (".github/workflows/tests.yml", _REUSABLE),
            (".github/actions/setup/action.yml", _ACTION),
            (".github/workflows/broken.yml", "on: [push\ninputs: {"),
            ("docs/action-notes.yml", _ACTION),  # not an action by its name
        ]
    )
    assert found == {
        ".github/workflows/tests.yml": frozenset({"python-version", "py"}),
        ".github/actions/setup/action.yml": frozenset({"python"}),
        # Read, and known to feed nothing (its parse error is reported where it is planned).
        ".github/workflows/broken.yml": frozenset(),
    }


@pytest.mark.parametrize(
    ("uses", "paths"),
    [
        ("./.github/workflows/tests.yml", (".github/workflows/tests.yml",)),
        (
            "./.github/actions/setup",
            (".github/actions/setup/action.yml", ".github/actions/setup/action.yaml"),
        ),
        (
            "./tools/../.github/actions/x/",
            (".github/actions/x/action.yml", ".github/actions/x/action.yaml"),
        ),
        ("./../outside", ()),
        ("acme/shared/.github/workflows/py.yml@v3", ()),
        ("actions/setup-python@v6", ()),
    ],
)
def test_callee(uses: str, paths: tuple[str, ...]) -> None:
    assert callee(uses) == paths


@pytest.mark.parametrize(
    ("name", "holds"),
    [
        *[(n, True) for n in ("PYTHON_VERSION", "python", "PY_VERSION", "DEFAULT_PYTHON")],
        *[(n, True) for n in ("PYTHON_DEFAULT_VERSION", "PYTHON_VER", "py_ver", "PYVERSION")],
        *[(n, True) for n in ("PYTHON_TARGET_VERSION", "PY_TARGET", "DEFAULT_PYTHON_VERSION")],
        *[(n, False) for n in ("MIN_PYTHON_VERSION", "PYTHON_VERSION_PREV", "PYTHONPATH")],
        *[(n, False) for n in ("PY", "PYTHONUNBUFFERED", "NODE_VERSION", "PYPY_VERSION")],
    ],
)
def test_names_that_hold_the_python_version(name: str, holds: bool) -> None:
    from modernize.rules.pythontags import names_python_version

    assert names_python_version(name) is holds
