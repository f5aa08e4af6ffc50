"""The version comparison helper: (source, expected) tables for each question it answers."""

from __future__ import annotations

import pytest
from packaging.version import Version

from modernize.rules.versions import (
    below,
    claim_below,
    image_major,
    major_below,
    minor_below,
    python_minor,
    release_minor,
)

TARGET = Version("3.12")

BELOW = [
    ((3, 11), True),
    ((3, 12), False),
    ((3, 13), False),
    ((2, 7), True),
    ((3, 1), True),
    (("3", "10"), True),  # ASCII digits a pattern matched
    (("3", "012"), False),  # a number, not text: 012 is 12
]


@pytest.mark.parametrize(("minor", "expected"), BELOW)
def test_below(minor: tuple[int | str, int | str], expected: bool) -> None:
    assert below(*minor, TARGET) is expected


PYTHON_MINORS = [
    ("3.10", (3, 10)),
    ("3.10.4", (3, 10)),
    ("3.1", (3, 1)),  # not 3.10
    ("3", None),
    ("3.12t", None),
    ("3.x", None),
    ("pypy3.10", None),
    ("3.10.4.1", None),
    (" 3.10", None),
    ("3.10\n", None),
    ("\uff13.\uff11\uff10", None),  # full-width digits are no version
    ("3.\u00b2", None),
]


@pytest.mark.parametrize(("text", "expected"), PYTHON_MINORS)
def test_python_minor(text: str, expected: tuple[int, int] | None) -> None:
    assert python_minor(text) == expected


CLAIMS = [
    ("3.11", True),
    ("3.11.9", True),
    ("3.12", False),
    ("3.12.0", False),
    ("3.13", False),
    ("3.9", True),
    ("3.100", False),
    ("3", None),
    ("latest", None),
    ("3.\u0661\u0660", None),  # Arabic-Indic digits
]


@pytest.mark.parametrize(("text", "expected"), CLAIMS)
def test_claim_below(text: str, expected: bool | None) -> None:
    assert claim_below(text, TARGET) is expected


RELEASES = [
    ("3", (3, 0)),
    ("3.8", (3, 8)),
    ("3.8.1", (3, 8)),
    ("3.8.1.2", (3, 8)),
    ("10", (10, 0)),
]


@pytest.mark.parametrize(("text", "expected"), RELEASES)
def test_release_minor(text: str, expected: tuple[int, int]) -> None:
    assert release_minor(text) == expected


@pytest.mark.parametrize("text", ["", "3.", "3.*", "v3", "\u00b3"])
def test_release_minor_refuses_what_is_no_release(text: str) -> None:
    with pytest.raises(ValueError):
        release_minor(text)


TEXTS = [
    ("FROM python:3.11-slim", True),
    ("FROM python:3.12-slim", False),
    ("python-version: '3.13'\n", False),
    ("image: python:3.9 # then 3.12", True),
    ("no version at all", False),
    ("\uff13.\uff19-slim", False),
]


@pytest.mark.parametrize(("text", "expected"), TEXTS)
def test_minor_below(text: str, expected: bool) -> None:
    assert minor_below(text, TARGET) is expected


MAJORS = [
    ("16", 16),
    ("9", 9),
    ("16.2", None),
    ("", None),
    ("\u00b2", None),
    ("\u0661\u0666", None),
    ("latest", None),
]


@pytest.mark.parametrize(("text", "expected"), MAJORS)
def test_image_major(text: str, expected: int | None) -> None:
    assert image_major(text) == expected


@pytest.mark.parametrize(
    ("major", "expected"), [(15, True), (16, False), (17, False), ("9", True), ("16", False)]
)
def test_major_below(major: int | str, expected: bool) -> None:
    assert major_below(major, 16) is expected


def test_the_minors_found_from_the_dots_are_the_ones_the_search_finds() -> None:
    import random
    import re

    from modernize.rules.versions import minors_in

    search = re.compile(r"([0-9]+)\.([0-9]+)")
    texts = ["", "3.10", "1.2.3", "1.23.4 5.6", "a1.2", "12.x 3.4", "..3..4.", "py3.9\n3.10-x"]
    generator = random.Random(20)
    texts += [
        "".join(generator.choice("0123456789..ab \n") for _ in range(40)) for _ in range(5000)
    ]
    for text in texts:
        assert minors_in(text) == search.findall(text), text
