"""Whether an image tag's variant is still built for a version, from the shipped knowledge.

The knowledge names a python or postgres version's variants as the official images' build
directories do (``slim-bookworm``, ``alpine3.23``, ``windows/windowsservercore-ltsc2022``), with
the first and last date each was built; a tag spells the same variant after its version
(``3.12-windowsservercore-ltsc2022``). A variant is ``current`` while it is still built,
``frozen`` once it no longer is (its tag still pulls, but never gets another fix), and
``unknown`` when no image of that version ever had it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Literal

from modernize.lazy import lazy_pattern
from modernize.records import record
from modernize.rules.images import distro_release, release_order
from modernize.rules.textcheck import matches_where

VariantStatus = Literal["current", "frozen", "unknown"]


@record(frozen=True)
class VariantCheck:
    """What the knowledge says of ``variant`` (as a tag spells it) for one image version."""

    status: VariantStatus
    variant: str
    #: The date it was last built (a frozen variant's).
    last_built: str = ""
    #: The variants of the same kind still built (``slim-bookworm``, ``slim-trixie`` for
    #: ``slim-bullseye``), oldest release first; empty when none of its kind is.
    choices: tuple[str, ...] = ()
    #: Every variant still built for the version, as tags spell them.
    current: tuple[str, ...] = ()


def knowledge_date() -> str:
    from modernize.data import knowledge

    return knowledge().as_of


def check_variant(image: str, version: str, suffix: str) -> VariantCheck | None:
    """The knowledge's word on the variant of ``suffix`` (``-slim-bullseye``) for ``image``
    ``version`` (``"3.12"``, ``"16"``); None when the suffix pins no distribution release
    (``""``, ``-slim``, ``-alpine``): those tags follow the image's default release."""
    from modernize.data import knowledge

    release = distro_release(suffix)
    if release is None:
        return None
    variant = suffix.lstrip("-")
    known = knowledge().image(image, version)
    if known is None:
        return VariantCheck("unknown", variant)
    spelled = {_tag_form(name): name for name in known.variants}
    current = sorted(_tag_form(name) for name in known.current)
    name = spelled.get(variant)
    if name in known.current:
        return VariantCheck("current", variant, current=tuple(current))
    kind = _kind(variant, release)
    choices = tuple(
        sorted(
            (choice for choice in current if _kind(choice, distro_release(f"-{choice}")) == kind),
            key=lambda choice: release_order(distro_release(f"-{choice}") or ""),
        )
    )
    if name is None:
        return VariantCheck("unknown", variant, choices=choices, current=tuple(current))
    return VariantCheck("frozen", variant, known.variants[name][1], choices, tuple(current))


def _tag_form(name: str) -> str:
    # A Windows variant's build directory sits under ``windows/``; its tag has no such part.
    return name.rsplit("/", 1)[-1]


def _kind(variant: str, release: str | None) -> tuple[str, str]:
    """The variant without its release (``slim``), and the release's family: a Debian release
    is replaced by a Debian release, an alpine one by an alpine one."""
    parts = [part for part in variant.split("-") if part != release]
    return "-".join(parts), release_order(release or "")[0]


def _choose(check: VariantCheck) -> str:
    if check.choices:
        return f"choose one still built ({', '.join(check.choices)})"
    return (
        f"none of its kind is still built; choose another variant "
        f"({', '.join(check.current) or 'none known'})"
    )


def frozen_refusal(value: str, image: str, version: str, check: VariantCheck) -> str:
    """The one wording for a tag whose new form would name a variant no longer built."""
    choose = _choose(check)
    return (
        f"{value}: variant {check.variant} of {image} {version} was last built on "
        f"{check.last_built} (knowledge of {knowledge_date()}); not changed: {choose}"
    )


