"""Image references: which spellings name the Docker Official Image."""

from __future__ import annotations

import pytest
from packaging.version import Version

from modernize.rules.images import is_official, parse_image

OFFICIAL_PYTHON = [
    ("python:3.10", True),
    ("library/python:3.10", True),
    ("docker.io/library/python:3.10", True),
    ("index.docker.io/python:3.10", True),
    # Registry mirrors of the official image.
    ("localhost/python:3.10", True),
    ("localhost:5000/python:3.10-slim", True),
    ("mirror.gcr.io/library/python:3.10", True),
    ("registry.example.com:5000/library/python:3.10", True),
    ("${REGISTRY}/library/python:3.10-slim", True),
    ("${REGISTRY:-docker.io}/library/python:3.10", True),
    # Someone else's image.
    ("ghcr.io/acme/python:3.10", False),
    ("bitnami/python:3.10", False),
    ("${ORG}/python:3.10", False),
    ("${REG:-ghcr.io/acme}/python:3.10", False),
    ("mcr.microsoft.com/devcontainers/python:1-3.10", False),
    ("python-runner:3.10", False),
    ("pypy:3.10", False),
]


@pytest.mark.parametrize(("reference", "expected"), OFFICIAL_PYTHON)
def test_is_official(reference: str, expected: bool) -> None:
    ref = parse_image(reference)
    assert ref is not None
    assert is_official(ref, "python") is expected


def test_tag_offset_is_in_the_original_text() -> None:
    reference = "${REGISTRY:-registry.example.com:5000}/library/python:3.10-slim"
    ref = parse_image(reference)
    assert ref is not None
    assert ref.host == "${REGISTRY:-registry.example.com:5000}"
    assert reference[ref.tag_start :] == "3.10-slim" == ref.tag


@pytest.mark.parametrize(
    "tag", ["\uff13.\uff19-slim", "\u0663.\u0669", "3.\uff19", "\u00b2", "7\u0667"]
)
def test_a_tag_in_digits_other_than_ascii_is_no_version(tag: str) -> None:
    from modernize.rules.images import parse_version_tag
    from modernize.rules.versions import minor_below

    assert parse_version_tag(tag) is None
    assert not minor_below(tag, Version("3.12"))
