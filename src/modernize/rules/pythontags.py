"""The python image's part of the image-tag rule (``imagetags``), shared by every migration
that moves one: a tag below the target Python minor moves to it, Python 2 is refused (a port,
not a bump), and the names of variables that hold the Python version."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from modernize.lazy import lazy_pattern
from modernize.rules.images import VersionTag, parse_version_tag, unknown_variant_parts
from modernize.rules.imagetags import OfficialImage, TagDecision, yaml_image
from modernize.rules.imagetags import digest_refusal as _digest_refusal
from modernize.rules.imagetags import templated_refusal as _templated_refusal
from modernize.rules.variants import (
    check_variant,
    frozen_advice,
    frozen_refusal,
    unknown_refusal,
)
from modernize.rules.versions import below
from modernize.targets import Targets

if TYPE_CHECKING:
    from modernize.formats.document import Document
    from modernize.formats.yamldoc import ScalarNode
    from modernize.model import Edit, Notice

#: A variable's name that says it holds the Python version (upper-cased): ``PYTHON``,
#: ``PYTHON_VERSION``, ``PY_VER``, ``DEFAULT_PYTHON_VERSION``, ``PYTHON_DEFAULT_VERSION``,
#: ``PYTHON_TARGET_VERSION``… Never one that names another version (``MIN_PYTHON_VERSION``,
#: ``PYTHON_VERSION_PREV``) or another setting (``PYTHONPATH``).
_PYTHON_VERSION_NAME = lazy_pattern(
    r"(?:DEFAULT_)?PYTHON"
    r"|(?:DEFAULT_)?(?:PYTHON|PY)_?(?:DEFAULT_)?(?:VERSION|VER)"
    r"|(?:PYTHON|PY)_TARGET(?:_VERSION)?"
)


def names_python_version(name: str) -> bool:
    """Whether a workflow ``env`` key, compose build argument or input named ``name`` (in any
    case) holds the Python version, and so follows the target."""
    return _PYTHON_VERSION_NAME.fullmatch(name.strip().upper()) is not None


def _python_version(
    value: str, tag: str, parsed: VersionTag, targets: Targets
) -> TagDecision | None:
    if len(parsed.numbers) < 2:
        return None  # floating tags such as 3, 3-slim
    target = targets.python
    major, minor = parsed.numbers[0], parsed.numbers[1]
    if major < 3:
        return TagDecision(
            refusal=f"python:{tag} is Python {major}; moving to {targets.python_minor} "
            "is a port, not a version bump; not changed"
        )
    new_minor = targets.python_minor
    if not below(major, minor, target):
        if f"{major}.{minor}" == new_minor:
            return _frozen_at_target(f"python:{tag}", new_minor, parsed.suffix)
        return None
    unknown = unknown_variant_parts(parsed.suffix)
    if unknown:
        return TagDecision(
            refusal=f"python:{tag}: variant {'-'.join(unknown)!r} is not known to exist for "
            f"Python {new_minor}; not changed"
        )
    check = check_variant("python", new_minor, parsed.suffix)
    if check is not None and check.status == "unknown":
        return TagDecision(
            refusal=unknown_refusal(f"python:{tag}", "python", new_minor, parsed.suffix, check)
        )
    if check is not None and check.status == "frozen":
        return TagDecision(refusal=frozen_refusal(f"python:{tag}", "python", new_minor, check))
    length = len(parsed.version) + len(parsed.prerelease)
    return TagDecision(length=length, replacement=new_minor, old=parsed)


def _frozen_at_target(value: str, minor: str, suffix: str) -> TagDecision | None:
    """Advice for a tag already at the target whose variant is no longer built: nothing to
    move, so not a refusal."""
    check = check_variant("python", minor, suffix)
    if check is None or check.status != "frozen":
        return None
    return TagDecision(refusal=frozen_advice(value, "python", minor, check), advisory=True)


PYTHON = OfficialImage("python", _python_version, lambda targets: targets.python_minor)


def decide_python_tag(tag: str, targets: Targets) -> TagDecision | None:
    """The version decision for a python tag alone (a Dockerfile's, after its build arguments
    are substituted): official-image and digest checks are the caller's."""
    parsed = parse_version_tag(tag)
    return _python_version(f"python:{tag}", tag, parsed, targets) if parsed else None


def digest_refusal(reference: str, targets: Targets) -> str:
    """The one wording for a python image pinned by digest (``reference``: the image as
    written, without its digest)."""
    return _digest_refusal(reference, PYTHON, targets)


def templated_refusal(reference: str) -> str:
    """The one wording for a python image whose tag is a variable or template."""
    return _templated_refusal(reference, PYTHON)


def yaml_python_image(
    document: Document, node: ScalarNode, targets: Targets, expressions_followed: bool = False
) -> Iterator[Edit | Notice]:
    """The image-tag rule for a python image given as a YAML value (see ``yaml_image``)."""
    found = yaml_image(document, node, PYTHON, targets, expressions_followed)
    if found is not None:
        yield found[0]
