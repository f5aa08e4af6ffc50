"""The knowledge modernize ships, current to a date: every release of the standard actions
(tag, commit, date, runtime, inputs) and when each python and postgres image variant was built.

``knowledge.json`` is written by ``scripts/refresh_knowledge.py`` from facts read upstream
before a release; nothing here reads the network. Loaded on first use.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Mapping, Sequence
from typing import Any

from modernize.lazy import lazy_pattern
from modernize.records import record

_MAJOR_TAG = lazy_pattern(r"v([0-9]+)")


@record(frozen=True)
class ActionRelease:
    """One release tag of an action: the commit it points at, its date, the runtime its
    ``action.yml`` declares (``node20``; None when it declares none) and the inputs it takes."""

    tag: str
    sha: str
    date: str
    using: str | None
    inputs: frozenset[str]

    @functools.cached_property
    def major(self) -> int | None:
        """The major of a ``vN``, ``vN.M`` or ``vN.M.P`` tag."""
        match = _MAJOR_TAG.match(self.tag)
        return int(match[1]) if match and self.tag[match.end() :][:1] in ("", ".") else None


@record(frozen=True)
class ImageVersion:
    """A python minor or postgres major of an official image: its latest release, and when
    each variant was first and last built; ``current`` the variants still built."""

    release: str | None
    variants: Mapping[str, tuple[str, str]]
    current: frozenset[str]
    #: The last date an image of this version was built (from ``release``, for a version
    #: still built): how current the release is known to be.
    built: str | None = None


@record(frozen=True)
class Knowledge:
    """The shipped facts: the actions' releases and the images' versions, current to
    ``as_of``."""

    #: The date of the newest fact it holds.
    as_of: str
    actions: Mapping[str, Sequence[ActionRelease]]
    images: Mapping[str, Mapping[str, ImageVersion]]

    def releases(self, action: str) -> Sequence[ActionRelease]:
        """The action's releases, newest first; empty for an action it does not know."""
        return self.actions.get(action.lower(), ())

    def newest_major(self, action: str) -> int | None:
        majors = [release.major for release in self.releases(action)]
        return max((major for major in majors if major is not None), default=None)

    def image(self, image: str, version: str) -> ImageVersion | None:
        return self.images.get(image, {}).get(version)


def _text() -> str:
    with open(os.path.join(os.path.dirname(__file__), "knowledge.json"), encoding="utf-8") as file:
        return file.read()


@functools.cache
def knowledge() -> Knowledge:
    return from_data(json.loads(_text()))


#: The top-level ``as_of`` line as ``scripts/refresh_knowledge.py`` writes it (one space in).
_AS_OF = lazy_pattern(r'^ "as_of": "([0-9]{4}-[0-9]{2}-[0-9]{2})",?$', re.M)


def knowledge_date() -> str:
    """The date the knowledge is current to, without reading the rest (``--version``)."""
    found = _AS_OF.search(_text())
    return found[1] if found else knowledge().as_of


def from_data(data: Mapping[str, Any]) -> Knowledge:
    """The knowledge in the shape ``scripts/refresh_knowledge.py`` writes."""
    inputs = [frozenset(names) for names in data["actions"]["inputs"]]
    actions = {
        name: tuple(
            ActionRelease(tag, sha, date, using, inputs[index])
            for tag, sha, date, using, index in releases
        )
        for name, releases in data["actions"]["releases"].items()
    }
    images = {
        image: {
            version: ImageVersion(
                entry["release"],
                {variant: (first, last) for variant, (first, last) in entry["variants"].items()},
                frozenset(entry["current"]),
                entry["released"][1],
            )
            for version, entry in table["versions"].items()
        }
        for image, table in data["images"].items()
    }
    return Knowledge(str(data["as_of"]), actions, images)
