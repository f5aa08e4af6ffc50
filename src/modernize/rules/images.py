"""Container image references: split them and find the version inside a tag."""

from __future__ import annotations

from modernize.lazy import lazy_pattern
from modernize.records import record

_VARIABLE = lazy_pattern(r"\$\{[^}]*\}")
_WHOLE_VARIABLE = lazy_pattern(r"^\$(?:\{[^}]*\}|\w+)$")
_VERSION_TAG = lazy_pattern(
    r"^(?P<version>[0-9]+(?:\.[0-9]+)*)(?P<pre>(?:a|b|rc)[0-9]+)?(?P<suffix>-.*)?$"
)
_DISTRO_RELEASE = lazy_pattern(r"^(?:alpine[0-9]+\.[0-9]+|[a-z]+)$")
_ALPINE_RELEASE = lazy_pattern(r"alpine([0-9]+)\.([0-9]+)")
_KNOWN_PLAIN_VARIANTS = frozenset({"slim", "alpine", "windowsservercore", "nanoserver"})
#: Debian and Windows Server releases named in tags, oldest first.
DEBIAN_RELEASES = ("jessie", "stretch", "buster", "bullseye", "bookworm", "trixie", "forky")
WINDOWS_RELEASES = ("1809", "ltsc2016", "ltsc2019", "ltsc2022", "ltsc2025")
_RELEASE_NAMES = frozenset(DEBIAN_RELEASES + WINDOWS_RELEASES)


@record(frozen=True)
class ImageRef:
    """``[host/]path[:tag][@digest]``; offsets are relative to the reference string."""

    text: str
    host: str | None
    path: str
    tag: str | None
    tag_start: int
    digest: str | None

    @property
    def repository(self) -> str:
        return self.path.lower()


def parse_image(text: str) -> ImageRef | None:
    """Split an image reference, or None when it is not one (empty, spaces, a variable)."""
    if not text or any(char.isspace() for char in text):
        return None
    # Separators inside ``${VAR:-default}`` are not the reference's own: find them in a copy
    # where variables are masked, then cut the original at the same offsets.
    masked = _VARIABLE.sub(lambda match: "x" * len(match.group()), text)
    digest = None
    body = text
    at = masked.find("@")
    if at >= 0:
        digest = body[at + 1 :]
        body = body[:at]
    slash = masked[: len(body)].rfind("/")
    colon = masked[: len(body)].rfind(":")
    tag = None
    tag_start = len(body)
    if colon > slash:
        tag = body[colon + 1 :]
        tag_start = colon + 1
        body = body[:colon]
    host = None
    slash = masked.find("/", 0, len(body))
    if slash >= 0 and _is_registry_host(body[:slash], masked[:slash]):
        host = body[:slash]
        body = body[slash + 1 :]
    return ImageRef(text, host, body, tag, tag_start, digest)


def _is_registry_host(component: str, masked: str) -> bool:
    """A first path component naming a registry: it has a ``.`` or a port, is ``localhost``, or
    is one variable (``${REGISTRY}``), which may hold a registry or an organisation."""
    if _WHOLE_VARIABLE.match(component):
        return True
    return "." in masked or ":" in masked or component == "localhost"


def is_official(ref: ImageRef, name: str) -> bool:
    """True for the Docker Official Image ``name`` under any of its usual spellings, on Docker Hub
    or mirrored by another registry (``localhost:5000/python``, ``mirror.gcr.io/library/python``).

    Any other path (``ghcr.io/org/python``, ``bitnami/python``) is someone else's image. Behind a
    templated registry only ``library/name`` counts: ``${ORG}/python`` may be anyone's.
    """
    if ref.host is not None and is_templated(ref.host):
        return ref.repository == f"library/{name}"
    return ref.repository in (name, f"library/{name}")


def is_templated(text: str) -> bool:
    return template_start(text) >= 0


def has_templated_tag(text: str, name: str) -> bool:
    """Whether ``text`` is the official ``name`` image with a variable or template for its tag
    (``postgres:${PG_MAJOR}``): one the migrations report instead of guessing at."""
    start = template_start(text)
    if start < 0 or not text[:start].endswith(":"):
        return False
    ref = parse_image(text[: start - 1])
    return ref is not None and is_official(ref, name)


def template_start(text: str) -> int:
    """Offset of the first variable or template expression in ``text``, or -1."""
    found = [index for index in (text.find("$"), text.find("{{"), text.find("{%")) if index >= 0]
    return min(found, default=-1)


@record(frozen=True)
class VersionTag:
    """A tag such as ``3.10.13-slim``: ``version`` ``3.10.13``, ``suffix`` ``-slim``."""

    version: str
    prerelease: str
    suffix: str

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(int(part) for part in self.version.split("."))


def parse_version_tag(tag: str) -> VersionTag | None:
    match = _VERSION_TAG.match(tag)
    if not match:
        return None
    return VersionTag(match["version"], match["pre"] or "", match["suffix"] or "")


def distro_release(suffix: str) -> str | None:
    """The distribution release a variant suffix pins (``bookworm``, ``alpine3.20``), if any."""
    for part in suffix.lstrip("-").split("-"):
        if part in _KNOWN_PLAIN_VARIANTS:
            continue
        if part in _RELEASE_NAMES or (part.startswith("alpine") and _DISTRO_RELEASE.match(part)):
            return part
    return None


def release_order(release: str) -> tuple[str, tuple[int, ...]]:
    """A distribution release's family (``debian``, ``alpine``, ``windows``) and its place in
    it, oldest first: ``alpine3.9`` comes before ``alpine3.23``."""
    if release in DEBIAN_RELEASES:
        return "debian", (DEBIAN_RELEASES.index(release),)
    if release in WINDOWS_RELEASES:
        return "windows", (WINDOWS_RELEASES.index(release),)
    alpine = _ALPINE_RELEASE.fullmatch(release)
    if alpine:
        return "alpine", (int(alpine[1]), int(alpine[2]))
    return "", ()


def unknown_variant_parts(suffix: str) -> list[str]:
    """Suffix parts that are neither a plain variant nor a distribution release."""
    return [
        part
        for part in suffix.lstrip("-").split("-")
        if part
        and part not in _KNOWN_PLAIN_VARIANTS
        and part not in _RELEASE_NAMES
        and not (part.startswith("alpine") and _DISTRO_RELEASE.match(part))
    ]