def frozen_advice(value: str, image: str, version: str, check: VariantCheck) -> str:
    """The one wording for a tag at the target on a variant no longer built."""
    choose = ", ".join(check.choices or check.current) or "none known"
    return (
        f"{value}: variant {check.variant} of {image} {version} is no longer built (last built "
        f"on {check.last_built}, knowledge of {knowledge_date()}); it gets no fixes: choose "
        f"one still built ({choose})"
    )


def unknown_refusal(
    value: str, image: str, version: str, suffix: str, check: VariantCheck | None
) -> str:
    """The one wording for a tag whose new form names a variant never built for the version;
    ``check`` (None for a variant that names no release) gives the choices."""
    choose = _choose(check) if check is not None else "choose a variant by hand"
    return (
        f"{value}: no {image}:{version}{suffix} image is known to be published (knowledge of "
        f"{knowledge_date()}); not changed: {choose}"
    )


@functools.cache
def _at_version(name: str, version: str, padded: bool = False) -> re.Pattern[str]:
    """``name:VERSION-…``, with what follows the dash up to the next space as group 1;
    ``padded``: each number of the version with zeros before it too (a tag's parser reads
    ``3.012`` as 3.12, and ``016`` as 16)."""
    zeros = "0*" if padded else ""
    numbers = r"\.".join(zeros + re.escape(number) for number in version.split("."))
    return re.compile(
        rf"{re.escape(name)}:{numbers}(?:\.[0-9]+)*(?:(?:a|b|rc)[0-9]+)?-(\S*)", re.IGNORECASE
    )


#: What ends a part of a variant: a dash, or a character no tag holds (a quote, ``@``, ``,``).
_NOT_A_TAG_PART = lazy_pattern(r"[^\w.]+")
#: A variant that ends its tag: nothing but a tag's characters follow it (no quote, digest or
#: other text before the next space).
_WHOLE_VARIANT = lazy_pattern(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


def may_name_variant_at(text: str, name: str, version: str) -> bool:
    """The text test for the advice at the target: False only when ``text`` has no
    ``name:VERSION`` tag whose variant may no longer be built
    (``python:3.12-slim-bullseye``, ``postgres:16.4-alpine3.20``). Only a variant that pins a
    distribution release can stop being built (``check_variant``): ``python:3.12-slim``
    follows the image's default release.

    What follows ``name:VERSION-`` up to the next space holds the tag's variant and perhaps
    more (a quote, a digest); each of its parts that is a release, and any template, escape or
    line joined by a backslash in it (``"python:3.12-slim-\\x62ullseye"``), says yes, unless
    the variant ends the tag and the knowledge says it is still built: the one check the
    advice itself makes, on the same variant."""
    needle = f":{version}"
    padded = ":0" in text or f":{version.split('.')[0]}.0" in text  # ``python:3.012``
    if needle not in text and not padded:
        return False  # the search ignores the name's case, not the colon's or the digits'
    if padded:
        matches: Iterable[re.Match[str]] = _at_version(name, version, True).finditer(text)
    else:
        matches = matches_where(text, needle, len(name), _at_version(name, version))
    for match in matches:
        rest = match[1].lower()
        if "$" in rest or "{" in rest or "%" in rest or "\\" in rest:
            return True  # templated, or spelled otherwise than its value: parsed to be read
        parts = _NOT_A_TAG_PART.split(rest)
        if any(distro_release(part) is not None for part in parts) and not _still_built(
            name, version, rest
        ):
            return True
    return False


@functools.lru_cache(maxsize=4096)  # the knowledge holds still: one answer per variant
def _still_built(name: str, version: str, variant: str) -> bool:
    """Whether the knowledge says ``variant`` (what follows ``name:VERSION-`` in a text, lower
    case: the knowledge's names are) is not one of ``name`` ``version``'s variants no longer
    built, as the advice at the target checks it; False when more than the variant may follow
    it in the tag."""
    if _WHOLE_VARIANT.fullmatch(variant) is None:
        return False
    check = check_variant(name, version, f"-{variant}")
    return check is None or check.status != "frozen"
