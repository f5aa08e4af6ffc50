"""What counts as a version in a comment, and which comments only restate a value."""

from __future__ import annotations

import pytest

from modernize.rules.pin_comments import _COMMENTED_OUT, _restates, versions_named


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Python 3.10 base image", [(3, 10)]),
        ("py310 and cp311 wheels", [(3, 10), (3, 11)]),
        ("python3.10 -m pip, 3.10.13 here", [(3, 10), (3, 10)]),
        ("Ubuntu 13.10, v3.10, 3.10.x.y2", [(3, 10)]),
        ("postgres 16.3 and node 20", []),
        ("py3.12 is the floor", [(3, 12)]),
    ],
)
def test_versions_named(text: str, found: list[tuple[int, int]]) -> None:
    assert versions_named(text) == found


@pytest.mark.parametrize(
    ("body", "restating"),
    [
        ("Python 3.10 base image", True),
        ("py310", True),
        ("set up the 3.10 interpreter", True),
        ("Pin Ruff to Python 3.10", False),
        ("Pinned to 3.11 explicitly: the abi3 floor", False),
        ("keep: the stubs break on 3.11", False),
    ],
)
def test_restates(body: str, restating: bool) -> None:
    assert _restates(body) is restating


@pytest.mark.parametrize(
    ("body", "taken_out"),
    [
        ('- "3.10"', True),
        ('python-version: "3.10"', True),
        ('target-version = "py310"', True),
        ("FROM python:3.10-slim AS build", True),
        ("3.10.13", True),
        ("keep: the stubs break on 3.11", False),
        ("Pin Ruff to Python 3.10", False),
        ("py310", False),  # a restating word, updated with the value
    ],
)
def test_values_taken_out_are_not_words_about_one(body: str, taken_out: bool) -> None:
    assert bool(_COMMENTED_OUT.match(body)) is taken_out


def test_the_comments_read_of_a_document_do_not_keep_it_alive() -> None:
    import weakref

    from modernize.formats.document import Document
    from modernize.rules import pin_comments

    document = Document("compose.yaml", "compose", "image: python:3.10  # pinned: see #12\n")
    assert pin_comments._comments_of(document).at(1) is not None
    gone = weakref.ref(document)
    del document
    assert gone() is None  # freed at once, with no cycle for the collector to find
    assert not any(ref() is not None for ref in pin_comments._BY_DOCUMENT.keyrefs())
