"""The target's newest patch release in the shipped knowledge, for a file that names an exact
release (asdf, mise, a Pipfile's ``python_full_version``, conda's ``==3.10.13``), and the note
that says where it came from."""

from __future__ import annotations

from modernize.data import knowledge
from modernize.model import Notice
from modernize.targets import Targets


def newest_release(targets: Targets) -> str | None:
    """The target minor's newest release the shipped knowledge holds (``3.12.13``), or None."""
    known = knowledge().image("python", targets.python_minor)
    return known.release if known is not None else None


def release_note(offset: int, label: str, new: str, targets: Targets) -> Notice:
    """A note that ``label`` (``python 3.10.13``) became ``new``, the newest release known."""
    known = knowledge().image("python", targets.python_minor)
    built = known.built if known is not None else "?"
    return Notice(
        offset,
        f"{label} -> {new}, the newest {targets.python_minor} release in the shipped knowledge "
        f"(python images of {built}): check whether a newer patch is out",
        severity="note",
        advisory=True,
    )
