"""DF rules: the final stage runs as a non-root user, has a healthcheck, and dependencies are
installed in a separate build stage.

The rules hold for images that are deployed: not for a devcontainer's Dockerfile (the editor's
remote user is ``devcontainer.json``'s, and it runs no service) nor a Docker container action's
(GitHub runs it once, as root, and asks for no ``USER``). DF001 does not hold over an official
image whose entrypoint drops to its own user (postgres, redis, …) or a base that already runs
as a non-root user.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from modernize.formats.document import Document
from modernize.lazy import lazy_pattern
from modernize.rules.images import is_official, parse_image
from modernize.standards import Violation
from modernize.targets import Targets

_INSTALLS = lazy_pattern(
    r"\b(pip3?\s+install|poetry\s+install|uv\s+(?:sync|pip\s+install)|pipenv\s+install|"
    r"npm\s+(?:ci|install)|yarn\s+install|pnpm\s+install|bundle\s+install|cargo\s+build|go\s+build)\b"
)
# ``USER user[:group]``: the user decides, whatever the group (``0:1000`` is root).
_ROOT_USERS = frozenset({"root", "0"})
#: Official images whose entrypoint starts the server as its own user (``gosu``/``su-exec``)
#: or that set a non-root ``USER`` themselves: a Dockerfile built on them adds none.
PRIVILEGE_DROPPING = frozenset(
    {
        "postgres",
        "redis",
        "mysql",
        "mariadb",
        "mongo",
        "rabbitmq",
        "memcached",
        "cassandra",
        "couchdb",
        "elasticsearch",
    }
)
#: Image tags that name a non-root user (distroless ``nonroot``, ``debug-nonroot``).
_NON_ROOT_TAG = lazy_pattern(r"(?:^|-)nonroot$")


def check(document: Document, targets: Targets, directory: Path) -> Iterator[Violation]:
    dockerfile = document.dockerfile
    instructions = dockerfile.instructions
    model = dockerfile.stages
    if not model.stages or _not_deployed(document.path, directory):
        return
    # The final stage inherits the USER and HEALTHCHECK of the stages it is built on.
    final = [
        instructions[index] for stage in model.chain(model.stages[-1]) for index in stage.indexes
    ]
    anchor = instructions[model.stages[-1].start].start
    users = [ins for ins in final if ins.name == "USER" and ins.words]
    as_root = not users or users[-1].words[0].text.split(":")[0].lower() in _ROOT_USERS
    base = model.chain(model.stages[-1])[0].base
    if as_root and not _drops_privileges(base.text if base else ""):
        where = users[-1].start if users else anchor
        yield Violation(where, "DF001", "the final stage runs as root: add a non-root USER")
    healthchecks = [ins for ins in final if ins.name == "HEALTHCHECK"]
    if not healthchecks or healthchecks[-1].argument_text().upper().startswith("NONE"):
        yield Violation(anchor, "DF002", "the final stage has no HEALTHCHECK")
    if len(model.stages) == 1:
        text = document.text
        for instruction in final:
            body = instruction.argument_text() + " ".join(
                text[start:end] for start, end in instruction.heredoc_bodies
            )
            if instruction.name == "RUN" and _INSTALLS.search(body):
                yield Violation(
                    instruction.start,
                    "DF003",
                    "dependencies are installed in a single-stage build: build them in a "
                    "separate stage and copy the result into a clean one",
                )
                break


def _not_deployed(path: str, directory: Path) -> bool:
    """A devcontainer's Dockerfile, or a Docker container action's."""
    if ".devcontainer" in PurePosixPath(path).parts[:-1]:
        return True
    return _is_container_action(PurePosixPath(path).name, directory)


def _drops_privileges(base: str) -> bool:
    """Whether the image ``base`` runs its process as a non-root user by itself."""
    ref = parse_image(base)
    return ref is not None and (
        any(is_official(ref, name) for name in PRIVILEGE_DROPPING)
        or _NON_ROOT_TAG.search(ref.tag or "") is not None
    )


def _is_container_action(name: str, directory: Path) -> bool:
    """Whether an ``action.yml`` (or ``.yaml``) beside the Dockerfile ``name`` runs it: ``runs:
    using: docker`` with ``image: Dockerfile`` (or ``./Dockerfile``)."""
    import yaml

    for action in ("action.yml", "action.yaml"):
        try:
            data = yaml.safe_load((directory / action).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        runs = data.get("runs") if isinstance(data, dict) else None
        if not isinstance(runs, dict) or str(runs.get("using", "")).lower() != "docker":
            continue
        image = str(runs.get("image", ""))
        if image.removeprefix("./") == name:
            return True
    return False
